"""Repository-wide pytest set-up.

Notebooks under ``notebooks/`` run under nbval against a simulated DSS: before the first
notebook kernel starts, a seeded ``demo`` simulator is started and ``DKU_DSS_URL`` /
``DKU_API_KEY`` point at it — the same configuration path a real DSS uses, so the notebooks
hold nothing simulator-specific (kernels inherit this process's environment).
"""

from __future__ import annotations

import os

import pytest

NOTEBOOK_KEY = "nbval-demo-key"


@pytest.fixture(scope="session", autouse=True)
def _simulated_dss_for_notebooks(request):
    if not any(item.nodeid.endswith(".ipynb") or ".ipynb::" in item.nodeid for item in request.session.items):
        yield None
        return
    from cswidgets.sim import Simulator

    saved = {k: os.environ.get(k) for k in ("DKU_DSS_URL", "DKU_API_KEY", "DKU_API_TICKET")}
    with Simulator(scenario="demo", api_key=NOTEBOOK_KEY, seed=0, speed=20.0) as sim:
        os.environ.update({"DKU_DSS_URL": sim.url, "DKU_API_KEY": NOTEBOOK_KEY})
        os.environ.pop("DKU_API_TICKET", None)
        try:
            yield sim
        finally:
            for k, v in saved.items():
                if v is None:
                    os.environ.pop(k, None)
                else:
                    os.environ[k] = v
