"""Simulated time: wall-clock time scaled by ``speed``, plus instant jumps (``advance``)."""

from __future__ import annotations

import threading
import time


class SimClock:
    """A monotonic clock in epoch milliseconds.

    ``now_ms()`` starts at ``epoch_ms`` (default: the real time now) and moves ``speed`` times
    faster than real time; ``speed=0`` freezes it so only :meth:`advance` moves it (fully
    deterministic tests). Thread-safe.
    """

    def __init__(self, speed: float = 1.0, epoch_ms: int | None = None) -> None:
        if speed < 0:
            raise ValueError("speed must be >= 0")
        self._lock = threading.Lock()
        self._speed = float(speed)
        self._anchor_real = time.monotonic()
        self._anchor_sim = float(epoch_ms if epoch_ms is not None else time.time() * 1000)

    def now_ms(self) -> int:
        with self._lock:
            return int(self._anchor_sim + (time.monotonic() - self._anchor_real) * 1000 * self._speed)

    @property
    def speed(self) -> float:
        return self._speed

    @speed.setter
    def speed(self, value: float) -> None:
        if value < 0:
            raise ValueError("speed must be >= 0")
        with self._lock:
            real = time.monotonic()
            self._anchor_sim += (real - self._anchor_real) * 1000 * self._speed
            self._anchor_real = real
            self._speed = float(value)

    def advance(self, seconds: float) -> None:
        """Move simulated time forward by ``seconds`` at once."""
        if seconds < 0:
            raise ValueError("cannot move time backwards")
        with self._lock:
            self._anchor_sim += seconds * 1000
