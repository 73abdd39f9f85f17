"""The rows of a :class:`~cswidgets.widgets.studio_table.StudioTable`: what the table shows, and the one
place that changes it.

:class:`RowStore` holds the rows (``{key: StudioRow}``, what the views get), the same rows as a DataFrame
(``table.df``), their version ``seq`` and whether a first read succeeded. Every change goes through it:
it diffs, sends the views one ``rows`` message per change (``reset`` or ``patch``, numbered, see
:mod:`~cswidgets.widgets.studio_table.panel`), prunes the selection of removed rows and recomputes the
summary, through the callables it is given (it knows no widget).

Locks of the studio table (the whole story, in one place)
----------------------------------------------------------
- ``RowStore``'s lock (an ``RLock``, private to this module): rows, frame, ``seq`` and the selection
  change together under it, so row versions go out in order and a selection never names a removed row.
  It is held only inside the store's methods, never while DSS is asked anything. Readers that only need
  a consistent picture take :attr:`RowStore.rows` (a dict that is replaced, never changed in place).
- The live refresher's lock (:class:`~cswidgets.widgets.studio_table.refresher.LiveRefresher`): its
  schedule, the views it heard from, the rows it could not read and whether the connection is lost. Held
  only inside its own methods; the "connection lost" alert is added under it (the panel's alert lock is
  innermost: it calls nothing), so a failed refresh that said it first is not replaced.
- The table's refresh lock: one full ``refresh()`` at a time (it is held across ``studios_frame``).

No code holds two of them at once, except ``refresh()``, which holds its own while it calls the store and
then the refresher (each taking its lock in turn): so no lock order can deadlock. Flights
(:class:`~cswidgets.widgets.studio_table.actions.Flights`) and the activity log have their own inner locks
and call nothing back while they hold them, except the ``in_flight`` trait's setter.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable
from typing import Any

import pandas as pd

from .rows import StudioRow, carry_over, diff_rows, frame_rows, keys_of, replace_rows, summarize

log = logging.getLogger(__name__)

__all__ = ["RowStore"]


class RowStore:
    """The rows shown (see the module's docstring for the locks).

    ``columns``: the DataFrame's columns (``studios_frame``'s); ``send(message)``: sends a ``rows`` message
    to the views; ``get_selection()`` / ``set_selection(keys)``: the table's ``selection`` trait (written
    under the store's lock only); ``set_summary(summary)``: the counts above the table.
    """

    def __init__(self, columns: Iterable[str], *, send: Callable[[dict[str, Any]], None],
                 get_selection: Callable[[], list[str]], set_selection: Callable[[list[str]], None],
                 set_summary: Callable[[dict[str, Any]], None]) -> None:
        self._lock = threading.RLock()
        self._rows: dict[str, StudioRow] = {}
        self._frame = pd.DataFrame(columns=list(columns), index=pd.Index([], name="key", dtype=object))
        self._seq = 0
        self._loaded = False
        self._template_builds: dict[str, Any] = {}  # {template id: lastBuilt ms}, from the last full read
        self._send = send
        self._get_selection = get_selection
        self._set_selection = set_selection
        self._set_summary = set_summary

    # -- reading --------------------------------------------------------------------------------
    @property
    def rows(self) -> dict[str, StudioRow]:
        """The rows now (``{key: row}``; replaced at every change, never changed in place: do not change it)."""
        return self._rows

    @property
    def seq(self) -> int:
        """The version of the rows the views were last sent."""
        return self._seq

    @property
    def loaded(self) -> bool:
        """Whether a first full read succeeded."""
        return self._loaded

    def frame(self, keys: Iterable[str] | None = None) -> pd.DataFrame:
        """A copy of the rows as a DataFrame (those of ``keys`` only, in that order, when given)."""
        with self._lock:
            return (self._frame if keys is None else self._frame.loc[list(keys)]).copy()

    def get(self, key: Any) -> StudioRow | None:
        """The row of ``key`` (``None``: no such row, or not a str)."""
        return self._rows.get(key) if isinstance(key, str) else None

    def snapshot(self) -> dict[str, Any]:
        """``{seq, rows}``: what a view asks for when it renders or missed a version."""
        with self._lock:
            return {"seq": self._seq, "rows": list(self._rows.values())}

    def addresses(self, keys: Iterable[str]) -> tuple[list[str], list[tuple[Any, Any]], pd.DataFrame]:
        """The ``keys`` still shown, their ``(project_key, id)`` and their rows as a DataFrame (one
        consistent picture, to re-read them)."""
        with self._lock:
            kept = [k for k in keys if k in self._rows]
            pairs = [(self._rows[k]["project_key"], self._rows[k]["id"]) for k in kept]
            return kept, pairs, self._frame.loc[kept]

    # -- changing -------------------------------------------------------------------------------
    def replace_all(self, df: pd.DataFrame) -> tuple[dict[str, StudioRow], list[dict[str, Any]], int, int]:
        """Show exactly the studios of a full ``studios_frame`` read: the first one is sent as a ``reset``,
        later ones as a ``patch`` of what changed. Returns ``(rows, failures, upserted, removed)``."""
        with self._lock:
            if "template_builds" in df.attrs:
                self._template_builds = dict(df.attrs["template_builds"] or {})
            df = carry_over(df, self._frame)  # what this read did not read (conflicts: opt-in) stays as read
        rows, frame, failures = frame_rows(df, self._template_builds)
        with self._lock:
            upsert, remove = diff_rows(self._rows, rows)
            first = not self._loaded
            self._rows, self._frame, self._loaded = rows, frame, True
            if first or upsert or remove:
                self._send_locked("reset" if first else "patch", list(rows.values()) if first else upsert, remove)
            self._prune_selection(remove)
        self._set_summary(summarize(rows.values(), failures))
        return rows, failures, len(upsert), len(remove)

    def merge(self, df: pd.DataFrame | None, remove: Iterable[str] = ()) -> list[str]:
        """Show fresh rows (a ``studios_frame``-shaped ``df``) and drop the ``remove`` keys: the changed rows
        go to the views as one patch, the summary follows. Returns the keys removed. What ``df`` leaves empty
        (``studio_rows`` reads no templates and no conflicts) is carried over while it holds
        (:func:`~.rows.carry_over`)."""
        with self._lock:
            if df is not None:
                df = carry_over(df, self._frame)
            fresh, fresh_frame, _ = frame_rows(df, self._template_builds) if df is not None else ({}, None, [])
            return self._merge_locked(fresh, fresh_frame, remove)

    def merge_listing(self, project_key: str, listing: pd.DataFrame,
                      columns: Iterable[str]) -> tuple[list[str], list[str], dict[str, StudioRow]]:
        """A project's fresh listing (no statuses): its studios' ``columns`` (names, owners...) shown as
        listed, the statuses kept as read, its studios no longer listed dropped -- in one hold of the lock,
        so a status read meanwhile is not undone. Returns ``(known, gone, new)``: the keys listed that were
        shown, those dropped, and the new rows (not shown yet: their statuses are to be read)."""
        fresh, fresh_frame, _ = frame_rows(listing)
        with self._lock:
            mine = [k for k, r in self._rows.items() if r.get("project_key") == project_key]
            known = [k for k in fresh if k in self._rows]
            renamed = self._frame.loc[known].copy()
            for column in columns:
                renamed[column] = fresh_frame.loc[known, column].to_numpy()
            gone = [k for k in mine if k not in fresh]
            kept, kept_frame, _ = (frame_rows(renamed.reset_index(drop=True), self._template_builds) if known
                                   else ({}, None, []))
            self._merge_locked(kept, kept_frame, gone)
        return known, gone, {k: r for k, r in fresh.items() if k not in known}

    def select(self, value: Any) -> None:
        """Set the selection to the rows ``value`` names (see :func:`~.rows.keys_of`; ``ValueError`` for a
        key not shown)."""
        with self._lock:
            self._set_selection(keys_of(value, self._rows))

    def change_selection(self, change: Callable[[list[str], dict[str, StudioRow]], list[str]]) -> list[str]:
        """Apply ``change(selection, rows)`` to the selection (under the lock: rows cannot go meanwhile)."""
        with self._lock:
            selection = change(list(self._get_selection()), self._rows)
            self._set_selection(selection)
            return selection

    def selected_frame(self) -> pd.DataFrame:
        """The selected rows as a DataFrame."""
        with self._lock:
            return self._frame.loc[[k for k in self._get_selection() if k in self._rows]].copy()

    # -- inside the lock ------------------------------------------------------------------------
    def _merge_locked(self, fresh: dict[str, StudioRow], fresh_frame: pd.DataFrame | None,
                      remove: Iterable[str]) -> list[str]:
        remove = [k for k in dict.fromkeys(remove) if k in self._rows]
        changed = {k: r for k, r in fresh.items() if self._rows.get(k) != r}
        if not changed and not remove:
            return []
        assert fresh_frame is not None or not changed
        frame = replace_rows(self._frame, fresh_frame.loc[list(changed)] if changed and fresh_frame is not None
                             else self._frame.iloc[0:0], remove)
        gone = set(remove)
        rows = {k: v for k, v in self._rows.items() if k not in gone} if remove else dict(self._rows)
        rows.update(changed)
        self._rows, self._frame = rows, frame
        self._send_locked("patch", list(changed.values()), remove)
        self._prune_selection(remove)
        self._set_summary(summarize(rows.values(), frame.attrs.get("errors", [])))
        return remove

    def _prune_selection(self, removed: list[str]) -> None:
        if removed:
            gone = set(removed)
            self._set_selection([k for k in self._get_selection() if k not in gone])

    def _send_locked(self, op: str, upsert: list[Any], remove: list[str]) -> None:
        base, self._seq = self._seq, self._seq + 1
        try:
            self._send({"kind": "rows", "op": op, "seq": self._seq, "base": base, "upsert": upsert, "remove": remove})
        except Exception:  # no front end / comm closed: a view asks for a snapshot when it renders
            log.debug("could not send rows", exc_info=True)
