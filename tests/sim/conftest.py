"""Fixtures for the simulator suite: running simulators and official-client handles."""

from __future__ import annotations

from collections.abc import Iterator

import dataikuapi
import pytest

from cswidgets.sim import Simulator

KEY = "test-key"
EPOCH_MS = 1_750_000_000_000


@pytest.fixture
def sim() -> Iterator[Simulator]:
    """The demo scenario, time running 200x faster (a start takes 40 ms)."""
    with Simulator(scenario="demo", api_key=KEY, seed=0, speed=200, epoch_ms=EPOCH_MS) as s:
        yield s


@pytest.fixture
def frozen() -> Iterator[Simulator]:
    """The demo scenario with time frozen: only ``advance`` moves it."""
    with Simulator(scenario="demo", api_key=KEY, seed=0, speed=0, epoch_ms=EPOCH_MS) as s:
        yield s


@pytest.fixture
def client(sim: Simulator) -> dataikuapi.DSSClient:
    return dataikuapi.DSSClient(sim.url, KEY)


@pytest.fixture
def fclient(frozen: Simulator) -> dataikuapi.DSSClient:
    return dataikuapi.DSSClient(frozen.url, KEY)


def studio_named(sim: Simulator, project_key: str, name: str) -> str:
    """Id of the demo studio called ``name``."""
    for item in sim.model.list_studios(project_key):
        if item["name"] == name:
            return item["id"]
    raise KeyError(name)


def user_client(sim: Simulator, login: str) -> dataikuapi.DSSClient:
    return dataikuapi.DSSClient(sim.url, sim.keys[login])
