"""Generated HTTP answers for the HTTP-layer fuzz (issue 23): not only JSON bodies, but the bytes around them --
status lines, headers (Content-Type and its charset, Content-Encoding, Content-Length, Transfer-Encoding),
compression (gzip, zlib or raw deflate, stacked, lying), sizes around the answer-size cap, and the timing of
the bytes (sent at once, in pieces, trickling, stopping).

:func:`http_answers` draws an :class:`HttpAnswer`; :class:`Player` serves the current one on a raw socket
(``tests/api/rawserver.py``) for every request, and counts them.
"""

from __future__ import annotations

import gzip
import json
import socket
import time
import zlib
from dataclasses import dataclass, field

from hypothesis import strategies as st

KEY = "FUZZ-HTTP-KEY-0123456789"
CAP = 64 * 1024  # the client's max_answer_bytes in the fuzz

STATUS_LINES = [
    b"HTTP/1.1 200 OK", b"HTTP/1.0 200 OK", b"HTTP/1.1 200 ", b"HTTP/1.1 200", b"HTTP/1.1 201 Created",
    b"HTTP/1.1 204 No Content", b"HTTP/1.1 401 Unauthorized", b"HTTP/1.1 403 Forbidden", b"HTTP/1.1 404 Not Found",
    b"HTTP/1.1 500 Internal Server Error", b"HTTP/1.1 502 Bad Gateway", b"HTTP/1.1 503 Service Unavailable",
    b"HTTP/1.1 302 Found", b"HTTP/1.1 999 Odd", b"HTTP/1.1 abc Nope", b"HTTP/2 200", b"FTP/1.1 200 OK",
    b"garbage", b"", b"HTTP/1.1 200 " + b"x" * 70_000, b"HTTP/1.1 200 Caf\xc3\xa9 \xff",
]
CONTENT_TYPES = [None, "application/json", "application/json; charset=utf-8", "application/json; charset=latin-1",
                 "application/json; charset=utf-16", "application/json; charset=bogus", "text/plain",
                 "text/html", "text/html; charset=ISO-8859-1", "application/octet-stream", ""]
ENCODINGS = ["identity", "gzip", "x-gzip", "deflate", "deflate-raw", "gzip, gzip", "br", "zstd", "compress",
             "gzip-lie", "deflate-lie", "gzip-cut", "GZIP", " gzip ", "gzip, identity"]
LENGTHS = ["exact", "none", "short", "long", "negative", "garbage", "twice", "huge", "chunked", "chunked-broken"]
TEXTS = st.one_of(st.text(max_size=40), st.sampled_from([
    KEY, f"echo {KEY}", "Données", "\ufeffBOM", "\u202e\u0000", "<script>alert(1)</script>", "a" * 300]))
ESCAPED = st.sampled_from(["\\ud800", "\\udfff\\ud800", "\\u0000", "\\u0007", "\\u001b[31m",
                           "".join(f"\\u{ord(c):04x}" for c in KEY)])


@dataclass
class HttpAnswer:
    status: bytes
    headers: list[bytes]
    body: bytes
    pieces: int  # the answer is sent in pieces of this many bytes (0: at once)
    pause_s: float  # between pieces
    stop_after: int | None  # close the connection after this many bytes (None: send everything)
    note: str = field(default="", compare=False)

    def wire(self) -> bytes:
        return self.status + b"\r\n" + b"".join(h + b"\r\n" for h in self.headers) + b"\r\n" + self.body


def _json_body(draw: st.DrawFn) -> bytes:
    kind = draw(st.sampled_from(["projects", "projects", "escaped", "escaped", "object", "html", "bytes", "empty",
                                 "deep", "big"]))
    if kind == "projects":
        items = [{"projectKey": draw(st.sampled_from(["P", "Q", "Données", "x" * 20])),
                  "name": draw(TEXTS)} for _ in range(draw(st.integers(0, 5)))]
        return json.dumps(items, ensure_ascii=draw(st.booleans())).encode("utf-8", "surrogatepass")
    if kind == "escaped":
        return f'[{{"projectKey": "P{draw(ESCAPED)}", "name": "{draw(ESCAPED)}"}}]'.encode()
    if kind == "object":
        return json.dumps({"message": draw(TEXTS), "errorType": "X"}).encode("utf-8", "surrogatepass")
    if kind == "html":
        return b"<!DOCTYPE html><html><body>Sign in " + KEY.encode() + b"</body></html>"
    if kind == "bytes":
        return draw(st.binary(max_size=200))
    if kind == "deep":
        depth = draw(st.integers(10, 50_000))
        return b"[" * depth + b"]" * depth
    if kind == "big":  # around the cap
        size = draw(st.sampled_from([CAP - 100, CAP + 1, 2 * CAP, 20 * CAP]))
        return b'[{"projectKey": "P", "name": "' + b"n" * size + b'"}]'
    return b""


def _encode(draw: st.DrawFn, encoding: str, body: bytes) -> tuple[bytes, str | None]:
    """``(bytes on the wire, Content-Encoding header or None)``."""
    if encoding == "identity":
        return body, draw(st.sampled_from([None, "identity"]))
    if encoding in ("gzip", "x-gzip", "GZIP", " gzip ", "gzip, identity"):
        return gzip.compress(body, 1), encoding
    if encoding == "deflate":
        return zlib.compress(body, 1), "deflate"
    if encoding == "deflate-raw":
        packer = zlib.compressobj(1, zlib.DEFLATED, -zlib.MAX_WBITS)
        return packer.compress(body) + packer.flush(), "deflate"
    if encoding == "gzip, gzip":
        return gzip.compress(gzip.compress(body, 1), 1), encoding
    if encoding == "gzip-lie":
        return body, "gzip"  # says gzip, is not
    if encoding == "deflate-lie":
        return body, "deflate"
    if encoding == "gzip-cut":
        data = gzip.compress(body, 1)
        return data[: max(1, len(data) // 2)], "gzip"
    return body, encoding  # br, zstd, compress: never asked for


def _framing(draw: st.DrawFn, how: str, data: bytes) -> tuple[list[bytes], bytes]:
    """Length headers and the body as framed."""
    n = len(data)
    if how == "exact":
        return [b"Content-Length: %d" % n], data
    if how == "none":
        return [], data  # ends when the connection closes
    if how == "short":
        return [b"Content-Length: %d" % max(0, n - draw(st.integers(1, 10)))], data
    if how == "long":
        return [b"Content-Length: %d" % (n + draw(st.integers(1, 1000)))], data
    if how == "negative":
        return [b"Content-Length: -5"], data
    if how == "garbage":
        return [b"Content-Length: twelve"], data
    if how == "twice":
        return [b"Content-Length: %d" % n, b"Content-Length: %d" % (n + 3)], data
    if how == "huge":
        return [b"Content-Length: 99999999999999999999"], data
    step = draw(st.integers(1, 4096))
    chunks = b"".join(b"%x\r\n" % len(data[i:i + step]) + data[i:i + step] + b"\r\n" for i in range(0, n, step))
    if how == "chunked-broken":
        chunks = chunks[: max(0, len(chunks) - draw(st.integers(1, 20)))] + b"zz\r\n"
    return [b"Transfer-Encoding: chunked"], chunks + b"0\r\n\r\n"


@st.composite
def http_answers(draw: st.DrawFn) -> HttpAnswer:
    # half the answers are well-formed around one oddity, so the checks reach the decoded texts too
    plain = draw(st.booleans())
    status = b"HTTP/1.1 200 OK" if plain else draw(st.sampled_from(STATUS_LINES))
    body = _json_body(draw)
    if draw(st.booleans()) and body:
        body = b"\xef\xbb\xbf" + body  # a UTF-8 BOM
    encoding = draw(st.sampled_from(["identity", "gzip", "deflate"] if plain else ENCODINGS))
    data, content_encoding = _encode(draw, encoding, body)
    length_headers, framed = _framing(draw, draw(st.sampled_from(["exact", "none", "chunked"] if plain else LENGTHS)),
                                      data)
    headers = list(length_headers)
    content_type = draw(st.sampled_from(CONTENT_TYPES))
    if content_type is not None:
        headers.append(b"Content-Type: " + content_type.encode())
    if content_encoding is not None:
        headers.append(b"Content-Encoding: " + content_encoding.encode())
    extra = draw(st.lists(st.sampled_from([
        b"X-Cswidgets-Simulator: 1", b"DSS-Version: 14.0.0", b"Connection: close", b"Connection: keep-alive",
        b"Location: http://elsewhere.example/x", b"Retry-After: 1", b"Set-Cookie: s=" + KEY.encode(),
        b"X-Long: " + b"h" * 9000, b"X-Bytes: \xff\xfe\x00", b"Bad Header Line", b": empty-name",
        b"X-Folded: a\r\n b"]), max_size=4))
    headers += extra
    timing = draw(st.sampled_from(["once", "once", "once", "pieces", "trickle", "stop"]))
    pieces, pause, stop = 0, 0.0, None
    if timing == "pieces":
        pieces, pause = draw(st.integers(1, 512)), draw(st.sampled_from([0.0, 0.001]))
    elif timing == "trickle":
        pieces, pause = draw(st.integers(1, 8)), draw(st.sampled_from([0.01, 0.05]))
    elif timing == "stop":
        stop = draw(st.integers(0, 200))
    answer = HttpAnswer(status, headers, framed, pieces, pause, stop)
    answer.note = f"{status[:40]!r} {encoding} {timing} {len(framed)} bytes"
    return answer


class Player:
    """Plays the current :class:`HttpAnswer` to every request on a raw server; ``served`` counts them over the
    whole run."""

    def __init__(self) -> None:
        self.answer: HttpAnswer | None = None
        self.served = 0

    def __call__(self, conn: socket.socket, _request: bytes) -> None:
        answer = self.answer
        if answer is None:
            return
        self.served += 1
        wire = answer.wire()
        if answer.stop_after is not None:
            wire = wire[: answer.stop_after]
        if not answer.pieces:
            conn.sendall(wire)
            return
        end = time.monotonic() + 3.0  # a trickle never outlives the example by much
        for i in range(0, len(wire), answer.pieces):
            conn.sendall(wire[i:i + answer.pieces])
            if answer.pause_s:
                time.sleep(answer.pause_s)
            if time.monotonic() > end:
                return
