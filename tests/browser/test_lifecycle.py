"""Lifecycle from the panels in JupyterLab against the simulator: a studio created (and started) from the
table's "New studio" form, then deleted through the typed-name confirmation; a template exported as a
download, deleted through the typed-label confirmation, then imported back from the downloaded file."""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import expect

from cswidgets.sim import Simulator


def notebook(*cells: str) -> str:
    return json.dumps({
        "cells": [{"cell_type": "code", "metadata": {}, "execution_count": None, "outputs": [], "source": c}
                  for c in cells],
        "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
        "nbformat": 4, "nbformat_minor": 5,
    })


@pytest.fixture(scope="module")
def sim():
    with Simulator(scenario="demo", api_key="k", seed=0, speed=20) as s:
        yield s


@pytest.fixture(scope="module")
def lab(jupyter, sim):
    connect = "import cswidgets\nclient = cswidgets.connect()"
    return jupyter("lab", files={
        "table.ipynb": notebook(connect, "table = cswidgets.StudioTable(client)\ntable"),
        "builds.ipynb": notebook(connect, "builds = cswidgets.TemplateBuilds(client)\nbuilds"),
    }, env={"DKU_DSS_URL": sim.url, "DKU_API_KEY": "k"})


def test_create_start_then_delete_a_studio_from_the_table(lab, page, sim):
    lab.open(page, "table.ipynb")
    lab.run_all(page)
    nb = lab.notebook_locator(page)
    table = nb.locator("table.csw-st-table").first
    expect(table).to_be_visible(timeout=90_000)
    project = sim.project_keys()[0]
    before = set(sim.studio_ids(project))

    nb.get_by_role("button", name="New studio…").click()
    form = nb.locator(".csw-st-lifecycle-dialog")
    expect(form).to_be_visible()
    expect(form.get_by_role("combobox", name="Project")).to_be_focused()  # the first field (#24 finding 5)
    form.get_by_label("Project").select_option(project)
    form.get_by_label("Name").fill("e2e-new")
    form.get_by_label("Template").select_option("tpl_vscode")
    form.get_by_label("Start it once created").check()
    form.get_by_role("button", name="Create", exact=True).click()  # not "Copy as Python: create a studio"
    expect(form).to_be_hidden(timeout=30_000)
    assert len(set(sim.studio_ids(project)) - before) == 1

    nb.get_by_role("searchbox", name="Filter studios by text").first.press_sequentially("e2e-new")
    row = table.locator("tr.csw-st-row", has_text="e2e-new")
    expect(row).to_have_count(1, timeout=30_000)
    expect(row.locator(".csw-badge")).to_have_text("RUNNING", timeout=60_000)

    row.get_by_role("checkbox", name=f"Select e2e-new ({project})").check()
    nb.get_by_role("button", name="Delete…").click()
    confirm = nb.locator(".csw-st-lifecycle-dialog")
    expect(confirm).to_contain_text("not synced to DSS are lost")
    expect(confirm.get_by_role("textbox")).to_be_focused()  # where the name is typed (#24 finding 5)
    delete = confirm.get_by_role("button", name="Delete", exact=True)
    typed = confirm.get_by_label(re.compile("^Type"))
    typed.fill("e2e-ne")
    expect(delete).to_be_disabled()
    typed.fill("e2e-new")
    delete.click()
    expect(row).to_have_count(0, timeout=30_000)
    assert set(sim.studio_ids(project)) == before
    assert page.offhost == [], page.offhost


def test_template_export_delete_import_round_trip(lab, page, sim, tmp_path):
    lab.open(page, "builds.ipynb")
    lab.run_all(page)
    nb = lab.notebook_locator(page)
    panel = nb.locator(".csw-template-builds").first
    expect(panel.locator('tr[data-template="tpl_streamlit"]')).to_be_visible(timeout=90_000)
    row = panel.locator('tr[data-template="tpl_streamlit"]')
    label = row.locator(".csw-tb-label").inner_text()
    row.get_by_role("checkbox").check()

    with page.expect_download() as download:
        panel.get_by_role("button", name="Export", exact=True).click()
    archive = tmp_path / "template.zip"
    download.value.save_as(archive)
    assert download.value.suggested_filename == f"{label}.zip"
    assert archive.stat().st_size > 0

    panel.get_by_role("button", name="Delete…").click()
    form = panel.locator(".csw-tb-manage.csw-dialog")
    expect(form.get_by_role("button", name="Cancel")).to_be_focused()
    form.get_by_label(re.compile("^Type")).fill(label)
    form.get_by_role("button", name="Delete", exact=True).click()
    expect(row).to_have_count(0, timeout=30_000)

    panel.get_by_role("button", name="Import…").click()
    form.get_by_label(re.compile("^Archive")).set_input_files(str(archive))
    form.get_by_label(re.compile("^Label")).fill("Streamlit again")
    form.get_by_role("button", name="Import", exact=True).click()
    expect(form).to_be_hidden(timeout=30_000)
    expect(panel.locator(".csw-tb-label", has_text="Streamlit again")).to_have_count(1, timeout=30_000)
    assert page.offhost == [], page.offhost
