"""A raw TCP server for answers no HTTP framework sends: bodies that trickle in, connections reset after
the request arrived. Each connection runs ``script(conn, request_bytes)`` on its own thread."""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress

Script = Callable[[socket.socket, bytes], None]


def read_request(conn: socket.socket) -> bytes:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(65536)
        if not chunk:
            break
        data += chunk
    head, _, rest = data.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":", 1)[1])
    while len(rest) < length:
        chunk = conn.recv(65536)
        if not chunk:
            break
        rest += chunk
    return head + b"\r\n\r\n" + rest


def reset(conn: socket.socket) -> None:
    """Close with a TCP reset (SO_LINGER 0)."""
    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
    conn.close()


@contextmanager
def raw_server(script: Script) -> Iterator[tuple[str, list[bytes]]]:
    """Yield ``(base_url, requests_received)``."""
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(16)
    srv.settimeout(0.2)
    received: list[bytes] = []
    stop = threading.Event()

    def handle(conn: socket.socket) -> None:
        try:
            request = read_request(conn)
            received.append(request)
            script(conn, request)
        except OSError:
            pass
        finally:
            with suppress(OSError):
                conn.close()

    def serve() -> None:
        while not stop.is_set():
            try:
                conn, _ = srv.accept()
            except OSError:
                continue
            threading.Thread(target=handle, args=(conn,), daemon=True).start()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{srv.getsockname()[1]}", received
    finally:
        stop.set()
        thread.join(2)
        srv.close()
