"""Real-browser fixtures: Debian's Chromium driven by Playwright against JupyterLab 4 and
Notebook 7 (and the classic notebook interface), each server isolated in temp folders.

Browser tests carry the ``browser`` marker. Without Chromium they are skipped, unless
``CSW_REQUIRE_BROWSER=1`` (set by ``make test`` in CI) makes that a failure.

Helpers for tests:
    jupyter(app, root_files={...}, env={...})  -> JupyterServer (factory fixture)
    server.open(page, "nb.ipynb")              -> navigates and waits for an idle kernel
    run_all(page) / run_cell(page, i)          -> run cells through window.jupyterapp
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import requests

from tests.browser.support import without_outputs  # noqa: F401 - re-exported for tests

TOKEN = "csw-e2e-token"
APPS = {  # app -> (jupyter subcommand, extra flags, URL path of a notebook)
    "lab": ("lab", ["--LabApp.expose_app_in_browser=True", "--LabApp.news_url=None",
                    "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
                    "--LabApp.extension_manager=readonly"], "lab/tree/{}?reset"),
    "notebook": ("notebook", ["--JupyterNotebookApp.expose_app_in_browser=True"], "notebooks/{}"),
    "classic": ("nbclassic", [], "nbclassic/notebooks/{}"),  # /notebooks/ is Notebook 7 when installed
}
JS_PANEL = "window.jupyterapp?.shell?.currentWidget?.sessionContext"
JS_KERNEL_IDLE = (f"{JS_PANEL}?.session?.kernel?.status === 'idle' && "
                  f"{JS_PANEL}.session.kernel.connectionStatus === 'connected'")
# classic: also wait for the widget manager (the widgets nbextension loads asynchronously; a widget
# displayed before it registers its renderer falls back to the static HTML under a loaded machine)
CLASSIC_KERNEL_IDLE = ("window.Jupyter?.notebook?.kernel?.is_connected?.() && "
                       "!!window.Jupyter.notebook.kernel.widget_manager && "
                       "window.Jupyter.notebook.kernel_busy !== true && "
                       "document.querySelector('#kernel_indicator_icon')?.classList.contains('kernel_idle_icon')")
JS_RUN_CELL = """async (i) => { const app = window.jupyterapp, nb = app.shell.currentWidget.content;
  nb.activeCellIndex = i; await app.commands.execute('notebook:run-cell'); }"""

def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


def _children(pid: int) -> dict[int, str]:
    out = {}
    for p in Path("/proc").glob("[0-9]*"):
        try:
            f = (p / "stat").read_text().rsplit(")", 1)[1].split()
            if int(f[1]) == pid:
                out[int(p.name)] = f[19]
        except (OSError, IndexError, ValueError):
            pass
    return out


@dataclass
class JupyterServer:
    app: str
    url: str
    root: Path
    proc: subprocess.Popen
    log_path: Path
    kernels: dict[int, str] = field(default_factory=dict)

    def notebook_url(self, name: str) -> str:
        path = APPS[self.app][2].format(name)
        sep = "&" if "?" in path else "?"
        return f"{self.url}/{path}{sep}token={TOKEN}"

    def open(self, page, name: str) -> None:
        """Open notebook ``name`` (relative to the root) and wait until its kernel is idle."""
        page.goto(self.notebook_url(name))
        if self.app == "classic":
            page.wait_for_function(CLASSIC_KERNEL_IDLE, timeout=90_000)
        else:
            page.wait_for_function(f"!!{JS_PANEL}", timeout=90_000)
            page.wait_for_function(JS_KERNEL_IDLE, timeout=90_000)

    def run_all(self, page) -> None:
        if self.app == "classic":
            page.evaluate("window.Jupyter.notebook.execute_all_cells()")
        else:
            page.evaluate("window.jupyterapp.commands.execute('notebook:run-all-cells')")

    def run_cell(self, page, index: int) -> None:
        if self.app == "classic":
            page.evaluate("(i) => window.Jupyter.notebook.execute_cells([i])", index)
        else:
            page.evaluate(JS_RUN_CELL, index)

    def notebook_locator(self, page):
        """The visible notebook (JupyterLab keeps hidden panels around)."""
        if self.app == "classic":
            return page.locator("#notebook")
        return page.locator(".jp-NotebookPanel:visible")

    def stop(self) -> None:
        self.kernels = _children(self.proc.pid)
        try:
            requests.post(f"{self.url}/api/shutdown", headers={"Authorization": f"token {TOKEN}"}, timeout=5)
            self.proc.wait(15)
        except Exception:
            if self.proc.poll() is None:
                os.killpg(self.proc.pid, signal.SIGTERM)
                try:
                    self.proc.wait(10)
                except subprocess.TimeoutExpired:
                    os.killpg(self.proc.pid, signal.SIGKILL)
                    self.proc.wait()
        for pid, start in self.kernels.items():  # kernels run in their own session: reap by PID
            try:
                if Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[19] == start:
                    os.kill(pid, signal.SIGKILL)
            except (OSError, IndexError):
                pass


def _start_server(app: str, base: Path, root: Path, env_extra: dict[str, str]) -> JupyterServer:
    env = dict(os.environ)
    for var, sub in [("JUPYTER_CONFIG_DIR", "cfg"), ("JUPYTER_DATA_DIR", "data"), ("JUPYTER_RUNTIME_DIR", "rt"),
                     ("JUPYTERLAB_WORKSPACES_DIR", "ws"), ("JUPYTERLAB_SETTINGS_DIR", "settings"),
                     ("IPYTHONDIR", "ipy")]:
        (base / sub).mkdir(exist_ok=True)
        env[var] = str(base / sub)
    # Installed nbextensions/labextensions live in sys.prefix, which Jupyter still searches.
    notif = base / "settings/@jupyterlab/apputils-extension/notification.jupyterlab-settings"
    notif.parent.mkdir(parents=True, exist_ok=True)
    notif.write_text(json.dumps({"fetchNews": "false"}))
    env.update(env_extra)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    sub, extra, _ = APPS[app]
    cmd = [str(Path(sys.executable).with_name("jupyter")), sub, "--no-browser", "--allow-root",
           "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}", "--ServerApp.port_retries=0",
           f"--IdentityProvider.token={TOKEN}", f"--ServerApp.root_dir={root}", *extra]
    if app == "classic":
        cmd += [f"--NotebookApp.token={TOKEN}"]
    log_path = base / "server.log"
    log = open(log_path, "w")  # noqa: SIM115 - closed with the process
    proc = subprocess.Popen(cmd, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while True:
        try:
            if requests.get(f"{url}/api/status", params={"token": TOKEN}, timeout=1).ok:
                break
        except requests.RequestException:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
            pytest.fail(f"{app} server did not start:\n" + log_path.read_text())
        time.sleep(0.1)
    return JupyterServer(app=app, url=url, root=root, proc=proc, log_path=log_path)


@pytest.fixture
def page(browser, request):
    """A fresh page that records every request leaving the local servers."""
    pg = browser.new_page(viewport={"width": 1280, "height": 900})
    pg.set_default_timeout(60_000)
    pg.offhost = []
    pg.on("request", lambda r: r.url.startswith(("http://127.0.0.1", "blob:", "data:")) or pg.offhost.append(r.url))
    pg.console_errors = []
    pg.on("pageerror", lambda e: pg.console_errors.append(str(e)))
    yield pg
    pg.close()


@pytest.fixture(scope="module")
def jupyter(tmp_path_factory):
    """Factory: ``jupyter(app, files={name: path_or_text}, env={...})`` starts a server whose root
    holds ``files``; every server is shut down (kernels reaped) at the end of the module."""
    started: list[JupyterServer] = []

    def start(app: str, files: dict[str, Path | str] | None = None, env: dict[str, str] | None = None):
        if app in ("notebook", "classic"):
            pytest.importorskip("notebook" if app == "notebook" else "nbclassic")
        base = tmp_path_factory.mktemp(app)
        root = base / "root"
        root.mkdir()
        for name, src in (files or {}).items():
            dest = root / name
            dest.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(src, Path):
                shutil.copy(src, dest)
            else:
                dest.write_text(src)
        server = _start_server(app, base, root, env or {})
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()
