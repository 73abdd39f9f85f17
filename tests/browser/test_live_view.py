"""Issue 22 in a real browser (JupyterLab): the table reads what is seen. Scrolling a 300-row table far down
tells Python which rows are on screen; a row there that is older than a visible row is guaranteed shows the
stale mark until its re-read answers, then its fresh state -- a change the rolling pass would take minutes to
reach at the default budget (2 requests per second)."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect

from cswidgets.sim import Simulator

ROWS = 300
NB = json.dumps({
    "cells": [{"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None,
               "source": "import cswidgets\n"
                         "from cswidgets.widgets.studio_table import live\n"
                         "live.STALE_AFTER_S = 0.0  # every row scrolled into view is stale (15 s by default)\n"
                         "table = cswidgets.StudioTable(cswidgets.connect(), ['BIG'])\ntable"}],
    "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
    "nbformat": 4, "nbformat_minor": 5,
})


@pytest.fixture
def sim():
    with Simulator(scenario="demo", api_key="k", seed=0, speed=0) as s:
        s.add_project("BIG")
        s.ids = [s.add_studio("BIG", f"s{i:03d}", "admin", "tpl_vscode") for i in range(ROWS)]
        yield s


def test_scrolling_far_down_shows_stale_rows_then_fresh_ones(jupyter, page, sim):
    server = jupyter("lab", files={"live.ipynb": NB}, env={"DKU_DSS_URL": sim.url, "DKU_API_KEY": "k"})
    server.open(page, "live.ipynb")
    server.run_all(page)
    panel = server.notebook_locator(page).locator(".csw-st").first
    expect(panel.locator('tr.csw-st-row[data-key^="BIG/"]').first).to_be_visible(timeout=90_000)
    expect(panel.locator(".csw-st-row").first.locator("td").nth(2)).to_have_text("s000")

    # elsewhere, without a DSS task: s250 starts running; its status answers take 8 s (a slow DSS: long enough
    # for the mark to be seen on a loaded machine, where the view -> kernel -> view round trip can take seconds)
    target = sim.ids[250]
    sim.set_state("BIG", target, "RUNNING")
    sim.set_faults(rate=1.0, kinds=["stall"], stall_s=8.0, path_contains=f"/{target}/status")
    row = panel.locator(f'tr.csw-st-row[data-key="BIG/{target}"]')
    expect(row).to_have_count(0)  # far off screen: not even rendered

    panel.locator(".csw-st-scroll").evaluate("el => { el.scrollTop = 245 * 34; }")
    expect(row).to_be_visible(timeout=5_000)
    mark = row.get_by_role("img", name="Stale: last read a while ago, being re-read now")
    expect(mark).to_be_visible(timeout=6_000)  # shown while its re-read waits for DSS
    expect(row.locator(".csw-badge")).to_have_text("STOPPED")  # as last read, not a guess
    expect(row.locator(".csw-badge")).to_have_text("RUNNING", timeout=20_000)  # fresh
    expect(mark).to_have_count(0)
    expect(panel.locator(".csw-st-stale")).to_have_count(0)  # every row on screen re-read
    sim.clear_faults()
    assert page.offhost == [], page.offhost
