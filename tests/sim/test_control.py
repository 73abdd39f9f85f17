"""HTTP control routes through RemoteSimulator."""

from __future__ import annotations

import pytest
import requests

from cswidgets.sim import RemoteSimulator, SimError

from .conftest import KEY, studio_named

PK = "SALES_FORECAST"


@pytest.fixture
def remote(frozen):
    r = RemoteSimulator(frozen.url, KEY)
    yield r
    r.close()


def test_files_state_and_time(frozen, remote):
    assert remote.health()
    sid = studio_named(frozen, PK, "Old experiments")
    remote.write_file(PK, sid, "recipes", "x.py", "dss\n", side="dss", author="bob")
    assert remote.read_files(PK, sid, "recipes", side="dss")["x.py"] == "dss\n"
    assert remote.history(PK, sid, "recipes")[-1]["author"] == "bob"
    job = remote.set_state(PK, sid, "STARTING")
    assert job and frozen.status(PK, sid)["jobId"] == job
    remote.advance(8)
    assert frozen.status(PK, sid)["state"] == "RUNNING"
    zones = remote.zone_ids(PK, sid)
    assert remote.read_files(PK, sid, zones["recipes"])["x.py"] == "dss\n"
    remote.write_file(PK, sid, "recipes", "x.py", "studio\n")
    remote.delete_file(PK, sid, "recipes", "x.py")
    assert "x.py" not in remote.read_files(PK, sid, "recipes")


def test_objects_users_and_builds(frozen, remote):
    assert remote.studio_ids(PK) == frozen.studio_ids(PK)
    assert remote.template_ids() == frozen.template_ids()
    sid = remote.add_studio(PK, "<b>remote</b>", "alice", "tpl_vscode", state="RUNNING")
    assert frozen.status(PK, sid)["state"] == "RUNNING"
    zoe = remote.add_user("zoe")
    assert zoe == frozen.keys["zoe"] == remote.keys["zoe"] and KEY not in zoe
    remote.fail_next_build("tpl_vscode", "boom")
    assert frozen.model.templates["tpl_vscode"].fail_next == ["boom"]


def test_faults_latency_and_log(frozen, remote):
    remote.set_faults(rate=1.0, kinds=["500"], path_contains="/projects")
    assert requests.get(f"{frozen.url}/public/api/projects/", auth=(KEY, ""), timeout=5).status_code == 500
    assert remote.health()  # control routes never get faults
    log = remote.requests
    assert log[-1].status == 500 and log[-1].fault == "500"  # RequestRecords, like Simulator.requests
    remote.clear_faults()
    remote.clear_requests()
    assert remote.requests == []
    remote.set_latency(5)
    assert frozen.latency_ms == 5


def test_control_needs_the_admin_key(frozen):
    assert requests.get(f"{frozen.url}/__sim__/health", timeout=5).status_code == 401
    assert requests.get(f"{frozen.url}/__sim__/health", auth=(frozen.keys["alice"], ""), timeout=5).status_code == 403
    assert requests.get(f"{frozen.url}/__sim__/health", headers={"X-DKU-APITicket": KEY}, timeout=5).status_code == 200
    with pytest.raises(SimError) as info:
        RemoteSimulator(frozen.url, "wrong").health()
    assert info.value.status == 401


def test_control_errors(frozen, remote):
    with pytest.raises(SimError) as info:
        remote.read_files(PK, "nope", "recipes")
    assert info.value.status == 404
    with pytest.raises(SimError) as info:
        remote.set_faults(rate=3)
    assert info.value.status == 400
    with pytest.raises(SimError) as info:
        remote.set_state(PK, frozen.studio_ids(PK)[0], "FLYING")
    assert info.value.status == 400
    resp = requests.post(f"{frozen.url}/__sim__/nothing", auth=(KEY, ""), timeout=5)
    assert resp.status_code == 404
