"""Keeping names out of the report: :class:`Redactor` remembers every value DSS sent (ids, names, logins,
paths...), the host and the credentials, and removes them from any text the report carries."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable, Mapping
from typing import Any

__all__ = ["REDACTED", "Redactor"]

REDACTED = "<redacted>"
MIN_LENGTH = 3  # shorter values are only replaced where a whole text equals them
MAX_VALUES = 20000


class Redactor:
    """Values that must never reach the report (see the module docstring); thread-safe."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        self._values: set[str] = set()
        self._lock = threading.Lock()
        self._pattern: re.Pattern[str] | None = None
        for secret in secrets:
            self.add(secret)

    def add(self, value: Any, *, keys: bool = False) -> None:
        """Remember ``value`` (a string) and, for a JSON value, every string in it (and its top-level keys
        with ``keys``: for answers keyed by values, such as the conflicts answer; other keys are DSS's field
        names)."""
        todo = [value]
        found: list[str] = [k for k in value if isinstance(k, str)] if keys and isinstance(value, Mapping) else []
        while todo and len(found) < MAX_VALUES:
            cur = todo.pop()
            if isinstance(cur, str):
                if cur.strip():
                    found.append(cur)
            elif isinstance(cur, Mapping):
                todo.extend(cur.values())
            elif isinstance(cur, (list, tuple)):
                todo.extend(cur)
        with self._lock:
            before = len(self._values)
            self._values.update(found)
            if len(self._values) != before:
                self._pattern = None

    @property
    def values(self) -> frozenset[str]:
        with self._lock:
            return frozenset(self._values)

    def scrub(self, text: str) -> str:
        """``text`` with every remembered value replaced by ``<redacted>``."""
        with self._lock:
            if text in self._values:
                return REDACTED
            if self._pattern is None:
                long_ones = sorted((v for v in self._values if len(v) >= MIN_LENGTH), key=len, reverse=True)
                self._pattern = re.compile("|".join(map(_bounded, long_ones))) if long_ones else None
            pattern = self._pattern
        return pattern.sub(REDACTED, text) if pattern is not None else text

    def scrub_deep(self, value: Any) -> Any:
        """A JSON value with every string scrubbed (the keys are the doctor's own: left as they are)."""
        if isinstance(value, str):
            return self.scrub(value)
        if isinstance(value, Mapping):
            return {k: self.scrub_deep(v) for k, v in value.items()}
        if isinstance(value, (list, tuple)):
            return [self.scrub_deep(v) for v in value]
        return value


def _bounded(value: str) -> str:
    """``value`` as a pattern that does not match inside a longer word ("admin" in "administrator")."""
    head = r"(?<![A-Za-z0-9_])" if value[0].isalnum() or value[0] == "_" else ""
    tail = r"(?![A-Za-z0-9_])" if value[-1].isalnum() or value[-1] == "_" else ""
    return head + re.escape(value) + tail
