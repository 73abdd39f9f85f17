"""After an action, a row is rebuilt by ``client.studio_rows`` (the frame's own code), not by the table."""

from __future__ import annotations

import pandas as pd

from tests.support import ask, wait_for

from .conftest import running_key, stopped_key


def spy_studio_rows(table):
    calls = []
    real = table.client.studio_rows

    def spy(studios, **kwargs):
        studios = list(studios)
        calls.append(studios)
        return real(studios, **kwargs)

    table.client.studio_rows = spy
    return calls


def test_row_after_an_action_is_the_frame_row(table, sim):
    key = stopped_key(table)
    pk, sid = key.split("/", 1)
    calls = spy_studio_rows(table)
    before = table.df.dtypes.copy()
    order = list(table.df.index)
    ask(table, "start", row=key)
    wait_for(lambda: not table.in_flight, what="start to finish")
    assert [(pk, sid)] in calls  # its own re-read (the live pass may re-read other rows meanwhile)
    expected = table.client.studio_rows([(pk, sid)]).iloc[0]
    row = table.df.loc[key]
    assert row["state"] == "RUNNING" == expected["state"]
    assert row["zones"] == expected["zones"] and row["zones"]  # dicts id/zone/pathInContainer/oneWay
    assert row["exposed"] == expected["exposed"]
    assert row["last_state_change"] == expected["last_state_change"]
    pd.testing.assert_series_equal(table.df.dtypes, before)  # the table's frame keeps the frame dtypes
    assert list(table.df.index) == order  # the row stays in place
    sent = [r for m in table.send.rows() for r in m["upsert"] if r["key"] == key]
    assert sent[-1]["state"] == "RUNNING"
    assert sent[-1]["zones"] == list(expected["zones"])  # their labels ("Project libraries"), as the frame's


def test_row_of_a_renamed_studio_shows_the_new_name(table, sim):
    key = running_key(table)
    pk, sid = key.split("/", 1)
    with sim.model.lock:
        sim.model.studio(pk, sid).name = "Renamed meanwhile"
    ask(table, "stop", row=key)
    wait_for(lambda: not table.in_flight, what="stop to finish")
    assert table.df.loc[key, "name"] == "Renamed meanwhile"
    assert table.df.loc[key, "state"] == "STOPPED"


def test_studio_deleted_during_an_action_leaves_the_table(table, sim):
    key = running_key(table)
    pk, sid = key.split("/", 1)
    table.selected = [key]
    sim.speed = 2  # the stop takes a while
    ask(table, "stop", row=key)
    sim.model.delete_studio(pk, sid, "admin")
    sim.speed = 100
    wait_for(lambda: not table.in_flight, timeout=20, what="stop to end")
    wait_for(lambda: key not in table.df.index, what="row removed")
    assert key not in table.selection
    assert any(key in m["remove"] for m in table.send.rows())
    assert table.summary["total"] == len(table.df)


def test_unreadable_row_is_alerted_and_kept(table, sim):
    key = stopped_key(table)
    sid = key.split("/", 1)[1]
    row_before = table.df.loc[key].copy()
    sim.set_faults(rate=1.0, kinds=["500"], methods=["GET"], path_contains=f"/{sid}/status")
    table.reread([key])
    sim.clear_faults()
    assert any("Could not read the status" in a["message"] for a in table.alerts)
    pd.testing.assert_series_equal(table.df.loc[key], row_before)
