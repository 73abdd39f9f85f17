"""The rows of :class:`~cswidgets.widgets.template_builds.TemplateBuilds`: a templates DataFrame
record as the synced :class:`TemplateRow`, and the panel's static HTML fallback."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from ...api.times import to_ms
from .._format import text_or_none
from .._static import block, items, table

__all__ = ["static_html", "template_row"]


def template_row(record: dict[str, Any]) -> dict[str, Any]:
    """A ``client.templates_frame()`` record as the synced row ``{id, label, type, build_for,
    last_built_ms, error}``."""
    build_for = record.get("build_for")
    return {
        "id": str(record.get("id")),
        "label": text_or_none(record.get("label")) or str(record.get("id")),
        "type": text_or_none(record.get("type")),
        "build_for": [str(c) for c in build_for] if isinstance(build_for, (list, tuple)) else [],
        "last_built_ms": to_ms(record.get("last_built")),
        "error": text_or_none(record.get("error")),
    }


def _last_built(ms: int | None) -> str:
    return datetime.fromtimestamp(ms / 1000, tz=timezone.utc).strftime("%Y-%m-%d %H:%M UTC") if ms else "never"


def static_html(rows: list[dict[str, Any]], builds: list[dict[str, Any]]) -> str:
    """The templates as an HTML table and the builds as a list (every value escaped)."""
    templates = table(
        ("Template", "ID", "Type", "Built for", "Last built"),
        ([row["label"], row["id"], row.get("type") or "—", ", ".join(row.get("build_for") or []) or "—",
          _last_built(row.get("last_built_ms"))] for row in rows),
    )
    return block("template-builds", templates, items(f"{b['label']}: {b['final'] or 'running'}" for b in builds))
