"""The records Python sends to each panel's JS, as a JSON fixture the JS tests load.

    .venv/bin/python -m tests.records_fixture      # (or `make records`) rewrites tests/js/fixtures/records.json

Each record type is defined once, as a ``TypedDict`` next to the code that builds it; the fixture holds,
per type, its field names and one example built by the REAL row functions from a seeded, frozen
simulator (not typed by hand). ``tests/test_records_fixture.py`` fails when the committed file is out
of date; ``tests/js/records.test.js`` renders every example in its panel. So a field renamed on one side
fails a test on the other. It also holds the studio table's ``config`` trait (``studio_table_config``: the
declared columns and the batch rules), so the JS tests render the columns Python declares.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import cswidgets
from cswidgets.sim import Simulator
from cswidgets.widgets.activity.log import ActivityEntry, ActivityLog
from cswidgets.widgets.conflicts.zones import VIEWER_TEXTS, ViewerTexts, ZoneEntry, checked_entry, normalise
from cswidgets.widgets.shared.format import duration_text
from cswidgets.widgets.shared.progress import ProgressView, task_view
from cswidgets.widgets.studio_table.config import table_config
from cswidgets.widgets.studio_table.rows import StudioRow, frame_rows
from cswidgets.widgets.template_builds.columns import TemplatesConfig, templates_config
from cswidgets.widgets.template_builds.rows import BuildRecord, TemplateRow, build_record, template_row

FIXTURE = Path(__file__).resolve().parent / "js" / "fixtures" / "records.json"
KEY = "fixture-key"
EPOCH_MS = 1_750_000_000_000
#: Durations whose text both sides must write the same way (rounding edges included).
DURATIONS = [0, 0.04, 0.05, 0.25, 0.42, 1.25, 9.94, 9.95, 12.4, 12.5, 59.4, 59.5, 125, 3599.4, 3600, 3725, 86399]


def _studio_row(client: Any) -> StudioRow:
    rows, _, _ = frame_rows(client.studios_frame())
    row = next(r for r in rows.values() if r["state"] == "RUNNING" and r["zones"] and r["exposed"])
    base = client.base_url.rstrip("/")  # the simulator's port changes at every run
    return {**row, "exposed": [u.replace(base, "https://dss.example", 1) for u in row["exposed"]]}


def _zone_entry(sim: Simulator, client: Any, row: StudioRow) -> ZoneEntry:
    pk, sid = row["project_key"], row["id"]
    zone = "project-lib-versioned"
    sim.write_file(pk, sid, zone, "lib/util.py", "# edited in the studio\n", side="studio")
    sim.write_file(pk, sid, zone, "lib/util.py", "# edited in DSS\n", side="dss", author="bob")
    studio = client.get_project(pk).get_code_studio(sid)
    zones = normalise(studio.get_status().get_zones(as_type="objects"))
    target = next(z for z in zones if z["id"] == sim.zone_ids(pk, sid)[zone])
    entry, _ = checked_entry(target, studio.check_conflicts(target["id"]))
    return entry


def _build(sim: Simulator, client: Any, template: TemplateRow) -> tuple[BuildRecord, ProgressView]:
    future = client.get_code_studio_template(template["id"]).build()
    sim.advance(4)
    for _ in range(6):  # steady progress, seen every second: enough for a time left (EtaEstimator)
        sim.advance(1)
        future.peek_state()
        view = task_view(future)
    record = build_record(f"{template['id']}#1", template["id"], f"Build {template['label']}", no_cache=False,
                          view=view, final="", summary="", job_id=future.job_id, abort_requested=False)
    return record, view


def _activity_entry(row: StudioRow) -> ActivityEntry:
    log = ActivityLog(panel="studios")
    entry = log.record(what="stop", who="alice", when="2025-06-15T15:06:40+00:00", outcome="done",
                          duration_s=125.4, project_key=row["project_key"], studio_id=row["id"], studio=row["name"],
                          message="stopped")
    entry["id"] = 1  # ids count per process: pinned so the fixture does not depend on what ran before
    return entry


def records() -> dict[str, Any]:
    """Every record type: ``{name: {"fields": [...], "example": {...}}}``, plus the duration texts."""
    with Simulator(scenario="demo", api_key=KEY, seed=0, speed=0, epoch_ms=EPOCH_MS) as sim:
        client = cswidgets.connect(url=sim.url, api_key=KEY)
        try:
            studio = _studio_row(client)
            zone = _zone_entry(sim, client, studio)
            template = template_row(client.templates_frame().iloc[0].to_dict())
            build, progress = _build(sim, client, template)
        finally:
            client.close()
    examples: dict[str, tuple[type, Any]] = {
        "studio_row": (StudioRow, studio),
        "zone_entry": (ZoneEntry, zone),
        "template_row": (TemplateRow, template),
        "build_record": (BuildRecord, build),
        "progress_view": (ProgressView, progress),
        "activity_entry": (ActivityEntry, _activity_entry(studio)),
        "viewer_texts": (ViewerTexts, VIEWER_TEXTS),
        "templates_config": (TemplatesConfig, templates_config()),
    }
    out: dict[str, Any] = {
        name: {"fields": list(kind.__annotations__), "example": example} for name, (kind, example) in examples.items()
    }
    out["durations"] = [[s, duration_text(s)] for s in DURATIONS]
    # the studio table's `config` trait (its declared columns and rules), which the JS tests mount with
    out["studio_table_config"] = table_config()
    return json.loads(json.dumps(out))  # what the JS side sees (tuples as lists...)


def render(data: dict[str, Any]) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False, sort_keys=False) + "\n"


def main() -> int:
    FIXTURE.parent.mkdir(parents=True, exist_ok=True)
    FIXTURE.write_text(render(records()), encoding="utf-8")
    sys.stdout.write(f"wrote {FIXTURE.relative_to(Path.cwd()) if FIXTURE.is_relative_to(Path.cwd()) else FIXTURE}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
