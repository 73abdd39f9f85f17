"""``cswidgets.doctor()``: the doctor in a notebook (or a script).

In a Jupyter kernel it shows the report, then a probe widget (:class:`~cswidgets.widgets.doctor.DoctorProbe`)
and a status line. A background thread waits for the probe's answer and updates the line: the front end it
rendered in, or -- when it did not answer -- the likely causes and the exact fixes (the classic loader's
texts). ``report.notebook`` records the outcome (``probe``, ``front_end``, ``answered_after_s``). Outside a
kernel it prints the report.
"""

from __future__ import annotations

import html
import threading
from typing import Any

from .report import Report
from .run import diagnose

__all__ = ["WAIT_S", "doctor"]

WAIT_S = 15.0  # how long the probe may take to answer (a busy page, a slow widget manager start)
WIDGET_PACKAGES = ("ipywidgets", "anywidget", "widgetsnbextension", "jupyterlab_widgets")
WAITING = "Front end: waiting for the probe widget below to render and answer…"


def doctor(client: Any = None, *, wait: float = WAIT_S, **connect_kwargs: Any) -> Report:
    """Run the doctor; in a notebook, also check the front end with a probe widget."""
    from cswidgets.widgets.shared import classic as _classic

    report = diagnose(client, **connect_kwargs)
    shell = _classic._kernel_shell()
    if shell is None:
        import sys

        sys.stdout.write(report.text() + "\n")
        return report
    from IPython.display import HTML, display

    from cswidgets.widgets.doctor import DoctorProbe

    display(HTML(f'<pre class="csw-doctor-report">{html.escape(report.text())}</pre>'))
    report.notebook = {"probe": "waiting", **_widget_versions(report)}
    line = display(HTML(_line(WAITING)), display_id=True)
    probe = DoctorProbe()
    display(probe)
    threading.Thread(target=_follow, args=(probe, line, report, wait), daemon=True,
                     name="cswidgets-doctor-probe").start()
    return report


def _widget_versions(report: Report) -> dict[str, Any]:
    """The widget packages of the kernel's environment (the server's may differ: it is another environment in
    DSS)."""
    return {"kernel_" + name: report.versions.get(name) for name in WIDGET_PACKAGES}


def _line(text: str, causes: list[str] | None = None) -> str:
    items = "".join(f"<li>{html.escape(c)}</li>" for c in causes or [])
    return (f'<div class="csw-doctor-frontend" role="status"><p>{html.escape(text)}</p>'
            + (f"<ol>{items}</ol>" if items else "") + "</div>")


def _follow(probe: Any, line: Any, report: Report, wait: float) -> None:
    from IPython.display import HTML

    from cswidgets.widgets.doctor.probe import likely_causes

    if probe.wait(wait):
        report.notebook = {"probe": "answered", "front_end": probe.front_end,
                           "answered_after_s": probe.answered_after_s, **_widget_versions(report)}
        line.update(HTML(_line(f"Front end: the probe widget rendered in {probe.front_end} and answered after "
                               f"{probe.answered_after_s:g} s: widgets work here.")))
        return
    report.notebook = {"probe": f"no answer within {wait:g} s", **_widget_versions(report)}
    line.update(HTML(_line(f"Front end: the probe widget did not answer within {wait:g} s, so the panels cannot "
                           "work in this front end. Likely causes, most likely first, with the fix:",
                           likely_causes(report.versions))))
