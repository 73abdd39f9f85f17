"""Persistent HTTP/1.1 connections, real TCP resets on them, and a clean stop with idle connections."""

from __future__ import annotations

import base64
import contextlib
import http.client
import os
import socket
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests

from cswidgets.sim import Simulator
from tests.support import wait_for

from .conftest import KEY

AUTH = {"Authorization": "Basic " + base64.b64encode(f"{KEY}:".encode()).decode()}


def connection(sim: Simulator) -> http.client.HTTPConnection:
    conn = http.client.HTTPConnection("127.0.0.1", sim.port, timeout=10)
    conn.connect()
    return conn


def ask(conn: http.client.HTTPConnection, method: str, path: str, body: bytes | None = None) -> tuple[int, bytes]:
    conn.request(method, "/public/api" + path, body=body, headers=AUTH)
    resp = conn.getresponse()
    return resp.status, resp.read()


def test_requests_share_one_connection(sim):
    conn = connection(sim)
    sock = conn.sock
    local = sock.getsockname()
    for _ in range(20):
        status, _ = ask(conn, "GET", "/projects/")
        assert status == 200
    # http.client opens a new socket whenever the server closed the previous one.
    assert conn.sock is sock and conn.sock.getsockname() == local
    conn.close()


def test_unread_request_body_does_not_poison_the_next_request(sim):
    conn = connection(sim)
    sock = conn.sock
    # The route ignores the body of a stop; the server must still drain it before the next request.
    status, _ = ask(conn, "POST", "/projects/NOPE/code-studios/x/stop", body=b'{"x": "' + b"y" * 50_000 + b'"}')
    assert 400 <= status < 500
    status, body = ask(conn, "GET", "/projects/")
    assert status == 200 and b"SALES_FORECAST" in body
    assert conn.sock is sock
    conn.close()


def test_session_reuses_pooled_connections(sim):
    with requests.Session() as session:
        session.auth = (KEY, "")
        ports = set()
        for _ in range(10):
            resp = session.get(f"{sim.url}/public/api/projects/", timeout=10, stream=True)
            ports.add(resp.raw._connection.sock.getsockname()[1])
            resp.content  # noqa: B018  (read it so the connection goes back to the pool)
            assert resp.headers.get("Connection", "").lower() != "close"
        assert len(ports) == 1


def raw_request(sock: socket.socket, path: str) -> None:
    head = f"GET /public/api{path} HTTP/1.1\r\nHost: x\r\nAuthorization: {AUTH['Authorization']}\r\n\r\n"
    sock.sendall(head.encode())


def read_response(sock: socket.socket) -> bytes:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            break
        data += chunk
    head, _, rest = data.partition(b"\r\n\r\n")
    lengths = [line.split(b":")[1] for line in head.split(b"\r\n") if line.lower().startswith(b"content-length")]
    length = int(lengths[0])
    while len(rest) < length:
        rest += sock.recv(65536)
    return head


def drain(sock: socket.socket) -> None:
    while sock.recv(65536):
        pass


@pytest.mark.parametrize("kind", ["reset", "reset_after"])
def test_reset_on_a_kept_alive_connection_is_a_real_rst(sim, kind):
    sock = socket.create_connection(("127.0.0.1", sim.port), timeout=10)
    raw_request(sock, "/projects/")
    assert read_response(sock).startswith(b"HTTP/1.1 200")
    sim.set_faults(rate=1.0, kinds=[kind])
    raw_request(sock, "/projects/")
    # A FIN would read as b"" (a clean close); an RST raises.
    with pytest.raises(ConnectionResetError):
        drain(sock)
    sock.close()
    sim.clear_faults()
    assert requests.get(f"{sim.url}/public/api/projects/", auth=(KEY, ""), timeout=5).status_code == 200


def test_reset_reaches_a_pooled_session_as_connection_error(sim):
    with requests.Session() as session:
        session.auth = (KEY, "")
        assert session.get(f"{sim.url}/public/api/projects/", timeout=5).status_code == 200
        sim.set_faults(rate=1.0, kinds=["reset"])
        with pytest.raises(requests.ConnectionError):
            session.get(f"{sim.url}/public/api/projects/", timeout=5)
        sim.clear_faults()
        assert session.get(f"{sim.url}/public/api/projects/", timeout=5).status_code == 200


def test_latency_overlaps_on_kept_alive_connections():
    with Simulator(scenario="empty", api_key=KEY, latency_ms=150) as sim:
        sessions = [requests.Session() for _ in range(24)]
        try:
            for s in sessions:
                s.auth = (KEY, "")
                s.get(f"{sim.url}/public/api/projects/", timeout=10)  # open the connections
            t0 = time.monotonic()
            with ThreadPoolExecutor(len(sessions)) as pool:
                codes = list(
                    pool.map(lambda s: s.get(f"{sim.url}/public/api/projects/", timeout=10).status_code, sessions)
                )
            elapsed = time.monotonic() - t0
        finally:
            for s in sessions:
                s.close()
        assert codes == [200] * len(sessions)
        # one after another they would take 24 x 150 ms = 3.6 s; overlapping, about 150 ms plus
        # scheduling (≈1 s on a heavily loaded 2-core machine): half the serial time tells them apart
        assert elapsed < 0.15 * len(sessions) / 2


def test_stop_closes_idle_connections_joins_threads_and_frees_the_port():
    before = threading.active_count()
    sim = Simulator(scenario="empty", api_key=KEY).start()
    port = sim.port
    idle = [connection(sim) for _ in range(5)]
    for conn in idle:
        assert ask(conn, "GET", "/projects/")[0] == 200
    t0 = time.monotonic()
    sim.stop()
    assert time.monotonic() - t0 < 2
    for conn in idle:  # the server closed them: reading gives EOF (or a reset), never hangs
        conn.sock.settimeout(5)
        with contextlib.suppress(ConnectionResetError):
            assert conn.sock.recv(1) == b""
        conn.close()
    wait_for(lambda: threading.active_count() <= before, timeout=5)
    with pytest.raises(RuntimeError):
        sim.url  # noqa: B018
    sim.stop()  # idempotent
    again = Simulator(scenario="empty", api_key=KEY, port=port).start()  # the port is free
    try:
        assert requests.get(f"{again.url}/public/api/projects/", auth=(KEY, ""), timeout=5).status_code == 200
    finally:
        again.stop()


def test_a_simulator_nobody_stopped_does_not_block_interpreter_exit(tmp_path):
    script = (
        "import requests\n"
        "from cswidgets.sim import Simulator\n"
        "sim = Simulator(scenario='empty', api_key='k').start()\n"
        "session = requests.Session()\n"
        "assert session.get(sim.url + '/public/api/projects/', auth=('k', ''), timeout=5).status_code == 200\n"
        "print('served', flush=True)\n"
    )
    root = Path(__file__).resolve().parents[2]
    proc = subprocess.run(
        [sys.executable, "-c", script],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=30,
        env={**os.environ, "PYTHONPATH": str(root)},
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "served"
