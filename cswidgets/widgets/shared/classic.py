"""Panels in the classic Jupyter Notebook without anywidget's notebook extension (DSS notebooks).

DSS notebooks run on DSS's own classic Notebook server, with ``widgetsnbextension`` enabled by an
administrator but, usually, no ``anywidget`` extension: widgetsnbextension then asks RequireJS for a
module named ``anywidget`` that nothing maps (404 on ``/static/anywidget.js``) and the cell stays blank.

Before a panel opens its comm (:func:`announce`, called by the panel base), the kernel sends ONE
``display_data`` per cell execution whose ``application/javascript`` defines that module from the
**installed** anywidget's classic-notebook AMD bundle (the folder its ``_jupyter_nbextension_paths()``
names). Output messages are handled in order, so the module exists when the widget's model is
created. The script:

- does nothing outside the classic notebook (JupyterLab 4, Notebook 7, exported HTML) and hides its
  own, empty, output there;
- does nothing when the server already provides ``anywidget`` (its nbextension is installed);
- forgets an earlier failed load (``requirejs.undef``) before defining the module again;
- shows, in its output, the cause and the fix when the panels cannot work: no widgets extension on
  the server, or the module failed to load. Where scripts do not run at all (an untrusted notebook,
  a static viewer) the output's ``text/html`` says so instead -- never a blank cell.

Opt out (for saved-output comparisons such as nbval) with ``CSWIDGETS_CLASSIC_LOADER=0`` in the
kernel's environment (read at each panel creation).
"""

from __future__ import annotations

import functools
import json
import logging
import os
import threading
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

__all__ = ["ENV_VAR", "announce", "enabled", "loader_bundle", "script"]

ENV_VAR = "CSWIDGETS_CLASSIC_LOADER"
MODULE = "anywidget"
WIDGETS_EXTENSION = "jupyter-js-widgets/extension"  # widgetsnbextension's name in load_extensions

# What the user reads when the panels cannot work (also in the README, "Without an administrator").
NO_SCRIPTS = (
    "cswidgets: this output's scripts did not run (an untrusted notebook, or a viewer without "
    "JavaScript), so the panels below cannot load here. "
    "Fix: trust the notebook (classic notebook: File > Trust Notebook, or `jupyter trust NOTEBOOK.ipynb`) "
    "and run the cell again."
)
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

_lock = threading.Lock()
_last_execution: Any = None


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
  function hide(tries) {
    if (!node || !node.style) return;
    node.style.display = "none";
    var a = area();
    if (a) a.style.display = "none";
    else if ((tries || 0) < 50) setTimeout(function () { hide((tries || 0) + 1); }, 20);
  }
  function show(text) {
    if (!node || !node.style) { console.error(text); return; }
    var a = area();
    if (a) a.style.display = "";
    node.style.display = "";
    var box = document.createElement("div");
    box.className = "csw-classic-loader";
    box.setAttribute("role", "alert");
    box.style.cssText = "padding:6px 8px;border-left:3px solid #c62828;white-space:pre-wrap;";
    box.textContent = text;
    node.textContent = "";
    node.appendChild(box);
    console.error(text);
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


def _html() -> str:
    import html

    return f'<div class="csw-classic-loader" role="alert">{html.escape(NO_SCRIPTS)}</div>'


def _kernel_shell() -> Any:
    """The IPython shell when running in a Jupyter kernel (not a terminal IPython, not plain Python)."""
    try:
        from IPython import get_ipython
    except ImportError:
        return None
    shell = get_ipython()
    return shell if shell is not None and getattr(shell, "kernel", None) is not None else None


def _execution_key(shell: Any) -> Any:
    parent = getattr(shell, "parent_header", None) or {}
    header = parent.get("header", parent) if isinstance(parent, dict) else {}
    return header.get("msg_id") or ("count", getattr(shell, "execution_count", None))


def announce() -> bool:
    """Send the loader once for the cell being executed; returns whether it was sent.

    Call before a panel opens its comm. A no-op outside a Jupyter kernel and when disabled.
    """
    if not enabled():
        return False
    shell = _kernel_shell()
    if shell is None:
        return False
    global _last_execution
    key = _execution_key(shell)
    with _lock:
        if key == _last_execution:
            return False
        _last_execution = key
    try:
        _publish({"application/javascript": script(loader_bundle()), "text/html": _html()})
    except Exception:  # never stop a panel from being created
        log.debug("could not send the classic-notebook loader", exc_info=True)
        return False
    return True


def _publish(data: dict[str, str]) -> None:
    from IPython.display import display

    display(data, raw=True, metadata={"cswidgets": {"classic_loader": True}})
