"""The release artifacts: an sdist and a wheel built from it (as ``python -m build`` makes them) pass ``twine check``,
carry the front-end bundles, the LICENSE and the metadata, and install without Node -- the sdist too, into a clean
environment where the panels load their bundled JS."""

from __future__ import annotations

import os
import subprocess
import sys
import tarfile
import venv
import zipfile
from email.parser import Parser
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# `make test-slow` (CI runs it after `make test`); one xdist worker builds the wheel and sdist once for all tests here
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("packaging")]


@pytest.fixture(scope="module")
def dist(tmp_path_factory):
    """``python -m build``: the sdist, then the wheel built from that sdist (what a release uploads)."""
    if not (ROOT / "cswidgets" / "static").is_dir():
        pytest.fail("front end not built: run `npm run build` (make test does it)")
    out = tmp_path_factory.mktemp("dist")
    subprocess.run([sys.executable, "-m", "build", "--outdir", str(out), str(ROOT)],
                   check=True, capture_output=True, text=True)
    (sdist,) = out.glob("cswidgets-*.tar.gz")
    (whl,) = out.glob("cswidgets-*.whl")
    return sdist, whl


@pytest.fixture(scope="module")
def wheel(dist):
    return dist[1]


@pytest.fixture(scope="module")
def sdist(dist):
    return dist[0]


def built_files() -> list[str]:
    static = ROOT / "cswidgets" / "static"
    return sorted(f"cswidgets/static/{p.name}" for pattern in ("*.js", "*.css") for p in static.glob(pattern))


def test_the_build_hook_ensures_every_built_file():
    """pyproject's ensured-targets name every bundle and stylesheet the build makes (a new panel
    or a renamed one must be added there, or a wheel could ship without it)."""
    tomllib = pytest.importorskip("tomllib")  # Python 3.11+
    hook = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["hatch"]["build"]["hooks"]["jupyter-builder"]
    assert sorted(hook["ensured-targets"]) == built_files()
    assert sorted(hook["skip-if-exists"]) == built_files()


def test_wheel_contains_every_bundle(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    built = built_files()
    assert any(n.endswith(".js") for n in built) and any(n.endswith(".css") for n in built), built
    for name in built:
        assert name in names
    assert not any(n.startswith(("js/", "tests/", "node_modules/")) for n in names)


def test_wheel_installs_and_imports_without_node(wheel, tmp_path):
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)  # a clean environment
    py = env_dir / "bin" / "python"
    env = {**os.environ, "PATH": str(env_dir / "bin")}  # no node on PATH
    subprocess.run([str(py), "-m", "pip", "install", "--quiet", "--no-deps", "--force-reinstall", str(wheel)],
                   check=True, env=env, capture_output=True, text=True)
    # `import cswidgets` is lazy: it needs none of the runtime dependencies (installed --no-deps here)
    code = ("import cswidgets, importlib.resources as r; s = r.files('cswidgets') / 'static'; "
            "print(cswidgets.__version__, len([p for p in s.iterdir() if p.name.endswith('.js')]), s)")
    out = subprocess.run([str(py), "-c", code], check=True, env=env, capture_output=True, text=True,
                         cwd=tmp_path).stdout.split()
    assert out[0] == __import__("cswidgets").__version__
    assert int(out[1]) >= 1
    assert str(env_dir) in out[2]  # imported from the installed wheel, not the checkout


def test_twine_check_passes(dist):
    """The metadata PyPI reads (README rendering, license expression, URLs) is valid: ``twine check --strict``."""
    done = subprocess.run([sys.executable, "-m", "twine", "check", "--strict", *map(str, dist)],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.count("PASSED") == 2


def test_wheel_metadata_is_complete(wheel):
    from cswidgets import __version__

    with zipfile.ZipFile(wheel) as zf:
        (name,) = [n for n in zf.namelist() if n.endswith(".dist-info/METADATA")]
        meta = Parser().parsestr(zf.read(name).decode())
        assert any(n.endswith(".dist-info/licenses/LICENSE") for n in zf.namelist())
    assert meta["Version"] == __version__
    assert meta["License-Expression"] == "Apache-2.0"
    assert meta.get_all("License-File") == ["LICENSE"]
    assert meta["Author"] or meta["Author-email"]
    assert "dataiku" in meta["Keywords"]
    classifiers = meta.get_all("Classifier")
    assert "Framework :: Jupyter :: JupyterLab :: 4" in classifiers
    assert "Programming Language :: Python :: 3.9" in classifiers and "Typing :: Typed" in classifiers
    urls = dict(u.split(", ", 1) for u in meta.get_all("Project-URL"))
    assert {"Homepage", "Documentation", "Source", "Issues", "Changelog"} <= set(urls)


def test_sdist_carries_sources_bundles_and_license(sdist):
    with tarfile.open(sdist) as tf:
        names = {n.split("/", 1)[1] for n in tf.getnames() if "/" in n}
    for needed in ("LICENSE", "CHANGELOG.md", "README.md", "pyproject.toml", "package.json", "package-lock.json",
                   "js/build.mjs", "cswidgets/_version.py", "cswidgets/py.typed", *built_files()):
        assert needed in names, needed
    assert not any(n.startswith(("node_modules/", ".venv/", ".stamps/", ".compat/", "dist/")) for n in names)


def test_sdist_installs_into_a_clean_environment_without_node(sdist, tmp_path):
    """pip builds the sdist (no Node on PATH: the bundles it carries are used) with the simulator extra, and the
    panels load their bundled JS and show a simulated instance."""
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    py = env_dir / "bin" / "python"
    env = {**os.environ, "PATH": str(env_dir / "bin")}  # no node, no npm
    env.pop("PYTHONPATH", None)
    done = subprocess.run([str(py), "-m", "pip", "install", "--quiet", f"{sdist}[sim]"],
                          env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    code = """
import pathlib, cswidgets
from cswidgets.sim import Simulator
with Simulator(scenario="demo", api_key="k", seed=0) as sim:
    client = cswidgets.connect(sim.url, api_key="k")
    table = cswidgets.StudioTable(client, live=False)
    for panel in (cswidgets.StudioTable, cswidgets.ConflictViewer, cswidgets.TemplateBuilds, cswidgets.FutureProgress):
        assert "front end not built" not in panel._esm, panel
        print("bundle", panel.__name__, len(panel._esm))
    print("from", pathlib.Path(cswidgets.__file__).parent)
    print("panel", repr(table))
    table.close()
    client.close()
"""
    done = subprocess.run([str(py), "-c", code], env=env, capture_output=True, text=True, cwd=tmp_path)
    assert done.returncode == 0, done.stderr[-3000:]
    lines = done.stdout.splitlines()
    bundles = [line.split() for line in lines if line.startswith("bundle ")]
    assert len(bundles) == 4 and all(int(size) > 1000 for _, _, size in bundles)  # each panel's bundled JS
    assert any(line.startswith("from ") and str(env_dir) in line for line in lines)  # installed, not the checkout
    assert any(line.startswith("panel <StudioTable: 13 studios") for line in lines), lines
