"""A build whose answer was lost (issue 15, "outcome unknown is a state"): the panel never says "failed" and
never resends; it re-reads DSS's running tasks and follows the build found there, or says the outcome is
unknown and what DSS shows."""

from __future__ import annotations

from cswidgets.widgets.template_builds import TemplateBuilds
from tests.support import ask, record

TEMPLATE = "tpl_rstudio"


def _posts(sim):
    return sum(1 for r in sim.requests if r.method == "POST" and r.path.endswith(f"/{TEMPLATE}/build"))


def test_a_build_applied_then_lost_is_found_and_followed(sim, client, tracker):
    panel = TemplateBuilds(client, tracker=tracker)
    record(panel)
    sim.clear_requests()
    sim.set_faults(rate=1.0, kinds=["reset_after"], methods=["POST"], path_contains="/build")
    try:
        reply = ask(panel, "build", template_ids=[TEMPLATE])
    finally:
        sim.clear_faults()
    try:
        assert reply["ok"] and reply["result"] == {"started": [TEMPLATE], "failed": []}, reply
        assert _posts(sim) == 1  # re-read, never resent
        assert set(panel.running) == {TEMPLATE} and panel.builds[0]["final"] == ""
        assert not [a for a in panel.alerts if "failed" in a["message"].lower() or a["level"] == "error"]
        assert not panel.alerts  # the "outcome unknown — checking" alert cleared once the build was found
        sim.advance(31)
        assert panel.wait(10) == {TEMPLATE: "done"}
        assert panel.activity[-1]["outcome"] == "done"
    finally:
        panel.close()


def test_a_build_lost_before_dss_saw_it_is_outcome_unknown_not_failed(sim, client, tracker):
    panel = TemplateBuilds(client, tracker=tracker)
    record(panel)
    sim.clear_requests()
    sim.set_faults(rate=1.0, kinds=["reset"], methods=["POST"], path_contains="/build")
    try:
        reply = ask(panel, "build", template_ids=[TEMPLATE])
    finally:
        sim.clear_faults()
    try:
        assert reply["ok"] and reply["result"] == {"started": [], "failed": [TEMPLATE]}, reply
        assert _posts(sim) == 1
        assert panel.running == {}
        (alert,) = panel.alerts
        assert alert["level"] == "warning"
        assert "outcome unknown" in alert["message"] and "DSS shows no build of it running" in alert["message"]
        assert "Could not build" not in alert["message"]
        assert panel.activity[-1]["outcome"] == "unknown"
    finally:
        panel.close()


def test_a_restart_after_a_rebuild_whose_answer_was_lost_is_outcome_unknown_not_failed(sim, client, tracker):
    frame = client.studios_frame()
    running = frame[frame["state"] == "RUNNING"]
    keys = [f"{p}/{i}" for p, i in zip(running["project_key"], running["id"])][:2]
    assert len(keys) == 2, "the demo scenario has running studios"
    lost = keys[0].split("/")[1]
    panel = TemplateBuilds(client, tracker=tracker)
    record(panel)
    sim.clear_requests()
    sim.set_faults(rate=1.0, kinds=["reset_after"], methods=["POST"], path_contains=f"/{lost}/restart")
    try:
        futures = panel.restart_studios(keys)  # raised the DSSOutcomeUnknownError before, "failed" in the log
    finally:
        sim.clear_faults()
    try:
        assert len(futures) == 1  # the next studio was restarted all the same
        posts = [r.path for r in sim.requests if r.method == "POST" and r.path.endswith("/restart")]
        expected = ["/projects/{}/code-studios/{}/restart".format(*k.split("/")) for k in keys]
        assert sorted(posts) == sorted(expected)  # each sent once: the lost one never resent
        unknown, done = [e for e in panel.activity if e["what"] == "restart"]
        assert unknown["outcome"] == "unknown" and "failed" not in unknown["message"]
        assert "outcome unknown (the answer was lost); DSS now shows" in unknown["message"]
        assert done["outcome"] == "done"
        (alert,) = panel.alerts
        assert alert["level"] == "warning" and "outcome unknown" in alert["message"]
    finally:
        panel.close()
