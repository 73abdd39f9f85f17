"""A bare 5xx on the consuming ``peek=False`` fetch is a task failure only if a peek confirms it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

import cswidgets.api as api
from cswidgets.api import assumptions
from tests.support import wait_for

from .conftest import ADMIN_KEY

DONE = {"jobId": "j", "alive": False, "hasResult": True}
DEAD = {"jobId": "j", "alive": False, "hasResult": False}
PROXY_502 = (502, "<html><body>Bad Gateway</body></html>")
BACKEND_500 = (500, {"errorType": "com.dataiku.Whatever", "message": "Docker build failed"})


def scripted(stub, peeks: Any, fetches: Iterator[tuple[int, Any]]) -> None:
    """Peeks answer ``peeks`` (a state, or an iterator of (status, body)); fetches answer ``fetches``."""

    def handler(req):
        if req.args.get("peek") == "True":
            status, body = next(peeks) if isinstance(peeks, Iterator) else (200, peeks)
        else:
            status, body = next(fetches)
        return status, body, {}

    stub.routes[("GET", "/futures/j")] = handler


def peeks_of(stub) -> list[str]:
    return [r["query"]["peek"][0] for r in stub.log]


@pytest.fixture
def client(stub):
    c = api.connect(stub.url, ADMIN_KEY, retries=0, timeout=(2, 5))
    yield c
    c.close()


def test_transient_proxy_error_does_not_fail_a_successful_task(stub, client):
    scripted(stub, DONE, iter([PROXY_502, (200, {**DONE, "result": {"ok": 1}})]))
    fut = client.get_future("j")
    assert fut.wait_for_result(timeout=10) == {"ok": 1}
    assert fut.error is None and fut.result == {"ok": 1}
    # peek, fetch (502), confirming peek (result still there), next poll, fetch again
    assert peeks_of(stub) == ["True", "False", "True", "True", "False"]


def test_failure_confirmed_by_the_peek_keeps_the_server_message(stub, client):
    scripted(stub, DEAD, iter([BACKEND_500]))
    fut = client.get_future("j")
    with pytest.raises(api.DSSFutureError, match="Docker build failed") as info:
        fut.wait_for_result(timeout=10)
    assert info.value.status == 500 and not info.value.aborted
    assert fut.error is info.value
    assert peeks_of(stub) == ["True", "False", "True"]


def test_aborted_task_confirmed_by_the_peek(stub, client):
    scripted(stub, {**DEAD, "aborted": True}, iter([BACKEND_500]))
    fut = client.get_future("j")
    with pytest.raises(api.DSSFutureError, match="aborted"):
        fut.wait_for_result(timeout=10)
    assert fut.aborted


def test_future_gone_after_the_error_makes_the_outcome_unknown(stub, client):
    peeks = iter([(200, DONE), (404, {"errorType": "NotFound", "message": "no such future"})])
    scripted(stub, peeks, iter([PROXY_502]))
    fut = client.get_future("j")
    with pytest.raises(api.DSSFutureError, match="outcome is unknown") as info:
        fut.wait_for_result(timeout=10)
    assert "Bad Gateway" in str(info.value)


def test_persistent_fetch_errors_raise_a_plain_error_without_recording_a_failure(stub, client):
    scripted(stub, DONE, iter([PROXY_502] * 10))
    fut = client.get_future("j")
    with pytest.raises(api.DSSError) as info:
        fut.wait_for_result(timeout=10)
    assert not isinstance(info.value, api.DSSFutureError) and info.value.status == 502
    assert not fut.done and fut.error is None
    assert peeks_of(stub).count("False") == assumptions.MAX_RESULT_FETCH_ERRORS


def test_direct_get_state_with_an_unconfirmed_5xx_raises_and_records_nothing(stub, client):
    scripted(stub, DONE, iter([PROXY_502, (200, {**DONE, "result": 5})]))
    fut = client.get_future("j")
    with pytest.raises(api.DSSError) as info:
        fut.get_state()
    assert not isinstance(info.value, api.DSSFutureError)
    assert not fut.done
    assert fut.get_result() == 5


def test_tracker_reports_the_result_after_a_transient_fetch_error(stub, client):
    scripted(stub, DONE, iter([PROXY_502, (200, {**DONE, "result": "built"})]))
    fut = client.get_future("j")
    ended: list[api.Future] = []
    with api.FutureTracker(first_interval=0.01, max_interval=0.02) as tracker:
        tracker.track(fut, on_done=ended.append)
        wait_for(lambda: ended, timeout=10)
    assert fut.error is None and fut.result == "built"


def test_peek_verdicts():
    assert assumptions.peek_verdict(200, DONE) is None
    assert assumptions.peek_verdict(200, {"alive": True, "hasResult": False}) is None
    assert assumptions.peek_verdict(200, DEAD) == "failed"
    assert assumptions.peek_verdict(200, {"aborted": True, "hasResult": False}) == "failed"
    assert assumptions.peek_verdict(200, {"unknown": True}) == "unknown"
    assert assumptions.peek_verdict(404, {}) == "unknown"
    assert assumptions.peek_verdict(503, {"message": "busy"}) is None
    assert assumptions.peek_verdict(None, None) is None
    assert assumptions.needs_peek_confirmation(500, {"message": "x"}, peek=False)
    assert not assumptions.needs_peek_confirmation(500, {"message": "x", "aborted": False}, peek=False)
    assert not assumptions.needs_peek_confirmation(500, {"message": "x"}, peek=True)


def test_simulator_transient_500_on_a_finished_restart(sim_factory):
    sim = sim_factory()
    client = api.connect(sim.url, ADMIN_KEY, retries=1)
    pk = sim.project_keys()[0]
    sid = sim.add_studio(pk, "confirm", "admin", sim.template_ids()[0], state="STOPPED")
    fut = client.get_project(pk).get_code_studio(sid).restart()
    wait_for(lambda: fut.peek_state().get("hasResult"), timeout=20)
    sim.set_faults(rate=1.0, kinds=("500",), path_contains=f"/futures/{fut.job_id}")
    with pytest.raises(api.DSSError) as info:
        fut.settle()  # the fetch and the confirming peek both fail: nothing is decided
    assert not isinstance(info.value, api.DSSFutureError)
    assert not fut.done
    sim.clear_faults()
    fut.wait_for_result(timeout=20)
    assert fut.done and fut.error is None
    assert sim.status(pk, sid)["state"] == "RUNNING"
    client.close()
