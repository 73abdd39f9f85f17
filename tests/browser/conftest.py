"""Real-browser fixtures: Debian's Chromium driven by Playwright against JupyterLab 4 and
Notebook 7 (and the classic notebook interface), each server isolated in temp folders.

Browser tests carry the ``browser`` marker, and ``slow`` unless they are in ``CORE`` (below). Without
Chromium they are skipped, unless ``CSW_REQUIRE_BROWSER=1`` (set by ``.ci/run``) makes that a failure.

One server per front end for the whole session (starting one costs seconds): each ``jupyter(...)``
call gets a folder of its own in it, a kernel environment of its own (the ``env`` given, set in the
server's ``python3`` kernelspec when a notebook of that folder is opened) and the front end's
settings as a new server has them; every kernel is shut down after each test.

Helpers for tests:
    jupyter(app, files={...}, env={...})       -> NotebookFolder (factory fixture)
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
# classic: the widget manager's own start (it fetches the kernel's widgets, then re-renders every cell
# showing one) ends after its creation; a widget displayed before that re-render is removed by it (an empty
# output, or "Host is not attached." under a loaded machine). The same fetch, asked now, is answered after
# the manager's (one kernel, one channel, in order): once it is, the manager's start is over.
CLASSIC_WIDGETS_STARTED = """async () => { const wm = window.Jupyter.notebook.kernel.widget_manager;
  if (typeof wm._loadFromKernel === 'function') await wm._loadFromKernel();
  else await wm._get_comm_info();
  return true; }"""
JS_RUN_CELL = """async (i) => { const app = window.jupyterapp, nb = app.shell.currentWidget.content;
  nb.activeCellIndex = i; await app.commands.execute('notebook:run-cell'); }"""

#: The browser tests `make test` runs: one journey per panel, in the front ends users have (JupyterLab,
#: Notebook 7, and the classic notebook DSS ships). Every other browser test (the findings of each issue, the
#: layouts, marimo, the screenshots...) is also marked ``slow``: it runs in `make test-slow`, which CI runs
#: after `make test`. A new browser test is thus slow unless named here. (Node ids without the file's folder.)
CORE = (
    "test_studio_table.py::test_table_shows_studios_and_stops_one[",
    "test_conflict_viewer.py::test_pull_with_confirmation_syncs_dss_and_clears_conflicts[",
    "test_template_builds.py::test_build_progresses_and_ends_while_another_cell_runs[",
    "test_dashboard.py::test_quickstart_dashboard[",
    "test_classic_loader.py::test_panel_renders_with_one_visible_output[classic]",
)


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)
            if not item.nodeid.split("tests/browser/", 1)[-1].startswith(CORE):
                item.add_marker(pytest.mark.slow)


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
            page.evaluate(CLASSIC_WIDGETS_STARTED)
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

    def shutdown_kernels(self) -> None:
        """Shut every session and kernel of the server down (their kernel processes exit)."""
        auth = {"Authorization": f"token {TOKEN}"}
        for kind in ("sessions", "kernels"):
            for item in requests.get(f"{self.url}/api/{kind}", headers=auth, timeout=10).json():
                requests.delete(f"{self.url}/api/{kind}/{item['id']}", headers=auth, timeout=30)

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


KERNEL_ENV_PREFIXES = ("DKU_", "CSWIDGETS_")  # a kernel sees only those its test gives (kernelspec env)


def _fresh_settings(base: Path) -> None:
    """The user settings and workspaces of a new server (a test may change the theme, say)."""
    for sub in ("settings", "ws"):
        shutil.rmtree(base / sub, ignore_errors=True)
        (base / sub).mkdir()
    notif = base / "settings/@jupyterlab/apputils-extension/notification.jupyterlab-settings"
    notif.parent.mkdir(parents=True, exist_ok=True)
    notif.write_text(json.dumps({"fetchNews": "false"}))


def _set_kernel_env(base: Path, env: dict[str, str]) -> None:
    """The server's ``python3`` kernelspec (the installed one, copied to the server's own
    ``JUPYTER_PATH``, which Jupyter searches first) with ``env``: the environment of the kernels
    started next."""
    from jupyter_client.kernelspec import KernelSpecManager

    spec = KernelSpecManager().get_kernel_spec("python3")
    dest = base / "path" / "kernels" / "python3"
    if not dest.exists():
        shutil.copytree(spec.resource_dir, dest)
    (dest / "kernel.json").write_text(json.dumps({**spec.to_dict(), "env": dict(env)}))


def _start_server(app: str, base: Path, root: Path, env_extra: dict[str, str]) -> JupyterServer:
    env = {k: v for k, v in os.environ.items() if not k.startswith(KERNEL_ENV_PREFIXES)}
    for var, sub in [("JUPYTER_CONFIG_DIR", "cfg"), ("JUPYTER_DATA_DIR", "data"), ("JUPYTER_RUNTIME_DIR", "rt"),
                     ("JUPYTERLAB_WORKSPACES_DIR", "ws"), ("JUPYTERLAB_SETTINGS_DIR", "settings"),
                     ("IPYTHONDIR", "ipy"), ("JUPYTER_PATH", "path")]:
        (base / sub).mkdir(exist_ok=True)
        env[var] = str(base / sub)
    # Installed nbextensions/labextensions live in sys.prefix, which Jupyter still searches.
    _fresh_settings(base)
    _set_kernel_env(base, {})
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


@dataclass
class NotebookFolder:
    """What one ``jupyter(...)`` call gets of its front end's shared server: a folder of its own
    (notebook names are relative to it) and the environment of the kernels its notebooks start."""
    server: JupyterServer
    folder: str
    env: dict[str, str]

    @property
    def app(self) -> str:
        return self.server.app

    @property
    def url(self) -> str:
        return self.server.url

    @property
    def root(self) -> Path:
        return self.server.root / self.folder

    @property
    def log_path(self) -> Path:
        return self.server.log_path

    def notebook_url(self, name: str) -> str:
        return self.server.notebook_url(f"{self.folder}/{name}")

    def open(self, page, name: str) -> None:
        """Open notebook ``name`` (in this folder) and wait until its kernel is idle."""
        _set_kernel_env(self.server.root.parent, self.env)
        self.server.open(page, f"{self.folder}/{name}")

    def run_all(self, page) -> None:
        self.server.run_all(page)

    def run_cell(self, page, index: int) -> None:
        self.server.run_cell(page, index)

    def notebook_locator(self, page):
        return self.server.notebook_locator(page)


@pytest.fixture(scope="session")
def jupyter_servers(tmp_path_factory):
    """The servers of the session, one per front end, started when first asked for."""
    servers: dict[str, JupyterServer] = {}

    def get(app: str) -> JupyterServer:
        if app not in servers:
            base = tmp_path_factory.mktemp(app)
            root = base / "root"
            root.mkdir()
            servers[app] = _start_server(app, base, root, {})
        return servers[app]

    get.started = servers
    yield get
    for server in servers.values():
        server.stop()


@pytest.fixture(autouse=True)
def _no_kernel_outlives_its_test(jupyter_servers):
    yield
    for server in jupyter_servers.started.values():
        server.shutdown_kernels()


@pytest.fixture(scope="module")
def jupyter(jupyter_servers, request):
    """Factory: ``jupyter(app, files={name: path_or_text}, env={...})`` -> a NotebookFolder of the
    front end's server holding ``files``, whose kernels get ``env``."""
    count = 0

    def start(app: str, files: dict[str, Path | str] | None = None, env: dict[str, str] | None = None):
        nonlocal count
        if app in ("notebook", "classic"):
            pytest.importorskip("notebook" if app == "notebook" else "nbclassic")
        server = jupyter_servers(app)
        _fresh_settings(server.root.parent)
        count += 1
        folder = f"{request.module.__name__.rsplit('.', 1)[-1]}-{count}"
        (server.root / folder).mkdir()
        for name, src in (files or {}).items():
            dest = server.root / folder / name
            dest.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(src, Path):
                shutil.copy(src, dest)
            else:
                dest.write_text(src)
        return NotebookFolder(server=server, folder=folder, env=dict(env or {}))

    return start
