"""The one action path of every panel: :class:`Operation` (made by :meth:`Panel.operation`).

An action taken from a panel (a start, a pull, a build, a delete...) is written once::

    with self.operation("stop", target=label, busy=slot, on_unknown=reread, studio_id=...) as op:
        future = studio.stop()                  # the request: sent once, never retried
        op.follow(future, tracker)              # optional: the entry ends when the task ends
    if op.outcome == "unknown": ...             # the answer was lost: ``op.message`` says what DSS shows

and the operation does the bookkeeping every action needs, in one place:

- the activity entry: begun ("running") when the operation is made, with who/what/target and the
  identifiers given, ended exactly once with one of "done", "failed", "aborted", "refused", "unknown";
- the busy state (``busy``: a :class:`Busy`, e.g. a :class:`BusyKeys` slot: the zone or row shows the
  action and a second one is refused); released when the operation ends;
- :class:`~cswidgets.api.errors.DSSOutcomeUnknownError` (sent, answer lost): outcome "unknown",
  ``on_unknown()`` re-reads the object and says what DSS now shows, a warning alert says so, and **no
  exception** reaches the caller (the request is never resent);
- success: outcome "done", and the alert of an earlier failure of the same ``alert_key`` is removed (an
  owner change that failed, then worked: its "User zed does not exist" goes);
- any other exception: outcome "failed" with :func:`~cswidgets.widgets.shared.errors.describe`'s text, an
  error alert, and the **original** exception re-raised (a ``DSSError`` keeps its ``status``). The panel's
  message dispatcher then answers the browser with the same text and adds no second alert;
- :meth:`Operation.refuse`: not sent (a repeated click, a permission known to be missing, a confirmation
  needed): outcome "refused", ``{"accepted": False, "reason": ...}`` to return from a handler;
- :meth:`Operation.follow`: the rest is handed to the client's tracker; the entry ends when the task
  ends, with :func:`~cswidgets.widgets.shared.progress.task_outcome` and the same alert rules (the panel's
  ``on_done`` hook runs first, on the panel's action pool, and may re-read DSS).

Texts (``verb`` is the action in them, default ``what``; ``label`` names the object, default
``target``): a failure "Could not <verb> <label>: <reason>"; a lost answer "<Verb> of <label>: outcome
unknown (the answer was lost); <what DSS shows>"; a task that did not end "done" "<Verb> of <label>:
<outcome>: <DSS's message>".
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol

from ...api.errors import DSSOutcomeUnknownError
from .progress import task_outcome

if TYPE_CHECKING:
    from .panel import Panel

log = logging.getLogger(__name__)

__all__ = ["Busy", "BusyKeys", "Operation", "python_code"]

#: What the operation says when ``on_unknown`` could not read DSS again either.
NOT_ASKED = "DSS could not be asked again"
#: The end of a task no longer followed (its panel closed or moved on).
NOT_FOLLOWED = "no longer followed from this panel; the task may still run on DSS"


#: The conflict viewer's "Download DSS's versions (zip)" (before a pull of a project-library zone).
DSS_VERSIONS = "download DSS's versions"
CONNECT = ("import cswidgets\n\n"
           "client = cswidgets.connect()  # DKU_DSS_URL and DKU_API_KEY, or ~/.dataiku/config.json\n")
OFFICIAL = ("# The official client (dataikuapi) has the same names: dataiku.api_client() inside DSS, or\n"
            "# dataikuapi.DSSClient(url, api_key); its wait_for_result() takes no timeout.\n")
#: The studio actions: the call on the studio handle, and whether it returns a future (waited for).
_STUDIO_CALLS = {"start": ("restart()", True), "restart": ("restart()", True), "stop": ("stop()", True),
                 "delete": ("delete()", False), "change owner": ("change_owner({new_owner!r})", False)}
_ZONE_CALLS = {"pull": "pull_from_code_studio", "push": "push_to_code_studio", "check": "check_conflicts"}
#: The webapp actions (the studio table's Webapps box): the call on the webapp handle.
_WEBAPP_CALLS = {"start webapp": "start_or_restart_backend().wait_for_result(timeout=120)",
                 "restart webapp": "start_or_restart_backend().wait_for_result(timeout=120)",
                 "stop webapp": "stop_backend()"}
#: The batch actions on many studios (a studio table's selection): the call on each studio handle.
_BATCH_CALLS = {"start": "restart()", "restart": "restart()", "stop": "stop()"}


def python_code(what: str, *, project_key: str | None = None, studio_id: str | None = None,
                template_id: str | None = None, zone_id: str | None = None, **args: Any) -> str | None:
    """The Python that does what the panel's action ``what`` did, with cswidgets (the official client's
    names in a comment), or ``None`` when there is no such code (a view's own action). Every value is a
    Python literal (``repr``): the code runs as copied. This is the ``code`` field of each activity entry,
    and what "Copy as Python" copies (an activity row's, or a confirmation's before the action).

    ``args``: the action's arguments -- ``new_owner``; ``name`` and ``start`` of a created studio;
    ``webapp_id``; ``studios`` (``"PROJECT/id"`` keys: a batch start/restart/stop, one snippet for all,
    waited for together with ``client.wait_all``; or the ``only`` of "restart outdated" and "stop idle");
    ``job_id`` of an "abort"; ``path`` of an "export" or "import" (and ``label``); ``delete_runtime``,
    ``delete_images`` of a template "delete"; ``running_longer_than`` (seconds), ``project_keys`` and
    ``options`` of "stop idle"; ``zone``, ``files`` and ``path`` of "download DSS's versions"."""
    for make in (_studios_code, _studio_code, _template_code, _other_code):
        code = make(what, project_key, studio_id, template_id, zone_id, args)
        if code is not None:
            return code
    return None


def _keys(studios: Any) -> list[tuple[str, str]] | None:
    """``"PROJECT/id"`` keys as ``(project_key, studio_id)`` pairs; ``None`` when one is malformed (no code: the
    action itself refuses such a key with its own error)."""
    if isinstance(studios, (str, bytes)):
        return None
    pairs = []
    for key in studios:
        project_key, sep, studio_id = str(key).partition("/")
        if not (sep and project_key and studio_id) or "/" in studio_id:
            return None
        pairs.append((project_key, studio_id))
    return pairs


def _studios_code(what: str, project_key: Any, studio_id: Any, template_id: Any, zone_id: Any,
                  args: dict[str, Any]) -> str | None:
    """A batch start/restart/stop: one snippet for every studio, the tasks waited for together."""
    studios = args.get("studios")
    if studios is None or what not in _BATCH_CALLS or template_id:
        return None
    pairs = _keys(studios)
    if pairs is None:
        return None
    listed = "".join(f"    {pair!r},\n" for pair in pairs)
    return (CONNECT + f"studios = [\n{listed}]\n"
            "futures = {f\"{project_key}/{studio_id}\": "
            f"client.get_project(project_key).get_code_studio(studio_id).{_BATCH_CALLS[what]}\n"
            "           for project_key, studio_id in studios}  # each request sent once\n"
            "outcomes = client.wait_all(futures, timeout=600)  # {key: Outcome}: every task followed at once\n"
            "print({key: str(outcome) for key, outcome in outcomes.items()})\n"
            + OFFICIAL + "# It has no wait_all: wait for each future in turn.\n")


def _studio_code(what: str, project_key: Any, studio_id: Any, template_id: Any, zone_id: Any,
                 args: dict[str, Any]) -> str | None:
    """An action on one studio (or on a webapp of a studio's project), or a created studio."""
    verb = what.split(" (")[0]
    if what in _WEBAPP_CALLS and project_key and args.get("webapp_id"):
        return (CONNECT + f"webapp = client.get_project({project_key!r}).get_webapp({args['webapp_id']!r})\n"
                f"webapp.{_WEBAPP_CALLS[what]}\n" + OFFICIAL)
    if project_key and studio_id:
        studio = f"studio = client.get_project({project_key!r}).get_code_studio({studio_id!r})\n"
        if what in _STUDIO_CALLS:
            call, future = _STUDIO_CALLS[what]
            line = f"studio.{call.format(**{k: args.get(k) for k in ('new_owner',)})}"
            return CONNECT + studio + (f"{line}.wait_for_result(timeout=600)\n" if future else line + "\n") + OFFICIAL
        if verb in _ZONE_CALLS and zone_id:
            return CONNECT + studio + f"studio.{_ZONE_CALLS[verb]}({zone_id!r})\n" + OFFICIAL
        if what == "check all":
            return (CONNECT + studio + "for zone in studio.get_status().get_zones():  # every synced zone\n"
                    "    conflicts = studio.check_conflicts(zone)\n"
                    "    print(zone, conflicts.added, conflicts.modified, conflicts.deleted, conflicts.authors)\n"
                    + OFFICIAL)
        if what == "conflicts":
            return CONNECT + studio + "cswidgets.ConflictViewer(studio)  # each zone's changes, with Pull / Push\n"
    if what == "create" and project_key and args.get("name") and template_id:
        code = (CONNECT + f"studio = client.get_project({project_key!r}).create_code_studio({args['name']!r}, "
                f"{template_id!r})\n")
        if args.get("start"):
            code += "studio.restart().wait_for_result(timeout=600)\n"
        return code + OFFICIAL
    return None


def _template_code(what: str, project_key: Any, studio_id: Any, template_id: Any, zone_id: Any,
                   args: dict[str, Any]) -> str | None:
    """An action on a code studio template: build, delete, export, restart its outdated studios."""
    if not template_id:
        return None
    verb = what.split(" (")[0]
    template = f"template = client.get_code_studio_template({template_id!r})\n"
    if verb == "build":
        no_cache = "no cache" in what
        return (CONNECT + template +
                f"template.build(disable_docker_cache={no_cache}).wait_for_result(timeout=3600)\n" + OFFICIAL)
    if what == "delete":
        runtime, images = bool(args.get("delete_runtime")), bool(args.get("delete_images"))
        return (CONNECT + template
                + f"print(template.delete(delete_runtime={runtime}, delete_images={images}).text())\n" + OFFICIAL)
    if what == "export" and args.get("path"):
        return CONNECT + template + f"template.export_to_file({str(args['path'])!r})  # a zip archive\n" + OFFICIAL
    pairs = _keys(args["studios"]) if args.get("studios") is not None else None
    if what == "restart outdated" and pairs is not None:
        only = [f"{p}/{s}" for p, s in pairs]
        return (CONNECT + template + "# each studio read again just before its restart; none with conflicts\n"
                f"report = template.restart_outdated_studios(dry_run=False, only={only!r})\n"
                "print(report[[\"project_key\", \"id\", \"decision\", \"outcome\", \"reason\"]])\n"
                "# restart_outdated_studios is cswidgets' own (dataikuapi has no such call)\n")
    return None


def _other_code(what: str, project_key: Any, studio_id: Any, template_id: Any, zone_id: Any,
                args: dict[str, Any]) -> str | None:
    """An abort of a task, a template import, the idle policy's stop of chosen studios, a zip of DSS's versions."""
    if what == DSS_VERSIONS and project_key and args.get("zone") and args.get("files") is not None:
        files, path = [str(f) for f in args["files"]], str(args.get("path") or "dss-versions.zip")
        return (CONNECT + f"project = client.get_project({project_key!r})\n"
                f"cswidgets.api.zip_dss_versions(project, {str(args['zone'])!r}, {files!r}, {path!r})\n"
                "# The official client reads one file: project.get_library().get_file(path).read()\n")
    if what == "abort" and args.get("job_id"):
        return CONNECT + f"client.get_future({str(args['job_id'])!r}).abort()\n" + OFFICIAL
    if what == "import" and args.get("path"):
        label = args.get("label") or None
        note = args.get("note")
        return (CONNECT + (f"# {note}\n" if note else "")
                + f"answer = client.import_code_studio_template({str(args['path'])!r}, label={label!r})\n"
                "print(answer[\"id\"])  # the new template's id\n" + OFFICIAL)
    pairs = _keys(args["studios"]) if args.get("studios") is not None else None
    if what == "stop idle" and pairs is not None and args.get("running_longer_than") is not None:
        only = [f"{p}/{s}" for p, s in pairs]
        seconds = args["running_longer_than"]
        options = "".join(f", {name}={value!r}" for name, value in sorted((args.get("options") or {}).items()))
        return (CONNECT + "# the idle policy's real run on exactly these studios: each read again (and its conflicts\n"
                "# checked) just before its stop\n"
                f"report = client.stop_idle({seconds!r}, dry_run=False, only={only!r}, "
                f"project_keys={args.get('project_keys')!r}{options})  # running longer than {seconds!r} s\n"
                "print(report[[\"project_key\", \"id\", \"decision\", \"outcome\", \"reason\"]])\n"
                "# stop_idle is cswidgets' own (dataikuapi has no such call)\n")
    return None


class Busy(Protocol):
    """The busy state an operation holds while it runs (a row's or a zone's "in progress")."""

    def claim(self) -> None:
        """Mark it busy; raise (a readable exception) when it already is: the operation is refused."""

    def release(self) -> None:
        """Clear it (called once, when the operation ends)."""


class BusyKeys:
    """Keys with an action in progress (thread-safe): ``{key: what}``; ``on_change(mapping)`` is called
    (under the lock, with a copy) at every change, to show it."""

    def __init__(self, on_change: Callable[[dict[str, str]], None] | None = None,
                 refusal: Callable[[str, str], BaseException] | None = None) -> None:
        self._lock = threading.Lock()
        self._busy: dict[str, str] = {}
        self._on_change = on_change
        self._refusal = refusal or (lambda key, what: ValueError(f"A {what} of {key} is already running."))

    def slot(self, key: str, what: str) -> Busy:
        """The :class:`Busy` of ``what`` on ``key``."""
        return _Slot(self, str(key), what)

    def get(self, key: str) -> str | None:
        """What runs on ``key``, or ``None``."""
        with self._lock:
            return self._busy.get(key)

    def snapshot(self) -> dict[str, str]:
        with self._lock:
            return dict(self._busy)

    def clear(self) -> None:
        """Forget every key (the panel switched to another object)."""
        with self._lock:
            self._busy = {}
            self._changed()

    def _claim(self, key: str, what: str) -> None:
        with self._lock:
            if key in self._busy:
                raise self._refusal(key, self._busy[key])
            self._busy[key] = what
            self._changed()

    def _release(self, key: str, what: str) -> None:
        with self._lock:
            if self._busy.get(key) == what:
                del self._busy[key]
                self._changed()

    def _changed(self) -> None:
        if self._on_change is not None:
            self._on_change(dict(self._busy))


class _Slot:
    def __init__(self, keys: BusyKeys, key: str, what: str) -> None:
        self._keys, self.key, self.what = keys, key, what

    def claim(self) -> None:
        self._keys._claim(self.key, self.what)

    def release(self) -> None:
        self._keys._release(self.key, self.what)


class Operation:
    """One action of a panel, from its activity entry to its end (see the module docstring).

    Made by :meth:`Panel.operation`; use it as a context manager around the request. Thread-safe: it
    ends once, whichever thread ends it.
    """

    def __init__(self, panel: Panel, what: str, *, target: str | None = None, label: str | None = None,
                 verb: str | None = None, busy: Busy | None = None, on_unknown: Callable[[], str] | None = None,
                 alert_key: str | None = None, code: str | None = None, args: dict[str, Any] | None = None,
                 **fields: Any) -> None:
        self.panel = panel
        self.what = what
        self.verb = verb or what
        self.label = label or target or what
        self.alert_key = alert_key
        self._busy = busy
        self._on_unknown = on_unknown
        self._lock = threading.Lock()
        self._claimed = False
        self._followed = False
        #: The final outcome ("done", "failed", "aborted", "refused", "unknown"), ``None`` while it runs.
        self.outcome: str | None = None
        #: The final message (a failure's text, what DSS showed after a lost answer...), or ``None``.
        self.message: str | None = None
        self.started = time.monotonic()
        activity = panel.activity_recorder
        if code is None:  # the code that does the same: from the action and its identifiers (python_code)
            ids = {k: fields.get(k) for k in ("project_key", "studio_id", "template_id")}
            code = python_code(what, **ids, **(args or {}))
        self.code = code
        self.entry_id = activity.begin(what, target=target, code=code, **fields) if activity is not None else None

    # -- ending -----------------------------------------------------------------------------------
    def end(self, outcome: str = "done", message: str | None = None, files: Any = None) -> bool:
        """End the operation (once; ``False`` when it had ended already): the activity entry gets
        ``outcome``, ``message`` and ``files`` (what it may have overwritten), the busy state is released."""
        with self._lock:
            if self.outcome is not None:
                return False
            self.outcome, self.message = outcome, message
            claimed, self._claimed = self._claimed, False
        if claimed and self._busy is not None:
            self._busy.release()
        activity = self.panel.activity_recorder
        if activity is not None and self.entry_id is not None:
            activity.finish(self.entry_id, outcome, time.monotonic() - self.started, message, files)
        return True

    def refuse(self, reason: str) -> dict[str, Any]:
        """Not sent (already in progress, not allowed, needs a confirmation): outcome "refused".
        Returns ``{"accepted": False, "reason": reason}``, what a handler answers."""
        self.end("refused", reason)
        return {"accepted": False, "reason": reason}

    def fail(self, exc: BaseException) -> str:
        """Outcome "failed" for ``exc``, with an error alert; returns the text (also what the panel's
        dispatcher answers, without a second alert, if ``exc`` reaches it)."""
        message, detail = self.panel._describe(exc, self.verb, self.label)
        if self.end("failed", message):
            self.panel.add_alert(f"Could not {self.verb} {self.label}: {message}", key=self.alert_key, detail=detail)
        self.panel.reported(exc, message)
        return message

    def unknown(self, exc: BaseException) -> str:
        """Sent, answer lost: outcome "unknown", with what DSS shows now (``on_unknown``) and a warning."""
        shown = NOT_ASKED
        if self._on_unknown is not None:
            try:
                shown = self._on_unknown()
            except Exception as read_exc:  # the re-read failed too: the outcome stays unknown
                log.debug("re-reading after a lost answer failed: %s", read_exc)
        text = f"{self._verb_title()} of {self.label}: outcome unknown (the answer was lost); {shown}"
        if self.end("unknown", text):
            self.panel.add_alert(text, "warning", key=self.alert_key, detail=self.panel._describe(exc)[1])
        return text

    def _verb_title(self) -> str:
        return self.verb[:1].upper() + self.verb[1:]

    # -- the context ------------------------------------------------------------------------------
    def __enter__(self) -> Operation:
        if self._busy is not None:
            try:
                self._busy.claim()
            except Exception as exc:
                self.end("refused", self.panel._describe(exc)[0])
                raise
            with self._lock:
                self._claimed = self.outcome is None
            if not self._claimed:  # ended meanwhile (refused before entering): give it back
                self._busy.release()
        return self

    def __exit__(self, kind: Any, exc: BaseException | None, _tb: Any) -> bool:
        if exc is None:
            if not self._followed:
                self.end("done")
                if self.outcome == "done" and self.alert_key is not None:
                    self.panel.clear_alert(self.alert_key)  # it worked this time: the earlier failure's alert goes
            return False
        if not isinstance(exc, Exception) or self.outcome is not None:
            self.end("failed", self.panel._describe(exc)[0])  # a KeyboardInterrupt; or already ended: nothing more
            return False
        if isinstance(exc, DSSOutcomeUnknownError):
            self.unknown(exc)
            return True  # the caller reads op.outcome; never "failed", never resent
        self.fail(exc)
        return False

    # -- a task ------------------------------------------------------------------------------------
    def follow(self, future: Any, tracker: Any, *, on_progress: Callable[[Any], Any] | None = None,
               on_done: Callable[[Any], str | None] | None = None, alert: bool = True) -> Any:
        """Follow ``future`` with ``tracker``; the operation ends when the task ends (not when the
        ``with`` block does). ``on_progress(future)`` runs on the tracker thread (cheap, no requests);
        ``on_done(future)`` on the panel's action pool (it may read DSS) and may return a text added to
        the entry's message (what DSS shows now, a result's summary), or end the operation itself.
        ``alert=False``: the panel shows the end itself (no alert). Returns the subscription: its
        ``cancel()`` stops following and ends the operation "unknown" (the task may still run on DSS)."""
        self._followed = True

        def ended(fut: Any) -> None:
            if self.panel.submit(self._task_ended, fut, on_done, alert) is None:  # closed: just log the end
                self.end(*task_outcome(fut))

        # a panel closed meanwhile no longer has its task read (unless another subscriber follows it)
        # and one nobody looks at is read at a trickle (caught up when a view comes back)
        return _Following(tracker.track(future, on_progress=on_progress, on_done=ended,
                                        keep=lambda: not self.panel.closed, watched=self.panel.looked_at), self)

    def _task_ended(self, future: Any, on_done: Callable[[Any], str | None] | None, alert: bool) -> None:
        outcome, message = task_outcome(future)
        shown = None
        if on_done is not None:
            try:
                shown = on_done(future)
            except Exception:  # a bug in the hook must not leave the entry running
                log.exception("%s: the end of %s could not be shown", type(self.panel).__name__, self.verb)
        message = "; ".join(text for text in (message, shown) if text) or None
        if not self.end(outcome, message) or not alert:
            return
        if outcome == "done":
            if self.alert_key is not None:
                self.panel.clear_alert(self.alert_key)
            return
        word = "outcome unknown" if outcome == "unknown" else outcome
        text = f"{self._verb_title()} of {self.label}: {word}" + (f": {message}" if message else "")
        self.panel.add_alert(text, "warning" if outcome == "unknown" else "error", key=self.alert_key)


class _Following:
    """A followed task's subscription: cancelling it ends its operation (no longer followed)."""

    def __init__(self, subscription: Any, operation: Operation) -> None:
        self._subscription, self._operation = subscription, operation

    def cancel(self) -> None:
        self._subscription.cancel()
        self._operation.end("unknown", NOT_FOLLOWED)
