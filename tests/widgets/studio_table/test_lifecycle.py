"""New studio, Delete and Change owner from the studio table: the row appears, leaves or changes, the
activity says so, and a deletion needs the studio's name typed back."""

from __future__ import annotations

import pytest

from cswidgets.api import connect
from cswidgets.sim import Simulator
from cswidgets.widgets.studio_table.lifecycle import NO_PROJECT, NO_TEMPLATE
from tests.support import ask, wait_for

from .conftest import running_key, stopped_key


def _template(client) -> str:
    return client.list_code_studio_templates()[0].id


def test_create_adds_the_row_and_can_start_it(table, client):
    pk = table.df["project_key"].iloc[0]
    before = len(table.df)
    result = table.create(pk, "fresh notebook", _template(client), start=True)
    key = result["key"]
    assert result["started"] is True
    assert len(table.df) == before + 1 and table.df.loc[key, "name"] == "fresh notebook"
    assert any(key in [r["key"] for r in m["upsert"]] for m in table.send.rows())  # the view got the row
    wait_for(lambda: str(table.df.loc[key, "state"]) == "RUNNING" and not table.in_flight, 20, "the start")
    whats = [(e["what"], e["outcome"]) for e in table.activity]
    assert ("create", "done") in whats and ("start", "done") in whats
    assert table.summary["total"] == before + 1


def test_create_failure_is_logged_and_raised(table):
    pk = table.df["project_key"].iloc[0]
    with pytest.raises(Exception, match=r"(?i)template"):
        table.create(pk, "x", "no_such_template")
    assert table.activity[-1]["what"] == "create" and table.activity[-1]["outcome"] == "failed"
    with pytest.raises(ValueError):
        table.create(pk, "", "tpl")


def test_delete_removes_the_row_and_the_studio(table, client):
    key = stopped_key(table)
    table.selection = [key]
    pk, sid = key.split("/")
    assert table.delete(key) == {"deleted": key}
    assert key not in table.df.index and table.selection == []
    assert sid not in [c.id for c in client.get_project(pk).list_code_studios()]
    assert key in table.send.rows()[-1]["remove"]
    assert table.activity[-1]["what"] == "delete" and table.activity[-1]["outcome"] == "done"


def test_delete_from_the_view_needs_the_name_typed(table):
    key = stopped_key(table)
    name = table.df.loc[key, "name"]
    reply = ask(table, "delete", row=key, confirm_name=name.upper() + "?")
    assert not reply["ok"] and name in reply["error"]
    assert key in table.df.index
    assert ask(table, "delete", row=key, confirm_name=name)["ok"]
    assert key not in table.df.index


def test_delete_is_refused_while_an_action_runs(table, sim):
    sim.speed = 1.0  # the stop lasts
    key = running_key(table)
    table.stop(key)
    with pytest.raises(ValueError, match="in progress"):
        table.delete(key)
    assert key in table.df.index
    assert table.activity[-1]["outcome"] == "refused"


def test_change_owner_updates_the_row(table, sim):
    key = stopped_key(table)
    other = "newowner"
    sim.add_user(other)
    assert table.change_owner(key, other) == {"key": key, "owner": other}
    assert table.df.loc[key, "owner"] == other
    entry = table.activity[-1]
    assert entry["what"] == "change owner" and entry["outcome"] == "done" and other in entry["message"]
    reply = ask(table, "change_owner", row=key, new_owner="nobody-here")
    assert not reply["ok"]
    assert table.df.loc[key, "owner"] == other


def test_lifecycle_options_lists_projects_and_templates(table, client):
    options = ask(table, "lifecycle_options")["result"]
    assert set(options["projects"]) == set(client.list_project_keys())
    assert {t["id"] for t in options["templates"]} == {t.id for t in client.list_code_studio_templates()}


def test_new_studio_says_before_a_click_that_nothing_can_be_created_and_a_refresh_finds_what_changed(make_table):
    """After each full read the table finds whether a studio can be created (`create_blocked`, which disables New
    studio with that reason): no project, then no template, then something -- each seen after a Refresh."""
    with Simulator(scenario="empty", api_key="k-blocked", seed=0) as sim:
        client = connect(url=sim.url, api_key="k-blocked", retries=0)
        try:
            table = make_table(client_=client)
            wait_for(lambda: table.create_blocked == NO_PROJECT, 10, "no project found")
            sim.add_project("ALONE")
            table.refresh()
            wait_for(lambda: table.create_blocked == NO_TEMPLATE, 10, "no template found")
            options = ask(table, "lifecycle_options")["result"]
            assert options == {"projects": ["ALONE"], "templates": [], "blocked": NO_TEMPLATE}
            sim.add_template("Fresh")
            table.refresh()
            wait_for(lambda: table.create_blocked == "", 10, "something to create")
            # the dialog's own read says it too (a template deleted meanwhile shows at the next click)
            assert ask(table, "lifecycle_options")["result"]["blocked"] == ""
        finally:
            client.close()


def test_an_unreadable_template_list_is_not_called_nothing_to_create(make_table, sim, client):
    sim.set_faults(rate=1.0, kinds=["500"], path_contains="/admin/code-studios")
    try:
        table = make_table()
        wait_for(lambda: not table.loading and table.store.loaded, 10, "the table")
        reads = lambda: [r for r in sim.requests if r.path.rstrip("/") == "/admin/code-studios"]  # noqa: E731
        wait_for(lambda: reads(), 10, "the template list to be asked for")
        assert table.create_blocked == ""  # unknown: New studio stays enabled, its dialog will say what it finds
        assert not [a for a in table.alerts if "template" in a.get("message", "").lower()]
    finally:
        sim.clear_faults()


def test_lifecycle_options_leave_out_templates_whose_id_cannot_be_used(table, client, monkeypatch):
    from cswidgets.api.templates import CodeStudioTemplateListItem

    real = client.list_code_studio_templates()
    odd = [CodeStudioTemplateListItem(client, {"label": "no id"}),
           CodeStudioTemplateListItem(client, {"id": "x" * 1001, "label": "too long"})]
    monkeypatch.setattr(client, "list_code_studio_templates", lambda *a, **k: [*real, *odd])
    reply = ask(table, "lifecycle_options")
    assert reply["ok"], reply
    assert {t["id"] for t in reply["result"]["templates"]} == {t.id for t in real}


def test_a_create_whose_answer_was_lost_is_outcome_unknown_not_failed(table, sim):
    pk = table.df["project_key"].iloc[0]
    template = sim.template_ids()[0]
    sim.set_faults(rate=1.0, kinds=["reset_after"], methods=["POST"], path_contains="/code-studios")
    try:
        result = table.create(pk, "lost answer", template)  # no exception: the request is not resent
    finally:
        sim.clear_faults()
    assert result["outcome"] == "unknown" and result["key"] is None
    entry = table.activity[-1]
    assert entry["what"] == "create" and entry["outcome"] == "unknown"
    assert "refresh the table" in table.alerts[-1]["message"] and table.alerts[-1]["level"] == "warning"
    assert sum(1 for r in sim.requests if r.method == "POST" and r.path == f"/projects/{pk}/code-studios") == 1


def test_a_failed_owner_change_alert_goes_once_a_later_one_works(table, sim):
    """Issue 24 (7): "User zed does not exist" stayed after a successful owner change."""
    key = stopped_key(table)
    assert not ask(table, "change_owner", row=key, new_owner="zed")["ok"]
    assert any("zed" in a["message"] for a in table.alerts)
    sim.add_user("zed-ok")
    assert table.change_owner(key, "zed-ok")["owner"] == "zed-ok"
    assert not any("zed" in a["message"] and "does not exist" in a["message"] for a in table.alerts), table.alerts
