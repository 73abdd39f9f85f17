"""Future answers the simulator does not produce (assumptions variants), served by the stub server."""

from __future__ import annotations

import pytest

import cswidgets.api as api


def test_dead_future_without_error_raises(stub, stub_client):
    stub.route("GET", "/futures/j1", 200, {"jobId": "j1", "alive": False, "hasResult": False})
    with pytest.raises(api.DSSFutureError, match="ended without a result") as info:
        stub_client.get_future("j1").wait_for_result(timeout=5)
    assert not info.value.aborted
    peeks = [r["query"]["peek"][0] for r in stub.log]
    assert peeks == ["True", "False"]


def test_aborted_state_without_http_error(stub, stub_client):
    stub.route("GET", "/futures/j2", 200, {"jobId": "j2", "alive": False, "hasResult": False, "aborted": True})
    fut = stub_client.get_future("j2")
    with pytest.raises(api.DSSFutureError, match="aborted"):
        fut.wait_for_result(timeout=5)
    assert fut.aborted


def test_unknown_future_as_404(stub, stub_client):
    stub.route("GET", "/futures/j3", 404, {"errorType": "NotFound", "message": "no such future"})
    with pytest.raises(api.DSSFutureError, match="unknown"):
        stub_client.get_future("j3").wait_for_result(timeout=5)
    assert len(stub.log) == 1  # a 404 is not retried


def test_state_without_alive_keeps_polling_until_result(stub, stub_client):
    answers = iter([{"hasResult": False}, {"hasResult": False}, {"hasResult": True}, {"hasResult": True, "result": 7}])
    stub.routes[("GET", "/futures/j4")] = lambda _req: (200, next(answers), {})
    assert stub_client.get_future("j4").wait_for_result(timeout=5) == 7
    assert [r["query"]["peek"][0] for r in stub.log] == ["True", "True", "True", "False"]


def test_peek_5xx_without_future_fields_is_transient(stub):
    client = api.connect(stub.url, "SECRET-KEY-1234567890", retries=0)
    answers = iter([(503, {"message": "busy"}), (200, {"hasResult": True}), (200, {"hasResult": True, "result": 1})])
    stub.routes[("GET", "/futures/j5")] = lambda _req: (*next(answers), {})
    fut = client.get_future("j5")
    with pytest.raises(api.DSSError) as info:
        fut.peek_state()
    assert not isinstance(info.value, api.DSSFutureError)
    assert not fut.done
    assert fut.wait_for_result(timeout=5) == 1
    client.close()


def test_result_wrapper_and_inline_result(stub, stub_client):
    fut = api.Future.from_resp(stub_client._transport, {"hasResult": True, "result": {"n": 2}}, lambda r: r["n"])
    assert fut.done
    assert fut.get_result() == 2
    assert fut.wait_for_result() == 2
    assert stub.log == []


def test_template_creation_error_messages(stub, stub_client):
    stub.route(
        "POST", "/admin/code-studios/", 200, {"messages": {"error": True, "messages": [{"message": "bad type"}]}}
    )
    with pytest.raises(api.DSSError, match="bad type"):
        stub_client.create_code_studio_template("x", "nope")
    stub.route("POST", "/admin/code-studios/", 200, b"")
    with pytest.raises(api.DSSError, match="no data"):
        stub_client.create_code_studio_template("x", "nope")


def test_label_fallbacks(stub, stub_client):
    stub.route("GET", "/projects/P/code-studios/", 200, [{"id": "s1", "name": "n", "owner": "o", "templateId": "tpl"}])
    stub.route("GET", "/admin/code-studios/", 200, [{"id": "t1", "desc": {"label": "From desc"}}, {"id": "t2"}])
    item = stub_client.get_project("P").list_code_studios()[0]
    assert item.template_label == "tpl"  # dataikuapi would say "s1"
    assert item.template_description == ""
    labels = [t.label for t in stub_client.list_code_studio_templates()]
    assert labels == ["From desc", "t2"]
