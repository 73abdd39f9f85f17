"""Issue 24, findings 2, 7 (the ⇄ reveal), 11 and 12, in real front ends against the simulator: what the user
sees is true.

- 2: no "null" (nor "undefined") beside Cancel in a confirmation without a type-to-confirm field -- a row's
  restart and stop, the batch stop and restart, the conflict viewer's pull and push, the template builds'
  delete -- and each names what it acts on. Also in the classic notebook (nbclassic), DSS's notebook.
- 7: the studio table's ⇄ scrolls an open conflict viewer below the fold into view and focuses it; in the
  Dashboard, ⇄ selects the File sync tab under the table and scrolls it into view, focused.
- 11: a panel over a closed port names that URL and says it could not connect (not "connection lost"); a
  refused ``api_key=`` names that argument (not DKU_DSS_URL / DKU_API_KEY); the builds panel whose template
  list failed shows its error and not "No code studio templates."; the same failure twice is one alert;
  "New studio…" is disabled, saying why, when nothing can be created: studios not read, or (found after the
  table's first read, before any click) no project in DSS.
- 12: ``help()`` of each public panel class in a notebook cell: public methods first, no private name, an
  Examples section, the class's own part short.

One simulator for the module and one notebook per front end; each test runs the cells it needs.
"""

from __future__ import annotations

import re
import socket

import nbformat
import pytest
from playwright.sync_api import expect

from cswidgets.sim import Simulator

KEY = "k-e2e-i24-findings"
ZONE = "project-lib-versioned"
ZONE_PATH = f"/home/dataiku/workspace/{ZONE}"
PANEL_CLASSES = ["StudioTable", "ConflictViewer", "TemplateBuilds", "Dashboard", "FutureProgress", "Governance"]

CELLS = [
    # 0: the connection and the studios of this front end's project
    "import os\nimport cswidgets\n\nclient = cswidgets.connect()\n"
    "pk, sid, other = os.environ['CSW_PK'], os.environ['CSW_SID'], os.environ['CSW_OTHER']",
    # 1-3: the panels whose confirmations finding 2 opens
    "table = cswidgets.StudioTable(client, [pk])\ntable",
    "viewer = cswidgets.ConflictViewer(client, pk, sid)\nviewer",
    "builds = cswidgets.TemplateBuilds(client)\nbuilds",
    # 4-5: a cell taller than the window, then the table's own viewer of the studio (finding 7)
    "from IPython.display import HTML\n\nHTML('<div class=\"csw-test-spacer\" style=\"height: 2400px\">(space)</div>')",
    "table.open_conflicts(f'{pk}/{sid}');",
    # 6-9: error paths (finding 11)
    "unreachable = cswidgets.StudioTable(cswidgets.connect(url=os.environ['CSW_CLOSED'], api_key='k'))\nunreachable",
    "refused = cswidgets.StudioTable(cswidgets.connect(url=os.environ['DKU_DSS_URL'], api_key='not-the-key'))\n"
    "refused",
    "no_templates = cswidgets.TemplateBuilds(cswidgets.connect(url=os.environ['CSW_CLOSED'], api_key='k'))\n"
    "no_templates",
    "empty = cswidgets.StudioTable(cswidgets.connect(url=os.environ['CSW_EMPTY'], api_key=os.environ['DKU_API_KEY']))\n"
    "empty",
    # 10...: help() of each public panel class (finding 12)
    *[f"help(cswidgets.{name})" for name in PANEL_CLASSES],
    # 16: the quickstart's dashboard (finding 7: its File sync tab sits under the table)
    "dash = cswidgets.Dashboard(client)\ndash",
]
HELP_CELLS = {name: 10 + i for i, name in enumerate(PANEL_CLASSES)}
NOTEBOOK = nbformat.writes(nbformat.v4.new_notebook(
    cells=[nbformat.v4.new_code_cell(c) for c in CELLS],
    metadata={"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}}))
CODE_CELL = {"lab": ".jp-CodeCell", "notebook": ".jp-CodeCell", "classic": ".cell.code_cell"}
NB7_STARTUP_ERROR = "Cannot read properties of undefined (reading 'schema')"  # Notebook 7.6's own


@pytest.fixture(scope="module")
def sim():
    with Simulator(scenario="demo", api_key=KEY, seed=0, speed=5) as s:
        yield s


@pytest.fixture(scope="module")
def empty_sim():
    """A DSS with no project and no template: nothing can be created."""
    with Simulator(scenario="empty", api_key=KEY, seed=0) as s:
        yield s


@pytest.fixture(scope="module")
def closed_url():
    """The URL of a 127.0.0.1 port nothing listens on (bound, then closed)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}"


@pytest.fixture(scope="module")
def notebooks(jupyter, sim, empty_sim, closed_url):
    """One notebook per front end (its own project: two running studios, one with a conflict), made once."""
    made = {}

    def get(app):
        if app not in made:
            pk = sim.add_project(f"I24F_{app.upper()}")
            sid = sim.add_studio(pk, "Conflicted", "admin", "tpl_vscode", state="STOPPED")
            sim.write_file(pk, sid, ZONE, "lib/util.py", "base\n", side="dss", author="bob")
            sim.set_state(pk, sid, "RUNNING")
            sim.write_file(pk, sid, ZONE, "lib/util.py", "from the code studio\n", side="studio")
            sim.write_file(pk, sid, ZONE, "lib/util.py", "from DSS\n", side="dss", author="bob")
            other = sim.add_studio(pk, "Other", "admin", "tpl_vscode", state="RUNNING")
            env = {"DKU_DSS_URL": sim.url, "DKU_API_KEY": KEY, "CSW_PK": pk, "CSW_SID": sid, "CSW_OTHER": other,
                   "CSW_CLOSED": closed_url, "CSW_EMPTY": empty_sim.url}
            made[app] = (jupyter(app, files={"findings.ipynb": NOTEBOOK}, env=env), pk, sid, other)
        return made[app]

    return get


def _open(notebooks, page, app, *cells):
    """Open the front end's notebook and run ``cells`` (in order); the server, the notebook and its cells."""
    server, pk, sid, other = notebooks(app)
    server.open(page, "findings.ipynb")
    for i in cells:
        server.run_cell(page, i)
    nb = server.notebook_locator(page)
    return server, nb, nb.locator(CODE_CELL[app]), (pk, sid, other)


def _no_null(text: str, where: str) -> None:
    assert "null" not in text and "undefined" not in text, f"{where}: {text!r}"


# -- finding 2 -----------------------------------------------------------------------------------------------

@pytest.mark.slow
@pytest.mark.parametrize("app", ["lab", "notebook", "classic"])
def test_confirmations_say_no_null_and_name_their_target(notebooks, page, sim, app):
    _, _, cells, (pk, sid, other) = _open(notebooks, page, app, 0, 1, 2, 3)
    table = cells.nth(1).locator(".csw-st")
    row = table.locator(f'tr.csw-st-row[data-key="{pk}/{sid}"]')
    other_row = table.locator(f'tr.csw-st-row[data-key="{pk}/{other}"]')
    expect(row).to_have_attribute("data-state", "RUNNING", timeout=90_000)
    expect(other_row).to_have_attribute("data-state", "RUNNING", timeout=30_000)
    bar = table.get_by_role("alertdialog")

    def confirm_and_cancel(open_it, names, what):
        open_it()
        expect(bar).to_be_visible()
        text = bar.text_content() or ""
        _no_null(text, what)
        for name in names:
            assert name in text, f"{what} does not name {name}: {text!r}"
        bar.get_by_role("button", name="Cancel", exact=True).click()
        expect(bar).to_be_hidden()

    # a row's restart (↻ on a running studio) and stop
    confirm_and_cancel(row.locator('button[data-action="start"]').click, ["Conflicted", pk], "restart")
    confirm_and_cancel(row.locator('button[data-action="stop"]').click, ["Conflicted", pk], "stop")
    # the batch stop and restart of the two selected studios (a batch start of 20 or fewer asks nothing)
    row.locator("input[type=checkbox]").check()
    other_row.locator("input[type=checkbox]").check()
    for verb in ("Stop", "Restart"):
        button = table.get_by_role("button", name=f"{verb} the 2 selected running studios")
        confirm_and_cancel(button.click, ["Conflicted", "Other", pk], f"batch {verb.lower()}")

    # the conflict viewer's pull and push
    zone = cells.nth(2).locator(f'section.csw-cv-zone[data-key="{ZONE}|{ZONE_PATH}"]')
    expect(zone).to_have_attribute("data-status", "conflicts", timeout=90_000)
    label = zone.locator("h3, h4, .csw-cv-zone-title").first.text_content() or ""
    confirm = zone.locator(".csw-cv-confirm")
    for op in ("Pull", "Push"):
        zone.get_by_role("button", name=op, exact=True).click()
        expect(confirm).to_be_visible()
        text = confirm.text_content() or ""
        _no_null(text, op)
        assert "lib/util.py" in text, text
        assert label and label.split(" ")[0] in text, (label, text)
        confirm.get_by_role("button", name="Cancel", exact=True).click()
        expect(confirm).to_be_hidden()

    # the template builds' delete
    builds = cells.nth(3).locator(".csw-template-builds")
    template = builds.locator('tr[data-template="tpl_streamlit"]')
    expect(template).to_be_visible(timeout=90_000)
    template.get_by_role("checkbox").check()
    builds.get_by_role("button", name="Delete…").click()
    form = builds.locator(".csw-tb-manage.csw-dialog")
    expect(form).to_be_visible()
    text = form.text_content() or ""
    _no_null(text, "template delete")
    assert "Streamlit" in text and "tpl_streamlit" in text, text
    form.get_by_role("button", name="Cancel", exact=True).click()
    expect(form).to_be_hidden()

    # nothing was done
    assert sim.status(pk, sid)["state"] == "RUNNING" and sim.status(pk, other)["state"] == "RUNNING"
    assert sim.read_files(pk, sid, ZONE, side="dss")["lib/util.py"] == "from DSS\n"
    expect(template).to_be_visible()
    assert page.offhost == [], page.offhost


# -- finding 7: ⇄ reveals the viewer -------------------------------------------------------------------------

@pytest.mark.slow
@pytest.mark.parametrize("app", ["lab", "notebook"])
def test_the_conflicts_button_reveals_the_viewer_below_the_fold(notebooks, page, app):
    _, _, cells, (pk, sid, _) = _open(notebooks, page, app, 0, 1, 4, 5)
    table = cells.nth(1).locator(".csw-st")
    viewer = cells.nth(5).locator(".csw-cv")
    expect(viewer.locator(".csw-cv-zone").first).to_be_attached(timeout=90_000)
    row = table.locator(f'tr.csw-st-row[data-key="{pk}/{sid}"]')
    button = row.locator('button[data-action="conflicts"]')
    expect(button).to_be_enabled(timeout=90_000)
    button.scroll_into_view_if_needed()
    expect(viewer).not_to_be_in_viewport()  # 2400 px below, past the spacer cell
    button.click()
    expect(viewer).to_be_in_viewport(timeout=30_000)
    expect(viewer).to_be_focused()
    expect(viewer).to_have_count(1)  # revealed, not shown a second time


@pytest.mark.slow
@pytest.mark.parametrize("app", ["lab", "notebook"])
def test_the_dashboard_s_conflicts_button_reveals_its_file_sync_tab(notebooks, page, app):
    page.set_viewport_size({"width": 1280, "height": 500})
    _, _, cells, _ = _open(notebooks, page, app, 0, 16)
    dash = cells.nth(16).locator(".csw-dashboard")
    button = dash.locator('tr.csw-st-row button[data-action="conflicts"]:enabled').first
    expect(button).to_be_attached(timeout=90_000)
    dash.evaluate("(d) => d.scrollIntoView({block: 'start'})")  # the table's top rows at the top of the window
    name = (button.get_attribute("aria-label") or "").removeprefix("Conflicts of ")
    viewer = dash.locator(".csw-cv")
    expect(button).to_be_in_viewport()
    expect(viewer).to_be_visible()  # its tab is shown, under the table, below the fold
    expect(viewer).not_to_be_in_viewport()
    button.click()
    expect(dash.get_by_role("tab", name=f"File sync · {name}", exact=True)).to_be_attached(timeout=30_000)
    expect(viewer).to_be_in_viewport(timeout=30_000)
    expect(viewer).to_be_focused()


# -- finding 11: error paths ---------------------------------------------------------------------------------

@pytest.mark.slow
@pytest.mark.parametrize("app", ["lab", "notebook"])
def test_error_paths_say_what_was_tried(notebooks, page, closed_url, app):
    _, _, cells, _ = _open(notebooks, page, app, 0, 6, 7, 8, 9)

    # (a) a closed port: that URL, "could not connect"
    unreachable = cells.nth(6).locator(".csw-st")
    alerts = unreachable.locator(".csw-alert")
    expect(alerts).to_have_count(1, timeout=90_000)
    expect(alerts).to_contain_text(f"could not connect to {closed_url}")
    assert "connection lost" not in (alerts.text_content() or "")
    # (d) the same failure twice is one alert
    refresh = unreachable.get_by_role("button", name="Refresh the table")
    for _ in range(2):
        refresh.click()
        expect(refresh).to_have_text("Refresh", timeout=30_000)
        expect(refresh).to_be_enabled()
    expect(alerts).to_have_count(1)
    expect(alerts).to_contain_text(f"could not connect to {closed_url}")
    # (e) nothing can be created while the studios could not be read: New studio is disabled, saying why
    new = unreachable.get_by_role("button", name="New studio…")
    expect(new).to_be_disabled()
    why = rf"^Nothing can be created: code studios not loaded — could not connect to {re.escape(closed_url)}$"
    expect(new).to_have_attribute("title", re.compile(why))

    # (b) a refused api_key= names that argument, not the environment variables
    refused = cells.nth(7).locator(".csw-st").locator(".csw-alert")
    expect(refused).to_have_count(1, timeout=90_000)
    expect(refused).to_contain_text("authentication failed: check the api_key= argument")
    assert "DKU_" not in (refused.text_content() or "")

    # (c) the templates could not be listed: one error, and no claim that there are none
    builds = cells.nth(8).locator(".csw-template-builds")
    failed = builds.locator(".csw-alert")
    expect(failed).to_have_count(1, timeout=90_000)
    expect(failed).to_contain_text(f"Could not list the templates: could not connect to {closed_url}")
    expect(builds.get_by_text("No code studio templates.")).to_be_hidden()

    # (e) a DSS with no project: New studio is disabled before any click, saying why (no form whose Create never
    # enables), as the table found after its first read
    empty = cells.nth(9).locator(".csw-st")
    expect(empty.locator(".csw-st-summary")).to_contain_text("0 studios", timeout=90_000)
    new = empty.get_by_role("button", name="New studio…")
    expect(new).to_be_disabled(timeout=30_000)
    expect(new).to_have_attribute("title", re.compile("^No project to create a code studio in"))
    expect(empty.locator(".csw-st-lifecycle-dialog")).to_be_hidden()
    assert page.offhost == [], page.offhost


# -- finding 12: help() --------------------------------------------------------------------------------------

OWN_PART_MAX = 16_000  # the class's own help, before what it inherits (StudioTable's: ~14 KB)


@pytest.mark.slow
@pytest.mark.parametrize("app", ["lab"])
def test_help_of_each_panel_in_a_cell(notebooks, page, app):
    _, _, cells, _ = _open(notebooks, page, app, 0, *HELP_CELLS.values())
    sizes = {}
    for name, i in HELP_CELLS.items():
        output = cells.nth(i).locator(".jp-OutputArea-output").first
        expect(output).to_contain_text(f"Help on class {name}", timeout=60_000)
        text = output.text_content() or ""
        own = text.split("Methods inherited from", 1)[0]
        sizes[name] = (len(text), len(own))
        assert "Examples\n |  --------\n |  >>> " in own, f"{name}: no Examples section"
        members = re.findall(r"^ \|  ([A-Za-z_]\w*)\(", own, re.M)
        private = [m for m in re.findall(r"^ \|  (\w+)", text, re.M) if m.startswith("_") and not m.startswith("__")]
        assert not private, f"{name}: private names in help(): {private}"
        public = [m for m in members if not m.startswith("_")]
        assert public, f"{name}: no public method in its own help"
        assert len(own) < OWN_PART_MAX, (name, len(own))
    print("help() sizes (total, own part):", sizes)
