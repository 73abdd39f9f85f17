"""Code studio templates: settings as DSS sends them, plus what the simulator needs to run studios
(zones to synchronise, ports to expose) and build bookkeeping."""

from __future__ import annotations

import copy
import io
import json
import zipfile
from dataclasses import dataclass, field
from typing import Any

from .. import assumptions as A
from ..errors import bad_request, not_found
from .core import Core
from .directory import Directory
from .futures import Future, FutureRegistry, Stage


@dataclass(frozen=True)
class ZoneSpec:
    """A zone a template synchronises: its stable key (see ``assumptions.ZONE_KEYS``)."""

    key: str
    one_way: bool = False


@dataclass(frozen=True)
class PortSpec:
    label: str
    port: int
    html: bool = True


#: The zones DSS synchronises by default (SEEN docs/dss-api.md §10 "Default zones": seven in the developer
#: guide, plus ``notebooks`` from the operations page). ``project-lib-resources`` is one-way here: UNKNOWN
#: (no source says so either way; kept from the first build).
DEFAULT_ZONES: tuple[ZoneSpec, ...] = (
    ZoneSpec(A.ZONE_PROJECT_LIB_VERSIONED),
    ZoneSpec(A.ZONE_PROJECT_LIB_RESOURCES, one_way=True),
    ZoneSpec(A.ZONE_RECIPES),
    ZoneSpec(A.ZONE_NOTEBOOKS),
    ZoneSpec(A.ZONE_STUDIO_VERSIONED),
    ZoneSpec(A.ZONE_STUDIO_RESOURCES),
    ZoneSpec(A.ZONE_USER_VERSIONED),
    ZoneSpec(A.ZONE_USER_RESOURCES),
)
DEFAULT_PORTS: tuple[PortSpec, ...] = (PortSpec("VS Code", 8080),)


@dataclass
class Template:
    """A template. ``settings`` is the raw dict DSS would send (replaced whole by a PUT)."""

    id: str
    settings: dict[str, Any]
    zones: tuple[ZoneSpec, ...] = DEFAULT_ZONES
    ports: tuple[PortSpec, ...] = DEFAULT_PORTS
    last_built_ms: int | None = None
    built_for: list[str] = field(default_factory=list)
    fail_next: list[str] = field(default_factory=list)  # scripted failure messages, FIFO

    @classmethod
    def create(
        cls,
        template_id: str,
        label: str,
        type_: str,
        owner: str,
        *,
        description: str = "",
        icon: str = "fas fa-code",
        container_confs: list[str] | None = None,
        zones: tuple[ZoneSpec, ...] = DEFAULT_ZONES,
        ports: tuple[PortSpec, ...] = DEFAULT_PORTS,
    ) -> Template:
        settings: dict[str, Any] = {
            "id": template_id,
            "type": type_,
            "label": label,
            "icon": icon,
            "tags": [],
            "shortDesc": description,
            "isEditor": False,
            "owner": owner,
            "defaultPermission": {},
            "permissions": [],
            "defaultContainerConf": (container_confs or [None])[0],
            "allowContainerConfOverride": True,
            "allContainerConfs": container_confs is None,
            "containerConfs": list(container_confs or []),
            "params": {
                "blocks": [
                    {"type": "file_sync", "params": {"zones": [{"zone": z.key, "oneWay": z.one_way} for z in zones]}}
                ]
                if type_ == "block_based"
                else {}
            },
        }
        return cls(template_id, settings, zones, ports)

    @property
    def label(self) -> str:
        label = self.settings.get("label")
        return label if isinstance(label, str) else self.id

    def confs_to_build(self, all_confs: list[str]) -> list[str]:
        if self.settings.get("allContainerConfs", False):
            return list(all_confs)
        return [c for c in self.settings.get("containerConfs") or [] if isinstance(c, str)]

    def list_item(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "label": self.label,
            "type": self.settings.get("type"),
            "buildFor": list(self.built_for),
            "lastBuilt": self.last_built_ms,
            "desc": self.desc(),
        }

    def desc(self) -> dict[str, Any]:
        """The ``desc`` object of code studio list items (``assumptions.template_desc``)."""
        return A.template_desc(self.label, self.settings.get("shortDesc", ""))

    def get_settings(self) -> dict[str, Any]:
        return copy.deepcopy(self.settings)

    def replace_settings(self, body: Any) -> None:
        """PUT: validate the types the client writes, keep the path's id."""
        if not isinstance(body, dict):
            raise bad_request("Template settings must be a JSON object")
        if not isinstance(body.get("allContainerConfs", False), bool):
            raise bad_request("allContainerConfs must be a boolean")
        confs = body.get("containerConfs", [])
        if not isinstance(confs, list) or not all(isinstance(c, str) for c in confs):
            raise bad_request("containerConfs must be a list of strings")
        label = body.get("label", self.label)
        if not isinstance(label, str):
            raise bad_request("label must be a string")
        self.settings = {**copy.deepcopy(body), "id": self.id}


class TemplateOps:
    """Templates (``by_id``), their ``/admin/code-studios`` endpoints and builds.

    ``container_confs`` are the instance's container configurations: what a template set to
    "all container configurations" is built for.
    """

    def __init__(self, core: Core, directory: Directory, futures: FutureRegistry) -> None:
        self._core = core
        self._directory = directory
        self._futures = futures
        self.by_id: dict[str, Template] = {}
        self.container_confs: list[str] = ["k8s-default"]

    def template(self, template_id: str) -> Template:
        try:
            return self.by_id[template_id]
        except KeyError:
            raise not_found(f"Code studio template {template_id} not found") from None

    def template_ids(self) -> list[str]:
        with self._core.lock:
            return list(self.by_id)

    def add_template(
        self,
        label: str,
        type_: str = "block_based",
        *,
        template_id: str | None = None,
        owner: str = "admin",
        description: str = "",
        container_confs: list[str] | None = None,
        zones: tuple[ZoneSpec, ...] = DEFAULT_ZONES,
        ports: tuple[PortSpec, ...] = DEFAULT_PORTS,
    ) -> str:
        """Create a template (any label string accepted); returns its id."""
        if not isinstance(label, str) or not isinstance(type_, str):
            raise bad_request("label and type must be strings")
        with self._core.lock:
            if template_id is None:
                template_id = self._core.fresh_id(lambda rng: A.new_template_id(rng, label), self.by_id)
            elif template_id in self.by_id:
                raise bad_request(f"Code studio template {template_id} already exists")
            self.by_id[template_id] = Template.create(
                template_id,
                label,
                type_,
                owner,
                description=description,
                container_confs=container_confs,
                zones=zones,
                ports=ports,
            )
            return template_id

    def list_templates(self, login: str) -> list[dict[str, Any]]:
        self._directory.require_admin(login)
        with self._core.lock:
            self._core.tick()
            return [t.list_item() for t in self.by_id.values()]

    def template_settings(self, template_id: str, login: str) -> dict[str, Any]:
        self._directory.require_admin(login)
        with self._core.lock:
            return self.template(template_id).get_settings()

    def save_template(self, template_id: str, body: Any, login: str) -> None:
        self._directory.require_admin(login)
        with self._core.lock:
            self.template(template_id).replace_settings(body)

    def create_template(self, body: Any, login: str) -> dict[str, Any]:
        self._directory.require_admin(login)
        if (
            not isinstance(body, dict)
            or not isinstance(body.get("label"), str)
            or not isinstance(body.get("type"), str)
        ):
            raise bad_request('Expected a JSON body {"label": <string>, "type": <string>}')
        template_id = self.add_template(body["label"], body["type"], owner=login)
        return {"id": template_id, "messages": A.info_messages()}

    def delete_template(
        self, template_id: str, login: str, *, runtimes_stopped: int | None = None, delete_images: bool = False
    ) -> dict[str, Any]:
        """Delete a template; ``runtimes_stopped`` (with ``deleteRuntime``) and ``delete_images`` only add
        their messages (A.template_deletion_messages)."""
        self._directory.require_admin(login)
        with self._core.lock:
            now = self._core.tick()
            tpl = self.template(template_id)
            del self.by_id[template_id]
            for fut in self._futures.all():
                if fut.alive and fut.payload.get("templateId") == template_id:
                    fut.fail(now, A.ERR_ABORTED, "Template deleted", aborted=True)
            return A.info_messages(
                A.template_deletion_messages(template_id, runtimes_stopped, delete_images and bool(tpl.built_for))
            )

    def fail_next_build(self, template_id: str, message: str = "Docker build failed") -> None:
        """Make the next build of ``template_id`` fail (during "Building image") with ``message``."""
        with self._core.lock:
            self.template(template_id).fail_next.append(str(message))

    def build_template(self, template_id: str, no_cache: bool, login: str) -> dict[str, Any]:
        self._directory.require_admin(login)
        with self._core.lock:
            now = self._core.tick()
            tpl = self.template(template_id)
            total = int(self._core.duration_ms("build") * (A.NO_CACHE_BUILD_FACTOR if no_cache else 1.0))
            a, b = now + total // 10, now + (total * 8) // 10
            stages = [
                Stage("Preparing build context", now, a),
                Stage("Building image", a, b),
                Stage("Pushing image", b, now + total, unit="SIZE", size=self._core.rng.randrange(300, 1200) * 2**20),
            ]
            job_id = self._core.fresh_id(A.new_job_id, self._futures)
            payload = {
                "action": "build-code-studio-template",
                "templateId": template_id,
                "withNoCache": no_cache,
                "targets": [{"objectType": "CODE_STUDIO_TEMPLATE", "id": template_id}],
            }
            fut = self._futures.add(
                Future(job_id, login, f"Build code studio template {tpl.label}", payload, now, stages)
            )
            failure = tpl.fail_next.pop(0) if tpl.fail_next else None
            if failure is not None:
                self._core.schedule(b, lambda at: fut.fail(at, A.ERR_BUILD_FAILED, failure))
            else:
                self._core.schedule(now + total, lambda at: self._finish_build(tpl, fut, no_cache, at))
            return fut.to_json(now, peek=True)

    def _finish_build(self, tpl: Template, fut: Future, no_cache: bool, at: int) -> None:
        if not fut.alive:
            return
        if self.by_id.get(tpl.id) is not tpl:
            fut.fail(at, A.ERR_ABORTED, "Template deleted", aborted=True)
            return
        tpl.last_built_ms, tpl.built_for = at, tpl.confs_to_build(self.container_confs)
        fut.complete(at, A.build_result(tpl.id, list(tpl.built_for), no_cache))

    def export_template(self, template_id: str, login: str) -> bytes:
        """A zip holding ``template.json`` (the settings) — the simulator's export format."""
        self._directory.require_admin(login)
        with self._core.lock:
            tpl = self.template(template_id)
            doc = {
                "settings": tpl.get_settings(),
                "zones": [{"zone": z.key, "oneWay": z.one_way} for z in tpl.zones],
                "ports": [{"label": p.label, "port": p.port, "html": p.html} for p in tpl.ports],
            }
        buf = io.BytesIO()
        # A fixed entry date: the same settings export to the same bytes (a clock-stamped entry made two exports
        # a second apart differ, and the official client's export looked different from ours under load).
        entry = zipfile.ZipInfo("template.json", date_time=(1980, 1, 1, 0, 0, 0))
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
            zf.writestr(entry, json.dumps(doc, ensure_ascii=False), compress_type=zipfile.ZIP_DEFLATED)
        return buf.getvalue()

    def import_template(
        self, data: bytes, label: str | None, login: str, import_spec: str | None = None
    ) -> dict[str, Any]:
        """Create a template from an exported archive; ``import_spec`` must be a JSON object if given
        (its content is ignored: A.IMPORT_SPEC_IGNORED)."""
        self._directory.require_admin(login)
        if import_spec is not None:
            try:
                spec = json.loads(import_spec)
            except ValueError:
                spec = None
            if not isinstance(spec, dict):
                raise bad_request("importSpec must be a JSON object")
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                doc = json.loads(zf.read("template.json").decode("utf-8"))
            settings = doc["settings"]
            zones = tuple(ZoneSpec(z["zone"], bool(z["oneWay"])) for z in doc["zones"])
            ports = tuple(PortSpec(p["label"], int(p["port"]), bool(p["html"])) for p in doc["ports"])
        except (zipfile.BadZipFile, KeyError, TypeError, ValueError) as exc:
            raise bad_request(f"Not a template archive: {exc}") from None
        with self._core.lock:
            new_label = label if label is not None else settings.get("label", "imported")
            template_id = self.add_template(
                new_label, settings.get("type", "manual"), owner=login, zones=zones, ports=ports
            )
            tpl = self.by_id[template_id]
            tpl.replace_settings({**settings, "label": new_label})
            return {
                "id": template_id,
                "messages": A.info_messages(
                    [A.info_message("INFO_TEMPLATE_IMPORTED", "Template imported", f"Imported as {template_id}")]
                ),
            }
