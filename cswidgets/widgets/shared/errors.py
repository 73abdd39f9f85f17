"""What a panel says about an error: one short, honest line, and the raw detail kept apart.

- 401: "authentication failed: check <the credential source actually used>" (``client=`` given; else
  DKU_DSS_URL / DKU_API_KEY or the DSS ticket) -- but a 401 or 403 on one project's path that is not a bad key
  (:func:`cswidgets.api.assumptions.denied_project`) is "no access to project X": DSS answers 401 for a project
  that does not exist or that the key cannot read (docs/dss-api.md §7, item 6).
- 403: "you don't have permission to <action> <object>" (the Java exception names go to the detail).
- A write whose answer was lost (:class:`~cswidgets.api.DSSOutcomeUnknownError`): "outcome unknown".
- No connection could be made: "could not connect to <URL>" (the URL without credentials).
- No answer at all (:class:`~cswidgets.api.DSSConnectionError`): "connection lost: DSS did not answer".
- Anything else: DSS's message.

:func:`describe` returns ``(message, detail)``; the message is capped at :data:`MAX_MESSAGE` characters,
the detail (the full error text, already scrubbed of secrets by the API core) at :data:`MAX_DETAIL`.
"""

from __future__ import annotations

from typing import Any

from ...api.assumptions import denied_project as _denied_project
from ...api.errors import DSSConnectionError, DSSError, DSSOutcomeUnknownError
from .error_origin import credential_source, unreachable, url_of

__all__ = ["AUTH_HINT", "MAX_DETAIL", "MAX_MESSAGE", "auth_hint", "cap", "denied_project", "describe",
           "is_permission_error", "no_connection", "why_not_loaded"]

MAX_MESSAGE = 300
MAX_DETAIL = 20_000
AUTH_HINT = "authentication failed: check DKU_DSS_URL / DKU_API_KEY (or the DSS ticket)"


def cap(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def is_permission_error(exc: BaseException) -> bool:
    return getattr(exc, "status", None) == 403


def denied_project(exc: BaseException) -> str | None:
    """The project a 401/403 refuses access to (not a bad key), or ``None``."""
    return _denied_project(getattr(exc, "status", None), getattr(exc, "path", None),
                           getattr(exc, "error_type", None), getattr(exc, "message", None))


def no_access(project: str) -> str:
    return f"no access to project {project} (it does not exist, or these credentials may not read it)"


def auth_hint(client: Any = None) -> str:
    """The 401 line, naming the credential source ``client`` used when it is known."""
    source = credential_source(client) if client is not None else None
    return f"authentication failed: check {source}" if source else AUTH_HINT


def no_connection(exc: BaseException, client: Any = None) -> str:
    """The line for a :class:`DSSConnectionError`: "could not connect to <URL>" when no connection was made,
    else "connection lost: DSS did not answer" (naming the URL when known)."""
    url = url_of(client) if client is not None else None
    if unreachable(exc):
        return f"could not connect to {url}" if url else "could not connect to DSS"
    return f"connection lost: DSS at {url} did not answer" if url else "connection lost: DSS did not answer"


def describe(
    exc: BaseException, action: str | None = None, target: str | None = None, *, client: Any = None
) -> tuple[str, str | None]:
    """``(message, detail)`` for ``exc``; ``action``/``target`` name what was attempted ("stop", "Dash"):
    :meth:`Panel.operation <cswidgets.widgets.shared.panel.Panel.operation>` passes them. ``client`` (the
    panel's) lets connection and authentication errors name the URL and the credential source."""
    raw = str(exc) or type(exc).__name__
    status = getattr(exc, "status", None)
    what = " ".join(part for part in (action, target) if part)
    project = denied_project(exc) if isinstance(exc, DSSError) else None
    if project is not None and (status == 401 or not what):
        message = f"{what}: {no_access(project)}" if what else no_access(project)
    elif isinstance(exc, DSSError) and status == 401:
        message = auth_hint(client)
    elif isinstance(exc, DSSError) and status == 403:
        message = f"you don't have permission to {what}" if what else "you don't have permission to do this"
        if exc.message:
            message = f"{message} (DSS: {exc.message})"
    elif isinstance(exc, DSSOutcomeUnknownError):
        message = f"{what}: outcome unknown (the answer was lost)" if what else "outcome unknown (the answer was lost)"
    elif isinstance(exc, DSSConnectionError):
        message = no_connection(exc, client)
    elif isinstance(exc, DSSError):
        message = exc.message or raw
        message = f"{message} (HTTP {status})" if status is not None else message
    elif isinstance(exc, (ValueError, TypeError)) or ":" in raw:
        return cap(raw, MAX_MESSAGE), None
    else:
        return cap(f"{type(exc).__name__}: {raw}", MAX_MESSAGE), None
    detail = cap(raw, MAX_DETAIL)
    return cap(message, MAX_MESSAGE), (detail if detail != message else None)


def why_not_loaded(exc: BaseException, client: Any = None) -> str:
    """``"not loaded — <short reason>"``: what a panel shows instead of empty counts when its first read
    failed (never "0 studios", which would be a claim about DSS)."""
    status = getattr(exc, "status", None)
    project = denied_project(exc) if isinstance(exc, DSSError) else None
    if project is not None:
        reason = f"no access to project {project}"
    elif isinstance(exc, DSSError) and status == 401:
        reason = "authentication failed"
    elif isinstance(exc, DSSError) and status == 403:
        reason = "permission denied"
    elif isinstance(exc, DSSConnectionError) and unreachable(exc):
        url = url_of(client) if client is not None else None
        reason = f"could not connect to {url}" if url else "could not connect"
    elif isinstance(exc, DSSConnectionError):
        reason = "connection lost"
    else:
        reason = "DSS answered an error"
    return f"not loaded — {reason}"
