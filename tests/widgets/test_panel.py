"""The panel base: message envelope, answers on every path, alerts, fallbacks — no kernel."""

from __future__ import annotations

import importlib
import threading

import pytest

from cswidgets.widgets.shared.panel import STATIC, Panel, action, bundle, stylesheet
from tests.support import wait_for


class Echo(Panel):
    _esm = "export default { render() {} };"

    @action("echo")
    def _echo(self, value):
        return {"value": value, "thread": threading.current_thread().name}

    @action("boom")
    def _boom(self):
        raise RuntimeError("DSS said no")

    @action("bad_arg")
    def _bad_arg(self, zone):
        raise ValueError(f"unknown zone {zone!r}")

    def _summary(self):
        return "2 things"


@pytest.fixture
def panel():
    w = Echo()
    w.sent = []
    w.send = lambda msg, buffers=None: w.sent.append(msg)
    yield w
    w.close()


def test_action_runs_off_the_main_thread_and_answers(panel):
    panel._handle_custom_msg({"kind": "echo", "id": "r1", "value": 42}, [])
    wait_for(lambda: panel.sent, timeout=5.0)
    reply = panel.sent[0]
    assert reply["kind"] == "reply" and reply["id"] == "r1" and reply["ok"] is True
    assert reply["result"]["value"] == 42
    assert reply["result"]["thread"] != threading.main_thread().name


def test_failures_are_answered_and_shown_in_the_alert_region(panel):
    panel._handle_custom_msg({"kind": "boom", "id": "r2"}, [])
    wait_for(lambda: panel.sent, timeout=5.0)
    assert panel.sent[0] == {"kind": "reply", "id": "r2", "ok": False, "error": "RuntimeError: DSS said no"}
    assert [a["message"] for a in panel.alerts] == ["RuntimeError: DSS said no"]
    panel._handle_custom_msg({"kind": "bad_arg", "id": "r3", "zone": "z?"}, [])
    wait_for(lambda: len(panel.sent) == 2, timeout=5.0)
    assert panel.sent[1]["error"] == "unknown zone 'z?'"


def test_unknown_requests_and_unexpected_arguments_get_an_error_answer(panel):
    panel._handle_custom_msg({"kind": "nope", "id": "r4"}, [])
    wait_for(lambda: panel.sent, timeout=5.0)
    assert panel.sent[0]["ok"] is False and "nope" in panel.sent[0]["error"]
    panel._handle_custom_msg({"kind": "echo", "id": "r5", "value": 1, "extra": 2}, [])
    wait_for(lambda: len(panel.sent) == 2, timeout=5.0)
    assert panel.sent[1]["ok"] is False and "extra" in panel.sent[1]["error"]


def test_alerts_are_bounded_and_thread_safe(panel):
    threads = [threading.Thread(target=panel.add_alert, args=(f"m{i}",)) for i in range(50)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert len(panel.alerts) == 20
    assert len({a["id"] for a in panel.alerts}) == 20


def test_unknown_keyword_arguments_fail_loudly():
    with pytest.raises(TypeError, match="colour"):
        Echo(colour="red")


def test_repr_and_static_fallbacks_are_stable():
    w = Echo()
    assert repr(w) == "<Echo: 2 things>"
    data, _meta = w._repr_mimebundle_()
    assert data["text/plain"] == "<Echo: 2 things>"
    assert "&lt;Echo: 2 things&gt;" in data["text/html"]
    assert "application/vnd.jupyter.widget-view+json" in data
    w.close()


def test_missing_bundle_explains_how_to_build(tmp_path, monkeypatch):
    monkeypatch.setattr("cswidgets.widgets.shared.panel.STATIC", tmp_path)
    src = bundle("nope")
    assert isinstance(src, str) and "npm run build" in src


def test_concurrent_alerts_and_dismiss_messages_lose_nothing_and_dismiss_the_right_one(panel):
    """Python is the only writer of ``alerts``: alerts added from many threads while the view's
    dismiss messages arrive are all kept, and exactly the dismissed ones go."""
    for i in range(10):
        panel.add_alert(f"old {i}")
    old = list(panel.alerts)
    doomed = [a["id"] for a in old[::2]]
    start = threading.Barrier(3)

    def add(tag):
        start.wait()
        for i in range(5):
            panel.add_alert(f"{tag} {i}")

    def dismiss():
        start.wait()
        for n, alert_id in enumerate(doomed):
            panel._handle_custom_msg({"kind": "dismiss_alert", "id": f"d{n}", "alert": alert_id}, [])

    threads = [threading.Thread(target=add, args=("a",)), threading.Thread(target=add, args=("b",)),
               threading.Thread(target=dismiss)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(10)
    shown = {a["message"] for a in panel.alerts}
    assert shown == {a["message"] for a in old[1::2]} | {f"{t} {i}" for t in "ab" for i in range(5)}
    replies = [m for m in panel.sent if m.get("kind") == "reply"]
    assert len(replies) == 5 and all(m["ok"] and m["result"] == {"dismissed": True} for m in replies)
    panel._handle_custom_msg({"kind": "dismiss_alert", "id": "again", "alert": doomed[0]}, [])
    assert panel.sent[-1]["result"] == {"dismissed": False} and len(panel.alerts) == 15


def test_missing_stylesheet_is_a_css_comment(tmp_path, monkeypatch):
    monkeypatch.setattr("cswidgets.widgets.shared.panel.STATIC", tmp_path)
    css = stylesheet("nope")
    assert isinstance(css, str) and css.startswith("/*") and css.endswith("*/") and "npm run build" in css


@pytest.mark.parametrize(("panel", "name", "styled"), [
    ("cswidgets.widgets.studio_table:StudioTable", "studio_table", True),
    ("cswidgets.widgets.conflicts:ConflictViewer", "conflicts", True),
    ("cswidgets.widgets.template_builds:TemplateBuilds", "template_builds", True),
    ("cswidgets.widgets.activity.panel:ActivityPanel", "activity", True),
    ("cswidgets.widgets.future_progress:FutureProgress", "future_progress", False),  # the theme only
])
def test_each_panel_loads_its_own_built_bundle_and_stylesheet(panel, name, styled):
    """js/<name>/index.js is built into static/<name>.js (+ .css): the panel sends those to the page."""
    module, cls = panel.split(":")
    klass = getattr(importlib.import_module(module), cls)
    assert str(klass._esm) == (STATIC / f"{name}.js").read_text()
    if styled:
        assert str(klass._css) == (STATIC / f"{name}.css").read_text()
    else:
        assert not (STATIC / f"{name}.css").exists() and not hasattr(klass, "_css")
