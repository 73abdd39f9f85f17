"""The one exception type of the simulator, shaped like a DSS error answer."""

from __future__ import annotations

from typing import Any

from . import assumptions as A


class SimError(Exception):
    """An error the simulator reports: HTTP ``status`` plus a DSS error body.

    Raised by the model (and so by :class:`~cswidgets.sim.Simulator` helpers such as
    ``write_file``) and by :class:`~cswidgets.sim.RemoteSimulator`; the HTTP server turns
    it into a DSS error response (``errorType``, ``message``, ``detailedMessage``).
    """

    def __init__(self, status: int, error_type: str, message: str, extra: dict[str, Any] | None = None):
        super().__init__(f"{status} {error_type}: {message}")
        self.status = status
        self.error_type = error_type
        self.message = message
        self.extra = dict(extra or {})

    def body(self) -> dict[str, Any]:
        """The JSON body DSS would send."""
        return {**self.extra, **A.error_body(self.error_type, self.message)}


def not_found(what: str) -> SimError:
    return SimError(A.STATUS_NOT_FOUND, A.ERR_NOT_FOUND, what)


def bad_request(message: str) -> SimError:
    return SimError(A.STATUS_BAD_REQUEST, A.ERR_ILLEGAL_ARGUMENT, message)


def forbidden(message: str) -> SimError:
    return SimError(A.STATUS_FORBIDDEN, A.ERR_UNAUTHORIZED, message)


def conflict(message: str) -> SimError:
    """A simulator-only refusal (control routes): the object is in the wrong state."""
    return SimError(409, A.ERR_ILLEGAL_STATE, message)
