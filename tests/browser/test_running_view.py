"""The named view "running > 4 h" (#24, "Views that survive"), in JupyterLab 4 and Notebook 7.

The user picks "> 4 h" in the table's Running filter: only the studios running for more than 4 hours stay. They
save it as a named view from the toolbar (it lands in views.json), run the cell again (the view is kept), restart
the kernel (nothing is kept in memory), run the cell again -- every studio shows -- and apply the named view from
the Views menu: the same rows again. "My running studios" (State RUNNING, Owner the connected user) is saved from
the toolbar too."""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import expect

from cswidgets.api import connect
from cswidgets.sim import Simulator

HOUR_MS = 3_600_000
#: Running studios of the demo and how long they have run when the test starts (hours).
STARTED_HOURS_AGO = {"Forecast notebook": 6, "Route optimiser": 48, "Scoring API": 2, "Dashboard app": 3,
                     "Churn EDA": 1, "Admin tools": 3.9}
LONG = sorted(name for name, hours in STARTED_HOURS_AGO.items() if hours > 4)

TABLE = json.dumps({
    "cells": [{"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None,
               "source": "import cswidgets\nclient = cswidgets.connect()\ncswidgets.StudioTable(client, live=False)"}],
    "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
    "nbformat": 4, "nbformat_minor": 5,
})
JS_RESTART = "() => window.jupyterapp.shell.currentWidget.sessionContext.session.kernel.restart()"
JS_IDLE = ("() => { const k = window.jupyterapp?.shell?.currentWidget?.sessionContext?.session?.kernel;"
           " return k?.status === 'idle' && k.connectionStatus === 'connected'; }")


@pytest.fixture
def sim():
    """The demo, its clock frozen (states and times hold still), the running studios started as arranged."""
    with Simulator(scenario="demo", api_key="k", seed=0, speed=0) as s:
        with connect(url=s.url, api_key="k") as client:
            df = client.studios_frame()
        now = s.now_ms()
        with s.model.lock:
            for _, row in df[df["state"].astype(str) == "RUNNING"].iterrows():
                hours = STARTED_HOURS_AGO[row["name"]]
                s.model.studio(row["project_key"], row["id"]).last_change_ms = now - int(hours * HOUR_MS)
        yield s


def _names(rows) -> list[str]:
    return sorted(rows.locator("td:nth-child(3)").all_text_contents())


@pytest.mark.slow
@pytest.mark.browser
@pytest.mark.parametrize("app", ["lab", "notebook"])
def test_running_over_4_hours_saved_as_a_named_view_survives_a_rerun_and_a_restart(jupyter, page, sim, app,
                                                                                   tmp_path):
    ours = []
    # Notebook 7's own scripts may throw on their own (its settings schema): not ours
    page.on("pageerror", lambda e: "/static/notebook/" in (e.stack or "") or ours.append(e.stack or str(e)))
    server = jupyter(app, files={"nb.ipynb": TABLE},
                     env={"DKU_DSS_URL": sim.url, "DKU_API_KEY": "k", "CSWIDGETS_CONFIG_DIR": str(tmp_path)})
    server.open(page, "nb.ipynb")
    server.run_all(page)
    nb = server.notebook_locator(page)
    panel = nb.locator(".csw-st").first
    rows = panel.locator("tbody tr.csw-st-row")
    expect(rows).to_have_count(13, timeout=90_000)

    # "> 4 h" on the Running filter: the first click filters, the button names the choice
    menu = panel.locator('.csw-st-menu[data-filter="running"]')
    button = menu.locator(".csw-st-menu-button")
    expect(button).to_have_text("Running: any")
    button.click()
    menu.get_by_text("> 4 h", exact=True).click()
    expect(button).to_have_text("Running: > 4 h")
    expect(rows).to_have_count(len(LONG))
    assert _names(rows) == LONG
    # the Running cell agrees (the 8th: after Select, Project, Name, Owner, Template, State, Last change)
    forecast = rows.filter(has_text="Forecast notebook")
    expect(forecast.locator("td:nth-child(8)")).to_have_text(re.compile(r"^6h 0\dm$"))
    button.click()  # closes the menu

    # saved as a named view from the toolbar: in views.json
    panel.get_by_role("button", name="Save view…").click()
    panel.get_by_role("textbox", name="Name of the view").fill("running > 4 h")
    panel.get_by_role("textbox", name="Name of the view").press("Enter")
    expect(panel.get_by_role("combobox", name="Named views")).to_have_value("running > 4 h")
    saved = json.loads((tmp_path / "views.json").read_text())["views"]["studios"]["running > 4 h"]
    assert saved["filters"]["filter_running_min"] == 14400

    # the cell run again: the view is kept (in the kernel)
    old = panel.element_handle()
    server.run_cell(page, 0)
    page.wait_for_function("el => !el.isConnected", arg=old, timeout=60_000)
    panel = nb.locator(".csw-st").first
    rows = panel.locator("tbody tr.csw-st-row")
    expect(rows).to_have_count(len(LONG), timeout=60_000)
    assert _names(rows) == LONG
    expect(panel.locator('.csw-st-menu[data-filter="running"] .csw-st-menu-button')).to_have_text("Running: > 4 h")

    # a restarted kernel remembers nothing: every studio; the named view (views.json) shows the same rows again
    page.evaluate(JS_RESTART)
    page.wait_for_function(JS_IDLE, timeout=90_000)
    old = panel.element_handle()
    server.run_cell(page, 0)
    page.wait_for_function("el => !el.isConnected", arg=old, timeout=60_000)
    panel = nb.locator(".csw-st").first
    rows = panel.locator("tbody tr.csw-st-row")
    expect(rows).to_have_count(13, timeout=90_000)
    button = panel.locator('.csw-st-menu[data-filter="running"] .csw-st-menu-button')
    expect(button).to_have_text("Running: any")
    views = panel.get_by_role("combobox", name="Named views")
    expect(views.locator("option", has_text="running > 4 h")).to_have_count(1)
    views.select_option("running > 4 h")
    expect(button).to_have_text("Running: > 4 h")
    expect(rows).to_have_count(len(LONG))
    assert _names(rows) == LONG

    # "my running studios" from the toolbar: Clear all filters (the Running one too), State RUNNING, Owner the
    # connected user ("admin" for the key "k"); views.json keeps the login itself
    panel.get_by_role("button", name="Clear all filters").click()
    expect(button).to_have_text("Running: any")
    expect(rows).to_have_count(13)
    for which, value in (("state", "RUNNING"), ("owner", "admin")):
        menu = panel.locator(f'.csw-st-menu[data-filter="{which}"]')
        menu.locator(".csw-st-menu-button").click()
        menu.locator("label", has_text=value).locator("input").click()
        menu.locator(".csw-st-menu-button").click()
    expect(rows).to_have_count(1)
    assert _names(rows) == ["Admin tools"]
    panel.get_by_role("button", name="Save view…").click()
    panel.get_by_role("textbox", name="Name of the view").fill("my running studios")
    panel.get_by_role("textbox", name="Name of the view").press("Enter")
    expect(views).to_have_value("my running studios")
    mine = json.loads((tmp_path / "views.json").read_text())["views"]["studios"]["my running studios"]
    assert (mine["filters"]["filter_states"], mine["filters"]["filter_owners"]) == (["RUNNING"], ["admin"])
    assert mine["filters"]["filter_running_min"] == 0
    views.select_option("running > 4 h")  # a view names every filter: State and Owner go back to all
    expect(button).to_have_text("Running: > 4 h")
    expect(rows).to_have_count(len(LONG))
    assert _names(rows) == LONG
    assert ours == [], ours
    assert page.offhost == [], page.offhost
