"""The static HTML of every panel (nbconvert, GitHub, a closed kernel): one escaping point.

A fallback is a :func:`block` of parts: plain values are escaped here, always; only :class:`Html`
made by this module's helpers passes as markup. So text from DSS (names, paths, messages, URLs)
can never become HTML, whichever panel shows it (``tests/hardening/test_xss.py``).

A fallback is a snapshot, read later (a saved notebook, nbconvert, GitHub): :func:`snapshot` heads it with
"Snapshot of <time> — run the cell for the live panel", and it links nowhere (an exposed URL of a studio
shows as text: the port behind it is likely gone by the time anyone reads it).
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from datetime import datetime, timezone
from typing import Any

__all__ = ["SNAPSHOT_NOTE", "Html", "block", "code", "escape", "items", "paragraph", "snapshot", "table", "tag",
           "url_text"]

SNAPSHOT_NOTE = "run the cell for the live panel"


class Html(str):
    """Markup built by this module (already escaped): :func:`block` and :func:`table` keep it as is."""

    __slots__ = ()


def escape(value: Any) -> Html:
    """``value`` as escaped text (``None`` is empty); markup that is already :class:`Html` is kept."""
    if isinstance(value, Html):
        return value
    return Html(html.escape("" if value is None else str(value), quote=True))


def tag(name: str, content: Any, attrs: str = "") -> Html:
    """``<name attrs>content</name>`` (``attrs`` is fixed markup written by the caller, never DSS text)."""
    return Html(f"<{name}{attrs}>{escape(content)}</{name}>")


def code(value: Any) -> Html:
    """``<code>value</code>``."""
    return tag("code", value)


def paragraph(value: Any) -> Html:
    """``<p>value</p>``."""
    return tag("p", value)


def items(values: Iterable[Any]) -> Html:
    """A ``<ul>`` of the values (empty string for none)."""
    lis = "".join(tag("li", v) for v in values)
    return Html(f"<ul>{lis}</ul>" if lis else "")


def url_text(url: Any) -> Html:
    """A URL as text, never a link: in a snapshot it may point to a studio port that is gone."""
    return tag("code", url)


def table(head: Sequence[str], rows: Iterable[Sequence[Any]], *, caption: Any = None) -> Html:
    """A ``<table>`` with a header row and one row per sequence of cells (each escaped unless
    :class:`Html`)."""
    cap = tag("caption", caption) if caption is not None else ""
    ths = "".join(tag("th", h, " scope='col'") for h in head)
    body = "".join("<tr>" + "".join(tag("td", cell) for cell in row) + "</tr>" for row in rows)
    return Html(f"<table>{cap}<thead><tr>{ths}</tr></thead><tbody>{body}</tbody></table>")


def block(kind: str, *parts: Any) -> Html:
    """The fallback of one panel: ``<div class='csw-static csw-<kind>'>`` around the parts (each escaped
    unless :class:`Html`; ``None`` and empty parts are left out)."""
    inner = "".join(escape(p) for p in parts if p is not None and p != "")
    return Html(f"<div class='csw-static csw-{escape(kind)}'>{inner}</div>")


def snapshot(fragment: str, when: datetime | None = None) -> Html:
    """A panel's fallback ``fragment`` (markup made by this module) headed by "Snapshot of <time> — run the
    cell for the live panel" (``when``: now, in UTC)."""
    at = (when or datetime.now(timezone.utc)).astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    note = tag("p", f"Snapshot of {at} — {SNAPSHOT_NOTE}", " class='csw-snapshot'")
    return Html(f"<div class='csw-static-snapshot'>{note}{fragment}</div>")
