"""An activity log any panel can keep: who did what, when, with what outcome, how long it took.

Entries are plain dicts ``{who, what, when, outcome, duration, studio, zone, detail}`` where
``when`` is a UTC-aware ``datetime``, ``duration`` seconds (float) and ``outcome`` one of
``"ok"``, ``"failed"``, ``"needs confirmation"``, ``"refused"``. Listeners registered with
:meth:`ActivityLog.subscribe` are called (outside the lock) with each new entry, on whatever
thread did the work; an exception in a listener is logged, never raised.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from datetime import datetime, timezone
from typing import Any

log = logging.getLogger(__name__)

Listener = Callable[[dict[str, Any]], None]
MAX_ENTRIES = 500


class ActivityLog:
    """A bounded, thread-safe list of activity entries with listeners."""

    def __init__(self, max_entries: int = MAX_ENTRIES) -> None:
        self._entries: list[dict[str, Any]] = []
        self._listeners: list[Listener] = []
        self._lock = threading.Lock()
        self._max = max_entries

    @property
    def entries(self) -> list[dict[str, Any]]:
        """A copy of the entries, oldest first."""
        with self._lock:
            return [dict(e) for e in self._entries]

    def subscribe(self, callback: Listener) -> Callable[[], None]:
        """Call ``callback(entry)`` for every new entry; returns a function that unsubscribes."""
        if not callable(callback):
            raise TypeError("on_activity() needs a callable")
        with self._lock:
            self._listeners.append(callback)

        def unsubscribe() -> None:
            with self._lock:
                if callback in self._listeners:
                    self._listeners.remove(callback)

        return unsubscribe

    def record(self, *, who: str, what: str, outcome: str, started: float, studio: str | None,
               zone: str | None = None, detail: str | None = None) -> dict[str, Any]:
        """Add an entry for work that began at ``started`` (a ``time.monotonic()`` value)."""
        entry = {
            "who": who, "what": what, "when": datetime.now(timezone.utc), "outcome": outcome,
            "duration": round(max(0.0, time.monotonic() - started), 3), "studio": studio, "zone": zone,
            "detail": detail,
        }
        with self._lock:
            self._entries = [*self._entries, entry][-self._max:]
            listeners = list(self._listeners)
        for listener in listeners:
            try:
                listener(dict(entry))
            except Exception:
                log.exception("activity listener %r failed", listener)
        return entry
