"""Answers to writes that DSS accepted but that cannot be understood.

A stop answered 200 with cut JSON, a build answered ``{"jobId": 42}``, a push answered ``"OK"``: DSS took the
request (a 2xx status), so the write was done or is under way -- calling it "failed" would invite a second
click and a duplicate build. Such an answer raises :class:`DSSAnswerNotUnderstood`, a
:class:`~cswidgets.api.errors.DSSOutcomeUnknownError`: every panel already reads that as "outcome unknown --
re-reading" (never "failed", never resent) and re-reads the object to learn what happened.
"""

from __future__ import annotations

from typing import Any

from .errors import DSSOutcomeUnknownError

__all__ = ["DSSAnswerNotUnderstood", "accepted_object", "not_understood"]


class DSSAnswerNotUnderstood(DSSOutcomeUnknownError):
    """DSS accepted a write (a 2xx answer) but its answer could not be understood: the write was done or is
    under way; re-read the object to know its state (it is never resent). ``http_status`` is the answer's
    status (``status`` stays ``None``, as for every outcome-unknown error)."""

    def __init__(self, message: str, *, http_status: int | None = None, **kwargs: Any) -> None:
        self.http_status = http_status
        super().__init__(message, **kwargs)


def not_understood(what: str, why: str, *, http_status: int | None = 200, method: str | None = None,
                   path: str | None = None, body: dict[str, Any] | None = None) -> DSSAnswerNotUnderstood:
    """The error of an accepted write whose answer is malformed (``why`` says how; it never holds a secret:
    texts from DSS reach it through :mod:`cswidgets.api.text`)."""
    status = f" (HTTP {http_status})" if http_status else ""
    return DSSAnswerNotUnderstood(
        f"DSS accepted the {what}{status} but its answer was not understood: {why}; the outcome is re-read, "
        "the request is not resent",
        http_status=http_status, method=method, path=path, body=body, error_type="AnswerNotUnderstood",
    )


def accepted_object(answer: Any, what: str, *, method: str | None = None, path: str | None = None) -> dict[str, Any]:
    """The answer of an accepted write when it is a JSON object (``None``: ``{}``), else
    :class:`DSSAnswerNotUnderstood`."""
    if answer is None:
        return {}
    if not isinstance(answer, dict):
        kinds = {list: "array", str: "string", bool: "boolean", int: "number", float: "number"}
        kind = kinds.get(type(answer), "value")
        raise not_understood(what, f"a JSON {kind}, not an object", method=method, path=path)
    return answer
