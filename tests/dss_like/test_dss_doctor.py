"""``cswidgets.doctor()`` in a DSS-like notebook (DSS's classic Notebook 6.5 server with widgetsnbextension
3.6 and no anywidget, a code environment built from the wheel): the probe renders and the kernel hears it;
on a server without the widgets extension (no widget manager), the cell explains why and gives the fix."""

from __future__ import annotations

import nbformat
import pytest
from playwright.sync_api import expect

from cswidgets.sim import Simulator
from cswidgets.widgets.doctor.probe import NOT_RENDERED
from cswidgets.widgets.shared import classic as _classic
from tests.browser.conftest import CLASSIC_KERNEL_IDLE

KEY = "k-dss-doctor"
CELLS = ["import cswidgets\n\nclient = cswidgets.connect()\nprint('connected')",
         "report = cswidgets.doctor(client, wait=10)",
         "print('probe:', report.notebook['probe'], '|', report.notebook.get('front_end'))"]


def notebook() -> str:
    return nbformat.writes(nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_code_cell(source) for source in CELLS],
        metadata={"kernelspec": {"display_name": "Python (code env)", "language": "python", "name": "codeenv"}},
    ))


@pytest.fixture(scope="module")
def sim():
    with Simulator(scenario="demo", api_key=KEY, seed=0, speed=0) as s:
        yield s


def test_the_probe_renders_in_a_dss_notebook(dss_notebook, page, sim):
    server = dss_notebook("ipyw7", files={"doctor.ipynb": notebook()}, env={"DKU_DSS_URL": sim.url, "DKU_API_KEY": KEY})
    page.goto(server.notebook_url("doctor.ipynb"))
    page.wait_for_function(CLASSIC_KERNEL_IDLE, timeout=90_000)
    cells = page.locator("#notebook .cell.code_cell")
    page.evaluate("window.Jupyter.notebook.execute_cells([0])")  # the widget manager's restore ends first
    expect(cells.nth(0).locator(".output_text")).to_contain_text("connected", timeout=90_000)
    page.evaluate("window.Jupyter.notebook.execute_cells([1])")
    expect(cells.nth(1).locator("pre.csw-doctor-report")).to_contain_text("every checkable assumption is confirmed",
                                                                          timeout=90_000)
    expect(cells.nth(1).locator(".csw-doctor-probe")).to_contain_text("the kernel heard it", timeout=60_000)
    expect(cells.nth(1).locator(".csw-doctor-frontend")).to_contain_text(
        "Front end: the probe widget rendered in classic Notebook", timeout=30_000)
    page.evaluate("window.Jupyter.notebook.execute_cells([2])")
    expect(cells.nth(2).locator(".output_text")).to_contain_text("probe: answered | classic Notebook")
    assert page.offhost == [], page.offhost


def test_without_the_widget_manager_the_cell_says_why_and_the_fix(dss_notebook, page, sim):
    server = dss_notebook("ipyw8", files={"doctor.ipynb": notebook()},
                          env={"DKU_DSS_URL": sim.url, "DKU_API_KEY": KEY}, widgets=False)
    page.goto(server.notebook_url("doctor.ipynb"))
    page.wait_for_function("window.Jupyter?.notebook?.kernel?.is_connected?.() && "
                           "window.Jupyter.notebook.kernel_busy !== true", timeout=90_000)
    page.evaluate("window.Jupyter.notebook.execute_cells([0, 1])")
    cell = page.locator("#notebook .cell.code_cell").nth(1)
    expect(cell.locator("pre.csw-doctor-report")).to_be_visible(timeout=90_000)
    expect(cell.locator(".csw-doctor-probe")).to_contain_text(NOT_RENDERED)  # the probe's HTML alternative
    line = cell.locator(".csw-doctor-frontend")
    expect(line).to_contain_text("the probe widget did not answer within 10 s", timeout=60_000)
    expect(line.locator("li").first).to_have_text(_classic.NO_WIDGETS)  # the likeliest cause, with its fix
    # The loader's own page note (above the outputs) is not asserted here: the doctor's cell rewrites its outputs
    # while it runs, and the note does not survive that (known gap, closing note of issue 27); the doctor's line
    # above says the same cause and fix.
    page.evaluate("window.Jupyter.notebook.execute_cells([2])")
    expect(page.locator("#notebook .cell.code_cell").nth(2).locator(".output_text")).to_contain_text(
        "probe: no answer within 10 s")
