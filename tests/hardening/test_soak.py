"""Soak, short form (CI): the StudioTable over 1,000 studios, refreshed every second with actions in
between, for 60 s (``CSW_SOAK_S`` overrides; the 10-minute form is ``benchmarks/bench_soak.py``
under ``python benchmarks/run_all.py --long``). Memory must stop growing after warm-up and the
thread count must not grow (a thread that stays; see ``bench_soak``'s docstring)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "benchmarks" / "bench_soak.py"
pytestmark = pytest.mark.slow  # `make test-slow` (CI runs it after `make test`)


def _soak(seconds: float) -> dict:
    """Run the soak in a fresh interpreter: the memory and thread figures must be the table's own,
    not those of whatever earlier tests left in this process."""
    code = (f"import json, runpy; r = runpy.run_path({str(BENCH)!r})['soak']({seconds!r}); "
            "print('SOAK-JSON ' + json.dumps(r, default=str))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=seconds * 3 + 120,
                         cwd=BENCH.parents[1])
    assert out.returncode == 0, out.stderr[-3000:]
    line = next(x for x in out.stdout.splitlines() if x.startswith("SOAK-JSON "))
    return json.loads(line.removeprefix("SOAK-JSON "))


def test_soak_short_form() -> None:
    r = _soak(float(os.environ.get("CSW_SOAK_S", "60")))
    print(f"\nSOAK-COUNTS seconds={r['seconds']} refreshes={r['refreshes']} rss_warm_mb={r['rss_warm_mb']:.1f} "
          f"rss_growth_mb={r['rss_growth_mb']:.2f} threads_warm={r['threads_warm']} threads_end={r['threads_end']} "
          f"threads_first_half={r['threads_first_half']} threads_second_half={r['threads_second_half']} "
          f"threads_second_half_median={r['threads_second_half_median']} most_at={r['threads_most_names']} "
          f"refresh_p50_ms={r['refresh_p50_ms']:.0f} failures={len(r['failures'])}")
    # A refresh that never answered would have ended the soak with a TimeoutError (returncode != 0, above).
    assert not r["failures"], r["failures"][:5]
    assert r["rss_growth_mb"] < 10, f"memory grew {r['rss_growth_mb']:.1f} MB after warm-up"
    # A leaked thread stays: the second half's typical count and the settled end count stay within what warm-up
    # and the first half reached. (One sample may catch a tracker thread about to end: the most is only reported.)
    bound = max(r["threads_warm"], r["threads_first_half"])
    assert r["threads_second_half_median"] <= bound and r["threads_end"] <= bound, (
        f"threads keep growing: warm-up {r['threads_warm']}, 1st half {r['threads_first_half']}, "
        f"2nd half median {r['threads_second_half_median']} (most {r['threads_second_half']}), "
        f"end {r['threads_end']}: {r['threads_end_names']}")
