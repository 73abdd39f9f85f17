"""Every static fallback says it is a snapshot, and when it was taken, and links nowhere."""

from __future__ import annotations

import re
from datetime import datetime, timezone

from cswidgets.widgets.shared.static import snapshot

BANNER = re.compile(r"^<div class='csw-static-snapshot'><p class='csw-snapshot'>Snapshot of "
                    r"(\d{4}-\d\d-\d\d \d\d:\d\d) UTC — run the cell for the live panel</p><div class='csw-static")


def html_of(widget) -> str:
    bundle = widget._repr_mimebundle_()
    return (bundle[0] if isinstance(bundle, tuple) else bundle)["text/html"]


def test_every_fallback_starts_with_the_snapshot_time_and_has_no_link(dashboard, sim):
    before = datetime.now(timezone.utc).replace(second=0, microsecond=0)
    panels = [dashboard, dashboard.table, dashboard.conflicts, dashboard.builds, dashboard._activity]
    assert any(r["exposed"] for r in dashboard.table.store.rows.values()), "the demo has exposed ports"
    for widget in panels:
        text = html_of(widget)
        match = BANNER.match(text)
        assert match, f"{type(widget).__name__}: {text[:160]}"
        taken = datetime.strptime(match.group(1), "%Y-%m-%d %H:%M").replace(tzinfo=timezone.utc)
        assert before <= taken <= datetime.now(timezone.utc)
        assert text.count("Snapshot of") == 1  # the dashboard's panels are not headed again
        assert "<a " not in text and "href" not in text


def test_snapshot_time_is_utc_and_keeps_the_fragment():
    when = datetime(2026, 3, 1, 23, 30, tzinfo=timezone.utc)
    assert snapshot("<b>x</b>", when).startswith(
        "<div class='csw-static-snapshot'><p class='csw-snapshot'>Snapshot of 2026-03-01 23:30 UTC — ")
    assert snapshot("<b>x</b>", when).endswith("</p><b>x</b></div>")
