"""The HTTP surface as DSS shows it: auth forms, errors, headers, nulls, decoding, booleans."""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import quote

import dataikuapi
import pytest
import requests

from cswidgets.sim import Simulator

from .conftest import KEY, studio_named

PREFIXES = ["/public/api", "/dip/publicapi"]


def api(sim: Simulator, path: str, prefix: str = "/public/api") -> str:
    return f"{sim.url}{prefix}{path}"


def walk_values(value: Any) -> list[Any]:
    if isinstance(value, dict):
        return [v for item in value.values() for v in walk_values(item)]
    if isinstance(value, list):
        return [v for item in value for v in walk_values(item)]
    return [value]


# ---- authentication ------------------------------------------------------------------------------


@pytest.mark.parametrize("prefix", PREFIXES)
@pytest.mark.parametrize("auth", ["basic-user", "basic-password", "bearer", "ticket"])
def test_auth_forms(sim, prefix, auth):
    kwargs: dict[str, Any] = {
        "basic-user": {"auth": (KEY, "")},
        "basic-password": {"auth": ("", KEY)},
        "bearer": {"headers": {"Authorization": f"Bearer {KEY}"}},
        "ticket": {"headers": {"X-DKU-APITicket": KEY}},
    }[auth]
    resp = requests.get(api(sim, "/projects/", prefix), timeout=5, **kwargs)
    assert resp.status_code == 200
    assert [p["projectKey"] for p in resp.json()] == ["SALES_FORECAST", "CHURN_MODEL", "LOGISTICS"]


def test_basic_with_other_user_name_and_key_as_password(sim):
    resp = requests.get(api(sim, "/projects/"), auth=("whoever", sim.keys["carol"]), timeout=5)
    assert resp.status_code == 200
    assert sim.requests[-1].login == "carol"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({}, "No API key or ticket provided"),
        ({"auth": ("wrong", "")}, "Unknown API Key"),
        ({"headers": {"Authorization": "Bearer wrong"}}, "Unknown API Key"),
        ({"headers": {"Authorization": "Basic !!notbase64"}}, "No API key or ticket provided"),
    ],
)
def test_401(sim, kwargs, message):
    resp = requests.get(api(sim, "/projects/"), timeout=5, **kwargs)
    assert resp.status_code == 401
    body = resp.json()
    assert body["errorType"] == "com.dataiku.dip.exceptions.NotAuthenticatedException"
    assert body["message"] == message and body["detailedMessage"] == message
    assert sim.requests[-1].login is None and sim.requests[-1].status == 401


def test_official_client_with_wrong_key(sim):
    with pytest.raises(dataikuapi.utils.DataikuException, match="NotAuthenticatedException: Unknown API Key"):
        dataikuapi.DSSClient(sim.url, "nope").list_project_keys()


def test_keys_and_add_user(sim):
    keys = sim.keys
    assert keys["admin"] == KEY
    assert sorted(keys) == ["admin", "alice", "bob", "carol", "dave"]
    users = [k for login, k in keys.items() if login != "admin"]
    assert len(set(users)) == len(users)
    for key in users:  # a user's key reveals neither the admin's key nor another user's
        assert KEY not in key and re.fullmatch(r"[0-9a-f]{32}", key)
    with Simulator(scenario="demo", api_key=KEY, seed=9) as same, Simulator(scenario="demo", api_key="other") as other:
        assert same.keys == keys  # deterministic: depends on the admin key and the login only
        assert other.keys["alice"] != keys["alice"]
    key = sim.add_user("erin")
    assert key == sim.keys["erin"] and KEY not in key and key not in users
    assert login_of(sim, key) == "erin"
    assert sim.add_user("root2", key="custom", admin=True) == "custom"
    assert requests.get(api(sim, "/admin/code-studios/"), auth=("custom", ""), timeout=5).status_code == 200
    assert requests.get(api(sim, "/admin/code-studios/"), auth=(key, ""), timeout=5).status_code == 403
    # the old guessable form is not a key
    assert requests.get(api(sim, "/projects/"), auth=(f"{KEY}-alice", ""), timeout=5).status_code == 401


def login_of(sim: Simulator, key: str) -> str | None:
    requests.get(api(sim, "/projects/"), auth=(key, ""), timeout=5)
    return sim.requests[-1].login


def test_every_answer_carries_the_simulator_marker(sim):
    alice = sim.keys["alice"]
    answers = [
        requests.get(api(sim, "/projects/"), auth=(KEY, ""), timeout=5),  # 200
        requests.get(api(sim, "/projects/"), auth=(alice, ""), timeout=5),  # 200, non-admin
        requests.get(api(sim, "/projects/"), timeout=5),  # 401, no key
        requests.get(api(sim, "/admin/code-studios/"), auth=(alice, ""), timeout=5),  # 403
        requests.get(api(sim, "/nope"), auth=(KEY, ""), timeout=5),  # 404
        requests.get(f"{sim.url}/__sim__/health", auth=(KEY, ""), timeout=5),  # control route
        requests.get(f"{sim.url}/__sim__/health", auth=(alice, ""), timeout=5),  # control route, 403
        requests.get(f"{sim.url}/elsewhere", timeout=5),
    ]
    assert [a.status_code for a in answers] == [200, 200, 401, 403, 404, 200, 403, 404]
    for answer in answers:
        assert answer.headers["X-Cswidgets-Simulator"] == "1"
    assert answers[0].headers["DSS-Version"] == "15.2.0"  # still a realistic version


# ---- errors, headers, nulls --------------------------------------------------------------------------


def test_error_bodies_and_statuses(sim):
    auth = (KEY, "")
    cases = [
        ("GET", "/projects/SALES_FORECAST/code-studios/nope", 404, "NotFoundException"),
        ("GET", "/projects/NOPE/code-studios/", 401, "UnauthorizedException"),
        ("GET", "/admin/code-studios/nope", 404, "NotFoundException"),
        ("GET", "/no/such/route", 404, "NotFoundException"),
        ("PATCH", "/projects/", 405, "IllegalArgumentException"),
        ("POST", "/projects/SALES_FORECAST/code-studios/", 400, "IllegalArgumentException"),
    ]
    for method, path, status, error_type in cases:
        resp = requests.request(method, api(sim, path), auth=auth, timeout=5)
        assert resp.status_code == status, path
        assert resp.headers["Content-Type"].startswith("application/json")
        assert resp.headers["DSS-Version"] and resp.headers["DSS-API-Version"]
        body = resp.json()
        assert body["errorType"].endswith(error_type), body
        assert body["message"] and body["detailedMessage"]


def test_invalid_json_body_is_400(sim):
    resp = requests.post(api(sim, "/projects/SALES_FORECAST/code-studios/"), data="{nope", auth=(KEY, ""), timeout=5)
    assert resp.status_code == 400 and "Invalid JSON" in resp.json()["message"]


def test_success_headers_and_no_nulls(sim):
    for pk in ("SALES_FORECAST", "CHURN_MODEL", "LOGISTICS"):
        for sid in sim.studio_ids(pk):
            resp = requests.get(api(sim, f"/projects/{pk}/code-studios/{sid}/status"), auth=(KEY, ""), timeout=5)
            assert resp.headers["DSS-Version"] == "15.2.0"
            assert None not in walk_values(resp.json())
    never = studio_named(sim, "SALES_FORECAST", "Old experiments")
    status = requests.get(
        api(sim, f"/projects/SALES_FORECAST/code-studios/{never}/status"), auth=(KEY, ""), timeout=5
    ).json()
    assert "lastStateChange" not in status and "jobId" not in status


@pytest.mark.parametrize("content_type", [None, "text/plain", "application/json"])
def test_json_body_without_or_with_any_content_type(sim, content_type):
    headers = {"Content-Type": content_type} if content_type else {}
    req = requests.Request(
        "POST",
        api(sim, "/projects/CHURN_MODEL/code-studios/"),
        data=json.dumps({"name": "raw", "templateId": "tpl_vscode"}),
        auth=(KEY, ""),
        headers=headers,
    ).prepare()
    if content_type is None:
        assert "Content-Type" not in req.headers
    with requests.Session() as session:
        resp = session.send(req, timeout=5)
    assert resp.status_code == 200
    assert resp.json()["codeStudio"]["name"] == "raw"


@pytest.mark.parametrize("spelling", ["true", "True", "TRUE", "tRuE"])
def test_booleans_in_any_case(sim, spelling):
    resp = requests.post(
        api(sim, f"/admin/code-studios/tpl_vscode/build?withNoCache={spelling}"), auth=(KEY, ""), timeout=5
    )
    assert resp.json()["payload"]["withNoCache"] is True
    job = resp.json()["jobId"]
    sim.advance(3600)
    done = requests.get(api(sim, f"/futures/{job}?peek={spelling}"), auth=(KEY, ""), timeout=5).json()
    assert done["hasResult"] is True and "result" not in done  # peek leaves the result out
    full = requests.get(api(sim, f"/futures/{job}?peek=false"), auth=(KEY, ""), timeout=5).json()
    assert full["result"]["withNoCache"] is True


# ---- path decoding -----------------------------------------------------------------------------------

HOSTILE = ["a/b", "a?b", "a#b", "a%b", "a%2Fb", "a+b", "a b", "ünï😀", "<img src=x onerror=alert(1)>"]


def test_each_segment_decoded_once(sim):
    pk = sim.add_project("P K/?#%+ü", owner="admin")
    ids = {sid: sim.add_studio(pk, f"name {sid}", "alice", "tpl_vscode", studio_id=sid) for sid in HOSTILE}
    for sid in ids:
        url = api(sim, f"/projects/{quote(pk, safe='')}/code-studios/{quote(sid, safe='')}")
        resp = requests.get(url, auth=(KEY, ""), timeout=5)
        assert resp.status_code == 200, sid
        assert resp.json()["id"] == sid and resp.json()["name"] == f"name {sid}"
        assert resp.json()["projectKey"] == pk
    assert sim.requests[-1].path == f"/projects/{pk}/code-studios/{HOSTILE[-1]}"
    listed = requests.get(api(sim, f"/projects/{quote(pk, safe='')}/code-studios/"), auth=(KEY, ""), timeout=5)
    assert {s["id"] for s in listed.json()} == set(HOSTILE)


def test_plus_in_path_stays_plus(sim):
    sid = sim.add_studio("SALES_FORECAST", "plus", "alice", "tpl_vscode", studio_id="x+y")
    sim.add_studio("SALES_FORECAST", "space", "alice", "tpl_vscode", studio_id="x y")
    resp = requests.get(api(sim, f"/projects/SALES_FORECAST/code-studios/{sid}"), auth=(KEY, ""), timeout=5)
    assert resp.json()["name"] == "plus"


def test_zone_id_with_hostile_characters_via_quoting(sim):
    sid = studio_named(sim, "SALES_FORECAST", "Forecast notebook")
    resp = requests.get(
        api(sim, f"/projects/SALES_FORECAST/code-studios/{sid}/conflicts/{quote('a/b?c', safe='')}"),
        auth=(KEY, ""),
        timeout=5,
    )
    assert resp.status_code == 200 and "a/b?c" in resp.json()["error"]


def test_new_owner_plus_is_a_space(sim):
    sim.add_user("john doe")
    sid = studio_named(sim, "SALES_FORECAST", "Forecast notebook")
    client = dataikuapi.DSSClient(sim.url, KEY)
    result = client.get_project("SALES_FORECAST").get_code_studio(sid).change_owner("john+doe")
    assert result["owner"] == "john doe"
    assert sim.requests[-1].query == {"newOwner": "john doe"}
