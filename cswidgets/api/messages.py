"""Info messages: what DSS answers to a template deletion (mirror of ``dataikuapi.dss.utils.DSSInfoMessages``)."""

from __future__ import annotations

from typing import Any

__all__ = ["InfoMessages"]


class InfoMessages:
    """The ``{messages, anyMessage, maxSeverity, error, warning, success}`` answer of some DSS calls."""

    def __init__(self, data: Any) -> None:
        self._data = data if isinstance(data, dict) else {}

    def get_raw(self) -> dict[str, Any]:
        """The raw answer."""
        return self._data

    @property
    def messages(self) -> list[dict[str, Any]]:
        """The messages (dicts with ``severity``, ``code``, ``title``, ``message``)."""
        items = self._data.get("messages")
        return [m for m in items if isinstance(m, dict)] if isinstance(items, list) else []

    @property
    def has_messages(self) -> bool:
        return bool(self._data.get("anyMessage", False))

    @property
    def has_error(self) -> bool:
        return bool(self._data.get("error", False))

    @property
    def has_warning(self) -> bool:
        return bool(self._data.get("warning", False))

    @property
    def has_success(self) -> bool:
        return bool(self._data.get("success", False))

    @property
    def max_severity(self) -> str | None:
        return self._data.get("maxSeverity")

    def text(self) -> str:
        """The messages as one readable line ("" when there is none)."""
        return "; ".join(str(m.get("message") or m.get("title") or "") for m in self.messages if m)

    def __repr__(self) -> str:
        return (f"InfoMessages(has_messages: {self.has_messages}, max_severity: {self.max_severity}, "
                f"has_error: {self.has_error}, messages: {len(self.messages)})")
