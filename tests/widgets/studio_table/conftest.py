"""Fixtures for StudioTable tests without a kernel (``sim`` and ``client`` come from
``tests/widgets/conftest.py``): a table whose ``send`` is replaced by a recorder, so the tests act
as the front end (``tests.support.ask``)."""

from __future__ import annotations

from typing import Any

import pytest

from cswidgets.widgets.studio_table import StudioTable
from tests.support import Recorder


@pytest.fixture
def make_table(client):
    """``make_table(**kwargs)`` -> a loaded StudioTable with a recording ``send`` (closed at the end)."""
    tables: list[StudioTable] = []

    def make(*args: Any, client_=None, **kwargs: Any) -> StudioTable:
        table = StudioTable(client_ or client, *args, **kwargs)
        table.send = Recorder()
        tables.append(table)
        return table

    yield make
    for table in tables:
        table.close()


@pytest.fixture
def table(make_table):
    return make_table()


def running_key(table: StudioTable) -> str:
    df = table.df
    return df.index[df["state"].astype(str) == "RUNNING"][0]


def stopped_key(table: StudioTable) -> str:
    df = table.df
    return df.index[df["state"].astype(str) == "STOPPED"][0]
