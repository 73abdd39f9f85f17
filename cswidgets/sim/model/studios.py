"""Code studios: their data, JSON views, and the STOPPED → STARTING → RUNNING → STOPPING →
STOPPED state machine with its futures and zone synchronisation (start pushes, stop pulls).

:class:`StudioOps` holds the studios (``by_project``) and is given the rest of the model it needs
(templates to start from, the future registry, the zone repositories); its methods take the
model lock. A studio's ``target`` says where it is heading; futures wait in ``waiters`` for the state
they complete on; ``generation`` invalidates scheduled events when a transition is interrupted.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .. import assumptions as A
from ..errors import SimError, bad_request, forbidden, not_found
from . import zones
from .core import Core
from .directory import Directory
from .futures import Future, FutureRegistry, Stage
from .templates import PortSpec, Template, ZoneSpec

STATES = ("STOPPED", "STARTING", "RUNNING", "STOPPING")


@dataclass
class Studio:
    project_key: str
    id: str
    name: str
    owner: str
    template_id: str
    zones: tuple[ZoneSpec, ...]
    ports: tuple[PortSpec, ...]
    created_ms: int
    created_by: str
    state: str = "STOPPED"
    last_change_ms: int | None = None
    target: str = "STOPPED"
    generation: int = 0
    transition_job: str | None = None
    transition_end_ms: int = 0
    waiters: list[tuple[Future, str]] = field(default_factory=list)
    zone_ids: dict[str, str] = field(default_factory=dict)
    sides: dict[str, zones.StudioSide] = field(default_factory=dict)
    version: int = 1
    modified_by: str = ""
    modified_ms: int = 0
    image_built_ms: int | None = None  # the template build the pod runs (A.studio_image_built)


def _tag(version: int, login: str, time_ms: int) -> dict[str, Any]:
    return {"versionNumber": version, "lastModifiedBy": {"login": login}, "lastModifiedOn": time_ms}


class StudioOps:
    """Code-studio operations of the model (HTTP-facing ones take the caller's ``login``)."""

    def __init__(
        self,
        core: Core,
        directory: Directory,
        templates: Mapping[str, Template],
        futures: FutureRegistry,
        repos: zones.Repos,
    ) -> None:
        self._core = core
        self._directory = directory
        self._templates = templates
        self._futures = futures
        self._repos = repos
        self.by_project: dict[str, dict[str, Studio]] = {}

    def _of_project(self, project_key: str) -> dict[str, Studio]:
        """The studios of an existing project (SimError otherwise)."""
        self._directory.project(project_key)
        return self.by_project.setdefault(project_key, {})

    # ---- lookup, views -------------------------------------------------------------------------

    def studio(self, project_key: str, studio_id: str) -> Studio:
        try:
            return self._of_project(project_key)[studio_id]
        except KeyError:
            raise not_found(f"Code studio {studio_id} not found in project {project_key}") from None

    def studio_ids(self, project_key: str) -> list[str]:
        with self._core.lock:
            return list(self._of_project(project_key))

    def list_studios(self, project_key: str) -> list[dict[str, Any]]:
        with self._core.lock:
            self._core.tick()
            out = []
            for st in self._of_project(project_key).values():
                tpl = self._templates.get(st.template_id)
                out.append(
                    {
                        "id": st.id,
                        "name": st.name,
                        "owner": st.owner,
                        "templateId": st.template_id,
                        "projectKey": st.project_key,
                        "desc": tpl.desc() if tpl else None,
                    }
                )
            return out

    def studio_settings(self, project_key: str, studio_id: str) -> dict[str, Any]:
        with self._core.lock:
            st = self.studio(project_key, studio_id)
            return {
                "projectKey": st.project_key,
                "id": st.id,
                "name": st.name,
                "templateId": st.template_id,
                "libName": A.studio_lib_name(st.id),
                "owner": st.owner,
                "versionTag": _tag(st.version, st.modified_by, st.modified_ms),
                "creationTag": _tag(1, st.created_by, st.created_ms),
                "checklists": {"checklists": []},
                "tags": [],
                "customFields": {},
            }

    def studio_status(self, project_key: str, studio_id: str) -> dict[str, Any]:
        with self._core.lock:
            self._core.tick()
            st = self.studio(project_key, studio_id)
            tpl = self._templates.get(st.template_id)
            running = st.state == "RUNNING"
            return {
                "state": st.state,
                "lastStateChange": st.last_change_ms,
                "lastTemplateBuilt": A.studio_image_built(st.image_built_ms, tpl.last_built_ms if tpl else None),
                "jobId": st.transition_job if st.state in ("STARTING", "STOPPING") else None,
                "runAsUser": st.owner,
                "exposableCount": len(st.ports),
                "exposed": [
                    {
                        "label": p.label,
                        "exposedHtml": p.html,
                        "exposedPort": p.port,
                        "url": A.exposed_url(st.project_key, st.id, p.port),
                    }
                    for p in st.ports
                ]
                if running
                else [],
                "syncedZones": [
                    {
                        "id": st.zone_ids[z.key],
                        "zone": z.key,
                        "oneWay": z.one_way,
                        "pathInContainer": A.zone_path_in_container(z.key),
                    }
                    for z in st.zones
                ]
                if running
                else [],
            }

    # ---- permissions -----------------------------------------------------------------------------

    def _require_user_of(self, st: Studio, login: str) -> None:
        if login != st.owner and not self._directory.is_admin(login):
            raise forbidden(f"Only the owner of code studio {st.id} ({st.owner}) or an admin may do this")

    def _require_operator_of(self, st: Studio, login: str) -> None:
        project_owner = self._directory.projects[st.project_key].owner
        if login not in (st.owner, project_owner) and not self._directory.is_admin(login):
            raise forbidden(f"Only the owner of code studio {st.id}, a project admin or an admin may do this")

    # ---- create, delete, owner -------------------------------------------------------------------

    def add_studio(
        self,
        project_key: str,
        name: str,
        owner: str,
        template_id: str,
        state: str = "STOPPED",
        studio_id: str | None = None,
    ) -> str:
        """Create a studio (any name/owner strings accepted) and bring it to ``state`` at once."""
        if not isinstance(name, str) or not isinstance(owner, str) or not owner:
            raise bad_request("name must be a string and owner a non-empty string")
        with self._core.lock:
            now = self._core.tick()
            studios = self._of_project(project_key)
            tpl = self._templates.get(template_id)
            if tpl is None:
                raise not_found(f"Code studio template {template_id} not found")
            if studio_id is None:
                studio_id = self._core.fresh_id(A.new_studio_id, studios)
            elif studio_id in studios:
                raise bad_request(f"Code studio {studio_id} already exists")
            st = Studio(
                project_key,
                studio_id,
                name,
                owner,
                template_id,
                tpl.zones,
                tpl.ports,
                now,
                owner,
                modified_by=owner,
                modified_ms=now,
            )
            studios[studio_id] = st
            if state != "STOPPED":
                self.set_state(project_key, studio_id, state)
            return studio_id

    def create_studio(self, project_key: str, body: Any, login: str) -> dict[str, Any]:
        if (
            not isinstance(body, dict)
            or not isinstance(body.get("name"), str)
            or not isinstance(body.get("templateId"), str)
        ):
            raise bad_request('Expected a JSON body {"name": <string>, "templateId": <string>}')
        with self._core.lock:
            sid = self.add_studio(project_key, body["name"], login, body["templateId"])
            return {"codeStudio": self.studio_settings(project_key, sid)}

    def delete_studio(self, project_key: str, studio_id: str, login: str) -> None:
        with self._core.lock:
            now = self._core.tick()
            st = self.studio(project_key, studio_id)
            self._require_operator_of(st, login)
            self._interrupt(st, now, "Code studio deleted")
            del self.by_project[project_key][studio_id]
            self._repos.forget_studio(st)

    def change_owner(
        self, project_key: str, studio_id: str, new_owner: str | None, login: str
    ) -> dict[str, Any]:
        with self._core.lock:
            now = self._core.tick()
            st = self.studio(project_key, studio_id)
            self._require_user_of(st, login)
            if not new_owner:
                raise bad_request("Missing parameter newOwner")
            if new_owner not in self._directory.users:
                raise not_found(f"User {new_owner} does not exist")
            st.owner, st.version, st.modified_by, st.modified_ms = new_owner, st.version + 1, login, now
            return self.studio_settings(project_key, studio_id)

    # ---- lifecycle ---------------------------------------------------------------------------------

    def _new_future(
        self, st: Studio, owner: str, verb: str, now: int, stages: list[Stage], target: str
    ) -> Future:
        job_id = self._core.fresh_id(A.new_job_id, self._futures)
        fut = Future(
            job_id,
            owner,
            f"{verb} code studio {st.name}",
            A.studio_task_payload(verb, st.project_key, st.id),
            now,
            stages,
        )
        fut.on_abort = lambda at: self._on_abort(st, fut, at)
        st.waiters.append((fut, target))
        return self._futures.add(fut)

    def _start_stages(self, t: int) -> list[Stage]:
        d = self._core.duration_ms("start")
        a, b = t + d // 5, t + (d * 7) // 10
        return [
            Stage("Allocating resources", t, a),
            Stage("Starting pod", a, b),
            Stage("Synchronizing files", b, t + d),
        ]

    def _take_image(self, st: Studio) -> None:
        """The pod starts on the template's current image (A.studio_image_built): a later build makes it outdated."""
        tpl = self._templates.get(st.template_id)
        st.image_built_ms = tpl.last_built_ms if tpl else None

    def _begin_start(self, st: Studio, t: int) -> None:
        self._take_image(st)
        st.generation += 1
        gen, st.state, st.last_change_ms, st.target = st.generation, "STARTING", t, "RUNNING"
        st.transition_end_ms = t + self._core.duration_ms("start")
        st.transition_job = next((f.job_id for f, tg in st.waiters if tg == "RUNNING"), None)
        self._core.schedule(st.transition_end_ms, lambda at: self._finish(st, gen, at))

    def _begin_stop(self, st: Studio, t: int) -> None:
        if st.state == "RUNNING":
            self._pull_all(st, t)
        st.generation += 1
        gen, st.state, st.last_change_ms = st.generation, "STOPPING", t
        st.zone_ids, st.sides = {}, {}
        st.transition_end_ms = t + self._core.duration_ms("stop")
        st.transition_job = next((f.job_id for f, _ in st.waiters), None)
        self._core.schedule(st.transition_end_ms, lambda at: self._finish(st, gen, at))

    def _finish(self, st: Studio, gen: int, at: int) -> None:
        if st.generation != gen or self.by_project.get(st.project_key, {}).get(st.id) is not st:
            return
        if st.state == "STARTING":
            self._enter_running(st, at)
        else:
            self._enter_stopped(st, at)
            if st.target == "RUNNING":
                self._begin_start(st, at)

    def _enter_running(self, st: Studio, at: int) -> None:
        st.generation += 1
        st.state, st.last_change_ms, st.target, st.transition_job = "RUNNING", at, "RUNNING", None
        st.zone_ids = {z.key: A.new_zone_id(self._core.rng, z.key) for z in st.zones}
        st.sides = {}
        for z in st.zones:
            repo = self._repos.repo(st, z.key)
            side = st.sides[z.key] = zones.StudioSide(repo.head)
            zones.push(repo, side)
        self._settle(st, at)

    def _enter_stopped(self, st: Studio, at: int) -> None:
        st.generation += 1
        st.state, st.last_change_ms, st.transition_job = "STOPPED", at, None
        st.zone_ids, st.sides = {}, {}
        self._settle(st, at)

    def _pull_all(self, st: Studio, t: int) -> None:
        for z in st.zones:
            if not z.one_way and z.key in st.sides:
                zones.pull(
                    self._repos.repo(st, z.key), st.sides[z.key], st.owner, t, st.name, self._core.sync_model
                )

    def _settle(self, st: Studio, at: int) -> None:
        for fut, target in list(st.waiters):
            if target == st.state:
                fut.complete(at)
                st.waiters.remove((fut, target))

    def _interrupt(self, st: Studio, now: int, why: str, target: str | None = None) -> None:
        """Fail every waiting future (except those heading to ``target``) as aborted."""
        for fut, tg in list(st.waiters):
            if tg != target:
                st.waiters.remove((fut, tg))
                fut.fail(now, A.ERR_ABORTED, why, aborted=True)

    def _on_abort(self, st: Studio, fut: Future, at: int) -> None:
        st.waiters = [(f, tg) for f, tg in st.waiters if f is not fut]
        if st.target == "RUNNING" and not any(tg == "RUNNING" for _, tg in st.waiters):
            st.target = "STOPPED"
            if st.state == "STARTING":
                self._begin_stop(st, at)

    def restart(self, project_key: str, studio_id: str, login: str) -> dict[str, Any]:
        with self._core.lock:
            now = self._core.tick()
            st = self.studio(project_key, studio_id)
            self._require_operator_of(st, login)
            pending = next((f for f, tg in st.waiters if tg == "RUNNING"), None)
            if pending is not None:  # already starting (or restarting): same future
                return pending.to_json(now, peek=True)
            if st.state == "STOPPED":
                fut = self._new_future(st, login, "Start", now, self._start_stages(now), "RUNNING")
                self._begin_start(st, now)
            elif st.state == "STARTING":  # starting without a waiting future (its start was aborted)
                stages = [Stage("Starting pod", now, st.transition_end_ms)]
                fut = self._new_future(st, login, "Start", now, stages, "RUNNING")
                st.target, st.transition_job = "RUNNING", fut.job_id
            else:  # RUNNING or STOPPING: stop (if needed) then start
                stop_end = now + self._core.duration_ms("stop") if st.state == "RUNNING" else st.transition_end_ms
                stages = [Stage("Stopping", now, stop_end), *self._start_stages(stop_end)]
                fut = self._new_future(st, login, "Restart", now, stages, "RUNNING")
                st.target = "RUNNING"
                if st.state == "RUNNING":
                    self._begin_stop(st, now)
                    st.transition_job = fut.job_id
            return fut.to_json(now, peek=True)

    def stop(self, project_key: str, studio_id: str, login: str) -> dict[str, Any]:
        with self._core.lock:
            now = self._core.tick()
            st = self.studio(project_key, studio_id)
            self._require_operator_of(st, login)
            if st.state == "STOPPED":
                return A.completed_future_without_job()
            if st.state == "STOPPING" and st.target == "STOPPED":
                pending = next((f for f, tg in st.waiters if tg == "STOPPED"), None)
                if pending is not None:
                    return pending.to_json(now, peek=True)
            self._interrupt(st, now, "Interrupted by a stop request", target="STOPPED")
            st.target = "STOPPED"
            end = now + self._core.duration_ms("stop") if st.state != "STOPPING" else st.transition_end_ms
            fut = self._new_future(st, login, "Stop", now, [Stage("Stopping", now, end)], "STOPPED")
            if st.state != "STOPPING":
                self._begin_stop(st, now)
            st.transition_job = fut.job_id
            return fut.to_json(now, peek=True)

    def stop_runtimes_of(self, template_id: str, now: int) -> int:
        """Stop every running or starting studio made from ``template_id`` (a template deletion with
        ``deleteRuntime``, INFERRED in assumptions); returns how many were stopped."""
        stopped = 0
        with self._core.lock:
            for studios in self.by_project.values():
                for st in studios.values():
                    if st.template_id != template_id or st.state not in ("RUNNING", "STARTING"):
                        continue
                    self._interrupt(st, now, "Template deleted with its runtimes", target="STOPPED")
                    st.target = "STOPPED"
                    self._begin_stop(st, now)
                    stopped += 1
        return stopped

    def set_state(self, project_key: str, studio_id: str, state: str, by: str = "admin") -> str | None:
        """Put a studio in ``state`` now (RUNNING/STOPPED instantly, with the push/pull a real
        start/stop does; STARTING/STOPPING begin a transition). Returns the transition's job id."""
        if state not in STATES:
            raise bad_request(f"state must be one of {STATES}")
        with self._core.lock:
            now = self._core.tick()
            st = self.studio(project_key, studio_id)
            self._interrupt(st, now, "Interrupted by the simulator", target=state)
            if state in ("RUNNING", "STOPPING") and st.state != "RUNNING":
                if st.state != "STARTING":  # a start in progress has its image already
                    self._take_image(st)
                self._enter_running(st, now)
            elif state in ("STOPPED", "STARTING") and st.state != "STOPPED":
                self._pull_all(st, now)
                self._enter_stopped(st, now)
            st.target = "RUNNING" if state in ("RUNNING", "STARTING") else "STOPPED"
            if state == "STARTING":
                self._new_future(st, by, "Start", now, self._start_stages(now), "RUNNING")
                self._begin_start(st, now)
            elif state == "STOPPING":
                end = now + self._core.duration_ms("stop")
                self._new_future(st, by, "Stop", now, [Stage("Stopping", now, end)], "STOPPED")
                self._begin_stop(st, now)
            return st.transition_job

    # ---- zones over HTTP ---------------------------------------------------------------------------

    def _running_zone(self, st: Studio, zone: str) -> ZoneSpec | None:
        if st.state != "RUNNING":
            return None
        return next((z for z in st.zones if st.zone_ids.get(z.key) == zone), None)

    def conflicts(self, project_key: str, studio_id: str, zone: str, login: str) -> dict[str, Any]:
        with self._core.lock:
            self._core.tick()
            st = self.studio(project_key, studio_id)
            self._require_user_of(st, login)
            spec = self._running_zone(st, zone)
            if spec is None:
                return A.conflicts_error(zone)
            return zones.conflicts(self._repos.repo(st, spec.key), st.sides[spec.key], zone)

    def _zone_or_404(self, st: Studio, zone: str) -> ZoneSpec:
        spec = self._running_zone(st, zone)
        if spec is None:
            raise not_found(f"Zone {zone} not found in running code studio {st.id}")
        return spec

    def pull(self, project_key: str, studio_id: str, zone: str, login: str) -> dict[str, Any]:
        with self._core.lock:
            now = self._core.tick()
            st = self.studio(project_key, studio_id)
            self._require_user_of(st, login)
            spec = self._zone_or_404(st, zone)
            if spec.one_way:
                raise SimError(A.STATUS_BAD_REQUEST, A.ERR_ILLEGAL_ARGUMENT, A.MSG_ONE_WAY_PULL.format(zone=zone))
            repo = self._repos.repo(st, spec.key)
            added, modified, deleted = zones.pull(
                repo, st.sides[spec.key], st.owner, now, st.name, self._core.sync_model
            )
            return A.pull_response(zone, added, modified, deleted)

    def push(self, project_key: str, studio_id: str, zone: str, login: str) -> dict[str, Any]:
        with self._core.lock:
            self._core.tick()
            st = self.studio(project_key, studio_id)
            self._require_user_of(st, login)
            spec = self._zone_or_404(st, zone)
            return zones.push(self._repos.repo(st, spec.key), st.sides[spec.key])
