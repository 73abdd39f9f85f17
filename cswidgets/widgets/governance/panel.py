"""Governance: the administrator's summary -- who and what holds the running studios, which run an outdated
image, which hold files DSS does not have yet, and the idle policy's dry run with "Stop the N chosen".

>>> gov = Governance(client)                 # reads once (wait=True); gov.refresh() reads again
>>> gov.report                                # the policy's last dry run (client.stop_idle's DataFrame)
>>> gov.stop_chosen(["PROJ/abc1234"])         # stops exactly these (each among those the dry run chose)

One read per refresh: ``client.studios_frame(unsynced=True)`` (the files each running studio holds that DSS
does not have: one conflicts check per two-way zone) and the policy's dry run on that same frame
(``client.stop_idle(..., frame=...)``: it checks the conflicts of its candidates). Nothing is read while
nobody asks: the Dashboard reads it when its tab is first opened (``wait=False, load=False``) and on Refresh.

Synced traits, each written by Python only (the view asks by message: ``refresh``, ``stop_chosen {rows}``,
``code {rows}`` -- the Python of that stop, for the confirmation's "Copy as Python", nothing sent):
``texts`` (set once), ``summary``, ``charts``, ``outdated``, ``unsynced``, ``policy``, ``policy_info``,
``loading``, ``stopping``, plus the base ``alerts`` and ``updated_ms``. Every text from DSS (logins, names,
template labels, project keys) is drawn by the view with ``textContent`` or SVG text nodes, never as HTML.

"Stop the N chosen" stops exactly the studios the confirmation named: ``stop_idle(dry_run=False, only=keys)``
reads them again just before each stop (never one with conflicts, never one that changed since), sends each
stop once, never retries, and records every stop in the activity log (panel ``policy``) beside the panel's own
"stop idle" entry. A studio the last dry run did not choose is refused before anything is sent.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd
import traitlets as t

from ...api.policy import human, parse_duration
from ...api.usage import governance_counts
from ..activity import ActivityLog, PanelActivity, default_who
from ..shared.format import duration_text
from ..shared.operation import python_code
from ..shared.panel import Panel, action, bundle, stylesheet
from ..shared.static import block, paragraph, table
from .records import TEXTS, charts, chosen, policy_rows, studio_refs

log = logging.getLogger(__name__)

__all__ = ["Governance"]


def summary_text(summary: Mapping[str, Any]) -> str:
    """``"6 running of 13 studios · 41.5 running hours · 4 outdated images (3 running) · 2 with unsynced files"``."""
    if not summary:
        return "not read yet"
    parts = [f"{summary['running']} running of {summary['studios']} studios",
             f"{summary['running_hours']:g} running hours",
             f"{summary['outdated']} outdated image{'s' if summary['outdated'] != 1 else ''}"
             f" ({summary['outdated_running']} running)"]
    parts.append(f"{summary['unsynced_studios']} with unsynced files" if summary.get("unsynced_read")
                 else "unsynced files not read")
    return " · ".join(parts)


class Governance(Panel):
    """The governance summary (see the module's docstring).

    Parameters
    ----------
    client : cswidgets.api.Client
        The connection (never synced).
    project_keys : str or iterable of str, optional
        Projects to look at; all when ``None``.
    idle_after : str, timedelta or seconds
        The idle policy's threshold (``stop_idle``'s ``running_longer_than``; default ``"8h"``).
    policy : dict, optional
        More ``stop_idle`` options: ``exclude_owners``, ``exclude_projects``, ``exclude_templates``.
    wait : bool
        Read before returning (default); ``False`` reads in the background.
    load : bool
        Read at all at creation (default); ``False``: only on :meth:`refresh` (the Dashboard's lazy tab).
    user : str, optional
        Who appears in the activity (default: the client's login).
    activity_log : ActivityLog, optional
        Record the stops into this log (shared with other panels, as the Dashboard does).

    Examples
    --------
    >>> import cswidgets
    >>> gov = cswidgets.Governance(cswidgets.connect(), idle_after="8h")  # reads once; gov.refresh() again
    >>> gov                                       # charts, outdated images, unsynced files, the policy
    >>> gov.report                                # the idle policy's last dry run (a DataFrame)
    >>> gov.stop_chosen(["PROJ/abc1234"])         # stops exactly these, each among those the dry run chose
    """

    _esm = bundle("governance")
    _css = stylesheet("governance")

    #: Texts the view shows as they are (:class:`~.records.GovernanceTexts`: what a stop does to two-way zones).
    #: Set once.
    texts = t.Dict(per_key_traits={"stop_zones": t.Unicode(), "stop_confirm": t.Unicode()},
                   read_only=True).tag(sync=True)
    #: The counts: ``{studios, running, running_hours, outdated, outdated_running, unsynced_studios,
    #: unsynced_read, text}`` (:func:`cswidgets.api.usage.governance_counts` plus its ``text``); ``{}`` before
    #: the first read.
    summary = t.Dict(per_key_traits={"studios": t.Int(), "running": t.Int(), "running_hours": t.Float(),
                                     "outdated": t.Int(), "outdated_running": t.Int(), "unsynced_studios": t.Int(),
                                     "unsynced_read": t.Bool(), "text": t.Unicode()},
                     default_value={}).tag(sync=True)
    #: The bar charts, a list of :class:`~.records.Chart` ``{id, title, unit, bars: [{label, value}], others}``.
    charts = t.List(t.Dict(), default_value=[]).tag(sync=True)
    #: The running studios whose image is older than their template's last build (:class:`~.records.StudioRef`).
    outdated = t.List(t.Dict(), default_value=[]).tag(sync=True)
    #: The running studios holding files DSS does not have yet (:class:`~.records.StudioRef`).
    unsynced = t.List(t.Dict(), default_value=[]).tag(sync=True)
    #: The policy's table: one :class:`~.records.PolicyRow` per running studio (stops first).
    policy = t.List(t.Dict(), default_value=[]).tag(sync=True)
    #: ``{threshold: "8h", dry_run: bool}``: the threshold as the reasons say it, and whether ``policy`` is a dry
    #: run (``False`` right after "Stop the N chosen": its outcomes).
    policy_info = t.Dict(per_key_traits={"threshold": t.Unicode(), "dry_run": t.Bool()},
                         default_value={}).tag(sync=True)
    #: Whether a read of DSS is under way.
    loading = t.Bool(False).tag(sync=True)
    #: Whether "Stop the N chosen" is under way.
    stopping = t.Bool(False).tag(sync=True)

    def __init__(self, client: Any, project_keys: str | Iterable[str] | None = None, *, idle_after: Any = "8h",
                 policy: Mapping[str, Any] | None = None, wait: bool = True, load: bool = True,
                 user: str | None = None, activity_log: ActivityLog | None = None) -> None:
        self._threshold = parse_duration(idle_after, "idle_after")  # bad input: an error before anything is built
        options = dict(policy or {})
        unknown = sorted(set(options) - {"exclude_owners", "exclude_projects", "exclude_templates"})
        if unknown:
            raise TypeError(f"policy options not accepted here: {', '.join(unknown)} (exclude_owners, "
                            "exclude_projects and exclude_templates are)")
        super().__init__()
        self.set_trait("texts", dict(TEXTS))
        self._client = client
        self._project_keys = project_keys
        self._options = options
        self._activity = PanelActivity(activity_log, "governance", lambda: user or default_who(client))
        self._lock = threading.Lock()  # the report and the frame change together
        self._refresh_lock = threading.Lock()  # one read at a time
        self._report: pd.DataFrame | None = None
        self._frame: pd.DataFrame | None = None
        self.policy_info = {"threshold": human(self._threshold), "dry_run": True}
        if load and wait:
            self.refresh()
        elif load:
            self.refresh_soon()

    # -- reading ------------------------------------------------------------------------------------
    @property
    def report(self) -> pd.DataFrame | None:
        """The policy's last report (``client.stop_idle``'s DataFrame; ``None`` before the first read)."""
        with self._lock:
            return None if self._report is None else self._report.copy()

    @property
    def frame(self) -> pd.DataFrame | None:
        """The ``studios_frame`` (with ``unsynced_files``) the summary was drawn from."""
        with self._lock:
            return None if self._frame is None else self._frame.copy()

    def refresh(self) -> dict[str, Any]:
        """Read the studios (with their unsynced files) and run the policy's dry run on them. Returns
        ``{studios, chosen, error}``; never raises for DSS (the error is in the alert region)."""
        with self._refresh_lock:
            if self.closed:
                return {"studios": 0, "chosen": 0, "error": "closed"}
            self.loading = True
            try:
                frame = self._client.studios_frame(self._project_keys, unsynced=True)
                report = self._client.stop_idle(self._threshold, dry_run=True, frame=frame,
                                                project_keys=self._project_keys, **self._options)
            except Exception as exc:
                text, detail = self._describe(exc)
                message = f"Could not read the governance summary: {text}"
                self.add_alert(message, key="load", detail=detail)
                return {"studios": 0, "chosen": 0, "error": message}
            finally:
                self.loading = False
            self._show(frame, report, dry_run=True)
            self.clear_alert("load")
            self._mark_updated()
            failed = list(frame.attrs.get("errors") or [])
            if failed:
                self.add_alert(f"{len(failed)} project(s) or studio(s) could not be read: the summary leaves them "
                               "out", level="warning", key="partial")
            else:
                self.clear_alert("partial")
            return {"studios": int(self.summary.get("studios", 0)), "chosen": len(chosen(self.policy)),
                    "error": None}

    def refresh_soon(self, *, unless_read: bool = False) -> None:
        """:meth:`refresh` on the panel's own pool (the caller is not held); ``unless_read``: not when a read
        succeeded already or one is under way."""
        if unless_read and (self.summary or self.loading):
            return
        self.loading = True
        self.submit(self.refresh)

    def _show(self, frame: pd.DataFrame, report: pd.DataFrame, *, dry_run: bool) -> None:
        counts = governance_counts(frame)
        running = frame["state"].astype(object) == "RUNNING"
        outdated = frame["image_outdated"].fillna(False).astype(bool) & running
        unsynced = frame["unsynced_files"].fillna(0).astype("int64") > 0
        with self._lock:
            self._frame, self._report = frame, report
        self.charts = charts(frame)
        self.outdated = studio_refs(frame, outdated)
        self.unsynced = studio_refs(frame, unsynced)
        keys = [f"{pk}/{sid}" for pk, sid in zip(frame["project_key"], frame["id"])]
        self.policy = policy_rows(report, dict(zip(keys, frame["unsynced_files"].tolist())))
        self.policy_info = {"threshold": human(self._threshold), "dry_run": dry_run}
        self.summary = {**counts, "text": summary_text(counts)}

    # -- acting -------------------------------------------------------------------------------------
    def stop_chosen(self, row_keys: Iterable[str]) -> dict[str, Any]:
        """Stop exactly ``row_keys`` (``"PROJECT/id"``), each among the studios the last dry run chose
        (``ValueError`` otherwise, before anything is sent), through the policy's real run (see the module's
        docstring). Returns ``{stopped, rows: [{key, decision, outcome, reason}]}``; the panel then reads again."""
        keys = self._chosen_keys(row_keys)
        label = f"{len(keys)} idle studio{'s' if len(keys) != 1 else ''}"
        rows: list[Any] = []
        stopped, report = 0, None
        self.stopping = True
        try:
            with self.operation("stop idle", target=label, verb="stop", args=self._stop_args(keys)) as op:
                report = self._client.stop_idle(self._threshold, dry_run=False, only=keys,
                                                project_keys=self._project_keys, activity=self._activity,
                                                **self._options)
                rows = [r for r in policy_rows(report) if r["key"] in keys]
                stopped = sum(1 for r in rows if r["outcome"] == "done")
                text = f"stopped {stopped} of {len(keys)}: " + "; ".join(
                    f"{r['name'] or r['key']}: {r['outcome'] or r['decision']}" for r in rows)
                worst = ("failed" if any(r["outcome"] == "failed" for r in rows)
                         else "unknown" if any(r["outcome"] == "unknown" for r in rows) else "done")
                op.end(worst, text)
        finally:
            self.stopping = False
        if report is None:  # the policy's own read lost its answer (outcome unknown, said in an alert)
            self.refresh()
            return {"stopped": 0, "outcome": "unknown", "rows": []}
        if stopped < len(keys):
            self.add_alert(f"Stopped {stopped} of the {len(keys)} chosen studios: " + "; ".join(
                f"{r['name'] or r['key']}: {r['reason']}" for r in rows if r["outcome"] != "done")[:300],
                level="warning", key="stop")
        else:
            self.clear_alert("stop")
        with self._lock:
            frame = self._frame
        if frame is not None and report is not None:
            self._show(frame, report, dry_run=False)  # the outcomes, until the next read
        return {"stopped": stopped, "rows": [{k: r[k] for k in ("key", "decision", "outcome", "reason")}
                                             for r in rows]}

    def _chosen_keys(self, row_keys: Iterable[str]) -> list[str]:
        """``row_keys`` checked: a list of keys, each among the studios the last dry run chose."""
        if isinstance(row_keys, (str, bytes)) or not isinstance(row_keys, Iterable):
            raise TypeError("row_keys must be a list of 'PROJECT/id' keys")
        keys = list(dict.fromkeys(str(k) for k in row_keys))
        if not keys:
            raise ValueError("No studio to stop.")
        allowed = set(chosen(self.policy))
        stray = [k for k in keys if k not in allowed]
        if stray:
            raise ValueError(f"Not among the studios the policy's dry run chose: {', '.join(stray[:5])} "
                             "(refresh, then choose again)")
        return keys

    def _stop_args(self, keys: list[str]) -> dict[str, Any]:
        """The arguments of the policy's real run on ``keys``, as ``python_code("stop idle")`` writes them."""
        project_keys = self._project_keys
        if project_keys is not None and not isinstance(project_keys, str):
            project_keys = list(project_keys)
        options = {name: value if isinstance(value, str) or value is None else list(value)
                   for name, value in self._options.items()}
        seconds = self._threshold.total_seconds()
        return {"studios": keys, "running_longer_than": int(seconds) if seconds.is_integer() else seconds,
                "project_keys": project_keys, "options": options}

    def code(self, row_keys: Iterable[str]) -> str:
        """The Python of "Stop the N chosen" on ``row_keys`` (the confirmation's "Copy as Python"): the policy's
        real run on exactly these studios, as the panel runs it. Nothing is sent."""
        return str(python_code("stop idle", **self._stop_args(self._chosen_keys(row_keys))))

    # -- messages -----------------------------------------------------------------------------------
    @action("refresh")
    def _on_refresh(self) -> dict[str, Any]:
        result = self.refresh()
        if result["error"]:
            raise self.shown_error(result["error"])
        return result

    @action("code")
    def _on_code(self, rows: list[str]) -> dict[str, Any]:
        return {"code": self.code(rows)}

    @action("stop_chosen")
    def _on_stop_chosen(self, rows: list[str]) -> dict[str, Any]:
        return self.stop_chosen(rows)

    # -- fallbacks ----------------------------------------------------------------------------------
    def _summary(self) -> str:
        return summary_text(self.summary)

    def _static_html(self) -> str:
        head = ("Studio", "Owner", "Running for", "Decision", "Reason")
        rows = [(p["name"] or p["key"], p["owner"], duration_text(p["running_for_s"]), p["decision"], p["reason"])
                for p in self.policy]
        bars = [paragraph(f"{c['title']}: " + ", ".join(f"{b['label']} {b['value']:g}" for b in c["bars"]))
                for c in self.charts]
        threshold = self.policy_info.get("threshold", "")
        return block("governance", paragraph(summary_text(self.summary)), *bars,
                     table(head, rows, caption=f"Idle policy (over {threshold}): dry run"))
