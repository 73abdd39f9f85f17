"""TemplateBuilds against the simulator: table, builds from clicks, last built, several builds."""

from __future__ import annotations

import threading
import time

import pytest

import cswidgets
from cswidgets.widgets.template_builds import TemplateBuilds
from tests.support import ask, record, wait_for
from tests.widgets.frozen_time import ADMIN_KEY, tracker_threads

HOSTILE = "<img src=x onerror=alert(1)>"


def builds_of(sim):
    return [r for r in sim.requests if r.method == "POST" and r.path.endswith("/build")]


def test_table_lists_templates_with_build_information(sim, client, tracker):
    panel = TemplateBuilds(client, tracker=tracker)
    by_id = {r["id"]: r for r in panel.rows}
    assert list(by_id) == ["tpl_vscode", "tpl_jupyterlab", "tpl_streamlit", "tpl_rstudio"]
    vscode = by_id["tpl_vscode"]
    assert vscode["label"] == "VS Code"
    assert vscode["type"] == "block_based"
    assert vscode["build_for"] == ["k8s-default", "k8s-gpu"]
    assert vscode["last_built_ms"] == sim.now_ms() - 2 * 24 * 3600 * 1000
    assert by_id["tpl_rstudio"]["last_built_ms"] is None
    assert repr(panel) == "<TemplateBuilds: 4 templates>"
    assert panel.is_simulator == client.is_simulator
    assert list(panel.frame["id"]) == list(by_id)


def test_build_click_shows_progress_and_updates_last_built(sim, client, tracker):
    panel = TemplateBuilds(client, tracker=tracker)
    record(panel)
    before = next(r for r in panel.rows if r["id"] == "tpl_rstudio")
    assert before["last_built_ms"] is None and before["build_for"] == []
    t0 = sim.now_ms()
    reply = ask(panel, "build", template_ids=["tpl_rstudio"], no_cache=False)
    assert reply["ok"] is True
    assert reply["result"] == {"started": ["tpl_rstudio"], "failed": []}
    (build,) = panel.builds
    assert build["template_id"] == "tpl_rstudio"
    assert build["label"] == "Build RStudio Server"
    assert build["final"] == "" and build["abortable"] is True
    assert set(panel.running) == {"tpl_rstudio"}
    assert repr(panel) == "<TemplateBuilds: 4 templates, 1 building>"
    wait_for(lambda: panel.builds[0]["view"]["stage"] == "Preparing build context")

    sim.advance(31)
    assert panel.wait(10) == {"tpl_rstudio": "done"}  # returns once the row is updated too
    assert panel.builds[0]["result_summary"].startswith("Built for ")
    assert panel.running == {}
    after = next(r for r in panel.rows if r["id"] == "tpl_rstudio")
    assert after["last_built_ms"] == t0 + 30_000  # frozen clock: the 30 s build ended at t0 + 30 s
    assert after["build_for"] == ["k8s-default", "k8s-gpu", "k8s-highmem"]


def test_without_cache_option_reaches_dss(sim, client, tracker):
    panel = TemplateBuilds(client, tracker=tracker)
    record(panel)
    ask(panel, "build", template_ids=["tpl_vscode"], no_cache=True)
    (request,) = builds_of(sim)
    assert request.query.get("withNoCache") in ("True", "true")
    assert panel.builds[0]["label"] == "Build VS Code (no cache)"
    assert panel.builds[0]["no_cache"] is True


def test_build_a_selection_skips_running_templates(sim, client, tracker):
    panel = TemplateBuilds(client, tracker=tracker)
    panel.build("tpl_vscode")
    panel.selected = ["tpl_vscode", "tpl_jupyterlab", "tpl_streamlit"]
    panel.no_cache = True
    futures = panel.build_selected()
    assert len(futures) == 2
    assert set(panel.running) == {"tpl_vscode", "tpl_jupyterlab", "tpl_streamlit"}
    assert [b["no_cache"] for b in panel.builds] == [False, True, True]
    assert len(builds_of(sim)) == 3


def test_the_same_template_is_not_built_twice_at_once(sim, client, tracker):
    panel = TemplateBuilds(client, tracker=tracker)
    record(panel)
    sim.latency_ms = 200  # both clicks arrive while the first build request is in flight
    replies = []
    threads = [threading.Thread(target=lambda: replies.append(ask(panel, "build", template_ids=["tpl_vscode"])))
               for _ in range(2)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    results = sorted((r["result"]["started"], r["result"]["failed"]) for r in replies)
    assert results == [([], ["tpl_vscode"]), (["tpl_vscode"], [])]
    assert len(builds_of(sim)) == 1
    assert len(panel.builds) == 1
    assert "already building" in panel.alerts[0]["message"]


def test_refused_build_is_shown_in_the_alert_region(sim, tracker):
    key = sim.add_user("bob")  # not an admin: DSS refuses to list and to build templates
    with cswidgets.connect(url=sim.url, api_key=key) as bob:
        panel = TemplateBuilds(bob, tracker=tracker)
        assert panel.rows == []
        record(panel)
        reply = ask(panel, "build", template_ids=["tpl_vscode"])
    assert reply["ok"] is True
    assert reply["result"] == {"started": [], "failed": ["tpl_vscode"]}
    assert panel.builds == []
    listing, build = panel.alerts
    assert listing["message"].startswith("Could not list the templates: ")
    assert build["message"].startswith("Could not build 'tpl_vscode': ")
    for alert in (listing, build):
        assert "you are not admin" in alert["message"] and "you don't have permission" in alert["message"]


def test_unknown_template_and_bad_requests_are_errors(client, tracker):
    panel = TemplateBuilds(client, tracker=tracker)
    record(panel)
    with pytest.raises(ValueError, match="Unknown template"):
        panel.build("nope")
    with pytest.raises(TypeError, match="no_cach"):
        TemplateBuilds(client, tracker=tracker, no_cach=True)
    reply = ask(panel, "build", template_ids=[])
    assert reply["ok"] is False and "at least one template" in reply["error"]
    reply = ask(panel, "abort", key="gone#1")
    assert reply["ok"] is False and "no longer shown" in reply["error"]


def test_abort_one_of_two_builds(sim, client, tracker):
    panel = TemplateBuilds(client, tracker=tracker)
    record(panel)
    ask(panel, "build", template_ids=["tpl_vscode", "tpl_jupyterlab"])
    keys = {b["template_id"]: b["key"] for b in panel.builds}
    assert ask(panel, "abort", key=keys["tpl_jupyterlab"])["result"] == {"aborting": True}
    finals = lambda: {b["template_id"]: b["final"] for b in panel.builds}  # noqa: E731
    wait_for(lambda: finals() == {"tpl_vscode": "", "tpl_jupyterlab": "aborted"})
    reply = ask(panel, "dismiss", key=keys["tpl_vscode"])
    assert reply["ok"] is False and "abort it first" in reply["error"]
    sim.advance(31)
    assert panel.wait(10) == {"tpl_vscode": "done", "tpl_jupyterlab": "aborted"}
    assert ask(panel, "dismiss", key=keys["tpl_jupyterlab"])["result"] == {"dismissed": True}
    assert [b["template_id"] for b in panel.builds] == ["tpl_vscode"]
    assert panel.abort("tpl_vscode") is False  # nothing running any more
    log = [(e["what"], e["template_id"], e["outcome"]) for e in panel.activity]
    assert log == [("build", "tpl_vscode", "done"), ("build", "tpl_jupyterlab", "aborted"),
                   ("abort", "tpl_jupyterlab", "done")]


def test_builds_and_aborts_are_in_the_activity(sim, client, tracker):
    panel = TemplateBuilds(client, tracker=tracker)
    got = []
    unsubscribe = panel.on_activity(got.append)
    panel.build("tpl_vscode", no_cache=True)
    [running] = panel.activity
    assert (running["panel"], running["what"], running["outcome"]) == ("templates", "build (no cache)", "running")
    assert running["target"] == "VS Code" and running["who"] == "admin"  # the key's login (GET /auth/info)
    sim.advance(46)  # a no-cache build takes 1.5 x 30 s
    panel.wait(10)
    [done] = panel.activity
    assert done["id"] == running["id"] and done["outcome"] == "done"
    assert done["message"].startswith("Built for ") and done["duration_s"] >= 0
    sim.fail_next_build("tpl_streamlit", message="no space left on device")
    panel.build("tpl_streamlit")
    sim.advance(31)
    panel.wait(10)
    failed = panel.activity[-1]
    assert failed["outcome"] == "failed" and failed["message"] == "no space left on device"  # DSS's own words
    assert panel.builds[-1]["view"]["message"] == "no space left on device"
    unsubscribe()
    assert [e["outcome"] for e in got] == ["running", "done", "running", "failed"]


def test_a_refused_build_is_logged_failed_with_who_from_user(sim, tracker):
    key = sim.add_user("bob")  # not an admin: DSS refuses to build
    with cswidgets.connect(url=sim.url, api_key=key) as bob:
        panel = TemplateBuilds(bob, tracker=tracker, user="Robert")
        with pytest.raises(cswidgets.DSSError):
            panel.build("tpl_vscode")
    [entry] = panel.activity
    assert (entry["what"], entry["outcome"], entry["who"]) == ("build", "failed", "Robert")
    assert "you are not admin" in entry["message"]


def test_a_new_build_replaces_the_finished_bar_of_the_same_template(sim, client, tracker):
    panel = TemplateBuilds(client, tracker=tracker)
    panel.build("tpl_vscode")
    sim.advance(31)
    panel.wait(10)
    panel.build("tpl_vscode")
    assert [(b["template_id"], b["final"]) for b in panel.builds] == [("tpl_vscode", "")]


def test_twenty_concurrent_builds_are_tracked_by_one_thread(fast_sim, fast_client):
    ids = [fast_sim.add_template(f"Template {i:02d}") for i in range(16)]
    panel = TemplateBuilds(fast_client)  # the client's own tracker, default settings
    assert len(panel.rows) == 20
    panel.selected = [r["id"] for r in panel.rows]
    futures = panel.build_selected()
    assert len(futures) == 20
    assert len(panel.running) == 20
    peak = wait_for(lambda: len(fast_client.tracker) == 20 and tracker_threads(), what="20 tracked futures")
    assert len(peak) == 1
    outcome = panel.wait(30)
    assert set(outcome.values()) == {"done"}
    assert len(tracker_threads()) <= 1
    assert all(b["view"]["fraction"] == 1.0 for b in panel.builds)
    assert set(ids) <= {b["template_id"] for b in panel.builds}


def test_the_main_thread_is_free_while_builds_progress(fast_sim, fast_client):
    """Progress arrives from the tracker thread while the main thread does other work."""
    panel = TemplateBuilds(fast_client)
    updates = []
    panel.observe(lambda ch: updates.append((time.monotonic(), threading.current_thread())), names=["builds"])
    main = threading.current_thread()
    panel.build("tpl_vscode")
    panel.build("tpl_streamlit")
    started = time.monotonic()
    work = 0
    while not all(b["final"] for b in panel.builds) and time.monotonic() - started < 20:
        work += sum(range(1000))  # "another cell": CPU work, no waiting on the widget
    elapsed = time.monotonic() - started
    assert all(b["final"] == "done" for b in panel.builds), "builds ended while the main thread was busy"
    during = [thread for stamp, thread in updates if started <= stamp <= started + elapsed]
    assert len(during) >= 4  # 1.5 s builds, one list read per second for both: a few reads and the two ends
    assert main not in during
    assert work > 0


def test_static_html_escapes_labels_and_holds_no_secret(sim, client, tracker):
    sim.add_template(HOSTILE, template_id="tpl_x")
    panel = TemplateBuilds(client, tracker=tracker)
    panel.build("tpl_x")
    data = panel._repr_mimebundle_()[0]
    html = data["text/html"]
    assert HOSTILE not in html and "&lt;img" in html
    assert "<th scope='col'>Last built</th>" in html
    assert "never" in html
    for text in (html, data["text/plain"], str(panel.get_state())):
        assert ADMIN_KEY not in text
    assert data["text/plain"] == "<TemplateBuilds: 5 templates, 1 building>"


def test_listing_failure_still_shows_the_panel_with_an_alert(sim, client, tracker):
    sim.set_faults(rate=1.0, kinds=["500"], path_contains="/admin/code-studios")
    panel = TemplateBuilds(client, tracker=tracker)
    assert panel.rows == []
    assert panel.alerts and panel.alerts[0]["message"].startswith("Could not list the templates")
    sim.clear_faults()
    record(panel)
    assert ask(panel, "refresh")["result"] == {"templates": 4}
    assert len(panel.rows) == 4


def test_a_failed_build_keeps_last_built_and_says_where_it_failed(sim, client, tracker):
    panel = TemplateBuilds(client, tracker=tracker)
    before = next(r for r in panel.rows if r["id"] == "tpl_vscode")
    sim.fail_next_build("tpl_vscode", message="no space left on device")
    panel.build("tpl_vscode")
    sim.advance(31)
    panel.wait(10)
    row = next(r for r in panel.rows if r["id"] == "tpl_vscode")
    assert row["last_built_ms"] == before["last_built_ms"]  # the last successful build, not "never"
    assert row["last_failure"]["message"] == "no space left on device"
    assert row["last_failure"]["stage"] == panel.builds[-1]["view"]["stage"]
    assert "last build failed" in panel._static_html()
    panel.build("tpl_vscode")  # a later success clears it
    sim.advance(31)
    panel.wait(10)
    assert next(r for r in panel.rows if r["id"] == "tpl_vscode")["last_failure"] is None


def _restarts(sim) -> list[str]:
    return [r.path.split("/")[-2] for r in sim.requests if r.method == "POST" and r.path.endswith("/restart")]


def test_rows_count_each_templates_studios_and_those_on_an_outdated_image(sim, client, tracker):
    panel = TemplateBuilds(client, tracker=tracker)
    try:
        assert panel.wait_counts()  # read on the panel's "counts" thread: the templates show first
        by_id = {r["id"]: r for r in panel.rows}
        assert (by_id["tpl_vscode"]["studios"], by_id["tpl_vscode"]["outdated"]) == ("3 / 6", "0")
        assert by_id["tpl_rstudio"]["studios"] == "0 / 1"
        html = panel._repr_mimebundle_()[0]["text/html"]
        assert "<th scope='col'>Studios (running / total)</th>" in html and "<td>3 / 6</td>" in html
    finally:
        panel.close()
    lean = TemplateBuilds(client, tracker=tracker, studio_counts=False)  # no studios_frame read: "—", never 0
    try:
        assert lean.wait_counts() and {r["studios"] for r in lean.rows} == {None}
    finally:
        lean.close()


def test_after_a_rebuild_only_the_outdated_running_studios_without_conflicts_are_offered_and_restarted(
        sim, client, tracker):
    frame = client.studios_frame()
    running = frame[(frame["template_id"] == "tpl_vscode") & (frame["state"] == "RUNNING")]
    assert len(running) == 3, "the demo has three running VS Code studios, two of them with conflicts"
    admin_tools = running[running["name"] == "Admin tools"]
    expected = [f"{admin_tools['project_key'].iloc[0]}/{admin_tools['id'].iloc[0]}"]
    panel = TemplateBuilds(client, tracker=tracker)
    panel.build("tpl_vscode")
    assert panel.builds[0]["restart"] == []  # nothing offered while it builds
    sim.advance(31)
    panel.wait(10)
    [build] = panel.builds
    assert build["restart"] == expected  # Forecast notebook and Route optimiser hold conflicts: not offered
    assert build["restart_names"] == ["Admin tools (admin)"]
    assert next(r for r in panel.rows if r["id"] == "tpl_vscode")["outdated"] == "3"
    sim.clear_requests()
    reply = ask(panel, "restart_studios", key=build["key"])
    assert reply["ok"] is True and reply["result"]["restarted"] == 1
    assert _restarts(sim) == [expected[0].split("/")[1]]  # exactly the one named
    assert panel.builds[0]["restart"] == [] and panel.builds[0]["restart_names"] == []
    entries = {e["what"]: e for e in panel.activity}
    assert entries["restart"]["studio"] == "Admin tools" and entries["restart"]["outcome"] == "done"
    assert entries["restart outdated"]["outcome"] == "done"
    assert next(r for r in panel.rows if r["id"] == "tpl_vscode")["outdated"] == "2"  # counted again
    assert ask(panel, "restart_studios", key=build["key"])["ok"] is False  # offered once
    panel.close()


def test_a_column_is_declared_once_in_python(sim, client, tracker, monkeypatch):
    """The templates table's columns are one list in Python: a column added there reaches the view's
    ``config`` (rendered by kind, no JS list) and the static HTML."""
    from cswidgets.widgets.template_builds import columns

    extra = columns.Column("built_for_count", "Configurations", "list", ("build_for",), empty="none")
    monkeypatch.setattr(columns, "COLUMNS", (*columns.COLUMNS, extra))
    panel = TemplateBuilds(client, tracker=tracker)
    try:
        specs = panel.get_state()["config"]["columns"]
        assert specs[-1] == {"id": "built_for_count", "label": "Configurations", "kind": "list",
                             "fields": ["build_for"], "note": None, "empty": "none"}
        assert [s["label"] for s in specs[:-1]] == ["Select", "Template", "ID", "Type", "Built for", "Last built",
                                                     "Studios (running / total)", "Outdated image (running)",
                                                     "Build"]
        assert "<th scope='col'>Configurations</th>" in panel._repr_mimebundle_()[0]["text/html"]
    finally:
        panel.close()
    with pytest.raises(ValueError, match="needs the row field"):
        columns.Column("broken", "Broken", "time")
