"""Run every benchmark of the project and write one results table, benchmarks/RESULTS.md.

Each ``benchmarks/bench_*.py`` module exposes ``run() -> list[dict]`` with rows
``{metric, value, unit, baseline, ratio, note}`` where the baseline was measured in the same run.

    python benchmarks/run_all.py [--only NAME ...] [--long]

With ``--only``, the other benchmarks' sections already in the results file are kept.

``--long`` sets ``CSW_BENCH_LONG=1`` so benchmarks with a long form (the soak) run it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import os
import platform
import sys
import time
import traceback
from pathlib import Path

HERE = Path(__file__).resolve().parent


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f", {kb / 1024 / 1024:.0f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    system = f"{platform.system()} {platform.machine()}"
    return f"{system}, {os.cpu_count()} cores, {cpu}{mem}, Python {platform.python_version()}"


def fmt(v: object) -> str:
    if v is None:
        return ""
    if isinstance(v, float):
        return f"{v:,.3g}" if abs(v) < 1000 else f"{v:,.0f}"
    return str(v)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", nargs="*", default=None, help="bench module names (e.g. bench_sim)")
    parser.add_argument("--long", action="store_true")
    parser.add_argument("--out", default=str(HERE / "RESULTS.md"))
    args = parser.parse_args(argv)
    if args.long:
        os.environ["CSW_BENCH_LONG"] = "1"
    sys.path.insert(0, str(HERE.parent))
    modules = sorted(HERE.glob("bench_*.py"))
    if args.only:
        modules = [m for m in modules if m.stem in args.only]
    sections, failed = [], 0
    for path in modules:
        spec = importlib.util.spec_from_file_location(path.stem, path)
        mod = importlib.util.module_from_spec(spec)
        t0 = time.perf_counter()
        print(f"== {path.stem}", flush=True)
        try:
            spec.loader.exec_module(mod)
            rows = mod.run()
        except Exception:
            failed += 1
            traceback.print_exc()
            sections.append((path.stem, None, time.perf_counter() - t0))
            continue
        sections.append((path.stem, rows, time.perf_counter() - t0))
    lines = [
        "# Benchmark results",
        "",
        f"Written by `make bench` (`python benchmarks/run_all.py`; the soak's 10-minute form by `--long`) "
        f"on {dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M} UTC.",
        f"Machine: {machine()}.",
        "Every baseline was measured in the same run as its metric; "
        "ratio = value ÷ baseline unless the note says otherwise.",
        "",
    ]
    blocks: dict[str, list[str]] = {}
    if args.only and Path(args.out).exists():  # keep the sections of the benchmarks not re-run
        for chunk in Path(args.out).read_text().split("\n## ")[1:]:
            blocks[chunk.split(" ", 1)[0]] = ["## " + chunk.rstrip("\n"), ""]
    for name, rows, secs in sections:
        block = [f"## {name} ({secs:.0f} s)", ""]
        if rows is None:
            block += ["**failed** — see the console output of the run.", ""]
        else:
            block += ["| metric | value | unit | baseline | ratio | note |", "|---|---|---|---|---|---|"]
            for r in rows:
                cells = (fmt(r.get(k)) for k in ("metric", "value", "unit", "baseline", "ratio", "note"))
                block.append("| " + " | ".join(cells) + " |")
            block.append("")
        blocks[name] = block
    for name in sorted(blocks):
        lines += blocks[name]
    Path(args.out).write_text("\n".join(lines))
    print(f"wrote {args.out}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
