"""Retry policy, observed through the simulator's fault injection and request log.

Reads are retried (urllib3 Retry); pull, push, stop, restart, build, change-owner, delete, save,
abort and the consuming future fetch are sent exactly once even when a fault hits them.
"""

from __future__ import annotations

import pytest

import cswidgets.api as api
from tests.support import wait_for

from .conftest import ADMIN_KEY

RETRIES = 3


@pytest.fixture
def fast(sim):
    client = api.connect(sim.url, ADMIN_KEY, retries=RETRIES, timeout=(2, 0.4))
    for session in (client._transport._read, client._transport._write):
        session.adapters["http://"].max_retries.backoff_factor = 0.01
    yield client
    client.close()


def hits(sim, method: str, path: str) -> int:
    return sum(1 for r in sim.requests if r.method == method and r.path == path)


def running(sim, client) -> api.CodeStudio:
    pk = sim.project_keys()[0]
    sid = sim.add_studio(pk, "retry target", "admin", sim.template_ids()[0], state="STOPPED")
    studio = client.get_project(pk).get_code_studio(sid)
    studio.restart().wait_for_result(timeout=30)
    return studio


@pytest.mark.parametrize("kind", ["500", "reset", "stall"])
def test_reads_are_retried_until_the_budget_is_spent(sim, fast, kind):
    studio = running(sim, fast)
    path = f"/projects/{studio.project_key}/code-studios/{studio.id}/status"
    sim.set_faults(rate=1.0, kinds=(kind,), stall_s=1.0, path_contains=path)
    sim.clear_requests()
    expected = api.DSSConnectionError if kind in ("reset", "stall") else api.DSSError
    with pytest.raises(expected) as info:
        studio.get_status()
    if kind == "500":
        assert info.value.status == 500
    wait_for(lambda: hits(sim, "GET", path) == 1 + RETRIES, timeout=15)


def test_a_flaky_read_succeeds(sim, fast):
    studio = running(sim, fast)
    path = f"/projects/{studio.project_key}/code-studios/{studio.id}/status"
    sim.set_faults(rate=0.5, kinds=("500", "reset"), seed=3, path_contains=path)
    sim.clear_requests()
    for _ in range(10):
        assert studio.get_status().state == "RUNNING"
    faults = [r for r in sim.requests if r.path == path and r.fault]
    assert faults, "the fault injection should have hit some reads"
    assert hits(sim, "GET", path) == 10 + len(faults)


def actions(studio: api.CodeStudio, zone: str, client: api.Client, tid: str):
    base = f"/projects/{studio.project_key}/code-studios/{studio.id}"
    settings = client.get_code_studio_template(tid).get_settings()  # fetched before any fault
    return [
        ("GET", f"{base}/pull/{zone}", lambda: studio.pull_from_code_studio(zone)),
        ("GET", f"{base}/push/{zone}", lambda: studio.push_to_code_studio(zone)),
        ("POST", f"{base}/stop", studio.stop),
        ("POST", f"{base}/restart", studio.restart),
        ("POST", f"{base}/change-owner", lambda: studio.change_owner("admin")),
        ("POST", f"/admin/code-studios/{tid}/build", lambda: client.get_code_studio_template(tid).build()),
        ("PUT", f"/admin/code-studios/{tid}", settings.save),
        ("DELETE", base, studio.delete),
    ]


@pytest.mark.parametrize("kind", ["500", "reset", "reset_after"])
def test_actions_are_sent_exactly_once(sim, fast, kind):
    studio = running(sim, fast)
    zone = next(z["id"] for z in studio.get_status().get_zones("objects") if not z.get("oneWay"))
    tid = sim.template_ids()[0]
    for method, path, call in actions(studio, zone, fast, tid):
        sim.set_faults(rate=1.0, kinds=(kind,), path_contains=path, methods=(method,))
        sim.clear_requests()
        with pytest.raises(api.DSSError) as info:
            call()
        if kind == "500":
            assert info.value.status == 500
        else:
            assert isinstance(info.value, api.DSSConnectionError)
        assert hits(sim, method, path) == 1, (method, path)
        sim.clear_faults()


def test_consuming_future_fetch_and_abort_are_not_retried(sim_factory):
    sim = sim_factory(speed=1.0)
    client = api.connect(sim.url, ADMIN_KEY, retries=RETRIES)
    pk = sim.project_keys()[0]
    sid = sim.add_studio(pk, "slow", "admin", sim.template_ids()[0], state="STOPPED")
    fut = client.get_project(pk).get_code_studio(sid).restart()
    path = f"/futures/{fut.job_id}"
    sim.set_faults(rate=1.0, kinds=("reset",), path_contains=path)
    sim.clear_requests()
    with pytest.raises(api.DSSConnectionError):
        fut.get_state()
    assert [r.query.get("peek") for r in sim.requests if r.path == path] == ["False"]
    sim.clear_requests()
    with pytest.raises(api.DSSConnectionError):
        fut.peek_state()
    assert [r.query.get("peek") for r in sim.requests if r.path == path] == ["True"] * (1 + RETRIES)
    sim.clear_requests()
    with pytest.raises(api.DSSConnectionError):
        fut.abort()
    assert hits(sim, "DELETE", path) == 1
    sim.clear_faults()
    fut.abort()
    with pytest.raises(api.DSSFutureError):
        fut.wait_for_result(timeout=10)
    client.close()


def test_zero_retries(sim):
    client = api.connect(sim.url, ADMIN_KEY, retries=0)
    sim.set_faults(rate=1.0, kinds=("500",), path_contains="/projects")
    sim.clear_requests()
    with pytest.raises(api.DSSError):
        client.list_projects()
    assert hits(sim, "GET", "/projects") == 1
    client.close()
