"""Issue 23 (hostile server, round two), what the panels make of hostile answers: a key echoed in a 200 never
reaches synced state, static HTML or the activity file (1); a write DSS accepted with an answer not understood
is never "failed" and the panel's reply fields stay its own (5); text that cannot be encoded never blanks the
table and a failed send is an alert (7); a 401 on the studio's project says why the viewer cannot sync (10)."""

from __future__ import annotations

import json

import pytest

import cswidgets.api as api
import tests.api.conftest as api_fixtures
from cswidgets.widgets.activity import ActivityLog
from cswidgets.widgets.conflicts import ConflictViewer
from cswidgets.widgets.studio_table import StudioTable
from cswidgets.widgets.template_builds import TemplateBuilds
from tests.api.conftest import ADMIN_KEY
from tests.support import Recorder, ask, record, wait_for
from tests.widgets import frozen_time

stub = api_fixtures.stub  # the small programmable HTTP server of the API tests
sim, client, tracker = frozen_time.sim, frozen_time.client, frozen_time.tracker  # a frozen-time simulator

TEMPLATE = "tpl_rstudio"


def kernel_encodes(msg: dict) -> None:
    """What the kernel does with a comm message (jupyter_client's JSON packer): fails on a lone surrogate."""
    json.dumps(msg, ensure_ascii=False).encode("utf-8", errors="surrogateescape")


class KernelRecorder(Recorder):
    """A recording ``send`` that encodes each message as the kernel would (and raises as it would)."""

    def __call__(self, msg, buffers=None):
        kernel_encodes(msg)
        super().__call__(msg, buffers)


# -- 1. a key echoed in a 200 answer ---------------------------------------------------------------------------
def test_a_failed_build_echoing_the_key_keeps_it_out_of_state_html_and_the_activity_file(stub, tmp_path):
    stub.route("GET", "/admin/code-studios/", 200, [{"id": "t", "label": "T"}])
    stub.route("GET", "/admin/code-studios/t", 200, {"id": "t", "label": "T", "type": "manual"})
    stub.route("GET", "/futures/", 200, [])
    stub.route("POST", "/admin/code-studios/t/build", 200, {"jobId": "J", "hasResult": False})
    stub.route("GET", "/futures/J", 200, {"hasResult": True, "result": {  # the example, with a 200
        "success": False, "errorMessage": f"docker login failed: {ADMIN_KEY}"}})
    log_path = tmp_path / "activity.jsonl"
    client_ = api.connect(stub.url, ADMIN_KEY, timeout=(2, 5), retries=0)
    with api.FutureTracker(max_interval=0.1) as tracker_:
        panel = TemplateBuilds(client_, tracker=tracker_, activity_log=ActivityLog(path=log_path))
        record(panel)
        try:
            assert ask(panel, "build", template_ids=["t"])["ok"]
            assert panel.wait(10) == {"t": "failed"}
            state = json.dumps(panel.get_state(), default=str)
            assert "docker login failed: ***" in state  # DSS's message is shown, scrubbed
            sent = json.dumps(list(panel.send), default=str)
            for text in (state, panel._static_html(), repr(panel), log_path.read_text(), sent):
                assert ADMIN_KEY not in text
        finally:
            panel.close()
            client_.close()


# -- 5. accepted, answer not understood ----------------------------------------------------------------------
def test_a_build_accepted_with_a_numeric_job_id_is_followed_never_failed(sim, client, tracker):
    panel = TemplateBuilds(client, tracker=tracker)
    record(panel)
    real_json = client._transport.json

    def numeric_job_id(method, path, **kwargs):
        answer = real_json(method, path, **kwargs)  # DSS starts the build...
        return {"jobId": 42} if path.endswith("/build") else answer  # ...and answers a number for its id

    client._transport.json = numeric_job_id
    try:
        sim.clear_requests()
        reply = ask(panel, "build", template_ids=[TEMPLATE])
        assert reply["ok"] and reply["result"] == {"started": [TEMPLATE], "failed": []}, reply
        assert sum(1 for r in sim.requests if r.method == "POST" and r.path.endswith("/build")) == 1
        assert not [a for a in panel.alerts if "failed" in a["message"].lower()]
        assert set(panel.running) == {TEMPLATE}  # found among DSS's running tasks: a second click is refused
        assert all(e["outcome"] != "failed" for e in panel.activity)
    finally:
        client._transport.json = real_json
        panel.close()


@pytest.fixture
def viewer_studio():
    from cswidgets.sim import Simulator

    with Simulator(scenario="demo", api_key="k", seed=0, speed=200) as s:
        c = api.connect(s.url, "k")
        pk = s.add_project("HOSTILE")
        sid = s.add_studio(pk, "Hostile", "admin", "tpl_vscode", state="RUNNING")
        yield s, c, c.get_project(pk).get_code_studio(sid)
        c.close()


ZONE = "project-lib-versioned"


@pytest.mark.parametrize(("answer", "outcome"), [
    ({"count": 2, "size": 10, "outcome": "failed", "text": "evil", "op": "pull", "after": None}, "done"),
    ("OK", "unknown"),
])
def test_a_push_answer_never_overrides_the_reply_nor_makes_it_failed(viewer_studio, answer, outcome):
    _sim, client_, studio = viewer_studio
    real_json = client_._transport.json

    def odd_push(method, path, **kwargs):
        result = real_json(method, path, **kwargs)
        return answer if "/push/" in path else result

    client_._transport.json = odd_push
    viewer = ConflictViewer(studio)
    try:
        result = viewer.push(ZONE, force=True)
        assert result["outcome"] == outcome and result["op"] == "push", result
        if outcome == "done":
            assert result["text"].startswith("Pushed 2 files") and result["after"] is not None
        assert viewer.activity[-1]["outcome"] == outcome
    finally:
        client_._transport.json = real_json
        viewer.close()


# -- 7. text that cannot be encoded ----------------------------------------------------------------------------
def _studio_routes(stub):
    stub.route("GET", "/projects/", 200, [{"projectKey": "P"}])
    stub.route("GET", "/projects/P/code-studios/", 200,
               '[{"id": "s1", "name": "bad \\ud800 name", "owner": "bob", "templateId": "t"}]')
    stub.route("GET", "/projects/P/code-studios/s1/status", 200, {"state": "RUNNING"})


def test_a_lone_surrogate_in_a_studio_name_never_blanks_the_table(stub):
    _studio_routes(stub)
    client_ = api.connect(stub.url, ADMIN_KEY, timeout=(2, 5), retries=0)
    table = StudioTable(client_, live=False)
    table.send = KernelRecorder()
    try:
        reply = ask(table, "snapshot")  # what a view asks when it renders: it never stays on "Loading…"
        assert [r.get("name") for r in reply["result"]["rows"]] == ["bad \ufffd name"]
    finally:
        table.close()
        client_.close()


def test_a_failed_send_to_the_front_end_is_an_alert(stub):
    _studio_routes(stub)
    client_ = api.connect(stub.url, ADMIN_KEY, timeout=(2, 5), retries=0)
    table = StudioTable(client_, live=False)

    def broken(msg, buffers=None):
        raise UnicodeEncodeError("utf-8", "x", 0, 1, "surrogates not allowed")

    table.send = broken
    stub.route("GET", "/projects/P/code-studios/", 200, '[{"id": "s1", "name": "n"}, {"id": "s2", "name": "new"}]')
    stub.route("GET", "/projects/P/code-studios/s2/status", 200, {"state": "STOPPED"})
    try:
        table.refresh()  # a new studio: a rows message the browser never gets
        alert = wait_for(lambda: [a for a in table.alerts if "Could not send the rows" in a["message"]], 10,
                         "an alert about the failed send")
        assert alert[0]["level"] == "error"
    finally:
        table.close()
        client_.close()


# -- 10. a 401 on the studio's project -------------------------------------------------------------------------
def test_the_viewer_says_why_it_cannot_sync_a_studio_of_a_project_it_cannot_read(stub):
    stub.route("GET", "/projects/SECRET/code-studios/x/status", 401, {
        "errorType": "com.dataiku.dip.exceptions.UnauthorizedException",
        "message": "Failed to read project permissions"})
    client_ = api.connect(stub.url, ADMIN_KEY, timeout=(2, 5), retries=0)
    viewer = ConflictViewer(client_.get_project("SECRET").get_code_studio("x"))
    try:
        message = wait_for(lambda: viewer.studio_view.get("message") if "access" in str(viewer.studio_view) else None,
                           10, "the viewer's message")
        assert "no access to project SECRET" in message and "state None" not in message
        assert not any("check DKU_DSS_URL" in a["message"] for a in viewer.alerts)
    finally:
        viewer.close()
        client_.close()


def test_the_activity_file_takes_any_text_and_a_stop_still_finishes(tmp_path):
    """Were a text no encoder takes to reach it (the gate replaces them where DSS text enters), a line of the
    activity file still gets written and the action still ends: it never stays "running"."""
    path = tmp_path / "activity.jsonl"
    log = ActivityLog(path=path)
    entry = log.begin(what="stop", studio="bad \ud800 name")
    assert log.finish(entry, "done")["outcome"] == "done"
    lines = path.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 2 and json.loads(lines[-1])["outcome"] == "done"
