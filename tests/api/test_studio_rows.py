"""``client.studio_rows``: the studios_frame rows of some studios, by the same code."""

from __future__ import annotations

import pandas as pd
import pytest

from tests.support import wait_for

from .test_frames import check_dtypes


def settled(client) -> pd.DataFrame:
    """The frame once no studio is in a transition (rows of two fetches are then comparable)."""
    frames: list[pd.DataFrame] = []

    def stable() -> bool:
        frames.append(client.studios_frame())
        return set(frames[-1]["state"].astype(str)) <= {"RUNNING", "STOPPED"}

    wait_for(stable, timeout=20)
    return frames[-1]


def test_rows_equal_the_frame_rows(sim, client):
    frame = settled(client)
    pick = [(frame["project_key"][i], frame["id"][i]) for i in (len(frame) - 1, 0, 3)]
    rows = client.studio_rows(pick)
    check_dtypes(rows)
    assert list(zip(rows["project_key"], rows["id"], strict=True)) == pick  # in the order asked
    expected = frame.set_index(["project_key", "id"], drop=False).loc[pick][list(frame.columns)]
    # running_for moves with the clock between the two reads; studio_rows does not read the templates
    same = [c for c in frame.columns if c not in ("running_for", "image_outdated")]
    pd.testing.assert_frame_equal(rows[same].reset_index(drop=True), expected[same].reset_index(drop=True))
    assert rows["image_outdated"].isna().all()
    later, earlier = rows["running_for"].reset_index(drop=True), expected["running_for"].reset_index(drop=True)
    assert ((later >= earlier) | (later.isna() & earlier.isna())).all()
    assert rows.attrs["errors"] == [] and rows.attrs["fetched_at"].tzinfo is not None


def test_one_row_follows_a_state_change(sim, client):
    frame = settled(client)
    running = frame[frame["state"] == "RUNNING"].iloc[0]
    pk, sid = running["project_key"], running["id"]
    sim.set_state(pk, sid, "STOPPED")
    sim.clear_requests()
    row = client.studio_rows([(pk, sid)]).iloc[0]
    assert row["state"] == "STOPPED" and row["zones"] == [] and row["exposed"] == []
    paths = sorted(r.path for r in sim.requests)
    assert paths == sorted([f"/projects/{pk}/code-studios", f"/projects/{pk}/code-studios/{sid}/status"])


def test_deleted_studio_has_no_row_and_duplicates_collapse(sim, client):
    pk = sim.project_keys()[0]
    keep, gone = sim.studio_ids(pk)[:2]
    sim.model.delete_studio(pk, gone, "admin")
    rows = client.studio_rows([(pk, gone), (pk, keep), (pk, keep)])
    assert list(rows["id"]) == [keep]
    check_dtypes(client.studio_rows([(pk, gone)]))  # empty, same columns and dtypes


def test_failed_project_listing_gives_one_error_row_per_studio(sim, client):
    pk = sim.project_keys()[0]
    sids = sim.studio_ids(pk)[:2]
    other = sim.project_keys()[1]
    other_sid = sim.studio_ids(other)[0]
    sim.set_faults(rate=1.0, kinds=["500"], path_contains=f"/projects/{pk}/")
    rows = client.studio_rows([(pk, sids[0]), (other, other_sid), (pk, sids[1])])
    sim.clear_faults()
    assert list(rows["id"]) == [sids[0], other_sid, sids[1]]
    assert list(rows["state"].astype(str)) == ["UNKNOWN", rows["state"].astype(str)[1], "UNKNOWN"]
    assert rows["error"][0] and rows["error"][2] and rows["error"][1] is None
    assert [(e["project_key"], e["id"]) for e in rows.attrs["errors"]] == [(pk, sids[0]), (pk, sids[1])]


def test_bad_arguments_fail_before_any_request(sim, client):
    sim.clear_requests()
    for bad in (["PK/sid"], [("PK",)], [("", "x")], [("PK", None)]):
        with pytest.raises(ValueError):
            client.studio_rows(bad)
    with pytest.raises(ValueError):
        client.studio_rows([("PK", "x")], pool_size=0)
    assert sim.requests == []
    assert len(client.studio_rows([])) == 0


def test_known_rows_spare_the_project_lists(sim, client):
    """With the rows read before, only statuses are fetched: one request per studio, the same rows."""
    frame = settled(client)
    pick = [(frame["project_key"][i], frame["id"][i]) for i in (0, 3, len(frame) - 1)]
    before = len(sim.requests)
    rows = client.studio_rows(pick, known=frame)
    made = sim.requests[before:]
    assert [r.path.rsplit("/", 1)[-1] for r in made] == ["status"] * 3
    again = client.studio_rows(pick)  # a moment later: running_for has moved on with the clock
    pd.testing.assert_frame_equal(rows.drop(columns="running_for").reset_index(drop=True),
                                  again.drop(columns="running_for").reset_index(drop=True))


def test_known_rows_of_a_deleted_studio_get_the_status_error(sim, client):
    frame = settled(client)
    pk, sid = frame["project_key"][0], frame["id"][0]
    sim.model.delete_studio(pk, sid, "admin")
    rows = client.studio_rows([(pk, sid)], known=frame)
    assert len(rows) == 1 and str(rows["state"][0]) == "UNKNOWN" and rows["error"][0]
    assert rows.attrs["errors"][0]["id"] == sid and not rows.attrs["errors"][0].get("lost")


def test_an_unanswered_read_is_marked_lost(sim, client):
    frame = settled(client)
    pk, sid = frame["project_key"][0], frame["id"][0]
    sim.set_faults(rate=1.0, kinds=["reset"], path_contains=f"/{sid}/status")
    try:
        rows = client.studio_rows([(pk, sid)], known=frame)
    finally:
        sim.clear_faults()
    assert rows.attrs["errors"][0]["lost"] is True
