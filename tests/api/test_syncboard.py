"""The connection's SyncBoard: one claim per zone, released only by its owner; studio-change listeners
all told, a failing one included."""

from __future__ import annotations

from cswidgets.api import connect
from cswidgets.api.syncboard import SyncBoard


def test_a_zone_has_one_claim_at_a_time_released_by_its_owner_only():
    board, a, b = SyncBoard(), object(), object()
    zone = ("P", "s1", "recipes|/x")
    assert board.claim(zone, "pull", a) is None
    assert board.claim(zone, "push", b) == ("pull", a)
    board.release(zone, b)  # not b's: no effect
    assert board.holder(zone) == ("pull", a)
    assert board.claim(("P", "s1", "other"), "push", b) is None  # another zone is free
    board.release(zone, a)
    assert board.holder(zone) is None and board.claim(zone, "push", b) is None


def test_every_listener_is_told_even_after_one_fails_and_unsubscribing_stops_it():
    board, seen = SyncBoard(), []

    def broken(*_args):
        raise RuntimeError("boom")

    board.subscribe(broken)
    stop = board.subscribe(lambda pk, sid: seen.append((pk, sid)))
    board.studio_changed("P", "s1")
    stop()
    board.studio_changed("P", "s2")
    assert seen == [("P", "s1")]


def test_one_board_per_connection():
    first, second = connect("http://127.0.0.1:9", "k"), connect("http://127.0.0.1:9", "k")
    try:
        assert first.sync_board is first.sync_board
        assert first.sync_board is not second.sync_board
    finally:
        first.close()
        second.close()


def test_state_listeners_hear_what_a_panel_read_and_a_broken_one_stops_no_other():
    board = SyncBoard()
    heard = []

    def broken(_states):
        raise RuntimeError("boom")

    stop_broken = board.subscribe_states(broken)
    stop = board.subscribe_states(heard.append)
    board.states_seen({("P", "a"): "RUNNING", ("P", "gone"): None})
    assert heard == [{("P", "a"): "RUNNING", ("P", "gone"): None}]
    stop()
    stop_broken()
    board.states_seen({("P", "a"): "STOPPED"})
    assert len(heard) == 1
