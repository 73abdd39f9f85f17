"""Futures against the simulator: results, timeouts, aborts, failures, unknown ids, progress."""

from __future__ import annotations

import time

import pytest

import cswidgets.api as api
from cswidgets.api.futures import Progress
from tests.support import wait_for

from .conftest import ADMIN_KEY


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
    assert err.dss_message and "Aborted" in err.dss_message
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
    assert err.dss_message == "docker says no"  # DSS's own words, without "task ... failed:"
    assert err.message.startswith(f"task {fut.job_id!r} failed")
    assert err.status == 500
    assert not err.aborted
    assert fut.error is err
    assert future_gets(sim, fut.job_id, "False") == 1  # the failing GET is not retried


def test_unknown_future_raises_instead_of_spinning(client):
    fut = client.get_future("no-such-job")
    t0 = time.monotonic()
    with pytest.raises(api.DSSFutureError, match="unknown") as info:
        fut.wait_for_result(timeout=10)
    assert time.monotonic() - t0 < 2
    assert info.value.dss_message is None  # DSS said nothing of its own


def test_futures_carry_the_client_that_created_them(sim, client):
    studio = a_studio(sim, client)
    template = client.get_code_studio_template(sim.template_ids()[0])
    started = [studio.restart(), template.build(), client.get_future("abc123")]
    assert all(f.client is client for f in started)
    assert all(f.client is client for f in client.list_futures(as_objects=True))
    assert studio.stop().client is client
    assert api.Future(client._transport, "abc123").client is None  # built by hand
    for f in started[:2]:
        f.abort()


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
    wait_for(lambda: fut.job_id not in [f["jobId"] for f in client.list_futures()], timeout=10)
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
            Progress("inner", 0.25, 1.0, 4.0, None, 2.5, [], False, 0.25),
        ),
        (
            {"progress": {"states": [{"name": "a", "target": 200, "cur": 50, "unit": "SIZE", "msSinceStart": 700}]}},
            Progress("a", 0.25, 50.0, 200.0, "SIZE", 0.7, [], False, 0.25),
        ),
        (
            {"progress": {"states": [{"name": "Build", "target": 3, "cur": 1},
                                     {"name": "Push", "target": 100, "cur": 40}]}},
            Progress("Push", 1.4 / 3, 40.0, 100.0, None, 1.5, [], False, 0.4),
        ),
        ({"hasResult": True, "progress": None}, Progress(None, 1.0, None, None, None, 1.5, [], True, 1.0)),
    ],
)
def test_progress_parsing(state, expected):
    done = expected.done
    p = Progress.from_state(state, 1.5, done=done)
    assert (p.stage, p.cur, p.target, p.unit, p.elapsed_s, p.done) == (
        expected.stage,
        expected.cur,
        expected.target,
        expected.unit,
        expected.elapsed_s,
        done,
    )
    assert p.fraction == approx_or_none(expected.fraction)
    assert p.stage_fraction == approx_or_none(expected.stage_fraction)


def approx_or_none(value):
    return None if value is None else pytest.approx(value)


@pytest.mark.parametrize(
    ("states", "expected"),
    [
        ([{"name": "Build", "cur": 1, "target": 3}, {"name": "Push", "cur": 40, "target": 100}], 1.4 / 3),
        ([{"name": "x", "target": -1}, {"name": "y", "cur": 5, "target": 10}], 0.5),  # leading indeterminate: skipped
        ([{"name": "Build", "cur": 1, "target": 3}, {"name": "wait", "target": -1}], 1 / 3),  # ends the sum
        ([{"name": "wait", "target": -1}], None),  # indeterminate stays None
        ([], None),
        ([{"cur": 500, "target": 100}], 1.0),  # clamped
        ([{"cur": True, "target": True}], None),  # booleans are not counters
    ],
)
def test_the_whole_task_fraction_combines_the_nested_states(states, expected):
    p = Progress.from_state({"progress": {"states": states}}, 0.0)
    assert p.fraction == approx_or_none(expected)


def test_the_whole_task_fraction_never_goes_back_at_a_new_stage():
    def at(stage: int, pct: int) -> Progress:
        states = [{"name": "Build", "cur": stage, "target": 3}, {"name": f"s{stage}", "cur": pct, "target": 100}]
        return Progress.from_state({"progress": {"states": states}}, 0.0)

    seen = [at(stage, pct) for stage in range(3) for pct in (0, 50, 99)]
    assert [p.fraction for p in seen] == sorted(p.fraction for p in seen)
    assert [p.stage_fraction for p in seen][2:4] == [0.99, 0.0]  # the stage's own fraction restarts
