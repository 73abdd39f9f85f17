"""What a panel says about an error: one short, honest line, and the raw detail kept apart.

- 401: "authentication failed: check DKU_DSS_URL / DKU_API_KEY (or the DSS ticket)".
- 403: "you don't have permission to <action> <object>" (the Java exception names go to the detail).
- A write whose answer was lost (:class:`~cswidgets.api.DSSOutcomeUnknownError`): "outcome unknown".
- No answer at all (:class:`~cswidgets.api.DSSConnectionError`): "connection lost".
- Anything else: DSS's message.

:func:`describe` returns ``(message, detail)``; the message is capped at :data:`MAX_MESSAGE` characters,
the detail (the full error text, already scrubbed of secrets by the API core) at :data:`MAX_DETAIL`.
"""

from __future__ import annotations

from ...api.errors import DSSConnectionError, DSSError, DSSOutcomeUnknownError

__all__ = ["AUTH_HINT", "MAX_DETAIL", "MAX_MESSAGE", "cap", "describe", "is_permission_error", "why_not_loaded"]

MAX_MESSAGE = 300
MAX_DETAIL = 20_000
AUTH_HINT = "authentication failed: check DKU_DSS_URL / DKU_API_KEY (or the DSS ticket)"


def cap(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def is_permission_error(exc: BaseException) -> bool:
    return getattr(exc, "status", None) == 403


def describe(exc: BaseException, action: str | None = None, target: str | None = None) -> tuple[str, str | None]:
    """``(message, detail)`` for ``exc``; ``action``/``target`` name what was attempted ("stop", "Dash"):
    :meth:`Panel.operation <cswidgets.widgets.shared.panel.Panel.operation>` passes them."""
    raw = str(exc) or type(exc).__name__
    status = getattr(exc, "status", None)
    what = " ".join(part for part in (action, target) if part)
    if isinstance(exc, DSSError) and status == 401:
        message = AUTH_HINT
    elif isinstance(exc, DSSError) and status == 403:
        message = f"you don't have permission to {what}" if what else "you don't have permission to do this"
        if exc.message:
            message = f"{message} (DSS: {exc.message})"
    elif isinstance(exc, DSSOutcomeUnknownError):
        message = f"{what}: outcome unknown (the answer was lost)" if what else "outcome unknown (the answer was lost)"
    elif isinstance(exc, DSSConnectionError):
        message = "connection lost: DSS did not answer"
    elif isinstance(exc, DSSError):
        message = exc.message or raw
        message = f"{message} (HTTP {status})" if status is not None else message
    elif isinstance(exc, (ValueError, TypeError)) or ":" in raw:
        return cap(raw, MAX_MESSAGE), None
    else:
        return cap(f"{type(exc).__name__}: {raw}", MAX_MESSAGE), None
    detail = cap(raw, MAX_DETAIL)
    return cap(message, MAX_MESSAGE), (detail if detail != message else None)


def why_not_loaded(exc: BaseException) -> str:
    """``"not loaded — <short reason>"``: what a panel shows instead of empty counts when its first read
    failed (never "0 studios", which would be a claim about DSS)."""
    status = getattr(exc, "status", None)
    if isinstance(exc, DSSError) and status == 401:
        reason = "authentication failed"
    elif isinstance(exc, DSSError) and status == 403:
        reason = "permission denied"
    elif isinstance(exc, DSSConnectionError):
        reason = "connection lost"
    else:
        reason = "DSS answered an error"
    return f"not loaded — {reason}"
