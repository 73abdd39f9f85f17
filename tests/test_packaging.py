"""The built wheel carries the front-end bundles and stylesheets and installs without Node."""

from __future__ import annotations

import os
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.slow  # `make test-slow` (CI runs it after `make test`)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    if not (ROOT / "cswidgets" / "static").is_dir():
        pytest.fail("front end not built: run `npm run build` (make test does it)")
    out = tmp_path_factory.mktemp("dist")
    subprocess.run([sys.executable, "-m", "build", "--wheel", "--outdir", str(out), str(ROOT)],
                   check=True, capture_output=True, text=True)
    (whl,) = out.glob("cswidgets-*.whl")
    return whl


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
