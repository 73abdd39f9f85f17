"""Row actions of the studio table: in-flight bookkeeping.

- :class:`Flights` says which rows have an action in flight. ``begin`` is atomic, so a second start
  or stop of the same row while one runs is refused (double-click protection on the Python side;
  the front end also disables the button at once). :meth:`Flights.slot` is the row's busy state for
  :meth:`~cswidgets.widgets.shared.panel.Panel.operation` (its claim raises :class:`InFlight`).

The table's activity (``table.activity``, ``on_activity``) is recorded in the shared
:class:`~cswidgets.widgets.activity.ActivityLog` (see :class:`~cswidgets.widgets.activity.PanelActivity`).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypedDict

from ..shared.progress import progress_view

__all__ = ["DeniedActions", "Flight", "FlightSlot", "Flights", "InFlight", "Repeated", "RowTask"]


class RowTask(TypedDict, total=False):
    """An action on a row as the view shows it (values of the ``in_flight`` and ``transitions`` traits):
    its ``action`` ("start", "restart", "stop"...), its ``progress`` (a
    :class:`~cswidgets.widgets.shared.progress.ProgressView`) and, for one started elsewhere, ``who``."""

    action: str
    progress: dict[str, Any]
    who: str | None


class DeniedActions(TypedDict, total=False):
    """The actions DSS refused on a row with a 403 (values of the ``denied`` trait): the reason of each."""

    start: str
    restart: str
    stop: str


class Repeated(ValueError):
    """The same action was asked again on a row while it runs (a repeated click): refused, recorded; the
    message handler answers ``{"accepted": False, "reason"}`` (the panel convention)."""


class InFlight(ValueError):
    """An action is in flight on the row already (``action``: which)."""

    def __init__(self, label: str, action: str) -> None:
        super().__init__(f"{label}: {action} in progress; wait for it to finish")
        self.action = action


@dataclass
class Flight:
    """One action in flight on one row."""

    key: str
    action: str  # "start", "restart", "stop" or "delete"
    started: float = field(default_factory=time.monotonic)
    subscription: Any = None
    progress: dict[str, Any] | None = None


class Flights:
    """Rows with an action in flight (thread-safe)."""

    def __init__(self, publish: Callable[[dict[str, dict[str, Any]]], None]) -> None:
        self._lock = threading.Lock()
        self._flights: dict[str, Flight] = {}
        self._publish = publish

    def begin(self, key: str, action: str) -> Flight | None:
        """Register an action on ``key``; ``None`` when one is already in flight there."""
        with self._lock:
            if key in self._flights:
                return None
            flight = self._flights[key] = Flight(key, action)
            self._publish_locked()
            return flight

    def slot(self, key: str, action: str, label: str) -> FlightSlot:
        """The busy state of ``action`` on row ``key`` (``label`` names the row in a refusal)."""
        return FlightSlot(self, key, action, label)

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

    def end(self, key: str, flight: Flight | None = None) -> Flight | None:
        """The action on ``key`` ended (only ``flight``'s, when given)."""
        with self._lock:
            if flight is not None and self._flights.get(key) is not flight:
                return None
            ended = self._flights.pop(key, None)
            self._publish_locked()
            return ended

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


class FlightSlot:
    """A row's busy state for one action (a :class:`~cswidgets.widgets.shared.operation.Busy`): claimed when
    the operation begins, released when it ends. ``flight``: the claimed flight (its progress, its task)."""

    def __init__(self, flights: Flights, key: str, action: str, label: str) -> None:
        self._flights, self.key, self.action, self._label = flights, key, action, label
        self.flight: Flight | None = None

    def claim(self) -> None:
        flight = self._flights.begin(self.key, self.action)
        if flight is None:
            current = self._flights.current(self.key)
            raise InFlight(self._label, current.action if current is not None else "an action")
        self.flight = flight

    def release(self) -> None:
        if self.flight is not None:
            self._flights.end(self.key, self.flight)
