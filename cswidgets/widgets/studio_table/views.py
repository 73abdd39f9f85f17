"""The studio table's views: what survives a re-run of the cell, and the named views.

A table's view (:class:`~cswidgets.widgets.shared.views.TableView`) is read from and written to its
view traits (``sort``, ``filter_text``, the filter traits its columns declare, ``group_by`` and the
``hidden`` part of ``columns``); column widths stay with the table. :class:`TableViews` is the table's
part that keeps them: every change of a view trait is remembered in the kernel
(:data:`~cswidgets.widgets.shared.views.LAST`, kind ``"studios"`` per DSS; ``"studios:P1,P2"`` for a table of
some projects), and a new table of the same DSS and projects starts from it -- except for the view traits given
to it as arguments, which win. Named views are shared by every studio table (kind ``"studios"``).

A view names its filters' values as they are: "my running studios" (State RUNNING, Owner the connected user) holds
the user's login itself (``{"filter_owners": ["alice"]}``), not a symbol resolved when it is applied -- on another
DSS where the user has another login it shows nobody's studios. A time filter holds seconds (``{"filter_running_min":
14400}``: running > 4 h), checked against the view's clock when shown. A view saved before a filter existed leaves
it off when applied.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..shared.views import LAST, NamedViews, TableView, check_view
from .config import TableConfig

__all__ = ["KIND", "TableViews", "view_traits"]

KIND = "studios"


def view_traits(config: TableConfig) -> tuple[str, ...]:
    """The traits a view is made of (the filter traits are those the columns declare)."""
    filters = tuple(c["filter"] for c in config["columns"] if c["filter"])
    return ("sort", "filter_text", *filters, "group_by", "columns")


class TableViews:
    """A table's views (see the module docstring). ``panel``: the table (its traits are read and written)."""

    def __init__(self, panel: Any, client: Any, config: TableConfig, named: NamedViews | None = None,
                 project_keys: list[str] | None = None) -> None:
        self._panel = panel
        self._client = client
        # tables of some projects remember their own view (``StudioTable(client, ["P"])`` run again)
        self._kind = KIND if project_keys is None else f"{KIND}:{','.join(sorted(project_keys))}"
        columns = config["columns"]
        self._sortable = [c["sort"] for c in columns if c["sort"]]
        self._filters = [c["filter"] for c in columns if c["filter"]]
        self._seconds = [c["filter"] for c in columns if c["filter"] and c.get("older_than")]
        self._hideable = [c["id"] for c in columns if c["hideable"]]
        self.traits = view_traits(config)
        self.named = named if named is not None else NamedViews(KIND)

    def check(self, view: Any) -> TableView:
        """``view`` checked against the table's columns (``ValueError``/``TypeError`` when it does not fit)."""
        return check_view(view, sortable=self._sortable, filters=self._filters, hideable=self._hideable,
                          seconds=self._seconds)

    def _off(self, name: str) -> list[str] | float:
        """A filter's value that keeps every row (no value chosen; 0 seconds)."""
        return 0.0 if name in self._seconds else []

    def current(self) -> TableView:
        """The view the table shows."""
        p = self._panel
        sort = p.sort or {}
        return {"sort": {"column": str(sort.get("column", "")), "descending": bool(sort.get("descending", False))},
                "filter_text": p.filter_text,
                "filters": {name: float(getattr(p, name)) if name in self._seconds else list(getattr(p, name))
                            for name in self._filters},
                "group_by": p.group_by, "hidden": list((p.columns or {}).get("hidden", []))}

    def apply(self, view: Mapping[str, Any], *, skip: frozenset[str] = frozenset()) -> TableView:
        """Show ``view`` (checked first: nothing changes when it does not fit); the traits named in ``skip``
        keep their value. Returns the view applied."""
        checked = self.check(view)
        p = self._panel
        with p.hold_trait_notifications():
            if "sort" in checked and "sort" not in skip:
                p.sort = dict(checked["sort"])
            if "filter_text" in checked and "filter_text" not in skip:
                p.filter_text = checked["filter_text"]
            if "filters" in checked:
                for name in self._filters:  # a filter a view does not name shows every value
                    if name not in skip:
                        value = checked["filters"].get(name, self._off(name))
                        setattr(p, name, value if isinstance(value, float) else list(value))
            if "group_by" in checked and "group_by" not in skip:
                p.group_by = checked["group_by"]
            if "hidden" in checked and "columns" not in skip:
                p.columns = {**(p.columns or {}), "hidden": list(checked["hidden"])}
        return checked

    def restore(self, given: frozenset[str]) -> None:
        """Start from the last view of this DSS in the kernel (the traits in ``given`` were set by the caller
        and win). A remembered view that no longer fits the columns is ignored."""
        last = LAST.get(self._client, self._kind)
        if last is None:
            return
        try:
            self.apply(last, skip=given)
        except (TypeError, ValueError):
            LAST.put(self._client, self._kind, self.current())

    def remember(self) -> None:
        """The table's view is the last of its DSS in the kernel."""
        LAST.put(self._client, self._kind, self.current())

    # -- named views ---------------------------------------------------------------------------------
    def save(self, name: str) -> TableView:
        view = self.current()
        self.named.save(name, view)
        return view

    def applied(self, name: str) -> TableView:
        return self.apply(self.named.get(name))

    def listed(self) -> dict[str, Any]:
        """``{name: view}`` of the saved views that fit this table (others are left out)."""
        fit = {}
        for name, view in self.named.all().items():
            try:
                fit[name] = self.check(view)
            except (TypeError, ValueError):
                continue
        return fit
