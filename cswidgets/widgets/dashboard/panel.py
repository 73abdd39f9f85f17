"""Dashboard: the whole product in one cell — studios, file sync, template builds, activity.

>>> dash = cswidgets.Dashboard(client)          # all projects; Dashboard(client, ["PROJ"]) for some
>>> dash                                         # the widget ("<Dashboard: 13 studios · 6 running; ...>")
>>> dash.table, dash.conflicts, dash.builds      # the panels (StudioTable, ConflictViewer, TemplateBuilds)
>>> dash.show_studio("PROJ/abc1234")             # open a studio's zones in the file-sync tab
>>> dash.activity                                # every action taken from the panels, as a DataFrame

Layout: the studio table on top; below it, tabs "File sync" (the conflict viewer of the selected
studio), "Template builds", "Activity" and "Governance" (:class:`~cswidgets.widgets.governance.Governance`:
running studios and hours by owner, template and project, outdated images, unsynced files and the idle
policy's dry run; read when its tab is first opened, then on its Refresh). It is an ``ipywidgets.VBox``
holding the panels (each an anywidget) and a ``Tab``: plain ipywidgets containers render the same in
JupyterLab, Notebook 7, VS Code and the classic notebook. In marimo, which renders anywidgets but not
ipywidgets containers, the same panels show in marimo's own layout (``_display_``, :mod:`.marimo_form`).

The parts talk to each other: selecting one studio in the table (or its "Conflicts" button) opens
its zones in the file-sync tab; every action (start, stop, restart, pull, push, check, build,
abort...) is recorded, with who, when, outcome and duration, in one :class:`ActivityLog`.
Switching studios runs on the dashboard's own worker thread (the latest request wins), never on
the kernel's main thread. :meth:`Dashboard.close` stops it and closes every panel (each stops its
own threads).
"""

from __future__ import annotations

import html
import itertools
import logging
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import ipywidgets as widgets
import pandas as pd

from ...api.policy import parse_duration
from ..activity import ActivityLog, ActivityPanel
from ..conflicts import ConflictViewer
from ..governance import Governance
from ..shared.static import snapshot
from ..shared.tabs import Tabs
from ..shared.views import LAST
from ..studio_table import StudioTable
from ..studio_table.live import DEFAULT_BUDGET
from ..template_builds import TemplateBuilds
from . import marimo_form

log = logging.getLogger(__name__)

__all__ = ["Dashboard"]

TAB_SYNC, TAB_BUILDS, TAB_ACTIVITY, TAB_GOVERNANCE = 0, 1, 2, 3
TAB_NAMES = ("sync", "builds", "activity", "governance")
_DASHBOARD_IDS = itertools.count(1)


class Dashboard(widgets.VBox):
    """Studio table, file sync of the selected studio, template builds and an activity log.

    Running the cell again keeps the tab shown, the table's view and the activity log: a new Dashboard of
    the same DSS starts from them (:mod:`cswidgets.widgets.shared.views`).

    Parameters
    ----------
    client : cswidgets.api.Client
        The connection (never synced to the front end).
    project_keys : str or iterable of str, optional
        Projects whose studios are shown; all projects when ``None``.
    wait : bool
        Load the studios before returning (default); ``False`` loads them in the background.
    user : str, optional
        Who appears in the activity log (default: the client's login, :attr:`Client.login`).
    live : bool
        Keep the studio table live (default; see :class:`StudioTable`).
    request_budget : float
        Requests per second the table's live refresh stays within while somebody looks (default 2).
    idle_after : str, timedelta or seconds
        The threshold of the idle policy the Governance tab runs as a dry run (default ``"8h"``).
    layout : ipywidgets.Layout or dict, optional
        The dashboard's box (width, height, border, margin...), as for any ipywidgets container. The
        parts take theirs from the panels: ``dash.table.layout.height = "600px"`` grows the table.

    Examples
    --------
    >>> import cswidgets
    >>> client = cswidgets.connect()
    >>> dash = cswidgets.Dashboard(client)                   # the studio table, file sync, builds, activity
    >>> dash
    >>> dash.show_studio("PROJ/abc1234")                     # its zones in the File sync tab
    >>> dash.tab = "activity"
    >>> dash.activity                                        # every action, with the code that does it
    """

    def __init__(self, client: Any, project_keys: str | Iterable[str] | None = None, *, wait: bool = True,
                 user: str | None = None, live: bool = True, request_budget: float = DEFAULT_BUDGET,
                 idle_after: Any = "8h",
                 layout: widgets.Layout | dict[str, Any] | None = None, **deprecated: Any) -> None:
        parse_duration(idle_after, "idle_after")  # a bad value fails before any panel (or thread) is made
        self._client = client
        self._closed = False
        self._user = user
        # the activity log of this DSS's dashboards in the kernel: a re-run cell shows the previous entries
        self._log = LAST.kept(client, "dashboard.activity", ActivityLog)
        self._switch_lock = threading.Lock()
        self._wanted: tuple[str, str] | None = None
        self._shown: tuple[str, str] | None = None
        self.thread_prefix = f"cswidgets-Dashboard-{next(_DASHBOARD_IDS)}"
        self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix=f"{self.thread_prefix}-switch")
        self._titles_lock = threading.Lock()

        # one log for every panel: each records its own actions into it
        unknown = set(deprecated) - {"auto_refresh_s"}
        if unknown:
            raise TypeError(f"Dashboard() got unexpected keyword arguments: {', '.join(sorted(unknown))}")
        if "auto_refresh_s" not in deprecated:
            deprecated["live"] = live
        self._table = StudioTable(client, project_keys, wait=wait, request_budget=request_budget,
                                  user=user, activity_log=self._log, **deprecated)
        self._viewer = ConflictViewer(None, check=False, user=user, activity_log=self._log)
        self._builds = TemplateBuilds(client, user=user, activity_log=self._log)
        self._activity = ActivityPanel(self._log)
        # read when its tab is first opened (its conflicts checks cost one request per zone of each running studio)
        self._governance = Governance(client, project_keys, idle_after=idle_after, load=False, user=user,
                                      activity_log=self._log)
        self._tabs = Tabs(children=[self._viewer, self._builds, self._activity, self._governance])
        self._tabs.add_class("csw-dashboard-tabs")
        super().__init__(children=[self._table, self._tabs], **({} if layout is None else {"layout": layout}))
        self.add_class("csw-dashboard")

        self._table.on_conflicts(self._on_conflicts)
        self._table.observe(self._selection_changed, names=["selection"])
        self._viewer.observe(self._update_titles, names=["studio_view"])
        self._builds.observe(self._update_titles, names=["builds"])
        self._log.subscribe(self._update_titles)
        self._tabs.observe(self._tab_changed, names=["selected_index"])
        self._update_titles()
        last = LAST.get(client, "dashboard") or {}
        if last.get("tab") in TAB_NAMES:  # the tab shown before the cell was run again
            self._tabs.selected_index = TAB_NAMES.index(last["tab"])
        self._tabs.observe(self._remember_tab, names=["selected_index"])

    def _remember_tab(self, _change: Any = None) -> None:
        LAST.put(self._client, "dashboard", {"tab": self.tab})

    # -- the parts ------------------------------------------------------------------------------
    @property
    def client(self) -> Any:
        return self._client

    @property
    def table(self) -> StudioTable:
        """The studio table."""
        return self._table

    @property
    def conflicts(self) -> ConflictViewer:
        """The conflict viewer (file sync) of the selected studio."""
        return self._viewer

    @property
    def builds(self) -> TemplateBuilds:
        """The template builds panel."""
        return self._builds

    @property
    def governance(self) -> Governance:
        """The governance summary (its tab)."""
        return self._governance

    @property
    def activity_log(self) -> ActivityLog:
        """The :class:`ActivityLog` every panel's actions go to."""
        return self._log

    @property
    def activity(self) -> pd.DataFrame:
        """Every action taken from the panels (oldest first): ``panel, who, what, target,
        project_key, studio_id, studio, zone, template_id, when, outcome, duration_s, message, files``."""
        return self._log.frame()

    def on_activity(self, callback: Callable[[dict[str, Any]], Any]) -> Callable[[], None]:
        """Call ``callback(entry)`` when an action begins and when it ends (on a worker thread);
        returns a function that unsubscribes."""
        return self._log.subscribe(callback)

    @property
    def tab(self) -> str:
        """The tab shown: ``"sync"``, ``"builds"``, ``"activity"`` or ``"governance"`` (assignable; the
        governance tab reads DSS the first time it is shown)."""
        return TAB_NAMES[self._tabs.selected_index or 0]

    @tab.setter
    def tab(self, name: str) -> None:
        if name not in TAB_NAMES:
            raise ValueError(f"tab must be one of {sorted(TAB_NAMES)}, not {name!r}")
        self._tabs.selected_index = TAB_NAMES.index(name)

    def _tab_changed(self, change: dict[str, Any]) -> None:
        """The governance tab reads DSS when first shown (on the panel's own pool: the kernel is not held)."""
        if change["new"] == TAB_GOVERNANCE:
            self._governance.refresh_soon(unless_read=True)

    # -- studios --------------------------------------------------------------------------------
    def show_studio(self, studio: str | tuple[str, str], studio_id: str | None = None) -> ConflictViewer:
        """Open a studio's zones in the file-sync tab (checks them; blocks until done).

        ``studio`` is a row key ``"PROJECT/studio_id"``, a ``(project_key, studio_id)`` pair, or a
        project key followed by ``studio_id``. Returns the conflict viewer.
        """
        target = _parse_target(studio, studio_id)
        with self._switch_lock:
            self._wanted = target
        self._tabs.selected_index = TAB_SYNC
        self._switch(target, raise_errors=True)
        return self._viewer

    def refresh(self) -> dict[str, Any]:
        """Reload the studios and the templates, check the shown studio's zones again and, once its tab was
        read, the governance summary. Returns each panel's refresh result (``{"studios", "templates", "sync",
        "governance"}``, ``sync`` ``None`` when no studio is shown, ``governance`` ``None`` before its tab was
        read) and an ``"error"``: the first failure's text, or ``None``; never raises (the panel convention: each
        failure is in its panel's alert region)."""
        result: dict[str, Any] = {"studios": self._table.refresh(), "templates": self._builds.refresh(),
                                  "sync": self._viewer.refresh() if self._viewer.studio is not None else None,
                                  "governance": self._governance.refresh() if self._governance.summary else None}
        result["error"] = next((part["error"] for part in result.values() if part and part.get("error")), None)
        return result

    def _request(self, target: tuple[str, str]) -> None:
        """Show ``target`` in the viewer soon (worker thread; the latest request wins)."""
        with self._switch_lock:
            if self._closed:
                return
            self._wanted = target
        self._worker.submit(self._switch, target, False)

    def _switch(self, target: tuple[str, str], raise_errors: bool) -> None:
        with self._switch_lock:
            if self._closed or self._wanted != target:
                return  # a newer request superseded this one
        try:
            studio = self._client.get_project(target[0]).get_code_studio(target[1])
            self._viewer.studio = studio  # checks every zone; errors go to the viewer's alerts
        except Exception as exc:
            log.debug("could not show %s: %s", target, exc)
            if raise_errors:
                raise
            return
        finally:
            with self._switch_lock:
                self._shown = target

    def _on_conflicts(self, project_key: str, studio_id: str) -> None:
        self._tabs.selected_index = TAB_SYNC
        self._request((project_key, studio_id))
        self._viewer.reveal()  # the tab may sit below the fold: ⇄ brings it into sight, focused

    def _selection_changed(self, change: dict[str, Any]) -> None:
        new, old = list(change["new"] or []), set(change["old"] or [])
        added = [k for k in new if k not in old]
        key = new[0] if len(new) == 1 else added[0] if len(added) == 1 else None
        if key is None or "/" not in key:
            return
        target = _parse_target(key, None)
        with self._switch_lock:
            if target in (self._wanted, self._shown):
                return
        self._request(target)

    # -- tab titles -----------------------------------------------------------------------------
    def _update_titles(self, *_args: Any) -> None:
        view = self._viewer.studio_view or {}
        name = view.get("name") or view.get("id")
        building = sum(1 for b in self._builds.builds if not b.get("final"))
        counts = self._log.counts()
        titles = (
            f"File sync · {name}" if name else "File sync",
            f"Template builds ({building} building)" if building else "Template builds",
            f"Activity ({counts['total']}{', ' + str(counts['running']) + ' running' if counts['running'] else ''})",
            "Governance",
        )
        with self._titles_lock:
            if self._tabs.get_titles() != titles:
                self._tabs.set_titles(titles)

    # -- fallbacks and lifecycle ----------------------------------------------------------------
    def _summary(self) -> str:
        return f"{self._table._summary()}; {self._builds._summary()}; {self._activity._summary()}"

    def __repr__(self) -> str:
        return f"<Dashboard: {self._summary()}>"

    def _static_html(self) -> str:
        sections = [
            ("Code studios", self._table._static_html()),
            ("File sync", self._viewer._static_html()),
            ("Template builds", self._builds._static_html()),
            ("Activity", self._activity._static_html()),
            ("Governance", self._governance._static_html()),
        ]
        body = "".join(f"<h4>{html.escape(title)}</h4>{part}" for title, part in sections)
        return f"<div class='csw-static csw-dashboard'>{body}</div>"

    def _display_(self) -> Any:
        """marimo's display protocol: the same panels in marimo's own layout (marimo renders no
        ipywidgets container; see :mod:`cswidgets.widgets.dashboard.marimo_form`)."""
        return marimo_form.stacked(self._table, [("File sync", self._viewer), ("Template builds", self._builds),
                                             ("Activity", self._activity), ("Governance", self._governance)])

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        bundle = super()._repr_mimebundle_(**kwargs)
        data = bundle[0] if isinstance(bundle, tuple) else bundle
        if data is not None:
            data["text/html"] = snapshot(self._static_html())
            data["text/plain"] = repr(self)
        return bundle

    def close(self) -> None:
        """Close every panel (stops the table's refresh and following actions/builds)."""
        if getattr(self, "_switch_lock", None) is None:  # __init__ failed early
            super().close()
            return
        with self._switch_lock:
            self._closed = True
        self._worker.shutdown(wait=False, cancel_futures=True)
        for name in ("_table", "_viewer", "_builds", "_activity", "_governance", "_tabs"):
            part = getattr(self, name, None)
            if part is not None:
                part.close()
        super().close()


def _parse_target(studio: Any, studio_id: str | None) -> tuple[str, str]:
    if studio_id is not None:
        return str(studio), str(studio_id)
    if isinstance(studio, tuple) and len(studio) == 2:
        return str(studio[0]), str(studio[1])
    if isinstance(studio, str) and "/" in studio:
        project_key, sid = studio.split("/", 1)
        return project_key, sid
    raise ValueError(f"expected 'PROJECT_KEY/studio_id' or (project_key, studio_id), not {studio!r}")
