"""What the studio table's front end is told once, at creation: its columns and its rules.

The ``config`` trait (written by Python only, once) holds a :class:`TableConfig`:

- ``columns``: the declared columns (:mod:`~cswidgets.widgets.studio_table.columns`), rendered by kind;
- ``active_states``: the states in which a studio runs (its Start button restarts it, Stop is offered);
- ``batch``: the batch actions, in the order of their buttons, each with the states it acts on: a batch
  start never restarts a running studio, and no batch acts on a studio on its way down (STOPPING).

The Python side decides with the same declarations (:func:`batch_skip`), so the counts on the batch
buttons and what a batch does agree.
"""

from __future__ import annotations

from typing import Literal, TypedDict

from cswidgets.api.assumptions import ACTIVE_STUDIO_STATES

from .columns import ColumnSpec, column_specs

__all__ = ["BATCH", "BatchRule", "TableConfig", "batch_rule", "batch_skip", "table_config"]

#: States no batch acts on: the studio is on its way down.
SETTLING_STATES = ("STOPPING",)


class BatchRule(TypedDict):
    """A batch action: ``op`` (the ``batch`` message's), its button's ``label``, the rows it takes (``active``:
    running ones when true, stopped ones when false; never those in ``skip_states``) and what it counts
    (``counts``: "running" or "stopped")."""

    op: Literal["start", "restart", "stop"]
    label: str
    active: bool
    counts: str
    skip_states: list[str]


#: The batch actions, in the order of their buttons.
BATCH: tuple[BatchRule, ...] = (
    {"op": "start", "label": "Start", "active": False, "counts": "stopped", "skip_states": list(SETTLING_STATES)},
    {"op": "restart", "label": "Restart", "active": True, "counts": "running", "skip_states": list(SETTLING_STATES)},
    {"op": "stop", "label": "Stop", "active": True, "counts": "running", "skip_states": list(SETTLING_STATES)},
)
_BY_OP = {rule["op"]: rule for rule in BATCH}


class TableConfig(TypedDict):
    """The ``config`` trait of :class:`~cswidgets.widgets.studio_table.StudioTable`."""

    columns: list[ColumnSpec]
    active_states: list[str]
    batch: list[BatchRule]


def table_config(*, unsynced: bool = False) -> TableConfig:
    """The front end's configuration (columns as declared now; ``unsynced``: the table reads the unsynced files,
    so their column is shown by default)."""
    return {"columns": column_specs(show=("unsynced",) if unsynced else ()),
            "active_states": list(ACTIVE_STUDIO_STATES), "batch": [dict(rule) for rule in BATCH]}  # type: ignore[misc]


def batch_rule(op: str) -> BatchRule:
    """The rule of the batch ``op``; ``ValueError`` for an unknown one."""
    rule = _BY_OP.get(op) if isinstance(op, str) else None
    if rule is None:
        *first, last = (repr(o) for o in _BY_OP)
        raise ValueError(f"Unknown batch action {op!r} (expected {', '.join(first)} or {last})")
    return rule


def batch_skip(op: str, state: str) -> str | None:
    """Why the batch ``op`` skips a studio in ``state`` (``None``: it acts on it); ``ValueError`` for an
    unknown op."""
    rule = batch_rule(op)
    if state in rule["skip_states"]:
        return f"still stopping ({state})"
    active = state in ACTIVE_STUDIO_STATES
    if active == rule["active"]:
        return None
    return f"already running ({state})" if active else f"not running ({state})"
