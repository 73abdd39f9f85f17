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

    def make(*args: Any, client_=None, viewed: bool = True, **kwargs: Any) -> StudioTable:
        table = StudioTable(client_ or client, *args, **kwargs)
        table.send = Recorder()
        tables.append(table)
        if viewed:  # a view is displayed (a table nobody looks at only trickles)
            show(table)
        return table

    yield make
    for table in tables:
        table.close()


@pytest.fixture
def table(make_table):
    """A displayed table with a budget of 20 requests/s (its passes over the demo's rows take about a second: the
    tests of what a pass does need not wait; the default budget is tested on its own)."""
    return make_table(request_budget=20)


def show(table: StudioTable, view: str = "test-view", state: str = "open") -> None:
    """Act as a view of the table saying ``state`` (open, alive, visible, hidden, closed)."""
    table._handle_custom_msg({"kind": "view", "id": f"{view}-{state}", "view": view, "state": state}, [])


def viewport(table: StudioTable, keys: list[str], view: str = "test-view") -> None:
    """Act as a view of the table saying which rows are on screen."""
    table._handle_custom_msg({"kind": "viewport", "id": f"{view}-viewport", "view": view, "keys": list(keys)}, [])


def running_key(table: StudioTable) -> str:
    df = table.df
    return df.index[df["state"].astype(str) == "RUNNING"][0]


def stopped_key(table: StudioTable) -> str:
    df = table.df
    return df.index[df["state"].astype(str) == "STOPPED"][0]
