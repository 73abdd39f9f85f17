"""A DSS-like notebook in a real browser: DSS's classic Notebook 6.5 server (widgetsnbextension 3.6,
no anywidget) and a separate code environment where the wheel was pip-installed (see ``envs.py``).

These tests build environments (cached under ``.compat/dss-like``), so they run only when asked:
``make test-dss-like`` (which builds the wheel and sets ``CSW_DSS_LIKE=1``). They carry the
``browser`` and ``dss_like`` markers.

Fixtures:
    dss_notebook(kernel_name, files={...}, env={...}, widgets=True) -> ClassicServer (server + kernelspec)
    page                                            -> as in tests/browser (Chromium: tests/chromium.py)
"""

from __future__ import annotations

import os
import socket
import subprocess
import time
from pathlib import Path

import pytest
import requests

from tests.browser.conftest import TOKEN, JupyterServer, page  # noqa: F401 - the page fixture
from tests.dss_like import envs


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/dss_like" in str(item.fspath):
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.dss_like)


@pytest.fixture(scope="session")
def dss_like_enabled():
    if os.environ.get("CSW_DSS_LIKE") != "1":
        pytest.skip("DSS-like tests build environments: run `make test-dss-like` (sets CSW_DSS_LIKE=1)")


class ClassicServer(JupyterServer):
    """The classic Notebook 6.5 server (``/notebooks/<name>``; kernels are reaped like the others)."""

    def notebook_url(self, name: str) -> str:
        return f"{self.url}/notebooks/{name}?token={TOKEN}"


def _start(server_env: Path, base: Path, root: Path, jupyter_path: Path, env_extra: dict[str, str]) -> ClassicServer:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JUPYTER", "CSWIDGETS_", "DKU_"))}
    for var, sub in [("JUPYTER_CONFIG_DIR", "cfg"), ("JUPYTER_DATA_DIR", "data"), ("JUPYTER_RUNTIME_DIR", "rt"),
                     ("IPYTHONDIR", "ipy")]:
        (base / sub).mkdir(exist_ok=True)
        env[var] = str(base / sub)
    env["JUPYTER_PATH"] = str(jupyter_path)  # where DSS puts its code environments' kernelspecs
    env.pop("VIRTUAL_ENV", None)
    env.update(env_extra)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    cmd = [str(server_env / "bin" / "jupyter"), "notebook", "--no-browser", "--allow-root", "--ip=127.0.0.1",
           f"--port={port}", "--port-retries=0", f"--NotebookApp.token={TOKEN}", "--NotebookApp.password=",
           f"--notebook-dir={root}"]
    log_path = base / "server.log"
    log = open(log_path, "w")  # noqa: SIM115 - closed with the process
    proc = subprocess.Popen(cmd, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    server = ClassicServer(app="classic", url=f"http://127.0.0.1:{port}", root=root, proc=proc, log_path=log_path)
    deadline = time.monotonic() + 90
    while True:
        try:
            if requests.get(f"{server.url}/api/status", params={"token": TOKEN}, timeout=1).ok:
                return server
        except requests.RequestException:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            server.stop()
            pytest.fail("classic notebook server did not start:\n" + log_path.read_text())
        time.sleep(0.1)


@pytest.fixture(scope="module")
def dss_notebook(dss_like_enabled, tmp_path_factory):
    """Factory: ``dss_notebook(kernel_name, files={name: text}, env={...}, widgets=True)`` builds (or
    reuses) the environments, registers the kernel env as kernelspec ``codeenv`` and starts the server
    (``widgets=False``: a server without widgetsnbextension)."""
    started: list[ClassicServer] = []

    def start(kernel_name: str, files: dict[str, str], env: dict[str, str] | None = None,
              widgets: bool = True) -> ClassicServer:
        kernel_env = envs.kernel(kernel_name)
        base = tmp_path_factory.mktemp(f"dss-{kernel_name}")
        root, jupyter_path = base / "root", base / "jupyter-path"
        root.mkdir()
        envs.kernelspec(kernel_env, jupyter_path)
        for name, text in files.items():
            (root / name).write_text(text)
        server = _start(envs.server(widgets), base, root, jupyter_path, env or {})
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()
