"""A table whose first read failed claims no counts: "not loaded — authentication failed" instead of
"0 studios · 0 running" under the 401 banner (issue 15); fresh data brings the counts back."""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest

from cswidgets.api import DSSConnectionError, DSSError
from cswidgets.api.frames import STUDIO_COLUMNS
from cswidgets.widgets.shared.errors import AUTH_HINT
from cswidgets.widgets.studio_table import StudioTable
from cswidgets.widgets.studio_table.rows import summary_text


class FailingClient:
    is_simulator = False
    base_url = "https://dss.example"

    def __init__(self, error: Exception) -> None:
        self.error: Exception | None = error

    def studios_frame(self, project_keys: Any = None) -> pd.DataFrame:
        if self.error is not None:
            raise self.error
        row = dict.fromkeys(STUDIO_COLUMNS)
        row.update(project_key="P", id="s1", name="one", state="RUNNING", zones=[], exposed=[])
        return pd.DataFrame([row], columns=list(STUDIO_COLUMNS))


@pytest.mark.parametrize(("error", "said"), [
    (DSSError("Unauthorized", status=401), "not loaded — authentication failed"),
    (DSSError("Forbidden", status=403), "not loaded — permission denied"),
    (DSSConnectionError("refused"), "not loaded — connection lost"),
])
def test_a_failed_first_read_says_not_loaded_not_zero_studios(error, said):
    client = FailingClient(error)
    table = StudioTable(client)
    try:
        assert table.summary["not_loaded"] == said
        assert summary_text(table.summary) == said
        if error.status == 401:
            assert any(AUTH_HINT in a["message"] for a in table.alerts)
        client.error = None
        assert table.refresh()["error"] is None
        assert "not_loaded" not in table.summary and summary_text(table.summary) == "1 studio · 1 running"
        assert not table.alerts  # the load banner clears with fresh data
        client.error = error  # a later failure keeps the rows and their counts
        table.refresh()
        assert "not_loaded" not in table.summary and table.summary["total"] == 1
    finally:
        table.close()
