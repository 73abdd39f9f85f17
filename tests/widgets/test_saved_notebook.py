"""A notebook executed headless (nbclient, as nbconvert --execute and papermill do) saves no trace of the
classic-notebook loader: its output is emptied when each cell ends (``cswidgets/widgets/shared/classic.py``).
A real kernel; the panels are created against the simulator. (Saved from JupyterLab after the panels
rendered: tests/browser/test_classic_loader.py.)"""

from __future__ import annotations

import json

import nbformat
import pytest
from nbclient import NotebookClient

from cswidgets.sim import Simulator
from cswidgets.widgets.shared import classic as _classic

KEY = "k-headless"
CELLS = [
    "import cswidgets\nclient = cswidgets.connect()",
    "cswidgets.StudioTable(client, live=False)",
    "cswidgets.TemplateBuilds(client)",
]


@pytest.fixture
def executed(monkeypatch, tmp_path):
    monkeypatch.delenv(_classic.ENV_VAR, raising=False)  # the loader on, as in a user's kernel
    with Simulator(scenario="demo", api_key=KEY, seed=0) as sim:
        monkeypatch.setenv("DKU_DSS_URL", sim.url)
        monkeypatch.setenv("DKU_API_KEY", KEY)
        nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in CELLS])
        NotebookClient(nb, kernel_name="python3", timeout=120, resources={"metadata": {"path": str(tmp_path)}},
                       record_timing=False).execute()
    return nb


def test_no_loader_script_in_a_notebook_executed_headless(executed):
    outputs = json.dumps([cell.outputs for cell in executed.cells])
    assert "application/javascript" not in outputs and "requirejs" not in outputs
    for cell in executed.cells[1:]:
        # where the loader was: an empty output; then the panel (widget view, static snapshot, summary)
        first, panel = cell.outputs
        assert first == {"output_type": "display_data", "data": _classic.EMPTY, "metadata": {}}
        assert {"application/vnd.jupyter.widget-view+json", "text/html", "text/plain"} <= set(panel["data"])
    assert len(json.dumps(executed.cells[1].outputs)) < 30_000  # was over 34 KB of script per panel cell
