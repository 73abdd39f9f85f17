"""Injected faults (seeded, switchable at run time) and the log of API requests.

Fault kinds:

- ``"500"``: answer HTTP 500 with a DSS error body, without running the operation;
- ``"reset"``: drop the TCP connection (RST) without any HTTP answer, without running the operation;
- ``"stall"``: wait ``stall_s`` seconds, then run the operation and answer normally;
- ``"reset_after"`` (opt-in): run the operation, then drop the connection, so the client cannot
  know that it happened (the case retry policies must get right).
"""

from __future__ import annotations

import random
import threading
from collections import deque
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field, fields
from typing import Any

FAULT_KINDS = ("500", "reset", "stall", "reset_after")
DEFAULT_KINDS = ("500", "reset", "stall")


def as_names(value: Iterable[str]) -> tuple[str, ...]:
    """Fault kinds or HTTP methods as a tuple; a lone string is one name (not its characters)."""
    return (value,) if isinstance(value, str) else tuple(value)


@dataclass(frozen=True)
class RequestRecord:
    """One API request as the simulator saw it.

    ``path`` is the decoded path after the API prefix (e.g. ``/projects/P/code-studios/x/status``),
    ``raw_path`` the same still percent-encoded; ``query`` the decoded query; ``login`` the
    authenticated user (None when authentication failed); ``status`` the HTTP status sent, or
    ``"reset"`` / ``"stall"`` when that fault hit the request; ``fault`` the injected fault kind
    (None if none); ``http_status`` the status actually sent (None for a reset).
    """

    method: str
    path: str
    query: dict[str, str]
    login: str | None
    status: int | str
    fault: str | None = None
    http_status: int | None = None
    raw_path: str = ""
    time_ms: int = 0
    extra: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        record = {f.name: getattr(self, f.name) for f in fields(self)}
        return {**record, "query": dict(self.query), "extra": dict(self.extra)}


class RequestLog:
    """Thread-safe bounded log of :class:`RequestRecord` (oldest dropped beyond ``maxlen``)."""

    def __init__(self, maxlen: int = 100_000) -> None:
        self._lock = threading.Lock()
        self._records: deque[RequestRecord] = deque(maxlen=maxlen)

    def add(self, record: RequestRecord) -> None:
        with self._lock:
            self._records.append(record)

    def snapshot(self) -> list[RequestRecord]:
        with self._lock:
            return list(self._records)

    def clear(self) -> None:
        with self._lock:
            self._records.clear()


@dataclass(frozen=True)
class FaultConfig:
    """Which API requests get a fault: a share ``rate`` of those whose method is in ``methods``
    (any if None) and whose decoded path contains ``path_contains`` (any if None); each gets one
    of ``kinds`` at random (seeded by ``seed``); a stall lasts ``stall_s`` seconds.

    Validated and normalised on creation (ValueError): kinds as a tuple of :data:`FAULT_KINDS`, a
    lone string being one kind; methods upper-case.
    """

    rate: float = 0.0
    kinds: tuple[str, ...] = DEFAULT_KINDS
    stall_s: float = 5.0
    seed: int = 0
    methods: tuple[str, ...] | None = None
    path_contains: str | None = None

    def __post_init__(self) -> None:
        kinds = as_names(self.kinds)
        bad = [k for k in kinds if k not in FAULT_KINDS]
        if bad or not kinds:
            raise ValueError(f"fault kinds must be a non-empty subset of {FAULT_KINDS}, got {kinds}")
        if not 0.0 <= float(self.rate) <= 1.0:
            raise ValueError("rate must be between 0 and 1")
        if float(self.stall_s) < 0:
            raise ValueError("stall_s must be >= 0")
        methods = tuple(m.upper() for m in as_names(self.methods)) if self.methods is not None else None
        normal = {
            "rate": float(self.rate),
            "kinds": kinds,
            "stall_s": float(self.stall_s),
            "seed": int(self.seed),
            "methods": methods,
        }
        for name, value in normal.items():
            object.__setattr__(self, name, value)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


class FaultInjector:
    """Decides, per request, whether a fault hits it. Seeded: the same sequence of eligible
    requests gets the same faults."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.config = FaultConfig()
        self._rng = random.Random(0)

    def configure(self, config: FaultConfig) -> None:
        with self._lock:
            self.config = config
            self._rng = random.Random(config.seed)

    def clear(self) -> None:
        self.configure(FaultConfig())

    def draw(self, method: str, path: str) -> tuple[str | None, float]:
        """The fault kind for this request (or None) and the stall duration."""
        with self._lock:
            c = self.config
            if c.rate <= 0.0:
                return None, 0.0
            if c.methods is not None and method.upper() not in c.methods:
                return None, 0.0
            if c.path_contains is not None and c.path_contains not in path:
                return None, 0.0
            if self._rng.random() >= c.rate:
                return None, 0.0
            return self._rng.choice(c.kinds), c.stall_s
