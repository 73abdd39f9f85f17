"""The command line: ready line, official client, clean exit on SIGTERM/SIGINT."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import dataikuapi
import pytest
import requests

ROOT = Path(__file__).resolve().parents[2]


def launch(*args: str) -> tuple[subprocess.Popen[str], str]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "cswidgets.sim", "--port", "0", "--api-key", "cli-key", *args],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert proc.stdout is not None
    line = proc.stdout.readline()
    match = re.fullmatch(r"cswidgets\.sim listening on (http://127\.0\.0\.1:(\d+))\n", line)
    if match is None:
        proc.kill()
        pytest.fail(f"unexpected first line {line!r}; stderr: {proc.stderr.read() if proc.stderr else ''}")
    return proc, match.group(1)


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_cli_serves_and_stops_cleanly(sig):
    proc, url = launch("--scenario", "demo", "--seed", "3", "--speed", "50")
    try:
        client = dataikuapi.DSSClient(url, "cli-key")
        assert client.list_project_keys() == ["SALES_FORECAST", "CHURN_MODEL", "LOGISTICS"]
        t0 = time.monotonic()
        proc.send_signal(sig)
        assert proc.wait(timeout=5) == 0
        assert time.monotonic() - t0 < 3
        out, err = proc.communicate(timeout=5)
        assert out == "" and "Traceback" not in err
        with pytest.raises(requests.ConnectionError):
            requests.get(f"{url}/public/api/projects/", auth=("cli-key", ""), timeout=2)
    finally:
        if proc.poll() is None:
            proc.kill()


def test_cli_scale_and_latency():
    proc, url = launch("--scenario", "scale", "--projects", "3", "--studios", "30", "--latency-ms", "50")
    try:
        client = dataikuapi.DSSClient(url, "cli-key")
        t0 = time.monotonic()
        keys = client.list_project_keys()
        assert time.monotonic() - t0 >= 0.05
        assert len(keys) == 3
        assert sum(len(client.get_project(k).list_code_studios()) for k in keys) == 30
        proc.terminate()
        assert proc.wait(timeout=5) == 0
    finally:
        if proc.poll() is None:
            proc.kill()


def test_cli_rejects_bad_arguments():
    proc = subprocess.run(
        [sys.executable, "-m", "cswidgets.sim", "--port", "0"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=30,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert proc.returncode == 2 and "--api-key" in proc.stderr
