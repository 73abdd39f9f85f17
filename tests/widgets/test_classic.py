"""The classic-notebook loader (``cswidgets/widgets/shared/classic.py``): what the kernel sends, when, and
what its script does in a page -- run in Node against a fake RequireJS / notebook, one scenario per
front end or failure. (The real thing, in Chromium: tests/dss_like and tests/browser.)"""

from __future__ import annotations

import html
import json
import shutil
import subprocess
from pathlib import Path

import ipywidgets
import pytest

from cswidgets.widgets.shared import classic as _classic
from cswidgets.widgets.shared.panel import Panel

INSTALLED_BUNDLE = _classic.loader_bundle()


class Echo(Panel):
    _esm = "export default { render() {} };"


class FakeShell:
    kernel = object()
    execution_count = 1

    def __init__(self, msg_id: str) -> None:
        self.parent_header = {"header": {"msg_id": msg_id}}


@pytest.fixture
def events(monkeypatch):
    """Records, in order, the loader sent (its mime bundle) and every comm a panel opens."""
    log: list = []
    monkeypatch.setattr(_classic, "_last_execution", None)
    monkeypatch.setattr(_classic, "_publish", lambda data: log.append(("loader", data)))
    opened = ipywidgets.Widget.open

    def open_(self):
        if isinstance(self, Panel):
            log.append(("comm", type(self).__name__))
        return opened(self)

    monkeypatch.setattr(ipywidgets.Widget, "open", open_)
    monkeypatch.delenv(_classic.ENV_VAR, raising=False)
    return log


def in_kernel(monkeypatch, msg_id: str) -> None:
    monkeypatch.setattr(_classic, "_kernel_shell", lambda: FakeShell(msg_id))


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


def test_the_output_is_the_installed_bundle_and_a_visible_reason_where_scripts_do_not_run(events, monkeypatch):
    in_kernel(monkeypatch, "execute-1")
    Echo().close()
    data = events[0][1]
    assert set(data) == {"application/javascript", "text/html"}  # no text/plain: no clutter in consoles
    assert INSTALLED_BUNDLE is not None and len(INSTALLED_BUNDLE) > 10_000
    assert INSTALLED_BUNDLE in data["application/javascript"]
    assert html.escape(_classic.NO_SCRIPTS) in data["text/html"]
    assert "jupyter trust" in _classic.NO_SCRIPTS


def test_a_failure_while_sending_never_stops_the_panel(events, monkeypatch):
    in_kernel(monkeypatch, "execute-1")

    def broken(data):
        raise RuntimeError("iopub closed")

    monkeypatch.setattr(_classic, "_publish", broken)
    w = Echo()
    assert kinds(events) == [("comm", "Echo")]
    w.close()


# -- the script, in Node, against a fake page -------------------------------------------------------
HARNESS = r"""
const script = require('fs').readFileSync(0, 'utf8');
const sc = JSON.parse(process.argv[1]);
function el(cls) { return { className: cls, style: {display: ''}, children: [], text: '', parent: null,
  get textContent() { return this.text + this.children.map(c => c.textContent).join(''); },
  set textContent(v) { this.text = v; this.children = []; },
  setAttribute() {}, appendChild(c) { c.parent = this; this.children.push(c); },
  closest(sel) { for (let n = this; n; n = n.parent)
    if (sel.split(',').some(s => s.trim() === '.' + n.className)) return n; return null; } }; }
globalThis.document = {createElement: () => el('box')};
const area = el('output_area'), node = el('output_subarea');
node.parent = area;
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
  text: node.textContent})), 20);
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
    assert result["hidden"] is False
    assert 'could not be loaded: Script error for "anywidget"' in result["text"]
    assert "jupyter nbextension install --py anywidget --sys-prefix" in result["text"]


def test_no_widgets_extension_on_the_server_is_said_with_the_fix():
    result = run_script({"classic": True, "exts": {}, "fail": True})  # "@jupyter-widgets/base" is missing too
    assert result["hidden"] is False
    assert result["text"] == _classic.NO_WIDGETS
    assert run_script({"classic": True, "exts": {}, "manager": True})["text"] == ""  # loaded another way


def test_an_anywidget_without_a_classic_bundle_says_so():
    result = run_script({"classic": True, "exts": WIDGETS_ON}, bundle=None)
    assert result["calls"] == []
    assert _classic.NO_BUNDLE in result["text"]


def test_the_bundle_is_read_from_the_installed_anywidget():
    import anywidget

    assert (Path(anywidget.__file__).parent / "nbextension" / "index.js").read_text() == INSTALLED_BUNDLE
    assert INSTALLED_BUNDLE.count("define(") == 1  # the one call the named wrapper turns into "anywidget"
