"""The live table against the simulator: on by default, transitions and other clients' starts and stops
shown within seconds, within its request budget, and honest when the connection is lost."""

from __future__ import annotations

import gc
import threading
import time
import weakref

import pytest

from cswidgets.api import connect
from cswidgets.widgets.studio_table import StudioTable
from cswidgets.widgets.studio_table import live as live_module
from tests.support import wait_for

from ..conftest import KEY
from .conftest import running_key, show, stopped_key


def _upserted(table, key, state=None) -> bool:
    return any(r["key"] == key and (state is None or r["state"] == state)
               for m in table.send.rows() for r in m["upsert"])


def test_live_is_on_by_default_and_its_thread_follows_the_switch(make_table):
    table = make_table()
    assert table.live and table.request_budget == 2
    # what the toolbar says: a small table is re-read every 10 s (a pass begins at most that often), not
    # every "0.8 s" its last pass lasted
    wait_for(lambda: table.live_info.get("pass_s") == live_module.MIN_PASS_S, timeout=5, what="live_info")
    thread = table.live_refresher.thread
    assert thread.is_alive()
    table.live = False  # the view's switch
    thread.join(5)
    assert not thread.is_alive()
    table.live = True
    wait_for(lambda: table.live_refresher.thread is not thread and table.live_refresher.thread.is_alive(),
             what="the live thread")


def test_a_start_from_the_panel_shows_starting_then_running(table, sim):
    sim.speed = 1  # an 8-second start
    key = stopped_key(table)
    table.start(key)
    wait_for(lambda: str(table.df.loc[key, "state"]) == "STARTING", timeout=3, what="STARTING in the row")
    assert _upserted(table, key, "STARTING")  # the view was told
    sim.speed = 100
    wait_for(lambda: str(table.df.loc[key, "state"]) == "RUNNING" and not table.in_flight, timeout=10,
             what="RUNNING")


def test_another_clients_start_is_seen_through_the_running_tasks(table, sim):
    """A start from elsewhere (another notebook, the DSS UI) shows within seconds, with its progress,
    although the table's rolling pass would take much longer to come back to that row."""
    sim.speed = 1
    key = stopped_key(table)
    pk, sid = key.split("/", 1)
    with live_module_pass_every(3600):
        _pass_done(table)  # the next pass is an hour away: only the task can tell
        other = connect(url=sim.url, api_key=KEY, retries=0)
        try:
            other.get_project(pk).get_code_studio(sid).restart()
            wait_for(lambda: key in table.transitions, timeout=5, what="the task in transitions")
            seen = table.transitions[key]
            assert seen["action"] in ("start", "restart") and seen["progress"]["status"] == "running"
            wait_for(lambda: str(table.df.loc[key, "state"]) == "STARTING", timeout=3, what="STARTING")
            sim.speed = 100
            wait_for(lambda: str(table.df.loc[key, "state"]) == "RUNNING", timeout=10, what="RUNNING")
            wait_for(lambda: key not in table.transitions, timeout=5, what="the task to leave")
        finally:
            other.close()


def _pass_done(table) -> None:
    """As if the table's rolling pass had just ended: the next begins in ``live.MIN_PASS_S``."""
    table.live_refresher.skip_rest_of_pass()


class live_module_pass_every:
    """Let the rolling pass begin at most every ``seconds`` (restored on exit)."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds

    def __enter__(self):
        self.saved = live_module.MIN_PASS_S
        live_module.MIN_PASS_S = self.seconds

    def __exit__(self, *exc):
        live_module.MIN_PASS_S = self.saved


def test_a_change_without_a_task_is_seen_by_the_rolling_pass(table, sim):
    key = running_key(table)
    pk, sid = key.split("/", 1)
    before = table.updated_ms
    with live_module_pass_every(0.5):
        sim.set_state(pk, sid, "STOPPED")  # no task: only re-reading the row tells
        wait_for(lambda: str(table.df.loc[key, "state"]) == "STOPPED", timeout=10, what="the rolling pass")
        wait_for(lambda: table.updated_ms > before, timeout=5, what="updated to move on after a pass")


def test_studios_created_and_deleted_elsewhere_come_and_go(table, sim):
    pk = table.df["project_key"].iloc[0]
    gone = stopped_key(table)
    with live_module_pass_every(0.5):
        sid = sim.add_studio(pk, "made elsewhere", "admin", "tpl_vscode", state="RUNNING")
        sim.model.delete_studio(*gone.split("/", 1), "admin")
        wait_for(lambda: f"{pk}/{sid}" in table.df.index and gone not in table.df.index, timeout=10,
                 what="the new row and the deleted one gone")
    assert str(table.df.loc[f"{pk}/{sid}", "state"]) == "RUNNING"  # read before it was shown
    assert table.summary["total"] == len(table.df)


def test_the_live_refresh_stays_within_its_budget(make_table, sim):
    for p in range(6):  # 6 x 20 more studios: a pass is longer than the measure
        pk = sim.add_project(f"BULK{p}")
        for i in range(20):
            sim.add_studio(pk, f"s{i}", "admin", "tpl_vscode")
    table = make_table(request_budget=8)
    start = len(sim.requests)
    began = time.monotonic()
    wait_for(lambda: len(sim.requests) - start >= 24, timeout=10, what="some live reads")
    time.sleep(3)  # measure a steady stretch: the rate is the point
    made, took = len(sim.requests) - start, time.monotonic() - began
    assert made <= 8 * took + 8 + 2  # the budget, one second of burst, and the rounding of a tick
    assert made >= 0.5 * 8 * took  # and it uses it (a pass over 140 studios is not over yet)
    assert table.live_rate() <= 8 + 1


def test_a_lost_connection_is_said_and_the_rows_kept_then_it_recovers(table, sim):
    rows = table.df
    updated = table.updated_ms
    with live_module_pass_every(0.5):
        sim.set_faults(rate=1.0, kinds=["reset"])
        wait_for(lambda: any(a.get("key") == "load" and "Connection lost" in a["message"] for a in table.alerts),
                 timeout=10, what="connection lost")
        assert table.df.equals(rows)  # as last read: no row turned UNKNOWN
        assert table.updated_ms == updated
        sim.clear_faults()
        wait_for(lambda: not any(a.get("key") == "load" for a in table.alerts), timeout=20, what="the alert to clear")
        wait_for(lambda: table.updated_ms > updated, timeout=10, what="updated to move on again")


def test_a_studio_whose_status_is_refused_keeps_its_row_and_says_why(table, sim):
    key = stopped_key(table)
    sid = key.split("/", 1)[1]
    before = table.df.loc[key].copy()
    with live_module_pass_every(0.5):
        sim.set_faults(rate=1.0, kinds=["500"], methods=["GET"], path_contains=f"/{sid}/status")
        wait_for(lambda: any(a.get("key") == "unreadable" for a in table.alerts), timeout=10, what="the alert")
        assert str(table.df.loc[key, "state"]) == str(before["state"])
        sim.clear_faults()
        wait_for(lambda: not any(a.get("key") == "unreadable" for a in table.alerts), timeout=10,
                 what="the alert to clear")


def test_a_non_admin_follows_their_own_tasks(sim, make_table):
    """Listing every user's tasks needs an admin: a user's table falls back to their own (started from
    another notebook of theirs), and says nothing alarming about it."""
    sim.speed = 1
    sim.add_user("bob2", "bob2-key")
    pk = sim.add_project("BOBS", owner="bob2")
    sid = sim.add_studio(pk, "Bob's", "bob2", "tpl_vscode")
    bob = connect(url=sim.url, api_key="bob2-key", retries=0)
    other = connect(url=sim.url, api_key="bob2-key", retries=0)
    try:
        table = make_table(client_=bob)
        with live_module_pass_every(3600):
            _pass_done(table)
            other.get_project(pk).get_code_studio(sid).restart()
            wait_for(lambda: f"{pk}/{sid}" in table.transitions, timeout=5, what="bob's own task")
        assert table.live_refresher.tasks_all_users is False
        assert not [a for a in table.alerts if a["level"] == "error"]
    finally:
        bob.close()
        other.close()


def test_close_and_collection_stop_the_live_thread(client, sim):
    table = StudioTable(client, request_budget=20)
    show(table)
    thread, refresher = table.live_refresher.thread, weakref.ref(table.live_refresher)
    wait_for(lambda: refresher().passes >= 1, what="a first pass")
    from ipywidgets.widgets import widget as ipywidget

    ipywidget._instances.pop(table.model_id)  # what a kernel never does for an open widget: let it go
    table.comm.on_msg(None)
    ref = weakref.ref(table)
    del table
    wait_for(lambda: gc.collect() is not None and ref() is None, timeout=10, what="the table to be collected")
    thread.join(5)
    assert not thread.is_alive()
    made = len(sim.requests)
    time.sleep(1)  # four ticks: a live table would have read something
    assert len(sim.requests) == made


@pytest.mark.parametrize("closed", ["the table", "its client"])
def test_closing_ends_the_live_thread(make_table, client, closed):
    table = make_table()
    thread = table.live_refresher.thread
    (table if closed == "the table" else client).close()
    thread.join(5)
    assert not thread.is_alive()
    assert not any(t is thread for t in threading.enumerate())


def test_the_live_reads_trickle_while_no_view_is_open(table, sim):
    """Once shown, a table whose views are all closed (its output cleared, its cell re-run) drops to a trickle
    (0.2 requests per second), and is live again when a view opens: re-running a cell does not pile up pollers."""
    show(table, state="closed")
    wait_for(lambda: table.live_info.get("trickle"), timeout=5, what="the live reads to trickle")
    made = len(sim.requests)
    time.sleep(3.0)  # twelve ticks: a live table at 20/s would have read DSS dozens of times
    # 0.2 per second: one read, plus what it makes read at once (a studio a task names for the first time, a new
    # studio in a listing), paid back before the next read (CI once saw a read and its follow-up in this window)
    assert len(sim.requests) - made <= 2, [r.raw_path for r in sim.requests[made:]]
    show(table, view="v2")
    wait_for(lambda: len(sim.requests) > made + 3 and not table.live_info.get("trickle"), timeout=5,
             what="the live reads to resume")


def test_a_view_that_falls_silent_counts_as_closed(table, monkeypatch):
    from cswidgets.widgets.studio_table import refresher

    assert table.watched()
    monkeypatch.setattr(refresher, "VIEW_SILENT_S", 0.0)
    wait_for(lambda: not table.watched(), timeout=2, what="the silent view to count as closed")


@pytest.mark.parametrize(("seconds", "live"), [(0, False), (30, True)])
def test_auto_refresh_s_of_the_previous_release_still_works(client, seconds, live):
    from cswidgets.widgets.dashboard import Dashboard

    with pytest.warns(DeprecationWarning, match="auto_refresh_s is replaced by live"):
        table = StudioTable(client, auto_refresh_s=seconds)
    with pytest.warns(DeprecationWarning, match="auto_refresh_s"):
        dash = Dashboard(client, auto_refresh_s=seconds)
    try:
        assert table.live is live and dash.table.live is live
    finally:
        table.close()
        dash.close()


def test_a_new_studio_listed_with_a_malformed_id_shows_its_error_and_the_others_still_come(table, sim):
    """An id no handle can take (here over 1,000 characters) came back from the listing: the live pass
    raised ValueError on it at every tick, and no other new studio of that project was ever shown."""
    pk = table.df["project_key"].iloc[0]
    odd = "x" * 1001
    with live_module_pass_every(0.5):
        sim.add_studio(pk, "odd one", "admin", "tpl_vscode", studio_id=odd)
        sid = sim.add_studio(pk, "made elsewhere", "admin", "tpl_vscode", state="RUNNING")
        wait_for(lambda: f"{pk}/{sid}" in table.df.index and f"{pk}/{odd}" in table.df.index, timeout=10,
                 what="both new rows")
        assert str(table.df.loc[f"{pk}/{sid}", "state"]) == "RUNNING"
        assert "malformed code studio entry: id is longer than 1,000 characters" in table.df.loc[f"{pk}/{odd}", "error"]
        _pass_done(table)
        table.live_refresher.heat([f"{pk}/{odd}"])  # re-read soon: never asked, never fails
        sim.clear_requests()
        wait_for(lambda: len(sim.requests) > 3, timeout=10, what="more live reads")
        assert not [r for r in sim.requests if odd in r.path]
        assert f"{pk}/{odd}" in table.df.index and table.df.loc[f"{pk}/{sid}", "error"] is None


def test_the_live_loop_s_wake_up_call_is_kept_until_taken_and_safe_from_a_finalizer():
    """The table's finalizer wakes the loop (a collected table's loop ends at once). It must not take a lock the
    waiting thread may hold when a garbage collection runs it: the wake-up is a SimpleQueue put (reentrant)."""
    from cswidgets.widgets.studio_table.refresher import Wake

    wake = Wake()
    assert wake.wait(0) is False
    wake.set()
    wake.set()  # two calls before the loop looks: one wake-up, both taken
    assert wake.wait(0) is True
    assert wake.wait(0) is False
    got = []
    waiter = threading.Thread(target=lambda: got.append(wake.wait(10)))
    waiter.start()

    class Table:
        pass

    table = Table()
    weakref.finalize(table, wake.set)
    del table  # collected: its finalizer wakes the waiting thread
    waiter.join(5)
    assert got == [True]
