"""Views that survive (#24 finding 6): a new table of the same DSS starts from the last view (sort, filters,
hidden columns, grouping) -- re-running a cell keeps it; named views are saved per user in a JSON file and
applied from Python and from the toolbar's messages."""

from __future__ import annotations

import json
import os

import pytest

from cswidgets.api import connect
from cswidgets.sim import Simulator
from cswidgets.widgets.shared.views import LAST, NamedViews, views_path
from cswidgets.widgets.studio_table import StudioTable
from tests.support import ask

from ..conftest import KEY

VIEW = {"sort": {"column": "last_change", "descending": True}, "filter_text": "note",
        "filters": {"filter_states": ["RUNNING"], "filter_owners": [], "filter_projects": [], "filter_templates": [],
                    "filter_running_min": 0.0},
        "group_by": "project", "hidden": ["zones", "exposed"]}


def _as_the_browser(table: StudioTable) -> None:
    """What the user's controls write (the browser is the writer of these traits)."""
    table.sort = {"column": "last_change", "descending": True}
    table.filter_text = "note"
    table.filter_states = ["RUNNING"]
    table.group_by = "project"
    table.columns = {"hidden": ["zones", "exposed"], "widths": {"name": 200.0}}


def test_a_new_table_of_the_same_dss_shows_the_last_view(make_table, client, sim):
    first = make_table(live=False)
    _as_the_browser(first)
    again = make_table(live=False)  # the cell run again: a new table, a new model
    assert again.view == VIEW
    assert (again.sort, again.filter_states, again.group_by) == ({"column": "last_change", "descending": True},
                                                                ["RUNNING"], "project")
    assert again.columns["hidden"] == ["zones", "exposed"]
    # another client object on the same DSS (connect() run again) gets it too; the view's traits given win
    other = connect(url=sim.url, api_key=KEY, retries=0)
    try:
        mine = make_table(client_=other, live=False, filter_states=["STOPPED"])
        assert mine.filter_states == ["STOPPED"] and mine.sort["column"] == "last_change"
    finally:
        other.close()


def test_a_table_of_some_projects_keeps_its_own_view(make_table, client):
    _as_the_browser(make_table(live=False))
    project = client.studios_frame()["project_key"].iloc[0]
    some = make_table([project], live=False)
    assert some.sort == {"column": "project", "descending": False}
    some.sort = {"column": "owner", "descending": False}
    assert make_table([project], live=False).sort["column"] == "owner"
    assert make_table(live=False).sort["column"] == "last_change"


def test_another_dss_keeps_its_own_view(make_table):
    first = make_table(live=False)
    _as_the_browser(first)
    with Simulator(scenario="demo", api_key=KEY, seed=0) as other_sim:
        other = connect(url=other_sim.url, api_key=KEY, retries=0)
        try:
            fresh = make_table(client_=other, live=False)
            assert fresh.sort == {"column": "project", "descending": False} and fresh.filter_states == []
        finally:
            fresh.close()
            other.close()


def test_a_remembered_view_that_no_longer_fits_is_ignored(make_table, client):
    LAST.put(client, "studios", {"sort": {"column": "gone", "descending": False}})
    table = make_table(live=False)
    assert table.sort == {"column": "project", "descending": False}


def test_named_views_saved_applied_deleted_from_python(make_table, tmp_path):
    table = make_table(live=False)
    _as_the_browser(table)
    assert table.save_view("my running studios") == VIEW
    saved = json.loads(views_path().read_text())
    assert saved["views"]["studios"]["my running studios"] == VIEW
    table.view = {"sort": {"column": "name", "descending": False}, "filters": {}, "filter_text": "", "hidden": []}
    assert table.filter_states == [] and table.sort["column"] == "name"
    assert table.apply_view("my running studios") == VIEW
    assert table.view == VIEW
    assert list(table.views()) == ["my running studios"]
    # another kernel of the same user (the file is read again) sees it
    assert NamedViews("studios").get("my running studios") == VIEW
    assert table.delete_view("my running studios") is True and table.views() == {}
    assert table.delete_view("my running studios") is False
    with pytest.raises(KeyError, match="No view named 'nope'"):
        table.apply_view("nope")


def test_bad_views_and_names_are_clear_errors_and_change_nothing(make_table):
    table = make_table(live=False)
    before = table.view
    with pytest.raises(ValueError, match="cannot sort by 'bogus'"):
        table.view = {"sort": {"column": "bogus"}}
    with pytest.raises(ValueError, match="unknown filter 'filter_colour'"):
        table.view = {"filters": {"filter_colour": ["red"]}}
    with pytest.raises(ValueError, match="cannot hide column\\(s\\) 'name'"):
        table.view = {"hidden": ["name"]}
    with pytest.raises(ValueError, match="unknown view key"):
        table.view = {"colour": "red"}
    with pytest.raises(ValueError, match="name has 1 to 80"):
        table.save_view("   ")
    assert table.view == before


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes anywhere")
def test_an_unwritable_views_file_names_the_file(make_table, tmp_path, monkeypatch):
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    monkeypatch.setenv("CSWIDGETS_CONFIG_DIR", str(folder))
    with pytest.raises(OSError, match=f"Could not write the named views file {folder}"):
        make_table(live=False).save_view("x")


def test_an_unwritable_or_corrupt_views_file_is_a_clear_error(make_table, tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("CSWIDGETS_CONFIG_DIR", str(blocker / "cswidgets"))  # its parent is a file
    table = make_table(live=False)
    with pytest.raises(OSError, match=r"Could not (read|write) the named views file .*a-file/cswidgets/views\.json"):
        table.save_view("x")
    monkeypatch.setenv("CSWIDGETS_CONFIG_DIR", str(tmp_path))
    (tmp_path / "views.json").write_text("{not json")
    with pytest.raises(ValueError, match="is not valid JSON"):
        table.views()


def test_the_toolbar_messages(make_table):
    table = make_table(live=False)
    _as_the_browser(table)
    reply = ask(table, "save_view", name="running, grouped")
    assert reply["ok"] and reply["result"]["views"] == {"running, grouped": VIEW}
    assert ask(table, "views")["result"] == {"views": {"running, grouped": VIEW}}
    reply = ask(table, "delete_view", name="running, grouped")
    assert reply["result"] == {"deleted": True, "views": {}}
    bad = ask(table, "save_view", name="")
    assert not bad["ok"] and "name has 1 to 80" in bad["error"]
