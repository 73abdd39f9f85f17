"""The doctor's :class:`Report`: plain text for the user, and a scrubbed JSON file for a bug report.

The JSON (``--report file.json``) holds versions, verdicts, timings and the *shapes* of the answers
(:mod:`cswidgets.doctor.shapes`): no URL, host, key, ticket, user, project, studio or file name. Verdict texts
are written without such values, and every text goes through the run's
:class:`~cswidgets.doctor.redact.Redactor` (which learnt every value DSS sent) once more before it is written.
"""

from __future__ import annotations

import json
import platform
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

from .redact import Redactor
from .shapes import hide_keys
from .verdicts import DIFFERS, Check

__all__ = ["FORMAT", "Report", "versions"]

FORMAT = 1
PACKAGES = ("cswidgets", "requests", "urllib3", "pandas", "dataiku-api-client", "ipywidgets", "anywidget",
            "widgetsnbextension", "jupyterlab_widgets", "ipykernel", "notebook", "jupyterlab")


def versions() -> dict[str, str | None]:
    """Python and the packages that matter, as installed where this runs (the kernel's environment)."""
    out: dict[str, str | None] = {"python": platform.python_version()}
    for name in PACKAGES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = None
    return out


@dataclass
class Report:
    """What one doctor run found. ``facts`` (who, where) are shown to the user and never written to the file."""

    checks: list[Check] = field(default_factory=list)
    server: dict[str, Any] = field(default_factory=dict)
    facts: dict[str, Any] = field(default_factory=dict)
    timings: dict[str, Any] = field(default_factory=dict)
    shapes: dict[str, Any] = field(default_factory=dict)
    versions: dict[str, Any] = field(default_factory=versions)
    notebook: dict[str, Any] = field(default_factory=dict)
    redactor: Redactor = field(default_factory=Redactor, repr=False)

    @property
    def blocking(self) -> list[Check]:
        return [c for c in self.checks if c.blocking]

    @property
    def differences(self) -> list[Check]:
        return [c for c in self.checks if c.verdict == DIFFERS]

    @property
    def exit_code(self) -> int:
        """0: the product works here (differences, if any, have a tolerant path); 1: it cannot work."""
        return 1 if self.blocking else 0

    def as_json(self) -> dict[str, Any]:
        """The scrubbed report (see the module docstring)."""
        scrub = self.redactor.scrub_deep
        return {
            "cswidgets_doctor": FORMAT,
            "versions": self.versions,
            "server": scrub(self.server),
            "checks": [scrub(c.as_json()) for c in self.checks],
            "timings": scrub(self.timings),
            "shapes": {name: hide_keys(shape, self.redactor.values) for name, shape in self.shapes.items()},
            "notebook": scrub(self.notebook),
            "exit_code": self.exit_code,
        }

    def write(self, path: str | Path) -> Path:
        path = Path(path)
        path.write_text(json.dumps(self.as_json(), indent=1, sort_keys=True) + "\n", encoding="utf-8")
        return path

    def text(self) -> str:
        """The report in plain words (with the user and the URL: for the person running it)."""
        lines = ["cswidgets doctor -- read-only: nothing is started, stopped, pulled, pushed, built or written", ""]
        for label, value in (("DSS", self.facts.get("url")), ("credentials", self.facts.get("credentials")),
                             ("TLS", self.server.get("tls")), ("server", self.facts.get("server")),
                             ("user", self.facts.get("user")), ("error", self.facts.get("error"))):
            if value:
                lines.append(f"  {label:<12} {value}")
        for text in self.facts.get("panels", []):
            lines.append(f"  {'':<12} {text}")
        lines += ["", "Checks (each names the assumption it tests):"]
        for check in self.checks:
            mark = {"confirmed here": "ok  ", "differs": "DIFF" if not check.blocking else "FAIL"}.get(
                check.verdict, "--  ")
            lines.append(f"  [{mark}] {check.topic}: {check.text}")
            lines.append(f"         assumption: {check.assumption}")
            if check.path:
                lines.append(f"         the panels: {check.path}")
        if self.timings:
            t = self.timings
            lines += ["", f"Timings: round trip {t.get('round_trip_ms')} ms, status read {t.get('status_ms')} ms, "
                      f"studio list {t.get('list_ms')} ms"]
            lines += [f"  - {text}" for text in t.get("implications", [])]
        if self.notebook:
            lines += ["", "Notebook:"] + [f"  {k}: {v}" for k, v in self.notebook.items()]
        lines += ["", "Versions: " + ", ".join(f"{k} {v}" for k, v in self.versions.items() if v)]
        verdict = ("the product cannot work here: see FAIL above" if self.blocking else
                   f"{len(self.differences)} difference(s), each with the path the panels take" if self.differences
                   else "every checkable assumption is confirmed here")
        lines += ["", f"Summary: {verdict}."]
        return "\n".join(lines)

    def __repr__(self) -> str:
        return f"<cswidgets doctor: {len(self.checks)} checks, {len(self.differences)} differ, exit {self.exit_code}>"
