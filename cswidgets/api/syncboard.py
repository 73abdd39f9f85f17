"""Who is syncing which zone, and which studios changed state, on one connection.

Two panels of one client (two :class:`~cswidgets.widgets.conflicts.ConflictViewer` on the same studio,
the Dashboard's and one the table opened) must never send two syncs of one zone at the same time, and a
viewer must follow a studio that another panel started or stopped. A :class:`SyncBoard` (one per
:class:`~cswidgets.api.transport.Transport`, like its :class:`~cswidgets.api.jobs.JobBoard`; reached as
:attr:`cswidgets.api.Client.sync_board`) holds both: the running sync of each zone (claimed before the
request is sent, released when it ends) and the listeners told when a studio's state may have changed.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable, Mapping
from typing import Any

__all__ = ["SyncBoard"]

StudioListener = Callable[[str, str], Any]
#: ``listener({(project_key, studio_id): state or None})``: the states a panel just read (``None``: no longer listed).
StatesListener = Callable[[Mapping[tuple[str, str], "str | None"]], Any]


class SyncBoard:
    """Zone claims and studio-change listeners of one connection (thread-safe)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._claims: dict[Hashable, tuple[str, object]] = {}
        self._listeners: list[StudioListener] = []
        self._state_listeners: list[StatesListener] = []

    # -- one sync per zone ------------------------------------------------------------------------
    def claim(self, zone: Hashable, op: str, owner: object) -> tuple[str, object] | None:
        """Claim ``zone`` (e.g. ``(project_key, studio_id, zone_key)``) for ``op`` by ``owner``.

        Returns ``None`` when claimed, else the ``(op, owner)`` that holds it (nothing is changed)."""
        with self._lock:
            held = self._claims.get(zone)
            if held is not None:
                return held
            self._claims[zone] = (op, owner)
            return None

    def release(self, zone: Hashable, owner: object) -> None:
        """Release ``owner``'s claim on ``zone`` (no effect when another owner holds it)."""
        with self._lock:
            held = self._claims.get(zone)
            if held is not None and held[1] is owner:
                del self._claims[zone]

    def holder(self, zone: Hashable) -> tuple[str, object] | None:
        """The ``(op, owner)`` syncing ``zone`` now, or ``None``."""
        with self._lock:
            return self._claims.get(zone)

    # -- studio state changes ---------------------------------------------------------------------
    def subscribe(self, listener: StudioListener) -> Callable[[], None]:
        """Call ``listener(project_key, studio_id)`` after a panel changed a studio's state (on the
        thread that reports it: keep it short). Returns a function that unsubscribes."""
        with self._lock:
            self._listeners.append(listener)

        def unsubscribe() -> None:
            with self._lock:
                if listener in self._listeners:
                    self._listeners.remove(listener)

        return unsubscribe

    def studio_changed(self, project_key: str, studio_id: str) -> None:
        """Tell every listener that studio ``project_key/studio_id`` may have changed state; a listener's
        failure does not stop the others."""
        with self._lock:
            listeners = list(self._listeners)
        for listener in listeners:
            try:
                listener(project_key, studio_id)
            except Exception:  # noqa: S112 - a broken listener must not stop the others
                continue

    # -- studio states another panel read ---------------------------------------------------------
    def subscribe_states(self, listener: StatesListener) -> Callable[[], None]:
        """Call ``listener(states)`` whenever a panel (a studio table) read studios' states: ``states`` maps
        ``(project_key, studio_id)`` to DSS's state, or ``None`` for a studio it no longer lists. Called on the
        reader's thread, possibly under its locks, with thousands of entries: look one key up, do nothing slow.
        Returns a function that unsubscribes."""
        with self._lock:
            self._state_listeners.append(listener)

        def unsubscribe() -> None:
            with self._lock:
                if listener in self._state_listeners:
                    self._state_listeners.remove(listener)

        return unsubscribe

    def states_seen(self, states: Mapping[tuple[str, str], str | None]) -> None:
        """Tell every state listener what a panel read (see :meth:`subscribe_states`); a listener's failure does
        not stop the others."""
        with self._lock:
            listeners = list(self._state_listeners)
        for listener in listeners:
            try:
                listener(states)
            except Exception:  # noqa: S112 - a broken listener must not stop the others
                continue
