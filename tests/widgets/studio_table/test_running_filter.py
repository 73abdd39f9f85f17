"""The Running filter and the named views "running > 4 h" and "my running studios" (#24, "Views that survive").

``filter_running_min`` (seconds) is one of the table's view traits: checked (negative or not finite: a clear
``ValueError``), remembered across re-runs, saved in named views, and views saved before it existed still load
(it is off then). The rows carry ``running_since`` (the view compares it with its clock); the Running column
declares the filter and its choices once, for the view."""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
import textwrap

import pytest

from cswidgets.widgets.shared.views import LAST, views_path
from cswidgets.widgets.studio_table import StudioTable
from cswidgets.widgets.studio_table.columns import RUNNING_CHOICES, Column

from ..conftest import KEY

FOUR_HOURS = 4 * 3600


def test_the_running_column_declares_its_filter_once(make_table):
    table = make_table(live=False)
    spec = next(c for c in table.config["columns"] if c["id"] == "running_for")
    assert spec["filter"] == "filter_running_min" and spec["filter_by"] == "running_since"
    assert spec["since"] == "running_since"  # its text runs from the same time (it ticks)
    assert [(c["value"], c["label"]) for c in spec["older_than"]] == [(float(v), label) for v, label in RUNNING_CHOICES]
    assert [c["label"] for c in spec["older_than"]] == ["any", "> 1 h", "> 4 h", "> 1 day", "> 1 week"]
    assert all(c["older_than"] is None for c in table.config["columns"] if c["id"] != "running_for")


def test_a_time_filter_or_a_ticking_duration_that_cannot_work_is_refused():
    with pytest.raises(ValueError, match="older_than needs its filter trait"):
        Column("r", "R", "duration", ("running_for_s",), older_than=RUNNING_CHOICES)
    with pytest.raises(ValueError, match="choices start at 0"):
        Column("r", "R", "duration", ("running_for_s",), filter="filter_r", filter_by="running_since",
               older_than=((3600, "> 1 h"), (0, "any")))
    with pytest.raises(ValueError, match="since= is for a duration column"):
        Column("n", "N", "text", ("name",), since="running_since")
    running = Column("r", "R", "duration", ("running_for_s",), since="running_since").spec()
    assert running["since"] == "running_since" and running["older_than"] is None


def test_rows_carry_the_time_they_run_since(make_table):
    table = make_table(live=False)
    rows = list(table.store.rows.values())
    assert any(r["state"] == "RUNNING" for r in rows) and any(r["state"] != "RUNNING" for r in rows)
    for row in rows:
        expected = row["last_state_change"] if row["state"] == "RUNNING" else None
        assert row["running_since"] == expected, row


@pytest.mark.parametrize("bad", [-1, -0.5, math.nan, math.inf])
def test_a_negative_or_not_finite_threshold_is_a_clear_error(make_table, bad):
    table = make_table(live=False)
    table.filter_running_min = 3600
    with pytest.raises(ValueError, match="filter_running_min is a number of seconds, finite and not negative"):
        table.filter_running_min = bad
    assert table.filter_running_min == 3600
    with pytest.raises(ValueError, match="filter_running_min is a number of seconds"):
        table.view = {"filters": {"filter_running_min": bad}}
    with pytest.raises(TypeError, match="filter_running_min is a number of seconds"):
        table.view = {"filters": {"filter_running_min": ["14400"]}}
    with pytest.raises(TypeError, match="filter_running_min is a number of seconds"):
        table.view = {"filters": {"filter_running_min": True}}
    assert table.filter_running_min == 3600
    with pytest.raises(ValueError, match="filter_running_min"):
        StudioTable(table.client, live=False, filter_running_min=-60)


def test_the_threshold_is_part_of_the_view_and_survives_a_rerun(make_table):
    table = make_table(live=False)
    table.filter_running_min = FOUR_HOURS  # an int is taken (seconds)
    assert table.filter_running_min == 14400.0
    assert table.view["filters"]["filter_running_min"] == 14400.0
    again = make_table(live=False)  # the cell run again
    assert again.filter_running_min == 14400.0
    assert make_table(live=False, filter_running_min=60).filter_running_min == 60.0  # given wins


def test_running_over_4_hours_as_a_named_view(make_table):
    table = make_table(live=False)
    table.filter_running_min = FOUR_HOURS
    saved = table.save_view("running > 4 h")
    assert saved["filters"]["filter_running_min"] == 14400.0
    on_disk = json.loads(views_path().read_text())["views"]["studios"]["running > 4 h"]
    assert on_disk["filters"]["filter_running_min"] == 14400.0
    table.filter_running_min = 0
    assert table.apply_view("running > 4 h")["filters"]["filter_running_min"] == 14400.0
    assert table.filter_running_min == 14400.0
    assert table.views()["running > 4 h"] == saved


def test_a_views_file_written_before_the_filter_still_loads(make_table):
    old = {"sort": {"column": "name", "descending": False}, "filter_text": "",
           "filters": {"filter_states": ["RUNNING"], "filter_owners": [], "filter_projects": [],
                       "filter_templates": []},
           "group_by": "", "hidden": []}
    views_path().parent.mkdir(parents=True, exist_ok=True)
    views_path().write_text(json.dumps({"version": 1, "views": {"studios": {"running (old)": old}}}))
    table = make_table(live=False)
    table.filter_running_min = 86400
    assert table.views() == {"running (old)": {**old, "filters": old["filters"]}}
    table.apply_view("running (old)")
    assert table.filter_states == ["RUNNING"]
    assert table.filter_running_min == 0.0  # a filter the view does not name shows every row
    # the toolbar lists it too (the browser applies it)
    table.filter_running_min = 3600
    assert table._on_views()["views"]["running (old)"]["filters"] == old["filters"]


def test_my_running_studios_holds_the_login(make_table, client):
    me = client.login
    assert me
    table = make_table(live=False)
    table.view = {"filters": {"filter_states": ["RUNNING"], "filter_owners": [me]}}
    table.save_view("my running studios")
    stored = json.loads(views_path().read_text())["views"]["studios"]["my running studios"]
    assert stored["filters"]["filter_owners"] == [me]  # the login itself, not a symbol (see save_view's docstring)
    assert stored["filters"]["filter_running_min"] == 0.0


def test_named_views_survive_a_kernel_restart(make_table, client, sim):
    """Saved in this process, applied in a new Python process (a restarted kernel: nothing kept in memory)."""
    me = client.login
    table = make_table(live=False)
    table.view = {"filters": {"filter_states": ["RUNNING"], "filter_owners": [me]}}
    table.save_view("my running studios")
    table.view = {"filters": {"filter_running_min": FOUR_HOURS}}
    table.save_view("running > 4 h")
    LAST.forget()
    code = textwrap.dedent(f"""
        import json, cswidgets
        client = cswidgets.connect(url={sim.url!r}, api_key={KEY!r})
        table = cswidgets.StudioTable(client, live=False)
        out = {{"fresh": table.view["filters"]}}
        for name in ("running > 4 h", "my running studios"):
            table.apply_view(name)
            out[name] = [table.filter_running_min, table.filter_states, table.filter_owners]
        table.close()
        print(json.dumps(out))
    """)
    env = {**os.environ, "CSWIDGETS_CONFIG_DIR": str(views_path().parent)}
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout.strip().splitlines()[-1])
    assert out["fresh"]["filter_running_min"] == 0.0  # a new kernel remembers nothing
    assert out["running > 4 h"] == [14400.0, [], []]
    assert out["my running studios"] == [0.0, ["RUNNING"], [me]]
