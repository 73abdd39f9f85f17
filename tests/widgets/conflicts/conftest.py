"""Fixtures for the ConflictViewer tests: one simulator per module, a fresh project and running
studio per test (project zones are shared by a project's studios). The tests act as the front end
with ``tests.support.record`` / ``ask``."""

from __future__ import annotations

import itertools

import pytest

from cswidgets.api import connect
from cswidgets.sim import Simulator

KEY = "cv-secret-key-7f3a"  # distinctive: a test that the key is not in synced state must not match other text
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


def sync_requests(sim, studio, op: str) -> list:
    """Requests of kind ``op`` (pull, push, conflicts...) the simulator received for ``studio``."""
    prefix = f"/projects/{studio.project_key}/code-studios/{studio.id}/{op}/"
    return [r for r in sim.requests if r.path.startswith(prefix)]


@pytest.fixture
def sync_log(sim, studio):
    return lambda op: sync_requests(sim, studio, op)
