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
the epoch, or None), zones: [zone label...] ("Project libraries"), exposed: [absolute URL...], error: str |
None}``, ``running_since`` (epoch ms, while RUNNING) and the administrator's fields (``running_for_s``,
``image_outdated``, ``image_note``, ``unsynced_files``, ``unsynced_read_at``): see :class:`StudioRow`.

The administrator's fields the live reads do not make (``studio_rows`` reads neither templates nor conflicts)
are carried over from the rows read before while they still hold (:func:`carry_over`): ``image_outdated`` while
the studio runs the same image of the same template, ``unsynced_files`` while it runs since the same time.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, TypedDict
from urllib.parse import urlsplit

import pandas as pd

from ...api.assumptions import zone_text
from ...api.times import ms_list
from ..shared.format import text_or_none
from ..shared.keys import row_key
from ..shared.static import Html, block, table
from .columns import static_cells, static_head

STATIC_MAX_ROWS = 200

__all__ = [
    "StudioRow",
    "Summary",
    "diff_rows",
    "frame_rows",
    "row_key",
    "static_table_html",
    "summarize",
]


class StudioRow(TypedDict):
    """One studio as the front end receives it (``js/studio_table``)."""

    key: str
    project_key: str | None
    id: str | None
    name: str | None
    owner: str | None
    template_id: str | None
    template_label: str | None
    state: str
    last_state_change: int | None  # epoch ms
    zones: list[str]
    exposed: list[str]
    error: str | None
    running_for_s: int | None  # seconds RUNNING when read (server clock); None unless RUNNING
    running_since: int | None  # epoch ms: RUNNING since then (its last state change); None unless RUNNING
    image_outdated: bool | None  # None: unknown (image or template build unknown, templates not readable)
    image_note: str | None  # the tooltip of the image column: the template's last build and the image's
    unsynced_files: int | None  # files changed in the studio, not in DSS yet; None: not read
    unsynced_read_at: int | None  # epoch ms: when unsynced_files was read


#: The ``studios_frame`` columns the live reads leave empty, carried over by :func:`carry_over`.
CARRIED = ("image_outdated", "unsynced_files", "unsynced_read_at")


def _zone_names(zones: Any) -> list[str]:
    """The zones as the conflict viewer names them ("Project libraries"): ``studios_frame`` already gives their
    labels (:func:`cswidgets.api.assumptions.zone_text`, their one home); a zone dict is named the same way."""
    names = []
    for zone in zones if isinstance(zones, (list, tuple)) else []:
        name = zone_text(zone) if isinstance(zone, Mapping) else zone
        if name is not None:
            names.append(str(name))
    return names


def frame_rows(df: pd.DataFrame, template_builds: Mapping[str, Any] | None = None,
               ) -> tuple[dict[str, StudioRow], pd.DataFrame, list[dict[str, Any]]]:
    """Split a ``studios_frame`` result into the table's pieces (``template_builds``: ``{template id: lastBuilt
    ms}``, named in the image column's tooltip; default ``df.attrs["template_builds"]``).

    Returns
    -------
    rows : dict
        ``{key: row}`` (a :class:`StudioRow`) for every studio, in the frame's order.
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
    builds = template_builds if template_builds is not None else df.attrs.get("template_builds") or {}
    rows = {}
    for row in _rows_of(frame, builds):
        rows[row["key"]] = row
    return rows, frame, failures


def carry_over(fresh: pd.DataFrame, known: pd.DataFrame) -> pd.DataFrame:
    """``fresh`` (``studio_rows``' answer: :data:`CARRIED` empty) with those columns taken from ``known`` (the
    key-indexed rows shown) where they still hold: ``image_outdated`` when the studio has the same template and
    image (``last_template_built``), ``unsynced_files``/``unsynced_read_at`` when it is still RUNNING since the
    same ``last_state_change``. A value ``fresh`` has is kept. Column by column (10,000 rows: milliseconds)."""
    needed = {"project_key", "id", "template_id", "last_template_built", "state", "last_state_change", *CARRIED}
    if not len(fresh) or not len(known) or not needed <= set(fresh.columns) or not needed <= set(known.columns):
        return fresh
    keys = pd.Index([row_key(str(pk), str(sid)) for pk, sid in zip(fresh["project_key"], fresh["id"])])
    old = known[~known.index.duplicated(keep="first")].reindex(keys)
    old.index = fresh.index

    def same(column: str) -> pd.Series:
        a, b = fresh[column].astype(object), old[column].astype(object)
        return (a.notna() & b.notna() & (a == b)).astype(bool)

    same_image = same("template_id") & same("last_template_built")
    running = (fresh["state"].astype(object) == "RUNNING") & (old["state"].astype(object) == "RUNNING")
    same_run = running & same("last_state_change")
    out = fresh.copy()
    for column, holds in (("image_outdated", same_image), ("unsynced_files", same_run),
                          ("unsynced_read_at", same_run)):
        take = holds & out[column].isna() & old[column].notna()
        if take.any():
            out.loc[take, column] = old.loc[take, column].astype(out[column].dtype)
    return out


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
    return [v if isinstance(v, str) else text_or_none(v) for v in frame[column].tolist()]


def _ms_column(frame: pd.DataFrame) -> list[int | None]:
    if "last_state_change" not in frame.columns:
        return [None] * len(frame)
    return ms_list(frame["last_state_change"])


def _seconds(frame: pd.DataFrame, column: str) -> list[int | None]:
    if column not in frame.columns:
        return [None] * len(frame)
    return [None if pd.isna(v) else int(pd.Timedelta(v).total_seconds()) for v in frame[column].tolist()]


def _ints(frame: pd.DataFrame, column: str) -> list[int | None]:
    if column not in frame.columns:
        return [None] * len(frame)
    return [None if pd.isna(v) else int(v) for v in frame[column].tolist()]


def _flags(frame: pd.DataFrame, column: str) -> list[bool | None]:
    if column not in frame.columns:
        return [None] * len(frame)
    return [None if pd.isna(v) else bool(v) for v in frame[column].tolist()]


def _times(frame: pd.DataFrame, column: str) -> list[int | None]:
    if column not in frame.columns:
        return [None] * len(frame)
    return ms_list(frame[column])


def _utc(ms: int | None) -> str:
    return "unknown" if ms is None else pd.Timestamp(ms, unit="ms", tz="UTC").strftime("%Y-%m-%d %H:%M UTC")


def image_note(outdated: bool | None, template: str | None, template_built: int | None,
               image_built: int | None) -> str | None:
    """The image column's tooltip: the template's last build (and the image's), or why it is not known."""
    if outdated is None:
        return "Not known whether the image is outdated (the image's or the template's build time is unknown)"
    built = (f"template {template or '?'} last built {_utc(template_built)}; "
             f"this studio's image: built {_utc(image_built)}")
    return f"Outdated image: {built}. A restart puts it on the new image." if outdated else f"Current image: {built}."


def _rows_of(frame: pd.DataFrame, template_builds: Mapping[str, Any] | None = None) -> list[StudioRow]:
    """JSON rows of a key-indexed frame, column by column (10,000 rows in tens of ms)."""
    n = len(frame)
    builds = template_builds or {}
    cols = {c: _texts(frame, c) for c in ("project_key", "id", "name", "owner", "template_id", "template_label",
                                          "state", "error")}
    ms = _ms_column(frame)
    running = _seconds(frame, "running_for")
    outdated = _flags(frame, "image_outdated")
    images = _times(frame, "last_template_built")
    unsynced = _ints(frame, "unsynced_files")
    read_at = _times(frame, "unsynced_read_at")
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
            "running_for_s": running[i],
            "running_since": ms[i] if cols["state"][i] == "RUNNING" else None,
            "image_outdated": outdated[i],
            "image_note": image_note(outdated[i], cols["template_id"][i],
                                     builds.get(cols["template_id"][i]) if cols["template_id"][i] else None, images[i]),
            "unsynced_files": unsynced[i],
            "unsynced_read_at": read_at[i],
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


def replace_rows(frame: pd.DataFrame, fresh: pd.DataFrame, remove: Iterable[str] = ()) -> pd.DataFrame:
    """``frame`` (key-indexed, as :func:`frame_rows` makes it) with the rows of ``fresh`` in place of those of
    the same key (new keys last) and the ``remove`` keys dropped; the order of ``frame`` is kept.
    ``attrs["errors"]`` follows: the entries of the replaced and removed studios give way to ``fresh``'s."""
    gone = set(remove)
    replaced = set(fresh.index)
    kept = frame[~frame.index.isin(gone | replaced)]
    order = [k for k in frame.index.tolist() if k not in gone]
    order += [k for k in fresh.index.tolist() if k not in frame.index]
    parts = [p for p in (kept, fresh[list(frame.columns)]) if len(p)]
    out = pd.concat(parts).loc[order] if len(parts) == 2 else (parts[0].loc[order] if parts else frame.iloc[0:0])
    if "state" in frame.columns and isinstance(frame["state"].dtype, pd.CategoricalDtype):
        out["state"] = out["state"].astype(frame["state"].dtype)
    touched = gone | replaced
    errors = [e for e in frame.attrs.get("errors", []) or []
              if row_key(str(e.get("project_key")), str(e.get("id"))) not in touched]
    out.attrs = {**frame.attrs, "errors": errors + list(fresh.attrs.get("errors", []) or [])}
    return out


class Summary(TypedDict, total=False):
    """The counts above the table (the ``summary`` trait) and their ``text`` (:func:`summary_text`, which the
    view shows as is); ``not_loaded`` only while the first read has failed."""

    total: int
    running: int
    states: dict[str, int]
    failed_projects: int
    errors: int
    not_loaded: str
    text: str


def summarize(rows: Iterable[Mapping[str, Any]], failures: Iterable[Mapping[str, Any]] = ()) -> Summary:
    """Counts shown above the table: ``{total, running, states: {STATE: n}, failed_projects, errors}`` (the
    panel adds ``not_loaded``, "not loaded — <reason>", while its first read has failed)."""
    states: dict[str, int] = {}
    total = 0
    for row in rows:
        total += 1
        states[row.get("state") or "UNKNOWN"] = states.get(row.get("state") or "UNKNOWN", 0) + 1
    failures = list(failures)
    failed_projects = len({f.get("project_key") for f in failures if text_or_none(f.get("id")) is None})
    return {
        "total": total,
        "running": states.get("RUNNING", 0),
        "states": dict(sorted(states.items())),
        "failed_projects": failed_projects,
        "errors": len(failures),
    }


def summary_text(summary: Mapping[str, Any] | None) -> str:
    """``"12 studios · 3 running"`` (plus failed projects): the front end shows it (``summary.text``)."""
    if not summary:
        return "loading"
    if summary.get("not_loaded"):
        return str(summary["not_loaded"])
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
        pk, sid = text_or_none(f.get("project_key")), text_or_none(f.get("id"))
        err = text_or_none(f.get("error")) or "unknown error"
        if sid is None:
            projects.append(f"Project {pk}: {err}")
        else:
            studios.append(f"{row_key(str(pk), sid)}: {err}")
    messages = list(projects)
    if studios:
        more = f" (and {len(studios) - limit} more)" if len(studios) > limit else ""
        messages.append(f"Status of {len(studios)} studio(s) could not be read: " + "; ".join(studios[:limit]) + more)
    return messages


def static_table_html(
    rows: list[Mapping[str, Any]], summary: Mapping[str, Any] | None, max_rows: int = STATIC_MAX_ROWS
) -> str:
    """The table as escaped HTML (first ``max_rows`` rows, with a note when truncated)."""
    note = None
    if len(rows) > max_rows:
        note = Html(f"<p><em>Showing the first {max_rows} of {len(rows)} studios.</em></p>")
    shown = table(static_head(), (static_cells(r) for r in rows[:max_rows]),
                  caption=f"Code studios: {summary_text(summary)}")
    return block("studio-table", shown, note)


def origin_of(url: Any) -> str:
    """``scheme://host[:port]`` of ``url`` without credentials (``""`` when it is not an http(s) URL)."""
    try:
        parts = urlsplit(url) if isinstance(url, str) else None
        port = parts.port if parts else None
    except ValueError:
        return ""
    if parts is None or parts.scheme not in ("http", "https") or not parts.hostname:
        return ""
    host = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname
    return f"{parts.scheme}://{host}" + (f":{port}" if port is not None else "")
