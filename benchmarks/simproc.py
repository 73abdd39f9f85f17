"""A scale simulator in its own process, for the benchmarks that measure a client against it (its CPU is
then not the client's): ``with scale_simulator(key, projects, studios, latency_ms) as remote`` yields a
:class:`cswidgets.sim.RemoteSimulator` (``remote.url``, its control operations)."""

from __future__ import annotations

import contextlib
import subprocess
import sys
from collections.abc import Iterator

from cswidgets.sim import RemoteSimulator


@contextlib.contextmanager
def scale_simulator(key: str, projects: int, studios: int, latency_ms: float) -> Iterator[RemoteSimulator]:
    cmd = [sys.executable, "-m", "cswidgets.sim", "--scenario", "scale", "--api-key", key,
           "--projects", str(projects), "--studios", str(studios), "--latency-ms", str(latency_ms)]  # fmt: skip
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True)
    try:
        line = proc.stdout.readline() if proc.stdout else ""
        if "listening on" not in line:
            raise RuntimeError(f"the simulator did not start: {line!r}")
        remote = RemoteSimulator(line.split()[-1], key)
        try:
            yield remote
        finally:
            remote.close()
    finally:
        proc.terminate()
        proc.wait(30)
