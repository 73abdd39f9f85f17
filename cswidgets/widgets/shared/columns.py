"""What every panel's table column declares, and its checks (the studio table's and the templates table's
columns derive from :class:`BaseColumn`; each panel's ``columns.py`` lists its own kinds and extras).

A column is sent to the view as a spec with at least ``id``, ``label``, ``kind`` and ``fields``; the view
renders each cell by its kind and holds no column list. The kinds ``select`` (the row's checkbox) and
``actions`` (its buttons) show no field; every other kind needs the row field(s) it shows.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

__all__ = ["NO_FIELD", "BaseColumn"]

#: The kinds whose cell shows no row field.
NO_FIELD = frozenset({"select", "actions"})


@dataclass(frozen=True)
class BaseColumn:
    """A table column: ``id`` (unique in its table), the header ``label``, the ``kind`` its cells are
    rendered by (one of the subclass's :attr:`KINDS`) and the row ``fields`` it shows. ``ValueError`` for a
    column that cannot be rendered."""

    KINDS: ClassVar[tuple[str, ...]] = ()

    id: str
    label: str
    kind: str
    fields: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not self.id or not isinstance(self.id, str):
            raise ValueError(f"a column needs an id (a non-empty str), got {self.id!r}")
        if self.kind not in self.KINDS:
            raise ValueError(f"column {self.id!r}: kind must be one of {', '.join(self.KINDS)}, got {self.kind!r}")
        if self.kind not in NO_FIELD and not self.fields:
            raise ValueError(f"column {self.id!r} of kind {self.kind!r} needs the row field(s) it shows")

    @property
    def shows_field(self) -> bool:
        """Whether its cells show a row field (not a checkbox or buttons)."""
        return self.kind not in NO_FIELD
