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
- ``stale``: rows scrolled into view that were read longer ago than a visible row is guaranteed
  (:data:`~.live.STALE_AFTER_S`), until their re-read (at once) answers;
- a trickle while nobody looks: no view displayed (never shown, its output cleared, the cell re-run, or
  silent for :data:`VIEW_SILENT_S`: a view says it is alive every minute) or every view hidden (the browser
  tab in the background: ``document.visibilityState``, reported by the view), the live reads drop to
  :data:`~.live.TRICKLE_BUDGET` requests per second, and so do the client's tracker's reads of the tasks this
  table follows (``watched=`` of :meth:`cswidgets.api.FutureTracker.track`; not for a table never displayed,
  whose own actions were started from a cell); they catch up at once when a view comes back
  (``live_info.trickle``);
- slowed: answers that slow down, 429/503 and timeouts halve the rate (:class:`cswidgets.api.load.Aimd`,
  gradual recovery); ``live_info.slowed`` says why ("DSS answers slowly"), and ``live_info.by_kind`` what the
  live reads cost, in requests per second by kind.

What the views tell it (one writer: the view, by message): ``{kind: "view", view, state: "open" | "alive" |
"visible" | "hidden" | "closed"}`` and ``{kind: "viewport", view, keys: [row key...]}`` (the rows on screen,
debounced; at most :data:`MAX_VIEWPORT_KEYS`).

:class:`LiveRefresher` is a part of the table, handed what it uses and nothing more: the
:class:`~cswidgets.widgets.studio_table.store.RowStore` (rows change only through it), the client, and a
:class:`LiveView` (the alerts, ``transitions``, ``live_info``, ``updated_ms``, the rows with an action of
the table's own, whether it may run). Its lock guards its schedule, the views it heard from and the rows it
could not read; the locks of the table are described in one place, :mod:`~cswidgets.widgets.studio_table.store`.
"""

from __future__ import annotations

import collections
import logging
import queue
import threading
import time
import weakref
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, TypedDict

from cswidgets.api import assumptions
from cswidgets.api.errors import DSSConnectionError, DSSError
from cswidgets.api.futures import Backoff
from cswidgets.api.load import Aimd, LoadMeter
from cswidgets.api.progress import Progress
from cswidgets.api.tasklist import TaskList
from cswidgets.api.validate import id_problem

from ..shared.errors import describe
from ..shared.progress import progress_view
from . import live as live_module
from .live import ALL_PROJECTS, TICK_S, Schedule
from .rows import row_key
from .store import RowStore

log = logging.getLogger(__name__)

__all__ = ["LiveInfo", "LiveRefresher", "LiveView", "live_loop"]

VIEW_SILENT_S = 150.0  # a view that said nothing for that long is gone (a closed browser tab)
RETRY_FIRST_S = 1.0
RETRY_CAP_S = 30.0
RATE_WINDOW_S = 10.0
COST_WINDOW_S = 30.0  # live_info.by_kind: requests per second by kind over this window
TRICKLE_TICK_S = 1.0
MAX_VIEWPORT_KEYS = 1000  # a viewport is what a screen shows: more is a bad message
VIEW_STATES = ("open", "alive", "visible", "hidden", "closed")
TASKS_SHARED_AGE_S = 1.0  # a running-tasks read this young (the client's tracker's) serves the table too
_ACTIONS = {"start": "start", "restart": "restart", "stop": "stop"}
#: What a listing changes in a row already shown (its status stays as read).
LISTED_COLUMNS = ("name", "owner", "template_id", "template_label")


class LiveInfo(TypedDict, total=False):
    """How the live refresh goes (the ``live_info`` trait): the ``budget`` (requests/s, ``request_budget``),
    the ``effective`` rate in force (lower while backed off or trickling), the rows ``in_transition``,
    ``pass_s`` (seconds within which every row is re-read), the ``rate`` over the last 10 s, whether DSS's
    running ``tasks`` are read, ``trickle`` (nobody looks: no view displayed or every view hidden),
    ``visible`` (rows on screen), ``slowed`` (why the rate was halved, "" when it is not) and ``by_kind``
    (requests per second over the last 30 s by kind: ``status``, ``tasks list``, ``project list``,
    ``studio list``)."""

    budget: float
    effective: float
    in_transition: int
    pass_s: float
    rate: float
    tasks: bool
    trickle: bool
    visible: int
    slowed: str
    by_kind: dict[str, float]


@dataclass(frozen=True)
class LiveView:
    """What the live refresher may touch of its table (all thread-safe): ``alert(message, level, key=,
    detail=)`` / ``clear_alert(key)``; ``show_transitions(mapping)``, ``show_info(mapping)``, ``show_stale(keys)``
    (the ``transitions``, ``live_info`` and ``stale`` traits), ``show_updated(epoch_ms)`` (``updated_ms``, only
    forward); ``acting()``: the rows with an action of the table's own; ``enabled()``: whether the live reads
    may run (the ``live`` switch on, the table open); ``looked_again()``: a view came back (the tasks the
    table follows are read at once)."""

    alert: Callable[..., None]
    clear_alert: Callable[[str], None]
    show_transitions: Callable[[dict[str, Any]], None]
    show_info: Callable[[dict[str, Any]], None]
    show_updated: Callable[[int], None]
    acting: Callable[[], set[str]]
    enabled: Callable[[], bool]
    show_stale: Callable[[list[str]], None] = lambda _keys: None
    looked_again: Callable[[], None] = lambda: None


class ConnectionLost(Exception):
    """No read of a tick got an answer (the loop backs off and says "connection lost — retrying")."""


class LiveRefresher:
    """Live re-reading of a studio table's rows (see the module's docstring).

    ``thread_name``: the name of its thread (the table's prefix, so the table owns it).
    """

    def __init__(self, store: RowStore, client: Any, view: LiveView, *, project_keys: list[str] | None,
                 budget: float, thread_name: str) -> None:
        self._store = store
        self._client = client
        self._view = view
        self._thread_name = thread_name
        self._lock = threading.Lock()
        self._schedule = Schedule(budget, project_keys, now=time.monotonic())
        self._wake = Wake()
        self._thread: threading.Thread | None = None
        self._tasks_all_users = True  # GET /futures/?allUsers=true needs an admin: falls back to one's own
        self._requests: collections.deque[tuple[float, int]] = collections.deque()
        self._lost_since: float | None = None
        self._backoff: Backoff | None = None
        self._unreadable: dict[str, str] = {}  # row key -> why its status could not be read
        self._all_read_began = float("-inf")  # when the last full refresh was sent (monotonic)
        self._info_at = 0.0
        self._info: dict[str, Any] = {}
        self._transitions: dict[str, Any] = {}
        self._views: dict[str, _ViewState] = {}  # view id -> what it last said
        self._ever_shown = False  # a view ever said something (else: a table used from Python only)
        self._stale: list[str] = []
        #: The back-off of the live reads (replace it before the first tick to tune it, e.g. in tests).
        self.aimd = Aimd()
        #: The live reads' requests by kind (``live_info.by_kind``).
        self.meter = LoadMeter(COST_WINDOW_S)
        weakref.finalize(self, self._wake.set)  # collected: the loop wakes up and ends

    # -- what the table and its tests may ask -------------------------------------------------------
    @property
    def thread(self) -> threading.Thread | None:
        """The live thread (``None`` before it first starts)."""
        return self._thread

    @property
    def passes(self) -> int:
        """Rolling passes completed so far."""
        with self._lock:
            return self._schedule.passes

    @property
    def tasks_all_users(self) -> bool:
        """Whether everybody's running tasks are read (``False``: one's own only, not an admin)."""
        return self._tasks_all_users

    def set_budget(self, budget: float) -> None:
        """Requests per second from now on."""
        with self._lock:
            self._schedule.budget = budget
        self._wake.set()

    def all_read(self, keys: Iterable[str], began: float | None = None) -> None:
        """Every row was just read (a full refresh, sent at ``began``, monotonic): the rolling pass starts over,
        and no row is unreadable any more (the refresh's own failures have their alerts); a live read sent before
        ``began`` whose refusal arrives later no longer counts (the refresh's answer is newer)."""
        now = time.monotonic()
        keys = list(keys)
        with self._lock:
            self._schedule.read(keys, now)
            self._schedule.restart_pass(now)
            self._all_read_began = now if began is None else began
        self._note_unreadable({}, keys)

    def heat(self, keys: Iterable[str], spent: int = 0) -> None:
        """Re-read these rows about every second for a while (an action on them ended); ``spent``: requests
        made for them outside the live reads, counted in the budget."""
        with self._lock:
            self._schedule.heat(list(keys), time.monotonic())
            if spent:
                self._schedule.spent(spent)

    def skip_rest_of_pass(self) -> None:
        """As if the rolling pass had just ended (see :meth:`Schedule.skip_rest_of_pass`)."""
        with self._lock:
            self._schedule.skip_rest_of_pass(time.monotonic())

    def wake(self) -> None:
        """Run the next tick now (and end the thread if the live reads are no longer enabled)."""
        self._wake.set()

    # -- the thread ---------------------------------------------------------------------------------
    def start(self) -> None:
        """Start the live thread (when enabled and not running)."""
        if not self._view.enabled():
            return
        if self._thread is not None and self._thread.is_alive():
            return
        self._thread = threading.Thread(target=live_loop, args=(weakref.ref(self), self._wake),
                                        name=self._thread_name, daemon=True)
        self._thread.start()

    def view_said(self, view: str, state: str) -> None:
        """A view opened (``"open"``), is still open (``"alive"``), became visible or hidden (the browser tab:
        ``"visible"``, ``"hidden"``) or closed (``"closed"``). When it makes somebody look again, the visible rows
        and the running tasks are read at once."""
        if state not in VIEW_STATES:
            raise ValueError(f"unknown view state {state!r}: one of {', '.join(VIEW_STATES)}")
        with self._lock:
            self._ever_shown = True
            before = self._watched_locked()
            old = self._views.get(view)
            if state == "closed":
                self._views.pop(view, None)
            else:
                hidden = state == "hidden" or (state == "alive" and old is not None and old.hidden)
                self._views[view] = _ViewState(time.monotonic(), hidden, old.keys if old else frozenset())
            back = self._watched_locked() and not before
            self._set_visible_locked()
            if back:
                self._stale = sorted(self._schedule.catch_up(time.monotonic()))
            stale = list(self._stale)
        self._view.show_stale(stale)
        if back:
            self._view.looked_again()
        self._wake.set()

    def viewport(self, view: str, keys: Iterable[str]) -> None:
        """The rows on screen in ``view`` (its last word: replaces what it said before). Rows that came into
        view and are older than a visible row is guaranteed are marked stale and re-read at once."""
        keys = list(keys)
        if len(keys) > MAX_VIEWPORT_KEYS:
            raise ValueError(f"a viewport names at most {MAX_VIEWPORT_KEYS} rows, got {len(keys)}")
        with self._lock:
            self._ever_shown = True
            old = self._views.get(view)
            self._views[view] = _ViewState(time.monotonic(), old.hidden if old else False,
                                           frozenset(str(k) for k in keys))
            self._set_visible_locked()
            stale = list(self._stale)
        self._view.show_stale(stale)
        self._wake.set()

    def _set_visible_locked(self) -> None:
        now = time.monotonic()
        shown = [v for v in self._views.values() if not v.hidden and now - v.at <= VIEW_SILENT_S]
        self._stale = sorted(self._schedule.set_visible(frozenset().union(*(v.keys for v in shown)), now))

    @property
    def ever_shown(self) -> bool:
        """Whether a view of the table ever spoke (``False``: a table used from Python only)."""
        return self._ever_shown

    def watched(self) -> bool:
        """Whether somebody looks: a view is displayed and not hidden (else the live reads trickle)."""
        with self._lock:
            return self._watched_locked()

    def _watched_locked(self) -> bool:
        now = time.monotonic()
        return any(not v.hidden and now - v.at <= VIEW_SILENT_S for v in self._views.values())

    def running(self) -> bool:
        """Whether the loop goes on: enabled, and the client open."""
        return self._view.enabled() and not getattr(self._client, "closed", False)

    def step(self) -> float:
        """One tick: plan, read, merge. Returns the pause before the next one."""
        if not self._store.loaded:
            return TICK_S
        watched = self.watched()
        now = time.monotonic()
        with self._lock:
            if watched == self._schedule.trickle:  # somebody looks again, or nobody any more
                self._schedule.trickle = not watched
                self._set_visible_locked()
            self._schedule.scale = self.aimd.scale
            plan = self._schedule.plan(now, self._store.rows, self._view.acting())
        pause = TICK_S if watched else TRICKLE_TICK_S
        sent_at = time.time()  # answers to reads sent before a loss began do not say it ended
        if not plan:
            self._publish_live(now)
            return pause
        try:
            extra = self._run_plan(plan)
        except ConnectionLost as exc:
            self._count(now, plan.cost)
            return self._connection_lost(exc)
        self._count(now, plan.cost + extra)
        with self._lock:
            self._schedule.spent(extra)
        with self._lock:
            if self._lost_since is not None and sent_at < self._lost_since:
                found = False  # this tick's reads left before the loss (a failed Refresh meanwhile): it holds
            else:
                found, self._lost_since, self._backoff = self._lost_since is not None, None, None
        if found:
            self._view.clear_alert("load")
        self._publish_live(time.monotonic())
        return pause

    def _connection_lost(self, exc: BaseException) -> float:
        """No read of a tick got an answer: say so once, when the loss begins (under the lock, so a failed
        refresh that said it meanwhile is not replaced, see :meth:`connection_lost`); back off."""
        with self._lock:
            if self._lost_since is None or self._backoff is None:
                self._lost_since = time.time()
                self._backoff = Backoff(RETRY_FIRST_S, RETRY_CAP_S)
                since = time.strftime("%H:%M:%S", time.localtime(self._lost_since))
                self._view.alert(f"Connection lost since {since} — retrying. The rows are as last read "
                                 "(see \"updated\").", "warning", key="load", detail=str(exc.__cause__ or exc))
            return self._backoff.next_pause()

    def connection_lost(self) -> None:
        """The table's own read found the connection lost and says so itself: the live reads do not say it
        again (their first answer clears it). Call it before showing that alert."""
        with self._lock:
            if self._lost_since is None or self._backoff is None:
                self._lost_since = time.time()
                self._backoff = Backoff(RETRY_FIRST_S, RETRY_CAP_S)

    # -- one plan -----------------------------------------------------------------------------------
    def _run_plan(self, plan: Any) -> int:
        """Read what ``plan`` says; returns the requests made beyond it. Raises :class:`ConnectionLost`
        when nothing got an answer."""
        answered = lost = 0
        extra = 0
        first_lost: BaseException | None = None
        if plan.tasks:
            try:
                extra += self._read_tasks()
                answered += 1
            except ConnectionLost as exc:
                lost, first_lost = lost + 1, exc
        if plan.list_project is not None:
            self.meter.record("project list" if plan.list_project == ALL_PROJECTS else "studio list")
            try:
                extra += self._list_step(plan.list_project)
                answered += 1
            except ConnectionLost as exc:
                lost, first_lost = lost + 1, first_lost or exc
        keys = plan.rows
        if keys:
            got, missed = self.reread(keys, list_projects=False)
            answered, lost = answered + got, lost + missed
        if lost and not answered:
            raise ConnectionLost("no answer") from first_lost
        return extra

    def _read_tasks(self) -> int:
        """DSS's running tasks: the studios they start or stop become hot, and show the task's progress; a row a
        task names for the first time is re-read at once (its new state shows within a tick of the list's read).
        Returns the requests made beyond the list read."""
        list_futures = getattr(self._client, "list_futures", None)
        if list_futures is None:  # a client without tasks (a stand-in): the rolling pass only
            with self._lock:
                self._schedule.tasks_enabled = False
            return 0
        began = time.monotonic()
        shared, fresh = getattr(self._client, "tasks", None), True
        try:
            if isinstance(shared, TaskList):  # the connection's one reader: the tracker's recent read serves us
                answer = shared.read(self._tasks_all_users, TASKS_SHARED_AGE_S)
                items, fresh = answer.items, answer.fresh
            else:
                items = list_futures(all_users=self._tasks_all_users)
        except DSSConnectionError as exc:
            self.meter.record("tasks list")
            self.aimd.failed(exc)
            raise ConnectionLost(str(exc)) from exc
        except DSSError as exc:
            self.meter.record("tasks list")
            self.aimd.failed(exc)
            if self._tasks_all_users and getattr(exc, "status", None) in (401, 403):
                self._tasks_all_users = False  # not an admin: one's own tasks only
                return 0
            log.info("running tasks unreadable (%s): the live table relies on its rolling pass", exc)
            with self._lock:
                self._schedule.tasks_enabled = False
            self._show_transitions({})
            return 0
        if fresh:
            self.meter.record("tasks list")
            self.aimd.answered(time.monotonic() - began)
        else:  # served by a read the tracker made: no request, its token goes back to the budget
            with self._lock:
                self._schedule.spent(-1)
        rows = self._store.rows
        seen: dict[str, dict[str, Any]] = {}
        for item in items:
            action = assumptions.task_action(item)
            for pk, sid in assumptions.studios_of_task(item):
                key = row_key(pk, sid)
                if key in rows:
                    seen[key] = self._task_view(item, action)
        with self._lock:
            self._schedule.heat(seen, time.monotonic())
        own = self._view.acting()
        named = [k for k in seen if k not in own and k not in self._transitions]
        self._show_transitions({k: v for k, v in seen.items() if k not in own})
        if named:
            self.reread(named, list_projects=False)
        return len(named)

    @staticmethod
    def _task_view(item: Any, action: str) -> dict[str, Any]:
        owner = item.get("owner") if isinstance(item.get("owner"), str) else None
        return {"action": _ACTIONS.get(action, "task"), "who": owner,
                "progress": progress_view(Progress.from_state(item, 0.0))}

    def _list_step(self, project_key: str) -> int:
        """The pass lists a project (or the projects): drop deleted studios, add new ones (their statuses
        read at once: returned as extra requests), renames and new owners shown."""
        if project_key == ALL_PROJECTS:
            try:
                keys = self._client.list_project_keys()
            except DSSConnectionError as exc:
                raise ConnectionLost(str(exc)) from exc
            except Exception as exc:
                log.info("project list unreadable: %s", exc)
                keys = sorted({str(r.get("project_key")) for r in self._store.rows.values()})
            with self._lock:
                self._schedule.set_projects(keys)
            present = set(keys)
            self._forget(self._store.merge(None, [k for k, r in self._store.rows.items()
                                                  if r.get("project_key") not in present]))
            return 0
        listing = self._client.studios_frame([project_key], with_status=False)
        errors = listing.attrs.get("errors", [])
        failed = [e for e in errors if e.get("id") is None or e.get("id") != e.get("id")]
        if failed:
            if failed[0].get("lost"):
                raise ConnectionLost(str(failed[0].get("error")))
            return 0  # the project's answer said no: its rows stay as read (a refresh reports it)
        known, gone, new = self._store.merge_listing(project_key, listing, LISTED_COLUMNS)
        with self._lock:
            self._schedule.forget(gone)
            self._schedule.listed(known)
        if new:
            # an entry the listing calls malformed (its id cannot name a studio) is shown as listed, with its
            # error: it cannot be read (studio_rows would refuse the whole batch with a ValueError)
            malformed = {k for k, r in new.items() if r.get("error")}
            if malformed:
                self._store.merge(listing[[row_key(str(pk), str(sid)) in malformed
                                           for pk, sid in zip(listing["project_key"], listing["id"])]])
            readable = [k for k in new if k not in malformed]
            if readable:
                pairs = [(str(new[k]["project_key"]), str(new[k]["id"])) for k in readable]
                self._store.merge(self._client.studio_rows(pairs, known=listing))
            with self._lock:
                self._schedule.read(list(new), time.monotonic())
        return len(new)

    # -- reading rows -------------------------------------------------------------------------------
    def reread(self, keys: Iterable[str], *, list_projects: bool = True) -> tuple[int, int]:
        """Re-read these rows' statuses (and their projects' lists when ``list_projects``: a deleted studio
        leaves the table) and show what changed. Returns ``(answered, lost)`` counts. A row whose read got
        no answer keeps what it showed; one whose read was refused shows the error."""
        keys, pairs, frame = self._store.addresses(keys)
        unaddressable = {k for k, (_, sid) in zip(keys, pairs) if id_problem(sid) is not None}  # shown as listed
        if unaddressable:  # nothing to ask DSS about them: they keep the listing's error, and cool down
            pairs = [p for k, p in zip(keys, pairs) if k not in unaddressable]
            keys = [k for k in keys if k not in unaddressable]
            frame = frame.loc[keys]
            with self._lock:
                self._schedule.read(unaddressable, time.monotonic())
        if not keys:
            return 0, 0
        known = None if list_projects else frame
        began = time.monotonic()
        self.meter.record("status", len(keys))
        try:
            df = self._client.studio_rows(pairs, known=known)
        except DSSConnectionError as exc:
            self.aimd.failed(exc)
            return 0, len(keys)
        except (DSSError, ValueError) as exc:  # the project list failed, a malformed key: each row says so
            self.aimd.failed(exc)
            if began >= self._all_read_began:  # else a full refresh sent since has the newer answer
                self._note_unreadable(dict.fromkeys(keys, describe(exc)[0]), ())
            return len(keys), 0
        errors = df.attrs.get("errors", [])
        self._judge(errors, time.monotonic() - began, len(keys))
        lost = {row_key(str(e.get("project_key")), str(e.get("id"))) for e in errors if e.get("lost")}
        failed = {row_key(str(e.get("project_key")), str(e.get("id"))): str(e.get("error"))
                  for e in errors if not e.get("lost")}
        with self._lock:
            self._schedule.read([k for k in keys if k not in lost], time.monotonic())
            stale = None if not self._stale else [k for k in self._stale if k in self._schedule.stale]
            if stale is not None:
                self._stale = stale
        if stale is not None:
            self._view.show_stale(stale)
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
        self._forget(self._store.merge(df, gone))
        if began < self._all_read_began:  # a full refresh sent since has the newer answers
            failed = {}
        self._note_unreadable({k: v for k, v in failed.items() if k in keys}, read | set(gone))
        return len(keys) - len(lost), len(lost)

    def _judge(self, errors: list[dict[str, Any]], took: float, reads: int) -> None:
        """Tell the back-off how a batch of status reads went: a 429 or 503, or no answer in time, halves the
        rate; else the time of one round (the reads go ``pool_size`` at a time) is an answer's time."""
        overloaded = next((e for e in errors if e.get("status") in Aimd.OVERLOAD_STATUSES), None)
        if overloaded is not None:
            self.aimd.overloaded(f"HTTP {overloaded['status']}")
        elif any(e.get("lost") for e in errors):
            self.aimd.overloaded("no answer in time")
        else:
            rounds = -(-reads // max(1, int(getattr(self._client, "pool_size", 16) or 16)))
            self.aimd.answered(took / max(1, rounds))

    def _note_unreadable(self, failed: dict[str, str], fine: Iterable[str]) -> None:
        """One alert for the rows whose status DSS refused to give (they show what was last read)."""
        with self._lock:
            unreadable = {k: v for k, v in self._unreadable.items() if k not in set(fine)}
            unreadable.update(failed)
            changed = unreadable != self._unreadable
            self._unreadable = unreadable
        if not changed:
            return
        if not unreadable:
            self._view.clear_alert("unreadable")
            return
        rows = self._store.rows
        shown = "; ".join(f"{(rows.get(k) or {}).get('name') or k}: {e}" for k, e in list(unreadable.items())[:3])
        more = f" (and {len(unreadable) - 3} more)" if len(unreadable) > 3 else ""
        self._view.alert(f"Could not read the status of {len(unreadable)} studio(s), shown as last read: {shown}{more}",
                         key="unreadable")

    def _forget(self, removed: list[str]) -> None:
        """Rows the store dropped: the schedule forgets them."""
        if removed:
            with self._lock:
                self._schedule.forget(removed)

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
        with self._lock:
            started = self._schedule.last_pass_started
        if started is not None:
            self._view.show_updated(int((time.time() - (now - started)) * 1000))
        if now - self._info_at < 1.0 and self._info.get("trickle") == self._schedule.trickle:
            return
        self._info_at = now
        rows = self._store.rows
        with self._lock:
            self._schedule.scale = self.aimd.scale
            last_pass = self._schedule.last_pass_s
            estimate = self._schedule.pass_estimate_s(len(rows), len({r.get("project_key") for r in rows.values()}))
            budget, tasks = self._schedule.budget, self._schedule.tasks_enabled
            effective, trickle, visible = self._schedule.rate, self._schedule.trickle, len(self._schedule.visible)
        hot = sum(1 for r in rows.values() if r.get("state") in ("STARTING", "STOPPING"))
        # a row is re-read once a pass, and a pass begins at most every MIN_PASS_S: that is a row's age at most
        period = max(last_pass or estimate, live_module.MIN_PASS_S)
        backoff = self.aimd.info()
        self._show_info({"budget": budget, "effective": round(effective, 3), "in_transition": hot,
                         "pass_s": round(period, 1), "rate": round(self.live_rate(), 2), "tasks": tasks,
                         "trickle": trickle, "visible": visible,
                         "slowed": slowed_text(backoff["reason"]) if backoff["backed_off"] else "",
                         "by_kind": self.meter.rates()})

    def _show_info(self, info: dict[str, Any]) -> None:
        if info != self._info:
            self._info = info
            self._view.show_info(info)

    def _show_transitions(self, shown: Mapping[str, Any]) -> None:
        if shown != self._transitions:
            self._transitions = dict(shown)
            self._view.show_transitions(dict(shown))


@dataclass(frozen=True)
class _ViewState:
    """What a view last said: when (monotonic), whether its page is hidden, the rows it shows."""

    at: float
    hidden: bool
    keys: frozenset[str]


def slowed_text(reason: str | None) -> str:
    """What the view says of a back-off: "DSS answers slowly", "DSS is overloaded (HTTP 503)"..."""
    if not reason or reason.startswith("slow answers"):
        return "DSS answers slowly"
    if reason.startswith("HTTP"):
        return f"DSS is overloaded ({reason})"
    return f"DSS does not answer in time ({reason})" if "time" in reason else f"DSS is struggling ({reason})"


class Wake:
    """The live loop's wake-up call, safe to give from a finalizer: ``queue.SimpleQueue.put`` is reentrant (its
    documentation names weakref callbacks), where ``threading.Event.set`` takes a lock that the waiting thread may
    hold when a garbage collection runs the finalizer in it -- a deadlock (it happened to the text gate's lock)."""

    def __init__(self) -> None:
        self._calls: queue.SimpleQueue[None] = queue.SimpleQueue()

    def set(self) -> None:
        self._calls.put(None)

    def wait(self, timeout: float) -> bool:
        """Wait up to ``timeout`` seconds for a call; ``True`` when one came (every call so far is taken)."""
        try:
            self._calls.get(timeout=max(0.0, timeout))
        except queue.Empty:
            return False
        while True:
            try:
                self._calls.get_nowait()
            except queue.Empty:
                return True


def live_loop(ref: weakref.ReferenceType[LiveRefresher], wake: Wake) -> None:
    """Run the live ticks until the table is closed, collected or its ``live`` is turned off (the loop holds
    the refresher only weakly: a dropped table is collected with it)."""
    while True:
        refresher = ref()
        if refresher is None or not refresher.running():
            return
        try:
            pause = refresher.step()
        except Exception:  # a tick reports its own errors; never let the loop die silently
            log.exception("live refresh tick failed")
            pause = RETRY_CAP_S
        del refresher  # do not keep the table alive while sleeping
        wake.wait(pause)
