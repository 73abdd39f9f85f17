"""Every panel in marimo, served by marimo's own server (``marimo run``) to Chromium: marimo renders
anywidgets (each panel, in a shadow root of its own: the theme goes there) but not ipywidgets containers,
so the Dashboard shows its marimo form (``Dashboard._display_``: the table above marimo tabs). The panels
act there too: a Stop confirmed in the table reaches the simulator and the row shows it."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time

import pytest
import requests
from playwright.sync_api import expect

from cswidgets.api import connect
from cswidgets.sim import Simulator

pytest.importorskip("marimo")

KEY = "k-marimo"
CELLS = {  # name -> source of a marimo cell whose last expression is shown
    "setup": "import cswidgets\nfrom cswidgets.widgets.activity import ActivityLog, ActivityPanel\n"
             "client = cswidgets.connect()",
    "table": "cswidgets.StudioTable(client)",
    "conflicts": "cswidgets.ConflictViewer(client, 'CHURN_MODEL', STUDIO)",
    "builds": "cswidgets.TemplateBuilds(client)",
    "progress": "cswidgets.FutureProgress(client.get_code_studio_template('tpl_streamlit').build())",
    "activity": "ActivityPanel(ActivityLog())",
    "dashboard": "cswidgets.Dashboard(client)",
}


def app_source(studio: str) -> str:
    """A marimo notebook: one cell per panel (each depends on the first's names)."""
    lines = ["import marimo", "", "app = marimo.App()", ""]
    for name, source in CELLS.items():
        args = "" if name == "setup" else "client, cswidgets, ActivityLog, ActivityPanel"
        body = source.replace("STUDIO", repr(studio)).splitlines()
        *head, last = body
        if name == "setup":
            lines += ["@app.cell", f"def {name}():", *[f"    {line}" for line in body],
                      "    return client, cswidgets, ActivityLog, ActivityPanel", ""]
        else:
            lines += ["@app.cell", f"def {name}({args}):", *[f"    {line}" for line in head],
                      f"    _shown = {last}", "    _shown", "    return", ""]
    return "\n".join(lines)


@pytest.fixture(scope="module")
def sim():
    with Simulator(scenario="demo", api_key=KEY, seed=0, speed=20) as s:
        yield s


@pytest.fixture
def marimo_app(sim, tmp_path):
    """``marimo run`` of the panels' notebook on 127.0.0.1; its URL. Stopped (its process group) after."""
    with connect(url=sim.url, api_key=KEY) as client:
        studio = client.get_project("CHURN_MODEL").list_code_studios()[0].get_raw()["id"]
    (tmp_path / "panels.py").write_text(app_source(studio))
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "DKU_DSS_URL": sim.url, "DKU_API_KEY": KEY, "MARIMO_SKIP_UPDATE_CHECK": "1",
           "HOME": str(tmp_path)}
    log = open(tmp_path / "marimo.log", "w")  # noqa: SIM115 - closed below
    proc = subprocess.Popen([sys.executable, "-m", "marimo", "run", "panels.py", "--headless", "--no-token",
                             "--host", "127.0.0.1", "--port", str(port)], cwd=tmp_path, env=env, stdout=log,
                            stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                if requests.get(url, timeout=1).ok:
                    break
            except requests.RequestException:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail("marimo did not start:\n" + (tmp_path / "marimo.log").read_text())
            time.sleep(0.2)
        yield url
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
        log.close()


def test_every_panel_and_the_dashboard_render_and_act_in_marimo(marimo_app, page, sim):
    console = []
    page.on("console", lambda m: m.type == "error" and console.append(m.text[:300]))
    page.goto(marimo_app)
    with connect(url=sim.url, api_key=KEY) as client:
        df = client.studios_frame()
    tables = page.locator("table.csw-st-table")
    expect(tables).to_have_count(2, timeout=120_000)  # the table's cell and the dashboard's
    for table in (tables.nth(0), tables.nth(1)):
        expect(table.locator("tbody tr.csw-st-row")).to_have_count(len(df), timeout=60_000)
    expect(page.locator(".csw-cv section.csw-cv-zone").first).to_be_visible(timeout=60_000)
    expect(page.locator(".csw-template-builds tr[data-template='tpl_rstudio']").first).to_be_visible()
    expect(page.locator(".csw-future-progress .csw-future-final")).to_have_text("Done", timeout=60_000)
    expect(page.locator(".csw-act").first).to_be_visible()
    for title in ("File sync", "Template builds", "Activity"):  # the dashboard's marimo tabs
        expect(page.get_by_role("tab", name=title)).to_be_visible()
    themed = page.locator(".csw-root").first.evaluate("r => getComputedStyle(r).getPropertyValue('--csw-bg')")
    assert themed.strip(), "the theme did not reach the panel's shadow root"

    # a Stop from the table's cell, confirmed, reaches DSS and shows in the row
    target = df[df["state"].astype(str) == "RUNNING"].iloc[0]
    row = tables.nth(0).locator(f'tr.csw-st-row[data-key="{target["project_key"]}/{target["id"]}"]')
    # marimo's cell is narrow: the row's actions are its "⋯" menu (#24 finding 9), the same actions by name
    row.get_by_role("button", name=f"Actions of {target['name']}", exact=True).click()
    menu = page.locator(".csw-st-row-menu:not([hidden])")  # the one menu open
    menu.get_by_role("menuitem", name=f"Stop {target['name']}", exact=True).click()
    dialog = page.get_by_role("alertdialog").first
    dialog.get_by_role("button", name=f"Stop {target['name']}", exact=True).click()
    expect(row.locator(".csw-badge")).to_have_text("STOPPED", timeout=60_000)
    assert sim.status(target["project_key"], target["id"])["state"] == "STOPPED"
    assert page.offhost == [], page.offhost
    assert console == [], console
