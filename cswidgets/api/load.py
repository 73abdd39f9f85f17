"""What cswidgets costs DSS, and how it backs off: :class:`LoadMeter` and :class:`Aimd`.

Small pieces the API core and the panels share (issue 22, "a good citizen of a shared DSS"):

- :class:`LoadMeter` counts requests *by kind* and answers the requests per second actually sent over a
  sliding window. The transport keeps one per connection (every request it sends, by route:
  :func:`route_kind`), read by :meth:`cswidgets.api.Client.load`; the :class:`~cswidgets.api.FutureTracker`
  keeps its own (by what it reads: ``tasks list``, ``task peek``, ``task result``) for its ``live_info()``.
- :class:`Aimd` is an additive-increase / multiplicative-decrease rate controller: an answer that is slow
  (next to the usual ones), a 429 or 503, or no answer in time halves the rate (at most once per
  ``cooldown_s``, so a burst of failures halves it once); every healthy answer adds back ``increase``
  of the full rate per second since the last change, so the rate recovers gradually. Its ``scale``
  (rate / full rate, in ``[min_scale, 1]``) stretches a consumer's intervals: ``interval / scale``.

Both are thread-safe and take their clock (``time.monotonic``) as an argument for tests.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable
from typing import Any

__all__ = ["Aimd", "LoadMeter", "route_kind"]

#: Seconds the rates of :meth:`LoadMeter.rates` are measured over by default.
WINDOW_S = 60.0
#: Path segments after which the next segment is an id (``/projects/{key}``, ``/futures/{id}``...).
_COLLECTIONS = frozenset({"projects", "code-studios", "futures", "zones"})


def route_kind(method: str, path: str) -> str:
    """The kind of a request for the load summary: its method and route with ids left out, e.g.
    ``GET /futures/{id}``, ``GET /projects/{id}/code-studios/{id}/status``, ``GET /futures/``."""
    parts = path.split("?", 1)[0].split("/")
    out: list[str] = []
    for i, part in enumerate(parts):
        if part and i > 0 and parts[i - 1] in _COLLECTIONS and part not in _COLLECTIONS:
            out.append("{id}")
        elif i > 0 and parts[i - 1] == "contents":  # library paths: everything after is one path
            out.append("{path}")
            break
        else:
            out.append(part)
    return f"{method.upper()} {'/'.join(out) or '/'}"


class LoadMeter:
    """Requests counted by kind; :meth:`rates` is the requests per second of the last ``window_s``.

    Counts are kept per whole second (at most ``window_s`` buckets per kind), so memory does not grow with
    the number of requests.
    """

    def __init__(self, window_s: float = WINDOW_S, clock: Callable[[], float] = time.monotonic) -> None:
        if not window_s > 0:
            raise ValueError("window_s must be a positive number of seconds")
        self.window_s = float(window_s)
        self._clock = clock
        self._lock = threading.Lock()
        self._started = clock()
        self._buckets: dict[str, deque[list[int]]] = {}  # kind -> [[second, count], ...]
        self._totals: dict[str, int] = {}

    def record(self, kind: str, count: int = 1) -> None:
        """Count ``count`` requests of ``kind`` sent now."""
        second = int(self._clock())
        with self._lock:
            buckets = self._buckets.setdefault(kind, deque())
            if buckets and buckets[-1][0] == second:
                buckets[-1][1] += count
            else:
                buckets.append([second, count])
            self._drop_old(buckets, second)
            self._totals[kind] = self._totals.get(kind, 0) + count

    def _drop_old(self, buckets: deque[list[int]], second: int) -> None:
        while buckets and buckets[0][0] <= second - self.window_s:
            buckets.popleft()

    def rates(self, window_s: float | None = None) -> dict[str, float]:
        """Requests per second by kind over the last ``window_s`` seconds (at most the meter's window; a
        meter younger than the window is measured over its age, at least one second)."""
        now = self._clock()
        window = min(self.window_s, window_s or self.window_s)
        span = max(1.0, min(window, now - self._started))
        since = int(now) - span
        with self._lock:
            counts = {kind: sum(c for s, c in buckets if s > since) for kind, buckets in self._buckets.items()}
        return {kind: round(n / span, 3) for kind, n in sorted(counts.items()) if n}

    def summary(self, window_s: float | None = None) -> dict[str, Any]:
        """``{"window_s", "per_s", "by_kind": {kind: req/s}, "total": requests since the start,
        "total_by_kind"}``."""
        rates = self.rates(window_s)
        with self._lock:
            totals = dict(sorted(self._totals.items()))
        window = min(self.window_s, window_s or self.window_s)
        return {"window_s": window, "per_s": round(sum(rates.values()), 3), "by_kind": rates,
                "total": sum(totals.values()), "total_by_kind": totals}


class Aimd:
    """Additive-increase / multiplicative-decrease rate control (see the module docstring).

    Parameters
    ----------
    min_scale : float
        The lowest ``scale`` (the rate never falls below this share of the full rate).
    increase : float
        Share of the full rate added back per second of healthy answers.
    cooldown_s : float
        At most one halving per this many seconds.
    slow_s : float
        An answer is slow when it takes more than ``slow_factor`` times the usual answer (a moving
        average of the healthy ones) and more than ``slow_s`` seconds.
    slow_factor : float
        See ``slow_s``.
    """

    OVERLOAD_STATUSES = (429, 503)

    def __init__(self, *, min_scale: float = 1 / 4, increase: float = 0.1, cooldown_s: float = 1.0,
                 slow_s: float = 2.0, slow_factor: float = 4.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        if not 0 < min_scale <= 1:
            raise ValueError("min_scale must be in (0, 1]")
        if not increase > 0 or not slow_s > 0 or not slow_factor >= 1 or cooldown_s < 0:
            raise ValueError("increase and slow_s must be > 0, slow_factor >= 1, cooldown_s >= 0")
        self.min_scale, self.increase, self.cooldown_s = float(min_scale), float(increase), float(cooldown_s)
        self.slow_s, self.slow_factor = float(slow_s), float(slow_factor)
        self._clock = clock
        self._lock = threading.Lock()
        self._scale = 1.0
        self._changed = clock()
        self._halved_at = float("-inf")
        self._usual: float | None = None  # moving average of healthy round trips (s)
        self.reason: str | None = None  # why it last backed off, while backed off
        self.backoffs = 0

    @property
    def scale(self) -> float:
        """The rate now, as a share of the full rate (``1.0``: not backed off)."""
        with self._lock:
            return self._scale

    @property
    def backed_off(self) -> bool:
        return self.scale < 1.0

    def is_slow(self, rtt: float) -> bool:
        """Whether an answer that took ``rtt`` seconds counts as slow."""
        with self._lock:
            usual = self._usual
        return rtt > self.slow_s and (usual is None or rtt > self.slow_factor * usual)

    def answered(self, rtt: float) -> None:
        """An answer arrived after ``rtt`` seconds: slow halves the rate, healthy recovers it."""
        if self.is_slow(rtt):
            self.overloaded(f"slow answers ({rtt:.1f} s)")
            return
        now = self._clock()
        with self._lock:
            self._usual = rtt if self._usual is None else 0.8 * self._usual + 0.2 * rtt
            if self._scale < 1.0:
                self._scale = min(1.0, self._scale + self.increase * max(0.0, now - self._changed))
                if self._scale >= 1.0:
                    self.reason = None
            self._changed = now

    def overloaded(self, reason: str) -> bool:
        """DSS is overloaded (a 429 or 503, no answer in time, a slow answer): halve the rate, unless it was
        halved less than ``cooldown_s`` ago. Returns whether it was halved."""
        now = self._clock()
        with self._lock:
            if now - self._halved_at < self.cooldown_s:
                return False
            self._scale = max(self.min_scale, self._scale / 2)
            self._halved_at = self._changed = now
            self.reason = reason
            self.backoffs += 1
            return True

    def failed(self, error: BaseException) -> bool:
        """A request failed: halve the rate when the failure says DSS is overloaded (429, 503, or no usable
        answer in time); returns whether it did. Other failures (a 404, a 403) say nothing of the load."""
        from .errors import DSSConnectionError

        status = getattr(error, "status", None)
        if status in self.OVERLOAD_STATUSES:
            return self.overloaded(f"HTTP {status}")
        if isinstance(error, DSSConnectionError):
            return self.overloaded("no answer in time" if "deadline" in str(error) or "imeout" in str(error)
                                   else "connection failed")
        return False

    def info(self) -> dict[str, Any]:
        """``{"scale", "backed_off", "reason", "backoffs"}`` for ``live_info``."""
        with self._lock:
            return {"scale": round(self._scale, 3), "backed_off": self._scale < 1.0, "reason": self.reason,
                    "backoffs": self.backoffs}
