"""The doctor against the simulator and against variants of it: what it confirms, what it names as a
difference (with the path the panels take) and its exit status."""

from __future__ import annotations

import json

import cswidgets
from cswidgets.doctor import diagnose
from cswidgets.doctor.cli import main
from cswidgets.doctor.replay import Rewrite, serve
from cswidgets.sim import Simulator
from tests.doctor import variants
from tests.doctor.conftest import KEY


def verdicts(report) -> dict[str, str]:
    return {c.topic: c.text for c in report.checks}


def test_the_simulator_confirms_every_checkable_assumption(sim):
    report = diagnose(cswidgets.connect(sim.url, api_key=KEY))
    assert report.exit_code == 0
    assert report.differences == [], [c.text for c in report.differences]
    confirmed = {c.topic for c in report.checks if c.verdict == "confirmed here"}
    # every check that can be made read-only on the demo instance is made, and confirms
    assert {"connection", "studio states", "synced zones", "zone types", "conflicts answer",
            "the git folder of each zone", "git diff entries", "running tasks name their studios",
            "a future DSS does not know", "template list", "admin rights"} <= confirmed
    unchecked = {c.topic for c in report.checks if c.verdict == "not checkable read-only"}
    assert unchecked == {"sync model (pull)", "answer of a consumed future", "stop of a stopped studio"}
    for check in report.checks:  # each names its assumption's entry
        assert "assumptions.py" in check.assumption or "docs/dss-api.md" in check.assumption, check


def test_the_cli_exits_0_and_writes_the_report(sim, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("DKU_API_KEY", KEY)
    assert main(["--url", sim.url, "--report", str(tmp_path / "r.json")]) == 0
    out = capsys.readouterr().out
    assert "every checkable assumption is confirmed here" in out
    report = json.loads((tmp_path / "r.json").read_text())
    assert report["exit_code"] == 0 and report["checks"] and report["shapes"]["GET /futures/"]


def test_a_futures_list_without_state_is_named_with_the_slow_path(sim):
    with serve(sim, app=variants.without_task_state(sim.app)) as url:
        report = diagnose(cswidgets.connect(url, api_key=KEY))
    check = next(c for c in report.checks if c.topic == "running tasks name their studios")
    assert check.text.startswith("differs: ") and "no running task names a studio" in check.text
    assert "without their state" in check.text
    assert "rolling pass" in check.path
    assert report.exit_code == 0  # the live table still works, only slower


def test_git_entries_of_another_shape_are_named(sim):
    with serve(sim, app=variants.other_git_entries(sim.app)) as url:
        report = diagnose(cswidgets.connect(url, api_key=KEY))
    check = next(c for c in report.checks if c.topic == "git diff entries")
    assert check.text == "differs: entries without changeType, diff, newPath, oldPath"
    assert "without their diffs" in check.path
    assert report.exit_code == 0


def test_a_mirror_sync_model_shows_in_the_history():
    with Simulator(scenario="empty", api_key=KEY, seed=0, speed=0, sync_model="mirror") as sim:
        pk = sim.add_project("MIRROR")
        sid = sim.add_studio(pk, "studio", "admin", sim.template_ids()[0] if sim.template_ids() else
                             sim.add_template("VS Code", "block_based", zones=["project-lib-versioned"]),
                             state="STOPPED")
        zone = "project-lib-versioned"
        sim.write_file(pk, sid, zone, "lib/a.py", "base\n", side="dss", author="alice")
        sim.set_state(pk, sid, "RUNNING")  # pushes: the sync point
        sim.write_file(pk, sid, zone, "lib/a.py", "bob's change\n", side="dss", author="bob")
        sim.write_file(pk, sid, zone, "lib/b.py", "new in the studio\n", side="studio")
        sim.set_state(pk, sid, "STOPPED")  # pulls: the studio's copy replaces DSS's, undoing bob's change
        report = diagnose(cswidgets.connect(sim.url, api_key=KEY))
    check = next(c for c in report.checks if c.topic == "sync model (pull)")
    assert check.text.startswith("differs: a commit undid, line for line, another user's change"), check.text
    assert "pull confirmation" in check.path
    assert report.exit_code == 0


def test_a_non_admin_is_told_what_each_panel_can_do(sim):
    key = sim.add_user("carol")
    report = diagnose(cswidgets.connect(sim.url, api_key=key))
    texts = verdicts(report)
    assert texts["admin rights"] == "differs: not an administrator"
    assert texts["running tasks list other users' tasks"].startswith("differs: allUsers=true refused (HTTP 403)")
    assert texts["template list"] == "not checkable read-only (needs an admin (HTTP 403 for this key))"
    assert "TemplateBuilds" in report.text()
    assert report.exit_code == 0


def test_refused_credentials_exit_1(sim):
    report = diagnose(cswidgets.connect(sim.url, api_key="not-the-key"))
    assert report.exit_code == 1
    [check] = report.checks
    assert check.text.startswith("differs: the credentials were refused (HTTP 401, NotAuthenticatedException)")
    assert "DKU_API_KEY" in check.text


def test_an_html_login_page_exits_1(sim):
    with serve(sim, app=variants.html_login_page(sim.app)) as url:
        report = diagnose(cswidgets.connect(url, api_key=KEY))
    assert report.exit_code == 1
    [check] = report.checks
    assert check.text.startswith("differs: an HTML page answered the API (a login page")


def test_an_unreachable_host_exits_1():
    report = diagnose(cswidgets.connect(f"http://127.0.0.1:{variants.closed_port()}", api_key=KEY,
                                        timeout=(2, 2), retries=0))
    assert report.exit_code == 1
    [check] = report.checks
    assert check.text.startswith("differs: the connection was refused or reset")


def test_no_settings_at_all_exit_1(monkeypatch, tmp_path):
    for name in ("DKU_DSS_URL", "DKU_API_KEY", "DKU_API_TICKET"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    report = diagnose(config_path=tmp_path / "none.json")
    assert report.exit_code == 1
    assert report.checks[0].text.startswith("differs: no usable DSS connection settings")


def test_nonsense_inside_the_answers_is_named_never_a_crash(sim, caplog):
    with serve(sim, app=variants.hostile(sim.app)) as url:
        report = diagnose(cswidgets.connect(url, api_key=KEY))
    texts = verdicts(report)
    assert texts["studio states"] == "differs: 1 state value(s) outside STOPPED, STARTING, RUNNING, STOPPING"
    assert texts["studio list items"].startswith("differs: items without")
    assert texts["synced zones"].startswith("not checkable read-only")  # no state reads RUNNING any more
    assert texts["git diff entries"].startswith("not checkable read-only")  # no entry list to look at
    assert not [c for c in report.checks if "could not read" in c.text], report.text()  # each case foreseen
    assert report.exit_code == 0


def test_a_transition_that_ends_before_the_task_list_is_read_is_no_difference(sim):
    """The studios seen starting or stopping have finished when the task list is read (an empty one): nothing
    says DSS lists its tasks otherwise, so no "differs" (read again, no studio is moving any more)."""
    def finished(_items):
        sim.advance(120)  # every start and stop ends
        return []

    with serve(sim, app=Rewrite(sim.app, {"GET /futures/": finished})) as url:
        report = diagnose(cswidgets.connect(url, api_key=KEY))
    assert verdicts(report)["running tasks name their studios"] == (
        "not checkable read-only (no studio is starting or stopping now; starting one would be a write)")
