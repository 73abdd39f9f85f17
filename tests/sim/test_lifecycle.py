"""The studio state machine and its futures, driven with a frozen clock (only ``advance`` moves it)."""

from __future__ import annotations

import pytest
from dataikuapi.utils import DataikuException

from cswidgets.sim import SimError, Simulator

from .conftest import EPOCH_MS, studio_named, user_client

PK = "SALES_FORECAST"


@pytest.fixture
def never(frozen: Simulator) -> str:
    return studio_named(frozen, PK, "Old experiments")


def status(sim: Simulator, sid: str, pk: str = PK) -> dict:
    return sim.status(pk, sid)


def test_start_moves_through_starting_to_running(frozen, fclient, never):
    studio = fclient.get_project(PK).get_code_studio(never)
    future = studio.restart()
    s = status(frozen, never)
    assert s["state"] == "STARTING" and s["lastStateChange"] == EPOCH_MS
    assert s["jobId"] == future.job_id and s["syncedZones"] == [] and s["exposed"] == []
    frozen.advance(2)
    states = future.peek_state()["progress"]["states"]
    assert states[0] == {
        "name": "Start code studio Old experiments",
        "unit": "NONE",
        "target": 3,
        "cur": 1,
        "important": True,
        "msSinceStart": 2000,
    }
    assert states[1]["name"] == "Starting pod" and 0 < states[1]["cur"] < 100
    assert states[1]["msSinceStart"] == 2000 - 1600
    assert future.peek_state()["runningTime"] == 2000
    frozen.advance(5.999)
    assert status(frozen, never)["state"] == "STARTING"
    frozen.advance(0.001)
    s = status(frozen, never)
    assert s["state"] == "RUNNING" and s["lastStateChange"] == EPOCH_MS + 8000
    assert "jobId" not in {k for k, v in s.items() if v is not None}
    frozen.advance(100)
    assert future.peek_state()["runningTime"] == 8000  # frozen once finished
    done = future.get_state()
    assert done["hasResult"] is True and done["alive"] is False and done["runningTime"] == 8000
    # that read took the result: the future is now unknown (consume_futures, the default)
    assert future.get_state()["unknown"] is True and future.peek_state()["hasResult"] is False


def test_finished_futures_stay_readable_without_consume_futures(frozen, fclient, never):
    frozen.consume_futures = False
    future = fclient.get_project(PK).get_code_studio(never).restart()
    frozen.advance(8)
    assert future.get_state()["hasResult"] is True
    assert future.get_state()["hasResult"] is True and future.peek_state()["unknown"] is False


def test_stop_moves_through_stopping(frozen, fclient):
    sid = studio_named(frozen, PK, "Dashboard app")
    studio = fclient.get_project(PK).get_code_studio(sid)
    future = studio.stop()
    s = status(frozen, sid)
    assert s["state"] == "STOPPING" and s["jobId"] == future.job_id and s["syncedZones"] == []
    assert studio.stop().job_id == future.job_id  # stop while stopping: the same future
    frozen.advance(3)
    assert status(frozen, sid)["state"] == "STOPPED"
    assert future.get_state()["hasResult"] is True


def test_restart_while_starting_returns_the_same_future(frozen, fclient, never):
    studio = fclient.get_project(PK).get_code_studio(never)
    first = studio.restart()
    frozen.advance(1)
    assert studio.restart().job_id == first.job_id


def test_restart_running_is_one_future_over_stop_and_start(frozen, fclient):
    sid = studio_named(frozen, PK, "Dashboard app")
    studio = fclient.get_project(PK).get_code_studio(sid)
    zones_before = studio.get_status().get_zones()
    future = studio.restart()
    assert [s["name"] for s in [future.state["progress"]["states"][1]]] == ["Stopping"]
    assert status(frozen, sid)["state"] == "STOPPING"
    frozen.advance(3)
    assert status(frozen, sid)["state"] == "STARTING"
    assert future.peek_state()["alive"] is True
    assert status(frozen, sid)["jobId"] == future.job_id
    frozen.advance(8)
    assert status(frozen, sid)["state"] == "RUNNING"
    assert future.get_state()["hasResult"] is True
    assert set(studio.get_status().get_zones()).isdisjoint(zones_before)


def test_restart_while_stopping_completes_both(frozen, fclient):
    sid = studio_named(frozen, PK, "Dashboard app")
    studio = fclient.get_project(PK).get_code_studio(sid)
    stop = studio.stop()
    frozen.advance(1)
    restart = studio.restart()
    assert restart.job_id != stop.job_id
    frozen.advance(2)
    assert stop.get_state()["hasResult"] is True
    assert restart.peek_state()["alive"] is True and status(frozen, sid)["state"] == "STARTING"
    frozen.advance(8)
    assert restart.get_state()["hasResult"] is True and status(frozen, sid)["state"] == "RUNNING"


def test_stop_while_starting_aborts_the_start(frozen, fclient, never):
    studio = fclient.get_project(PK).get_code_studio(never)
    start = studio.restart()
    frozen.advance(1)
    stop = studio.stop()
    assert status(frozen, never)["state"] == "STOPPING"
    assert start.peek_state()["aborted"] is True
    with pytest.raises(DataikuException, match="Interrupted by a stop request"):
        start.get_state()
    assert start.peek_state()["unknown"] is True  # the failure was taken by the read that reported it
    frozen.advance(3)
    assert stop.get_state()["hasResult"] is True and status(frozen, never)["state"] == "STOPPED"


def test_abort_of_stop_future_still_stops(frozen, fclient):
    sid = studio_named(frozen, PK, "Dashboard app")
    future = fclient.get_project(PK).get_code_studio(sid).stop()
    future.abort()
    assert future.peek_state()["aborted"] is True
    frozen.advance(3)
    assert status(frozen, sid)["state"] == "STOPPED"


def test_futures_list_per_user_and_abort_permissions(frozen, never):
    alice = user_client(frozen, "alice")
    bob = user_client(frozen, "bob")
    future = alice.get_project(PK).get_code_studio(never).restart()
    assert future.job_id in [f["jobId"] for f in alice.list_futures()]
    assert future.job_id not in [f["jobId"] for f in bob.list_futures()]
    with pytest.raises(DataikuException, match="UnauthorizedException"):
        bob.list_futures(all_users=True)
    with pytest.raises(DataikuException, match="UnauthorizedException"):
        bob.get_future(future.job_id).abort()
    assert future.peek_state()["alive"] is True


def test_ordinary_user_may_not_stop_someone_elses_studio(frozen):
    sid = studio_named(frozen, PK, "Dashboard app")  # carol's, in alice's project
    with pytest.raises(DataikuException, match="UnauthorizedException"):
        user_client(frozen, "bob").get_project(PK).get_code_studio(sid).stop()
    user_client(frozen, "alice").get_project(PK).get_code_studio(sid).stop()  # project owner may
    assert status(frozen, sid)["state"] == "STOPPING"


def test_start_pushes_and_stop_pulls_non_one_way_zones(frozen):
    sid = studio_named(frozen, PK, "Old experiments")
    frozen.write_file(PK, sid, "code_studio-versioned", "notes.md", "from dss\n", side="dss", author="bob")
    frozen.set_state(PK, sid, "RUNNING")
    assert frozen.read_files(PK, sid, "code_studio-versioned")["notes.md"] == "from dss\n"
    frozen.write_file(PK, sid, "code_studio-versioned", "notes.md", "edited in studio\n")
    frozen.write_file(PK, sid, "project-lib-resources", "data/lookup.csv", "lost\n")
    resources_before = frozen.read_files(PK, sid, "project-lib-resources", side="dss")
    fut = frozen.model.stop(PK, sid, "admin")
    assert fut["jobId"]
    assert frozen.read_files(PK, sid, "code_studio-versioned", side="dss")["notes.md"] == "edited in studio\n"
    assert frozen.read_files(PK, sid, "project-lib-resources", side="dss") == resources_before  # one-way
    assert frozen.read_files(PK, sid, "code_studio-versioned", side="studio") == {}


def test_studio_side_exists_only_while_running(frozen, never):
    with pytest.raises(SimError) as info:
        frozen.write_file(PK, never, "recipes", "x.py", "x")
    assert info.value.status == 409
    assert frozen.read_files(PK, never, "recipes", side="studio") == {}
    with pytest.raises(SimError) as info:
        frozen.read_files(PK, never, "no-such-zone")
    assert info.value.status == 404


def test_set_state_instant_and_transitions(frozen, never):
    assert frozen.set_state(PK, never, "RUNNING") is None
    assert status(frozen, never)["state"] == "RUNNING"
    job = frozen.set_state(PK, never, "STOPPING")
    assert job and status(frozen, never)["state"] == "STOPPING"
    frozen.set_state(PK, never, "STOPPED")
    assert status(frozen, never)["state"] == "STOPPED"
    job = frozen.set_state(PK, never, "STARTING")
    assert status(frozen, never)["jobId"] == job
    frozen.advance(8)
    assert status(frozen, never)["state"] == "RUNNING"
    with pytest.raises(SimError):
        frozen.set_state(PK, never, "BROKEN")


def test_durations_and_speed_are_configurable():
    with Simulator(scenario="empty", speed=0, durations={"start": 1, "stop": 0.5}) as sim:
        sim.add_project("P")
        tid = sim.add_template("T", zones=["recipes"])
        sid = sim.add_studio("P", "s", "admin", tid, state="STARTING")
        sim.advance(1)
        assert sim.status("P", sid)["state"] == "RUNNING"
        sim.set_state("P", sid, "STOPPING")
        sim.advance(0.5)
        assert sim.status("P", sid)["state"] == "STOPPED"
    with pytest.raises(TypeError):
        Simulator(scenario="empty", durations={"boot": 1})
    with pytest.raises(TypeError):
        Simulator(scenario="empty", colour="red")  # type: ignore[call-arg]
