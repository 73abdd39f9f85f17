"""The two environments of a DSS notebook, built like DSS builds them, cached under ``.compat/dss-like``.

- **server**: DSS's own classic Notebook server: ``notebook==6.5.7`` with ``widgetsnbextension==3.6.10``
  installed and enabled the way DSS's documentation says (``jupyter nbextension install/enable --py
  widgetsnbextension --sys-prefix``); no anywidget in it.
- **kernel** (one per ipywidgets version): a code environment where a user ``pip install``-ed the
  wheel (``dist/*.whl``) with ``ipywidgets`` pinned and ``ipykernel``, built by
  ``scripts/compat_env.py`` (``.compat/dss-like-NAME``, rebuilt when the wheel or pins change); the
  server sees it through a kernelspec on its ``JUPYTER_PATH`` (:func:`kernelspec`).

The server is reused while its pins do not change (a ``.ready`` file marks a finished build, so an
interrupted build is redone).

    python -m tests.dss_like.envs            # build (or reuse) them all and print their paths
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

from scripts import compat_env

ROOT = Path(__file__).resolve().parents[2]
CACHE = Path(os.environ.get("CSW_COMPAT_DIR", ROOT / ".compat")) / "dss-like"
SERVER_PINS = ("notebook==6.5.7", "widgetsnbextension==3.6.10")
KERNELS = {env.name.removeprefix("dss-like-"): env for env in compat_env.DSS_LIKE_KERNELS}  # ipyw7, ipyw8
PYTHON = os.environ.get("CSW_DSS_LIKE_PYTHON", sys.executable)


def _key(*parts: str) -> str:
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:12]


def _run(cmd: list[str], log: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    with log.open("a") as out:
        out.write(f"$ {' '.join(cmd)}\n")
        out.flush()
        return subprocess.run(cmd, stdout=out, stderr=subprocess.STDOUT, env=env, check=False)


def _venv(path: Path, steps: list[Any], log_name: str) -> Path:
    """A virtualenv at ``path`` built by ``steps`` (commands, ``{py}`` for its python, or callables)."""
    ready = path / ".ready"
    if ready.exists():
        return path
    shutil.rmtree(path, ignore_errors=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    log = path.parent / f"{log_name}.log"
    log.write_text("")
    subprocess.run([PYTHON, "-m", "venv", str(path)], check=True)
    py = str(path / "bin" / "python")
    for step in steps:
        if callable(step):
            step(py, log)
            continue
        cmd = [py if part == "{py}" else part for part in step]
        if _run(cmd, log).returncode != 0:
            raise RuntimeError(f"building {path.name} failed: {' '.join(cmd)} (see {log})")
    ready.write_text(json.dumps({"python": PYTHON}))
    return path


def server(widgets: bool = True) -> Path:
    """The classic Notebook 6.5 server environment, widgets enabled as DSS does it (``widgets=False``:
    a server where nobody installed them)."""
    pins = SERVER_PINS if widgets else SERVER_PINS[:1]
    steps = [["{py}", "-m", "pip", "install", "--quiet", *pins]]
    if widgets:
        steps += [["{py}", "-m", "jupyter", "nbextension", action, "--py", "widgetsnbextension", "--sys-prefix"]
                  for action in ("install", "enable")]
    return _venv(CACHE / f"server-{_key(*pins)}", steps, "server" if widgets else "server-no-widgets")


def kernel(name: str) -> Path:
    """The code environment ``name`` (a key of :data:`KERNELS`) with the current wheel installed, built
    by ``scripts/compat_env.py`` as ``make test-compat`` builds its environments (``.compat/dss-like-NAME``)."""
    return compat_env.make(KERNELS[name]).parent.parent


def kernelspec(kernel_env: Path, jupyter_path: Path, name: str = "codeenv") -> str:
    """Register ``kernel_env`` under ``jupyter_path/kernels/name`` (as DSS registers code envs)."""
    folder = jupyter_path / "kernels" / name
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "kernel.json").write_text(json.dumps({
        "argv": [str(kernel_env / "bin" / "python"), "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": f"Python (code env {kernel_env.name})",
        "language": "python",
    }))
    return name


if __name__ == "__main__":
    print(server())
    for kernel_name in KERNELS:
        print(kernel(kernel_name))
