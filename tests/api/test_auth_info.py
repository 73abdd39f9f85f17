"""Who the credentials act as: ``Client.get_auth_info()`` (GET /auth/info) and the cached ``Client.login``."""

from __future__ import annotations

import cswidgets.api as api

from .conftest import ADMIN_KEY


def auth_requests(sim) -> list:
    return [r for r in sim.requests if r.path == "/auth/info"]


def test_get_auth_info_matches_the_official_client(sim, client, official):
    ours = client.get_auth_info()
    assert ours == official.get_auth_info()
    assert ours["authIdentifier"] == "admin" and "secrets" not in ours
    with_secrets = client.get_auth_info(with_secrets=True)
    assert with_secrets == official.get_auth_info(with_secrets=True)
    assert isinstance(with_secrets["secrets"], list)
    assert [r.query.get("withSecrets") for r in auth_requests(sim)] == ["False", "False", "True", "True"]


def test_login_is_the_login_of_the_key_and_fetched_once(sim):
    with api.connect(sim.url, sim.keys["alice"]) as alice:
        sim.clear_requests()
        assert alice.login == "alice"
        assert alice.login == "alice"
        assert len(auth_requests(sim)) == 1


def test_login_is_none_when_dss_refuses_and_that_is_remembered(stub, stub_client):
    stub.route("GET", "/auth/info", 403, {"errorType": "UnauthorizedException", "message": "no"})
    assert stub_client.login is None
    assert stub_client.login is None
    assert len([r for r in stub.log if r["path"] == "/auth/info"]) == 1


def test_login_is_none_when_the_answer_has_none(stub, stub_client):
    stub.route("GET", "/auth/info", 200, {"groups": []})
    assert stub_client.login is None


def test_login_is_asked_again_after_a_network_failure(sim):
    with api.connect(sim.url, ADMIN_KEY, retries=0) as client:
        sim.set_faults(rate=1.0, kinds=["reset"], path_contains="/auth/info")
        assert client.login is None  # no exception: "who" is a nicety
        sim.clear_faults()
        assert client.login == "admin"  # a dropped connection was not remembered as "unknown"


def test_login_is_asked_again_after_a_server_error(stub):
    stub.route("GET", "/auth/info", 503, {"errorType": "Unavailable", "message": "busy"})
    with api.connect(stub.url, ADMIN_KEY, retries=0) as client:
        assert client.login is None
        stub.route("GET", "/auth/info", 200, {"authIdentifier": "alice"})
        assert client.login == "alice"

