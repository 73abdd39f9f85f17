"""Panels own their threads (issue 12): one panel's slow work never delays another panel's
buttons, and close() leaves no thread of the panel running. No kernel: the tests act as the front
end (``tests.support.ask``)."""

from __future__ import annotations

import threading
import time

import pytest

from cswidgets.widgets.activity import ActivityLog, ActivityPanel
from cswidgets.widgets.conflicts import ConflictViewer
from cswidgets.widgets.dashboard import Dashboard
from cswidgets.widgets.future_progress import FutureProgress
from cswidgets.widgets.studio_table import StudioTable
from cswidgets.widgets.template_builds import TemplateBuilds
from tests.support import ask, record, wait_for

STALL_S = 6.0


def threads_of(*prefixes: str) -> list[str]:
    return [t.name for t in threading.enumerate() if t.is_alive() and t.name.startswith(prefixes)]


def test_eight_stalled_refreshes_on_one_panel_do_not_delay_another_panels_button(sim, client):
    table = StudioTable(client)
    builds = TemplateBuilds(client)
    record(table)
    record(builds)
    try:
        sim.set_faults(rate=1.0, kinds=["stall"], stall_s=STALL_S, methods=["GET"], path_contains="/projects")
        for i in range(8):  # as many as the old shared pool had workers
            table._handle_custom_msg({"kind": "refresh", "id": f"stalled-{i}"}, [])
        wait_for(lambda: table.loading, what="the table's refresh to be stalled")
        started = time.monotonic()
        reply = ask(builds, "refresh", timeout=STALL_S)
        elapsed = time.monotonic() - started
        assert reply["ok"] is True and reply["result"]["templates"] > 0
        assert elapsed < STALL_S / 3, f"the other panel's button waited {elapsed:.1f} s"
        assert table.send.reply("stalled-0") is None  # the stalled panel is indeed still busy
    finally:
        sim.clear_faults()
        table.close()
        builds.close()


def test_a_refresh_of_the_conflict_viewer_frees_its_worker_and_answers_when_checks_end(client, sim):
    """The reply is sent when the last zone check ends; no job waits on another job meanwhile."""
    pk = sim.add_project("OWN1")
    sid = sim.add_studio(pk, "Own", "admin", "tpl_vscode", state="RUNNING")
    viewer = ConflictViewer(client.get_project(pk).get_code_studio(sid))
    try:
        reply = ask(viewer, "refresh")
        assert reply["ok"] is True and reply["result"] == {"outcome": "done"}
        assert viewer.zones and all(z["status"] != "unchecked" and not z["busy"] for z in viewer.zones)
        assert viewer.checking is False
        assert viewer.activity[-1]["what"] == "check all" and viewer.activity[-1]["outcome"] == "done"
    finally:
        viewer.close()


@pytest.mark.parametrize("kind", ["StudioTable", "ConflictViewer", "TemplateBuilds", "ActivityPanel",
                                  "FutureProgress"])
def test_close_leaves_no_thread_of_the_panel_running(kind, sim, client, monkeypatch):
    if kind == "StudioTable":
        panel = StudioTable(client)
        ask(panel, "refresh")
    elif kind == "ConflictViewer":
        pk = sim.add_project("OWN2")
        sid = sim.add_studio(pk, "Own", "admin", "tpl_vscode", state="RUNNING")
        panel = ConflictViewer(client.get_project(pk).get_code_studio(sid))  # zone checks: check pool
        ask(panel, "refresh")
    elif kind == "TemplateBuilds":
        panel = TemplateBuilds(client)
        ask(panel, "refresh")
    elif kind == "ActivityPanel":
        monkeypatch.setattr("cswidgets.widgets.activity.panel.FLUSH_S", 60.0)  # a pending flush timer
        log = ActivityLog()
        panel = ActivityPanel(log)
        record(panel)
        log.record(what="check", outcome="done", started=time.monotonic())
    else:
        from cswidgets.api import Future

        future = client.get_code_studio_template("tpl_vscode").build()
        bare = Future(client._transport, future.job_id, {"jobId": future.job_id})  # its own tracker
        panel = FutureProgress(bare)
        ask(panel, "abort")
    assert threads_of(panel.thread_prefix), "the panel started no thread: the test proves nothing"
    panel.close()
    wait_for(lambda: not threads_of(panel.thread_prefix), timeout=5, what=f"{kind}'s threads to end")
    if kind == "FutureProgress":
        wait_for(lambda: not panel._own_tracker or not panel._own_tracker.running, what="its tracker")


def test_dashboard_close_closes_its_panels_and_their_threads(client):
    dash = Dashboard(client)
    parts = (dash.table, dash.conflicts, dash.builds, dash._activity)
    for panel in parts:
        record(panel)
    key = dash.table.df.index[dash.table.df["state"].astype(str) == "RUNNING"][0]
    ask(dash.table, "select", add=[key])  # the dashboard opens that studio's zones (its own worker)
    wait_for(lambda: dash.conflicts.studio is not None and not dash.conflicts.checking and dash.conflicts.zones,
             what="the selected studio's zones")
    prefixes = (dash.thread_prefix, *(p.thread_prefix for p in parts))
    assert threads_of(*prefixes)
    dash.close()
    assert all(p.comm is None for p in parts)
    wait_for(lambda: not threads_of(*prefixes), timeout=5, what="the dashboard's threads to end")
