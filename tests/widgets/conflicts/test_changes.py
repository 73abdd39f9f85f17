"""Every change a sync may overwrite, before it happens: ``changes()``, ``diff()`` and confirmations that
name every DSS-side change (the issue's scenario), under both sync models; resources zones say they cannot
be undone."""

from __future__ import annotations

import pytest

from cswidgets.widgets.conflicts import ConfirmationRequired, ConflictViewer

from ...support import ask
from .conftest import ZONE, sync_requests

FEATURES, LEGACY, NEW = "python/routing/features.py", "python/routing/legacy.py", "python/routing/new_solver.py"


@pytest.fixture(params=["merge", "mirror"])
def sync_model(request, sim):
    sim.sync_model = request.param
    yield request.param
    sim.sync_model = "merge"


def scenario(sim, studio):
    """The issue's: features.py edited and new_solver.py added in the studio; in DSS, bob edits
    features.py and deletes legacy.py."""
    pk, sid = studio.project_key, studio.id
    for path, text in ((FEATURES, "WINDOW = 7\n"), (LEGACY, "def old_api():\n    pass\n")):
        sim.write_file(pk, sid, ZONE, path, text, side="dss", author="alice")
    studio.push_to_code_studio(sim.zone_ids(pk, sid)[ZONE])  # both sides in sync
    sim.write_file(pk, sid, ZONE, FEATURES, "WINDOW = 3  # carol\n", side="studio")
    sim.write_file(pk, sid, ZONE, NEW, "def solve():\n    return []\n", side="studio")
    sim.write_file(pk, sid, ZONE, FEATURES, "WINDOW = 7\nSEASONAL = True  # bob\n", side="dss", author="bob")
    sim.delete_file(pk, sid, ZONE, LEGACY, side="dss", author="bob")


def test_changes_and_diff_show_every_dss_side_change_with_authors(sim, studio, sync_model):
    scenario(sim, studio)
    viewer = ConflictViewer(studio)
    frame = viewer.changes(ZONE)
    assert list(frame.columns[:5]) == ["side", "change", "path", "conflict", "authors"]
    rows = {(r.side, r.change, r.path, r.conflict) for r in frame.itertuples()}
    assert rows == {
        ("dss", "modified", FEATURES, True),
        ("dss", "deleted", LEGACY, False),
        ("studio", "modified", FEATURES, True),
    }
    dss = frame[frame.side == "dss"].set_index("path")
    assert dss.loc[FEATURES, "authors"] == ["bob"] and dss.loc[LEGACY, "authors"] == ["bob"]
    assert dss.loc[LEGACY, "messages"] == [f"Delete {LEGACY}"]
    text = viewer.diff(ZONE, FEATURES)
    assert "+SEASONAL = True  # bob\n" in text and text.startswith("--- a/")
    assert viewer.diff(ZONE, "python/routing/io.py") == ""  # unchanged on the DSS side
    viewer.close()


def test_the_view_asks_a_files_diff_without_checking_again(sim, studio):
    scenario(sim, studio)
    viewer = ConflictViewer(studio)
    key = viewer.zones[[z["type"] for z in viewer.zones].index(ZONE)]["key"]
    checks = len(sync_requests(sim, studio, "conflicts"))
    reply = ask(viewer, "diff", zone=key, path=FEATURES)
    assert reply["ok"] and "+SEASONAL = True  # bob\n" in reply["result"]["diff"]
    assert ask(viewer, "diff", zone=key, path=LEGACY)["result"]["diff"].startswith("--- a/")
    assert len(sync_requests(sim, studio, "conflicts")) == checks  # read from the last check
    assert ask(viewer, "diff", zone=key, path="python/routing/io.py")["result"]["diff"] == ""  # asks DSS
    viewer.close()


def test_pull_confirmation_names_every_dss_change_and_activity_records_them(sim, studio, sync_model):
    scenario(sim, studio)
    pk, sid = studio.project_key, studio.id
    viewer = ConflictViewer(studio)
    before = sim.read_files(pk, sid, ZONE, side="dss")
    with pytest.raises(ConfirmationRequired) as info:
        viewer.pull(ZONE)
    assert info.value.files == {"added": [], "modified": [FEATURES], "deleted": [LEGACY]}
    assert info.value.complete
    assert f"deleted {LEGACY} (by bob)" in str(info.value) and f"modified {FEATURES}" in str(info.value)
    assert sim.read_files(pk, sid, ZONE, side="dss") == before  # nothing was sent
    studio_files = sim.read_files(pk, sid, ZONE)
    viewer.pull(ZONE, force=True)
    dss = sim.read_files(pk, sid, ZONE, side="dss")
    expected = dict(studio_files) if sync_model == "mirror" else {k: v for k, v in studio_files.items() if k != LEGACY}
    assert dss == expected
    done = [e for e in viewer.activity if e["what"].startswith("pull") and e["outcome"] == "done"][-1]
    assert f"deleted {LEGACY}" in done["message"] and f"modified {FEATURES}" in done["message"]
    assert done["files"] == sorted([FEATURES, LEGACY])  # a field of its own, not only the text
    viewer.close()


def test_push_confirmation_says_what_cannot_be_listed(sim, studio):
    scenario(sim, studio)
    viewer = ConflictViewer(studio)
    with pytest.raises(ConfirmationRequired) as info:
        viewer.push(ZONE)
    assert info.value.files == {"added": [], "modified": [FEATURES], "deleted": []}  # what DSS reports
    assert not info.value.complete and "cannot be listed" in str(info.value)
    viewer.push(ZONE, force=True)
    assert viewer.activity[-1]["files"] == [FEATURES]
    viewer.close()


def test_resources_zone_has_no_history_and_cannot_be_undone(sim, client):
    pk = sim.add_project("CVRES")
    tid = sim.add_template("Res", zones=[("code_studio-resources", False)])
    sid = sim.add_studio(pk, "res", "admin", tid, state="RUNNING")
    sim.write_file(pk, sid, "code_studio-resources", "model.pkl", "new\n", side="studio")
    sim.write_file(pk, sid, "code_studio-resources", "data.csv", "a,b\n", side="dss", author="bob")
    viewer = ConflictViewer(client.get_project(pk).get_code_studio(sid))
    frame = viewer.changes("code_studio-resources")
    assert frame.empty and "not versioned" in frame.attrs["dss_unknown"]
    assert viewer.diff("code_studio-resources", "data.csv") is None
    entry = viewer.zones[0]
    assert entry["versioned"] is False
    # the sentence of consequence, then how to get it back: here, that nothing can (said once per sync)
    restore = entry["confirm_restore"]
    assert "cannot be undone" in restore["pull"] and "cannot be undone" in restore["push"]
    with pytest.raises(ConfirmationRequired) as info:
        viewer.pull("code_studio-resources")
    assert not info.value.complete and "cannot be listed here" in str(info.value)
    viewer.close()
