"""ConflictViewer against the simulator, without a kernel: conflicts, pull/push, the confirmation
rule, one-way zones, stale zone ids, not-running studios, in-flight refusals, the activity hook."""

from __future__ import annotations

import itertools
import json
import threading
from datetime import datetime

import pandas as pd
import pytest

from cswidgets import api
from cswidgets.api.errors import DSSError
from cswidgets.widgets.activity import ActivityLog
from cswidgets.widgets.conflicts import ConfirmationRequired, ConflictViewer, NotRunning, ZoneBusy
from tests.support import ask, record, wait_for

from .conftest import KEY, ONE_WAY, ZONE

_ids = itertools.count(1)


def zone_entry(viewer, zone_type=ZONE):
    return next(z for z in viewer.zones if z["type"] == zone_type)


def make_conflict(sim, studio, path="lib/util.py"):
    pk, sid = studio.project_key, studio.id
    sim.write_file(pk, sid, ZONE, path, "studio edit\n", side="studio")
    sim.write_file(pk, sid, ZONE, path, "dss edit\n", side="dss", author="carol")


def test_conflicts_appear_after_edits_on_both_sides(sim, studio):
    viewer = ConflictViewer(studio)
    assert zone_entry(viewer)["status"] == "clean"
    make_conflict(sim, studio)
    sim.write_file(studio.project_key, studio.id, ZONE, "new.py", "a\n", side="studio")
    sim.write_file(studio.project_key, studio.id, ZONE, "new.py", "b\n", side="dss", author="dave")
    viewer.refresh()
    entry = zone_entry(viewer)
    assert entry["status"] == "conflicts"
    assert entry["modified"] == ["lib/util.py"]
    assert entry["added"] == ["new.py"]
    assert entry["counts"] == {"added": 1, "modified": 1, "deleted": 0}
    assert entry["authors"] == ["carol", "dave"]
    assert entry["commit_from"] != entry["commit_to"]
    assert len(entry["commit_from"]) == 7
    assert entry["label"] == "Project libraries"
    assert entry["path"] == "/home/dataiku/workspace/project-lib-versioned"
    frame = viewer.conflicts
    assert list(frame.columns) == ["zone", "change", "path"]
    assert isinstance(frame["change"].dtype, pd.CategoricalDtype)
    assert sorted(map(tuple, frame.astype(str).values.tolist())) == [
        (ZONE, "added", "new.py"), (ZONE, "modified", "lib/util.py")]
    assert "2 conflicts" in repr(viewer)


def test_pull_needs_confirmation_then_moves_files_and_clears_conflicts(sim, studio, sync_log):
    make_conflict(sim, studio)
    viewer = ConflictViewer(studio)
    with pytest.raises(ConfirmationRequired) as err:
        viewer.pull(ZONE)
    assert "lib/util.py" in str(err.value) and "force=True" in str(err.value)
    assert err.value.files["modified"] == ["lib/util.py"]
    assert sync_log("pull") == []  # nothing was sent
    assert sim.read_files(studio.project_key, studio.id, ZONE, side="dss")["lib/util.py"] == "dss edit\n"

    result = viewer.pull(ZONE, force=True)
    assert sim.read_files(studio.project_key, studio.id, ZONE, side="dss")["lib/util.py"] == "studio edit\n"
    assert len(sync_log("pull")) == 1
    entry = zone_entry(viewer)
    assert entry["status"] == "clean"
    assert entry["result"] == {"op": "pull", "ok": True, "text": "Pulled code studio → DSS. Now: no conflicts."}
    assert result["outcome"] == "done"
    assert viewer.conflicts.empty
    # the overwritten DSS version stays in the history
    versions = [c["files"].get("lib/util.py") for c in sim.history(studio.project_key, studio.id, ZONE)]
    assert "dss edit\n" in versions


def test_pull_without_dss_changes_goes_ahead_at_once(sim, studio, sync_log):
    sim.write_file(studio.project_key, studio.id, ZONE, "mine.py", "x = 1\n", side="studio")
    viewer = ConflictViewer(studio)
    assert zone_entry(viewer)["confirm"]["pull"] is None
    viewer.pull(ZONE)
    assert sim.read_files(studio.project_key, studio.id, ZONE, side="dss")["mine.py"] == "x = 1\n"
    assert len(sync_log("pull")) == 1


def test_pull_asks_when_dss_changed_even_without_conflicts(sim, studio, sync_log):
    sim.write_file(studio.project_key, studio.id, ZONE, "theirs.py", "y = 2\n", side="dss", author="bob")
    viewer = ConflictViewer(studio)
    entry = zone_entry(viewer)
    assert entry["status"] == "clean"
    assert "DSS changed since the last sync" in entry["confirm"]["pull"]
    with pytest.raises(ConfirmationRequired):
        viewer.pull(ZONE)
    assert sync_log("pull") == []
    assert sim.read_files(studio.project_key, studio.id, ZONE, side="dss")["theirs.py"] == "y = 2\n"


def test_push_always_asks_first_because_unpulled_studio_edits_would_be_lost(sim, studio, sync_log):
    pk, sid = studio.project_key, studio.id
    sim.write_file(pk, sid, ZONE, "draft.py", "unsaved work\n", side="studio")
    viewer = ConflictViewer(studio)
    assert zone_entry(viewer)["status"] == "clean"  # DSS cannot see the draft
    with pytest.raises(ConfirmationRequired, match="not pulled yet is lost"):
        viewer.push(ZONE)
    assert sync_log("push") == []
    assert sim.read_files(pk, sid, ZONE)["draft.py"] == "unsaved work\n"


def test_push_with_conflicts_moves_dss_files_and_reports_count_and_size(sim, studio, sync_log):
    pk, sid = studio.project_key, studio.id
    make_conflict(sim, studio)
    sim.write_file(pk, sid, ZONE, "big.txt", "x" * 2000, side="dss", author="bob")
    viewer = ConflictViewer(studio)
    with pytest.raises(ConfirmationRequired, match=r"lib/util\.py"):
        viewer.push(ZONE)
    result = viewer.push(ZONE, force=True)
    assert sim.read_files(pk, sid, ZONE) == sim.read_files(pk, sid, ZONE, side="dss")
    assert sim.read_files(pk, sid, ZONE)["lib/util.py"] == "dss edit\n"
    assert len(sync_log("push")) == 1
    assert result["count"] == 2
    assert zone_entry(viewer)["result"]["text"] == "Pushed 2 files (2.0 KiB) DSS → code studio. Now: no conflicts."
    assert zone_entry(viewer)["status"] == "clean"


def test_one_way_zone_refuses_pull_without_sending(sim, studio, sync_log):
    viewer = ConflictViewer(studio)
    assert zone_entry(viewer, ONE_WAY)["one_way"] is True
    with pytest.raises(ValueError, match="one-way"):
        viewer.pull(ONE_WAY, force=True)
    assert sync_log("pull") == []
    assert viewer.activity[-1]["outcome"] == "refused"


def test_stale_zone_ids_after_a_restart_are_resolved_again(sim, studio):
    pk, sid = studio.project_key, studio.id
    viewer = ConflictViewer(studio)
    old_id = zone_entry(viewer)["id"]
    sim.set_state(pk, sid, "STOPPED")
    sim.set_state(pk, sid, "RUNNING")
    new_id = sim.zone_ids(pk, sid)[ZONE]
    assert new_id != old_id
    sim.write_file(pk, sid, ZONE, "after_restart.py", "z\n", side="studio")
    viewer.pull(old_id)  # the id from before the restart still names the zone
    assert sim.read_files(pk, sid, ZONE, side="dss")["after_restart.py"] == "z\n"
    assert zone_entry(viewer)["id"] == new_id
    assert viewer.check(old_id)["status"] == "clean"


def test_zones_resolve_by_type_path_and_key_and_unknown_names_list_the_zones(studio):
    viewer = ConflictViewer(studio)
    entry = zone_entry(viewer)
    for name in (ZONE, entry["path"], entry["path"] + "/", entry["key"], entry["id"]):
        assert viewer.check(name)["key"] == entry["key"]
    with pytest.raises(LookupError, match="project-lib-versioned"):
        viewer.check("no-such-zone")


def test_a_stopped_studio_explains_why_and_starts_with_progress(sim, client):
    pk = sim.add_project("CVSTOP")
    sid = sim.add_studio(pk, "Stopped one", "admin", "tpl_vscode", state="STOPPED")
    viewer = ConflictViewer(client, pk, sid)
    view = viewer.studio_view
    assert view["state"] == "STOPPED" and view["running"] is False and view["can_start"] is True
    assert "nothing to check or sync" in view["message"]
    assert viewer.zones == []
    with pytest.raises(NotRunning, match="STOPPED"):
        viewer.pull(ZONE)
    record(viewer)
    seen = []
    viewer.observe(lambda ch: seen.append(ch["new"]), names=["start_progress"])
    reply = ask(viewer, "start")
    assert reply["ok"] is True
    assert viewer.studio_view["can_start"] is False
    wait_for(lambda: viewer.studio_view.get("running"), timeout=15.0, what="running after start")
    wait_for(lambda: viewer.zones and all(z["status"] != "unchecked" for z in viewer.zones), timeout=15.0,
             what="zones checked")
    assert seen[0]["status"] == "running"
    assert seen[-1]["status"] == "done"
    assert [a["outcome"] for a in viewer.activity if a["what"] == "start"] == ["done"]
    # a running studio is never restarted from here (a restart would sync every zone back)
    with pytest.raises(RuntimeError, match="only a stopped code studio"):
        viewer.start()


def test_a_second_operation_on_a_busy_zone_is_refused_and_nothing_is_sent_twice(sim, studio, sync_log):
    viewer = ConflictViewer(studio)
    sim.latency_ms = 300
    try:
        done = []
        worker = threading.Thread(target=lambda: done.append(viewer.push(ZONE, force=True)))
        worker.start()
        deadline = threading.Event()
        for _ in range(200):
            if zone_entry(viewer)["busy"] == "push":
                break
            deadline.wait(0.01)
        assert zone_entry(viewer)["busy"] == "push"
        with pytest.raises(ZoneBusy, match="already running"):
            viewer.push(ZONE, force=True)
        with pytest.raises(ZoneBusy):
            viewer.pull(ZONE, force=True)
        worker.join(15)
    finally:
        sim.latency_ms = 0
    assert done and done[0]["outcome"] == "done"
    assert len(sync_log("push")) == 1
    assert sync_log("pull") == []
    assert zone_entry(viewer)["busy"] is None


def test_a_failed_push_is_never_retried_and_is_shown(sim, studio, sync_log):
    viewer = ConflictViewer(studio)
    sim.set_faults(rate=1.0, kinds=["500"], path_contains="/push/")
    try:
        with pytest.raises(DSSError) as failed:
            viewer.push(ZONE, force=True)
    finally:
        sim.clear_faults()
    assert failed.value.status == 500  # DSS's own error, not wrapped
    assert len(sync_log("push")) == 1
    entry = zone_entry(viewer)
    assert entry["result"]["ok"] is False and entry["busy"] is None
    assert entry["result"]["text"].startswith("Push of zone Project libraries failed")
    assert [a["message"] for a in viewer.alerts if a["level"] == "error"] == [
        f"Could not push zone Project libraries: {viewer.activity[-1]['message']}"]
    assert viewer.activity[-1]["outcome"] == "failed"


def test_front_end_flow_confirms_with_the_fingerprint_it_was_shown(sim, studio):
    pk, sid = studio.project_key, studio.id
    make_conflict(sim, studio)
    viewer = ConflictViewer(studio)
    record(viewer)
    key = zone_entry(viewer)["key"]
    shown = zone_entry(viewer)["fingerprint"]
    # DSS moves on after the user saw the list: the old confirmation no longer counts
    sim.write_file(pk, sid, ZONE, "lib/util.py", "dss edit 2\n", side="dss", author="bob")
    reply = ask(viewer, "pull", zone=key, confirm=shown)
    assert reply["ok"] is True and reply["result"]["outcome"] == "confirm"
    assert sim.read_files(pk, sid, ZONE, side="dss")["lib/util.py"] == "dss edit 2\n"
    fresh = reply["result"]["zone"]["fingerprint"]
    assert fresh != shown and zone_entry(viewer)["fingerprint"] == fresh
    reply = ask(viewer, "pull", zone=key, confirm=fresh)
    assert reply["result"]["outcome"] == "done"
    assert sim.read_files(pk, sid, ZONE, side="dss")["lib/util.py"] == "studio edit\n"
    assert zone_entry(viewer)["status"] == "clean"


def test_front_end_errors_reach_the_alert_region(studio):
    viewer = ConflictViewer(studio)
    record(viewer)
    reply = ask(viewer, "pull", zone=ONE_WAY, confirm=None)
    assert reply["ok"] is False and "one-way" in reply["error"]
    assert any("one-way" in a["message"] for a in viewer.alerts)


def test_activity_hook_reports_who_what_when_outcome_duration(sim, studio):
    viewer = ConflictViewer(studio, user="alice")
    got = []
    unsubscribe = viewer.on_activity(got.append)
    make_conflict(sim, studio)
    with pytest.raises(ConfirmationRequired):
        viewer.pull(ZONE)
    viewer.pull(ZONE, force=True)
    unsubscribe()
    viewer.refresh()
    assert [e["outcome"] for e in got] == ["refused", "done"]
    assert got[0]["message"].startswith("Needs confirmation: ")
    entry = got[-1]
    assert entry["who"] == "alice" and entry["what"] == "pull (code studio → DSS)"
    assert entry["panel"] == "conflicts" and entry["zone"] == "Project libraries"
    assert (entry["project_key"], entry["studio_id"]) == (studio.project_key, studio.id)
    assert entry["studio"] == studio.get_settings().name
    assert entry["target"] == f"{entry['studio']} ({entry['project_key']}) / Project libraries"
    assert datetime.fromisoformat(entry["when"]).tzinfo is not None and entry["duration_s"] >= 0
    assert viewer.activity[-1]["what"] == "check all"  # recorded, but no longer sent to the listener


def test_who_defaults_to_the_login_of_the_studio_client(sim):
    """Without ``user=``, "who" is the login DSS reports for the key (GET /auth/info), not the
    OS user running the kernel."""
    pk = sim.add_project(f"CVWHO{next(_ids)}")
    sid = sim.add_studio(pk, "Alice's studio", "alice", "tpl_vscode", state="STOPPED")
    sim.set_state(pk, sid, "RUNNING")
    alice = api.connect(sim.url, sim.keys["alice"])
    try:
        viewer = ConflictViewer(alice.get_project(pk).get_code_studio(sid))
        viewer.refresh()
        assert [(e["what"], e["outcome"], e["who"]) for e in viewer.activity] == [("check all", "done", "alice")]
    finally:
        alice.close()


def test_a_shared_log_gets_the_entries_and_activity_keeps_the_viewer_own(sim, studio):
    shared = ActivityLog()
    shared.record(what="stop", outcome="done", panel="studios")  # another panel's entry
    viewer = ConflictViewer(studio, user="bob", activity_log=shared)
    viewer.refresh()
    assert viewer.activity_log is shared
    assert [e["what"] for e in viewer.activity] == ["check all"]
    assert [e["panel"] for e in shared.entries()] == ["studios", "conflicts"]
    with pytest.raises(TypeError, match="ActivityLog"):
        ConflictViewer(studio, activity_log=[])


def test_switching_studio_shows_the_other_one(sim, client, studio):
    viewer = ConflictViewer(studio)
    pk = sim.add_project("CVSWITCH")
    other_id = sim.add_studio(pk, "Other", "admin", "tpl_streamlit", state="STOPPED")
    other = client.get_project(pk).get_code_studio(other_id)
    assert viewer.show(other) is viewer
    assert viewer.studio is other
    assert viewer.studio_view["id"] == other_id and viewer.zones == []
    viewer.studio = studio
    assert {z["type"] for z in viewer.zones} >= {ZONE, ONE_WAY}
    empty = ConflictViewer(None)
    assert empty.studio_view["message"] == "No code studio selected." and repr(empty) == (
        "<ConflictViewer: no code studio selected>")


def test_check_errors_are_shown_on_the_zone(sim, studio, sync_log):
    viewer = ConflictViewer(studio)
    sim.set_faults(rate=1.0, kinds=["500"], path_contains="/conflicts/")
    try:
        viewer.refresh()
    finally:
        sim.clear_faults()
    assert {z["status"] for z in viewer.zones} == {"error"}
    assert "500" in zone_entry(viewer)["error"]
    assert "500" in repr(viewer) or "could not be checked" in repr(viewer)
    sim.set_faults(rate=1.0, kinds=["500"], path_contains="/conflicts/")
    try:
        with pytest.raises(RuntimeError, match="Cannot push zone Project libraries"):
            viewer.push(ZONE, force=True)  # no operation on a zone that cannot be checked
    finally:
        sim.clear_faults()
    assert sync_log("push") == []
    assert viewer.check(ZONE)["status"] == "clean"


def test_bad_studio_is_reported_in_the_panel_not_raised(client):
    viewer = ConflictViewer(client, "NO_SUCH_PROJECT", "nope")
    assert viewer.alerts and viewer.zones == []


def test_hostile_names_are_escaped_and_no_secret_is_synced(sim, studio):
    hostile = '<img src=x onerror="alert(1)">.py'
    sim.write_file(studio.project_key, studio.id, ZONE, hostile, "a\n", side="studio")
    sim.write_file(studio.project_key, studio.id, ZONE, hostile, "b\n", side="dss", author="<b>eve</b>")
    viewer = ConflictViewer(studio)
    assert zone_entry(viewer)["added"] == [hostile]
    bundle = viewer._repr_mimebundle_()
    data = bundle[0] if isinstance(bundle, tuple) else bundle
    assert "<img" not in data["text/html"]
    assert "&lt;img src=x" in data["text/html"]
    state = json.dumps(viewer.get_state(), default=str)
    assert KEY not in state and sim.url not in state


def test_work_for_a_studio_no_longer_shown_does_not_leak_into_the_new_one(sim, client, studio):
    viewer = ConflictViewer(studio)
    pk = sim.add_project("CVLEAK")
    other = client.get_project(pk).get_code_studio(sim.add_studio(pk, "Other", "admin", "tpl_vscode",
                                                                  state="RUNNING"))
    sim.latency_ms = 200
    try:
        done = []
        worker = threading.Thread(target=lambda: done.append(viewer.push(ZONE, force=True)))
        worker.start()
        for _ in range(300):
            if zone_entry(viewer)["busy"] == "push":
                break
            threading.Event().wait(0.01)
        viewer.studio = other  # switch while the push is in flight
        worker.join(15)
    finally:
        sim.latency_ms = 0
    assert done and done[0]["outcome"] == "done"  # the push itself completed, for the old studio
    assert viewer.studio_view["id"] == other.id
    assert all(z["result"] is None and z["busy"] is None for z in viewer.zones)


def test_starting_studio_says_so_and_offers_no_start(sim, client):
    pk = sim.add_project("CVSTARTING")
    sid = sim.add_studio(pk, "Starting one", "admin", "tpl_vscode", state="STOPPED")
    sim.speed = 1  # keep it STARTING for a while
    try:
        sim.set_state(pk, sid, "STARTING")
        viewer = ConflictViewer(client, pk, sid)
    finally:
        sim.speed = 200
    assert viewer.studio_view["state"] == "STARTING"
    assert viewer.studio_view["can_start"] is False
    assert viewer.studio_view["message"].startswith("The code studio is starting")


def test_bad_arguments_fail_loudly(client, studio):
    with pytest.raises(TypeError, match="both ids"):
        ConflictViewer(client, "PROJ")
    with pytest.raises(TypeError, match="code studio handle"):
        ConflictViewer(42)
    with pytest.raises(TypeError, match="unexpected keyword"):
        ConflictViewer(studio, chek=False)
