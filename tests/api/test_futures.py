"""Futures against the simulator: results, timeouts, aborts, failures, unknown ids, progress."""

from __future__ import annotations

import time

import pytest

import cswidgets.api as api
from cswidgets.api.futures import Progress

from .conftest import ADMIN_KEY, wait_until


def future_gets(sim, job_id: str, peek: str) -> int:
    return sum(1 for r in sim.requests if r.path == f"/futures/{job_id}" and r.query.get("peek") == peek)


def a_studio(sim, client, state="STOPPED") -> api.CodeStudio:
    pk = sim.project_keys()[0]
    tid = sim.template_ids()[0]
    sid = sim.add_studio(pk, f"test {state}", "admin", tid, state=state)
    return client.get_project(pk).get_code_studio(sid)


def test_restart_waits_and_fetches_result_once(sim, client):
    studio = a_studio(sim, client)
    sim.clear_requests()
    fut = studio.restart()
    assert fut.job_id and not fut.done
    assert fut.wait_for_result(timeout=30) is None
    assert fut.done and fut.error is None and not fut.aborted
    assert studio.get_status().state == "RUNNING"
    assert future_gets(sim, fut.job_id, "False") == 1
    assert future_gets(sim, fut.job_id, "True") >= 1
    # later calls use the recorded outcome: no more requests
    n = len(sim.requests)
    assert fut.get_result() is None
    assert fut.has_result() is True
    assert fut.wait_for_result() is None
    assert len(sim.requests) == n
    assert fut.progress.done
    assert repr(fut).startswith("Future(job_id=")


def test_wait_timeout_then_abort(sim_factory):
    sim = sim_factory(speed=1.0)  # an 8 s start: long enough to time out
    client = api.connect(sim.url, ADMIN_KEY)
    studio = a_studio(sim, client)
    fut = studio.restart()
    t0 = time.monotonic()
    with pytest.raises(api.DSSTimeoutError) as info:
        fut.wait_for_result(timeout=0.3)
    assert 0.25 <= time.monotonic() - t0 < 2.0
    assert isinstance(info.value, TimeoutError)
    assert not fut.done
    p = fut.progress
    assert isinstance(p, Progress)
    assert p.stage
    assert p.fraction is None or 0.0 <= p.fraction <= 1.0
    assert p.elapsed_s >= 0
    assert p.states and p.states[0]["name"]
    fut.abort()
    with pytest.raises(api.DSSFutureError) as info:
        fut.wait_for_result(timeout=10)
    err = info.value
    assert err.aborted and fut.aborted
    assert err.job_id == fut.job_id
    assert fut.error is err
    with pytest.raises(api.DSSFutureError):
        fut.get_result()
    client.close()


def test_failed_build(sim, client):
    tid = sim.template_ids()[0]
    sim.fail_next_build(tid, message="docker says no")
    sim.clear_requests()
    fut = client.get_code_studio_template(tid).build()
    with pytest.raises(api.DSSFutureError) as info:
        fut.wait_for_result(timeout=30)
    err = info.value
    assert "docker says no" in str(err)
    assert err.status == 500
    assert not err.aborted
    assert fut.error is err
    assert future_gets(sim, fut.job_id, "False") == 1  # the failing GET is not retried


def test_unknown_future_raises_instead_of_spinning(client):
    fut = client.get_future("no-such-job")
    t0 = time.monotonic()
    with pytest.raises(api.DSSFutureError, match="unknown"):
        fut.wait_for_result(timeout=10)
    assert time.monotonic() - t0 < 2


def test_completed_future_without_job_id(client, sim):
    studio = a_studio(sim, client, state="STOPPED")
    sim.clear_requests()
    fut = studio.stop()
    assert fut.job_id is None and fut.done
    assert fut.wait_for_result(timeout=1) is None
    fut.abort()  # nothing to abort
    assert not [r for r in sim.requests if r.path.startswith("/futures")]


def test_future_without_job_or_result_fails_fast(client):
    fut = api.Future.from_resp(client._transport, {})
    with pytest.raises(api.DSSFutureError, match="no job id"):
        fut.wait_for_result(timeout=1)


def test_get_result_not_ready_and_has_result(sim_factory):
    sim = sim_factory(speed=1.0)
    client = api.connect(sim.url, ADMIN_KEY)
    fut = a_studio(sim, client).restart()
    with pytest.raises(api.DSSError, match="not ready"):
        fut.get_result()
    assert fut.has_result() is False
    assert fut.peek_state()["alive"] is True
    fut.abort()
    client.close()


def test_wait_with_progress_bar(sim, client, capsys):
    fut = a_studio(sim, client).restart()
    fut.wait_for_result(timeout=30, progress=True)
    err = capsys.readouterr().err
    assert "100%" in err


def test_list_futures(sim_factory):
    sim = sim_factory(speed=1.0)
    client = api.connect(sim.url, ADMIN_KEY)
    fut = a_studio(sim, client).restart()
    items = client.list_futures()
    assert fut.job_id in [f["jobId"] for f in items]
    objs = client.list_futures(as_objects=True)
    assert all(isinstance(o, api.Future) for o in objs)
    fut.abort()
    wait_until(lambda: fut.job_id not in [f["jobId"] for f in client.list_futures()], timeout=10)
    client.close()


@pytest.mark.parametrize(
    ("state", "expected"),
    [
        (None, Progress(None, None, None, None, None, 1.5, [], False)),
        (
            {
                "progress": {
                    "states": [{"name": "outer", "target": 4, "cur": 1}, {"name": "inner", "target": -1, "cur": 0}]
                },
                "runningTime": 2500,
            },
            Progress("inner", 0.25, 1.0, 4.0, None, 2.5, [], False),
        ),
        (
            {"progress": {"states": [{"name": "a", "target": 200, "cur": 50, "unit": "SIZE", "msSinceStart": 700}]}},
            Progress("a", 0.25, 50.0, 200.0, "SIZE", 0.7, [], False),
        ),
        ({"hasResult": True, "progress": None}, Progress(None, 1.0, None, None, None, 1.5, [], True)),
    ],
)
def test_progress_parsing(state, expected):
    done = expected.done
    p = Progress.from_state(state, 1.5, done=done)
    assert (p.stage, p.fraction, p.cur, p.target, p.unit, p.elapsed_s, p.done) == (
        expected.stage,
        expected.fraction,
        expected.cur,
        expected.target,
        expected.unit,
        expected.elapsed_s,
        done,
    )
