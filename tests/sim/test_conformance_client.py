"""Conformance: the unmodified official client (dataikuapi 15.x) through every seed operation."""

from __future__ import annotations

import datetime as dt

import dataikuapi
import pytest
from dataikuapi.dss.admin import (
    DSSCodeStudioTemplate,
    DSSCodeStudioTemplateListItem,
    DSSCodeStudioTemplateSettings,
)
from dataikuapi.dss.codestudio import (
    DSSCodeStudioObject,
    DSSCodeStudioObjectListItem,
    DSSCodeStudioObjectStatus,
)
from dataikuapi.dss.future import DSSFuture
from dataikuapi.utils import DataikuException

from cswidgets.sim import Simulator

from .conftest import EPOCH_MS, KEY, studio_named, user_client

ZONE = "project-lib-versioned"


def running_studio(
    sim: Simulator, client: dataikuapi.DSSClient, name: str = "Forecast notebook", project: str = "SALES_FORECAST"
) -> DSSCodeStudioObject:
    return client.get_project(project).get_code_studio(studio_named(sim, project, name))


def zone_id(studio: DSSCodeStudioObject, key: str = ZONE) -> str:
    zones = studio.get_status().get_zones(as_type="objects")
    return next(z["id"] for z in zones if z["zone"] == key)


# ---- who am I ------------------------------------------------------------------------------------


def test_get_auth_info_names_the_login_of_each_key(sim, client):
    info = client.get_auth_info()
    assert info["authIdentifier"] == "admin" and info["groups"] == ["administrators"]
    assert "secrets" not in info
    assert client.get_auth_info(with_secrets=True)["secrets"] == []
    for login in ("alice", "bob"):
        assert user_client(sim, login).get_auth_info() == {"authIdentifier": login, "groups": []}
    with pytest.raises(DataikuException, match="Unknown API Key"):
        dataikuapi.DSSClient(sim.url, api_key="not-a-key").get_auth_info()


# ---- projects and listing ------------------------------------------------------------------------


def test_projects_list_and_summary(client):
    assert client.list_project_keys() == ["SALES_FORECAST", "CHURN_MODEL", "LOGISTICS"]
    projects = client.list_projects(include_location=True)
    assert {p["projectKey"]: p["owner"] for p in projects} == {
        "SALES_FORECAST": "alice",
        "CHURN_MODEL": "bob",
        "LOGISTICS": "carol",
    }
    summary = client.get_project("LOGISTICS").get_summary()
    assert summary["projectKey"] == "LOGISTICS" and summary["name"] == "Logistics & routing"


def test_list_code_studios_listitems(sim, client):
    items = client.get_project("SALES_FORECAST").list_code_studios()
    assert all(isinstance(i, DSSCodeStudioObjectListItem) for i in items)
    assert [i.id for i in items] == sim.studio_ids("SALES_FORECAST")
    by_name = {i.name: i for i in items}
    forecast = by_name["Forecast notebook"]
    assert forecast.owner == "alice"
    assert forecast.template_id == "tpl_vscode"
    assert forecast.template_label == "VS Code"
    assert forecast.template_description == "Visual Studio Code with the project's code env"
    assert {i.owner for i in items} == {"alice", "bob", "carol", "dave"}
    handle = forecast.to_code_studio()
    assert isinstance(handle, DSSCodeStudioObject) and handle.code_studio_id == forecast.id


@pytest.mark.parametrize("as_type", ["listitems", "listitem", "objects", "object"])
def test_list_code_studios_as_types(client, as_type):
    items = client.get_project("CHURN_MODEL").list_code_studios(as_type=as_type)
    assert len(items) == 4
    expected = DSSCodeStudioObjectListItem if as_type.startswith("listitem") else DSSCodeStudioObject
    assert all(isinstance(i, expected) for i in items)


def test_list_code_studios_unknown_as_type(client):
    with pytest.raises(ValueError, match="Unknown as_type"):
        client.get_project("CHURN_MODEL").list_code_studios(as_type="frames")


def test_template_label_falls_back_when_template_deleted(sim, client):
    sid = sim.add_studio("LOGISTICS", "orphan", "bob", "tpl_rstudio")
    client.get_code_studio_template("tpl_rstudio").delete()
    item = next(i for i in client.get_project("LOGISTICS").list_code_studios() if i.id == sid)
    assert item.template_id == "tpl_rstudio"
    assert item.template_label == sid  # the client's documented fallback (to the studio id)
    assert item.template_description == ""


# ---- settings, status --------------------------------------------------------------------------


def test_settings(sim, client):
    studio = running_studio(sim, client)
    settings = studio.get_settings()
    assert settings.id == studio.code_studio_id
    assert settings.name == "Forecast notebook"
    assert settings.template_id == "tpl_vscode"
    assert settings.owner == "alice"
    assert settings.lib_name
    raw = settings.get_raw()
    assert raw["projectKey"] == "SALES_FORECAST"
    assert raw["versionTag"]["lastModifiedBy"]["login"] == "alice"


def test_status_running(sim, client):
    studio = running_studio(sim, client)
    status = studio.get_status()
    assert isinstance(status, DSSCodeStudioObjectStatus)
    assert status.state == "RUNNING"
    assert isinstance(status.last_state_change, dt.datetime)
    assert status.last_state_change.tzinfo is not None
    assert status.last_state_change.timestamp() * 1000 == pytest.approx(EPOCH_MS - 3_600_000, abs=1)
    names = status.get_zones()
    assert names == status.get_zones(as_type="names") == status.get_zones(as_type="name")
    objects = status.get_zones(as_type="objects")
    assert [z["id"] for z in objects] == names
    assert [z["zone"] for z in objects] == [
        "project-lib-versioned",
        "project-lib-resources",
        "recipes",
        "code_studio-versioned",
        "user-versioned",
    ]
    assert [z["oneWay"] for z in objects] == [False, True, False, False, False]
    assert all(z["pathInContainer"].startswith("/home/dataiku/workspace/") for z in objects)
    raw = status.get_raw()
    assert raw["exposed"] == [
        {
            "label": "VS Code",
            "exposedHtml": True,
            "exposedPort": 8080,
            "url": f"code-studios/SALES_FORECAST/{studio.code_studio_id}/8080/",
        }
    ]
    with pytest.raises(Exception, match="Only 'names' or 'objects'"):
        status.get_zones(as_type="ids")


def test_status_never_started(sim, client):
    status = running_studio(sim, client, "Old experiments").get_status()
    assert status.state == "STOPPED"
    assert status.last_state_change is None
    assert status.get_zones() == [] and status.get_zones(as_type="objects") == []
    assert "lastStateChange" not in status.get_raw()  # nulls are dropped
    assert status.get_raw()["exposed"] == []


def test_demo_has_every_state(fclient):
    states = {
        i.to_code_studio().get_status().state
        for pk in fclient.list_project_keys()
        for i in fclient.get_project(pk).list_code_studios()
    }
    assert states == {"STOPPED", "STARTING", "RUNNING", "STOPPING"}


# ---- lifecycle -----------------------------------------------------------------------------------


def test_restart_from_stopped_then_stop(sim, client):
    studio = running_studio(sim, client, "Old experiments")
    future = studio.restart()
    assert isinstance(future, DSSFuture) and future.job_id
    assert future.state["hasResult"] is False and future.state["alive"] is True
    assert future.wait_for_result() is None
    status = studio.get_status()
    assert status.state == "RUNNING"
    assert status.last_state_change is not None
    zones_first = status.get_zones()
    assert len(zones_first) == 5
    stop = studio.stop()
    assert stop.job_id
    stop.wait_for_result()
    assert studio.get_status().state == "STOPPED"
    assert studio.get_status().get_zones() == []
    studio.restart().wait_for_result()
    zones_again = studio.get_status().get_zones()
    assert len(zones_again) == 5 and set(zones_again).isdisjoint(zones_first)  # fresh ids at every start


def test_restart_running_studio(sim, client):
    studio = running_studio(sim, client)
    before = studio.get_status()
    future = studio.restart()
    assert future.job_id
    future.wait_for_result()
    after = studio.get_status()
    assert after.state == "RUNNING"
    assert after.last_state_change > before.last_state_change
    assert set(after.get_zones()).isdisjoint(before.get_zones())


def test_stop_when_stopped_is_a_completed_future(sim, client):
    studio = running_studio(sim, client, "Old experiments")
    sim.clear_requests()
    future = studio.stop()
    assert future.job_id is None
    assert future.state == {"hasResult": True, "alive": False, "aborted": False, "unknown": False}
    assert future.wait_for_result() is None
    assert [r.path for r in sim.requests] == [f"/projects/SALES_FORECAST/code-studios/{studio.code_studio_id}/stop"]


def test_futures_get_peek_abort_list(sim, client):
    sim.speed = 0
    studio = running_studio(sim, client, "Old experiments")
    future = studio.restart()
    peek = future.peek_state()
    assert peek["jobId"] == future.job_id and peek["alive"] is True and peek["hasResult"] is False
    assert peek["owner"] == "admin" and peek["jobDisplayName"] == "Start code studio Old experiments"
    assert {"startTime", "runningTime", "progress"} <= set(peek)
    assert {s["name"] for s in peek["progress"]["states"]} >= {"Start code studio Old experiments"}
    listed = client.list_futures()
    assert future.job_id in [f["jobId"] for f in listed]
    as_objects = client.list_futures(as_objects=True)
    assert any(isinstance(f, DSSFuture) and f.job_id == future.job_id for f in as_objects)
    assert client.list_running_scenarios() == []
    future.abort()
    assert future.peek_state()["aborted"] is True
    with pytest.raises(DataikuException, match="FutureAbortedException"):
        future.get_state()
    sim.advance(60)
    assert studio.get_status().state == "STOPPED"  # aborting a start stops the studio


def test_unknown_future_is_answered_consistently(client):
    future = client.get_future("nope")
    assert future.peek_state() == {
        "jobId": "nope",
        "unknown": True,
        "alive": False,
        "hasResult": False,
        "aborted": False,
    }
    assert future.get_state() == future.peek_state()
    future.abort()  # no error either


# ---- conflicts, pull, push -------------------------------------------------------------------------


def test_ready_made_conflicts(sim, client):
    studio = running_studio(sim, client)
    conflicts = studio.check_conflicts(zone_id(studio))
    assert not conflicts.is_error
    assert conflicts.added == ["python/forecast/holidays.py"]
    assert conflicts.modified == ["python/forecast/features.py"]
    assert conflicts.deleted == ["python/forecast/legacy.py"]
    assert conflicts.authors == ["bob", "carol"]
    raw = conflicts.get_raw()[zone_id(studio)]
    assert raw["commitFrom"] != raw["commitTo"] and len(raw["commitTo"]) == 40


def test_conflicts_after_edits_on_both_sides(sim, client):
    studio = running_studio(sim, client, "Admin tools", "LOGISTICS")
    zid = zone_id(studio, "recipes")
    pk, sid = "LOGISTICS", studio.code_studio_id
    assert studio.check_conflicts(zid).added == []
    sim.write_file(pk, sid, zid, "new.py", "studio\n", side="studio", author="admin")
    sim.write_file(pk, sid, "recipes", "new.py", "dss\n", side="dss", author="dave")
    sim.write_file(pk, sid, zid, "compute_routing.py", "studio edit\n", side="studio")
    sim.write_file(pk, sid, zid, "compute_routing.py", "dss edit\n", side="dss", author="erin")
    sim.write_file(pk, sid, zid, "gone.py", "x\n", side="dss", author="bob")
    studio.push_to_code_studio(zid)
    sim.delete_file(pk, sid, zid, "gone.py", side="studio")
    sim.write_file(pk, sid, zid, "gone.py", "y\n", side="dss", author="carol")
    sim.write_file(pk, sid, zid, "dss_only.py", "z\n", side="dss", author="zed")
    conflicts = studio.check_conflicts(zid)
    assert (conflicts.added, conflicts.modified, conflicts.deleted) == ([], [], ["gone.py"])
    assert conflicts.authors == ["carol"]
    sim.write_file(pk, sid, zid, "studio_only.py", "s\n", side="studio")
    sim.write_file(pk, sid, zid, "both.py", "s\n", side="studio")
    sim.write_file(pk, sid, zid, "both.py", "d\n", side="dss", author="dave")
    conflicts = studio.check_conflicts(zid)
    assert conflicts.added == ["both.py"] and conflicts.deleted == ["gone.py"]
    assert conflicts.authors == ["carol", "dave"]


def test_unknown_zone_conflicts_is_error(sim, client):
    studio = running_studio(sim, client)
    conflicts = studio.check_conflicts("no-such-zone")
    assert conflicts.is_error
    assert conflicts.added == [] and conflicts.authors == []
    assert isinstance(conflicts.get_raw()["error"], str)


@pytest.mark.parametrize("sync_model", ["merge", "mirror"])
def test_pull_resolves_conflicts_and_updates_dss(sim, client, sync_model):
    sim.sync_model = sync_model
    studio = running_studio(sim, client)
    pk, sid = "SALES_FORECAST", studio.code_studio_id
    zid = zone_id(studio)
    studio_files = sim.read_files(pk, sid, zid, side="studio")
    dss_before = sim.read_files(pk, sid, zid, side="dss")
    before_history = len(sim.history(pk, sid, ZONE))
    assert studio.pull_from_code_studio(zid) is None
    dss = sim.read_files(pk, sid, ZONE, side="dss")
    if sync_model == "mirror":
        assert dss == studio_files  # carol's DSS-only change to R/helpers.R is undone
    else:  # the studio's changes applied (conflicts in its favour), carol's DSS-only change kept
        assert dss == {**studio_files, "R/helpers.R": dss_before["R/helpers.R"]}
        assert dss["R/helpers.R"] == "# carol: DSS-only change\n"
    conflicts = studio.check_conflicts(zid)
    assert (conflicts.added, conflicts.modified, conflicts.deleted, conflicts.authors) == ([], [], [], [])
    raw = conflicts.get_raw()[zid]
    assert raw["commitFrom"] == raw["commitTo"]
    history = sim.history(pk, sid, ZONE)
    assert len(history) == before_history + 1 and history[-1]["author"] == "alice"
    # what the pull overwrote is still in the history
    assert history[-2]["files"]["python/forecast/features.py"] == "WINDOW = 14  # bob: two weeks\n"
    # a second pull with nothing new changes nothing (under merge, the DSS-only change is not a studio change)
    studio.pull_from_code_studio(zid)
    assert len(sim.history(pk, sid, ZONE)) == before_history + 1


def test_push_copies_dss_files_and_reports_count_and_size(sim, client):
    studio = running_studio(sim, client)
    pk, sid = "SALES_FORECAST", studio.code_studio_id
    zid = zone_id(studio)
    dss = sim.read_files(pk, sid, zid, side="dss")
    result = studio.push_to_code_studio(zid)
    assert result == {"count": len(dss), "size": sum(len(t.encode()) for t in dss.values())}
    assert sim.read_files(pk, sid, zid, side="studio") == dss
    conflicts = studio.check_conflicts(zid)
    assert conflicts.added == conflicts.modified == conflicts.deleted == []


def test_pull_of_one_way_zone_is_refused(sim, client):
    studio = running_studio(sim, client)
    with pytest.raises(DataikuException, match="one-way"):
        studio.pull_from_code_studio(zone_id(studio, "project-lib-resources"))


def test_pull_push_unknown_zone_404(sim, client):
    studio = running_studio(sim, client)
    for call in (studio.pull_from_code_studio, studio.push_to_code_studio):
        with pytest.raises(DataikuException, match="NotFoundException"):
            call("no-such-zone")


# ---- owner, delete, create -------------------------------------------------------------------------


def test_change_owner_by_owner_and_admin(sim, client):
    studio_id = studio_named(sim, "SALES_FORECAST", "Forecast notebook")
    alice = user_client(sim, "alice").get_project("SALES_FORECAST").get_code_studio(studio_id)
    result = alice.change_owner("bob")
    assert isinstance(result, dict) and result["owner"] == "bob"
    assert alice.get_settings().owner == "bob"
    assert client.get_project("SALES_FORECAST").get_code_studio(studio_id).change_owner("carol")["owner"] == "carol"


def test_change_owner_refused_for_non_owner(sim):
    studio_id = studio_named(sim, "SALES_FORECAST", "Forecast notebook")
    dave = user_client(sim, "dave").get_project("SALES_FORECAST").get_code_studio(studio_id)
    with pytest.raises(DataikuException, match="UnauthorizedException"):
        dave.change_owner("dave")
    assert dave.get_settings().owner == "alice"


def test_change_owner_to_unknown_user(sim, client):
    studio = running_studio(sim, client)
    with pytest.raises(DataikuException, match="does not exist"):
        studio.change_owner("nobody")


def test_create_and_delete(sim, client):
    project = client.get_project("CHURN_MODEL")
    created = project.create_code_studio("my new studio", "tpl_jupyterlab")
    assert isinstance(created, DSSCodeStudioObject)
    assert created.get_settings().name == "my new studio"
    assert created.get_settings().owner == "admin"
    assert created.get_status().state == "STOPPED"
    assert created.code_studio_id in [i.id for i in project.list_code_studios()]
    created.delete()
    assert created.code_studio_id not in [i.id for i in project.list_code_studios()]
    with pytest.raises(DataikuException, match="NotFoundException"):
        created.get_settings()


def test_create_with_unknown_template(client):
    with pytest.raises(DataikuException, match="NotFoundException"):
        client.get_project("CHURN_MODEL").create_code_studio("x", "tpl_nope")


def test_delete_running_studio_ends_its_futures(sim, client):
    sim.speed = 0
    studio = running_studio(sim, client, "Old experiments")
    future = studio.restart()
    studio.delete()
    assert future.peek_state()["alive"] is False
    with pytest.raises(DataikuException, match="deleted"):
        future.wait_for_result()


# ---- templates -----------------------------------------------------------------------------------


def test_list_templates(client):
    items = client.list_code_studio_templates()
    assert all(isinstance(i, DSSCodeStudioTemplateListItem) for i in items)
    by_id = {i.id: i for i in items}
    assert set(by_id) == {"tpl_vscode", "tpl_jupyterlab", "tpl_streamlit", "tpl_rstudio"}
    assert by_id["tpl_vscode"].label == "VS Code"
    assert by_id["tpl_vscode"].build_for_configs == ["k8s-default", "k8s-gpu"]
    assert isinstance(by_id["tpl_vscode"].last_built, dt.datetime)
    assert by_id["tpl_rstudio"].last_built is None
    assert by_id["tpl_rstudio"].build_for_configs == []
    objects = client.list_code_studio_templates(as_type="objects")
    assert all(isinstance(o, DSSCodeStudioTemplate) for o in objects)
    with pytest.raises(ValueError):
        client.list_code_studio_templates(as_type="nope")


def test_template_settings_round_trip(client):
    template = client.get_code_studio_template("tpl_streamlit")
    settings = template.get_settings()
    assert isinstance(settings, DSSCodeStudioTemplateSettings)
    assert settings.get_built_for_all_container_confs() is False
    assert settings.get_built_container_confs() == ["k8s-default"]
    settings.set_built_container_confs("k8s-gpu", "k8s-highmem")
    settings.get_raw()["label"] = "Streamlit <b>2</b>"
    settings.save()
    again = template.get_settings()
    assert again.get_built_container_confs() == ["k8s-gpu", "k8s-highmem"]
    assert again.get_raw()["label"] == "Streamlit <b>2</b>"
    again.set_built_container_confs(all=True)
    again.save()
    assert template.get_settings().get_built_for_all_container_confs() is True
    label = {i.id: i.label for i in client.list_code_studio_templates()}["tpl_streamlit"]
    assert label == "Streamlit <b>2</b>"


@pytest.mark.parametrize("no_cache", [False, True])
def test_build_to_completion(sim, client, no_cache):
    template = client.get_code_studio_template("tpl_rstudio")
    sim.clear_requests()
    future = template.build(disable_docker_cache=no_cache)
    assert future.job_id and future.state["alive"] is True
    result = future.wait_for_result()
    assert result["templateId"] == "tpl_rstudio" and result["withNoCache"] is no_cache
    build = next(r for r in sim.requests if r.path.endswith("/build"))
    assert build.query == {"withNoCache": str(no_cache)}
    item = {i.id: i for i in client.list_code_studio_templates()}["tpl_rstudio"]
    assert item.last_built is not None
    assert item.build_for_configs == ["k8s-default", "k8s-gpu", "k8s-highmem"]  # allContainerConfs


def test_build_abort(sim, client):
    sim.speed = 0
    template = client.get_code_studio_template("tpl_rstudio")
    future = template.build()
    sim.advance(5)
    progress = future.peek_state()["progress"]["states"]
    assert progress[1]["name"] == "Building image"
    future.abort()
    sim.advance(120)
    state = future.peek_state()
    assert state["aborted"] is True and state["alive"] is False and state["hasResult"] is False
    with pytest.raises(DataikuException, match="Aborted"):
        future.wait_for_result()
    item = {i.id: i for i in client.list_code_studio_templates()}["tpl_rstudio"]
    assert item.last_built is None


def test_build_scripted_failure(sim, client):
    sim.fail_next_build("tpl_vscode", message="pip failed: <no such package>")
    future = client.get_code_studio_template("tpl_vscode").build()
    with pytest.raises(DataikuException, match="pip failed: <no such package>"):
        future.wait_for_result()
    assert client.get_code_studio_template("tpl_vscode").build().wait_for_result()["success"] is True


def test_create_and_delete_template(client):
    created = client.create_code_studio_template("My template", "manual")
    assert isinstance(created, DSSCodeStudioTemplate)
    assert created.get_settings().get_raw()["label"] == "My template"
    assert created.template_id in [i.id for i in client.list_code_studio_templates()]
    messages = created.delete(delete_runtime=True, delete_images=True)
    assert messages.has_error is False and messages.has_messages is True
    assert messages.max_severity == "INFO" and messages.messages[0].code == "INFO_TEMPLATE_DELETED"
    assert created.template_id not in [i.id for i in client.list_code_studio_templates()]


def test_template_export_import(tmp_path, client):
    path = tmp_path / "t.zip"
    client.get_code_studio_template("tpl_vscode").export_to_file(str(path))
    result = client.import_code_studio_template(str(path), label="Copy of VS Code")
    imported = client.get_code_studio_template(result["id"])
    assert imported.get_settings().get_raw()["label"] == "Copy of VS Code"


def test_templates_need_admin(sim):
    with pytest.raises(DataikuException, match="UnauthorizedException"):
        user_client(sim, "alice").list_code_studio_templates()


# ---- other auth forms through the official client ---------------------------------------------------


def test_ticket_and_bearer_auth_through_client(sim):
    ticket = dataikuapi.DSSClient(sim.url, internal_ticket=KEY)
    assert ticket.list_project_keys()
    bearer = dataikuapi.DSSClient(sim.url, jwt_bearer_token=sim.keys["bob"])
    assert bearer.list_project_keys()
    sim_login = {r.login for r in sim.requests}
    assert {"admin", "bob"} <= sim_login


def test_wait_for_start_of_demo_starting_studio(frozen, fclient):
    studio = running_studio(frozen, fclient, "Feature engineering")
    status = studio.get_status()
    assert status.state == "STARTING"
    job_id = status.get_raw()["jobId"]
    frozen.speed = 200
    fclient.get_future(job_id).wait_for_result()
    assert studio.get_status().state == "RUNNING"


# ---- template export, import, deletion (official client 15.2) ------------------------------------------------


def test_template_export_import_delete_round_trip(sim, client, tmp_path):
    archive = tmp_path / "vscode.zip"
    client.get_code_studio_template("tpl_vscode").export_to_file(str(archive))
    with client.get_code_studio_template("tpl_vscode").get_export_stream() as stream:
        assert stream.read() == archive.read_bytes()
    result = client.import_code_studio_template(str(archive), label="VS Code (copy)", import_spec={"keep": True})
    new_id = result["id"]
    assert [m["code"] for m in result["messages"]["messages"]] == ["INFO_TEMPLATE_IMPORTED"]
    copy = client.get_code_studio_template(new_id).get_settings().get_raw()
    assert copy["label"] == "VS Code (copy)" and copy["id"] == new_id
    deleted = client.get_code_studio_template(new_id).delete(delete_runtime=True, delete_images=True)
    assert deleted.has_messages and not deleted.has_error
    assert "INFO_TEMPLATE_DELETED" in [m.code for m in deleted.messages]
    assert new_id not in [t.id for t in client.list_code_studio_templates()]
    with pytest.raises(DataikuException):
        client.get_code_studio_template(new_id).delete()


def test_template_import_rejects_a_malformed_import_spec(sim, client, tmp_path):
    archive = tmp_path / "vscode.zip"
    client.get_code_studio_template("tpl_vscode").export_to_file(str(archive))
    before = sim.template_ids()
    with open(archive, "rb") as fp, pytest.raises(DataikuException):
        client._perform_json("POST", "/admin/code-studios/import", params={"importSpec": "[1]"}, files={"file": fp})
    assert sim.template_ids() == before
