"""What the governance panel sends to its view, built from the API core's frames (pure functions, no widget).

Every record is a ``TypedDict`` here; the view (``js/governance/``) draws them and holds no rule of its own:
the charts (:data:`CHARTS`: which grouping, which measure, their titles), the confirmation texts
(:data:`TEXTS`) and which rows the policy would stop come from here.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypedDict

import pandas as pd

from ...api.usage import usage
from ..shared.format import text_or_none
from ..shared.keys import row_key

__all__ = ["CHARTS", "MAX_BARS", "TEXTS", "Bar", "Chart", "GovernanceTexts", "PolicyRow", "StudioRef", "charts",
           "policy_rows", "studio_refs"]

#: Bars per chart; the rest are summed in one "N others" bar.
MAX_BARS = 8

#: The charts, in the order shown: (id, grouping of :func:`cswidgets.api.usage.usage`, measure, title, unit).
CHARTS: tuple[tuple[str, str, str, str, str], ...] = (
    ("owner_running", "owner", "running", "Running studios by owner", "studios"),
    ("owner_hours", "owner", "running_hours", "Running hours by owner", "hours"),
    ("template_running", "template", "running", "Running studios by template", "studios"),
    ("template_hours", "template", "running_hours", "Running hours by template", "hours"),
    ("project_running", "project", "running", "Running studios by project", "studios"),
    ("project_hours", "project", "running_hours", "Running hours by project", "hours"),
)


class GovernanceTexts(TypedDict):
    """Texts the view shows as they are (the ``texts`` trait, set once)."""

    stop_zones: str  # what a stop does to two-way zones (the confirmation says it)
    stop_confirm: str  # the confirm button's verb


TEXTS: GovernanceTexts = {
    "stop_zones": ("A stop pulls every two-way synchronized zone: the files changed in the studio are copied into "
                   "DSS (its version replaces DSS's), then the studio's container is deleted; what was not in a "
                   "synchronized zone is lost. Studios with conflicts are never stopped, and each studio is read "
                   "again just before its stop."),
    "stop_confirm": "Stop",
}


class Bar(TypedDict):
    """One bar: its label (a login, a template, a project key: text from DSS) and its value."""

    label: str
    value: float


class Chart(TypedDict):
    """A small bar chart (the ``charts`` trait): the view draws it as SVG through DOM calls."""

    id: str
    title: str
    unit: str  # "studios" or "hours"
    bars: list[Bar]
    others: int  # groups summed in the last bar ("N others"), 0 when none


class StudioRef(TypedDict):
    """A studio named in a list (outdated images, unsynced files)."""

    key: str
    name: str | None
    owner: str | None
    template: str | None
    unsynced_files: int | None


class PolicyRow(TypedDict):
    """One running studio in the policy's table (``cswidgets.api.policy.stop_idle``'s row)."""

    key: str
    project_key: str
    id: str
    name: str | None
    owner: str | None
    running_for_s: int | None
    unsynced_files: int | None
    decision: str  # "stop" | "keep" | "skip"
    reason: str
    outcome: str | None  # real runs: "done", "failed", "unknown", "sent"


def _chart(frame: pd.DataFrame, chart_id: str, by: str, measure: str, title: str, unit: str) -> Chart:
    table = usage(frame, by)
    values = [(str(name), float(v)) for name, v in zip(table[by].tolist(), table[measure].tolist())]
    values.sort(key=lambda nv: (-nv[1], nv[0]))
    shown = values[:MAX_BARS]
    rest = values[MAX_BARS:]
    bars: list[Bar] = [{"label": name, "value": round(v, 2)} for name, v in shown]
    if rest:
        bars.append({"label": f"{len(rest)} others", "value": round(sum(v for _, v in rest), 2)})
    return {"id": chart_id, "title": title, "unit": unit, "bars": bars, "others": len(rest)}


def charts(frame: pd.DataFrame) -> list[Chart]:
    """The :data:`CHARTS` of a ``studios_frame``."""
    return [_chart(frame, *spec) for spec in CHARTS]


def _int(value: Any) -> int | None:
    return None if value is None or pd.isna(value) else int(value)


def studio_refs(frame: pd.DataFrame, mask: pd.Series) -> list[StudioRef]:
    """The studios of ``frame`` where ``mask`` holds, named."""
    rows = frame[mask.fillna(False).astype(bool)]
    return [{"key": row_key(str(r["project_key"]), str(r["id"])), "name": text_or_none(r.get("name")),
             "owner": text_or_none(r.get("owner")),
             "template": text_or_none(r.get("template_label")) or text_or_none(r.get("template_id")),
             "unsynced_files": _int(r.get("unsynced_files"))}
            for r in rows.to_dict("records")]


def policy_rows(report: pd.DataFrame, unsynced: Mapping[str, Any] | None = None) -> list[PolicyRow]:
    """The rows of a ``stop_idle`` report, as the view shows them (stops first, then skips, then keeps);
    ``unsynced``: ``{row key: files}`` read for the summary, for the studios the policy did not check."""
    order = {"stop": 0, "skip": 1, "keep": 2}
    out: list[PolicyRow] = []
    for r in report.to_dict("records"):
        running = r.get("running_for")
        out.append({"key": row_key(str(r["project_key"]), str(r["id"])), "project_key": str(r["project_key"]),
                    "id": str(r["id"]), "name": text_or_none(r.get("name")), "owner": text_or_none(r.get("owner")),
                    "running_for_s": None if running is None or pd.isna(running)
                    else int(pd.Timedelta(running).total_seconds()),
                    "unsynced_files": _int(r.get("unsynced_files")), "decision": str(r.get("decision")),
                    "reason": str(r.get("reason") or ""), "outcome": text_or_none(r.get("outcome"))})
    for row in out:
        if row["unsynced_files"] is None and unsynced:
            row["unsynced_files"] = _int(unsynced.get(row["key"]))
    out.sort(key=lambda p: (order.get(p["decision"], 3), -(p["running_for_s"] or 0), p["key"]))
    return out


def chosen(rows: list[Mapping[str, Any]]) -> list[str]:
    """The keys the policy would stop."""
    return [r["key"] for r in rows if r.get("decision") == "stop"]
