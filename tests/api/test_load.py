"""api/load.py: the request meter by kind (and Client.load()) and the AIMD rate controller."""

from __future__ import annotations

import pytest

import cswidgets.api as api
from cswidgets.api.errors import DSSConnectionError, DSSError
from cswidgets.api.load import Aimd, LoadMeter, route_kind

from .conftest import ADMIN_KEY


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.mark.parametrize(("method", "path", "kind"), [
    ("GET", "/futures/", "GET /futures/"),
    ("GET", "/futures/AbC123", "GET /futures/{id}"),
    ("get", "/projects/P1/code-studios/x9/status", "GET /projects/{id}/code-studios/{id}/status"),
    ("POST", "/projects/P1/code-studios/x9/stop", "POST /projects/{id}/code-studios/{id}/stop"),
    ("GET", "/projects/P1/code-studios/", "GET /projects/{id}/code-studios/"),
    ("GET", "/projects/P1/libraries/contents/a/b.py", "GET /projects/{id}/libraries/contents/{path}"),
])
def test_route_kind_leaves_the_ids_out(method, path, kind):
    assert route_kind(method, path) == kind


def test_meter_rates_by_kind_over_a_sliding_window():
    clock = Clock()
    meter = LoadMeter(window_s=10, clock=clock)
    for _ in range(10):  # one a second for ten seconds
        clock.now += 1
        meter.record("a")
    meter.record("b", 5)
    assert meter.rates() == {"a": 1.0, "b": 0.5}
    clock.now += 20  # nothing sent for a whole window
    assert meter.rates() == {}
    summary = meter.summary()
    assert summary["total"] == 15 and summary["total_by_kind"] == {"a": 10, "b": 5} and summary["per_s"] == 0


def test_client_load_counts_what_was_sent(sim, client):
    pk = sim.project_keys()[0]
    client.get_project(pk).list_code_studios()
    client.list_futures()
    load = client.load()
    assert load["by_kind"]["GET /projects/{id}/code-studios/"] > 0
    assert load["total_by_kind"]["GET /futures/"] == 1
    assert ADMIN_KEY not in repr(load)


def test_aimd_halves_on_overload_once_per_cooldown_and_recovers_gradually():
    clock = Clock()
    aimd = Aimd(min_scale=1 / 16, cooldown_s=1.0, increase=0.1, clock=clock)
    assert aimd.failed(DSSError("busy", status=503))
    assert not aimd.failed(DSSError("busy", status=429))  # same burst: halved once
    assert aimd.scale == 0.5 and aimd.reason == "HTTP 503"
    clock.now += 1.5
    assert aimd.failed(DSSError("busy", status=429))
    assert aimd.scale == 0.25
    clock.now += 1.5
    assert aimd.failed(DSSConnectionError("the answer did not arrive within the call's deadline"))
    assert aimd.scale == 0.125 and aimd.reason == "no answer in time"
    clock.now += 1.5
    assert not aimd.failed(DSSError("no such task", status=404))  # says nothing of the load
    assert aimd.scale == 0.125
    steps = []
    for _ in range(12):
        clock.now += 1.0
        aimd.answered(0.01)
        steps.append(aimd.scale)
    assert steps[0] == pytest.approx(0.125 + 0.25)  # 2.5 s since the last halving, 0.1 per second
    assert steps == sorted(steps) and steps[-1] == 1.0 and aimd.reason is None


def test_aimd_slow_answers_next_to_the_usual_ones_halve_it():
    clock = Clock()
    aimd = Aimd(slow_s=1.0, slow_factor=4.0, cooldown_s=0.0, clock=clock)
    for _ in range(5):
        aimd.answered(0.5)
    aimd.answered(1.5)  # over 1 s but not 4x the usual 0.5 s: not slow
    assert aimd.scale == 1.0
    aimd.answered(3.5)  # 5x the usual
    assert aimd.scale == 0.5 and aimd.reason.startswith("slow answers")


def test_aimd_never_falls_below_its_floor():
    aimd = Aimd(min_scale=0.25, cooldown_s=0.0)
    for _ in range(10):
        aimd.overloaded("test")
    assert aimd.scale == 0.25


def test_tracker_rejects_bad_settings():
    with pytest.raises(ValueError):
        api.FutureTracker(list_interval=0)
    with pytest.raises(ValueError):
        api.FutureTracker(readers=0)


def test_peek_pace_slows_down_for_long_unchanging_tasks_and_speeds_up_when_they_move():
    from cswidgets.api.tracking import PeekPace

    pace = PeekPace(first=0.1, cap=1.5, slow_cap=10.0, slow_after=60.0)
    early = [pace.next_pause(0.01, age=5.0, mark=("Build", 10)) for _ in range(12)]
    assert early[0] == 0.1 and max(early) == 1.5  # the first minute: never more than 1.5 s apart
    late = [pace.next_pause(0.01, age=90.0, mark=("Build", 10)) for _ in range(12)]
    assert late == sorted(late) and late[-1] == 10.0  # after a minute without change: up to 10 s
    assert pace.next_pause(0.01, age=95.0, mark=("Build", 11)) == 1.5  # it moved: back to 1.5 s
    assert pace.next_pause(3.0, age=96.0, mark=("Build", 12)) == 3.0  # never faster than it answers
