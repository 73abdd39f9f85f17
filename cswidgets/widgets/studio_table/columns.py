"""The studio table's columns, declared once.

Every column of the table (browser and static HTML) is one :class:`Column` in :data:`COLUMNS`, in the
order shown. The front end receives them in the ``config`` trait (:func:`column_specs`, see
:mod:`~cswidgets.widgets.studio_table.config`) and renders each cell by its ``kind``; it holds no
column list of its own. Adding a column is one ``Column(...)`` here, plus its value in the rows (a field
of :class:`~cswidgets.widgets.studio_table.rows.StudioRow`)::

    Column("studio_id", "Id", "text", fields=("id",))

Kinds (how a cell shows its row's ``fields``):

=========  ===========================================================================================
text       the first non-empty field, as text (``title``: the field of the tooltip, default the text)
state      the state badge, the row's error mark and the progress of an action on it
time       an epoch-ms field as "5 minutes ago" (exact time in the tooltip), "never" when empty
list       a list field joined with ", " ("—" when empty)
links      a list of URLs: http(s) ones as links named by their port, others as text
duration   a number of seconds as "2h 05m" (the shared ``duration_text``; "—" when empty); with ``since`` (an
           epoch-ms field), the time since then, ticking in the view like relative times and sorted by it (the
           number as read when the row has no such time; the static HTML shows the number)
flag       the column's ``badge`` text when the field is true, nothing when false, "?" when unknown (``title``:
           the field of the tooltip)
count      a number with, under it, how long ago it was read (``at``: the epoch-ms field of that time); "—"
           when not read
select     the row's checkbox (no field)
actions    the row's buttons (no field)
=========  ===========================================================================================

Sorting follows the kind: text and state by their text, time, duration, count and flag by the number (empty
last), list and links by their length. ``filter`` names the multi-select filter trait over the column
(``filter_by``: the field it compares, default the first of ``fields``), or, with ``older_than``, the filter trait
of a number of seconds (0: any): a row is kept while its ``filter_by`` field, an epoch-ms time, is more than that
many seconds before now (the view evaluates it as its clock ticks; rows without that time never match);
``older_than`` lists the menu's choices ``(seconds, label)``, the first being 0; ``search``: the free-text filter looks
in it; ``shown=False``: hidden until the user shows it from the column menu (a table built with ``unsynced=True``
shows "Unsynced files").
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, Literal, TypedDict

import pandas as pd

from ..shared.columns import NO_FIELD, BaseColumn
from ..shared.format import duration_text
from ..shared.static import Html, url_text

__all__ = ["COLUMNS", "RUNNING_CHOICES", "Column", "ColumnSpec", "ColumnsState", "SortState", "ThresholdChoice",
           "column_specs", "static_cells", "static_head"]

Kind = Literal["select", "text", "state", "time", "list", "links", "duration", "flag", "count", "actions"]
KINDS: tuple[str, ...] = ("select", "text", "state", "time", "list", "links", "duration", "flag", "count", "actions")


class ColumnWidth(TypedDict, total=False):
    """Width hints, in px: ``fixed`` (never resized), else at most ``max`` wide to fit its longest value
    (``sample``: a text as wide as its widest value, for computed texts such as "59 minutes ago"); when the
    columns do not fit, lower ``give`` ranks give their space first, never below ``keep`` characters (the
    columns that identify a studio). When even their minimum widths do not fit, the columns with a ``drop``
    rank hide (lowest first), then a column with a ``compact`` width takes it (the row actions collapse
    into a "⋯" menu)."""

    fixed: int
    max: int
    give: int
    sample: str
    keep: int
    drop: int
    compact: int


class ThresholdChoice(TypedDict):
    """A choice of an ``older_than`` filter's menu: ``value`` seconds (0: any) and the ``label`` shown ("> 4 h")."""

    value: float
    label: str


class ColumnSpec(TypedDict):
    """One column as the front end receives it (``config.columns``; ``js/studio_table/columns.js``)."""

    id: str
    label: str
    kind: Kind
    fields: list[str]
    title: str | None
    sort: str | None
    hideable: bool
    search: bool
    filter: str | None
    filter_by: str | None
    width: ColumnWidth
    badge: str | None  # flag: the text shown when the field is true
    at: str | None  # count: the epoch-ms field of when the value was read
    shown: bool  # shown until the user hides or shows columns (the ``columns`` trait's ``hidden``, once set, rules)
    older_than: list[ThresholdChoice] | None  # a filter of seconds since ``filter_by`` (epoch ms): its choices
    since: str | None  # duration: the epoch-ms field the shown duration runs from (it ticks)


class ColumnsState(TypedDict, total=False):
    """The user's column choices (the ``columns`` trait, written by the view): ``hidden`` column ids and
    ``widths`` set by dragging (px by column id)."""

    hidden: list[str]
    widths: dict[str, float]


class SortState(TypedDict, total=False):
    """The sort (the ``sort`` trait, written by the view): a column's ``sort`` id and its direction."""

    column: str
    descending: bool


@dataclass(frozen=True)
class Column(BaseColumn):
    """A column of the studio table (see the module's docstring)."""

    KINDS: ClassVar[tuple[str, ...]] = KINDS

    title: str | None = None
    sortable: bool = True
    hideable: bool = True
    search: bool = False
    filter: str | None = None
    filter_by: str | None = None
    max: int = 200
    give: int = 9
    fixed: int | None = None
    sample: str | None = None
    keep: int | None = None
    drop: int | None = None
    compact: int | None = None
    badge: str | None = None
    at: str | None = None
    shown: bool = True
    older_than: tuple[tuple[float, str], ...] | None = None
    since: str | None = None

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.kind == "flag" and not self.badge:
            raise ValueError(f"column {self.id!r} of kind 'flag' needs the badge text it shows")
        if self.kind == "count" and not self.at:
            raise ValueError(f"column {self.id!r} of kind 'count' needs the field of the time it was read (at=)")
        if self.since is not None and self.kind != "duration":
            raise ValueError(f"column {self.id!r}: since= is for a duration column, not {self.kind!r}")
        if self.older_than is not None:
            values = [v for v, _ in self.older_than]
            if not self.filter or not self.filter_by:
                raise ValueError(f"column {self.id!r}: older_than needs its filter trait and its time field "
                                 "(filter_by)")
            if not values or values[0] != 0 or values != sorted(set(values)):
                raise ValueError(f"column {self.id!r}: older_than's choices start at 0 (any) and grow, not {values}")

    def spec(self) -> ColumnSpec:
        """What the front end receives."""
        width: ColumnWidth = {"fixed": self.fixed} if self.fixed else {"max": self.max, "give": self.give}
        if self.sample:
            width["sample"] = self.sample
        for hint in ("keep", "drop", "compact"):
            value = getattr(self, hint)
            if value is not None:
                width[hint] = value  # type: ignore[literal-required]
        by = self.filter_by or (self.fields[0] if self.fields else None)
        return {"id": self.id, "label": self.label, "kind": self.kind, "fields": list(self.fields),
                "title": self.title, "sort": self.id if self.sortable and self.kind not in NO_FIELD else None,
                "hideable": self.hideable, "search": self.search, "filter": self.filter,
                "filter_by": by if self.filter else None, "width": width, "badge": self.badge, "at": self.at,
                "shown": self.shown or not self.hideable,
                "older_than": None if self.older_than is None else [{"value": float(v), "label": label}
                                                                    for v, label in self.older_than],
                "since": self.since}


#: The Running column's filter ("running > 4 h"): ``(seconds, label)``, 0 first (any).
RUNNING_CHOICES: tuple[tuple[float, str], ...] = (
    (0, "any"), (3600, "> 1 h"), (4 * 3600, "> 4 h"), (86400, "> 1 day"), (7 * 86400, "> 1 week"))

#: The table's columns, in the order shown.
COLUMNS: tuple[Column, ...] = (
    Column("select", "Select", "select", hideable=False, fixed=30),
    Column("project", "Project", "text", ("project_key",), search=True, filter="filter_projects", max=220, give=7,
           keep=12),
    Column("name", "Name", "text", ("name", "id"), search=True, hideable=False, max=280, give=6, keep=12),
    Column("owner", "Owner", "text", ("owner",), title="owner", search=True, filter="filter_owners", max=160, give=4),
    Column("template", "Template", "text", ("template_label", "template_id"), title="template_id", search=True,
           filter="filter_templates", filter_by="template_id", max=200, give=3),
    Column("state", "State", "state", ("state",), search=True, filter="filter_states", max=120),
    Column("last_change", "Last change", "time", ("last_state_change",), sample="59 minutes ago", max=130, give=2),
    # its text and its filter both measure from `running_since` with the view's clock (a studio crossing 4 h shows
    # "4h 00m" as it appears under "> 4 h"); `running_for_s` (server clock, as read) when there is none
    Column("running_for", "Running", "duration", ("running_for_s",), since="running_since", filter="filter_running_min",
           filter_by="running_since", older_than=RUNNING_CHOICES, sample="23h 59m", max=100, give=2),
    # hidden until shown from the column menu: with it the table no longer fits 846 px (JupyterLab at 1280 px with
    # the file browser open); the Governance tab and TemplateBuilds name the outdated studios too
    Column("image", "Image", "flag", ("image_outdated",), title="image_note", badge="outdated image", shown=False,
           sample="outdated image", max=130, give=2),
    Column("unsynced", "Unsynced files", "count", ("unsynced_files",), at="unsynced_read_at", shown=False,
           sample="12 · 59 minutes ago", max=150, give=1),
    Column("zones", "Zones", "list", ("zones",), search=True, max=160, give=1, drop=1),
    Column("exposed", "Exposed", "links", ("exposed",), search=True, max=150, give=2, drop=2),
    Column("actions", "Actions", "actions", hideable=False, fixed=106, compact=40),
)


def declared() -> tuple[Column, ...]:
    """The columns as declared now (read at each table's creation: a declaration extended at run time counts)."""
    return COLUMNS


def column_specs(columns: Sequence[Column] | None = None, show: Sequence[str] = ()) -> list[ColumnSpec]:
    """The columns as the front end receives them (``show``: ids shown by default whatever their declaration);
    ids must be unique."""
    columns = declared() if columns is None else columns
    ids = [c.id for c in columns]
    twice = sorted({i for i in ids if ids.count(i) > 1})
    if twice:
        raise ValueError(f"column id(s) declared twice: {', '.join(twice)}")
    specs = [c.spec() for c in columns]
    for spec in specs:
        if spec["id"] in show:
            spec["shown"] = True
    return specs


# -- the static HTML (where widgets cannot run) -----------------------------------------------------
def _shown_in_static(columns: Sequence[Column]) -> list[Column]:
    return [c for c in columns if c.kind not in NO_FIELD]


def static_head(columns: Sequence[Column] | None = None) -> list[str]:
    """The header cells of the static table."""
    return [c.label for c in _shown_in_static(declared() if columns is None else columns)]


def _first(row: Mapping[str, Any], fields: Sequence[str]) -> Any:
    for field in fields:
        value = row.get(field)
        if value not in (None, "", []):
            return value
    return None


def _static_cell(column: Column, row: Mapping[str, Any]) -> Any:
    value = _first(row, column.fields)
    if column.kind == "duration":
        return duration_text(value) or "—"
    if column.kind == "flag":
        return column.badge if value is True else "" if value is False else "?"
    if column.kind == "count":
        return "—" if value is None else str(value)
    if column.kind == "time":
        return "never" if value is None else pd.Timestamp(value, unit="ms", tz="UTC").strftime("%Y-%m-%d %H:%M:%S UTC")
    if column.kind == "list":
        return ", ".join(str(v) for v in value or [])
    if column.kind == "links":
        return Html(" ".join(url_text(str(url)) for url in value or []))
    return value


def static_cells(row: Mapping[str, Any], columns: Sequence[Column] | None = None) -> list[Any]:
    """A row's cells in the static table, by kind (text stays text: :func:`~..shared.static.table` escapes it)."""
    return [_static_cell(c, row) for c in _shown_in_static(declared() if columns is None else columns)]
