"""Issue 24 (13) in real front ends (JupyterLab and Notebook 7) against the simulator: before a pull overwrites
DSS's files of the project library zone, its confirmation offers "Download DSS's versions (zip)"; the zip the
browser downloads holds exactly DSS's versions of the listed files DSS still has, the confirmation names the one
it cannot include (deleted in DSS), nothing is pulled by the download, and another zone's confirmation has no
such button."""

from __future__ import annotations

import zipfile

import pytest
from playwright.sync_api import expect

from cswidgets.sim import Simulator
from tests.browser.support import VIEWER_NOTEBOOK

pytestmark = [pytest.mark.slow]

KEY = "k"
ZONE = "project-lib-versioned"
RECIPES = "recipes"
HOSTILE = '<img src=x onerror="window.__pwned=1">.py'
FEATURES, GONE = "python/features.py", "python/gone.py"

NOTEBOOK = VIEWER_NOTEBOOK  # the viewer of CSW_PK / CSW_SID


@pytest.fixture(scope="module")
def sim():
    with Simulator(scenario="demo", api_key=KEY, seed=0, speed=50) as s:
        yield s


def library_conflicts(sim, app):
    """features.py and a hostile name changed on both sides; gone.py deleted in DSS; a recipe changed in DSS."""
    pk = sim.add_project(f"ZIP_{app.upper()}")
    sid = sim.add_studio(pk, "Zip studio", "admin", "tpl_vscode", state="STOPPED")
    for path in (FEATURES, GONE):
        sim.write_file(pk, sid, ZONE, path, "base\n", side="dss", author="alice")
    sim.set_state(pk, sid, "RUNNING")
    sim.write_file(pk, sid, ZONE, FEATURES, "from the code studio\n", side="studio")
    sim.write_file(pk, sid, ZONE, FEATURES, "WINDOW = 14  # bob, in DSS\n", side="dss", author="bob")
    sim.write_file(pk, sid, ZONE, HOSTILE, "studio\n", side="studio")
    sim.write_file(pk, sid, ZONE, HOSTILE, "dss = 'é'\n", side="dss", author="bob")
    sim.delete_file(pk, sid, ZONE, GONE, side="dss", author="bob")
    sim.write_file(pk, sid, RECIPES, "compute.py", "in DSS\n", side="dss", author="bob")
    return pk, sid


@pytest.mark.parametrize("app", ["lab", "notebook"])
def test_pull_confirmation_downloads_dss_versions_as_a_zip(jupyter, page, sim, app):
    pk, sid = library_conflicts(sim, app)
    dss_before = sim.read_files(pk, sid, ZONE, side="dss")
    server = jupyter(app, files={"zip.ipynb": NOTEBOOK},
                     env={"DKU_DSS_URL": sim.url, "DKU_API_KEY": KEY, "CSW_PK": pk, "CSW_SID": sid})
    ours = []  # page errors not raised by the front end's own code (Notebook 7 logs one of its own at load)
    page.on("pageerror", lambda e: "/static/notebook/" in (e.stack or "") or ours.append(e.stack or str(e)))
    server.open(page, "zip.ipynb")
    server.run_all(page)
    nb = server.notebook_locator(page)
    zone = nb.locator(f'section.csw-cv-zone[data-key="{ZONE}|/home/dataiku/workspace/{ZONE}"]')
    expect(zone).to_have_attribute("data-status", "conflicts", timeout=90_000)

    zone.get_by_role("button", name="Pull", exact=True).click()
    confirm = zone.locator(".csw-cv-confirm")
    expect(confirm).to_contain_text("writes the code studio's files into DSS")
    backup = confirm.locator(".csw-cv-backup")
    expect(backup).to_contain_text("deleted in DSS: there is no DSS version to save")
    expect(backup.locator(".csw-cv-backup-missing li")).to_have_text([GONE])
    with page.expect_download(timeout=60_000) as info:
        backup.get_by_role("button", name="Download DSS's versions (zip)").click()
    download = info.value
    assert download.suggested_filename == f"{pk}-{sid}-dss-versions.zip"
    with zipfile.ZipFile(download.path()) as archive:
        got = {name: archive.read(name).decode("utf-8") for name in archive.namelist()}
    assert got == {FEATURES: "WINDOW = 14  # bob, in DSS\n", HOSTILE: "dss = 'é'\n"}
    assert got == {p: dss_before[p] for p in got}  # DSS's versions, byte for byte
    result = backup.locator(".csw-cv-backup-result")
    expect(result).to_contain_text(f"Downloaded {pk}-{sid}-dss-versions.zip: DSS's version of 2 files.")
    expect(result).to_contain_text(f"{GONE} — deleted in DSS")

    # the download pulled nothing: DSS still has its versions, and the pull is still the user's choice
    assert sim.read_files(pk, sid, ZONE, side="dss") == dss_before
    assert not [r for r in sim.requests if r.path.startswith(f"/projects/{pk}/code-studios/{sid}/pull/")]
    confirm.get_by_role("button", name="Cancel").click()

    # another zone's pull confirmation: as before, no zip
    recipes = nb.locator(f'section.csw-cv-zone[data-key="{RECIPES}|/home/dataiku/workspace/{RECIPES}"]')
    recipes.get_by_role("button", name="Pull", exact=True).click()
    expect(recipes.locator(".csw-cv-confirm")).to_contain_text("git history")
    expect(recipes.locator('[data-action="download-dss"]')).to_have_count(0)

    assert nb.locator("img[src=x]").count() == 0
    assert page.evaluate("window.__pwned") is None
    assert page.offhost == [], page.offhost
    assert ours == [], ours
