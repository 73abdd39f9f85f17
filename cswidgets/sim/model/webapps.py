"""Webapps of a project, as far as the code-studio view needs them: their list, settings, backend state
and the backend's stop and (re)start (docs/dss-api.md §2.4).

A webapp published from a code studio is marked as such (``A.CODE_STUDIO_WEBAPP_TYPE``, its studio named in
its settings: ``A.webapp_params``); other webapps are plain ``STANDARD`` ones. The backend is ``STOPPED``,
``STARTING`` (a restart's future runs) or ``RUNNING``; its ``futureInfo`` (``A.webapp_future_info``) says
``alive`` while it starts or runs. A restart answers a future that completes when the backend is up (like a
code studio's start); a stop is immediate. The webapp's pods are its own: its backend does not follow the
studio's IDE state (SEEN DOCS "Publish a Code Studio as a webapp": webapps may run several pods of a studio).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .. import assumptions as A
from ..errors import bad_request, forbidden, not_found
from .core import Core
from .directory import Directory
from .futures import Future, FutureRegistry, Stage


@dataclass
class WebApp:
    project_key: str
    id: str
    name: str
    type: str
    owner: str
    code_studio_id: str | None
    state: str = "STOPPED"  # STOPPED | STARTING | RUNNING
    backend_job: str | None = None  # the id of the backend's run, while it starts or runs
    started_ms: int | None = None
    stopped_ms: int | None = None
    generation: int = 0


class WebAppOps:
    """The webapps of every project (``by_project``) and their ``/projects/{pk}/webapps`` endpoints."""

    def __init__(self, core: Core, directory: Directory, futures: FutureRegistry) -> None:
        self._core = core
        self._directory = directory
        self._futures = futures
        self.by_project: dict[str, dict[str, WebApp]] = {}

    def _of_project(self, project_key: str) -> dict[str, WebApp]:
        self._directory.project(project_key)
        return self.by_project.setdefault(project_key, {})

    def webapp(self, project_key: str, webapp_id: str) -> WebApp:
        try:
            return self._of_project(project_key)[webapp_id]
        except KeyError:
            raise not_found(f"Webapp {webapp_id} not found in project {project_key}") from None

    def add_webapp(
        self,
        project_key: str,
        name: str,
        code_studio_id: str | None = None,
        running: bool = False,
        webapp_id: str | None = None,
        owner: str = "admin",
    ) -> str:
        """A webapp (published from ``code_studio_id`` when given), its backend running at once or stopped."""
        if not isinstance(name, str) or not isinstance(owner, str) or not owner:
            raise bad_request("name must be a string and owner a non-empty string")
        with self._core.lock:
            now = self._core.tick()
            apps = self._of_project(project_key)
            if webapp_id is None:
                webapp_id = self._core.fresh_id(A.new_webapp_id, apps)
            elif webapp_id in apps:
                raise bad_request(f"Webapp {webapp_id} already exists")
            kind = A.CODE_STUDIO_WEBAPP_TYPE if code_studio_id is not None else A.STANDARD_WEBAPP_TYPE
            app = apps[webapp_id] = WebApp(project_key, webapp_id, name, kind, owner, code_studio_id)
            if running:
                self._up(app, now)
            return webapp_id

    def webapp_ids(self, project_key: str) -> list[str]:
        with self._core.lock:
            return list(self._of_project(project_key))

    def list_webapps(self, project_key: str) -> list[dict[str, Any]]:
        with self._core.lock:
            self._core.tick()
            return [A.webapp_list_item(a.project_key, a.id, a.name, a.type, a.owner)
                    for a in self._of_project(project_key).values()]

    def webapp_settings(self, project_key: str, webapp_id: str) -> dict[str, Any]:
        with self._core.lock:
            app = self.webapp(project_key, webapp_id)
            return {"projectKey": app.project_key, "id": app.id, "name": app.name, "type": app.type,
                    "owner": app.owner, "params": A.webapp_params(app.code_studio_id), "tags": []}

    def backend_state(self, project_key: str, webapp_id: str) -> dict[str, Any]:
        with self._core.lock:
            now = self._core.tick()
            app = self.webapp(project_key, webapp_id)
            state: dict[str, Any] = {"projectKey": app.project_key, "webAppId": app.id}
            if app.backend_job is not None or app.stopped_ms is not None:
                state["futureInfo"] = A.webapp_future_info(
                    app.backend_job, app.state != "STOPPED", app.started_ms, app.stopped_ms, now
                )
            return state

    def _require_operator(self, app: WebApp, login: str) -> None:
        project_owner = self._directory.projects[app.project_key].owner
        if login not in (app.owner, project_owner) and not self._directory.is_admin(login):
            raise forbidden(f"Only the owner of webapp {app.id}, a project admin or an admin may do this")

    def stop_backend(self, project_key: str, webapp_id: str, login: str) -> None:
        with self._core.lock:
            now = self._core.tick()
            app = self.webapp(project_key, webapp_id)
            self._require_operator(app, login)
            self._down(app, now)

    def restart_backend(self, project_key: str, webapp_id: str, login: str) -> dict[str, Any]:
        with self._core.lock:
            now = self._core.tick()
            app = self.webapp(project_key, webapp_id)
            self._require_operator(app, login)
            self._down(app, now)
            end = now + self._core.duration_ms("start")
            fut = self._futures.add(Future(
                self._core.fresh_id(A.new_job_id, self._futures), login, f"Start webapp {app.name}",
                A.webapp_task_payload(app.project_key, app.id), now, [Stage("Starting webapp backend", now, end)],
            ))
            app.generation += 1
            gen, app.state, app.backend_job, app.started_ms = app.generation, "STARTING", fut.job_id, now

            def up(at: int) -> None:
                if app.generation == gen and app.state == "STARTING":
                    app.state = "RUNNING"
                    fut.complete(at)
                else:
                    fut.fail(at, A.ERR_ABORTED, "The webapp backend was stopped while it started", aborted=True)

            self._core.schedule(end, up)
            return fut.to_json(now, peek=True)

    def _up(self, app: WebApp, now: int) -> None:
        app.generation += 1
        app.state, app.started_ms, app.stopped_ms = "RUNNING", now, None
        app.backend_job = A.webapp_backend_job_id(app.id, app.generation)  # no random draw: scenarios stay stable

    def _down(self, app: WebApp, now: int) -> None:
        if app.state != "STOPPED":
            app.generation += 1
            app.state, app.stopped_ms = "STOPPED", now
