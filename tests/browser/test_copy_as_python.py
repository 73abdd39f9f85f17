"""Issue 24, "Copy as Python", in JupyterLab and Notebook 7 against the simulator: the batch confirmation's
"Copy as Python" puts on the clipboard the code of that batch (the studios it names), the user cancels the
confirmation, runs the copied code in the notebook's next cell, and sees the studios stop -- in DSS (the simulator)
and in the table."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect

from cswidgets.sim import Simulator

NB = json.dumps({
    "cells": [{"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None,
               "source": "import cswidgets\nclient = cswidgets.connect()\n"
                         "table = cswidgets.StudioTable(client)\ntable"},
              {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None,
               "source": "# the copied code goes here"}],
    "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
    "nbformat": 4, "nbformat_minor": 5,
})
SET_CELL = ("([i, code]) => "
            "window.jupyterapp.shell.currentWidget.content.model.cells.get(i).sharedModel.setSource(code)")


@pytest.fixture
def sim():
    """A simulator of its own (the test stops studios); stops take a moment, as on a DSS."""
    with Simulator(scenario="demo", api_key="k", seed=0, speed=20) as s:
        yield s


@pytest.mark.slow
@pytest.mark.parametrize("app", ["lab", "notebook"])
def test_copy_as_python_on_a_batch_confirmation_runs_in_the_next_cell(jupyter, page, sim, app):
    server = jupyter(app, files={"copy.ipynb": NB}, env={"DKU_DSS_URL": sim.url, "DKU_API_KEY": "k"})
    origin = server.url.split("/", 3)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=f"{origin[0]}//{origin[2]}")
    server.open(page, "copy.ipynb")
    server.run_all(page)
    nb = server.notebook_locator(page)
    panel = nb.locator(".csw-st").first
    running = panel.locator('tbody tr.csw-st-row[data-state="RUNNING"]')
    expect(running.first).to_be_visible(timeout=90_000)
    keys = running.evaluate_all("trs => trs.slice(0, 2).map(tr => tr.dataset.key)")
    assert len(keys) == 2
    for key in keys:
        panel.locator(f'tr.csw-st-row[data-key="{key}"] input[type=checkbox]').check()
    batch = panel.get_by_role("button", name="Stop the 2 selected running studios")
    expect(batch).to_be_enabled()
    batch.click()
    bar = nb.get_by_role("alertdialog").first
    expect(bar).to_be_visible()
    bar.get_by_role("button", name="Copy as Python: stop 2 studios").click()
    expect(bar.get_by_role("button", name="Copy as Python: stop 2 studios")).to_have_text("Copied")
    code = page.evaluate("navigator.clipboard.readText()")
    for key in keys:
        assert repr(tuple(key.split("/"))) in code, code
    bar.get_by_role("button", name="Cancel").click()  # the panel does nothing: the copied code will
    for key in keys:
        project_key, studio_id = key.split("/")
        assert sim.status(project_key, studio_id)["state"] == "RUNNING"

    page.evaluate(SET_CELL, [1, code])
    server.run_cell(page, 1)
    output = nb.locator(".jp-Cell").nth(1).locator(".jp-OutputArea-output")
    expect(output).to_contain_text(f"'{keys[0]}': 'done'", timeout=90_000)  # the code's print of its outcomes
    expect(output).to_contain_text(f"'{keys[1]}': 'done'")
    for key in keys:
        project_key, studio_id = key.split("/")
        assert sim.status(project_key, studio_id)["state"] == "STOPPED"
        expect(panel.locator(f'tr.csw-st-row[data-key="{key}"]')).to_have_attribute("data-state", "STOPPED",
                                                                                    timeout=60_000)
    assert page.offhost == []
