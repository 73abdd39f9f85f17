"""Copy as Python (#24) in the conflict viewer: the pull and push confirmations copy the code of that sync of that
zone (before anything is sent), and the activity row of the sync carries the same code; run as copied, it moves the
files the confirmation named."""

from __future__ import annotations

from cswidgets.widgets.conflicts import ConflictViewer
from tests.support import ask, record

from ..copied import run_copied
from .conftest import KEY, ZONE


def test_the_pull_and_push_confirmations_copy_their_code(sim, studio, monkeypatch):
    pk, sid = studio.project_key, studio.id
    sim.write_file(pk, sid, ZONE, "lib/util.py", "studio edit\n", side="studio")
    sim.write_file(pk, sid, ZONE, "lib/util.py", "dss edit\n", side="dss", author="carol")
    viewer = ConflictViewer(studio)
    record(viewer)
    try:
        entry = next(z for z in viewer.zones if z["type"] == ZONE)
        assert entry["confirm"]["pull"]  # the pull asks first: its confirmation shows "Copy as Python"
        reply = ask(viewer, "code", what="pull", zone=entry["key"])
        assert reply["ok"] is True, reply
        code = reply["result"]["code"]
        assert f".pull_from_code_studio({entry['id']!r})" in code and f"get_code_studio({sid!r})" in code
        assert sim.read_files(pk, sid, ZONE, side="dss")["lib/util.py"] == "dss edit\n"  # copying never acts
        run_copied(code, sim.url, KEY, monkeypatch)
        assert sim.read_files(pk, sid, ZONE, side="dss")["lib/util.py"] == "studio edit\n"  # the pull's effect
        sim.write_file(pk, sid, ZONE, "lib/util.py", "dss again\n", side="dss", author="carol")
        viewer.check(ZONE)
        entry = next(z for z in viewer.zones if z["type"] == ZONE)
        push = ask(viewer, "code", what="push", zone=entry["key"])["result"]["code"]
        assert f".push_to_code_studio({entry['id']!r})" in push
        run_copied(push, sim.url, KEY, monkeypatch)
        assert sim.read_files(pk, sid, ZONE)["lib/util.py"] == "dss again\n"  # DSS's version now in the studio
        viewer.push(ZONE, force=True)
        synced = next(e for e in viewer.activity if e["what"].startswith("push"))
        assert synced["code"] == push  # the activity row carries what the confirmation copied
        assert ask(viewer, "code", what="delete", zone=entry["key"])["ok"] is False
        assert ask(viewer, "code", what="pull", zone="nope|/x")["ok"] is False
    finally:
        viewer.close()


def test_check_all_in_the_activity_runs_as_copied(sim, studio, monkeypatch, capsys):
    viewer = ConflictViewer(studio)
    record(viewer)
    try:
        assert ask(viewer, "refresh", timeout=30)["ok"] is True  # "Check all"
        entry = next(e for e in viewer.activity if e["what"] == "check all")
        assert "for zone in studio.get_status().get_zones():" in entry["code"]
        sim.clear_requests()
        capsys.readouterr()
        run_copied(entry["code"], sim.url, KEY, monkeypatch)
        checked = {r.path.rstrip("/").split("/")[-1] for r in sim.requests if "/conflicts/" in r.path}
        assert checked == set(studio.get_status().get_zones())  # every zone checked, as the panel's Check all
        assert ZONE in capsys.readouterr().out
    finally:
        viewer.close()
