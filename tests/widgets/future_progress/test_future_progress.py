"""FutureProgress against the simulator: stages, final states, abort, fallbacks, no blocking."""

from __future__ import annotations

import asyncio
import threading

import pytest

from cswidgets.api import DSSFutureError
from cswidgets.widgets.future_progress import FutureProgress
from tests.support import ask, record, wait_for
from tests.widgets.frozen_time import ADMIN_KEY

HOSTILE = "<img src=x onerror=alert(1)>"


def start_build(client, template_id="tpl_vscode", **kwargs):
    return client.get_code_studio_template(template_id).build(**kwargs)


def deletes(sim, job_id):
    return [r for r in sim.requests if r.method == "DELETE" and r.path == f"/futures/{job_id}"]


def test_progress_follows_the_simulator_stages(sim, client, tracker):
    # demo build: 30 simulated seconds = Preparing (0-3 s), Building image (3-24 s), Pushing (24-30 s)
    bar = FutureProgress(start_build(client), tracker=tracker)
    seen = []
    bar.observe(lambda ch: seen.append(ch["new"]), names=["view"])
    assert bar.label == "Build tpl_vscode"
    wait_for(lambda: bar.view["stage"] == "Preparing build context", what="first stage")
    assert bar.final == ""
    assert bar.view["status"] == "running"

    sim.advance(3 + 10.5)  # half-way through "Building image" = step 2 of 3, half done
    wait_for(lambda: bar.view["stage"] == "Building image", what="second stage")
    assert bar.view["fraction"] == pytest.approx((1 + 0.5) / 3, abs=0.01)
    assert bar.view["elapsed_s"] == pytest.approx(13.5, abs=0.1)  # the server's running time
    assert bar.view["eta_s"] is None  # one jump says nothing about the pace: no time left yet
    etas = []
    for step in range(1, 6):  # then steady progress: a time left that never climbs
        sim.advance(1)
        wait_for(lambda s=step: bar.view["elapsed_s"] >= 13.5 + s - 0.05, what=f"step {step}")
        etas.append(bar.view["eta_s"])
    shown = [e for e in etas if e is not None]
    assert shown and all(e > 0 for e in shown) and shown == sorted(shown, reverse=True), etas

    sim.advance(24 - 18.5 + 3)
    wait_for(lambda: bar.view["stage"] == "Pushing image", what="third stage")
    assert bar.view["fraction"] == pytest.approx((2 + 0.5) / 3, abs=0.01)

    stages = [v["stage"] for v in seen]
    assert stages == sorted(stages, key=["Preparing build context", "Building image", "Pushing image"].index)
    fractions = [v["fraction"] for v in seen]
    assert fractions == sorted(fractions), "the bar never goes backwards between stages"


def test_done_reaches_the_panel_with_a_result_summary(sim, client, tracker):
    bar = FutureProgress(start_build(client), label="Rebuild VS Code", tracker=tracker)
    done = []
    bar.add_done_callback(lambda p: done.append((p.final, threading.current_thread().name)))
    sim.advance(31)
    wait_for(lambda: bar.done, what="the build to end")
    assert bar.final == "done"
    assert bar.view["status"] == "done"
    assert bar.view["fraction"] == 1.0
    assert bar.result_summary == "Built for k8s-default, k8s-gpu"
    assert bar.abortable is False
    assert bar.wait(0) == bar.future.result
    assert bar.result["templateId"] == "tpl_vscode"
    assert done == [("done", tracker.name)]  # called once, on the tracker thread
    assert repr(bar) == "<FutureProgress: Rebuild VS Code · done>"
    late = []
    bar.add_done_callback(late.append)  # after the end: called at once
    assert late == [bar]


def test_failure_shows_dss_message(sim, client, tracker):
    sim.fail_next_build("tpl_vscode", message="no space left on device")
    bar = FutureProgress(start_build(client), tracker=tracker)
    sim.advance(31)
    wait_for(lambda: bar.done, what="the build to fail")
    assert bar.final == "failed"
    assert bar.view["status"] == "failed"
    assert bar.view["message"] == "no space left on device"
    assert bar.result_summary == ""
    assert repr(bar) == "<FutureProgress: Build tpl_vscode · failed: no space left on device>"
    with pytest.raises(DSSFutureError, match="no space left on device"):
        bar.wait(0)


def test_abort_click_aborts_once_and_ends_aborted(sim, client, tracker):
    future = start_build(client)
    bar = FutureProgress(future, tracker=tracker)
    record(bar)
    wait_for(lambda: bar.view["stage"], what="a first poll")
    reply = ask(bar, "abort")
    assert reply["ok"] is True
    assert reply["result"] == {"aborting": True}
    wait_for(lambda: bar.final == "aborted", what="the aborted state")
    assert bar.view["status"] == "aborted"
    assert bar.abort_requested is True
    assert len(deletes(sim, future.job_id)) == 1
    assert ask(bar, "abort")["result"] == {"aborting": False}  # a late click does nothing
    assert len(deletes(sim, future.job_id)) == 1
    with pytest.raises(DSSFutureError):
        bar.wait(0)


def test_a_failed_abort_is_not_retried_and_is_shown(sim, client, tracker):
    future = start_build(client)
    bar = FutureProgress(future, tracker=tracker)
    record(bar)
    sim.set_faults(rate=1.0, kinds=["500"], methods=["DELETE"])
    reply = ask(bar, "abort")
    assert reply["ok"] is False
    assert len(deletes(sim, future.job_id)) == 1  # never retried
    assert bar.abort_requested is False  # the Abort button comes back
    assert len(bar.alerts) == 1
    assert "500" in bar.alerts[0]["message"]
    sim.clear_faults()
    assert bar.final == ""


def test_an_already_completed_future_is_final_at_once(client):
    from cswidgets.api import Future

    future = Future.from_resp(client._transport, {"hasResult": True, "result": {"message": "nothing to do"}})
    bar = FutureProgress(future, label="stop P/x")
    assert bar.final == "done"
    assert bar.result_summary == "nothing to do"
    assert bar.abortable is False
    assert bar.abort() is False


def test_await_waits_without_blocking_the_event_loop(sim, client, tracker):
    bar = FutureProgress(start_build(client), tracker=tracker)

    async def main():
        ticks = 0

        async def ticker():
            nonlocal ticks
            while True:
                ticks += 1
                await asyncio.sleep(0.01)

        task = asyncio.create_task(ticker())
        asyncio.get_running_loop().call_later(0.2, sim.advance, 31)
        result = await asyncio.wait_for(bar, 10)
        task.cancel()
        return result, ticks

    result, ticks = asyncio.run(main())
    assert result["templateId"] == "tpl_vscode"
    assert ticks >= 5  # the loop kept running while the build was awaited


def test_wait_times_out_while_the_task_keeps_running(client, tracker):
    bar = FutureProgress(start_build(client), tracker=tracker)
    with pytest.raises(TimeoutError):
        bar.wait(0.05)
    assert bar.final == ""


def test_rejects_what_is_not_a_cswidgets_future_and_unknown_options(client, tracker):
    with pytest.raises(TypeError, match="cswidgets Future"):
        FutureProgress({"jobId": "x"})
    with pytest.raises(TypeError, match="lable"):
        FutureProgress(start_build(client), tracker=tracker, lable="typo")


def test_static_html_and_repr_escape_text_and_hold_no_secret(sim, client, tracker):
    sim.fail_next_build("tpl_vscode", message=HOSTILE)
    bar = FutureProgress(start_build(client), label=HOSTILE, tracker=tracker)
    running_html = bar._repr_mimebundle_()[0]["text/html"]
    assert "<progress" in running_html
    sim.advance(31)
    wait_for(lambda: bar.done)
    data = bar._repr_mimebundle_()[0]
    assert HOSTILE not in data["text/html"]
    assert "&lt;img" in data["text/html"]
    assert data["text/plain"] == repr(bar)
    state = str(bar.get_state())
    for text in (data["text/html"], data["text/plain"], state):
        assert ADMIN_KEY not in text


def test_close_stops_following(sim, client, tracker):
    bar = FutureProgress(start_build(client), tracker=tracker)
    wait_for(lambda: len(tracker) == 1)
    bar.close()
    assert len(tracker) == 0


def test_the_bar_shows_the_api_whole_task_fraction(sim, client, tracker):
    """One implementation: the bar's fraction is the API's Progress.fraction (whole task), not
    the stage's own fraction."""
    future = start_build(client)
    bar = FutureProgress(future, tracker=tracker)
    sim.advance(3 + 10.5)
    wait_for(lambda: bar.view["stage"] == "Building image", what="second stage")
    progress = future.progress
    assert progress.stage_fraction == pytest.approx(0.5, abs=0.01)
    assert bar.view["fraction"] == pytest.approx(progress.fraction) == pytest.approx(1.5 / 3, abs=0.01)


def test_a_future_is_followed_by_its_own_client_tracker(sim, client):
    """FutureProgress(future) uses the tracker of the client that created the future
    (future.client); a future built by hand gets a tracker of the bar's own (no process-wide one)."""
    from cswidgets.api import Future
    from cswidgets.widgets import future_progress

    future = start_build(client)
    assert future.client is client
    bar = FutureProgress(future)
    try:
        assert len(client.tracker) == 1
        sim.advance(31)
        wait_for(lambda: bar.done, what="the build to end")
        assert bar.final == "done"
    finally:
        bar.close()
    bare = Future(client._transport, future.job_id, {"jobId": future.job_id})  # no client
    assert future_progress.client_tracker(bare) is None
    assert future_progress.client_tracker(future) is client.tracker



def test_a_listed_template_titles_its_build_with_its_label(client, tracker):
    template = next(t for t in client.list_code_studio_templates(as_type="objects") if t.id == "tpl_vscode")
    future = template.build()
    bar = FutureProgress(future, tracker=tracker)
    assert bar.label == "Build VS Code"
    future.abort()


def test_a_future_without_client_is_followed_by_the_bars_own_tracker(sim, client):
    """No module-global tracker: the bar owns one, it moves the bar, and close() stops its thread."""
    from cswidgets.api import Future

    future = start_build(client)
    bare = Future(client._transport, future.job_id, {"jobId": future.job_id})  # no client
    bar = FutureProgress(bare)
    try:
        own = bar._own_tracker
        assert own is not None and own is not client.tracker
        wait_for(lambda: own.running, what="the bar's tracker to start")
        sim.advance(31)
        wait_for(lambda: bar.done, what="the build to end")
        assert bar.final == "done"
    finally:
        bar.close()
    wait_for(lambda: not own.running, what="the bar's own tracker to stop")
