"""Fixtures shared by the widget suites: a seeded demo simulator (time 100x faster, fixed epoch) and
a cswidgets client on it that does not retry. A folder whose tests need another simulator (frozen
time, one per module...) overrides ``sim`` / ``client`` in its own conftest."""

from __future__ import annotations

import pytest

from cswidgets.api import connect
from cswidgets.sim import Simulator
from cswidgets.widgets.shared.views import LAST

KEY = "k"
EPOCH_MS = 1_700_000_000_000


@pytest.fixture
def sim():
    with Simulator(scenario="demo", api_key=KEY, seed=0, speed=100, epoch_ms=EPOCH_MS) as s:
        yield s


@pytest.fixture
def client(sim):
    c = connect(url=sim.url, api_key=KEY, retries=0)
    yield c
    c.close()


@pytest.fixture(autouse=True)
def _own_views(tmp_path_factory, monkeypatch):
    """Each test starts with no remembered view (the kernel's) and its own named-views file (never the
    user's ~/.config)."""
    monkeypatch.setenv("CSWIDGETS_CONFIG_DIR", str(tmp_path_factory.mktemp("config")))
    LAST.forget()
    yield
    LAST.forget()
