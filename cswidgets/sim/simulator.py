"""The :class:`Simulator`: a model plus a threaded HTTP server, with helpers for tests/notebooks."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from . import assumptions as A
from .http.app import SimApp
from .http.httpd import HttpServer
from .model import Model
from .protocol import SimulatorAPI
from .scenarios import SCENARIOS


class Simulator(SimulatorAPI):
    """An offline DSS serving the Code Studios / templates / futures REST API on 127.0.0.1.

    Its helpers (``write_file``, ``set_state``, ``set_faults``, ``advance``...) are those of
    :class:`~cswidgets.sim.protocol.SimulatorAPI`, shared with
    :class:`~cswidgets.sim.RemoteSimulator`; ``model`` is the simulated instance itself.

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
    sync_model:
        How a pull writes the DSS zone: ``"merge"`` (default: the studio's changes since the last
        sync are applied, DSS-only changes stay) or ``"mirror"`` (the studio's copy replaces the
        DSS zone). See ``cswidgets.sim.assumptions.SYNC_MODELS``. Settable later.
    consume_futures:
        Whether the first non-peek read of a finished future takes it (default True; later reads
        answer as for an unknown future). Settable later.
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
        sync_model: str = A.DEFAULT_SYNC_MODEL,
        consume_futures: bool = A.DEFAULT_CONSUME_FUTURES,
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
        self.model = Model(
            admin_key=api_key,
            seed=seed,
            speed=0,
            epoch_ms=epoch_ms,
            durations=durations,
            sync_model=sync_model,
            consume_futures=consume_futures,
        )
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

    def _control(self, operation: str, arguments: dict[str, Any]) -> Any:
        return self.app.controls.run(operation, arguments)
