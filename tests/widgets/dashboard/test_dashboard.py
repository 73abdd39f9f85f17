"""The Dashboard against the simulator, without a kernel: the test plays the front end."""

from __future__ import annotations

import json

import ipywidgets
import pytest

from cswidgets.widgets.activity.panel import ActivityPanel
from cswidgets.widgets.dashboard import Dashboard
from tests.support import ask, wait_for

from .conftest import key_in_state

HOSTILE = "<img src=x onerror=alert(1)>"


def final_entries(dash: Dashboard, panel: str) -> list[dict]:
    return [e for e in dash.activity_log.entries() if e["panel"] == panel and e["outcome"] != "running"]


# -- composition, repr, fallbacks ----------------------------------------------------------------
def test_one_widget_with_the_table_and_four_tabs(dashboard):
    assert isinstance(dashboard, ipywidgets.VBox)
    table, tabs = dashboard.children
    assert table is dashboard.table
    assert isinstance(tabs, ipywidgets.Tab)
    assert tabs.children == (dashboard.conflicts, dashboard.builds, dashboard._activity, dashboard.governance)
    assert tabs.titles == ("File sync", "Template builds", "Activity (0)", "Governance")
    assert dashboard.tab == "sync"
    dashboard.tab = "activity"
    assert tabs.selected_index == 2
    with pytest.raises(ValueError):
        dashboard.tab = "nope"


def test_stable_repr_and_static_html(make_dashboard, sim):
    sim.speed = 0  # freeze transitions so the counts are stable
    sim.add_studio("CHURN_MODEL", HOSTILE, HOSTILE, sim.template_ids()[0])
    dash = make_dashboard(user=HOSTILE)
    text = repr(dash)
    assert text == repr(dash)
    assert text.startswith("<Dashboard: 14 studios · ") and text.endswith("; 4 templates; 0 actions>")
    assert "0x" not in text and "k" not in text.split(":")[0][1:].replace("Dashboard", "")
    bundle = dash._repr_mimebundle_()
    data = bundle[0] if isinstance(bundle, tuple) else bundle
    assert data["text/plain"] == text
    assert "application/vnd.jupyter.widget-view+json" in data
    page = data["text/html"]
    assert "<img" not in page and "&lt;img src=x onerror=alert(1)&gt;" in page
    for title in ("Code studios", "File sync", "Template builds", "Activity"):
        assert f"<h4>{title}</h4>" in page


def test_unknown_option_is_a_type_error(client):
    with pytest.raises(TypeError):
        Dashboard(client, colour="red")


def test_project_filter_and_background_load(make_dashboard, sim):
    dash = make_dashboard("LOGISTICS", wait=False)
    wait_for(lambda: len(dash.table.df) == len(sim.studio_ids("LOGISTICS")), 15, "background load")
    assert set(dash.table.df["project_key"]) == {"LOGISTICS"}


def test_no_secret_in_any_synced_state(dashboard, client):
    dashboard.builds.build("tpl_vscode")
    for part in (dashboard, *dashboard.children, *dashboard.children[1].children):
        raw = part.get_state()
        state = json.dumps({k: v for k, v in raw.items() if k not in ("_esm", "dss_origin")}, default=str)
        assert '"k"' not in state and "api_key" not in state
        assert client.base_url not in state
        # the table's DSS origin (host of the exposed links) only: scheme, host and port, no credentials
        assert raw.get("dss_origin", "") in ("", client.base_url.rstrip("/"))


# -- actions reach the activity log ---------------------------------------------------------------
def test_a_stop_clicked_in_the_table_shows_in_the_activity_log(dashboard, sim):
    key = key_in_state(dashboard, "RUNNING")
    reply = ask(dashboard.table, "stop", row=key)
    assert reply["ok"] and reply["result"]["accepted"]
    running = wait_for(lambda: [e for e in dashboard.activity_log.entries() if e["outcome"] == "running"], 5)
    assert running[0]["what"] == "stop"
    [entry] = wait_for(lambda: final_entries(dashboard, "studios"), 20, "the stop to end")
    assert entry["outcome"] == "done" and entry["duration_s"] > 0 and entry["who"] == "tester"
    assert (entry["project_key"], entry["studio_id"]) == tuple(key.split("/"))
    assert sim.status(*key.split("/"))["state"] == "STOPPED"
    # the activity panel (front end) shows it, and the DataFrame has it
    shown = wait_for(lambda: [e for e in dashboard._activity.entries if e["outcome"] == "done"], 5)
    assert shown[0]["what"] == "stop" and shown[0]["target"] == entry["target"]
    df = dashboard.activity
    assert df.iloc[-1]["what"] == "stop" and df.iloc[-1]["outcome"] == "done" and df.iloc[-1]["panel"] == "studios"
    assert dashboard._tabs.titles[2] == "Activity (1)"


def test_a_failed_start_is_logged_with_its_message(dashboard, sim):
    key = key_in_state(dashboard, "STOPPED")
    sim.set_faults(rate=1.0, kinds=["500"], path_contains="/restart")
    reply = ask(dashboard.table, "start", row=key)
    assert not reply["ok"]
    [entry] = wait_for(lambda: final_entries(dashboard, "studios"), 10)
    assert entry["outcome"] == "failed" and entry["message"]


def test_build_from_the_panel_is_logged_done_failed_and_aborted(dashboard, sim):
    labels = {r["id"]: r["label"] for r in dashboard.builds.rows}
    assert ask(dashboard.builds, "build", template_ids=["tpl_vscode"])["ok"]
    [done] = wait_for(lambda: final_entries(dashboard, "templates"), 20, "the build to end")
    assert done["what"] == "build" and done["target"] == labels["tpl_vscode"] and done["template_id"] == "tpl_vscode"
    assert done["outcome"] == "done" and done["message"].startswith("Built for") and done["duration_s"] > 0
    assert done["who"] == "tester"

    sim.fail_next_build("tpl_streamlit", message="no space left on device")
    dashboard.builds.build("tpl_streamlit", no_cache=True)
    failed = wait_for(lambda: [e for e in final_entries(dashboard, "templates") if e["outcome"] == "failed"], 20)
    assert failed[0]["what"] == "build (no cache)" and "no space left" in failed[0]["message"]

    sim.speed = 1  # slow enough to abort
    dashboard.builds.build("tpl_jupyterlab")
    wait_for(lambda: dashboard._tabs.titles[1] == "Template builds (1 building)", 5)
    dashboard.builds.abort("tpl_jupyterlab")
    aborted = wait_for(lambda: [e for e in final_entries(dashboard, "templates") if e["outcome"] == "aborted"], 20)
    assert aborted[0]["template_id"] == "tpl_jupyterlab" and aborted[0]["what"] == "build"
    [abort] = [e for e in final_entries(dashboard, "templates") if e["what"] == "abort"]
    assert abort["outcome"] == "done" and abort["template_id"] == "tpl_jupyterlab" and abort["who"] == "tester"
    assert len(final_entries(dashboard, "templates")) == 4  # three builds and the abort
    # each panel's own .activity is its part of the one log
    assert dashboard.builds.activity == [e for e in dashboard.activity_log.entries() if e["panel"] == "templates"]
    assert dashboard.builds.activity_log is dashboard.table.activity_log is dashboard.conflicts.activity_log


def test_sync_actions_of_the_viewer_are_logged(dashboard):
    key = key_in_state(dashboard, "RUNNING", "Dashboard app")
    viewer = dashboard.show_studio(key)
    assert viewer.studio_view["name"] == "Dashboard app"
    viewer.pull("code_studio-versioned", force=True)
    [entry] = wait_for(lambda: final_entries(dashboard, "conflicts"), 5)
    assert entry["outcome"] == "done" and entry["what"].startswith("pull")
    assert entry["studio"] == "Dashboard app" and entry["project_key"] == "SALES_FORECAST"
    assert entry["target"].startswith(f"Dashboard app ({entry['project_key']}) / ") and entry["who"] == "tester"


def test_without_user_every_panel_logs_the_login_of_the_key(make_dashboard, sim):
    dash = make_dashboard()
    key = key_in_state(dash, "RUNNING", "Dashboard app")
    dash.show_studio(key).refresh()
    dash.builds.build("tpl_vscode")
    dash.table.stop(key_in_state(dash, "RUNNING", "Churn EDA"))
    wait_for(lambda: {"studios", "conflicts", "templates"} <= {e["panel"] for e in dash.activity_log.entries()}, 10)
    assert {e["who"] for e in dash.activity_log.entries()} == {"admin"}  # GET /auth/info of key "k"


# -- the parts talk to each other -----------------------------------------------------------------
def test_conflicts_button_opens_the_studio_zones(dashboard):
    dashboard.tab = "builds"
    key = key_in_state(dashboard, "RUNNING", "Forecast notebook")
    assert ask(dashboard.table, "conflicts", row=key)["ok"]
    # wait until the zones are listed *and* checked (the checks finish after the list appears)
    view = wait_for(lambda: dashboard.conflicts.studio_view.get("id") == key.split("/")[1]
                    and dashboard.conflicts.zones and not dashboard.conflicts.checking
                    and all(z["status"] != "unchecked" for z in dashboard.conflicts.zones)
                    and dashboard.conflicts.studio_view, 15, "the checked zones")
    assert view["name"] == "Forecast notebook"
    assert dashboard.tab == "sync"
    assert any(z["status"] == "conflicts" for z in dashboard.conflicts.zones)
    assert dashboard._tabs.titles[0] == "File sync · Forecast notebook"
    [opened] = final_entries(dashboard, "studios")
    assert (opened["what"], opened["outcome"]) == ("conflicts", "done")


def test_file_sync_follows_a_start_from_the_table(dashboard):
    """Issue 14: File sync kept saying "stopped… Start" after the table had started the studio."""
    key = key_in_state(dashboard, "STOPPED")
    dashboard.table.selection = [key]
    wait_for(lambda: dashboard.conflicts.studio_view.get("id") == key.split("/")[1]
             and dashboard.conflicts.studio_view.get("state") == "STOPPED", 15, "the stopped studio shown")
    assert dashboard.conflicts.studio_view["can_start"] is True
    assert ask(dashboard.table, "start", row=key)["result"]["accepted"]
    wait_for(lambda: dashboard.conflicts.studio_view.get("running") and dashboard.conflicts.zones, 30,
             "File sync to show the started studio's zones")
    assert dashboard.conflicts.studio_view["can_start"] is False and dashboard.conflicts.studio_view["message"] == ""


def test_selecting_one_studio_opens_it_but_select_all_does_not(dashboard):
    first = key_in_state(dashboard, "RUNNING", "Churn EDA")
    dashboard.table.selection = [first]
    wait_for(lambda: dashboard.conflicts.studio_view.get("name") == "Churn EDA", 15)
    dashboard.table.selection = list(dashboard.table.df.index)  # "select all": keep what is shown
    second = key_in_state(dashboard, "RUNNING", "Route optimiser")
    dashboard.table.selection = [first]
    dashboard.table.selection = [first, second]  # one more ticked: show it
    wait_for(lambda: dashboard.conflicts.studio_view.get("name") == "Route optimiser", 15)
    dashboard.table.selection = []
    assert dashboard.conflicts.studio_view.get("name") == "Route optimiser"


def test_latest_selection_wins(dashboard):
    keys = list(dashboard.table.df.index)[:5]
    for key in keys:
        dashboard.table.selection = [key]
    wait_for(lambda: dashboard.conflicts.studio_view.get("id") == keys[-1].split("/")[1], 15)


def test_show_studio_rejects_bad_keys(dashboard):
    with pytest.raises(ValueError):
        dashboard.show_studio("no-slash")


# -- the activity panel ------------------------------------------------------------------------
def test_activity_panel_coalesces_bursts():
    from cswidgets.widgets.activity import ActivityLog

    log = ActivityLog()
    panel = ActivityPanel(log)
    sets: list[int] = []
    panel.observe(lambda c: sets.append(len(c["new"])), names=["entries"])
    try:
        for i in range(100):
            log.record(what="stop", outcome="done", studio=f"s{i}")
        wait_for(lambda: len(panel.entries) == 100, 5)
        assert len(sets) < 20
        assert panel.entries[0]["studio"] == "s99"  # newest first
        assert panel.counts == {"total": 100, "running": 0, "failed": 0, "aborted": 0, "refused": 0}
        assert repr(panel) == "<ActivityPanel: 100 actions>"
    finally:
        panel.close()
    log.record(what="late", outcome="done")  # after close: no error, no update
    assert len(panel.entries) == 100


def test_close_closes_every_part(make_dashboard):
    dash = make_dashboard()
    parts = [dash.table, dash.conflicts, dash.builds, dash._activity]
    dash.close()
    assert all(p.comm is None for p in parts)
    dash.table.selection = []  # no switch is attempted after close


def test_the_governance_tab_reads_dss_when_first_opened(dashboard, sim):
    gov = dashboard.governance
    assert gov.summary == {}  # a dashboard costs no conflicts check until the tab is opened
    assert not any("/conflicts" in r.path for r in sim.requests)
    dashboard.tab = "governance"
    wait_for(lambda: gov.summary.get("studios") == len(dashboard.table.df), what="the governance summary")
    assert gov.policy and gov.charts
    assert dashboard.refresh()["governance"]["studios"] == len(dashboard.table.df)
