"""Serving the simulator's WSGI app: cheroot, with persistent HTTP/1.1 connections.

Why cheroot: werkzeug's development server answers every request with ``Connection: close`` (and
lingers ~10 ms per request draining the socket), so each request cost a TCP handshake and a new
thread. Cheroot (CherryPy's server) keeps HTTP/1.1 connections alive, drains unread request bodies
before the next request, parks idle connections in a selector (no thread held), and stops cleanly.

What we add on top of ``cheroot.wsgi.Server``:

- a worker pool that grows on demand (a new thread whenever no worker is free), so N concurrent
  requests -- each sleeping through its injected latency or stall -- overlap like they did with a
  thread per connection; threads are only reclaimed by :meth:`HttpServer.stop`;
- ``environ["cswidgets.sim.conn"]``: the connection, so the app can ask for an injected reset
  (:func:`request_reset`): the connection is then closed with ``SO_LINGER 0`` and without a
  ``shutdown`` -- a real TCP RST, no HTTP answer;
- :meth:`HttpServer.stop`: wake stalled requests (the app's ``stop_event``), stop accepting, close
  idle keep-alive connections, join every worker and the serving thread, free the port. Idempotent.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import socket
import struct
import threading
from typing import Any

from cheroot import wsgi
from cheroot.server import HTTPConnection
from cheroot.workers.threadpool import ThreadPool, WorkerThread

log = logging.getLogger("cswidgets.sim")

CONN_KEY = "cswidgets.sim.conn"
SERVER_NAME = "cswidgets-sim"
MIN_THREADS = 4
MAX_THREADS = 512
KEEP_ALIVE_S = 60  # idle keep-alive connections are closed after this (and the socket read timeout)


def request_reset(environ: dict[str, Any]) -> None:
    """Make the server drop this request's connection with a TCP RST, then raise to abandon it."""
    conn = environ.get(CONN_KEY)
    if conn is not None:
        conn.sim_reset = True
    # errno ECONNRESET: cheroot treats it as a dropped connection (no 500 answer, no log noise).
    raise ConnectionResetError(errno.ECONNRESET, "cswidgets.sim injected reset")


class _Connection(HTTPConnection):
    """A connection that can be closed abortively (RST) instead of with a FIN."""

    sim_reset = False

    def close(self) -> None:
        if not self.sim_reset:
            super().close()
            return
        with contextlib.suppress(OSError):
            self.socket.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        # Release the buffered file objects first: the descriptor is only closed (and the RST sent)
        # once no file object refers to the socket. No shutdown(): that would send a FIN first.
        for stream in (self.rfile, self.wfile):
            with contextlib.suppress(OSError):
                stream.close()
        self.socket.close()


class _Gateway(wsgi.Gateway_10):
    def get_environ(self) -> dict[str, Any]:
        env = super().get_environ()
        env[CONN_KEY] = self.req.conn
        return env


class _GrowingPool(ThreadPool):
    """Cheroot's pool, growing by one thread whenever a connection would otherwise wait."""

    def put(self, obj: Any) -> None:
        # Called from the serving thread only. qsize counts connections not yet taken by a worker.
        if self.idle <= self._queue.qsize() and len(self._threads) < self.max:
            self.grow(1)
        super().put(obj)

    def grow(self, amount: int) -> None:
        # Unlike cheroot's grow: daemon threads (a simulator nobody stopped must not keep the interpreter
        # from exiting, as werkzeug's did not), and no 0.1 s readiness polling per thread (a queued
        # connection is simply taken once the thread is up).
        budget = max(self.max - len(self._threads), 0)
        for _ in range(min(amount, budget)):
            worker = WorkerThread(self.server)
            worker.name = f"cswidgets.sim-worker-{len(self._threads)}"
            worker.daemon = True
            worker.start()
            self._threads.append(worker)


class _Server(wsgi.Server):
    ConnectionClass = _Connection
    keep_alive_conn_limit = 1024  # cheroot's default (10) would close the 11th pooled connection
    expiration_interval = 0.05  # the selector's timeout: also how long stop() may wait for the loop

    def __init__(self, app: Any, host: str, port: int) -> None:
        super().__init__(
            (host, port),
            app,
            numthreads=MIN_THREADS,
            max=MAX_THREADS,
            server_name=SERVER_NAME,
            request_queue_size=256,
            timeout=KEEP_ALIVE_S,
            shutdown_timeout=5,
        )
        self.gateway = _Gateway
        self.requests = _GrowingPool(self, min=MIN_THREADS, max=MAX_THREADS)

    @classmethod
    def prepare_socket(cls, *args: Any, **kwargs: Any) -> socket.socket:
        sock = super().prepare_socket(*args, **kwargs)
        # cheroot skips SO_REUSEADDR on port 0; without it on the listener, the connections it
        # accepted (and closed: TIME_WAIT) keep a later bind to the same port failing.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        return sock

    def error_log(self, msg: str = "", level: int = 20, traceback: bool = False) -> None:
        # Quiet: cheroot logs dropped connections (our injected resets among them) at INFO.
        if level >= logging.ERROR:
            log.error("%s", msg, exc_info=traceback)
        else:
            log.debug("%s", msg)


class HttpServer:
    """Runs a WSGI app (the simulator's :class:`~cswidgets.sim.http.app.SimApp`) on ``host:port``."""

    def __init__(self, app: Any, host: str = "127.0.0.1", port: int = 0) -> None:
        self.app = app
        self._server = _Server(app, host, port)
        self._server.prepare()  # binds: the port is known from here on
        self.port: int = self._server.bind_addr[1]
        self._stopped = False
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._server.serve, daemon=True, name=f"cswidgets.sim-{self.port}")
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        with self._lock:
            if self._stopped:
                return
            self._stopped = True
        stop_event = getattr(self.app, "stop_event", None)
        if stop_event is not None:
            stop_event.set()  # wake stalled and sleeping requests first
        self._server.shutdown_timeout = timeout
        self._server.stop()  # closes the listener and idle connections, joins the workers
        self._thread.join(timeout)
