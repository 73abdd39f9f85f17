"""Benchmark of the live studio table (P6, issue 22): 10,000 studios, what it costs DSS and how live it is.

Setup: the simulator out of process (``--scenario scale``: 10,000 studios in 100 projects, starts take 8 s
and stops 3 s at real speed), a :class:`StudioTable` on it with its DEFAULT request budget, a second client
(the official ``dataikuapi`` client when installed, acting as another notebook or the DSS UI would) and a
*prober*: a third connection that polls the studios in play every 50 ms, so the moment the server shows each
new state is known from outside. The table's "shown" moment is when it sends the changed row to its views.
The bench acts as the front end with the messages a view sends (``view`` open / hidden / visible / closed,
``viewport`` with the row keys on screen: :data:`VISIBLE` rows, what the table's 480-px body shows).

Measures (requests counted by the simulator's log, by login: the table's own only)
------------------------------------------------------------------------------------
- ``idle_no_view_rate``: a table never displayed, nothing changing. Target <= 0.2 req/s.
- ``idle_view_rate``: the same with a view showing :data:`VISIBLE` rows. Target <= 2 req/s.
- ``idle_hidden_rate``: every view hidden (the browser tab in the background). Target <= 0.2 req/s.
- ``catch_up_s``: the view visible again -> every visible row re-read (from the simulator's log).
- ``scrolled_in_reread_s``: a viewport of rows far off screen -> each of them re-read (max over the rows).
  Target <= 1 s.
- ``panel_transition_delay_s``: studios started and stopped from the panel (``table.start`` /
  ``table.stop``, what its buttons call): server shows STARTING, RUNNING, STOPPING, STOPPED -> the table
  shows it. Target: median <= 1 s.
- ``external_change_delay_s`` / ``external_change_delay_no_hint_s``: visible studios started and stopped by
  the other client, with DSS's running tasks read (the hint) and without (a server that does not list them):
  the server's first new state -> the table showing a new state. Targets: p95 <= 3 s / <= 15 s.
- ``steady_request_rate``: the table's requests per second while the other client works.

``python benchmarks/bench_live_table.py`` prints a table; :func:`run` returns the rows
``{metric, value, unit, baseline, ratio, note}`` (the baselines: the targets).
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
VISIBLE = 13  # rows a 480-px table body shows (34-px rows under a 34-px header)
PHASE_S = 20.0
EXTERNAL_S = 40.0
EXTERNAL_EVERY_S = 2.0
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


def run(studios: int = STUDIOS, projects: int = PROJECTS, phase_s: float = PHASE_S,
        external_s: float = EXTERNAL_S) -> list[dict[str, Any]]:
    from cswidgets.api import connect
    from cswidgets.widgets.studio_table import StudioTable

    with scale_simulator(KEY, projects, studios, LATENCY_MS) as control:
        control.add_user("other", OTHER_KEY, admin=True)
        control.add_user("prober", PROBER_KEY, admin=True)
        return _measure(control.url, control, connect, StudioTable, phase_s, external_s)


class FrontEnd:
    """The messages one view of the table sends (``js/studio_table/index.js``, ``viewport.js``), its "alive"
    heartbeat every 30 s included (a silent view counts as closed)."""

    def __init__(self, table: Any, view: str = "bench-view") -> None:
        self.table, self.view, self._n = table, view, 0
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._beat = threading.Thread(target=self._alive, daemon=True)

    def _alive(self) -> None:
        while not self._stop.wait(30.0):
            self.state("alive")

    def close(self) -> None:
        self._stop.set()

    def _say(self, content: dict[str, Any]) -> None:
        with self._lock:
            self._n += 1
            n = self._n
        self.table._handle_custom_msg({"id": f"{self.view}-{n}", "view": self.view, **content}, [])

    def state(self, state: str) -> None:
        self._say({"kind": "view", "state": state})

    def viewport(self, keys: list[str]) -> None:
        self._say({"kind": "viewport", "keys": list(keys)})


def _mine(control: Any) -> list[Any]:
    """The table's requests (login ``admin``) since the simulator's log was last cleared (the simulator's own
    clock is not the bench's to the second: the log is cleared at the start of a measure instead)."""
    return [r for r in control.requests if r.login == "admin"]


def _rate(control: Any, seconds: float) -> tuple[float, int]:
    control.clear_requests()
    begin = time.monotonic()
    time.sleep(seconds)
    made = len(_mine(control))
    return made / (time.monotonic() - begin), made


def _reread_after(control: Any, keys: list[str], since: float, timeout: float) -> dict[str, float]:
    """Seconds from ``since`` (monotonic; the log cleared just before) to each key's first status read, as seen
    by polling the log every 0.1 s (keys never read within ``timeout`` are absent)."""
    paths = {f"/projects/{k.split('/', 1)[0]}/code-studios/{k.split('/', 1)[1]}": k for k in keys}
    got: dict[str, float] = {}
    deadline = since + timeout
    while len(got) < len(keys) and time.monotonic() < deadline:
        now = time.monotonic()
        for r in _mine(control):
            key = paths.get(r.path.rsplit("/", 1)[0]) if r.path.endswith("/status") else None
            if key is not None and key not in got:
                got[key] = now - since
        time.sleep(0.1)
    return got


def _shown_delays(actions: list[tuple[str, str | None, float]], prober: Prober, seen: Seen) -> tuple[list[float], int]:
    """For each (key, old state, acted at): from the prober's last poll that still saw the old state to the
    table's first row message with another state."""
    delays, missing = [], 0
    for key, old, acted in actions:
        change = next(((st, before) for k, st, before in prober.changes if k == key and before >= acted - 1.0
                       and st != old), None)
        if change is None:
            missing += 1
            continue
        before = change[1]
        shown = next((t for t, st in seen.states.get(key, []) if st != old and t >= before), None)
        if shown is None:
            missing += 1
        else:
            delays.append(shown - before)
    return delays, missing


def _p95(values: list[float]) -> float:
    if not values:
        return float("nan")
    return statistics.quantiles(values, n=20)[18] if len(values) >= 20 else max(values)


def _external(other: Any, table: Any, prober: Prober, visible: list[str], seconds: float,
              rng: random.Random) -> list[tuple[str, str | None, float]]:
    """The other client starts or stops a visible studio every :data:`EXTERNAL_EVERY_S`, each in a steady
    state the table already shows."""
    actions: list[tuple[str, str | None, float]] = []
    last: dict[str, float] = {}
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        steady = [k for k in visible if str(table.df.loc[k, "state"]) in ("RUNNING", "STOPPED")
                  and time.monotonic() - last.get(k, -1e9) > 20]
        if steady:
            key = rng.choice(steady)
            old = str(table.df.loc[key, "state"])
            prober.watch(key)
            last[key] = time.monotonic()
            pk, sid = key.split("/", 1)
            studio = other.get_project(pk).get_code_studio(sid)
            acted = time.time()
            studio.restart() if old == "STOPPED" else studio.stop()
            actions.append((key, old, acted))
        time.sleep(EXTERNAL_EVERY_S)
    _wait(lambda: all(str(table.df.loc[k, "state"]) in ("RUNNING", "STOPPED") for k, _, _ in actions), 60)
    return actions


def _measure(url: str, control: Any, connect: Any, table_class: Any, phase_s: float,
             external_s: float) -> list[dict[str, Any]]:
    rng = random.Random(7)
    client = connect(url, KEY)
    seen = Seen()
    t0 = time.perf_counter()
    table = table_class(client)
    load_s = time.perf_counter() - t0
    budget = table.request_budget
    table.send = seen
    front = FrontEnd(table)
    prober = Prober(url)
    other, other_name = _other_client(url)
    rows: list[dict[str, Any]] = []
    try:
        # settle: the scenario starts with studios in transition; they end within 8 s
        _wait(lambda: not table.df["state"].astype(str).isin(["STARTING", "STOPPING"]).any(), 60)
        keys = sorted(table.df.index)
        visible = keys[:VISIBLE]

        no_view, n0 = _rate(control, phase_s)
        front.state("open")
        front._beat.start()
        front.viewport(visible)
        time.sleep(2.0)  # the first catch-up is not the steady state
        with_view, n1 = _rate(control, phase_s)
        front.state("hidden")
        time.sleep(1.0)
        hidden, n2 = _rate(control, phase_s)
        control.clear_requests()
        back = time.monotonic()
        front.state("visible")
        caught = _reread_after(control, visible, back, 15.0)
        catch_up = max(caught.values()) if len(caught) == len(visible) else float("nan")
        time.sleep(2.0)
        far = keys[len(keys) // 2: len(keys) // 2 + VISIBLE]
        control.clear_requests()
        scrolled = time.monotonic()
        front.viewport(far)
        reread = _reread_after(control, far, scrolled, 15.0)
        scroll_s = max(reread.values()) if len(reread) == len(far) else float("nan")
        front.viewport(visible)
        time.sleep(2.0)

        # from the panel: start 3 visible studios, wait, stop them; twice
        panel_keys: set[str] = set()
        for _round in range(2):
            stopped = [k for k in visible if str(table.df.loc[k, "state"]) == "STOPPED" and k not in panel_keys]
            picked = stopped[:3]
            panel_keys.update(picked)
            for key in picked:
                prober.watch(key)
            for key in picked:
                table.start(key)
            _wait(lambda ks=picked: all(str(table.df.loc[k, "state"]) == "RUNNING" for k in ks)
                  and not table.in_flight, 40)
            for key in picked:
                table.stop(key)
            _wait(lambda ks=picked: all(str(table.df.loc[k, "state"]) == "STOPPED" for k in ks)
                  and not table.in_flight, 40)
            time.sleep(1.5)  # let the prober see the last change settle
            for key in picked:
                prober.unwatch(key)

        # another client changes visible studios: with DSS's running tasks read, then without
        control.clear_requests()
        ext_begin = panel_end = time.time()
        hinted = _external(other, table, prober, visible, external_s, rng)
        ext_end = time.time()
        steady = _mine(control)
        refresher = table.live_refresher
        with refresher._lock:
            refresher._schedule.tasks_enabled = False  # as on a server whose task list says nothing
        unhinted = _external(other, table, prober, visible, external_s, rng)
        time.sleep(1.0)
        info = dict(table.live_info)
    finally:
        front.close()
        prober.close()
        table.close()
        client.close()
        if hasattr(other, "close"):
            other.close()

    panel, panel_missing = _delays([c for c in prober.changes if c[2] < panel_end], seen, panel_keys)
    with_hint, hint_missing = _shown_delays(hinted, prober, seen)
    no_hint, no_hint_missing = _shown_delays(unhinted, prober, seen)
    median_panel = statistics.median(panel) if panel else float("nan")
    span = ext_end - ext_begin
    rate = len(steady) / span
    ratio = lambda v, b: None if v != v else round(v / b, 3)  # noqa: E731
    rows += [
        {"metric": "first_load_s", "value": round(load_s, 2), "unit": "s", "baseline": None, "ratio": None,
         "note": f"{len(keys)} studios in {PROJECTS} projects (latency {LATENCY_MS} ms); before live reads; "
                 f"default budget {budget:g} req/s"},
        {"metric": "idle_no_view_rate", "value": round(no_view, 3), "unit": "req/s", "baseline": 0.2,
         "ratio": ratio(no_view, 0.2), "note": f"{n0} requests in {phase_s:g} s, table never displayed; target <= 0.2"},
        {"metric": "idle_view_rate", "value": round(with_view, 3), "unit": "req/s", "baseline": 2.0,
         "ratio": ratio(with_view, 2.0),
         "note": f"{n1} requests in {phase_s:g} s, one view showing {VISIBLE} rows; target <= 2"},
        {"metric": "idle_hidden_rate", "value": round(hidden, 3), "unit": "req/s", "baseline": 0.2,
         "ratio": ratio(hidden, 0.2), "note": f"{n2} requests in {phase_s:g} s, the view hidden; target <= 0.2"},
        {"metric": "catch_up_s", "value": round(catch_up, 3), "unit": "s", "baseline": None, "ratio": None,
         "note": f"view visible again -> all {VISIBLE} visible rows re-read ({len(caught)} within 15 s)"},
        {"metric": "scrolled_in_reread_s", "value": round(scroll_s, 3), "unit": "s (max)", "baseline": 1.0,
         "ratio": ratio(scroll_s, 1.0),
         "note": f"viewport moved to {VISIBLE} rows far off screen -> each re-read ({len(reread)} within 15 s); "
                 "target <= 1 s"},
        {"metric": "panel_transition_delay_s", "value": round(median_panel, 3), "unit": "s (median)",
         "baseline": 1.0, "ratio": ratio(median_panel, 1.0),
         "note": f"{len(panel)} transitions started from the panel (max {max(panel, default=0):.2f} s, "
                 f"{panel_missing} never shown); target median <= 1 s"},
        {"metric": "external_change_delay_s", "value": round(_p95(with_hint), 3), "unit": "s (p95)",
         "baseline": 3.0, "ratio": ratio(_p95(with_hint), 3.0),
         "note": f"{len(with_hint)} changes of visible rows by {other_name}, running tasks read (median "
                 f"{statistics.median(with_hint) if with_hint else float('nan'):.2f} s, {hint_missing} never shown); "
                 "target p95 <= 3 s"},
        {"metric": "external_change_delay_no_hint_s", "value": round(_p95(no_hint), 3), "unit": "s (p95)",
         "baseline": 15.0, "ratio": ratio(_p95(no_hint), 15.0),
         "note": f"{len(no_hint)} changes of visible rows, running tasks NOT read (median "
                 f"{statistics.median(no_hint) if no_hint else float('nan'):.2f} s, {no_hint_missing} never shown); "
                 "target p95 <= 15 s"},
        {"metric": "steady_request_rate", "value": round(rate, 2), "unit": "req/s", "baseline": budget,
         "ratio": round(rate / budget, 3),
         "note": f"{len(steady)} requests in {span:.0f} s while the other client changed visible rows (hot rows "
                 f"and the running tasks included); live_info at the end: {info}"},
    ]
    return rows


if __name__ == "__main__":
    for row in run():
        print(f"{row['metric']:32} {row['value']!s:>10} {row['unit']:12} {row['note']}")
