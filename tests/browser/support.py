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


def notebook(*sources: str) -> str:
    """A notebook (JSON text) of one code cell per source, without outputs, on the ``python3`` kernel."""
    cells = [{"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None, "id": f"c{i}",
              "source": source} for i, source in enumerate(sources)]
    return json.dumps({
        "cells": cells,
        "metadata": {"kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"},
                     "language_info": {"name": "python"}},
        "nbformat": 4, "nbformat_minor": 5,
    })


#: The conflict viewer of the studio named by ``CSW_PK`` / ``CSW_SID`` in the kernel's environment.
VIEWER_NOTEBOOK = notebook("import os\nimport cswidgets\n\n"
                           "viewer = cswidgets.ConflictViewer(\n"
                           "    cswidgets.connect(), os.environ['CSW_PK'], os.environ['CSW_SID'])\n"
                           "viewer")
