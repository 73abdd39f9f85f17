"""Row actions of the studio table: in-flight bookkeeping.

Kept apart from the widget so the thread-safety rules are in one place:

- :class:`Flights` says which rows have an action in flight. ``begin`` is atomic, so a second start
  or stop of the same row while one runs is refused (double-click protection on the Python side;
  the front end also disables the button at once).

The table's activity (``table.activity``, ``on_activity``) is recorded in the shared
:class:`~cswidgets.widgets.activity.ActivityLog` (see :class:`~cswidgets.widgets.activity.PanelActivity`).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..shared.progress import progress_view

log = logging.getLogger(__name__)


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

    def keys(self) -> set[str]:
        """Rows with an action in flight."""
        with self._lock:
            return set(self._flights)

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

    def _publish_locked(self) -> None:
        self._publish(
            {
                key: {"action": f.action, "progress": f.progress or progress_view()}
                for key, f in self._flights.items()
            }
        )
