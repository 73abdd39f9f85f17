"""client.wait_all: many tasks, one bar, one outcome per task, never raising for a task's failure."""

from __future__ import annotations

import time

import pytest

import cswidgets.api as api


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


def test_bad_arguments():
    with pytest.raises(TypeError):
        api.wait_all("not futures")
    with pytest.raises(ValueError):
        api.wait_all([], progress="rainbow")
    assert api.wait_all({}) == {}
