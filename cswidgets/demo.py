"""The main job: JupyterLab on the notebooks, connected to a DSS.

``python -m cswidgets.demo [--notebooks DIR] [--port PORT] [--scenario demo]``

When no real DSS is configured (no ``DKU_DSS_URL``/``DKU_API_KEY``, no in-DSS ticket, no
``~/.dataiku/config.json``), an embedded simulator is started and its address is handed to
JupyterLab's kernels through ``DKU_DSS_URL``/``DKU_API_KEY`` — the same configuration path a
real DSS uses, so the notebooks contain nothing simulator-specific. Ctrl-C stops JupyterLab,
its kernels and the simulator, leaving no process behind.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import secrets
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any


def real_dss_configured(env: dict[str, str] | None = None, home: Path | None = None) -> bool:
    """Whether a real DSS is configured by one of the sources ``cswidgets.connect()`` reads."""
    env = dict(os.environ if env is None else env)
    if env.get("DKU_DSS_URL") and env.get("DKU_API_KEY"):
        return True
    if env.get("DKU_API_TICKET"):
        return True
    return ((home or Path.home()) / ".dataiku" / "config.json").exists()


@contextlib.contextmanager
def simulated_dss(scenario: str = "demo", seed: int = 0, speed: float = 1.0) -> Any:
    """Start the embedded simulator; yield the environment variables that point at it."""
    from cswidgets.sim import Simulator

    key = f"demo-{secrets.token_hex(8)}"
    with Simulator(scenario=scenario, api_key=key, seed=seed, speed=speed) as sim:
        yield sim, {"DKU_DSS_URL": sim.url, "DKU_API_KEY": key}


def _run(cmd: list[str], env: dict[str, str]) -> int:
    """Run ``cmd`` in its own process group; on Ctrl-C/SIGTERM stop the whole group."""
    proc = subprocess.Popen(cmd, env=env, start_new_session=True)

    def forward(signum: int, _frame: Any) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)

    old = {s: signal.signal(s, forward) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        try:
            return proc.wait()
        except KeyboardInterrupt:
            forward(signal.SIGINT, None)
            return proc.wait()
    finally:
        for s, handler in old.items():
            signal.signal(s, handler)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m cswidgets.demo", description=__doc__.split("\n\n")[0])
    parser.add_argument("--notebooks", default="notebooks", help="folder JupyterLab opens (default: notebooks)")
    parser.add_argument("--open", default="quickstart.ipynb", help="notebook to open first")
    parser.add_argument("--port", type=int, default=8888)
    parser.add_argument("--scenario", default="demo", choices=["demo", "scale", "empty"])
    parser.add_argument("--simulator", action="store_true", help="use the simulator even if a DSS is configured")
    parser.add_argument("--no-browser", action="store_true")
    parser.add_argument("jupyter_args", nargs="*", help="extra arguments for jupyter lab (after --)")
    args = parser.parse_args(argv)

    root = Path(args.notebooks).resolve()
    cmd = [sys.executable, "-m", "jupyter", "lab", f"--ServerApp.root_dir={root}", f"--port={args.port}",
           "--ServerApp.ip=127.0.0.1", "--LabApp.extension_manager=readonly", "--LabApp.news_url=None",
           "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"]
    if (root / args.open).exists():
        cmd.append(f"--ServerApp.default_url=/lab/tree/{args.open}")
    if args.no_browser:
        cmd.append("--no-browser")
    if os.geteuid() == 0:
        cmd.append("--allow-root")
    cmd += args.jupyter_args
    env = dict(os.environ)
    if real_dss_configured() and not args.simulator:
        print("cswidgets: using the DSS configured in your environment", flush=True)
        return _run(cmd, env)
    with simulated_dss(args.scenario) as (sim, sim_env):
        print(f"cswidgets: no DSS configured, simulated DSS ({args.scenario}) at {sim.url}", flush=True)
        env.update(sim_env)
        return _run(cmd, env)


if __name__ == "__main__":
    raise SystemExit(main())
