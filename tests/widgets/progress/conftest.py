"""Fixtures for FutureProgress / TemplateBuilds tests: a simulator, a client, a fake front end.

Widgets run without a kernel: ``widget.send`` is replaced by a recorder and clicks are delivered
with ``widget._handle_custom_msg``; replies come from the worker pool, so tests wait for them with
a deadline (never a fixed sleep).
"""

from __future__ import annotations

import itertools
import threading
import time
from collections.abc import Callable
from typing import Any

import pytest

import cswidgets
from cswidgets.api import FutureTracker
from cswidgets.sim import Simulator

ADMIN_KEY = "k-admin-secret"
_ids = itertools.count(1)


def wait_for(predicate: Callable[[], Any], timeout: float = 10.0, what: str = "condition") -> Any:
    """Poll ``predicate`` until it returns a truthy value; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(0.01)


class FrontEnd:
    """Stands in for the browser: records what the widget sends and clicks through messages."""

    def __init__(self, widget: Any) -> None:
        self.widget = widget
        self.sent: list[dict[str, Any]] = []
        self._lock = threading.Lock()
        widget.send = self._record

    def _record(self, content: dict[str, Any], buffers: Any = None) -> None:
        with self._lock:
            self.sent.append(content)

    def click(self, kind: str, timeout: float = 10.0, **payload: Any) -> dict[str, Any]:
        """Send ``{kind, id, **payload}`` and return the reply (waits for it)."""
        msg_id = f"m{next(_ids)}"
        self.widget._handle_custom_msg({"kind": kind, "id": msg_id, **payload}, [])

        def reply():
            with self._lock:
                return next((m for m in self.sent if m.get("kind") == "reply" and m.get("id") == msg_id), None)

        return wait_for(reply, timeout, f"the reply to {kind}")


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
    """A tracker that polls at least every 0.1 s, so frozen-time tests do not wait for the 1.5 s
    back-off cap (same code path as ``client.tracker``)."""
    with FutureTracker(max_interval=0.1) as t:
        yield t


def tracker_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name.startswith("cswidgets-future-tracker")]
