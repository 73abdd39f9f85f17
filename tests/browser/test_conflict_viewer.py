"""ConflictViewer in real front ends (JupyterLab and Notebook 7) against the simulator: a zone
with conflicts shows them; Pull asks for a confirmation listing the files; after Confirm the
simulator's DSS side holds the code studio's files and the zone shows no conflicts."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect

from cswidgets.sim import Simulator

KEY = "k"
ZONE = "project-lib-versioned"
HOSTILE = '<img src=x onerror="window.__pwned=1">.py'

NOTEBOOK = json.dumps({
    "cells": [{
        "cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None, "id": "c0",
        "source": ("import os\nimport cswidgets\n\n"
                   "viewer = cswidgets.ConflictViewer(\n"
                   "    cswidgets.connect(), os.environ['CSW_PK'], os.environ['CSW_SID'])\n"
                   "viewer"),
    }],
    "metadata": {"kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"},
                 "language_info": {"name": "python"}},
    "nbformat": 4, "nbformat_minor": 5,
})


@pytest.fixture(scope="module")
def sim():
    with Simulator(scenario="demo", api_key=KEY, seed=0, speed=50) as s:
        yield s


def studio_with_conflicts(sim, app):
    pk = sim.add_project(f"BROWSER_{app.upper()}")
    sid = sim.add_studio(pk, "Browser studio", "admin", "tpl_vscode", state="STOPPED")
    sim.write_file(pk, sid, ZONE, "lib/util.py", "base\n", side="dss", author="bob")
    sim.set_state(pk, sid, "RUNNING")
    sim.write_file(pk, sid, ZONE, "lib/util.py", "from the code studio\n", side="studio")
    sim.write_file(pk, sid, ZONE, "lib/util.py", "from DSS\n", side="dss", author="bob")
    sim.write_file(pk, sid, ZONE, HOSTILE, "studio\n", side="studio")
    sim.write_file(pk, sid, ZONE, HOSTILE, "dss\n", side="dss", author="bob")
    return pk, sid


@pytest.mark.parametrize("app", ["lab", "notebook"])
def test_pull_with_confirmation_syncs_dss_and_clears_conflicts(jupyter, page, sim, app):
    pk, sid = studio_with_conflicts(sim, app)
    server = jupyter(app, files={"conflicts.ipynb": NOTEBOOK},
                     env={"DKU_DSS_URL": sim.url, "DKU_API_KEY": KEY, "CSW_PK": pk, "CSW_SID": sid})
    ours = []  # page errors not raised by the front end's own code (Notebook 7 logs one of its own at load)
    page.on("pageerror", lambda e: "/static/notebook/" in (e.stack or "") or ours.append(e.stack or str(e)))
    server.open(page, "conflicts.ipynb")
    server.run_all(page)
    nb = server.notebook_locator(page)
    zone = nb.locator(f'section.csw-cv-zone[data-key="{ZONE}|/home/dataiku/workspace/{ZONE}"]')
    expect(zone).to_have_attribute("data-status", "conflicts", timeout=90_000)
    expect(zone.locator(".csw-cv-summary")).to_have_text("2 conflicts: 1 modified, 1 added")
    expect(zone.get_by_text(HOSTILE, exact=True)).to_have_count(1)  # a file name, shown as text
    assert nb.locator("img[src=x]").count() == 0

    zone.get_by_role("button", name="Pull", exact=True).click()
    confirm = zone.get_by_role("group").filter(has_text="writes the code studio's files into DSS")
    expect(confirm).to_contain_text("lib/util.py")
    assert sim.read_files(pk, sid, ZONE, side="dss")["lib/util.py"] == "from DSS\n"  # nothing sent yet
    expect(confirm.get_by_role("button", name="Confirm pull")).to_be_focused()
    confirm.get_by_role("button", name="Confirm pull").click()

    expect(zone).to_have_attribute("data-status", "clean", timeout=30_000)
    expect(zone.locator(".csw-cv-summary")).to_have_text("No conflicts")
    expect(zone.locator(".csw-cv-result")).to_have_text("Pulled code studio → DSS. Now: no conflicts.")
    expect(zone.get_by_role("button", name="Pull", exact=True)).to_be_enabled()
    dss = sim.read_files(pk, sid, ZONE, side="dss")
    assert dss == sim.read_files(pk, sid, ZONE, side="studio")
    assert dss["lib/util.py"] == "from the code studio\n"
    pulls = [r for r in sim.requests if r.path.startswith(f"/projects/{pk}/code-studios/{sid}/pull/")]
    assert len(pulls) == 1

    assert page.evaluate("window.__pwned") is None
    assert page.offhost == [], page.offhost
    assert ours == [], ours
