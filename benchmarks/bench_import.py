"""Import cost (P5): ``import cswidgets; cswidgets.Dashboard`` against ``import pandas, ipywidgets, anywidget``.

Run ``python benchmarks/bench_import.py``. Each measurement is a fresh interpreter that times the
import statements themselves (interpreter start-up excluded); the two are run alternately, ``RUNS``
times each, and the medians are compared. Target: ratio <= 1.2 (what cswidgets adds on top of the
libraries it builds on). ``python -X importtime -c "import cswidgets; cswidgets.Dashboard"`` shows
what to defer when it is not met.
``run()`` returns the rows ``{metric, value, unit, baseline, ratio, note}`` for ``make bench``.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
RUNS = 15
TARGET = 1.2
STATEMENTS = {
    "cswidgets": "import cswidgets; cswidgets.Dashboard",
    "baseline": "import pandas, ipywidgets, anywidget",
}
TIMER = "import time; t0 = time.perf_counter(); {stmt}; print(time.perf_counter() - t0)"


def _once(stmt: str) -> float:
    """Seconds the statement takes in a fresh interpreter (the repository first on ``sys.path``)."""
    out = subprocess.run([sys.executable, "-c", TIMER.format(stmt=stmt)], cwd=ROOT, capture_output=True,
                         text=True, check=True, timeout=120)
    return float(out.stdout.strip().splitlines()[-1])


def measure(runs: int = RUNS) -> dict[str, float]:
    """Median seconds of each statement over ``runs`` alternated fresh interpreters (after a warm-up)."""
    for stmt in STATEMENTS.values():  # warm the disk cache and the bytecode
        _once(stmt)
    times: dict[str, list[float]] = {name: [] for name in STATEMENTS}
    for _ in range(runs):
        for name, stmt in STATEMENTS.items():
            times[name].append(_once(stmt))
    return {name: statistics.median(values) for name, values in times.items()}


def run(runs: int = RUNS) -> list[dict[str, Any]]:
    medians = measure(runs)
    ours, base = medians["cswidgets"] * 1000, medians["baseline"] * 1000
    ratio = ours / base
    return [
        {
            "metric": "import cswidgets; cswidgets.Dashboard",
            "value": round(ours, 1),
            "unit": "ms",
            "baseline": round(base, 1),
            "ratio": round(ratio, 2),
            "note": f"baseline: import pandas, ipywidgets, anywidget; median of {runs} fresh interpreters each; "
            f"target ≤ {TARGET} ({'met' if ratio <= TARGET else 'NOT met'})",
        }
    ]


if __name__ == "__main__":
    for row in run():
        print(f"{row['metric']}: {row['value']} ms, baseline {row['baseline']} ms, ratio {row['ratio']}")
        print(row["note"])
