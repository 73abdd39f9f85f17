"""Scenarios: scale size and speed, empty, argument checks, lifecycle of the server."""

from __future__ import annotations

import time

import dataikuapi
import pytest
import requests

from cswidgets.sim import Simulator

from .conftest import KEY


def test_scale_scenario_is_big_fast_and_seeded():
    t0 = time.monotonic()
    sim = Simulator(scenario="scale", api_key=KEY, projects=20, studios=1000, seed=1)
    sim.start()
    try:
        # a sanity bound, not a speed goal (speeds are measured by benchmarks/, never by timed tests): 1,000
        # studios take ~0.3 s on a quiet machine and crossed 1 s when the suite ran beside lint and vitest
        assert time.monotonic() - t0 < 10.0
        assert len(sim.project_keys()) == 20
        assert sum(len(sim.studio_ids(pk)) for pk in sim.project_keys()) == 1000
        states = {sim.status(pk, sid)["state"] for pk in sim.project_keys() for sid in sim.studio_ids(pk)}
        assert states == {"STOPPED", "STARTING", "RUNNING", "STOPPING"}
        client = dataikuapi.DSSClient(sim.url, KEY)
        assert len(client.get_project("PROJ_000").list_code_studios()) == 50
    finally:
        sim.stop()
    again = Simulator(scenario="scale", api_key=KEY, projects=20, studios=1000, seed=1)
    assert again.studio_ids("PROJ_007") == sim.studio_ids("PROJ_007")


def test_empty_scenario():
    with Simulator(scenario="empty", api_key=KEY) as sim:
        client = dataikuapi.DSSClient(sim.url, KEY)
        assert client.list_project_keys() == []
        assert client.list_code_studio_templates() == []
        assert sim.keys == {"admin": KEY}


def test_argument_checks():
    with pytest.raises(ValueError):
        Simulator(scenario="nope")
    with pytest.raises(ValueError):
        Simulator(scenario="demo", projects=3)
    with pytest.raises(ValueError):
        Simulator(api_key="")
    with pytest.raises(ValueError):
        Simulator(speed=-1)


def test_start_stop_idempotent_and_port_freed():
    sim = Simulator(scenario="empty", api_key=KEY)
    with pytest.raises(RuntimeError):
        _ = sim.url
    sim.start()
    url = sim.url
    assert sim.start().url == url
    assert requests.get(f"{url}/public/api/projects/", auth=(KEY, ""), timeout=5).status_code == 200
    sim.stop()
    sim.stop()
    with pytest.raises(requests.ConnectionError):
        requests.get(f"{url}/public/api/projects/", auth=(KEY, ""), timeout=2)
    with Simulator(scenario="empty", api_key=KEY, port=sim_port(url)) as again:  # the port is free again
        assert again.url == url


def sim_port(url: str) -> int:
    return int(url.rsplit(":", 1)[1])
