"""StudioTable: every code studio of the instance in one live table, from a DataFrame.

>>> table = StudioTable(client)                 # all projects; StudioTable(client, ["PROJ"]) for some
>>> table                                        # the widget (or "<StudioTable: 12 studios · 3 running>")
>>> table.df                                     # the studios shown (index: row key "PROJECT/studio_id")
>>> table.selected = ["PROJ/abc1234"]            # or a DataFrame (e.g. table.df[table.df.state == "RUNNING"])
>>> table.stop_selected()                        # tracked in the background; progress shows in the rows

Rows are NOT a synced trait (10,000 studios would be re-sent on every change and saved in the
notebook). Python keeps them in a dict and sends diffs as custom messages::

    {kind: "rows", op: "reset" | "patch", seq, base, upsert: [row...], remove: [key...]}

``seq`` numbers the row versions; a patch applies on top of version ``base`` only. A view asks for
the whole set with a ``{kind: "snapshot"}`` request when it renders or when it misses a version.
Synced traits hold small view state only, each with ONE writer (each is typed and documented where
it is declared, below; ``js/studio_table/model.js`` types them for the view):

- written by Python once: ``config`` (the declared columns and the batch rules,
  :mod:`~cswidgets.widgets.studio_table.config`): the view renders by it and holds no column list;
- written by Python: ``selection`` (the browser asks with ``{kind: "select", add, remove, clear}``),
  ``alerts``, ``loading``, ``summary``, ``is_simulator``, ``create_blocked``, ``in_flight``, ``denied``,
  ``dss_origin``;
- written by the browser (the user's own controls; the library never writes them, a user may
  assign them from Python, e.g. as initial values): ``filter_text``, ``filter_states``,
  ``filter_owners``, ``filter_projects``, ``filter_templates`` (multi-select filters: empty = all),
  ``filter_running_min`` (seconds: only the studios running for longer; 0 = all),
  ``group_by`` (``""`` or ``"project"``), ``columns`` (``{hidden: [id...], widths: {id: px}}``: the
  column menu and resize handles), ``sort``, ``live`` (the Live switch);
  These are the table's **view**: every change is remembered in the kernel for the table's DSS, and a new
  table of the same DSS (the cell run again) starts from it (:mod:`~cswidgets.widgets.studio_table.views`);
  Python writes them only at creation and when the user applies a view from Python (``table.view = ...``,
  ``table.apply_view(name)``); the toolbar's named views are applied by the browser, as any control;
- written by the user only (Python): ``request_budget``;
- written by Python (the live refresh): ``transitions``, ``live_info``, ``updated_ms``, ``stale``.

What the views say of themselves is not a trait (each view has its own): ``{kind: "view", view, state}``
(open, alive, visible, hidden, closed) and ``{kind: "viewport", view, keys}`` (the rows on screen), messages
the live refresh reads first (:mod:`~cswidgets.widgets.studio_table.refresher`).

What the user sees is what is selected: the browser's select-all and shift-click take the rows
shown, and its batch buttons send the selected rows shown (the hidden ones only when the user asks).
The Python methods act on :attr:`selection` as it is.

Messages from the front end (answered with the envelope of :mod:`cswidgets.widgets.shared.panel`):
``snapshot``, ``refresh``, ``start {row}``, ``stop {row}``, ``conflicts {row}``,
``batch {op: "start" | "restart" | "stop", rows: [key...]}`` (start: the stopped rows only;
restart and stop: the running ones), ``select {add, remove, clear}``, ``views``, ``save_view {name}``,
``delete_view {name}`` (the named views, answered ``{views: {name: view}}``), ``code {what, row | rows, new_owner}``
(the Python of an action on a row or of a batch, for a confirmation's "Copy as Python"); and those of
:mod:`~cswidgets.widgets.studio_table.lifecycle` (create, delete, change owner).

Live (on by default, :mod:`~cswidgets.widgets.studio_table.refresher`, :mod:`~cswidgets.widgets.studio_table.live`):
the rows on screen first (a row scrolled into view that is stale is re-read at once), studios in transition
or acted on about every second, starts and stops DSS lists as running tasks within a few seconds (whoever
started them), and every other row in a slow rolling pass -- all within ``request_budget`` requests per second
(default 2, whatever the table's size), a trickle (0.2/s) while nobody looks, halved while DSS is slow.
``live_info`` says how (:class:`~.refresher.LiveInfo`).

Parts (each with its own state and lock; the locks are described once, in
:mod:`~cswidgets.widgets.studio_table.store`): :class:`~.store.RowStore` (the rows, their versions, the
selection's pruning), :class:`~.refresher.LiveRefresher` (the live reads, handed the store, the client and
a :class:`~.refresher.LiveView`), :class:`~.lifecycle.Lifecycle` (create, delete, change owner) and
:class:`~.actions.Flights` (the rows with an action in flight). Every action is one
:meth:`~cswidgets.widgets.shared.panel.Panel.operation`.

Threads: the table's own action pool (clicks, the background load, the end of an action) and, while
``live`` is on, one live thread that holds the table only weakly: it stops when the table is closed
or garbage-collected, or ``live`` is turned off.
"""

from __future__ import annotations

import logging
import threading
import time
import warnings
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import pandas as pd
import traitlets as t

from cswidgets.api import assumptions
from cswidgets.api.assumptions import ACTIVE_STUDIO_STATES
from cswidgets.api.errors import DSSConnectionError
from cswidgets.api.frames import STUDIO_COLUMNS
from cswidgets.api.validate import check_id

from ..activity import ActivityLog, PanelActivity, default_who
from ..shared.errors import is_permission_error, why_not_loaded
from ..shared.operation import python_code
from ..shared.panel import Panel, action, bundle, changed_selection, stylesheet
from ..shared.progress import progress_view, task_view
from ..shared.views import check_seconds
from .actions import Flights, InFlight, Repeated
from .config import batch_rule, batch_skip, table_config
from .export import csv_name, csv_text
from .lifecycle import Lifecycle, row_fields
from .live import DEFAULT_BUDGET
from .refresher import LiveRefresher, LiveView
from .rows import failure_messages, origin_of, sort_key, static_table_html, summarize, summary_text
from .store import RowStore
from .views import TableViews
from .webapps import studio_webapps, webapp_action

log = logging.getLogger(__name__)

MAX_BUDGET = 1000.0

__all__ = ["StudioTable"]


def _without_auto_refresh(traits: dict[str, Any]) -> dict[str, Any]:
    """``auto_refresh_s`` (before the live table) still works: 0 turns ``live`` off, more turns it on."""
    if "auto_refresh_s" not in traits:
        return traits
    seconds = traits.pop("auto_refresh_s")
    warnings.warn("auto_refresh_s is replaced by live (on by default) and request_budget; "
                  f"auto_refresh_s={seconds!r} means live={bool(seconds)}", DeprecationWarning, stacklevel=3)
    traits.setdefault("live", bool(seconds))
    return traits


def _check_project_keys(project_keys: Any) -> list[str] | None:
    """``None`` (all projects) or a list of well-formed project keys; ``TypeError``/``ValueError`` else."""
    if project_keys is None:
        return None
    keys = [project_keys] if isinstance(project_keys, str) else project_keys
    if isinstance(keys, (bytes, dict)) or not isinstance(keys, Iterable):
        raise TypeError(f"project_keys must be a str or an iterable of str, got {type(project_keys).__name__}")
    keys = list(keys)
    for key in keys:
        if not isinstance(key, str):
            raise TypeError(f"project keys must be str, got {type(key).__name__}: {key!r}")
        check_id(key, "project key")
    return keys


def _unless_repeated(act: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    """``act()``; a repeated click (refused and recorded) is answered ``{"accepted": False, "reason"}`` (the
    panel convention, :mod:`cswidgets.widgets.shared.panel`)."""
    try:
        return act()
    except Repeated as exc:
        return {"accepted": False, "reason": str(exc)}


_TASK = {"action": t.Unicode(), "progress": t.Dict(), "who": t.Unicode(allow_none=True)}


class StudioTable(Panel):
    """A live table of code studios, built from ``client.studios_frame(project_keys)``.

    Public API: the rows (:attr:`df`, :attr:`selected`, :meth:`refresh`); actions on a row or the selection
    (:meth:`start`, :meth:`stop`, :meth:`start_selected`, :meth:`restart_selected`, :meth:`stop_selected`,
    :meth:`create`, :meth:`delete`, :meth:`change_owner`, :meth:`open_conflicts`); the view (:attr:`view`,
    :meth:`save_view`, :meth:`apply_view`, :meth:`views`, :meth:`delete_view`); what was done
    (:attr:`activity`, :meth:`on_activity`); :meth:`close`. The synced traits (below, under "Data
    descriptors") are the view's state, each described.

    Parameters
    ----------
    client : cswidgets.api.Client
        The connection (never synced to the front end).
    project_keys : str or iterable of str, optional
        Projects to show; all projects when ``None``.
    wait : bool
        Load the rows before returning (default). ``False`` loads them in the background (the
        table shows a loading state meanwhile).
    user : str, optional
        Who appears in the activity (default: the client's login, :attr:`Client.login`).
    activity_log : cswidgets.widgets.activity.ActivityLog, optional
        Record the actions in this log (shared with other panels, as the Dashboard does) instead
        of one of the table's own; :attr:`activity` still lists the table's actions only.
    live : bool
        Keep the rows live (default ``True``): see the module's docstring. ``False``: only
        :meth:`refresh` (the Refresh button) and the end of an action re-read DSS.
    request_budget : float
        Requests per second the live refresh stays within while somebody looks (default 2; a trickle of
        0.2 while no view is displayed or every view is hidden; less while DSS answers slowly).
    unsynced : bool
        Read the files each running studio holds that DSS does not have yet (the "Unsynced files" column:
        one conflicts check per two-way zone of each running studio) at the first load and at each Refresh,
        beside the other reads of a full read (not on the live reads). Default ``False``: the column says "—"
        (not read) until then; the live reads keep what a full read found while the studio runs since the
        same time.
    **traits
        Initial view state: ``filter_text``, ``filter_states``, ``filter_owners``, ``filter_projects``,
        ``filter_templates``, ``filter_running_min``, ``group_by``, ``columns``, ``sort``... Those not given come
        from the last view of a table of the same DSS in this kernel, so running the cell again keeps the sort and
        filters.

    Examples
    --------
    >>> import cswidgets
    >>> client = cswidgets.connect()
    >>> table = cswidgets.StudioTable(client)              # every studio of every project, live
    >>> table                                              # shows the table (its text: "<StudioTable: ...>")
    >>> running = table.df[table.df.state == "RUNNING"]
    >>> table.selected = running                           # tick those rows
    >>> table.stop_selected()                              # {"accepted": [...], "skipped": [...], "failed": []}
    >>> table.view = {"filters": {"filter_states": ["RUNNING"], "filter_owners": [client.login]},
    ...               "sort": {"column": "last_change"}}
    >>> table.save_view("my running studios")              # later, in any notebook: table.apply_view(...)
    >>> table.filter_running_min = 4 * 3600                # only the studios running for more than 4 h
    >>> table.save_view("running > 4 h")
    >>> table.activity[-1]["code"]                          # the Python that does the same ("Copy as Python")
    """

    _esm = bundle("studio_table")
    _css = stylesheet("studio_table")

    # -- written by Python ------------------------------------------------------------------------
    #: The columns and rules the view renders by: a :class:`~.config.TableConfig` ``{columns: [ColumnSpec...],
    #: active_states: [state...], batch: [BatchRule...]}``, from the declarations, set once at creation.
    config = t.Dict(per_key_traits={"columns": t.List(t.Dict()), "active_states": t.List(t.Unicode()),
                                    "batch": t.List(t.Dict())}, read_only=True).tag(sync=True)
    #: The selected row keys (the browser asks for changes with ``select`` messages; :attr:`selected`).
    selection = t.List(t.Unicode(), default_value=[]).tag(sync=True)
    #: Whether a full read of DSS is under way.
    loading = t.Bool(False).tag(sync=True)
    #: The counts above the table, a :class:`~.rows.Summary`:
    #: ``{total, running, states: {STATE: n}, failed_projects, errors, text}`` (plus ``not_loaded``: why, while the
    #: first read has failed); the view shows ``text`` (or ``not_loaded``) as is.
    summary = t.Dict(per_key_traits={"total": t.Int(), "running": t.Int(), "states": t.Dict(value_trait=t.Int()),
                                     "failed_projects": t.Int(), "errors": t.Int(), "not_loaded": t.Unicode(),
                                     "text": t.Unicode()},
                     default_value={}).tag(sync=True)
    #: Whether the client talks to the offline simulator (the view marks it).
    is_simulator = t.Bool(False).tag(sync=True)
    #: Why no studio can be created (no project, no template), found after each full read; "" when one can or
    #: unknown. New studio is disabled, saying it.
    create_blocked = t.Unicode("").tag(sync=True)
    #: ``{row key: RowTask {action, progress}}``: this table's own actions in flight (:class:`~.actions.RowTask`;
    #: ``progress``: a :class:`~cswidgets.widgets.shared.progress.ProgressView`).
    in_flight = t.Dict(value_trait=t.Dict(per_key_traits=_TASK), default_value={}).tag(sync=True)
    #: ``{row key: RowTask {action, who, progress}}``: starts and stops DSS lists as running that this table
    #: did not start (:class:`~.actions.RowTask`).
    transitions = t.Dict(value_trait=t.Dict(per_key_traits=_TASK), default_value={}).tag(sync=True)
    #: How the live refresh goes, a :class:`~.refresher.LiveInfo` ``{budget, effective, in_transition, pass_s,
    #: rate, tasks, trickle, visible, slowed, by_kind}``.
    live_info = t.Dict(per_key_traits={"budget": t.Float(), "effective": t.Float(), "in_transition": t.Int(),
                                       "pass_s": t.Float(), "rate": t.Float(), "tasks": t.Bool(),
                                       "trickle": t.Bool(), "visible": t.Int(), "slowed": t.Unicode(),
                                       "by_kind": t.Dict(value_trait=t.Float())},
                       default_value={}).tag(sync=True)
    #: Row keys on screen whose last read is older than a visible row is guaranteed (scrolled into view, or a
    #: view came back): re-read at once, marked stale by the view until then.
    stale = t.List(t.Unicode(), default_value=[]).tag(sync=True)
    #: ``{row key: {action: reason}}`` (:class:`~.actions.DeniedActions`): actions DSS refused with a 403; the
    #: view greys them out.
    denied = t.Dict(value_trait=t.Dict(value_trait=t.Unicode()), default_value={}).tag(sync=True)
    #: ``scheme://host[:port]`` of DSS (no credentials): exposed links elsewhere show their host.
    dss_origin = t.Unicode("").tag(sync=True)

    # -- written by the browser (the user's own controls; Python never writes them) ------------------
    #: The free-text filter (every word must match a searchable column).
    filter_text = t.Unicode("").tag(sync=True)
    #: The multi-select filters of the columns that declare one (values chosen; empty = all).
    filter_states = t.List(t.Unicode(), default_value=[]).tag(sync=True)
    #: See ``filter_states``.
    filter_owners = t.List(t.Unicode(), default_value=[]).tag(sync=True)
    #: See ``filter_states``.
    filter_projects = t.List(t.Unicode(), default_value=[]).tag(sync=True)
    #: See ``filter_states``.
    filter_templates = t.List(t.Unicode(), default_value=[]).tag(sync=True)
    #: The Running column's filter, in seconds: only the studios RUNNING for longer than that are shown (0 = all;
    #: ``4 * 3600``: running > 4 h). The view checks each row's ``running_since`` against its clock every second, so
    #: a studio crossing the threshold appears without a read of DSS; a stopped studio never matches. The menu's
    #: choices: :data:`~.columns.RUNNING_CHOICES`. A negative or non-finite value is a ``ValueError``.
    filter_running_min = t.Float(0.0).tag(sync=True)
    #: ``""`` or ``"project"``: rows grouped by project.
    group_by = t.Enum(["", "project"], default_value="").tag(sync=True)
    #: The column menu and resize handles: :class:`~.columns.ColumnsState` ``{hidden: [column id...], widths:
    #: {column id: px}}``.
    columns = t.Dict(per_key_traits={"hidden": t.List(t.Unicode()), "widths": t.Dict(value_trait=t.Float())},
                     default_value={}).tag(sync=True)
    #: :class:`~.columns.SortState` ``{column, descending}``: ``column`` is a declared column's ``sort`` (another:
    #: the first sortable one).
    sort = t.Dict(per_key_traits={"column": t.Unicode(), "descending": t.Bool()},
                  default_value={"column": "project", "descending": False}).tag(sync=True)
    #: Keep the rows live (the view's Live switch).
    live = t.Bool(True).tag(sync=True)

    # -- written by the user (Python) ----------------------------------------------------------------
    #: Requests per second the live refresh stays within while somebody looks (default 2).
    request_budget = t.Float(DEFAULT_BUDGET).tag(sync=True)

    def __init__(self, client: Any, project_keys: str | Iterable[str] | None = None, *, wait: bool = True,
                 user: str | None = None, activity_log: ActivityLog | None = None, unsynced: bool = False,
                 **traits: Any) -> None:
        keys = _check_project_keys(project_keys)  # before anything is built or sent
        if not isinstance(unsynced, bool):
            raise TypeError(f"unsynced must be True or False, got {unsynced!r}")
        traits = _without_auto_refresh(traits)
        activity = PanelActivity(activity_log, "studios", lambda: user or default_who(client))
        self._closed = False
        super().__init__(**traits)
        self.set_trait("config", table_config(unsynced=unsynced))
        self._client = client
        self._views = TableViews(self, client, self.config, project_keys=keys)
        self._views.restore(frozenset(traits))  # the last view of this DSS in the kernel; given traits win
        self._views.remember()
        self.observe(lambda _change: self._views.remember(), names=list(self._views.traits))
        self._project_keys = keys
        self._unsynced = unsynced
        self._activity = activity
        self.dss_origin = origin_of(getattr(client, "base_url", None))
        self._refresh_lock = threading.Lock()
        self._failures_shown: set[str] = set()
        self._conflict_handlers: list[Callable[[str, str], Any]] = []
        self._viewers: dict[tuple[str, str], Any] = {}  # one ConflictViewer per studio (open_conflicts)
        # a failed send is an alert (never a table silently left on "Loading…")
        self.store = RowStore(STUDIO_COLUMNS, send=self._send_rows,
                              get_selection=lambda: self.selection, set_selection=self._set_selection,
                              set_summary=self._set_summary)
        self._flights = Flights(self._set_in_flight)
        self.live_refresher = LiveRefresher(
            self.store, client,
            LiveView(alert=self.add_alert, clear_alert=self.clear_alert, show_transitions=self._set_transitions,
                     show_info=self._set_live_info, show_updated=self._show_updated, acting=self._flights.keys,
                     enabled=self._live_enabled, show_stale=self._set_stale, looked_again=self._looked_again),
            project_keys=keys, budget=self.request_budget, thread_name=f"{self.thread_prefix}-live")
        self.lifecycle = Lifecycle(client, self.store, self._flights, project_keys=keys, operation=self.operation,
                                   row=self._row, reread=self.live_refresher.reread, start=self.start,
                                   set_blocked=self._set_create_blocked)
        if wait:
            self.refresh()
        else:
            self.loading = True
            self.submit(self.refresh)
        self.live_refresher.start()

    # -- public properties ----------------------------------------------------------------------
    @property
    def client(self) -> Any:
        """The client the table reads from."""
        return self._client

    @property
    def df(self) -> pd.DataFrame:
        """The studios shown (columns of ``studios_frame``), indexed by row key ``"PROJECT/id"``."""
        return self.store.frame()

    @property
    def selected(self) -> pd.DataFrame:
        """The selected rows as a DataFrame (same columns and index as :attr:`df`)."""
        return self.store.selected_frame()

    @selected.setter
    def selected(self, value: Any) -> None:
        self.store.select(value)

    @property
    def activity(self) -> list[dict[str, Any]]:
        """Actions done through this table (entries of :class:`~cswidgets.widgets.activity.ActivityLog`):
        ``{id, panel, who, what, target, project_key, studio_id, studio, when, outcome ("running" |
        "done" | "failed" | "aborted" | "refused" | "unknown"), duration_s, message, ...}``."""
        return self._activity.entries()

    @property
    def activity_log(self) -> ActivityLog:
        """The :class:`~cswidgets.widgets.activity.ActivityLog` the table records into."""
        return self._activity.log

    def on_activity(self, callback: Callable[[dict[str, Any]], Any]) -> Callable[[], None]:
        """Call ``callback(entry)`` for every activity entry of this table (when an action begins
        and ends). Runs on a worker thread. Returns a function that unsubscribes."""
        return self._activity.subscribe(callback)

    # -- views -----------------------------------------------------------------------------------
    @t.validate("filter_running_min")
    def _valid_running_min(self, proposal: Any) -> float:
        return check_seconds("filter_running_min", proposal["value"])

    @property
    def view(self) -> dict[str, Any]:
        """The view shown (:class:`~cswidgets.widgets.shared.views.TableView`): ``{sort, filter_text, filters,
        group_by, hidden}``. Assign a dict (some keys only, if you like) to show another; it is checked first."""
        return dict(self._views.current())

    @view.setter
    def view(self, value: Mapping[str, Any]) -> None:
        self._views.apply(value)

    def save_view(self, name: str) -> dict[str, Any]:
        """Save the view shown as ``name`` in your named views (a JSON file under your config folder, see
        :mod:`cswidgets.widgets.shared.views`); returns it. ``OSError`` naming the file when it cannot be written.

        Filters are saved as they are: "my running studios" keeps your login itself, not "me" (on a DSS where
        your login differs it matches nobody); "running > 4 h" keeps ``{"filter_running_min": 14400.0}``."""
        return dict(self._views.save(name))

    def apply_view(self, name: str) -> dict[str, Any]:
        """Show the named view ``name`` (``KeyError`` naming the saved ones when there is none); returns it."""
        return dict(self._views.applied(name))

    def views(self) -> dict[str, dict[str, Any]]:
        """Your named views of studio tables: ``{name: view}``."""
        return {name: dict(view) for name, view in self._views.listed().items()}

    def delete_view(self, name: str) -> bool:
        """Delete the named view ``name``; ``False`` when there was none."""
        return self._views.named.delete(name)

    # -- refresh --------------------------------------------------------------------------------
    def refresh(self) -> dict[str, Any]:
        """Fetch the studios again and send the changed rows to the views.

        Errors (network, permission, a failing project) go to the alert region and into the result;
        the rows already shown stay. Returns ``{total, upserted, removed, error}``.
        """
        with self._refresh_lock:
            if self._closed:  # a refresh queued behind a slow one, after close()
                return {"total": len(self.store.rows), "upserted": 0, "removed": 0, "error": "closed"}
            first = not self.store.loaded
            self.loading = True
            began = time.monotonic()
            try:
                df = (self._client.studios_frame(self._project_keys, unsynced=True) if self._unsynced
                      else self._client.studios_frame(self._project_keys))
            except Exception as exc:
                text, detail = self._describe(exc)
                message = f"Could not load the code studios: {text}"
                if isinstance(exc, DSSConnectionError):  # the live reads would say it again: this says it
                    self.live_refresher.connection_lost()
                self.add_alert(message, key="load", detail=detail)
                if first:  # nothing was ever read: no counts to show, say why
                    self._set_summary({**summarize(()), "not_loaded": why_not_loaded(exc, self._client)})
                return {"total": len(self.store.rows), "upserted": 0, "removed": 0, "error": message}
            finally:
                self.loading = False
            rows, failures, upserted, removed = self.store.replace_all(df)
            self.clear_alert("load")  # fresh data: the load failure no longer holds
            self.live_refresher.all_read(rows, began)  # every row was just read: the rolling pass starts over
            if not self.summary["failed_projects"]:  # every project was read: the table is fresh
                self._mark_updated()
            self._report(failures)
            if first:  # from the first read's headers: the table never waits on the simulator probe
                self.is_simulator = assumptions.simulator_hint(self._client)
            # New studio says before a click whether anything can be created: one request, part of the refresh (so
            # a refresh's reply means the table is whole, and nothing of it arrives later)
            self.lifecycle.check()
            return {"total": len(rows), "upserted": upserted, "removed": removed, "error": None}

    def _report(self, failures: list[dict[str, Any]]) -> None:
        messages = failure_messages(failures)
        for message in messages:
            if message not in self._failures_shown:
                self.add_alert(message, key=f"failure:{message}")
        for message in self._failures_shown - set(messages):  # that project or studio reads fine again
            self.clear_alert(f"failure:{message}")
        self._failures_shown = set(messages)

    # -- row actions ----------------------------------------------------------------------------
    def start(self, row_key: str) -> dict[str, Any]:
        """Start (or restart, when running) a studio; tracked in the background. Returns ``{accepted: True,
        action}`` (plus ``outcome: "unknown", state`` when the answer was lost). Raises ``ValueError`` while
        another action runs on it (:class:`~.actions.Repeated` when it is this one)."""
        return self._row_action("start", row_key)

    def stop(self, row_key: str) -> dict[str, Any]:
        """Stop a studio; tracked in the background (as :meth:`start`)."""
        return self._row_action("stop", row_key)

    def start_selected(self) -> dict[str, Any]:
        """Start every selected studio that is stopped; running ones are skipped (never restarted:
        that is :meth:`restart_selected`)."""
        return self._batch("start", list(self.selection))

    def restart_selected(self) -> dict[str, Any]:
        """Restart every selected studio that is running or starting (their users lose their session);
        stopped ones are skipped."""
        return self._batch("restart", list(self.selection))

    def stop_selected(self) -> dict[str, Any]:
        """Stop every selected studio that is running or starting."""
        return self._batch("stop", list(self.selection))

    def reread(self, row_keys: Iterable[str]) -> None:
        """Re-read these rows from DSS now (a deleted studio leaves the table; one DSS refuses to read keeps
        what it showed, with an alert)."""
        self.live_refresher.reread(list(row_keys))

    def live_rate(self) -> float:
        """Requests per second the live refresh made over the last 10 seconds."""
        return self.live_refresher.live_rate()

    def watched(self) -> bool:
        """Whether somebody looks: a view is displayed and not hidden (else the live reads trickle)."""
        return self.live_refresher.watched()

    def looked_at(self) -> bool:
        """The tasks this table follows are read live only while somebody looks at it (see :meth:`watched`) -- or
        while it was never displayed: a table used from Python only has its own actions followed live (whoever
        started them from a cell waits for them), though its live reads trickle."""
        return self.live_refresher.watched() or not self.live_refresher.ever_shown

    def on_conflicts(self, callback: Callable[[str, str], Any]) -> None:
        """Call ``callback(project_key, studio_id)`` when a row's "Conflicts" button is used,
        instead of opening the conflict viewer."""
        if not callable(callback):
            raise TypeError("on_conflicts expects a callable taking (project_key, studio_id)")
        self._conflict_handlers.append(callback)

    def open_conflicts(self, row_key: str) -> dict[str, Any]:
        """Open the conflicts of a row: the ``on_conflicts`` callbacks, else a ``ConflictViewer``."""
        row = self._row(row_key)
        with self.operation("conflicts", label=row["name"] or row_key, **row_fields(row)):
            if self._conflict_handlers:
                for callback in list(self._conflict_handlers):
                    callback(row["project_key"], row["id"])
            else:
                try:
                    from ..conflicts import ConflictViewer  # optional: another panel
                except ImportError:
                    raise RuntimeError("Conflict viewer unavailable: register a handler with "
                                       "table.on_conflicts(callback)") from None
                from IPython.display import display

                display(self._viewer(row, ConflictViewer))
        return {"opened": True}

    def _viewer(self, row: dict[str, Any], make: Callable[[Any], Any]) -> Any:
        """The one viewer of a row's studio: made on the first click, shown again (and checked again)
        on the next ones; a closed one is replaced."""
        ids = (row["project_key"], row["id"])
        viewer = self._viewers.get(ids)
        if viewer is not None and viewer.comm is not None:
            viewer.refresh_soon()
            viewer.reveal()  # shown again: brought into sight, focused
            return viewer
        viewer = self._viewers[ids] = make(self._studio(row))
        return viewer

    def _send_rows(self, message: dict[str, Any]) -> None:
        """Send a ``rows`` change to the views, and tell the client's other panels (the conflict viewers) the
        states it shows: a viewer of a studio deleted or stopped elsewhere learns it from the table's reads."""
        self.send_or_alert(message, "the rows")
        board = getattr(self._client, "sync_board", None)
        if board is None:
            return
        states: dict[tuple[str, str], str | None] = {
            (row["project_key"], row["id"]): row.get("state") for row in message.get("upsert") or ()}
        for key in message.get("remove") or ():
            project_key, _, studio_id = str(key).partition("/")
            states[(project_key, studio_id)] = None
        if states:
            board.states_seen(states)

    def _studio_changed(self, key: str) -> None:
        """Tell every panel of the client (the studio's conflict viewers) that a row's action ended."""
        row = self.store.get(key)
        board = getattr(self._client, "sync_board", None)
        if row is not None and board is not None:
            board.studio_changed(row["project_key"], row["id"])

    def _row(self, key: Any) -> dict[str, Any]:
        row = self.store.get(key)
        if row is None:
            raise ValueError(f"No code studio {key!r} in this table (refresh it?)")
        return dict(row)

    def _studio(self, row: dict[str, Any]) -> Any:
        return self._client.get_project(row["project_key"]).get_code_studio(row["id"])

    def _row_action(self, what: str, key: str) -> dict[str, Any]:
        row = self._row(key)
        label = row["name"] or key
        verb = "restart" if what == "start" and row["state"] in ACTIVE_STUDIO_STATES else what
        current = self._flights.current(key)
        if current is not None:
            if current.action == verb or (what == "start" and current.action in ("start", "restart")):
                reason = f"{label}: {current.action} already in progress"  # a repeated click: refused
                self.operation(verb, label=label, **row_fields(row)).refuse(reason)
                raise Repeated(reason)
            raise ValueError(f"{label}: {current.action} still in progress; wait for it to finish")
        slot = self._flights.slot(key, verb, label)
        try:
            with self.operation(verb, label=label, busy=slot, on_unknown=lambda: self._reread_after(key),
                                alert_key=f"action:{key}", **row_fields(row)) as op:
                reason = self.denied.get(key, {}).get(verb)
                if reason:  # DSS refused it before: not sent again
                    op.refuse(reason)
                    raise ValueError(reason)
                studio = self._studio(row)
                future = studio.stop() if what == "stop" else studio.restart()
                flight = slot.flight
                subscription = op.follow(
                    future, self._client.tracker,
                    on_progress=lambda fut: self._flights.progress(key, task_view(fut, self._client.tracker)),
                    on_done=lambda _fut: self._action_ended(key))
                if flight is not None:
                    flight.subscription = subscription
                self.submit(self._accepted, key)  # its STARTING / STOPPING shows at once, not at its turn
        except InFlight:  # lost a race with an identical click (recorded "refused" by the operation)
            raise Repeated(f"{label}: an action is already in progress") from None
        except Exception as exc:
            if is_permission_error(exc):
                why = self._describe(exc, verb, label)[0]
                self.denied = {**self.denied, key: {**self.denied.get(key, {}), verb: why}}
            raise  # the reply says it failed, the alert region shows it (with the raw detail)
        if op.outcome == "unknown":  # sent, answer lost: never "failed", never resent
            state = (self.store.get(key) or {}).get("state") or "UNKNOWN"
            return {"accepted": True, "action": verb, "outcome": "unknown", "state": state}
        return {"accepted": True, "action": verb}

    def _reread_after(self, key: str) -> str:
        """A start/stop whose answer was lost: re-read the row; what DSS now shows."""
        self._flights.progress(key, progress_view(status="checking", message="outcome unknown — checking"))
        self.live_refresher.reread([key])
        self._studio_changed(key)
        return f"DSS now shows {(self.store.get(key) or {}).get('state') or 'UNKNOWN'}"

    def _accepted(self, key: str) -> None:
        """DSS accepted a start or stop of the row: re-read it now (counted in the live budget)."""
        self.live_refresher.reread([key], list_projects=False)
        self.live_refresher.heat([key], spent=1)

    def _action_ended(self, key: str) -> str:
        """A start/stop task ended: its row is re-read (and a little longer: the final state shows at once);
        returns what DSS now shows."""
        self.live_refresher.reread([key])
        self._studio_changed(key)
        self.live_refresher.heat([key], spent=2)  # that re-read (its project's list and its status) counts
        return f"DSS now shows {(self.store.get(key) or {}).get('state') or 'UNKNOWN'}"

    def _batch(self, op: str, keys: list[str]) -> dict[str, Any]:
        """Act on ``keys``: ``"start"`` starts the stopped ones, ``"restart"`` restarts the running
        ones, ``"stop"`` stops the running ones; the others are skipped with a reason."""
        batch_rule(op)  # an unknown op: ValueError before anything is done
        accepted, skipped, failed = [], [], []
        for key in dict.fromkeys(keys):
            try:
                row = self._row(key)
                reason = batch_skip(op, row["state"])
                if reason:
                    skipped.append({"key": key, "reason": reason})
                    continue
                self._row_action("stop" if op == "stop" else "start", key)
            except Repeated as exc:
                skipped.append({"key": key, "reason": str(exc)})
                continue
            except Exception as exc:
                failed.append({"key": key, "error": self._describe(exc)[0]})
                continue
            accepted.append(key)
        if failed:
            details = "; ".join(f"{f['key']}: {f['error']}" for f in failed[:5])
            self.add_alert(f"{op.capitalize()} failed for {len(failed)} studio(s): {details}")
        return {"accepted": accepted, "skipped": skipped, "failed": failed}

    # -- export ---------------------------------------------------------------------------------------
    def to_csv(self, row_keys: Iterable[str] | None = None) -> str:
        """The rows ``row_keys`` (default: every row, in the table's order) as CSV text, ``DataFrame.to_csv`` of
        :attr:`df` (see :mod:`~cswidgets.widgets.studio_table.export` for the columns)."""
        frame = self.store.frame()
        return csv_text(frame, frame.index.tolist() if row_keys is None else [str(k) for k in row_keys])[0]

    def download_csv(self, row_keys: Iterable[str]) -> dict[str, Any]:
        """Send the rows ``row_keys`` (those the view shows) to the browser as a CSV download. Returns
        ``{name, rows}``."""
        if isinstance(row_keys, (str, bytes)) or not isinstance(row_keys, Iterable):
            raise TypeError("rows must be a list of row keys")
        text, count = csv_text(self.store.frame(), [str(k) for k in row_keys])
        name = csv_name()
        if not self.send_or_alert({"kind": "download", "name": name, "mime": "text/csv", "text": text}, "the CSV file"):
            raise self.shown_error("The CSV file could not be sent to the browser.")
        return {"name": name, "rows": count}

    # -- webapps published from a studio (the row's "Webapps" button) ------------------------------
    def webapps(self, row_key: str) -> list[dict[str, Any]]:
        """The webapps published from a row's studio, with their backend state and DSS page (one read of its
        project's webapps; :mod:`~cswidgets.widgets.studio_table.webapps`)."""
        row = self._row(row_key)
        return [dict(w) for w in studio_webapps(self._client, row["project_key"], row["id"])]

    def webapp_action(self, row_key: str, webapp_id: str, op: str) -> dict[str, Any]:
        """Start, restart or stop (``op``) the backend of a webapp of a row's studio (sent once, recorded in the
        activity). Returns ``{outcome, webapps}``: the studio's webapps as DSS shows them after."""
        row = self._row(row_key)
        known = {w["id"] for w in studio_webapps(self._client, row["project_key"], row["id"])}
        if webapp_id not in known:
            raise ValueError(f"{webapp_id!r} is not a webapp of {row['name'] or row_key} (refresh the list)")
        outcome = webapp_action(self._client, row["project_key"], str(webapp_id), str(op), self.operation,
                                row_fields(row))
        return {"outcome": outcome, "webapps": self.webapps(row_key)}

    # -- lifecycle (the Lifecycle part) -----------------------------------------------------------
    def create(self, project_key: str, name: str, template_id: str, start: bool = False) -> dict[str, Any]:
        """Create a code studio from a template in a project and add its row; ``start=True`` starts it
        (tracked in its row like a Start click). Returns ``{key, started}`` (plus ``outcome: "unknown"``
        when the answer was lost: refresh to see whether it was created)."""
        return self.lifecycle.create(project_key, name, template_id, start)

    def delete(self, row_key: str) -> dict[str, Any]:
        """Delete a code studio (its runtime, its settings and the files in it that were not synced to
        DSS are lost). Refused while an action runs on it. Returns ``{deleted: key}``."""
        return self.lifecycle.delete(row_key)

    def change_owner(self, row_key: str, new_owner: str) -> dict[str, Any]:
        """Give a code studio to another user (``new_owner``: a login). Returns ``{key, owner}``."""
        return self.lifecycle.change_owner(row_key, new_owner)

    def lifecycle_options(self) -> dict[str, Any]:
        """What the New-studio dialog offers: ``{projects: [key...], templates: [{id, label}...], blocked}``
        (``blocked``: :attr:`create_blocked`)."""
        return self.lifecycle.options()

    # -- trait writers (Python) -------------------------------------------------------------------
    @t.validate("selection")
    def _unique_selection(self, proposal: Any) -> list[str]:
        return list(dict.fromkeys(proposal["value"]))

    @t.validate("request_budget")
    def _check_budget(self, proposal: Any) -> float:
        value = float(proposal["value"])
        if not 0 < value <= MAX_BUDGET:
            raise t.TraitError(f"request_budget must be a number of requests per second in (0, {MAX_BUDGET:g}]")
        return value

    def _set_selection(self, keys: list[str]) -> None:
        if keys != self.selection:
            self.selection = keys

    def _set_summary(self, summary: Mapping[str, Any]) -> None:
        self.summary = {**summary, "text": summary_text(summary)}

    def _set_in_flight(self, value: dict[str, dict[str, Any]]) -> None:
        self.in_flight = value

    def _set_transitions(self, value: dict[str, Any]) -> None:
        self.transitions = value

    def _set_live_info(self, value: dict[str, Any]) -> None:
        self.live_info = value

    def _set_create_blocked(self, why: str) -> None:
        if why != self.create_blocked:
            self.create_blocked = why

    def _set_stale(self, keys: list[str]) -> None:
        if keys != self.stale:
            self.stale = keys

    def _looked_again(self) -> None:
        """A view came back: the tasks the table follows are read at once (the client's tracker)."""
        if self._flights.keys():  # only if it follows some (never start the tracker just for this)
            self._client.tracker.wake()

    def _show_updated(self, ms: int) -> None:
        if ms > self.updated_ms:
            self.updated_ms = ms

    def _live_enabled(self) -> bool:
        return self.live and not self._closed

    @t.observe("live", "request_budget")
    def _live_changed(self, change: Any) -> None:
        refresher = getattr(self, "live_refresher", None)
        if refresher is None:  # still in __init__, which starts the loop at its end
            return
        if change["name"] == "request_budget":
            refresher.set_budget(change["new"])
        refresher.wake()
        refresher.start()

    # -- messages from the front end ---------------------------------------------------------------
    @action("select", inline=True)
    def _on_select(self, add: Any = (), remove: Any = (), clear: bool = False) -> dict[str, Any]:
        selection = self.store.change_selection(lambda current, rows: changed_selection(current, rows, add, remove,
                                                                                      clear))
        return {"selected": len(selection)}

    @action("snapshot")
    def _on_snapshot(self) -> dict[str, Any]:
        return self.store.snapshot()

    @action("view", inline=True)
    def _on_view(self, view: str, state: str) -> dict[str, Any]:
        self.live_refresher.view_said(str(view), str(state))
        return {}

    def code(self, what: str, row_key: str | None = None, *, rows: Iterable[str] | None = None,
             new_owner: str | None = None, create: Mapping[str, Any] | None = None) -> str:
        """The Python of an action, nothing sent ("Copy as Python"): ``what`` ("stop", "restart", "delete",
        "change owner"...) on ``row_key``; a batch ``"start"``, ``"restart"`` or ``"stop"`` of the ``rows`` it
        would act on, in one snippet; or ``"create"`` of ``create`` = ``{project_key, name, template_id, start}``.
        ``ValueError`` for an unknown row or action."""
        what = str(what)
        if what == "create":
            form = dict(create or {})
            fields = ("project_key", "name", "template_id")
            if not all(isinstance(form.get(k), str) and form[k].strip() for k in fields):
                raise ValueError("Choose a project, a name and a template first")
            code = python_code("create", project_key=form["project_key"], template_id=form["template_id"],
                               name=form["name"].strip(), start=bool(form.get("start")))
        elif rows is not None:
            if isinstance(rows, (str, bytes)) or not isinstance(rows, Iterable):
                raise TypeError("rows must be a list of row keys")
            batch_rule(what)  # an unknown op: ValueError
            targets = [self._row(k) for k in dict.fromkeys(str(k) for k in rows)]
            keys = [f"{r['project_key']}/{r['id']}" for r in targets if not batch_skip(what, r["state"])]
            if not keys:
                raise ValueError(f"No studio to {what} among these")
            code = python_code(what, studios=keys)
        else:
            r = self._row(row_key)
            if what == "change owner" and not (isinstance(new_owner, str) and new_owner.strip()):
                raise ValueError("Type the new owner's login first")
            code = python_code(what, project_key=r["project_key"], studio_id=r["id"],
                               new_owner=new_owner.strip() if isinstance(new_owner, str) else None)
        if code is None:
            raise ValueError(f"No Python code for {what!r}")
        return code

    @action("code")
    def _on_code(self, what: str, row: str | None = None, rows: list[str] | None = None,
                 new_owner: str | None = None, create: dict[str, Any] | None = None) -> dict[str, Any]:
        return {"code": self.code(what, row, rows=rows, new_owner=new_owner, create=create)}

    @action("views")
    def _on_views(self) -> dict[str, Any]:
        return {"views": self.views()}

    @action("save_view")
    def _on_save_view(self, name: str) -> dict[str, Any]:
        self.save_view(name)
        return {"views": self.views()}

    @action("delete_view")
    def _on_delete_view(self, name: str) -> dict[str, Any]:
        return {"deleted": self.delete_view(name), "views": self.views()}

    @action("viewport", inline=True)
    def _on_viewport(self, view: str, keys: Any) -> dict[str, Any]:
        if not isinstance(keys, list) or not all(isinstance(k, str) for k in keys):
            raise ValueError("viewport: keys must be a list of row keys (strings)")
        self.live_refresher.viewport(str(view), keys)
        return {}

    @action("refresh")
    def _on_refresh(self) -> dict[str, Any]:
        return self.refresh()

    @action("start")
    def _on_start(self, row: str) -> dict[str, Any]:
        return _unless_repeated(lambda: self.start(row))

    @action("stop")
    def _on_stop(self, row: str) -> dict[str, Any]:
        return _unless_repeated(lambda: self.stop(row))

    @action("conflicts")
    def _on_conflicts(self, row: str) -> dict[str, Any]:
        return self.open_conflicts(row)

    @action("batch")
    def _on_batch(self, op: str, rows: list[str]) -> dict[str, Any]:
        return self._batch(op, list(rows))

    @action("csv")
    def _on_csv(self, rows: list[str]) -> dict[str, Any]:
        return self.download_csv(rows)

    @action("webapps")
    def _on_webapps(self, row: str) -> dict[str, Any]:
        return {"webapps": self.webapps(row)}

    @action("webapp")
    def _on_webapp(self, row: str, webapp: str, op: str) -> dict[str, Any]:
        return self.webapp_action(row, str(webapp), str(op))

    @action("lifecycle_options")
    def _on_lifecycle_options(self) -> dict[str, Any]:
        return self.lifecycle_options()

    @action("create")
    def _on_create(self, project_key: str, name: str, template_id: str, start: bool = False) -> dict[str, Any]:
        return self.create(project_key, name, template_id, bool(start))

    @action("delete")
    def _on_delete(self, row: str, confirm_name: str | None = None) -> dict[str, Any]:
        expected = self._row(row)["name"] or row
        if confirm_name != expected:
            raise ValueError(f"Type the studio's name ({expected}) to confirm the deletion.")
        return self.delete(row)

    @action("change_owner")
    def _on_change_owner(self, row: str, new_owner: str) -> dict[str, Any]:
        return self.change_owner(row, new_owner)

    # -- fallbacks and lifecycle ----------------------------------------------------------------
    def _summary(self) -> str:
        if not self.store.loaded:
            return "loading" if self.loading else "not loaded (see the alerts)"
        return summary_text(self.summary)

    def _static_html(self) -> str:
        rows = sorted(self.store.rows.values(), key=sort_key)
        return static_table_html(rows, self.summary if self.store.loaded else None)

    def close(self) -> None:
        """Stop the automatic refresh, stop following actions and the table's threads, then close
        the widget."""
        self._closed = True
        refresher = getattr(self, "live_refresher", None)
        if refresher is not None:  # absent if __init__ failed early
            refresher.wake()
            self._flights.cancel_all()
        super().close()
