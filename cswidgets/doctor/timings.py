"""Timings of the reads the doctor made (a round trip, a status read, a list) and what they imply for the
live table's defaults (its request budget and pass time: ``cswidgets/widgets/studio_table/live.py``)."""

from __future__ import annotations

import math
import statistics
from typing import Any

from cswidgets.api.errors import DSSError

from .context import Context
from .studios import Sample

__all__ = ["timings"]

ROUND_TRIPS = 3
STATUS = "GET /projects/{pk}/code-studios/{id}/status"
LIST = "GET /projects/{pk}/code-studios/"


def _median(values: list[float]) -> float | None:
    return round(statistics.median(values), 1) if values else None


def timings(ctx: Context, sample: Sample) -> dict[str, Any]:
    """``{round_trip_ms, status_ms, list_ms, projects, studios, live: {...}, implications: [text]}``."""
    for _ in range(ROUND_TRIPS - 1):
        try:
            ctx.read("GET /auth/info", ctx.client.get_auth_info)
        except DSSError:  # the first contact already judged the connection
            break
    from cswidgets.widgets.studio_table import live

    trips = ctx.times.get("GET /auth/info", [])
    out: dict[str, Any] = {
        "round_trip_ms": round(min(trips), 1) if trips else None,
        "status_ms": _median(ctx.times.get(STATUS, [])),
        "list_ms": _median(ctx.times.get(LIST, [])),
        "projects": sample.project_count,
        "studios": sample.studio_count if sample.project_count <= len(sample.projects) else None,
        "live": {"request_budget": live.DEFAULT_BUDGET, "min_pass_s": live.MIN_PASS_S,
                 "hot_every_s": live.HOT_EVERY_S, "tasks_every_s": live.TASKS_EVERY_S},
    }
    out["implications"] = implications(out, ctx.client.pool_size)
    return out


def implications(t: dict[str, Any], pool_size: int) -> list[str]:
    """Plain-words consequences of the timings for the live table and the frames."""
    texts = []
    budget, live = t["live"]["request_budget"], t["live"]
    studios = t["studios"] if t["studios"] is not None else None
    if studios is not None:
        requests = studios + t["projects"]
        pass_s = max(requests / budget, live["min_pass_s"])
        texts.append(f"{studios} studios in {t['projects']} projects: at the default budget of {budget:g} requests/s, "
                     f"the live table's rolling pass re-reads every row within {_duration(pass_s)}"
                     + (f"; request_budget={math.ceil(requests / 60)} would make it a minute (that many requests "
                        "a second on DSS)" if pass_s > 120 else ""))
    status = t["status_ms"]
    if status is not None:
        in_flight = math.ceil(budget * status / 1000)
        texts.append(f"a status read takes {status:g} ms: the budget of {budget:g}/s keeps about {in_flight} "
                     f"read(s) in flight" + (" -- DSS is slow; a smaller request_budget spares it" if status > 500
                                            else ""))
        if studios:
            texts.append(f"the first load and Refresh (studios_frame, {pool_size} requests at a time) should take "
                         f"about {_duration(studios * status / 1000 / pool_size + (t['list_ms'] or 0) / 1000)}")
        if status > live["hot_every_s"] * 1000:
            texts.append("a status read takes longer than the 1-second re-read of studios in transition: their "
                         "state shows late by about that much")
    trip = t["round_trip_ms"]
    if trip is not None and trip > 300:
        texts.append(f"a round trip takes {trip:g} ms: every click waits at least that long for DSS")
    return texts


def _duration(seconds: float) -> str:
    if seconds < 1:
        return f"{seconds * 1000:.0f} ms"
    if seconds < 120:
        return f"{seconds:.0f} s" if seconds >= 10 else f"{seconds:.1f} s"
    return f"{seconds / 60:.0f} min"
