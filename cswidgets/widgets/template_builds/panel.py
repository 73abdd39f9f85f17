"""Build code studio templates from a notebook without blocking the kernel.

:class:`TemplateBuilds` shows the templates (``client.templates_frame()``) as a table with a Build
button per template and for a selection, a "without cache" option and one progress bar per build.
Every build is followed by the client's single tracker thread (:attr:`Client.tracker`); when a
build ends, the template list is re-read (one request, on the panel's own action pool: never on
the tracker thread, which must keep polling) so the row's "last built" time updates.

The panel wires three parts, each in its module: the builds shown (:mod:`.builds`), template
management -- import, export, delete (:mod:`.manage`) -- and the restart of the studios of a rebuilt
template (:mod:`.restarts`: after a rebuild, "Restart the N outdated running studios" names them and restarts
only those). Each row shows the template's studios (running / total, every project) and how many of its running
studios run an outdated image: one ``client.studios_frame()`` read after each refresh, on the panel's own
"counts" thread (the constructor waits for the first counts; later refreshes show the templates at once and the
counts when read, "—" until then; ``studio_counts=False`` skips it).
Every action is one :meth:`~cswidgets.widgets.shared.panel.Panel.operation`; its activity entry carries the
Python that does the same (build, abort, import, export, delete, restart outdated), and the ``code {what, ...}``
message answers that Python before an action (the delete confirmation's and the restart offer's "Copy as Python").

Traits and their writer: ``rows``, ``builds``, ``selected`` (the browser asks with
``{kind: "select", add, remove, clear}``), ``config`` (the columns, :mod:`.columns`), ``loading``,
``is_simulator``, ``alerts`` -- Python only;
``no_cache`` -- the browser's "without cache" box (the library never writes it).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable
from typing import Any

import traitlets as t

from ...api import assumptions
from ...api.errors import DSSOutcomeUnknownError
from ...api.outdated import studio_counts
from ...api.times import to_ms
from ...api.validate import check_id
from ..activity import ActivityLog, PanelActivity, default_who
from ..shared.operation import Operation, python_code
from ..shared.panel import Panel, action, bundle, changed_selection, stylesheet
from ..shared.progress import task_now, task_outcome
from .builds import Build, Builds
from .columns import TemplatesConfig, templates_config
from .manage import delete_template, export_template, import_args, import_template
from .restarts import outdated_offer, restart_studios, studios_using
from .restarts import restart_outdated as restart_outdated_of
from .rows import static_html, template_row, with_counts

log = logging.getLogger(__name__)

__all__ = ["TemplateBuilds"]

class TemplateBuilds(Panel):
    """Code studio templates with Build buttons and live progress bars.

    Parameters
    ----------
    client : cswidgets.api.Client
        The connection (its :attr:`~cswidgets.api.Client.tracker` follows every build).
    tracker : cswidgets.api.FutureTracker, optional
        Follow the builds with this tracker instead of the client's (tests, benchmarks).
    user : str, optional
        Who appears in the activity (default: the client's login, :attr:`Client.login`).
    activity_log : cswidgets.widgets.activity.ActivityLog, optional
        Record builds and aborts in this log (shared with other panels, as the Dashboard does)
        instead of one of the panel's own; :attr:`activity` still lists the panel's only.
    studio_counts : bool
        Show each template's studios (running / total) and how many run an outdated image (default): one
        ``client.studios_frame()`` read (every studio's status) per refresh. ``False``: the columns say "—".

    Notes
    -----
    Python API: :meth:`build`, :meth:`build_selected`, :meth:`abort`, :meth:`refresh`,
    :attr:`running`, :meth:`wait`, :attr:`frame`, :attr:`activity`, :meth:`on_activity`.

    Examples
    --------
    >>> import cswidgets
    >>> client = cswidgets.connect()
    >>> builds = cswidgets.TemplateBuilds(client)           # every template, with a Build button
    >>> builds                                              # a live bar per build
    >>> builds.build(builds.frame.index[0], no_cache=True)  # tracked in the background
    >>> builds.wait(timeout=1800)                           # or keep working: builds.running
    """

    _esm = bundle("template_builds")
    _css = stylesheet("template_builds")

    #: The templates, in DSS's order (:class:`~.rows.TemplateRow` each). Writer: Python.
    rows = t.List(t.Dict(), default_value=[]).tag(sync=True)
    #: The builds shown under the table, one per template at most (:class:`~.rows.BuildRecord` each). Writer: Python.
    builds = t.List(t.Dict(), default_value=[]).tag(sync=True)
    #: The ids of the selected templates (the browser asks with ``select`` messages). Writer: Python.
    selected = t.List(t.Unicode(), default_value=[]).tag(sync=True)
    #: The "without cache" box of the view (the default of :meth:`build_selected`). Writer: the browser.
    no_cache = t.Bool(False).tag(sync=True)
    #: The table's columns, declared once in Python (:class:`~.columns.TemplatesConfig`); constant: the view
    #: renders each cell by its kind and holds no column list.
    config = t.Dict(read_only=True).tag(sync=True)
    #: The template list is being read. Writer: Python.
    loading = t.Bool(False).tag(sync=True)
    #: The client talks to the simulator (the view says so). Writer: Python.
    is_simulator = t.Bool(False).tag(sync=True)

    @t.default("config")
    def _default_config(self) -> TemplatesConfig:
        return templates_config()

    def __init__(self, client: Any, *, tracker: Any = None, user: str | None = None,
                 activity_log: ActivityLog | None = None, studio_counts: bool = True, **kwargs: Any) -> None:
        if not callable(getattr(client, "templates_frame", None)):
            raise TypeError(f"TemplateBuilds needs a cswidgets client (cswidgets.connect()), "
                            f"got {type(client).__name__}")
        activity = PanelActivity(activity_log, "templates", lambda: user or default_who(client))
        super().__init__(**kwargs)
        self._activity = activity
        self._client = client
        self._tracker = tracker
        self._lock = threading.RLock()  # rows, frame, the builds awaiting their row update
        self._builds = Builds(self._show_builds)
        self._frame: Any = None
        self._awaiting_refresh: list[Build] = []  # ended builds whose row update is pending
        self._loaded = False
        self._count_studios = bool(studio_counts)
        self._counts: dict[str, dict[str, int]] | None = None  # {template id: counts}; None: not read
        self._counts_pool = self._executor("counts", 1)  # a slow studios read never holds a button or a refresh
        self._counts_queued = threading.Event()
        try:
            self.refresh()  # a failure is in the alert region
        finally:
            # after the first read, from its headers: a constructor never waits on the simulator probe
            self.is_simulator = assumptions.simulator_hint(client)
        self.wait_counts()  # the first counts, like the first templates, are there when the panel is shown

    # --- templates ---------------------------------------------------------------------------------
    def refresh(self) -> dict[str, Any]:
        """Re-read every template (``client.templates_frame()``) and update the table. Returns
        ``{"templates": n, "error": None | text}``; a failed read keeps the rows shown, is shown in the
        alert region and returned as ``error`` (never raised; the panel convention)."""
        self.loading = True
        try:
            frame = self._client.templates_frame()
        except Exception as exc:
            text, detail = self._describe(exc)
            message = f"Could not list the templates: {text}"
            self.add_alert(message, key="load", detail=detail)
            return {"templates": len(self.rows), "error": message}
        finally:
            self.loading = False
        self._count_soon()
        rows = [template_row(r) for r in frame.to_dict("records")]
        with self._lock:
            self._frame = frame
            self._loaded = True
            self.rows = self._with_failures(rows)
            self._mark_updated()
            ids = {r["id"] for r in rows}
            self.selected = [i for i in self.selected if i in ids]
        self.clear_alert("load")
        for err in frame.attrs.get("errors", []) or []:
            log.debug("template %s: %s", err.get("id"), err.get("error"))
        return {"templates": len(rows), "error": None}

    @action("refresh")
    def _on_refresh(self) -> dict[str, Any]:
        result = self.refresh()
        if result["error"]:
            raise self.shown_error(result["error"])
        return {"templates": result["templates"]}

    def _templates_now(self) -> str:
        """Read the templates again (after a lost answer): what DSS lists now."""
        result = self.refresh()
        if result["error"]:
            raise RuntimeError(result["error"])
        return f"DSS now lists {result['templates']} template{'s' if result['templates'] != 1 else ''}"

    def _refresh_build_info(self) -> None:
        """Update ``last_built`` / ``build_for`` from the template list (one request), then release
        the :meth:`wait` of the builds that ended before it started."""
        with self._lock:
            ended, self._awaiting_refresh = self._awaiting_refresh, []
        try:
            items = self._client.list_code_studio_templates()
        except Exception as exc:
            self.add_alert(f"Could not refresh the templates after a build: {self._error_text(exc)}", "warning")
        else:
            info = {it.id: (to_ms(it.last_built), [str(c) for c in it.build_for_configs]) for it in items}
            with self._lock:
                rows = []
                for row in self.rows:
                    if row["id"] in info:
                        last, build_for = info[row["id"]]
                        row = {**row, "last_built_ms": last, "build_for": build_for}
                    rows.append(row)
                self.rows = self._with_failures(rows)
            self._offer_restarts([e for e in ended if e.final == "done"])
        finally:
            for entry in ended:
                entry.done_event.set()

    def _with_failures(self, rows: list[Any]) -> list[Any]:
        """``rows`` with each template's last build failure and its studio counts."""
        return [with_counts({**row, "last_failure": self._builds.last_failure(row["id"])}, self._counts)
                for row in rows]

    def _read_counts(self) -> None:
        """Read the studios of every template (one ``studios_frame``): running / total, outdated running. A
        failed read says so (a warning) and the columns say "—" (not known), never 0."""
        if not self._count_studios:
            return
        try:
            table = studio_counts(self._client.studios_frame())
        except Exception as exc:
            self._counts = None
            self.add_alert(f"Could not count the studios of the templates: {self._error_text(exc)}", "warning",
                           key="counts")
            return
        self._counts = {str(r["template_id"]): {k: int(r[k]) for k in ("total", "running", "outdated",
                                                                       "outdated_running")}
                        for r in table.to_dict("records")}
        self.clear_alert("counts")

    def recount(self) -> None:
        """Read the studio counts again and show them (on the caller's thread: after restarts)."""
        self._read_counts()
        with self._lock:
            self.rows = self._with_failures(self.rows)

    def _count_soon(self) -> None:
        """:meth:`recount` on the panel's "counts" thread (one queued at most)."""
        if not self._count_studios or self._counts_queued.is_set():
            return
        self._counts_queued.set()

        def run() -> None:
            self._counts_queued.clear()
            self.recount()

        try:
            self._counts_pool.submit(run)
        except RuntimeError:  # closed
            self._counts_queued.clear()

    def wait_counts(self, timeout: float = 30.0) -> bool:
        """Block until the queued studio counts were read (tests, scripts); ``False`` after ``timeout`` s."""
        done = threading.Event()
        try:
            self._counts_pool.submit(done.set)
        except RuntimeError:
            return False
        return done.wait(timeout)

    def _schedule_build_info(self, entry: Build) -> None:
        with self._lock:
            first = not self._awaiting_refresh
            self._awaiting_refresh.append(entry)
        if first and self.submit(self._refresh_build_info) is None:  # closed: release wait() at once
            with self._lock:
                ended, self._awaiting_refresh = self._awaiting_refresh, []
            for ended_entry in ended:
                ended_entry.done_event.set()

    @property
    def frame(self) -> Any:
        """The last templates DataFrame read (a copy), or ``None``."""
        with self._lock:
            return None if self._frame is None else self._frame.copy()

    def _label_of(self, template_id: str) -> str:
        for row in self.rows:
            if row["id"] == template_id:
                return row["label"]
        return template_id

    def _check_template(self, template_id: Any) -> None:
        """``ValueError`` for a malformed id, or one that is not in the (loaded) template list."""
        check_id(template_id, "template id")
        with self._lock:
            if self._loaded and template_id not in {r["id"] for r in self.rows}:
                raise ValueError(f"Unknown template {template_id!r}.")

    # --- builds ------------------------------------------------------------------------------------
    def build(self, template_id: str, no_cache: bool = False) -> Any:
        """Start a build of ``template_id`` (``no_cache``: without the container cache).

        Returns the :class:`cswidgets.api.Future` at once; the panel shows its progress. Raises
        ``ValueError`` for an unknown template or one already building from this panel, and
        :class:`cswidgets.api.DSSError` when DSS refuses (the build request is never retried). When the
        answer was lost, DSS's running tasks are read again: the build found there is followed (and
        returned); if none runs, the outcome is "unknown" (a warning says so) and ``None`` is returned.
        """
        self._check_template(template_id)
        name = self._label_of(template_id)
        what = "build (no cache)" if no_cache else "build"
        lost: dict[str, str] = {}  # what DSS showed after a lost answer
        op = self.operation(what, target=name, label=repr(name), verb="build", template_id=template_id,
                            busy=self._builds.reserve(template_id, name), alert_key=f"build:{template_id}",
                            on_unknown=lambda: lost.get("shown", "DSS could not be asked again"))
        with op:
            try:
                future = self._client.get_code_studio_template(template_id).build(disable_docker_cache=bool(no_cache))
            except DSSOutcomeUnknownError:
                future = self._find_lost_build(template_id, name, lost)
                if future is None:
                    raise  # outcome unknown: the operation says so
            label = f"Build {name}" + (" (no cache)" if no_cache else "")
            entry = self._builds.add(template_id, label, bool(no_cache), future)
            tracker = self._tracker if self._tracker is not None else self._client.tracker
            entry.subscription = op.follow(future, tracker, on_progress=lambda fut: self._builds.progress(entry, fut),
                                           on_done=lambda fut: self._build_ended(op, entry, fut), alert=False)
            return future
        self.refresh()  # the row shows the "last built" time DSS now has
        return None

    def _find_lost_build(self, template_id: str, name: str, lost: dict[str, str]) -> Any:
        """A build request whose answer was lost: "outcome unknown — checking", then the build DSS runs
        for the template (never a resend), or ``None`` (``lost["shown"]`` says what DSS showed)."""
        key = f"build:{template_id}"
        self.add_alert(f"Build of {name}: outcome unknown — checking", "warning", key=key)
        try:
            found = [f for f in self._client.list_futures(as_objects=True)
                     if assumptions.builds_template(f.state, template_id)]
        except Exception as read_exc:  # the re-read failed too: the outcome stays unknown
            log.debug("re-reading the running builds failed: %s", read_exc)
            return None
        if found:
            self.clear_alert(key)
            return found[0]
        lost["shown"] = "DSS shows no build of it running"
        return None

    def _build_ended(self, op: Operation, entry: Build, future: Any) -> None:
        """A build ended (on the action pool): show it, end its operation (a success's message is its
        summary), then read the row's "last built" again (which releases :meth:`wait`)."""
        summary = self._builds.ended(entry, future)
        outcome, message = task_outcome(future)
        op.end(outcome, summary or message)
        self._schedule_build_info(entry)

    def build_selected(self, no_cache: bool | None = None) -> list[Any]:
        """Build every selected template that is not already building (``no_cache`` defaults to
        the panel's "without cache" box). Returns the futures started."""
        ids = [i for i in self.selected if i not in self._builds.running_ids()]
        return self._build_many(ids, self.no_cache if no_cache is None else no_cache)[0]

    def _build_many(self, ids: Iterable[str], no_cache: bool) -> tuple[list[Any], list[str], list[str]]:
        """Build each template: ``(futures, started, not started)``. A failure of DSS was shown by its
        operation; a refusal (unknown or already building) gets its alert here."""
        futures, started, failed = [], [], []
        for template_id in ids:
            try:
                future = self.build(template_id, no_cache=no_cache)
            except Exception as exc:
                if self.shown(exc) is None:
                    self.add_alert(f"Could not build {self._label_of(str(template_id))!r}: {self._error_text(exc)}")
                future = None
            if future is None:
                failed.append(template_id)
            else:
                futures.append(future)
                started.append(template_id)
        return futures, started, failed

    @action("select", inline=True)
    def _on_select(self, add: Any = (), remove: Any = (), clear: bool = False) -> dict[str, Any]:
        with self._lock:
            known = {r["id"] for r in self.rows}
            self.selected = changed_selection(self.selected, known, add, remove, clear)
            return {"selected": len(self.selected)}

    @action("build")
    def _on_build(self, template_ids: list[str], no_cache: bool = False) -> dict[str, Any]:
        if not isinstance(template_ids, list) or not template_ids:
            raise ValueError("Choose at least one template to build.")
        _futures, started, failed = self._build_many([str(i) for i in template_ids], bool(no_cache))
        return {"started": started, "failed": failed}

    @property
    def running(self) -> dict[str, Any]:
        """``{template_id: Future}`` of the builds still running."""
        return self._builds.running()

    def abort(self, template_id: str) -> bool:
        """Abort the running build of ``template_id`` (never retried); ``False`` if none runs.
        Raises ``ValueError`` for a malformed or unknown template id."""
        self._check_template(template_id)
        entry = self._builds.running_build(template_id)
        return self._abort(entry) if entry is not None else False

    def _abort(self, entry: Build) -> bool:
        if not self._builds.mark_abort(entry, True):
            return False
        name = self._label_of(entry.template_id)
        try:
            with self.operation("abort", target=name, template_id=entry.template_id,
                                on_unknown=lambda: task_now(entry.future), args={"job_id": entry.future.job_id}):
                entry.future.abort()
        except Exception:
            self._builds.mark_abort(entry, False)
            raise
        return True

    @action("abort")
    def _on_abort(self, key: str) -> dict[str, Any]:
        entry = self._builds.get(str(key))
        if entry is None:
            raise ValueError("This build is no longer shown; refresh the panel.")
        return {"aborting": self._abort(entry)}

    @action("dismiss")
    def _on_dismiss(self, key: str) -> dict[str, Any]:
        return {"dismissed": self._builds.dismiss(str(key))}

    def wait(self, timeout: float | None = None) -> dict[str, str]:
        """Block the calling thread until every running build ends and the table shows its new
        "last built" time; return ``{template_id: final state}`` of the builds shown. Progress
        keeps updating meanwhile (tracker thread).

        Raises :class:`TimeoutError` after ``timeout`` seconds (the builds keep running).
        """
        return self._builds.wait(timeout)

    def _show_builds(self, records: list[Any]) -> None:
        """Sync the builds (the builds part calls it, with its lock held)."""
        self.builds = records

    # --- restart the studios of a rebuilt template ----------------------------------------------------
    def _offer_restarts(self, built: list[Build]) -> None:
        """After a successful build: name the running studios of the template that now run an outdated image
        (none with conflicts), for the "Restart the N outdated running studios" offer; the counts follow."""
        if not built:
            return
        try:
            offers = {e.template_id: outdated_offer(self._client, e.template_id) for e in built}
        except Exception as exc:
            self.add_alert(f"Could not list the outdated running studios after a build: {self._error_text(exc)}",
                           "warning")
            return
        self._builds.offer_restart(built, offers)
        self.recount()

    def running_studios_using(self, template_id: str) -> list[str]:
        """The running (or starting) code studios created from ``template_id``, as ``"PROJECT/id"``
        keys (one ``client.studios_frame()`` read)."""
        return studios_using(self._client, template_id)

    def restart_studios(self, keys: Iterable[str]) -> list[Any]:
        """Restart code studios (``"PROJECT/id"`` keys), for instance after a rebuild of their template;
        each restart is recorded in the activity. Returns the restart futures (DSS's own progress).

        A restart whose answer was lost (:class:`~cswidgets.api.DSSOutcomeUnknownError`: sent, no answer in
        time) is never resent nor called failed: its outcome is ``unknown``, with the state DSS shows now
        (a warning alert says it), and the next studios are restarted."""
        return restart_studios(self, self._client, keys)[0]

    def restart_outdated(self, template_id: str, keys: Iterable[str]) -> dict[str, Any]:
        """Restart exactly the studios ``keys`` (``"PROJECT/id"``) of ``template_id`` that still run an image
        older than its last build (:func:`~.restarts.restart_outdated`): each read again just before, none with
        conflicts, each restart sent once and recorded in the activity. Returns ``{restarted, rows: [{key,
        decision, outcome, reason}]}``; the counts are read again."""
        self._check_template(template_id)
        keys = [str(k) for k in keys]
        if not keys:
            raise ValueError("No studio to restart.")
        name = self._label_of(template_id)
        result: dict[str, Any] = {"restarted": 0, "rows": []}
        with self.operation("restart outdated", target=name, verb="restart the outdated studios of",
                            label=repr(name), template_id=template_id, alert_key=f"restart:{template_id}",
                            args={"studios": keys}) as op:
            result = restart_outdated_of(self._client, template_id, keys, self._activity)
            left = [r for r in result["rows"] if r["outcome"] not in ("sent", "done")]
            outcomes = {r["outcome"] for r in left}
            op.end("failed" if "failed" in outcomes else "unknown" if "unknown" in outcomes else "done",
                   f"restarted {result['restarted']} of {len(keys)}" + "".join(f"; {r['key']}: {r['reason']}"
                                                                               for r in left))
        if result["restarted"] < len(keys):
            self.add_alert(f"Restarted {result['restarted']} of the {len(keys)} outdated studios of {name}: "
                           + "; ".join(f"{r['key']}: {r['reason']}" for r in result["rows"]
                                       if r["outcome"] not in ("sent", "done")), "warning",
                           key=f"restart:{template_id}")
        self.recount()
        return result

    @action("restart_studios")
    def _on_restart_studios(self, key: str) -> dict[str, Any]:
        entry = self._builds.get(str(key))
        keys = self._builds.take_restart(str(key))
        if entry is None or not keys:
            raise ValueError("No outdated running studio of this build's template to restart; refresh the panel.")
        return self.restart_outdated(entry.template_id, keys)

    # --- import, export, delete ---------------------------------------------------------------------
    def export(self, template_id: str, path: Any = None) -> Any:
        """The template's archive: written to ``path`` (returned) when given, else returned as bytes."""
        self._check_template(template_id)
        return export_template(self, self._client, template_id, self._label_of(template_id), path,
                               self._archive_name(template_id))

    def _archive_name(self, template_id: str) -> str:
        """The file name an export is saved as in the browser."""
        return f"{self._label_of(template_id)}.zip".replace("/", "_")

    def import_template(self, source: Any, label: str | None = None, *, name: str | None = None) -> str | None:
        """Import a template from an archive (a file path, or its bytes); returns the new template's id
        and shows it in the table (``None`` when the answer was lost: the table shows what DSS has). ``name``:
        the file name of archive bytes (an upload), used by the activity's "Copy as Python" code."""
        new_id = import_template(self, self._client, source, label, self._templates_now,
                                 name=name or "template.zip")
        if new_id is not None:
            self.refresh()
        return new_id

    def delete(self, template_id: str, delete_runtime: bool = False, delete_images: bool = False) -> str:
        """Delete a template (refused while it builds from this panel); returns DSS's messages as text."""
        self._check_template(template_id)
        messages = delete_template(self, self._client, template_id, self._label_of(template_id),
                                   building=template_id in self._builds.running_ids(), reread=self._templates_now,
                                   delete_runtime=delete_runtime, delete_images=delete_images)
        self.refresh()
        return messages

    def code(self, what: str, template_id: str | None = None, *, build: str | None = None,
             delete_runtime: bool = False, delete_images: bool = False, name: str | None = None,
             label: str | None = None) -> str:
        """The Python of an action before it is taken (a confirmation's "Copy as Python"; nothing is sent):
        ``"delete"`` of ``template_id`` (with its two options), ``"restart outdated"`` of the studios offered under
        the bar of build ``build``, ``"abort"`` of that build, ``"export"`` of ``template_id``, ``"import"`` of the
        archive file ``name`` (chosen in the browser) as ``label``. ``ValueError`` for another action, an unknown
        template, a build no longer shown or no archive chosen."""
        if what == "import":
            if not (isinstance(name, str) and name):
                raise ValueError("Choose a template archive (.zip) first.")
            code = python_code("import", **import_args(name, label or None, uploaded=True))
        elif what in ("delete", "export"):
            self._check_template(str(template_id))
            args = ({"delete_runtime": bool(delete_runtime), "delete_images": bool(delete_images)}
                    if what == "delete" else {"path": self._archive_name(str(template_id))})
            code = python_code(what, template_id=str(template_id), **args)
        elif what in ("restart outdated", "abort"):
            entry = self._builds.get(str(build))
            if entry is None:
                raise ValueError("This build is no longer shown; refresh the panel.")
            code = (python_code(what, template_id=entry.template_id, studios=list(entry.restart))
                    if what == "restart outdated" else python_code(what, job_id=entry.future.job_id))
        else:
            code = None
        if code is None:
            raise ValueError(f"No Python code for {what!r}")
        return code

    @action("code")
    def _on_code(self, what: str, template_id: str | None = None, build: str | None = None,
                 delete_runtime: bool = False, delete_images: bool = False, name: str | None = None,
                 label: str | None = None) -> dict[str, Any]:
        return {"code": self.code(str(what), template_id, build=build, delete_runtime=bool(delete_runtime),
                                  delete_images=bool(delete_images), name=name, label=label)}

    @action("export")
    def _on_export(self, template_id: str) -> dict[str, Any]:
        data = self.export(str(template_id))
        name = self._archive_name(str(template_id))
        self.send({"kind": "download", "name": name, "mime": "application/zip"}, buffers=[data])
        return {"name": name, "size": len(data)}

    @action("import")
    def _on_import(self, label: str | None = None, name: str | None = None,
                   buffers: list[bytes] | None = None) -> dict[str, Any]:
        if not buffers:
            raise ValueError("Choose a template archive (.zip) to import.")
        return {"id": self.import_template(bytes(buffers[0]), label=label or None,
                                           name=str(name) if name else None)}

    @action("delete")
    def _on_delete(self, template_id: str, confirm_label: str | None = None, delete_runtime: bool = False,
                   delete_images: bool = False) -> dict[str, Any]:
        expected = self._label_of(str(template_id))
        if confirm_label != expected:
            raise ValueError(f"Type the template's label ({expected}) to confirm the deletion.")
        return {"messages": self.delete(str(template_id), bool(delete_runtime), bool(delete_images))}

    # --- activity ----------------------------------------------------------------------------------
    @property
    def activity(self) -> list[dict[str, Any]]:
        """Builds and aborts done through this panel, oldest first (entries of
        :class:`~cswidgets.widgets.activity.ActivityLog`): ``{id, panel, who, what ("build" |
        "build (no cache)" | "abort" | "restart" | "import" | "export" | "delete"), target (the template's
        label), template_id, when, outcome, duration_s, message, ...}``."""
        return self._activity.entries()

    @property
    def activity_log(self) -> ActivityLog:
        """The :class:`~cswidgets.widgets.activity.ActivityLog` the panel records into."""
        return self._activity.log

    def on_activity(self, callback: Callable[[dict[str, Any]], Any]) -> Callable[[], None]:
        """Call ``callback(entry)`` when a build begins and ends, and for each abort (on a worker
        or tracker thread). Returns a function that unsubscribes."""
        return self._activity.subscribe(callback)

    def close(self) -> None:
        """Stop following the builds (they keep running on DSS) and close the widget."""
        builds = getattr(self, "_builds", None)  # absent when __init__ failed (unknown option)
        if builds is not None:
            builds.stop_following()
        super().close()

    # --- fallbacks ---------------------------------------------------------------------------------
    def _summary(self) -> str:
        builds = getattr(self, "_builds", None)
        running = len(builds.running_ids()) if builds is not None else 0
        n = len(self.rows)
        text = f"{n} template{'s' if n != 1 else ''}"
        return text + (f", {running} building" if running else "")

    def _static_html(self) -> str:
        return static_html(self.rows, self.builds)
