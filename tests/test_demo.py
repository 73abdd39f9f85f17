"""The main job (`make demo` → `python -m cswidgets.demo`): JupyterLab on the notebooks with a
simulated DSS when none is configured; Ctrl-C leaves no process behind."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from cswidgets.demo import real_dss_configured

ROOT = Path(__file__).resolve().parents[1]


def test_real_dss_detection(tmp_path):
    assert not real_dss_configured({}, home=tmp_path)
    assert real_dss_configured({"DKU_DSS_URL": "https://dss", "DKU_API_KEY": "k"}, home=tmp_path)
    assert not real_dss_configured({"DKU_DSS_URL": "https://dss"}, home=tmp_path)
    assert real_dss_configured({"DKU_API_TICKET": "t"}, home=tmp_path)
    (tmp_path / ".dataiku").mkdir()
    (tmp_path / ".dataiku" / "config.json").write_text(json.dumps({"dss_instances": {}}))
    assert real_dss_configured({}, home=tmp_path)


def _descendants(pid: int) -> set[int]:
    parents: dict[int, int] = {}
    for p in Path("/proc").glob("[0-9]*"):
        with contextlib.suppress(OSError, ValueError, IndexError):
            parents[int(p.name)] = int((p / "stat").read_text().rsplit(")", 1)[1].split()[1])
    found, frontier = set(), {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.slow  # `make test-slow` (CI runs it after `make test`)
def test_demo_starts_lab_on_a_simulated_dss_and_ctrl_c_stops_everything(tmp_path):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if not k.startswith("DKU_")}
    env["HOME"] = str(tmp_path)  # no ~/.dataiku/config.json: the simulator is used
    for var in ("JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR", "JUPYTER_RUNTIME_DIR", "IPYTHONDIR",
                "JUPYTERLAB_WORKSPACES_DIR", "JUPYTERLAB_SETTINGS_DIR"):
        (tmp_path / var).mkdir()
        env[var] = str(tmp_path / var)
    proc = subprocess.Popen(
        [sys.executable, "-m", "cswidgets.demo", "--no-browser", f"--port={port}", "--",
         "--IdentityProvider.token=demo-token"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    try:
        first = proc.stdout.readline()
        assert "simulated DSS (demo) at http://127.0.0.1:" in first, first
        sim_url = first.rsplit(" at ", 1)[1].strip()
        deadline = time.monotonic() + 60
        while True:
            try:
                r = requests.get(f"http://127.0.0.1:{port}/api/contents/quickstart.ipynb",
                                 headers={"Authorization": "token demo-token"}, timeout=2)
                if r.ok:
                    break
            except requests.RequestException:
                pass
            assert proc.poll() is None and time.monotonic() < deadline, "JupyterLab did not come up"
            time.sleep(0.2)
        # a kernel started by this JupyterLab sees the simulator through DKU_DSS_URL
        kernel = requests.post(f"http://127.0.0.1:{port}/api/kernels", headers={"Authorization": "token demo-token"},
                               json={"name": "python3"}, timeout=30)
        assert kernel.ok, kernel.text
        assert requests.get(f"{sim_url}/__sim__/health", timeout=5).status_code in (200, 401)
        tree = _descendants(proc.pid)
        assert tree, "JupyterLab was not started as a child of the demo"
        proc.send_signal(signal.SIGINT)  # Ctrl-C
        assert proc.wait(timeout=30) in (0, 130, -signal.SIGINT)
        deadline = time.monotonic() + 20
        while any(_alive(p) for p in tree) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not [p for p in tree if _alive(p)], "processes left behind"
        try:
            requests.get(f"{sim_url}/__sim__/health", timeout=1)
            raise AssertionError("the simulator is still serving")
        except requests.ConnectionError:
            pass
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
