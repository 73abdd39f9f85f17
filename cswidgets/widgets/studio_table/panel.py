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
Synced traits hold small view state only, each with ONE writer:

- written by Python: ``selection`` (the browser asks with ``{kind: "select", add, remove, clear}``),
  ``alerts``, ``loading``, ``summary``, ``is_simulator``, ``in_flight``;
- written by the browser (the user's own controls; the library never writes them, a user may
  assign them from Python, e.g. as initial values): ``filter_text``, ``filter_states``,
  ``filter_owners``, ``filter_projects``, ``filter_templates`` (multi-select filters: empty = all),
  ``group_by`` (``""`` or ``"project"``), ``columns`` (``{hidden: [id...], widths: {id: px}}``: the
  column menu and resize handles), ``sort``, ``live`` (the Live switch);
- written by the user only (Python): ``request_budget``;
- written by Python (the live refresh): ``transitions``, ``live_info``, ``updated_ms``.

What the user sees is what is selected: the browser's select-all and shift-click take the rows
shown, and its batch buttons send the selected rows shown (the hidden ones only when the user asks).
The Python methods act on :attr:`selection` as it is.

Messages from the front end (answered with the envelope of :mod:`cswidgets.widgets.shared.panel`):
``snapshot``, ``refresh``, ``start {row}``, ``stop {row}``, ``conflicts {row}``,
``batch {op: "start" | "restart" | "stop", rows: [key...]}`` (start: the stopped rows only;
restart and stop: the running ones), ``select {add, remove, clear}``; and those of
:mod:`~cswidgets.widgets.studio_table.lifecycle` (create, delete, change owner).

Live (on by default, :mod:`~cswidgets.widgets.studio_table.refresher`): studios in transition or acted on are
re-read about every second, starts and stops DSS lists as running tasks are seen within a second or two
(whoever started them), and every other row is re-read in a rolling pass -- all within ``request_budget``
requests per second (default 20). ``live_info`` says how: ``{budget, in_transition, pass_s (seconds a
full pass takes), rate (requests/s over the last 10 s), tasks (whether DSS's running tasks are read)}``.

Threads: the table's own action pool (clicks, the background load, the end of an action) and, while
``live`` is on, one live thread that holds the table only weakly: it stops when the table is closed
or garbage-collected, or ``live`` is turned off.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any

import pandas as pd
import traitlets as t

from cswidgets.api.assumptions import ACTIVE_STUDIO_STATES
from cswidgets.api.validate import check_id

from ..activity import ActivityLog, PanelActivity, default_who
from ..shared.errors import describe, is_permission_error, why_not_loaded
from ..shared.panel import Panel, action, bundle, changed_selection, stylesheet
from ..shared.progress import progress_view, task_outcome, task_view
from .actions import Flights
from .lifecycle import StudioLifecycle
from .live import DEFAULT_BUDGET
from .refresher import LiveRefresher
from .rows import (
    diff_rows,
    failure_messages,
    frame_rows,
    keys_of,
    origin_of,
    sort_key,
    static_table_html,
    summarize,
    summary_text,
)

log = logging.getLogger(__name__)

MAX_BUDGET = 1000.0
# batch op -> whether it wants active (running/starting) studios; the others are skipped
_BATCH_WANTS = {"start": False, "restart": True, "stop": True}


def _batch_skip(op: str, state: str) -> str | None:
    """Why a batch ``op`` skips a studio in ``state`` (``None``: it acts on it). A batch start never
    restarts a running studio, and nothing is done to a studio on its way down."""
    active = state in ACTIVE_STUDIO_STATES
    if active == _BATCH_WANTS[op] and state != "STOPPING":
        return None
    if state == "STOPPING":
        return "still stopping (STOPPING)"
    if op == "start":
        return f"already running ({state})"
    return f"not running ({state})"

__all__ = ["StudioTable"]


def _without_auto_refresh(traits: dict[str, Any]) -> dict[str, Any]:
    """``auto_refresh_s`` (before the live table) still works: 0 turns ``live`` off, more turns it on."""
    if "auto_refresh_s" not in traits:
        return traits
    import warnings

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


class StudioTable(StudioLifecycle, LiveRefresher, Panel):
    """A live table of code studios, built from ``client.studios_frame(project_keys)``.

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
        Requests per second the live refresh stays within (default 20).
    **traits
        Initial view state: ``filter_text``, ``filter_states``, ``filter_owners``, ``filter_projects``,
        ``filter_templates``, ``group_by``, ``columns``, ``sort``...
    """

    _esm = bundle("studio_table")
    _css = stylesheet("studio_table")

    filter_text = t.Unicode("").tag(sync=True)
    filter_states = t.List(t.Unicode(), default_value=[]).tag(sync=True)
    filter_owners = t.List(t.Unicode(), default_value=[]).tag(sync=True)
    filter_projects = t.List(t.Unicode(), default_value=[]).tag(sync=True)
    filter_templates = t.List(t.Unicode(), default_value=[]).tag(sync=True)
    group_by = t.Enum(["", "project"], default_value="").tag(sync=True)
    # {hidden: [column id...], widths: {column id: px}}: the column menu and the resize handles
    columns = t.Dict(default_value={}).tag(sync=True)
    sort = t.Dict(default_value={"column": "project", "descending": False}).tag(sync=True)
    selection = t.List(t.Unicode(), default_value=[]).tag(sync=True)
    loading = t.Bool(False).tag(sync=True)
    summary = t.Dict(default_value={}).tag(sync=True)
    is_simulator = t.Bool(False).tag(sync=True)
    #: Keep the rows live (the view's Live switch).
    live = t.Bool(True).tag(sync=True)
    #: Requests per second the live refresh stays within.
    request_budget = t.Float(DEFAULT_BUDGET).tag(sync=True)
    #: ``{row key: {action, who, progress}}``: starts and stops DSS lists as running that this table did not start.
    transitions = t.Dict(default_value={}).tag(sync=True)
    #: How the live refresh goes: ``{budget, in_transition, pass_s, rate, tasks}``.
    live_info = t.Dict(default_value={}).tag(sync=True)
    in_flight = t.Dict(default_value={}).tag(sync=True)
    #: ``{row key: {action: reason}}``: actions DSS refused with a 403; the view greys them out.
    denied = t.Dict(default_value={}).tag(sync=True)
    #: ``scheme://host[:port]`` of DSS (no credentials): exposed links elsewhere show their host.
    dss_origin = t.Unicode("").tag(sync=True)

    def __init__(self, client: Any, project_keys: str | Iterable[str] | None = None, *, wait: bool = True,
                 user: str | None = None, activity_log: ActivityLog | None = None, **traits: Any) -> None:
        keys = _check_project_keys(project_keys)  # before anything is built or sent
        traits = _without_auto_refresh(traits)
        activity = PanelActivity(activity_log, "studios", lambda: user or default_who(client))
        super().__init__(**traits)
        self._client = client
        self._project_keys = keys
        self.dss_origin = origin_of(getattr(client, "base_url", None))
        self._rows_lock = threading.RLock()
        self._refresh_lock = threading.Lock()
        self._rows: dict[str, dict[str, Any]] = {}
        from cswidgets.api.frames import STUDIO_COLUMNS  # here: the frames module pulls in the network stack

        self._frame = pd.DataFrame(columns=list(STUDIO_COLUMNS), index=pd.Index([], name="key", dtype=object))
        self._seq = 0
        self._loaded = False
        self._reported: set[str] = set()
        self._flights = Flights(self._set_in_flight)
        self._activity = activity
        self._conflict_handlers: list[Callable[[str, str], Any]] = []
        self._viewers: dict[tuple[str, str], Any] = {}  # one ConflictViewer per studio (open_conflicts)
        self._closed = False
        self._init_live(keys, self.request_budget)
        if wait:
            self.refresh()
        else:
            self.loading = True
            self._submit(self.refresh)
        self._start_live()

    # -- public properties ----------------------------------------------------------------------
    @property
    def client(self) -> Any:
        """The client the table reads from."""
        return self._client

    @property
    def df(self) -> pd.DataFrame:
        """The studios shown (columns of ``studios_frame``), indexed by row key ``"PROJECT/id"``."""
        with self._rows_lock:
            return self._frame.copy()

    @property
    def selected(self) -> pd.DataFrame:
        """The selected rows as a DataFrame (same columns and index as :attr:`df`)."""
        with self._rows_lock:
            keys = [k for k in self.selection if k in self._rows]
            return self._frame.loc[keys].copy()

    @selected.setter
    def selected(self, value: Any) -> None:
        with self._rows_lock:
            self.selection = keys_of(value, self._rows)

    @property
    def activity(self) -> list[dict[str, Any]]:
        """Actions done through this table (entries of :class:`~cswidgets.widgets.activity.ActivityLog`):
        ``{id, panel, who, what, target, project_key, studio_id, studio, when, outcome ("running" |
        "done" | "failed" | "aborted" | "refused"), duration_s, message, ...}``."""
        return self._activity.entries()

    # -- refresh --------------------------------------------------------------------------------
    def refresh(self) -> dict[str, Any]:
        """Fetch the studios again and send the changed rows to the views.

        Errors (network, permission, a failing project) go to the alert region and into the result;
        the rows already shown stay. Returns ``{total, upserted, removed, error}``.
        """
        with self._refresh_lock:
            if self._closed:  # a refresh queued behind a slow one, after close()
                return {"total": len(self._rows), "upserted": 0, "removed": 0, "error": "closed"}
            self.loading = True
            try:
                df = self._client.studios_frame(self._project_keys)
            except Exception as exc:
                text, detail = describe(exc)
                message = f"Could not load the code studios: {text}"
                self.add_alert(message, key="load", detail=detail)
                if not self._loaded:  # nothing was ever read: no counts to show, say why
                    self.summary = {**summarize(()), "not_loaded": why_not_loaded(exc)}
                return {"total": len(self._rows), "upserted": 0, "removed": 0, "error": message}
            finally:
                self.loading = False
            rows, frame, failures = frame_rows(df)
            with self._rows_lock:
                upsert, remove = diff_rows(self._rows, rows)
                first = not self._loaded
                self._rows, self._frame, self._loaded = rows, frame, True
                if first or upsert or remove:
                    self._send_rows("reset" if first else "patch", list(rows.values()) if first else upsert, remove)
                if remove:
                    gone = set(remove)
                    self.selection = [k for k in self.selection if k not in gone]
            self.clear_alert("load")  # fresh data: the load failure no longer holds
            with self._live_lock:  # every row was just read: the rolling pass starts over
                self._schedule.read(rows, time.monotonic())
                self._schedule.restart_pass(time.monotonic())
            self.summary = summarize(rows.values(), failures)
            if not self.summary["failed_projects"]:  # every project was read: the table is fresh
                self._mark_updated()
            self._report(failures)
            if first:
                try:
                    self.is_simulator = bool(self._client.is_simulator)
                except Exception:
                    log.debug("is_simulator probe failed", exc_info=True)
            return {"total": len(rows), "upserted": len(upsert), "removed": len(remove), "error": None}

    def _send_rows(self, op: str, upsert: list[dict[str, Any]], remove: list[str]) -> None:
        """Send a rows message (caller holds ``_rows_lock`` so versions go out in order)."""
        base, self._seq = self._seq, self._seq + 1
        # a failure is an alert (never a table silently left on "Loading…"); a view asks for a snapshot when it renders
        self.send_or_alert({"kind": "rows", "op": op, "seq": self._seq, "base": base, "upsert": upsert,
                            "remove": remove}, "the rows")

    def _report(self, failures: list[dict[str, Any]]) -> None:
        messages = failure_messages(failures)
        for message in messages:
            if message not in self._reported:
                self.add_alert(message, key=f"failure:{message}")
        for message in self._reported - set(messages):  # that project or studio reads fine again
            self.clear_alert(f"failure:{message}")
        self._reported = set(messages)

    # -- row actions ----------------------------------------------------------------------------
    def start(self, row_key: str) -> dict[str, Any]:
        """Start (or restart, when running) a studio; tracked in the background."""
        return self._row_action("start", row_key)

    def stop(self, row_key: str) -> dict[str, Any]:
        """Stop a studio; tracked in the background."""
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

    def on_activity(self, callback: Callable[[dict[str, Any]], Any]) -> Callable[[], None]:
        """Call ``callback(entry)`` for every activity entry of this table (when an action begins
        and ends). Runs on a worker thread. Returns a function that unsubscribes."""
        return self._activity.subscribe(callback)

    @property
    def activity_log(self) -> ActivityLog:
        """The :class:`~cswidgets.widgets.activity.ActivityLog` the table records into."""
        return self._activity.log

    def on_conflicts(self, callback: Callable[[str, str], Any]) -> None:
        """Call ``callback(project_key, studio_id)`` when a row's "Conflicts" button is used,
        instead of opening the conflict viewer."""
        if not callable(callback):
            raise TypeError("on_conflicts expects a callable taking (project_key, studio_id)")
        self._conflict_handlers.append(callback)

    def open_conflicts(self, row_key: str) -> dict[str, Any]:
        """Open the conflicts of a row: the ``on_conflicts`` callbacks, else a ``ConflictViewer``."""
        row = self._row(row_key)
        entry = self._activity.begin("conflicts", project_key=row["project_key"], studio_id=row["id"],
                                     studio=row["name"])
        try:
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
        except Exception as exc:
            self._activity.finish(entry, "failed", 0.0, self._error_text(exc))
            raise
        self._activity.finish(entry, "done", 0.0)
        return {"opened": True}

    def _viewer(self, row: dict[str, Any], make: Callable[[Any], Any]) -> Any:
        """The one viewer of a row's studio: made on the first click, shown again (and checked again)
        on the next ones; a closed one is replaced."""
        ids = (row["project_key"], row["id"])
        viewer = self._viewers.get(ids)
        if viewer is not None and viewer.comm is not None:
            viewer.refresh_soon()
            return viewer
        viewer = self._viewers[ids] = make(self._studio(row))
        return viewer

    def _studio_changed(self, key: str) -> None:
        """Tell every panel of the client (the studio's conflict viewers) that a row's action ended."""
        with self._rows_lock:
            row = self._rows.get(key)
        board = getattr(self._client, "sync_board", None)
        if row is not None and board is not None:
            board.studio_changed(row["project_key"], row["id"])

    def _row(self, key: Any) -> dict[str, Any]:
        with self._rows_lock:
            row = self._rows.get(key) if isinstance(key, str) else None
        if row is None:
            raise ValueError(f"No code studio {key!r} in this table (refresh it?)")
        return row

    def _studio(self, row: dict[str, Any]) -> Any:
        return self._client.get_project(row["project_key"]).get_code_studio(row["id"])

    def _row_action(self, what: str, key: str) -> dict[str, Any]:
        row = self._row(key)
        label = row["name"] or key
        verb = "restart" if what == "start" and row["state"] in ACTIVE_STUDIO_STATES else what
        current = self._flights.current(key)
        if current is not None:
            if current.action == verb or (what == "start" and current.action in ("start", "restart")):
                return {"accepted": False, "reason": f"{label}: {current.action} already in progress"}
            raise ValueError(f"{label}: {current.action} still in progress; wait for it to finish")
        entry = self._activity.begin(verb, project_key=row["project_key"], studio_id=row["id"],
                                     studio=row["name"])
        flight = self._flights.begin(key, verb, entry)
        if flight is None:  # lost a race with an identical click
            self._activity.finish(entry, "refused", 0.0, "another action is in progress")
            return {"accepted": False, "reason": f"{label}: an action is already in progress"}
        if verb in self.denied.get(key, {}):
            self._flights.end(key)
            self._activity.finish(entry, "refused", 0.0, self.denied[key][verb])
            raise ValueError(self.denied[key][verb])
        from cswidgets.api.errors import DSSOutcomeUnknownError  # here: api.errors imports dataikuapi (~0.4 s)

        try:
            studio = self._studio(row)
            future = studio.stop() if what == "stop" else studio.restart()
        except DSSOutcomeUnknownError as exc:  # sent, answer lost: never "failed", never resent
            return self._outcome_unknown(key, verb, label, entry, flight, exc)
        except Exception as exc:
            self._flights.end(key)
            exc.csw_attempt = (verb, label)  # type: ignore[attr-defined]
            message = describe(exc)[0]
            if is_permission_error(exc):
                self.denied = {**self.denied, key: {**self.denied.get(key, {}), verb: message}}
            self._activity.finish(entry, "failed", time.monotonic() - flight.started, message)
            raise  # the reply says it failed, the alert region shows it (with the raw detail)
        flight.subscription = self._client.tracker.track(
            future,
            on_progress=lambda fut: self._flights.progress(key, task_view(fut, self._client.tracker)),
            on_done=lambda fut: self._submit(self._finish, key, flight, fut),
        )
        return {"accepted": True, "action": verb}

    def _outcome_unknown(self, key: str, verb: str, label: str, entry: int, flight: Any,
                         exc: BaseException) -> dict[str, Any]:
        """A start/stop whose answer was lost: say so, re-read the row, report what DSS now shows."""
        self._flights.progress(key, progress_view(status="checking", message="outcome unknown — checking"))
        self._reread([key])
        self._studio_changed(key)
        with self._rows_lock:
            state = (self._rows.get(key) or {}).get("state") or "UNKNOWN"
        self._flights.end(key)
        message = f"{verb} of {label}: outcome unknown (the answer was lost); DSS now shows {state}"
        self._activity.finish(entry, "unknown", time.monotonic() - flight.started, message)
        self.add_alert(message, "warning", key=f"action:{key}", detail=describe(exc)[1])
        return {"accepted": True, "action": verb, "outcome": "unknown", "state": state}

    def _finish(self, key: str, flight: Any, future: Any) -> None:
        """An action ended: refresh its row, clear the flight, log it, report a failure."""
        outcome, message = task_outcome(future)
        self._reread([key])
        self._studio_changed(key)
        self._flights.end(key)
        with self._live_lock:  # the final state shows at once; re-read a little longer
            self._schedule.heat([key], time.monotonic())
            self._schedule.spent(2)  # that re-read (its project's list and its status) counts in the budget
        with self._rows_lock:
            row = self._rows.get(key) or {}
        name = row.get("name") or key
        if outcome == "unknown":  # the task could not be followed: say what DSS shows now
            message = f"{message}; DSS now shows {row.get('state') or 'UNKNOWN'}"
        self._activity.finish(flight.activity_id, outcome, time.monotonic() - flight.started, message)
        if outcome == "done":
            self.clear_alert(f"action:{key}")
        else:
            level = "warning" if outcome == "unknown" else "error"
            text = f"{flight.action.capitalize()} of {name}: {'outcome unknown' if outcome == 'unknown' else outcome}"
            self.add_alert(text + (f": {message}" if message else ""), level, key=f"action:{key}")

    def _batch(self, op: str, keys: list[str]) -> dict[str, Any]:
        """Act on ``keys``: ``"start"`` starts the stopped ones, ``"restart"`` restarts the running
        ones, ``"stop"`` stops the running ones; the others are skipped with a reason."""
        if op not in _BATCH_WANTS:
            raise ValueError(f"Unknown batch action {op!r} (expected 'start', 'restart' or 'stop')")
        accepted, skipped, failed = [], [], []
        for key in dict.fromkeys(keys):
            try:
                row = self._row(key)
                reason = _batch_skip(op, row["state"])
                if reason:
                    skipped.append({"key": key, "reason": reason})
                    continue
                result = self._row_action("stop" if op == "stop" else "start", key)
            except Exception as exc:
                failed.append({"key": key, "error": self._error_text(exc)})
                continue
            (accepted if result.get("accepted") else skipped).append(
                key if result.get("accepted") else {"key": key, "reason": result.get("reason")})
        if failed:
            details = "; ".join(f"{f['key']}: {f['error']}" for f in failed[:5])
            self.add_alert(f"{op.capitalize()} failed for {len(failed)} studio(s): {details}")
        return {"accepted": accepted, "skipped": skipped, "failed": failed}

    # -- selection (written by Python only, under _rows_lock) -------------------------------------
    @action("select", inline=True)
    def _on_select(self, add: Any = (), remove: Any = (), clear: bool = False) -> dict[str, Any]:
        with self._rows_lock:
            self.selection = changed_selection(self.selection, self._rows, add, remove, clear)
            return {"selected": len(self.selection)}

    @t.validate("selection")
    def _unique_selection(self, proposal: Any) -> list[str]:
        return list(dict.fromkeys(proposal["value"]))

    @t.validate("request_budget")
    def _check_budget(self, proposal: Any) -> float:
        value = float(proposal["value"])
        if not 0 < value <= MAX_BUDGET:
            raise t.TraitError(f"request_budget must be a number of requests per second in (0, {MAX_BUDGET:g}]")
        return value

    def _set_in_flight(self, value: dict[str, dict[str, Any]]) -> None:
        self.in_flight = value

    # -- live ----------------------------------------------------------------------------------------
    @t.observe("live", "request_budget")
    def _live_changed(self, change: Any) -> None:
        if getattr(self, "_schedule", None) is None:  # still in __init__, which starts the loop at its end
            return
        if change["name"] == "request_budget":
            with self._live_lock:
                self._schedule.budget = change["new"]
        self._live_wake.set()
        self._start_live()

    # -- actions (front end) ----------------------------------------------------------------------
    @action("snapshot")
    def _on_snapshot(self) -> dict[str, Any]:
        with self._rows_lock:
            return {"seq": self._seq, "rows": list(self._rows.values())}

    @action("view", inline=True)
    def _on_view(self, view: str, state: str) -> dict[str, Any]:
        self._view_said(str(view), str(state))
        return {}

    @action("refresh")
    def _on_refresh(self) -> dict[str, Any]:
        return self.refresh()

    @action("start")
    def _on_start(self, row: str) -> dict[str, Any]:
        return self.start(row)

    @action("stop")
    def _on_stop(self, row: str) -> dict[str, Any]:
        return self.stop(row)

    @action("conflicts")
    def _on_conflicts(self, row: str) -> dict[str, Any]:
        return self.open_conflicts(row)

    @action("batch")
    def _on_batch(self, op: str, rows: list[str]) -> dict[str, Any]:
        return self._batch(op, list(rows))

    # -- fallbacks and lifecycle ----------------------------------------------------------------
    def _summary(self) -> str:
        if not self._loaded:
            return "loading" if self.loading else "not loaded (see the alerts)"
        return summary_text(self.summary)

    def _static_html(self) -> str:
        with self._rows_lock:
            rows = sorted(self._rows.values(), key=sort_key)
        return static_table_html(rows, self.summary if self._loaded else None)

    def close(self) -> None:
        """Stop the automatic refresh, stop following actions and the table's threads, then close
        the widget."""
        self._closed = True
        if getattr(self, "_live_wake", None) is not None:  # absent if __init__ failed early
            self._live_wake.set()
            self._flights.cancel_all()
        super().close()

