"""Row actions of the studio table: in-flight bookkeeping and the activity log.

Kept apart from the widget so the thread-safety rules are in one place:

- :class:`Flights` says which rows have an action in flight. ``begin`` is atomic, so a second start
  or stop of the same row while one runs is refused (double-click protection on the Python side;
  the front end also disables the button at once).
- :class:`ActivityLog` is the ``table.activity`` list: one dict per action, appended when the action
  begins (``outcome: "running"``) and replaced by its final version when it ends. Listeners
  registered with ``on_activity`` get every version; a failing listener is logged, never raised.
"""

from __future__ import annotations

import getpass
import itertools
import logging
import threading
import time
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

log = logging.getLogger(__name__)

MAX_ACTIVITY = 1000
_IDS = itertools.count(1)


@dataclass
class Flight:
    """One action in flight on one row."""

    key: str
    action: str  # "start", "restart" or "stop"
    activity_id: int
    started: float = field(default_factory=time.monotonic)
    subscription: Any = None
    progress: dict[str, Any] | None = None


class Flights:
    """Rows with an action in flight (thread-safe)."""

    def __init__(self, publish: Callable[[dict[str, dict[str, Any]]], None]) -> None:
        self._lock = threading.Lock()
        self._flights: dict[str, Flight] = {}
        self._publish = publish

    def begin(self, key: str, action: str, activity_id: int) -> Flight | None:
        """Register an action on ``key``; ``None`` when one is already in flight there."""
        with self._lock:
            if key in self._flights:
                return None
            flight = self._flights[key] = Flight(key, action, activity_id)
            self._publish_locked()
            return flight

    def current(self, key: str) -> Flight | None:
        with self._lock:
            return self._flights.get(key)

    def progress(self, key: str, view: dict[str, Any]) -> None:
        with self._lock:
            flight = self._flights.get(key)
            if flight is None:
                return
            flight.progress = view
            self._publish_locked()

    def end(self, key: str) -> Flight | None:
        with self._lock:
            flight = self._flights.pop(key, None)
            self._publish_locked()
            return flight

    def cancel_all(self) -> None:
        with self._lock:
            flights, self._flights = list(self._flights.values()), {}
        for flight in flights:
            if flight.subscription is not None:
                flight.subscription.cancel()

    def __len__(self) -> int:
        with self._lock:
            return len(self._flights)

    def _publish_locked(self) -> None:
        self._publish(
            {
                key: {"action": f.action, "progress": f.progress or {"status": "running", "stage": None,
                                                                      "fraction": None, "elapsed_s": None,
                                                                      "eta_s": None, "message": None}}
                for key, f in self._flights.items()
            }
        )


def current_user(client: Any) -> str | None:
    """Who acts: the client's login when it knows it, else the user running the kernel."""
    for attr in ("login", "user"):
        value = getattr(client, attr, None)
        if isinstance(value, str) and value:
            return value
    try:
        return getpass.getuser()
    except Exception:  # no user name available (some containers)
        return None


class ActivityLog:
    """The ``activity`` list of a table (thread-safe; keeps the last :data:`MAX_ACTIVITY` entries)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: list[dict[str, Any]] = []
        self._listeners: list[Callable[[dict[str, Any]], Any]] = []

    def listen(self, callback: Callable[[dict[str, Any]], Any]) -> None:
        if not callable(callback):
            raise TypeError("on_activity expects a callable taking one dict")
        with self._lock:
            self._listeners.append(callback)

    def entries(self) -> list[dict[str, Any]]:
        with self._lock:
            return [dict(e) for e in self._entries]

    def begin(self, *, who: str | None, what: str, project_key: str, studio_id: str, studio: str | None) -> int:
        entry = {
            "id": next(_IDS),
            "who": who,
            "what": what,
            "project_key": project_key,
            "studio_id": studio_id,
            "studio": studio,
            "when": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "outcome": "running",
            "duration_s": None,
            "message": None,
        }
        self._store(entry)
        return entry["id"]

    def finish(self, entry_id: int, outcome: str, duration_s: float | None, message: str | None = None) -> None:
        with self._lock:
            old = next((e for e in self._entries if e["id"] == entry_id), None)
        if old is None:
            return
        final = {**old, "outcome": outcome, "message": message,
                 "duration_s": None if duration_s is None else round(duration_s, 2)}
        self._store(final)

    def _store(self, entry: dict[str, Any]) -> None:
        with self._lock:
            for i, e in enumerate(self._entries):
                if e["id"] == entry["id"]:
                    self._entries[i] = entry
                    break
            else:
                self._entries.append(entry)
                del self._entries[:-MAX_ACTIVITY]
            listeners = list(self._listeners)
        for callback in listeners:
            try:
                callback(dict(entry))
            except Exception:
                log.exception("an on_activity callback raised (ignored)")


def auto_refresh_loop(ref: weakref.ReferenceType[Any], wake: threading.Event) -> None:
    """Refresh every ``auto_refresh_s`` seconds until the table is closed, collected or set to 0."""
    while True:
        table = ref()
        if table is None or table._closed or table.auto_refresh_s <= 0:
            return
        interval = table.auto_refresh_s
        del table  # do not keep the table alive while sleeping
        if wake.wait(interval):
            wake.clear()
            continue  # interval changed or closing: re-read it
        table = ref()
        if table is None or table._closed:
            return
        try:
            table.refresh()
        except Exception:  # refresh reports its own errors; never let the loop die silently
            log.exception("automatic refresh failed")
        del table
