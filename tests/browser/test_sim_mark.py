"""Issue #24 finding 1: the SIMULATOR mark must not show on a real connection. The mark is a
``hidden`` element whose CSS ``display`` used to beat the ``hidden`` attribute, so it showed on every
connection. Each panel with a mark (StudioTable, TemplateBuilds, ConflictViewer) is shown twice: once
over a client that decided it talks to a real DSS (``is_simulator`` False: the mark must be absent),
once over the simulator (the mark must be visible — so the first check cannot pass by accident)."""

from __future__ import annotations

import nbformat
import pytest
from playwright.sync_api import expect

from cswidgets.sim import Simulator

KEY = "k-e2e-sim-mark"
PANELS = ("csw-st", "csw-template-builds", "csw-cv")
SETUP = ("import os\nimport cswidgets\n\n"
         "def panels(client):\n"
         "    return [cswidgets.StudioTable(client), cswidgets.TemplateBuilds(client),\n"
         "            cswidgets.ConflictViewer(client, os.environ['CSW_PK'], os.environ['CSW_SID'])]\n\n"
         "real = cswidgets.connect()\n"
         "real._is_simulator = False  # what the client decides when the server is a real DSS\n"
         "sim = cswidgets.connect()\n"
         "assert sim.is_simulator")
NOTEBOOK = nbformat.writes(nbformat.v4.new_notebook(
    cells=[
        nbformat.v4.new_code_cell(SETUP),
        nbformat.v4.new_code_cell("from IPython.display import display\ndisplay(*panels(real))"),
        nbformat.v4.new_code_cell("display(*panels(sim))"),
    ],
    metadata={"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}},
))


@pytest.fixture(scope="module")
def sim():
    with Simulator(scenario="demo", api_key=KEY, seed=0) as s:
        pk = s.add_project("SIM_MARK")
        sid = s.add_studio(pk, "Mark studio", "admin", "tpl_vscode", state="RUNNING")
        yield s, pk, sid


@pytest.mark.parametrize("app", ["lab", "notebook", "classic"])  # classic: the notebook DSS runs, on a real DSS
def test_simulator_mark_only_on_the_simulator(jupyter, page, sim, app):
    s, pk, sid = sim
    server = jupyter(app, files={"marks.ipynb": NOTEBOOK},
                     env={"DKU_DSS_URL": s.url, "DKU_API_KEY": KEY, "CSW_PK": pk, "CSW_SID": sid})
    server.open(page, "marks.ipynb")
    server.run_all(page)
    nb = server.notebook_locator(page)
    cells = nb.locator(".code_cell" if app == "classic" else ".jp-CodeCell")
    real_cell, sim_cell = cells.nth(1), cells.nth(2)
    for panel in PANELS:
        on_sim = sim_cell.locator(f".csw-root.{panel}")
        expect(on_sim).to_be_visible(timeout=90_000)
        expect(on_sim.locator(".csw-sim-mark")).to_be_visible(timeout=30_000)
        on_real = real_cell.locator(f".csw-root.{panel}")
        expect(on_real).to_be_visible()
        expect(on_real.locator(".csw-sim-mark")).to_have_count(1)  # rendered, hidden
        expect(on_real.locator(".csw-sim-mark")).to_be_hidden()
        assert on_real.locator(".csw-sim-mark").evaluate("e => getComputedStyle(e).display") == "none"
