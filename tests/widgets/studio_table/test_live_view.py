"""The live table reads what is seen (issue 22): the rows a view has on screen first, a row scrolled into view
marked stale until its re-read (at once), a trickle while nobody looks (no view, or every view hidden) and a
catch-up when a view comes back, and a rate halved while DSS answers slowly -- said in ``live_info``."""

from __future__ import annotations

import time

from cswidgets.api.load import Aimd
from cswidgets.widgets.studio_table import live as live_module
from tests.support import wait_for

from .conftest import show, viewport

STATUS = "/status"


def _status_reads(sim, since: int) -> list[str]:
    """Row keys whose status was read after the ``since``-th request of the simulator's log."""
    out = []
    for r in sim.requests[since:]:
        if r.path.endswith(STATUS) and "/code-studios/" in r.path:
            parts = r.path.split("/")  # /projects/P/code-studios/s/status
            out.append(f"{parts[2]}/{parts[4]}")
    return out


def _bulk(sim, projects: int = 4, per_project: int = 25) -> None:
    for p in range(projects):
        pk = sim.add_project(f"VIEW{p}")
        for i in range(per_project):
            sim.add_studio(pk, f"s{i}", "admin", "tpl_vscode")


def test_rows_scrolled_into_view_are_marked_stale_and_read_at_once(make_table, sim, monkeypatch):
    _bulk(sim)
    table = make_table()  # the default budget: 2 requests per second
    wait_for(lambda: table.live_refresher.passes >= 0 and table.live_info, timeout=5, what="the live reads")
    monkeypatch.setattr(live_module, "STALE_AFTER_S", 0.0)  # every row read at load counts as old
    keys = sorted(table.df.index)[-13:]  # far down the table: the rolling pass is nowhere near them
    since = len(sim.requests)
    scrolled = time.monotonic()
    viewport(table, keys)
    assert sorted(table.stale) == keys  # the view marks them at once
    wait_for(lambda: not table.stale, timeout=2, what="the stale rows re-read")
    assert time.monotonic() - scrolled < 1.5
    assert set(keys) <= set(_status_reads(sim, since))
    wait_for(lambda: table.live_info["visible"] == 13, timeout=3, what="live_info to count the rows on screen")


def test_rows_on_screen_are_read_before_the_others(make_table, sim, monkeypatch):
    _bulk(sim)
    monkeypatch.setattr(live_module, "VISIBLE_EVERY_S", 1.0)  # re-read on-screen rows every second
    table = make_table(request_budget=8)
    keys = sorted(table.df.index)[-5:]
    viewport(table, keys)
    since = len(sim.requests)
    time.sleep(4.0)
    reads = _status_reads(sim, since)
    assert all(reads.count(k) >= 2 for k in keys)  # each on-screen row every second or two, as asked...
    others = [k for k in reads if k not in keys]
    assert len(set(others)) < 0.2 * (len(table.df) - len(keys))  # ... the 110 others wait for the slow pass


def test_no_view_means_a_trickle(make_table, sim):
    table = make_table(viewed=False)  # created, never displayed
    wait_for(lambda: table.live_info.get("trickle"), timeout=5, what="the trickle")
    made = len(sim.requests)
    time.sleep(5.0)
    assert len(sim.requests) - made <= 2  # 0.2 requests per second
    assert not table.watched()


def test_a_hidden_view_trickles_and_catches_up_at_once_when_visible(make_table, sim, monkeypatch):
    _bulk(sim, 2, 20)
    table = make_table()
    keys = sorted(table.df.index)[:13]
    viewport(table, keys)
    wait_for(lambda: not table.stale, timeout=5, what="the first catch-up")
    show(table, state="hidden")  # the browser tab went to the background
    wait_for(lambda: table.live_info.get("trickle"), timeout=5, what="the trickle")
    made = len(sim.requests)
    time.sleep(5.0)
    assert len(sim.requests) - made <= 2
    monkeypatch.setattr(live_module, "STALE_AFTER_S", 0.0)  # what was read before is old now
    since = len(sim.requests)
    back = time.monotonic()
    show(table, state="visible")
    assert sorted(table.stale) == keys
    wait_for(lambda: set(keys) <= set(_status_reads(sim, since)), timeout=2, what="the visible rows re-read")
    assert time.monotonic() - back < 1.5
    assert any(r.path.rstrip("/") == "/futures" for r in sim.requests[since:])  # the running tasks too
    wait_for(lambda: not table.live_info.get("trickle"), timeout=3, what="live_info to say live again")


def test_a_slow_dss_halves_the_rate_and_says_so(make_table, sim):
    table = make_table(request_budget=8)
    # a quicker judge than the default (2 s answers 4x the usual): answers over 0.35 s are slow here (0.15 s was
    # too tight on a machine at load 4: answers of a fast DSS crossed it, and the recovery never came)
    table.live_refresher.aimd = Aimd(slow_s=0.35, slow_factor=3, cooldown_s=0.5)
    wait_for(lambda: table.live_info.get("effective") == 8, timeout=5, what="the full rate")
    sim.set_latency(800)
    wait_for(lambda: table.live_info.get("slowed") == "DSS answers slowly" and table.live_info["effective"] <= 4,
             timeout=15, what="the rate halved, and said so")
    # what it costs, by kind (the status reads' answers arrive 0.8 s late: wait for the first to be counted)
    wait_for(lambda: table.live_info["by_kind"].get("status", 0) > 0, timeout=10, what="the status reads counted")
    sim.set_latency(0)
    wait_for(lambda: not table.live_info.get("slowed") and table.live_info.get("effective") == 8, timeout=30,
             what="a gradual recovery")


def test_the_tasks_a_hidden_table_follows_trickle_too_and_catch_up(make_table, sim, client):
    sim.speed = 1  # an 8-second start: followed by the client's tracker meanwhile
    table = make_table()
    key = sorted(table.df.index[table.df["state"].astype(str) == "STOPPED"])[0]
    table.start(key)
    assert not client.tracker.live_info()["trickle"]
    show(table, state="hidden")
    wait_for(lambda: client.tracker.live_info()["trickle"], timeout=5, what="the tracker's trickle")
    show(table, state="visible")  # the table wakes the tracker: read at once
    wait_for(lambda: not client.tracker.live_info()["trickle"], timeout=2, what="the tracker live again")
    sim.speed = 100
    wait_for(lambda: not table.in_flight, timeout=10, what="the start to end")
