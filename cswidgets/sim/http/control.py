"""The simulator's helpers, run against a model and its HTTP app: :class:`Controls`, and the HTTP
control routes that serve them to another process.

Every helper of :class:`~cswidgets.sim.protocol.SimulatorAPI` sends one operation; :class:`Controls`
has one method per operation, taking its arguments by keyword as JSON would carry them and
answering a JSON-able value. :class:`~cswidgets.sim.Simulator` calls it directly; the routes:

======  ==========================  =========================================================
GET     /__sim__/health             ``{"ok": true}`` (what clients probe to detect the simulator)
POST    /__sim__/<operation>        body: the arguments as a JSON object → ``{"result": ...}``
======  ==========================  =========================================================

Every route needs the admin's key (Basic, Bearer or ``X-DKU-APITicket``); control routes get no
latency or faults and are not in the request log. An unknown operation answers 404; malformed
arguments 400; errors of the model their own status.
"""

from __future__ import annotations

import inspect
from typing import TYPE_CHECKING, Any

from werkzeug.wrappers import Request

from ..errors import bad_request, not_found
from ..faults import FaultConfig
from ..model import Model, PortSpec, ZoneSpec

if TYPE_CHECKING:
    from .app import SimApp


class Controls:
    """One method per helper operation (see the module docstring); arguments are JSON values."""

    def __init__(self, model: Model, app: SimApp) -> None:
        self._model = model
        self._app = app

    # ---- users, projects ------------------------------------------------------------------------

    def health(self) -> bool:
        return True

    def keys(self) -> dict[str, str]:
        return self._model.keys()

    def add_user(self, login: str, key: str | None, admin: bool) -> str:
        return self._model.add_user(login, key, bool(admin))

    def add_project(self, project_key: str, name: str | None, owner: str) -> str:
        self._model.add_project(project_key, name if name is not None else project_key, owner)
        return project_key

    def project_keys(self) -> list[str]:
        return self._model.project_keys()

    # ---- templates ------------------------------------------------------------------------------

    def add_template(
        self,
        label: str,
        type: str,
        template_id: str | None,
        zones: list[Any],
        ports: list[Any],
        container_confs: list[str] | None,
        description: str,
    ) -> str:
        return self._model.add_template(
            label,
            type,
            template_id=template_id,
            zones=tuple(ZoneSpec(z) if isinstance(z, str) else ZoneSpec(*z) for z in zones),
            ports=tuple(PortSpec(*p) for p in ports),
            container_confs=list(container_confs) if container_confs is not None else None,
            description=description,
        )

    def template_ids(self) -> list[str]:
        return self._model.template_ids()

    def fail_next_build(self, template_id: str, message: str) -> None:
        self._model.fail_next_build(template_id, message)

    # ---- studios --------------------------------------------------------------------------------

    def add_studio(
        self, project_key: str, name: str, owner: str, template_id: str, state: str, studio_id: str | None
    ) -> str:
        return self._model.add_studio(project_key, name, owner, template_id, state, studio_id=studio_id)

    def studio_ids(self, project_key: str) -> list[str]:
        return self._model.studio_ids(project_key)

    def set_state(self, project_key: str, studio_id: str, state: str) -> str | None:
        return self._model.set_state(project_key, studio_id, state)

    def status(self, project_key: str, studio_id: str) -> dict[str, Any]:
        return self._model.studio_status(project_key, studio_id)

    def zone_ids(self, project_key: str, studio_id: str) -> dict[str, str]:
        return self._model.zone_ids(project_key, studio_id)

    # ---- zone files -----------------------------------------------------------------------------

    def write_file(
        self, project_key: str, studio_id: str, zone_id: str, path: str, text: str, side: str, author: str
    ) -> None:
        self._model.write_file(project_key, studio_id, zone_id, path, text, side, author)

    def delete_file(self, project_key: str, studio_id: str, zone_id: str, path: str, side: str, author: str) -> None:
        self._model.delete_file(project_key, studio_id, zone_id, path, side, author)

    def read_files(self, project_key: str, studio_id: str, zone_id: str, side: str) -> dict[str, str]:
        return self._model.read_files(project_key, studio_id, zone_id, side)

    def history(self, project_key: str, studio_id: str, zone_id: str) -> list[dict[str, Any]]:
        return self._model.history(project_key, studio_id, zone_id)

    # ---- time -----------------------------------------------------------------------------------

    def advance(self, seconds: float) -> int:
        return self._model.advance(float(seconds))

    def now_ms(self) -> int:
        return self._model.tick()

    def speed(self) -> float:
        return self._model.clock.speed

    def set_speed(self, speed: float) -> None:
        with self._model.lock:
            self._model.tick()  # what fell due at the old speed happens first
            self._model.clock.speed = float(speed)

    # ---- the open questions about DSS, as switches ----------------------------------------------

    def sync_model(self) -> str:
        return self._model.sync_model

    def set_sync_model(self, sync_model: str) -> None:
        self._model.sync_model = sync_model

    def consume_futures(self) -> bool:
        return self._model.consume_futures

    def set_consume_futures(self, consume_futures: bool) -> None:
        self._model.consume_futures = consume_futures

    # ---- latency, faults, request log -----------------------------------------------------------

    def latency_ms(self) -> float:
        return self._app.latency_ms

    def set_latency(self, latency_ms: float) -> None:
        self._app.set_latency(latency_ms)

    def set_faults(
        self,
        rate: float,
        kinds: list[str] | str,
        stall_s: float,
        seed: int,
        methods: list[str] | str | None,
        path_contains: str | None,
    ) -> None:
        self._app.faults.configure(FaultConfig(rate, kinds, stall_s, seed, methods, path_contains))

    def clear_faults(self) -> None:
        self._app.faults.clear()

    def faults(self) -> dict[str, Any]:
        return self._app.faults.config.to_json()

    def requests(self) -> list[dict[str, Any]]:
        return [r.to_json() for r in self._app.log.snapshot()]

    def clear_requests(self) -> None:
        self._app.log.clear()

    # ---- dispatch -------------------------------------------------------------------------------

    def run(self, operation: str, arguments: dict[str, Any]) -> Any:
        """Run ``operation``; an unknown one is a SimError 404."""
        method = getattr(self, operation, None) if operation in OPERATIONS else None
        if method is None:
            raise not_found(f"No control operation {operation!r}")
        return method(**arguments)


#: The operation names: every public method of :class:`Controls` except ``run``.
OPERATIONS = frozenset(
    name for name, _ in inspect.getmembers(Controls, inspect.isfunction) if not name.startswith("_") and name != "run"
)


def handle_control(app: SimApp, method: str, segs: list[str], request: Request) -> tuple[int, Any]:
    """Serve one control route (the caller authenticated an admin); returns (status, JSON body)."""
    if len(segs) == 1 and method == "GET" and segs[0] == "health":
        return 200, {"ok": True}
    if len(segs) != 1 or method != "POST":
        raise not_found(f"No control route {method} /__sim__/{'/'.join(segs)}")
    body = request.get_json(force=True, silent=True) if request.get_data(cache=True).strip() else {}
    if not isinstance(body, dict):
        raise bad_request("Expected a JSON object of arguments")
    try:
        return 200, {"result": app.controls.run(segs[0], body)}
    except (TypeError, ValueError) as exc:
        raise bad_request(str(exc)) from None
