"""A future's progress, parsed: :class:`Progress` and the whole-task :func:`overall_fraction`.

DSS reports progress as nested states, outermost first (``progress.states`` of a future's state),
e.g. a build's ``{name: "Build", cur: 1, target: 3}`` (step 2 of 3) around ``{name: "Pushing
image", cur: 40, target: 100}``. :attr:`Progress.fraction` combines them into the completion of
the whole task, which never goes back when a stage starts (the tqdm bar of
:meth:`cswidgets.api.Future.wait_for_result` and every panel's progress bar show it);
:attr:`Progress.stage_fraction` is the innermost stage's own fraction.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from . import assumptions

__all__ = ["Progress", "overall_fraction"]


@dataclass(frozen=True)
class Progress:
    """A parsed view of a future's progress.

    Attributes
    ----------
    stage : str or None
        Name of the innermost progress state (what the task is doing now).
    fraction : float or None
        Completion of the whole task in [0, 1], from the nested ``states`` (see
        :func:`overall_fraction`): it does not go back when a new stage starts, so a time-left
        estimate can use it with the total elapsed time. ``None`` = indeterminate; ``1.0`` once
        the task ended with a result.
    cur, target : float or None
        Raw counters of the innermost state that has a target (behind ``stage_fraction``).
    unit : str or None
        Unit of ``cur``/``target`` (DSS uses ``"SIZE"`` for bytes).
    stage_fraction : float or None
        Completion in [0, 1] of the innermost state that has a target alone (``cur / target``),
        which restarts at 0 with every stage; ``None`` = indeterminate.
    elapsed_s : float
        Seconds since the task started (server ``runningTime`` when given, else local clock).
    states : list of dict
        The raw ``progress.states`` (outermost first).
    done : bool
        The task has ended (result, failure or abort).
    """

    stage: str | None
    fraction: float | None
    cur: float | None
    target: float | None
    unit: str | None
    elapsed_s: float
    states: list[dict[str, Any]] = field(default_factory=list)
    done: bool = False
    stage_fraction: float | None = None

    @classmethod
    def from_state(cls, state: Mapping[str, Any] | None, local_elapsed_s: float, done: bool = False) -> Progress:
        """Build a :class:`Progress` from a raw future state."""
        state = state if isinstance(state, Mapping) else {}
        prog = state.get("progress")
        raw_states = prog.get("states") if isinstance(prog, Mapping) else None
        # anything but a list of objects is no progress (a malformed answer never breaks a bar)
        raw_states = raw_states if isinstance(raw_states, list) else []
        states = [dict(s) for s in raw_states if isinstance(s, Mapping)]
        stage = next((str(s["name"]) for s in reversed(states) if isinstance(s.get("name"), str) and s["name"]), None)
        stage_fraction = cur = target = None
        unit = None
        for s in reversed(states):
            t = _number(s.get("target"))
            if t is not None and t > 0:
                unit = s.get("unit") if isinstance(s.get("unit"), str) else None
                cur, target = _number(s.get("cur")) or 0.0, t
                stage_fraction = min(1.0, max(0.0, cur / target))
                break
        fraction = overall_fraction(states)
        if done and assumptions.has_result(state):
            fraction = stage_fraction = 1.0
        ms = assumptions.future_elapsed_ms(state)
        elapsed = ms / 1000.0 if ms is not None else local_elapsed_s
        return cls(stage, fraction, cur, target, unit, float(elapsed), states, done, stage_fraction)


def _number(value: Any) -> float | None:
    """A finite number, else ``None`` (``NaN``/``Infinity`` targets are indeterminate, never 100 %)."""
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def overall_fraction(states: list[Mapping[str, Any]]) -> float | None:
    """Completion of the whole task in [0, 1] from DSS's nested progress states, or ``None``.

    The states are nested, outermost first: e.g. ``{name: "Build", cur: 1, target: 3}`` (step 2 of
    3) around ``{name: "Pushing image", cur: 40, target: 100}`` gives ``(1 + 0.4) / 3``. Each level
    splits its parent's step: ``total += scale * cur / target; scale /= target``. Leading levels
    without a target (``target <= 0``: indeterminate) are skipped; the first level without a target
    after a determinate one ends the sum. ``None`` when no level has a target.
    """
    total, scale, seen = 0.0, 1.0, False
    for state in states:
        target = _number(state.get("target")) if isinstance(state, Mapping) else None
        if target is None or target <= 0:
            if seen:
                break
            continue
        cur = _number(state.get("cur")) or 0.0
        total += scale * max(0.0, min(cur, target)) / target
        scale /= target
        seen = True
    return max(0.0, min(1.0, total)) if seen else None
