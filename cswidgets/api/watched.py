"""The call's deadline from its first byte: sockets are handed to the :data:`~.deadline.WATCHDOG` as soon
as they exist, not when the answer's headers are in.

``requests``' ``Session.send`` returns only once the status line and every header arrived; a server that
sends one header byte per second never trips the per-read timeout. So the connections of the transport's
pools register their socket with the watchdog under the deadline of the call in progress on this thread
(:func:`watching`): a new connection right after the TCP connect (before TLS, the request, the status line
and the headers), a kept-alive one when a request starts on it. At the deadline the watchdog shuts the
socket down, and whatever read was waiting fails at once.
"""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Iterator
from typing import Any

from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

from .deadline import WATCHDOG

__all__ = ["POOL_CLASSES", "Watch", "watching"]

_local = threading.local()


class Watch:
    """The sockets one call handed to the watchdog, under its deadline (a ``time.monotonic()`` value)."""

    def __init__(self, deadline: float | None) -> None:
        self.deadline = deadline
        self._tokens: list[list[Any]] = []
        self._fired = False

    def add(self, sock: Any) -> None:
        if self.deadline is not None and isinstance(sock, socket.socket):
            self._tokens.append(WATCHDOG.watch(self.deadline, sock))

    @property
    def watching(self) -> bool:
        """Whether any socket of the call is watched (``False``: e.g. through a proxy's own pools)."""
        return bool(self._tokens)

    def release(self) -> bool:
        """Stop watching; return whether the watchdog cut any socket of the call."""
        tokens, self._tokens = self._tokens, []
        for token in tokens:
            self._fired = WATCHDOG.release(token) or self._fired
        return self._fired


@contextlib.contextmanager
def watching(deadline: float | None) -> Iterator[Watch]:
    """Watch every socket this thread's call uses until the block ends (nested calls: the innermost wins)."""
    previous = getattr(_local, "watch", None)
    watch = _local.watch = Watch(deadline)
    try:
        yield watch
    finally:
        _local.watch = previous
        watch.release()


def _watch(sock: Any) -> None:
    watch = getattr(_local, "watch", None)
    if watch is not None:
        watch.add(sock)


class _Watched:
    """Hooks of a watched connection (mixed into urllib3's two connection classes)."""

    def _new_conn(self) -> Any:
        sock = super()._new_conn()  # type: ignore[misc]
        _watch(sock)  # before TLS, the request, the status line and the headers
        return sock

    def request(self, *args: Any, **kwargs: Any) -> Any:
        if getattr(self, "sock", None) is not None:  # a kept-alive connection: its socket exists already
            _watch(self.sock)  # type: ignore[attr-defined]
        return super().request(*args, **kwargs)  # type: ignore[misc]


class WatchedHTTPConnection(_Watched, HTTPConnection):
    pass


class WatchedHTTPSConnection(_Watched, HTTPSConnection):
    pass


class WatchedHTTPConnectionPool(HTTPConnectionPool):
    ConnectionCls = WatchedHTTPConnection


class WatchedHTTPSConnectionPool(HTTPSConnectionPool):
    ConnectionCls = WatchedHTTPSConnection


#: ``pool_classes_by_scheme`` of the transport's pool managers.
POOL_CLASSES = {"http": WatchedHTTPConnectionPool, "https": WatchedHTTPSConnectionPool}
