"""Benchmark of the live studio table (P6): 10,000 studios, another client changing states.

Setup: the simulator out of process (``--scenario scale``: 10,000 studios in 100 projects, starts take 8 s
and stops 3 s at real speed), a :class:`StudioTable` on it with its default request budget (20 requests
per second), a second client (the official ``dataikuapi`` client when installed, acting as another
notebook or the DSS UI would) and a *prober*: a third connection that polls the studios in play every
50 ms, so the moment the server shows each new state is known from outside. The table's "visible" moment
is when it sends the changed row to its views. Delays are counted from the prober's last poll that still
saw the old state (an upper bound: the server changed after it).

Measures
--------
- ``panel_transition_delay_s``: studios started and stopped from the panel (``table.start`` /
  ``table.stop``, what its buttons call): delay between the server showing STARTING, RUNNING, STOPPING,
  STOPPED and the table showing it. Target: median <= 1 s.
- ``external_change_delay_s``: studios started and stopped by the other client: p95 delay. Target: <= 30 s.
- ``steady_request_rate``: the table's requests per second (the simulator's log, by login) while the other
  client works (the table then only does its live reads), and the worst 10-second window. Target: <= the
  budget. The whole run's rate, with the panel's own actions and the polls of their tasks, is in the note.
- ``full_pass_s``: how long the rolling pass takes to re-read every row (changes made without a DSS task,
  e.g. a pod lost, show within it).

``python benchmarks/bench_live_table.py`` prints a table; :func:`run` returns the rows
``{metric, value, unit, baseline, ratio, note}`` (the baselines: the budget, the targets).
"""

from __future__ import annotations

import random
import statistics
import threading
import time
from collections import defaultdict
from typing import Any

import requests
from simproc import scale_simulator

KEY = "live-bench-admin"
OTHER_KEY = "live-bench-other"
PROBER_KEY = "live-bench-prober"
STUDIOS = 10_000
PROJECTS = 100
LATENCY_MS = 5
BUDGET = 20.0
PROBE_EVERY_S = 0.05


class Prober:
    """Polls the status of the studios in play; records when each new state was first seen, and the last
    poll before it (the server changed between the two)."""

    def __init__(self, url: str) -> None:
        self._session = requests.Session()
        self._session.auth = (PROBER_KEY, "")
        self._base = url.rstrip("/") + "/public/api/projects"
        self._watch: dict[str, str | None] = {}  # key -> last state seen
        self._last_poll: dict[str, float] = {}
        self.changes: list[tuple[str, str, float]] = []  # (key, new state, time of the last poll before it)
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)
        self._thread.start()

    def watch(self, key: str) -> None:
        state = self._read(key)
        with self._lock:
            self._watch[key] = state
            self._last_poll[key] = time.time()

    def unwatch(self, key: str) -> None:
        with self._lock:
            self._watch.pop(key, None)

    def _read(self, key: str) -> str | None:
        pk, sid = key.split("/", 1)
        answer = self._session.get(f"{self._base}/{pk}/code-studios/{sid}/status", timeout=10)
        return answer.json().get("state") if answer.ok else None

    def _loop(self) -> None:
        while not self._stop.is_set():
            with self._lock:
                keys = list(self._watch)
            for key in keys:
                before = time.time()
                state = self._read(key)
                with self._lock:
                    if key not in self._watch:
                        continue
                    if state != self._watch[key]:
                        self.changes.append((key, state, self._last_poll[key]))
                        self._watch[key] = state
                    self._last_poll[key] = before
            self._stop.wait(PROBE_EVERY_S)

    def close(self) -> None:
        self._stop.set()
        self._thread.join(5)
        self._session.close()


class Seen:
    """Stands for the table's views: records when each row's state reached them."""

    def __init__(self) -> None:
        self.states: dict[str, list[tuple[float, str]]] = defaultdict(list)

    def __call__(self, content: Any, buffers: Any = None) -> None:
        if isinstance(content, dict) and content.get("kind") == "rows":
            now = time.time()
            for row in content.get("upsert", []):
                self.states[row["key"]].append((now, row["state"]))

    def first(self, key: str, state: str, after: float) -> float | None:
        return next((t for t, s in self.states.get(key, []) if s == state and t >= after), None)


def _delays(changes: list[tuple[str, str, float]], seen: Seen, keys: set[str]) -> tuple[list[float], int]:
    delays, missing = [], 0
    for key, state, before in changes:
        if key not in keys or state not in ("STARTING", "RUNNING", "STOPPING", "STOPPED"):
            continue
        shown = seen.first(key, state, before)
        if shown is None:
            missing += 1
        else:
            delays.append(shown - before)
    return delays, missing


def _wait(condition, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def _other_client(url: str) -> tuple[Any, str]:
    try:
        import dataikuapi

        return dataikuapi.DSSClient(url, api_key=OTHER_KEY), "the official client"
    except ImportError:
        from cswidgets.api import connect

        return connect(url, OTHER_KEY), "a second cswidgets client"


def run(studios: int = STUDIOS, projects: int = PROJECTS, external_s: float = 60.0) -> list[dict[str, Any]]:
    from cswidgets.api import connect
    from cswidgets.widgets.studio_table import StudioTable

    with scale_simulator(KEY, projects, studios, LATENCY_MS) as control:
        control.add_user("other", OTHER_KEY, admin=True)
        control.add_user("prober", PROBER_KEY, admin=True)
        return _measure(control.url, control, connect, StudioTable, external_s)


def _measure(url: str, control: Any, connect: Any, table_class: Any, external_s: float) -> list[dict[str, Any]]:
    rng = random.Random(7)
    client = connect(url, KEY)
    seen = Seen()
    t0 = time.perf_counter()
    table = table_class(client, request_budget=BUDGET)
    load_s = time.perf_counter() - t0
    table.send = seen
    loaded_at = time.time()
    control.clear_requests()
    prober = Prober(url)
    other, other_name = _other_client(url)
    try:
        # settle: the scenario starts with studios in transition; they end within 8 s
        _wait(lambda: not table.df["state"].astype(str).isin(["STARTING", "STOPPING"]).any(), 60)
        df = table.df
        stopped = list(df.index[df["state"].astype(str) == "STOPPED"])
        running = list(df.index[df["state"].astype(str) == "RUNNING"])
        rng.shuffle(stopped)
        rng.shuffle(running)

        # 1. from the panel: start 3 studios, wait, stop them; twice
        panel_keys: set[str] = set()
        for _round in range(2):
            keys = [stopped.pop() for _ in range(3)]
            panel_keys.update(keys)
            for key in keys:
                prober.watch(key)
            for key in keys:
                table.start(key)
            _wait(lambda ks=keys: all(str(table.df.loc[k, "state"]) == "RUNNING" for k in ks) and not table.in_flight,
                  40)
            for key in keys:
                table.stop(key)
            _wait(lambda ks=keys: all(str(table.df.loc[k, "state"]) == "STOPPED" for k in ks) and not table.in_flight,
                  40)
            time.sleep(1.5)  # let the prober see the last change settle
            for key in keys:
                prober.unwatch(key)

        # 2. another client: a start or a stop every 2 seconds
        external: set[str] = set()
        ext_begin = time.time()
        end = time.monotonic() + external_s
        while time.monotonic() < end:
            start = rng.random() < 0.5
            key = (stopped if start else running).pop()
            external.add(key)
            prober.watch(key)
            pk, sid = key.split("/", 1)
            studio = other.get_project(pk).get_code_studio(sid)
            studio.restart() if start else studio.stop()
            time.sleep(2.0)
        ext_end = time.time()
        _wait(lambda: all(str(table.df.loc[k, "state"]) in ("RUNNING", "STOPPED") for k in external), 60)
        time.sleep(1.0)
        run_end = time.time()
    finally:
        prober.close()
        table.close()
        client.close()
        if hasattr(other, "close"):
            other.close()

    records = control.requests  # the simulator's clock is real time (speed 1, epoch now): time_ms is wall time
    mine = [r for r in records if r.login == "admin"]
    whole_rate = len(mine) / (run_end - loaded_at)
    # steady state: while the other client works, the table does nothing but its live reads
    steady = [r for r in mine if ext_begin * 1000 <= r.time_ms < ext_end * 1000]
    span = ext_end - ext_begin
    rate = len(steady) / span
    by_window: dict[int, int] = defaultdict(int)
    for r in steady:
        by_window[int((r.time_ms - ext_begin * 1000) // 10_000)] += 1
    full_windows = [n for w, n in by_window.items() if (w + 1) * 10 <= span]
    worst = max(full_windows, default=0) / 10.0

    panel, panel_missing = _delays(prober.changes, seen, panel_keys)
    outside, outside_missing = _delays(prober.changes, seen, external)
    median_panel = statistics.median(panel) if panel else float("nan")
    p95_outside = statistics.quantiles(outside, n=20)[18] if len(outside) >= 20 else max(outside, default=float("nan"))
    pass_s = table.live_info.get("pass_s")
    return [
        {"metric": "first_load_s", "value": round(load_s, 2), "unit": "s", "baseline": None, "ratio": None,
         "note": f"{len(table.df)} studios in {PROJECTS} projects (latency {LATENCY_MS} ms); before live reads"},
        {"metric": "panel_transition_delay_s", "value": round(median_panel, 3), "unit": "s (median)",
         "baseline": 1.0, "ratio": round(median_panel / 1.0, 2),
         "note": f"{len(panel)} transitions started from the panel (max {max(panel, default=0):.2f} s, "
                 f"{panel_missing} never shown); target median <= 1 s"},
        {"metric": "external_change_delay_s", "value": round(p95_outside, 3), "unit": "s (p95)",
         "baseline": 30.0, "ratio": round(p95_outside / 30.0, 3),
         "note": f"{len(outside)} transitions by {other_name} (median {statistics.median(outside):.2f} s, "
                 f"{outside_missing} never shown); target p95 <= 30 s"},
        {"metric": "steady_request_rate", "value": round(rate, 2), "unit": "req/s", "baseline": BUDGET,
         "ratio": round(rate / BUDGET, 3),
         "note": f"{len(steady)} live reads in {span:.0f} s while the other client worked; worst 10-s window "
                 f"{worst:.1f} req/s; budget {BUDGET:g}. Whole run, the panel's own starts, stops and their task "
                 f"polls included: {whole_rate:.1f} req/s"},
        {"metric": "full_pass_s", "value": pass_s, "unit": "s", "baseline": None, "ratio": None,
         "note": "every row re-read at least this often (changes made without a DSS task)"},
    ]


if __name__ == "__main__":
    rows = run()
    for row in rows:
        print(f"{row['metric']:28} {row['value']!s:>10} {row['unit']:12} {row['note']}")
