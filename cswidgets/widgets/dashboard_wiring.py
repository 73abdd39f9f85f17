"""How the dashboard's panels feed one :class:`~.activity.ActivityLog`.

Until every panel records into a shared log itself, each panel's own activity is mirrored:

- :class:`TableMirror`: ``StudioTable.on_activity`` gives every version of an entry (``running``,
  then final) with the table's own ``id``; the first version begins a log entry, the final one
  finishes it (with the table's duration).
- :func:`conflict_entry`: ``ConflictViewer.on_activity`` gives one entry per finished operation
  (``outcome`` ``"ok"`` becomes ``"done"``; ``detail`` becomes ``message``).
- :class:`BuildsMirror`: ``TemplateBuilds`` has no activity hook; its ``builds`` trait (one dict per
  build, ``final`` set when it ends) is observed instead. Builds started from the panel's buttons
  and from Python both appear.

All callbacks run on worker or tracker threads and are thread-safe.
"""

from __future__ import annotations

import threading
from typing import Any

from .activity import ActivityLog

OUTCOMES = {"ok": "done"}


class TableMirror:
    """Mirrors ``StudioTable`` activity entries into ``log`` (``panel="studios"``)."""

    def __init__(self, log: ActivityLog) -> None:
        self._log = log
        self._lock = threading.Lock()
        self._ids: dict[Any, int] = {}

    def __call__(self, entry: dict[str, Any]) -> None:
        source = entry.get("id")
        outcome = OUTCOMES.get(entry.get("outcome"), entry.get("outcome") or "done")
        with self._lock:
            log_id = self._ids.get(source)
            if log_id is None:
                fields = {
                    "panel": "studios",
                    "what": entry.get("what") or "action",
                    "who": entry.get("who"),
                    "when": entry.get("when"),
                    "project_key": entry.get("project_key"),
                    "studio_id": entry.get("studio_id"),
                    "studio": entry.get("studio"),
                    "target": entry.get("studio") or entry.get("studio_id"),
                }
                if outcome == "running":
                    self._ids[source] = self._log.begin(**fields)
                    return
                self._log.record(outcome=outcome, duration_s=entry.get("duration_s"),
                                 message=entry.get("message"), **fields)
                return
            if outcome == "running":
                return
            del self._ids[source]
        self._log.finish(log_id, outcome, entry.get("duration_s"), entry.get("message"))


def conflict_entry(log: ActivityLog, viewer: Any, entry: dict[str, Any]) -> None:
    """Record one ``ConflictViewer`` activity entry (``panel="conflicts"``)."""
    view = getattr(viewer, "studio_view", None) or {}
    studio = view.get("name") or entry.get("studio") or view.get("id")
    zone = entry.get("zone")
    outcome = entry.get("outcome") or "done"
    log.record(
        panel="conflicts",
        what=entry.get("what") or "action",
        who=entry.get("who"),
        when=entry.get("when"),
        outcome=OUTCOMES.get(outcome, outcome),
        duration_s=entry.get("duration"),
        message=entry.get("detail"),
        project_key=view.get("project_key"),
        studio_id=view.get("id"),
        studio=studio,
        zone=zone,
        target=f"{studio} / {zone}" if studio and zone else studio or zone,
    )


class BuildsMirror:
    """Turns changes of ``TemplateBuilds.builds`` into log entries (``panel="templates"``).

    Call it with each new value of the trait (it is cheap: it runs inside the panel's lock, on
    the tracker thread or the thread that started the build).
    """

    def __init__(self, log: ActivityLog, who: str | None, labels: Any) -> None:
        self._log = log
        self._who = who
        self._labels = labels  # callable: template_id -> label
        self._lock = threading.Lock()
        self._open: dict[str, int] = {}
        self._seen: set[str] = set()

    def __call__(self, builds: list[dict[str, Any]]) -> None:
        for build in builds or []:
            key = build.get("key")
            if key is None:
                continue
            final = build.get("final") or ""
            with self._lock:
                if key not in self._seen:
                    self._seen.add(key)
                    template_id = build.get("template_id")
                    self._open[key] = self._log.begin(
                        panel="templates", who=self._who,
                        what="build (no cache)" if build.get("no_cache") else "build",
                        template_id=template_id, target=self._labels(template_id),
                    )
                if not final or key not in self._open:
                    continue
                log_id = self._open.pop(key)
            view = build.get("view") or {}
            message = build.get("result_summary") or view.get("message") or None
            self._log.finish(log_id, final, message=message)
