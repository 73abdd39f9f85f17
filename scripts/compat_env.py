"""The code environments DSS users have: build them from the wheel, run the compat tests in each.

Each environment is a virtualenv built as a user builds a DSS code environment: ``pip install`` of the
wheel (``dist/*.whl``) together with pinned releases of what DSS code environments commonly hold, plus
``ipykernel`` (every notebook kernel has it). :data:`ENVIRONMENTS` is the one list: ``make test-compat``
runs it and the README's support table is generated from it (``tests/test_compat_table.py`` keeps them
equal).

Commands (run with the project's ``.venv/bin/python`` from the repository root)::

    python scripts/compat_env.py list                  # names, one a line
    python scripts/compat_env.py make NAME [--with PKG ...]   # build one env; prints its python
    python scripts/compat_env.py test NAME             # run tests/compat in it, against a simulator
    python scripts/compat_env.py run [NAME ...] [-j N] # make + test each (default: all), with a summary
    python scripts/compat_env.py table                 # the README support table (Markdown)

Environments live in ``.compat/NAME`` (rebuilt only when the wheel, the pins or the python change);
pip's cache is shared. A simulator runs inside an environment that has the ``sim`` extra, else one is
started from the project's own environment (``python -m cswidgets.sim``) for the duration of the test.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ENV_ROOT = ROOT / ".compat"
TESTS = ROOT / "tests" / "compat"
API_KEY = "compat-admin-key"
BASE_PACKAGES = ("ipykernel", "pytest>=7", "pytest-timeout")  # a notebook kernel + the test runner


@dataclass(frozen=True)
class Env:
    """One environment: a Python, pins installed with the wheel, and what it shows in the support table."""

    name: str
    python: str
    pins: tuple[str, ...]
    extras: tuple[str, ...] = ()
    preinstalled: tuple[str, ...] = ()  # installed first, as the user's code env already had them
    front_end: str = "Python side only (no browser)"
    note: str = ""
    shown: dict[str, str] = field(default_factory=dict)  # table cells that are not pins

    def pin(self, package: str) -> str:
        """The table cell for ``package``: its pinned version, or "newest"."""
        for spec in (*self.pins, *self.preinstalled):
            m = re.match(rf"^{re.escape(package)}([<>=!~].*)$", spec, re.IGNORECASE)
            if m:
                return _shown_spec(m.group(1))
        return self.shown.get(package, "newest")


def _shown_spec(spec: str) -> str:
    if spec.startswith("=="):
        return spec[2:].removesuffix(".*")
    return spec.replace(">=", "≥ ").replace(",<", ", < ")


ENVIRONMENTS: tuple[Env, ...] = (
    Env(
        "py39-oldest",
        "3.9",
        ("pandas==1.5.3", "numpy==1.26.*", "urllib3==1.26.*", "requests==2.31.*", "ipywidgets==7.8.*",
         "anywidget==0.9.*", "dataiku-api-client"),
        note="DSS's built-in environment (Python 3.9) with the oldest releases cswidgets accepts",
    ),
    Env(
        "py310-flask22",
        "3.10",
        ("pandas==2.0.*", "numpy==1.26.*", "ipywidgets==8.1.*", "werkzeug==2.3.*"),
        extras=("sim",),
        preinstalled=("flask==2.2.*", "werkzeug==2.3.*"),
        note="a code env that already runs Flask 2.2 / Werkzeug 2.3: the simulator extra keeps Werkzeug 2.3",
    ),
    Env(
        "py312-pandas22",
        "3.12",
        ("pandas==2.2.*", "urllib3>=2", "ipywidgets==8.1.*"),
        note="pandas 2.2 and urllib3 2; no dataikuapi (DSSError then derives from Exception)",
    ),
    Env(
        "py313-newest",
        "3.13",
        ("pandas>=3", "numpy>=2", "ipywidgets==8.1.*", "dataiku-api-client", "six"),  # dataikuapi imports six

        extras=("sim",),
        note="the newest release of everything",
    ),
)
#: The code environments of the DSS-like browser tests (``make test-dss-like``, tests/dss_like): the project's
#: Python with the wheel and one ipywidgets release, as the kernel of DSS's classic Notebook server. Built by
#: :func:`make` like the others, run by the browser tests, shown in the same table.
DSS_LIKE_FRONT_END = "classic Notebook 6.5.7 + widgetsnbextension 3.6.10, no anywidget on the server (Chromium)"
DSS_LIKE_KERNELS: tuple[Env, ...] = tuple(
    Env(f"dss-like-{key}", "3.11", (pin,), front_end=DSS_LIKE_FRONT_END,
        note=f"a DSS notebook: DSS's own server, a code env with ipywidgets {version} (`make test-dss-like`)")
    for key, pin, version in (("ipyw7", "ipywidgets==7.8.5", "7.8"), ("ipyw8", "ipywidgets==8.1.*", "8.1"))
)
BY_NAME = {env.name: env for env in ENVIRONMENTS}
TABLE_COLUMNS = ("Python", "pandas", "numpy", "urllib3", "requests", "ipywidgets", "anywidget", "simulator extra")


# -- building ------------------------------------------------------------------------------------
def find_python(version: str) -> str:
    """An interpreter for ``version`` ("3.9"): ``CSW_PYTHON_3_9``, ``python3.9`` on PATH, or pyenv's."""
    candidates = [os.environ.get(f"CSW_PYTHON_{version.replace('.', '_')}"), shutil.which(f"python{version}")]
    pyenv = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv")) / "versions"
    candidates += sorted(map(str, pyenv.glob(f"{version}.*/bin/python{version}")), reverse=True)
    for exe in filter(None, candidates):
        probe = subprocess.run([exe, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
                               capture_output=True, text=True, check=False)
        if probe.returncode == 0 and probe.stdout.strip() == version:
            return exe
    raise SystemExit(f"no Python {version} found (set CSW_PYTHON_{version.replace('.', '_')} to one)")


def find_wheel() -> Path:
    wheels = sorted((ROOT / "dist").glob("cswidgets-*.whl"))
    if len(wheels) != 1:
        raise SystemExit(f"expected one wheel in dist/, found {len(wheels)}: run `make wheel` first")
    return wheels[0]


def env_dir(env: Env) -> Path:
    return ENV_ROOT / env.name


def env_python(env: Env) -> Path:
    return env_dir(env) / "bin" / "python"


def make(env: Env, extra: tuple[str, ...] = (), log: Path | None = None) -> Path:
    """Build ``env`` (if the wheel, pins or python changed) and return its python.

    ``extra``: more requirements installed on top (``--with``), resolved together with the pins.
    """
    wheel = find_wheel()
    python = find_python(env.python)
    spec = json.dumps([python, env.pins, env.extras, env.preinstalled, BASE_PACKAGES])
    wheel_hash = hashlib.sha256(wheel.read_bytes()).hexdigest()
    stamp, wheel_stamp = env_dir(env) / ".compat-stamp", env_dir(env) / ".compat-wheel"
    wheel_req = f"cswidgets[{','.join(env.extras)}] @ {wheel.as_uri()}" if env.extras else str(wheel)
    reuse = stamp.exists() and stamp.read_text() == spec and env_python(env).exists()
    if reuse and wheel_stamp.exists() and wheel_stamp.read_text() == wheel_hash and not extra:
        return env_python(env)
    out = open(log, "a") if log else None  # noqa: SIM115 (closed below)
    try:
        def pip(*args: str) -> None:
            _run([str(env_python(env)), "-m", "pip", "--disable-pip-version-check", *args], out)

        if reuse:  # same environment, new wheel: replace cswidgets only (its requirements may have changed)
            pip("install", "--quiet", "--force-reinstall", "--no-deps", str(wheel))
        else:
            shutil.rmtree(env_dir(env), ignore_errors=True)
            _run([python, "-m", "venv", str(env_dir(env))], out)
            pip("install", "--quiet", "--upgrade", "pip")
            if env.preinstalled:
                pip("install", "--quiet", *env.preinstalled)
        # one resolver run, as a user's `pip install cswidgets pandas==...` would do
        pip("install", "--quiet", wheel_req, *env.pins, *BASE_PACKAGES, *extra)
        check_versions(env)
    finally:
        if out:
            out.close()
    stamp.write_text(spec)
    wheel_stamp.write_text(wheel_hash)
    return env_python(env)


def _run(cmd: list[str], out) -> None:
    if out:
        out.write(f"$ {' '.join(cmd)}\n")
        out.flush()
    subprocess.run(cmd, check=True, stdout=out, stderr=subprocess.STDOUT if out else None)


def installed(env: Env) -> dict[str, str]:
    """``{name: version}`` of the distributions installed in ``env`` (names lower-case, ``-`` for ``_``)."""
    code = ("import json, importlib.metadata as m; print(json.dumps({d.metadata['Name'].lower().replace('_', '-'): "
            "d.version for d in m.distributions()}))")
    return json.loads(subprocess.run([str(env_python(env)), "-c", code], capture_output=True, text=True,
                                     check=True).stdout)


def check_versions(env: Env) -> dict[str, str]:
    """Fail when an installed release does not match a pin (a pin pip had to give up, or an upgrade of
    something the environment held before cswidgets came: ``preinstalled``)."""
    from packaging.requirements import Requirement

    have = installed(env)
    wrong = []
    for spec in (*env.pins, *env.preinstalled):
        req = Requirement(spec)
        version = have.get(req.name.lower().replace("_", "-"))
        if version is None or not req.specifier.contains(version, prereleases=True):
            wrong.append(f"{spec} (installed: {version})")
    if wrong:
        raise SystemExit(f"{env.name}: installed releases do not match: {', '.join(wrong)}")
    return have


# -- testing -------------------------------------------------------------------------------------
def run_tests(env: Env, log: Path | None = None) -> int:
    """Run ``tests/compat`` with ``env``'s python (as an installed package: never the source tree)."""
    sim = None
    environ = {**os.environ, "CSW_COMPAT_ENV": env.name, "CSW_COMPAT_EXTRAS": ",".join(env.extras),
               "CSW_COMPAT_SIM_KEY": API_KEY, "PYTHONDONTWRITEBYTECODE": "1"}
    environ.pop("PYTHONPATH", None)
    if "sim" not in env.extras:
        sim = _start_simulator()
        environ["CSW_COMPAT_SIM_URL"] = sim[1]
    out = open(log, "a") if log else None  # noqa: SIM115 (closed below)
    try:
        with tempfile.TemporaryDirectory(prefix="csw-compat-") as cwd:  # keep the checkout off sys.path
            cmd = [str(env_python(env)), "-m", "pytest", "-c", str(TESTS / "pytest.ini"), "--rootdir", str(TESTS),
                   "-p", "no:cacheprovider", "-q", str(TESTS)]
            if out:
                out.write(f"$ {' '.join(cmd)}\n")
                out.flush()
            return subprocess.run(cmd, cwd=cwd, env=environ, stdout=out, stderr=subprocess.STDOUT if out else None,
                                  check=False).returncode
    finally:
        if out:
            out.close()
        if sim:
            sim[0].terminate()
            sim[0].wait(10)


def _start_simulator() -> tuple[subprocess.Popen, str]:
    """A demo simulator from the project's own environment (the test env lacks the ``sim`` extra)."""
    proc = subprocess.Popen([sys.executable, "-m", "cswidgets.sim", "--api-key", API_KEY, "--scenario", "demo",
                             "--speed", "50"], stdout=subprocess.PIPE, text=True, cwd=ROOT)
    line = proc.stdout.readline()  # "cswidgets.sim listening on http://127.0.0.1:PORT" once ready
    if "listening on " not in line:
        proc.kill()
        raise SystemExit(f"the simulator did not start: {line!r}")
    return proc, line.split("listening on ", 1)[1].strip()


def run(envs: list[Env], jobs: int) -> int:
    """Build every env (``jobs`` at a time), then test them, ``jobs`` at a time; print a summary."""
    logs = ROOT / "build" / "compat"
    logs.mkdir(parents=True, exist_ok=True)
    results: dict[str, str] = {}

    def one(env: Env) -> None:
        log = logs / f"{env.name}.log"
        log.write_text("")
        started = time.monotonic()
        try:
            make(env, log=log)
        except (subprocess.CalledProcessError, SystemExit) as exc:
            results[env.name] = f"BUILD FAILED ({exc}; see {log.relative_to(ROOT)})"
            return
        built = time.monotonic()
        code = run_tests(env, log=log)
        outcome = "ok" if code == 0 else f"TESTS FAILED (see {log.relative_to(ROOT)})"
        results[env.name] = f"{outcome}: built in {built - started:.0f} s, tested in {time.monotonic() - built:.0f} s"

    with ThreadPoolExecutor(max_workers=jobs) as pool:
        list(pool.map(one, envs))
    for env in envs:
        print(f"{env.name:18} {results[env.name]}")
    return 0 if all(r.startswith("ok") for r in results.values()) else 1


# -- the README table ----------------------------------------------------------------------------
def table() -> str:
    """The README's support table, from :data:`ENVIRONMENTS` and :data:`DSS_LIKE_KERNELS`."""
    head = ["Environment", *TABLE_COLUMNS, "Front end", "What it stands for"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for env in (*ENVIRONMENTS, *DSS_LIKE_KERNELS):
        cells = [f"`{env.name}`", env.python, *(env.pin(p) for p in TABLE_COLUMNS[1:-1]),
                 "yes" if "sim" in env.extras else "no", env.front_end, env.note]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("list")
    sub.add_parser("table")
    p_make = sub.add_parser("make")
    p_make.add_argument("name", choices=sorted(BY_NAME))
    p_make.add_argument("--with", dest="extra", action="append", default=[], help="one more requirement")
    p_test = sub.add_parser("test")
    p_test.add_argument("name", choices=sorted(BY_NAME))
    p_run = sub.add_parser("run")
    p_run.add_argument("names", nargs="*", default=[], help=f"some of: {', '.join(BY_NAME)} (default: all)")
    p_run.add_argument("-j", "--jobs", type=int, default=2)
    args = parser.parse_args(argv)
    if args.command == "list":
        print("\n".join(BY_NAME))
    elif args.command == "table":
        print(table())
    elif args.command == "make":
        print(make(BY_NAME[args.name], tuple(args.extra)))
    elif args.command == "test":
        return run_tests(BY_NAME[args.name])
    else:
        unknown = [n for n in args.names if n not in BY_NAME]
        if unknown:
            parser.error(f"unknown environment(s): {', '.join(unknown)}")
        return run([BY_NAME[n] for n in args.names] or list(ENVIRONMENTS), args.jobs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
