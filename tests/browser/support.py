"""Helpers shared by the browser tests (importable as ``tests.browser.support``)."""

from __future__ import annotations

import json
from pathlib import Path


def without_outputs(path: Path) -> str:
    """The notebook at ``path`` with every output and execution count removed, so a test only
    sees what its own run produced."""
    nb = json.loads(path.read_text())
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            cell["outputs"], cell["execution_count"] = [], None
    nb.get("metadata", {}).pop("widgets", None)
    return json.dumps(nb)
