"""Bounded time for one HTTP call: the retry policy that knows the call's deadline, and a watchdog.

Every call the :class:`~cswidgets.api.transport.Transport` makes has an overall deadline (connect, each
read, retries and their pauses, the whole body). Two pieces enforce it:

- :class:`DeadlineRetry` -- urllib3's ``Retry`` that stops retrying when the next attempt could not
  start before the deadline, and honours ``Retry-After`` only up to :data:`RETRY_AFTER_CAP_S` (a 503
  asking for 600 s gives up at once, returning that answer). The deadline of the call in progress is
  thread-local (:func:`call_deadline`): the adapters are shared, calls are not.
- :class:`Watchdog` -- one daemon thread that shuts down the socket of an answer whose body is still
  arriving at the deadline (a body that trickles in never trips the per-read timeout).
"""

from __future__ import annotations

import contextlib
import heapq
import itertools
import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

from urllib3.exceptions import MaxRetryError, ResponseError
from urllib3.util.retry import Retry

__all__ = ["RETRY_AFTER_CAP_S", "DeadlineRetry", "Watchdog", "call_deadline", "remaining", "socket_of"]

#: Longest pause a ``Retry-After`` header can impose between two attempts of a read (seconds).
RETRY_AFTER_CAP_S = 10.0

_local = threading.local()


@contextlib.contextmanager
def call_deadline(deadline: float | None) -> Iterator[None]:
    """Make ``deadline`` (a ``time.monotonic()`` value, or ``None``) the one of this thread's call."""
    previous = getattr(_local, "deadline", None)
    _local.deadline = deadline
    try:
        yield
    finally:
        _local.deadline = previous


def remaining() -> float | None:
    """Seconds left before this thread's call deadline (``None``: no deadline)."""
    deadline = getattr(_local, "deadline", None)
    return None if deadline is None else deadline - time.monotonic()


class DeadlineRetry(Retry):
    """A ``Retry`` that never sleeps past the call's deadline and caps ``Retry-After``."""

    def get_retry_after(self, response: Any) -> float | None:
        seconds = super().get_retry_after(response)
        return None if seconds is None else min(float(seconds), RETRY_AFTER_CAP_S)

    def increment(self, *args: Any, **kwargs: Any) -> Retry:  # type: ignore[override]
        new = super().increment(*args, **kwargs)
        left = remaining()
        if left is None:
            return new
        response = kwargs.get("response")
        pause = None
        if response is not None and self.respect_retry_after_header:
            pause = new.get_retry_after(response)
        if pause is None:
            pause = new.get_backoff_time()
        if left - pause <= 0.05:  # no time for another attempt: stop with what we have
            reason = kwargs.get("error") or ResponseError("the call's deadline leaves no time for a retry")
            raise MaxRetryError(kwargs.get("_pool"), kwargs.get("url") or "", reason)
        return new


def socket_of(response: Any) -> socket.socket | None:
    """The socket an answer's body is read from (``requests`` response), or ``None`` when unknown."""
    with contextlib.suppress(Exception):
        sock = response.raw._fp.fp.raw._sock  # http.client response -> BufferedReader -> SocketIO
        if isinstance(sock, socket.socket):
            return sock
    return None


class Watchdog:
    """Shuts down sockets still in use at their deadline, from one daemon thread (started on demand)."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._heap: list[tuple[float, int, list[Any]]] = []
        self._ids = itertools.count()
        self._thread: threading.Thread | None = None

    def watch(self, when: float, sock: socket.socket) -> list[Any]:
        """Shut ``sock`` down at ``when`` (monotonic) unless :meth:`release` is called first."""
        token: list[Any] = [sock, False]  # [socket, fired]
        with self._cond:
            heapq.heappush(self._heap, (when, next(self._ids), token))
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="cswidgets-deadline", daemon=True)
                self._thread.start()
            self._cond.notify()
        return token

    def release(self, token: list[Any]) -> bool:
        """Stop watching; return whether the watchdog already cut the socket."""
        with self._cond:
            fired = bool(token[1])
            token[0] = None
        return fired

    def _run(self) -> None:
        while True:
            with self._cond:
                while self._heap and self._heap[0][2][0] is None:
                    heapq.heappop(self._heap)
                if not self._heap:
                    self._cond.wait(30.0)
                    if not self._heap:
                        self._thread = None
                        return
                    continue
                when, _, token = self._heap[0]
                wait = when - time.monotonic()
                if wait > 0:
                    self._cond.wait(wait)
                    continue
                heapq.heappop(self._heap)
                sock, token[0], token[1] = token[0], None, True
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)


WATCHDOG = Watchdog()
