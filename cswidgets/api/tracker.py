"""Follow any number of futures from ONE background thread: :class:`FutureTracker`.

Design
------
- One daemon thread per tracker, started lazily by :meth:`FutureTracker.track`; it exits by itself after
  ``idle_timeout`` seconds with nothing to follow (the next ``track`` starts a new one) and on
  :meth:`FutureTracker.close`. The number of threads does not depend on the number of futures:
  futures are peeked one after the other from that thread (sequential peeks are cheap next to the
  intervals; a pool would add threads without a need we have measured).
- Each future has its own schedule: first poll at once, then the interval grows from ``first_interval``
  (100 ms) x1.5 to ``max_interval`` (1.5 s), and is never shorter than the future's last round trip, so a
  slow server is not polled faster than it answers.
- While a task runs it is *peeked* (``peek=True``, retried on transient errors); when a peek says it
  ended, the result is fetched once with ``peek=False`` (:meth:`~cswidgets.api.futures.Future.settle`), so
  a result is never consumed twice. Several subscriptions on the same future share one poll.
- Callbacks run on the tracker thread and receive the :class:`~cswidgets.api.futures.Future` (read
  ``.progress``; on done ``.result`` / ``.error`` / ``.aborted``). An exception in a callback is logged, never
  propagated. ``on_progress`` is called after every poll (and once more before ``on_done``).
- After ``max_errors`` consecutive failed polls (network down, auth lost) the future's outcome is set to
  the last error and ``on_done`` is called: tracking never hangs silently. ``on_progress`` subscribers can
  read :meth:`FutureTracker.poll_errors` meanwhile ("connection lost -- retrying").
- A malformed answer (any exception, not only :class:`DSSError`) counts as a failed poll; the thread never
  dies of one future's answer, and a :class:`DSSFutureError` always ends with an outcome recorded.
- ``Client.tracker`` returns the client's shared tracker.
"""

from __future__ import annotations

import itertools
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from .errors import DSSError, DSSFutureError
from .futures import FIRST_INTERVAL_S, MAX_INTERVAL_S, Backoff, Future

__all__ = ["FutureTracker", "Subscription"]

log = logging.getLogger(__name__)

Callback = Callable[[Future], None]


def _record(future: Future, err: DSSError) -> None:
    with future._lock:
        if not future.done:
            future._record_error(err)
_counter = itertools.count(1)


class Subscription:
    """A registration made by :meth:`FutureTracker.track`; :meth:`cancel` stops the callbacks."""

    def __init__(self, tracker: FutureTracker, future: Future, on_progress: Callback | None, on_done: Callback | None):
        self.future = future
        self.on_progress = on_progress
        self.on_done = on_done
        self._tracker = tracker
        self.active = True

    def cancel(self) -> None:
        """Stop calling this subscription's callbacks (the task itself keeps running)."""
        self._tracker._remove(self)

    def __repr__(self) -> str:
        return f"Subscription({self.future!r}, active={self.active})"


@dataclass
class _Entry:
    future: Future
    subs: list[Subscription] = field(default_factory=list)
    backoff: Backoff = field(default_factory=Backoff)
    next_due: float = 0.0
    errors: int = 0
    last_error: DSSError | None = None
    last_ok: float = field(default_factory=time.monotonic)


class FutureTracker:
    """Polls many futures from one background thread and notifies subscribers.

    Parameters
    ----------
    idle_timeout : float
        Seconds without futures after which the thread exits (restarted on demand).
    first_interval, max_interval : float
        Poll interval bounds in seconds (grows x1.5 between them).
    max_errors : int
        Consecutive failed polls after which a future is reported done with the last error.
    """

    def __init__(
        self,
        *,
        idle_timeout: float = 5.0,
        first_interval: float = FIRST_INTERVAL_S,
        max_interval: float = MAX_INTERVAL_S,
        max_errors: int = 10,
    ) -> None:
        self.idle_timeout = idle_timeout
        self.first_interval = first_interval
        self.max_interval = max_interval
        self.max_errors = max_errors
        self.name = f"cswidgets-future-tracker-{next(_counter)}"
        self._cond = threading.Condition(threading.RLock())
        self._entries: dict[int, _Entry] = {}
        self._thread: threading.Thread | None = None
        self._closed = False

    # --- public ----------------------------------------------------------------------------------------
    def track(
        self, future: Future, on_progress: Callback | None = None, on_done: Callback | None = None
    ) -> Subscription:
        """Follow ``future``: ``on_progress(future)`` after each poll, ``on_done(future)`` at the end."""
        if not isinstance(future, Future):
            raise TypeError(f"expected a cswidgets Future, got {type(future).__name__}")
        sub = Subscription(self, future, on_progress, on_done)
        with self._cond:
            if self._closed:
                raise RuntimeError("this FutureTracker is closed")
            entry = self._entries.get(id(future))
            if entry is None:
                backoff = Backoff(self.first_interval, self.max_interval)
                entry = self._entries[id(future)] = _Entry(future, backoff=backoff)
            entry.subs.append(sub)
            entry.next_due = 0.0  # poll (or report done) promptly
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name=self.name, daemon=True)
                self._thread.start()
            self._cond.notify_all()
        return sub

    @property
    def running(self) -> bool:
        """Whether the tracker thread is alive."""
        thread = self._thread
        return thread is not None and thread.is_alive()

    def __len__(self) -> int:
        """Number of futures being followed."""
        with self._cond:
            return len(self._entries)

    def close(self, timeout: float = 5.0) -> None:
        """Stop the thread (callbacks are no longer called) and wait up to ``timeout`` s for it."""
        with self._cond:
            self._closed = True
            for entry in self._entries.values():
                for sub in entry.subs:
                    sub.active = False
            self._entries.clear()
            thread = self._thread
            self._cond.notify_all()
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout)

    def __enter__(self) -> FutureTracker:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"FutureTracker(futures={len(self)}, running={self.running})"

    # --- internals -------------------------------------------------------------------------------------
    def _remove(self, sub: Subscription) -> None:
        with self._cond:
            sub.active = False
            entry = self._entries.get(id(sub.future))
            if entry is not None and sub in entry.subs:
                entry.subs.remove(sub)
                if not entry.subs:
                    del self._entries[id(sub.future)]
            self._cond.notify_all()

    def _run(self) -> None:
        me = threading.current_thread()
        while True:
            with self._cond:
                if self._closed:
                    return
                if not self._entries:
                    self._cond.wait(self.idle_timeout)
                    if self._closed or not self._entries:
                        if self._thread is me:
                            self._thread = None
                        return
                    continue
                now = time.monotonic()
                due = [e for e in self._entries.values() if e.next_due <= now]
                if not due:
                    wake = min(e.next_due for e in self._entries.values())
                    self._cond.wait(max(0.0, wake - now))
                    continue
            for entry in due:
                try:
                    self._poll(entry)
                except Exception:  # never let one future kill the thread every panel shares
                    log.exception("tracker: polling %r failed unexpectedly", entry.future)
                    _record(entry.future, DSSError("tracking this task failed unexpectedly"))
                    with self._cond:
                        entry.next_due = time.monotonic() + self.max_interval

    def _poll(self, entry: _Entry) -> None:
        future = entry.future
        rtt = 0.0
        if not future.done:
            t0 = time.monotonic()
            try:
                future.peek_state()
                future.settle()
                entry.errors, entry.last_error, entry.last_ok = 0, None, time.monotonic()
            except DSSFutureError as err:
                _record(future, err)  # normally recorded on the future already
            except Exception as exc:  # DSSError, or a malformed answer we did not foresee
                err = exc if isinstance(exc, DSSError) else DSSError(f"malformed answer: {type(exc).__name__}: {exc}")
                entry.errors += 1
                entry.last_error = err
                log.warning("polling %r failed (%d in a row): %s", future, entry.errors, err)
                if entry.errors >= self.max_errors:
                    _record(future, err)
            rtt = time.monotonic() - t0
        subs = self._subs(entry)
        for sub in subs:
            self._call(sub, sub.on_progress)
        if future.done:
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
            return
        with self._cond:
            entry.next_due = time.monotonic() + entry.backoff.next_pause(rtt)

    def poll_errors(self, future: Future) -> tuple[int, DSSError | None, float]:
        """Consecutive failed polls of ``future``, the last error and the seconds since the last poll that
        answered (``(0, None, 0.0)`` when the last poll answered): panels show "connection lost --
        retrying" while it is not 0, with the elapsed time still counting."""
        with self._cond:
            entry = self._entries.get(id(future))
            if entry is None or not entry.errors:
                return 0, None, 0.0
            return entry.errors, entry.last_error, time.monotonic() - entry.last_ok

    def _subs(self, entry: _Entry) -> list[Subscription]:
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
