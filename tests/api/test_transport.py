"""Transport against a stub server: error mapping, odd bodies, auth headers, quoting, timeouts."""

from __future__ import annotations

import base64
import logging
import pickle

import pytest

import cswidgets.api as api
from cswidgets.api.transport import Auth

from .conftest import ADMIN_KEY


@pytest.mark.parametrize("status", [401, 403, 404, 500])
def test_dss_error_body_is_kept(stub, stub_client, status):
    body = {"errorType": "com.dataiku.X", "message": "short", "detailedMessage": "long explanation"}
    stub.route("GET", "/projects/", status, body)
    with pytest.raises(api.DSSError) as info:
        stub_client.list_projects()
    err = info.value
    assert (err.status, err.error_type, err.message, err.detailed_message) == (
        status,
        "com.dataiku.X",
        "short",
        "long explanation",
    )
    assert err.method == "GET"
    assert err.path == "/projects/"
    assert f"HTTP {status}" in str(err)
    assert "long explanation" in str(err)


def test_non_json_error_gives_readable_message(stub, stub_client):
    stub.route("GET", "/projects/", 502, "<html><body><h1>502 Bad   Gateway</h1>\n</body></html>")
    with pytest.raises(api.DSSError) as info:
        api.connect(stub.url, ADMIN_KEY, retries=0).list_projects()
    err = info.value
    assert err.status == 502
    assert err.error_type == "Unknown error"
    assert "502 Bad Gateway" in err.message


def test_empty_and_odd_error_bodies(stub, stub_client):
    stub.route("GET", "/projects/", 409, b"")
    with pytest.raises(api.DSSError) as info:
        stub_client.list_projects()
    assert info.value.message == "CONFLICT"
    stub.route("GET", "/projects/", 400, ["not", "an", "object"])
    with pytest.raises(api.DSSError) as info:
        stub_client.list_projects()
    assert "not" in info.value.message
    stub.route("GET", "/projects/", 400, {"errorType": "X"})
    with pytest.raises(api.DSSError) as info:
        stub_client.list_projects()
    assert info.value.message


def test_invalid_json_success_is_an_error(stub, stub_client):
    stub.route("GET", "/projects/", 200, "{oops")
    with pytest.raises(api.DSSError, match="invalid JSON"):
        stub_client.list_projects()


def test_api_key_is_sent_as_basic_user(stub, stub_client):
    stub.route("GET", "/projects/", 200, [])
    stub_client.list_projects()
    auth = stub.log[-1]["headers"]["Authorization"]
    assert base64.b64decode(auth.split()[1]).decode() == f"{ADMIN_KEY}:"


def test_ticket_header(stub):
    stub.route("GET", "/projects/", 200, [])
    client = api.connect(env={"DKU_API_TICKET": "TICKET-abcdef", "DKU_BACKEND_PORT": stub.url.rsplit(":", 1)[1]})
    client.list_projects()
    assert stub.log[-1]["headers"]["X-Dku-Apiticket"] == "TICKET-abcdef"
    assert "Authorization" not in stub.log[-1]["headers"]
    client.close()


def test_echoed_key_is_scrubbed_from_errors(stub, stub_client, caplog):
    b64 = base64.b64encode(f"{ADMIN_KEY}:".encode()).decode()
    stub.route(
        "GET",
        "/projects/",
        401,
        {"errorType": "Auth", "message": f"bad key {ADMIN_KEY}", "detailedMessage": f"header Basic {b64}"},
    )
    caplog.set_level(logging.DEBUG)
    with pytest.raises(api.DSSError) as info:
        stub_client.list_projects()
    err = info.value
    for text in (str(err), repr(err), str(err.body), err.message, err.detailed_message, caplog.text):
        assert ADMIN_KEY not in text
        assert b64 not in text
    assert "***" in err.message
    # an unpickled copy keeps the fields
    copy = pickle.loads(pickle.dumps(err))
    assert (copy.status, copy.error_type, str(copy)) == (401, "Auth", str(err))


def test_auth_object_hides_secret():
    auth = Auth("api_key", ADMIN_KEY)
    assert ADMIN_KEY not in repr(auth)
    assert ADMIN_KEY not in str(auth)
    with pytest.raises(TypeError):
        pickle.dumps(auth)
    with pytest.raises(ValueError):
        Auth("api_key", "")
    with pytest.raises(ValueError):
        Auth("password", "x")


def test_connection_refused_is_a_connection_error():
    client = api.connect("http://127.0.0.1:9", ADMIN_KEY, retries=0, timeout=(1, 1))
    with pytest.raises(api.DSSConnectionError) as info:
        client.list_projects()
    assert info.value.status is None
    assert ADMIN_KEY not in str(info.value)


def test_read_timeout_on_every_call(stub):
    import time

    def slow(_req):
        time.sleep(1.0)
        return 200, [], {}

    stub.routes[("GET", "/projects/")] = slow
    stub.routes[("POST", "/projects/P/code-studios/x/stop")] = slow
    client = api.connect(stub.url, ADMIN_KEY, timeout=(1, 0.2), retries=1)
    t0 = time.monotonic()
    with pytest.raises(api.DSSConnectionError):
        client.list_projects()
    assert time.monotonic() - t0 < 1.5
    assert len([r for r in stub.log if r["path"] == "/projects/"]) == 2  # read: retried once
    client.close()


def test_long_writes_wait_past_the_read_timeout(stub):
    """Stop, restart, pull, push and build wait past the read timeout (up to ``write_timeout``, 15 minutes by
    default); a small ``write_timeout`` cuts them, and they are sent once."""
    import time

    def slow(_req):
        time.sleep(0.6)
        return 200, {"jobId": "j1", "hasResult": False}, {}

    for method, path in [("POST", "/projects/P/code-studios/x/stop"), ("POST", "/projects/P/code-studios/x/restart"),
                         ("GET", "/projects/P/code-studios/x/pull/z"), ("GET", "/projects/P/code-studios/x/push/z"),
                         ("POST", "/admin/code-studios/t/build")]:
        stub.routes[(method, path)] = slow
    client = api.connect(stub.url, ADMIN_KEY, timeout=(1, 0.2), retries=1)
    studio = client.get_project("P").get_code_studio("x")
    assert studio.stop().job_id == "j1"
    assert studio.restart().job_id == "j1"
    studio.pull_from_code_studio("z")
    studio.push_to_code_studio("z")
    assert client.get_code_studio_template("t").build().job_id == "j1"
    client.close()

    bounded = api.connect(stub.url, ADMIN_KEY, timeout=(1, 0.2), write_timeout=0.3, retries=1)
    before = len(stub.log)
    t0 = time.monotonic()
    # the read timeout and the deadline's watchdog (which now watches the headers too) end it at the same time
    with pytest.raises(api.DSSOutcomeUnknownError, match=r"[Rr]ead timed out|deadline of 0.3 s"):
        bounded.get_project("P").get_code_studio("x").stop()
    assert time.monotonic() - t0 < 0.55
    assert len(stub.log) - before == 1  # an action is sent once, never retried
    bounded.close()


def test_write_timeout_is_checked():
    with pytest.raises(ValueError, match="write_timeout"):
        api.connect("http://127.0.0.1:9", ADMIN_KEY, write_timeout=0)


def test_reads_retried_actions_not_on_stub(stub):
    stub.route("GET", "/projects/P/code-studios/", 503, {"message": "busy"})
    stub.route("GET", "/projects/P/code-studios/x/push/z", 503, {"message": "busy"})
    client = api.connect(stub.url, ADMIN_KEY, retries=2)
    client._transport._read.adapters["http://"].max_retries.backoff_factor = 0  # keep the test fast
    with pytest.raises(api.DSSError):
        client.get_project("P").list_code_studios()
    with pytest.raises(api.DSSError):
        client.get_project("P").get_code_studio("x").push_to_code_studio("z")
    paths = [r["path"] for r in stub.log]
    assert paths.count("/projects/P/code-studios/") == 3
    assert paths.count("/projects/P/code-studios/x/push/z") == 1
    client.close()


HOSTILE = ["a/b", "q?x=1", "h#frag", "100%", "a+b", "with space", "ünï©ødé-键", "%2F", "..a", "&=;"]


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_ids_are_one_segment(stub, stub_client, value):
    stub.route("GET", f"/projects/{value}/code-studios/{value}/conflicts/{value}", 200, {})
    stub.route("POST", f"/projects/{value}/code-studios/{value}/change-owner", 200, {"ok": True})
    studio = stub_client.get_project(value).get_code_studio(value)
    assert studio.check_conflicts(value).get_raw() == {}
    assert studio.change_owner(value) == {"ok": True}
    assert stub.log[-1]["query"] == {"newOwner": [value]}


@pytest.mark.parametrize("bad", ["", "   ", None, 5, b"x", "a\x00b", "tab\there", ".", "..", "x" * 1001])
def test_malformed_ids_raise_before_any_request(stub, stub_client, bad):
    project = stub_client.get_project("P")
    studio = project.get_code_studio("S")
    calls = [
        lambda: stub_client.get_project(bad),
        lambda: project.get_code_studio(bad),
        lambda: studio.check_conflicts(bad),
        lambda: studio.pull_from_code_studio(bad),
        lambda: studio.push_to_code_studio(bad),
        lambda: stub_client.get_code_studio_template(bad),
        lambda: stub_client.get_future(bad),
        lambda: project.create_code_studio("name", bad),
        lambda: stub_client.studios_frame([bad]),
    ]
    for call in calls:
        with pytest.raises(ValueError):
            call()
    if bad not in (".", "..") and not (isinstance(bad, str) and len(bad) > 1000):
        with pytest.raises(ValueError):
            studio.change_owner(bad)
        with pytest.raises(ValueError):
            project.create_code_studio(bad, "tpl")
    assert stub.log == []


def test_reprs_never_show_the_key(stub, stub_client):
    stub.route("GET", "/projects/P/code-studios/x/status", 200, {"state": "RUNNING"})
    objs = [
        stub_client,
        stub_client._transport,
        stub_client._transport.auth,
        stub_client.get_project("P"),
        stub_client.get_project("P").get_code_studio("x"),
        stub_client.get_project("P").get_code_studio("x").get_status(),
        stub_client.tracker,
        stub_client.get_future("job1"),
    ]
    for obj in objs:
        assert ADMIN_KEY not in repr(obj)
        assert ADMIN_KEY not in str(obj)
    assert repr(stub_client) == f"Client(url={stub.url!r}, auth='api_key')"
