"""The helpers every simulator offers, whether it runs in this process or in another one.

:class:`SimulatorAPI` defines each helper once -- name, parameters, defaults, documentation -- for
both :class:`~cswidgets.sim.Simulator` (in process) and :class:`~cswidgets.sim.RemoteSimulator`
(over HTTP). Calling a helper turns its arguments into a JSON-able ``{name: value}`` dict and
hands ``(operation, arguments)`` to the subclass's ``_control``:

- :class:`~cswidgets.sim.Simulator` runs it on its :class:`~cswidgets.sim.http.control.Controls`;
- :class:`~cswidgets.sim.RemoteSimulator` posts it to ``/__sim__/<operation>``, where the server runs
  it on the same :class:`~cswidgets.sim.http.control.Controls`.

So both answer the same values. Errors are :class:`~cswidgets.sim.SimError` either way, except
malformed arguments: ``ValueError``/``TypeError`` in process, ``SimError`` 400 over HTTP.
"""

from __future__ import annotations

import dataclasses
import functools
import inspect
from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeVar

from .faults import DEFAULT_KINDS, FaultConfig, RequestRecord
from .model.templates import DEFAULT_PORTS, DEFAULT_ZONES, PortSpec, ZoneSpec

F = TypeVar("F", bound=Callable[..., Any])


def jsonable(value: Any) -> Any:
    """``value`` as JSON would carry it: dataclasses (ZoneSpec, PortSpec...) and any iterable
    other than a string become lists, mappings become dicts."""
    if value is None or isinstance(value, (str, bytes, bool, int, float)):
        return value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return [jsonable(v) for v in dataclasses.astuple(value)]
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, Iterable):
        return [jsonable(v) for v in value]
    return value


def operation(fn: F) -> F:
    """Make ``fn`` (a signature and a docstring; its body is never run) the helper that sends its
    bound arguments, defaults applied, as operation ``fn.__name__``."""
    signature = inspect.signature(fn)
    name = fn.__name__

    @functools.wraps(fn)
    def call(self: SimulatorAPI, *args: Any, **kwargs: Any) -> Any:
        bound = signature.bind(self, *args, **kwargs)
        bound.apply_defaults()
        arguments = {k: jsonable(v) for k, v in bound.arguments.items() if k != "self"}
        return self._control(name, arguments)

    call.operation = name  # type: ignore[attr-defined]
    return call  # type: ignore[return-value]


class SimulatorAPI:
    """The helpers of a simulator (see the module docstring). Subclasses implement ``_control``."""

    def _control(self, operation: str, arguments: dict[str, Any]) -> Any:
        """Run ``operation`` with JSON-able keyword ``arguments``; return its JSON-able answer."""
        raise NotImplementedError

    # ---- users, projects ------------------------------------------------------------------------

    @operation
    def health(self) -> bool:
        """True when the simulator answers (a remote one raises SimError when the key is wrong)."""

    @property
    def keys(self) -> dict[str, str]:
        """``{login: api key}`` of every user (admin included)."""
        return self._control("keys", {})

    @operation
    def add_user(self, login: str, key: str | None = None, admin: bool = False) -> str:
        """Add a user (key defaults to one derived from the admin's key and ``login``); returns the key."""

    @operation
    def add_project(self, project_key: str, name: str | None = None, owner: str = "admin") -> str:
        """Add a project (named ``project_key`` unless ``name`` is given); returns its key."""

    @operation
    def project_keys(self) -> list[str]:
        """Keys of every project."""

    # ---- templates ------------------------------------------------------------------------------

    @operation
    def add_template(
        self,
        label: str,
        type: str = "block_based",
        *,
        template_id: str | None = None,
        zones: Iterable[ZoneSpec | tuple[str, bool] | str] = DEFAULT_ZONES,
        ports: Iterable[PortSpec | tuple[str, int]] = DEFAULT_PORTS,
        container_confs: list[str] | None = None,
        description: str = "",
    ) -> str:
        """Add a template; zones as ZoneSpec, ``(key, one_way)`` or key; returns its id."""

    @operation
    def template_ids(self) -> list[str]:
        """Ids of every template."""

    @operation
    def fail_next_build(self, template_id: str, message: str = "Docker build failed") -> None:
        """The next build of ``template_id`` fails (during "Building image") with ``message``."""

    # ---- studios --------------------------------------------------------------------------------

    @operation
    def add_studio(
        self,
        project_key: str,
        name: str,
        owner: str,
        template_id: str,
        state: str = "STOPPED",
        *,
        studio_id: str | None = None,
    ) -> str:
        """Add a studio (any name/owner strings; ``studio_id`` defaults to a random id) in
        ``state``; returns its id."""

    @operation
    def studio_ids(self, project_key: str) -> list[str]:
        """Ids of the studios of a project."""

    @operation
    def set_state(self, project_key: str, studio_id: str, state: str) -> str | None:
        """RUNNING/STOPPED at once (with the push/pull a start/stop does); STARTING/STOPPING begin
        a transition and return its future's job id."""

    @operation
    def status(self, project_key: str, studio_id: str) -> dict[str, Any]:
        """What ``GET .../status`` would answer (nulls included)."""

    @operation
    def zone_ids(self, project_key: str, studio_id: str) -> dict[str, str]:
        """``{zone key: current zone id}`` (empty unless RUNNING)."""

    # ---- zone files -----------------------------------------------------------------------------

    @operation
    def write_file(
        self,
        project_key: str,
        studio_id: str,
        zone_id: str,
        path: str,
        text: str,
        side: str = "studio",
        author: str = "alice",
    ) -> None:
        """Write a file on the studio side (RUNNING only) or the DSS side (a new commit by
        ``author``). ``zone_id`` is a zone key (e.g. ``"project-lib-versioned"``) or a current
        zone id."""

    @operation
    def delete_file(
        self, project_key: str, studio_id: str, zone_id: str, path: str, side: str = "studio", author: str = "alice"
    ) -> None:
        """Delete a file on the studio side (RUNNING only) or the DSS side (a new commit)."""

    @operation
    def read_files(self, project_key: str, studio_id: str, zone_id: str, side: str = "studio") -> dict[str, str]:
        """``{path: text}`` of one side of a zone (the studio side is empty unless RUNNING)."""

    @operation
    def history(self, project_key: str, studio_id: str, zone_id: str) -> list[dict[str, Any]]:
        """DSS-side commits of a zone, oldest first, each with ``hash``, ``author``, ``files``..."""

    # ---- webapps --------------------------------------------------------------------------------

    @operation
    def add_webapp(
        self,
        project_key: str,
        name: str,
        code_studio_id: str | None = None,
        running: bool = False,
        *,
        webapp_id: str | None = None,
    ) -> str:
        """Add a webapp to a project: published from the code studio ``code_studio_id`` when given (marked as
        ``assumptions.CODE_STUDIO_WEBAPP_TYPE``), a plain ``STANDARD`` one otherwise; its backend running at once
        or stopped. Returns its id."""

    @operation
    def webapp_ids(self, project_key: str) -> list[str]:
        """The ids of a project's webapps."""

    # ---- time -----------------------------------------------------------------------------------

    @operation
    def advance(self, seconds: float) -> int:
        """Move simulated time forward at once (and play what falls due); returns the new time (ms)."""

    @operation
    def now_ms(self) -> int:
        """The simulated time (epoch ms)."""

    @property
    def speed(self) -> float:
        """Simulated time runs ``speed`` times faster than real time (0 freezes it)."""
        return self._control("speed", {})

    @speed.setter
    def speed(self, value: float) -> None:
        self._control("set_speed", {"speed": value})

    # ---- the open questions about DSS, as switches ----------------------------------------------

    @property
    def sync_model(self) -> str:
        """How a pull writes the DSS zone: ``"merge"`` or ``"mirror"`` (see ``Simulator``)."""
        return self._control("sync_model", {})

    @sync_model.setter
    def sync_model(self, value: str) -> None:
        self._control("set_sync_model", {"sync_model": value})

    @property
    def consume_futures(self) -> bool:
        """Whether the first non-peek read of a finished future takes it."""
        return self._control("consume_futures", {})

    @consume_futures.setter
    def consume_futures(self, value: bool) -> None:
        self._control("set_consume_futures", {"consume_futures": value})

    # ---- latency, faults, request log -----------------------------------------------------------

    @property
    def latency_ms(self) -> float:
        """Milliseconds added to every API request."""
        return self._control("latency_ms", {})

    @latency_ms.setter
    def latency_ms(self, value: float) -> None:
        self.set_latency(value)

    @operation
    def set_latency(self, latency_ms: float) -> None:
        """Add ``latency_ms`` to every API request from now on."""

    @operation
    def set_faults(
        self,
        rate: float = 0.0,
        kinds: Iterable[str] = DEFAULT_KINDS,
        stall_s: float = 5.0,
        seed: int = 0,
        methods: Iterable[str] | None = None,
        path_contains: str | None = None,
    ) -> None:
        """Inject faults into a share ``rate`` of API requests (filtered by ``methods`` and
        ``path_contains``, matched against the decoded path after the API prefix). See
        :class:`~cswidgets.sim.faults.FaultConfig`."""

    @operation
    def clear_faults(self) -> None:
        """No more injected faults."""

    @property
    def faults(self) -> FaultConfig:
        """The current fault configuration."""
        return FaultConfig(**self._control("faults", {}))

    @property
    def requests(self) -> list[RequestRecord]:
        """API requests received so far (control routes excluded), oldest first."""
        return [RequestRecord(**r) for r in self._control("requests", {})]

    @operation
    def clear_requests(self) -> None:
        """Forget the requests received so far."""

