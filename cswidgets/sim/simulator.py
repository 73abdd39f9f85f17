"""The :class:`Simulator`: a model plus a threaded HTTP server, with helpers for tests/notebooks."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from .faults import DEFAULT_KINDS, FaultConfig, RequestRecord
from .model import Model
from .scenarios import SCENARIOS
from .server import HttpServer, SimApp
from .templates import DEFAULT_PORTS, DEFAULT_ZONES, PortSpec, ZoneSpec


class Simulator:
    """An offline DSS serving the Code Studios / templates / futures REST API on 127.0.0.1.

    Parameters
    ----------
    scenario:
        ``"demo"``, ``"scale"`` or ``"empty"`` (see :mod:`cswidgets.sim.scenarios`).
    api_key:
        The admin's key (login ``"admin"``). Other users' keys are derived from it (HMAC of the
        login, 32 hex digits: deterministic, but revealing neither ``api_key`` nor each other); get
        them from :attr:`keys` or :meth:`add_user`.
    seed:
        Seeds ids, names, file contents, commit hashes (same seed, same instance).
    latency_ms:
        Added to every API request (settable later through :attr:`latency_ms`).
    speed:
        Simulated time runs ``speed`` times faster than real time (0 freezes it; use
        :meth:`advance`).
    projects, studios:
        Only for ``scale``: number of projects, and total number of studios spread over them.
    epoch_ms:
        Simulated time at creation (default: the real time now); fix it for reproducible timestamps.
    durations:
        Simulated seconds of ``"start"``, ``"stop"`` and ``"build"`` (defaults 8, 3, 30).
    port:
        Port to bind on 127.0.0.1 (0: a free one).
    """

    def __init__(
        self,
        scenario: str = "demo",
        api_key: str = "k",
        seed: int = 0,
        latency_ms: float = 0,
        speed: float = 1.0,
        projects: int | None = None,
        studios: int | None = None,
        *,
        epoch_ms: int | None = None,
        durations: Mapping[str, float] | None = None,
        port: int = 0,
    ) -> None:
        if scenario not in SCENARIOS:
            raise ValueError(f"unknown scenario {scenario!r}; choose from {sorted(SCENARIOS)}")
        if not isinstance(api_key, str) or not api_key:
            raise ValueError("api_key must be a non-empty string")
        if scenario != "scale" and (projects is not None or studios is not None):
            raise ValueError("projects/studios only apply to the 'scale' scenario")
        self.scenario = scenario
        self.api_key = api_key
        # Built with time frozen, so the scenario's timestamps all derive from epoch_ms.
        self.model = Model(admin_key=api_key, seed=seed, speed=0, epoch_ms=epoch_ms, durations=durations)
        with self.model.lock:
            if scenario == "scale":
                SCENARIOS["scale"](
                    self.model, projects if projects is not None else 10, studios if studios is not None else 100
                )
            else:
                SCENARIOS[scenario](self.model)
            self.model.clock.speed = speed
        self.app = SimApp(self.model, latency_ms)
        self._port = port
        self._server: HttpServer | None = None

    def __repr__(self) -> str:
        where = self.url if self._server else "stopped"
        return f"<Simulator {self.scenario} {where}>"

    # ---- lifecycle --------------------------------------------------------------------------------

    def start(self) -> Simulator:
        """Start serving (no-op if already serving). Returns self."""
        if self._server is None:
            self.app.stop_event.clear()
            self._server = HttpServer(self.app, "127.0.0.1", self._port)
        return self

    def stop(self) -> None:
        """Stop serving: wake stalled requests, join the threads, free the port. Idempotent."""
        server, self._server = self._server, None
        if server is not None:
            server.stop()

    def __enter__(self) -> Simulator:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def url(self) -> str:
        """``http://127.0.0.1:PORT`` (no trailing slash, no API prefix)."""
        if self._server is None:
            raise RuntimeError("the simulator is not running; call start() or use it as a context manager")
        return f"http://127.0.0.1:{self._server.port}"

    @property
    def port(self) -> int:
        return int(self.url.rsplit(":", 1)[1])

    # ---- users, objects ------------------------------------------------------------------------------

    @property
    def keys(self) -> dict[str, str]:
        """``{login: api key}`` of every user (admin included)."""
        return self.model.keys()

    def add_user(self, login: str, key: str | None = None, admin: bool = False) -> str:
        """Add a user (key defaults to one derived from ``api_key`` and ``login``); returns the key."""
        return self.model.add_user(login, key, admin)

    def add_project(self, project_key: str, name: str | None = None, owner: str = "admin") -> str:
        self.model.add_project(project_key, name if name is not None else project_key, owner)
        return project_key

    def project_keys(self) -> list[str]:
        with self.model.lock:
            return list(self.model.projects)

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
        zone_specs = tuple(
            z if isinstance(z, ZoneSpec) else ZoneSpec(z) if isinstance(z, str) else ZoneSpec(*z) for z in zones
        )
        port_specs = tuple(p if isinstance(p, PortSpec) else PortSpec(*p) for p in ports)
        return self.model.add_template(
            label,
            type,
            template_id=template_id,
            zones=zone_specs,
            ports=port_specs,
            container_confs=container_confs,
            description=description,
        )

    def template_ids(self) -> list[str]:
        return self.model.template_ids()

    def fail_next_build(self, template_id: str, message: str = "Docker build failed") -> None:
        """The next build of ``template_id`` fails with ``message``."""
        self.model.fail_next_build(template_id, message)

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
        return self.model.add_studio(project_key, name, owner, template_id, state, studio_id)

    def studio_ids(self, project_key: str) -> list[str]:
        return self.model.studio_ids(project_key)

    def set_state(self, project_key: str, studio_id: str, state: str) -> str | None:
        """RUNNING/STOPPED at once (with the push/pull a start/stop does); STARTING/STOPPING begin
        a transition and return its future's job id."""
        return self.model.set_state(project_key, studio_id, state)

    def status(self, project_key: str, studio_id: str) -> dict[str, Any]:
        """What ``GET .../status`` would answer (nulls included)."""
        return self.model.studio_status(project_key, studio_id)

    def zone_ids(self, project_key: str, studio_id: str) -> dict[str, str]:
        """``{zone key: current zone id}`` (empty unless RUNNING)."""
        return self.model.zone_ids(project_key, studio_id)

    # ---- files ----------------------------------------------------------------------------------------

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
        self.model.write_file(project_key, studio_id, zone_id, path, text, side, author)

    def delete_file(
        self, project_key: str, studio_id: str, zone_id: str, path: str, side: str = "studio", author: str = "alice"
    ) -> None:
        self.model.delete_file(project_key, studio_id, zone_id, path, side, author)

    def read_files(self, project_key: str, studio_id: str, zone_id: str, side: str = "studio") -> dict[str, str]:
        """``{path: text}`` of one side of a zone (the studio side is empty unless RUNNING)."""
        return self.model.read_files(project_key, studio_id, zone_id, side)

    def history(self, project_key: str, studio_id: str, zone_id: str) -> list[dict[str, Any]]:
        """DSS-side commits of a zone, oldest first, each with ``hash``, ``author``, ``files``…"""
        return self.model.history(project_key, studio_id, zone_id)

    # ---- time --------------------------------------------------------------------------------------------

    def advance(self, seconds: float) -> None:
        """Move simulated time forward at once (and play what falls due)."""
        self.model.advance(seconds)

    def now_ms(self) -> int:
        return self.model.tick()

    @property
    def speed(self) -> float:
        return self.model.clock.speed

    @speed.setter
    def speed(self, value: float) -> None:
        with self.model.lock:
            self.model.tick()
            self.model.clock.speed = value

    # ---- latency, faults, request log ---------------------------------------------------------------

    @property
    def latency_ms(self) -> float:
        return self.app.latency_ms

    @latency_ms.setter
    def latency_ms(self, value: float) -> None:
        self.app.set_latency(value)

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
        ``path_contains``, matched against the decoded path after the API prefix)."""
        self.app.faults.configure(rate, kinds, stall_s, seed, methods, path_contains)

    def clear_faults(self) -> None:
        self.app.faults.clear()

    @property
    def faults(self) -> FaultConfig:
        return self.app.faults.config

    @property
    def requests(self) -> list[RequestRecord]:
        """API requests received so far (control routes excluded), oldest first."""
        return self.app.log.snapshot()

    def clear_requests(self) -> None:
        self.app.log.clear()
