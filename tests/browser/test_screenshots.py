"""README screenshots of every panel, in JupyterLab's light and dark themes.

Run as a test (screenshots go to a temporary folder and are checked), or through
``scripts/screenshots.py`` which sets ``CSW_SCREENSHOTS_DIR=docs/screenshots`` so the README's
images are regenerated from the current code.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from cswidgets.sim import Simulator

PANELS = {  # file name -> (tab to select or None, CSS selector of the panel)
    "dashboard": (None, None),
    "studio-table": (None, ".csw-st"),
    "conflict-viewer": ("File sync · Forecast notebook", ".csw-cv"),
    "template-builds": ("Template builds (1 building)", ".csw-template-builds"),
    "activity-log": ("Activity", ".csw-act"),
    "governance": ("Governance", ".csw-gov"),
}
READY = {"governance": ".csw-gov-svg"}  # what shows once the panel has read DSS (the tab reads when first opened)
BACKGROUND = "el => getComputedStyle(el.closest('.csw-root') || el.querySelector('.csw-root') || el).backgroundColor"
SETUP = """import cswidgets

client = cswidgets.connect()
dash = cswidgets.Dashboard(client)
dash"""
ACT = """df = dash.table.df
key = lambda name: df.index[df["name"] == name][0]
dash.table.stop(key("Scoring API"))
dash.show_studio(key("Forecast notebook"))
dash.builds.build("tpl_vscode")"""


def _notebook() -> str:
    def cell(src: str) -> dict:
        return {"cell_type": "code", "metadata": {}, "source": src, "outputs": [], "execution_count": None}

    return json.dumps({"cells": [cell(SETUP), cell(ACT)], "metadata": {"kernelspec": {
        "name": "python3", "display_name": "Python 3", "language": "python"}}, "nbformat": 4, "nbformat_minor": 5})


@pytest.fixture
def out_dir(tmp_path) -> Path:
    path = Path(os.environ.get("CSW_SCREENSHOTS_DIR") or tmp_path)
    path.mkdir(parents=True, exist_ok=True)
    return path


def test_screenshots_of_every_panel_light_and_dark(jupyter, browser, out_dir):
    with Simulator(scenario="demo", api_key="k", seed=0, speed=20) as sim:
        server = jupyter("lab", files={"shots.ipynb": _notebook()}, env={"DKU_DSS_URL": sim.url, "DKU_API_KEY": "k"})
        page = browser.new_page(viewport={"width": 1400, "height": 2400}, device_scale_factor=1)
        page.set_default_timeout(60_000)
        try:
            server.open(page, "shots.ipynb")
            nb = server.notebook_locator(page)
            server.run_cell(page, 0)
            dash = nb.locator(".csw-dashboard").first
            expect(dash.locator("tr.csw-st-row")).to_have_count(13, timeout=90_000)
            sim.speed = 0.5  # the build stays in progress while the pictures are taken
            server.run_cell(page, 1)
            expect(dash.get_by_role("tab", name="Template builds (1 building)", exact=True)).to_be_visible()
            expect(dash.locator(".csw-cv-zone").first).to_be_visible(timeout=30_000)
            sim.advance(10)  # the stop ends
            expect(dash.locator('.csw-act tbody tr[data-outcome="done"]')).to_have_count(1, timeout=30_000)
            page.evaluate("() => document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-WindowedPanel-outer,"
                          " .jp-NotebookPanel .jp-Notebook')?.scrollTo(0, 0)")
            shots = {}
            for theme, light in (("light", "true"), ("dark", "false")):
                name = "JupyterLab Light" if light == "true" else "JupyterLab Dark"
                page.evaluate(f"() => window.jupyterapp.commands.execute('apputils:change-theme', {{theme: '{name}'}})")
                page.wait_for_function(f"document.body.dataset.jpThemeLight === '{light}'")
                for file, (tab, selector) in PANELS.items():
                    if tab:
                        dash.get_by_role("tab", name=tab).click()
                    panel = dash.locator(selector).first if selector else dash
                    expect(panel).to_be_visible()
                    if file in READY:
                        expect(panel.locator(READY[file]).first).to_be_visible(timeout=30_000)
                    panel.scroll_into_view_if_needed()
                    bg = panel.evaluate(BACKGROUND)
                    rgb = [int(x) for x in bg[bg.index("(") + 1:bg.index(")")].split(",")[:3]]
                    assert (sum(rgb) > 600) == (theme == "light"), (file, theme, bg)
                    path = out_dir / f"{file}-{theme}.png"
                    panel.screenshot(path=str(path), animations="disabled")
                    shots[(file, theme)] = path.read_bytes()
                dash.get_by_role("tab", name="File sync · Forecast notebook").click()
            for file in PANELS:
                light, dark = shots[(file, "light")], shots[(file, "dark")]
                assert light[:8] == b"\x89PNG\r\n\x1a\n" and len(light) > 5_000
                assert light != dark
        finally:
            page.close()
