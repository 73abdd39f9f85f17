"""Fixtures of the hardening suites: widgets without a kernel (recorded ``send``), polling with a
deadline, and a Chromium browser for the rendering tests (marked ``browser`` by the tests
themselves: this folder is not under ``tests/browser``)."""

from __future__ import annotations

import importlib
import itertools
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = os.environ.get("CSW_CHROMIUM", "/usr/bin/chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
_ids = itertools.count(1)


def optional_panel(module: str, name: str) -> Any:
    """A panel class, or ``None`` while its module is not written yet (other engineers' panels)."""
    try:
        return getattr(importlib.import_module(f"cswidgets.widgets.{module}"), name)
    except (ImportError, AttributeError):
        return None


def wait_for(condition: Callable[[], Any], timeout: float = 10.0, what: str = "condition") -> Any:
    """Poll ``condition`` until it is truthy (returns its value); fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout} s waiting for {what}")
        time.sleep(0.02)


class Recorder(list):
    """Stands in for ``widget.send``: keeps every message (thread-safe)."""

    def __init__(self) -> None:
        super().__init__()
        self._lock = threading.Lock()

    def __call__(self, msg: dict[str, Any], buffers: Any = None) -> None:
        with self._lock:
            self.append(msg)

    def reply(self, msg_id: str) -> dict[str, Any] | None:
        with self._lock:
            return next((m for m in self if m.get("kind") == "reply" and m.get("id") == msg_id), None)


def record(widget: Any) -> Recorder:
    """Replace ``widget.send`` with a :class:`Recorder` and return it."""
    rec = Recorder()
    widget.send = rec
    return rec


def ask(widget: Any, kind: str, timeout: float = 30.0, **payload: Any) -> dict[str, Any]:
    """Send ``{kind, id, **payload}`` as the front end would; return the reply (fail after ``timeout``)."""
    if not isinstance(widget.send, Recorder):
        record(widget)
    msg_id = f"h{next(_ids)}"
    widget._handle_custom_msg({"kind": kind, "id": msg_id, **payload}, [])
    return wait_for(lambda: widget.send.reply(msg_id), timeout, f"the reply to {kind!r}")


@pytest.fixture(scope="module")  # not session: an open sync Playwright keeps an asyncio loop running
def chromium():
    if not Path(CHROMIUM).exists():
        if os.environ.get("CSW_REQUIRE_BROWSER") == "1":
            pytest.fail(f"Chromium not found at {CHROMIUM} and CSW_REQUIRE_BROWSER=1")
        pytest.skip(f"Chromium not found at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield b
        b.close()
