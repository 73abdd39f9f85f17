"""TemplateBuilds in real front ends against the simulator: clicking Build shows a bar that
advances and ends in "done" WHILE another cell is executing (the kernel's main thread is busy in
``time.sleep``), and the template's "last built" time changes."""

from __future__ import annotations

import re

import nbformat
import pytest
from playwright.sync_api import expect

from cswidgets.api import connect
from cswidgets.sim import Simulator

KEY = "k-e2e-builds"
BUSY_S = 30
NOTEBOOK = nbformat.writes(nbformat.v4.new_notebook(
    cells=[
        nbformat.v4.new_code_cell("import time\nimport cswidgets\n\n"
                                  "builds = cswidgets.TemplateBuilds(cswidgets.connect())\nbuilds"),
        nbformat.v4.new_code_cell(f"time.sleep({BUSY_S})\nprint('slept')"),
    ],
    metadata={"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}},
))
# Notebook 7.6 raises this while loading its settings, also for a notebook holding only `1+1` and
# with no cswidgets output (stack: notebook_core.js settings `load`); not ours, so tolerated there.
NB7_STARTUP_ERROR = "Cannot read properties of undefined (reading 'schema')"
# Like conftest's run_cell, without awaiting the command (its promise resolves when the cell ends).
START_CELL = """(i) => { const app = window.jupyterapp, nb = app.shell.currentWidget.content;
  nb.activeCellIndex = i; app.commands.execute('notebook:run-cell'); }"""
KERNEL_STATUS = "window.jupyterapp.shell.currentWidget.sessionContext.session.kernel.status"

# Records every change of the bar's value and of the card's final state, with the kernel status
# and whether the busy cell has printed yet, at the moment the DOM changed.
WATCH = """([card, status]) => {
  const log = (window.__cswLog = []);
  const bar = card.querySelector('[role=progressbar]');
  const busyCell = () => document.querySelectorAll('.jp-Notebook .jp-Cell')[1];
  const snap = (what) => log.push({what, value: bar.getAttribute('aria-valuenow'), final: card.dataset.final,
    kernel: eval(status), slept: (busyCell()?.querySelector('.jp-OutputArea')?.textContent ?? '').includes('slept')});
  new MutationObserver(() => snap('change')).observe(card, {attributes: true, subtree: true,
    attributeFilter: ['aria-valuenow', 'data-final']});
  snap('start');
}"""


@pytest.fixture(scope="module")
def sim():
    with Simulator(scenario="demo", api_key=KEY, seed=0, speed=4) as s:  # a 30 s build lasts 7.5 s
        yield s


@pytest.mark.parametrize("app", ["lab", "notebook"])
def test_build_progresses_and_ends_while_another_cell_runs(jupyter, page, sim, app):
    template = "tpl_rstudio" if app == "lab" else "tpl_streamlit"
    label = {"tpl_rstudio": "RStudio Server", "tpl_streamlit": "Streamlit"}[template]
    server = jupyter(app, files={"builds.ipynb": NOTEBOOK}, env={"DKU_DSS_URL": sim.url, "DKU_API_KEY": KEY})
    server.open(page, "builds.ipynb")
    server.run_cell(page, 0)
    nb = server.notebook_locator(page)
    row = nb.locator(f'tr[data-template="{template}"]')
    expect(row).to_be_visible(timeout=90_000)
    expect(nb.locator("th[scope=col]")).to_have_count(9)  # incl. studios (running / total) and outdated image
    last_built = row.locator(".csw-tb-last")
    before = last_built.text_content()

    build = row.get_by_role("button", name=f"Build {label}", exact=True)
    build.click()
    card = nb.locator(f'.csw-future[data-template="{template}"]')
    expect(card).to_be_visible(timeout=30_000)
    expect(card.get_by_role("status")).to_contain_text("Stage:")
    expect(build).to_be_disabled()

    # the busy cell starts; everything below happens while it runs
    page.evaluate(START_CELL, 1)  # not awaited: the cell runs for BUSY_S seconds
    page.wait_for_function(f"{KERNEL_STATUS} === 'busy'")
    page.evaluate(WATCH, [card.element_handle(), KERNEL_STATUS])
    expect(card).to_have_attribute("data-final", "done", timeout=60_000)
    log = page.evaluate("window.__cswLog")

    during = [e for e in log if e["kernel"] == "busy" and not e["slept"]]
    values = [int(e["value"]) for e in during if e["value"] is not None]
    assert len(set(values)) >= 3, log  # the bar advanced during the busy cell...
    assert values == sorted(values), log
    assert any(e["final"] == "done" for e in during), log  # ...and ended in "done" before it finished
    expect(card.locator(".csw-future-final")).to_have_text("Done")
    expect(card.get_by_role("progressbar")).to_have_attribute("aria-valuenow", "100")
    assert page.evaluate(KERNEL_STATUS) == "busy"

    # the row's "last built" changed (to a moment ago) and Build is available again
    expect(last_built).not_to_have_text(before or "never", timeout=30_000)
    expect(last_built).to_have_text(re.compile(r"just now|now|seconds? ago|minute ago"))
    with connect(url=sim.url, api_key=KEY) as client:
        (item,) = [t for t in client.list_code_studio_templates() if t.id == template]
        assert item.last_built is not None
    expect(build).to_be_enabled()
    expect(build).to_have_text("Build")

    assert page.offhost == [], page.offhost
    assert [e for e in page.console_errors if not (app == "notebook" and e == NB7_STARTUP_ERROR)] == []
