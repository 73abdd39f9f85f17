"""The classic-notebook loader (``cswidgets/widgets/shared/classic.py``): what the kernel sends, when, how
it is emptied when the cell ends, and what its script does in a page -- run in Node against a fake
RequireJS / notebook, one scenario per front end or failure. (The real thing, in Chromium:
tests/dss_like and tests/browser.)"""

from __future__ import annotations

import json
import shutil
import subprocess
import weakref
from pathlib import Path

import ipywidgets
import pytest

from cswidgets.widgets.shared import classic as _classic
from cswidgets.widgets.shared.panel import Panel

INSTALLED_BUNDLE = _classic.loader_bundle()


class Echo(Panel):
    _esm = "export default { render() {} };"


class FakeEvents:
    def __init__(self) -> None:
        self.callbacks: dict[str, list] = {}

    def register(self, name, fn) -> None:
        self.callbacks.setdefault(name, []).append(fn)

    def trigger(self, name) -> None:
        for fn in self.callbacks.get(name, []):
            fn(None)


class FakeShell:
    kernel = object()
    execution_count = 1
    events = FakeEvents()

    def __init__(self, msg_id: str, session: str = "page-1") -> None:
        self.parent_header = {"header": {"msg_id": msg_id, "session": session}}


@pytest.fixture
def events(monkeypatch):
    """Records, in order, the loader sent (its mime bundle), every comm a panel opens and every loader
    output emptied (its display id)."""
    log: list = []
    monkeypatch.setattr(_classic, "_last_execution", None)
    monkeypatch.setattr(_classic, "_rendered_sessions", set())
    monkeypatch.setattr(_classic, "_pending", [])
    monkeypatch.setattr(_classic, "_hooked", weakref.WeakSet())
    monkeypatch.setattr(FakeShell, "events", FakeEvents())
    monkeypatch.setattr(_classic, "_publish", lambda data, display_id: log.append(("loader", data, display_id)))
    monkeypatch.setattr(_classic, "_update", lambda display_id: log.append(("emptied", display_id)))
    opened = ipywidgets.Widget.open

    def open_(self):
        if isinstance(self, Panel):
            log.append(("comm", type(self).__name__))
        return opened(self)

    monkeypatch.setattr(ipywidgets.Widget, "open", open_)
    monkeypatch.delenv(_classic.ENV_VAR, raising=False)
    return log


SHELL = FakeShell("none")  # one kernel: one shell, whose parent message changes


def in_kernel(monkeypatch, msg_id: str, session: str = "page-1") -> None:
    """Now executing the request ``msg_id`` of the page ``session``."""
    SHELL.parent_header = {"header": {"msg_id": msg_id, "session": session}}
    monkeypatch.setattr(_classic, "_kernel_shell", lambda: SHELL)


def cell_ends() -> None:
    FakeShell.events.trigger("post_run_cell")


def rendered_msg(session: str, kind: str = "rendered") -> dict:
    """A comm message from a panel's view, as ipykernel hands it to the widget."""
    return {"header": {"msg_id": "m1", "session": session, "msg_type": "comm_msg"},
            "content": {"comm_id": "c1", "data": {"method": "custom", "content": {"kind": kind}}}, "buffers": []}


def kinds(events):
    return [e[0] if e[0] == "loader" else e for e in events]


def test_outside_a_kernel_nothing_is_sent(events):
    Echo().close()
    assert kinds(events) == [("comm", "Echo")]


def test_sent_before_the_comm_opens_once_per_cell_execution(events, monkeypatch):
    in_kernel(monkeypatch, "execute-1")
    a, b = Echo(), Echo()  # one cell creating two panels (a Dashboard creates four)
    in_kernel(monkeypatch, "execute-2")  # the next execution (a re-run after a page reload needs it again)
    c = Echo()
    assert kinds(events) == ["loader", ("comm", "Echo"), ("comm", "Echo"), "loader", ("comm", "Echo")]
    for w in (a, b, c):
        w.close()


@pytest.mark.parametrize("value", ["0", "false", "off", "No"])
def test_opt_out_for_saved_output_comparisons(events, monkeypatch, value):
    in_kernel(monkeypatch, "execute-1")
    monkeypatch.setenv(_classic.ENV_VAR, value)
    Echo().close()
    assert kinds(events) == [("comm", "Echo")]


def test_the_output_is_the_installed_bundle_only(events, monkeypatch):
    in_kernel(monkeypatch, "execute-1")
    Echo().close()
    data = events[0][1]
    assert set(data) == {"application/javascript"}  # no text: nothing to read where it does not run
    assert INSTALLED_BUNDLE is not None and len(INSTALLED_BUNDLE) > 10_000
    assert INSTALLED_BUNDLE in data["application/javascript"]


def test_emptied_when_the_cell_ends_so_no_saved_notebook_holds_it(events, monkeypatch):
    in_kernel(monkeypatch, "execute-1")
    a, b = Echo(), Echo()
    display_id = events[0][2]
    cell_ends()
    assert [e[0] for e in events] == ["loader", "comm", "comm", "emptied"]
    assert events[-1] == ("emptied", display_id)
    cell_ends()  # a cell without panels: nothing left to empty
    assert len(events) == 4
    in_kernel(monkeypatch, "execute-2")
    c = Echo()
    cell_ends()
    assert [e[0] for e in events[4:]] == ["loader", "comm", "emptied"]
    assert events[-1][1] == events[4][2] != display_id  # each output its own id
    assert len(FakeShell.events.callbacks["post_run_cell"]) == 1  # hooked once
    for w in (a, b, c):
        w.close()


def test_a_page_where_a_panel_rendered_gets_no_loader_any_more(events, monkeypatch):
    in_kernel(monkeypatch, "execute-1", session="lab-page")
    a = Echo()
    a._handle_msg(rendered_msg("lab-page"))  # its view rendered (natively, or with the loader's module)
    in_kernel(monkeypatch, "execute-2", session="lab-page")
    b = Echo()
    in_kernel(monkeypatch, "execute-3", session="reloaded-page")  # a reload: a new page, a new session
    c = Echo()
    assert kinds(events) == ["loader", ("comm", "Echo"), ("comm", "Echo"), "loader", ("comm", "Echo")]
    for w in (a, b, c):
        w.close()


def test_only_the_render_report_counts_and_it_is_no_action(events, monkeypatch):
    in_kernel(monkeypatch, "execute-1", session="p")
    w = Echo()
    replies: list = []
    monkeypatch.setattr(w, "send", lambda msg, *a, **k: replies.append(msg))
    assert _classic.note_message(rendered_msg("p", kind="refresh")) is False
    assert _classic.note_message({"content": "junk"}) is False
    assert _classic._rendered_sessions == set()
    w._handle_msg(rendered_msg("p"))
    w._handle_custom_msg({"kind": "rendered"}, [])  # front ends that call the handler directly (marimo)
    assert replies == [] and w.alerts == []  # no reply, no "unknown request" alert
    assert _classic._rendered_sessions == {"p"}
    w.close()


def test_a_failure_while_sending_never_stops_the_panel(events, monkeypatch):
    in_kernel(monkeypatch, "execute-1")

    def broken(data, display_id):
        raise RuntimeError("iopub closed")

    monkeypatch.setattr(_classic, "_publish", broken)
    w = Echo()
    cell_ends()
    assert kinds(events) == [("comm", "Echo")]  # and nothing to empty
    w.close()


# -- the script, in Node, against a fake page -------------------------------------------------------
HARNESS = r"""
const script = require('fs').readFileSync(0, 'utf8');
const sc = JSON.parse(process.argv[1]);
function el(cls) { return { className: cls, style: {display: ''}, children: [], text: '', parent: null,
  get textContent() { return this.text + this.children.map(c => c.textContent).join(''); },
  set textContent(v) { this.text = v; this.children = []; },
  setAttribute() {}, appendChild(c) { c.parent = this; this.children.push(c); },
  insertBefore(c, ref) { c.parent = this; this.children = this.children.filter(x => x !== c);
    this.children.splice(Math.max(0, this.children.indexOf(ref)), 0, c); },
  get parentNode() { return this.parent; },
  closest(sel) { for (let n = this; n; n = n.parent)
    if (sel.split(',').some(s => s.trim() === '.' + n.className)) return n; return null; } }; }
globalThis.document = {createElement: () => el('box')};
const outputs = el('output'), area = el('output_area'), node = el('output_subarea');
node.parent = area; area.parent = outputs; outputs.children.push(area);
if (sc.emptied) node.isConnected = false;  // the cell ended: the output was emptied, the node replaced
const calls = [];
const define = (name, deps, factory) => calls.push(['define', name, deps, typeof factory]);
define.amd = {jQuery: true};
const requirejs = (deps, ok, fail) => { calls.push(['require', deps]);
  sc.fail ? fail(new Error('Script error for "anywidget"')) : ok(); };
requirejs.s = {contexts: {_: {config: {map: {'*': sc.map || {}}}, registry: sc.registry || {}}}};
requirejs.defined = () => !!sc.defined;
requirejs.undef = (n) => calls.push(['undef', n]);
const kernel = sc.manager ? {widget_manager: {}} : {};
globalThis.window = sc.classic ? {requirejs, define, Jupyter: {notebook: {kernel,
  config: {loaded: Promise.resolve(), data: {load_extensions: sc.exts}}}}} : {};
console.error = () => {};
new Function('element', script)(sc.classic ? {jquery: '3.5', 0: node} : node);
setTimeout(() => process.stdout.write(JSON.stringify({calls, hidden: area.style.display === 'none',
  text: outputs.children.filter(c => c !== area).map(c => c.textContent).join('|')})), 20);
"""
WIDGETS_ON = {_classic.WIDGETS_EXTENSION: True}
DEFINED = ["define", "anywidget", ["@jupyter-widgets/base"], "function"]


def run_script(scenario: dict, bundle: str | None = INSTALLED_BUNDLE) -> dict:
    node = shutil.which("node")
    if node is None:
        pytest.skip("node not found")
    out = subprocess.run([node, "-e", HARNESS, json.dumps(scenario)], input=_classic.script(bundle),
                         capture_output=True, text=True, timeout=30, check=True)
    return json.loads(out.stdout)


def test_jupyterlab_notebook7_and_exports_do_nothing_and_hide_the_output():
    assert run_script({"classic": False}) == {"calls": [], "hidden": True, "text": ""}


def test_classic_without_anywidget_gets_the_named_module():
    result = run_script({"classic": True, "exts": WIDGETS_ON})
    assert result == {"calls": [DEFINED, ["require", ["anywidget"]]], "hidden": True, "text": ""}


@pytest.mark.parametrize("scenario", [
    {"map": {"anywidget": "nbextensions/anywidget/index"}},  # the administrator installed anywidget's extension
    {"defined": True},  # an earlier cell already defined it
    {"registry": {"anywidget": {}}},  # being loaded right now
], ids=["server-maps-it", "already-defined", "loading"])
def test_classic_where_anywidget_is_provided_or_coming_defines_nothing(scenario):
    result = run_script({"classic": True, "exts": WIDGETS_ON, **scenario})
    assert result == {"calls": [], "hidden": True, "text": ""}


def test_an_earlier_failed_load_is_forgotten_first():
    result = run_script({"classic": True, "exts": WIDGETS_ON, "registry": {"anywidget": {"error": "404"}}})
    assert result["calls"] == [["undef", "anywidget"], DEFINED, ["require", ["anywidget"]]]


def test_a_failed_load_shows_its_cause_and_the_fix():
    result = run_script({"classic": True, "exts": WIDGETS_ON, "fail": True})
    assert result["calls"][-1] == ["undef", "anywidget"]  # the next cell may try again
    assert result["hidden"] is True  # the message is above the cell's outputs, not in the loader's own
    assert 'could not be loaded: Script error for "anywidget"' in result["text"]
    assert "jupyter nbextension install --py anywidget --sys-prefix" in result["text"]


def test_no_widgets_extension_on_the_server_is_said_with_the_fix():
    result = run_script({"classic": True, "exts": {}, "fail": True})  # "@jupyter-widgets/base" is missing too
    assert result["text"] == _classic.NO_WIDGETS
    assert run_script({"classic": True, "exts": {}, "manager": True})["text"] == ""  # loaded another way


def test_a_failure_after_the_cell_ended_is_still_shown_once_above_the_outputs():
    """The loader's output is emptied when its cell ends; a load that fails later still says why."""
    result = run_script({"classic": True, "exts": {}, "fail": True, "emptied": True})
    assert result["text"] == _classic.NO_WIDGETS  # once, though both checks found it


def test_an_anywidget_without_a_classic_bundle_says_so():
    result = run_script({"classic": True, "exts": WIDGETS_ON}, bundle=None)
    assert result["calls"] == []
    assert _classic.NO_BUNDLE in result["text"]


def test_the_bundle_is_read_from_the_installed_anywidget():
    import anywidget

    assert (Path(anywidget.__file__).parent / "nbextension" / "index.js").read_text() == INSTALLED_BUNDLE
    assert INSTALLED_BUNDLE.count("define(") == 1  # the one call the named wrapper turns into "anywidget"
