"""Conformance: the unmodified official client (dataikuapi 15.x) on the simulator's webapps, and the simulator's
administrator facts read through it: the image a studio started with, the conflicts' count of changes, the clock in
the Date header (issue 25)."""

from __future__ import annotations

from email.utils import parsedate_to_datetime

import pytest
import requests
from dataikuapi.dss.future import DSSFuture
from dataikuapi.dss.webapp import DSSWebApp, DSSWebAppBackendState, DSSWebAppListItem
from dataikuapi.utils import DataikuException

from .conftest import KEY, studio_named, user_client


def test_the_official_client_lists_the_webapps_of_a_project(client, sim):
    items = client.get_project("SALES_FORECAST").list_webapps()
    assert [type(i) for i in items] == [DSSWebAppListItem]
    item = items[0]
    assert (item.id, item.name, item.tags) == ("wSalesD", "Sales dashboard", [])
    assert isinstance(item.to_webapp(), DSSWebApp)
    objects = client.get_project("LOGISTICS").list_webapps(as_type="objects")
    assert [o.webapp_id for o in objects] == ["wDepotM"]
    settings = item.to_webapp().get_settings().get_raw()
    assert settings["type"] == "CODE_STUDIO_AS_WEBAPP"  # INFERRED marker (sim assumptions)
    assert settings["params"]["codeStudioId"] == studio_named(sim, "SALES_FORECAST", "Dashboard app")
    assert client.get_project("LOGISTICS").get_webapp("wDepotM").get_settings().get_raw()["type"] == "STANDARD"


def test_the_official_client_stops_and_restarts_a_backend(client, sim):
    webapp = client.get_project("SALES_FORECAST").get_webapp("wSalesD")
    state = webapp.get_state()
    assert isinstance(state, DSSWebAppBackendState) and state.running is True
    assert state.state["projectKey"] == "SALES_FORECAST" and state.state["webAppId"] == "wSalesD"
    assert webapp.stop_backend() is None
    assert webapp.get_state().running is False
    future = webapp.start_or_restart_backend()
    assert isinstance(future, DSSFuture)
    assert webapp.get_state().running is True  # alive while it starts
    future.wait_for_result()
    assert webapp.get_state().running is True


def test_a_never_started_backend_has_no_future_info(client):
    state = client.get_project("CHURN_MODEL").get_webapp("wChurnS").get_state()
    assert state.running is False and "futureInfo" not in state.state


def test_unknown_webapps_and_refusals(client, sim):
    with pytest.raises(DataikuException, match="NotFound"):
        client.get_project("SALES_FORECAST").get_webapp("nope").get_state()
    dave = user_client(sim, "dave")  # neither the owner (carol), the project's owner (alice) nor an admin
    with pytest.raises(DataikuException, match="Unauthorized"):
        dave.get_project("SALES_FORECAST").get_webapp("wSalesD").stop_backend()
    assert client.get_project("SALES_FORECAST").get_webapp("wSalesD").get_state().running is True


def _last_built(client, template_id: str) -> int:
    item = next(t for t in client.list_code_studio_templates() if t.id == template_id)
    return round(item.last_built.timestamp() * 1000)


def test_a_rebuild_leaves_running_studios_on_the_image_they_started_with(client, frozen, fclient):
    studio = fclient.get_project("LOGISTICS").get_code_studio(studio_named(frozen, "LOGISTICS", "Admin tools"))
    template = fclient.get_code_studio_template("tpl_vscode")
    started_on = studio.get_status().get_raw()["lastTemplateBuilt"]
    assert started_on == _last_built(fclient, "tpl_vscode")
    future = template.build()
    frozen.advance(60)
    future.wait_for_result()
    rebuilt = _last_built(fclient, "tpl_vscode")
    assert studio.get_status().get_raw()["lastTemplateBuilt"] == started_on < rebuilt
    studio.restart()
    frozen.advance(60)
    assert studio.get_status().get_raw()["lastTemplateBuilt"] == rebuilt  # a restart takes the new image
    never = fclient.get_project("LOGISTICS").get_code_studio(studio_named(frozen, "LOGISTICS", "Depot planner"))
    assert "lastTemplateBuilt" not in never.get_status().get_raw()  # stopped before it ever ran: none


def test_the_conflicts_answer_counts_every_studio_side_change(frozen, fclient):
    pk, sid = "LOGISTICS", studio_named(frozen, "LOGISTICS", "Route optimiser")
    frozen.write_file(pk, sid, "code_studio-versioned", "notes/new.md", "x\n", side="studio")
    studio = fclient.get_project(pk).get_code_studio(sid)
    zones = studio.get_status().get_zones(as_type="objects")
    zone = next(z["id"] for z in zones if z["zone"] == "code_studio-versioned")
    conflicts = studio.check_conflicts(zone)
    assert conflicts.added == ["notes/TODO.md"]  # the SEEN lists still hold the conflicts only (added on both sides)
    assert conflicts.get_raw()[zone]["changeCounts"] == {"added": 2, "modified": 0, "deleted": 0}


def test_the_date_header_is_the_simulated_clock(frozen):
    frozen.advance(3 * 86400)
    resp = requests.get(f"{frozen.url}/public/api/projects/", auth=(KEY, ""), timeout=10)
    told = parsedate_to_datetime(resp.headers["Date"]).timestamp()
    assert told == frozen.now_ms() // 1000
