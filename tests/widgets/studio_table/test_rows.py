"""The pure row logic of the studio table: JSON rows, diffs, keys, summaries, static HTML."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from cswidgets.widgets.studio_table.rows import (
    diff_rows,
    failure_messages,
    frame_rows,
    keys_of,
    replace_rows,
    static_table_html,
    summarize,
    summary_text,
)


def frame(records, errors=()):
    df = pd.DataFrame(records)
    df["last_state_change"] = pd.to_datetime(df["last_state_change"], unit="ms", utc=True)
    df.attrs["errors"] = list(errors)
    return df


def record(pk="P", sid="a", **over):
    base = {"project_key": pk, "id": sid, "name": "n", "owner": "o", "template_id": "t", "template_label": "T",
            "state": "RUNNING", "last_state_change": 1_700_000_000_000, "zones": [{"id": "z1", "zone": "recipes"}],
            "exposed": ["http://h/x/8080/"], "error": None}
    return {**base, **over}


def test_frame_rows_keys_and_json_values():
    df = frame([record(), record(sid="b/with/slash", last_state_change=None, zones=[], exposed=[]),
                record(pk="Q", sid=math.nan, name=math.nan, error="403: forbidden", state="UNKNOWN")],
               errors=[{"project_key": "Q", "id": None, "error": "403: forbidden"}])
    rows, shown, failures = frame_rows(df)
    assert list(rows) == ["P/a", "P/b/with/slash"]  # the failed-project row is not a studio
    assert list(shown.index) == ["P/a", "P/b/with/slash"]
    assert rows["P/a"]["last_state_change"] == 1_700_000_000_000
    assert rows["P/a"]["zones"] == ["Code recipes"]  # the label the conflict viewer shows (#24 finding 9)
    assert rows["P/b/with/slash"]["last_state_change"] is None
    assert rows["P/b/with/slash"]["id"] == "b/with/slash"
    assert failures == [{"project_key": "Q", "id": None, "error": "403: forbidden"}]
    assert failure_messages(failures) == ["Project Q: 403: forbidden"]


def test_diff_reports_added_changed_and_removed_only():
    old = {"P/a": {"key": "P/a", "state": "RUNNING"}, "P/b": {"key": "P/b", "state": "STOPPED"},
           "P/c": {"key": "P/c", "state": "STOPPED"}}
    new = {"P/a": {"key": "P/a", "state": "STOPPED"}, "P/b": {"key": "P/b", "state": "STOPPED"},
           "P/d": {"key": "P/d", "state": "RUNNING"}}
    upsert, remove = diff_rows(old, new)
    assert [r["key"] for r in upsert] == ["P/a", "P/d"]
    assert remove == ["P/c"]
    assert diff_rows(new, new) == ([], [])


def test_keys_of_accepts_the_documented_forms():
    known = {"P/a": {}, "P/b": {}}
    df = pd.DataFrame({"project_key": ["P"], "id": ["b"]})
    assert keys_of(df, known) == ["P/b"]
    assert keys_of(pd.Series([True, False], index=["P/a", "P/b"]), known) == ["P/a"]
    assert keys_of([("P", "a"), "P/a", "P/b"], known) == ["P/a", "P/b"]
    assert keys_of(None, known) == []
    with pytest.raises(ValueError, match="'P/zz'"):
        keys_of("P/zz", known)


def test_summary_counts_and_text():
    rows = [{"state": "RUNNING"}, {"state": "RUNNING"}, {"state": "STOPPED"}]
    s = summarize(rows, [{"project_key": "Q", "id": None, "error": "x"}, {"project_key": "P", "id": "a", "error": "y"}])
    assert s == {"total": 3, "running": 2, "states": {"RUNNING": 2, "STOPPED": 1}, "failed_projects": 1, "errors": 2}
    assert summary_text(s) == "3 studios · 2 running · 1 project failed"
    assert summary_text({"total": 1, "running": 0}) == "1 studio · 0 running"


def test_static_html_is_escaped_and_truncated():
    hostile = "<script>alert(1)</script>"
    rows = [{"key": f"P/{i}", "project_key": "P", "name": hostile, "owner": "o", "template_label": None,
             "template_id": "t", "state": "RUNNING", "last_state_change": None, "zones": [hostile],
             "exposed": ["javascript:alert(1)", "https://h/x/"]} for i in range(250)]
    out = static_table_html(rows, {"total": 250, "running": 250})
    assert "<script>" not in out and "&lt;script&gt;" in out
    assert "href" not in out  # a snapshot links nowhere: the exposed ports may be gone
    assert "<code>javascript:alert(1)</code>" in out and "<code>https://h/x/</code>" in out  # shown as text
    assert out.count("<tr>") == 201  # header + 200 rows
    assert "Showing the first 200 of 250 studios." in out


def test_replace_rows_keeps_the_order_appends_new_rows_and_follows_the_errors():
    _, old, _ = frame_rows(frame([record(sid="a"), record(sid="b"), record(sid="c")],
                                 errors=[{"project_key": "P", "id": "b", "error": "boom"},
                                         {"project_key": "Q", "id": None, "error": "project down"}]))
    _, fresh, _ = frame_rows(frame([record(sid="b", state="STOPPED"), record(sid="d")]))
    out = replace_rows(old, fresh, remove=["P/a"])
    assert list(out.index) == ["P/b", "P/c", "P/d"]
    assert out.loc["P/b", "state"] == "STOPPED" and out.loc["P/c", "state"] == "RUNNING"
    assert out.attrs["errors"] == [{"project_key": "Q", "id": None, "error": "project down"}]  # b was read again
    assert list(out.columns) == list(old.columns)
    assert replace_rows(old, fresh.iloc[0:0]).equals(old)


def test_zones_are_named_as_the_conflict_viewer_names_them():
    """#24 finding 9: the Zones column shows "Project libraries", not "project-lib-versioned", from the one
    declaration of the labels (``zone_label``); a type without a label stays as it is."""
    from cswidgets.api.assumptions import zone_label
    from cswidgets.widgets.conflicts.zones import display_name

    zones = [{"id": "z1", "zone": "project-lib-versioned"}, {"id": "z2", "zone": "code_studio-resources"},
             {"id": "z3", "zone": "some-new-zone"}, "Project libraries"]
    rows, _, _ = frame_rows(frame([record(zones=zones)]))
    assert rows["P/a"]["zones"] == ["Project libraries", "Code Studio resource files", "some-new-zone",
                                    "Project libraries"]
    assert rows["P/a"]["zones"][0] == zone_label("project-lib-versioned") == display_name("project-lib-versioned")
