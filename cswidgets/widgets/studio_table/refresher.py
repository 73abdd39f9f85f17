"""The live studio table: re-reading rows within a request budget, and merging what was read.

:class:`LiveRefresher` is a base of :class:`~cswidgets.widgets.studio_table.StudioTable`. While
``table.live`` is on (the default), one thread (:func:`live_loop`) runs the
:class:`~cswidgets.widgets.studio_table.live.Schedule`: studios in transition or acted on are re-read about
every second, DSS's running tasks name the studios another client is starting or stopping, and the
rest are re-read in a rolling pass, all within ``table.request_budget`` requests per second.

States it shows, and only when they are true:

- a row's ``state`` is what DSS last answered (STARTING, STOPPING while they last);
- ``transitions``: ``{row key: {action, progress, who}}`` for a start or stop DSS lists as running that
  this table did not start (its own are in ``in_flight``);
- "connection lost — retrying" (alert key ``load``) when no read of a tick got an answer; the rows
  stay as last read, "updated hh:mm:ss" stops moving, and the alert clears at the first answer;
- ``updated_ms`` moves on when a pass ends: every row was read since that pass began;
- paused while nobody looks: once a view of the table has been shown, the live reads stop when the last
  view is closed (its output cleared, the cell re-run) or silent for :data:`VIEW_SILENT_S` (a view says
  it is alive every minute), and resume when a view opens again. A table never shown (used from Python
  only) stays live until it is closed.

Thread-safety: the loop thread, the action pool and a user's ``refresh()`` all read; rows change only
in :meth:`LiveRefresher._merge` under the table's ``_rows_lock``, the schedule only under ``_live_lock``.
"""

from __future__ import annotations

import collections
import logging
import threading
import time
import weakref
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import pandas as pd

from cswidgets.api import assumptions
from cswidgets.api.validate import id_problem

from ..shared.errors import describe
from ..shared.progress import progress_view
from . import live as live_module
from .live import ALL_PROJECTS, TICK_S, Schedule
from .rows import frame_rows, replace_rows, row_key, summarize

if TYPE_CHECKING:
    from cswidgets.api.futures import Backoff

log = logging.getLogger(__name__)

__all__ = ["LiveRefresher", "live_loop"]

VIEW_SILENT_S = 150.0  # a view that said nothing for that long is gone (a closed browser tab)
PAUSED_CHECK_S = 5.0
RETRY_FIRST_S = 1.0
RETRY_CAP_S = 30.0
RATE_WINDOW_S = 10.0
_ACTIONS = {"start": "start", "restart": "restart", "stop": "stop"}


class ConnectionLost(Exception):
    """No read of a tick got an answer (the loop backs off and says "connection lost — retrying")."""


class LiveRefresher:
    """Live re-reading of a :class:`StudioTable`'s rows (mixin: needs the table's rows, client and traits)."""

    def _init_live(self, project_keys: list[str] | None, budget: float) -> None:
        self._live_lock = threading.Lock()
        self._schedule = Schedule(budget, project_keys, now=time.monotonic())
        self._live_wake = threading.Event()
        self._live_thread: threading.Thread | None = None
        self._tasks_all_users = True  # GET /futures/?allUsers=true needs an admin: falls back to one's own
        self._requests: collections.deque[tuple[float, int]] = collections.deque()
        self._lost_since: float | None = None
        self._live_backoff: Backoff | None = None
        self._unreadable: dict[str, str] = {}  # row key -> why its status could not be read
        self._info_at = 0.0
        self._views: dict[str, float] = {}  # view id -> when it last said it was open
        self._ever_viewed = False
        weakref.finalize(self, self._live_wake.set)  # collected: the loop wakes up and ends

    # -- the thread ---------------------------------------------------------------------------------
    def _start_live(self) -> None:
        if not self.live or self._closed:
            return
        if self._live_thread is not None and self._live_thread.is_alive():
            return
        self._live_thread = threading.Thread(target=live_loop, args=(weakref.ref(self), self._live_wake),
                                             name=f"{self.thread_prefix}-live", daemon=True)
        self._live_thread.start()

    def _view_said(self, view: str, state: str) -> None:
        """A view opened (``"open"``), is still open (``"alive"``) or closed (``"closed"``)."""
        with self._live_lock:
            if state == "closed":
                self._views.pop(view, None)
            else:
                self._views[view] = time.monotonic()
                self._ever_viewed = True
        self._live_wake.set()

    def watched(self) -> bool:
        """Whether the live reads run now: a view is open, or the table was never shown."""
        with self._live_lock:
            if not self._ever_viewed:
                return True
            now = time.monotonic()
            return any(now - at <= VIEW_SILENT_S for at in self._views.values())

    def _live_step(self) -> float:
        """One tick: plan, read, merge. Returns the pause before the next one."""
        if not self._loaded:
            return TICK_S
        if not self.watched():
            if not self.live_info.get("paused"):
                self.live_info = {**self.live_info, "paused": True}
            return PAUSED_CHECK_S
        now = time.monotonic()
        with self._live_lock:
            plan = self._schedule.plan(now, self._rows, self._flights.keys())
        if not plan:
            self._publish_live(now)
            return TICK_S
        try:
            extra = self._run_plan(plan)
        except ConnectionLost as exc:
            self._count(now, plan.cost)
            return self._connection_lost(exc)
        self._count(now, plan.cost + extra)
        with self._live_lock:
            self._schedule.spent(extra)
        if self._lost_since is not None:
            self._lost_since = None
            self._live_backoff = None
            self.clear_alert("load")
        self._publish_live(time.monotonic())
        return TICK_S

    def _connection_lost(self, exc: BaseException) -> float:
        from cswidgets.api.futures import Backoff  # here: the API's errors import dataikuapi (~0.4 s)

        if self._lost_since is None:
            self._lost_since = time.time()
            self._live_backoff = Backoff(RETRY_FIRST_S, RETRY_CAP_S)
        since = time.strftime("%H:%M:%S", time.localtime(self._lost_since))
        self.add_alert(f"Connection lost since {since} — retrying. The rows are as last read (see \"updated\").",
                       "warning", key="load", detail=str(exc.__cause__ or exc))
        return self._live_backoff.next_pause()

    # -- one plan -----------------------------------------------------------------------------------
    def _run_plan(self, plan: Any) -> int:
        """Read what ``plan`` says; returns the requests made beyond it. Raises :class:`ConnectionLost`
        when nothing got an answer."""
        answered = lost = 0
        extra = 0
        first_lost: BaseException | None = None
        if plan.tasks:
            try:
                self._read_tasks()
                answered += 1
            except ConnectionLost as exc:
                lost, first_lost = lost + 1, exc
        if plan.list_project is not None:
            try:
                extra += self._list_step(plan.list_project)
                answered += 1
            except ConnectionLost as exc:
                lost, first_lost = lost + 1, first_lost or exc
        keys = list(dict.fromkeys(plan.hot + plan.sweep))
        if keys:
            got, missed = self._reread(keys, list_projects=False)
            answered, lost = answered + got, lost + missed
        if lost and not answered:
            raise ConnectionLost("no answer") from first_lost
        return extra

    def _read_tasks(self) -> None:
        """DSS's running tasks: the studios they start or stop become hot, and show the task's progress."""
        from cswidgets.api.errors import DSSConnectionError, DSSError

        list_futures = getattr(self._client, "list_futures", None)
        if list_futures is None:  # a client without tasks (a stand-in): the rolling pass only
            with self._live_lock:
                self._schedule.tasks_enabled = False
            return
        try:
            items = list_futures(all_users=self._tasks_all_users)
        except DSSConnectionError as exc:
            raise ConnectionLost(str(exc)) from exc
        except DSSError as exc:
            if self._tasks_all_users and getattr(exc, "status", None) in (401, 403):
                self._tasks_all_users = False  # not an admin: one's own tasks only
                return
            log.info("running tasks unreadable (%s): the live table relies on its rolling pass", exc)
            with self._live_lock:
                self._schedule.tasks_enabled = False
            self.transitions = {}
            return
        rows = self._rows
        seen: dict[str, dict[str, Any]] = {}
        for item in items:
            action = assumptions.task_action(item)
            for pk, sid in assumptions.studios_of_task(item):
                key = row_key(pk, sid)
                if key in rows:
                    seen[key] = self._task_view(item, action)
        with self._live_lock:
            self._schedule.heat(seen, time.monotonic())
        own = self._flights.keys()
        shown = {k: v for k, v in seen.items() if k not in own}
        if shown != self.transitions:
            self.transitions = shown

    @staticmethod
    def _task_view(item: Any, action: str) -> dict[str, Any]:
        from cswidgets.api.progress import Progress

        owner = item.get("owner") if isinstance(item.get("owner"), str) else None
        return {"action": _ACTIONS.get(action, "task"), "who": owner,
                "progress": progress_view(Progress.from_state(item, 0.0))}

    def _list_step(self, project_key: str) -> int:
        """The pass lists a project (or the projects): drop deleted studios, add new ones (their statuses
        read at once: returned as extra requests), renames and new owners shown."""
        from cswidgets.api.errors import DSSConnectionError

        if project_key == ALL_PROJECTS:
            try:
                keys = self._client.list_project_keys()
            except DSSConnectionError as exc:
                raise ConnectionLost(str(exc)) from exc
            except Exception as exc:
                log.info("project list unreadable: %s", exc)
                keys = sorted({str(r.get("project_key")) for r in self._rows.values()})
            with self._live_lock:
                self._schedule.set_projects(keys)
            present = set(keys)
            self._merge(None, [k for k, r in self._rows.items() if r.get("project_key") not in present])
            return 0
        listing = self._client.studios_frame([project_key], with_status=False)
        errors = listing.attrs.get("errors", [])
        failed = [e for e in errors if e.get("id") is None or e.get("id") != e.get("id")]
        if failed:
            if failed[0].get("lost"):
                raise ConnectionLost(str(failed[0].get("error")))
            return 0  # the project's answer said no: its rows stay as read (a refresh reports it)
        fresh, fresh_frame, _ = frame_rows(listing)
        with self._rows_lock:  # one hold: a status read meanwhile is not undone by this older copy
            mine = [k for k, r in self._rows.items() if r.get("project_key") == project_key]
            known = [k for k in fresh if k in self._rows]
            new = [k for k in fresh if k not in self._rows]
            renamed = self._frame.loc[known].copy()  # the statuses as read, the listing's names and owners
            for column in ("name", "owner", "template_id", "template_label"):
                renamed[column] = fresh_frame.loc[known, column].to_numpy()
            gone = [k for k in mine if k not in fresh]
            self._merge(renamed, gone)
        with self._live_lock:
            self._schedule.forget(gone)
            self._schedule.listed(known)
        if new:
            # an entry the listing calls malformed (its id cannot name a studio) is shown as listed, with its
            # error: it cannot be read (studio_rows would refuse the whole batch with a ValueError)
            malformed = {k for k in new if fresh[k].get("error")}
            if malformed:
                self._merge(listing[[row_key(str(pk), str(sid)) in malformed
                                     for pk, sid in zip(listing["project_key"], listing["id"])]])
            readable = [k for k in new if k not in malformed]
            if readable:
                pairs = [(fresh[k]["project_key"], fresh[k]["id"]) for k in readable]
                self._merge(self._client.studio_rows(pairs, known=listing))
            with self._live_lock:
                self._schedule.read(new, time.monotonic())
        return len(new)

    # -- reading rows -------------------------------------------------------------------------------
    def _reread(self, keys: Iterable[str], *, list_projects: bool = True) -> tuple[int, int]:
        """Re-read these rows' statuses (and their projects' lists when ``list_projects``: a deleted studio
        leaves the table) and show what changed. Returns ``(answered, lost)`` counts. A row whose read got
        no answer keeps what it showed; one whose read was refused shows the error."""
        with self._rows_lock:
            keys = [k for k in keys if k in self._rows]
            unaddressable = [k for k in keys if id_problem(self._rows[k]["id"]) is not None]  # shown as listed
            keys = [k for k in keys if k not in set(unaddressable)]
            pairs = [(self._rows[k]["project_key"], self._rows[k]["id"]) for k in keys]
            known = None if list_projects else self._frame.loc[keys]
        if unaddressable:  # nothing to ask DSS about them: they keep the listing's error, and cool down
            with self._live_lock:
                self._schedule.read(unaddressable, time.monotonic())
        if not keys:
            return 0, 0
        from cswidgets.api.errors import DSSConnectionError, DSSError

        try:
            df = self._client.studio_rows(pairs, known=known)
        except DSSConnectionError:
            return 0, len(keys)
        except (DSSError, ValueError) as exc:  # the project list failed, a malformed key: each row says so
            self._note_unreadable(dict.fromkeys(keys, describe(exc)[0]), ())
            return len(keys), 0
        errors = df.attrs.get("errors", [])
        lost = {row_key(str(e.get("project_key")), str(e.get("id"))) for e in errors if e.get("lost")}
        failed = {row_key(str(e.get("project_key")), str(e.get("id"))): str(e.get("error"))
                  for e in errors if not e.get("lost")}
        with self._live_lock:
            self._schedule.read(keys, time.monotonic())
        unread = lost | set(failed)
        if unread:  # those rows keep what they showed (as last read); the others are fresh
            pairs_read = zip(df["project_key"], df["id"])
            keep = [i for i, (pk, sid) in enumerate(pairs_read) if row_key(str(pk), str(sid)) not in unread]
            attrs = dict(df.attrs)
            attrs["errors"] = []
            df = df.iloc[keep]
            df.attrs = attrs
        read = {row_key(str(pk), str(sid)) for pk, sid in zip(df["project_key"], df["id"])}
        gone = [k for k in keys if k not in read and k not in unread] if list_projects else []
        self._merge(df, gone)
        self._note_unreadable({k: v for k, v in failed.items() if k in keys}, read | set(gone))
        return len(keys) - len(lost), len(lost)

    def _note_unreadable(self, failed: dict[str, str], fine: Iterable[str]) -> None:
        """One alert for the rows whose status DSS refused to give (they show what was last read)."""
        with self._live_lock:
            unreadable = {k: v for k, v in self._unreadable.items() if k not in set(fine)}
            unreadable.update(failed)
            changed = unreadable != self._unreadable
            self._unreadable = unreadable
        if not changed:
            return
        if not unreadable:
            self.clear_alert("unreadable")
            return
        shown = "; ".join(f"{self._rows.get(k, {}).get('name') or k}: {e}" for k, e in list(unreadable.items())[:3])
        more = f" (and {len(unreadable) - 3} more)" if len(unreadable) > 3 else ""
        self.add_alert(f"Could not read the status of {len(unreadable)} studio(s), shown as last read: {shown}{more}",
                       key="unreadable")

    def _merge(self, df: pd.DataFrame | None, remove: Iterable[str] = ()) -> None:
        """Show fresh rows (a ``studios_frame``-shaped ``df``) and drop the ``remove`` keys: the changed rows
        go to the views as one patch, the summary follows."""
        remove = list(dict.fromkeys(remove))
        if df is not None:
            fresh, fresh_frame, _ = frame_rows(df)
        else:
            fresh, fresh_frame = {}, None
        with self._rows_lock:
            remove = [k for k in remove if k in self._rows]
            changed = {k: r for k, r in fresh.items() if self._rows.get(k) != r}
            if not changed and not remove:
                return
            frame = replace_rows(self._frame, fresh_frame.loc[list(changed)] if changed else
                                 self._frame.iloc[0:0], remove)
            rows = {k: v for k, v in self._rows.items() if k not in set(remove)} if remove else dict(self._rows)
            rows.update(changed)
            self._rows, self._frame = rows, frame
            self._send_rows("patch", list(changed.values()), remove)
            if remove:
                gone = set(remove)
                self.selection = [k for k in self.selection if k not in gone]
            summary = summarize(rows.values(), frame.attrs.get("errors", []))
        if remove:
            with self._live_lock:
                self._schedule.forget(remove)
        self.summary = summary

    # -- what the view shows of it -------------------------------------------------------------------
    def _count(self, now: float, requests: int) -> None:
        self._requests.append((now, requests))
        while self._requests and now - self._requests[0][0] > RATE_WINDOW_S:
            self._requests.popleft()

    def live_rate(self) -> float:
        """Requests per second the live refresh made over the last 10 seconds."""
        now = time.monotonic()
        total = sum(n for at, n in list(self._requests) if now - at <= RATE_WINDOW_S)
        return total / RATE_WINDOW_S

    def _publish_live(self, now: float) -> None:
        """``updated_ms`` when a pass ended; ``live_info`` at most every second."""
        with self._live_lock:
            started = self._schedule.last_pass_started
        if started is not None:
            at = int((time.time() - (now - started)) * 1000)
            if at > self.updated_ms:
                self.updated_ms = at
        if now - self._info_at < 1.0:
            return
        self._info_at = now
        rows = self._rows
        with self._live_lock:
            last_pass = self._schedule.last_pass_s
            estimate = self._schedule.pass_estimate_s(len(rows), len({r.get("project_key") for r in rows.values()}))
        hot = sum(1 for r in rows.values() if r.get("state") in ("STARTING", "STOPPING"))
        # a row is re-read once a pass, and a pass begins at most every MIN_PASS_S: that is a row's age at most
        period = max(last_pass or estimate, live_module.MIN_PASS_S)
        info = {"budget": self.request_budget, "in_transition": hot, "pass_s": round(period, 1),
                "rate": round(self.live_rate(), 1), "tasks": self._schedule.tasks_enabled, "paused": False}
        if info != self.live_info:
            self.live_info = info


def live_loop(ref: weakref.ReferenceType[Any], wake: threading.Event) -> None:
    """Run the live table's ticks until it is closed, collected or its ``live`` is turned off."""
    while True:
        table = ref()
        if table is None or table._closed or not table.live or getattr(table._client, "closed", False):
            return
        try:
            pause = table._live_step()
        except Exception:  # a tick reports its own errors; never let the loop die silently
            log.exception("live refresh tick failed")
            pause = RETRY_CAP_S
        del table  # do not keep the table alive while sleeping
        if wake.wait(pause):
            wake.clear()
