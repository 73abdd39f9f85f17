"""Restart the studios of a rebuilt template (a part of
:class:`~cswidgets.widgets.template_builds.TemplateBuilds`).

A running studio keeps the image it started with: after a rebuild, the panel names the running studios of
the template whose image is now outdated (:func:`outdated_offer`: the template's
``restart_outdated_studios()`` dry run -- none with conflicts, none whose image's age is unknown) and offers
to restart exactly those (:func:`restart_outdated`: the same call with ``dry_run=False, only=<them>``, each
studio read again just before its restart, each restart sent once and recorded in the activity).
:func:`restart_studios` restarts any list of studios (``TemplateBuilds.restart_studios``), each one operation.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ...api.assumptions import ACTIVE_STUDIO_STATES
from ..shared.keys import parse_row_key, row_key
from ..shared.panel import Panel

__all__ = ["outdated_offer", "restart_outdated", "restart_studios", "studios_using"]


def _name(row: dict[str, Any]) -> str:
    name = row.get("name") if isinstance(row.get("name"), str) and row.get("name") else row["id"]
    return f"{name} ({row['owner']})" if isinstance(row.get("owner"), str) and row.get("owner") else str(name)


def outdated_offer(client: Any, template_id: str) -> list[tuple[str, str]]:
    """The running studios of ``template_id`` to restart onto its new image: ``[(row key, "name (owner)")...]``,
    the ``restart`` decisions of its ``restart_outdated_studios()`` dry run (one ``studios_frame`` read and the
    conflicts checks of the outdated ones)."""
    report = client.get_code_studio_template(template_id).restart_outdated_studios(dry_run=True)
    chosen = report[report["decision"].astype(object) == "restart"]
    return [(row_key(str(r["project_key"]), str(r["id"])), _name(r)) for r in chosen.to_dict("records")]


def restart_outdated(client: Any, template_id: str, keys: Iterable[str], activity: Any) -> dict[str, Any]:
    """Restart exactly the studios ``keys`` of ``template_id`` that still run an outdated image
    (``restart_outdated_studios(dry_run=False, only=keys)``; every restart sent is recorded in ``activity``).
    Returns ``{restarted: n sent, rows: [{key, decision, outcome, reason}]}``."""
    keys = [str(k) for k in keys]
    for key in keys:
        parse_row_key(key)  # every key checked before any request
    report = client.get_code_studio_template(template_id).restart_outdated_studios(
        dry_run=False, only=keys, activity=activity)
    rows = []
    for r in report.to_dict("records"):
        key = row_key(str(r["project_key"]), str(r["id"]))
        if key in keys:
            rows.append({"key": key, "decision": str(r["decision"]), "outcome": r.get("outcome"),
                         "reason": str(r.get("reason") or "")})
    return {"restarted": sum(1 for r in rows if r["outcome"] in ("sent", "done")), "rows": rows}


def studios_using(client: Any, template_id: str) -> list[str]:
    """The active (running or starting, :data:`~cswidgets.api.assumptions.ACTIVE_STUDIO_STATES`) code
    studios created from ``template_id``, as row keys (one ``client.studios_frame()`` read)."""
    frame = client.studios_frame()
    if frame.empty:
        return []
    hit = frame[(frame["template_id"] == template_id) & frame["state"].isin(list(ACTIVE_STUDIO_STATES))]
    return [row_key(pk, sid) for pk, sid in zip(hit["project_key"], hit["id"])]


def restart_studios(panel: Panel, client: Any, keys: Iterable[str]) -> tuple[list[Any], list[str]]:
    """Restart each studio (row keys), one operation each: ``(futures, keys whose answer was lost)``.

    A restart whose answer was lost is never resent nor called failed: its outcome is "unknown", with
    the state DSS shows now, and the next studios are restarted. Any other failure stops there and is
    raised (DSS's own exception)."""
    parsed = [(str(key), *parse_row_key(key)) for key in keys]  # every key checked before any request
    futures, unknown = [], []
    for key, project_key, studio_id in parsed:
        studio = client.get_project(project_key).get_code_studio(studio_id)
        with panel.operation("restart", target=key, project_key=project_key, studio_id=studio_id,
                             alert_key=f"restart:{key}",
                             on_unknown=lambda s=studio: f"DSS now shows {s.get_status().state}") as op:
            futures.append(studio.restart())
        if op.outcome == "unknown":
            unknown.append(key)
    return futures, unknown
