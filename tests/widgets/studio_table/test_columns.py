"""The studio table's columns and rules, declared once in Python and sent to the view (``config``)."""

from __future__ import annotations

import pytest

from cswidgets.api.assumptions import ACTIVE_STUDIO_STATES
from cswidgets.widgets.studio_table import columns as columns_module
from cswidgets.widgets.studio_table.columns import COLUMNS, Column, column_specs
from cswidgets.widgets.studio_table.config import BATCH, batch_skip, table_config
from cswidgets.widgets.studio_table.rows import static_table_html


def test_the_view_is_sent_the_declared_columns_and_rules(table):
    sent = table.get_state()["config"]
    assert [c["id"] for c in sent["columns"]] == [c.id for c in COLUMNS]
    assert sent == table_config()
    assert sent["active_states"] == list(ACTIVE_STUDIO_STATES)
    assert [b["op"] for b in sent["batch"]] == ["start", "restart", "stop"]
    kinds = {c["id"]: c["kind"] for c in sent["columns"]}
    assert kinds == {"select": "select", "project": "text", "name": "text", "owner": "text", "template": "text",
                     "state": "state", "last_change": "time", "running_for": "duration", "image": "flag",
                     "unsynced": "count", "zones": "list", "exposed": "links", "actions": "actions"}


def test_config_is_written_by_python_only(table):
    with pytest.raises(Exception, match="read-only"):
        table.config = {}


def test_a_column_declared_at_run_time_reaches_a_new_table_and_its_static_html(make_table, monkeypatch):
    extra = Column("studio_id", "Studio id", "text", ("id",))
    monkeypatch.setattr(columns_module, "COLUMNS", (*COLUMNS[:-1], extra, COLUMNS[-1]))
    table = make_table()
    specs = table.config["columns"]
    assert [c["id"] for c in specs][-2:] == ["studio_id", "actions"]
    assert specs[-2] == {"id": "studio_id", "label": "Studio id", "kind": "text", "fields": ["id"], "title": None,
                         "sort": "studio_id", "hideable": True, "search": False, "filter": None, "filter_by": None,
                         "width": {"max": 200, "give": 9}, "badge": None, "at": None, "shown": True,
                         "older_than": None, "since": None}
    some_id = str(table.df["id"].iloc[0])
    html = table._repr_mimebundle_()[0]["text/html"]
    assert "<th scope='col'>Studio id</th>" in html and f"<td>{some_id}</td>" in html


@pytest.mark.parametrize(
    ("declare", "message"),
    [
        (lambda: Column("x", "X", "sparkline", ("id",)), "kind must be one of"),  # type: ignore[arg-type]
        (lambda: Column("x", "X", "text"), "needs the row field"),
        (lambda: Column("", "X", "text", ("id",)), "needs an id"),
        (lambda: Column("x", "X", "flag", ("image_outdated",)), "needs the badge text"),
        (lambda: Column("x", "X", "count", ("unsynced_files",)), "needs the field of the time"),
        (lambda: column_specs([Column("x", "X", "text", ("id",)), Column("x", "Y", "list", ("zones",))]),
         "declared twice: x"),
    ],
)
def test_a_bad_declaration_fails_at_once_with_its_reason(declare, message):
    with pytest.raises(ValueError, match=message):
        declare()


def test_static_cells_follow_each_kind():
    row = {"key": "P/a", "project_key": "P", "id": "a", "name": None, "owner": "o", "template_id": "t",
           "template_label": None, "state": "RUNNING", "last_state_change": 0, "zones": ["z1", "z2"],
           "exposed": ["http://h/x/8080/"], "error": None}
    html = static_table_html([row], {"total": 1, "running": 1})
    for cell in ("<td>P</td>", "<td>a</td>", "<td>t</td>", "<td>RUNNING</td>", "<td>1970-01-01 00:00:00 UTC</td>",
                 "<td>z1, z2</td>"):
        assert cell in html  # name falls back to the id, the template label to its id
    assert "http://h/x/8080/" in html


@pytest.mark.parametrize(
    ("op", "state", "reason"),
    [
        ("start", "STOPPED", None), ("start", "RUNNING", "already running (RUNNING)"),
        ("start", "STARTING", "already running (STARTING)"), ("start", "STOPPING", "still stopping (STOPPING)"),
        ("start", "UNKNOWN", None),
        ("restart", "RUNNING", None), ("restart", "STARTING", None), ("restart", "STOPPED", "not running (STOPPED)"),
        ("restart", "STOPPING", "still stopping (STOPPING)"),
        ("stop", "RUNNING", None), ("stop", "STOPPED", "not running (STOPPED)"),
        ("stop", "STOPPING", "still stopping (STOPPING)"),
    ],
)
def test_batch_eligibility_is_one_rule(op, state, reason):
    assert batch_skip(op, state) == reason


def test_an_unknown_batch_op_is_refused_by_name():
    with pytest.raises(ValueError, match=r"Unknown batch action 'delete' \(expected 'start', 'restart' or 'stop'\)"):
        batch_skip("delete", "RUNNING")
    assert [rule["label"] for rule in BATCH] == ["Start", "Restart", "Stop"]
