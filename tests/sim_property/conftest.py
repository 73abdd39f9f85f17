"""Property tests against the simulator. Short by default (about 25 examples); the long profile
runs with ``CSW_PROPERTY_PROFILE=long`` or by selecting the ``slow`` marker (``-m slow``)."""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile("csw-short", max_examples=25, stateful_step_count=25, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
# The long profile: 250 sequences per test by default; CI (`make test-slow`) sets 100 to stay within its time.
LONG_EXAMPLES = int(os.environ.get("CSW_PROPERTY_LONG_EXAMPLES", "250"))
settings.register_profile("csw-long", max_examples=LONG_EXAMPLES, stateful_step_count=60, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
LONG = os.environ.get("CSW_PROPERTY_PROFILE", "") == "long"


def pytest_collection_modifyitems(config, items):
    selected = "slow" in (config.option.markexpr or "") or LONG
    skip = pytest.mark.skip(reason="long property run: select it with -m slow or CSW_PROPERTY_PROFILE=long")
    for item in items:
        if "tests/sim_property" in str(item.fspath) and item.get_closest_marker("slow") and not selected:
            item.add_marker(skip)
