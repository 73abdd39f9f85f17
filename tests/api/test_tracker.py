"""FutureTracker: many futures, one scheduler thread (plus a few readers), list reads, adaptive polling,
callbacks, cancel and close. The list-based reads, their fallbacks, head-of-line blocking and the back-off:
test_tracker_list.py."""

from __future__ import annotations

import itertools
import threading

import pytest

import cswidgets.api as api
from tests.support import wait_for

from .conftest import ADMIN_KEY


def tracker_threads() -> list[threading.Thread]:
    """The trackers' scheduler threads (their readers are named ``...-read_N``)."""
    return [t for t in threading.enumerate() if t.name.startswith("cswidgets-future-tracker") and "-read" not in t.name]


def reader_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name.startswith("cswidgets-future-tracker") and "-read" in t.name]


def new_studios(sim, n: int) -> list[tuple[str, str]]:
    pk = sim.project_keys()[0]
    tid = sim.template_ids()[0]
    return [(pk, sim.add_studio(pk, f"tracked {i}", "admin", tid, state="STOPPED")) for i in range(n)]


def test_tracker_follows_20_futures_on_one_thread_with_one_list_read_per_tick(sim_factory):
    sim = sim_factory(speed=20.0)  # starts take ~0.4 s: several polls each
    client = api.connect(sim.url, ADMIN_KEY)
    studios = new_studios(sim, 20)
    before = len(tracker_threads())
    progress_threads: set[int] = set()
    done_threads: set[int] = set()
    progress_calls: dict[str, int] = {}
    done: list[api.Future] = []
    lock = threading.Lock()

    def on_progress(f: api.Future) -> None:
        with lock:
            progress_threads.add(threading.get_ident())
            progress_calls[f.job_id] = progress_calls.get(f.job_id, 0) + 1
            assert f.progress.elapsed_s >= 0

    def on_done(f: api.Future) -> None:
        with lock:
            done_threads.add(threading.get_ident())
            done.append(f)

    sim.clear_requests()
    futures = [client.get_project(pk).get_code_studio(sid).restart() for pk, sid in studios]
    subs = [client.tracker.track(f, on_progress, on_done) for f in futures]
    assert len(tracker_threads()) - before == 1
    assert len(client.tracker) == 20
    wait_for(lambda: len(done) == 20, timeout=30)
    assert len(tracker_threads()) - before <= 1
    assert len(reader_threads()) <= client.tracker.readers
    assert len(progress_threads | done_threads) == 1  # callbacks: on the scheduler thread only
    assert threading.get_ident() not in progress_threads
    assert all(f.done and f.error is None for f in futures)
    assert {f.job_id for f in done} == {f.job_id for f in futures}
    assert all(not s.active for s in subs)
    for f in futures:  # the result is fetched exactly once per future
        gets = [r for r in sim.requests if r.path == f"/futures/{f.job_id}" and r.query.get("peek") == "False"]
        assert len(gets) == 1
        assert progress_calls[f.job_id] >= 1  # at least once before on_done (a 0.4 s task may end before a tick)
    peeks = [r for r in sim.requests if r.path.startswith("/futures/") and r.query.get("peek") == "True"]
    lists = [r for r in sim.requests if r.path.rstrip("/") == "/futures"]
    assert peeks == []  # progress came from the list: no per-future polls
    assert lists
    for pk, sid in studios:
        assert client.get_project(pk).get_code_studio(sid).get_status().state == "RUNNING"
    client.close()
    wait_for(lambda: len(tracker_threads()) == before, timeout=5)


def test_polling_backs_off(sim_factory):
    sim = sim_factory(speed=1.0)  # an 8 s start
    client = api.connect(sim.url, ADMIN_KEY)
    ((pk, sid),) = new_studios(sim, 1)
    fut = client.get_project(pk).get_code_studio(sid).restart()
    sim.clear_requests()
    calls: list[float] = []
    import time

    tracker = api.FutureTracker(use_list=False)  # the per-future peeks (the list's fallback)
    tracker.track(fut, on_progress=lambda f: calls.append(time.monotonic()))
    wait_for(lambda: len(calls) >= 6, timeout=10)
    gaps = [b - a for a, b in itertools.pairwise(calls)]
    assert gaps[-1] > gaps[0]  # growing
    assert gaps[0] < 0.5
    assert max(gaps) <= 2.5  # capped: never too stale
    tracker.close()
    assert not tracker.running
    fut.abort()
    client.close()


def test_callback_errors_do_not_kill_the_thread(sim, client, caplog):
    (pk, sid), (pk2, sid2) = new_studios(sim, 2)
    got: list[str] = []

    def boom(_f: api.Future) -> None:
        raise RuntimeError("callback bug")

    f1 = client.get_project(pk).get_code_studio(sid).restart()
    f2 = client.get_project(pk2).get_code_studio(sid2).restart()
    client.tracker.track(f1, on_progress=boom, on_done=boom)
    client.tracker.track(f2, on_done=lambda f: got.append(f.job_id))
    wait_for(lambda: got == [f2.job_id], timeout=30)
    wait_for(lambda: f1.done, timeout=30)
    assert "callback bug" in caplog.text
    assert client.tracker.running or len(client.tracker) == 0


def test_cancel_and_shared_future(sim_factory):
    sim = sim_factory(speed=5.0)
    client = api.connect(sim.url, ADMIN_KEY)
    ((pk, sid),) = new_studios(sim, 1)
    fut = client.get_project(pk).get_code_studio(sid).restart()
    cancelled: list[int] = []
    kept: list[int] = []
    sub1 = client.tracker.track(fut, on_done=lambda f: cancelled.append(1))
    sub2 = client.tracker.track(fut, on_done=lambda f: kept.append(1))
    assert len(client.tracker) == 1  # two subscriptions, one poll
    sub1.cancel()
    assert not sub1.active
    wait_for(lambda: kept == [1], timeout=30)
    assert cancelled == []
    assert not sub2.active
    client.close()


def test_done_future_is_reported_and_errors_are_delivered(sim, client):
    ((pk, sid),) = new_studios(sim, 1)
    completed = client.get_project(pk).get_code_studio(sid).stop()  # stopped already: complete
    seen: list[api.Future] = []
    client.tracker.track(completed, on_done=seen.append)
    wait_for(lambda: seen, timeout=5)
    tid = sim.template_ids()[0]
    sim.fail_next_build(tid, message="broken layer")
    failing = client.get_code_studio_template(tid).build()
    errors: list[api.DSSError] = []
    client.tracker.track(failing, on_done=lambda f: errors.append(f.error))
    wait_for(lambda: errors, timeout=30)
    assert isinstance(errors[0], api.DSSFutureError)
    assert "broken layer" in str(errors[0])


def test_idle_thread_exits_and_restarts(sim, client):
    tracker = api.FutureTracker(idle_timeout=0.2)
    ((pk, sid),) = new_studios(sim, 1)
    got: list[int] = []
    tracker.track(client.get_project(pk).get_code_studio(sid).stop(), on_done=lambda f: got.append(1))
    wait_for(lambda: got and not tracker.running, timeout=5)
    tracker.track(client.get_project(pk).get_code_studio(sid).stop(), on_done=lambda f: got.append(2))
    wait_for(lambda: got == [1, 2], timeout=5)
    tracker.close()
    with pytest.raises(RuntimeError):
        tracker.track(client.get_project(pk).get_code_studio(sid).stop())
    with pytest.raises(TypeError):
        api.FutureTracker().track("not a future")  # type: ignore[arg-type]


def test_lost_connection_ends_tracking_with_the_error(sim_factory):
    sim = sim_factory(speed=1.0)
    client = api.connect(sim.url, ADMIN_KEY, retries=0)
    ((pk, sid),) = new_studios(sim, 1)
    fut = client.get_project(pk).get_code_studio(sid).restart()
    sim.set_faults(rate=1.0, kinds=("500",), path_contains="/futures/")
    tracker = api.FutureTracker(first_interval=0.01, max_interval=0.02, max_errors=3)
    ended: list[api.Future] = []
    tracker.track(fut, on_done=ended.append)
    wait_for(lambda: ended, timeout=10)
    assert isinstance(fut.error, api.DSSError)
    assert fut.error.status == 500
    tracker.close()
    client.close()
