"""Issue 24 (13): before a pull overwrites DSS files of the project library zone, the confirmation offers DSS's
versions as a zip (read through DSS's project library API); other zones' confirmations are unchanged. The tests
act as the front end (no kernel)."""

from __future__ import annotations

import io
import zipfile

import pytest

from cswidgets.widgets.conflicts import ConflictViewer
from cswidgets.widgets.conflicts.zones import BACKUP_BUTTON, NO_DSS_VERSION
from tests.support import Recorder, ask

from .conftest import KEY, ZONE

FEATURES = "python/features.py"
HELPER = "python/helper.py"
GONE = "lib/util.py"  # the studio fixture's DSS file, deleted in DSS below
RECIPES = "recipes"


class BufferRecorder(Recorder):
    """A Recorder that keeps each message's buffers too."""

    def __init__(self) -> None:
        super().__init__()
        self.buffers: list[tuple[dict, list]] = []

    def __call__(self, msg, buffers=None) -> None:
        super().__call__(msg, buffers)
        self.buffers.append((msg, list(buffers or [])))


def _edits(sim, studio):
    pk, sid = studio.project_key, studio.id
    sim.write_file(pk, sid, ZONE, FEATURES, "studio\n", side="studio", author="alice")
    sim.write_file(pk, sid, ZONE, FEATURES, "dss\n", side="dss", author="bob")
    sim.write_file(pk, sid, ZONE, HELPER, "dss only\n", side="dss", author="bob")
    sim.delete_file(pk, sid, ZONE, GONE, side="dss", author="bob")
    sim.write_file(pk, sid, RECIPES, "compute.py", "dss recipe\n", side="dss", author="bob")


def _zone(viewer, kind):
    return next(z for z in viewer.zones if z["type"] == kind)


def test_library_zone_offers_the_zip_and_names_what_it_cannot_include(sim, studio):
    _edits(sim, studio)
    viewer = ConflictViewer(studio)
    try:
        lib, recipes = _zone(viewer, ZONE), _zone(viewer, RECIPES)
        assert lib["confirm"]["pull"] and lib["backup"]["button"] == BACKUP_BUTTON
        assert lib["backup"]["missing"] == [GONE] and NO_DSS_VERSION in lib["backup"]["missing_note"]
        assert "git history" in lib["confirm_restore"]["pull"]  # the way back stays
        # another zone: no zip (DSS's API cannot read its files); its confirmation is as before
        assert recipes["confirm"]["pull"] and recipes["backup"] is None
        assert "git history" in recipes["confirm_restore"]["pull"]
        assert all(z["backup"] is None for z in viewer.zones if not z["confirm"]["pull"])
    finally:
        viewer.close()


def test_download_sends_dss_versions_as_a_zip_and_says_what_is_missing(sim, studio):
    _edits(sim, studio)
    dss = sim.read_files(studio.project_key, studio.id, ZONE, side="dss")
    viewer = ConflictViewer(studio)
    rec = BufferRecorder()
    viewer.send = rec
    try:
        key = _zone(viewer, ZONE)["key"]
        reply = ask(viewer, "download_dss", zone=key)
        assert reply["ok"], reply
        result = reply["result"]
        assert result["read"] == [FEATURES, HELPER]
        assert result["not_read"] == {GONE: NO_DSS_VERSION}
        sent = [(m, b) for m, b in rec.buffers if m.get("kind") == "download"]
        assert len(sent) == 1 and sent[0][0]["mime"] == "application/zip" and sent[0][0]["name"] == result["name"]
        with zipfile.ZipFile(io.BytesIO(bytes(sent[0][1][0]))) as archive:
            assert {n: archive.read(n).decode() for n in archive.namelist()} == {p: dss[p] for p in result["read"]}
        assert dss[FEATURES] == "dss\n"  # DSS's version, not the studio's
        entry = viewer.activity[-1]
        assert entry["what"] == "download DSS's versions" and entry["outcome"] == "done"
        assert KEY not in repr(viewer.zones) and KEY not in entry["message"]
        # nothing was pulled: DSS still has its version, and the pull still asks
        assert sim.read_files(studio.project_key, studio.id, ZONE, side="dss")[FEATURES] == "dss\n"
        assert _zone(viewer, ZONE)["confirm"]["pull"]
    finally:
        viewer.close()


def test_save_next_to_the_notebook_and_refuse_other_zones(sim, studio, tmp_path):
    _edits(sim, studio)
    viewer = ConflictViewer(studio)
    try:
        result = viewer.save_dss_versions(ZONE, tmp_path / "dss.zip")
        with zipfile.ZipFile(tmp_path / "dss.zip") as archive:
            assert sorted(archive.namelist()) == [FEATURES, HELPER] == result["read"]
        assert repr(str(tmp_path / "dss.zip")) in viewer.activity[-1]["code"]  # the copied code writes there too
        with pytest.raises(ValueError, match="only the project library zone"):
            viewer.save_dss_versions(RECIPES, tmp_path / "recipes.zip")
        assert not (tmp_path / "recipes.zip").exists()
        assert viewer.activity[-1]["outcome"] == "refused"
        reply = ask(viewer, "download_dss", zone=_zone(viewer, RECIPES)["key"])
        assert not reply["ok"] and "only the project library zone" in reply["error"]
    finally:
        viewer.close()


def test_copied_python_does_the_same(sim, studio, tmp_path, monkeypatch):
    _edits(sim, studio)
    viewer = ConflictViewer(studio)
    try:
        viewer.save_dss_versions(ZONE, io.BytesIO())
        code = viewer.activity[-1]["code"]
    finally:
        viewer.close()
    monkeypatch.setenv("DKU_DSS_URL", sim.url)
    monkeypatch.setenv("DKU_API_KEY", KEY)
    monkeypatch.chdir(tmp_path)
    exec(compile(code, "copied", "exec"), {})  # the code the panel offers, run as copied
    with zipfile.ZipFile(tmp_path / "dss-versions.zip") as archive:
        assert sorted(archive.namelist()) == [FEATURES, HELPER]
