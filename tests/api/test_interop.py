"""Interop with the official client: futures made from a client, the notebook's project, the public raw call
(same transport: read-only retries, long deadline for actions, scrubbed errors, bad input refused before any
request) and the way back to a ``dataikuapi.DSSClient``."""

from __future__ import annotations

import sys
import types

import pytest

import cswidgets.api as api
from cswidgets.api import assumptions
from cswidgets.api.interop import api_path

from .conftest import ADMIN_KEY


# --- futures from a client (the official signature) -------------------------------------------------------
def test_future_from_resp_takes_the_client_like_the_official_one(client):
    tid = client.list_code_studio_templates()[0].id
    resp = client.perform_json("POST", f"/admin/code-studios/{tid}/build", params={"withNoCache": False})
    future = api.DSSFuture.from_resp(client, resp)
    assert future.client is client
    assert future.job_id == resp["jobId"]
    future.wait_for_result(timeout=30)
    assert future.done and future.error is None
    # and the constructor, as DSSFuture(client, job_id) is called
    again = api.Future(client, resp["jobId"])
    assert again.client is client and again.done  # one outcome per job and connection


def test_future_refuses_a_foreign_client_with_the_fix(official):
    with pytest.raises(TypeError, match=r"cswidgets.connect\(client=dss_client\)"):
        api.Future.from_resp(official, {"jobId": "abc"})


def test_get_result_wait_if_needed(client):
    assert api.Future.get_result_wait_if_needed(client, {"result": {"n": 1}}) == {"n": 1}
    tid = client.list_code_studio_templates()[0].id
    resp = client.perform_json("POST", f"/admin/code-studios/{tid}/build")
    waited = api.Future.get_result_wait_if_needed(client, resp)  # the started task, waited for
    other = client.perform_json("POST", f"/admin/code-studios/{tid}/build")
    direct = client.get_future(other["jobId"]).wait_for_result(timeout=30)
    assert isinstance(waited, dict) and waited == direct  # a build's result, as the future gives it


# --- the notebook's project --------------------------------------------------------------------------------
def test_get_default_project_reads_the_dss_variable(client, monkeypatch):
    monkeypatch.setitem(sys.modules, "dataiku", None)  # outside DSS: no dataiku package
    monkeypatch.setenv("DKU_CURRENT_PROJECT_KEY", "SALES_FORECAST")
    project = client.get_default_project()
    assert isinstance(project, api.DSSProject)
    assert project.project_key == "SALES_FORECAST"
    assert [c.id for c in project.list_code_studios()] == [
        c.id for c in client.get_project("SALES_FORECAST").list_code_studios()]


def test_get_default_project_outside_a_project_says_what_to_do(client, monkeypatch):
    monkeypatch.setitem(sys.modules, "dataiku", None)
    monkeypatch.delenv("DKU_CURRENT_PROJECT_KEY", raising=False)
    with pytest.raises(api.DSSConfigError, match=r"DKU_CURRENT_PROJECT_KEY is not set.*get_project\(PROJECT_KEY\)"):
        client.get_default_project()


def test_get_default_project_asks_the_dataiku_package_first(client, monkeypatch):
    fake = types.ModuleType("dataiku")
    fake.default_project_key = lambda: "FROM_REMOTE_RUN_ENV"
    monkeypatch.setitem(sys.modules, "dataiku", fake)
    monkeypatch.setenv("DKU_CURRENT_PROJECT_KEY", "FROM_ENVIRON")
    assert client.get_default_project().project_key == "FROM_REMOTE_RUN_ENV"

    def unset():
        raise Exception("Default project key is not specified (no DKU_CURRENT_PROJECT_KEY in env)")

    fake.default_project_key = unset
    assert client.get_default_project().project_key == "FROM_ENVIRON"


# --- the raw call -------------------------------------------------------------------------------------------
def test_perform_json_answers_like_the_official_private_call(client, official):
    assert client.perform_json("GET", "/projects/") == official._perform_json("GET", "/projects/")
    pk = client.list_project_keys()[0]
    ours = client.perform_json("GET", ["projects", pk, "code-studios", ""])
    assert ours == official._perform_json("GET", f"/projects/{pk}/code-studios/")
    assert client._perform_json("GET", "/projects/") == client.list_projects()  # code written for dataikuapi
    with pytest.raises(TypeError, match="files"):
        client._perform_json("POST", "/admin/code-studios/import", files={"file": b"zip"})


def _flaky(stub, method, path, failures, ok_body):
    calls = []

    def handler(_req):
        calls.append(1)
        return (503, {"message": "busy"}, {}) if len(calls) <= failures else (200, ok_body, {})

    stub.routes[(method, path)] = handler
    return calls


def test_perform_json_retries_reads_only(stub, stub_client):
    reads = _flaky(stub, "GET", "/projects/", 1, [{"projectKey": "A"}])
    assert stub_client.perform_json("GET", "/projects/") == [{"projectKey": "A"}]
    assert len(reads) == 2  # retried once
    writes = _flaky(stub, "POST", "/projects/A/code-studios/x/stop", 1, {})
    with pytest.raises(api.DSSError) as info:
        stub_client.perform_json("POST", "/projects/A/code-studios/x/stop")
    assert info.value.status == 503 and len(writes) == 1  # never resent
    pulls = _flaky(stub, "GET", "/projects/A/code-studios/x/pull/z1", 1, {})
    with pytest.raises(api.DSSError):
        stub_client.perform_json("GET", "/projects/A/code-studios/x/pull/z1")
    assert len(pulls) == 1  # a GET with side effects is not retried either
    results = _flaky(stub, "GET", "/futures/j1", 1, {"hasResult": True})
    with pytest.raises(api.DSSError):
        stub_client.perform_json("GET", "/futures/j1", params={"peek": False})
    assert len(results) == 1  # the consuming fetch of a result
    peeks = _flaky(stub, "GET", "/futures/j2", 1, {"alive": True})
    assert stub_client.perform_json("GET", "/futures/j2", params={"peek": True}) == {"alive": True}
    assert len(peeks) == 2


def test_perform_json_errors_are_scrubbed(stub, stub_client):
    stub.route("GET", "/projects/X/variables/", 500, {"errorType": "Boom", "message": f"bad key {ADMIN_KEY}"})
    with pytest.raises(api.DSSError) as info:
        stub_client.perform_json("GET", "/projects/X/variables/")
    assert ADMIN_KEY not in str(info.value) and ADMIN_KEY not in repr(info.value.body)
    assert info.value.error_type == "Boom"


@pytest.mark.parametrize(("method", "where", "message"), [
    ("FETCH", "/projects/", "method must be one of"),
    ("GET", "projects/", "single '/'"),
    ("GET", "//evil.example/x", "single '/'"),
    ("GET", "/projects/../admin/users/", r"'\.\.' segments"),
    ("GET", "/projects/%2e%2e/admin/", r"'\.\.' segments"),
    ("GET", "/projects/?includeLocation=true", "params="),
    ("GET", "/projects/A B/", "spaces"),
    ("GET", ["projects", ".."], "must not be '..'"),
    ("GET", [], "non-empty sequence"),
    ("POST", "/projects/", None),  # idempotent=True on a write, below
])
def test_perform_json_refuses_bad_input_before_any_request(stub, stub_client, method, where, message):
    if message is None:
        with pytest.raises(ValueError, match="only a GET or HEAD can be retried"):
            stub_client.perform_json(method, where, idempotent=True)
    else:
        with pytest.raises(ValueError, match=message):
            stub_client.perform_json(method, where)
    assert stub.log == []


def test_segments_are_quoted_one_by_one():
    assert api_path(["projects", "A B/C", "code-studios", ""]) == "/projects/A%20B%2FC/code-studios/"
    assert api_path("/projects/A%2FB/code-studios/") == "/projects/A%2FB/code-studios/"
    assert api_path("/projects/é/") == "/projects/%C3%A9/"


@pytest.mark.parametrize(("method", "path", "params", "policy"), [
    ("GET", "/projects/", None, (True, False)),
    ("HEAD", "/projects/", None, (True, False)),
    ("POST", "/projects/P/code-studios/s1/stop", None, (False, True)),
    ("POST", "/projects/P/code-studios/s1/restart", None, (False, True)),
    ("GET", "/projects/P/code-studios/s1/pull/z", None, (False, True)),
    ("GET", "/projects/P/code-studios/s1/push/z", None, (False, True)),
    ("GET", "/projects/P/code-studios/s1/conflicts/z", None, (True, False)),
    ("POST", "/admin/code-studios/t1/build", None, (False, True)),
    ("POST", "/admin/code-studios/import", None, (False, True)),
    ("GET", "/futures/j", {"peek": True}, (True, False)),
    ("GET", "/futures/j", {"peek": "true"}, (True, False)),
    ("GET", "/futures/j", None, (False, False)),
    ("DELETE", "/admin/code-studios/t1", None, (False, False)),
])
def test_raw_call_policy(method, path, params, policy):
    assert assumptions.raw_call_policy(method, path, params) == policy


# --- back to the official client ----------------------------------------------------------------------------
def test_to_dataikuapi_keeps_the_settings(sim, tmp_path):
    import dataikuapi

    bundle = tmp_path / "ca.pem"
    bundle.write_text("not read here\n")
    with api.connect(sim.url, ADMIN_KEY, verify=str(bundle)) as ours:
        dss = ours.to_dataikuapi()
        assert isinstance(dss, dataikuapi.DSSClient)
        assert dss.host == sim.url and dss.api_key == ADMIN_KEY
        assert dss._session.verify == str(bundle)
    with api.connect(sim.url, ADMIN_KEY) as ours:
        dss = ours.to_dataikuapi()
        assert dss.list_project_keys() == ours.list_project_keys()  # it works on the same DSS
    with api.connect(sim.url, ticket="TICKET-123") as by_ticket:
        dss = by_ticket.to_dataikuapi()
        assert dss.internal_ticket == "TICKET-123" and dss.api_key is None


def test_to_dataikuapi_without_the_official_client(client, monkeypatch):
    monkeypatch.setitem(sys.modules, "dataikuapi", None)
    with pytest.raises(ImportError, match="pip install dataiku-api-client"):
        client.to_dataikuapi()
