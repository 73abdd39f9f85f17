"""The base of every panel: bundle loading, the message envelope, alerts and fallbacks.

A panel is a thin :class:`anywidget.AnyWidget`. Synced traits hold what the view shows; clicks
arrive as custom messages ``{kind, id, ...}`` and always get an answer
``{kind: "reply", id, ok, result | error}``. Handlers registered with :func:`action` run on a
shared worker pool, never on the kernel's main thread, and may run beside cell code (kernel
subshells), so they must be thread-safe. Errors reach the user through the ``alerts`` trait,
which the front end shows in a ``role="alert"`` region.

Never synced: the client, credentials, tokens or raw responses (synced state is saved into
notebooks and HTML exports).
"""

from __future__ import annotations

import html
import itertools
import logging
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, ClassVar

import anywidget
import traitlets as t

from ._errors import MAX_DETAIL, MAX_MESSAGE, cap, describe

log = logging.getLogger(__name__)

STATIC = Path(__file__).resolve().parent.parent / "static"
_POOL = ThreadPoolExecutor(max_workers=8, thread_name_prefix="cswidgets-action")
_ALERT_IDS = itertools.count(1)
MAX_ALERTS = 20


def bundle(name: str) -> Path | str:
    """Path of the built front-end bundle ``cswidgets/static/<name>.js`` (the widget's ``_esm``).

    When the bundle is missing (a source checkout that was never built), return a tiny module
    that says so in the cell, instead of failing in the browser console.
    """
    path = STATIC / f"{name}.js"
    if path.exists():
        return path
    return f"export default {{ render({{ el }}) {{ el.textContent = {_not_built(path)!r}; }} }};"


def stylesheet(name: str) -> Path | str:
    """Path of the panel's built styles ``cswidgets/static/<name>.css`` (the widget's ``_css``).

    anywidget adds it to the page once per panel class, however many views are shown. When it
    is missing (never built), return a CSS comment that says so: :func:`bundle` tells the user.
    """
    path = STATIC / f"{name}.css"
    if path.exists():
        return path
    return f"/* {_not_built(path)} */"


def _not_built(path: Path) -> str:
    return (
        f"cswidgets front end not built: {path} is missing. "
        "Run `npm install && npm run build` in the cswidgets checkout (or `make build`)."
    )


def action(kind: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register a method as the handler of front-end messages of this ``kind``.

    The handler is called with the message's fields (minus ``kind`` and ``id``) as keyword
    arguments on a worker thread; its return value (JSON-able) is the reply's ``result``.
    """

    def mark(fn: Callable[..., Any]) -> Callable[..., Any]:
        fn._csw_action = kind  # type: ignore[attr-defined]
        return fn

    return mark


class Panel(anywidget.AnyWidget):
    """Common behaviour of the cswidgets panels."""

    alerts = t.List(t.Dict(), default_value=[]).tag(sync=True)

    _actions: ClassVar[dict[str, str]] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        actions: dict[str, str] = {}
        for klass in reversed(cls.__mro__):
            for name, member in vars(klass).items():
                kind = getattr(member, "_csw_action", None)
                if kind:
                    actions[kind] = name
        cls._actions = actions

    def __init__(self, **kwargs: Any) -> None:
        unknown = sorted(k for k in kwargs if not self.has_trait(k))
        if unknown:
            raise TypeError(f"{type(self).__name__}() got unexpected keyword argument(s): {', '.join(unknown)}")
        super().__init__(**kwargs)
        self._alert_lock = threading.Lock()
        self.on_msg(self._dispatch)

    # -- messages ---------------------------------------------------------------------------
    def _dispatch(self, _widget: Any, content: Any, _buffers: Any) -> None:
        if not isinstance(content, dict) or "kind" not in content:
            return
        kind, msg_id = content.get("kind"), content.get("id")
        name = self._actions.get(kind)
        if name is None:
            self._reply(msg_id, ok=False, error=f"Unknown request {kind!r}.")
            return
        args = {k: v for k, v in content.items() if k not in ("kind", "id")}
        _POOL.submit(self._run_action, name, kind, msg_id, args)

    def _run_action(self, name: str, kind: str, msg_id: Any, args: dict[str, Any]) -> None:
        try:
            result = getattr(self, name)(**args)
        except Exception as exc:  # every failure gets an answer and a visible alert
            message, detail = describe(exc)
            log.info("%s action %s failed: %s", type(self).__name__, kind, detail or message)
            self.add_alert(message, detail=detail)
            self._reply(msg_id, ok=False, error=message)
        else:
            self._reply(msg_id, ok=True, result=result)

    def _reply(self, msg_id: Any, **fields: Any) -> None:
        if msg_id is None:
            return
        try:
            self.send({"kind": "reply", "id": msg_id, **fields})
        except Exception:  # the comm may be closed; nothing else to tell
            log.debug("could not send reply %s", msg_id, exc_info=True)

    @staticmethod
    def _error_text(exc: BaseException) -> str:
        """One short line for ``exc`` (see :func:`cswidgets.widgets._errors.describe`)."""
        return describe(exc)[0]

    # -- alerts -----------------------------------------------------------------------------
    def add_alert(self, message: str, level: str = "error", *, key: str | None = None,
                  detail: str | None = None) -> None:
        """Show ``message`` in the panel's alert region (thread-safe; keeps the last 20).

        ``key`` names the condition the alert is about ("load", "row:P/abc"...): a new alert with the
        same key replaces the old one, and :meth:`clear_alert` removes it when the condition clears.
        ``detail`` (the raw error text) is shown collapsed. The message is capped at 300 characters and
        the detail at 20,000: an alert never carries a server's 50 MB text to the browser.
        """
        entry = {"id": f"a{next(_ALERT_IDS)}", "level": level, "message": cap(str(message), MAX_MESSAGE)}
        if key is not None:
            entry["key"] = str(key)
        if detail:
            entry["detail"] = cap(str(detail), MAX_DETAIL)
        with self._alert_lock:
            kept = [a for a in self.alerts if key is None or a.get("key") != key]
            self.alerts = [*kept, entry][-MAX_ALERTS:]

    def clear_alert(self, key: str) -> None:
        """Remove the alert(s) of condition ``key`` (the condition cleared)."""
        with self._alert_lock:
            if any(a.get("key") == key for a in self.alerts):
                self.alerts = [a for a in self.alerts if a.get("key") != key]

    def clear_alerts(self) -> None:
        """Remove every alert."""
        with self._alert_lock:
            self.alerts = []

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
            data["text/html"] = self._static_html()
            data["text/plain"] = repr(self)
        return bundle_
