"""The table tells its view the DSS origin (``dss_origin``), so exposed links to another host show that host
(issue 15, item 8); credentials in the base URL never reach the view."""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest

from cswidgets.api.frames import STUDIO_COLUMNS
from cswidgets.widgets.studio_table import StudioTable


class OriginClient:
    is_simulator = True

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url

    def studios_frame(self, project_keys: Any = None) -> pd.DataFrame:
        return pd.DataFrame(columns=list(STUDIO_COLUMNS))


@pytest.mark.parametrize(("base_url", "origin"), [
    ("https://user:secret@dss.example:11200/", "https://dss.example:11200"),
    ("http://[::1]:8080", "http://[::1]:8080"),
    ("not a url", ""),
])
def test_dss_origin_is_synced_without_credentials(base_url, origin):
    table = StudioTable(OriginClient(base_url))
    try:
        assert table.dss_origin == origin
        assert "secret" not in str(table.get_state())
    finally:
        table.close()
