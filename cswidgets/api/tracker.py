"""Follow any number of futures: :class:`FutureTracker` (``Client.tracker`` is the client's shared one).

Design
------
- **One list read per tick.** Futures of a client (``future.client``) are followed by one ``GET /futures/``
  every ``list_interval`` (1 s) for all of them -- the cost does not grow with their number -- through the
  connection's shared reader, ``Client.tasks`` (a live studio table's read of the same list, younger than
  :data:`SHARED_LIST_AGE_S`, serves it too), plus one consuming read (``peek=False``) per future at its end:
  when the list shows it ended, or when a future it showed is no longer listed. Whether the items carry the
  state (progress) is decided at run time, item by item (:func:`cswidgets.api.assumptions.list_item_has_state`;
  what is INFERRED of the list is there).
- **Per-future peeks as the fallback**, for a future whose list item carries no state, one the list does not
  show (another user's task for a non-admin, whose ``allUsers=true`` read is refused; a list that omits it), a
  future without a client, a list this server does not serve, or ``use_list=False``. A peek's pause starts at
  ``first_interval`` (100 ms) and grows x1.5 to ``max_interval`` (1.5 s); after ``slow_after`` (60 s) of a task
  it keeps growing to ``slow_interval`` (10 s) while the progress does not move, and falls back to 1.5 s when it
  does. When a peek says the task ended, its result is fetched once (:meth:`Future.settle`).
- **No head-of-line blocking.** A scheduler thread decides what is due; every read (the list, a peek, an end
  read) runs on a small pool of reader threads (at most ``readers``, started on demand), one read in flight per
  future and per list, so one slow answer never delays the other futures' reads. The scheduler alone runs the
  callbacks, one at a time, as before: ``on_progress(future)`` after each read that concerns a future (and once
  more before ``on_done``), ``on_done(future)`` at the end. An exception in a callback is logged, never raised.
- **Back-off (AIMD).** Slow answers (next to the usual ones), 429/503 and answers that do not come in time halve
  the tracker's rate (every interval is divided by :attr:`Aimd.scale`); healthy answers bring it back gradually
  (:class:`cswidgets.api.load.Aimd`). :meth:`FutureTracker.live_info` says so, with the requests per second the
  tracker sent, by kind (``tasks list``, ``task peek``, ``task result``).
- **Nobody looks, nearly nothing is read.** ``track(..., watched=...)``: while no subscription of any followed
  future says somebody looks at it (its panel's views are all hidden or gone), the tracker reads at a trickle:
  at most one request every :data:`TRICKLE_GAP_S` (0.2 per second) in all, the running-tasks list every
  :data:`TRICKLE_LIST_S`. :meth:`FutureTracker.wake` (a view came back) reads at once. A subscription without
  ``watched`` is always looked at (a script waiting on its tasks).
- **Closed panels stop costing.** ``track(..., keep=...)``: a subscription whose ``keep()`` is false (its panel
  closed) is cancelled before the next read; a future without active subscriptions is no longer read, unless
  another subscriber remains.
- After ``max_errors`` consecutive failed reads of a future (the list's, or its peeks) its outcome is set to the
  last error and ``on_done`` is called: tracking never hangs silently; :meth:`poll_errors` tells panels meanwhile.
- Threads: the scheduler exits by itself after ``idle_timeout`` seconds with nothing to follow (the next
  ``track`` starts a new one), and on :meth:`close`; the readers with it.
"""

from __future__ import annotations

import itertools
import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from . import assumptions
from .errors import DSSConnectionError, DSSError, DSSFutureError
from .futures import FIRST_INTERVAL_S, MAX_INTERVAL_S, Future
from .load import Aimd, LoadMeter
from .tasklist import TaskList
from .tracking import BY_LIST, BY_PEEK, Entry, ListSource, PeekPace

__all__ = ["FutureTracker", "Subscription"]

log = logging.getLogger(__name__)

Callback = Callable[[Future], None]
LIST_INTERVAL_S = 1.0
SLOW_INTERVAL_S = 10.0
SLOW_AFTER_S = 60.0
LIST_MIN_GAP_S = 0.5  # a burst of new futures never reads the list more often than this
READERS = 4
LIST_FAILURES_TO_PEEKS = 2  # failed list reads in a row after which its futures are peeked meanwhile
TRICKLE_GAP_S = 5.0  # nobody looks: at most one read every this many seconds (0.2 per second)
TRICKLE_LIST_S = 10.0  # ... and the running-tasks list at most this often
SHARED_LIST_AGE_S = 0.5  # a list read this young (a live table's, through Client.tasks) serves the tracker too
_counter = itertools.count(1)


def _record(future: Future, err: DSSError) -> None:
    with future._lock:
        if not future.done:
            future._record_error(err)


def _as_error(exc: BaseException) -> DSSError:
    return exc if isinstance(exc, DSSError) else DSSError(f"malformed answer: {type(exc).__name__}: {exc}")


def _mark(future: Future) -> tuple[Any, ...]:
    p = future.progress
    return p.stage, None if p.fraction is None else round(p.fraction * 1000)


class Subscription:
    """A registration made by :meth:`FutureTracker.track`; :meth:`cancel` stops the callbacks."""

    def __init__(self, tracker: FutureTracker, future: Future, on_progress: Callback | None,
                 on_done: Callback | None, keep: Callable[[], bool] | None = None,
                 watched: Callable[[], bool] | None = None):
        self.future = future
        self.on_progress = on_progress
        self.on_done = on_done
        self.keep = keep
        self.watched = watched
        self._tracker = tracker
        self.active = True

    def wanted(self) -> bool:
        """Whether it is active and its ``keep()`` (if any) still says so."""
        if not self.active:
            return False
        try:
            return self.keep is None or bool(self.keep())
        except Exception:  # a keep() that fails cannot say it is wanted
            log.exception("a FutureTracker keep() raised: the subscription is dropped")
            return False

    def looked_at(self) -> bool:
        """Whether somebody looks at what this subscription shows (its ``watched()``; ``True`` without one)."""
        if not self.active or self.watched is None:
            return self.active
        try:
            return bool(self.watched())
        except Exception:  # a watched() that fails: read live rather than miss an end
            log.exception("a FutureTracker watched() raised: counted as looked at")
            return True

    def cancel(self) -> None:
        """Stop calling this subscription's callbacks (the task itself keeps running)."""
        self._tracker._remove(self)

    def __repr__(self) -> str:
        return f"Subscription({self.future!r}, active={self.active})"


class FutureTracker:
    """Follows many futures with one list read per tick and notifies subscribers.

    Parameters
    ----------
    idle_timeout : float
        Seconds without futures after which the threads exit (restarted on demand).
    list_interval : float
        Seconds between two reads of the running-tasks list (``GET /futures/``), default 1 s.
    first_interval, max_interval : float
        Per-future peeks (the fallback): the pause grows x1.5 from ``first_interval`` to ``max_interval``.
    slow_interval, slow_after : float
        After ``slow_after`` seconds of a task whose progress does not move, peeks slow down to one every
        ``slow_interval`` seconds (back to ``max_interval`` as soon as it moves).
    max_errors : int
        Consecutive failed reads after which a future is reported done with the last error.
    use_list : bool
        ``False``: per-future peeks only (no list reads).
    readers : int
        Reader threads at most (reads in flight at once).
    aimd : Aimd, optional
        The back-off controller (default: a new :class:`~cswidgets.api.load.Aimd`).
    """

    def __init__(
        self,
        *,
        idle_timeout: float = 5.0,
        list_interval: float = LIST_INTERVAL_S,
        first_interval: float = FIRST_INTERVAL_S,
        max_interval: float = MAX_INTERVAL_S,
        slow_interval: float = SLOW_INTERVAL_S,
        slow_after: float = SLOW_AFTER_S,
        max_errors: int = 10,
        use_list: bool = True,
        readers: int = READERS,
        aimd: Aimd | None = None,
    ) -> None:
        for name, value in (("list_interval", list_interval), ("first_interval", first_interval),
                            ("max_interval", max_interval), ("slow_interval", slow_interval)):
            if not (isinstance(value, (int, float)) and value > 0):
                raise ValueError(f"{name} must be a positive number of seconds")
        if not isinstance(readers, int) or readers < 1:
            raise ValueError("readers must be an int >= 1")
        self.idle_timeout = idle_timeout
        self.list_interval = float(list_interval)
        self.first_interval = first_interval
        self.max_interval = max_interval
        self.slow_interval = slow_interval
        self.slow_after = slow_after
        self.max_errors = max_errors
        self.use_list = use_list
        self.readers = readers
        self.aimd = aimd if aimd is not None else Aimd()
        self.meter = LoadMeter()
        self.name = f"cswidgets-future-tracker-{next(_counter)}"
        self._cond = threading.Condition(threading.RLock())
        self._entries: dict[int, Entry] = {}
        self._sources: dict[int, ListSource] = {}
        self._notes: dict[int, Entry] = {}  # entries whose subscribers are to be told (scheduler thread)
        self._in_flight = 0
        self._trickle_next = 0.0  # nobody looks: no read before this (monotonic)
        self.trickling = False  # whether the last plan found nobody looking
        self._thread: threading.Thread | None = None
        self._pool: ThreadPoolExecutor | None = None
        self._closed = False

    # --- public ----------------------------------------------------------------------------------------
    def track(self, future: Future, on_progress: Callback | None = None, on_done: Callback | None = None,
              *, keep: Callable[[], bool] | None = None, watched: Callable[[], bool] | None = None) -> Subscription:
        """Follow ``future``: ``on_progress(future)`` after each read, ``on_done(future)`` at the end.

        ``keep``: a function that says whether the subscriber still wants it (e.g. ``lambda: not
        panel.closed``); once it answers false the subscription is cancelled before the next read, and the
        future is no longer read unless another subscription remains.

        ``watched``: a function that says whether somebody looks at what the subscriber shows (e.g. a panel's
        ``looked_at``); while no subscription of any followed future is looked at, the tracker trickles
        (:data:`TRICKLE_GAP_S`); :meth:`wake` when somebody looks again.
        """
        if not isinstance(future, Future):
            raise TypeError(f"expected a cswidgets Future, got {type(future).__name__}")
        sub = Subscription(self, future, on_progress, on_done, keep, watched)
        with self._cond:
            if self._closed:
                raise RuntimeError("this FutureTracker is closed")
            entry = self._entries.get(id(future))
            if entry is None:
                entry = self._entries[id(future)] = self._new_entry(future)
            entry.subs.append(sub)
            if entry.mode == BY_PEEK:
                entry.next_due = 0.0  # read (or report done) promptly
            elif entry.source is not None:
                entry.source.soon(time.monotonic(), LIST_MIN_GAP_S)
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name=self.name, daemon=True)
                self._thread.start()
            self._cond.notify_all()
        return sub

    def _new_entry(self, future: Future) -> Entry:
        pace = PeekPace(self.first_interval, self.max_interval, self.slow_interval, self.slow_after)
        entry = Entry(future, pace)
        list_futures = getattr(future.client, "list_futures", None)
        if not self.use_list:
            entry.why_peek = "list reads are off"
        elif future.done or future.job_id is None:
            entry.why_peek = "nothing to wait for"
        elif list_futures is None:
            entry.why_peek = "no client to list the tasks"
        else:
            source = self._sources.get(id(future.client))
            if source is None:
                shared = getattr(future.client, "tasks", None)
                source = self._sources[id(future.client)] = ListSource(
                    list_futures, tasks=shared if isinstance(shared, TaskList) else None)
            entry.source = source
            if source.available(time.monotonic()):
                entry.mode = BY_LIST
            else:
                entry.why_peek = "the running-tasks list is not available"
        return entry

    def wake(self) -> None:
        """Somebody looks again (a panel's view came back): read what is due at once, the trickle lifted."""
        with self._cond:
            now = time.monotonic()
            self._trickle_next = 0.0
            for source in {id(e.source): e.source for e in self._entries.values() if e.source is not None}.values():
                source.soon(now, LIST_MIN_GAP_S)
            for entry in self._entries.values():
                if entry.mode == BY_PEEK and not entry.in_flight:
                    entry.next_due = min(entry.next_due, now)
            self._cond.notify_all()

    @property
    def running(self) -> bool:
        """Whether the tracker thread is alive."""
        thread = self._thread
        return thread is not None and thread.is_alive()

    def __len__(self) -> int:
        """Number of futures being followed."""
        with self._cond:
            return len(self._entries)

    def live_info(self) -> dict[str, Any]:
        """What the tracker follows and costs: ``{"futures", "by_list", "by_peek", "peek_reasons",
        "requests_per_s", "by_kind", "backoff": {"scale", "backed_off", "reason", "backoffs"}}`` (rates
        over the last 60 s of the requests this tracker sent)."""
        with self._cond:
            entries = list(self._entries.values())
        reasons: dict[str, int] = {}
        for e in entries:
            if e.mode == BY_PEEK:
                reasons[e.why_peek or "peeked"] = reasons.get(e.why_peek or "peeked", 0) + 1
        rates = self.meter.rates()
        return {"futures": len(entries), "by_list": sum(1 for e in entries if e.mode == BY_LIST),
                "by_peek": sum(reasons.values()), "peek_reasons": reasons, "trickle": self.trickling,
                "requests_per_s": round(sum(rates.values()), 3), "by_kind": rates, "backoff": self.aimd.info()}

    def close(self, timeout: float = 5.0) -> None:
        """Stop the threads (callbacks are no longer called) and wait up to ``timeout`` s for the scheduler."""
        with self._cond:
            self._closed = True
            for entry in self._entries.values():
                for sub in entry.subs:
                    sub.active = False
            self._entries.clear()
            self._notes.clear()
            thread = self._thread
            pool, self._pool = self._pool, None
            self._cond.notify_all()
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout)

    def __enter__(self) -> FutureTracker:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"FutureTracker(futures={len(self)}, running={self.running})"

    def poll_errors(self, future: Future) -> tuple[int, DSSError | None, float]:
        """Consecutive failed reads of ``future``, the last error and the seconds since the last read that
        answered (``(0, None, 0.0)`` when the last one answered): panels show "connection lost --
        retrying" while it is not 0, with the elapsed time still counting."""
        with self._cond:
            entry = self._entries.get(id(future))
            if entry is None or not entry.errors:
                return 0, None, 0.0
            return entry.errors, entry.last_error, time.monotonic() - entry.last_ok

    # --- the scheduler -----------------------------------------------------------------------------------
    def _remove(self, sub: Subscription) -> None:
        with self._cond:
            sub.active = False
            entry = self._entries.get(id(sub.future))
            if entry is not None and sub in entry.subs:
                entry.subs.remove(sub)
                if not entry.subs:
                    del self._entries[id(sub.future)]
                    self._notes.pop(id(sub.future), None)
            self._cond.notify_all()

    def _run(self) -> None:
        me = threading.current_thread()
        while True:
            jobs: list[Callable[[], None]] = []
            with self._cond:
                if self._closed:
                    return
                self._drop_unwanted()
                notes = list(self._notes.values())
                self._notes.clear()
                if not notes:
                    notes = [e for e in self._entries.values() if e.future.done and not e.in_flight]
                if not notes:
                    if not self._entries and not self._in_flight:
                        self._cond.wait(self.idle_timeout)
                        if self._closed or (not self._entries and not self._in_flight):
                            if self._thread is me:
                                self._thread = None
                            pool, self._pool = self._pool, None
                            if pool is not None:
                                pool.shutdown(wait=False)
                            return
                        continue
                    now = time.monotonic()
                    jobs, wake = self._plan(now)
                    if not jobs:
                        self._cond.wait(max(0.0, min(wake - now, self.idle_timeout)) if wake else self.idle_timeout)
                        continue
                    pool = self._pool
                    if pool is None:
                        pool = self._pool = ThreadPoolExecutor(self.readers, thread_name_prefix=f"{self.name}-read")
            for entry in notes:
                self._deliver(entry)
            for job in jobs:
                try:
                    pool.submit(job)
                except RuntimeError:  # closed meanwhile
                    return

    def _drop_unwanted(self) -> None:
        """Cancel the subscriptions whose ``keep()`` says no (their panel closed)."""
        for entry in list(self._entries.values()):
            for sub in [s for s in entry.subs if not s.wanted()]:
                self._remove(sub)

    def _plan(self, now: float) -> tuple[list[Callable[[], None]], float | None]:
        """The reads due now (marked in flight) and when the next one falls due."""
        jobs: list[Callable[[], None]] = []
        wake: float | None = None
        self.trickling = bool(self._entries) and not any(self._looked(e) for e in self._entries.values())
        if self.trickling and now < self._trickle_next:
            return jobs, self._trickle_next
        limit = 1 if self.trickling else len(self._entries) + len(self._sources) + 1
        listed_sources = {id(e.source): e.source for e in self._entries.values()
                          if e.source is not None and not e.future.done}
        for source in listed_sources.values():
            if source.in_flight:
                continue
            due = max(source.next_due, source.unavailable_until)
            if due <= now and len(jobs) < limit:
                source.in_flight, source.last_sent = True, now
                self._in_flight += 1
                # a shared read older than the newest future it follows cannot show it: never served one
                newest = max((e.tracked_at for e in self._entries.values() if e.source is source), default=now)
                max_age = min(SHARED_LIST_AGE_S, max(0.0, time.monotonic() - newest))
                jobs.append(lambda s=source, t=now, a=max_age: self._read_list(s, t, a))
            else:
                wake = due if wake is None else min(wake, due)
        busy = sum(1 for e in self._entries.values() if e.in_flight)
        room = max(1, self.readers - 1) - busy  # one reader stays free for the list: a slow future never holds it
        for entry in self._entries.values():
            if entry.in_flight or entry.future.done or (entry.mode == BY_LIST and not entry.need_end):
                continue
            if entry.next_due <= now:
                if room <= 0 or len(jobs) >= limit:
                    continue  # every reader busy: the first to finish wakes the scheduler
                room -= 1
                entry.in_flight = True
                self._in_flight += 1
                read = self._read_end if entry.need_end else self._peek
                jobs.append(lambda e=entry, r=read: r(e))
            else:
                wake = entry.next_due if wake is None else min(wake, entry.next_due)
        if self.trickling and jobs:
            self._trickle_next = now + TRICKLE_GAP_S
        return jobs, wake

    @staticmethod
    def _looked(entry: Entry) -> bool:
        return any(sub.looked_at() for sub in entry.subs)

    def _note(self, entry: Entry) -> None:
        """Tell ``entry``'s subscribers (on the scheduler thread); call under the lock."""
        if self._entries.get(id(entry.future)) is entry:
            self._notes[id(entry.future)] = entry
        self._cond.notify_all()

    def _done_reading(self, entry: Entry | None = None, source: ListSource | None = None) -> None:
        if entry is not None:
            entry.in_flight = False
        if source is not None:
            source.in_flight = False
        self._in_flight -= 1
        self._cond.notify_all()

    # --- the readers (pool threads) ----------------------------------------------------------------------
    def _read_list(self, source: ListSource, sent: float, max_age: float = SHARED_LIST_AGE_S) -> None:
        t0 = time.monotonic()
        fresh = True
        try:
            if source.tasks is not None:  # the connection's one reader: a live table's recent read serves us
                answer = source.tasks.read(source.all_users, max_age)
                items, fresh, sent = answer.items, answer.fresh, min(sent, answer.sent)
            else:
                items = source.list_futures(all_users=source.all_users)
            error = None
        except Exception as exc:  # a malformed answer too: the reader never dies of one
            items, error = None, _as_error(exc)
        rtt = time.monotonic() - t0
        if fresh:
            self.meter.record("tasks list")
        with self._cond:
            try:
                if error is None:
                    if fresh:
                        self.aimd.answered(rtt)
                    self._took_list(source, items or [], sent)
                else:
                    self.aimd.failed(error)
                    self._list_failed(source, error)
            finally:
                self._done_reading(source=source)

    def _took_list(self, source: ListSource, items: list[Any], sent: float) -> None:
        now = time.monotonic()
        by_id = {item.get("jobId"): item for item in items if isinstance(item, dict)}
        source.failures = 0
        mine = [e for e in self._entries.values() if e.source is source and not e.future.done]
        shown = newer = 0
        for entry in mine:
            if entry.tracked_at > sent:
                newer += 1  # tracked after this read was sent: the next read tells
                continue
            if entry.in_flight or entry.need_end:
                continue  # being read now
            item = by_id.get(entry.future.job_id)
            if item is None:
                if entry.listed or entry.mode == BY_LIST:  # ended, or the list omits it: one read decides
                    entry.listed, entry.need_end, entry.next_due = False, True, now
                continue
            shown += 1
            entry.listed = True
            if not assumptions.list_item_has_state(item):
                entry.to_peeks("the list items carry no state", now)
                continue
            entry.to_list()
            entry.answered()
            entry.future.observe(item)
            if assumptions.list_item_ended(item):
                entry.need_end, entry.next_due = True, now
            self._note(entry)
        # a list that shows none of ours: rarely (but soon when some were tracked after it was sent)
        pause = self.list_interval if shown or newer else self.slow_interval
        if not any(self._looked(e) for e in mine):
            pause = max(pause, TRICKLE_LIST_S)  # nobody looks: a trickle (wake() when somebody does)
        source.next_due = max(sent + pause / self.aimd.scale, now + LIST_MIN_GAP_S)

    def _list_failed(self, source: ListSource, error: DSSError) -> None:
        now = time.monotonic()
        mine = [e for e in self._entries.values() if e.source is source and not e.future.done]
        if error.status in assumptions.LIST_FORBIDDEN_STATUSES and source.all_users:
            source.all_users = False  # not an admin: one's own tasks; read again at once
            source.next_due = now
            return
        if error.status in assumptions.LIST_MISSING_STATUSES or not (
                isinstance(error, DSSConnectionError) or error.status is None or error.status >= 429):
            log.info("the running-tasks list is not available (%s): peeking each future", error)
            source.unavailable_until = now + assumptions.LIST_RETRY_S
            for entry in mine:
                entry.to_peeks("the running-tasks list is not available", now)
            return
        source.failures += 1
        source.next_due = now + self.list_interval / self.aimd.scale
        for entry in mine:
            if entry.mode != BY_LIST:
                continue
            entry.failed(error)
            log.warning("reading the running tasks for %r failed (%d in a row): %s", entry.future, entry.errors, error)
            if entry.errors >= self.max_errors:
                _record(entry.future, error)
            elif source.failures >= LIST_FAILURES_TO_PEEKS:
                entry.to_peeks("the running-tasks list fails", now)
            self._note(entry)

    def _peek(self, entry: Entry) -> None:
        future = entry.future
        t0 = time.monotonic()
        error: DSSError | None = None
        try:
            future.peek_state()
            self.meter.record("task peek")
            if not future.done and (assumptions.has_result(future.state) or assumptions.future_is_dead(future.state)):
                self.meter.record("task result")
            future.settle()
        except DSSFutureError as err:
            _record(future, err)  # normally recorded on the future already
        except Exception as exc:  # DSSError, or a malformed answer we did not foresee
            error = _as_error(exc)
        rtt = time.monotonic() - t0
        with self._cond:
            try:
                self._after_read(entry, error, rtt)
                entry.next_due = time.monotonic() + entry.pace.next_pause(
                    rtt, time.monotonic() - entry.tracked_at, _mark(future)) / self.aimd.scale
                self._note(entry)
            finally:
                self._done_reading(entry)

    def _read_end(self, entry: Entry) -> None:
        """The consuming read of a future the list says ended (or stopped showing)."""
        future = entry.future
        t0 = time.monotonic()
        error: DSSError | None = None
        try:
            future.get_state()
            self.meter.record("task result")
        except DSSFutureError as err:
            self.meter.record("task result")
            _record(future, err)
        except Exception as exc:
            error = _as_error(exc)
        rtt = time.monotonic() - t0
        with self._cond:
            try:
                self._after_read(entry, error, rtt)
                now = time.monotonic()
                if error is not None:
                    entry.next_due = now + max(rtt, self.max_interval) / self.aimd.scale  # the end read again
                elif not future.done:  # still running: the list omits it
                    entry.need_end = False
                    entry.to_peeks("the running-tasks list does not show it", now)
                    entry.next_due = now + entry.pace.next_pause(rtt, now - entry.tracked_at, _mark(future))
                else:
                    entry.need_end = False
                self._note(entry)
            finally:
                self._done_reading(entry)

    def _after_read(self, entry: Entry, error: DSSError | None, rtt: float) -> None:
        """Errors and back-off after one read of ``entry``; call under the lock."""
        if error is None:
            entry.answered()
            self.aimd.answered(rtt)
            return
        self.aimd.failed(error)
        entry.failed(error)
        log.warning("reading %r failed (%d in a row): %s", entry.future, entry.errors, error)
        if entry.errors >= self.max_errors:
            _record(entry.future, error)

    # --- callbacks (scheduler thread) --------------------------------------------------------------------
    def _deliver(self, entry: Entry) -> None:
        future = entry.future
        subs = self._subs(entry)
        for sub in subs:
            self._call(sub, sub.on_progress)
        if not future.done:
            return
        for sub in subs:
            self._call(sub, sub.on_done)
        with self._cond:
            late = [s for s in entry.subs if s.active and s not in subs]  # subscribed meanwhile
            for sub in entry.subs:
                sub.active = False
            if self._entries.get(id(future)) is entry:
                del self._entries[id(future)]
        for sub in late:
            sub.active = True
            self._call(sub, sub.on_progress)
            self._call(sub, sub.on_done)
            sub.active = False

    def _subs(self, entry: Entry) -> list[Subscription]:
        with self._cond:
            return [s for s in entry.subs if s.active]

    @staticmethod
    def _call(sub: Subscription, callback: Callback | None) -> None:
        if callback is None or not sub.active:
            return
        try:
            callback(sub.future)
        except Exception:
            log.exception("a FutureTracker callback raised (ignored)")
