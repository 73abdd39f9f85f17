""":class:`DoctorProbe`: a tiny widget that answers back when it has rendered (``js/doctor/index.js``).

When its view renders, the front end sends ``{kind: "rendered", front_end}``; the kernel then knows widgets
work in this front end and says so in the view (``status``, written by Python only). Where no view can
render, the cell shows the probe's ``text/html`` instead: the likely causes and their fixes (the classic
loader's texts, :mod:`cswidgets.widgets.shared.classic`).
"""

from __future__ import annotations

import html
import threading
import time
from typing import Any

import anywidget
import traitlets as t

from ..shared import classic as _classic
from ..shared.panel import bundle

__all__ = ["NOT_RENDERED", "DoctorProbe", "likely_causes"]

NOT_RENDERED = "cswidgets doctor: the probe widget did not render here, so the panels cannot either."
NO_MANAGER = (
    "JupyterLab or Notebook 7 without the widgets extension (jupyterlab_widgets): Fix: `pip install ipywidgets` "
    "in the Jupyter server's environment (not only the kernel's), restart Jupyter and reload the page."
)
# The loader no longer says this in the saved output (no text left behind on GitHub/nbviewer): the doctor does.
UNTRUSTED = (
    "An untrusted notebook, or a viewer without JavaScript: the output's scripts did not run, so the panels "
    "cannot load. Fix: trust the notebook (classic notebook: File > Trust Notebook, or `jupyter trust "
    "NOTEBOOK.ipynb`) and run the cell again."
)
MAX_FRONT_END = 80


def likely_causes(versions: dict[str, Any] | None = None) -> list[str]:
    """Why a probe does not answer, most likely first, each with its fix."""
    causes = [_classic.NO_WIDGETS, NO_MANAGER, UNTRUSTED,
              _classic.LOAD_FAILED.replace("{error}", "see the browser's console")]
    major = str((versions or {}).get("ipywidgets") or "")[:1]
    if major:
        causes.append(f"A version mismatch: this kernel has ipywidgets {versions['ipywidgets']}; the server's "
                      "widgets extension must speak its protocol (ipywidgets 8 wants widgetsnbextension 4 or "
                      "jupyterlab_widgets 3; ipywidgets 7.8 works with widgetsnbextension 3.6). Fix: install the "
                      "matching ipywidgets in the kernel's environment (the code env, in DSS).")
    return causes


class DoctorProbe(anywidget.AnyWidget):
    """Renders a line, and tells the kernel it did (:meth:`wait`)."""

    _esm = bundle("doctor")
    #: what the kernel heard, shown in the view (written by Python only)
    status = t.Unicode("").tag(sync=True)

    def __init__(self) -> None:
        _classic.announce()  # before the comm opens: the classic notebook may need anywidget's module
        super().__init__()
        self.front_end: str | None = None
        self.answered_after_s: float | None = None
        self._created = time.monotonic()
        self._answered = threading.Event()
        self.on_msg(self._on_msg)

    def _on_msg(self, _widget: Any, content: Any, _buffers: Any) -> None:
        if not isinstance(content, dict) or content.get("kind") != "rendered" or self._answered.is_set():
            return
        front_end = content.get("front_end")
        self.front_end = str(front_end)[:MAX_FRONT_END] if front_end else "a Jupyter front end"
        self.answered_after_s = round(time.monotonic() - self._created, 2)
        self.status = (f"cswidgets doctor: the probe widget rendered in {self.front_end} and the kernel heard it "
                       f"({self.answered_after_s:g} s): widgets work here.")
        self._answered.set()

    def wait(self, timeout: float) -> bool:
        """Whether the view answered within ``timeout`` seconds."""
        return self._answered.wait(timeout)

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        bundle_ = super()._repr_mimebundle_(**kwargs)
        data = bundle_[0] if isinstance(bundle_, tuple) else bundle_
        if data is not None:  # shown only where the widget cannot render
            items = "".join(f"<li>{html.escape(c)}</li>" for c in likely_causes())
            data["text/html"] = (f'<div class="csw-doctor-probe" role="alert"><p>{html.escape(NOT_RENDERED)} '
                                 f"Likely causes and fixes:</p><ol>{items}</ol></div>")
            data["text/plain"] = NOT_RENDERED
        return bundle_

    def __repr__(self) -> str:
        return f"<DoctorProbe: {'answered' if self._answered.is_set() else 'no answer yet'}>"
