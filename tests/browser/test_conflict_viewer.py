"""ConflictViewer in real front ends (JupyterLab and Notebook 7) against the simulator: a zone
with conflicts shows them; Pull asks for a confirmation listing the files; after Confirm the
simulator's DSS side holds the code studio's files and the zone shows no conflicts. And issue 14's
scenario in JupyterLab under both sync models: every DSS-side change named, bob's diff shown,
Enter-Enter never syncs, DSS holds exactly what the model says after confirming."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from cswidgets.sim import Simulator
from tests.browser.support import VIEWER_NOTEBOOK

KEY = "k"
ZONE = "project-lib-versioned"
HOSTILE = '<img src=x onerror="window.__pwned=1">.py'

NOTEBOOK = VIEWER_NOTEBOOK  # the viewer of CSW_PK / CSW_SID


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
    for part in (".csw-cv-groups", ".csw-cv-dss-list"):  # a file name, shown as text (both sides changed it)
        expect(zone.locator(part).get_by_text(HOSTILE, exact=True)).to_have_count(1)
    assert nb.locator("img[src=x]").count() == 0

    zone.get_by_role("button", name="Pull", exact=True).click()
    confirm = zone.get_by_role("group").filter(has_text="writes the code studio's files into DSS")
    expect(confirm).to_contain_text("lib/util.py")
    assert sim.read_files(pk, sid, ZONE, side="dss")["lib/util.py"] == "from DSS\n"  # nothing sent yet
    expect(confirm.get_by_role("button", name="Cancel")).to_be_focused()  # the safe button
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


FEATURES, LEGACY, NEW = "python/routing/features.py", "python/routing/legacy.py", "python/routing/new_solver.py"


def issue_scenario(sim, name):
    """features.py edited and new_solver.py added in the code studio; in DSS, bob edits features.py
    and deletes legacy.py."""
    pk = sim.add_project(name)
    sid = sim.add_studio(pk, "Route optimiser", "admin", "tpl_vscode", state="STOPPED")
    sim.write_file(pk, sid, ZONE, FEATURES, "WINDOW = 7\n", side="dss", author="alice")
    sim.write_file(pk, sid, ZONE, LEGACY, "def old_api():\n    pass\n", side="dss", author="alice")
    sim.set_state(pk, sid, "RUNNING")  # the start pushes DSS's files into the studio: both sides in sync
    sim.write_file(pk, sid, ZONE, FEATURES, "WINDOW = 3  # carol\n", side="studio")
    sim.write_file(pk, sid, ZONE, NEW, "def solve():\n    return []\n", side="studio")
    sim.write_file(pk, sid, ZONE, FEATURES, "WINDOW = 7\nSEASONAL = True  # bob\n", side="dss", author="bob")
    sim.delete_file(pk, sid, ZONE, LEGACY, side="dss", author="bob")
    return pk, sid


@pytest.mark.parametrize("sync_model", ["merge", "mirror"])
def test_issue_scenario_every_dss_change_named_with_its_diff_and_enter_enter_never_syncs(jupyter, page, sim,
                                                                                       sync_model):
    sim.sync_model = sync_model
    try:
        pk, sid = issue_scenario(sim, f"ROUTE_{sync_model.upper()}")
        server = jupyter("lab", files={"conflicts.ipynb": NOTEBOOK},
                         env={"DKU_DSS_URL": sim.url, "DKU_API_KEY": KEY, "CSW_PK": pk, "CSW_SID": sid})
        errors = []
        page.on("pageerror", lambda e: errors.append(e.stack or str(e)))
        server.open(page, "conflicts.ipynb")
        server.run_all(page)
        nb = server.notebook_locator(page)
        zone = nb.locator(f'section.csw-cv-zone[data-key="{ZONE}|/home/dataiku/workspace/{ZONE}"]')
        expect(zone).to_have_attribute("data-status", "conflicts", timeout=90_000)
        expect(zone.locator(".csw-cv-summary")).to_have_text("1 conflict: 1 modified")

        # every DSS-side change, with its author; features.py's diff shows bob's lines
        dss = zone.locator(".csw-cv-dss-list > li")
        expect(dss).to_have_count(2)
        expect(zone.locator(f'.csw-cv-dss-list > li[data-path="{LEGACY}"]')).to_contain_text("deleted in DSS by bob")
        toggle = zone.locator(f'button[data-action=diff][data-path="{FEATURES}"]')
        expect(toggle).to_have_attribute("aria-expanded", "false")
        toggle.click()
        expect(zone.locator(".csw-cv-diff-add")).to_have_text(["+SEASONAL = True  # bob"], timeout=30_000)

        # Enter, Enter: opens the confirmation, then cancels it (focus starts on Cancel)
        pull = zone.get_by_role("button", name="Pull", exact=True)
        pull.focus()
        page.keyboard.press("Enter")
        confirm = zone.locator(".csw-cv-confirm")
        expect(confirm.get_by_role("button", name="Cancel")).to_be_focused()
        names = confirm.locator("li[data-path]")
        expect(names).to_have_count(2)
        assert sorted(names.evaluate_all("els => els.map((e) => e.dataset.path)")) == [FEATURES, LEGACY]
        page.keyboard.press("Enter")
        expect(confirm).to_have_count(0)
        expect(pull).to_be_focused()
        pulls = lambda: [r for r in sim.requests if r.path.startswith(f"/projects/{pk}/code-studios/{sid}/pull/")]  # noqa: E731
        assert pulls() == []

        studio_files = sim.read_files(pk, sid, ZONE, side="studio")
        pull.click()
        confirm.get_by_role("button", name="Confirm pull").click()
        expect(zone.locator(".csw-cv-result")).to_contain_text("Pulled code studio → DSS.", timeout=30_000)
        assert len(pulls()) == 1
        expected = dict(studio_files)
        if sync_model == "merge":  # the studio's changes applied; bob's deletion kept
            del expected[LEGACY]
        assert sim.read_files(pk, sid, ZONE, side="dss") == expected
        assert expected[FEATURES] == "WINDOW = 3  # carol\n" and expected[NEW].startswith("def solve")
        assert page.offhost == [], page.offhost
        assert errors == [], errors
    finally:
        sim.sync_model = "merge"
