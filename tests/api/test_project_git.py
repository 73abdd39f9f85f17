"""The project git reads, differential against the official client on the simulator, and futures shared
by every waiter on a job under both future modes (consumed or not)."""

from __future__ import annotations

import threading

import pytest

import cswidgets.api as api
from cswidgets.api import assumptions

PK = "LOGISTICS"
LIB = "project-lib-versioned"
FEATURES = "python/routing/features.py"


def route_optimiser(sim) -> str:
    return next(i["id"] for i in sim.model.list_studios(PK) if i["name"] == "Route optimiser")


def test_diff_and_log_equal_the_official_clients(sim, client, official):
    sid = route_optimiser(sim)
    sim.write_file(PK, sid, LIB, FEATURES, "WINDOW = 5  # bob\n", side="dss", author="bob")
    sim.delete_file(PK, sid, LIB, "python/routing/legacy.py", side="dss", author="bob")
    zid = sim.zone_ids(PK, sid)[LIB]
    raw = client.get_project(PK).get_code_studio(sid).check_conflicts(zid).get_raw()[zid]
    ours, theirs = client.get_project(PK).get_project_git(), official.get_project(PK).get_project_git()
    for args in [(raw["commitFrom"], raw["commitTo"]), (raw["commitTo"],), ()]:
        assert ours.diff(*args) == theirs.diff(*args)
    for kwargs in [{}, {"path": "lib/python", "count": 1}, {"count": 3}]:
        assert ours.log(**kwargs) == theirs.log(**kwargs)
    page = ours.log(path="lib/python", count=1)
    kwargs = {"path": "lib/python", "start_commit": page["nextCommit"], "count": 5}
    assert ours.log(**kwargs) == theirs.log(**kwargs)
    entries = ours.diff(raw["commitFrom"], raw["commitTo"])["entries"]
    changes = {assumptions.git_entry_change(e) for e in entries}
    assert {("modified", "lib/" + FEATURES), ("deleted", "lib/python/routing/legacy.py")} <= changes
    with pytest.raises(api.DSSError) as info:
        ours.diff("f" * 40)
    assert info.value.status == 404


def test_bad_arguments_are_refused_before_any_request(sim, client):
    git = client.get_project(PK).get_project_git()
    sim.clear_requests()
    for bad in (lambda: git.diff(""), lambda: git.log(count=0), lambda: git.log(path=3)):
        with pytest.raises((ValueError, TypeError)):
            bad()
    assert sim.requests == []
    assert repr(git) == "ProjectGit('LOGISTICS')"


@pytest.mark.parametrize("consume", [True, False])
def test_every_waiter_on_one_job_gets_the_result_from_one_consuming_read(sim_factory, consume):
    sim = sim_factory(consume_futures=consume, speed=50)
    client = api.connect(sim.url, sim.api_key)
    pk = sim.project_keys()[0]
    sid = sim.add_studio(pk, "shared", "admin", sim.template_ids()[0])
    first = client.get_project(pk).get_code_studio(sid).restart()
    second = client.get_future(first.job_id)  # another Future object on the same job
    tracked = threading.Event()
    client.tracker.track(second, on_done=lambda f: tracked.set() if f.error is None else None)
    results = []
    waiters = [
        threading.Thread(target=lambda f=f: results.append(f.wait_for_result(timeout=30))) for f in (first, second)
    ]
    for t in waiters:
        t.start()
    for t in waiters:
        t.join(40)
    assert results == [None, None] and first.error is None and second.error is None
    assert tracked.wait(10)
    third = client.get_future(first.job_id)  # made after the outcome was taken: it has it at once
    assert third.done and third.get_result() is None and third.get_state()["hasResult"] is True
    reads = [r for r in sim.requests if r.path == f"/futures/{first.job_id}" and r.query.get("peek") == "False"]
    assert len(reads) == 1  # one consuming read, shared by every waiter
    client.close()
