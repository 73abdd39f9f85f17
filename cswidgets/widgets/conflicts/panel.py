"""ConflictViewer: every synced zone of one code studio, its conflicts, and deliberate syncs.

>>> viewer = ConflictViewer(studio)                 # or ConflictViewer(client, "PROJ", "abc1234")
>>> viewer.conflicts                                # DataFrame: zone, change, path
>>> viewer.pull("project-lib-versioned")            # code studio → DSS; raises ConfirmationRequired
>>> viewer.pull("project-lib-versioned", force=True)  # ... when it would overwrite DSS changes

Zones are named by id (even one from before a restart), type or path in the container and are
resolved against a fresh status each time: zone ids change at every start. The confirmation rule
is documented in :mod:`cswidgets.widgets.conflicts.zones`. Pull and push are sent once (never
retried), never twice at the same time on a zone, and the zone is checked again afterwards.
Network work runs on the viewer's own threads when triggered from the view; the kernel is never
blocked by the panel (the Python methods block their caller, like any API call).

Threads (owned by the viewer, stopped by :meth:`ConflictViewer.close`): the action pool (clicks,
the refresh after a start) and the check pool (zone checks, in parallel). A refresh reads the
status, fans the checks out and is told when the last one ends: no job waits on another job.

Zone state is kept under ``_lock``; work for a studio no longer shown is dropped by comparing
generations (``_gen``). Traits and their writer: ``studio_view``, ``zones``, ``checking``,
``start_progress``, ``texts``, ``alerts`` -- Python only (the browser sends messages).
"""

from __future__ import annotations

import io
import os
import re
import threading
import weakref
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any

import pandas as pd
import traitlets as t

from ...api.assumptions import library_zone, studio_missing
from ...api.library import zip_dss_versions
from ...api.syncboard import SyncBoard
from ...api.validate import check_id
from ..activity import ActivityLog, PanelActivity, default_who
from ..shared.operation import DSS_VERSIONS, python_code
from ..shared.panel import Panel, action, bundle, stylesheet
from ..shared.progress import task_view
from . import static
from .changes import DssSide, read_dss_side
from .zones import (
    CHANGES,
    DIRECTION,
    NO_DSS_VERSION,
    VIEWER_TEXTS,
    ConfirmationRequired,
    NotRunning,
    StudioDeleted,
    ZoneBusy,
    ZoneBusyElsewhere,
    backup_files,
    base_entry,
    checked_entry,
    confirmation_text,
    dss_changed,
    human_size,
    normalise,
    resolve,
    studio_view,
    summary_text,
    with_dss_side,
    zone_key,
)

__all__ = ["ConfirmationRequired", "ConflictViewer", "NotRunning", "StudioDeleted", "ZoneBusy"]


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


def _unless_repeated(act: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    """``act()``; a repeated click (this viewer already runs it: refused and recorded) is answered
    ``{"accepted": False, "reason"}`` (the panel convention); a zone another viewer syncs stays an error."""
    try:
        return act()
    except ZoneBusyElsewhere:
        raise
    except (ZoneBusy, StudioDeleted) as exc:  # a deleted studio: the view already says so (no alert)
        return {"accepted": False, "reason": str(exc)}


class _ZoneSlot:
    """The busy state of a zone operation (a :class:`~cswidgets.widgets.shared.operation.Busy`): the
    zone shows it, a second operation on the zone is refused (:class:`ZoneBusy`) -- for a pull or
    push, across every viewer of the connection too (its :class:`SyncBoard`)."""

    def __init__(self, viewer: ConflictViewer, gen: int, key: str, op: str, label: str, studio: Any = None) -> None:
        self._viewer, self._gen, self._key, self._op, self._label = viewer, gen, key, op, label
        self._board = viewer.sync_board(studio) if studio is not None else None
        self._claim = None if studio is None else (studio.project_key, studio.id, key)

    def claim(self) -> None:
        self._viewer._begin(self._gen, self._key, self._op, self._label)
        if self._board is None:
            return
        held = self._board.claim(self._claim, self._op, self._viewer)
        if held is not None:  # one sync per zone across every viewer of the connection
            self._viewer._end(self._gen, self._key)
            raise ZoneBusyElsewhere(f"A {held[0]} of {self._label} is already running from another viewer: wait for it "
                           f"to finish (no {self._op} was sent).")

    def release(self) -> None:
        if self._board is not None:
            self._board.release(self._claim, self._viewer)
        self._viewer._end(self._gen, self._key)


class _StartSlot:
    """The busy state of a start: one at a time per viewer (:class:`ZoneBusy` for a second)."""

    def __init__(self, viewer: ConflictViewer, gen: int) -> None:
        self._viewer, self._gen = viewer, gen

    def claim(self) -> None:
        with self._viewer._lock:
            if self._viewer._starting:
                raise ZoneBusy("This code studio is already being started.")
            self._viewer._starting = True

    def release(self) -> None:
        with self._viewer._lock:
            if self._gen == self._viewer._gen:
                self._viewer._starting = False


class ConflictViewer(Panel):
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

    Examples
    --------
    >>> import cswidgets
    >>> client = cswidgets.connect()
    >>> studio = client.get_project("PROJ").get_code_studio("abc1234")
    >>> viewer = cswidgets.ConflictViewer(studio)            # checks every zone, shows what changed
    >>> viewer                                               # Pull / Push / Check buttons per zone
    >>> viewer.zones[0]["label"], viewer.zones[0]["counts"]
    >>> viewer.check("project-lib-versioned")                # one zone again (id, type or path)
    """

    _esm = bundle("conflicts")
    _css = stylesheet("conflicts")

    #: The studio shown, its state and what to tell about it (:class:`~.zones.StudioView`).
    studio_view = t.Dict(default_value={}).tag(sync=True)
    #: One entry per synced zone of the studio, in DSS's order (:class:`~.zones.ZoneEntry` each).
    zones = t.List(t.Dict(), default_value=[]).tag(sync=True)
    #: A "check all" is running (the view disables Check all and the syncs meanwhile).
    checking = t.Bool(False).tag(sync=True)
    #: The progress of a start from this viewer (:class:`~cswidgets.widgets.shared.progress.ProgressView`),
    #: or None when none was asked.
    start_progress = t.Dict(default_value=None, allow_none=True).tag(sync=True)
    #: The wording the view shows -- directions, the irreversible-sync warning (:class:`~.zones.ViewerTexts`);
    #: constant: the JS holds no copy of it.
    texts = t.Dict(default_value=VIEWER_TEXTS, read_only=True).tag(sync=True)

    def __init__(self, studio: Any = None, project_key: str | None = None, studio_id: str | None = None, *,
                 check: bool = True, user: str | None = None, activity_log: ActivityLog | None = None,
                 **kwargs: Any) -> None:
        activity = PanelActivity(activity_log, "conflicts", self._who)
        super().__init__(**kwargs)
        self._checks = self._executor("check", 4)
        self._lock = threading.RLock()
        self._activity = activity
        self.user = user
        self._gen = 0
        self._studio: Any = None
        self._inflight: dict[str, str] = {}
        self._full: dict[str, dict[str, list[str]]] = {}
        self._dss: dict[str, DssSide | None] = {}
        self._known_ids: dict[str, str] = {}
        self._name: str | None = None
        self._starting = False
        self._deleted = False
        self._start_sub: Any = None
        self._own_board = SyncBoard()  # for a studio handle without a client's board (fakes)
        self._unsubscribe: Callable[[], None] | None = None
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
            self._studio, self._start_sub, self._starting, self._deleted = studio, None, False, False
            self._inflight, self._full, self._dss, self._known_ids, self._name = {}, {}, {}, {}, None
            self.zones, self.checking, self.start_progress = [], False, None
            self.studio_view = self._view(None)
            self.clear_alerts()  # alerts belong to the studio they were raised for
            self._follow(studio)
        if studio is not None and check:
            try:
                self._refresh(record=False).result()
            except Exception as exc:
                self.add_alert(self._error_text(exc), key="load")
                if not quiet:
                    raise

    def sync_board(self, studio: Any = None) -> SyncBoard:
        """The connection's :class:`SyncBoard` (shared by every viewer of the studio's client)."""
        board = getattr(getattr(studio or self._studio, "client", None), "sync_board", None)
        return board if isinstance(board, SyncBoard) else self._own_board

    def _follow(self, studio: Any) -> None:
        """Listen (weakly) for state changes of ``studio`` reported by any panel of its client."""
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
        if studio is None:
            return
        me = weakref.ref(self)
        ids = (studio.project_key, studio.id)

        def changed(project_key: str, studio_id: str) -> None:
            viewer = me()
            if viewer is not None and (project_key, studio_id) == ids:
                viewer.refresh_soon()

        def seen(states: Any) -> None:  # a studio table read (or dropped) rows: is ours shown as it is?
            viewer = me()
            if viewer is not None and ids in states:
                viewer._table_saw(states[ids])

        board = self.sync_board(studio)
        stops = (board.subscribe(changed), board.subscribe_states(seen))

        def unsubscribe() -> None:
            for stop in stops:
                stop()

        self._unsubscribe = unsubscribe

    def _table_saw(self, state: str | None) -> None:
        """A studio table shows this studio in ``state`` (``None``: it no longer lists it). When that is not what
        the viewer shows, read the studio again (DSS says which: deleted, stopped, running...)."""
        view = self.studio_view or {}
        if view.get("deleted") or (state is not None and state == view.get("state")):
            return
        self.refresh_soon()

    def refresh_soon(self) -> None:
        """Read the status and check every zone again on the viewer's threads (returns at once; errors
        go to the alert region). Called when another panel started or stopped the studio."""
        self._submit(self._refresh_quietly, self._gen)

    # -- checks -----------------------------------------------------------------------------
    def refresh(self) -> dict[str, Any]:
        """Read the status again and check every zone (skips zones with an operation running). Returns
        ``{"zones": n, "error": None | text}``: a failed status read is shown in the alert region and
        returned, never raised (the panel convention); a zone whose check failed shows it itself. A studio
        DSS no longer knows (its status read answers 404) is shown deleted, with no zone and no alert, and
        the result says ``"deleted": True``."""
        try:
            self._refresh(record=True).result()
        except Exception as exc:
            text, detail = self._describe(exc)
            message = f"Could not check the zones: {text}"
            self.add_alert(message, key="load", detail=detail)
            return {"zones": len(self.zones), "error": message}
        self.clear_alert("load")
        return {"zones": len(self.zones), "error": None, **({"deleted": True} if self._deleted else {})}

    def reveal(self) -> None:
        """Scroll every view of the viewer into sight and focus it (the studio table's ⇄ asks for it: the
        viewer may sit below the fold). A view that is not shown ignores it."""
        self.send_or_alert({"kind": "reveal"}, "a reveal request")

    def check(self, zone: str) -> dict[str, Any]:
        """Check one zone again (by id, type or path); returns its entry (as shown)."""
        studio, gen = self._snapshot()
        z, label = self._locate(studio, gen, zone, "check")
        with self._zone_operation("check", label, busy=_ZoneSlot(self, gen, zone_key(z), "check", label),
                                  args={"zone_id": z.get("id")}) as op:
            entry = self._check_zone(gen, studio, z)
            op.end("done" if entry["status"] != "error" else "failed", summary_text(entry))
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
        """Start the (stopped) code studio; progress is shown in the panel. Returns the future, or
        ``None`` when the answer was lost (the operation's outcome is "unknown"; the panel says what
        DSS shows). Raises :class:`NotRunning` without a studio, :class:`ZoneBusy` while a start from
        this viewer runs, ``RuntimeError`` for a studio that is not stopped (never restarted here)."""
        studio, gen = self._snapshot()
        op = self._operation("start", label=f"code studio {self._label()}", busy=_StartSlot(self, gen),
                             alert_key="start", on_unknown=lambda: f"DSS now shows {studio.get_status().state}")
        if studio is None:
            op.refuse("No code studio selected.")
            raise NotRunning("No code studio selected.")
        with op:
            self._refuse_unless_stopped(studio, op)
            future = studio.restart()  # sent once: never retried
            with self._lock:
                if gen == self._gen:
                    self.start_progress = task_view(future)
                    self.studio_view = self._view("STARTING")
            sub = op.follow(future, studio.client.tracker, on_progress=lambda f: self._start_progress(gen, f),
                            on_done=lambda f: self._start_done(gen, f))
            with self._lock:
                if gen == self._gen and self._starting:
                    self._start_sub = sub
            return future
        self.sync_board(studio).studio_changed(studio.project_key, studio.id)  # outcome unknown: look again
        return None

    def _refuse_unless_stopped(self, studio: Any, op: Any) -> None:
        """Refuse the start (a ``RuntimeError``) unless DSS shows the studio stopped."""
        try:
            state = studio.get_status().get_raw().get("state")
        except Exception as exc:
            gone = self._deleted_by(exc, self._gen)
            op.refuse(str(gone or self._error_text(exc)))
            if gone is not None:
                raise gone from exc
            raise
        if state != "STOPPED":
            # never restart a running studio from here: a restart stops it (syncing every zone)
            reason = f"Code studio {self._label()} is {state}: only a stopped code studio can be started here."
            op.refuse(reason)
            raise RuntimeError(reason)

    @action("start")
    def _on_start(self) -> dict[str, Any]:
        return _unless_repeated(lambda: {"outcome": "started" if self.start() is not None else "unknown"})

    def _start_progress(self, gen: int, future: Any) -> None:
        view = task_view(future)
        with self._lock:
            if gen == self._gen and self._starting and view["status"] == "running":
                self.start_progress = view

    def _start_done(self, gen: int, future: Any) -> None:
        """The start ended (on the viewer's action pool): show it, and have every viewer of the studio
        look again (this one included)."""
        with self._lock:
            if gen != self._gen:
                return
            self._starting, self._start_sub = False, None
            self.start_progress = task_view(future)
        studio = self._studio
        self.sync_board(studio).studio_changed(studio.project_key, studio.id)

    def _refresh_quietly(self, gen: int) -> None:
        if gen != self._gen:
            return
        try:
            self._refresh(record=False)
        except Exception as exc:
            self.add_alert(self._error_text(exc), key="load")

    # -- zone bookkeeping: resolve against a fresh status, keep ``zones`` in step ------------
    def _snapshot(self) -> tuple[Any, int]:
        with self._lock:
            return self._studio, self._gen

    def _label(self) -> str | None:
        s = self._studio
        return None if s is None else f"{s.project_key}/{s.id}"

    def _view(self, state: str | None, message: str | None = None) -> dict[str, Any]:
        return studio_view(self._studio, self._name, state, starting=self._starting, message=message,
                           deleted=self._deleted)

    def _deleted_by(self, exc: BaseException, gen: int) -> StudioDeleted | None:
        """If ``exc`` (from a status read) says the studio no longer exists: show it deleted -- no zone, no
        button, no alert -- and return the :class:`StudioDeleted` to raise; else ``None``."""
        if not studio_missing(exc):
            return None
        with self._lock:
            if gen == self._gen:
                self._deleted = True
                self._inflight = {}
                self.zones, self.checking = [], False
                self.studio_view = self._view(None)
                self.clear_alert("load")
        return StudioDeleted(f"Code studio {self._label()} was deleted: nothing to sync.")

    def _gone_after(self, exc: BaseException, gen: int, studio: Any) -> None:
        """A zone call answered 404: read the status once to learn whether the studio itself is gone."""
        if getattr(exc, "status", None) != 404 or gen != self._gen:
            return
        try:
            studio.get_status()
        except Exception as status_exc:
            self._deleted_by(status_exc, gen)

    def _apply_status(self, gen: int, status: Any, studio: Any) -> list[dict[str, Any]]:
        state = status.get_raw().get("state")
        state = state if isinstance(state, str) else None  # a malformed state is an unknown one
        zones = normalise(status.get_zones("objects")) if state == "RUNNING" else []
        name = self._name
        if name is None:
            try:
                name = studio.get_settings().name
            except Exception:  # the name is a nicety: the id is shown instead
                name = None
        with self._lock:
            if gen != self._gen:
                return zones
            self._name = name
            previous = {e["key"]: e for e in self.zones}
            entries = []
            for z in zones:
                key = zone_key(z)
                self._known_ids[z["id"]] = key
                prev = previous.get(key)
                if prev and prev["id"] != z["id"]:  # restarted: the old check says nothing now
                    prev = {"result": prev["result"], "busy": prev["busy"]}
                entries.append(base_entry(z, prev))
            self.zones = entries
            self.studio_view = self._view("STARTING" if self._starting and state == "STOPPED" else state)
        return zones

    def _put(self, gen: int, entry: dict[str, Any], **override: Any) -> None:
        with self._lock:
            if gen != self._gen:
                return
            zones = list(self.zones)
            for i, cur in enumerate(zones):
                if cur["key"] == entry["key"]:
                    zones[i] = {**entry, "busy": cur["busy"], "result": cur["result"], **override}
                    self.zones = zones
                    return

    def _patch(self, gen: int, key: str, **fields: Any) -> None:
        with self._lock:
            cur = next((e for e in self.zones if e["key"] == key), None)
            if cur is not None:
                self._put(gen, {**cur, **fields}, **fields)

    def _begin(self, gen: int, key: str, op: str, label: str) -> None:
        with self._lock:
            if gen != self._gen:
                raise RuntimeError("The viewer switched to another code studio: nothing was sent.")
            if key in self._inflight:
                raise ZoneBusy(f"A {self._inflight[key]} is already running on zone {label}: "
                               f"wait for it to finish (no {op} was sent).")
            self._inflight[key] = op
            self._patch(gen, key, busy=op)

    def _end(self, gen: int, key: str) -> None:
        with self._lock:
            if gen == self._gen:
                self._inflight.pop(key, None)
                self._patch(gen, key, busy=None)

    def _operation(self, what: str, **kwargs: Any) -> Any:
        """:meth:`Panel.operation` on the studio shown (its ids in the activity entry)."""
        s = self._studio
        ids = {} if s is None else {"project_key": s.project_key, "studio_id": s.id, "studio": self._name or s.id}
        return self.operation(what, **ids, **kwargs)

    def _zone_operation(self, what: str, zone: str, **kwargs: Any) -> Any:
        """:meth:`_operation` on one zone (``zone``: its label), named "zone <label>" in alerts (and a
        "pull (code studio → DSS)" is a "pull" there)."""
        kwargs.setdefault("alert_key", f"zone:{zone}")  # a later success on the zone clears its failure's alert
        return self._operation(what, zone=zone, label=f"zone {zone}", verb=what.split(" (")[0], **kwargs)

    def _refresh(self, record: bool) -> Future[dict[str, Any]]:
        """Read the status (on the calling thread), then check every idle zone in parallel on the
        viewer's check pool. Returns a future resolved when every check has ended; nothing here
        waits on it (a caller outside the viewer's pools may: :meth:`refresh`)."""
        done: Future[dict[str, Any]] = Future()
        studio, gen = self._snapshot()
        if studio is None:
            done.set_result({"outcome": "done"})
            return done
        op = self._operation("check all") if record else None
        with self._lock:
            if gen == self._gen:
                self.checking = True
        try:
            zones = self._apply_status(gen, studio.get_status(), studio)
            self._mark_updated()
            self.clear_alert("load")
            with self._lock:  # mark every idle zone as being checked, in one trait update
                todo = [z for z in zones if gen == self._gen and zone_key(z) not in self._inflight]
                self._inflight.update({zone_key(z): "check" for z in todo})
                if gen == self._gen:
                    self.zones = [{**e, "busy": "check"} if e["key"] in {zone_key(z) for z in todo} else e
                                  for e in self.zones]
        except Exception as exc:
            if self._deleted_by(exc, gen) is not None:  # shown as deleted: not an error to raise
                self._checks_ended(gen, op, None)
                done.set_result({"outcome": "deleted"})
                return done
            why = self._error_text(exc)
            with self._lock:  # say why nothing can be synced (never "in state None")
                if gen == self._gen:
                    self.studio_view = self._view(None, f"Cannot read this code studio, so nothing can be synced: "
                                                        f"{why}.")
            self._checks_ended(gen, op, why)
            raise
        left = [len(todo)]

        def one_ended(_job: Any = None) -> None:
            with self._lock:
                left[0] -= 1
                if left[0] > 0:
                    return
            self._checks_ended(gen, op, None)
            done.set_result({"outcome": "done"})

        if not todo:
            left[0] = 1
            one_ended()
        for z in todo:
            try:
                self._checks.submit(self._check_zone, gen, studio, z).add_done_callback(one_ended)
            except RuntimeError:  # the viewer was closed meanwhile
                self._end(gen, zone_key(z))
                one_ended()
        return done

    def _checks_ended(self, gen: int, op: Any, error: str | None) -> None:
        with self._lock:
            if gen == self._gen:
                self.checking = False
        if op is not None:
            detail = error if error is not None else static.summary(self.studio_view, self.zones)
            op.end("failed" if error is not None else "done", detail)

    def _check_zone(self, gen: int, studio: Any, zone: dict[str, Any], end: bool = True) -> dict[str, Any]:
        key = zone_key(zone)
        side: DssSide | None = None
        try:
            entry, full = checked_entry(zone, studio.check_conflicts(zone["id"]))
            if entry["status"] != "error":
                side = (read_dss_side(studio, zone, entry["commit_from_full"], entry["commit_to_full"])
                        if dss_changed(entry) else DssSide(True, versioned=entry["versioned"]))
                entry = with_dss_side(entry, side)
        except Exception as exc:  # shown on the zone itself
            entry, full = base_entry(zone), {c: [] for c in CHANGES}
            entry.update(status="error", error=self._error_text(exc))
            self._gone_after(exc, gen, studio)
        finally:
            if end:
                self._end(gen, key)
        with self._lock:
            if gen == self._gen:
                self._full[key] = full
                self._dss[key] = side
        self._put(gen, entry)
        return entry

    def _locate(self, studio: Any, gen: int, zone: str, what: str) -> tuple[dict[str, Any], str]:
        """The zone named ``zone`` in a fresh status, and its label; else a refused ``what``, raised."""
        check_id(zone, "zone")  # malformed: a ValueError before anything is sent (or logged as activity)
        try:
            if studio is None:
                raise NotRunning("No code studio selected.")
            try:
                status = studio.get_status()
            except Exception as exc:
                gone = self._deleted_by(exc, gen)
                if gone is not None:
                    raise gone from exc
                raise
            zones = self._apply_status(gen, status, studio)
            state = status.get_raw().get("state")
            if state != "RUNNING":
                raise NotRunning(f"Code studio {self._label()} is {state}: zones exist only while it runs, "
                                 f"so there is nothing to {what.split()[0]}.")
            z = resolve(zone, zones, self._known_ids)
        except Exception as exc:
            self._zone_operation(what, str(zone)).refuse(self._error_text(exc))
            raise
        return z, base_entry(z)["label"]

    def _sync(self, op: str, zone: str, *, force: bool = False, confirm: str | None = None,
              interactive: bool = False) -> dict[str, Any]:
        studio, gen = self._snapshot()
        what = f"{op} ({DIRECTION[op]})"
        z, label = self._locate(studio, gen, zone, what)
        key = zone_key(z)
        after: list[dict[str, Any]] = []  # the zone checked again after a lost answer
        sync = self._zone_operation(what, label, busy=_ZoneSlot(self, gen, key, op, label, studio),
                                    on_unknown=lambda: self._recheck_after_loss(op, gen, studio, z, after),
                                    args={"zone_id": z.get("id")})
        if op == "pull" and z["oneWay"]:
            reason = f"Zone {label} is one-way ({DIRECTION['push']}): it cannot be pulled."
            sync.refuse(reason)
            raise ValueError(reason)
        try:
            with sync:
                entry = self._check_zone(gen, studio, z, end=False)
                if entry["status"] == "error":
                    reason = f"Cannot {op} zone {label}: {entry['error']}"
                    sync.refuse(reason)
                    raise RuntimeError(reason)
                reason = entry["confirm"][op]
                if reason and not force and confirm != entry["fingerprint"]:
                    sync.refuse(f"Needs confirmation: {reason}")
                    if interactive:
                        return {"outcome": "confirm", "zone": entry}
                    raise ConfirmationRequired(f"{confirmation_text(op, entry)} Nothing was sent: call {op}(..., "
                                               "force=True) to go ahead.",
                                               entry, op, self._full.get(key))
                overwritten = ConfirmationRequired("", entry, op, self._full.get(key))
                answer = self._transfer(op, studio, z)
                return self._synced(op, gen, studio, z, sync, overwritten, answer)
        except ConfirmationRequired:
            raise
        except Exception as exc:
            self._gone_after(exc, gen, studio)
            if sync.outcome == "failed":  # sent, and DSS (or the network) said no: shown on the zone too
                text = f"{op.capitalize()} of zone {label} failed: {sync.message}"
                self._patch(gen, key, result={"op": op, "ok": False, "text": text})
            raise
        # the answer was lost (outcome unknown): never "failed", never resent; the zone was checked again
        self._patch(gen, key, result={"op": op, "ok": False, "unknown": True, "text": f"{sync.message}."})
        return {"outcome": "unknown", "op": op, "zone": key, "text": f"{sync.message}.",
                "after": after[0] if after else None}

    @staticmethod
    def _transfer(op: str, studio: Any, z: dict[str, Any]) -> dict[str, Any]:
        """The pull or push itself: sent once, never retried. Returns DSS's answer (a push's counts)."""
        if op == "pull":
            studio.pull_from_code_studio(z["id"])
            return {}
        return studio.push_to_code_studio(z["id"]) or {}

    def _synced(self, op: str, gen: int, studio: Any, z: dict[str, Any], sync: Any,
                overwritten: ConfirmationRequired, answer: dict[str, Any]) -> dict[str, Any]:
        """A pull or push DSS accepted: check the zone again, say what changed, end the operation."""
        key = zone_key(z)
        if op == "pull":
            text = f"Pulled {DIRECTION['pull']}."
        else:
            count = answer.get("count")
            files = f"{count} file{'s' if count != 1 else ''}" if isinstance(count, int) else "the files"
            text = f"Pushed {files} ({human_size(answer.get('size'))}) {DIRECTION['push']}."
        after = self._check_zone(gen, studio, z, end=False)
        text += f" Now: {summary_text(after)}."
        listed = [f"{c} {p}" for c in CHANGES for p in overwritten.files[c]]
        where = "DSS" if op == "pull" else "the code studio"
        detail = text + (f" May have overwritten in {where}: {'; '.join(listed)}." if listed else "")
        if op == "push" or not overwritten.complete:
            detail += " (Changes DSS cannot list may have been overwritten too.)"
        self._patch(gen, key, result={"op": op, "ok": True, "text": text})
        sync.end("done", detail, files=[p for c in CHANGES for p in overwritten.files[c]])
        # DSS's own fields first: a server key (``outcome``, ``text``...) never overrides the panel's reply
        return {**answer, "outcome": "done", "op": op, "zone": key, "text": text, "after": after}

    def _recheck_after_loss(self, op: str, gen: int, studio: Any, z: dict[str, Any],
                            after_holder: list[dict[str, Any]]) -> str:
        """A pull/push whose answer was lost: "outcome unknown — checking", then what the zone shows now."""
        key = zone_key(z)
        self._patch(gen, key, result={"op": op, "ok": False, "unknown": True, "text": "outcome unknown — checking"})
        after = self._check_zone(gen, studio, z, end=False)
        after_holder.append(after)
        if after.get("status") == "error":
            return f"checking again failed: {after.get('error')}"
        return f"DSS now shows: {summary_text(after)}"

    # -- front-end messages -----------------------------------------------------------------
    @action("refresh")
    def _on_refresh(self) -> Future[dict[str, Any]]:
        return self._refresh(record=True)  # the reply goes out when every check has ended

    @action("check")
    def _on_check(self, zone: str) -> dict[str, Any]:
        return _unless_repeated(lambda: {"outcome": "done", "zone": self.check(zone)})

    @action("pull")
    def _on_pull(self, zone: str, confirm: str | None = None) -> dict[str, Any]:
        return _unless_repeated(lambda: self._sync("pull", zone, confirm=confirm, interactive=True))

    @action("push")
    def _on_push(self, zone: str, confirm: str | None = None) -> dict[str, Any]:
        return _unless_repeated(lambda: self._sync("push", zone, confirm=confirm, interactive=True))

    def code(self, what: str, zone: str) -> str:
        """The Python of a ``"pull"``, ``"push"`` or ``"check"`` of the zone shown as ``zone`` (its key or id), before
        it is taken (the confirmation's "Copy as Python"; nothing is sent). ``ValueError`` for another action, a zone
        not shown or no studio."""
        if what not in ("pull", "push", "check"):
            raise ValueError(f"No Python code for {what!r}")
        s = self._studio
        entry = next((z for z in self.zones if zone in (z.get("key"), z.get("id"))), None)
        if s is None or entry is None or not entry.get("id"):
            raise ValueError(f"Zone {zone!r} is not shown here (check the studio again)")
        code = python_code(what, project_key=s.project_key, studio_id=s.id, zone_id=entry["id"])
        if code is None:
            raise ValueError(f"No Python code for {what!r}")
        return code

    @action("code")
    def _on_code(self, what: str, zone: str) -> dict[str, Any]:
        return {"code": self.code(str(what), str(zone))}

    @action("diff")
    def _on_diff(self, zone: str, path: str) -> dict[str, Any]:
        """A diff asked by the view: read from the zone's last check (no new request) when it is known."""
        with self._lock:
            side = self._dss.get(zone)
        if side is not None and side.known and path in side.files:
            return {"outcome": "done", "diff": side.files[path].diff}
        return {"outcome": "done", "diff": self.diff(zone, path)}


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

    def changes(self, zone: str) -> pd.DataFrame:
        """Every file changed since the last sync in ``zone`` (checked again now), one row per side:
        ``side`` ("dss" or "studio"), ``change`` (added, modified, deleted), ``path`` (zone-relative),
        ``conflict`` (changed on both sides), ``authors`` and ``messages`` (DSS commits; lists).

        DSS-side rows come from the project git diff between the zone's ``commitFrom`` and
        ``commitTo``; studio-side rows are what DSS reports (the conflicting files only: DSS does not
        list the others). When the DSS side cannot be read (e.g. a resources zone, not versioned),
        ``frame.attrs["dss_unknown"]`` says why and there are no DSS rows."""
        entry = self.check(zone)
        with self._lock:
            side, full = self._dss.get(entry["key"]), self._full.get(entry["key"]) or {}
        rows = [("dss", f.change, path, any(path in full.get(c, []) for c in CHANGES), list(f.authors),
                 list(f.messages)) for path, f in sorted((side.files if side else {}).items())]
        rows += [("studio", c, p, True, [], []) for c in CHANGES for p in full.get(c, [])]
        frame = pd.DataFrame(rows, columns=["side", "change", "path", "conflict", "authors", "messages"], dtype=object)
        frame["change"] = pd.Categorical(frame["change"], categories=list(CHANGES))
        frame["conflict"] = frame["conflict"].astype(bool)
        if side is None or not side.known:
            frame.attrs["dss_unknown"] = side.why if side is not None else entry.get("error")
        return frame

    def diff(self, zone: str, path: str) -> str | None:
        """The unified diff of ``path``'s DSS-side change since the last sync in ``zone`` (checked
        again now): "" when DSS did not change it, ``None`` when DSS has no history to show (e.g. a
        resources zone) or did not send the text."""
        entry = self.check(zone)
        with self._lock:
            side = self._dss.get(entry["key"])
        if side is None or not side.known:
            return None
        change = side.files.get(path)
        return "" if change is None else change.diff

    def save_dss_versions(self, zone: str, path: Any) -> dict[str, Any]:
        """Write DSS's current versions of the files a pull of ``zone`` may overwrite (those its confirmation
        lists) into a zip at ``path`` -- a file path (next to the notebook: ``"dss-versions.zip"``) or a binary
        file object -- before pulling. Only for a zone whose DSS side the project library API serves
        (``project-lib-versioned``); uses the zone's last check (checks it first if it has none).

        Returns ``{path, read, not_read}``: the zone paths in the zip, and ``{path: why}`` for the listed files it
        could not include (deleted in DSS, refused, over the size limit). ``ValueError`` for another zone (its
        confirmation says how to get its files back: DSS's git history, or nothing for a resources zone)."""
        studio, gen = self._snapshot()
        z, label = self._locate(studio, gen, zone, "download DSS's versions")
        key = zone_key(z)
        if not library_zone(z.get("zone")):
            reason = (f"DSS's versions of zone {label} cannot be read through DSS's API: only the project library "
                      "zone's can (docs/dss-api.md §3.5). Its pull confirmation says how to get its files back.")
            self._zone_operation(DSS_VERSIONS, label).refuse(reason)
            raise ValueError(reason)
        with self._lock:
            entry = next((e for e in self.zones if e["key"] == key), None)
            full, side = self._full.get(key), self._dss.get(key)
        if entry is None or entry["status"] not in ("clean", "conflicts"):
            entry = self.check(zone)
            with self._lock:
                full, side = self._full.get(key), self._dss.get(key)
        files, missing = backup_files(entry, full, side)
        project = studio.client.get_project(studio.project_key)
        code = python_code(DSS_VERSIONS, project_key=studio.project_key, zone=z.get("zone"), files=files,
                           path=os.fspath(path) if isinstance(path, (str, os.PathLike)) else None)
        with self._zone_operation(DSS_VERSIONS, label, code=code,
                                  busy=_ZoneSlot(self, gen, key, "download", label)) as op:
            result = zip_dss_versions(project, str(z.get("zone")), files, path)
            not_read = {**dict.fromkeys(missing, NO_DSS_VERSION), **result.not_read}
            text = f"Saved DSS's versions of {len(result.read)} file{'s' if len(result.read) != 1 else ''}"
            op.end("done", text + (f"; not included: {'; '.join(sorted(not_read))}" if not_read else ""),
                   files=result.read)
            return {"path": result.path, "read": result.read, "not_read": not_read}
        raise RuntimeError(op.message or "the zip was not written")  # pragma: no cover - a read is never "unknown"

    @action("download_dss")
    def _on_download_dss(self, zone: str) -> dict[str, Any]:
        """The pull confirmation's "Download DSS's versions (zip)": the zip goes to the browser as a download."""
        buffer = io.BytesIO()
        result = self.save_dss_versions(zone, buffer)
        studio = self._studio
        name = re.sub(r"[^A-Za-z0-9._-]+", "_", f"{studio.project_key}-{studio.id}-dss-versions.zip")
        if not self.send_or_alert({"kind": "download", "name": name, "mime": "application/zip"}, "the zip",
                                  buffers=[buffer.getvalue()]):
            raise self.shown_error("The zip could not be sent to the browser.")
        return {"outcome": "done", "name": name, "read": result["read"], "not_read": result["not_read"]}

    @property
    def activity(self) -> list[dict[str, Any]]:
        """What was done from this viewer, oldest first (entries of
        :class:`~cswidgets.widgets.activity.ActivityLog`): ``{id, panel, who, what, target,
        project_key, studio_id, studio, zone, when, outcome ("done" | "failed" | "aborted" |
        "refused"), duration_s, message, files (what a pull or push may have overwritten), ...}``."""
        return self._activity.entries()

    @property
    def activity_log(self) -> ActivityLog:
        """The :class:`~cswidgets.widgets.activity.ActivityLog` the viewer records into."""
        return self._activity.log

    def on_activity(self, callback: Callable[[dict[str, Any]], None]) -> Callable[[], None]:
        """Call ``callback(entry)`` after each operation, with its final entry (on a worker thread);
        returns an unsubscribe. (The activity log itself also has the entry while it runs.)"""

        def ended(entry: dict[str, Any]) -> None:
            if entry["outcome"] != "running":
                callback(entry)

        return self._activity.subscribe(ended)

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
                if getattr(self, "_unsubscribe", None) is not None:
                    self._unsubscribe()
                    self._unsubscribe = None
        super().close()

    def _summary(self) -> str:
        return static.summary(self.studio_view, self.zones)

    def _static_html(self) -> str:
        return static.static_html(self.studio_view, self.zones)
