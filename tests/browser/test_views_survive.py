"""Views survive a re-run, relative times tick (#24 findings 6 and 8), in JupyterLab 4 and Notebook 7 (the
re-run in the classic notebook too).

Re-running the Dashboard's cell makes new panels and new models; the sort, the filters and the tab the
user chose are shown again (kept in the kernel per DSS). A studio's "Last change" moves on by itself
("3 seconds ago" becomes "8 seconds ago") with the live reads off: no server read is needed for it."""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import expect

from cswidgets.api import connect
from cswidgets.sim import Simulator


def _notebook(source: str) -> str:
    return json.dumps({
        "cells": [{"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None, "source": source}],
        "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
        "nbformat": 4, "nbformat_minor": 5,
    })


DASHBOARD = _notebook("import cswidgets\nclient = cswidgets.connect()\ndash = cswidgets.Dashboard(client)\ndash")
TABLE = _notebook("import cswidgets\nclient = cswidgets.connect()\ncswidgets.StudioTable(client, live=False)")


@pytest.fixture
def sim():
    with Simulator(scenario="demo", api_key="k", seed=0, speed=20) as s:
        yield s


def _open(jupyter, page, sim, app, notebook, tmp_path):
    server = jupyter(app, files={"nb.ipynb": notebook},
                     env={"DKU_DSS_URL": sim.url, "DKU_API_KEY": "k", "CSWIDGETS_CONFIG_DIR": str(tmp_path)})
    server.open(page, "nb.ipynb")
    server.run_all(page)
    nb = server.notebook_locator(page)
    expect(nb.locator(".csw-st tbody tr.csw-st-row").first).to_be_visible(timeout=90_000)
    return server, nb


@pytest.mark.parametrize("app", ["lab", "notebook", "classic"])
def test_sort_filter_and_tab_survive_running_the_cell_again(jupyter, page, sim, app, tmp_path):
    sim.speed = 0  # states hold still: the filtered rows stay the same across the re-run
    ours = []
    page.on("pageerror", lambda e: "/static/notebook/" in (e.stack or "") or ours.append(e.stack or str(e)))
    with connect(url=sim.url, api_key="k") as client:
        df = client.studios_frame()
    running = sorted(df[df["state"].astype(str) == "RUNNING"]["name"], key=str.casefold, reverse=True)
    server, nb = _open(jupyter, page, sim, app, DASHBOARD, tmp_path)
    panel = nb.locator(".csw-st").first
    rows = panel.locator("tbody tr.csw-st-row")
    expect(rows).to_have_count(len(df), timeout=30_000)

    # the user's view: sorted by name, descending; only running studios; the Template builds tab
    sort = panel.get_by_role("button", name="Sort by Name", exact=True)
    sort.click()
    expect(sort.locator("xpath=ancestor::th")).to_have_attribute("aria-sort", "ascending")
    sort.click()
    expect(sort.locator("xpath=ancestor::th")).to_have_attribute("aria-sort", "descending")
    menu = panel.locator('.csw-st-menu[data-filter="state"]')
    menu.locator(".csw-st-menu-button").click()
    menu.locator("label", has_text="RUNNING").locator("input").click()
    menu.locator(".csw-st-menu-button").click()
    expect(rows).to_have_count(len(running))
    dash = nb.locator(".csw-dashboard").first
    dash.get_by_role("tab", name="Template builds", exact=True).click()
    expect(dash.get_by_role("tab", name="Template builds", exact=True)).to_have_attribute("aria-selected", "true")
    names = rows.locator("td:nth-child(3)")
    expect(names).to_have_text(running)

    # run the cell again: a new dashboard, new models -- the same view
    old = panel.element_handle()
    server.run_cell(page, 0)
    page.wait_for_function("el => !el.isConnected", arg=old, timeout=60_000)
    panel = nb.locator(".csw-st").first
    rows = panel.locator("tbody tr.csw-st-row")
    expect(rows).to_have_count(len(running), timeout=60_000)
    expect(rows.locator("td:nth-child(3)")).to_have_text(running)
    th = panel.get_by_role("button", name="Sort by Name", exact=True).locator("xpath=ancestor::th")
    expect(th).to_have_attribute("aria-sort", "descending")
    state_menu = panel.locator('.csw-st-menu[data-filter="state"]')
    state_menu.locator(".csw-st-menu-button").click()
    expect(state_menu.locator("label", has_text="RUNNING").locator("input")).to_be_checked()
    dash = nb.locator(".csw-dashboard").first
    expect(dash.get_by_role("tab", name="Template builds", exact=True)).to_have_attribute("aria-selected", "true")
    expect(dash.locator(".csw-tb-table")).to_be_visible()
    assert ours == [], ours
    assert page.offhost == [], page.offhost


@pytest.mark.parametrize("app", ["lab", "notebook"])
def test_relative_times_tick_without_a_read(jupyter, page, sim, app, tmp_path):
    with connect(url=sim.url, api_key="k") as client:
        df = client.studios_frame()
        target = df[df["state"].astype(str) == "RUNNING"].iloc[0]
        client.get_project(target["project_key"]).get_code_studio(target["id"]).stop().wait_for_result(timeout=60)
    _, nb = _open(jupyter, page, sim, app, TABLE, tmp_path)
    row = nb.locator(f'tr.csw-st-row[data-key="{target["project_key"]}/{target["id"]}"]')
    time_el = row.locator("time")
    expect(time_el).to_have_text(re.compile(r"^(\d+ seconds? ago|now|just now)$"), timeout=30_000)

    def seconds() -> int:
        text = time_el.text_content() or ""
        match = re.match(r"(\d+) seconds? ago", text)
        return int(match.group(1)) if match else 0

    first = seconds()
    # the table reads nothing (live=False): the text moves on by the view's own clock, every second
    page.wait_for_function("([el, n]) => { const m = /^(\\d+) seconds? ago$/.exec(el.textContent);"
                           " return m && Number(m[1]) >= n; }", arg=[time_el.element_handle(), first + 3],
                           timeout=10_000)
    assert seconds() >= first + 3
