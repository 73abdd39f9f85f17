"""Panels in the classic Jupyter Notebook without anywidget's notebook extension (DSS notebooks).

DSS notebooks run on DSS's own classic Notebook server, with ``widgetsnbextension`` enabled by an
administrator but, usually, no ``anywidget`` extension: widgetsnbextension then asks RequireJS for a
module named ``anywidget`` that nothing maps (404 on ``/static/anywidget.js``) and the cell stays blank.

Before a panel opens its comm (:func:`announce`, called by the panel base), the kernel sends a
``display_data`` whose ``application/javascript`` defines that module from the **installed** anywidget's
classic-notebook AMD bundle (the folder its ``_jupyter_nbextension_paths()`` names). Output messages are
handled in order, so the module exists when the widget's model is created. The script:

- does nothing outside the classic notebook (JupyterLab 4, Notebook 7, VS Code, exported HTML) and hides
  its own, empty, output there;
- does nothing when the server already provides ``anywidget`` (its nbextension is installed);
- forgets an earlier failed load (``requirejs.undef``) before defining the module again;
- shows, above the cell's outputs, the cause and the fix when the panels cannot work: no widgets
  extension on the server, or the module failed to load (a page element, never saved).

**Nothing of it is saved.** The output is sent with a ``display_id`` and, when the cell's execution ends
(IPython's ``post_run_cell``), replaced by an empty one (``update_display_data``: an empty, hidden
HTML element): the page ran the script when the output arrived (outputs are handled in order), and the
module it defined stays defined in that page. So notebooks saved from JupyterLab, Notebook 7, VS Code,
the classic notebook or nbclient/nbconvert hold an empty ``display_data`` where the loader was -- no
script, and no "trust this notebook" text that would mislead on GitHub or nbviewer.

**Sent only where it can be needed, once per page.** Each page (browser tab) talks to the kernel under a
session id of its own (the ``session`` of its messages' headers; a reload is a new page and a new id).
Every panel's view, once rendered, tells the kernel (``{kind: "rendered"}``, :func:`note_message`): from
then on that page gets no loader -- it renders panels natively (JupyterLab, Notebook 7, VS Code, a
server with anywidget's extension) or already holds the module the loader defined (the classic
notebook). A page that has not said so yet gets it at most once per cell execution: the first cells of a
"Run all" (executions are queued before any view renders), a classic page after a reload (the module
must come again), or a front end that renders nothing (nbclient).

Opt out (for saved-output comparisons such as nbval) with ``CSWIDGETS_CLASSIC_LOADER=0`` in the
kernel's environment (read at each panel creation).
"""

from __future__ import annotations

import functools
import json
import logging
import os
import threading
import uuid
import weakref
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

__all__ = ["ENV_VAR", "announce", "enabled", "loader_bundle", "note_message", "script"]

ENV_VAR = "CSWIDGETS_CLASSIC_LOADER"
MODULE = "anywidget"
WIDGETS_EXTENSION = "jupyter-js-widgets/extension"  # widgetsnbextension's name in load_extensions

# What the user reads when the panels cannot work (also in the README, "Without an administrator").
NO_WIDGETS = (
    "cswidgets: Jupyter widgets are not enabled on this notebook server, so the panels below are static "
    "snapshots. Fix (an administrator, in the server's environment): `pip install widgetsnbextension` then "
    "`jupyter nbextension enable --py widgetsnbextension --sys-prefix`, and reload the page "
    "(in DSS: Administration > Settings, the ipywidgets instructions of the DSS documentation)."
)
LOAD_FAILED = (
    "cswidgets: the panels' front end (the anywidget module) could not be loaded: {error}. "
    "Fix: reload the page and run the cell again; if it persists, ask an administrator to install "
    "anywidget's notebook extension on the server: `pip install anywidget` then "
    "`jupyter nbextension install --py anywidget --sys-prefix` and "
    "`jupyter nbextension enable --py anywidget --sys-prefix`."
)
NO_BUNDLE = "the installed anywidget package has no classic-notebook bundle (nbextension/index.js)"

# What replaces the loader's output when its cell ends: no script, no text; the panels' theme hides its
# output area where a panel has rendered (js/shared/styles.js: an empty output is a 10 px gap in the
# classic notebook). GitHub, nbviewer and consoles show nothing.
EMPTIED_CLASS = "csw-classic-loader-emptied"
EMPTY: dict[str, str] = {"text/html": f'<span class="{EMPTIED_CLASS}" hidden></span>'}
RENDERED = "rendered"  # the message kind a panel's view sends once rendered (js/shared/rendered.js)

_lock = threading.Lock()
_last_execution: Any = None
_rendered_sessions: set[str] = set()  # pages where a panel rendered: they need no loader
_pending: list[str] = []  # display ids of loader outputs still to be emptied
_hooked: weakref.WeakSet[Any] = weakref.WeakSet()  # the shells whose post_run_cell empties them


def enabled() -> bool:
    """False when ``CSWIDGETS_CLASSIC_LOADER`` is ``0``/``false``/``no``/``off``."""
    return os.environ.get(ENV_VAR, "1").strip().lower() not in ("0", "false", "no", "off")


@functools.lru_cache(maxsize=1)
def loader_bundle() -> str | None:
    """The installed anywidget's classic-notebook AMD bundle (``None`` when it has none)."""
    import anywidget

    folder = Path(anywidget.__file__).resolve().parent
    try:
        paths = anywidget._jupyter_nbextension_paths()  # type: ignore[attr-defined]
        candidates = [folder / p["src"] / "index.js" for p in paths]
    except Exception:  # an anywidget without the hook: its historical layout
        candidates = []
    for path in [*candidates, folder / "nbextension" / "index.js"]:
        if path.is_file():
            return path.read_text(encoding="utf-8")
    return None


_SCRIPT = """(function (element) {
  "use strict";
  var node = element && element.jquery ? element[0] : element;
  var texts = %(texts)s;
  function area() {
    return node && node.closest ? node.closest(".output_area, .jp-OutputArea-child") : null;
  }
  var outputs = null;  // the cell's list of outputs: it outlives this output, emptied when the cell ends
  function hide(tries) {
    if (!node || !node.style) return;
    node.style.display = "none";
    var a = area();
    if (a) a.style.display = "none";
    if (a && a.parentNode) outputs = a.parentNode;
    else if ((tries || 0) < 50) setTimeout(function () { hide((tries || 0) + 1); }, 20);
  }
  var box = null;
  // Above the cell's outputs, not in this output: it is emptied when the cell ends. A page element,
  // never saved, gone when the cell runs again.
  function show(text) {
    console.error(text);
    if (!box) {
      box = document.createElement("div");
      box.className = "csw-classic-loader";
      box.setAttribute("role", "alert");
      box.style.cssText = "padding:6px 8px;border-left:3px solid #c62828;white-space:pre-wrap;";
    }
    box.textContent = text;
    var a = area(), list = outputs || (a && a.parentNode);
    if (list) list.insertBefore(box, list.firstChild);
    else if (node && node.appendChild) { node.style.display = ""; node.appendChild(box); }
  }
  hide(0);
  var J = window.Jupyter, rq = window.requirejs, df = window.define;
  if (!J || !J.notebook || !rq || typeof df !== "function" || !df.amd) return;
  var nb = J.notebook;
  function noWidgets() {  // widgetsnbextension neither enabled nor loaded: nothing can render a widget
    var exts = (nb.config && nb.config.data && nb.config.data.load_extensions) || {};
    return !exts[%(widgets_ext)s] && !(nb.kernel && nb.kernel.widget_manager);
  }
  if (nb.config && nb.config.loaded) nb.config.loaded.then(function () { if (noWidgets()) show(texts.no_widgets); });
  var ctx = rq.s && rq.s.contexts && rq.s.contexts._;
  var map = (ctx && ctx.config && ctx.config.map && ctx.config.map["*"]) || {};
  if (map[%(module)s] || rq.defined(%(module)s)) return;
  var pending = ctx && ctx.registry && ctx.registry[%(module)s];
  if (pending && !pending.error) return;
  if (pending) rq.undef(%(module)s);
  var bundled = %(bundled)s;
  if (!bundled) { show(texts.load_failed.replace("{error}", function () { return texts.no_bundle; })); return; }
  var named = function (deps, factory) { return df(%(module)s, deps, factory); };
  named.amd = df.amd;
  (function (define) {
%(bundle)s
  })(named);
  rq([%(module)s], function () {}, function (err) {
    try { rq.undef(%(module)s); } catch (e) { /* nothing registered */ }
    var why = String((err && err.message) || err);
    show(noWidgets() ? texts.no_widgets : texts.load_failed.replace("{error}", function () { return why; }));
  });
})(typeof element === "undefined" ? undefined : element);
"""


def script(bundle: str | None) -> str:
    """The JavaScript that provides ``bundle`` (anywidget's AMD bundle) as the ``anywidget`` module."""
    texts = {"no_widgets": NO_WIDGETS, "load_failed": LOAD_FAILED, "no_bundle": NO_BUNDLE}
    return _SCRIPT % {
        "texts": json.dumps(texts),
        "widgets_ext": json.dumps(WIDGETS_EXTENSION),
        "module": json.dumps(MODULE),
        "bundled": "true" if bundle else "false",
        "bundle": bundle or "",
    }


def _kernel_shell() -> Any:
    """The IPython shell when running in a Jupyter kernel (not a terminal IPython, not plain Python)."""
    try:
        from IPython import get_ipython
    except ImportError:
        return None
    shell = get_ipython()
    return shell if shell is not None and getattr(shell, "kernel", None) is not None else None


def _header(shell: Any) -> dict[str, Any]:
    parent = getattr(shell, "parent_header", None) or {}
    header = parent.get("header", parent) if isinstance(parent, dict) else {}
    return header if isinstance(header, dict) else {}


def _execution_key(shell: Any) -> Any:
    return _header(shell).get("msg_id") or ("count", getattr(shell, "execution_count", None))


def _session(header: Any) -> str | None:
    session = header.get("session") if isinstance(header, dict) else None
    return session if isinstance(session, str) and session else None


def announce() -> bool:
    """Send the loader, if the page running this cell may need it; returns whether it was sent.

    Call before a panel opens its comm. A no-op outside a Jupyter kernel, when disabled, in a page where
    a panel already rendered, and for the second panel of a cell execution.
    """
    if not enabled():
        return False
    shell = _kernel_shell()
    if shell is None:
        return False
    global _last_execution
    key, session = _execution_key(shell), _session(_header(shell))
    display_id = f"cswidgets-classic-loader-{uuid.uuid4().hex}"
    with _lock:
        if key == _last_execution or (session is not None and session in _rendered_sessions):
            return False
        _last_execution = key
    try:
        _hook(shell)
        _publish({"application/javascript": script(loader_bundle())}, display_id)
    except Exception:  # never stop a panel from being created
        log.debug("could not send the classic-notebook loader", exc_info=True)
        return False
    with _lock:
        _pending.append(display_id)
    return True


def note_message(msg: Any) -> bool:
    """Read a message from a panel's view (the comm message, with its header): ``True`` when it is the
    view's ``{kind: "rendered"}``, whose page then gets no loader any more."""
    try:
        data = msg["content"]["data"]
        rendered = data.get("method") == "custom" and data["content"].get("kind") == RENDERED
    except (AttributeError, KeyError, TypeError):
        return False
    if rendered:
        session = _session(msg.get("header"))
        if session is not None:
            with _lock:
                _rendered_sessions.add(session)
    return bool(rendered)


def empty_sent() -> int:
    """Replace every loader output sent so far by an empty one; returns how many.

    Called when a cell's execution ends (IPython's ``post_run_cell``), on the kernel's main thread: the
    update goes out under that execution (nbclient applies only those), after everything the cell showed.
    """
    with _lock:
        sent, _pending[:] = list(_pending), []
    for display_id in sent:
        try:
            _update(display_id)
        except Exception:
            log.debug("could not empty the classic-notebook loader %s", display_id, exc_info=True)
    return len(sent)


def _hook(shell: Any) -> None:
    with _lock:
        if shell in _hooked:
            return
        _hooked.add(shell)
    shell.events.register("post_run_cell", lambda *_: empty_sent())


def _publish(data: dict[str, str], display_id: str) -> None:
    from IPython.display import display

    display(data, raw=True, metadata={"cswidgets": {"classic_loader": True}}, display_id=display_id)


def _update(display_id: str) -> None:
    from IPython.display import update_display

    update_display(EMPTY, raw=True, display_id=display_id)
