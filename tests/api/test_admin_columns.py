"""studios_frame's administrator columns against the simulator: running_for on the simulator's clock, image_outdated
after a rebuild, unsynced_files counting studio-side files (issue 25)."""

from __future__ import annotations

from datetime import timedelta

import pandas as pd
import pytest

import cswidgets.api as api


def _row(df: pd.DataFrame, name: str) -> pd.Series:
    return df[df["name"] == name].iloc[0]


def _id(sim, project_key: str, name: str) -> str:
    return next(s["id"] for s in sim.model.list_studios(project_key) if s["name"] == name)


def test_running_for_is_the_simulators_clock_minus_the_last_state_change(frozen, fclient):
    df = fclient.studios_frame()
    route = _row(df, "Route optimiser")  # the demo started it 1 h before the scenario's clock
    assert route["running_for"] == timedelta(hours=1)
    frozen.advance(5 * 3600 + 30)
    later = _row(fclient.studios_frame(), "Route optimiser")
    assert later["running_for"] == timedelta(hours=6, seconds=30)  # the client's own clock did not move that far
    assert later["running_for"] == pd.Timestamp(frozen.now_ms(), unit="ms", tz="UTC") - later["last_state_change"]
    assert df.attrs["server_time_source"] == "server"
    stopped = df[df["state"] != "RUNNING"]
    assert stopped["running_for"].isna().all() and len(stopped) > 0


def test_a_rebuild_makes_the_studios_started_before_it_outdated_and_not_those_started_after(frozen, fclient):
    pk = "LOGISTICS"
    before = fclient.studios_frame(pk)
    assert not before["image_outdated"].fillna(False).any()  # every demo studio started on the current image
    assert pd.isna(_row(before, "Depot planner")["image_outdated"])  # never started: no image, unknown
    fut = fclient.get_code_studio_template("tpl_vscode").build()
    frozen.advance(60)
    fut.wait_for_result(timeout=10)
    frozen.set_state(pk, _id(frozen, pk, "Depot planner"), "RUNNING")  # started after the rebuild
    after = fclient.studios_frame(pk)
    assert bool(_row(after, "Route optimiser")["image_outdated"]) is True  # started before the rebuild
    assert bool(_row(after, "Admin tools")["image_outdated"]) is True
    assert bool(_row(after, "Depot planner")["image_outdated"]) is False
    assert _row(after, "Depot planner")["last_template_built"] > _row(after, "Route optimiser")["last_template_built"]
    jupyter = _row(after, "Ünïcode ✓ studio — «test»")  # another template, stopped: not rebuilt
    assert pd.isna(jupyter["image_outdated"]) or not jupyter["image_outdated"]


def test_a_key_that_cannot_read_templates_leaves_image_outdated_missing_without_an_error(frozen):
    with api.connect(frozen.url, frozen.keys["alice"]) as alice:
        df = alice.studios_frame()
    assert df["image_outdated"].isna().all()
    assert df.attrs["errors"] == []  # not an error of any row
    assert "403" in df.attrs["images_unknown"] or "admin" in df.attrs["images_unknown"].lower()
    assert df["running_for"].notna().any()  # the rest of the frame is there


def test_unsynced_files_count_a_file_written_on_the_studio_side(frozen, fclient):
    pk, sid = "LOGISTICS", _id(frozen, "LOGISTICS", "Admin tools")
    first = _row(fclient.studios_frame(pk, unsynced=True), "Admin tools")
    assert first["unsynced_files"] == 0
    frozen.write_file(pk, sid, "recipes", "new_recipe.py", "print('hi')\n", side="studio")
    frozen.write_file(pk, sid, "project-lib-versioned", "python/routing/extra.py", "X = 1\n", side="studio")
    df = fclient.studios_frame(pk, unsynced=True)
    row = _row(df, "Admin tools")
    assert row["unsynced_files"] == 2  # no conflict: these come from the answers' count of changes
    assert abs(row["unsynced_read_at"] - pd.Timestamp(frozen.now_ms(), unit="ms", tz="UTC")) < timedelta(seconds=2)
    assert pd.isna(_row(df, "Depot planner")["unsynced_files"])  # stopped: not read
    route = _row(df, "Route optimiser")
    assert route["unsynced_files"] == 1  # its demo conflict is a studio-side change too
    assert df.attrs["unsynced_errors"] == [] and df.attrs["unsynced_partial"] == []


def test_unsynced_is_opt_in_and_costs_one_check_per_two_way_zone_of_running_studios(frozen, fclient):
    frozen.clear_requests()
    df = fclient.studios_frame("LOGISTICS")
    assert not [r for r in frozen.requests if "/conflicts/" in r.path]
    assert [r.path for r in frozen.requests if r.path.startswith("/admin/")] == ["/admin/code-studios"]  # one
    assert df["unsynced_files"].isna().all()
    frozen.clear_requests()
    fclient.studio_rows([("LOGISTICS", df["id"][0])])  # the live table's reads: no templates, no conflicts
    assert all("/admin/" not in r.path and "/conflicts/" not in r.path for r in frozen.requests)
    frozen.clear_requests()
    fclient.studios_frame("LOGISTICS", unsynced=True)
    checked = [r.path for r in frozen.requests if "/conflicts/" in r.path]
    running = [s for s in frozen.studio_ids("LOGISTICS") if frozen.status("LOGISTICS", s)["state"] == "RUNNING"]
    two_way = sum(1 for s in running for z in frozen.status("LOGISTICS", s)["syncedZones"] if not z.get("oneWay"))
    assert len(checked) == two_way and len(set(checked)) == two_way


def test_a_conflicts_answer_without_a_count_of_changes_counts_the_conflicts_only(frozen, fclient, monkeypatch):
    """Where DSS sends no count of changes (its names are UNKNOWN), the conflicting files are a lower bound."""
    from cswidgets.sim import assumptions as sim_assumptions

    monkeypatch.setattr(sim_assumptions, "conflicts_change_counts", lambda *counts: {})
    pk, sid = "LOGISTICS", _id(frozen, "LOGISTICS", "Route optimiser")
    frozen.write_file(pk, sid, "recipes", "only_in_studio.py", "x = 1\n", side="studio")
    df = fclient.studios_frame(pk, unsynced=True)
    assert _row(df, "Route optimiser")["unsynced_files"] == 1  # the conflict; the new file cannot be seen
    assert (pk, sid) in df.attrs["unsynced_partial"]


@pytest.mark.parametrize(("entry", "count"), [
    ({"changeCounts": {"added": 1, "modified": 2, "deleted": 0}}, 3),
    ({"changes": {"added": ["a"], "modified": [], "deleted": ["b"]}}, 2),
    ({"nbChanges": 4}, 4),
    ({"added": ["a"]}, None),
    ({"changeCount": -1}, None),
    ("not a dict", None),
])
def test_the_count_of_changes_is_read_in_its_plausible_spellings(entry, count):
    assert api.assumptions.studio_change_count(entry) == count
