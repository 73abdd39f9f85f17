"""The classic-notebook loader (``cswidgets/widgets/shared/classic.py``) where it has nothing to do:
JupyterLab 4, Notebook 7, and nbclassic with anywidget's nbextension installed. The panel renders,
its cell shows exactly one output (the loader's own output is hidden: no empty box) and nothing
redefines the ``anywidget`` module the server provides. (Where it matters -- a server without
anywidget -- see tests/dss_like.)"""

from __future__ import annotations

import nbformat
import pytest
from playwright.sync_api import expect

from cswidgets.sim import Simulator

KEY = "k-loader"
NOTEBOOK = nbformat.writes(nbformat.v4.new_notebook(
    cells=[nbformat.v4.new_code_cell("import cswidgets\n\ncswidgets.StudioTable(cswidgets.connect())")],
    metadata={"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}},
))
OUTPUTS = {"lab": ".jp-OutputArea-child", "notebook": ".jp-OutputArea-child", "classic": ".output_area"}
NB7_STARTUP_ERROR = "Cannot read properties of undefined (reading 'schema')"  # Notebook 7.6's own


@pytest.fixture(scope="module")
def sim():
    with Simulator(scenario="demo", api_key=KEY, seed=0, speed=20) as s:
        yield s


@pytest.mark.parametrize("app", ["lab", "notebook", "classic"])
def test_panel_renders_with_one_visible_output(jupyter, page, sim, app):
    server = jupyter(app, files={"loader.ipynb": NOTEBOOK}, env={"DKU_DSS_URL": sim.url, "DKU_API_KEY": KEY})
    server.open(page, "loader.ipynb")
    server.run_all(page)
    nb = server.notebook_locator(page)
    expect(nb.locator("table.csw-st-table")).to_be_visible(timeout=90_000)
    outputs = nb.locator(OUTPUTS[app])
    expect(outputs).to_have_count(2)  # the loader's and the panel's
    expect(nb.locator(f"{OUTPUTS[app]}:visible")).to_have_count(1)
    expect(nb.locator(f"{OUTPUTS[app]}:visible table.csw-st-table")).to_have_count(1)
    if app == "classic":  # the server's own anywidget module stays the one in use
        mapped = page.evaluate("window.requirejs.s.contexts._.config.map['*'].anywidget")
        assert mapped == "nbextensions/anywidget/index"
    assert page.offhost == [], page.offhost
    assert [e for e in page.console_errors if not (app == "notebook" and e == NB7_STARTUP_ERROR)] == []
