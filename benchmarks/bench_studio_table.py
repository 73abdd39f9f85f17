"""Benchmark of the StudioTable with 10,000 studios.

Measures
--------
- ``first_render_ms``: in Chromium, time from the moment the snapshot (all rows, as JSON text)
  reaches the view to the first painted table (JSON parse + sort + virtual window + two animation
  frames). Target: <= 500 ms.
- ``refresh_bytes_10_changed``: bytes sent to the browser by a refresh where 10 studios changed,
  against a full re-send of the 10,000 rows. Target: proportional, < 1 % of the full re-send.
- ``patch_apply_ms``: in Chromium, time to apply that 10-row patch and repaint.
- ``filter_keystroke_ms``: in Chromium, time from a filter change (one more character typed, the
  debounce excluded) to the repainted table, median over a typed word; target <= 100 ms.
- ``python_refresh_ms``: kernel-side cost of a refresh of 10,000 rows (DataFrame -> rows -> diff),
  the network fetch excluded.

The Python side is the real widget fed by a stand-in client whose ``studios_frame`` returns a
10,000-row frame with the columns of ``cswidgets.api.frames``; the browser side is the real bundle
(``cswidgets/static/studio_table.js`` and its ``.css``) in a plain HTML page on 127.0.0.1 with a fake model
(no Jupyter needed). Run ``npm run build`` first. ``python benchmarks/bench_studio_table.py``
prints a table; :func:`run` returns the rows ``{metric, value, unit, baseline, ratio, note}``.
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import shutil
import statistics
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import pandas as pd

from cswidgets.api.frames import STUDIO_COLUMNS
from cswidgets.widgets.studio_table import StudioTable

ROOT = Path(__file__).resolve().parent.parent
BUNDLE = ROOT / "cswidgets" / "static" / "studio_table.js"
STYLES = BUNDLE.with_suffix(".css")
CHROMIUM = os.environ.get("CSW_CHROMIUM", "/usr/bin/chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]
N_STUDIOS = 10_000
N_CHANGED = 10
REPEATS = 5
FILTER_WORDS = ["studio 12", "project_04", "8080"]
STATES = ["RUNNING", "STOPPED", "STOPPED", "STARTING", "STOPPING"]


def synthetic_frame(n: int = N_STUDIOS, projects: int = 100, changed: int = 0) -> pd.DataFrame:
    """A frame shaped like ``client.studios_frame()``; the first ``changed`` studios are stopped."""
    records = []
    for i in range(n):
        pk = f"PROJECT_{i % projects:03d}"
        state = STATES[i % len(STATES)]
        if i < changed:
            state = "STOPPED" if state != "STOPPED" else "RUNNING"
        running = state == "RUNNING"
        records.append({
            "project_key": pk,
            "id": f"s{i:06d}",
            "name": f"Studio {i} of {pk}",
            "owner": ["alice", "bob", "carol", "dave"][i % 4],
            "template_id": f"tpl_{i % 7}",
            "template_label": f"Template {i % 7}",
            "state": state,
            "last_state_change": 1_700_000_000_000 + i * 1000,
            "zones": [{"id": f"z{i}", "zone": "project-lib-versioned", "pathInContainer": "/w", "oneWay": False}]
            if running else [],
            "exposed": [f"https://dss.example.com/dip/code-studios/{pk}/s{i:06d}/8080/"] if running else [],
            "error": None,
        })
    df = pd.DataFrame.from_records(records, columns=list(STUDIO_COLUMNS))
    df["last_state_change"] = pd.to_datetime(df["last_state_change"], unit="ms", utc=True)
    df["state"] = pd.Categorical(df["state"], categories=["STOPPED", "STARTING", "RUNNING", "STOPPING", "UNKNOWN"])
    df.attrs["errors"] = []
    return df


class _FrameClient:
    """Stand-in client: returns the frame it is given (no network)."""

    is_simulator = True

    def __init__(self, frame: pd.DataFrame) -> None:
        self.frame = frame

    def studios_frame(self, project_keys: Any = None) -> pd.DataFrame:
        return self.frame


def python_side() -> dict[str, Any]:
    """Messages the widget sends: the first load, and a refresh where N_CHANGED rows changed."""
    sent: list[dict[str, Any]] = []
    client = _FrameClient(synthetic_frame())
    table = StudioTable.__new__(StudioTable)
    table.send = sent.append  # type: ignore[method-assign]  # set before __init__ loads the rows
    StudioTable.__init__(table, client)
    try:
        (reset,) = sent
        snapshot = json.dumps({"kind": "reply", "id": "snap", "ok": True,
                               "result": {"seq": table.store.seq, "rows": reset["upsert"]}})
        full_bytes = len(json.dumps(reset).encode())
        client.frame = synthetic_frame(changed=N_CHANGED)
        sent.clear()
        t0 = time.perf_counter()
        table.refresh()
        refresh_ms = (time.perf_counter() - t0) * 1000
        (patch,) = sent
        if len(patch["upsert"]) != N_CHANGED or patch["remove"]:
            raise RuntimeError(f"expected a patch of {N_CHANGED} rows, got {len(patch['upsert'])}")
        timings = []
        for _ in range(REPEATS):  # unchanged refreshes: the diff cost alone
            t0 = time.perf_counter()
            table.refresh()
            timings.append((time.perf_counter() - t0) * 1000)
        return {
            "snapshot": snapshot,
            "patch": json.dumps(patch),
            "full_bytes": full_bytes,
            "patch_bytes": len(json.dumps(patch).encode()),
            "refresh_ms": statistics.median([refresh_ms, *timings]),
            "traits": {k: v for k, v in table.get_state().items() if not k.startswith("_") and k not in
                       ("layout", "tabbable", "tooltip")},
        }
    finally:
        table.close()


PAGE = """<!doctype html><html><head><meta charset="utf-8"><title>bench</title>
<link rel="stylesheet" href="studio_table.css"></head>
<body><div id="host" style="width:1200px"></div>
<script type="module">
import widget from "./studio_table.js";
const traits = await (await fetch("traits.json")).json();
const listeners = new Map();
const model = {
  sent: [], state: { ...traits, alerts: [] },
  get(k) { return this.state[k]; },
  set(k, v) { this.state[k] = v; this.emit(`change:${k}`, v); },
  save_changes() {}, send(m) { this.sent.push(m); },
  on(e, f) { if (!listeners.has(e)) listeners.set(e, new Set()); listeners.get(e).add(f); },
  off(e, f) { listeners.get(e)?.delete(f); },
  emit(e, ...a) { for (const f of [...(listeners.get(e) ?? [])]) f(...a); },
};
const frames = () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
window.bench = {
  async firstRender(text) {
    const el = document.getElementById("host");
    window.__cleanup?.();
    el.replaceChildren();
    model.sent.length = 0;
    const cleanup = widget.render({ model, el });
    const snap = model.sent.find((m) => m.kind === "snapshot");
    const t0 = performance.now();
    const msg = JSON.parse(text);
    msg.id = snap.id;
    model.emit("msg:custom", msg);
    await Promise.resolve();
    await frames();
    const t1 = performance.now();
    const rows = el.querySelectorAll("tbody tr.csw-st-row").length;
    window.__cleanup = cleanup;
    return { ms: t1 - t0, rows, rowcount: el.querySelector("table").getAttribute("aria-rowcount") };
  },
  async patch(text) {
    const el = document.getElementById("host");
    const t0 = performance.now();
    model.emit("msg:custom", JSON.parse(text));
    await frames();
    const t1 = performance.now();
    return { ms: t1 - t0, stopped: el.querySelectorAll('tbody tr[data-state="STOPPED"]').length };
  },
  async filter(words) {
    const el = document.getElementById("host");
    const times = [];
    let shown = 0;
    for (const word of words) {
      for (let i = 1; i <= word.length; i += 1) {
        const t0 = performance.now();
        model.set("filter_text", word.slice(0, i));
        await frames();
        times.push(performance.now() - t0);
        shown = el.querySelectorAll("tbody tr.csw-st-row").length;
      }
    }
    model.set("filter_text", "");
    await frames();
    times.sort((a, b) => a - b);
    return { median: times[Math.floor(times.length / 2)], max: times.at(-1), n: times.length, shown };
  },
  async scroll() {
    const scroller = document.querySelector(".csw-st-scroll");
    let t0 = performance.now();
    for (let i = 1; i <= 20; i += 1) await frames();
    const idle = (performance.now() - t0) / 20;
    t0 = performance.now();
    for (let i = 1; i <= 20; i += 1) { scroller.scrollTop = i * 5000; await frames(); }
    const ms = (performance.now() - t0) / 20;
    const first = document.querySelector("tbody tr.csw-st-row").getAttribute("aria-rowindex");
    return { ms, idle, first, rows: document.querySelectorAll("tbody tr.csw-st-row").length };
  },
};
window.benchReady = true;
</script></body></html>"""


def _serve(directory: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

    handler = functools.partial(Quiet, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/index.html"


def browser_side(data: dict[str, Any]) -> dict[str, Any]:
    """First render, 10-row patch and scroll timings in Chromium (medians over REPEATS)."""
    from playwright.sync_api import sync_playwright

    if not (BUNDLE.exists() and STYLES.exists()):
        raise SystemExit(f"{BUNDLE} or {STYLES.name} is missing: run `npm run build` first")
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp)
        shutil.copy(BUNDLE, d / BUNDLE.name)
        shutil.copy(STYLES, d / STYLES.name)
        (d / "index.html").write_text(PAGE)
        (d / "traits.json").write_text(json.dumps(data["traits"]))
        server, url = _serve(d)
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
                page = browser.new_page(viewport={"width": 1280, "height": 900})
                page.goto(url)
                page.wait_for_function("window.benchReady === true")
                firsts, patches = [], []
                for _ in range(REPEATS):
                    first = page.evaluate("(t) => window.bench.firstRender(t)", data["snapshot"])
                    firsts.append(first["ms"])
                    patch = page.evaluate("(t) => window.bench.patch(t)", data["patch"])
                    patches.append(patch["ms"])
                typed = page.evaluate("(w) => window.bench.filter(w)", FILTER_WORDS)
                scroll = page.evaluate("() => window.bench.scroll()")
                browser.close()
        finally:
            server.shutdown()
    return {"first_ms": statistics.median(firsts), "rows_in_dom": first["rows"], "rowcount": first["rowcount"],
            "patch_ms": statistics.median(patches), "filter_ms": typed["median"], "filter_max_ms": typed["max"],
            "filter_n": typed["n"], "scroll_ms": scroll["ms"], "scroll_rows": scroll["rows"],
            "idle_ms": scroll["idle"], "scroll_first": scroll["first"]}


def run() -> list[dict[str, Any]]:
    """Run the benchmark; return ``[{metric, value, unit, baseline, ratio, note}]``."""
    data = python_side()
    b = browser_side(data)
    full, part = data["full_bytes"], data["patch_bytes"]
    return [
        {"metric": "first_render_ms", "value": round(b["first_ms"], 1), "unit": "ms", "baseline": 500.0,
         "ratio": round(b["first_ms"] / 500.0, 3),
         "note": f"{N_STUDIOS} studios, Chromium; baseline = 500 ms target; {b['rows_in_dom']} rows in the DOM, "
                 f"aria-rowcount {b['rowcount']}"},
        {"metric": "refresh_bytes_10_changed", "value": part, "unit": "bytes", "baseline": full,
         "ratio": round(part / full, 5), "note": f"patch of {N_CHANGED} rows vs full re-send of {N_STUDIOS} rows "
                                                 "(target ratio < 0.01)"},
        {"metric": "patch_apply_ms", "value": round(b["patch_ms"], 1), "unit": "ms",
         "baseline": round(b["first_ms"], 1), "ratio": round(b["patch_ms"] / b["first_ms"], 3),
         "note": "apply a 10-row patch and repaint, vs first render"},
        {"metric": "filter_keystroke_ms", "value": round(b["filter_ms"], 1), "unit": "ms", "baseline": 100.0,
         "ratio": round(b["filter_ms"] / 100.0, 3),
         "note": f"median of {b['filter_n']} keystrokes (max {b['filter_max_ms']:.1f} ms) typing "
                 f"{', '.join(FILTER_WORDS)} over {N_STUDIOS} studios, to the repaint; baseline = 100 ms target"},
        {"metric": "scroll_jump_ms", "value": round(b["scroll_ms"], 1), "unit": "ms",
         "baseline": round(b["idle_ms"], 1), "ratio": round(b["scroll_ms"] / b["idle_ms"], 3),
         "note": f"per 5000 px jump + two animation frames, vs two idle frames; {b['scroll_rows']} rows in "
                 f"the DOM (first aria-rowindex {b['scroll_first']})"},
        {"metric": "python_refresh_ms", "value": round(data["refresh_ms"], 1), "unit": "ms", "baseline": None,
         "ratio": None, "note": f"frame -> rows -> diff for {N_STUDIOS} studios (fetch excluded)"},
    ]


def main() -> None:
    rows = run()
    print(f"{'metric':28} {'value':>12} {'unit':6} {'baseline':>12} {'ratio':>9}  note")
    for r in rows:
        base = "" if r["baseline"] is None else r["baseline"]
        ratio = "" if r["ratio"] is None else r["ratio"]
        print(f"{r['metric']:28} {r['value']:>12} {r['unit']:6} {base!s:>12} {ratio!s:>9}  {r['note']}")


if __name__ == "__main__":
    main()
