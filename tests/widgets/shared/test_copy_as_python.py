"""Copy as Python (#24): every action a panel records carries the code that does the same with cswidgets
(``code`` of its activity entry, made by ``python_code``); run as copied against the simulator, it has
the same effect."""

from __future__ import annotations

import ast

import pytest

from cswidgets.api import connect
from cswidgets.widgets.shared.operation import python_code
from tests.support import wait_for

from ..conftest import KEY
from ..studio_table.conftest import running_key, stopped_key


@pytest.fixture
def studio_table(client):
    from cswidgets.widgets.studio_table import StudioTable
    from tests.support import Recorder

    table = StudioTable(client, live=False)
    table.send = Recorder()
    yield table
    table.close()


def _run(code: str, sim, monkeypatch) -> None:
    """Run copied code as a user would, in a fresh namespace, connected by the environment."""
    monkeypatch.setenv("DKU_DSS_URL", sim.url)
    monkeypatch.setenv("DKU_API_KEY", KEY)
    exec(compile(code, "<copied>", "exec"), {})  # the code under test


def _state(client, key: str) -> str:
    project_key, studio_id = key.split("/")
    return client.get_project(project_key).get_code_studio(studio_id).get_status().state


def _ended(table, what: str, key: str) -> dict:
    studio_id = key.split("/")[1]
    return wait_for(lambda: next((e for e in table.activity if e["what"] == what and e["studio_id"] == studio_id
                                  and e["outcome"] != "running"), None), 30, f"the {what} to end")


def test_a_start_copied_from_the_activity_starts_the_studio(studio_table, client, sim, monkeypatch):
    key = stopped_key(studio_table)
    studio_table.start(key)
    entry = _ended(studio_table, "start", key)
    assert entry["outcome"] == "done" and _state(client, key) == "RUNNING"
    project_key, studio_id = key.split("/")
    assert f"get_project({project_key!r}).get_code_studio({studio_id!r})" in entry["code"]
    assert "dataikuapi" in entry["code"]  # the official client's names, in a comment
    client.get_project(project_key).get_code_studio(studio_id).stop().wait_for_result(timeout=30)
    assert _state(client, key) == "STOPPED"
    _run(entry["code"], sim, monkeypatch)  # the copied code
    assert _state(client, key) == "RUNNING"


def test_a_stop_copied_from_the_activity_stops_the_studio(studio_table, client, sim, monkeypatch):
    key = running_key(studio_table)
    studio_table.stop(key)
    entry = _ended(studio_table, "stop", key)
    project_key, studio_id = key.split("/")
    client.get_project(project_key).get_code_studio(studio_id).restart().wait_for_result(timeout=30)
    _run(entry["code"], sim, monkeypatch)
    assert _state(client, key) == "STOPPED"


def test_create_and_change_owner_carry_their_arguments(studio_table, client, sim, monkeypatch):
    pk = studio_table.df["project_key"].iloc[0]
    template = client.list_code_studio_templates()[0].id
    key = studio_table.create(pk, "from the panel", template)["key"]
    entry = next(e for e in studio_table.activity if e["what"] == "create")
    assert f"create_code_studio('from the panel', {template!r})" in entry["code"]
    _run(entry["code"], sim, monkeypatch)
    names = [s.name for s in client.get_project(pk).list_code_studios()]
    assert names.count("from the panel") == 2  # the panel's, and the copied code's
    owner = "bob" if studio_table.df.loc[key, "owner"] != "bob" else "alice"
    studio_table.change_owner(key, owner)
    entry = next(e for e in studio_table.activity if e["what"] == "change owner")
    assert f".change_owner({owner!r})" in entry["code"]


def test_every_code_is_python_with_literals_only():
    hostile = "x'); import os; os.system('echo pwned"
    code = python_code("change owner", project_key="P", studio_id="abc", new_owner=hostile)
    tree = ast.parse(code)
    calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call)]
    assert not any(isinstance(n, ast.Import) and any(a.name == "os" for a in n.names) for n in ast.walk(tree))
    assert any(getattr(c.func, "attr", "") == "change_owner" and c.args[0].value == hostile for c in calls)
    assert python_code("build (no cache)", template_id="tpl").count("disable_docker_cache=True") == 1
    assert python_code("pull (code studio → DSS)", project_key="P", studio_id="s", zone_id="z1").count(
        "pull_from_code_studio('z1')") == 1
    assert python_code("abort") is None  # no code: no "Copy as Python"


def test_a_connection_from_the_environment_is_what_the_code_uses(sim, monkeypatch):
    monkeypatch.setenv("DKU_DSS_URL", sim.url)
    monkeypatch.setenv("DKU_API_KEY", KEY)
    with connect() as c:
        assert c.base_url.startswith(sim.url)


def test_a_confirmation_gets_the_code_before_the_action(studio_table, client, sim, monkeypatch):
    from tests.support import ask

    key = running_key(studio_table)
    reply = ask(studio_table, "code", what="stop", row=key)
    assert reply["ok"] and ".stop().wait_for_result(" in reply["result"]["code"]
    assert studio_table.activity == []  # nothing was done
    _run(reply["result"]["code"], sim, monkeypatch)
    assert _state(client, key) == "STOPPED"
    assert not ask(studio_table, "code", what="dance", row=key)["ok"]


def test_the_viewer_and_the_builds_record_their_code(client, sim, monkeypatch):
    from cswidgets.widgets.conflicts import ConflictViewer
    from cswidgets.widgets.template_builds import TemplateBuilds

    df = client.studios_frame()
    row = df[df["state"].astype(str) == "RUNNING"].iloc[0]
    studio = client.get_project(row["project_key"]).get_code_studio(row["id"])
    viewer = ConflictViewer(studio, check=False)
    builds = TemplateBuilds(client)
    try:
        zone = row["zone_details"][0]["id"]
        viewer.check(zone)
        entry = viewer.activity[-1]
        assert entry["what"] == "check" and f".check_conflicts({zone!r})" in entry["code"]
        _run(entry["code"], sim, monkeypatch)  # runs as copied
        template = client.list_code_studio_templates()[0].id
        builds.build(template, no_cache=True)
        entry = builds.activity[0]
        assert f"get_code_studio_template({template!r})" in entry["code"]
        assert "build(disable_docker_cache=True)" in entry["code"]
    finally:
        viewer.close()
        builds.close()
