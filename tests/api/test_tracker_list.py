"""FutureTracker against a programmable DSS (the ``stub`` server): futures followed by one ``GET /futures/`` per
tick, the fallbacks to per-future peeks (list items without state, a non-admin, a list that omits a future, a
list this server does not serve), no head-of-line blocking (one 6-s answer does not stall another future), a
closed panel's future no longer read, and the AIMD back-off (slow answers, 429, 503) with its recovery."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from typing import Any

import pytest

import cswidgets.api as api
from cswidgets.api.load import Aimd
from tests.support import wait_for

FAST = {"list_interval": 0.1, "first_interval": 0.05, "max_interval": 0.1}


@dataclass
class FakeJob:
    job_id: str
    cur: int = 0
    ended: bool = False
    hold: threading.Event | None = None  # the job's reads wait for it (at most hold_s)
    hold_s: float = 6.0
    held: threading.Event = field(default_factory=threading.Event)  # a read is being held

    def state(self, peek: bool) -> dict[str, Any]:
        state = {"jobId": self.job_id, "alive": not self.ended, "hasResult": self.ended, "aborted": False,
                 "progress": None if self.ended else {"states": [{"name": "Working", "cur": self.cur, "target": 100}]}}
        if self.ended and not peek:
            state["result"] = {"job": self.job_id}
        return state


class FakeDSS:
    """Futures on the stub server. ``mode``: ``"state"`` (list items are states), ``"bare"`` (``{jobId}``
    only), ``"omit"`` (the jobs in ``hidden`` are never listed); ``admin=False`` refuses ``allUsers=true``;
    ``list_status`` answers the list with that status instead; ``list_delay_s`` holds each list read."""

    def __init__(self, stub: Any, *ids: str) -> None:
        self.stub = stub
        self.jobs = {i: FakeJob(i) for i in ids}
        self.mode = "state"
        self.hidden: set[str] = set()
        self.admin = True
        self.list_status: int | None = None
        self.busy: int | None = None  # every answer has this status
        self.list_delay_s = 0.0
        self.lock = threading.Lock()
        stub.routes[("GET", "/futures/")] = self._list
        for job in self.jobs.values():
            stub.routes[("GET", f"/futures/{job.job_id}")] = lambda req, j=job: self._get(req, j)

    def _list(self, req: Any) -> tuple[int, Any, dict[str, str]]:
        if self.busy is not None:
            return self.busy, {"errorType": "Busy", "message": "try later"}, {}
        if self.list_delay_s:
            time.sleep(self.list_delay_s)  # the server's slowness, not the test's wait
        if self.list_status is not None:
            return self.list_status, {"errorType": "Busy", "message": "try later"}, {}
        if req.args.get("allUsers") == "True" and not self.admin:
            return 403, {"errorType": "com.dataiku.dip.exceptions.UnauthorizedException", "message": "admin only"}, {}
        with self.lock:
            jobs = [j for j in self.jobs.values() if not j.ended and j.job_id not in self.hidden]
            items = [{"jobId": j.job_id} if self.mode == "bare" else j.state(peek=True) for j in jobs]
        return 200, items, {}

    def _get(self, req: Any, job: FakeJob) -> tuple[int, Any, dict[str, str]]:
        if job.hold is not None:
            job.held.set()
            job.hold.wait(job.hold_s)
        if self.busy is not None:
            return self.busy, {"errorType": "Busy", "message": "try later"}, {}
        with self.lock:
            return 200, job.state(peek=req.args.get("peek") == "True"), {}

    def advance(self, job_id: str, step: int = 5) -> None:
        with self.lock:
            self.jobs[job_id].cur = min(99, self.jobs[job_id].cur + step)

    def end(self, job_id: str) -> None:
        with self.lock:
            self.jobs[job_id].ended = True

    def reads(self, job_id: str, peek: bool | None = None) -> list[dict[str, Any]]:
        path = f"/futures/{job_id}"
        return [r for r in list(self.stub.log) if r["path"] == path
                and (peek is None or r["query"].get("peek") == [str(peek)])]

    def list_reads(self) -> list[dict[str, Any]]:
        return [r for r in list(self.stub.log) if r["path"] == "/futures/"]


def see_three_steps(dss: FakeDSS, seen: Seen, job_id: str, while_: str) -> None:
    """Move ``job_id`` three times by 10 %; each step must reach its subscribers within 5 s."""
    for step in range(1, 4):
        dss.advance(job_id, 10)
        wait_for(lambda s=step: seen.last(job_id) == pytest.approx(0.1 * s), timeout=5,
                 what=f"{job_id}'s progress while {while_}")


def future_of(client: api.Client, job_id: str) -> api.Future:
    return api.Future(client, job_id, {"jobId": job_id})


class Seen:
    """What the subscribers were told: fractions per job and the ended futures."""

    def __init__(self) -> None:
        self.fractions: dict[str, list[float | None]] = {}
        self.done: list[api.Future] = []
        self.lock = threading.Lock()

    def progress(self, f: api.Future) -> None:
        with self.lock:
            self.fractions.setdefault(f.job_id, []).append(f.progress.fraction)

    def ended(self, f: api.Future) -> None:
        with self.lock:
            self.done.append(f)

    def count(self, job_id: str) -> int:
        with self.lock:
            return len(self.fractions.get(job_id, []))

    def last(self, job_id: str) -> float | None:
        with self.lock:
            return (self.fractions.get(job_id) or [None])[-1]


@pytest.fixture
def dss(stub):
    return FakeDSS(stub, "job1", "job2", "job3")


def test_list_items_with_state_follow_every_future_without_peeks(dss, stub_client):
    seen = Seen()
    with api.FutureTracker(**FAST) as tracker:
        futures = [future_of(stub_client, j) for j in ("job1", "job2", "job3")]
        for f in futures:
            tracker.track(f, seen.progress, seen.ended)
        dss.advance("job2", 40)
        wait_for(lambda: seen.last("job2") == pytest.approx(0.4), what="job2's progress from the list")
        dss.end("job1")
        wait_for(lambda: [f.job_id for f in seen.done] == ["job1"], what="job1's end")
        assert futures[0].result == {"job": "job1"}
        assert len(dss.reads("job1", peek=False)) == 1  # one consuming read at its end
        assert tracker.live_info()["by_list"] == 2
        for j in ("job1", "job2", "job3"):
            assert dss.reads(j, peek=True) == []  # no per-future poll: the list carried the progress
        assert len(dss.list_reads()) >= 2
        assert set(tracker.live_info()["by_kind"]) <= {"tasks list", "task result"}


def test_list_items_without_state_fall_back_to_peeks(dss, stub_client):
    dss.mode = "bare"
    seen = Seen()
    with api.FutureTracker(**FAST) as tracker:
        f = future_of(stub_client, "job1")
        tracker.track(f, seen.progress, seen.ended)
        dss.advance("job1", 30)
        wait_for(lambda: seen.last("job1") == pytest.approx(0.3), what="progress from the peeks")
        assert dss.reads("job1", peek=True)
        assert tracker.live_info()["peek_reasons"] == {"the list items carry no state": 1}
        dss.end("job1")
        wait_for(lambda: seen.done, what="the end")
        assert f.result == {"job": "job1"}
        assert len(dss.reads("job1", peek=False)) == 1


def test_a_non_admin_reads_its_own_tasks_and_peeks_the_others(dss, stub_client):
    dss.admin = False
    dss.hidden = {"job2"}  # another user's task: the non-admin's list does not show it
    seen = Seen()
    with api.FutureTracker(**FAST) as tracker:
        mine, theirs = future_of(stub_client, "job1"), future_of(stub_client, "job2")
        tracker.track(mine, seen.progress, seen.ended)
        tracker.track(theirs, seen.progress, seen.ended)
        dss.advance("job1", 20)
        dss.advance("job2", 60)
        wait_for(lambda: seen.last("job1") == pytest.approx(0.2) and seen.last("job2") == pytest.approx(0.6),
                 what="both futures' progress")
        queries = [r["query"].get("allUsers") for r in dss.list_reads()]
        assert queries[0] == ["True"] and ["False"] in queries  # refused with allUsers, then one's own
        dss.advance("job2", 20)
        wait_for(lambda: seen.last("job2") == pytest.approx(0.8), what="job2's progress, peeked")
        assert dss.reads("job1", peek=True) == []
        assert dss.reads("job2", peek=True)  # the list never shows it: peeked
        assert tracker.live_info()["peek_reasons"] == {"the running-tasks list does not show it": 1}
        dss.end("job2")
        dss.end("job1")
        wait_for(lambda: len(seen.done) == 2, what="both ends")
        assert mine.result == {"job": "job1"} and theirs.result == {"job": "job2"}


def test_a_future_the_list_stops_showing_is_read_once_then_peeked(dss, stub_client):
    seen = Seen()
    with api.FutureTracker(**FAST) as tracker:
        f = future_of(stub_client, "job1")
        tracker.track(f, seen.progress, seen.ended)
        wait_for(lambda: seen.count("job1") >= 2, what="the list's first reads")
        assert dss.reads("job1") == []
        dss.hidden = {"job1"}  # still running, no longer listed
        wait_for(lambda: dss.reads("job1", peek=True), what="peeks once the list omits it")
        assert len(dss.reads("job1", peek=False)) == 1  # the one read that found it still running
        assert not f.done
        dss.advance("job1", 50)
        wait_for(lambda: seen.last("job1") == pytest.approx(0.5), what="progress from the peeks")
        dss.end("job1")
        wait_for(lambda: seen.done, what="the end")
        assert f.result == {"job": "job1"}


def test_a_list_the_server_does_not_serve_means_peeks(dss, stub_client):
    dss.list_status = 404
    seen = Seen()
    with api.FutureTracker(**FAST) as tracker:
        f = future_of(stub_client, "job1")
        tracker.track(f, seen.progress, seen.ended)
        dss.advance("job1", 10)
        wait_for(lambda: seen.last("job1") == pytest.approx(0.1), what="progress from the peeks")
        assert tracker.live_info()["peek_reasons"] == {"the running-tasks list is not available": 1}
        assert len(dss.list_reads()) == 1  # not asked again before LIST_RETRY_S
        dss.end("job1")
        wait_for(lambda: seen.done, what="the end")


def test_one_slow_peek_does_not_stall_another_future(dss, stub_client):
    """Issue 23 item 9: a peek that takes 6 s froze every other build's progress for 6 s."""
    release = threading.Event()
    dss.jobs["job1"].hold = release
    seen = Seen()
    try:
        with api.FutureTracker(use_list=False, **FAST) as tracker:
            tracker.track(future_of(stub_client, "job1"), seen.progress, seen.ended)
            tracker.track(future_of(stub_client, "job2"), seen.progress, seen.ended)
            assert dss.jobs["job1"].held.wait(5)
            before = seen.count("job2")
            t0 = time.monotonic()
            see_three_steps(dss, seen, "job2", "job1's peek hangs")
            assert not release.is_set() and time.monotonic() - t0 < 6
            assert seen.count("job2") >= before + 3
    finally:
        release.set()


def test_one_slow_end_read_does_not_stall_the_list(dss, stub_client):
    release = threading.Event()
    seen = Seen()
    try:
        with api.FutureTracker(**FAST) as tracker:
            tracker.track(future_of(stub_client, "job1"), seen.progress, seen.ended)
            tracker.track(future_of(stub_client, "job2"), seen.progress, seen.ended)
            wait_for(lambda: seen.count("job1") and seen.count("job2"), what="first list reads")
            dss.jobs["job1"].hold = release
            dss.end("job1")  # leaves the list: its consuming read hangs
            assert dss.jobs["job1"].held.wait(5)
            see_three_steps(dss, seen, "job2", "job1's end read hangs")
            assert not seen.done
            release.set()
            wait_for(lambda: [f.job_id for f in seen.done] == ["job1"], what="job1's end")
    finally:
        release.set()


def test_a_closed_panels_future_is_no_longer_read_unless_another_subscriber_remains(dss, stub_client):
    """Issue 23 item 13: a future followed for a panel that closed was still polled until the task ended."""
    closed = {"a": False, "b": False}
    seen = Seen()
    with api.FutureTracker(use_list=False, **FAST) as tracker:
        shared = future_of(stub_client, "job1")
        alone = future_of(stub_client, "job2")
        witness = future_of(stub_client, "job3")
        tracker.track(shared, seen.progress, keep=lambda: not closed["a"])
        tracker.track(shared, seen.progress, keep=lambda: not closed["b"])
        sub = tracker.track(alone, seen.progress, keep=lambda: not closed["a"])
        tracker.track(witness, seen.progress)
        wait_for(lambda: dss.reads("job2") and dss.reads("job1"), what="first peeks")
        closed["a"] = True  # panel A closes: job2 had only it; job1 still has panel B
        wait_for(lambda: not sub.active, what="the closed panel's subscription dropped")
        job2_reads = len(dss.reads("job2"))
        job1_reads = len(dss.reads("job1"))
        witness_reads = len(dss.reads("job3"))
        wait_for(lambda: len(dss.reads("job3")) >= witness_reads + 5, what="five more reads of another future")
        assert len(dss.reads("job2")) <= job2_reads + 1  # at most the read in flight when it closed
        assert len(dss.reads("job1")) > job1_reads + 1  # panel B still follows it
        assert len(tracker) == 2


def test_a_subscription_made_after_its_panel_closed_is_never_read(dss, stub_client):
    with api.FutureTracker(use_list=False, **FAST) as tracker:
        sub = tracker.track(future_of(stub_client, "job1"), keep=lambda: False)
        witness_reads = len(dss.reads("job3"))
        tracker.track(future_of(stub_client, "job3"))
        wait_for(lambda: len(dss.reads("job3")) >= witness_reads + 3, what="reads of another future")
        assert not sub.active
        assert dss.reads("job1") == []


@pytest.mark.parametrize("status", [429, 503])
def test_busy_answers_back_off_and_recover(dss, stub_client, status):
    dss.busy = status  # every read: the list, then the peeks it falls back to
    aimd = Aimd(cooldown_s=0.0, increase=0.5)
    with api.FutureTracker(aimd=aimd, max_errors=1000, **FAST) as tracker:
        f = future_of(stub_client, "job1")
        tracker.track(f)
        wait_for(lambda: aimd.scale <= 0.25, what="two halvings")
        info = tracker.live_info()["backoff"]
        assert info["backed_off"] and info["reason"] == f"HTTP {status}"
        assert tracker.poll_errors(f)[0] >= 1
        dss.busy = None
        wait_for(lambda: aimd.scale == 1.0, timeout=15, what="gradual recovery")
        assert tracker.live_info()["backoff"]["reason"] is None
        assert not f.done


def test_slow_list_answers_stretch_the_list_interval(dss, stub_client):
    aimd = Aimd(slow_s=0.15, cooldown_s=0.0, increase=0.01)
    with api.FutureTracker(aimd=aimd, **FAST) as tracker:
        tracker.track(future_of(stub_client, "job1"))
        wait_for(lambda: len(dss.list_reads()) >= 2, what="healthy list reads")
        dss.list_delay_s = 0.3
        wait_for(lambda: aimd.scale <= 0.25, what="halvings on slow answers")
        assert tracker.live_info()["backoff"]["reason"].startswith("slow answers")
        dss.list_delay_s = 0.0
        n = len(dss.list_reads())
        wait_for(lambda: len(dss.list_reads()) >= n + 3, what="three more list reads")
        times = [r["at"] for r in dss.list_reads()[n:n + 3]]
        gaps = [b - a for a, b in zip(times, times[1:])]
        assert min(gaps) >= FAST["list_interval"] / aimd.scale * 0.8  # stretched: >= 0.4 s instead of 0.1 s


def test_answers_that_do_not_come_in_time_back_off(dss, stub):
    dss.list_delay_s = 0.6  # longer than the client's read timeout
    client = api.connect(stub.url, "SECRET-KEY-1234567890", timeout=(1.0, 0.2), retries=0)
    aimd = Aimd(cooldown_s=0.0)
    try:
        with api.FutureTracker(aimd=aimd, max_errors=1000, **FAST) as tracker:
            tracker.track(future_of(client, "job1"))
            wait_for(lambda: aimd.backoffs >= 1, what="a back-off on a timeout")
            assert tracker.live_info()["backoff"]["reason"] == "no answer in time"
    finally:
        client.close()


def test_nobody_looking_trickles_and_wake_catches_up_at_once(dss, stub_client, monkeypatch):
    """While no subscriber is looked at (``watched()`` false: the panels' views hidden or gone) the tracker reads
    at most once per trickle gap in all; ``wake()`` (a view came back) reads at once."""
    from cswidgets.api import tracker as tracker_module

    # 5 s and 10 s in real life; 600 s here, so that "at once" after wake() needs no timed assertion: the progress
    # arriving within the wait's 10 s is 60 times sooner than the next trickle read would have brought it
    monkeypatch.setattr(tracker_module, "TRICKLE_GAP_S", 600.0)
    monkeypatch.setattr(tracker_module, "TRICKLE_LIST_S", 600.0)
    looking = threading.Event()
    seen = Seen()
    with api.FutureTracker(**FAST) as tracker:  # a list read every 0.1 s while somebody looks
        for j in ("job1", "job2", "job3"):
            tracker.track(future_of(stub_client, j), seen.progress, seen.ended, watched=looking.is_set)
        wait_for(lambda: tracker.live_info()["trickle"], what="the trickle")
        made = len(dss.stub.log)
        time.sleep(3.0)
        # a read in flight as the trickle began, and the trickle's one read at most (6 when looked at:
        # LIST_MIN_GAP_S)
        assert len(dss.stub.log) - made <= 2
        dss.advance("job2", 40)
        looking.set()
        tracker.wake()  # not at the next trickle read (600 s away): at once
        wait_for(lambda: seen.last("job2") == pytest.approx(0.4), timeout=10.0, what="job2's progress after wake")
        made = len(dss.stub.log)
        time.sleep(2.0)
        assert len(dss.stub.log) - made >= 3  # live again: a list read every 0.5 s (LIST_MIN_GAP_S)
        assert not tracker.live_info()["trickle"]


def test_a_subscription_without_watched_is_always_looked_at(dss, stub_client):
    seen = Seen()
    with api.FutureTracker(**FAST) as tracker:
        tracker.track(future_of(stub_client, "job1"), seen.progress, seen.ended, watched=lambda: False)
        tracker.track(future_of(stub_client, "job2"), seen.progress, seen.ended)  # a script waiting on it
        dss.advance("job1", 30)
        wait_for(lambda: seen.last("job1") == pytest.approx(0.3), timeout=1.0, what="job1 read live")
        assert not tracker.live_info()["trickle"]
