"""Restart the studios of a rebuilt template (a part of
:class:`~cswidgets.widgets.template_builds.TemplateBuilds`).

A running studio keeps the image it started with: after a rebuild, the panel lists the active studios
created from the template (:func:`studios_using`, keyed as the studio table keys its rows) and offers
to restart them (:func:`restart_studios`), each restart one operation of the panel.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ...api.assumptions import ACTIVE_STUDIO_STATES
from ..shared.keys import parse_row_key, row_key
from ..shared.panel import Panel

__all__ = ["restart_studios", "studios_named", "studios_using"]


def studios_using(client: Any, template_id: str) -> list[str]:
    """The active (running or starting, :data:`~cswidgets.api.assumptions.ACTIVE_STUDIO_STATES`) code
    studios created from ``template_id``, as row keys (one ``client.studios_frame()`` read)."""
    return [key for key, _ in studios_named(client, template_id)]


def studios_named(client: Any, template_id: str) -> list[tuple[str, str]]:
    """:func:`studios_using` with each studio's name for people: ``[(row key, "PROJECT/name")]`` (the id when
    it has no name)."""
    frame = client.studios_frame()
    if frame.empty:
        return []
    hit = frame[(frame["template_id"] == template_id) & frame["state"].isin(list(ACTIVE_STUDIO_STATES))]
    names = hit["name"] if "name" in hit else hit["id"]
    return [(row_key(pk, sid), f"{pk}/{name if isinstance(name, str) and name else sid}")
            for pk, sid, name in zip(hit["project_key"], hit["id"], names)]


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
