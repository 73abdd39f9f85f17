"""Hostile identifiers (``/ ? # % + space``, unicode) reach the simulator intact, as one segment."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import cswidgets.api as api

HOSTILE = ["a/b", "what?x=1", "hash#tag", "100%", "%41", "a+b", "with space", "ünïcødé-键", "a/../b", "&k=v;"]


@pytest.mark.parametrize("key", HOSTILE)
def test_hostile_project_key_round_trip(sim, client, key):
    sim.add_project(key)
    sid = sim.add_studio(key, f"studio in {key}", "admin", sim.template_ids()[0], state="STOPPED")
    sim.clear_requests()
    assert key in client.list_project_keys()
    items = client.get_project(key).list_code_studios()
    assert [i.id for i in items] == [sid]
    studio = items[0].to_code_studio()
    assert studio.get_settings().id == sid
    assert studio.get_status().state == "STOPPED"
    assert [r.path for r in sim.requests][-3:] == [
        f"/projects/{key}/code-studios",
        f"/projects/{key}/code-studios/{sid}",
        f"/projects/{key}/code-studios/{sid}/status",
    ]
    df = client.studios_frame([key])
    assert df["project_key"].tolist() == [key]
    assert df["error"].tolist() == [None]


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_zone_and_owner_reach_the_server_intact(sim, client, value):
    pk = sim.project_keys()[0]
    sid = sim.add_studio(pk, "zone target", "admin", sim.template_ids()[0], state="RUNNING")
    studio = client.get_project(pk).get_code_studio(sid)
    sim.clear_requests()
    conflicts = studio.check_conflicts(value)
    assert conflicts.is_error
    assert sim.requests[-1].path == f"/projects/{pk}/code-studios/{sid}/conflicts/{value}"
    with pytest.raises(api.DSSError) as info:
        studio.change_owner(value)
    assert info.value.status == 404
    assert sim.requests[-1].query == {"newOwner": value}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=30).filter(
        lambda s: s.strip() and s not in (".", "..")
    )
)
def test_any_printable_id_is_one_segment(sim, client, value):
    sim.clear_requests()
    with pytest.raises(api.DSSError):
        client.get_project("NOPE").get_code_studio(value).get_settings()
    assert sim.requests[-1].path == f"/projects/NOPE/code-studios/{value}"
