"""The live studio table's schedule: what to re-read next, within a request budget.

DSS has no bulk status endpoint (docs/dss-api.md §10): one request reads one studio's state. With
10,000 studios a full re-read is 10,000 requests, and a DSS backend is shared by everyone on the
instance, so the live table reads what is seen, first, within a small budget (:data:`DEFAULT_BUDGET`,
2 requests per second whatever the table's size). Each tick (:data:`TICK_S`) :meth:`Schedule.plan`
spends the requests the budget has earned, in this order:

0. **Rows scrolled into view that are stale** (last read more than :data:`STALE_AFTER_S` ago, what a
   visible row is guaranteed): re-read at once, even on credit (the bucket may go down to
   :data:`DEBT_S` seconds of the budget, about two screens of rows; the debt is paid before anything else is
   read). Also the visible
   rows when a view comes back (the catch-up).
1. **Running tasks**: one ``GET /futures/`` every :meth:`Schedule.tasks_every_s` (a quarter of the budget,
   at least 1 s apart: every 2 s by default). A start, stop or restart from anywhere (another notebook, the
   DSS UI, a scenario) lists there while it runs; the studios it names become hot
   (``cswidgets.api.assumptions.studios_of_task``). This is the fast path for changes made elsewhere: one
   request for all of them, so it goes before the hot rows.
2. **Hot rows**: studios in transition (STARTING, STOPPING), acted on from this table, or named by a
   running DSS task, re-read every :data:`HOT_EVERY_S` (about every second, as the budget allows: rows just
   named by a task first, then the longest unread) and for :data:`HOT_AFTER_S` after their task ended, so
   the final state shows at once.
3. **Visible rows** (the keys the views say are on screen), each re-read when older than
   :data:`VISIBLE_EVERY_S`, the longest unread first -- except that the background pass keeps
   :data:`PASS_SHARE` of the budget for itself.
4. **The rolling pass** with what is left: the project list (when the table shows every project), then
   project after project, its studio list (added, renamed and deleted studios) and each of its
   studios' status. When it ends, every row is at least as fresh as the pass's start, which becomes the
   panel's "updated hh:mm:ss". A pass begins at most every :data:`MIN_PASS_S`, so a small table is not
   re-read many times a second.

**Nobody looks** (no view displayed, or every view hidden): the rate drops to :data:`TRICKLE_BUDGET`
(0.2 requests per second) and the visible tiers are skipped; :meth:`Schedule.catch_up` re-reads the
visible rows and the running tasks at once when a view comes back.

**Back-off**: :attr:`Schedule.scale` (the table's AIMD, :class:`cswidgets.api.load.Aimd`) multiplies the
rate: slow answers, 429/503 and timeouts halve it; it recovers gradually.

Budget: a token bucket refilled at the rate in force, holding at most one second's worth (at least one
request). A tick may overspend (the statuses of new studios found by a listing are read at once, stale rows
scrolled into view) and the debt is paid before anything else is read, so the mean rate stays within it.

Pure bookkeeping: no widget, no network, no clock of its own (every method takes ``now``), so it is
tested on its own; :mod:`~cswidgets.widgets.studio_table.panel` runs it on one thread.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

TICK_S = 0.25
HOT_EVERY_S = 1.0
HOT_AFTER_S = 10.0
TASKS_EVERY_S = 1.0  # the running tasks are read at most this often
TASKS_SHARE = 0.25  # ... and with at most this share of the rate in force
DEFAULT_BUDGET = 2.0  # requests per second: what a shared DSS can carry for one open table
TRICKLE_BUDGET = 0.2  # requests per second while nobody looks (no view shown, or every view hidden)
VISIBLE_EVERY_S = 10.0  # a row on screen is re-read when older than this
STALE_AFTER_S = 15.0  # a row scrolled into view older than this is marked stale and re-read at once
PASS_SHARE = 0.1  # the background pass's share of the rate, even when visible rows want it all
DEBT_S = 15.0  # stale rows scrolled into view may borrow up to this many seconds of budget (30 requests at 2/s)
MIN_PASS_S = 10.0
TRANSITION_STATES = frozenset({"STARTING", "STOPPING"})

ALL_PROJECTS = ""  # the pass step that lists the projects (a table over every project)

__all__ = ["DEFAULT_BUDGET", "TRICKLE_BUDGET", "Plan", "Schedule"]


@dataclass
class Plan:
    """What one tick reads: ``stale``, ``hot``, ``visible`` and ``sweep`` row keys (one status request
    each), the running tasks (one request), a project list (``list_project`` = a key, or
    :data:`ALL_PROJECTS` for the project keys themselves; one request)."""

    hot: list[str] = field(default_factory=list)
    tasks: bool = False
    list_project: str | None = None
    sweep: list[str] = field(default_factory=list)
    stale: list[str] = field(default_factory=list)
    visible: list[str] = field(default_factory=list)

    @property
    def rows(self) -> list[str]:
        """Every row key it reads, most urgent first (each once)."""
        return list(dict.fromkeys(self.stale + self.hot + self.visible + self.sweep))

    @property
    def cost(self) -> int:
        return len(self.rows) + int(self.tasks) + int(self.list_project is not None)

    def __bool__(self) -> bool:
        return self.cost > 0


class Schedule:
    """Which rows to re-read, when (thread-compatible: one caller at a time; the panel holds a lock).

    ``budget``: requests per second, the steady rate the live table stays within while somebody looks.
    """

    def __init__(self, budget: float = DEFAULT_BUDGET, project_keys: Iterable[str] | None = None,
                 now: float = 0.0) -> None:
        self.budget = budget
        self._project_keys = None if project_keys is None else list(project_keys)
        self._tokens = 0.0
        self._refilled = now
        self._last_read: dict[str, float] = {}
        self._hot_until: dict[str, float] = {}  # extra hot rows (acted on, named by a task) -> until when
        self._named: set[str] = set()  # rows that became hot and were not read since: read before the other hot ones
        self._tasks_at = float("-inf")
        self.tasks_enabled = True
        self._visible: frozenset[str] = frozenset()  # row keys on screen in some view
        self._stale: set[str] = set()  # visible rows to re-read at once (scrolled into view, or a view came back)
        self._pass_credit = 0.0  # the background pass's own share, in requests
        self.scale = 1.0  # the back-off (AIMD): the share of the rate in force
        self.trickle = False  # nobody looks: TRICKLE_BUDGET, no visible tiers
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

    @property
    def rate(self) -> float:
        """Requests per second in force: the budget, times the back-off's scale; the trickle while nobody looks."""
        rate = self._budget * self.scale
        return min(rate, TRICKLE_BUDGET) if self.trickle else rate

    def tasks_every_s(self) -> float:
        """Seconds between two reads of the running tasks at the rate in force."""
        return max(TASKS_EVERY_S, 1.0 / (TASKS_SHARE * self.rate))

    def _refill(self, now: float) -> None:
        rate, elapsed = self.rate, max(0.0, now - self._refilled)
        self._tokens = min(max(1.0, rate), self._tokens + elapsed * rate)
        self._pass_credit = min(1.0, self._pass_credit + elapsed * rate * PASS_SHARE)
        self._refilled = now

    def spent(self, extra: int) -> None:
        """Requests made beyond the plan (e.g. statuses of new studios read at once): paid back first."""
        self._tokens -= extra

    # -- what the panel tells it -------------------------------------------------------------------
    def read(self, keys: Iterable[str], now: float) -> None:
        """These rows were just read (by a tick, an action's end, or a refresh)."""
        for key in keys:
            self._last_read[key] = now
            self._stale.discard(key)
            self._named.discard(key)

    def set_visible(self, keys: Iterable[str], now: float) -> set[str]:
        """The rows on screen now (in any view). Rows that came into view and were last read more than
        :data:`STALE_AFTER_S` ago become stale: re-read at once. Returns the stale rows."""
        keys = frozenset(keys)
        came = keys - self._visible
        self._visible = keys
        self._stale = {k for k in self._stale if k in keys}
        self._stale.update(k for k in came if self.age(k, now) > STALE_AFTER_S)
        return set(self._stale)

    def catch_up(self, now: float) -> set[str]:
        """A view came back (shown again, or the tab visible again): the running tasks at once, and every
        visible row older than :data:`STALE_AFTER_S` is stale. Returns the stale rows."""
        self._tasks_at = float("-inf")
        self._stale.update(k for k in self._visible if self.age(k, now) > STALE_AFTER_S)
        return set(self._stale)

    @property
    def visible(self) -> frozenset[str]:
        return self._visible

    @property
    def stale(self) -> set[str]:
        """Visible rows older than what a visible row is guaranteed, until they are read."""
        return set(self._stale)

    def age(self, key: str, now: float) -> float:
        """Seconds since the row was last read (infinite: never)."""
        return now - self._last_read.get(key, float("-inf"))

    def heat(self, keys: Iterable[str], now: float, for_s: float = HOT_AFTER_S) -> None:
        """Keep re-reading these rows about every second until ``now + for_s`` (acted on, named by a task)."""
        until = now + for_s
        for key in keys:
            if key not in self._hot_until:
                self._named.add(key)
            self._hot_until[key] = max(self._hot_until.get(key, until), until)

    def forget(self, keys: Iterable[str]) -> None:
        """Rows removed from the table."""
        gone = set(keys)
        for key in gone:
            self._last_read.pop(key, None)
            self._hot_until.pop(key, None)
            self._stale.discard(key)
            self._named.discard(key)
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
        """The reads of this tick (see the module's docstring for the order). ``rows``: the table's rows by key
        (their ``state`` and ``project_key``); ``busy``: rows with an action in flight (hot while it runs)."""
        self._refill(now)
        plan = Plan()
        catching_up = not self.trickle and self.tasks_enabled and self._tasks_at == float("-inf")
        # 0. stale rows on screen: at once, on credit down to DEBT_S seconds of budget
        if not self.trickle and self._stale:
            room = int(self._tokens + DEBT_S * self._budget)  # not scaled: a scroll is answered even when slowed
            stale = sorted((k for k in self._stale if k in rows), key=lambda k: self._last_read.get(k, float("-inf")))
            plan.stale = stale[:max(0, room)]
            self._tokens -= len(plan.stale)
        if catching_up:
            plan.tasks, self._tasks_at = True, now  # the first read, or a view came back: at once, on credit
            self._tokens -= 1
        budget = int(self._tokens)
        if budget <= 0:
            return plan
        taken = set(plan.stale)
        # 1. the running tasks: one request names every start and stop made elsewhere
        if self.tasks_enabled and now - self._tasks_at >= self.tasks_every_s():
            plan.tasks, self._tasks_at = True, now
            budget -= 1
        # 2. hot rows due, the longest unread first
        hot = set(busy)
        hot.update(k for k, until in self._hot_until.items() if until > now)
        for key in [k for k, until in self._hot_until.items() if until <= now]:
            del self._hot_until[key]
            self._named.discard(key)
        hot.update(k for k, row in rows.items() if row.get("state") in TRANSITION_STATES)
        due = [k for k in hot if k in rows and k not in taken and self.age(k, now) >= HOT_EVERY_S]
        due.sort(key=lambda k: (k not in self._named, self._last_read.get(k, float("-inf"))))
        plan.hot = due[:max(0, budget)]
        budget -= len(plan.hot)
        taken.update(plan.hot)
        # 3. visible rows due (the pass keeps its share: a step of it first when its credit allows)
        if self._pass_started is None:
            self.restart_pass(now)
        if budget > 0 and not self.trickle and self._visible:
            if self._pass_credit >= 1.0:
                self._pass_credit -= 1.0
                budget = self._sweep(plan, now, rows, taken, 1) + budget - 1
            due = [k for k in self._visible if k in rows and k not in taken and self.age(k, now) >= VISIBLE_EVERY_S]
            due.sort(key=lambda k: self._last_read.get(k, float("-inf")))
            plan.visible = due[:max(0, budget)]
            budget -= len(plan.visible)
            taken.update(plan.visible)
        # 4. the rolling pass
        self._sweep(plan, now, rows, taken, budget)
        self._tokens -= plan.cost - len(plan.stale) - int(catching_up)
        return plan

    def _sweep(self, plan: Plan, now: float, rows: Mapping[str, Mapping[str, object]], taken: set[str],
               budget: int) -> int:
        """Spend up to ``budget`` requests on the rolling pass; returns what is left."""
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
        return budget

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
        """Seconds a whole pass takes at the rate in force when nothing is hot and nothing is on screen (with
        rows on screen, about what the visible rows leave; at least :data:`PASS_SHARE` of the rate)."""
        rate = self.rate
        if not self.trickle and self._visible:
            rate = max(PASS_SHARE * rate, rate - TASKS_SHARE * rate - len(self._visible) / VISIBLE_EVERY_S)
        return (rows + projects + int(self._project_keys is None)) / rate
