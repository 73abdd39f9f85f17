"""Fixtures for the ConflictViewer tests: one simulator per module, a fresh project and running
studio per test (project zones are shared by a project's studios), and a recorder standing in for
the front end."""

from __future__ import annotations

import itertools
import threading
import time

import pytest

from cswidgets.api import connect
from cswidgets.sim import Simulator

KEY = "k"
ZONE = "project-lib-versioned"
ONE_WAY = "project-lib-resources"
_ids = itertools.count(1)


@pytest.fixture(scope="module")
def sim():
    with Simulator(scenario="demo", api_key=KEY, seed=0, speed=200) as s:
        yield s


@pytest.fixture(scope="module")
def client(sim):
    c = connect(sim.url, KEY)
    yield c
    c.close()


@pytest.fixture
def studio(sim, client):
    """A running VS Code studio (zones: project-lib-versioned, project-lib-resources (one-way),
    recipes, code_studio-versioned, user-versioned) alone in a new project."""
    pk = sim.add_project(f"CV{next(_ids)}")
    sid = sim.add_studio(pk, "Conflicts test", "admin", "tpl_vscode", state="STOPPED")
    sim.write_file(pk, sid, ZONE, "lib/util.py", "v0\n", side="dss", author="bob")
    sim.set_state(pk, sid, "RUNNING")  # start pushes the DSS files into the studio
    return client.get_project(pk).get_code_studio(sid)


class FrontEnd:
    """Acts as the browser: sends custom messages and collects the replies Python sends back."""

    def __init__(self, widget):
        self.widget = widget
        self.sent: list[dict] = []
        self._cond = threading.Condition()
        self._ids = itertools.count(1)
        widget.send = self._record

    def _record(self, msg, buffers=None):
        with self._cond:
            self.sent.append(msg)
            self._cond.notify_all()

    def call(self, kind: str, timeout: float = 15.0, **payload) -> dict:
        msg_id = f"m{next(self._ids)}"
        self.widget._handle_custom_msg({"kind": kind, "id": msg_id, **payload}, [])
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                reply = next((m for m in self.sent if m.get("kind") == "reply" and m.get("id") == msg_id), None)
                if reply is not None:
                    return reply
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"no reply to {kind} within {timeout}s")
                self._cond.wait(left)


@pytest.fixture
def front():
    return FrontEnd


def wait_for(predicate, timeout: float = 15.0, what: str = "condition"):
    """Poll ``predicate`` until it is truthy (returns its value) or fail after ``timeout``."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.02)


def sync_requests(sim, studio, op: str) -> list:
    """Requests of kind ``op`` (pull, push, conflicts...) the simulator received for ``studio``."""
    prefix = f"/projects/{studio.project_key}/code-studios/{studio.id}/{op}/"
    return [r for r in sim.requests if r.path.startswith(prefix)]


@pytest.fixture
def until():
    return wait_for


@pytest.fixture
def sync_log(sim, studio):
    return lambda op: sync_requests(sim, studio, op)
