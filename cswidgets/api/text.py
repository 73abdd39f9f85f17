"""The one gate for text that comes from DSS: every string of an answer, whatever its HTTP status and wherever
it sits (results, states, conflicts, messages), goes through it before it is stored, shown, logged or raised.

The gate does three things, in this order (a secret cut in two could no longer be recognised):

1. **Scrub secrets** -- every form of every live connection's credentials (API key, its Basic token, ticket,
   JWT) becomes ``***``. A :class:`~cswidgets.api.transport.Transport` registers its secrets here when it is
   made (:func:`register`) and they are forgotten when it is collected; the secrets of the caller are
   scrubbed too when given.
2. **Make it encodable** -- lone surrogates (``"\\ud800"`` is valid JSON, yet no UTF-8 encoder takes it) and
   control characters other than tab, line feed and carriage return become U+FFFD, so a message to the
   browser or a line of a log file always encodes. (An id that held one can no longer name anything:
   :func:`cswidgets.api.validate.id_problem` refuses U+FFFD.)
3. **Cap** a message (:func:`dss_text`) at :data:`~cswidgets.api.errors.MAX_TEXT` characters; whole answers
   (:func:`dss_value`) are bounded by the transport's answer-size cap instead.

Entry points: :func:`decode_answer` (the body of a JSON answer: UTF-8 with or without a BOM, whatever the
Content-Type says -- RFC 8259), :func:`dss_value` (a decoded value), :func:`dss_text` (one message).
"""

from __future__ import annotations

import json
import re
import threading
import weakref
from collections import deque
from collections.abc import Iterable
from itertools import accumulate
from typing import Any

from .errors import MAX_TEXT, cap, scrub

__all__ = ["MAX_JSON_DEPTH", "NestedTooDeeply", "decode_answer", "dss_text", "dss_value", "encodable", "register",
           "secrets"]

#: Characters no message may carry: lone surrogates, C0 controls but tab/LF/CR, DEL.
_BAD = re.compile("[\ud800-\udfff\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
REPLACEMENT = "\ufffd"

_lock = threading.Lock()
_registry: dict[int, tuple[object, tuple[str, ...]]] = {}  # id(owner) -> (its registration's token, its secrets)
# Owners collected, as (id, token): appended by their finalizers, which never take the lock -- a garbage collection
# may run a finalizer in any thread, also one holding the lock (a registration's allocation triggered it: that
# deadlocked a test run). The registry drops them under the lock, at the next registration or read.
_collected: deque[tuple[int, object]] = deque()


def register(owner: object, forms: Iterable[str]) -> None:
    """Scrub ``forms`` from every text of the gate as long as ``owner`` lives (a transport)."""
    key, token = id(owner), object()  # the token: a later owner with the same id is not dropped with this one
    entry = (token, tuple(f for f in forms if f))
    with _lock:
        _drop_collected()
        _registry[key] = entry
    weakref.finalize(owner, _collected.append, (key, token))


def _drop_collected() -> None:
    """Forget the owners collected since (under the lock)."""
    while _collected:
        key, token = _collected.popleft()
        if key in _registry and _registry[key][0] is token:
            del _registry[key]


def secrets(extra: Iterable[str | None] = ()) -> tuple[str, ...]:
    """The secrets the gate scrubs: those registered by live connections, and ``extra``."""
    with _lock:
        _drop_collected()
        known = [s for _token, forms in _registry.values() for s in forms]
    return tuple(dict.fromkeys([*known, *(s for s in extra if s)]))


def encodable(text: str) -> str:
    """``text`` with lone surrogates and control characters (but tab, LF, CR) replaced by U+FFFD."""
    return _BAD.sub(REPLACEMENT, text) if _BAD.search(text) else text


def _clean(text: str, forms: tuple[str, ...]) -> str:
    return encodable(scrub(text, forms) or "")


def dss_text(value: Any, extra: Iterable[str | None] = (), limit: int | None = MAX_TEXT) -> str | None:
    """One message from DSS, ready to store, show, log or raise: ``str``, scrubbed, encodable, capped at
    ``limit`` characters (``None``: not capped). ``None`` stays ``None``."""
    if value is None:
        return None
    text = _clean(value if isinstance(value, str) else str(value), secrets(extra))
    return text if limit is None else cap(text, limit)


def dss_value(value: Any, extra: Iterable[str | None] = ()) -> Any:
    """A copy of a decoded JSON value whose every string (keys too) went through the gate (not capped)."""
    forms = secrets(extra)
    return _walk(value, forms)


def _walk(value: Any, forms: tuple[str, ...]) -> Any:
    if isinstance(value, str):
        return _clean(value, forms)
    if isinstance(value, dict):
        return {_clean(k, forms) if isinstance(k, str) else k: _walk(v, forms) for k, v in value.items()}
    if isinstance(value, list):
        return [_walk(v, forms) for v in value]
    return value


def answer_text(body: bytes) -> str:
    """The text of an answer's body: UTF-8 (RFC 8259), a leading BOM dropped, bytes that are not UTF-8
    replaced -- whatever charset the Content-Type names."""
    return body.decode("utf-8-sig", errors="replace")


#: The deepest nesting of arrays and objects an answer may have. DSS's answers nest a dozen levels or so; json
#: itself would recurse until Python's recursion limit, and near it a garbage collection run meanwhile calls
#: finalizers that fail for want of stack (unraisable errors, seen in CI): the depth is checked before parsing.
MAX_JSON_DEPTH = 200

_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.S)
_NOT_BRACKET = bytes(b for b in range(256) if b not in b"[]{}")  # deleted by bytes.translate, a C loop
_STEP = {ord("["): 1, ord("{"): 1, ord("]"): -1, ord("}"): -1}


class NestedTooDeeply(ValueError):
    """An answer whose arrays and objects nest deeper than :data:`MAX_JSON_DEPTH` (``depth``: how deep)."""

    def __init__(self, depth: int) -> None:
        super().__init__(f"{depth} levels, at most {MAX_JSON_DEPTH} read")
        self.depth = depth


def _depth(brackets: bytes) -> int:
    """The deepest nesting of a run of brackets (the most opened at once, balanced or not)."""
    return max(accumulate(map(_STEP.__getitem__, brackets)), default=0)


def _check_depth(body: bytes, text: str) -> None:
    """Raise :class:`NestedTooDeeply` for an answer nested deeper than :data:`MAX_JSON_DEPTH`. Counted on the body's
    bytes first (a bracket is one byte in UTF-8), strings included: that can only overstate the depth, and only then
    are the strings left out (~0.1 s for a 5 MB answer with a million brackets)."""
    if body.count(b"[") + body.count(b"{") <= MAX_JSON_DEPTH:  # cannot nest deeper than it opens
        return
    if _depth(body.translate(None, _NOT_BRACKET)) <= MAX_JSON_DEPTH:
        return
    depth = _depth(_JSON_STRING.sub("", text).encode().translate(None, _NOT_BRACKET))
    if depth > MAX_JSON_DEPTH:
        raise NestedTooDeeply(depth)


def decode_answer(body: bytes, extra: Iterable[str | None] = ()) -> Any:
    """Decode a JSON answer's body through the gate (``ValueError`` when it is not JSON: :class:`NestedTooDeeply`
    when it nests deeper than :data:`MAX_JSON_DEPTH`; ``RecursionError`` if the stack runs out all the same).

    Fast path: a body with no backslash escape, no DEL and no secret in its text is decoded as is (its
    strings cannot hold a secret or a character the gate replaces); otherwise every string is walked."""
    text = answer_text(body)
    _check_depth(body, text)
    value = json.loads(text)
    forms = secrets(extra)
    if "\\" in text or "\x7f" in text or any(f in text for f in forms):
        value = _walk(value, forms)
    return value
