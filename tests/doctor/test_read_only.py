"""The doctor is read-only: the simulator's request log shows only GETs, none of them a pull or a push (GETs
with side effects on the wire, docs/dss-api.md §2.1) nor a consuming read of a future (peek=False), and
nothing changed on the instance."""

from __future__ import annotations

import cswidgets
from cswidgets.doctor import diagnose
from tests.doctor.conftest import KEY


def snapshot(sim):
    studios = {(pk, sid): sim.status(pk, sid) for pk in sim.project_keys() for sid in sim.studio_ids(pk)}
    files = {(pk, sid, zone, side): sim.read_files(pk, sid, zone, side=side)
             for (pk, sid), status in studios.items() for zone in sim.zone_ids(pk, sid).values()
             for side in ("studio", "dss")}
    return studios, files, sim.template_ids()


def test_only_gets_without_side_effects(sim):
    sim.speed = 0
    before = snapshot(sim)
    sim.clear_requests()
    report = diagnose(cswidgets.connect(sim.url, api_key=KEY))
    log = sim.requests
    assert report.exit_code == 0
    assert len(log) > 30  # it did read: statuses, conflicts, git, futures, templates
    assert {r.method for r in log} == {"GET"}, sorted({(r.method, r.path) for r in log if r.method != "GET"})
    assert [r.path for r in log if "/pull/" in r.path or "/push/" in r.path] == []
    futures = [r for r in log if r.path.startswith("/futures/") and r.path != "/futures/"]
    assert futures and all(r.query.get("peek", "").lower() == "true" for r in futures), futures
    assert any("/conflicts/" in r.path for r in log) and any("/git/actions/diff" in r.path for r in log)
    assert snapshot(sim) == before
