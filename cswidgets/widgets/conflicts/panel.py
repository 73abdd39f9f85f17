"""ConflictViewer: every synced zone of one code studio, its conflicts, and deliberate syncs.

>>> viewer = ConflictViewer(studio)                 # or ConflictViewer(client, "PROJ", "abc1234")
>>> viewer.conflicts                                # DataFrame: zone, change, path
>>> viewer.pull("project-lib-versioned")            # code studio → DSS; raises ConfirmationRequired
>>> viewer.pull("project-lib-versioned", force=True)  # ... when it would overwrite DSS changes

Zones are named by id (even one from before a restart), type or path in the container and are
resolved against a fresh status each time: zone ids change at every start. The confirmation rule
is documented in :mod:`cswidgets.widgets.conflicts.zones`. Pull and push are sent once (never
retried), never twice at the same time on a zone, and the zone is checked again afterwards.
Network work runs on worker threads when triggered from the view; the kernel is never blocked by
the panel (the Python methods block their caller, like any API call).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import pandas as pd
import traitlets as t

from .._panel import Panel, action, bundle, stylesheet
from .._progress import task_outcome, task_view
from ..activity import ActivityLog, PanelActivity, default_who
from . import static
from .ops import FOLLOW_UP, ZoneOps
from .zones import (
    CHANGES,
    ConfirmationRequired,
    NotRunning,
    ZoneBusy,
    summary_text,
    zone_key,
)

__all__ = ["ConfirmationRequired", "ConflictViewer", "NotRunning", "ZoneBusy"]


def _as_studio(studio: Any, project_key: str | None, studio_id: str | None) -> Any:
    if project_key is not None or studio_id is not None:
        if project_key is None or studio_id is None or not hasattr(studio, "get_project"):
            raise TypeError("ConflictViewer(client, project_key, studio_id) needs a client and both ids")
        return studio.get_project(project_key).get_code_studio(studio_id)
    if studio is None or hasattr(studio, "check_conflicts"):
        return studio
    if hasattr(studio, "to_code_studio"):
        return studio.to_code_studio()
    raise TypeError(f"ConflictViewer needs a code studio handle (or client, project_key, studio_id), "
                    f"not {type(studio).__name__}")


class ConflictViewer(ZoneOps, Panel):
    """The synced zones of a code studio with their conflicts, and Pull / Push / Check buttons.

    Parameters
    ----------
    studio : CodeStudio, CodeStudioListItem, Client or None
        The code studio (or a client, with ``project_key`` and ``studio_id``). ``None`` shows an
        empty panel until :meth:`show` is called.
    check : bool
        Read the status and check every zone now (default). Errors then go to the alert region.
    user : str, optional
        Who appears in :attr:`activity` (default: the login of the studio's client,
        :attr:`Client.login`).
    activity_log : cswidgets.widgets.activity.ActivityLog, optional
        Record the operations in this log (shared with other panels, as the Dashboard does)
        instead of one of the viewer's own; :attr:`activity` still lists the viewer's only.
    """

    _esm = bundle("conflicts")
    _css = stylesheet("conflicts")

    studio_view = t.Dict(default_value={}).tag(sync=True)
    zones = t.List(t.Dict(), default_value=[]).tag(sync=True)
    checking = t.Bool(False).tag(sync=True)
    start_progress = t.Dict(default_value=None, allow_none=True).tag(sync=True)

    def __init__(self, studio: Any = None, project_key: str | None = None, studio_id: str | None = None, *,
                 check: bool = True, user: str | None = None, activity_log: ActivityLog | None = None,
                 **kwargs: Any) -> None:
        activity = PanelActivity(activity_log, "conflicts", self._who)
        super().__init__(**kwargs)
        self._lock = threading.RLock()
        self._activity = activity
        self.user = user
        self._gen = 0
        self._studio: Any = None
        self._inflight: dict[str, str] = {}
        self._full: dict[str, dict[str, list[str]]] = {}
        self._known_ids: dict[str, str] = {}
        self._name: str | None = None
        self._starting = False
        self._start_sub: Any = None
        self._switch(_as_studio(studio, project_key, studio_id), check=check, quiet=True)

    # -- the studio shown -------------------------------------------------------------------
    @property
    def studio(self) -> Any:
        """The code studio shown; assign another handle to switch (zones are checked again)."""
        return self._studio

    @studio.setter
    def studio(self, studio: Any) -> None:
        self._switch(_as_studio(studio, None, None), check=True, quiet=False)

    def show(self, studio: Any) -> ConflictViewer:
        """Switch to ``studio`` (check its zones) and return the viewer, to display it."""
        self.studio = studio
        return self

    def _switch(self, studio: Any, *, check: bool, quiet: bool) -> None:
        with self._lock:
            self._gen += 1
            if self._start_sub is not None:
                self._start_sub.cancel()
            self._studio, self._start_sub, self._starting = studio, None, False
            self._inflight, self._full, self._known_ids, self._name = {}, {}, {}, None
            self.zones, self.checking, self.start_progress = [], False, None
            self.studio_view = self._view(None)
        if studio is not None and check:
            try:
                self._refresh(record=False)
            except Exception as exc:
                self.add_alert(self._error_text(exc))
                if not quiet:
                    raise

    # -- checks -----------------------------------------------------------------------------
    def refresh(self) -> ConflictViewer:
        """Read the status again and check every zone (skips zones with an operation running)."""
        self._refresh(record=True)
        return self

    def check(self, zone: str) -> dict[str, Any]:
        """Check one zone again (by id, type or path); returns its entry (as shown)."""
        studio, gen = self._snapshot()
        started = time.monotonic()
        z, label = self._locate(studio, gen, zone, "check", started)
        try:
            self._begin(gen, zone_key(z), "check", label)
        except ZoneBusy as exc:
            self._record("check", "refused", started, label, str(exc))
            raise
        entry = self._check_zone(gen, studio, z)
        self._record("check", "done" if entry["status"] != "error" else "failed", started, label,
                     summary_text(entry))
        return entry

    # -- pull / push ------------------------------------------------------------------------
    def pull(self, zone: str, *, force: bool = False) -> dict[str, Any]:
        """Copy a zone's files from the code studio to DSS (replaces DSS's copy).

        Raises :class:`ConfirmationRequired` (listing the files) when DSS changed since the last
        sync, unless ``force=True``; ``ValueError`` for a one-way zone.
        """
        return self._sync("pull", zone, force=force)

    def push(self, zone: str, *, force: bool = False) -> dict[str, Any]:
        """Copy a zone's files from DSS to the code studio (replaces the code studio's copy).

        Raises :class:`ConfirmationRequired` unless ``force=True``: edits made in the code studio
        and not pulled are lost, and DSS cannot list them (conflicting files are listed).
        """
        return self._sync("push", zone, force=force)

    # -- start ------------------------------------------------------------------------------
    def start(self) -> Any:
        """Start the (stopped) code studio; progress is shown in the panel. Returns the future."""
        studio, gen = self._snapshot()
        started = time.monotonic()
        try:
            if studio is None:
                raise NotRunning("No code studio selected.")
            with self._lock:
                if self._starting:
                    raise ZoneBusy("This code studio is already being started.")
                self._starting = True
            try:
                status = studio.get_status()
                state = status.get_raw().get("state")
                if state != "STOPPED":
                    # never restart a running studio from here: a restart stops it (syncing every zone)
                    raise RuntimeError(f"Code studio {self._label()} is {state}: only a stopped code studio "
                                       "can be started here.")
                future = studio.restart()
            except Exception:
                with self._lock:
                    self._starting = False
                raise
        except Exception as exc:
            self._record("start", "refused", started, detail=self._error_text(exc))
            raise
        with self._lock:
            if gen == self._gen:
                self.start_progress = task_view(future)
                self.studio_view = self._view("STARTING")
        sub = studio.client.tracker.track(
            future, on_progress=lambda f: self._start_progress(gen, f),
            on_done=lambda f: self._start_done(gen, f, started))
        with self._lock:
            if gen == self._gen and self._starting:
                self._start_sub = sub
        return future

    def _start_progress(self, gen: int, future: Any) -> None:
        view = task_view(future)
        with self._lock:
            if gen == self._gen and self._starting and view["status"] == "running":
                self.start_progress = view

    def _start_done(self, gen: int, future: Any, started: float) -> None:
        status, message = task_outcome(future)
        with self._lock:
            if gen != self._gen:
                return
            self._starting, self._start_sub = False, None
            self.start_progress = task_view(future)
        self._record("start", status, started, detail=message)
        if status != "done":
            self.add_alert(f"Start of code studio {self._label()} {status}" + (f": {message}" if message else ""))
        FOLLOW_UP.submit(self._refresh_quietly, gen)

    def _refresh_quietly(self, gen: int) -> None:
        if gen != self._gen:
            return
        try:
            self._refresh(record=False)
        except Exception as exc:
            self.add_alert(self._error_text(exc))

    # -- front-end messages -----------------------------------------------------------------
    @action("refresh")
    def _on_refresh(self) -> dict[str, Any]:
        self._refresh(record=True)
        return {"outcome": "done"}

    @action("check")
    def _on_check(self, zone: str) -> dict[str, Any]:
        return {"outcome": "done", "zone": self.check(zone)}

    @action("pull")
    def _on_pull(self, zone: str, confirm: str | None = None) -> dict[str, Any]:
        return self._sync("pull", zone, confirm=confirm, interactive=True)

    @action("push")
    def _on_push(self, zone: str, confirm: str | None = None) -> dict[str, Any]:
        return self._sync("push", zone, confirm=confirm, interactive=True)

    @action("start")
    def _on_start(self) -> dict[str, Any]:
        self.start()
        return {"outcome": "started"}

    # -- Python conveniences ----------------------------------------------------------------
    @property
    def conflicts(self) -> pd.DataFrame:
        """Every conflicting file: columns ``zone`` (type, as :meth:`pull` accepts), ``change``
        (category: added, modified, deleted) and ``path``."""
        with self._lock:
            entries, full = list(self.zones), dict(self._full)
        rows = []
        for e in entries:
            if e["status"] != "conflicts":
                continue
            lists = full.get(e["key"]) or {c: e[c] for c in CHANGES}
            rows += [(e["type"] or e["path"] or e["id"], c, p) for c in CHANGES for p in lists[c]]
        frame = pd.DataFrame(rows, columns=["zone", "change", "path"], dtype=object)
        frame["change"] = pd.Categorical(frame["change"], categories=list(CHANGES))
        return frame

    @property
    def activity(self) -> list[dict[str, Any]]:
        """What was done from this viewer, oldest first (entries of
        :class:`~cswidgets.widgets.activity.ActivityLog`): ``{id, panel, who, what, target,
        project_key, studio_id, studio, zone, when, outcome ("done" | "failed" | "aborted" |
        "refused"), duration_s, message, ...}``."""
        return self._activity.entries()

    @property
    def activity_log(self) -> ActivityLog:
        """The :class:`~cswidgets.widgets.activity.ActivityLog` the viewer records into."""
        return self._activity.log

    def on_activity(self, callback: Callable[[dict[str, Any]], None]) -> Callable[[], None]:
        """Call ``callback(entry)`` after each operation (on a worker thread); returns an unsubscribe."""
        return self._activity.subscribe(callback)

    def _who(self) -> str | None:
        """Who acts: ``user``, else the login of the shown studio's client."""
        if getattr(self, "user", None):
            return self.user
        return default_who(getattr(self._studio, "client", None))

    def close(self) -> None:
        """Stop following a start and close the widget."""
        lock = getattr(self, "_lock", None)  # None when __init__ failed (close runs from __del__)
        if lock is not None:
            with lock:
                self._gen += 1
                if self._start_sub is not None:
                    self._start_sub.cancel()
                    self._start_sub = None
        super().close()

    def _summary(self) -> str:
        return static.summary(self.studio_view, self.zones)

    def _static_html(self) -> str:
        return static.static_html(self.studio_view, self.zones)
