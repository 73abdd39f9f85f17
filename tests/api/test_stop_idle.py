"""client.stop_idle against the simulator: a dry run stops nothing and names its reasons; a real run stops exactly
the chosen studios and never one with conflicts; exclusions, "unchanged since the previous run", the activity log,
a lost answer (issue 25)."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from cswidgets.widgets.activity.log import ActivityLog

CONFLICTED = {"Forecast notebook", "Churn EDA", "Route optimiser"}  # the demo's running studios with conflicts
IDLE = {"Dashboard app", "Scoring API", "Admin tools", "Feature engineering"}  # running, no conflict


@pytest.fixture
def frozen(frozen):
    frozen.advance(9 * 3600)  # every running demo studio has now run more than 8 h
    return frozen


def _stops(sim) -> list[str]:
    return [r.path for r in sim.requests if r.method == "POST" and r.path.endswith("/stop")]


def _states(sim) -> dict[str, str]:
    return {s["name"]: sim.status(pk, s["id"])["state"]
            for pk in sim.project_keys() for s in sim.model.list_studios(pk)}


def _by_name(df):
    return {row["name"]: row for row in df.to_dict("records")}


def test_a_dry_run_stops_nothing_and_names_its_reasons(frozen, fclient):
    frozen.clear_requests()
    df = fclient.stop_idle("8h")
    assert _stops(frozen) == [] and not [r for r in frozen.requests if r.method != "GET"]
    assert df.attrs["dry_run"] is True and df.attrs["errors"] == []
    rows = _by_name(df)
    assert set(rows) == CONFLICTED | IDLE  # one row per running studio
    assert {n for n, r in rows.items() if r["decision"] == "stop"} == IDLE
    for name in CONFLICTED:
        assert rows[name]["decision"] == "skip" and "conflicting file" in rows[name]["reason"]
    assert "running for 12h 00m (over 8h 00m), no conflicts" in rows["Admin tools"]["reason"]
    assert all(r["outcome"] is None for r in rows.values())
    assert df["running_for"].min() > timedelta(hours=8)
    assert list(df.columns[:7]) == ["project_key", "id", "name", "owner", "template_id", "running_for",
                                    "unsynced_files"]


def test_a_real_run_stops_exactly_the_chosen_studios_and_never_one_with_conflicts(frozen, fclient):
    frozen.speed = 200  # let the stops finish
    log = ActivityLog()
    df = fclient.stop_idle("8h", dry_run=False, activity=log)
    rows = _by_name(df)
    states = _states(frozen)
    assert {n for n in IDLE if states[n] == "STOPPED"} == IDLE
    assert all(states[n] == "RUNNING" for n in CONFLICTED)
    assert {n for n, r in rows.items() if r["outcome"] == "done"} == IDLE
    assert len(_stops(frozen)) == len(IDLE)  # each sent once
    entries = log.entries()
    assert sorted(e["studio"] for e in entries) == sorted(IDLE)
    assert {(e["what"], e["outcome"], e["panel"], e["who"]) for e in entries} == {("stop", "done", "policy", "admin")}
    assert df.attrs["stopped"] == len(IDLE)


def test_a_short_threshold_is_kept_and_exclusions_are_skipped(frozen, fclient):
    df = fclient.stop_idle(timedelta(hours=11, minutes=30), exclude_owners="admin", exclude_projects=["CHURN_MODEL"])
    rows = _by_name(df)
    assert rows["Admin tools"]["decision"] == "skip" and rows["Admin tools"]["reason"] == "excluded: owner admin"
    assert rows["Scoring API"]["reason"] == "excluded: project CHURN_MODEL"
    assert rows["Feature engineering"]["decision"] == "keep"  # ran 9 h: under 11 h 30
    assert "under 11h 30m" in rows["Feature engineering"]["reason"]
    assert rows["Dashboard app"]["decision"] == "stop"  # 12 h
    templates = _by_name(fclient.stop_idle("8h", exclude_templates="tpl_streamlit"))
    assert templates["Dashboard app"]["reason"] == "excluded: template tpl_streamlit"


def test_unchanged_since_stops_only_what_did_not_change_since_the_previous_run(frozen, fclient, tmp_path):
    marks = tmp_path / "fingerprints.json"
    frozen.speed = 200
    first = _by_name(fclient.stop_idle("8h", unchanged_since=marks))  # a dry run: reads the file, writes nothing
    assert not marks.exists() and all(r["decision"] != "stop" for r in first.values())
    assert "no previous run" in first["Admin tools"]["reason"]
    fclient.stop_idle("8h", dry_run=False, unchanged_since=marks)  # the first real run: remembers, stops nothing
    saved = json.loads(marks.read_text())["studios"]
    assert _states(frozen)["Admin tools"] == "RUNNING" and len(saved) == len(CONFLICTED | IDLE)
    pk = "LOGISTICS"
    admin_tools = next(s["id"] for s in frozen.model.list_studios(pk) if s["name"] == "Admin tools")
    frozen.write_file(pk, admin_tools, "recipes", "tonight.py", "x = 1\n", side="studio")  # someone works in it
    rows = _by_name(fclient.stop_idle("8h", dry_run=False, unchanged_since=marks))
    assert rows["Admin tools"]["decision"] == "keep"
    assert "changes since the previous run" in rows["Admin tools"]["reason"]
    assert rows["Dashboard app"]["outcome"] == "done"  # unchanged: stopped
    states = _states(frozen)
    assert states["Admin tools"] == "RUNNING" and states["Dashboard app"] == "STOPPED"


def test_a_stop_whose_answer_is_lost_is_sent_once_and_reported_unknown(frozen, fclient):
    frozen.speed = 200
    frozen.set_faults(rate=1.0, kinds=["reset_after"], methods=["POST"], path_contains="/stop")
    entries = []
    df = fclient.stop_idle("8h", dry_run=False, activity=entries.append, exclude_projects=["CHURN_MODEL",
                                                                                         "SALES_FORECAST"])
    rows = _by_name(df)
    assert rows["Admin tools"]["outcome"] == "unknown" and "outcome unknown" in rows["Admin tools"]["reason"]
    assert len(_stops(frozen)) == 1  # never resent
    assert [(e["studio"], e["outcome"]) for e in entries] == [("Admin tools", "unknown")]


def test_a_studio_that_gets_a_conflict_after_the_decision_is_not_stopped(frozen, fclient, monkeypatch):
    from cswidgets.api import policy

    real = policy.recheck
    pk = "LOGISTICS"
    sid = next(s["id"] for s in frozen.model.list_studios(pk) if s["name"] == "Admin tools")

    def conflict_first(client, rec, before, clock):
        if rec["id"] == sid:  # between the decision and the stop, both sides change the same file
            frozen.write_file(pk, sid, "recipes", "compute_routing.py", "# studio\n", side="studio")
            frozen.write_file(pk, sid, "recipes", "compute_routing.py", "# dss\n", side="dss", author="bob")
        return real(client, rec, before, clock)

    monkeypatch.setattr(policy, "recheck", conflict_first)
    rows = _by_name(fclient.stop_idle("8h", dry_run=False, exclude_projects=["CHURN_MODEL", "SALES_FORECAST"]))
    assert rows["Admin tools"]["decision"] == "skip" and "conflicting" in rows["Admin tools"]["reason"]
    assert _stops(frozen) == [] and _states(frozen)["Admin tools"] == "RUNNING"


@pytest.mark.parametrize("bad", ["soon", "-1h", 0, None, True, "0s"])
def test_a_bad_threshold_is_a_clear_error_before_any_request(frozen, fclient, bad):
    frozen.clear_requests()
    with pytest.raises(ValueError, match="running_longer_than"):
        fclient.stop_idle(bad)
    assert frozen.requests == []


def test_bad_options_are_clear_errors(fclient, tmp_path):
    with pytest.raises(ValueError, match="dry_run"):
        fclient.stop_idle("8h", dry_run="no")
    with pytest.raises(TypeError, match="activity"):
        fclient.stop_idle("8h", activity=42)
    with pytest.raises(ValueError, match="exclude_owners"):
        fclient.stop_idle("8h", exclude_owners=[["alice"]])
    with pytest.raises(ValueError, match="wait"):
        fclient.stop_idle("8h", wait=-1)
    broken = tmp_path / "marks.json"
    broken.write_text("{not json")
    with pytest.raises(ValueError, match="fingerprints"):
        fclient.stop_idle("8h", unchanged_since=broken)


def test_a_project_that_cannot_be_read_is_reported_not_silently_skipped(frozen, fclient):
    frozen.set_faults(rate=1.0, kinds=["500"], methods=["GET"], path_contains="/projects/CHURN_MODEL/code-studios")
    df = fclient.stop_idle("8h")
    assert "Scoring API" not in set(df["name"])
    assert [e["project_key"] for e in df.attrs["errors"]] == ["CHURN_MODEL"]
