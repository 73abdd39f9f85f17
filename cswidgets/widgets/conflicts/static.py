"""Text and static-HTML renderings of a ConflictViewer's synced state (every DSS text escaped)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..shared.static import Html, block, code, escape, items, paragraph, table, tag
from .zones import CHANGES, DIRECTION, summary_text

MAX_STATIC_FILES = 50


def summary(view: Mapping[str, Any], zones: list[Mapping[str, Any]]) -> str:
    """One stable line: project, studio name, state, zones and conflicts (no times, and no studio or
    zone ids: they are random, so a saved notebook output would change at every run)."""
    if not view.get("id"):
        return "no code studio selected"
    state = "deleted" if view.get("deleted") else view.get("state") or "state unknown"
    head = f"{view.get('name')!r} in {view.get('project_key')}, {state}"
    if not view.get("running"):
        return head
    conflicts = sum(sum((z.get("counts") or {}).values()) for z in zones if z.get("status") == "conflicts")
    errors = sum(1 for z in zones if z.get("status") == "error")
    text = f"{head}, {len(zones)} synced zone{'s' if len(zones) != 1 else ''}, "
    text += f"{conflicts} conflict{'s' if conflicts != 1 else ''}" if conflicts else "no conflicts"
    if errors:
        text += f", {errors} could not be checked"
    return text


def _files(zone: Mapping[str, Any]) -> Html:
    if zone.get("status") != "conflicts":
        return Html("")
    listed = [Html(f"{escape(change)}: {code(path)}") for change in CHANGES
              for path in (zone.get(change) or [])[:MAX_STATIC_FILES]]
    total = sum((zone.get("counts") or {}).values())
    if total > len(listed):
        listed.append(f"… and {total - len(listed)} more")
    return items(listed)


def static_html(view: Mapping[str, Any], zones: list[Mapping[str, Any]]) -> str:
    """A table of the zones for nbconvert / GitHub (no buttons: nothing can be synced there)."""
    title = tag("strong", f"File sync · {view.get('name') or view.get('id')}" if view.get("id") else "File sync")
    state = Html(" " + tag("span", f"({view['state']})")) if view.get("state") else None
    if not view.get("running"):
        return block("conflicts", title, state, paragraph(view.get("message") or ""))
    rows = (
        [z.get("label") or "", code(z.get("path") or ""),
         f"one-way ({DIRECTION['push']})" if z.get("one_way") else "two-way", summary_text(z), _files(z)]
        for z in zones
    )
    return block("conflicts", title, state, table(("Zone", "Path in container", "Sync", "Conflicts", "Files"), rows))
