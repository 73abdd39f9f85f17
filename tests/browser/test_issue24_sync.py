"""Issue 24, findings 7, 10 and 13, in real front ends (JupyterLab and Notebook 7) against the simulator.

- 13: a conflicting file opens both sides (DSS's diff beside what is known of the code studio's copy, with the
  exact command that shows it); the pull confirmation lists each file once and says how to get it back; the push
  confirmation says "cannot be undone" once.
- 7: an alert of a studio stays behind when the viewer moves to another; a studio deleted from the studio table
  shows "deleted" in its viewer, with no Pull or Push.
- 10: a build aborted mid-way keeps its last stage and % (its bar does not empty).
"""

from __future__ import annotations

import nbformat
import pytest
from playwright.sync_api import expect

from cswidgets.sim import Simulator

KEY = "k-e2e-issue24"
ZONE = "project-lib-versioned"
ZONE_PATH = f"/home/dataiku/workspace/{ZONE}"


def _notebook(*cells: str) -> str:
    return nbformat.writes(nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_code_cell(c) for c in cells],
        metadata={"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}}))


SYNC_NOTEBOOK = _notebook(
    "import os\nimport cswidgets\n\nclient = cswidgets.connect()\npk = os.environ['CSW_PK']\n"
    "table = cswidgets.StudioTable(client, [pk])  # not shown: its reads still reach the viewer\n"
    "viewer = cswidgets.ConflictViewer(client, pk, os.environ['CSW_SID'])\nviewer",
    "viewer.refresh()['error']  # the test makes DSS fail this status read: an alert of this studio",
    "table.delete(f\"{pk}/{os.environ['CSW_SID']}\")",
    "viewer.show(client.get_project(pk).get_code_studio(os.environ['CSW_OTHER'])); None",
)

BUILD_NOTEBOOK = _notebook("import cswidgets\n\nbuilds = cswidgets.TemplateBuilds(cswidgets.connect())\nbuilds")


@pytest.fixture(scope="module")
def sim():
    with Simulator(scenario="demo", api_key=KEY, seed=0, speed=2) as s:  # a 30 s build lasts 15 s
        yield s


def _studios(sim, app):
    pk = sim.add_project(f"I24_{app.upper()}")
    sid = sim.add_studio(pk, "Conflicted", "admin", "tpl_vscode", state="STOPPED")
    sim.write_file(pk, sid, ZONE, "lib/util.py", "base\n", side="dss", author="bob")
    sim.set_state(pk, sid, "RUNNING")
    sim.write_file(pk, sid, ZONE, "lib/util.py", "from the code studio\n", side="studio")
    sim.write_file(pk, sid, ZONE, "lib/util.py", "from DSS\n", side="dss", author="bob")
    sim.write_file(pk, sid, ZONE, "lib/other.py", "DSS only\n", side="dss", author="bob")
    other = sim.add_studio(pk, "Other", "admin", "tpl_vscode", state="RUNNING")
    return pk, sid, other


@pytest.mark.parametrize("app", ["lab", "notebook"])
def test_both_sides_confirmations_and_a_deleted_studio(jupyter, page, sim, app):
    pk, sid, other = _studios(sim, app)
    server = jupyter(app, files={"sync.ipynb": SYNC_NOTEBOOK},
                     env={"DKU_DSS_URL": sim.url, "DKU_API_KEY": KEY, "CSW_PK": pk, "CSW_SID": sid, "CSW_OTHER": other})
    server.open(page, "sync.ipynb")
    server.run_cell(page, 0)
    nb = server.notebook_locator(page)
    viewer = nb.locator(".csw-cv")
    zone = nb.locator(f'section.csw-cv-zone[data-key="{ZONE}|{ZONE_PATH}"]')
    expect(zone).to_have_attribute("data-status", "conflicts", timeout=90_000)

    # 13: both sides of the conflicting file
    zone.locator('button[data-action=compare][data-path="lib/util.py"]').click()
    sides = zone.locator('.csw-cv-sides[data-path="lib/util.py"]')
    expect(sides.locator("[data-side=dss] .csw-cv-diff-add")).to_have_text("+from DSS\n")
    studio_side = sides.locator("[data-side=studio]")
    expect(studio_side).to_contain_text("has no call that reads the code studio's copy")
    expect(studio_side.locator(".csw-cv-cmd").first).to_have_text(f"cat -- {ZONE_PATH}/lib/util.py")

    # 13: the pull confirmation lists each file once and says how to get DSS's version back
    zone.get_by_role("button", name="Pull", exact=True).click()
    confirm = zone.locator(".csw-cv-confirm")
    expect(confirm).to_be_visible()
    expect(confirm.locator('li[data-path="lib/util.py"]')).to_have_count(1)
    expect(confirm.locator('li[data-path="lib/other.py"]')).to_have_count(1)
    assert confirm.locator("p").first.text_content().count("lib/util.py") == 0  # not listed a second time
    expect(confirm.locator(".csw-cv-back")).to_contain_text("DSS's git history keeps it")
    confirm.get_by_role("button", name="Cancel").click()
    # ... and the push confirmation is short and says "cannot be undone" once
    zone.get_by_role("button", name="Push", exact=True).click()
    expect(confirm).to_be_visible()
    assert confirm.text_content().count("cannot be undone") == 1, confirm.text_content()
    confirm.get_by_role("button", name="Cancel").click()
    assert sim.read_files(pk, sid, ZONE, side="dss")["lib/util.py"] == "from DSS\n"  # nothing was sent

    # 7: an alert raised for this studio...
    sim.set_faults(rate=1.0, kinds=["500"], path_contains=f"/code-studios/{sid}/status")
    try:
        server.run_cell(page, 1)
        alert = viewer.locator(".csw-alert").filter(has_text="Could not check the zones")
        expect(alert).to_have_count(1, timeout=30_000)
    finally:
        sim.clear_faults()
    # ... the studio is deleted from the table: its viewer says so, with no Pull or Push
    server.run_cell(page, 2)
    badge = viewer.locator(".csw-cv-head .csw-badge")
    expect(badge).to_have_text("DELETED", timeout=30_000)
    expect(viewer.locator(".csw-cv-idle-text")).to_contain_text("This code studio was deleted")
    expect(viewer.get_by_role("button", name="Pull", exact=True)).to_have_count(0)
    expect(viewer.get_by_role("button", name="Push", exact=True)).to_have_count(0)
    expect(viewer.get_by_role("button", name="Check all")).to_be_disabled()
    # ... and moving to another studio leaves its alerts behind
    server.run_cell(page, 3)
    expect(badge).to_have_text("RUNNING", timeout=30_000)
    expect(viewer.locator(".csw-alert")).to_have_count(0)
    expect(viewer.get_by_role("button", name="Pull", exact=True).first).to_be_enabled()
    assert page.offhost == [], page.offhost


@pytest.mark.parametrize("app", ["lab", "notebook"])
def test_an_aborted_build_keeps_its_stage_and_percent(jupyter, page, sim, app):
    template = "tpl_rstudio" if app == "lab" else "tpl_streamlit"
    label = {"tpl_rstudio": "RStudio Server", "tpl_streamlit": "Streamlit"}[template]
    server = jupyter(app, files={"builds.ipynb": BUILD_NOTEBOOK}, env={"DKU_DSS_URL": sim.url, "DKU_API_KEY": KEY})
    server.open(page, "builds.ipynb")
    server.run_cell(page, 0)
    nb = server.notebook_locator(page)
    row = nb.locator(f'tr[data-template="{template}"]')
    expect(row).to_be_visible(timeout=90_000)
    row.get_by_role("button", name=f"Build {label}", exact=True).click()
    card = nb.locator(f'.csw-future[data-template="{template}"]')
    bar = card.get_by_role("progressbar")
    page.wait_for_function("(b) => Number(b.getAttribute('aria-valuenow')) >= 10", arg=bar.element_handle(),
                           timeout=60_000)
    card.get_by_role("button", name=f"Abort Build {label}").click()
    card.get_by_role("button", name="Abort now").click()
    expect(card).to_have_attribute("data-final", "aborted", timeout=30_000)
    value = int(bar.get_attribute("aria-valuenow") or "0")
    assert value >= 10, value  # it did not empty (issue 24, 10)
    label_text = card.locator(".csw-progress-label").text_content() or ""
    assert label_text.startswith("Aborted · ") and f"{value}%" in label_text, label_text
    assert len(label_text.split(" · ")) == 3, label_text  # Aborted · <stage> · <n>%
    width = page.evaluate("(f) => f.style.width", card.locator(".csw-progress-fill").element_handle())
    assert width == f"{value}%", width
    assert page.offhost == [], page.offhost
