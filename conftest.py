"""Repository-wide pytest set-up.

Notebooks under ``notebooks/`` run under nbval against a simulated DSS: once collection shows
that notebooks will run, a seeded ``demo`` simulator is started and ``DKU_DSS_URL`` /
``DKU_API_KEY`` point at it — the same configuration path a real DSS uses, so the notebooks
hold nothing simulator-specific. nbval starts a notebook's kernel while setting up its file,
before any fixture runs, so this happens in a collection hook rather than a fixture (kernels
inherit this process's environment).
"""

from __future__ import annotations

import os

NOTEBOOK_KEY = "nbval-demo-key"
_ENV_KEYS = ("DKU_DSS_URL", "DKU_API_KEY", "DKU_API_TICKET")
_state: dict = {}


def pytest_collection_finish(session):
    if not any(".ipynb" in item.nodeid for item in session.items):
        return
    from cswidgets.sim import Simulator

    _state["saved"] = {k: os.environ.get(k) for k in _ENV_KEYS}
    sim = Simulator(scenario="demo", api_key=NOTEBOOK_KEY, seed=0, speed=20.0)
    sim.start()
    _state["sim"] = sim
    os.environ.update({"DKU_DSS_URL": sim.url, "DKU_API_KEY": NOTEBOOK_KEY})
    os.environ.pop("DKU_API_TICKET", None)


def pytest_sessionfinish(session, exitstatus):
    sim = _state.pop("sim", None)
    if sim is None:
        return
    sim.stop()
    for k, v in _state.pop("saved", {}).items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v
