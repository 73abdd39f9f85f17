"""Outdated images: a template's studios with their counts, and restarting only the running studios that run an
image older than the template's last build (issue 25)."""

from __future__ import annotations

from cswidgets.api.outdated import studio_counts


def _rebuild(sim, client, template_id: str) -> None:
    future = client.get_code_studio_template(template_id).build()
    sim.advance(60)
    future.wait_for_result(timeout=10)


def _restarts(sim) -> list[str]:
    return [r.path.split("/")[-2] for r in sim.requests if r.method == "POST" and r.path.endswith("/restart")]


def test_counts_per_template_follow_a_rebuild(frozen, fclient):
    template = fclient.get_code_studio_template("tpl_vscode")
    assert template.studio_counts() == {"total": 6, "running": 3, "outdated": 0, "outdated_running": 0}
    _rebuild(frozen, fclient, "tpl_vscode")
    counts = template.studio_counts()
    assert counts["running"] == 3 and counts["outdated_running"] == 3
    table = studio_counts(fclient.studios_frame()).set_index("template_id")
    assert table.loc["tpl_vscode", "outdated_running"] == 3 and table.loc["tpl_jupyterlab", "outdated"] == 0
    assert list(table.loc["tpl_vscode", ["total", "running"]]) == [6, 3]


def test_restart_outdated_restarts_only_the_outdated_running_studios_without_conflicts(frozen, fclient):
    template = fclient.get_code_studio_template("tpl_vscode")
    _rebuild(frozen, fclient, "tpl_vscode")
    pk = "LOGISTICS"
    depot = next(s["id"] for s in frozen.model.list_studios(pk) if s["name"] == "Depot planner")
    frozen.set_state(pk, depot, "RUNNING")  # started after the rebuild: current image
    frozen.clear_requests()
    dry = template.restart_outdated_studios()
    assert _restarts(frozen) == []
    decisions = dict(zip(dry["name"], dry["decision"], strict=True))
    assert decisions == {"Forecast notebook": "skip", "Route optimiser": "skip", "Admin tools": "restart",
                         "Depot planner": "keep"}
    assert "conflicting" in dry.set_index("name").loc["Route optimiser", "reason"]
    frozen.speed = 200
    log = []
    real = template.restart_outdated_studios(dry_run=False, activity=log.append)
    admin_tools = real.set_index("name").loc["Admin tools"]
    assert admin_tools["outcome"] == "sent" and _restarts(frozen) == [admin_tools["id"]]
    fclient.wait_all({admin_tools["id"]: fclient.get_future(admin_tools["job_id"])}, timeout=30)
    assert template.studio_counts()["outdated_running"] == 2  # the two with conflicts still wait for their owners
    after = fclient.studios_frame(pk).set_index("name")
    assert not after.loc["Admin tools", "image_outdated"] and after.loc["Route optimiser", "image_outdated"]
    assert [(e["what"], e["studio"], e["outcome"]) for e in log] == [("restart", "Admin tools", "done")]
