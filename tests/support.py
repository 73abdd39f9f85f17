"""Helpers shared by the test suites (importable as ``tests.support``).

- :func:`wait_for`: poll a condition with a deadline (never a fixed sleep);
- :class:`Recorder` / :func:`record`: stand in for ``widget.send``, so widgets run without a kernel;
- :func:`ask`: send a custom message as the front end would and wait for the widget's reply.
"""

from __future__ import annotations

import itertools
import threading
import time
from collections.abc import Callable
from typing import Any

import pytest

_ids = itertools.count(1)


def wait_for(
    condition: Callable[[], Any], timeout: float = 10.0, what: str = "condition", interval: float = 0.02
) -> Any:
    """Poll ``condition`` every ``interval`` s until it is truthy (returns its value); fail the
    test after ``timeout`` seconds, naming ``what`` it waited for."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout} s waiting for {what}")
        time.sleep(interval)


class Recorder(list):
    """Stands in for ``widget.send``: keeps every message (thread-safe append)."""

    def __init__(self) -> None:
        super().__init__()
        self._lock = threading.Lock()

    def __call__(self, msg: dict[str, Any], buffers: Any = None) -> None:
        with self._lock:
            self.append(msg)

    def rows(self) -> list[dict[str, Any]]:
        """The ``rows`` messages sent so far."""
        with self._lock:
            return [m for m in self if m.get("kind") == "rows"]

    def reply(self, msg_id: str) -> dict[str, Any] | None:
        """The reply to the message ``msg_id``, or None while there is none."""
        with self._lock:
            return next((m for m in self if m.get("kind") == "reply" and m.get("id") == msg_id), None)


def record(widget: Any) -> Recorder:
    """Replace ``widget.send`` with a :class:`Recorder` and return it."""
    rec = Recorder()
    widget.send = rec
    return rec


def ask(widget: Any, kind: str, timeout: float = 15.0, **payload: Any) -> dict[str, Any]:
    """Send ``{kind, id, **payload}`` to ``widget`` as its view would (recording ``send`` first if
    it is not recorded yet); return the reply (fail after ``timeout`` seconds)."""
    if not isinstance(widget.send, Recorder):
        record(widget)
    msg_id = f"m{next(_ids)}"
    widget._handle_custom_msg({"kind": kind, "id": msg_id, **payload}, [])
    return wait_for(lambda: widget.send.reply(msg_id), timeout, f"the reply to {kind!r}")
