"""Frozen-time fixtures for the panels that follow futures (FutureProgress, TemplateBuilds): a
frozen-time simulator, a client, a tracker.

Widgets run without a kernel: ``tests.support.record`` replaces ``widget.send`` with a recorder and
``tests.support.ask`` delivers clicks with ``widget._handle_custom_msg``; replies come from the
worker pool, so tests wait for them with a deadline (never a fixed sleep).
"""

from __future__ import annotations

import threading

import pytest

import cswidgets
from cswidgets.api import FutureTracker
from cswidgets.sim import Simulator

ADMIN_KEY = "k-admin-secret"


@pytest.fixture
def sim():
    """The demo instance, frozen in time (``speed=0``): tests move time with ``sim.advance``."""
    with Simulator(scenario="demo", api_key=ADMIN_KEY, seed=0, speed=0, epoch_ms=1_750_000_000_000) as s:
        yield s


@pytest.fixture
def fast_sim():
    """The demo instance with time running 20x faster (a 30 s build lasts 1.5 s)."""
    with Simulator(scenario="demo", api_key=ADMIN_KEY, seed=0, speed=20) as s:
        yield s


@pytest.fixture
def client(sim):
    c = cswidgets.connect(url=sim.url, api_key=ADMIN_KEY)
    yield c
    c.close()


@pytest.fixture
def fast_client(fast_sim):
    c = cswidgets.connect(url=fast_sim.url, api_key=ADMIN_KEY)
    yield c
    c.close()


@pytest.fixture
def tracker():
    """A tracker that reads every 0.1 s at least (the list, the peeks), so frozen-time tests do not wait for the 1.5 s
    back-off cap (same code path as ``client.tracker``)."""
    with FutureTracker(max_interval=0.1, list_interval=0.1) as t:
        yield t


def tracker_threads() -> list[threading.Thread]:
    """The trackers' scheduler threads (their reader threads, ``...-read_N``, come and go with the reads)."""
    return [t for t in threading.enumerate() if t.name.startswith("cswidgets-future-tracker") and "-read" not in t.name]
