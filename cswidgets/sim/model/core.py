"""What every part of the model shares: one lock, the simulated clock, the seeded random source,
the simulated durations and the queue of scheduled events.

Every collaborator of :class:`~cswidgets.sim.model.Model` is given the :class:`Core` explicitly.
``sync_model`` (how a pull writes the DSS zone) and ``consume_futures`` (whether the first
non-peek read of a finished future takes it) are the open questions about DSS, as switches
(``assumptions.SYNC_MODELS``, ``assumptions.DEFAULT_CONSUME_FUTURES``).

The locking rule: every public operation takes ``core.lock`` (re-entrant) and first calls
:meth:`Core.tick`, which plays the scheduled events whose simulated time has come (state changes,
build ends) -- so time-driven changes happen lazily, in order and deterministically. Nothing sleeps.
"""

from __future__ import annotations

import heapq
import itertools
import random
import threading
from collections.abc import Callable, Container, Mapping

from .. import assumptions as A
from .clock import SimClock

#: Simulated durations in seconds (scaled by ``speed``); override with ``durations=``.
DEFAULT_DURATIONS: dict[str, float] = {"start": 8.0, "stop": 3.0, "build": 30.0}


class Core:
    """The shared services of the model (see the module docstring)."""

    def __init__(
        self,
        *,
        seed: int = 0,
        speed: float = 1.0,
        epoch_ms: int | None = None,
        durations: Mapping[str, float] | None = None,
        sync_model: str = A.DEFAULT_SYNC_MODEL,
        consume_futures: bool = A.DEFAULT_CONSUME_FUTURES,
    ) -> None:
        unknown = set(durations or {}) - set(DEFAULT_DURATIONS)
        if unknown:
            raise TypeError(f"unknown durations: {sorted(unknown)}; known: {sorted(DEFAULT_DURATIONS)}")
        self.lock = threading.RLock()
        self.sync_model = check_sync_model(sync_model)
        self.consume_futures = check_flag(consume_futures, "consume_futures")
        self.clock = SimClock(speed, epoch_ms)
        self.rng = random.Random(seed)
        self.durations = {**DEFAULT_DURATIONS, **(durations or {})}
        self._events: list[tuple[int, int, Callable[[int], None]]] = []
        self._seq = itertools.count()

    def duration_ms(self, name: str) -> int:
        return int(self.durations[name] * 1000)

    def schedule(self, time_ms: int, action: Callable[[int], None]) -> None:
        """Run ``action(time_ms)`` once simulated time reaches ``time_ms`` (call under the lock)."""
        heapq.heappush(self._events, (time_ms, next(self._seq), action))

    def tick(self) -> int:
        """Play every due event in time order; return the current simulated time."""
        with self.lock:
            now = self.clock.now_ms()
            while self._events and self._events[0][0] <= now:
                at, _, action = heapq.heappop(self._events)
                action(at)
            return now

    def advance(self, seconds: float) -> int:
        with self.lock:
            self.clock.advance(seconds)
            return self.tick()

    def fresh_id(self, make: Callable[[random.Random], str], taken: Container[str]) -> str:
        """A new id from ``make(rng)`` that is not in ``taken`` (call under the lock)."""
        new = make(self.rng)
        while new in taken:
            new = make(self.rng)
        return new


def check_sync_model(value: object) -> str:
    """``value`` if it is one of ``assumptions.SYNC_MODELS`` (ValueError otherwise)."""
    if value not in A.SYNC_MODELS:
        raise ValueError(f"sync_model must be one of {A.SYNC_MODELS}, not {value!r}")
    return str(value)


def check_flag(value: object, name: str) -> bool:
    if not isinstance(value, bool):
        raise ValueError(f"{name} must be True or False, not {value!r}")
    return value
