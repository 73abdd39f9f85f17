"""Fixtures for the dashboard tests without a kernel (``sim`` and ``client`` come from
``tests/widgets/conftest.py``): a dashboard whose panels' ``send`` are recorders, so tests act as
the front end (``tests.support.ask``)."""

from __future__ import annotations

from typing import Any

import pytest

from cswidgets.widgets.dashboard import Dashboard
from tests.support import Recorder


@pytest.fixture
def make_dashboard(client):
    made: list[Dashboard] = []

    def make(*args: Any, **kwargs: Any) -> Dashboard:
        dash = Dashboard(client, *args, **kwargs)
        for panel in (dash.table, dash.conflicts, dash.builds, dash._activity, dash.governance):
            panel.send = Recorder()
        made.append(dash)
        return dash

    yield make
    for dash in made:
        dash.close()


@pytest.fixture
def dashboard(make_dashboard):
    return make_dashboard(user="tester")


def key_in_state(dash: Dashboard, state: str, name: str | None = None) -> str:
    df = dash.table.df
    mask = df["state"].astype(str) == state
    if name is not None:
        mask &= df["name"] == name
    return df.index[mask][0]
