"""Fixtures for the dashboard tests without a kernel: a seeded simulator, a client, and a
dashboard whose panels' ``send`` are recorders, so tests act as the front end."""

from __future__ import annotations

import itertools
import threading
import time
from collections.abc import Callable
from typing import Any

import pytest

from cswidgets.api import connect
from cswidgets.sim import Simulator
from cswidgets.widgets.dashboard import Dashboard

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
    """Stands in for ``widget.send`` (thread-safe append)."""

    def __init__(self) -> None:
        super().__init__()
        self._lock = threading.Lock()

    def __call__(self, msg: dict[str, Any], buffers: Any = None) -> None:
        with self._lock:
            self.append(msg)

    def reply(self, msg_id: str) -> dict[str, Any] | None:
        with self._lock:
            return next((m for m in self if m.get("kind") == "reply" and m.get("id") == msg_id), None)


def click(widget: Any, kind: str, timeout: float = 15.0, **payload: Any) -> dict[str, Any]:
    """Send ``{kind, id, **payload}`` to a panel as its view would; return the reply."""
    msg_id = f"d{next(_ids)}"
    widget._handle_custom_msg({"kind": kind, "id": msg_id, **payload}, [])
    return wait_for(lambda: widget.send.reply(msg_id), timeout, f"reply to {kind}")


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
def make_dashboard(client):
    made: list[Dashboard] = []

    def make(*args: Any, **kwargs: Any) -> Dashboard:
        dash = Dashboard(client, *args, **kwargs)
        for panel in (dash.table, dash.conflicts, dash.builds, dash._activity):
            panel.send = Recorder()
        made.append(dash)
        return dash

    yield make
    for dash in made:
        dash.close()


@pytest.fixture
def dashboard(make_dashboard):
    return make_dashboard(user="tester")


def key_in_state(dash: Dashboard, state: str, name: str | None = None) -> str:
    df = dash.table.df
    mask = df["state"].astype(str) == state
    if name is not None:
        mask &= df["name"] == name
    return df.index[mask][0]
