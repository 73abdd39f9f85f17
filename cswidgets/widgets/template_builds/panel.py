"""Build code studio templates from a notebook without blocking the kernel.

:class:`TemplateBuilds` shows the templates (``client.templates_frame()``) as a table with a Build
button per template and for a selection, a "without cache" option and one progress bar per build.
Every build is followed by the client's single tracker thread (:attr:`Client.tracker`); when a
build ends, the template list is re-read (one request, on the panel's own action pool: never on
the tracker thread, which must keep polling) so the row's "last built" time updates.

Traits and their writer: ``rows``, ``builds``, ``selected`` (the browser asks with
``{kind: "select", add, remove, clear}``), ``loading``, ``is_simulator``, ``alerts`` -- Python only;
``no_cache`` -- the browser's "without cache" box (the library never writes it).
"""

from __future__ import annotations

import contextlib
import itertools
import logging
import os
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import traitlets as t

from ...api import assumptions
from ...api.times import to_ms
from ...api.validate import check_id
from ..activity import ActivityLog, PanelActivity, default_who
from ..shared.panel import Panel, action, bundle, changed_selection, stylesheet
from ..shared.progress import result_summary, task_outcome, task_view
from .rows import BuildRecord, build_record, static_html, template_row

log = logging.getLogger(__name__)

__all__ = ["TemplateBuilds"]

_KEYS = itertools.count(1)


@dataclass
class _Build:
    key: str
    template_id: str
    label: str
    no_cache: bool
    future: Any
    subscription: Any = None
    view: dict[str, Any] = field(default_factory=dict)
    final: str = ""
    summary: str = ""
    abort_requested: bool = False
    done_event: threading.Event = field(default_factory=threading.Event)
    activity_id: int | None = None
    restart: list[str] = field(default_factory=list)

    def to_dict(self) -> BuildRecord:
        return build_record(self.key, self.template_id, self.label, no_cache=self.no_cache, view=self.view,
                            final=self.final, summary=self.summary, job_id=self.future.job_id,
                            abort_requested=self.abort_requested, restart=self.restart)


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

    Python API: :meth:`build`, :meth:`build_selected`, :meth:`abort`, :meth:`refresh`,
    :attr:`running`, :meth:`wait`, :attr:`frame`, :attr:`activity`, :meth:`on_activity`.
    """

    _esm = bundle("template_builds")
    _css = stylesheet("template_builds")

    rows = t.List(t.Dict(), default_value=[]).tag(sync=True)
    builds = t.List(t.Dict(), default_value=[]).tag(sync=True)
    selected = t.List(t.Unicode(), default_value=[]).tag(sync=True)
    no_cache = t.Bool(False).tag(sync=True)
    loading = t.Bool(False).tag(sync=True)
    is_simulator = t.Bool(False).tag(sync=True)

    def __init__(self, client: Any, *, tracker: Any = None, user: str | None = None,
                 activity_log: ActivityLog | None = None, **kwargs: Any) -> None:
        if not callable(getattr(client, "templates_frame", None)):
            raise TypeError(f"TemplateBuilds needs a cswidgets client (cswidgets.connect()), "
                            f"got {type(client).__name__}")
        activity = PanelActivity(activity_log, "templates", lambda: user or default_who(client))
        super().__init__(**kwargs)
        self._activity = activity
        self._client = client
        self._tracker = tracker
        self._lock = threading.RLock()
        self._builds: dict[str, _Build] = {}
        self._starting: set[str] = set()
        self._frame: Any = None
        self._awaiting_refresh: list[_Build] = []  # ended builds whose row update is pending
        self._failures: dict[str, dict[str, Any]] = {}  # template id -> its last build's failure
        self._loaded = False
        try:
            self.refresh()
        except Exception as exc:
            self.add_alert(f"Could not list the templates: {self._error_text(exc)}")
        # after the first read, from its headers: a constructor never waits on the simulator probe
        self.is_simulator = assumptions.simulator_hint(client)

    # --- templates ---------------------------------------------------------------------------------
    def refresh(self) -> None:
        """Re-read every template (``client.templates_frame()``) and update the table."""
        self.loading = True
        try:
            frame = self._client.templates_frame()
        finally:
            self.loading = False
        rows = [template_row(r) for r in frame.to_dict("records")]
        with self._lock:
            self._frame = frame
            self._loaded = True
            self.rows = self._with_failures(rows)
            self._mark_updated()
            ids = {r["id"] for r in rows}
            self.selected = [i for i in self.selected if i in ids]
        for err in frame.attrs.get("errors", []) or []:
            log.debug("template %s: %s", err.get("id"), err.get("error"))

    @action("refresh")
    def _refresh_clicked(self) -> dict[str, Any]:
        self.refresh()
        return {"templates": len(self.rows)}

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
        """``rows`` with each template's last build failure (call with the lock held)."""
        return [{**row, "last_failure": self._failures.get(row["id"])} for row in rows]

    def _offer_restarts(self, built: list[_Build]) -> None:
        """After a successful build: list the running studios that use the template, for the
        "restart them?" offer (they keep the old image until restarted)."""
        if not built:
            return
        try:
            using = {e.template_id: self.running_studios_using(e.template_id) for e in built}
        except Exception as exc:
            self.add_alert(f"Could not list the running studios after a build: {self._error_text(exc)}", "warning")
            return
        with self._lock:
            for entry in built:
                entry.restart = using[entry.template_id]
            self._publish()

    def running_studios_using(self, template_id: str) -> list[str]:
        """The running (or starting) code studios created from ``template_id``, as ``"PROJECT/id"``
        keys (one ``client.studios_frame()`` read)."""
        frame = self._client.studios_frame()
        if frame.empty:
            return []
        hit = frame[(frame["template_id"] == template_id) & frame["state"].isin(["RUNNING", "STARTING"])]
        return [f"{pk}/{sid}" for pk, sid in zip(hit["project_key"], hit["id"])]

    def restart_studios(self, keys: Iterable[str]) -> list[Any]:
        """Restart code studios (``"PROJECT/id"`` keys), for instance after a rebuild of their template;
        each restart is recorded in the activity. Returns the restart futures (DSS's own progress).

        A restart whose answer was lost (:class:`~cswidgets.api.DSSOutcomeUnknownError`: sent, no answer in
        time) is never resent nor called failed: its outcome is ``unknown``, with the state DSS shows now
        (a warning alert says it), and the next studios are restarted."""
        return self._restart(keys)[0]

    def _restart(self, keys: Iterable[str]) -> tuple[list[Any], list[str]]:
        from cswidgets.api.errors import DSSOutcomeUnknownError  # here: api.errors imports dataikuapi

        futures, unknown = [], []
        for key in keys:
            project_key, _, studio_id = str(key).partition("/")
            check_id(project_key, "project key")
            check_id(studio_id, "studio id")
            entry = self._activity.begin("restart", project_key=project_key, studio_id=studio_id, target=key)
            studio = self._client.get_project(project_key).get_code_studio(studio_id)
            try:
                futures.append(studio.restart())
            except DSSOutcomeUnknownError as exc:  # sent, answer lost: never "failed", never resent
                unknown.append(key)
                self._restart_unknown(key, studio, entry, exc)
                continue
            except Exception as exc:
                self._activity.finish(entry, "failed", message=self._error_text(exc))
                raise
            self._activity.finish(entry, "done", message="restart requested")
        return futures, unknown

    def _restart_unknown(self, key: str, studio: Any, entry: Any, exc: BaseException) -> None:
        try:
            shown = f"DSS now shows {studio.get_status().state}"
        except Exception as read_exc:  # the re-read failed too: the outcome stays unknown
            log.debug("re-reading %s failed: %s", key, read_exc)
            shown = "DSS could not be asked again"
        message = f"Restart of {key}: outcome unknown (the answer was lost); {shown}"
        self._activity.finish(entry, "unknown", message=message)
        self.add_alert(message, "warning", key=f"restart:{key}", detail=self._error_text(exc))

    @action("restart_studios")
    def _restart_clicked(self, key: str) -> dict[str, Any]:
        with self._lock:
            entry = self._builds.get(str(key))
            keys = list(entry.restart) if entry is not None else []
        if not keys:
            raise ValueError("No running studio of this build's template to restart; refresh the panel.")
        futures, unknown = self._restart(keys)
        with self._lock:
            entry.restart = []
            self._publish()
        return {"restarted": len(futures), **({"unknown": unknown} if unknown else {})}

    def _schedule_build_info(self, entry: _Build) -> None:
        with self._lock:
            first = not self._awaiting_refresh
            self._awaiting_refresh.append(entry)
        if first and self._submit(self._refresh_build_info) is None:  # closed: release wait() at once
            with self._lock:
                ended, self._awaiting_refresh = self._awaiting_refresh, []
            for ended_entry in ended:
                ended_entry.done_event.set()

    @property
    def frame(self) -> Any:
        """The last templates DataFrame read (a copy), or ``None``."""
        with self._lock:
            return None if self._frame is None else self._frame.copy()

    # --- builds ------------------------------------------------------------------------------------
    def _label_of(self, template_id: str) -> str:
        for row in self.rows:
            if row["id"] == template_id:
                return row["label"]
        return template_id

    def build(self, template_id: str, no_cache: bool = False) -> Any:
        """Start a build of ``template_id`` (``no_cache``: without the container cache).

        Returns the :class:`cswidgets.api.Future` at once; the panel shows its progress. Raises
        ``ValueError`` for an unknown template or one already building from this panel, and
        :class:`cswidgets.api.DSSError` when DSS refuses (the build request is never retried).
        """
        self._check_template(template_id)
        with self._lock:
            if template_id in self._starting or template_id in self._running_ids():
                raise ValueError(f"Template {self._label_of(template_id)!r} is already building.")
            self._starting.add(template_id)
        try:
            activity_id = self._activity.begin("build (no cache)" if no_cache else "build", template_id=template_id,
                                               target=self._label_of(template_id))
            started = time.monotonic()
            try:
                future = self._client.get_code_studio_template(template_id).build(
                    disable_docker_cache=bool(no_cache))
            except Exception as exc:
                future = self._lost_build(template_id, exc, activity_id, started)
            label = f"Build {self._label_of(template_id)}" + (" (no cache)" if no_cache else "")
            entry = _Build(f"{template_id}#{next(_KEYS)}", template_id, label, bool(no_cache), future,
                           activity_id=activity_id)
            entry.view = task_view(future)
            with self._lock:
                # one bar per template: a finished bar of the same template makes way for the new one
                for key in [k for k, b in self._builds.items() if b.template_id == template_id and b.final]:
                    del self._builds[key]
                self._builds[entry.key] = entry
                self._publish()
        finally:
            with self._lock:
                self._starting.discard(template_id)
        tracker = self._tracker if self._tracker is not None else self._client.tracker
        entry.subscription = tracker.track(
            future,
            on_progress=lambda fut, e=entry: self._on_progress(e, fut),
            on_done=lambda fut, e=entry: self._on_done(e, fut),
        )
        return future

    def _lost_build(self, template_id: str, exc: Exception, activity_id: Any, started: float) -> Any:
        """A build request failed. When its answer was lost (DSS may be building), say "outcome unknown —
        checking", re-read DSS's running tasks and return the build found there (never resend); otherwise,
        or when none runs, record the outcome and raise."""
        from cswidgets.api.errors import DSSOutcomeUnknownError

        if not isinstance(exc, DSSOutcomeUnknownError):
            self._activity.finish(activity_id, "failed", time.monotonic() - started, self._error_text(exc))
            raise exc
        name, key = self._label_of(template_id), f"build:{template_id}"
        self.add_alert(f"Build of {name}: outcome unknown — checking", "warning", key=key)
        try:
            found = [f for f in self._client.list_futures(as_objects=True)
                     if assumptions.builds_template(f.state, template_id)]
        except Exception as read_exc:  # the re-read failed too: the outcome stays unknown
            log.debug("re-reading the running builds failed: %s", read_exc)
            found, shown = [], "DSS could not be asked again"
        else:
            shown = "DSS shows no build of it running"
        if found:
            self.clear_alert(key)
            return found[0]
        message = f"Build of {name}: outcome unknown (the answer was lost); {shown}"
        self._activity.finish(activity_id, "unknown", time.monotonic() - started, message)
        with contextlib.suppress(Exception):
            self.refresh()  # the row shows the "last built" time DSS now has
        self.add_alert(message, "warning", key=key)
        exc.csw_reported = True  # type: ignore[attr-defined]
        raise exc

    def build_selected(self, no_cache: bool | None = None) -> list[Any]:
        """Build every selected template that is not already building (``no_cache`` defaults to
        the panel's "without cache" box). Returns the futures started."""
        ids = [i for i in self.selected if i not in self._running_ids()]
        return self._build_many(ids, self.no_cache if no_cache is None else no_cache)[0]

    def _build_many(self, ids: Iterable[str], no_cache: bool) -> tuple[list[Any], list[str], list[str]]:
        futures, started, failed = [], [], []
        for template_id in ids:
            try:
                futures.append(self.build(template_id, no_cache=no_cache))
                started.append(template_id)
            except Exception as exc:
                failed.append(template_id)
                if not getattr(exc, "csw_reported", False):  # an unknown outcome has its own alert
                    self.add_alert(f"Could not build {self._label_of(str(template_id))!r}: {self._error_text(exc)}")
        return futures, started, failed

    @action("select", inline=True)
    def _select_clicked(self, add: Any = (), remove: Any = (), clear: bool = False) -> dict[str, Any]:
        with self._lock:
            known = {r["id"] for r in self.rows}
            self.selected = changed_selection(self.selected, known, add, remove, clear)
            return {"selected": len(self.selected)}

    @action("build")
    def _build_clicked(self, template_ids: list[str], no_cache: bool = False) -> dict[str, Any]:
        if not isinstance(template_ids, list) or not template_ids:
            raise ValueError("Choose at least one template to build.")
        _futures, started, failed = self._build_many([str(i) for i in template_ids], bool(no_cache))
        return {"started": started, "failed": failed}

    def _running_ids(self) -> set[str]:
        with self._lock:
            return {b.template_id for b in self._builds.values() if not b.final}

    @property
    def running(self) -> dict[str, Any]:
        """``{template_id: Future}`` of the builds still running."""
        with self._lock:
            return {b.template_id: b.future for b in self._builds.values() if not b.final}

    def abort(self, template_id: str) -> bool:
        """Abort the running build of ``template_id`` (never retried); ``False`` if none runs.
        Raises ``ValueError`` for a malformed or unknown template id."""
        self._check_template(template_id)
        with self._lock:
            entry = next((b for b in self._builds.values() if b.template_id == template_id and not b.final), None)
        return self._abort(entry) if entry is not None else False

    def _check_template(self, template_id: Any) -> None:
        """``ValueError`` for a malformed id, or one that is not in the (loaded) template list."""
        check_id(template_id, "template id")
        with self._lock:
            if self._loaded and template_id not in {r["id"] for r in self.rows}:
                raise ValueError(f"Unknown template {template_id!r}.")

    def _abort(self, entry: _Build) -> bool:
        with self._lock:
            if entry.final:
                return False
            entry.abort_requested = True
            self._publish()
        fields = {"template_id": entry.template_id, "target": self._label_of(entry.template_id)}
        started = time.monotonic()
        try:
            entry.future.abort()
        except Exception as exc:
            with self._lock:
                entry.abort_requested = False
                self._publish()
            self._activity.record("abort", "failed", started=started, message=self._error_text(exc), **fields)
            raise
        self._activity.record("abort", "done", started=started, **fields)
        return True

    @action("abort")
    def _abort_clicked(self, key: str) -> dict[str, Any]:
        with self._lock:
            entry = self._builds.get(str(key))
        if entry is None:
            raise ValueError("This build is no longer shown; refresh the panel.")
        return {"aborting": self._abort(entry)}

    @action("dismiss")
    def _dismiss_clicked(self, key: str) -> dict[str, Any]:
        with self._lock:
            entry = self._builds.get(str(key))
            if entry is not None and not entry.final:
                raise ValueError("A running build cannot be dismissed; abort it first.")
            self._builds.pop(str(key), None)
            self._publish()
        return {"dismissed": entry is not None}

    def wait(self, timeout: float | None = None) -> dict[str, str]:
        """Block the calling thread until every running build ends and the table shows its new
        "last built" time; return ``{template_id: final state}`` of the builds shown. Progress
        keeps updating meanwhile (tracker thread).

        Raises :class:`TimeoutError` after ``timeout`` seconds (the builds keep running).
        """
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._lock:
            entries = [b for b in self._builds.values() if not b.final]
        for entry in entries:
            left = None if deadline is None else max(0.0, deadline - time.monotonic())
            if not entry.done_event.wait(left):
                raise TimeoutError(f"{entry.label!r} still running after {timeout} s")
        with self._lock:
            return {b.template_id: b.final for b in self._builds.values()}

    # --- tracker callbacks (tracker thread: cheap, no requests) ------------------------------------
    def _on_progress(self, entry: _Build, future: Any) -> None:
        view = task_view(future)
        if view["status"] != "running":
            return
        with self._lock:
            if entry.final or view == entry.view:
                return
            entry.view = view
            self._publish()

    def _on_done(self, entry: _Build, future: Any) -> None:
        status, message = task_outcome(future)
        with self._lock:
            if entry.final:
                return
            entry.view = task_view(future)
            entry.summary = result_summary(future.result) if status == "done" else ""
            entry.final = status
            if status == "failed":
                self._failures[entry.template_id] = {"at_ms": int(time.time() * 1000),
                                                     "stage": entry.view.get("stage"), "message": message}
            elif status == "done":
                self._failures.pop(entry.template_id, None)
            self._publish()
        if entry.activity_id is not None:
            self._activity.finish(entry.activity_id, status, message=entry.summary or message or None)
        self._schedule_build_info(entry)

    # --- import, export, delete ---------------------------------------------------------------------
    def export(self, template_id: str, path: Any = None) -> Any:
        """The template's archive: written to ``path`` (returned) when given, else returned as bytes."""
        self._check_template(template_id)
        handle = self._client.get_code_studio_template(template_id)
        with self._logged("export", template_id):
            if path is None:
                return handle.export_bytes()
            handle.export_to_file(path)
            return path

    def import_template(self, source: Any, label: str | None = None) -> str:
        """Import a template from an archive (a file path, or its bytes); returns the new template's id
        and shows it in the table."""
        data = isinstance(source, (bytes, bytearray, memoryview))
        with self._logged("import", None, target=label or ("uploaded archive" if data else os.path.basename(source))):
            if data:
                result = self._client.import_code_studio_template_data(bytes(source), label=label)
            else:
                result = self._client.import_code_studio_template(source, label=label)
        self.refresh()
        return str(result.get("id"))

    def delete(self, template_id: str, delete_runtime: bool = False, delete_images: bool = False) -> str:
        """Delete a template (refused while it builds from this panel); returns DSS's messages as text."""
        self._check_template(template_id)
        if template_id in self._running_ids():
            self._activity.record("delete", "refused", template_id=template_id, target=self._label_of(template_id),
                                  message="a build is running")
            raise ValueError(f"Template {self._label_of(template_id)!r} is building; abort the build first.")
        with self._logged("delete", template_id):
            messages = self._client.get_code_studio_template(template_id).delete(
                delete_runtime=bool(delete_runtime), delete_images=bool(delete_images))
        self.refresh()
        return messages.text()

    @contextlib.contextmanager
    def _logged(self, what: str, template_id: str | None, target: str | None = None) -> Any:
        entry = self._activity.begin(what, template_id=template_id,
                                     target=target or (self._label_of(template_id) if template_id else None))
        try:
            yield
        except Exception as exc:
            self._activity.finish(entry, "failed", message=self._error_text(exc))
            raise
        self._activity.finish(entry, "done")

    @action("export")
    def _export_clicked(self, template_id: str) -> dict[str, Any]:
        data = self.export(str(template_id))
        name = f"{self._label_of(str(template_id))}.zip".replace("/", "_")
        self.send({"kind": "download", "name": name, "mime": "application/zip"}, buffers=[data])
        return {"name": name, "size": len(data)}

    @action("import")
    def _import_clicked(self, label: str | None = None, buffers: list[bytes] | None = None) -> dict[str, Any]:
        if not buffers:
            raise ValueError("Choose a template archive (.zip) to import.")
        return {"id": self.import_template(bytes(buffers[0]), label=label or None)}

    @action("delete")
    def _delete_clicked(self, template_id: str, confirm_label: str | None = None, delete_runtime: bool = False,
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
        "build (no cache)" | "abort"), target (the template's label), template_id, when, outcome
        ("running" | "done" | "failed" | "aborted"), duration_s, message, ...}``."""
        return self._activity.entries()

    @property
    def activity_log(self) -> ActivityLog:
        """The :class:`~cswidgets.widgets.activity.ActivityLog` the panel records into."""
        return self._activity.log

    def on_activity(self, callback: Callable[[dict[str, Any]], Any]) -> Callable[[], None]:
        """Call ``callback(entry)`` when a build begins and ends, and for each abort (on a worker
        or tracker thread). Returns a function that unsubscribes."""
        return self._activity.subscribe(callback)

    def _publish(self) -> None:
        """Sync the builds (call with the lock held; assigns a new list)."""
        self.builds = [b.to_dict() for b in self._builds.values()]

    def close(self) -> None:
        """Stop following the builds (they keep running on DSS) and close the widget."""
        builds = getattr(self, "_builds", {})  # absent when __init__ failed (unknown option)
        subs = [b.subscription for b in list(builds.values()) if b.subscription is not None]
        for sub in subs:
            sub.cancel()
        super().close()

    # --- fallbacks ---------------------------------------------------------------------------------
    def _summary(self) -> str:
        running = sum(1 for b in list(getattr(self, "_builds", {}).values()) if not b.final)
        n = len(self.rows)
        text = f"{n} template{'s' if n != 1 else ''}"
        return text + (f", {running} building" if running else "")

    def _static_html(self) -> str:
        return static_html(self.rows, self.builds)
