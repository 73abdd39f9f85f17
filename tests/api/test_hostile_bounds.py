"""Issue 23 (hostile server, round two), bounded memory and time from the first byte: the answer-size cap,
compressed or not, enforced while streaming (2); one deadline from the moment a call starts, headers
included (3); ``Client.is_simulator`` bounded, and never on a panel's constructor (4)."""

from __future__ import annotations

import functools
import gzip
import json
import threading
import time
import tracemalloc
import zlib

import pytest

import cswidgets.api as api
from cswidgets.api.body import DEFAULT_MAX_ANSWER_BYTES, AnswerTooLarge

from .conftest import ADMIN_KEY
from .rawserver import raw_server

MIB = 1024 * 1024
STOP = "/projects/P/code-studios/x/stop"


def answer(body: bytes, *headers: str, status: str = "200 OK"):
    """A script answering ``body`` with ``headers`` (Content-Length added unless one is given)."""
    lines = [f"HTTP/1.1 {status}", "Content-Type: application/json", "Connection: close", *headers]
    if not any(h.lower().startswith(("content-length", "transfer-encoding")) for h in headers):
        lines.append(f"Content-Length: {len(body)}")
    head = ("\r\n".join(lines) + "\r\n\r\n").encode()

    def script(conn, _request):
        conn.sendall(head + body)
    return script


@functools.cache
def bomb(kind: str, size: int) -> bytes:
    """``size`` bytes of a JSON string, compressed as ``kind`` (gzip, zlib-wrapped or raw deflate), made a
    MiB at a time (the whole text is never in memory)."""
    wbits = {"gzip": 16 + zlib.MAX_WBITS, "deflate": zlib.MAX_WBITS, "raw": -zlib.MAX_WBITS}[kind]
    packer = zlib.compressobj(6, zlib.DEFLATED, wbits)
    block = b"a" * MIB
    parts = [packer.compress(b'"')] + [packer.compress(block) for _ in range(size // MIB)]
    return b"".join([*parts, packer.compress(b'"'), packer.flush()])


def peak_during(call) -> tuple[int, BaseException | None]:
    tracemalloc.start()
    try:
        try:
            call()
            error = None
        except BaseException as exc:  # returned to the test
            error = exc
        return tracemalloc.get_traced_memory()[1], error
    finally:
        tracemalloc.stop()


# -- 2. the answer-size cap ----------------------------------------------------------------------------------
@pytest.mark.parametrize(("kind", "encoding"), [("gzip", "gzip"), ("deflate", "deflate"), ("raw", "deflate")])
def test_a_compression_bomb_is_cut_at_the_cap_while_it_streams(kind, encoding):
    body = bomb(kind, 100 * MIB)  # ~100 KB on the wire
    with raw_server(answer(body, f"Content-Encoding: {encoding}")) as (url, _received):
        client = api.connect(url, ADMIN_KEY, timeout=(2, 10), retries=0, max_answer_bytes=2 * MIB)
        t0 = time.monotonic()
        peak, error = peak_during(client.list_projects)
        client.close()
    assert isinstance(error, AnswerTooLarge) and isinstance(error, api.DSSError)
    assert "larger than the limit of 2.0 MiB" in error.message and "max_answer_bytes" in error.message
    assert error.status == 200 and error.path == "/projects/"
    assert peak < 12 * MIB, f"{peak / MIB:.1f} MiB held while reading"  # 100 MiB and more before
    assert time.monotonic() - t0 < 5


def test_a_plain_answer_over_the_cap_fails_on_its_content_length_before_reading():
    sent = threading.Event()

    def script(conn, _request):
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 5000000\r\n\r\n[")
        sent.set()
        time.sleep(3)  # the rest never comes: the client must not wait for it

    with raw_server(script) as (url, _received):
        client = api.connect(url, ADMIN_KEY, timeout=(2, 10), retries=0, max_answer_bytes=MIB)
        t0 = time.monotonic()
        with pytest.raises(AnswerTooLarge, match=r"its Content-Length says 4.8 MiB \(5,000,000 bytes\)"):
            client.list_projects()
        assert time.monotonic() - t0 < 2
        client.close()


def test_a_chunked_answer_without_length_is_cut_at_the_cap():
    piece = b"a" * 65536
    chunks = b"".join(b"%x\r\n" % len(piece) + piece + b"\r\n" for _ in range(40)) + b"0\r\n\r\n"  # 2.5 MiB
    with raw_server(answer(chunks, "Transfer-Encoding: chunked")) as (url, _received):
        client = api.connect(url, ADMIN_KEY, timeout=(2, 10), retries=0, max_answer_bytes=MIB)
        with pytest.raises(AnswerTooLarge, match=r"larger than the limit of 1\.0 MiB"):
            client.list_projects()
        client.close()


@pytest.mark.parametrize("encoding", ["gzip", "deflate", "x-gzip", "gzip, identity"])
def test_compressed_answers_within_the_cap_are_decoded(encoding):
    data = json.dumps([{"projectKey": f"P{i}"} for i in range(2000)]).encode()
    body = zlib.compress(data) if encoding == "deflate" else gzip.compress(data)
    with raw_server(answer(body, f"Content-Encoding: {encoding}")) as (url, _received):
        client = api.connect(url, ADMIN_KEY, timeout=(2, 10), retries=0, max_answer_bytes=len(data))
        assert len(client.list_project_keys()) == 2000
        client.close()


def test_an_encoding_never_asked_for_is_a_clear_error():
    with raw_server(answer(b"\x00\x01garbage", "Content-Encoding: br")) as (url, received):
        client = api.connect(url, ADMIN_KEY, timeout=(2, 10), retries=0)
        with pytest.raises(api.DSSError, match="Content-Encoding 'br', which was not asked for"):
            client.list_projects()
        client.close()
    assert b"accept-encoding: gzip, deflate\r\n" in received[0].lower()


def test_the_cap_is_32_mib_by_default_and_checked():
    assert DEFAULT_MAX_ANSWER_BYTES == 32 * MIB
    with pytest.raises(ValueError, match="max_answer_bytes"):
        api.connect("http://127.0.0.1:9", ADMIN_KEY, max_answer_bytes=0)


def test_the_simulator_probe_is_capped_too():
    body = bomb("gzip", 100 * MIB)
    with raw_server(answer(body, "Content-Encoding: gzip", "X-Cswidgets-Simulator: 1")) as (url, _received):
        client = api.connect(url, ADMIN_KEY, timeout=(2, 10), retries=0, max_answer_bytes=2 * MIB)
        peak, error = peak_during(lambda: client.is_simulator)
        assert error is None and client._is_simulator is None  # too large: not decided, asked again later
        client.close()
    assert peak < 12 * MIB


# -- 3. one deadline from the first byte ---------------------------------------------------------------------
def trickle(first: bytes, rest: bytes, every: float = 0.2):
    """Send ``first`` at once, then ``rest`` one byte every ``every`` seconds (the status line or headers)."""
    def script(conn, _request):
        conn.sendall(first)
        for i in range(len(rest)):
            conn.sendall(rest[i:i + 1])
            time.sleep(every)
    return script


HEADERS = b"X-Padding: " + b"a" * 200 + b"\r\nContent-Length: 2\r\n\r\n[]"


@pytest.mark.parametrize(("first", "rest"), [(b"HTTP/1.1 200 OK\r\n", HEADERS),
                                             (b"HTTP/1.1 ", b"200 OK" + b" " * 100 + b"\r\n" + HEADERS)])
def test_headers_or_a_status_line_that_trickle_in_are_cut_at_the_deadline(first, rest):
    with raw_server(trickle(first, rest)) as (url, _received):
        client = api.connect(url, ADMIN_KEY, timeout=(1, 1), deadline=1.5, retries=0)
        t0 = time.monotonic()
        with pytest.raises(api.DSSConnectionError, match=r"deadline of 1\.5 s"):
            client.list_projects()
        assert time.monotonic() - t0 < 2.5  # 40 s of trickle before
        client.close()


def test_a_write_whose_headers_trickle_past_write_timeout_is_outcome_unknown_and_sent_once():
    with raw_server(trickle(b"HTTP/1.1 200 OK\r\n", HEADERS)) as (url, received):
        client = api.connect(url, ADMIN_KEY, timeout=(1, 1), write_timeout=1.5, retries=3)
        t0 = time.monotonic()
        with pytest.raises(api.DSSOutcomeUnknownError, match=r"deadline of 1\.5 s; the request was sent"):
            client.get_project("P").get_code_studio("x").stop()
        assert time.monotonic() - t0 < 2.5
        client.close()
    assert len(received) == 1 and received[0].startswith(b"POST /public/api" + STOP.encode())


def test_a_kept_alive_connection_is_watched_too():
    """The second call reuses the first one's connection: its trickle is cut all the same."""
    calls = []

    def script(conn, _request):
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n[]")
        calls.append(1)
        from .rawserver import read_request
        read_request(conn)
        trickle(b"HTTP/1.1 200 OK\r\n", HEADERS)(conn, b"")

    with raw_server(script) as (url, _received):
        client = api.connect(url, ADMIN_KEY, timeout=(1, 1), deadline=1.5, retries=0)
        assert client.list_projects() == []
        t0 = time.monotonic()
        with pytest.raises(api.DSSConnectionError, match=r"deadline of 1\.5 s"):
            client.list_projects()
        assert time.monotonic() - t0 < 2.5
        client.close()
    assert calls == [1]  # one connection for both calls


# -- 4. is_simulator ------------------------------------------------------------------------------------------
def test_is_simulator_has_a_deadline():
    with raw_server(trickle(b"HTTP/1.1 200 OK\r\n", HEADERS)) as (url, _received):
        client = api.connect(url, ADMIN_KEY, timeout=(1, 1), deadline=1.5, retries=0)
        t0 = time.monotonic()
        assert client.is_simulator is False
        assert time.monotonic() - t0 < 2.5
        client.close()


def test_a_panel_constructor_never_waits_on_the_simulator_probe():
    from cswidgets.widgets.template_builds import TemplateBuilds

    templates = b"[]"

    def script(conn, request):
        if b"/__sim__/" in request.split(b"\r\n", 1)[0]:
            trickle(b"HTTP/1.1 200 OK\r\n", HEADERS, every=0.5)(conn, request)  # ~100 s
        else:
            answer(templates)(conn, request)

    with raw_server(script) as (url, received):
        client = api.connect(url, ADMIN_KEY, timeout=(2, 5), retries=0)
        t0 = time.monotonic()
        panel = TemplateBuilds(client)
        assert time.monotonic() - t0 < 3  # the probe alone held it 10 s and more before
        assert panel.rows == [] and panel.is_simulator is False
        panel.close()
        client.close()
    assert not any(b"/__sim__/" in r for r in received)
