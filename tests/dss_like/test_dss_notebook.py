"""Every panel renders and acts in a DSS-like notebook, with no administrator help: DSS's classic
Notebook 6.5 server with widgetsnbextension 3.6 and no anywidget, and a code environment where the
wheel was pip-installed with ipywidgets 7.8 (and, second run, 8.1). Only the kernel-side loader
(``cswidgets/widgets/shared/classic.py``) provides anywidget's front-end module to the page.

Checked, with no error in the browser console: the studio table (Stop -> confirm -> STOPPED), the
conflict viewer (a pull with its confirmation), a FutureProgress, a template build whose bar moves
to "done", and the Dashboard with its tabs labelled (ipywidgets 8's ``titles`` is unknown to a 3.x
front end). Saved, the notebook holds none of the loader's script (its output is emptied when its cell
ends). Where panels truly cannot work (widgets not enabled on the server), the cell says why and how to
fix it -- it is never blank."""

from __future__ import annotations

import json
import time

import nbformat
import pytest
from playwright.sync_api import expect

from cswidgets.api import connect
from cswidgets.sim import Simulator
from cswidgets.widgets.shared import classic as _classic
from tests.browser.conftest import CLASSIC_KERNEL_IDLE

KEY = "k-dss-like"
ZONE = "project-lib-versioned"
CELLS = [
    "import os\nimport ipywidgets\nimport cswidgets\n\nclient = cswidgets.connect()\n"
    "print('ipywidgets', ipywidgets.__version__, '| cswidgets', cswidgets.__version__)",
    "table = cswidgets.StudioTable(client)\ntable",
    "viewer = cswidgets.ConflictViewer(client, os.environ['CSW_PK'], os.environ['CSW_SID'])\nviewer",
    "cswidgets.TemplateBuilds(client)",
    "cswidgets.FutureProgress(client.get_code_studio_template('tpl_streamlit').build())",
    "dash = cswidgets.Dashboard(client)\ndash",
]
# every change of a progress bar's value, recorded in the page (the bar may move fast)
WATCH_BAR = """(card) => { const seen = (card.__cswSeen = []);
  const bar = card.querySelector('[role=progressbar]');
  const snap = () => seen.push(bar.getAttribute('aria-valuenow'));
  new MutationObserver(snap).observe(bar, {attributes: true, attributeFilter: ['aria-valuenow']}); snap(); }"""
TAB_LABELS = ".p-TabBar-tabLabel, .lm-TabBar-tabLabel"  # widgetsnbextension 3.x (phosphor) / 4.x (lumino)


def run_first_cell_then_the_rest(page, cells) -> None:
    """The first cell creates no widget; once its output is back, the widget manager has finished
    restoring the kernel's widgets (its requests were queued before), so widgets created by the next
    cells cannot race with that restore (widgetsnbextension 3.6 may then leave one blank, panels or
    not -- seen with a plain ``ipywidgets.Tab``)."""
    page.evaluate("window.Jupyter.notebook.execute_cells([0])")
    expect(cells.nth(0).locator(".output_subarea").first).to_be_visible(timeout=90_000)
    page.evaluate("(n) => window.Jupyter.notebook.execute_cells([...Array(n).keys()].slice(1))", cells.count())


def notebook() -> str:
    return nbformat.writes(nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_code_cell(source) for source in CELLS],
        metadata={"kernelspec": {"display_name": "Python (code env)", "language": "python", "name": "codeenv"}},
    ))


@pytest.fixture(scope="module")
def sim():
    with Simulator(scenario="demo", api_key=KEY, seed=0, speed=4) as s:  # a 30 s build lasts 7.5 s
        yield s


def studio_with_conflicts(sim, tag: str) -> tuple[str, str]:
    pk = sim.add_project(f"DSS_LIKE_{tag.upper()}")
    sid = sim.add_studio(pk, "DSS-like studio", "admin", "tpl_vscode", state="STOPPED")
    sim.write_file(pk, sid, ZONE, "lib/util.py", "base\n", side="dss", author="bob")
    sim.set_state(pk, sid, "RUNNING")
    sim.write_file(pk, sid, ZONE, "lib/util.py", "from the code studio\n", side="studio")
    sim.write_file(pk, sid, ZONE, "lib/util.py", "from DSS\n", side="dss", author="bob")
    return pk, sid


@pytest.mark.parametrize(("kernel_name", "ipywidgets_major"), [("ipyw7", "7"), ("ipyw8", "8")])
def test_every_panel_renders_and_acts(dss_notebook, page, sim, kernel_name, ipywidgets_major):
    console = []  # every console error and page error (a 404, "Script error for anywidget"...)
    page.on("console", lambda m: m.type == "error" and console.append(m.text[:300]))
    page.on("pageerror", lambda e: console.append(str(e)[:300]))
    pk, sid = studio_with_conflicts(sim, kernel_name)
    server = dss_notebook(kernel_name, files={"dss.ipynb": notebook()},
                          env={"DKU_DSS_URL": sim.url, "DKU_API_KEY": KEY, "CSW_PK": pk, "CSW_SID": sid})
    page.goto(server.notebook_url("dss.ipynb"))
    page.wait_for_function(CLASSIC_KERNEL_IDLE, timeout=90_000)
    assert page.evaluate("!!(window.requirejs.s.contexts._.config.map['*'] || {}).anywidget") is False
    cells = page.locator("#notebook .cell.code_cell")
    run_first_cell_then_the_rest(page, cells)
    expect(cells.nth(0).locator(".output_text")).to_contain_text(f"ipywidgets {ipywidgets_major}.")

    # the studio table: every studio, and Stop -> confirm -> STOPPED
    with connect(url=sim.url, api_key=KEY) as client:
        df = client.studios_frame()
    table = cells.nth(1).locator("table.csw-st-table")
    expect(table).to_be_visible(timeout=90_000)
    expect(table.locator("tbody tr.csw-st-row")).to_have_count(len(df), timeout=30_000)
    target = df[(df["state"].astype(str) == "RUNNING") & (df["project_key"] != pk)].iloc[0]
    row = table.locator(f'tr.csw-st-row[data-key="{target["project_key"]}/{target["id"]}"]')
    row.get_by_role("button", name=f"Stop {target['name']}", exact=True).click()
    dialog = cells.nth(1).get_by_role("alertdialog")
    expect(dialog).to_contain_text(f"“{target['name']}”")
    dialog.get_by_role("button", name=f"Stop {target['name']}", exact=True).click()
    expect(row.locator(".csw-badge")).to_have_text("STOPPED", timeout=30_000)
    assert sim.status(target["project_key"], target["id"])["state"] == "STOPPED"

    # the conflict viewer: a pull, after its confirmation
    zone = cells.nth(2).locator(f'section.csw-cv-zone[data-key="{ZONE}|/home/dataiku/workspace/{ZONE}"]')
    expect(zone).to_have_attribute("data-status", "conflicts", timeout=60_000)
    zone.get_by_role("button", name="Pull", exact=True).click()
    confirm = zone.get_by_role("group").filter(has_text="writes the code studio's files into DSS")
    expect(confirm).to_contain_text("lib/util.py")
    assert sim.read_files(pk, sid, ZONE, side="dss")["lib/util.py"] == "from DSS\n"  # nothing sent yet
    confirm.get_by_role("button", name="Confirm pull").click()
    expect(zone).to_have_attribute("data-status", "clean", timeout=30_000)
    assert sim.read_files(pk, sid, ZONE, side="dss")["lib/util.py"] == "from the code studio\n"

    # a FutureProgress bar, and a build started from TemplateBuilds whose bar moves to "done"
    expect(cells.nth(4).locator(".csw-future .csw-future-final")).to_have_text("Done", timeout=60_000)
    row = cells.nth(3).locator('tr[data-template="tpl_rstudio"]')
    row.get_by_role("button", name="Build RStudio Server", exact=True).click()
    card = cells.nth(3).locator('.csw-future[data-template="tpl_rstudio"]')
    expect(card).to_be_visible(timeout=30_000)
    card.evaluate(WATCH_BAR)
    expect(card).to_have_attribute("data-final", "done", timeout=60_000)
    seen = [int(v) for v in card.evaluate("c => c.__cswSeen") if v is not None]
    assert len(set(seen)) >= 3 and seen == sorted(seen), seen
    expect(card.get_by_role("progressbar")).to_have_attribute("aria-valuenow", "100")

    # the dashboard, its tabs labelled
    dash = cells.nth(5).locator(".csw-dashboard")
    expect(dash.locator("table.csw-st-table")).to_be_visible(timeout=60_000)
    labels = dash.locator(TAB_LABELS)
    expect(labels).to_have_text(["File sync", "Template builds", "Activity (0)", "Governance"], timeout=30_000)

    # the loader left no visible output of its own, saved notebooks hold none of it, and nothing went wrong
    assert page.locator(".csw-classic-loader:visible").count() == 0
    expect(cells.nth(1).locator(".output_area:visible")).to_have_count(1)  # the table alone
    saved = save(page, server.root / "dss.ipynb")
    outputs = json.dumps([cell["outputs"] for cell in saved["cells"]])
    assert "application/javascript" not in outputs and "requirejs" not in outputs
    assert page.offhost == [], page.offhost
    assert console == [], console


def save(page, path) -> dict:
    """Save the notebook from the page; its file once written."""
    before = path.stat().st_mtime_ns
    page.evaluate("window.Jupyter.notebook.save_notebook()")
    deadline = time.monotonic() + 30
    while path.stat().st_mtime_ns <= before:
        assert time.monotonic() < deadline, "the notebook was not saved"
        time.sleep(0.2)
    return nbformat.reads(path.read_text(), as_version=4)


def test_where_panels_cannot_work_the_cell_says_why_and_the_fix(dss_notebook, page, sim):
    """Widgets not enabled on the server: the cell says so (with the administrator's command) above the
    panel's static snapshot -- a page element, not an output: the saved notebook holds no such text (it
    would mislead where the notebook is shown without a kernel)."""
    server = dss_notebook("ipyw8", files={"live.ipynb": notebook()},
                          env={"DKU_DSS_URL": sim.url, "DKU_API_KEY": KEY, "CSW_PK": "X", "CSW_SID": "y"},
                          widgets=False)
    page.goto(server.notebook_url("live.ipynb"))
    page.wait_for_function("window.Jupyter?.notebook?.kernel?.is_connected?.() && "
                           "window.Jupyter.notebook.kernel_busy !== true", timeout=90_000)
    page.evaluate("window.Jupyter.notebook.execute_cells([0, 1])")
    cell = page.locator("#notebook .cell.code_cell").nth(1)  # a StudioTable
    expect(cell.get_by_role("alert")).to_have_text(_classic.NO_WIDGETS, timeout=90_000)
    expect(cell.locator("table").first).to_be_visible()  # the static snapshot, not a blank cell
    expect(cell.get_by_role("alert")).to_have_count(1)
    saved = save(page, server.root / "live.ipynb")
    assert "cswidgets:" not in json.dumps(saved["cells"][1]["outputs"])
