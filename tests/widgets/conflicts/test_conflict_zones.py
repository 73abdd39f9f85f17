"""The pure helpers behind the viewer: zone resolution, sizes, the confirmation rule."""

from __future__ import annotations

import pytest

from cswidgets.widgets.conflicts.zones import confirmation_text, display_name, human_size, resolve, zone_key

ZONES = [
    {"id": "z-1", "zone": "recipes", "pathInContainer": "/w/recipes", "oneWay": False},
    {"id": "z-2", "zone": "code_studioVersioned", "pathInContainer": "/w/a", "oneWay": False},
    {"id": "z-3", "zone": "code_studioVersioned", "pathInContainer": "/w/b", "oneWay": True},
]


def test_resolution_prefers_ids_then_keys_then_stale_ids_then_type_then_path():
    known = {"old-id": zone_key(ZONES[0]), "gone-id": "notebooks|/w/notebooks"}
    assert resolve("z-2", ZONES, known) is ZONES[1]
    assert resolve("old-id", ZONES, known) is ZONES[0]
    assert resolve("recipes", ZONES, known) is ZONES[0]
    assert resolve("/w/b/", ZONES, known) is ZONES[2]
    assert resolve(zone_key(ZONES[2]), ZONES, known) is ZONES[2]
    with pytest.raises(ValueError, match="names 2 zones"):
        resolve("code_studioVersioned", ZONES, known)
    with pytest.raises(LookupError, match="no longer syncs it"):
        resolve("gone-id", ZONES, known)
    with pytest.raises(ValueError, match="non-empty string"):
        resolve("", ZONES, known)


def test_display_names_tolerate_spellings():
    assert display_name("code_studioVersioned") == display_name("code_studio-versioned") == (
        "Code Studio versioned files")
    assert display_name("something-new") is None


def test_human_sizes():
    assert [human_size(n) for n in (0, 1023, 1024, 1536, 5 * 1024**2)] == [
        "0 B", "1023 B", "1.0 KiB", "1.5 KiB", "5.0 MiB"]
    assert human_size(None) == "unknown size"


def test_confirmation_rule():
    clean = {"label": "Z", "status": "clean", "counts": {"added": 0, "modified": 0, "deleted": 0},
             "commit_from_full": "a" * 40, "commit_to_full": "a" * 40, "one_way": False}
    assert confirmation_text("pull", clean) is None
    assert "not pulled yet is lost" in confirmation_text("push", clean)
    moved = {**clean, "commit_to_full": "b" * 40, "commit_from": "aaaaaaa", "commit_to": "bbbbbbb",
             "authors": ["bob"]}
    assert "DSS changed since the last sync (commits aaaaaaa → bbbbbbb, by bob)" in confirmation_text("pull", moved)
    unchecked = {**moved, "status": "unchecked"}
    assert confirmation_text("pull", unchecked) is None  # never decided without a fresh check
    assert confirmation_text("pull", {**moved, "one_way": True}) is None  # no pull at all


def test_newer_zone_types_have_their_names_whatever_the_spelling():
    """Code Agents, Code Agent Tools and Code Webapps (newer DSS releases): named, versioned, both ways."""
    for spellings, name in (
        (("code_agents", "codeAgents", "code-agents", "code_agents-versioned"), "Code Agents"),
        (("agent_tools", "agentTools", "AGENT_TOOLS"), "Code Agent Tools"),
        (("webapps", "webapps-versioned", "Webapps"), "Code Webapps"),
    ):
        assert {display_name(s) for s in spellings} == {name}
    assert display_name("recipes-versioned") is None  # only the newer zones tolerate the suffix


def test_the_viewer_names_the_newer_zones_and_offers_both_directions(sim, client):
    from cswidgets.sim import assumptions as sim_assumptions
    from cswidgets.sim.model.templates import ZoneSpec
    from cswidgets.widgets.conflicts import ConflictViewer

    zones = (sim_assumptions.ZONE_CODE_AGENTS, sim_assumptions.ZONE_AGENT_TOOLS, sim_assumptions.ZONE_WEBAPPS)
    tid = sim.model.add_template("Agents", zones=tuple(ZoneSpec(z) for z in zones))
    pk = sim.add_project("AGENTS1")
    sid = sim.add_studio(pk, "Agent work", "admin", tid, state="RUNNING")
    sim.write_file(pk, sid, sim_assumptions.ZONE_CODE_AGENTS, "v1/agent.py", "a\n", side="studio")
    sim.write_file(pk, sid, sim_assumptions.ZONE_CODE_AGENTS, "v1/agent.py", "b\n", side="dss", author="bob")
    viewer = ConflictViewer(client.get_project(pk).get_code_studio(sid))
    try:
        entries = {z["label"]: z for z in viewer.zones}
        assert set(entries) == {"Code Agents", "Code Agent Tools", "Code Webapps"}
        assert all(z["versioned"] and not z["one_way"] for z in entries.values())
        assert entries["Code Agents"]["status"] == "conflicts"
        assert entries["Code Agents"]["added"] == ["v1/agent.py"]  # new on both sides
        assert "zone Code Agents" in entries["Code Agents"]["confirm"]["push"]
    finally:
        viewer.close()


def test_the_view_gets_its_wording_from_python_once():
    """Directions and the irreversible-sync warning are declared in zones.py and sent in ``texts``: the
    confirmation sentences and the view use the same words."""
    from cswidgets.widgets.conflicts import ConflictViewer
    from cswidgets.widgets.conflicts.zones import DIRECTION, UNDO_NOTE, VIEWER_TEXTS, confirmation_text

    viewer = ConflictViewer(None)
    try:
        assert viewer.get_state()["texts"] == VIEWER_TEXTS
        assert VIEWER_TEXTS["direction"] == DIRECTION  # "cannot be undone" comes with each zone (confirm_restore)
    finally:
        viewer.close()
    entry = {"label": "Resources", "versioned": False, "counts": {"added": 0, "modified": 1, "deleted": 0},
             "status": "conflicts", "commit_from": "a", "commit_to": "b", "modified": ["x.py"]}
    for op in ("pull", "push"):
        text = confirmation_text(op, entry)
        assert DIRECTION[op] in text and text.count("cannot be undone") == 1, text  # said once (issue 24, 13)
    assert UNDO_NOTE in confirmation_text("pull", entry)  # a push cannot be undone whatever the zone: said its way
