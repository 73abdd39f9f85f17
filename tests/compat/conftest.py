"""The compat suite: runs in each environment of ``scripts/compat_env.py`` (Python 3.9 to 3.13, old and
new pandas, urllib3, ipywidgets, anywidget), importing cswidgets as installed from the wheel.

The simulator: inside the environment when it has the ``sim`` extra, else the one whose URL the runner
passes in ``CSW_COMPAT_SIM_URL`` (started from the project's own environment).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))  # compat_helpers; never the checkout's root

from compat_helpers import KEY


@pytest.fixture(scope="session")
def sim_url():
    url = os.environ.get("CSW_COMPAT_SIM_URL")
    if url:
        yield url
        return
    from cswidgets.sim import Simulator

    with Simulator(scenario="demo", api_key=KEY, seed=0, speed=50) as sim:
        yield sim.url


@pytest.fixture
def client(sim_url):
    import cswidgets

    c = cswidgets.connect(sim_url, api_key=KEY, retries=0)
    yield c
    c.close()
