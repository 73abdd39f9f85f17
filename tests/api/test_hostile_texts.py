"""Issue 23 (hostile server, round two), the texts DSS sends: one gate scrubs secrets whatever the status (1),
replaces what cannot be encoded (7), conflict lists keep their files whole (8), per-project refusals are not a
bad key (10), an HTML page is named (11), credentials in the URL are refused (12), JSON is UTF-8 with or
without a BOM whatever the Content-Type (14)."""

from __future__ import annotations

import base64
import json

import pytest

import cswidgets.api as api
from cswidgets.api.config import connect
from cswidgets.api.transport import Auth, Transport
from cswidgets.api.waiting import future_outcome
from cswidgets.widgets.conflicts.zones import checked_entry, confirmation_text
from cswidgets.widgets.shared.errors import AUTH_HINT, describe, why_not_loaded

from .conftest import ADMIN_KEY
from .rawserver import raw_server

BASIC = base64.b64encode(f"{ADMIN_KEY}:".encode()).decode()
STUDIO = "/projects/P/code-studios/x"


def no_secret(*values: object) -> None:
    for value in values:
        text = value if isinstance(value, str) else json.dumps(value, default=repr)
        assert ADMIN_KEY not in text and BASIC not in text, text[:300]


# -- 1. secrets in the texts of 200 answers ------------------------------------------------------------------
def test_a_failed_result_of_a_200_answer_is_scrubbed(stub, stub_client):
    stub.route("GET", "/futures/j1", 200, {"hasResult": True, "result": {
        "success": False, "errorMessage": f"docker login failed with {ADMIN_KEY}", "log": f"auth {BASIC}"}})
    future = stub_client.get_future("j1")
    future.wait_for_result(timeout=5)
    status, message = future_outcome(future)
    assert status == "failed" and "docker login failed with ***" in message
    no_secret(message, future.result, future.state, repr(future))


def test_a_dead_task_state_echoing_the_key_is_scrubbed_in_the_error(stub, stub_client):
    stub.route("GET", "/futures/j2", 200, {"hasResult": False, "alive": False, "aborted": False,
                                           "message": f"killed: key {ADMIN_KEY}"})
    future = stub_client.get_future("j2")
    with pytest.raises(api.DSSFutureError) as info:
        future.wait_for_result(timeout=5)
    err = info.value
    assert err.dss_message == "killed: key ***"
    no_secret(str(err), repr(err), err.dss_message, err.body, future.state)


def test_a_conflicts_error_echoing_the_key_is_scrubbed(stub, stub_client):
    stub.route("GET", f"{STUDIO}/conflicts/z", 200, {"error": f"zone z unknown for {ADMIN_KEY}"})
    check = stub_client.get_project("P").get_code_studio("x").check_conflicts("z")
    entry, _full = checked_entry({"id": "z", "zone": "code_studio_versioned"}, check)
    assert entry["status"] == "error" and "zone z unknown for ***" in entry["error"]
    no_secret(check.error, check.get_raw(), entry)


def test_a_key_hidden_behind_json_escapes_is_scrubbed_too(stub, stub_client):
    escaped = "".join(f"\\u{ord(c):04x}" for c in ADMIN_KEY)  # the same string once decoded
    stub.route("GET", "/projects/", 200, f'[{{"projectKey": "P", "name": "{escaped}"}}]')
    projects = stub_client.list_projects()
    assert projects == [{"projectKey": "P", "name": "***"}]


# -- 7. text that cannot be encoded -----------------------------------------------------------------------------
def test_a_lone_surrogate_or_a_control_character_is_replaced_where_the_text_enters(stub, stub_client):
    stub.route("GET", "/projects/P/code-studios/", 200,
               '[{"id": "s1", "name": "bad \\ud800 name", "owner": "bell\\u0007", "templateLabel": "tab\\tkept"}]')
    [item] = stub_client.get_project("P").list_code_studios()
    raw = item.get_raw()
    assert raw["name"] == "bad \ufffd name" and raw["owner"] == "bell\ufffd" and raw["templateLabel"] == "tab\tkept"
    json.dumps(raw, ensure_ascii=False).encode("utf-8")  # a message to the browser or a log line encodes


def test_an_id_that_held_a_replaced_character_names_nothing(stub, stub_client):
    stub.route("GET", "/projects/P/code-studios/", 200, '[{"id": "s\\ud800", "name": "x"}, {"id": "ok"}]')
    handles = stub_client.get_project("P").list_code_studios(as_type="objects")
    assert [h.id for h in handles] == ["ok"]  # no handle on an id the server never had


# -- 8. conflict lists of the wrong type ----------------------------------------------------------------------
def test_a_lone_string_in_a_conflict_list_is_one_file_not_its_characters(stub, stub_client):
    stub.route("GET", f"{STUDIO}/conflicts/z", 200, {"z": {"added": "lib/new.py", "authors": "bob",
                                                           "modified": None, "deleted": ["a.py"]}})
    check = stub_client.get_project("P").get_code_studio("x").check_conflicts("z")
    assert check.added == ["lib/new.py"] and check.authors == ["bob"] and check.modified == []
    entry, _full = checked_entry({"id": "z", "zone": "code_studio_versioned"}, check)
    assert entry["added"] == ["lib/new.py"] and entry["authors"] == ["bob"]
    text = confirmation_text("pull", entry) or ""
    assert "lib/new.py" in text and "l, i, b" not in text


@pytest.mark.parametrize("bad", [5, 3.5, {"f": 1}, True, ["ok.py", 7]])
def test_a_conflict_list_that_is_a_number_or_an_object_is_an_error(stub, stub_client, bad):
    stub.route("GET", f"{STUDIO}/conflicts/z", 200, {"z": {"added": bad, "authors": []}})
    check = stub_client.get_project("P").get_code_studio("x").check_conflicts("z")
    with pytest.raises(api.DSSError, match="malformed answer for the added of the conflicts of zone 'z'"):
        check.added  # noqa: B018


# -- 10. a 401 on one project is not a bad key ---------------------------------------------------------------
def test_a_401_on_one_project_says_no_access_to_that_project(stub, stub_client):
    stub.route("GET", "/projects/SECRET/code-studios/", 401, {
        "errorType": "com.dataiku.dip.exceptions.UnauthorizedException",
        "message": "Failed to read project permissions"})
    with pytest.raises(api.DSSError) as info:
        stub_client.get_project("SECRET").list_code_studios()
    message, _detail = describe(info.value)
    assert message.startswith("no access to project SECRET") and AUTH_HINT not in message
    assert why_not_loaded(info.value) == "not loaded — no access to project SECRET"


def test_a_bad_key_is_still_a_bad_key_on_a_project_path(stub, stub_client):
    stub.route("GET", "/projects/P/code-studios/", 401, {
        "errorType": "com.dataiku.dip.exceptions.NotAuthenticatedException", "message": "Unknown API Key"})
    with pytest.raises(api.DSSError) as info:
        stub_client.get_project("P").list_code_studios()
    assert describe(info.value)[0] == AUTH_HINT


# -- 11. an HTML login page ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("page", ["<!DOCTYPE html><html><body><form>Sign in with SSO</form></body></html>",
                                  "\n  <html><head><title>Proxy login</title></head></html>"])
def test_an_html_page_answered_with_200_says_login_or_proxy(stub, stub_client, page):
    stub.route("GET", "/projects/", 200, page)  # served as text/html
    with pytest.raises(api.DSSError, match=r"DSS answered an HTML page \(a login or proxy page\?\).*check the URL "
                                           r"and the credentials"):
        stub_client.list_projects()


# -- 12. credentials in the URL --------------------------------------------------------------------------------
@pytest.mark.parametrize("url", ["http://alice:pa55word@dss.example:11200", "https://pa55word@dss.example"])
def test_credentials_in_the_url_are_refused_and_never_shown(url):
    with pytest.raises(api.DSSConfigError, match="contains credentials") as info:
        connect(url, ADMIN_KEY)
    assert "pa55word" not in str(info.value) and "pa55word" not in repr(info.value)
    with pytest.raises(api.DSSConfigError, match="contains credentials") as info:
        connect(env={"DKU_DSS_URL": url, "DKU_API_KEY": ADMIN_KEY}, config_path="/nonexistent")
    assert "pa55word" not in str(info.value)
    with pytest.raises(ValueError, match="contains credentials") as info:
        Transport(url, Auth("api_key", ADMIN_KEY))
    assert "pa55word" not in str(info.value)


# -- 14. encodings ------------------------------------------------------------------------------------------------
def _answer(content_type: str, body: bytes):
    def script(conn, _request):
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: " + content_type.encode() + b"\r\nContent-Length: "
                     + str(len(body)).encode() + b"\r\nConnection: close\r\n\r\n" + body)
    return script


@pytest.mark.parametrize("content_type", ["text/plain", "text/html; charset=ISO-8859-1", "application/json",
                                          "application/octet-stream", "application/json; charset=latin-1"])
@pytest.mark.parametrize("bom", [b"", b"\xef\xbb\xbf"])
def test_json_is_utf8_with_or_without_a_bom_whatever_the_content_type(content_type, bom):
    body = bom + json.dumps([{"projectKey": "P", "name": "Données"}], ensure_ascii=False).encode("utf-8")
    with raw_server(_answer(content_type, body)) as (url, _received):
        client = api.connect(url, ADMIN_KEY, timeout=(2, 5), retries=0)
        assert client.list_projects() == [{"projectKey": "P", "name": "Données"}]
        client.close()
