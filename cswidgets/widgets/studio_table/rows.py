"""Rows of the :class:`~cswidgets.widgets.studio_table.StudioTable`: keys, JSON rows, diffs, summaries.

Pure functions (no widget, no network), so the diff logic is testable on its own.

Row keys
--------
A row is identified by ``"<project_key>/<studio_id>"``. DSS project keys are made of letters, digits
and underscores -- never ``/`` -- so the first ``/`` separates the two parts even when a studio id
contains ``/``. The table never parses keys anyway: it looks them up in its row dict, which keeps
``project_key`` and ``id`` separately.

JSON rows (what the front end receives)
---------------------------------------
``{key, project_key, id, name, owner, template_id, template_label, state, last_state_change (ms since
the epoch, or None), zones: [zone name...], exposed: [absolute URL...], error: str | None}``
"""

from __future__ import annotations

import html
import math
from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd

from ...api.compat import ms_from_timestamps

ACTIVE_STATES = ("RUNNING", "STARTING")
STATIC_MAX_ROWS = 200

__all__ = [
    "ACTIVE_STATES",
    "diff_rows",
    "frame_rows",
    "row_key",
    "static_table_html",
    "summarize",
]


def row_key(project_key: str, studio_id: str) -> str:
    """The key of a studio's row: ``"<project_key>/<studio_id>"``."""
    return f"{project_key}/{studio_id}"


def _text(value: Any) -> str | None:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return None
    return str(value)


def _ms(value: Any) -> int | None:
    if value is None or value is pd.NaT or (isinstance(value, float) and math.isnan(value)):
        return None
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    return round(pd.Timestamp(value).timestamp() * 1000)


def _zone_names(zones: Any) -> list[str]:
    names = []
    for zone in zones if isinstance(zones, (list, tuple)) else []:
        name = (zone.get("zone") or zone.get("id")) if isinstance(zone, Mapping) else zone
        if name is not None:
            names.append(str(name))
    return names


def json_row(record: Mapping[str, Any]) -> dict[str, Any]:
    """The JSON row of one studio record (a row of ``studios_frame``)."""
    exposed = record.get("exposed")
    return {
        "key": row_key(str(record["project_key"]), str(record["id"])),
        "project_key": _text(record.get("project_key")),
        "id": _text(record.get("id")),
        "name": _text(record.get("name")),
        "owner": _text(record.get("owner")),
        "template_id": _text(record.get("template_id")),
        "template_label": _text(record.get("template_label")),
        "state": _text(record.get("state")) or "UNKNOWN",
        "last_state_change": _ms(record.get("last_state_change")),
        "zones": _zone_names(record.get("zones")),
        "exposed": [str(u) for u in exposed] if isinstance(exposed, (list, tuple)) else [],
        "error": _text(record.get("error")),
    }


def frame_rows(df: pd.DataFrame) -> tuple[dict[str, dict[str, Any]], pd.DataFrame, list[dict[str, Any]]]:
    """Split a ``studios_frame`` result into the table's pieces.

    Returns
    -------
    rows : dict
        ``{key: json_row}`` for every studio, in the frame's order.
    frame : DataFrame
        The studio rows (project-failure rows dropped), indexed by key (index name ``"key"``).
    failures : list of dict
        ``df.attrs["errors"]`` (``[{project_key, id, error}]``; ``id`` is ``None``/NaN for a project
        that could not be listed).
    """
    failures = [dict(e) for e in df.attrs.get("errors", []) or []]
    studios = df[df["id"].notna()] if "id" in df.columns else df.iloc[0:0]
    keys = [row_key(str(pk), str(sid)) for pk, sid in zip(studios["project_key"], studios["id"])]
    frame = studios.copy()
    frame.index = pd.Index(keys, name="key", dtype=object)
    frame = frame[~frame.index.duplicated(keep="first")]
    frame.attrs = dict(df.attrs)
    rows = {}
    for row in _rows_of(frame):
        rows[row["key"]] = row
    return rows, frame, failures


def sort_key(row: Mapping[str, Any]) -> tuple[str, str, str]:
    """Default order of rows (project, then name, then key), as in the front end."""
    return (row.get("project_key") or "", (row.get("name") or "").lower(), row.get("key") or "")


def keys_of(value: Any, known: Mapping[str, Any]) -> list[str]:
    """Row keys named by ``value``: ``None``, a key, keys, ``(project_key, id)`` pairs, a DataFrame
    (its ``project_key``/``id`` columns, else its index) or a boolean Series indexed by key.

    Raises ``ValueError`` for keys not in ``known``.
    """
    if value is None:
        return []
    if isinstance(value, str):
        keys = [value]
    elif isinstance(value, pd.DataFrame):
        if {"project_key", "id"} <= set(value.columns):
            keys = [row_key(str(pk), str(sid)) for pk, sid in zip(value["project_key"], value["id"])]
        else:
            keys = [str(k) for k in value.index]
    elif isinstance(value, pd.Series) and value.dtype == bool:
        keys = [str(k) for k in value.index[value.to_numpy()]]
    else:
        keys = [k if isinstance(k, str) else row_key(*map(str, k)) for k in value]
    unknown = [k for k in keys if k not in known]
    if unknown:
        raise ValueError(f"Not in this table: {', '.join(map(repr, unknown[:5]))}")
    return list(dict.fromkeys(keys))


def _texts(frame: pd.DataFrame, column: str) -> list[str | None]:
    if column not in frame.columns:
        return [None] * len(frame)
    return [v if isinstance(v, str) else _text(v) for v in frame[column].tolist()]


def _ms_column(frame: pd.DataFrame) -> list[int | None]:
    if "last_state_change" not in frame.columns:
        return [None] * len(frame)
    col = frame["last_state_change"]
    try:
        return ms_from_timestamps(col)
    except (TypeError, ValueError):  # not datetimes: convert one by one
        return [_ms(v) for v in col.tolist()]


def _rows_of(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """JSON rows of a key-indexed frame, column by column (10,000 rows in tens of ms)."""
    n = len(frame)
    cols = {c: _texts(frame, c) for c in ("project_key", "id", "name", "owner", "template_id", "template_label",
                                          "state", "error")}
    ms = _ms_column(frame)
    zones = frame["zones"].tolist() if "zones" in frame.columns else [[]] * n
    exposed = frame["exposed"].tolist() if "exposed" in frame.columns else [[]] * n
    return [
        {
            "key": key,
            "project_key": cols["project_key"][i],
            "id": cols["id"][i],
            "name": cols["name"][i],
            "owner": cols["owner"][i],
            "template_id": cols["template_id"][i],
            "template_label": cols["template_label"][i],
            "state": cols["state"][i] or "UNKNOWN",
            "last_state_change": ms[i],
            "zones": _zone_names(zones[i]),
            "exposed": [str(u) for u in exposed[i]] if isinstance(exposed[i], (list, tuple)) else [],
            "error": cols["error"][i],
        }
        for i, key in enumerate(frame.index.tolist())
    ]


def diff_rows(
    old: Mapping[str, Mapping[str, Any]], new: Mapping[str, Mapping[str, Any]]
) -> tuple[list[dict[str, Any]], list[str]]:
    """Rows to upsert (added or changed) and keys to remove to go from ``old`` to ``new``."""
    upsert = [dict(row) for key, row in new.items() if old.get(key) != row]
    remove = [key for key in old if key not in new]
    return upsert, remove


def summarize(rows: Iterable[Mapping[str, Any]], failures: Iterable[Mapping[str, Any]] = ()) -> dict[str, Any]:
    """Counts shown above the table: ``{total, running, states: {STATE: n}, failed_projects, errors}``."""
    states: dict[str, int] = {}
    total = 0
    for row in rows:
        total += 1
        states[row.get("state") or "UNKNOWN"] = states.get(row.get("state") or "UNKNOWN", 0) + 1
    failures = list(failures)
    failed_projects = len({f.get("project_key") for f in failures if _text(f.get("id")) is None})
    return {
        "total": total,
        "running": states.get("RUNNING", 0),
        "states": dict(sorted(states.items())),
        "failed_projects": failed_projects,
        "errors": len(failures),
    }


def summary_text(summary: Mapping[str, Any] | None) -> str:
    """``"12 studios · 3 running"`` (plus failed projects), as in the front end's summary."""
    if not summary:
        return "loading"
    total = int(summary.get("total", 0))
    parts = [f"{total} {'studio' if total == 1 else 'studios'}", f"{summary.get('running', 0)} running"]
    failed = int(summary.get("failed_projects", 0))
    if failed:
        parts.append(f"{failed} {'project' if failed == 1 else 'projects'} failed")
    return " · ".join(parts)


def failure_messages(failures: Iterable[Mapping[str, Any]], limit: int = 5) -> list[str]:
    """Readable alert texts: one per failed project, one grouping the studios that failed."""
    projects: list[str] = []
    studios: list[str] = []
    for f in failures:
        pk, sid, err = _text(f.get("project_key")), _text(f.get("id")), _text(f.get("error")) or "unknown error"
        if sid is None:
            projects.append(f"Project {pk}: {err}")
        else:
            studios.append(f"{row_key(str(pk), sid)}: {err}")
    messages = list(projects)
    if studios:
        more = f" (and {len(studios) - limit} more)" if len(studios) > limit else ""
        messages.append(f"Status of {len(studios)} studio(s) could not be read: " + "; ".join(studios[:limit]) + more)
    return messages


_STATIC_COLUMNS = (
    ("project_key", "Project"),
    ("name", "Name"),
    ("owner", "Owner"),
    ("template_label", "Template"),
    ("state", "State"),
    ("last_state_change", "Last change"),
    ("zones", "Zones"),
    ("exposed", "Exposed"),
)


def _static_cell(column: str, row: Mapping[str, Any]) -> str:
    value = row.get(column)
    if column == "last_state_change":
        if value is None:
            return "never"
        return pd.Timestamp(value, unit="ms", tz="UTC").strftime("%Y-%m-%d %H:%M:%S UTC")
    if column == "zones":
        return html.escape(", ".join(value or []))
    if column == "exposed":
        links = []
        for url in value or []:
            esc = html.escape(str(url), quote=True)
            if str(url).startswith(("http://", "https://")):
                links.append(f"<a href='{esc}' target='_blank' rel='noopener noreferrer'>{esc}</a>")
            else:  # not a link (javascript:, data:...), but still shown, as text
                links.append(f"<span>{esc}</span>")
        return " ".join(links)
    if column == "template_label":
        value = value or row.get("template_id")
    return html.escape("" if value is None else str(value))


def static_table_html(
    rows: list[Mapping[str, Any]], summary: Mapping[str, Any] | None, max_rows: int = STATIC_MAX_ROWS
) -> str:
    """The table as escaped HTML (first ``max_rows`` rows, with a note when truncated)."""
    head = "".join(f"<th scope='col'>{label}</th>" for _, label in _STATIC_COLUMNS)
    body = "".join(
        "<tr>" + "".join(f"<td>{_static_cell(col, row)}</td>" for col, _ in _STATIC_COLUMNS) + "</tr>"
        for row in rows[:max_rows]
    )
    note = ""
    if len(rows) > max_rows:
        note = f"<p><em>Showing the first {max_rows} of {len(rows)} studios.</em></p>"
    caption = html.escape(summary_text(summary))
    return (
        "<div class='csw-static csw-studio-table'>"
        f"<table><caption>Code studios: {caption}</caption><thead><tr>{head}</tr></thead>"
        f"<tbody>{body}</tbody></table>{note}</div>"
    )
