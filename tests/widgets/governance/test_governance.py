"""The Governance panel without a kernel (issue 25): what it counts and draws, the policy's dry run it shows, and
"Stop the N chosen", which stops exactly the studios the confirmation named."""

from __future__ import annotations

import pytest

from cswidgets.widgets.activity import ActivityLog
from cswidgets.widgets.governance import Governance
from tests.support import ask, record

HOSTILE = "<img src=x onerror=alert(1)>"


def _stops(sim) -> list[str]:
    return [r.path.split("/")[-2] for r in sim.requests if r.method == "POST" and r.path.endswith("/stop")]


@pytest.fixture
def make_gov(client):
    made: list[Governance] = []

    def make(**kwargs) -> Governance:
        gov = Governance(client, **kwargs)
        record(gov)
        made.append(gov)
        return gov

    yield make
    for gov in made:
        gov.close()


def test_summary_and_charts_count_the_running_studios_by_owner_template_and_project(make_gov):
    gov = make_gov(idle_after="1h")
    frame = gov.frame  # the one read the summary was drawn from
    running = frame[frame["state"].astype(str) == "RUNNING"]
    assert gov.summary["running"] == len(running) >= 6 and gov.summary["studios"] == len(frame) == 13
    assert gov.summary["unsynced_read"] is True and gov.summary["unsynced_studios"] == 3  # the demo's conflicts
    charts = {c["id"]: c for c in gov.charts}
    assert [c["id"] for c in gov.charts] == ["owner_running", "owner_hours", "template_running", "template_hours",
                                            "project_running", "project_hours"]
    owners = {b["label"]: b["value"] for b in charts["owner_running"]["bars"]}
    assert owners == running["owner"].value_counts().to_dict()
    assert sum(b["value"] for b in charts["project_running"]["bars"]) == len(running)
    hours = {b["label"]: b["value"] for b in charts["template_hours"]["bars"]}
    assert hours["Streamlit"] == pytest.approx(7.0, abs=0.2)  # two streamlit studios: 3 h and 4 h
    assert {r["name"] for r in gov.unsynced} == {"Forecast notebook", "Churn EDA", "Route optimiser"}
    assert gov.outdated == [] and gov.summary["outdated"] == 0
    assert gov.summary["text"].startswith(f"{len(running)} running of 13 studios · ")
    assert gov.updated_ms > 0


def test_the_dry_run_stops_nothing_and_names_its_reasons(sim, make_gov):
    gov = make_gov(idle_after="1h")
    assert _stops(sim) == []
    decisions = {r["name"]: r["decision"] for r in gov.policy}
    assert decisions["Dashboard app"] == "stop" and decisions["Forecast notebook"] == "skip"
    assert all(r["decision"] == "keep" for r in gov.policy if (r["running_for_s"] or 0) < 3600)
    assert [r["decision"] for r in gov.policy][:3] == ["stop", "stop", "stop"]  # the chosen first
    skip = next(r for r in gov.policy if r["name"] == "Forecast notebook")
    assert "conflicting" in skip["reason"]
    assert gov.policy_info == {"threshold": "1h 00m", "dry_run": True}
    assert len(gov.report) == gov.summary["running"]


def test_stop_the_chosen_stops_exactly_them_and_records_each_stop(sim, client):
    log = ActivityLog()
    gov = Governance(client, idle_after="1h", activity_log=log, user="admin")
    record(gov)
    try:
        chosen = {r["name"]: r["key"] for r in gov.policy if r["decision"] == "stop"}
        assert set(chosen) == {"Dashboard app", "Scoring API", "Admin tools"}
        sim.clear_requests()
        named = [chosen["Dashboard app"], chosen["Admin tools"]]  # the user confirmed these two
        reply = ask(gov, "stop_chosen", rows=named, timeout=60)
        assert reply["ok"] is True and reply["result"]["stopped"] == 2
        assert sorted(_stops(sim)) == sorted(k.split("/")[1] for k in named)
        entries = log.frame()
        stops = entries[entries["what"] == "stop"]
        assert sorted(stops["studio"]) == ["Admin tools", "Dashboard app"] and set(stops["panel"]) == {"policy"}
        assert set(stops["outcome"]) == {"done"}
        (run,) = entries[entries["what"] == "stop idle"].to_dict("records")
        assert run["outcome"] == "done" and run["panel"] == "governance" and "stopped 2 of 2" in run["message"]
        assert gov.policy_info["dry_run"] is False
    finally:
        gov.close()


def test_a_studio_the_dry_run_did_not_choose_is_refused_before_anything_is_sent(sim, make_gov):
    gov = make_gov(idle_after="1h")
    conflicted = next(r["key"] for r in gov.policy if r["name"] == "Forecast notebook")
    sim.clear_requests()
    reply = ask(gov, "stop_chosen", rows=[conflicted])
    assert reply["ok"] is False and "Not among the studios the policy's dry run chose" in reply["error"]
    assert _stops(sim) == [] and [r for r in sim.requests if r.method != "GET"] == []
    with pytest.raises(ValueError, match="No studio to stop"):
        gov.stop_chosen([])
    with pytest.raises(TypeError):
        gov.stop_chosen("SALES_FORECAST/x")


def test_bad_options_fail_at_once_and_texts_from_dss_stay_escaped(client, make_gov, sim):
    with pytest.raises(ValueError):
        Governance(client, idle_after="soon")
    with pytest.raises(TypeError, match="unchanged_since"):
        Governance(client, policy={"unchanged_since": "f.json"})
    sim.add_studio("SALES_FORECAST", HOSTILE, HOSTILE, "tpl_vscode", "RUNNING")
    gov = make_gov(idle_after="1h")
    assert any(b["label"] == HOSTILE for b in gov.charts[0]["bars"])  # text: the view draws it as a text node
    html = gov._static_html()
    assert HOSTILE not in html and "&lt;img" in html
    assert repr(gov).startswith(f"<Governance: {gov.summary['running']} running of 14 studios")


def test_not_read_until_asked_when_lazy(sim, make_gov):
    sim.clear_requests()
    gov = make_gov(load=False)
    assert gov.summary == {} and gov.charts == [] and sim.requests == []
    assert repr(gov) == "<Governance: not read yet>"
    reply = ask(gov, "refresh")
    assert reply["ok"] is True and reply["result"]["studios"] == 13
