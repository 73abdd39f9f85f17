"""The bookkeeping of :class:`~cswidgets.api.FutureTracker`: one followed future (:class:`Entry`), one running-tasks
list (:class:`ListSource`) and the pace of per-future peeks (:class:`PeekPace`). No threads, no requests.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .futures import INTERVAL_GROWTH

if TYPE_CHECKING:
    from .errors import DSSError
    from .futures import Future
    from .tasklist import TaskList
    from .tracker import Subscription

__all__ = ["Entry", "ListSource", "PeekPace"]

#: Followed by the running-tasks list (one read for every future) or by per-future peeks.
BY_LIST, BY_PEEK = "list", "peek"


@dataclass
class PeekPace:
    """When to peek a future next: from ``first`` seconds the pause grows x1.5 to ``cap`` while the task is
    younger than ``slow_after`` seconds, then to ``slow_cap`` while nothing moves; when the progress moves
    it falls back to ``cap`` at once. Never shorter than the last round trip."""

    first: float
    cap: float
    slow_cap: float
    slow_after: float
    pause: float = 0.0
    mark: Any = None

    def next_pause(self, rtt: float, age: float, mark: Any) -> float:
        moved, self.mark = mark != self.mark, mark
        if self.pause <= 0:
            self.pause = self.first
        elif moved:
            self.pause = min(self.pause * INTERVAL_GROWTH, self.cap)
        else:
            limit = self.cap if age < self.slow_after else max(self.cap, self.slow_cap)
            self.pause = min(self.pause * INTERVAL_GROWTH, limit)
        return max(self.pause, rtt)


@dataclass
class Entry:
    """One followed future: its subscriptions, how it is followed and its errors."""

    future: Future
    pace: PeekPace
    source: ListSource | None = None
    subs: list[Subscription] = field(default_factory=list)
    mode: str = BY_PEEK
    why_peek: str = ""  # why it is peeked rather than read from the list
    next_due: float = 0.0  # next peek (peek mode) or retry of the end read
    in_flight: bool = False
    need_end: bool = False  # one consuming read decides whether it ended
    listed: bool = False  # the last list read showed it
    tracked_at: float = field(default_factory=time.monotonic)
    errors: int = 0
    last_error: DSSError | None = None
    last_ok: float = field(default_factory=time.monotonic)

    def to_peeks(self, why: str, now: float) -> None:
        if self.mode != BY_PEEK:
            self.mode, self.next_due = BY_PEEK, now
        self.why_peek = why

    def to_list(self) -> None:
        self.mode, self.why_peek = BY_LIST, ""

    def failed(self, err: DSSError) -> None:
        self.errors += 1
        self.last_error = err

    def answered(self) -> None:
        self.errors, self.last_error, self.last_ok = 0, None, time.monotonic()


@dataclass
class ListSource:
    """The running-tasks list of one client (``client.list_futures``): when to read it next and what it
    showed of its items."""

    list_futures: Callable[..., list[Any]]
    tasks: TaskList | None = None  # the connection's shared reader (Client.tasks), when it has one
    all_users: bool = True  # allUsers=true needs an admin: falls back to one's own tasks on 401/403
    next_due: float = 0.0
    in_flight: bool = False
    unavailable_until: float = 0.0  # a list this server does not serve: peeks only until then
    failures: int = 0  # consecutive failed reads (5xx, no answer)
    last_sent: float = float("-inf")

    def available(self, now: float) -> bool:
        return now >= self.unavailable_until

    def soon(self, now: float, min_gap: float) -> None:
        """Read it promptly (a new future), but never sooner than ``min_gap`` after the last read was sent."""
        self.next_due = min(self.next_due, max(now, self.last_sent + min_gap))
