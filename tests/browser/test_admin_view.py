"""The administrator's view in JupyterLab against the simulator (issue 25): the Governance tab in the light and
the dark theme, with "Stop the N chosen" behind a confirmation naming them; after a rebuild, "Restart the N
outdated running studios" restarts only those; "Download shown rows (CSV)" saves the rows shown, read back through
Playwright's download API."""

from __future__ import annotations

import io
import re

import nbformat
import pandas as pd
import pytest
from playwright.sync_api import expect

from cswidgets.api import connect
from cswidgets.sim import Simulator

KEY = "k-e2e-admin"
BACKGROUND = "(el) => getComputedStyle(el.closest('.csw-root')).backgroundColor"
BAR_FILL = "(el) => getComputedStyle(el).fill"


def _notebook(*sources: str) -> str:
    return nbformat.writes(nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_code_cell(s) for s in sources],
        metadata={"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}}))


def _rgb(css: str) -> list[int]:
    return [int(float(x)) for x in css[css.index("(") + 1:css.index(")")].split(",")[:3]]


@pytest.fixture
def sim():
    with Simulator(scenario="demo", api_key=KEY, seed=0, speed=4) as s:
        yield s


def _stops(sim) -> list[str]:
    return [r.path.split("/")[-2] for r in sim.requests if r.method == "POST" and r.path.endswith("/stop")]


def test_governance_tab_light_and_dark_and_stop_the_chosen(jupyter, page, sim):
    server = jupyter("lab", files={"gov.ipynb": _notebook(
        "import cswidgets\ndash = cswidgets.Dashboard(cswidgets.connect(), idle_after='2h')\ndash")},
        env={"DKU_DSS_URL": sim.url, "DKU_API_KEY": KEY})
    server.open(page, "gov.ipynb")
    server.run_all(page)
    nb = server.notebook_locator(page)
    dash = nb.locator(".csw-dashboard").first
    expect(dash.locator("tr.csw-st-row").first).to_be_visible(timeout=90_000)
    dash.get_by_role("tab", name="Governance", exact=True).click()
    gov = dash.locator(".csw-gov").first
    expect(gov.locator(".csw-gov-summary")).to_contain_text("running of 13 studios", timeout=60_000)
    charts = gov.locator("figure.csw-gov-chart")
    expect(charts).to_have_count(6)
    owners = charts.first
    expect(owners.locator("figcaption")).to_have_text("Running studios by owner")
    expect(owners.locator("svg[role=img]")).to_have_attribute(
        "aria-label", re.compile(r"^Running studios by owner \(studios\): alice \d, carol 2, admin 1, bob 1$"))
    expect(owners.locator("rect")).to_have_count(4)

    colors = {}
    for theme, light in (("light", "true"), ("dark", "false")):
        name = "JupyterLab Light" if light == "true" else "JupyterLab Dark"
        page.evaluate(f"() => window.jupyterapp.commands.execute('apputils:change-theme', {{theme: '{name}'}})")
        page.wait_for_function(f"document.body.dataset.jpThemeLight === '{light}'")
        bg = _rgb(gov.evaluate(BACKGROUND))
        label = _rgb(owners.locator("text.csw-gov-label").first.evaluate(BAR_FILL))
        assert (sum(bg) > 600) == (theme == "light"), (theme, bg)
        assert abs(sum(label) - sum(bg)) > 300, (theme, bg, label)  # labels readable on the panel's background
        colors[theme] = (bg, _rgb(owners.locator("rect").first.evaluate(BAR_FILL)))
        gov.screenshot(path=str(server.root.parent / f"governance-{theme}.png"), animations="disabled")
    assert colors["light"] != colors["dark"]

    # the dry run chose two studios over 2 h without conflicts: the confirmation names them, then they stop
    with connect(url=sim.url, api_key=KEY) as client:
        dry = client.stop_idle("2h")
    chosen = dry[dry["decision"] == "stop"]
    assert set(chosen["name"]) == {"Admin tools", "Dashboard app", "Scoring API"}  # 3 h and 4 h, no conflicts
    rows = gov.locator('.csw-gov-policy tbody tr[data-decision="stop"]')
    expect(rows).to_have_count(len(chosen))
    assert _stops(sim) == []
    gov.get_by_role("button", name=f"Stop the {len(chosen)} chosen", exact=True).click()
    dialog = gov.get_by_role("dialog")
    for name in chosen["name"]:
        expect(dialog).to_contain_text(name)
    expect(dialog).to_contain_text("A stop pulls every two-way synchronized zone")
    expect(dialog).not_to_contain_text("Forecast notebook")  # conflicts: never chosen
    dialog.get_by_role("button", name=f"Stop {len(chosen)}", exact=True).click()
    expect(gov.locator(".csw-gov-policy-box h4")).to_contain_text("stops sent", timeout=90_000)
    expect(gov.locator('.csw-gov-policy tbody tr[data-decision="stop"]').filter(has_text="done:")).to_have_count(
        len(chosen))
    assert sorted(_stops(sim)) == sorted(chosen["id"])
    for pk, sid in zip(chosen["project_key"], chosen["id"]):
        assert sim.status(pk, sid)["state"] == "STOPPED"
    assert page.offhost == [], page.offhost
    assert page.console_errors == [], page.console_errors


def test_restart_only_the_outdated_running_studios_after_a_rebuild(jupyter, page, sim):
    server = jupyter("lab", files={"builds.ipynb": _notebook(
        "import cswidgets\nbuilds = cswidgets.TemplateBuilds(cswidgets.connect())\nbuilds")},
        env={"DKU_DSS_URL": sim.url, "DKU_API_KEY": KEY})
    server.open(page, "builds.ipynb")
    server.run_cell(page, 0)
    nb = server.notebook_locator(page)
    row = nb.locator('tr[data-template="tpl_vscode"]')
    expect(row.locator(".csw-tb-studios")).to_have_text("3 / 6", timeout=90_000)
    expect(row.locator(".csw-tb-outdated")).to_have_text("0")
    row.get_by_role("button", name="Build VS Code", exact=True).click()
    card = nb.locator('.csw-future[data-template="tpl_vscode"]')
    expect(card).to_have_attribute("data-final", "done", timeout=90_000)
    offer = card.locator(".csw-tb-restart")
    expect(offer).to_contain_text("1 running studio runs an outdated image of this template: Admin tools (admin)",
                                  timeout=30_000)
    expect(row.locator(".csw-tb-outdated")).to_have_text("3")  # the two with conflicts wait for their owners
    sim.clear_requests()
    offer.get_by_role("button", name="Restart the outdated running studio", exact=True).click()
    expect(offer).to_be_hidden(timeout=30_000)  # withdrawn at the click: offered once
    expect(row.locator(".csw-tb-outdated")).to_have_text("2", timeout=30_000)  # counted again after the restart
    restarts = [r.path.split("/")[-2] for r in sim.requests if r.method == "POST" and r.path.endswith("/restart")]
    with connect(url=sim.url, api_key=KEY) as client:
        df = client.studios_frame("LOGISTICS")
    assert restarts == [df.loc[df["name"] == "Admin tools", "id"].iloc[0]]
    assert page.offhost == [], page.offhost
    assert page.console_errors == [], page.console_errors


def test_csv_download_of_the_rows_shown(jupyter, page, sim):
    server = jupyter("lab", files={"table.ipynb": _notebook(
        "import cswidgets\ntable = cswidgets.StudioTable(cswidgets.connect(), live=False)\ntable")},
        env={"DKU_DSS_URL": sim.url, "DKU_API_KEY": KEY})
    server.open(page, "table.ipynb")
    server.run_cell(page, 0)
    nb = server.notebook_locator(page)
    rows = nb.locator("tr.csw-st-row")
    expect(rows).to_have_count(13, timeout=90_000)
    nb.get_by_role("searchbox", name="Filter studios by text").fill("alice")
    expect(rows).to_have_count(3, timeout=30_000)
    shown = [rows.nth(i).get_attribute("data-key") for i in range(3)]
    with page.expect_download(timeout=60_000) as info:
        nb.get_by_role("button", name="Download shown rows (CSV)", exact=True).click()
    download = info.value
    assert download.suggested_filename.startswith("code-studios-") and download.suggested_filename.endswith(".csv")
    with open(download.path(), encoding="utf-8") as f:
        csv = pd.read_csv(io.StringIO(f.read()))
    assert list(csv["key"]) == shown and set(csv["owner"]) == {"alice"}
    assert {"running_for_s", "image_outdated", "unsynced_files"} <= set(csv.columns)
    assert page.offhost == [], page.offhost
    assert page.console_errors == [], page.console_errors
