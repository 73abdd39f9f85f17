"""The open questions as switches: sync models (merge, mirror), consumed futures, the default zones,
resources zones without history, and the project git endpoints, through the official client."""

from __future__ import annotations

import itertools

import dataikuapi
import pytest
from dataikuapi.utils import DataikuException

from cswidgets.sim import SimError, Simulator

from .conftest import EPOCH_MS, KEY, studio_named
from .test_cli import launch

PK, STUDIO = "LOGISTICS", "Route optimiser"
LIB = "project-lib-versioned"
FEATURES, LEGACY, NEW = "python/routing/features.py", "python/routing/legacy.py", "python/routing/new_solver.py"


def issue_scenario(sim: Simulator) -> tuple[str, str]:
    """The issue's scenario: in the studio features.py edited and new_solver.py added; in DSS, bob
    edits features.py and deletes legacy.py. Returns (studio id, zone id)."""
    sid = studio_named(sim, PK, STUDIO)
    sim.write_file(PK, sid, LIB, FEATURES, "WINDOW = 3  # carol in the studio\n", author="carol")
    sim.write_file(PK, sid, LIB, NEW, "def solve():\n    return []\n", author="carol")
    sim.write_file(PK, sid, LIB, FEATURES, "WINDOW = 5\nSEASONAL = True  # bob\n", side="dss", author="bob")
    sim.delete_file(PK, sid, LIB, LEGACY, side="dss", author="bob")
    return sid, sim.zone_ids(PK, sid)[LIB]


@pytest.mark.parametrize("sync_model", ["merge", "mirror"])
def test_pull_under_each_sync_model(sync_model):
    with Simulator(scenario="demo", api_key=KEY, speed=0, epoch_ms=EPOCH_MS, sync_model=sync_model) as sim:
        sid, zid = issue_scenario(sim)
        studio = dataikuapi.DSSClient(sim.url, KEY).get_project(PK).get_code_studio(sid)
        conflicts = studio.check_conflicts(zid)
        assert (conflicts.modified, conflicts.added, conflicts.deleted) == ([FEATURES], [], [])
        studio_files = sim.read_files(PK, sid, LIB)
        studio.pull_from_code_studio(zid)
        dss = sim.read_files(PK, sid, LIB, side="dss")
        if sync_model == "mirror":
            assert dss == studio_files  # bob's deletion of legacy.py is undone
        else:
            assert LEGACY not in dss and LEGACY in studio_files  # bob's deletion stays
            assert dss == {k: v for k, v in studio_files.items() if k != LEGACY}
        assert dss[FEATURES] == "WINDOW = 3  # carol in the studio\n"  # the conflict: studio wins
        # after the pull, nothing is pending on either side
        again = studio.check_conflicts(zid).get_raw()[zid]
        assert again["commitFrom"] == again["commitTo"] and again["modified"] == []


def test_merge_is_the_default_and_stop_keeps_dss_only_changes():
    with Simulator(scenario="demo", api_key=KEY, speed=0, epoch_ms=EPOCH_MS) as sim:
        assert sim.sync_model == "merge" and sim.consume_futures is True
        sid, _ = issue_scenario(sim)
        sim.set_state(PK, sid, "STOPPED")  # a stop pulls every two-way zone
        dss = sim.read_files(PK, sid, LIB, side="dss")
        assert LEGACY not in dss and NEW in dss


def test_default_zones_are_the_documented_eight_and_resources_keep_no_history(frozen):
    tid = frozen.add_template("Defaults")
    sid = frozen.add_studio("SALES_FORECAST", "defaults", "alice", tid, state="RUNNING")
    assert sorted(frozen.zone_ids("SALES_FORECAST", sid)) == sorted(
        [
            "code_studio-versioned",
            "code_studio-resources",
            "project-lib-versioned",
            "project-lib-resources",
            "recipes",
            "notebooks",
            "user-versioned",
            "user-resources",
        ]
    )
    for i in range(3):
        frozen.write_file("SALES_FORECAST", sid, "code_studio-resources", "big.bin", f"v{i}", side="dss")
    history = frozen.history("SALES_FORECAST", sid, "code_studio-resources")
    assert [c["files"] for c in history] == [{"big.bin": "v2"}]  # only the current version exists
    for i in range(3):
        frozen.write_file("SALES_FORECAST", sid, "code_studio-versioned", "notes.md", f"v{i}", side="dss")
    assert len(frozen.history("SALES_FORECAST", sid, "code_studio-versioned")) >= 4


def test_resources_zone_conflicts_still_reported_without_git_commits(frozen, fclient):
    tid = frozen.add_template("Res", zones=[("code_studio-resources", False)])
    sid = frozen.add_studio("SALES_FORECAST", "res", "alice", tid, state="RUNNING")
    zid = frozen.zone_ids("SALES_FORECAST", sid)["code_studio-resources"]
    frozen.write_file("SALES_FORECAST", sid, zid, "m.pkl", "studio")
    frozen.write_file("SALES_FORECAST", sid, zid, "m.pkl", "dss", side="dss", author="bob")
    raw = fclient.get_project("SALES_FORECAST").get_code_studio(sid).check_conflicts(zid).get_raw()[zid]
    assert raw["added"] == ["m.pkl"] and raw["authors"] == []  # no history: no authors
    git = fclient.get_project("SALES_FORECAST").get_project_git()
    with pytest.raises(DataikuException, match="not found"):
        git.diff(raw["commitFrom"], raw["commitTo"])  # its ids are not git commits


def test_project_git_diff_between_the_sync_point_and_now_shows_bobs_change(frozen, fclient):
    sid, zid = issue_scenario(frozen)
    project = fclient.get_project(PK)
    raw = project.get_code_studio(sid).check_conflicts(zid).get_raw()[zid]
    diff = project.get_project_git().diff(raw["commitFrom"], raw["commitTo"])
    assert diff["commitFrom"]["id"] == raw["commitFrom"] and diff["commitTo"]["id"] == raw["commitTo"]
    by_path = {e["newPath"] if e["newPath"] != "/dev/null" else e["oldPath"]: e for e in diff["entries"]}
    # the whole project repository's changes in between (other zones' folders too); the zone's are under lib/
    assert {p for p in by_path if p.startswith("lib/")} == {"lib/" + FEATURES, "lib/" + LEGACY}
    features, legacy = by_path["lib/" + FEATURES], by_path["lib/" + LEGACY]
    assert features["changeType"] == "MODIFY" and "+SEASONAL = True  # bob\n" in features["diff"]
    assert features["diff"].startswith(f"--- a/lib/{FEATURES}\n+++ b/lib/{FEATURES}\n")
    assert legacy["changeType"] == "DELETE" and legacy["newPath"] == "/dev/null" and legacy["addedLines"] == 0
    assert diff["changedFiles"] == len(diff["entries"])
    assert diff["addedLines"] == sum(e["addedLines"] for e in diff["entries"]) > 0
    # one commit alone: the changes made in it
    only = project.get_project_git().diff(raw["commitTo"])
    assert [e["changeType"] for e in only["entries"]] == ["DELETE"]
    assert only["commitFrom"]["id"] in {c["hash"] for c in frozen.history(PK, sid, LIB)}


def test_project_git_log_pages_and_filters_by_path(frozen, fclient):
    sid, _ = issue_scenario(frozen)
    git = fclient.get_project(PK).get_project_git()
    zone_history = frozen.history(PK, sid, LIB)
    log = git.log(path="lib/python/routing", count=2)
    assert [e["id"] for e in log["entries"]] == [c["hash"] for c in reversed(zone_history[-2:])]
    assert [e["author"] for e in log["entries"]] == ["bob", "bob"]
    rest = git.log(path="lib/python/routing", start_commit=log["nextCommit"], count=100)
    ids = [e["id"] for e in log["entries"] + rest["entries"]]
    assert "nextCommit" not in rest and len(ids) == len(set(ids))
    assert set(ids) <= {c["hash"] for c in zone_history}
    whole = git.log()  # the official client sends count=1000
    assert set(ids) < {e["id"] for e in whole["entries"]}  # other zones' commits too
    assert all(e["parents"] == [n["id"]] for e, n in itertools.pairwise(whole["entries"]))
    with pytest.raises(DataikuException, match="not found"):
        git.log(start_commit="0" * 40)


@pytest.mark.parametrize("consume", [True, False])
def test_consumed_futures_answer_as_unknown(consume):
    with Simulator(scenario="demo", api_key=KEY, speed=0, epoch_ms=EPOCH_MS, consume_futures=consume) as sim:
        sid = studio_named(sim, "SALES_FORECAST", "Old experiments")
        future = dataikuapi.DSSClient(sim.url, KEY).get_project("SALES_FORECAST").get_code_studio(sid).restart()
        sim.advance(8)
        assert future.peek_state()["hasResult"] is True  # a peek never takes it
        assert future.get_state()["hasResult"] is True  # the consuming read
        assert future.peek_state()["unknown"] is consume


def test_bad_switch_values_are_refused():
    with pytest.raises(ValueError, match="sync_model"):
        Simulator(scenario="empty", sync_model="rsync")
    with pytest.raises(ValueError, match="consume_futures"):
        Simulator(scenario="empty", consume_futures="no")
    sim = Simulator(scenario="empty")
    with pytest.raises(ValueError):
        sim.sync_model = "both"
    assert sim.sync_model == "merge"
    with pytest.raises(SimError):
        sim.history("NOPE", "x", "recipes")


def test_cli_switches():
    proc, url = launch("--scenario", "empty", "--sync-model", "mirror", "--no-consume-futures")
    try:
        from cswidgets.sim import RemoteSimulator

        with RemoteSimulator(url, "cli-key") as remote:
            assert (remote.sync_model, remote.consume_futures) == ("mirror", False)
    finally:
        proc.terminate()
        proc.wait(timeout=5)
