"""The base of every panel: bundle loading, the message envelope, alerts and fallbacks.

A panel is a thin :class:`anywidget.AnyWidget`. Synced traits hold what the view shows; clicks
arrive as custom messages ``{kind, id, ...}`` and always get an answer
``{kind: "reply", id, ok, result | error}``. Handlers registered with :func:`action` run on the
panel's OWN worker pool (one per panel: a slow panel never delays another panel's buttons), never
on the kernel's main thread, and may run beside cell code (kernel subshells), so they must be
thread-safe. A handler that returns a :class:`concurrent.futures.Future` frees its worker at
once; the reply goes out when that future resolves (so no job waits on another job). Cheap
handlers that must apply in the order the messages arrive (``inline=True``: a selection change,
an alert dismissed) run on the thread that received the message.

Ownership: every thread a panel uses (its pools, its timers) is created by the panel and named
``<thread_prefix>...``; :meth:`Panel.close` stops them all without waiting for hung work.

One writer per trait: ``alerts`` is written by Python only. The front end asks for a dismissal
with ``{kind: "dismiss_alert", alert: <id>}``; errors that only the browser knows (no answer from
the kernel) stay in the view and are never saved into the notebook.

Never synced: the client, credentials, tokens or raw responses (synced state is saved into
notebooks and HTML exports).

The conventions every panel follows are in :class:`Panel`'s docstring.
"""

from __future__ import annotations

import contextlib
import html
import itertools
import logging
import os
import re
import sys
import threading
import time
from collections.abc import Callable, Container, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, TypedDict

import anywidget
import traitlets as t

from ...api.text import encodable
from . import classic as _classic
from .errors import MAX_DETAIL, MAX_MESSAGE, cap, describe
from .operation import Busy, Operation
from .static import snapshot

if TYPE_CHECKING:
    from ..activity.log import PanelActivity

log = logging.getLogger(__name__)

STATIC = Path(__file__).resolve().parents[2] / "static"
_ALERT_IDS = itertools.count(1)
_PANEL_IDS = itertools.count(1)
MAX_ALERTS = 20
ACTION_WORKERS = 8


def bundle(name: str) -> Path | str:
    """The built front-end bundle ``cswidgets/static/<name>.js`` (the widget's ``_esm``), as
    :func:`_source` gives it.

    When the bundle is missing (a source checkout that was never built), return a tiny module
    that says so in the cell, instead of failing in the browser console.
    """
    path = STATIC / f"{name}.js"
    if path.exists():
        return _source(path)
    return f"export default {{ render({{ el }}) {{ el.textContent = {_not_built(path)!r}; }} }};"


def stylesheet(name: str) -> Path | str:
    """The panel's built styles ``cswidgets/static/<name>.css`` (the widget's ``_css``), as
    :func:`_source` gives it.

    anywidget adds it to the page once per panel class, however many views are shown. When it
    is missing (never built), return a CSS comment that says so: :func:`bundle` tells the user.
    """
    path = STATIC / f"{name}.css"
    if path.exists():
        return _source(path)
    return f"/* {_not_built(path)} */"


def _source(path: Path) -> Path | str:
    """A built file's text; its path only when anywidget's hot reload is on (``ANYWIDGET_HMR=1``,
    ``make dev``). Why the text: given a path, anywidget connects every instance to a class-wide
    "file changed" signal with a strong reference, so no panel could ever be garbage-collected."""
    return path if os.environ.get("ANYWIDGET_HMR") == "1" else path.read_text(encoding="utf-8")


def _not_built(path: Path) -> str:
    return (
        f"cswidgets front end not built: {path} is missing. "
        "Run `npm install && npm run build` in the cswidgets checkout (or `make build`)."
    )


def action(kind: str, *, inline: bool = False) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register a method as the handler of front-end messages of this ``kind``.

    The handler is called with the message's fields (minus ``kind`` and ``id``) as keyword
    arguments on one of the panel's worker threads; its return value (JSON-able, or a
    ``concurrent.futures.Future`` of it) is the reply's ``result``. ``inline=True``: called on the
    thread that received the message, in arrival order (for cheap, lock-protected updates only).
    """

    def mark(fn: Callable[..., Any]) -> Callable[..., Any]:
        fn._csw_action = kind  # type: ignore[attr-defined]
        fn._csw_inline = inline  # type: ignore[attr-defined]
        return fn

    return mark


def changed_selection(current: Iterable[str], known: Container[str], add: Any = (), remove: Any = (),
                      clear: bool = False) -> list[str]:
    """The selection after a ``{kind: "select", add, remove, clear}`` message from the browser:
    ``clear`` first, then ``remove``, then ``add`` (keys not in ``known`` are ignored: rows may have
    gone meanwhile). Changes, not whole lists, so a change made in Python meanwhile is kept."""
    gone = {str(k) for k in remove or ()}
    kept = [] if clear else [k for k in current if k not in gone]
    return list(dict.fromkeys(kept + [str(k) for k in add or () if str(k) in known]))


_DOC_COMMENT = re.compile(r"^[ \t]*#:[ \t]?(.*)$")
_TRAIT_LINE = re.compile(r"^[ \t]*(\w+)[ \t]*=[ \t]*t\.")


def _document_traits(cls: type) -> None:
    """Give each synced trait declared in ``cls``'s body its ``#:`` comment as ``help`` (what ``help(Panel)``
    and the traits' ``.help`` show): the comment above the trait is its one description, read by Sphinx too."""
    module = sys.modules.get(cls.__module__)
    path = getattr(module, "__file__", None)
    if not path:
        return
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except OSError:  # no source (a zipped install): the traits keep no help
        return
    own = {name: trait for name, trait in vars(cls).items() if isinstance(trait, t.TraitType)}
    comment: list[str] = []
    for line in lines:
        doc = _DOC_COMMENT.match(line) if "#:" in line else None
        if doc:
            comment.append(doc.group(1).strip())
            continue
        if not comment:
            continue
        trait_line = _TRAIT_LINE.match(line)
        if trait_line and comment and trait_line.group(1) in own and not own[trait_line.group(1)].help:
            trait = own[trait_line.group(1)]
            trait.help = trait.__doc__ = " ".join(comment)
        comment = []


class Alert(TypedDict, total=False):
    """One alert of a panel's alert region (``alerts``; ``js/shared/alerts.js``)."""

    id: str  # unique in the process ("a12")
    level: str  # "error", "warning" or "info"
    message: str  # at most MAX_MESSAGE characters
    key: str  # the condition it is about ("load", "action:P/abc"...), when it has one
    detail: str  # the raw error text, shown collapsed (at most MAX_DETAIL characters)


class Panel(anywidget.AnyWidget):
    """Common behaviour of the cswidgets panels.

    The conventions of every panel (one set; a new panel follows them):

    - **Actions** go through :meth:`Panel.operation` (:mod:`.operation`): one activity entry each, the busy
      state, a lost answer is outcome "unknown" (never an exception, never resent), any other failure keeps
      DSS's own exception (``DSSError.status``) and is shown once.
    - **refresh()** re-reads DSS and blocks its caller; it returns a dict of what it read (counts) with an
      ``"error"`` key: ``None``, or the text of a failed read, also shown in the alert region (key
      ``"load"``, cleared by the next good read). It never raises for DSS or the network: what was shown
      stays. Its message handler ``_on_refresh`` answers ``ok: false`` with that text when the read failed.
    - **A repeated click** (the same action asked again on the same object while it runs) is refused before
      anything is sent, recorded "refused", and its message handler answers ``{"accepted": False, "reason":
      ...}`` with no alert (the view already shows it running). The Python method raises instead
      (``ValueError``, or the panel's own subclass such as ``ZoneBusy``), as a request that cannot be done
      now. A *different* action on a busy object is an error (``ValueError``) for both.
    - **Handlers** of front-end messages are named ``_on_<kind>`` (``@action("pull") def _on_pull``), are
      thin (arguments in, the Python method's result out), and the Python methods hold the logic.
    """

    #: The alert region, oldest first, at most MAX_ALERTS (:class:`Alert` each). Writer: Python only (the
    #: view asks for a dismissal with a message).
    alerts = t.List(t.Dict(), default_value=[]).tag(sync=True)
    #: When the panel last read DSS successfully (epoch ms, 0 = never); the view shows "updated hh:mm:ss".
    #: Writer: Python only.
    updated_ms = t.Int(0).tag(sync=True)

    _actions: ClassVar[dict[str, str]] = {}
    _inline: ClassVar[frozenset[str]] = frozenset()
    #: Where :meth:`operation` records (a panel that records sets it in its ``__init__``).
    _activity: PanelActivity | None = None

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        actions: dict[str, str] = {}
        inline: set[str] = set()
        for klass in reversed(cls.__mro__):
            for name, member in vars(klass).items():
                kind = getattr(member, "_csw_action", None)
                if kind:
                    actions[kind] = name
                    (inline.add if getattr(member, "_csw_inline", False) else inline.discard)(kind)
        cls._actions = actions
        cls._inline = frozenset(inline)
        _document_traits(cls)

    def __init__(self, **kwargs: Any) -> None:
        unknown = sorted(k for k in kwargs if not self.has_trait(k))
        if unknown:
            raise TypeError(f"{type(self).__name__}() got unexpected keyword argument(s): {', '.join(unknown)}")
        self._thread_prefix = f"cswidgets-{type(self).__name__}-{next(_PANEL_IDS)}"
        self._is_closed = False
        self._executors: list[ThreadPoolExecutor] = []
        self._pool = self._executor("action", ACTION_WORKERS)
        _classic.announce()  # before the comm opens: the classic notebook may need anywidget's module
        super().__init__(**kwargs)
        self._alert_lock = threading.Lock()
        self._failure_shown = threading.local()  # the failure an operation already alerted, per thread
        self.on_msg(self._dispatch)

    def _mark_updated(self) -> None:
        """A read of DSS succeeded: the view's "updated hh:mm:ss" moves on."""
        self.updated_ms = int(time.time() * 1000)

    # -- threads ----------------------------------------------------------------------------
    @property
    def thread_prefix(self) -> str:
        """The name prefix of every thread this panel starts (unique per panel)."""
        return self._thread_prefix

    def _executor(self, name: str, workers: int) -> ThreadPoolExecutor:
        """A pool owned by this panel (threads named ``<thread_prefix>-<name>``), stopped by
        :meth:`close`. Threads start on demand; an idle pool costs no thread."""
        pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix=f"{self._thread_prefix}-{name}")
        self._executors.append(pool)
        return pool

    def submit(self, fn: Callable[..., Any], *args: Any) -> Future[Any] | None:
        """Run ``fn(*args)`` on the panel's action pool; ``None`` once the panel is closed."""
        try:
            return self._pool.submit(fn, *args)
        except RuntimeError:  # shut down: the panel was closed
            log.debug("%s closed: %s not run", type(self).__name__, getattr(fn, "__name__", fn))
            return None

    _submit = submit  # the name the studio table's parts use

    # -- actions ----------------------------------------------------------------------------
    @property
    def activity_recorder(self) -> PanelActivity | None:
        """Where this panel's operations are recorded (``None``: a panel that records nothing)."""
        return self._activity

    def operation(self, what: str, *, target: str | None = None, label: str | None = None,
                  verb: str | None = None, busy: Busy | None = None, on_unknown: Callable[[], str] | None = None,
                  alert_key: str | None = None, code: str | None = None, args: dict[str, Any] | None = None,
                  **fields: Any) -> Operation:
        """Begin the action ``what`` on ``target`` (recorded at once as "running"): the one action path
        of every panel -- see :mod:`cswidgets.widgets.shared.operation`. ``verb`` and ``label`` name the
        action and the object in alerts (default ``what`` and ``target``); ``busy`` is held while it
        runs; ``on_unknown()`` re-reads the object after a lost answer and says what DSS shows;
        ``alert_key`` keys its alerts; ``fields`` are the activity entry's identifiers
        (``project_key``, ``studio_id``, ``studio``, ``zone``, ``template_id``, ``files``). ``code``: the Python
        that does the same (default: :func:`~.operation.python_code` of ``what``, the identifiers and ``args``,
        the action's arguments such as ``new_owner``)."""
        return Operation(self, what, target=target, label=label, verb=verb, busy=busy, on_unknown=on_unknown,
                         alert_key=alert_key, code=code, args=args, **fields)

    def reported(self, exc: BaseException, message: str) -> None:
        """``exc`` was already shown (alert, activity) as ``message``: if it reaches the message
        dispatcher on this thread, the reply says ``message`` and no second alert is added."""
        self._failure_shown.last = (exc, message)

    def shown_error(self, message: str) -> RuntimeError:
        """An error to raise from a message handler for a failure already in the alert region (a
        refresh's): the reply says ``message``, no second alert."""
        exc = RuntimeError(message)
        self.reported(exc, message)
        return exc

    def shown(self, exc: BaseException) -> str | None:
        """The text ``exc`` was shown with by an operation on this thread (:meth:`reported`), or ``None``."""
        last = getattr(self._failure_shown, "last", None)
        return last[1] if last is not None and last[0] is exc else None

    def looked_at(self) -> bool:
        """Whether somebody looks at the panel: the tasks it follows are read live while so, and only trickle
        otherwise (``watched=`` of :meth:`cswidgets.api.FutureTracker.track`). ``True`` unless the panel knows
        better (the studio table's views say when they are hidden or gone)."""
        return True

    @property
    def closed(self) -> bool:
        """Whether :meth:`close` was called (the tasks this panel followed are no longer read for it)."""
        return self._is_closed

    def close(self) -> None:
        """Stop the panel's threads (queued work is dropped; running work is not waited for) and
        close the widget."""
        self._is_closed = True
        for pool in getattr(self, "_executors", ()):  # absent when __init__ failed early
            pool.shutdown(wait=False, cancel_futures=True)
        super().close()

    # -- messages ---------------------------------------------------------------------------
    def _handle_msg(self, msg: dict[str, Any]) -> None:
        if _classic.note_message(msg):  # a view rendered: its page needs no classic loader any more
            return
        super()._handle_msg(msg)

    def _dispatch(self, _widget: Any, content: Any, buffers: Any) -> None:
        if not isinstance(content, dict) or "kind" not in content or content["kind"] == _classic.RENDERED:
            return
        kind, msg_id = content.get("kind"), content.get("id")
        name = self._actions.get(kind)
        if name is None:
            self._reply(msg_id, ok=False, error=f"Unknown request {kind!r}.")
            return
        args = {k: v for k, v in content.items() if k not in ("kind", "id", "buffers")}
        if buffers:  # binary payloads (an uploaded file) reach the handler as ``buffers``
            args["buffers"] = [bytes(b) for b in buffers]
        if kind in self._inline:
            self._run_action(name, kind, msg_id, args)
        elif self._submit(self._run_action, name, kind, msg_id, args) is None:
            self._reply(msg_id, ok=False, error="This panel is closed.")

    def _run_action(self, name: str, kind: str, msg_id: Any, args: dict[str, Any]) -> None:
        try:
            result = getattr(self, name)(**args)
        except Exception as exc:  # every failure gets an answer and a visible alert
            self._action_failed(kind, msg_id, exc)
            return
        if isinstance(result, Future):
            result.add_done_callback(lambda fut: self._action_done(kind, msg_id, fut))
        else:
            self._reply(msg_id, ok=True, result=result)

    def _action_done(self, kind: str, msg_id: Any, future: Future[Any]) -> None:
        try:
            result = future.result()
        except BaseException as exc:  # includes a cancellation at close()
            self._action_failed(kind, msg_id, exc)
        else:
            self._reply(msg_id, ok=True, result=result)

    def _action_failed(self, kind: str, msg_id: Any, exc: BaseException) -> None:
        shown, self._failure_shown.last = self.shown(exc), None
        if shown is not None:  # an operation already said it
            self._reply(msg_id, ok=False, error=shown)
            return
        message, detail = self._describe(exc)
        log.info("%s action %s failed: %s", type(self).__name__, kind, detail or message)
        self.add_alert(message, detail=detail)
        self._reply(msg_id, ok=False, error=message)

    def _reply(self, msg_id: Any, **fields: Any) -> None:
        if msg_id is None:
            return
        if not self.send_or_alert({"kind": "reply", "id": msg_id, **fields}, "an answer"):
            with contextlib.suppress(Exception):  # the browser still gets an answer, so it never waits forever
                self.send({"kind": "reply", "id": msg_id, "ok": False, "error": "the answer could not be sent"})

    def send_or_alert(self, content: dict[str, Any], what: str, buffers: list[Any] | None = None) -> bool:
        """Send a message to the front end; a failure (a text that cannot be encoded...) is an alert in the
        panel, never silent. Returns whether it was sent."""
        try:
            self.send(content, buffers=buffers)
        except Exception as exc:
            log.warning("%s could not send %s: %s", type(self).__name__, what, exc)
            self.add_alert(f"Could not send {what} to the browser ({type(exc).__name__}); what it shows may be out "
                           "of date: refresh the panel", key=f"send:{what}", detail=str(exc))
            return False
        self.clear_alert(f"send:{what}")
        return True

    def _describe(
        self, exc: BaseException, action: str | None = None, target: str | None = None
    ) -> tuple[str, str | None]:
        """``(message, detail)`` for ``exc``, naming this panel's DSS URL and credential source
        (see :func:`cswidgets.widgets.shared.errors.describe`)."""
        return describe(exc, action, target, client=getattr(self, "_client", None))

    def _error_text(self, exc: BaseException) -> str:
        """One short line for ``exc`` (see :meth:`_describe`)."""
        return self._describe(exc)[0]

    # -- alerts -----------------------------------------------------------------------------
    def add_alert(self, message: str, level: str = "error", *, key: str | None = None,
                  detail: str | None = None) -> None:
        """Show ``message`` in the panel's alert region (thread-safe; keeps the last 20).

        ``key`` names the condition the alert is about ("load", "row:P/abc"...): a new alert with the
        same key replaces the old one, and :meth:`clear_alert` removes it when the condition clears.
        ``detail`` (the raw error text) is shown collapsed. The message is capped at 300 characters and
        the detail at 20,000: an alert never carries a server's 50 MB text to the browser.
        """
        entry: Alert = {"id": f"a{next(_ALERT_IDS)}", "level": level,
                        "message": encodable(cap(str(message), MAX_MESSAGE))}
        if key is not None:
            entry["key"] = encodable(str(key))
        if detail:
            entry["detail"] = encodable(cap(str(detail), MAX_DETAIL))  # an alert always reaches the browser
        with self._alert_lock:
            kept = [a for a in self.alerts if key is None or a.get("key") != key]
            self.alerts = [*kept, entry][-MAX_ALERTS:]

    def clear_alert(self, key: str) -> None:
        """Remove the alert(s) of condition ``key`` (the condition cleared)."""
        with self._alert_lock:
            if any(a.get("key") == key for a in self.alerts):
                self.alerts = [a for a in self.alerts if a.get("key") != key]

    def dismiss_alert(self, alert_id: str) -> bool:
        """Remove the alert ``alert_id`` (thread-safe); ``False`` when it is not shown."""
        with self._alert_lock:
            kept = [a for a in self.alerts if a.get("id") != alert_id]
            if len(kept) == len(self.alerts):
                return False
            self.alerts = kept
            return True

    def clear_alerts(self) -> None:
        """Remove every alert."""
        with self._alert_lock:
            self.alerts = []

    @action("dismiss_alert", inline=True)
    def _on_dismiss_alert(self, alert: str) -> dict[str, Any]:
        return {"dismissed": self.dismiss_alert(str(alert))}

    # -- fallbacks --------------------------------------------------------------------------
    def _summary(self) -> str:
        """One line describing the panel's content (used by repr and the text fallback)."""
        return ""

    def _static_html(self) -> str:
        """HTML shown where widgets cannot run (nbconvert, GitHub). Escape all DSS text."""
        return f"<div class='csw-static'>{html.escape(repr(self))}</div>"

    def __repr__(self) -> str:
        summary = self._summary()
        return f"<{type(self).__name__}{': ' + summary if summary else ''}>"

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        bundle_ = super()._repr_mimebundle_(**kwargs)
        data = bundle_[0] if isinstance(bundle_, tuple) else bundle_
        if data is not None:
            data["text/html"] = snapshot(self._static_html())
            data["text/plain"] = repr(self)
        return bundle_


_document_traits(Panel)  # its subclasses: in __init_subclass__
