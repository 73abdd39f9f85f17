"""The classic-notebook loader (``cswidgets/widgets/shared/classic.py``) where it has nothing to do:
JupyterLab 4, Notebook 7, and nbclassic with anywidget's nbextension installed. The panel renders,
its cell shows exactly one output (the loader's own output is hidden: no empty box) and nothing
redefines the ``anywidget`` module the server provides. (Where it matters -- a server without
anywidget -- see tests/dss_like.)"""

from __future__ import annotations

import json
import time
from pathlib import Path

import nbformat
import pytest
from playwright.sync_api import expect

from cswidgets.sim import Simulator
from cswidgets.widgets.shared import classic as _classic

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


TWO_PANELS = nbformat.writes(nbformat.v4.new_notebook(
    cells=[nbformat.v4.new_code_cell(source) for source in (
        "import cswidgets\n\nclient = cswidgets.connect()\ncswidgets.StudioTable(client)",
        "cswidgets.TemplateBuilds(client)",
    )],
    metadata={"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}},
))
SAVE = {"lab": "window.jupyterapp.commands.execute('docmanager:save')",
        "notebook": "window.jupyterapp.commands.execute('docmanager:save')",
        "classic": "window.Jupyter.notebook.save_notebook()"}
PANELS = ("table.csw-st-table", ".csw-template-builds table")


@pytest.mark.parametrize("app", ["lab", "notebook", "classic"])
def test_a_notebook_saved_after_two_panels_rendered_holds_no_loader(jupyter, page, sim, app):
    """Run all (both cells are queued before a view renders: each gets the loader), save: the file holds
    no script, only an empty output where the loader was. Run again: the page said a panel rendered
    there, so no loader comes at all -- each cell shows its panel alone."""
    server = jupyter(app, files={"two.ipynb": TWO_PANELS}, env={"DKU_DSS_URL": sim.url, "DKU_API_KEY": KEY})
    server.open(page, "two.ipynb")
    nb = server.notebook_locator(page)
    cells = nb.locator(".jp-CodeCell" if app != "classic" else ".cell.code_cell")
    for again in (False, True):
        server.run_all(page)
        for i, panel in enumerate(PANELS):
            expect(cells.nth(i).locator(f"{OUTPUTS[app]}:visible {panel}")).to_have_count(1, timeout=90_000)
            expect(cells.nth(i).locator(f"{OUTPUTS[app]}:visible")).to_have_count(1)
            if again:
                expect(cells.nth(i).locator(OUTPUTS[app])).to_have_count(1)  # no loader output at all
        path = server.root / "two.ipynb"
        before = path.stat().st_mtime_ns
        page.evaluate(SAVE[app])
        saved = _wait_saved(path, before)
        outputs = [cell["outputs"] for cell in saved["cells"]]
        text = json.dumps(outputs)
        assert "application/javascript" not in text and "requirejs" not in text, text[:500]
        for cell_outputs in outputs:
            views = [o for o in cell_outputs if "application/vnd.jupyter.widget-view+json" in o.get("data", {})]
            rest = [o for o in cell_outputs if o not in views]
            assert len(views) == 1
            assert rest == ([] if again else [{"output_type": "display_data", "data": _classic.EMPTY,
                                                "metadata": {}}]), rest
        assert len(json.dumps(saved["cells"][1]["outputs"])) < 30_000  # was 34 KB more of script
    assert page.offhost == [], page.offhost
    assert [e for e in page.console_errors if not (app == "notebook" and e == NB7_STARTUP_ERROR)] == []


def _wait_saved(path: Path, before_ns: int) -> dict:
    """The notebook once the front end's save (started after ``before_ns``) has written it."""
    deadline = time.monotonic() + 30
    while True:
        try:
            if path.stat().st_mtime_ns > before_ns:
                return nbformat.reads(path.read_text(), as_version=4)  # multi-line strings joined
        except (OSError, ValueError):  # being written
            pass
        assert time.monotonic() < deadline, f"{path} not saved with outputs"
        time.sleep(0.2)
