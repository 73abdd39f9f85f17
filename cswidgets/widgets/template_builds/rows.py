"""The rows of :class:`~cswidgets.widgets.template_builds.TemplateBuilds`: a templates DataFrame
record as the synced :class:`TemplateRow`, and the panel's static HTML fallback."""

from __future__ import annotations

from typing import Any, TypedDict

from ...api.times import to_ms
from ..shared.format import text_or_none
from ..shared.progress import ProgressView
from ..shared.static import block, items, table
from .columns import static_cells, static_head

__all__ = ["BuildRecord", "LastFailure", "TemplateRow", "build_record", "static_html", "template_row", "with_counts"]


class LastFailure(TypedDict):
    """How a template's last build failed (``TemplateRow.last_failure``)."""

    at_ms: int  # epoch ms, when the panel saw it end
    stage: str | None  # the build stage it failed at, when DSS said
    message: str | None  # DSS's message


class TemplateRow(TypedDict):
    """One template as the front end receives it (``rows``)."""

    id: str
    label: str
    type: str | None
    build_for: list[str]
    last_built_ms: int | None
    error: str | None
    last_failure: LastFailure | None  # the last build, when it failed
    studios: str | None  # "2 / 5": its studios running / in total, every project (None: not read)
    outdated: str | None  # "2": its running studios on an image older than its last build (None: not read)


class BuildRecord(TypedDict):
    """One build shown under the table (``builds``)."""

    key: str
    template_id: str
    label: str
    no_cache: bool
    view: ProgressView | dict[str, Any]  # {} until the first poll
    final: str  # "" while running, else done / failed / aborted
    result_summary: str
    abortable: bool
    abort_requested: bool
    restart: list[str]  # after a successful build: its outdated running studios ("PROJECT/id") to restart
    restart_names: list[str]  # the same studios as the offer names them ("name (owner)")


def template_row(record: dict[str, Any]) -> TemplateRow:
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
        "last_failure": None,
        "studios": None,
        "outdated": None,
    }


def with_counts(row: TemplateRow, counts: dict[str, dict[str, int]] | None) -> TemplateRow:
    """``row`` with its studio counts (``counts``: ``{template id: {total, running, outdated_running}}``, from
    :func:`cswidgets.api.outdated.studio_counts`; ``None``: not read, the cells say "—"). A template without a
    studio counts "0 / 0"."""
    if counts is None:
        return {**row, "studios": None, "outdated": None}
    mine = counts.get(row["id"], {})
    return {**row, "studios": f"{mine.get('running', 0)} / {mine.get('total', 0)}",
            "outdated": str(mine.get("outdated_running", 0))}


def build_record(key: str, template_id: str, label: str, *, no_cache: bool, view: ProgressView | dict[str, Any],
                 final: str, summary: str, job_id: str | None, abort_requested: bool,
                 restart: list[str] | None = None, restart_names: list[str] | None = None) -> BuildRecord:
    """The synced record of one build (abortable while running, when DSS gave it a job id)."""
    return {
        "key": key,
        "template_id": template_id,
        "label": label,
        "no_cache": no_cache,
        "view": view,
        "final": final,
        "result_summary": summary,
        "abortable": not final and job_id is not None,
        "abort_requested": abort_requested,
        "restart": list(restart or []),
        "restart_names": list(restart_names or []),
    }


def static_html(rows: list[dict[str, Any]], builds: list[dict[str, Any]]) -> str:
    """The templates as an HTML table (its columns: :data:`~.columns.COLUMNS`) and the builds as a list
    (every value escaped)."""
    templates = table(static_head(), (static_cells(row) for row in rows))
    return block("template-builds", templates, items(f"{b['label']}: {b['final'] or 'running'}" for b in builds))
