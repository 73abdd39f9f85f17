"""client.wait_all: many tasks, one bar, one outcome per task, never raising for a task's failure."""

from __future__ import annotations

import time

import pytest

import cswidgets.api as api

from .conftest import ADMIN_KEY


def _templates(client: api.Client) -> list[str]:
    return [t.id for t in client.list_code_studio_templates()]


def test_outcomes_per_task_with_a_failure(client, sim, capsys):
    ids = _templates(client)
    assert len(ids) >= 2
    sim.fail_next_build(ids[0], "no space left on device")
    futures = {tid: client.get_code_studio_template(tid).build() for tid in ids[:2]}
    outcomes = client.wait_all(futures, timeout=60, progress="text")
    assert list(outcomes) == ids[:2]
    assert outcomes[ids[0]].status == "failed" and "no space left on device" in str(outcomes[ids[0]])
    assert outcomes[ids[1]].ok and str(outcomes[ids[1]]) == "done"
    assert isinstance(outcomes[ids[1]].result, dict)
    out = capsys.readouterr().out
    assert "100%" in out and "2/2 ended, 1 not done" in out  # one text bar for all


def test_a_list_is_keyed_by_position_and_an_aborted_task_is_not_failed(client, sim):
    ids = _templates(client)
    sim.speed = 1.0  # slow enough to abort
    first = client.get_code_studio_template(ids[0]).build()
    second = client.get_code_studio_template(ids[1]).build()
    first.abort()
    sim.speed = 200.0
    outcomes = api.wait_all([first, second], timeout=60)
    assert [o.status for o in outcomes.values()] == ["aborted", "done"]


def test_timeout_reports_running_tasks_without_raising(client, sim):
    sim.speed = 1.0  # a build takes far longer than the timeout
    future = client.get_code_studio_template(_templates(client)[0]).build()
    started = time.monotonic()
    outcomes = client.wait_all({"slow": future}, timeout=0.5)
    assert time.monotonic() - started < 5
    assert outcomes["slow"].status == "running" and "0.5" in outcomes["slow"].message
    future.abort()


def test_many_tasks_cost_one_list_read_a_second_and_one_read_each_at_the_end(client, sim):
    """The server is shared: wait_all follows N tasks through the client's tracker -- the running-tasks list about
    once a second for all of them, and each task read once, as it ends (it used to peek every task from every 0.1
    to 1.5 s: 144 reads for 12 stops of 8 s, against 21 now)."""
    running = [(pk, sid) for pk in sim.project_keys() for sid in sim.studio_ids(pk)
               if sim.status(pk, sid)["state"] == "RUNNING"]
    assert len(running) >= 3
    sim.speed = 1.0  # each stop takes a few seconds
    futures = {f"{pk}/{sid}": client.get_project(pk).get_code_studio(sid).stop() for pk, sid in running}
    since, began = len(sim.requests), time.monotonic()
    outcomes = client.wait_all(futures, timeout=60)
    took = time.monotonic() - began
    assert {o.status for o in outcomes.values()} == {"done"}
    reads = sim.requests[since:]
    lists = [r for r in reads if r.path.rstrip("/") == "/futures"]
    per_task = [r for r in reads if r.path.startswith("/futures/")]
    assert len(per_task) <= len(futures), [r.raw_path for r in per_task]  # one read each, at its end
    assert len(lists) <= took + 2, f"{len(lists)} list reads in {took:.1f} s"


def test_a_task_whose_reads_keep_failing_is_unknown_not_failed(sim):
    client = api.connect(sim.url, ADMIN_KEY, timeout=(2, 10), retries=0)
    client.tracker.max_errors = 3  # the tracker's give-up (10 by default), quicker here
    try:
        sim.speed = 0.5
        future = client.get_code_studio_template(_templates(client)[0]).build()
        sim.set_faults(rate=1.0, kinds=["reset"], path_contains="/futures")
        try:
            outcomes = client.wait_all({"build": future}, timeout=120)
        finally:
            sim.clear_faults()
    finally:
        client.close()
    assert outcomes["build"].status == "unknown", outcomes  # no answer from DSS: it may still be running there


def test_bad_arguments():
    with pytest.raises(TypeError):
        api.wait_all("not futures")
    with pytest.raises(TypeError, match="cswidgets futures"):
        api.wait_all({"a": object()})
    with pytest.raises(ValueError):
        api.wait_all([], progress="rainbow")
    assert api.wait_all({}) == {}
