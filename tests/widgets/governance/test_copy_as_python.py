"""Copy as Python (#24) in Governance: "Stop the N chosen"'s confirmation copies the policy's real run on exactly
the studios it names (with the panel's threshold, projects and exclusions), and the activity entry of the stop
carries the same code; run as copied, it stops exactly those studios."""

from __future__ import annotations

from cswidgets.widgets.activity import ActivityLog
from cswidgets.widgets.governance import Governance
from tests.support import ask, record

from ..conftest import KEY
from ..copied import run_copied


def _stops(sim) -> list[str]:
    return [r.path.split("/")[-2] for r in sim.requests if r.method == "POST" and r.path.endswith("/stop")]


def test_the_stop_confirmation_copies_the_policy_run_on_exactly_the_chosen(sim, client, monkeypatch):
    log = ActivityLog()
    gov = Governance(client, idle_after="1h", activity_log=log, user="admin",
                     policy={"exclude_owners": ["nobody"]})
    record(gov)
    try:
        chosen = {r["name"]: r["key"] for r in gov.policy if r["decision"] == "stop"}
        named = [chosen["Dashboard app"], chosen["Admin tools"]]  # the confirmation names these two
        sim.clear_requests()
        reply = ask(gov, "code", rows=named)
        assert reply["ok"] is True, reply
        code = reply["result"]["code"]
        assert _stops(sim) == [] and log.frame().empty  # copying never acts
        assert f"client.stop_idle(3600, dry_run=False, only={named!r}" in code
        assert "exclude_owners=['nobody']" in code and "project_keys=None" in code
        run_copied(code, sim.url, KEY, monkeypatch)
        assert sorted(_stops(sim)) == sorted(k.split("/")[1] for k in named)  # exactly them, like the panel's click
        stray = ask(gov, "code", rows=[next(r["key"] for r in gov.policy if r["name"] == "Forecast notebook")])
        assert stray["ok"] is False and "Not among the studios" in stray["error"]
        gov.refresh()
        left = [r["key"] for r in gov.policy if r["decision"] == "stop"]
        assert left == [chosen["Scoring API"]]
        code = ask(gov, "code", rows=left)["result"]["code"]
        assert ask(gov, "stop_chosen", rows=left, timeout=60)["ok"] is True
        entries = log.frame()
        (run,) = entries[entries["what"] == "stop idle"].to_dict("records")
        assert run["code"] == code  # the activity row carries what the confirmation copied
        (stop,) = entries[(entries["what"] == "stop") & (entries["panel"] == "policy")].to_dict("records")
        project_key, studio_id = left[0].split("/")
        assert f"get_project({project_key!r}).get_code_studio({studio_id!r})" in stop["code"]  # each stop's row too
        assert ".stop().wait_for_result(" in stop["code"]
    finally:
        gov.close()
