"""Zone semantics: scopes, sync points, conflicts, history, handles (key or per-start id)."""

from __future__ import annotations

import contextlib
import itertools

import pytest

from cswidgets.sim import SimError, Simulator

from .conftest import EPOCH_MS, studio_named

PK = "SALES_FORECAST"


def test_zone_key_and_zone_id_are_the_same_handle(frozen):
    sid = studio_named(frozen, PK, "Forecast notebook")
    zid = frozen.zone_ids(PK, sid)["recipes"]
    assert frozen.read_files(PK, sid, zid) == frozen.read_files(PK, sid, "recipes")
    frozen.write_file(PK, sid, zid, "via-id.py", "1")
    assert frozen.read_files(PK, sid, "recipes")["via-id.py"] == "1"


def test_project_zones_are_shared_between_studios(frozen):
    a = studio_named(frozen, PK, "Forecast notebook")
    b = studio_named(frozen, PK, "Dashboard app")
    frozen.write_file(PK, a, "project-lib-versioned", "shared.py", "v1", side="dss", author="bob")
    assert frozen.read_files(PK, b, "project-lib-versioned", side="dss")["shared.py"] == "v1"
    # per-studio zones are not shared
    frozen.write_file(PK, a, "code_studio-versioned", "mine.md", "a", side="dss")
    assert "mine.md" not in frozen.read_files(PK, b, "code_studio-versioned", side="dss")


def test_history_keeps_every_version(frozen):
    sid = studio_named(frozen, PK, "Forecast notebook")
    for i in range(3):
        frozen.write_file(PK, sid, "recipes", "r.py", f"v{i}", side="dss", author=f"user{i}")
    frozen.delete_file(PK, sid, "recipes", "r.py", side="dss", author="zed")
    history = frozen.history(PK, sid, "recipes")
    assert [c["files"].get("r.py") for c in history[-4:]] == ["v0", "v1", "v2", None]
    assert [c["author"] for c in history[-4:]] == ["user0", "user1", "user2", "zed"]
    assert all(c["parent"] == p["hash"] for p, c in itertools.pairwise(history))
    assert len({c["hash"] for c in history}) == len(history)
    with pytest.raises(SimError):
        frozen.delete_file(PK, sid, "recipes", "r.py", side="dss")


def test_identical_change_on_both_sides_is_not_a_conflict(frozen, fclient):
    sid = studio_named(frozen, PK, "Forecast notebook")
    zid = frozen.zone_ids(PK, sid)["recipes"]
    frozen.write_file(PK, sid, zid, "same.py", "same")
    frozen.write_file(PK, sid, zid, "same.py", "same", side="dss")
    conflicts = fclient.get_project(PK).get_code_studio(sid).check_conflicts(zid)
    assert conflicts.added == [] and conflicts.authors == []


def test_push_then_pull_round_trip_moves_sync_point(frozen, fclient):
    sid = studio_named(frozen, PK, "Forecast notebook")
    studio = fclient.get_project(PK).get_code_studio(sid)
    zid = frozen.zone_ids(PK, sid)["project-lib-versioned"]
    assert studio.check_conflicts(zid).modified  # ready-made conflicts
    studio.push_to_code_studio(zid)  # DSS wins in the studio
    assert frozen.read_files(PK, sid, zid) == frozen.read_files(PK, sid, zid, side="dss")
    frozen.write_file(PK, sid, zid, "python/forecast/features.py", "WINDOW = 1\n")
    n = len(frozen.history(PK, sid, zid))
    studio.pull_from_code_studio(zid)
    assert frozen.read_files(PK, sid, zid, side="dss")["python/forecast/features.py"] == "WINDOW = 1\n"
    assert len(frozen.history(PK, sid, zid)) == n + 1
    studio.pull_from_code_studio(zid)  # nothing new: no empty commit
    assert len(frozen.history(PK, sid, zid)) == n + 1
    raw = studio.check_conflicts(zid).get_raw()[zid]
    assert raw["commitFrom"] == raw["commitTo"] == frozen.history(PK, sid, zid)[-1]["hash"]


def test_user_zone_follows_the_owner(frozen, fclient):
    sid = studio_named(frozen, PK, "Old experiments")  # dave's
    frozen.write_file(PK, sid, "user-versioned", ".profile", "dave's", side="dss", author="dave")
    fclient.get_project(PK).get_code_studio(sid).change_owner("bob")
    assert ".profile" not in frozen.read_files(PK, sid, "user-versioned", side="dss")


def test_same_seed_same_ids_files_and_hashes():
    def fingerprint(seed: int) -> tuple:
        sim = Simulator(scenario="demo", seed=seed, epoch_ms=EPOCH_MS)
        out = []
        for pk in sim.project_keys():
            for sid in sim.studio_ids(pk):
                status = sim.status(pk, sid)
                zones = tuple(sorted(sim.zone_ids(pk, sid).items()))
                out.append((pk, sid, status["state"], status["lastStateChange"], zones))
                for z in ("project-lib-versioned", "code_studio-versioned"):
                    with contextlib.suppress(SimError):  # not every template syncs both
                        history = sim.history(pk, sid, z)
                        out.append(tuple((c["hash"], tuple(sorted(c["files"].items()))) for c in history))
        return tuple(out)

    assert fingerprint(1) == fingerprint(1)
    assert fingerprint(1) != fingerprint(2)


def test_hostile_strings_are_accepted_everywhere(frozen):
    evil = "<img src=x onerror=alert(1)>"
    frozen.add_user(evil)
    tid = frozen.add_template(evil, zones=[("recipes", False)], ports=[(evil, 9000)])
    sid = frozen.add_studio(PK, evil, evil, tid, state="RUNNING")
    frozen.write_file(PK, sid, "recipes", evil, evil, side="dss", author=evil)
    frozen.write_file(PK, sid, "recipes", evil, evil + "!")
    zid = frozen.zone_ids(PK, sid)["recipes"]
    conflicts = frozen.model.conflicts(PK, sid, zid, "admin")[zid]
    assert conflicts["added"] == [evil] and conflicts["authors"] == [evil]
    frozen.fail_next_build(tid, message=evil)
    item = next(i for i in frozen.model.list_studios(PK) if i["id"] == sid)
    assert item["name"] == item["owner"] == item["desc"]["label"] == evil
