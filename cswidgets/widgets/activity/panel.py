"""The activity panel of the dashboard: a live view of an :class:`~.activity.ActivityLog`.

Synced traits: ``entries`` (the newest :data:`SHOWN` entries, newest first, as the log keeps them)
and ``counts`` (``{total, running, failed, aborted, refused}``). Updates are coalesced: a burst of log changes (a
batch stop of 50 studios) sends the list once per :data:`FLUSH_S`, not once per change. The log
itself stays in Python (``dashboard.activity`` is its DataFrame). Every synced trait is written by
Python only (the view only shows them); the pending flush is a timer thread of the panel's own,
cancelled by :meth:`ActivityPanel.close`.
"""

from __future__ import annotations

import threading
from typing import Any

import traitlets as t

from ..shared.format import duration_text
from ..shared.panel import Panel, bundle, stylesheet
from ..shared.static import block, paragraph, table
from .log import PROBLEM_OUTCOMES, ActivityLog

__all__ = ["ActivityPanel"]

SHOWN = 200
FLUSH_S = 0.05
_HEAD = ("When (UTC)", "Who", "Action", "Target", "Outcome", "Duration", "Message")


class ActivityPanel(Panel):
    """Shows an :class:`ActivityLog` as a table (who, what, target, when, outcome, duration).

    Parameters
    ----------
    log : ActivityLog
        The log to show (kept in Python; the panel subscribes to it).

    Examples
    --------
    >>> from cswidgets.widgets.activity import ActivityLog, ActivityPanel
    >>> log = ActivityLog()
    >>> table = cswidgets.StudioTable(client, activity_log=log)
    >>> ActivityPanel(log)                                   # who did what, when, outcome, "Copy as Python"
    >>> log.frame()                                          # the same entries as a DataFrame (its ``code`` too)
    """

    _esm = bundle("activity")
    _css = stylesheet("activity")

    #: The newest SHOWN entries of the log, newest first (:class:`~.log.ActivityEntry` each). Writer: Python.
    entries = t.List(t.Dict(), default_value=[]).tag(sync=True)
    #: The log's counts (:class:`~.log.ActivityCounts`: total, running, failed, aborted, refused). Writer: Python.
    counts = t.Dict(value_trait=t.Int(), default_value={"total": 0, "running": 0, "failed": 0, "aborted": 0,
                                                        "refused": 0}).tag(sync=True)

    def __init__(self, log: ActivityLog, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._log = log
        self._flush_lock = threading.Lock()
        self._timer: threading.Timer | None = None
        self._closed = False
        self._unsubscribe = log.subscribe(self._changed)
        self.flush()

    @property
    def log(self) -> ActivityLog:
        return self._log

    def _changed(self, _entry: dict[str, Any]) -> None:
        """A log change (any thread): schedule one flush for the whole burst."""
        with self._flush_lock:
            if self._timer is not None or self._closed:
                return
            self._timer = threading.Timer(FLUSH_S, self._timed_flush)
            self._timer.name = f"{self.thread_prefix}-flush"
            self._timer.daemon = True
            self._timer.start()

    def _timed_flush(self) -> None:
        with self._flush_lock:
            self._timer = None
        self.flush()

    def flush(self) -> None:
        """Send the newest entries and the counts now (thread-safe; the last flush wins)."""
        with self._flush_lock:  # snapshot and assignment together: an older snapshot never lands last
            if self._closed:
                return
            entries, counts = self._log.tail(SHOWN), self._log.counts()
            if entries != self.entries:
                self.entries = entries
            if counts != self.counts:
                self.counts = counts

    def close(self) -> None:
        with self._flush_lock:
            self._closed = True
            timer, self._timer = self._timer, None
        if timer is not None:
            timer.cancel()
        if getattr(self, "_unsubscribe", None) is not None:
            self._unsubscribe()
        super().close()  # also stops the panel's action pool

    # -- fallbacks -------------------------------------------------------------------------------
    def _summary(self) -> str:
        c = self._log.counts()
        text = f"{c['total']} action{'s' if c['total'] != 1 else ''}"
        extra = [f"{c['running']} running"] if c["running"] else []
        extra += [f"{c[o]} {o}" for o in PROBLEM_OUTCOMES if c.get(o)]
        return text + (f" ({', '.join(extra)})" if extra else "")

    def _static_html(self) -> str:
        return static_html(self._log.tail(SHOWN))


def static_html(entries: list[dict[str, Any]]) -> str:
    """The activity as an HTML table (every value escaped), newest first."""
    if not entries:
        return block("activity", paragraph("No actions yet."))
    rows = (
        [(e.get("when") or "").replace("T", " ").replace("+00:00", ""), e.get("who"), e.get("what"), e.get("target"),
         e.get("outcome"), duration_text(e.get("duration_s")), e.get("message")]
        for e in entries
    )
    return block("activity", table(_HEAD, rows))
