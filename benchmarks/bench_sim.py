"""Request rate of cswidgets.sim on this machine (the simulator's own ceiling).

Run ``python benchmarks/bench_sim.py``: starts the simulator in its own process and prints a
markdown table of requests/second for one client thread and for 16 threads, on ``GET .../status``
and ``GET .../code-studios/`` (list), with no injected latency; plus a check that 16 concurrent
requests with 20 ms latency overlap.
``run()`` returns the rows ``{metric, value, unit, baseline, ratio, note}`` for ``make bench``
(baseline: the single-thread rate; ratio: 16-thread rate / single-thread rate).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import requests

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from cswidgets.sim import RemoteSimulator

KEY = "bench-key"
DURATION_S = 2.0


def _rate(url: str, threads: int, duration_s: float) -> float:
    """Requests per second over ``duration_s`` with ``threads`` clients (one session each)."""
    counts = [0] * threads
    errors: list[BaseException] = []
    start = threading.Barrier(threads + 1)
    deadline = [0.0]

    def client(i: int) -> None:
        with requests.Session() as session:
            session.auth = (KEY, "")
            start.wait()
            try:
                while time.perf_counter() < deadline[0]:
                    resp = session.get(url, timeout=10)
                    resp.raise_for_status()
                    counts[i] += 1
            except BaseException as exc:  # reported below, never silently dropped
                errors.append(exc)

    workers = [threading.Thread(target=client, args=(i,)) for i in range(threads)]
    for w in workers:
        w.start()
    t0 = time.perf_counter()
    deadline[0] = t0 + duration_s
    start.wait()
    for w in workers:
        w.join()
    elapsed = time.perf_counter() - t0
    if errors:
        raise RuntimeError(f"benchmark requests failed: {errors[0]!r}")
    return sum(counts) / elapsed


def _latency_overlap(control: RemoteSimulator, url: str, n: int = 16, latency_ms: float = 20) -> float:
    """Wall time (ms) of ``n`` concurrent requests with ``latency_ms`` injected latency."""
    control.set_latency(latency_ms)
    barrier = threading.Barrier(n + 1)

    def one() -> None:
        barrier.wait()
        requests.get(url, auth=(KEY, ""), timeout=10).raise_for_status()

    workers = [threading.Thread(target=one) for _ in range(n)]
    for w in workers:
        w.start()
    t0 = time.perf_counter()
    barrier.wait()
    for w in workers:
        w.join()
    control.set_latency(0)
    return (time.perf_counter() - t0) * 1000


class _ServerProcess:
    """The simulator in its own process (``python -m cswidgets.sim``), so that the client threads
    of the benchmark do not share its interpreter lock."""

    def __init__(self, *args: str) -> None:
        root = Path(__file__).resolve().parents[1]
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "cswidgets.sim", "--port", "0", "--api-key", KEY, *args],
            cwd=root,
            stdout=subprocess.PIPE,
            text=True,
            env={**os.environ, "PYTHONPATH": str(root)},
        )
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        if not line.startswith("cswidgets.sim listening on "):
            self.proc.kill()
            raise RuntimeError(f"simulator did not start: {line!r}")
        self.url = line.rsplit(" ", 1)[1].strip()
        self.control = RemoteSimulator(self.url, KEY)

    def close(self) -> None:
        self.control.close()
        self.proc.send_signal(signal.SIGTERM)
        self.proc.wait(timeout=10)


def run(duration_s: float = DURATION_S) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    server = _ServerProcess("--scenario", "scale", "--projects", "10", "--studios", "200", "--seed", "0")
    try:
        pk = "PROJ_000"
        sid = server.control.studio_ids(pk)[0]
        endpoints = {
            "status": f"{server.url}/public/api/projects/{pk}/code-studios/{sid}/status",
            "list": f"{server.url}/public/api/projects/{pk}/code-studios/",
        }
        for name, url in endpoints.items():
            _rate(url, 1, 0.3)  # warm-up
            single = _rate(url, 1, duration_s)
            multi = _rate(url, 16, duration_s)
            rows.append(
                {
                    "metric": f"sim {name} rps, 1 thread",
                    "value": round(single, 1),
                    "unit": "req/s",
                    "baseline": round(single, 1),
                    "ratio": 1.0,
                    "note": f"GET {name}, latency 0",
                }
            )
            rows.append(
                {
                    "metric": f"sim {name} rps, 16 threads",
                    "value": round(multi, 1),
                    "unit": "req/s",
                    "baseline": round(single, 1),
                    "ratio": round(multi / single, 2),
                    "note": f"GET {name}, latency 0; ratio = 16-thread / 1-thread",
                }
            )
        wall = _latency_overlap(server.control, endpoints["status"])
        rows.append(
            {
                "metric": "16 concurrent requests, 20 ms latency",
                "value": round(wall, 1),
                "unit": "ms",
                "baseline": 20.0,
                "ratio": round(wall / 20.0, 2),
                "note": "overlap check: ~20 ms when requests do not serialize (320 ms if they did)",
            }
        )
    finally:
        server.close()
    return rows


def markdown(rows: list[dict[str, Any]]) -> str:
    lines = ["| metric | value | unit | baseline | ratio | note |", "|---|---:|---|---:|---:|---|"]
    lines += [
        f"| {r['metric']} | {r['value']} | {r['unit']} | {r['baseline']} | {r['ratio']} | {r['note']} |" for r in rows
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    print(markdown(run()))
