"""The live studio table's schedule: what to re-read next, within a request budget.

DSS has no bulk status endpoint (docs/dss-api.md §10): one request reads one studio's state. With
10,000 studios a full re-read is 10,000 requests, so the live table does not re-read everything on a
timer. Each tick (:data:`TICK_S`) :meth:`Schedule.plan` spends the requests the budget has earned:

1. **Hot rows first**: studios in transition (STARTING, STOPPING), acted on from this table, or named
   by a running DSS task, re-read every :data:`HOT_EVERY_S` (about every second) and for
   :data:`HOT_AFTER_S` after their task ended, so the final state shows at once.
2. **Running tasks**: one ``GET /futures/`` every :data:`TASKS_EVERY_S`. A start, stop or restart from
   anywhere (another notebook, the DSS UI, a scenario) lists there while it runs; the studios it names
   become hot (``cswidgets.api.assumptions.studios_of_task``).
3. **The rolling pass** with what is left: the project list (when the table shows every project), then
   project after project, its studio list (added, renamed and deleted studios) and each of its
   studios' status. A pass over N studios in P projects takes about (N + P) / budget seconds when
   nothing is hot; when it ends, every row is at least as fresh as the pass's start, which becomes the
   panel's "updated hh:mm:ss". A pass begins at most every :data:`MIN_PASS_S`, so a small table is not
   re-read many times a second.

Budget: a token bucket refilled at ``budget`` requests per second, holding at most one second's worth.
A tick may overspend (the statuses of new studios found by a listing are read at once) and the debt is
paid before anything else is read, so the mean rate stays within the budget.

Pure bookkeeping: no widget, no network, no clock of its own (every method takes ``now``), so it is
tested on its own; :mod:`~cswidgets.widgets.studio_table.panel` runs it on one thread.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

TICK_S = 0.25
HOT_EVERY_S = 1.0
HOT_AFTER_S = 10.0
TASKS_EVERY_S = 1.0
DEFAULT_BUDGET = 20.0
MIN_PASS_S = 10.0
TRANSITION_STATES = frozenset({"STARTING", "STOPPING"})

ALL_PROJECTS = ""  # the pass step that lists the projects (a table over every project)

__all__ = ["DEFAULT_BUDGET", "Plan", "Schedule"]


@dataclass
class Plan:
    """What one tick reads: ``hot`` and ``sweep`` row keys (one status request each), the running
    tasks (one request), a project list (``list_project`` = a key, or :data:`ALL_PROJECTS` for the
    project keys themselves; one request)."""

    hot: list[str] = field(default_factory=list)
    tasks: bool = False
    list_project: str | None = None
    sweep: list[str] = field(default_factory=list)

    @property
    def cost(self) -> int:
        return len(self.hot) + len(self.sweep) + int(self.tasks) + int(self.list_project is not None)

    def __bool__(self) -> bool:
        return self.cost > 0


class Schedule:
    """Which rows to re-read, when (thread-compatible: one caller at a time; the panel holds a lock).

    ``budget``: requests per second, the steady rate the live table stays within.
    """

    def __init__(self, budget: float = DEFAULT_BUDGET, project_keys: Iterable[str] | None = None,
                 now: float = 0.0) -> None:
        self.budget = budget
        self._project_keys = None if project_keys is None else list(project_keys)
        self._tokens = 0.0
        self._refilled = now
        self._last_read: dict[str, float] = {}
        self._hot_until: dict[str, float] = {}  # extra hot rows (acted on, named by a task) -> until when
        self._tasks_at = float("-inf")
        self.tasks_enabled = True
        # the rolling pass: projects still to list, then studios of the current project still to read
        self._projects: list[str] = []
        self._pending: list[str] = []
        self._pass_started: float | None = None
        self.passes = 0  # completed passes
        self.last_pass_s: float | None = None  # how long the last complete pass took
        self.last_pass_started: float | None = None  # when it began: every row is at least that fresh

    # -- budget -------------------------------------------------------------------------------------
    @property
    def budget(self) -> float:
        return self._budget

    @budget.setter
    def budget(self, value: float) -> None:
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not value > 0 or value != value:
            raise ValueError(f"request budget must be a number of requests per second > 0, got {value!r}")
        self._budget = float(value)

    def _refill(self, now: float) -> None:
        self._tokens = min(self._budget, self._tokens + (now - self._refilled) * self._budget)
        self._refilled = now

    def spent(self, extra: int) -> None:
        """Requests made beyond the plan (e.g. statuses of new studios read at once): paid back first."""
        self._tokens -= extra

    # -- what the panel tells it -------------------------------------------------------------------
    def read(self, keys: Iterable[str], now: float) -> None:
        """These rows were just read (by a tick, an action's end, or a refresh)."""
        for key in keys:
            self._last_read[key] = now

    def heat(self, keys: Iterable[str], now: float, for_s: float = HOT_AFTER_S) -> None:
        """Keep re-reading these rows about every second until ``now + for_s`` (acted on, named by a task)."""
        until = now + for_s
        for key in keys:
            self._hot_until[key] = max(self._hot_until.get(key, until), until)

    def forget(self, keys: Iterable[str]) -> None:
        """Rows removed from the table."""
        gone = set(keys)
        for key in gone:
            self._last_read.pop(key, None)
            self._hot_until.pop(key, None)
        if gone:
            self._pending = [k for k in self._pending if k not in gone]

    def listed(self, keys: Iterable[str]) -> None:
        """The current project's studios (from its listing), to read next in the pass."""
        self._pending = list(keys)

    def restart_pass(self, now: float) -> None:
        """Begin a pass (a table over every project begins it with the project list: the panel answers
        that step with :meth:`set_projects`)."""
        self._projects = [ALL_PROJECTS] if self._project_keys is None else list(self._project_keys)
        self._pending = []
        self._pass_started = now

    def set_projects(self, projects: Iterable[str]) -> None:
        """The project list of this pass (the answer to the :data:`ALL_PROJECTS` step)."""
        self._projects = list(projects)

    # -- the plan ------------------------------------------------------------------------------------
    def plan(self, now: float, rows: Mapping[str, Mapping[str, object]], busy: Iterable[str] = ()) -> Plan:
        """The reads of this tick. ``rows``: the table's rows by key (their ``state`` and ``project_key``);
        ``busy``: rows with an action in flight (hot while it runs)."""
        self._refill(now)
        plan = Plan()
        budget = int(self._tokens)
        if budget <= 0:
            return plan
        # 1. hot rows due, the longest unread first
        hot = set(busy)
        hot.update(k for k, until in self._hot_until.items() if until > now)
        for key in [k for k, until in self._hot_until.items() if until <= now]:
            del self._hot_until[key]
        hot.update(k for k, row in rows.items() if row.get("state") in TRANSITION_STATES)
        due = [k for k in hot if k in rows and now - self._last_read.get(k, float("-inf")) >= HOT_EVERY_S]
        due.sort(key=lambda k: self._last_read.get(k, float("-inf")))
        plan.hot = due[:budget]
        budget -= len(plan.hot)
        # 2. the running tasks
        if budget > 0 and self.tasks_enabled and now - self._tasks_at >= TASKS_EVERY_S:
            plan.tasks, self._tasks_at = True, now
            budget -= 1
        # 3. the rolling pass
        if self._pass_started is None:
            self.restart_pass(now)
        taken = set(plan.hot)
        while budget > 0:
            if self._pending:
                key = self._pending.pop(0)
                if key in rows and key not in taken:
                    plan.sweep.append(key)
                    taken.add(key)
                    budget -= 1
                continue
            if plan.list_project is not None:
                break  # that listing's studios are read from the next tick on
            if not self._projects:
                self._end_pass(now)
                if now - (self._pass_started or now) < MIN_PASS_S:
                    break  # a small table: the next pass waits (hot rows and tasks are still read)
                self.restart_pass(now)
                continue
            plan.list_project = self._projects.pop(0)
            budget -= 1
            if plan.list_project == ALL_PROJECTS:
                break  # the pass goes on once the project list is known
        self._tokens -= plan.cost
        return plan

    def _end_pass(self, now: float) -> None:
        """The pass's last reads are planned: count it (once)."""
        if self._pass_started is not None and self.last_pass_started != self._pass_started:
            self.passes += 1
            self.last_pass_s = now - self._pass_started
            self.last_pass_started = self._pass_started

    def skip_rest_of_pass(self, now: float) -> None:
        """Drop what the current pass has still to read, as if it had just ended: the next pass begins
        :data:`MIN_PASS_S` after ``now`` (hot rows and tasks are read meanwhile)."""
        self._projects, self._pending, self._pass_started = [], [], now

    def pass_estimate_s(self, rows: int, projects: int) -> float:
        """Seconds a whole pass takes at this budget when nothing is hot."""
        return (rows + projects + int(self._project_keys is None)) / self._budget
