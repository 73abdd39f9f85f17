"""Frozen-time simulator, client and tracker fixtures (``tests/widgets/frozen_time.py``)."""

from tests.widgets.frozen_time import client, fast_client, fast_sim, sim, tracker

__all__ = ["client", "fast_client", "fast_sim", "sim", "tracker"]
