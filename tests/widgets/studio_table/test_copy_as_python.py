"""Copy as Python (#24) in the studio table beyond one studio: a batch confirmation's code (one snippet for the N
studios, waited for together with ``client.wait_all``), the delete and change-owner dialogs', and a webapp action's
activity entry -- each run as copied against the simulator has the panel's effect."""

from __future__ import annotations

from tests.support import ask, wait_for

from ...widgets.conftest import KEY
from ..copied import run_copied


def _states(client, keys: list[str]) -> list[str]:
    out = []
    for key in keys:
        project_key, studio_id = key.split("/")
        out.append(client.get_project(project_key).get_code_studio(studio_id).get_status().state)
    return out


def _keys(table, state: str) -> list[str]:
    df = table.df
    return list(df.index[df["state"].astype(str) == state])


def test_a_batch_stop_confirmation_copies_one_snippet_that_stops_all_n(make_table, client, sim, monkeypatch):
    table = make_table(live=False)
    running, stopped = _keys(table, "RUNNING")[:3], _keys(table, "STOPPED")[:1]
    assert len(running) == 3
    reply = ask(table, "code", what="stop", rows=running + stopped)  # what the batch bar asks for its code
    assert reply["ok"] is True, reply
    code = reply["result"]["code"]
    assert table.activity == [] and _states(client, running) == ["RUNNING"] * 3  # copying never acts
    for key in running:
        assert repr(tuple(key.split("/"))) in code  # each studio named, as a literal
    assert repr(tuple(stopped[0].split("/"))) not in code  # the batch skips a stopped studio: so does its code
    assert code.count(".stop()") == 1 and "client.wait_all(futures" in code
    run_copied(code, sim.url, KEY, monkeypatch)
    assert _states(client, running) == ["STOPPED"] * 3  # what the panel's "Stop 3" does
    assert _states(client, stopped) == ["STOPPED"]


def test_a_batch_start_and_restart_copy_their_own_calls(make_table, client, sim, monkeypatch):
    table = make_table(live=False)
    stopped = _keys(table, "STOPPED")[:2]
    code = ask(table, "code", what="start", rows=stopped)["result"]["code"]
    run_copied(code, sim.url, KEY, monkeypatch)
    assert _states(client, stopped) == ["RUNNING", "RUNNING"]
    assert ".restart()" in ask(table, "code", what="restart", rows=_keys(table, "RUNNING")[:1])["result"]["code"]
    none = ask(table, "code", what="start", rows=_keys(table, "RUNNING")[:1])  # nothing the batch would start
    assert none["ok"] is False and "No studio to start" in none["error"]
    assert ask(table, "code", what="dance", rows=stopped)["ok"] is False
    assert ask(table, "code", what="stop", rows=["NOPE/x"])["ok"] is False


def test_the_delete_and_change_owner_dialogs_copy_their_code(make_table, client, sim, monkeypatch):
    table = make_table(live=False)
    key = _keys(table, "STOPPED")[0]
    project_key, studio_id = key.split("/")
    owner = "bob" if table.df.loc[key, "owner"] != "bob" else "alice"
    assert ask(table, "code", what="change owner", row=key, new_owner="")["ok"] is False  # nothing typed yet
    code = ask(table, "code", what="change owner", row=key, new_owner=f" {owner} ")["result"]["code"]
    run_copied(code, sim.url, KEY, monkeypatch)
    assert client.get_project(project_key).get_code_studio(studio_id).get_settings().owner == owner
    code = ask(table, "code", what="delete", row=key)["result"]["code"]
    assert table.activity == []
    run_copied(code, sim.url, KEY, monkeypatch)
    assert studio_id not in [s.id for s in client.get_project(project_key).list_code_studios()]


def test_a_webapp_stop_in_the_activity_runs_as_copied(make_table, client, sim, monkeypatch):
    table = make_table(live=False)
    key = next(k for k in table.df.index if table.df.loc[k, "name"] == "Dashboard app")
    assert ask(table, "webapp", row=key, webapp="wSalesD", op="stop")["ok"] is True
    webapp = client.get_project("SALES_FORECAST").get_webapp("wSalesD")
    webapp.start_or_restart_backend().wait_for_result(timeout=20)
    entry = next(e for e in table.activity if e["what"] == "stop webapp")
    assert "get_webapp('wSalesD')" in entry["code"] and "stop_backend()" in entry["code"]
    run_copied(entry["code"], sim.url, KEY, monkeypatch)
    assert webapp.get_state().running is False
    started = ask(table, "webapp", row=key, webapp="wSalesD", op="start", timeout=60)
    assert started["ok"] is True
    entry = next(e for e in table.activity if e["what"] == "start webapp")
    webapp.stop_backend()
    run_copied(entry["code"], sim.url, KEY, monkeypatch)
    wait_for(lambda: webapp.get_state().running, 20, "the copied start")


def test_the_new_studio_dialog_copies_the_creation_of_what_the_form_says(make_table, client, sim, monkeypatch):
    table = make_table(live=False)
    project_key = table.df["project_key"].iloc[0]
    template = client.list_code_studio_templates()[0].id
    form = {"project_key": project_key, "name": "Copied studio", "template_id": template, "start": True}
    code = ask(table, "code", what="create", create=form)["result"]["code"]
    assert f"create_code_studio('Copied studio', {template!r})" in code and ".restart().wait_for_result(" in code
    assert ask(table, "code", what="create", create={**form, "name": " "})["ok"] is False  # no name yet
    run_copied(code, sim.url, KEY, monkeypatch)
    made = [s for s in client.get_project(project_key).list_code_studios() if s.name == "Copied studio"]
    assert len(made) == 1
    assert client.get_project(project_key).get_code_studio(made[0].id).get_status().state == "RUNNING"  # started
