"""Soak: a StudioTable over the ``scale`` scenario (1,000 studios) refreshed every second, with
actions in between, for 1 minute (``CSW_BENCH_LONG=1``: 10 minutes; ``CSW_SOAK_S`` overrides).

The simulator runs in a child process (``python -m cswidgets.sim``) so its request log and model
do not count in the measured process. The table is driven as a front end would: ``refresh``,
``snapshot``, ``start``/``stop`` messages through ``_handle_custom_msg``, filter and selection
changes. Replies are awaited (never piled up).

Measures
--------
- ``rss_growth_mb``: resident memory at the end minus after warm-up (first 20 % of the run), both
  after ``gc.collect()`` and ``malloc_trim(0)``. Target < 10 MB.
- ``threads``: threads, sampled every second, each thread pool counted once (see ``os_threads``).
  The tracker starts its thread on demand and ends it when idle, so one sample can catch one more
  thread that is about to end. A leak is a thread that stays: "constant" means the typical (median)
  count of the second half of the run is no more than the most seen in warm-up or the first half,
  and neither is the count once the run's last actions have settled (waited for, up to 20 s). The
  most seen in the second half is reported, with the names of the threads alive at that sample.
- ``refresh_p50_ms`` / ``refresh_p95_ms``: a 1,000-studio refresh, message to reply.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import itertools
import os
import random
import re
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

KEY = "soak-key"
STUDIOS, PROJECTS = 1000, 20


def duration_s() -> float:
    if os.environ.get("CSW_SOAK_S"):
        return float(os.environ["CSW_SOAK_S"])
    return 600.0 if os.environ.get("CSW_BENCH_LONG") == "1" else 60.0


def rss_mb() -> float:
    gc.collect()
    with contextlib.suppress(OSError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def thread_names() -> list[str]:
    """The Python threads alive now, by name (digits kept: ``ThreadPoolExecutor-0_1``), for the report."""
    return sorted(t.name for t in threading.enumerate())


POOL_WORKER = re.compile(r"^(?P<pool>.+)_\d+$")  # ThreadPoolExecutor names its workers <prefix>_<n>


def os_threads() -> int:
    """Threads, counted so that only a leak makes the count grow: each thread pool counts once, however
    many workers it has started (a pool starts them on demand up to its ``max_workers`` and keeps them, so
    a burst of overlapping actions late in the run adds workers that are not a leak; a pool created and
    never shut down still counts, once per pool). The per-call pools of ``studios_frame``/``studio_rows``
    (``cswidgets-frame``) are left out: a ``with`` block joins them before the call returns, and the live
    table's reads make them come and go every second. Threads outside Python (in /proc) count too."""
    names = [t.name for t in threading.enumerate() if not t.name.startswith("cswidgets-frame")]
    pools = {m["pool"] for m in map(POOL_WORKER.match, names) if m}
    plain = sum(1 for name in names if not POOL_WORKER.match(name))
    native = 0
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("Threads:"):
            native = max(0, int(line.split()[1]) - threading.active_count())
    return plain + len(pools) + native


class Sink:
    """``widget.send`` replacement: drops rows messages, hands replies to their waiter."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._waiting: dict[str, threading.Event] = {}
        self._replies: dict[str, dict[str, Any]] = {}
        self.messages = 0

    def expect(self, msg_id: str) -> threading.Event:
        event = threading.Event()
        with self._lock:
            self._waiting[msg_id] = event
        return event

    def __call__(self, msg: dict[str, Any], buffers: Any = None) -> None:
        with self._lock:
            self.messages += 1
            if msg.get("kind") == "reply" and msg.get("id") in self._waiting:
                self._replies[msg["id"]] = msg
                self._waiting.pop(msg["id"]).set()

    def take(self, msg_id: str) -> dict[str, Any]:
        with self._lock:
            return self._replies.pop(msg_id)


def start_sim() -> tuple[subprocess.Popen, str]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "cswidgets.sim", "--api-key", KEY, "--scenario", "scale", "--studios", str(STUDIOS),
         "--projects", str(PROJECTS), "--speed", "100", "--port", "0"],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    line = proc.stdout.readline().strip()
    if "listening on" not in line:
        proc.kill()
        raise RuntimeError(f"simulator did not start: {line!r}")
    return proc, line.rsplit(" ", 1)[1]


def soak(seconds: float | None = None) -> dict[str, Any]:
    """Run the soak; return the raw figures. It lasts ``seconds`` and at least one refresh per two seconds of
    that (on a loaded machine a refresh of 1,000 studios can take longer than the one-second tick: the soak then
    runs longer rather than judging memory and threads on fewer refreshes)."""
    from cswidgets.api import connect
    from cswidgets.widgets.studio_table import StudioTable

    seconds = duration_s() if seconds is None else seconds
    proc, url = start_sim()
    ids = itertools.count(1)
    rng = random.Random(0)
    refresh_ms: list[float] = []
    failures: list[str] = []
    samples: list[tuple[float, float, int]] = []
    threads: list[tuple[bool, int]] = []  # (after warm-up, OS threads) once per tick
    most_names: tuple[int, list[str]] = (0, [])  # the most OS threads seen after warm-up, and who they were
    try:
        client = connect(url=url, api_key=KEY)
        sink = Sink()
        table = StudioTable.__new__(StudioTable)
        table.send = sink
        StudioTable.__init__(table, client)

        def ask(kind: str, **payload: Any) -> dict[str, Any]:
            msg_id = f"soak{next(ids)}"
            event = sink.expect(msg_id)
            t0 = time.perf_counter()
            table._handle_custom_msg({"kind": kind, "id": msg_id, **payload}, [])
            if not event.wait(60):
                raise TimeoutError(f"no reply to {kind} within 60 s")
            reply = sink.take(msg_id)
            reply["ms"] = (time.perf_counter() - t0) * 1000
            return reply

        keys = list(table.df.index)
        started = time.monotonic()
        warm_until = started + seconds * 0.2
        baseline: tuple[float, int] | None = None
        tick = 0
        min_refreshes = int(seconds / 2)
        while time.monotonic() - started < seconds or len(refresh_ms) < min_refreshes:
            next_tick = started + tick + 1
            reply = ask("refresh")
            refresh_ms.append(reply["ms"])
            if not reply["ok"] or reply["result"].get("error"):
                failures.append(str(reply.get("error") or reply["result"].get("error")))
            key = rng.choice(keys)
            if tick % 3 == 0:
                r = ask(rng.choice(["start", "stop"]), row=key)
                if not r["ok"] and "not running" not in str(r.get("error")) and "progress" not in str(r.get("error")):
                    failures.append(str(r.get("error")))
            if tick % 5 == 0:
                ask("snapshot")
                table.filter_text = rng.choice(["", "studio", "PROJECT_01", "zz"])
                table.selection = rng.sample(keys, 5)
            if tick % 10 == 0:
                table.clear_alerts()
            tick += 1
            count = os_threads()
            threads.append((time.monotonic() >= warm_until, count))
            if threads[-1][0] and count > most_names[0]:
                most_names = (count, thread_names())
            if baseline is None and time.monotonic() >= warm_until:
                baseline = (rss_mb(), os_threads())
            if tick % 10 == 0:
                samples.append((round(time.monotonic() - started, 1), rss_mb(), os_threads()))
            time.sleep(max(0.0, next_tick - time.monotonic()))
        seconds = round(time.monotonic() - started, 1)  # what it lasted (longer than asked on a loaded machine)
        after = [n for is_after, n in threads if is_after]
        first_half, second_half = after[: len(after) // 2], after[len(after) // 2:]
        warm_most = max([n for is_after, n in threads if not is_after] or [os_threads()])
        bound = max([warm_most, *first_half])
        # The last start/stop may still be followed by its tracker thread, which ends when idle: wait for the
        # count to settle (a leaked thread never does), then measure.
        settle_until = time.monotonic() + 20
        while os_threads() > bound and time.monotonic() < settle_until:
            time.sleep(0.1)
        end = (rss_mb(), os_threads())
        end_names = thread_names()
        if baseline is None:
            baseline = end
        table.close()
        client.close()
    finally:
        proc.terminate()
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
    return {
        "seconds": seconds, "refreshes": len(refresh_ms), "failures": failures,
        "refresh_p50_ms": statistics.median(refresh_ms),
        "refresh_p95_ms": statistics.quantiles(refresh_ms, n=20)[-1] if len(refresh_ms) >= 20 else max(refresh_ms),
        "rss_warm_mb": baseline[0], "rss_end_mb": end[0], "rss_growth_mb": end[0] - baseline[0],
        "threads_warm": warm_most, "threads_first_half": max(first_half or [baseline[1]]),
        "threads_second_half": max(second_half or [end[1]]),
        "threads_second_half_median": statistics.median(second_half or [end[1]]),
        "threads_end": end[1], "threads_most_names": most_names[1], "threads_end_names": end_names,
        "samples": samples,
    }


def run() -> list[dict[str, Any]]:
    """Run the soak; return ``[{metric, value, unit, baseline, ratio, note}]``."""
    r = soak()
    where = f"{STUDIOS} studios, refresh every 1 s + actions, {r['seconds']:.0f} s, {r['refreshes']} refreshes"
    return [
        {"metric": "soak_rss_growth_mb", "value": round(r["rss_growth_mb"], 2), "unit": "MB", "baseline": 10.0,
         "ratio": round(r["rss_growth_mb"] / 10.0, 3),
         "note": f"{where}; RSS {r['rss_warm_mb']:.0f} MB after warm-up (20 %), baseline = 10 MB target"},
        {"metric": "soak_threads_max_second_half", "value": r["threads_second_half"], "unit": "threads",
         "baseline": max(r["threads_warm"], r["threads_first_half"]),
         "ratio": round(r["threads_second_half"] / max(r["threads_warm"], r["threads_first_half"]), 3),
         "note": f"most OS threads seen in the 2nd half vs warm-up/1st half; median "
                 f"{r['threads_second_half_median']:g}, {r['threads_end']} at the end (settled)"},
        {"metric": "soak_refresh_p50_ms", "value": round(r["refresh_p50_ms"], 1), "unit": "ms", "baseline": 1000.0,
         "ratio": round(r["refresh_p50_ms"] / 1000, 3), "note": "refresh message -> reply; baseline = the 1 s period"},
        {"metric": "soak_refresh_p95_ms", "value": round(r["refresh_p95_ms"], 1), "unit": "ms", "baseline": 1000.0,
         "ratio": round(r["refresh_p95_ms"] / 1000, 3), "note": f"{len(r['failures'])} failed refreshes/actions"},
    ]


if __name__ == "__main__":
    for row in run():
        print(row)
