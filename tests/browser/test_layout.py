"""ipywidgets' ``layout`` in JupyterLab: a StudioTable given ``Layout(height=...)`` fills that height (its grid
takes what the toolbar leaves, instead of its 480 px cap), follows a later change of it, and one without
keeps the 480 px grid. 60 studios: more than either height shows."""

from __future__ import annotations

import nbformat
import pytest
from playwright.sync_api import expect

from cswidgets.sim import Simulator

KEY = "k-layout"
CELLS = [
    "import cswidgets, ipywidgets\nclient = cswidgets.connect()\n"
    "tall = cswidgets.StudioTable(client, layout=ipywidgets.Layout(height='760px'))\ntall",
    "cswidgets.StudioTable(client)",
    "tall.layout.height = '400px'",
]
NOTEBOOK = nbformat.writes(nbformat.v4.new_notebook(
    cells=[nbformat.v4.new_code_cell(c) for c in CELLS],
    metadata={"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}},
))
HEIGHTS = "els => els.map(e => Math.round(e.getBoundingClientRect().height))"


@pytest.fixture(scope="module")
def sim():
    with Simulator(scenario="scale", api_key=KEY, seed=0, projects=2, studios=60, speed=0) as s:
        yield s


def test_the_table_fills_the_height_its_layout_gives(jupyter, page, sim):
    server = jupyter("lab", files={"layout.ipynb": NOTEBOOK}, env={"DKU_DSS_URL": sim.url, "DKU_API_KEY": KEY})
    server.open(page, "layout.ipynb")
    nb = server.notebook_locator(page)
    cells = nb.locator(".jp-CodeCell")
    for i in (0, 1):
        server.run_cell(page, i)
        expect(cells.nth(i).locator("tr.csw-st-row").first).to_be_visible(timeout=90_000)
    tall, default = (cells.nth(i).locator(".csw-st") for i in (0, 1))
    scrollers = nb.locator(".csw-st-scroll")
    (tall_box,), (default_box,) = (t.evaluate_all(HEIGHTS) for t in (tall, default))
    tall_grid, default_grid = scrollers.evaluate_all(HEIGHTS)
    assert tall_box == 760, tall_box  # the panel is the height asked for ...
    assert 480 + 100 < tall_grid < 760, tall_grid  # ... and its grid takes what the toolbar leaves
    assert default_grid == 480, default_grid  # no layout: the grid's own cap
    assert default_box < 760, default_box
    rows_shown = cells.nth(0).locator("tr.csw-st-row").evaluate_all(
        "rows => rows.filter(r => r.getBoundingClientRect().bottom <= "
        "r.closest('.csw-st-scroll').getBoundingClientRect().bottom).length")
    assert rows_shown >= (tall_grid - 40) // 34 - 1, rows_shown  # drawn down to the bottom, not 480 px worth

    server.run_cell(page, 2)  # a later change of the layout is followed
    page.wait_for_function("() => Math.round(document.querySelector('.csw-st').getBoundingClientRect().height) "
                           "=== 400")
    shrunk = scrollers.first.evaluate("e => e.getBoundingClientRect().height")
    assert 400 - 200 < shrunk < 400, shrunk
    assert page.offhost == [], page.offhost
