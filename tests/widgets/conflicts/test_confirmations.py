"""Issue 24 (13): the pull and push confirmations -- one sentence of consequence, each file once, how to get
it back (DSS's git history), "cannot be undone" at most once -- and both sides of each conflict."""

from __future__ import annotations

import re

import pytest

from cswidgets.widgets.conflicts import ConfirmationRequired, ConflictViewer
from cswidgets.widgets.conflicts.zones import VIEWER_TEXTS, confirmation_text

from .conftest import ZONE

FEATURES = "python/features.py"
HELPER = "python/helper.py"


def _conflict(sim, studio):
    pk, sid = studio.project_key, studio.id
    sim.write_file(pk, sid, ZONE, FEATURES, "studio\n", side="studio")
    sim.write_file(pk, sid, ZONE, FEATURES, "dss\n", side="dss", author="bob")
    sim.write_file(pk, sid, ZONE, HELPER, "dss only\n", side="dss", author="bob")


def _entry(viewer):
    return next(z for z in viewer.zones if z["status"] == "conflicts")


def test_pull_confirmation_one_sentence_each_file_once_and_the_way_back(sim, studio):
    _conflict(sim, studio)
    viewer = ConflictViewer(studio)
    try:
        entry = _entry(viewer)
        sentence = entry["confirm"]["pull"]
        assert sentence.count(". ") == 0 and sentence.endswith(".")  # one sentence
        assert FEATURES not in sentence and HELPER not in sentence  # the files are listed once, apart
        restore = entry["confirm_restore"]["pull"]
        assert "git history" in restore and entry["commit_to"] in restore
        full = confirmation_text("pull", entry)
        assert full.count(FEATURES) == 1 and full.count(HELPER) == 1, full  # issue 24: each file was listed twice
        with pytest.raises(ConfirmationRequired) as info:
            viewer.pull(ZONE)
        assert str(info.value).count(FEATURES) == 1
    finally:
        viewer.close()


def test_push_confirmation_is_short_and_says_cannot_be_undone_once(sim, studio):
    _conflict(sim, studio)
    viewer = ConflictViewer(studio)
    try:
        entry = _entry(viewer)
        shown = f"{entry['confirm']['push']} {entry['confirm_restore']['push']}"
        assert len(shown.split()) <= 90, shown  # was an 80-word paragraph before the list and the way back
        assert shown.count("cannot be undone") == 1
        assert shown.count("cannot be listed") == 1
        full = confirmation_text("push", entry)
        assert full.count("cannot be undone") == 1 and full.count(FEATURES) == 1
    finally:
        viewer.close()


def test_each_conflict_has_both_sides_dss_diff_and_the_studio_copy_command(sim, studio):
    _conflict(sim, studio)
    viewer = ConflictViewer(studio)
    try:
        entry = _entry(viewer)
        assert FEATURES in entry["modified"] or FEATURES in entry["added"]
        diff = viewer.diff(ZONE, FEATURES)  # DSS's side, from the project git
        assert diff and "+dss" in diff
        commands = entry["studio_commands"][FEATURES]  # the studio's side: DSS's API cannot read it
        where = f"{entry['path'].rstrip('/')}/{FEATURES}"
        assert commands["show"] == f"cat -- {where}"
        assert commands["save"] == f"cp -p -- {where} {where}.studio-copy"
        assert "docs/dss-api.md" in VIEWER_TEXTS["studio_side"] and "whole zones" in VIEWER_TEXTS["keep"]
    finally:
        viewer.close()


def test_a_path_with_spaces_and_quotes_is_quoted_in_the_commands():
    from cswidgets.widgets.conflicts.zones import studio_commands

    got = studio_commands("/home/dataiku/workspace/x", "a b/it's.py")
    assert got["show"] == "cat -- '/home/dataiku/workspace/x/a b/it'\"'\"'s.py'"
    assert re.fullmatch(r"cp -p -- '.+' '.+\.studio-copy'", got["save"])
