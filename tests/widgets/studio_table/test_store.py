"""The studio table's rows store on its own (no widget, no network): versions, patches, the selection's
pruning and a listing that does not undo a status read."""

from __future__ import annotations

import pandas as pd

from cswidgets.api.frames import STUDIO_COLUMNS
from cswidgets.widgets.studio_table.store import RowStore

from .test_rows import frame, record


class View:
    """What the store is handed: it records what the table would show."""

    def __init__(self) -> None:
        self.sent: list[dict] = []
        self.selection: list[str] = []
        self.summaries: list[dict] = []

    def store(self) -> RowStore:
        return RowStore(STUDIO_COLUMNS, send=self.sent.append, get_selection=lambda: self.selection,
                        set_selection=self._select, set_summary=self.summaries.append)

    def _select(self, keys: list[str]) -> None:
        self.selection = keys


def test_a_first_read_is_a_reset_and_the_next_ones_patches_on_top_of_it():
    view = View()
    store = view.store()
    assert not store.loaded and store.seq == 0 and store.snapshot() == {"seq": 0, "rows": []}
    store.replace_all(frame([record(sid="a"), record(sid="b")]))
    assert [m["op"] for m in view.sent] == ["reset"] and view.sent[0]["seq"] == 1 and store.loaded
    assert store.replace_all(frame([record(sid="a"), record(sid="b")]))[2:] == (0, 0)
    assert len(view.sent) == 1  # nothing changed: nothing sent
    _, _, upserted, removed = store.replace_all(frame([record(sid="a", state="STOPPED"), record(sid="c")]))
    assert (upserted, removed) == (2, 1)
    patch = view.sent[-1]
    assert patch["op"] == "patch" and (patch["base"], patch["seq"]) == (1, 2) and patch["remove"] == ["P/b"]
    assert view.summaries[-1]["total"] == 2 and view.summaries[-1]["running"] == 1
    assert list(store.frame().index) == ["P/a", "P/c"]


def test_removed_rows_leave_the_selection():
    view = View()
    store = view.store()
    store.replace_all(frame([record(sid="a"), record(sid="b")]))
    store.select(["P/a", "P/b"])
    assert store.merge(None, ["P/b", "P/zzz"]) == ["P/b"]  # a key not shown is ignored
    assert view.selection == ["P/a"]
    assert list(store.selected_frame().index) == ["P/a"]
    assert store.change_selection(lambda current, rows: [*current, "P/a"]) == ["P/a", "P/a"]


def test_a_listing_renames_without_undoing_the_status_read_and_names_the_new_and_gone():
    view = View()
    store = view.store()
    store.replace_all(frame([record(sid="a", state="RUNNING"), record(sid="b"), record(pk="Q", sid="q")]))
    listing = frame([record(sid="a", name="renamed", state="UNKNOWN"), record(sid="new", state="UNKNOWN")])
    known, gone, new = store.merge_listing("P", listing, ("name", "owner", "template_id", "template_label"))
    assert (known, gone, list(new)) == (["P/a"], ["P/b"], ["P/new"])
    row = store.get("P/a")
    assert row is not None and row["name"] == "renamed" and row["state"] == "RUNNING"
    assert store.get("Q/q") is not None and store.get("P/new") is None  # new rows wait for their status
    assert isinstance(store.frame(["P/a"]), pd.DataFrame)
