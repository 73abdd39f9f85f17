"""One reader of DSS's running tasks per connection: :class:`TaskList` (``Client.tasks``).

Both the client's :class:`~cswidgets.api.FutureTracker` (following the tasks the panels started) and every live
studio table (watching for starts and stops made elsewhere) read ``GET /futures/``. Through the connection's one
:class:`TaskList` a read younger than the caller's ``max_age`` serves them all, and a read in flight is waited for
rather than sent twice: with a table and a batch of builds open, one list read a second instead of two.

What is assumed of the list's items (INFERRED: they are the tasks' states) is in
:mod:`cswidgets.api.assumptions`; this module only shares the answer.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

__all__ = ["TaskList", "TasksRead"]


@dataclass(frozen=True)
class TasksRead:
    """One answer of ``GET /futures/``: its ``items``, when it was ``sent`` (monotonic), and whether this caller
    caused the request (``fresh``) or was served a shared one."""

    items: list[Any]
    sent: float
    fresh: bool


class TaskList:
    """Shares the reads of ``list_futures(all_users=...)`` among the callers of one connection (thread-safe)."""

    def __init__(self, list_futures: Callable[..., list[Any]], clock: Callable[[], float] = time.monotonic) -> None:
        self._list = list_futures
        self._clock = clock
        self._lock = threading.Lock()
        self._last: dict[bool, tuple[float, list[Any]]] = {}  # all_users -> (sent, items)
        self._reading: dict[bool, threading.Event] = {}
        self.requests = 0  # reads actually sent

    def read(self, all_users: bool, max_age: float) -> TasksRead:
        """The running tasks, from a read sent at most ``max_age`` seconds ago (or in flight now), else a new one.
        A failed read raises its error to the caller that sent it (and to those who waited on it, who then read
        themselves); failures are never kept."""
        while True:
            with self._lock:
                now = self._clock()
                last = self._last.get(all_users)
                if last is not None and now - last[0] <= max_age:
                    return TasksRead(last[1], last[0], False)
                waiting = self._reading.get(all_users)
                if waiting is None:
                    done = self._reading[all_users] = threading.Event()
                    break
            waiting.wait(60.0)  # another caller's read: its answer serves us (or we read after its failure)
            max_age = max(max_age, self._clock() - now)  # what was in flight when we came counts as fresh
        sent = self._clock()
        try:
            items = self._list(all_users=all_users)
            with self._lock:
                self.requests += 1
                self._last[all_users] = (sent, items)
            return TasksRead(items, sent, True)
        except BaseException:
            with self._lock:
                self.requests += 1
            raise
        finally:
            with self._lock:
                self._reading.pop(all_users, None)
            done.set()
