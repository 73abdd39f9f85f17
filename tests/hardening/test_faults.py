"""Faults: the simulator answers a share of requests with HTTP 500, resets the connection (before or
after doing the work) or stalls longer than the client's read timeout. The API core and every
panel must finish or fail within their timeouts (never hang), retry idempotent reads only, never
repeat pull/push/stop/restart/build, show the error in the panel, and work again once the faults
stop. Counts are printed as a ``FAULT-COUNTS`` line (``pytest -s``).

Duplicates are read from the simulator's request log: every action below targets its own path, so
two log records of the same action path are a repeated side effect.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from cswidgets.api import DSSError, connect
from cswidgets.sim import Simulator
from cswidgets.widgets.conflicts import ConflictViewer
from cswidgets.widgets.future_progress import FutureProgress
from cswidgets.widgets.studio_table import StudioTable
from cswidgets.widgets.template_builds import TemplateBuilds
from tests.support import ask, record, wait_for

TIMEOUT = (1.0, 1.0)  # connect, read (s): a 2 s stall is a read timeout
STALL_S = 2.0
RATE = 0.35
KINDS = ("500", "reset", "stall", "reset_after")
DEADLINE_S = 20.0  # far above the worst case (3 attempts x 1 s + backoff), far below "hung"
PROJECT = "FAULTS"
N = 6  # targets per kind of action

COUNTS: Counter[str] = Counter({"tried": 0, "failed cleanly": 0, "retried": 0, "hung": 0, "duplicated": 0,
                                 "crashed": 0})


def _is_action(rec: Any) -> bool:
    """Requests with side effects (never to be repeated)."""
    if rec.method in ("POST", "PUT", "DELETE"):
        return True
    if rec.method == "GET" and ("/pull/" in rec.path or "/push/" in rec.path):
        return True
    return rec.method == "GET" and rec.path.startswith("/futures/") and rec.query.get("peek") in ("false", "False")


def _audit(sim: Simulator) -> None:
    log = sim.requests
    # pull/push/stop/restart/build (and every other write): any repeat is a duplicated side effect.
    actions = Counter((r.method, r.path, tuple(sorted(r.query.items()))) for r in log
                      if _is_action(r) and not r.path.startswith("/futures/"))
    dup = {k: n for k, n in actions.items() if n > 1}
    # A future's result fetch (peek=false) is fetched again after a failed attempt on purpose (API policy,
    # cswidgets.api.assumptions.MAX_RESULT_FETCH_ERRORS: a peek first confirms the result is still there).
    fetches = Counter(r.path for r in log if _is_action(r) and r.path.startswith("/futures/"))
    COUNTS["result fetches repeated"] += sum(n - 1 for n in fetches.values())

    def key(r: Any) -> tuple[Any, ...]:
        return (r.method, r.path, tuple(sorted(r.query.items())))

    # a retry: a read that failed by an injected fault and was sent again right after (same request)
    retried = sum(1 for i, r in enumerate(log) if r.fault in ("500", "reset", "stall") and not _is_action(r)
                  and any(key(later) == key(r) for later in log[i + 1:i + 40]))
    COUNTS["requests"] += len(log)
    COUNTS["faults injected"] += sum(1 for r in log if r.fault)
    COUNTS["retried"] += retried
    COUNTS["duplicated"] += sum(n - 1 for n in dup.values())
    sim.clear_requests()
    assert not dup, f"side effects sent more than once: {dup}"


def run_op(name: str, fn: Callable[[], Any]) -> tuple[str, Any]:
    """Run ``fn`` on a thread; ``("ok"|"failed"|"hung"|"crashed", value)``. Only DSSError (and the
    panels' ValueError/RuntimeError carrying a DSS message) is a clean failure."""
    box: dict[str, Any] = {}

    def target() -> None:
        try:
            box["value"] = ("ok", fn())
        except DSSError as exc:
            box["value"] = ("failed", exc)
        except Exception as exc:
            box["value"] = ("failed" if isinstance(exc, (RuntimeError, ValueError)) else "crashed", exc)

    thread = threading.Thread(target=target, name=f"fault-op-{name}", daemon=True)
    started = time.monotonic()
    thread.start()
    thread.join(DEADLINE_S)
    outcome = box.get("value", ("hung", None))
    COUNTS["tried"] += 1
    COUNTS[{"ok": "succeeded", "failed": "failed cleanly"}.get(outcome[0], outcome[0])] += 1
    COUNTS["slowest ms"] = max(COUNTS["slowest ms"], int((time.monotonic() - started) * 1000))
    return outcome


@pytest.fixture(scope="module")
def sim() -> Iterator[Simulator]:
    with Simulator(scenario="demo", api_key="k", seed=3, speed=200) as s:
        s.add_project(PROJECT)
        yield s
    print("\nFAULT-COUNTS " + " ".join(f"{k.replace(' ', '_')}={v}" for k, v in COUNTS.items()))
    assert COUNTS["hung"] == 0 and COUNTS["duplicated"] == 0


@pytest.fixture(scope="module")
def client(sim: Simulator) -> Iterator[Any]:
    c = connect(url=sim.url, api_key="k", timeout=TIMEOUT, retries=2)
    yield c
    c.close()


def _studios(sim: Simulator, n: int, state: str) -> list[str]:
    tpl = sim.template_ids()[0]
    return [sim.add_studio(PROJECT, f"f-{state}-{i}", "admin", tpl, state=state) for i in range(n)]


def _faults_on(sim: Simulator, seed: int) -> None:
    sim.clear_requests()
    sim.set_faults(rate=RATE, kinds=KINDS, stall_s=STALL_S, seed=seed)


def test_api_core_under_faults(sim: Simulator, client: Any) -> None:
    running, stopped = _studios(sim, 3 * N, "RUNNING"), _studios(sim, N, "STOPPED")
    templates = [sim.add_template(f"fault tpl {i}") for i in range(N)]
    project = client.get_project(PROJECT)
    zone = "project-lib-resources"  # one-way: push only
    ops: list[tuple[str, Callable[[], Any]]] = []
    for sid in running[:N]:
        ops += [(f"status {sid}", lambda s=sid: project.get_code_studio(s).get_status()),
                (f"settings {sid}", lambda s=sid: project.get_code_studio(s).get_settings()),
                (f"stop {sid}", lambda s=sid: project.get_code_studio(s).stop())]
    for sid in running[N:2 * N]:
        st = project.get_code_studio(sid)
        zones = {z["zone"]: z["id"] for z in st.get_status().get_zones("objects")}
        ops += [(f"conflicts {sid}", lambda s=st, z=zones: s.check_conflicts(z["project-lib-versioned"])),
                (f"pull {sid}", lambda s=st, z=zones: s.pull_from_code_studio(z["recipes"])),
                (f"push {sid}", lambda s=st, z=zones: s.push_to_code_studio(z[zone]))]
    ops += [(f"restart {sid}", lambda s=sid: project.get_code_studio(s).restart()) for sid in stopped]
    ops += [(f"build {t}", lambda t=t: client.get_code_studio_template(t).build()) for t in templates]
    ops += [("list", project.list_code_studios), ("templates", client.list_code_studio_templates),
            ("studios_frame", client.studios_frame), ("templates_frame", client.templates_frame)]

    _faults_on(sim, seed=11)
    outcomes = {name: run_op(name, fn) for name, fn in ops}
    sim.clear_faults()
    bad = {n: o for n, o in outcomes.items() if o[0] in ("hung", "crashed")}
    assert not bad, f"operations that hung or failed with a non-DSS error: {bad}"
    failed = [n for n, o in outcomes.items() if o[0] == "failed"]
    assert failed, "the fault rate should make some operations fail (else this test proves nothing)"
    for name, (_, exc) in outcomes.items():
        if exc is not None:
            assert str(exc) and "Traceback" not in str(exc), f"{name}: unreadable error {exc!r}"
    _audit(sim)

    # Faults off: every kind of operation works again (fresh targets for the actions).
    again = _studios(sim, 1, "RUNNING")[0]
    st = project.get_code_studio(again)
    zones = {z["zone"]: z["id"] for z in st.get_status().get_zones("objects")}
    for name, fn in [("status", st.get_status), ("conflicts", lambda: st.check_conflicts(zones["recipes"])),
                     ("pull", lambda: st.pull_from_code_studio(zones["recipes"])),
                     ("push", lambda: st.push_to_code_studio(zones[zone])),
                     ("stop", lambda: st.stop().wait_for_result(timeout=30)),
                     ("build", lambda: client.get_code_studio_template(templates[0]).build().wait_for_result(60)),
                     ("frame", client.studios_frame)]:
        outcome, value = run_op(f"after {name}", fn)
        assert outcome == "ok", f"{name} still fails after the faults stopped: {value!r}"
    _audit(sim)


def test_studio_table_under_faults(sim: Simulator, client: Any) -> None:
    running = _studios(sim, N, "RUNNING")
    table = StudioTable(client, [PROJECT])
    record(table)
    try:
        _faults_on(sim, seed=12)
        replies = [run_op("table refresh", lambda: ask(table, "refresh", timeout=DEADLINE_S))]
        replies += [run_op(f"table stop {sid}", lambda s=sid: ask(table, "stop", row=f"{PROJECT}/{s}",
                                                                      timeout=DEADLINE_S)) for sid in running]
        # let the tracked stops end (or fail) before judging
        wait_for(lambda: not table.in_flight, 60, "the table's actions to end")
        sim.clear_faults()
        for outcome, reply in replies:
            assert outcome == "ok", f"no reply within {DEADLINE_S} s: {reply!r}"
            if not reply["ok"]:
                COUNTS["panel errors shown"] += 1
                assert any(reply["error"] in a["message"] for a in table.alerts), "error not in the alert region"
        _audit(sim)
        result = table.refresh()
        assert result["error"] is None, result
        states = {sid: sim.status(PROJECT, sid)["state"] for sid in running}
        assert set(table.df.loc[[f"{PROJECT}/{s}" for s in running], "state"]) == set(states.values())
        again = _studios(sim, 1, "RUNNING")[0]
        table.refresh()
        reply = ask(table, "stop", timeout=30.0, row=f"{PROJECT}/{again}")
        assert reply["ok"], reply
        wait_for(lambda: sim.status(PROJECT, again)["state"] == "STOPPED", 30, "the stop after the faults")
        _audit(sim)
    finally:
        sim.clear_faults()
        table.close()


def test_conflict_viewer_under_faults(sim: Simulator, client: Any) -> None:
    studios = _studios(sim, N, "RUNNING")
    viewers = [ConflictViewer(client.get_project(PROJECT).get_code_studio(s)) for s in studios]
    for v in viewers:
        record(v)
    try:
        _faults_on(sim, seed=13)
        results = []
        for i, v in enumerate(viewers):
            op = "pull" if i % 2 == 0 else "push"
            zone = "recipes" if op == "pull" else "project-lib-resources"
            results.append((v, run_op(f"viewer {op}", lambda v=v, op=op, zone=zone: getattr(v, op)(zone, force=True))))
            results.append((v, run_op("viewer refresh", lambda v=v: ask(v, "refresh", timeout=DEADLINE_S))))
        sim.clear_faults()
        for v, (outcome, value) in results:
            assert outcome in ("ok", "failed"), f"{outcome}: {value!r}"
            if isinstance(value, dict) and value.get("kind") == "reply" and not value["ok"]:
                COUNTS["panel errors shown"] += 1
                assert v.alerts, "a failed refresh must show an alert"
        _audit(sim)
        for v in viewers:  # faults off: checking and syncing work again
            v.refresh()
            assert v.pull("recipes", force=True)["outcome"] == "done"
        _audit(sim)
    finally:
        sim.clear_faults()
        for v in viewers:
            v.close()


def test_builds_and_progress_under_faults(sim: Simulator, client: Any) -> None:
    templates = [sim.add_template(f"fault build {i}") for i in range(N)]
    for_bars = [sim.add_template(f"fault bar {i}") for i in range(2)]
    panel = TemplateBuilds(client)
    record(panel)
    try:
        _faults_on(sim, seed=14)
        replies = [run_op(f"build {t}", lambda t=t: ask(panel, "build", template_ids=[t], timeout=DEADLINE_S))
                   for t in templates]
        bars = []
        for t in for_bars:
            outcome, future = run_op("build for a bar", lambda t=t: client.get_code_studio_template(t).build())
            if outcome == "ok":
                bars.append(FutureProgress(future, client=client))
        for outcome, reply in replies:
            assert outcome == "ok", f"no reply: {reply!r}"
            if not reply["ok"] or reply["result"]["failed"]:
                COUNTS["panel errors shown"] += 1
                assert panel.alerts, "a refused build must show an alert"
        wait_for(lambda: not panel.running and all(b.final for b in bars), 90, "builds to end under faults")
        for bar in bars:  # a bar ends done or failed, and a failure shows its reason
            assert bar.final in ("done", "failed"), bar.final
            if bar.final == "failed":
                COUNTS["panel errors shown"] += 1
                assert bar.view.get("message"), "a failed bar must say why"
        sim.clear_faults()
        _audit(sim)
        ok = ask(panel, "build", timeout=30.0, template_ids=[templates[0]])
        assert ok["ok"] and ok["result"]["started"] == [templates[0]], ok
        wait_for(lambda: not panel.running, 60, "the build after the faults")
        last = [b for b in panel.builds if b["template_id"] == templates[0]]
        assert [b["final"] for b in last] == ["done"], last
        _audit(sim)
    finally:
        sim.clear_faults()
        panel.close()
