"""Exceptions raised by the API core.

Everything the API core raises because of the server or the network is a :class:`DSSError`, so a caller
can write one ``except DSSError``. The subclasses only narrow the cause:

- :class:`DSSError` -- an HTTP error answer. Keeps ``status`` (HTTP status code), ``error_type`` (DSS's
  Java exception class name, ``"Unknown error"`` when absent), ``message`` and ``detailed_message``, and
  the decoded error ``body`` (a dict; a non-JSON body is kept as ``{"message": <text>}``).
- :class:`DSSConnectionError` -- no usable HTTP answer: connection refused or reset, read timeout,
  TLS failure, the call's deadline passed. ``status`` is ``None``.
- :class:`DSSOutcomeUnknownError` -- a :class:`DSSConnectionError` on a write (stop, restart, pull,
  push, build...) whose request was sent but whose answer was lost (reset after sending, read timeout, the
  call's deadline -- ``write_timeout`` for the long writes):
  the server may have applied it. Never resent; re-read the object to learn what happened.
- :class:`DSSTimeoutError` -- :meth:`cswidgets.api.Future.wait_for_result` gave up after ``timeout``
  seconds. It is also a :class:`TimeoutError`. The task is still running on the server.
- :class:`DSSFutureError` -- a long-running task failed, was aborted (``aborted`` is true) or died
  without a result. :meth:`cswidgets.api.Future.wait_for_result` raises it instead of spinning forever.
- :class:`DSSConfigError` -- :func:`cswidgets.api.connect` found no usable connection settings. It is
  also a :class:`ValueError`; its message lists every source that was tried.

Code written for the official client keeps working: when ``dataikuapi`` is importable (it always is in
DSS), :class:`DSSError` derives from ``dataikuapi.utils.DataikuException``, so ``except DataikuException``
catches it; and ``str(err)`` starts with ``errorType: message`` as the official client's does, followed by
the detailed message and ``[HTTP status on METHOD path]`` when known.

This module imports nothing heavy (as requests' ``exceptions.py``), so the panels import it at module level.
Importing the official client costs ~0.15-0.4 s, so it is not done here: the classes derive from a
placeholder, :class:`OfficialBase`, which :func:`adopt_official_base` replaces by ``DataikuException`` --
called by :func:`cswidgets.api.connect` and :class:`cswidgets.api.Client` before any request (no
:class:`DSSError` can exist before a connection is made, except the :class:`DSSConfigError` of ``connect()``,
which adopts first), and at import when ``dataikuapi`` is already loaded.

Secrets (API key, ticket) never appear in an exception: the transport scrubs server-provided texts
(every string of an error ``body``, at any depth) *before* cutting them (see :func:`scrub`,
:func:`scrub_deep`). ``message`` and ``detailed_message`` are capped at :data:`MAX_TEXT` characters
(see :func:`cap`); the whole scrubbed text stays in ``body``.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from typing import Any

__all__ = [
    "DSSConfigError",
    "DSSConnectionError",
    "DSSError",
    "DSSFutureError",
    "DSSOutcomeUnknownError",
    "DSSTimeoutError",
    "adopt_official_base",
    "cap",
    "scrub",
    "scrub_deep",
]

_MASK = "***"
#: Longest ``message`` / ``detailed_message`` kept on an error (the whole text stays in ``body``).
MAX_TEXT = 2000
#: Nesting levels of an error body kept by :func:`scrub_deep` (deeper values become ``"…"``).
MAX_BODY_DEPTH = 20


def cap(text: str | None, limit: int = MAX_TEXT) -> str | None:
    """``text`` cut to ``limit`` characters (``"…"`` and the number of characters left out appended)."""
    if text is None or len(text) <= limit:
        return text
    return f"{text[:limit]}… [{len(text) - limit:,} more characters]"


def scrub_deep(value: Any, secrets: Iterable[str | None], depth: int = 0) -> Any:
    """A copy of a decoded JSON value with every string (keys too) scrubbed; beyond
    :data:`MAX_BODY_DEPTH` levels, values become ``"…"``."""
    secrets = tuple(secrets)
    if isinstance(value, str):
        return scrub(value, secrets)
    if depth >= MAX_BODY_DEPTH and isinstance(value, (dict, list)):
        return "…"
    if isinstance(value, dict):
        return {scrub(str(k), secrets): scrub_deep(v, secrets, depth + 1) for k, v in value.items()}
    if isinstance(value, list):
        return [scrub_deep(v, secrets, depth + 1) for v in value]
    return value


def scrub(text: str | None, secrets: Iterable[str | None]) -> str | None:
    """Replace every occurrence of each secret in ``text`` with ``***``.

    Parameters
    ----------
    text : str or None
        Text that may echo a secret (for example a server error message).
    secrets : iterable of str or None
        Secrets to hide; ``None`` and very short values (< 4 characters) are ignored.

    Returns
    -------
    str or None
        The scrubbed text (``None`` stays ``None``).
    """
    if not text:
        return text
    for secret in secrets:
        if secret and len(secret) >= 4 and secret in text:
            text = text.replace(secret, _MASK)
    return text


class OfficialBase(Exception):
    """The base of :class:`DSSError` until :func:`adopt_official_base` puts the official client's
    ``DataikuException`` in its place (same layout: a plain :class:`Exception` subclass)."""


def adopt_official_base() -> bool:
    """Make :class:`DSSError` (and so every error of this module) a subclass of the official client's
    ``dataikuapi.utils.DataikuException`` when it is installed; ``True`` when it is (or already was).

    Idempotent and thread-safe enough (a class attribute swap); any failure to import the official client
    means "no official client" and leaves the placeholder.
    """
    if DSSError.__bases__ != (OfficialBase,):
        return True
    try:
        from dataikuapi.utils import DataikuException as base
    except Exception:  # not installed, or broken
        return False
    if not (isinstance(base, type) and issubclass(base, Exception)):
        return False
    try:
        DSSError.__bases__ = (base,)
    except TypeError:  # an official class of another layout: keep ours (``except DSSError`` still works)
        return False
    return True


class DSSError(OfficialBase):
    """An error answered by DSS (or raised on the way to it).

    Parameters
    ----------
    message : str
        Short human-readable message.
    status : int or None
        HTTP status code, ``None`` when there was no HTTP answer.
    error_type : str or None
        DSS ``errorType`` (a Java class name), or ``"Unknown error"`` when the body has none.
    detailed_message : str or None
        DSS ``detailedMessage`` when present.
    method, path : str or None
        The request that failed (path relative to the API base, already quoted).
    body : dict or None
        The decoded error body (future fields such as ``aborted`` or ``logTail`` live here).
    """

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        error_type: str | None = None,
        detailed_message: str | None = None,
        method: str | None = None,
        path: str | None = None,
        body: dict[str, Any] | None = None,
    ) -> None:
        self.message = cap(message if isinstance(message, str) else str(message))
        self.status = status
        self.error_type = cap(error_type, 200) if isinstance(error_type, str) else error_type
        self.detailed_message = cap(detailed_message) if isinstance(detailed_message, str) else detailed_message
        self.method = method
        self.path = path
        self.body = body if body is not None else {}
        super().__init__(self._describe())

    def _describe(self) -> str:
        # the official client's form first ("errorType: message"), then what we know beyond it
        text = f"{self.error_type}: {self.message}" if self.error_type else self.message
        if self.detailed_message and self.detailed_message != self.message:
            text = f"{text} ({self.detailed_message})"
        where = " ".join(
            part for part in (f"HTTP {self.status}" if self.status is not None else None,
                              f"on {self.method} {self.path}" if self.method and self.path else None) if part
        )
        return f"{text} [{where}]" if where else text

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._describe()!r})"

    def __reduce__(self):  # keep the keyword-only attributes when pickled (e.g. across processes)
        return (_rebuild, (type(self), self.__dict__.copy()))


def _rebuild(cls: type, state: dict[str, Any]) -> DSSError:
    obj = cls.__new__(cls)
    obj.__dict__.update(state)
    Exception.__init__(obj, obj._describe())
    return obj


class DSSConnectionError(DSSError):
    """No usable HTTP answer: refused, reset, read timeout, TLS failure (``status`` is ``None``)."""


class DSSOutcomeUnknownError(DSSConnectionError):
    """A write was sent but its answer was lost (reset after sending, read timeout, deadline): the server
    may or may not have applied it. It was not resent; re-read the object to learn its state."""


class DSSTimeoutError(DSSError, TimeoutError):
    """Waiting for a future took longer than the timeout. The task keeps running on the server."""


class DSSFutureError(DSSError):
    """A long-running task failed, was aborted or disappeared without a result.

    ``aborted`` is true when the task was aborted; ``job_id`` names the future. ``message`` says what
    happened to the task (``"task 'x' failed: <DSS's message>"``); ``dss_message`` is DSS's own message
    alone (e.g. ``"docker build failed"``, ``"Aborted by alice"``), or ``None`` when DSS gave none (a task
    that died without a result, or is unknown): show it to users when it is there.
    """

    def __init__(
        self,
        message: str,
        *,
        job_id: str | None = None,
        aborted: bool = False,
        dss_message: str | None = None,
        **kwargs: Any,
    ) -> None:
        self.job_id = job_id
        self.aborted = aborted
        self.dss_message = dss_message or None
        super().__init__(message, **kwargs)


class DSSConfigError(DSSError, ValueError):
    """No usable connection settings were found; the message lists every source tried."""


if "dataikuapi.utils" in sys.modules:  # the official client is loaded already: adopting costs nothing
    adopt_official_base()
