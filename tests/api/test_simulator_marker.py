"""``Client.is_simulator``: decided by the simulator's ``X-Cswidgets-Simulator`` header, for any key."""

from __future__ import annotations

import cswidgets.api as api
from cswidgets.api import assumptions
from cswidgets.sim.http import app as sim_server

from .conftest import ADMIN_KEY


def test_header_name_agrees_with_the_simulator():
    assert assumptions.SIMULATOR_HEADER == sim_server.SIMULATOR_HEADER


def test_admin_key_before_and_after_an_api_call(sim):
    with api.connect(sim.url, ADMIN_KEY) as fresh:  # no API answer yet: one probe
        assert fresh.is_simulator is True
    with api.connect(sim.url, ADMIN_KEY) as used:
        used.list_projects()
        sim.clear_requests()
        assert used.is_simulator is True
        assert sim.requests == []  # decided from the last answer's headers, no extra request


def test_non_admin_and_wrong_keys(sim):
    with api.connect(sim.url, sim.keys["alice"]) as alice:
        assert alice.is_simulator is True  # the control route answers 403, with the marker
    with api.connect(sim.url, sim.keys["bob"]) as bob:
        bob.list_projects()
        assert bob.is_simulator is True
    with api.connect(sim.url, "not-a-key", retries=0) as wrong:
        assert wrong.is_simulator is True


def test_a_server_without_the_header_is_not_the_simulator(stub):
    # Even one that names the simulator in DSS-Version / Server, or answers the probe like it.
    stub.route("GET", "/projects/", 200, [], headers={"DSS-Version": "cswidgets-sim", "Server": "cswidgets-sim"})
    stub.route("GET", "/__sim__/health", 200, {"ok": True})
    with api.connect(stub.url, ADMIN_KEY) as before_any_call:
        assert before_any_call.is_simulator is False
    with api.connect(stub.url, ADMIN_KEY) as after_a_call:
        after_a_call.list_projects()
        assert after_a_call.is_simulator is False


def test_a_server_sending_the_header_is_the_simulator(stub):
    stub.route("GET", "/projects/", 200, [], headers={"X-Cswidgets-Simulator": "1"})
    with api.connect(stub.url, ADMIN_KEY) as client:
        client.list_projects()
        assert client.is_simulator is True


def test_unreachable_server_is_not_cached():
    client = api.connect("http://127.0.0.1:9", ADMIN_KEY, retries=0, timeout=(0.5, 0.5))
    try:
        assert client.is_simulator is False
        assert client._is_simulator is None  # asked again once the server answers
    finally:
        client.close()
