"""Viewers of one client share the studio: one sync per zone at a time across all of them, the table
reuses one viewer per studio, and a viewer follows a studio that the table started or stopped."""

from __future__ import annotations

import threading

import pytest

from cswidgets.api import connect
from cswidgets.widgets.conflicts import ConflictViewer, ZoneBusy
from cswidgets.widgets.studio_table import StudioTable

from ...support import Recorder, ask, wait_for
from .conftest import KEY, ZONE, sync_requests


def blocking_pull(studio):
    """Make ``studio``'s pulls wait until the returned event is set; also returns an event set when a
    pull has started."""
    release, started = threading.Event(), threading.Event()
    real = studio.pull_from_code_studio

    def pull(zone_id):
        started.set()
        assert release.wait(15), "the test never released the pull"
        return real(zone_id)

    studio.pull_from_code_studio = pull
    return release, started


def test_a_second_viewer_cannot_sync_a_zone_another_viewer_is_syncing(sim, client, studio):
    first = ConflictViewer(studio)
    second = ConflictViewer(client.get_project(studio.project_key).get_code_studio(studio.id))
    release, started = blocking_pull(first.studio)
    running = threading.Thread(target=first.pull, args=(ZONE,), kwargs={"force": True})
    running.start()
    try:
        assert started.wait(15)
        with pytest.raises(ZoneBusy, match="A pull of Project libraries is already running from another viewer"):
            second.pull(ZONE, force=True)
        with pytest.raises(ZoneBusy, match="already running from another viewer"):
            second.push(ZONE, force=True)
        reply = ask(second, "pull", zone=second.zones[0]["key"], confirm=None)  # the panel says so too
        assert reply["ok"] is False and "already running from another viewer" in reply["error"]
        assert second.activity[-1]["outcome"] == "refused"
        second.check(ZONE)  # a check is harmless: allowed meanwhile
        second.push("recipes", force=True)  # another zone is free
        assert len(sync_requests(sim, studio, "pull")) == 0  # the blocked pull has not been sent yet
    finally:
        release.set()
        running.join(15)
    assert len(sync_requests(sim, studio, "pull")) == 1  # only the first viewer's
    second.pull(ZONE, force=True)  # free again once it ended
    assert len(sync_requests(sim, studio, "pull")) == 2
    first.close()
    second.close()


def test_viewers_of_another_connection_do_not_share_the_claims(sim, studio):
    other = connect(sim.url, KEY)
    first = ConflictViewer(studio)
    second = ConflictViewer(other.get_project(studio.project_key).get_code_studio(studio.id))
    release, started = blocking_pull(first.studio)
    running = threading.Thread(target=first.pull, args=(ZONE,), kwargs={"force": True})
    running.start()
    try:
        assert started.wait(15)
        second.pull(ZONE, force=True)  # a separate client: DSS itself arbitrates
    finally:
        release.set()
        running.join(15)
        first.close()
        second.close()
        other.close()


def test_a_viewer_follows_the_table_starting_and_stopping_its_studio(sim, client):
    pk = sim.add_project("CVFOLLOW")
    sid = sim.add_studio(pk, "Follow", "admin", "tpl_vscode", state="STOPPED")
    viewer = ConflictViewer(client.get_project(pk).get_code_studio(sid))
    table = StudioTable(client, [pk])
    table.send = Recorder()
    try:
        assert viewer.studio_view["state"] == "STOPPED" and viewer.zones == []
        table.start(f"{pk}/{sid}")
        wait_for(lambda: viewer.studio_view.get("running") and viewer.zones, what="the viewer to show the zones")
        wait_for(lambda: all(z["status"] != "unchecked" and not z["busy"] for z in viewer.zones),
                 what="the zones to be checked")
        assert viewer.studio_view["can_start"] is False
        # the viewer learns the state from the table's reads, before the table's start has ended there
        wait_for(lambda: not table.in_flight, what="the table's start to end")
        table.stop(f"{pk}/{sid}")
        wait_for(lambda: viewer.studio_view.get("state") == "STOPPED", what="the viewer to show the stop")
        assert viewer.zones == [] and viewer.studio_view["can_start"] is True
    finally:
        table.close()
        viewer.close()


def test_the_table_reuses_one_viewer_per_studio(sim, client, studio, monkeypatch):
    import IPython.display

    shown = []
    monkeypatch.setattr(IPython.display, "display", lambda *objs, **kw: shown.extend(objs))
    table = StudioTable(client, [studio.project_key])
    table.send = Recorder()
    key = f"{studio.project_key}/{studio.id}"
    try:
        table.open_conflicts(key)
        table.open_conflicts(key)
        assert len(shown) == 2 and shown[0] is shown[1]
        shown[0].close()
        table.open_conflicts(key)  # a closed viewer is replaced
        assert shown[2] is not shown[0] and isinstance(shown[2], ConflictViewer)
    finally:
        table.close()
        for viewer in shown:
            viewer.close()


def test_a_deleted_studio_s_viewer_says_so_and_its_alerts_do_not_follow_to_the_next_studio(sim, client):
    """Issue 24 (7): after a delete the viewer showed RUNNING with working Pull/Push, then a 404 whose alert
    followed the user to the next studio."""
    pk = sim.add_project("CVGONE")
    gone = sim.add_studio(pk, "Gone", "admin", "tpl_vscode", state="RUNNING")
    other = sim.add_studio(pk, "Other", "admin", "tpl_vscode", state="RUNNING")
    viewer = ConflictViewer(client.get_project(pk).get_code_studio(gone))
    table = StudioTable(client, [pk])
    table.send = Recorder()
    try:
        assert viewer.studio_view["running"] and viewer.zones
        table.delete(f"{pk}/{gone}")  # the table drops the row: the viewer reads the studio again, DSS says 404
        wait_for(lambda: viewer.studio_view.get("deleted"), what="the viewer to show the studio deleted")
        view = viewer.studio_view
        assert view["running"] is False and view["can_start"] is False and view["state"] is None
        assert "was deleted" in view["message"] and viewer.zones == []
        reply = ask(viewer, "pull", zone=ZONE)  # a click that raced the update: refused, no 404 alert
        assert reply["ok"] and reply["result"]["accepted"] is False and "deleted" in reply["result"]["reason"]
        viewer.add_alert("Could not pull zone Project libraries: not found (404)", key="zone:Project libraries")
        viewer.studio = client.get_project(pk).get_code_studio(other)  # moving on: the old alerts stay behind
        assert viewer.alerts == [] and viewer.studio_view["running"] and not viewer.studio_view["deleted"]
    finally:
        table.close()
        viewer.close()


def test_a_viewer_learns_a_deletion_from_any_404_without_a_table(sim, client):
    pk = sim.add_project("CVGONE2")
    sid = sim.add_studio(pk, "Gone", "admin", "tpl_vscode", state="RUNNING")
    viewer = ConflictViewer(client.get_project(pk).get_code_studio(sid))
    try:
        client.get_project(pk).get_code_studio(sid).delete()  # deleted elsewhere (another client)
        result = viewer.refresh()
        assert result["error"] is None and result.get("deleted") is True
        assert viewer.studio_view["deleted"] and viewer.alerts == []
        assert "'Gone' in CVGONE2, deleted" in repr(viewer)  # not "state unknown"
        assert "was deleted" in viewer._static_html()
    finally:
        viewer.close()


def test_the_table_s_conflicts_button_reveals_an_open_viewer(sim, client, studio, monkeypatch):
    import IPython.display

    monkeypatch.setattr(IPython.display, "display", lambda *objs, **kw: None)
    table = StudioTable(client, [studio.project_key])
    table.send = Recorder()
    key = f"{studio.project_key}/{studio.id}"
    try:
        table.open_conflicts(key)
        viewer = table._viewers[(studio.project_key, studio.id)]
        viewer.send = Recorder()
        table.open_conflicts(key)  # the viewer is shown already (maybe below the fold): bring it into sight
        assert {"kind": "reveal"} in viewer.send
    finally:
        table.close()
        for viewer in table._viewers.values():
            viewer.close()
