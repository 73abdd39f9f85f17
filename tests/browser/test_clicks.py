"""Issue 24, findings 3, 4, 5 and 9, in JupyterLab and Notebook 7 against the simulator: where you click is
what happens.

- 3: the first click on a filter option's text filters (the press no longer lets the menu's focus-out close
  it); the menu names the values chosen; "Clear all filters".
- 4: sorted by Last change, ▶ on a studio does not move the rows under the pointer (the second click lands on
  the row it was aimed at); the order updates once the pointer leaves; a confirmation or an alert moves no row.
- 5: Change owner and Delete open on their field and Enter submits them; New studio opens on its first field;
  Escape cancels; Shift+Enter on the grid runs the cell.
- 9: at 900 px wide, names and project keys keep 12 characters; the Zones column names zones as the viewer
  does ("Project libraries"); the toolbar does not re-wrap when its summary changes.
"""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect

from cswidgets.sim import Simulator

NB = json.dumps({
    "cells": [{"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None,
               "source": "import cswidgets\nclient = cswidgets.connect()\n"
                         "table = cswidgets.StudioTable(client)\ntable"}],
    "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
    "nbformat": 4, "nbformat_minor": 5,
})
APPS = ["lab", "notebook"]


@pytest.fixture
def sim():
    """A simulator per test (the tests change studios); slow enough that a start takes a few seconds."""
    with Simulator(scenario="demo", api_key="k", seed=0, speed=5) as s:
        yield s


def _open(jupyter, page, sim, app):
    server = jupyter(app, files={"table.ipynb": NB}, env={"DKU_DSS_URL": sim.url, "DKU_API_KEY": "k"})
    server.open(page, "table.ipynb")
    server.run_all(page)
    nb = server.notebook_locator(page)
    panel = nb.locator(".csw-st").first
    expect(panel.locator("tbody tr.csw-st-row").first).to_be_visible(timeout=90_000)
    expect(panel.locator(".csw-st-summary")).to_contain_text("studios", timeout=30_000)
    return server, nb, panel


def _key_under(page, x, y):
    return page.evaluate("([x, y]) => document.elementFromPoint(x, y)?.closest('tr.csw-st-row')?.dataset.key ?? null",
                         [x, y])


@pytest.mark.parametrize("app", APPS)
def test_first_click_on_a_filter_option_filters(jupyter, page, sim, app):
    _, _, panel = _open(jupyter, page, sim, app)
    rows = panel.locator("tbody tr.csw-st-row")
    total = rows.count()
    states = panel.locator(".csw-badge").all_text_contents()
    menu = panel.locator('.csw-st-menu[data-filter="state"]')
    button = menu.locator(".csw-st-menu-button")
    button.click()
    # the option's text, not its checkbox: the first click must filter and leave the menu open
    menu.locator("label", has_text="RUNNING").locator("span").first.click()
    expect(rows).to_have_count(states.count("RUNNING"))
    expect(menu.locator(".csw-st-menu-panel")).to_be_visible()
    menu.locator("label", has_text="STOPPED").locator("span").first.click()
    expect(rows).to_have_count(states.count("RUNNING") + states.count("STOPPED"))
    expect(button).to_have_text("State: RUNNING, STOPPED")  # not "2 chosen"
    page.keyboard.press("Escape")  # focus stayed in the menu: Escape closes it
    expect(menu.locator(".csw-st-menu-panel")).to_be_hidden()
    clear_all = panel.get_by_role("button", name="Clear all filters")
    expect(clear_all).to_be_visible()
    clear_all.click()
    expect(rows).to_have_count(total)
    expect(button).to_have_text("State: all")
    expect(clear_all).to_be_hidden()


@pytest.mark.parametrize("app", APPS)
def test_rows_hold_still_under_the_pointer(jupyter, page, sim, app):
    _, nb, panel = _open(jupyter, page, sim, app)
    panel.get_by_role("button", name="Sort by Last change").click()
    panel.get_by_role("button", name="Sort by Last change").click()  # the latest change first
    expect(panel.locator('th[data-col="last_change"]')).to_have_attribute("aria-sort", "descending")
    rows = panel.locator("tbody tr.csw-st-row")
    keys = rows.evaluate_all("trs => trs.map(tr => tr.dataset.key)")
    stopped = rows.evaluate_all("trs => trs.filter(tr => tr.dataset.state === 'STOPPED').map(tr => tr.dataset.key)")
    target = stopped[-1]  # the stopped studio changed longest ago: ▶ would move it to the top
    assert keys.index(target) > 0, keys
    row = panel.locator(f'tr.csw-st-row[data-key="{target}"]')
    start = row.locator('button[data-action="start"]')
    box = start.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    top_before = rows.first.bounding_box()["y"]
    heads = panel.locator("thead th").evaluate_all("ths => ths.map(th => th.dataset.col)")
    last_change = row.locator("td").nth(heads.index("last_change"))
    changed = last_change.inner_text()
    start.click()  # the pointer now rests on it
    expect(row.locator(".csw-badge")).not_to_have_text("STOPPED", timeout=30_000)  # DSS's new state, in place
    # the row's last change is the start's: sorted, it belongs at the top now
    expect(last_change).not_to_have_text(changed, timeout=30_000)
    project, sid = target.split("/", 1)
    assert sim.status(project, sid)["state"] != "STOPPED"
    assert _key_under(page, x, y) == target  # a second click would still land on this studio
    expect(panel.locator(".csw-st-order-hint")).to_be_visible()
    assert rows.evaluate_all("trs => trs.map(tr => tr.dataset.key)") == keys
    assert rows.first.bounding_box()["y"] == top_before
    # the pointer leaves the table: the order catches up
    page.mouse.move(2, 2)
    expect(rows.first).to_have_attribute("data-key", target)
    expect(panel.locator(".csw-st-order-hint")).to_be_hidden()

    # a confirmation floats: no row moves when it opens (nor when it closes)
    running = panel.locator('tbody tr.csw-st-row[data-state="RUNNING"]').last
    before = [r.bounding_box()["y"] for r in rows.all()[:5]]
    running.locator('button[data-action="stop"]').click()
    dialog = nb.get_by_role("alertdialog").first
    expect(dialog).to_be_visible()
    assert [r.bounding_box()["y"] for r in rows.all()[:5]] == before
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    assert [r.bounding_box()["y"] for r in rows.all()[:5]] == before


@pytest.mark.parametrize("app", APPS)
def test_dialogs_keyboard(jupyter, page, sim, app):
    _, nb, panel = _open(jupyter, page, sim, app)
    rows = panel.locator("tbody tr.csw-st-row")
    focused = "() => document.activeElement?.closest('label')?.textContent ?? document.activeElement?.textContent"
    # New studio opens on its first field; Escape cancels
    panel.get_by_role("button", name="New studio…").click()
    dialog = panel.locator(".csw-st-lifecycle-dialog")
    expect(dialog).to_be_visible()
    page.wait_for_function("() => document.activeElement?.tagName === 'SELECT'")
    assert page.evaluate(focused).startswith("Project")
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()

    # Change owner: focus on the login, Enter submits; an unknown login's alert moves no row
    first = rows.first
    key = first.get_attribute("data-key")
    project, sid = key.split("/", 1)
    heads = panel.locator("thead th").evaluate_all("ths => ths.map(th => th.dataset.col)")
    owner = first.locator("td").nth(heads.index("owner"))
    new_owner = "dave" if owner.inner_text() != "dave" else "carol"
    first.locator("input[type=checkbox]").click()
    tops = [r.bounding_box()["y"] for r in rows.all()[:5]]
    panel.get_by_role("button", name="Change owner…").click()
    expect(dialog).to_be_visible()
    page.wait_for_function("() => document.activeElement?.tagName === 'INPUT'")
    assert page.evaluate(focused).startswith("New owner")
    page.keyboard.type("zed")
    page.keyboard.press("Enter")
    expect(panel.locator(".csw-alert")).to_contain_text("zed", timeout=30_000)
    assert [r.bounding_box()["y"] for r in rows.all()[:5]] == tops  # the alert sits over the table's bottom
    page.keyboard.press("Control+a")
    page.keyboard.type(new_owner)
    page.keyboard.press("Enter")
    expect(dialog).to_be_hidden(timeout=30_000)
    expect(owner).to_have_text(new_owner, timeout=30_000)

    # Delete: focus on the typed name, Enter deletes once it matches
    name = first.locator("td").nth(2).inner_text()
    panel.get_by_role("button", name="Delete…").click()
    expect(dialog).to_be_visible()
    page.wait_for_function("() => document.activeElement?.tagName === 'INPUT'")
    page.keyboard.type(name[:-1])
    page.keyboard.press("Enter")  # not the name yet: nothing happens
    expect(dialog).to_be_visible()
    page.keyboard.type(name[-1])
    page.keyboard.press("Enter")
    expect(panel.locator(f'tr.csw-st-row[data-key="{key}"]')).to_have_count(0, timeout=30_000)
    assert sid not in sim.studio_ids(project)

    # Shift+Enter on the grid runs the cell (the notebook's shortcut), it does not toggle the row
    cells = nb.locator(".jp-Cell")
    count = cells.count()
    rows.first.locator("td").nth(1).click()
    page.keyboard.press("Shift+Enter")
    expect(cells).to_have_count(count + 1, timeout=30_000)  # run, then a new cell below (the last one ran)
    expect(rows.first).to_have_attribute("aria-selected", "false")


MEASURE = """(area) => {
  // how many characters of each name and project cell are shown (the whole text when it is not cut)
  const shown = (td) => {
    const text = td.textContent, node = td.firstChild;
    const inner = td.getBoundingClientRect().width - 10;  // CELL_PAD
    if (!node || node.nodeType !== 3) return text.length;
    const range = document.createRange();
    let n = 0;
    for (; n < text.length; n += 1) {
      range.setStart(node, 0); range.setEnd(node, n + 1);
      if (range.getBoundingClientRect().width > inner - (n + 1 < text.length ? 8 : 0)) break;
    }
    return n;
  };
  const heads = [...area.querySelectorAll('thead th')].map(th => th.dataset.col);
  const rows = [...area.querySelectorAll('tbody tr.csw-st-row')];
  const col = (id) => rows.map(tr => tr.children[heads.indexOf(id)]);
  return {
    heads,
    width: area.querySelector('.csw-st-scroll').clientWidth,
    scroll: area.querySelector('.csw-st-scroll').scrollWidth,
    names: col('name').map(td => [td.textContent, shown(td)]),
    projects: col('project').map(td => [td.textContent, shown(td)]),
  };
}"""


@pytest.mark.parametrize("app", APPS)
def test_900_px_keeps_identity_columns_readable(jupyter, page, sim, app):
    page.set_viewport_size({"width": 1600, "height": 900})
    _, _, panel = _open(jupyter, page, sim, app)
    zones = panel.locator('tbody tr.csw-st-row[data-state="RUNNING"]').first
    heads = panel.locator("thead th").evaluate_all("ths => ths.map(th => th.dataset.col)")
    assert "zones" in heads, heads
    cell = zones.locator("td").nth(heads.index("zones"))
    expect(cell).to_contain_text("Project libraries")  # the viewer's label, not "project-lib-versioned"
    assert "project-lib" not in cell.inner_text()

    page.set_viewport_size({"width": 900, "height": 900})
    area = panel.locator(".csw-st-area")
    page.wait_for_function("(w) => document.querySelector('.csw-st-scroll')?.clientWidth < w", arg=1000)
    report = area.evaluate(MEASURE)
    print(app, "900 px:", {k: report[k] for k in ("heads", "width", "scroll")}, report["names"][:3])
    short = [(t, n) for t, n in report["names"] + report["projects"] if n < min(12, len(t))]
    assert short == [], report
    if report["width"] < 760:  # too narrow for every column: zones go first, the actions fold into ⋯
        assert "zones" not in report["heads"], report
        expect(panel.get_by_role("button", name="Actions of", exact=False).first).to_be_visible()
    # the toolbar keeps its layout when its summary changes (a filter adds "· 1 shown")
    toolbar = panel.locator(".csw-st-toolbar")
    where = "t => [...t.children].map(c => c.getBoundingClientRect()).map(r => [Math.round(r.x), Math.round(r.y)])"
    before = toolbar.evaluate(where)
    summary = panel.locator(".csw-st-summary").inner_text()
    panel.get_by_role("searchbox", name="Filter studios by text").press_sequentially("Scoring")
    expect(panel.locator(".csw-st-summary")).not_to_have_text(summary)
    expect(panel.locator("tbody tr.csw-st-row")).to_have_count(1)
    assert toolbar.evaluate(where) == before
