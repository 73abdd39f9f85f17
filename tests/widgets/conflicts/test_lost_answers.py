"""A pull whose answer was lost after DSS applied it (issue 15, "outcome unknown is a state"): the viewer
never says "failed" and never resends; it re-checks the zone and says what DSS now shows."""

from __future__ import annotations

from cswidgets.widgets.conflicts import ConflictViewer
from tests.widgets.conflicts.conftest import ZONE


def test_a_lost_pull_answer_is_outcome_unknown_and_the_zone_is_re_checked(sim, studio, sync_log):
    sim.write_file(studio.project_key, studio.id, ZONE, "lib/new.py", "studio edit\n", side="studio")
    viewer = ConflictViewer(studio)
    try:
        sim.clear_requests()
        sim.set_faults(rate=1.0, kinds=["reset_after"], methods=["GET"], path_contains="/pull/")
        try:
            result = viewer.pull(ZONE, force=True)
        finally:
            sim.clear_faults()
        assert len(sync_log("pull")) == 1  # sent once, never resent
        assert sim.read_files(studio.project_key, studio.id, ZONE, side="dss")["lib/new.py"] == "studio edit\n"
        assert result["outcome"] == "unknown"
        entry = next(z for z in viewer.zones if z["type"] == ZONE)
        assert entry["result"]["unknown"] is True
        text = entry["result"]["text"]
        assert text.startswith("Pull of zone ") and text.endswith(
            ": outcome unknown (the answer was lost); DSS now shows: no conflicts."), text
        assert entry["status"] == "clean"  # re-checked: what DSS shows now
        activity = viewer.activity[-1]
        assert activity["outcome"] == "unknown" and "failed" not in activity["message"]
        assert len(sync_log("conflicts")) >= 1  # the zone was read again
    finally:
        viewer.close()
