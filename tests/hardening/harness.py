"""Render a real panel bundle in Chromium, wired to the real Python widget, without Jupyter.

The page (served on 127.0.0.1) imports ``cswidgets/static/<panel>.js``, adds the widget's ``_css``
to its head (as anywidget does) and renders it with a small model object holding the widget's
synced state. :class:`Bridge` pumps both ways from the test's
thread: messages the view sends reach ``widget._handle_custom_msg``; messages the widget sends
(replies, row patches) and trait changes reach the view. Every page also counts script executions:
``__xss(n)``, ``alert``, ``confirm`` and ``prompt`` append to ``window.__hits``.
"""

from __future__ import annotations

import functools
import http.server
import json
import queue
import shutil
import threading
import time
from pathlib import Path
from typing import Any

from tests.hardening.xss_corpus import FORBIDDEN_TAGS

STATIC = Path(__file__).resolve().parents[2] / "cswidgets" / "static"

TRAP = """<script>
window.__hits = [];
window.__xss = (n) => { window.__hits.push(String(n)); };
window.alert = window.confirm = window.prompt = (m) => { window.__hits.push("alert:" + m); return null; };
</script>"""

PANEL_PAGE = """<!doctype html><html><head><meta charset="utf-8"><title>panel</title>%s</head>
<body><div id="host" style="width:1400px"></div>
<script type="module">
const panel = new URLSearchParams(location.search).get("panel");
const widget = (await import(`./${panel}.js`)).default;
const listeners = new Map();
const outbox = [];
const model = {
  state: {},
  get(k) { return this.state[k]; },
  set(k, v) { this.state[k] = v; this.emit(`change:${k}`, v); this.dirty.add(k); },
  dirty: new Set(),
  save_changes() {
    for (const k of this.dirty) outbox.push({ type: "set", key: k, value: this.state[k] });
    this.dirty.clear();
  },
  send(msg) { outbox.push({ type: "msg", msg }); },
  on(e, f) { if (!listeners.has(e)) listeners.set(e, new Set()); listeners.get(e).add(f); },
  off(e, f) { if (!e) return listeners.clear(); if (!f) return listeners.delete(e); listeners.get(e)?.delete(f); },
  emit(e, ...a) { for (const f of [...(listeners.get(e) ?? [])]) f(...a); },
};
window.__start = (state, css) => {
  if (css) document.head.append(Object.assign(document.createElement("style"), { textContent: css }));
  Object.assign(model.state, state);
  window.__cleanup = widget.render({ model, el: document.getElementById("host") });
};
window.__drain = () => outbox.splice(0, outbox.length);
window.__deliver = (items) => {
  for (const it of items) {
    if (it.type === "msg") model.emit("msg:custom", it.msg, []);
    else { model.state[it.key] = it.value; model.emit(`change:${it.key}`, it.value); }
  }
};
window.__ready = true;
</script></body></html>""".replace("%s", TRAP, 1)

#: What the checks read from the page: script executions, injected elements, links, text.
INSPECT = """(forbidden) => {
  const host = document.getElementById("host") ?? document.body;
  const links = [...host.querySelectorAll("[href], [src], [action], [formaction]")].map(
    (e) => e.getAttribute("href") ?? e.getAttribute("src") ?? e.getAttribute("action") ?? e.getAttribute("formaction"));
  return {
    hits: [...window.__hits],
    marked: host.querySelectorAll("[data-xss]").length + document.querySelectorAll("[data-xss]").length,
    forbidden: forbidden.map((t) => [t, host.getElementsByTagName(t).length]).filter(([, n]) => n > 0),
    handlers: [...host.querySelectorAll("*")].flatMap((e) => [...e.attributes].map((a) => a.name))
      .filter((n) => n.startsWith("on")),
    links,
    text: host.textContent,
    titles: [...host.querySelectorAll("[title],[aria-label]")].map(
      (e) => (e.getAttribute("title") ?? "") + " " + (e.getAttribute("aria-label") ?? "")).join(" "),
    base: document.baseURI,
  };
}"""


class PageServer:
    """Serve the built bundles plus generated pages from a temporary folder on 127.0.0.1."""

    def __init__(self, root: Path) -> None:
        self.root = root
        for bundle in STATIC.glob("*.js"):
            shutil.copy(bundle, root / bundle.name)
        (root / "panel.html").write_text(PANEL_PAGE)

        class Quiet(http.server.SimpleHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0),
                                                      functools.partial(Quiet, directory=str(root)))
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def static_page(self, name: str, fragment: str) -> str:
        """Write ``fragment`` (a static HTML fallback) into a page as-is; return its URL."""
        (self.root / f"{name}.html").write_text(
            f"<!doctype html><html><head><meta charset='utf-8'>{TRAP}</head><body><div id='host'>{fragment}</div>"
            "</body></html>")
        return f"{self.url}/{name}.html"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def synced_names(widget: Any) -> list[str]:
    skip = {"layout", "tabbable", "tooltip", "comm", "keys", "log"}
    return [n for n in widget.trait_names(sync=lambda v: v) if not n.startswith("_") and n not in skip]


class Bridge:
    """A panel rendered in ``page`` and connected to ``widget`` (see the module docstring)."""

    def __init__(self, page: Any, server: PageServer, widget: Any, bundle: str) -> None:
        self.page, self.widget = page, widget
        self._out: queue.Queue[dict[str, Any]] = queue.Queue()
        self.names = synced_names(widget)
        widget.send = self._send
        widget.observe(self._changed, names=self.names)
        page.goto(f"{server.url}/panel.html?panel={bundle}")
        page.wait_for_function("window.__ready === true")
        state = widget.get_state()
        page.evaluate("([s, css]) => window.__start(s, css)",
                      [{k: state[k] for k in self.names if k in state}, state.get("_css", "")])

    def _send(self, msg: dict[str, Any], buffers: Any = None) -> None:
        self._out.put({"type": "msg", "msg": json.loads(json.dumps(msg, default=str))})

    def _changed(self, change: Any) -> None:
        name = change["name"]
        self._out.put({"type": "set", "key": name, "value": self.widget.get_state(name)[name]})

    def pump(self, until: str | None = None, timeout: float = 15.0, settle: float = 0.3) -> None:
        """Exchange messages until the JS expression ``until`` is true (or, without one, until
        nothing moved for ``settle`` seconds); raise ``TimeoutError`` after ``timeout``."""
        deadline = time.monotonic() + timeout
        quiet_since = time.monotonic()
        while True:
            moved = False
            for item in self.page.evaluate("window.__drain()"):
                moved = True
                if item["type"] == "msg":
                    self.widget._handle_custom_msg(item["msg"], [])
                else:
                    self.widget.set_state({item["key"]: item["value"]})
            items = []
            while not self._out.empty():
                items.append(self._out.get_nowait())
            if items:
                moved = True
                self.page.evaluate("(items) => window.__deliver(items)", items)
            if moved:
                quiet_since = time.monotonic()
            if until is not None and self.page.evaluate(until):
                return
            if until is None and time.monotonic() - quiet_since >= settle:
                return
            if time.monotonic() > deadline:
                raise TimeoutError(f"panel did not reach {until!r} within {timeout} s")
            time.sleep(0.02)

    def inspect(self) -> dict[str, Any]:
        self.pump()
        return inspect(self.page)


def inspect(page: Any) -> dict[str, Any]:
    return page.evaluate(INSPECT, list(FORBIDDEN_TAGS))
