"""StudioTable against the simulator, without a kernel: the test plays the front end."""

from __future__ import annotations

import gc
import json
import threading
import weakref

import pandas as pd
import pytest

from cswidgets.api import connect
from cswidgets.widgets.studio_table import StudioTable
from tests.support import Recorder, ask, wait_for

from .conftest import running_key, stopped_key

HOSTILE = "<img src=x onerror=alert(1)>"


def state_in_sim(sim, key: str) -> str:
    pk, sid = key.split("/", 1)
    return sim.status(pk, sid)["state"]


# -- traits, repr, fallbacks ------------------------------------------------------------------------
def test_loads_every_studio_with_counts_and_stable_repr(make_table, sim):
    sim.speed = 0  # freeze simulated time so the table and the simulator are compared at one instant
    table = make_table()
    expected = {f"{pk}/{sid}" for pk in sim.project_keys() for sid in sim.studio_ids(pk)}
    assert set(table.df.index) == expected
    running = sum(state_in_sim(sim, k) == "RUNNING" for k in expected)
    assert table.summary["total"] == len(expected)
    assert table.summary["running"] == running
    assert repr(table) == f"<StudioTable: {len(expected)} studios · {running} running>"
    assert table.loading is False
    assert list(table.df.columns)[:3] == ["project_key", "id", "name"]
    assert table.df.index.name == "key"
    assert isinstance(table.df["last_state_change"].dtype, pd.DatetimeTZDtype)


def test_marks_the_simulator(table):
    assert table.is_simulator is True


#: Synced traits keyed by row key by design: marks on rows (an action in flight, a transition another client started,
#: a stale row, a refused action, the selection), never the rows' content.
ROW_MARKS = ("in_flight", "transitions", "stale", "denied", "selection")


def test_rows_are_not_synced_traits(table):
    # front-end code, and its configuration (the declared columns: the same size whatever the rows)
    state = {k: v for k, v in table.get_state().items() if k not in ("_esm", "_css", "config")}
    text = json.dumps(state, default=str)
    assert len(text) < 2_000, text
    # the rows travel as messages: outside the marks (a transition names who started it), no studio's key, name,
    # owner or template is in the state
    rest = json.dumps({k: v for k, v in state.items() if k not in ROW_MARKS}, default=str)
    rows = table.df
    found = [v for col in ("name", "owner", "template_id") for v in set(rows[col].dropna()) if f'"{v}"' in rest]
    assert not found, (found, rest)
    assert "SALES_FORECAST/" not in rest, rest
    assert "api_key" not in text


def test_static_html_escapes_and_text_repr(make_table, sim):
    sim.add_studio("CHURN_MODEL", HOSTILE, HOSTILE, sim.template_ids()[0])
    table = make_table()
    bundle = table._repr_mimebundle_()
    data = bundle[0] if isinstance(bundle, tuple) else bundle
    assert "<img" not in data["text/html"]
    assert "&lt;img src=x onerror=alert(1)&gt;" in data["text/html"]
    assert "<th scope='col'>State</th>" in data["text/html"]
    assert data["text/plain"] == repr(table)


def test_unknown_keyword_is_a_type_error(client):
    with pytest.raises(TypeError, match="colour"):
        StudioTable(client, colour="red")


# -- rows: snapshot and diffs -------------------------------------------------------------------------
def test_snapshot_returns_every_row_with_its_version(table):
    reply = ask(table, "snapshot")
    assert reply["ok"] is True
    rows = reply["result"]["rows"]
    assert {r["key"] for r in rows} == set(table.df.index)
    assert reply["result"]["seq"] == table.store.seq
    row = next(r for r in rows if r["state"] == "RUNNING")
    assert row["exposed"] and all(u.startswith("http://127.0.0.1:") for u in row["exposed"])
    assert row["zones"] and isinstance(row["zones"][0], str)
    assert isinstance(row["last_state_change"], int)


def test_first_load_sends_a_reset(client, monkeypatch):
    recorder = Recorder()
    monkeypatch.setattr(StudioTable, "send", recorder)
    table = StudioTable(client)
    try:
        (msg,) = recorder.rows()
        assert msg["op"] == "reset"
        assert len(msg["upsert"]) == len(table.df)
    finally:
        table.close()


def test_refresh_sends_only_the_changed_rows(table, sim):
    sim.speed = 0  # freeze simulated time: only our changes happen
    ask(table, "refresh")
    table.send.clear()
    base = table.store.seq
    assert ask(table, "refresh")["result"]["upserted"] == 0
    assert table.send.rows() == []  # nothing changed: nothing sent

    key = running_key(table)
    pk, sid = key.split("/", 1)
    sim.set_state(pk, sid, "STOPPED")
    new_id = sim.add_studio(pk, "Brand new", "alice", sim.template_ids()[0])
    gone = stopped_key(table)
    gpk, gsid = gone.split("/", 1)
    table.client.get_project(gpk).get_code_studio(gsid).delete()

    reply = ask(table, "refresh")
    assert reply["ok"] is True
    (msg,) = table.send.rows()
    assert msg["op"] == "patch"
    assert msg["base"] == base and msg["seq"] == base + 1
    assert {r["key"] for r in msg["upsert"]} == {key, f"{pk}/{new_id}"}
    assert msg["remove"] == [gone]
    assert next(r for r in msg["upsert"] if r["key"] == key)["state"] == "STOPPED"
    assert table.df.loc[key, "state"] == "STOPPED"
    assert gone not in table.df.index


def test_background_load_shows_loading_then_rows(make_table, sim):
    sim.latency_ms = 200
    table = make_table(wait=False)
    assert table.loading is True
    assert repr(table) == "<StudioTable: loading>"
    wait_for(lambda: not table.loading and len(table.df) > 0, what="background load")


# -- actions ----------------------------------------------------------------------------------------
def test_stop_through_a_message_reaches_the_simulator_and_updates_the_row(table, sim):
    key = running_key(table)
    reply = ask(table, "stop", row=key)
    assert reply["ok"] is True and reply["result"]["accepted"] is True
    wait_for(lambda: not table.in_flight, what="stop to finish")
    assert state_in_sim(sim, key) == "STOPPED"
    assert table.df.loc[key, "state"] == "STOPPED"
    patches = [m for m in table.send.rows() if any(r["key"] == key and r["state"] == "STOPPED" for r in m["upsert"])]
    assert patches, "the row's new state was sent to the view"
    (entry,) = table.activity
    assert entry["what"] == "stop" and entry["outcome"] == "done"
    assert (entry["project_key"], entry["studio_id"]) == tuple(key.split("/", 1))
    assert entry["duration_s"] >= 0 and entry["when"].endswith("+00:00")
    assert entry["who"] == "admin" and entry["panel"] == "studios"  # the key's login (GET /auth/info)


def test_who_is_the_login_of_the_client_key_or_the_user_given(make_table, sim):
    alice = connect(url=sim.url, api_key=sim.keys["alice"], retries=0)
    try:
        table = make_table(client_=alice)
        table.on_conflicts(lambda pk, sid: None)
        table.open_conflicts(running_key(table))
        named = make_table(user="Alice Liddell")
        named.on_conflicts(lambda pk, sid: None)
        named.open_conflicts(running_key(named))
    finally:
        alice.close()
    assert [e["who"] for e in table.activity] == ["alice"]
    assert [e["who"] for e in named.activity] == ["Alice Liddell"]


def test_a_shared_log_gets_the_entries_and_activity_keeps_the_table_own(make_table):
    from cswidgets.widgets.activity import ActivityLog

    shared = ActivityLog()
    one, two = make_table(activity_log=shared), make_table(activity_log=shared)
    got = []
    one.on_activity(got.append)
    for table in (one, two):
        table.on_conflicts(lambda pk, sid: None)
        table.open_conflicts(running_key(table))
    assert one.activity_log is shared and len(shared) == 2
    assert one.activity == shared.entries()[:1] and two.activity == shared.entries()[1:]
    assert [e["id"] for e in got] == [one.activity[0]["id"]] * 2  # begin and end of its own action only


def test_start_then_restart_labels(table, sim):
    key = stopped_key(table)
    assert ask(table, "start", row=key)["result"] == {"accepted": True, "action": "start"}
    wait_for(lambda: not table.in_flight, what="start to finish")
    assert state_in_sim(sim, key) == "RUNNING"
    assert table.df.loc[key, "state"] == "RUNNING"
    assert table.df.loc[key, "zones"], "a running studio has zones"
    assert ask(table, "start", row=key)["result"]["action"] == "restart"


def test_action_shows_progress_while_in_flight(make_table, sim):
    sim.speed = 2  # a stop now takes ~1.5 s
    table = make_table()
    key = running_key(table)
    seen = []
    table.observe(lambda ch: seen.append(ch["new"].get(key)), names=["in_flight"])
    ask(table, "stop", row=key)
    assert table.in_flight[key]["action"] == "stop"
    wait_for(lambda: not table.in_flight, timeout=20, what="stop to finish")
    views = [v["progress"] for v in seen if v]
    assert views and all(set(v) == {"status", "stage", "fraction", "elapsed_s", "eta_s", "message"} for v in views)
    assert any(v["elapsed_s"] is not None for v in views)


def test_double_click_sends_one_stop(make_table, sim):
    sim.speed = 2
    table = make_table()
    key = running_key(table)
    pk, sid = key.split("/", 1)
    sim.clear_requests()
    ids = ["d1", "d2", "d3"]
    for msg_id in ids:  # three clicks arriving together, handled on worker threads
        table._handle_custom_msg({"kind": "stop", "id": msg_id, "row": key}, [])
    replies = [wait_for(lambda i=i: table.send.reply(i), what="reply") for i in ids]
    assert sorted(r["result"]["accepted"] for r in replies) == [False, False, True]
    posts = [r for r in sim.requests if r.method == "POST" and r.path == f"/projects/{pk}/code-studios/{sid}/stop"]
    assert len(posts) == 1
    assert table.alerts == []  # a double click is not an error
    wait_for(lambda: not table.in_flight, timeout=20, what="stop to finish")


def test_other_action_while_in_flight_is_refused_with_a_message(make_table, sim):
    sim.speed = 2
    table = make_table()
    key = running_key(table)
    ask(table, "stop", row=key)
    reply = ask(table, "start", row=key)
    assert reply["ok"] is False and "still in progress" in reply["error"]
    assert "still in progress" in table.alerts[-1]["message"]
    wait_for(lambda: not table.in_flight, timeout=20, what="stop to finish")


def test_batch_stop_of_the_selection(table, sim):
    running = list(table.df.index[table.df["state"].astype(str) == "RUNNING"][:2])
    stopped = stopped_key(table)
    table.selected = [*running, stopped]
    result = ask(table, "batch", op="stop", rows=list(table.selection))["result"]
    assert sorted(result["accepted"]) == sorted(running)
    assert result["skipped"] == [{"key": stopped, "reason": "not running (STOPPED)"}]
    wait_for(lambda: not table.in_flight, timeout=20, what="batch to finish")
    assert [state_in_sim(sim, k) for k in running] == ["STOPPED", "STOPPED"]
    assert {e["outcome"] for e in table.activity} == {"done"}


def test_python_batch_start_selected(table, sim):
    keys = list(table.df.index[table.df["state"].astype(str) == "STOPPED"][:2])
    table.selected = table.df.loc[keys]
    table.start_selected()
    wait_for(lambda: not table.in_flight, timeout=20, what="starts to finish")
    assert [state_in_sim(sim, k) for k in keys] == ["RUNNING", "RUNNING"]


def test_start_selected_never_restarts_a_running_studio(table, sim):
    running, stopped = running_key(table), stopped_key(table)
    table.selected = [running, stopped]
    result = table.start_selected()
    assert result["accepted"] == [stopped]
    assert result["skipped"] == [{"key": running, "reason": "already running (RUNNING)"}]
    wait_for(lambda: not table.in_flight, timeout=20, what="start to finish")
    assert [e["what"] for e in table.activity] == ["start"]  # no restart of the running one
    assert state_in_sim(sim, stopped) == "RUNNING"


def test_restart_selected_restarts_only_the_running_ones(table, sim):
    running, stopped = running_key(table), stopped_key(table)
    table.selected = [running, stopped]
    result = table.restart_selected()
    assert result["accepted"] == [running]
    assert result["skipped"] == [{"key": stopped, "reason": "not running (STOPPED)"}]
    wait_for(lambda: not table.in_flight, timeout=20, what="restart to finish")
    assert [e["what"] for e in table.activity] == ["restart"]
    assert state_in_sim(sim, stopped) == "STOPPED"
    assert ask(table, "batch", op="restart", rows=[stopped])["result"]["accepted"] == []
    assert ask(table, "batch", op="reboot", rows=[stopped])["ok"] is False


def test_activity_listener_sees_begin_and_end(table):
    got = []
    table.on_activity(got.append)
    table.stop(running_key(table))
    wait_for(lambda: len(got) == 2, what="two activity events")
    assert [e["outcome"] for e in got] == ["running", "done"]
    assert got[0]["id"] == got[1]["id"]


def test_conflicts_calls_the_hook(table):
    got = []
    table.on_conflicts(lambda pk, sid: got.append((pk, sid)))
    key = running_key(table)
    assert ask(table, "conflicts", row=key)["ok"] is True
    assert got == [tuple(key.split("/", 1))]
    assert table.activity[-1]["what"] == "conflicts"


def test_unknown_row_is_an_error_in_the_alert_region(table):
    reply = ask(table, "stop", row="NOPE/nothing")
    assert reply["ok"] is False
    assert "NOPE/nothing" in table.alerts[-1]["message"]


# -- errors --------------------------------------------------------------------------------------------
def test_one_failing_project_is_reported_and_the_rest_stays(table, sim):
    before = set(table.df.index)
    sim.set_faults(rate=1.0, kinds=["500"], path_contains="/projects/CHURN_MODEL/code-studios")
    result = ask(table, "refresh")["result"]
    assert any("CHURN_MODEL" in a["message"] for a in table.alerts)
    assert table.summary["failed_projects"] == 1
    assert {k for k in before if not k.startswith("CHURN_MODEL/")} <= set(table.df.index)
    assert result["error"] is None
    n_alerts = len(table.alerts)
    ask(table, "refresh")
    assert len(table.alerts) == n_alerts  # the same failure is not re-announced on every refresh


def test_network_failure_keeps_the_rows(table, sim):
    before = table.df
    sim.set_faults(rate=1.0, kinds=["reset"])
    result = ask(table, "refresh")["result"]
    assert result["error"].startswith("Could not load the code studios")
    assert table.alerts[-1]["message"] == result["error"]
    pd.testing.assert_frame_equal(table.df, before)
    assert table.loading is False


def test_failed_action_is_alerted_and_logged(table, sim):
    key = running_key(table)
    sim.set_faults(rate=1.0, kinds=["500"], methods=["POST"])
    reply = ask(table, "stop", row=key)
    assert reply["ok"] is False
    assert table.alerts and table.in_flight == {}
    assert table.activity[-1]["outcome"] == "failed"
    sim.clear_faults()
    assert ask(table, "stop", row=key)["result"]["accepted"] is True  # the row is usable again


# -- selection ------------------------------------------------------------------------------------------
def test_selection_round_trip(table, sim):
    keys = list(table.df.index[:3])
    assert ask(table, "select", add=keys[:2])["result"] == {"selected": 2}  # the view asks; Python writes
    assert list(table.selected.index) == keys[:2]
    table.selected = table.df[table.df["state"].astype(str) == "RUNNING"]
    assert set(table.selection) == set(table.df.index[table.df["state"].astype(str) == "RUNNING"])
    table.selected = [tuple(keys[2].split("/", 1))]
    assert table.selection == [keys[2]]
    table.selected = None
    assert table.selected.empty
    with pytest.raises(ValueError, match="Not in this table"):
        table.selected = ["NOPE/x"]


def test_removed_rows_leave_the_selection(table):
    key = stopped_key(table)
    table.selected = [key, running_key(table)]
    pk, sid = key.split("/", 1)
    table.client.get_project(pk).get_code_studio(sid).delete()
    table.refresh()
    assert key not in table.selection and len(table.selection) == 1


def test_select_messages_apply_in_order_and_ignore_rows_gone_meanwhile(table, sim):
    keys = list(table.df.index)
    ask(table, "select", add=keys[:3])
    ask(table, "select", remove=[keys[0]], add=[keys[3], "NOPE/x"])  # an unknown key is ignored
    assert table.selection == keys[1:4]
    ask(table, "select", clear=True, add=[keys[4]])
    assert table.selection == [keys[4]]


def test_selection_changes_from_the_view_while_python_changes_rows_and_selection(table, sim):
    """Python is the only writer of ``selection``: the view's changes (messages) interleave with
    refreshes that remove a row and with Python's own assignments, and none is lost."""
    keys = list(table.df.index)
    doomed, kept = stopped_key(table), [k for k in keys if k != stopped_key(table)]
    pk, sid = doomed.split("/", 1)
    table.client.get_project(pk).get_code_studio(sid).delete()
    done = threading.Event()

    def refresh_until_done():
        while not done.is_set():
            table.refresh()

    refresher = threading.Thread(target=refresh_until_done)
    refresher.start()
    try:
        for n, key in enumerate(kept[:6]):
            table._handle_custom_msg({"kind": "select", "id": f"s{n}", "add": [key, doomed]}, [])
        table.selected = [*(k for k in table.selection if k != doomed), kept[6]]  # Python assigns meanwhile
        table._handle_custom_msg({"kind": "select", "id": "s-last", "remove": [kept[0]]}, [])
        wait_for(lambda: doomed not in table.df.index, what="the refresh to drop the deleted studio")
    finally:
        done.set()
        refresher.join(30)
    assert table.selection == [*kept[1:6], kept[6]]
    assert all(m["ok"] for m in table.send if m.get("kind") == "reply")


def test_a_closed_table_can_be_collected(client):
    """close() releases the table and its rows (ipywidgets forgets it; anywidget is given the
    bundle's text, so its hot-reload signal holds no panel)."""
    table = StudioTable(client)
    table.close()
    ref = weakref.ref(table)
    del table
    # the live thread may be in the middle of a tick (it holds the table for that long, then ends)
    wait_for(lambda: gc.collect() is not None and ref() is None, timeout=5, what="the closed table to be collected")


def test_conflicts_opens_the_conflict_viewer_by_default(table, monkeypatch):
    import IPython.display

    from cswidgets.widgets.conflicts import ConflictViewer

    shown = []
    monkeypatch.setattr(IPython.display, "display", lambda *objs, **kw: shown.extend(objs))
    key = running_key(table)
    assert ask(table, "conflicts", row=key)["ok"] is True
    (viewer,) = shown
    try:
        assert isinstance(viewer, ConflictViewer)
        assert table.activity[-1]["outcome"] == "done"
    finally:
        viewer.close()


# -- issue 15: honest states ---------------------------------------------------------------------------
def test_a_lost_answer_is_outcome_unknown_and_the_row_is_re_read(table, sim):
    """Defect 4: the server stopped the studio, then the connection dropped: never "failed", never
    resent; the row shows what DSS now shows."""
    key = running_key(table)
    sim.set_faults(rate=1.0, kinds=["reset_after"], methods=["POST"], path_contains="/stop")
    try:
        reply = ask(table, "stop", row=key)
    finally:
        sim.clear_faults()
    assert reply["ok"] is True and reply["result"]["outcome"] == "unknown"
    assert sum(1 for r in sim.requests if r.method == "POST" and r.path.endswith("/stop")) == 1
    entry = table.activity[-1]
    assert entry["outcome"] == "unknown" and "outcome unknown" in entry["message"]
    server = state_in_sim(sim, key)
    assert server in ("STOPPING", "STOPPED")
    assert table.df.loc[key, "state"] == reply["result"]["state"] != "RUNNING"
    assert f"DSS now shows {reply['result']['state']}" in table.alerts[-1]["message"]
    assert table.in_flight == {}


def test_a_refused_status_read_older_than_a_refresh_does_not_outlive_it(table, sim, monkeypatch):
    """A live read refused by DSS names its row in the "unreadable" alert; a full refresh that reads it fine ends
    that -- even when the live read was sent before the refresh and its refusal arrives after (a race seen once
    in `make test`: the alert outlived the refresh)."""
    table.clear_alerts()
    key = sorted(table.df.index)[0]
    unreadable = lambda: [a for a in table.alerts if a.get("key") == "unreadable"]  # noqa: E731
    sim.set_faults(rate=1.0, kinds=["500"], path_contains="/status", methods=["GET"])
    try:
        table.live_refresher.reread([key], list_projects=False)
    finally:
        sim.clear_faults()
    assert unreadable(), table.alerts
    assert table.refresh()["error"] is None
    assert not unreadable(), table.alerts  # the refresh read the row fine

    client = table.live_refresher._client
    real = client.studio_rows

    def refused_then_overtaken(pairs, known=None):
        sim.set_faults(rate=1.0, kinds=["500"], path_contains="/status", methods=["GET"])
        try:
            df = real(pairs, known=known)  # refused
        finally:
            sim.clear_faults()
        monkeypatch.setattr(client, "studio_rows", real)
        assert table.refresh()["error"] is None  # sent and answered while the refusal is on its way
        return df

    monkeypatch.setattr(client, "studio_rows", refused_then_overtaken)
    table.live_refresher.reread([key], list_projects=False)
    assert not unreadable(), table.alerts


def test_a_load_alert_clears_when_a_refresh_succeeds(table, sim):
    table.clear_alerts()
    for path in ("/projects/", "/code-studios/"):  # the listing of projects, then every project's list
        sim.set_faults(rate=1.0, kinds=["500"], path_contains=path, methods=["GET"])
        try:
            table.refresh()
        finally:
            sim.clear_faults()
        assert table.alerts and all(a.get("key") for a in table.alerts)
        assert table.refresh()["error"] is None
        assert table.alerts == []


def test_a_refused_action_is_explained_and_greyed_out(make_table, sim):
    bob = connect(sim.url, sim.add_user("bob"), timeout=(2, 10))
    try:
        table = make_table(client_=bob)
        key = running_key(table)
        reply = ask(table, "stop", row=key)
        assert reply["ok"] is False
        assert reply["error"].startswith("you don't have permission to stop")
        assert "Exception" not in table.alerts[-1]["message"] and "HTTP 403" in table.alerts[-1]["detail"]
        assert "stop" in table.denied[key]
        again = ask(table, "stop", row=key)
        assert again["ok"] is False and table.activity[-1]["outcome"] == "refused"
    finally:
        bob.close()


def test_alert_texts_are_capped(table):
    table.add_alert("m" * 5_000_000, detail="d" * 5_000_000)
    alert = table.alerts[-1]
    assert len(alert["message"]) <= 300 and len(alert["detail"]) <= 20_000


def test_a_repeated_stop_from_python_raises_and_is_recorded_refused(make_table, sim):
    """The panel convention: the Python method raises on a repeat (its message handler answers accepted
    False, see test_double_click_sends_one_stop); the repeat is in the activity as "refused"."""
    sim.speed = 2
    table = make_table()
    key = running_key(table)
    assert table.stop(key)["accepted"] is True
    with pytest.raises(ValueError, match="stop already in progress"):
        table.stop(key)
    assert [e["outcome"] for e in table.activity][-2:] == ["running", "refused"]
    assert table.alerts == []
    wait_for(lambda: not table.in_flight, timeout=20, what="stop to finish")
