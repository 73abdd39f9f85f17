"""Benchmark: ``client.studios_frame()`` against the official client's obvious loop.

Starts ``Simulator(scenario="scale", projects=20, studios=1000, latency_ms=20)`` and, in the same run:

1. the official ``dataikuapi`` loop -- list the project keys, list each project's code studios, then
   ``get_status()`` each studio, one request after the other;
2. ``cswidgets`` ``client.studios_frame()`` (bounded pool, default 16), best of ``repeat`` runs.

Prints both times, the speed-up, and the latency bound ``ceil(requests / pool_size) x latency`` with our
time divided by it. Targets: speed-up >= 12 and time <= 1.5 x the bound.

By default the simulator runs in its own process (``python -m cswidgets.sim``, its request log read
through ``RemoteSimulator``), like a real DSS, which never shares our interpreter: in the same process
the simulator and the client share one GIL, their CPU times add up, and the benchmark ends up measuring
the simulator (which the simulator issue rules out). ``--in-process`` measures that variant anyway.

Run: ``python benchmarks/bench_studios_frame.py [--projects 20 --studios 1000 --latency-ms 20 --pool 16]
[--in-process]``. ``run()`` returns rows ``{metric, value, unit, baseline, ratio, note}`` for
``make bench``.
"""

from __future__ import annotations

import argparse
import contextlib
import math
import statistics
import time
from collections.abc import Callable, Iterator
from typing import Any

from simproc import scale_simulator

KEY = "bench-key-0123456789"


def _official_loop(url: str) -> int:
    import dataikuapi

    client = dataikuapi.DSSClient(url, api_key=KEY)
    count = 0
    for pk in client.list_project_keys():
        for studio in client.get_project(pk).list_code_studios(as_type="objects"):
            studio.get_status()
            count += 1
    return count


@contextlib.contextmanager
def _simulator(
    out_of_process: bool, projects: int, studios: int, latency_ms: float
) -> Iterator[tuple[str, Callable[[], None], Callable[[], int]]]:
    """Yield ``(url, clear_requests, count_requests)`` for a scale simulator."""
    if not out_of_process:
        from cswidgets.sim import Simulator

        with Simulator(scenario="scale", api_key=KEY, projects=projects, studios=studios, latency_ms=latency_ms) as sim:
            yield sim.url, sim.clear_requests, lambda: len(sim.requests)
        return
    with scale_simulator(KEY, projects, studios, latency_ms) as remote:
        yield remote.url, remote.clear_requests, lambda: len(remote.requests)


def run(
    projects: int = 20,
    studios: int = 1000,
    latency_ms: float = 20.0,
    pool_size: int = 16,
    repeat: int = 3,
    out_of_process: bool = True,
) -> list[dict[str, Any]]:
    """Run the benchmark and return result rows (see the module docstring)."""
    from cswidgets.api import connect

    where = "out of process" if out_of_process else "in process"
    with _simulator(out_of_process, projects, studios, latency_ms) as (url, clear_requests, count_requests):
        clear_requests()
        t0 = time.perf_counter()
        n_rows_official = _official_loop(url)
        t_official = time.perf_counter() - t0
        n_req_official = count_requests()

        client = connect(url, KEY, pool_size=pool_size)
        times: list[float] = []
        cpus: list[float] = []
        n_req_ours = 0
        n_rows_ours = 0
        for _ in range(repeat):
            clear_requests()
            t0, c0 = time.perf_counter(), time.process_time()
            df = client.studios_frame()
            times.append(time.perf_counter() - t0)
            cpus.append(time.process_time() - c0)
            n_req_ours = count_requests()
            n_rows_ours = len(df)
            if df.attrs["errors"]:
                raise RuntimeError(f"studios_frame reported errors: {df.attrs['errors'][:3]}")
        client.close()

    t_ours = min(times)
    bound = math.ceil(n_req_ours / pool_size) * latency_ms / 1000.0
    speedup = t_official / t_ours
    return [
        {
            "metric": "official_loop_s",
            "value": round(t_official, 3),
            "unit": "s",
            "baseline": None,
            "ratio": None,
            "note": f"{n_req_official} sequential requests, {n_rows_official} studios; simulator {where}",
        },
        {
            "metric": "studios_frame_s",
            "value": round(t_ours, 3),
            "unit": "s",
            "baseline": round(t_official, 3),
            "ratio": round(speedup, 2),
            "note": f"best of {repeat} (all: {', '.join(f'{t:.3f}' for t in times)}; median "
            f"{statistics.median(times):.3f}); {n_req_ours} requests, {n_rows_ours} rows; "
            f"speed-up target >= 12",
        },
        {
            "metric": "studios_frame_cpu_s",
            "value": round(cpus[times.index(t_ours)], 3),
            "unit": "s",
            "baseline": None,
            "ratio": None,
            "note": "CPU time of this process during the best run"
            + (" (client and simulator share it)" if not out_of_process else " (client only)"),
        },
        {
            "metric": "latency_bound_s",
            "value": round(bound, 3),
            "unit": "s",
            "baseline": None,
            "ratio": None,
            "note": f"ceil({n_req_ours} / {pool_size}) x {latency_ms} ms",
        },
        {
            "metric": "studios_frame_vs_bound",
            "value": round(t_ours / bound, 3),
            "unit": "x",
            "baseline": round(bound, 3),
            "ratio": round(t_ours / bound, 3),
            "note": "target <= 1.5",
        },
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--projects", type=int, default=20)
    parser.add_argument("--studios", type=int, default=1000)
    parser.add_argument("--latency-ms", type=float, default=20.0)
    parser.add_argument("--pool", type=int, default=16)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--in-process", action="store_true",
                        help="run the simulator in this process (it then shares the GIL with the client)")
    args = parser.parse_args()
    rows = run(args.projects, args.studios, args.latency_ms, args.pool, args.repeat, not args.in_process)
    by = {r["metric"]: r for r in rows}
    print(f"official dataikuapi loop : {by['official_loop_s']['value']:.3f} s  ({by['official_loop_s']['note']})")
    print(f"cswidgets studios_frame  : {by['studios_frame_s']['value']:.3f} s  ({by['studios_frame_s']['note']})")
    print(f"speed-up                 : {by['studios_frame_s']['ratio']:.1f}x  (target >= 12x)")
    print(
        f"process CPU (best run)   : {by['studios_frame_cpu_s']['value']:.3f} s  ({by['studios_frame_cpu_s']['note']})"
    )
    print(f"latency bound            : {by['latency_bound_s']['value']:.3f} s  ({by['latency_bound_s']['note']})")
    print(f"time / bound             : {by['studios_frame_vs_bound']['value']:.2f}  (target <= 1.5)")


if __name__ == "__main__":
    main()
