"""Webapps published from code studios: listed with their studio and backend state; stopped and started (issue 25)."""

from __future__ import annotations

import pytest

from cswidgets.api import assumptions
from tests.support import wait_for


def test_code_studio_webapps_are_listed_with_their_studio_and_state(sim, client):
    df = client.code_studio_webapps()
    assert list(df["name"]) == ["Sales dashboard", "Churn scoring"]  # not the standard webapp "Depot map"
    studios = {s["name"]: s["id"] for s in sim.model.list_studios("SALES_FORECAST")}
    row = df.set_index("name").loc["Sales dashboard"]
    assert row["code_studio_id"] == studios["Dashboard app"] and bool(row["running"]) is True
    assert bool(df.set_index("name").loc["Churn scoring", "running"]) is False
    assert str(df["running"].dtype) == "boolean" and df.attrs["errors"] == []


def test_a_webapp_can_be_stopped_and_started(sim, client):
    webapp = client.get_project("SALES_FORECAST").get_webapp("wSalesD")
    webapp.stop_backend()
    assert webapp.get_state().running is False
    assert not bool(client.code_studio_webapps("SALES_FORECAST")["running"][0])
    webapp.start_or_restart_backend().wait_for_result(timeout=20)
    assert webapp.get_state().running is True
    stops = [r for r in sim.requests if r.method == "PUT" and r.path.endswith("/backend/actions/stop")]
    assert len(stops) == 1


def test_a_lost_stop_answer_is_not_resent(sim, client):
    from cswidgets.api.errors import DSSOutcomeUnknownError

    sim.set_faults(rate=1.0, kinds=["reset_after"], methods=["PUT"], path_contains="/backend/actions/stop")
    with pytest.raises(DSSOutcomeUnknownError):
        client.get_project("SALES_FORECAST").get_webapp("wSalesD").stop_backend()
    assert len([r for r in sim.requests if r.path.endswith("/backend/actions/stop")]) == 1
    sim.clear_faults()
    wait_for(lambda: not client.get_project("SALES_FORECAST").get_webapp("wSalesD").get_state().running, timeout=5)


def test_a_webapp_id_is_validated_before_any_request(client):
    with pytest.raises(ValueError):
        client.get_project("SALES_FORECAST").get_webapp("..")


@pytest.mark.parametrize(("data", "marked", "studio"), [
    ({"type": "CODE_STUDIO_AS_WEBAPP"}, True, None),
    ({"type": "code-studio"}, True, None),
    ({"type": "STANDARD", "params": {"codeStudioId": "abc"}}, True, "abc"),
    ({"type": "STANDARD", "codeStudio": {"id": "xyz"}}, True, "xyz"),
    ({"type": "STANDARD", "params": {}}, False, None),
    ({"type": "BOKEH"}, False, None),
])
def test_the_inferred_marker_accepts_its_plausible_variants(data, marked, studio):
    assert assumptions.is_code_studio_webapp(data) is marked
    assert assumptions.webapp_code_studio_id(data) == studio
