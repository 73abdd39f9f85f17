"""The quickstart notebook in real front ends: open it, run every cell, check what it shows."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

import cswidgets
from tests.browser.support import without_outputs

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"


@pytest.mark.parametrize("app", ["lab", "notebook"])
def test_quickstart_runs_in_front_end(jupyter, page, app):
    server = jupyter(app, files={"quickstart.ipynb": without_outputs(NOTEBOOKS / "quickstart.ipynb")})
    server.open(page, "quickstart.ipynb")
    server.run_all(page)
    nb = server.notebook_locator(page)
    expect(nb.get_by_text(f"cswidgets {cswidgets.__version__}", exact=True)).to_be_visible(timeout=60_000)
    assert page.offhost == [], page.offhost
