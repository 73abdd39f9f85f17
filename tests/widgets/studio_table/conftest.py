"""Fixtures for StudioTable tests without a kernel: a seeded simulator, a client, and a table whose
``send`` is replaced by a recorder, so the tests act as the front end through ``_handle_custom_msg``."""

from __future__ import annotations

import itertools
import threading
import time
from collections.abc import Callable
from typing import Any

import pytest

from cswidgets.api import connect
from cswidgets.sim import Simulator
from cswidgets.widgets.studio_table import StudioTable

EPOCH_MS = 1_700_000_000_000
_ids = itertools.count(1)


def wait_for(condition: Callable[[], Any], timeout: float = 10.0, what: str = "condition") -> Any:
    """Poll ``condition`` until it is truthy (returns its value) or fail after ``timeout`` s."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout} s waiting for {what}")
        time.sleep(0.02)


class Recorder(list):
    """Stands in for ``widget.send``: keeps every message (thread-safe append)."""

    def __init__(self) -> None:
        super().__init__()
        self._lock = threading.Lock()

    def __call__(self, msg: dict[str, Any], buffers: Any = None) -> None:
        with self._lock:
            self.append(msg)

    def rows(self) -> list[dict[str, Any]]:
        with self._lock:
            return [m for m in self if m.get("kind") == "rows"]

    def reply(self, msg_id: str) -> dict[str, Any] | None:
        with self._lock:
            return next((m for m in self if m.get("kind") == "reply" and m.get("id") == msg_id), None)


def call(table: StudioTable, kind: str, timeout: float = 15.0, **payload: Any) -> dict[str, Any]:
    """Send ``{kind, id, **payload}`` as the front end would; wait for and return the reply."""
    msg_id = f"t{next(_ids)}"
    table._handle_custom_msg({"kind": kind, "id": msg_id, **payload}, [])
    return wait_for(lambda: table.send.reply(msg_id), timeout, f"reply to {kind}")


@pytest.fixture
def sim():
    with Simulator(scenario="demo", api_key="k", seed=0, speed=100, epoch_ms=EPOCH_MS) as s:
        yield s


@pytest.fixture
def client(sim):
    c = connect(url=sim.url, api_key="k", retries=0)
    yield c
    c.close()


@pytest.fixture
def make_table(client):
    """``make_table(**kwargs)`` -> a loaded StudioTable with a recording ``send`` (closed at the end)."""
    tables: list[StudioTable] = []

    def make(*args: Any, client_=None, **kwargs: Any) -> StudioTable:
        table = StudioTable(client_ or client, *args, **kwargs)
        table.send = Recorder()
        tables.append(table)
        return table

    yield make
    for table in tables:
        table.close()


@pytest.fixture
def table(make_table):
    return make_table()


def running_key(table: StudioTable) -> str:
    df = table.df
    return df.index[df["state"].astype(str) == "RUNNING"][0]


def stopped_key(table: StudioTable) -> str:
    df = table.df
    return df.index[df["state"].astype(str) == "STOPPED"][0]
