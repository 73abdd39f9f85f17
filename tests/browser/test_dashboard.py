"""The quickstart's dashboard in JupyterLab 4, Notebook 7 and the classic notebook (nbclassic, close
to DSS's own notebooks): it renders, the parts talk to each other (a row's Conflicts button opens
the studio's zones) and a stop started in the table shows in the activity log.

The Jupyter servers run with empty, temporary config folders: the classic notebook renders the
widgets only because anywidget's and ipywidgets' nbextensions are enabled by installation alone
(``etc/jupyter/nbconfig/notebook.d`` in the environment)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

import cswidgets
from cswidgets.api import connect
from cswidgets.sim import Simulator
from tests.browser.support import without_outputs

NOTEBOOK = Path(__file__).resolve().parents[2] / "notebooks" / "quickstart.ipynb"


# A rule only each stylesheet has: the theme (js/shared/styles.js), then each panel's style.css.
MARKERS = ("--csw-bg-alt:", ".csw-st-toolbar", ".csw-cv-zone", ".csw-tb-toolbar", ".csw-act-head")
STYLESHEETS = """(markers) => {
  const texts = [...document.querySelectorAll("style")].map((s) => s.textContent);
  const copies = Object.fromEntries(markers.map((m) => [m, texts.filter((t) => t.includes(m)).length]));
  return { ...copies, inside: document.querySelectorAll(".csw-root style").length };
}"""


@pytest.fixture(scope="module")
def sim():
    with Simulator(scenario="demo", api_key="k", seed=0, speed=20) as s:
        yield s


@pytest.mark.parametrize("app", ["lab", "notebook", "classic"])
def test_quickstart_dashboard(jupyter, page, sim, app):
    console: list[str] = []
    page.on("console", lambda m: console.append(f"{m.type}: {m.text[:300]}"))
    ours = []  # page errors raised by our code (Notebook 7 logs one of its own)
    page.on("pageerror", lambda e: "/static/notebook/" in (e.stack or "") or ours.append(e.stack or str(e)))
    with connect(url=sim.url, api_key="k") as client:
        df = client.studios_frame()
    running = df[df["state"].astype(str) == "RUNNING"]
    stop_target, sync_target = running.iloc[0], running.iloc[1]
    server = jupyter(app, files={"quickstart.ipynb": without_outputs(NOTEBOOK)},
                     env={"DKU_DSS_URL": sim.url, "DKU_API_KEY": "k"})
    server.open(page, "quickstart.ipynb")
    server.run_all(page)
    nb = server.notebook_locator(page)
    expect(nb.get_by_text(f"cswidgets {cswidgets.__version__}", exact=True)).to_be_visible(timeout=90_000)

    # renders: the table with every studio, and the three tabs
    table = nb.locator("table.csw-st-table").first
    try:
        expect(table).to_be_visible(timeout=90_000)
    except AssertionError as exc:  # say what the page said (a classic-notebook render was once missing)
        shot = server.root.parent / f"dashboard-{app}.png"
        page.screenshot(path=str(shot), full_page=True)
        raise AssertionError(f"{exc}\nscreenshot: {shot}\nconsole:\n" + "\n".join(console[-60:])) from None
    expect(table.locator("tbody tr.csw-st-row")).to_have_count(len(df), timeout=30_000)
    dash = nb.locator(".csw-dashboard").first
    for title in ("File sync", "Template builds", "Activity (0)"):
        expect(dash.get_by_role("tab", name=title, exact=True)).to_be_visible()

    # the Conflicts button of a row opens that studio's zones in the File sync tab
    name = sync_target["name"]
    table.get_by_role("button", name=f"Conflicts of {name}", exact=True).click()
    expect(dash.get_by_role("tab", name=f"File sync · {name}", exact=True)).to_be_visible(timeout=30_000)
    expect(dash.locator(".csw-cv-title")).to_have_text(f"File sync · {name}", timeout=30_000)
    expect(dash.locator(".csw-cv-zone").first).to_be_visible(timeout=30_000)

    # a stop started in the table shows in the activity log, with its outcome and duration
    name = stop_target["name"]
    row = table.locator(f'tr.csw-st-row[data-key="{stop_target["project_key"]}/{stop_target["id"]}"]')
    row.get_by_role("button", name=f"Stop {name}", exact=True).click()
    dialog = nb.get_by_role("alertdialog").first
    dialog.get_by_role("button", name=f"Stop {name}", exact=True).click()
    expect(row.locator(".csw-badge")).to_have_text("STOPPED", timeout=30_000)
    activity_tab = dash.get_by_role("tab", name="Activity (2)", exact=True)  # the conflicts opening + the stop
    expect(activity_tab).to_be_visible(timeout=30_000)
    activity_tab.click()
    log = dash.locator(".csw-act").first
    expect(log).to_be_visible()
    stop_row = log.locator('tbody tr[data-outcome="done"]').filter(has_text=name)
    expect(stop_row).to_have_count(1, timeout=30_000)
    cells = stop_row.locator("td")
    expect(cells.nth(2)).to_have_text("stop")
    expect(cells.nth(5)).to_have_text(re.compile(r"^(\d+(\.\d)?s|\d+m \d\ds)$"))  # the one duration format
    expect(log.locator("th[scope=col]")).to_have_count(8)  # ... Message, Python ("Copy as Python")
    opened = log.locator('tbody tr[data-outcome="done"]').filter(has_text=sync_target["name"])
    expect(opened.filter(has=page.locator("td", has_text="conflicts"))).to_have_count(1)

    assert sim.status(stop_target["project_key"], stop_target["id"])["state"] == "STOPPED"
    # one copy of each stylesheet in the page: the theme and each panel's own (anywidget's _css),
    # none inside the panels
    assert page.evaluate(STYLESHEETS, MARKERS) == {**dict.fromkeys(MARKERS, 1), "inside": 0}
    assert page.offhost == [], page.offhost
    assert ours == [], ours
