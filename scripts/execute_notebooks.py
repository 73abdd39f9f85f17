"""Execute notebooks in place against a fresh seeded simulator, saving outputs for nbval.

    .venv/bin/python scripts/execute_notebooks.py                       # every notebook
    .venv/bin/python scripts/execute_notebooks.py notebooks/studios.ipynb ...

Each notebook gets its own fresh simulator with the settings the root conftest uses for
``pytest --nbval`` (``conftest.NOTEBOOK_SIM``), reached through
``DKU_DSS_URL`` / ``DKU_API_KEY`` like a real DSS. Saved notebooks keep only what a reader needs:
the widgets' static HTML and text fallbacks (no widget-view output, no widget state, no
execution timestamps), so they render on GitHub and nbval compares stable text.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "notebooks").glob("*.ipynb"))
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def tidy(path: Path) -> None:
    """Drop widget views/state and execution timestamps from a saved notebook."""
    nb = json.loads(path.read_text())
    nb.get("metadata", {}).pop("widgets", None)
    for cell in nb["cells"]:
        cell.get("metadata", {}).pop("execution", None)
        for out in cell.get("outputs", []):
            data = out.get("data")
            if isinstance(data, dict):
                data.pop(WIDGET_VIEW, None)
    path.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n")


def execute(path: Path, timeout: int = 600) -> None:
    sys.path.insert(0, str(ROOT))
    from conftest import NOTEBOOK_ENV, NOTEBOOK_SIM  # the same simulator and settings nbval runs with
    from cswidgets.sim import Simulator

    with Simulator(**NOTEBOOK_SIM) as sim:
        env = {k: v for k, v in os.environ.items() if k != "DKU_API_TICKET"}
        env.update(DKU_DSS_URL=sim.url, DKU_API_KEY=NOTEBOOK_SIM["api_key"], **NOTEBOOK_ENV)
        subprocess.run(
            [str(Path(sys.executable).with_name("jupyter")), "nbconvert", "--to", "notebook", "--execute",
             "--inplace", f"--ExecutePreprocessor.timeout={timeout}",
             "--ExecutePreprocessor.store_widget_state=False", str(path)],
            env=env, cwd=path.parent, check=True,
        )
    tidy(path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("notebooks", nargs="*", default=DEFAULT)
    args = parser.parse_args(argv)
    for name in args.notebooks:
        path = (ROOT / name).resolve()
        print(f"executing {path.relative_to(ROOT)}", flush=True)  # noqa: T201 - a command-line tool
        execute(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
