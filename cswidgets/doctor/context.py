"""What the checks share while the doctor runs: the client, the shapes and timings of the answers read, and
the :class:`~cswidgets.doctor.redact.Redactor` that learns every value DSS sent."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import urlsplit

from .redact import Redactor
from .shapes import merge, shape_of

if TYPE_CHECKING:
    from cswidgets.api import Client

__all__ = ["Context", "items_of"]

T = TypeVar("T")


class Context:
    """One doctor run against one client (read-only: every call it makes is a GET without side effect)."""

    def __init__(self, client: Client) -> None:
        self.client = client
        auth = client._transport.auth
        host = urlsplit(client.base_url).hostname or ""
        self.redactor = Redactor([*auth.secrets(), client.base_url, host])
        self.shapes: dict[str, Any] = {}
        self.times: dict[str, list[float]] = {}
        self.admin: bool | None = None

    def read(self, endpoint: str, call: Callable[[], T], *, keyed_by_value: bool = False) -> T:
        """Run ``call`` (one GET through the API core), time it and record the shape of what it answered
        under ``endpoint`` (a name like ``"GET /futures/"``). Errors propagate (their time is kept too)."""
        started = time.perf_counter()
        try:
            value = call()
        finally:
            self.times.setdefault(endpoint, []).append((time.perf_counter() - started) * 1000)
        raw = _raw(value)
        self.redactor.add(raw, keys=keyed_by_value)
        shape = shape_of(raw, keyed_by_value=keyed_by_value)
        self.shapes[endpoint] = merge(self.shapes[endpoint], shape) if endpoint in self.shapes else shape
        return value

    def hide(self, *values: Any) -> None:
        """Values to keep out of the report that no answer carried (an id the doctor made up, a login)."""
        for value in values:
            self.redactor.add(value)


def _raw(value: Any) -> Any:
    """What DSS sent, from the API core's answer (its objects keep it: ``get_raw()``)."""
    if hasattr(value, "get_raw"):
        return value.get_raw()
    if isinstance(value, list):
        return [_raw(v) for v in value]
    return value


def items_of(value: Any, key: str) -> list[Any]:
    """``value[key]`` when it is a list (an answer may hold anything there), else an empty list."""
    found = value.get(key) if isinstance(value, dict) else None
    return found if isinstance(found, list) else []
