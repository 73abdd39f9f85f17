"""Benchmark: what following 20 template builds costs DSS (issue 22, "futures in one read").

Twenty builds of the simulator, started ~0.15 s apart (so their ends fall at different points of a tick), are
followed by a :class:`~cswidgets.api.FutureTracker` in two ways, one after the other in the same run:

- **baseline**, today's tracker before issue 22: per-future peeks only (``use_list=False``), 100 ms growing
  x1.5 to a 1.5 s cap and never slower (``slow_interval=1.5``);
- **list**, the default tracker: one ``GET /futures/`` per second for all of them, one consuming read per build
  at its end.

Measured for each (requests counted by the simulator, ends and progress changes timed by a probe that reads the
simulator's own state every 5 ms, in process):

1. requests per second to DSS, in all, from the first build tracked to the last end;
2. the delay from a build's server-side end to ``on_done`` (median and p95 over the 20 builds);
3. the delay from a server-side progress change (stage or whole-task percentage) to an ``on_progress`` that
   shows it (median and p95 over every change of every build) -- P2 holds if the median is <= 1 s.

Then the default tracker again, **nobody looking** (``track(..., watched=lambda: False)``: the panels' views
hidden or gone): requests per second while the builds run (target <= 0.2), and how long after a view comes back
(``tracker.wake()``) every build's state is read again. On a tracker without ``watched`` (main before the
trickle) the same workload is simply followed live.

Targets: <= 2 requests/s in all (today 14.0), end seen <= 1.5 s after the server ends it (median).
Run: ``.venv/bin/python benchmarks/bench_tracker.py [--build-s 30] [--speed 1] [--json]`` (~75 s).
"""

from __future__ import annotations

import statistics
import threading
import time
from typing import Any

from bench_progress import _delays, _mark, _pct, _Probe, _row, main

import cswidgets
from cswidgets.api import FutureTracker
from cswidgets.api.futures import MAX_INTERVAL_S
from cswidgets.sim import Simulator

KEY = "bench-admin-key"
N_BUILDS = 20
START_GAP_S = 0.15


def follow_builds(use_list: bool, speed: float, build_s: float) -> dict[str, Any]:
    """Start N_BUILDS builds, follow them with a tracker, return what it cost and how late it saw things."""
    return _follow(use_list, speed, build_s)


def unwatched_builds(speed: float, build_s: float, measure_s: float = 20.0) -> dict[str, Any]:
    """N_BUILDS builds followed while nobody looks: the requests per second over ``measure_s`` seconds of their
    run, then ``wake()`` and the seconds until every build was read again."""
    with Simulator(scenario="demo", api_key=KEY, speed=speed, durations={"build": build_s}) as sim:
        for i in range(N_BUILDS - len(sim.template_ids())):
            sim.add_template(f"Bench template {i:02d}")
        client = cswidgets.connect(url=sim.url, api_key=KEY)
        tracker = FutureTracker()
        reads: dict[str, float] = {}
        lock = threading.Lock()

        def on_progress(f: Any) -> None:
            with lock:
                reads[f.job_id] = time.monotonic()

        trickles = True
        for template_id in sim.template_ids()[:N_BUILDS]:
            future = client.get_code_studio_template(template_id).build()
            try:
                tracker.track(future, on_progress, watched=lambda: False)
            except TypeError:  # a tracker without watched= (before the trickle): followed live
                trickles = False
                tracker.track(future, on_progress)
        time.sleep(3.0)  # the first reads of newly tracked futures are not the steady state
        sim.clear_requests()
        begin = time.monotonic()
        time.sleep(measure_s)
        made = len([r for r in sim.requests if r.path.startswith("/futures")])
        woke = time.monotonic()
        if hasattr(tracker, "wake"):
            tracker.wake()
        deadline = woke + 10
        while time.monotonic() < deadline:
            with lock:
                if len(reads) == N_BUILDS and min(reads.values()) >= woke:
                    break
            time.sleep(0.02)
        with lock:
            caught = max(reads.values()) - woke if reads and min(reads.values()) >= woke else float("nan")
        tracker.close()
        client.close()
    return {"rate": made / (woke - begin), "made": made, "seconds": woke - begin, "caught_up_s": caught,
            "trickles": trickles}


def _follow(use_list: bool, speed: float, build_s: float) -> dict[str, Any]:
    with Simulator(scenario="demo", api_key=KEY, speed=speed, durations={"build": build_s}) as sim:
        for i in range(N_BUILDS - len(sim.template_ids())):
            sim.add_template(f"Bench template {i:02d}")
        client = cswidgets.connect(url=sim.url, api_key=KEY)
        tracker = FutureTracker() if use_list else FutureTracker(use_list=False, slow_interval=MAX_INTERVAL_S)
        seen: dict[str, list[tuple[float, tuple[int, int]]]] = {}
        done_at: dict[str, float] = {}
        lock = threading.Lock()

        def on_progress(f: Any) -> None:
            p = f.progress
            with lock:
                seen.setdefault(f.job_id, []).append((time.monotonic(), _mark(p.fraction, p.stage)))

        def on_done(f: Any) -> None:
            with lock:
                done_at[f.job_id] = time.monotonic()

        futures = []
        probe = None
        sim.clear_requests()
        t0_sim = sim.now_ms()
        t0 = time.monotonic()
        for template_id in sim.template_ids()[:N_BUILDS]:
            future = client.get_code_studio_template(template_id).build()
            futures.append(future)
            tracker.track(future, on_progress, on_done)
            time.sleep(START_GAP_S)  # pacing the starts, not waiting for a result
        probe = _Probe(sim, [f.job_id for f in futures])
        probe.start()
        deadline = time.monotonic() + build_s / speed * 3 + 30
        while len(done_at) < len(futures) and time.monotonic() < deadline:
            time.sleep(0.05)
        probe.stop.set()
        probe.join(5)
        t_end = max(done_at.values())
        sim_end = t0_sim + (t_end - t0) * 1000 * speed
        requests = [r for r in sim.requests if r.path.startswith("/futures") and r.time_ms <= sim_end]
        by_kind = {
            "list": sum(1 for r in requests if r.path.rstrip("/") == "/futures"),
            "peek": sum(1 for r in requests if r.query.get("peek") == "True"),
            "result": sum(1 for r in requests if r.query.get("peek") == "False"),
        }
        info = tracker.live_info()
        tracker.close()
        client.close()
    ends = [done_at[j] - probe.ended[j] for j in done_at if j in probe.ended]
    progress = [d for f in futures for d in _delays(probe.events[f.job_id], seen.get(f.job_id, []))]
    return {"seconds": t_end - t0, "requests": len(requests), "by_kind": by_kind, "ends": ends,
            "progress": progress, "ended": len(done_at), "info": info}


def run(speed: float = 1.0, build_s: float = 30.0) -> list[dict[str, Any]]:
    """Both trackers on the same workload; rows ``{metric, value, unit, baseline, ratio, note}``."""
    base = follow_builds(False, speed, build_s)
    ours = follow_builds(True, speed, build_s)
    quiet = unwatched_builds(speed, build_s)
    rate = lambda m: m["requests"] / m["seconds"]  # noqa: E731
    kinds = lambda m: ", ".join(f"{n} {k}" for k, n in m["by_kind"].items())  # noqa: E731
    note = (f"{N_BUILDS} builds of {build_s:g} s (speed {speed:g}) started {START_GAP_S:g} s apart; baseline: "
            "per-future peeks, 0.1 s x1.5 to 1.5 s (the tracker before issue 22)")
    return [
        _row("20 tracked builds: requests/s to DSS", rate(ours), "req/s", rate(base),
             f"{note}; ours {ours['requests']} requests in {ours['seconds']:.1f} s ({kinds(ours)}), baseline "
             f"{base['requests']} in {base['seconds']:.1f} s ({kinds(base)}); target <= 2 req/s"),
        _row("build end seen after, median", statistics.median(ours["ends"]), "s", statistics.median(base["ends"]),
             f"server-side end -> on_done, {len(ours['ends'])} builds; target median <= 1.5 s"),
        _row("build end seen after, p95", _pct(ours["ends"], 0.95), "s", _pct(base["ends"], 0.95), note),
        _row("progress delay median, 20 builds", statistics.median(ours["progress"]), "s",
             statistics.median(base["progress"]),
             f"{len(ours['progress'])} server-side changes (stage or percentage) -> on_progress; P2: median <= 1 s"),
        _row("progress delay p95, 20 builds", _pct(ours["progress"], 0.95), "s", _pct(base["progress"], 0.95),
             f"{len(ours['progress'])} changes"),
        _row("20 tracked builds, nobody looking: requests/s", quiet["rate"], "req/s", 0.2,
             f"{quiet['made']} requests in {quiet['seconds']:.0f} s while the builds ran, watched=False "
             f"({'trickle' if quiet['trickles'] else 'no trickle in this tracker: followed live'}); target <= 0.2"),
        _row("20 tracked builds: all read again after wake()", quiet["caught_up_s"], "s", None,
             "a view comes back: every build's state read again (list read at once)"),
    ]


if __name__ == "__main__":
    main(run, __doc__, build_s=30.0)
