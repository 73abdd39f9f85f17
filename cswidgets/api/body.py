"""Reading an answer's body with a size cap, enforced while it streams in -- compressed or not.

``requests`` would read a whole body into memory and inflate gzip without limit (a 400 KB answer that
inflates to 400 MB takes the kernel with it). :func:`read_capped` reads the raw stream in chunks and
decodes ``Content-Encoding`` itself (``gzip``/``x-gzip``, ``deflate`` zlib-wrapped or raw, ``identity``, and
stacks of them), asking each decompressor for no more than the bytes still allowed, so memory never holds
more than the cap plus one chunk. A ``Content-Length`` over the cap fails before any byte is read.
Past the cap: :class:`~cswidgets.api.errors.DSSError` naming the size reached and the limit.
"""

from __future__ import annotations

import zlib
from typing import Any

from .errors import DSSError

__all__ = ["ACCEPT_ENCODING", "DEFAULT_MAX_ANSWER_BYTES", "AnswerTooLarge", "read_capped"]

#: The largest answer body kept by default (decoded bytes), 32 MiB: a list of 10,000 studios is ~10 MB.
DEFAULT_MAX_ANSWER_BYTES = 32 * 1024 * 1024
#: The encodings :func:`read_capped` decodes (sent as ``Accept-Encoding``).
ACCEPT_ENCODING = "gzip, deflate"
CHUNK = 64 * 1024
#: The most one decompression call produces (a 64 KB piece of a bomb would otherwise inflate to 64 MB at once).
STEP = 1024 * 1024


class AnswerTooLarge(DSSError):
    """An answer's body was larger than the transport's ``max_answer_bytes`` (it was not read further)."""


def _size(n: int) -> str:
    return f"{n:,} bytes" if n < 1024 * 1024 else f"{n / (1024 * 1024):,.1f} MiB ({n:,} bytes)"


def too_large(reached: int, limit: int, declared: bool = False) -> AnswerTooLarge:
    """The error of an answer over the cap (``declared``: its Content-Length said so; else the decoded bytes
    read when it was cut)."""
    size = f"its Content-Length says {_size(reached)}" if declared else f"at least {reached:,} bytes once decoded"
    return AnswerTooLarge(
        f"the answer is larger than the limit of {_size(limit)}: {size}; it was not read further (raise "
        "max_answer_bytes= of cswidgets.connect() if such answers are expected)",
        error_type="AnswerTooLarge",
    )


class _Inflater:
    """One layer of Content-Encoding (gzip or deflate), producing at most the bytes asked for."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self._d = zlib.decompressobj(16 + zlib.MAX_WBITS if kind == "gzip" else zlib.MAX_WBITS)
        self._first = True
        self._pending = b""

    def feed(self, data: bytes) -> None:
        self._pending += data

    def take(self, budget: int) -> list[bytes]:
        """The decoded pieces of what was fed, at most ``budget`` + 1 bytes in all (more than ``budget``: over
        the cap), each at most :data:`STEP` bytes (a bomb never inflates in one call)."""
        out: list[bytes] = []
        produced = 0
        while self._pending and produced <= budget:
            data, self._pending = self._pending, b""
            if self._d.eof:  # a gzip stream of several members: the next one
                if self.kind != "gzip" or not data.strip(b"\0"):
                    return out
                self._d = zlib.decompressobj(16 + zlib.MAX_WBITS)
            try:
                piece = self._d.decompress(data, min(STEP, budget + 1 - produced))
            except zlib.error:
                if self.kind == "deflate" and self._first:  # raw deflate, without the zlib wrapper
                    self._d, self._first = zlib.decompressobj(-zlib.MAX_WBITS), False
                    self._pending = data + self._pending
                    continue
                raise
            self._first = False
            if piece:
                out.append(piece)
                produced += len(piece)
            self._pending = (self._d.unconsumed_tail or self._d.unused_data) + self._pending
            if not piece and not self._d.unconsumed_tail and not self._d.eof:
                break  # needs more input
        return out


def _layers(content_encoding: str | None) -> list[str]:
    """The decoders to apply, outermost first; ``ValueError`` for an encoding we never asked for."""
    names = [n.strip().lower() for n in (content_encoding or "").split(",") if n.strip()]
    layers = []
    for name in reversed(names):  # applied in the order listed: decoded last first
        if name in ("identity", ""):
            continue
        if name in ("gzip", "x-gzip"):
            layers.append("gzip")
        elif name == "deflate":
            layers.append("deflate")
        else:
            raise ValueError(f"an answer in Content-Encoding {name[:40]!r}, which was not asked for")
    return layers


def read_capped(raw: Any, headers: Any, limit: int | None, chunk: int = CHUNK) -> bytes:
    """The decoded body of an answer read from ``raw`` (urllib3's response, ``decode_content=False``).

    Raises
    ------
    AnswerTooLarge
        The decoded body (or its Content-Length) is over ``limit`` bytes.
    ValueError
        A Content-Encoding that was not asked for, or a compressed stream that is corrupt.
    """
    layers = [_Inflater(kind) for kind in _layers(headers.get("Content-Encoding"))]
    if limit is not None and not layers:
        declared = headers.get("Content-Length")
        if declared and declared.strip().isdigit() and int(declared) > limit:
            raise too_large(int(declared), limit, declared=True)
    parts: list[bytes] = []
    total = 0
    budget = limit if limit is not None else 1 << 62
    while True:
        data = raw.read(chunk, decode_content=False)
        if not data:
            break
        pieces = [data]
        try:
            for layer in layers:
                for piece in pieces:
                    layer.feed(piece)
                pieces = layer.take(budget - total)
        except zlib.error as exc:
            raise ValueError(f"the answer's compressed body is corrupt ({exc})") from None
        total += sum(len(p) for p in pieces)
        if total > budget:
            raise too_large(total, budget)
        parts += pieces
    return b"".join(parts)
