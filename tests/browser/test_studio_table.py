"""StudioTable in real front ends (JupyterLab and Notebook 7) against the simulator: the table shows
the simulator's studios, and stop -> confirm stops one, its badge turning STOPPED without re-running
a cell."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from cswidgets.api import connect
from cswidgets.sim import Simulator
from tests.browser.support import without_outputs

NOTEBOOK = Path(__file__).resolve().parents[2] / "notebooks" / "studios.ipynb"


@pytest.fixture(scope="module")
def sim():
    with Simulator(scenario="demo", api_key="k", seed=0, speed=20) as s:
        yield s


@pytest.mark.parametrize("app", ["lab", "notebook"])
def test_table_shows_studios_and_stops_one(jupyter, page, sim, app):
    ours = []  # page errors not raised by the front end's own code (Notebook 7 logs one of its own)
    page.on("pageerror", lambda e: "/static/notebook/" in (e.stack or "") or ours.append(e.stack or str(e)))
    client = connect(url=sim.url, api_key="k")
    df = client.studios_frame()
    server = jupyter(app, files={"studios.ipynb": without_outputs(NOTEBOOK)},
                     env={"DKU_DSS_URL": sim.url, "DKU_API_KEY": "k"})
    server.open(page, "studios.ipynb")
    server.run_all(page)
    nb = server.notebook_locator(page)
    table = nb.locator("table.csw-st-table").first
    expect(table).to_be_visible(timeout=90_000)

    # every studio of the simulator is a row (13 rows fit in the virtual window)
    rows = table.locator("tbody tr.csw-st-row")
    expect(rows).to_have_count(len(df), timeout=30_000)
    for name in df["name"]:
        expect(table.get_by_text(name, exact=True)).to_have_count(1)
    expect(table.locator("th[scope=col]")).to_have_count(10)
    # no header is cut off (ellipsis) in a narrow notebook (the table is ~850 px wide in Lab with
    # its side bar open), "Last change" included: a narrower notebook scrolls the table instead
    cut = table.evaluate("t => [...t.querySelectorAll('th[scope=col]')]"
                         ".filter(th => th.scrollWidth > th.clientWidth)"
                         ".map(th => [th.textContent, th.scrollWidth, th.clientWidth])")
    assert cut == [], cut
    expect(nb.locator(".csw-st-summary").first).to_contain_text(f"{len(df)} studios")

    # stop a running studio through the confirmation (df is read per test: the other front end's
    # run may have stopped one already)
    target = df[df["state"].astype(str) == "RUNNING"].iloc[0]
    name = target["name"]
    row = table.locator(f'tr.csw-st-row[data-key="{target["project_key"]}/{target["id"]}"]')
    expect(row.locator(".csw-badge")).to_have_text("RUNNING")
    row.get_by_role("button", name=f"Stop {name}", exact=True).click()
    dialog = nb.get_by_role("alertdialog").first
    expect(dialog).to_contain_text(f"“{name}”")
    dialog.get_by_role("button", name=f"Stop {name}", exact=True).click()
    expect(row.locator(".csw-badge")).to_have_text("STOPPED", timeout=30_000)
    assert sim.status(target["project_key"], target["id"])["state"] == "STOPPED"
    expect(row.get_by_role("button", name=f"Start {name}", exact=True)).to_be_enabled()

    # the free-text filter narrows the rows (typing in the box is not taken as notebook shortcuts)
    nb.get_by_role("searchbox", name="Filter studios by text").first.press_sequentially("Scoring")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Scoring API")

    assert page.offhost == [], page.offhost
    assert ours == [], ours
    client.close()
