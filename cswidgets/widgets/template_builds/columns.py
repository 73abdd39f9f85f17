"""The templates table's columns, declared once.

Every column of the templates table (browser and static HTML) is one :class:`Column` in :data:`COLUMNS`,
in the order shown. The front end receives them in the ``config`` trait (:func:`templates_config`) and
renders each cell by its ``kind`` (``js/template_builds/table.js`` holds no column list); the static HTML
fallback uses the same list (:func:`static_head`, :func:`static_cells`). A column's spec has the keys of
the studio table's column config (``id``, ``label``, ``kind``, ``fields``), plus ``note`` and ``empty``.
Adding a column is one ``Column(...)`` here, plus its value in the rows (a field of
:class:`~cswidgets.widgets.template_builds.rows.TemplateRow`).

Kinds (how a cell shows its row's ``fields``):

=========  ============================================================================================
select     the row's checkbox (no field)
text       the first non-empty field, as text (``empty`` when none)
code       the same, in a ``<code>``
list       a list field joined with ", " (``empty`` when empty)
time       an epoch-ms field as "5 minutes ago" (exact time in the tooltip), "never" when empty
actions    the row's Build button (no field)
=========  ============================================================================================

``note``: a field shown after the value when set: a text as " (text)", a build failure
(:class:`~cswidgets.widgets.template_builds.rows.LastFailure`) as " · last build failed at <stage>".
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, ClassVar, Literal, TypedDict

from ..shared.columns import BaseColumn

__all__ = ["COLUMNS", "Column", "ColumnSpec", "TemplatesConfig", "failure_note", "static_cells", "static_head",
           "templates_config"]

Kind = Literal["select", "text", "code", "list", "time", "actions"]
KINDS: tuple[str, ...] = ("select", "text", "code", "list", "time", "actions")


class ColumnSpec(TypedDict):
    """One column as the front end receives it (``config.columns``)."""

    id: str  # also the cell's class: csw-tb-<id>
    label: str
    kind: Kind
    fields: list[str]
    note: str | None
    empty: str


class TemplatesConfig(TypedDict):
    """The ``config`` trait of :class:`~cswidgets.widgets.template_builds.TemplateBuilds` (constant)."""

    columns: list[ColumnSpec]


@dataclass(frozen=True)
class Column(BaseColumn):
    """A column of the templates table (see the module's docstring)."""

    KINDS: ClassVar[tuple[str, ...]] = KINDS

    note: str | None = None
    empty: str = "—"

    def spec(self) -> ColumnSpec:
        return {"id": self.id, "label": self.label, "kind": self.kind,
                "fields": list(self.fields), "note": self.note, "empty": self.empty}


#: The templates table's columns, in the order shown.
COLUMNS: tuple[Column, ...] = (
    Column("select", "Select", "select"),
    Column("label", "Template", "text", ("label", "id"), note="error"),
    Column("id", "ID", "code", ("id",)),
    Column("type", "Type", "text", ("type",)),
    Column("build_for", "Built for", "list", ("build_for",)),
    Column("last", "Last built", "time", ("last_built_ms",), note="last_failure", empty="never"),
    Column("studios", "Studios (running / total)", "text", ("studios",), empty="—"),
    Column("outdated", "Outdated image (running)", "text", ("outdated",), empty="—"),
    Column("build", "Build", "actions"),
)


def templates_config(columns: tuple[Column, ...] | None = None) -> TemplatesConfig:
    """The ``config`` trait: the column specs (of :data:`COLUMNS` as it is now, by default)."""
    return {"columns": [c.spec() for c in (COLUMNS if columns is None else columns)]}


def failure_note(failure: Mapping[str, Any] | None, *, message: bool = False) -> str:
    """The words of a last build failure: "last build failed at <stage>" (": <message>" too when asked)."""
    if not failure:
        return ""
    where = f" at {failure['stage']}" if failure.get("stage") else ""
    return f"last build failed{where}" + (f": {failure.get('message') or 'no message'}" if message else "")


def _value(column: Column, row: Mapping[str, Any]) -> str:
    if column.kind == "list":
        items = row.get(column.fields[0])
        return ", ".join(str(i) for i in items) if isinstance(items, (list, tuple)) and items else column.empty
    if column.kind == "time":
        ms = row.get(column.fields[0])
        return datetime.fromtimestamp(ms / 1000, tz=timezone.utc).strftime("%Y-%m-%d %H:%M UTC") if ms else column.empty
    return next((str(row[f]) for f in column.fields if row.get(f)), column.empty)


def _note(column: Column, row: Mapping[str, Any]) -> str:
    value = row.get(column.note) if column.note else None
    if not value:
        return ""
    return f" ({failure_note(value, message=True)})" if isinstance(value, Mapping) else f" ({value})"


def static_head(columns: tuple[Column, ...] | None = None) -> tuple[str, ...]:
    """The labels of the columns the static HTML shows (no checkbox, no button)."""
    return tuple(c.label for c in (COLUMNS if columns is None else columns) if c.shows_field)


def static_cells(row: Mapping[str, Any], columns: tuple[Column, ...] | None = None) -> list[str]:
    """One row's cells in the static HTML (plain text: the caller escapes)."""
    return [_value(c, row) + _note(c, row) for c in (COLUMNS if columns is None else columns)
            if c.shows_field]
