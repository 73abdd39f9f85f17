"""The rows of :class:`~cswidgets.widgets.template_builds.TemplateBuilds`: a templates DataFrame
record as the synced row dict, and the panel's static HTML fallback."""

from __future__ import annotations

import html
import math
from datetime import datetime, timezone
from typing import Any

__all__ = ["epoch_ms", "static_html", "template_row"]


def epoch_ms(value: Any) -> int | None:
    """A timestamp (datetime, pandas Timestamp, epoch ms, NaT/None) as epoch milliseconds."""
    if value is None:
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return int(value) if math.isfinite(value) and value > 0 else None
    if isinstance(value, datetime):
        try:
            return int(value.timestamp() * 1000)
        except (ValueError, OverflowError):  # NaT
            return None
    return None


def _text(value: Any) -> str | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return str(value)


def template_row(record: dict[str, Any]) -> dict[str, Any]:
    """A ``client.templates_frame()`` record as the synced row ``{id, label, type, build_for,
    last_built_ms, error}``."""
    build_for = record.get("build_for")
    return {
        "id": str(record.get("id")),
        "label": _text(record.get("label")) or str(record.get("id")),
        "type": _text(record.get("type")),
        "build_for": [str(c) for c in build_for] if isinstance(build_for, (list, tuple)) else [],
        "last_built_ms": epoch_ms(record.get("last_built")),
        "error": _text(record.get("error")),
    }


def static_html(rows: list[dict[str, Any]], builds: list[dict[str, Any]]) -> str:
    """The templates as an HTML table and the builds as a list (every value escaped)."""

    def cell(value: Any) -> str:
        return f"<td>{html.escape('' if value is None else str(value))}</td>"

    head = "".join(f"<th scope='col'>{c}</th>" for c in ("Template", "ID", "Type", "Built for", "Last built"))
    body = []
    for row in rows:
        ms = row.get("last_built_ms")
        last = datetime.fromtimestamp(ms / 1000, tz=timezone.utc).strftime("%Y-%m-%d %H:%M UTC") if ms else "never"
        body.append(
            "<tr>"
            + cell(row["label"]) + cell(row["id"]) + cell(row.get("type") or "—")
            + cell(", ".join(row.get("build_for") or []) or "—") + cell(last)
            + "</tr>"
        )
    items = "".join(f"<li>{html.escape(b['label'])}: {html.escape(b['final'] or 'running')}</li>" for b in builds)
    return (
        "<div class='csw-static csw-template-builds'>"
        f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"
        + (f"<ul>{items}</ul>" if items else "")
        + "</div>"
    )
