"""The live table's schedule on its own (no network, no clock): what it reads, when, and how many
requests a second it spends."""

from __future__ import annotations

import pytest

from cswidgets.widgets.studio_table import live
from cswidgets.widgets.studio_table.live import ALL_PROJECTS, HOT_AFTER_S, MIN_PASS_S, TICK_S, Schedule


def _rows(projects: int, per_project: int, state: str = "STOPPED") -> dict[str, dict[str, str]]:
    return {f"P{p}/s{i}": {"project_key": f"P{p}", "state": state}
            for p in range(projects) for i in range(per_project)}


def _run(schedule: Schedule, rows, seconds: float, start: float = 0.0, busy=(), on_plan=None):
    """Tick for ``seconds`` (answering project lists from ``rows``); returns the plans and the requests."""
    plans, now = [], start
    while now < start + seconds:
        plan = schedule.plan(now, rows, busy)
        if plan.list_project == ALL_PROJECTS:
            schedule.set_projects(sorted({r["project_key"] for r in rows.values()}))
        elif plan.list_project is not None:
            schedule.listed([k for k, r in rows.items() if r["project_key"] == plan.list_project])
        schedule.read(plan.rows, now)
        if on_plan:
            on_plan(now, plan)
        plans.append((now, plan))
        now += TICK_S
    return plans, sum(p.cost for _, p in plans)


def test_the_steady_rate_stays_within_the_budget():
    rows = _rows(50, 200)  # 10,000 studios
    schedule = Schedule(20)
    _, requests = _run(schedule, rows, 60)
    assert 0.9 * 20 * 60 <= requests <= 20 * 60 + 20  # spends its budget, never more (one second of burst)


def test_a_pass_reads_every_row_and_lists_every_project():
    rows = _rows(5, 10)
    schedule = Schedule(100)
    plans, _ = _run(schedule, rows, 2)
    swept = [k for _, p in plans for k in p.sweep]
    listed = [p.list_project for _, p in plans if p.list_project is not None]
    assert sorted(set(swept)) == sorted(rows)
    assert listed[0] == ALL_PROJECTS and sorted(listed[1:6]) == [f"P{p}" for p in range(5)]
    assert schedule.passes == 1


def test_a_small_table_waits_between_passes():
    rows = _rows(2, 3)
    schedule = Schedule(20)
    _, requests = _run(schedule, rows, 3 * MIN_PASS_S)
    # a pass is 1 + 2 + 6 = 9 requests and the running tasks one a second: no pass more than every MIN_PASS_S
    assert schedule.passes == 3
    assert requests <= 3 * 9 + 3 * MIN_PASS_S + 2


def test_rows_in_transition_are_read_every_second_before_the_pass():
    rows = _rows(50, 200)
    rows["P7/s3"]["state"] = "STARTING"
    rows["P9/s9"]["state"] = "STOPPING"
    schedule = Schedule(20)
    reads = {"P7/s3": [], "P9/s9": []}
    _run(schedule, rows, 10, on_plan=lambda now, p: [reads[k].append(now) for k in p.hot if k in reads])
    for times in reads.values():
        gaps = [b - a for a, b in zip(times, times[1:])]
        assert len(times) >= 8 and max(gaps) <= 1.0 + TICK_S


def test_rows_acted_on_stay_hot_a_while_after():
    rows = _rows(3, 3)
    schedule = Schedule(20)
    schedule.heat(["P1/s1"], 0.0)
    plans, _ = _run(schedule, rows, HOT_AFTER_S + 3)
    hot_times = [now for now, p in plans if "P1/s1" in p.hot]
    assert hot_times and max(hot_times) < HOT_AFTER_S + TICK_S
    assert len(hot_times) >= HOT_AFTER_S - 1


def test_busy_rows_are_hot_while_their_action_runs():
    rows = _rows(3, 3)
    schedule = Schedule(20)
    plans, _ = _run(schedule, rows, 5, busy={"P2/s0"})
    assert sum("P2/s0" in p.hot for _, p in plans) >= 4


def test_running_tasks_are_read_about_every_second():
    rows = _rows(10, 10)
    schedule = Schedule(20)
    plans, _ = _run(schedule, rows, 10)
    times = [now for now, p in plans if p.tasks]
    assert 9 <= len(times) <= 11
    schedule.tasks_enabled = False
    plans, _ = _run(schedule, rows, 3, start=10)
    assert not any(p.tasks for _, p in plans)


def test_hot_rows_beyond_the_budget_wait_their_turn():
    rows = _rows(1, 100, state="STARTING")
    schedule = Schedule(20)
    plans, requests = _run(schedule, rows, 10)
    assert requests <= 20 * 10 + 20
    assert len({k for _, p in plans for k in p.hot}) == 100  # everyone is read, the oldest first


def test_forgotten_rows_are_not_read():
    rows = _rows(1, 10)
    schedule = Schedule(100)
    schedule.plan(0.0, rows)
    schedule.set_projects(["P0"])
    schedule.plan(TICK_S, rows)  # lists P0
    schedule.listed(list(rows))
    schedule.forget(["P0/s5"])
    del rows["P0/s5"]
    plan = schedule.plan(2 * TICK_S, rows)
    assert "P0/s5" not in plan.sweep


@pytest.mark.parametrize("bad", [0, -1, float("nan"), "20", True])
def test_a_bad_budget_is_refused(bad):
    with pytest.raises(ValueError, match="request budget"):
        Schedule(bad)


def test_a_table_over_some_projects_lists_those_only():
    rows = _rows(3, 2)
    schedule = Schedule(100, ["P1", "P2"])
    plans, _ = _run(schedule, rows, 1)
    listed = [p.list_project for _, p in plans if p.list_project is not None]
    assert listed[:2] == ["P1", "P2"] and ALL_PROJECTS not in listed


def test_rows_on_screen_come_first_and_the_pass_keeps_its_share():
    """10,000 rows at the default budget (2/s), 13 on screen: those are read at once (never read: stale), then
    each again within ~VISIBLE_EVERY_S; the rolling pass still gets its share; the mean rate stays within 2/s."""
    rows = _rows(50, 200)
    schedule = Schedule()
    assert schedule.budget == live.DEFAULT_BUDGET == 2
    visible = sorted(rows)[5000:5013]
    assert schedule.set_visible(visible, 0.0) == set(visible)  # never read: stale
    reads: dict[str, list[float]] = {}
    swept = []

    def note(now, plan):
        for key in plan.rows:
            reads.setdefault(key, []).append(now)
        swept.extend(plan.sweep)

    plans, requests = _run(schedule, rows, 120, on_plan=note)
    assert set(plans[0][1].stale) == set(visible)  # at once, on credit
    assert requests <= 2 * 120 + 1 + 13  # within the budget (and the first catch-up's credit, paid back)
    for key in visible:
        gaps = [b - a for a, b in zip(reads[key], reads[key][1:])]
        assert reads[key][0] == 0.0 and gaps[0] <= 20  # after the catch-up's credit is paid back
        assert max(gaps[1:]) <= live.STALE_AFTER_S  # then each within what a visible row is guaranteed
    assert len(swept) >= 0.8 * live.PASS_SHARE * 2 * 120  # the background pass goes on
    assert not schedule.stale


def test_a_row_scrolled_into_view_is_stale_only_when_old():
    rows = _rows(2, 10)
    schedule = Schedule()
    schedule.read(rows, 0.0)
    assert schedule.set_visible(["P0/s1"], 5.0) == set()  # read 5 s ago: fresh enough
    assert schedule.set_visible(["P0/s1", "P0/s2"], 5.0 + live.STALE_AFTER_S + 1) == {"P0/s2"}  # newly shown, old
    assert "P0/s1" not in schedule.stale  # it stayed on screen: re-read in turn, not marked
    schedule.read(["P0/s2"], 30.0)
    assert not schedule.stale


def test_nobody_looking_trickles_and_a_view_coming_back_catches_up():
    rows = _rows(50, 200)
    schedule = Schedule()
    visible = sorted(rows)[:13]
    schedule.set_visible(visible, 0.0)
    schedule.read(rows, 0.0)
    schedule.trickle = True
    plans, requests = _run(schedule, rows, 100, start=1.0)
    assert requests <= 0.2 * 100 + 1
    assert not any(p.visible or p.stale for _, p in plans)  # nobody sees them
    schedule.trickle = False
    stale = schedule.catch_up(101.0)
    assert stale and stale == {k for k in visible if schedule.age(k, 101.0) > live.STALE_AFTER_S}
    plan = schedule.plan(101.0, rows)
    assert set(plan.stale) == stale and plan.tasks  # at once: the visible rows and the running tasks


def test_the_back_off_scales_the_rate():
    rows = _rows(50, 200)
    schedule = Schedule()
    schedule.scale = 0.5
    _, requests = _run(schedule, rows, 60)
    assert requests <= 1.0 * 60 + 1


def test_a_row_just_named_by_a_task_is_read_before_the_other_hot_rows():
    rows = _rows(2, 10, state="STARTING")  # 20 rows in transition: more than the budget re-reads each second
    schedule = Schedule()
    schedule.read(rows, 0.0)
    schedule.read(["P1/s9"], 9.0)  # read recently: the last of the hot rows by age
    schedule.heat(["P1/s9"], 10.0)  # ... but a task names it now
    reads = []
    _run(schedule, rows, 3.0, start=10.0, on_plan=lambda now, plan: reads.extend(plan.hot))
    assert reads[0] == "P1/s9"
