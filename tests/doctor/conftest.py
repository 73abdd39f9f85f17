from __future__ import annotations

import pytest

from cswidgets.sim import Simulator

KEY = "k-doctor-admin-7f3a"


@pytest.fixture
def sim():
    """The demo instance with time frozen: studios starting and stopping stay so while the doctor looks."""
    with Simulator(scenario="demo", api_key=KEY, seed=0, speed=0) as s:
        yield s
