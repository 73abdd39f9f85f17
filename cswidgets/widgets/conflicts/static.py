"""Text and static-HTML renderings of a ConflictViewer's synced state (every DSS text escaped)."""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import Any

from .zones import CHANGES, DIRECTION, summary_text

MAX_STATIC_FILES = 50


def summary(view: Mapping[str, Any], zones: list[Mapping[str, Any]]) -> str:
    """One stable line: project, studio name, state, zones and conflicts (no times, and no studio or
    zone ids: they are random, so a saved notebook output would change at every run)."""
    if not view.get("id"):
        return "no code studio selected"
    head = f"{view.get('name')!r} in {view.get('project_key')}, {view.get('state') or 'state unknown'}"
    if not view.get("running"):
        return head
    conflicts = sum(sum((z.get("counts") or {}).values()) for z in zones if z.get("status") == "conflicts")
    errors = sum(1 for z in zones if z.get("status") == "error")
    text = f"{head}, {len(zones)} synced zone{'s' if len(zones) != 1 else ''}, "
    text += f"{conflicts} conflict{'s' if conflicts != 1 else ''}" if conflicts else "no conflicts"
    if errors:
        text += f", {errors} could not be checked"
    return text


def _files(zone: Mapping[str, Any]) -> str:
    if zone.get("status") != "conflicts":
        return ""
    items = []
    for change in CHANGES:
        for path in (zone.get(change) or [])[:MAX_STATIC_FILES]:
            items.append(f"<li>{html.escape(change)}: <code>{html.escape(str(path))}</code></li>")
    total = sum((zone.get("counts") or {}).values())
    if total > len(items):
        items.append(f"<li>… and {total - len(items)} more</li>")
    return f"<ul>{''.join(items)}</ul>"


def static_html(view: Mapping[str, Any], zones: list[Mapping[str, Any]]) -> str:
    """A table of the zones for nbconvert / GitHub (no buttons: nothing can be synced there)."""
    esc = html.escape
    title = f"File sync · {view.get('name') or view.get('id')}" if view.get("id") else "File sync"
    parts = [f"<div class='csw-static csw-conflicts'><strong>{esc(str(title))}</strong>"]
    if view.get("state"):
        parts.append(f" <span>({esc(str(view['state']))})</span>")
    if not view.get("running"):
        parts.append(f"<p>{esc(str(view.get('message') or ''))}</p></div>")
        return "".join(parts)
    parts.append("<table><thead><tr>")
    for col in ("Zone", "Path in container", "Sync", "Conflicts", "Files"):
        parts.append(f"<th scope='col'>{col}</th>")
    parts.append("</tr></thead><tbody>")
    for z in zones:
        sync = f"one-way ({DIRECTION['push']})" if z.get("one_way") else "two-way"
        parts.append(
            "<tr>"
            f"<td>{esc(str(z.get('label') or ''))}</td>"
            f"<td><code>{esc(str(z.get('path') or ''))}</code></td>"
            f"<td>{esc(sync)}</td>"
            f"<td>{esc(summary_text(z))}</td>"
            f"<td>{_files(z)}</td>"
            "</tr>"
        )
    parts.append("</tbody></table></div>")
    return "".join(parts)
