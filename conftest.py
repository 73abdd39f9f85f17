"""Repository-wide pytest set-up.

Notebooks under ``notebooks/`` run under nbval against a simulated DSS: each notebook gets a
fresh, seeded ``demo`` simulator (so notebooks do not depend on each other's actions), and
``DKU_DSS_URL`` / ``DKU_API_KEY`` point at it — the same configuration path a real DSS uses, so
the notebooks hold nothing simulator-specific (``CSWIDGETS_CLASSIC_LOADER=0`` keeps the
classic-notebook loader's output out of them). nbval starts a notebook's kernel while setting up
the notebook's first cell, before any fixture runs, so the simulator is swapped in a
``pytest_runtest_setup`` hook that runs first (kernels inherit this process's environment).
``scripts/execute_notebooks.py`` saves outputs with the same simulator settings. The time of each
static fallback ("Snapshot of <time>") is sanitized by ``notebooks/nbval-sanitize.cfg`` (set here, so
every ``--nbval`` run uses it).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

pytest_plugins = ["tests.chromium"]  # the one Chromium fixture (browser, hardening, DSS-like tests)

NOTEBOOK_KEY = "nbval-demo-key"
NOTEBOOK_SIM = {"scenario": "demo", "api_key": NOTEBOOK_KEY, "seed": 0, "speed": 20.0}
# no classic-notebook loader output in saved or compared outputs (emptied when its cell ends, it would
# still be one extra empty output per panel cell)
NOTEBOOK_ENV = {"CSWIDGETS_CLASSIC_LOADER": "0"}
_ENV_KEYS = ("DKU_DSS_URL", "DKU_API_KEY", "DKU_API_TICKET", *NOTEBOOK_ENV)
_state: dict = {}


NBVAL_SANITIZE = Path(__file__).parent / "notebooks" / "nbval-sanitize.cfg"


def pytest_configure(config):
    if getattr(config.option, "nbval", False) and not getattr(config.option, "nbval_sanitize_with", None):
        config.option.nbval_sanitize_with = str(NBVAL_SANITIZE)


def _notebook_of(item) -> str | None:
    path = str(getattr(item, "path", "") or getattr(item, "fspath", ""))
    return path if path.endswith(".ipynb") else None


def _stop_sim() -> None:
    sim = _state.pop("sim", None)
    _state.pop("notebook", None)
    if sim is not None:
        sim.stop()


def _restore_env() -> None:
    for k, v in _state.pop("saved", {}).items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    notebook = _notebook_of(item)
    if notebook is None:  # a test after a notebook (pytest-xdist mixes them): no notebook settings left
        if "sim" in _state:
            _stop_sim()
            _restore_env()
        return
    if _state.get("notebook") == notebook:
        return
    from cswidgets.sim import Simulator

    _stop_sim()
    _state.setdefault("saved", {k: os.environ.get(k) for k in _ENV_KEYS})
    sim = Simulator(**NOTEBOOK_SIM)
    sim.start()
    _state.update(sim=sim, notebook=notebook)
    os.environ.update({"DKU_DSS_URL": sim.url, "DKU_API_KEY": NOTEBOOK_KEY, **NOTEBOOK_ENV})
    os.environ.pop("DKU_API_TICKET", None)


def pytest_sessionfinish(session, exitstatus):
    _stop_sim()
    _restore_env()


@pytest.fixture(autouse=True)
def _close_live_tables_left_open():
    """A StudioTable stays live (reading DSS on its own thread) until it is closed, like in a kernel. Many
    tests build one and never close it; close those when the test ends, so their reads do not land in later
    tests' request logs. Tables made by class- or module-scoped fixtures are left to those fixtures."""
    try:
        from ipywidgets.widgets import widget as ipywidget
    except ImportError:
        yield
        return
    registry = ipywidget._instances if hasattr(ipywidget, "_instances") else ipywidget.Widget.widgets
    before = set(registry)
    yield
    for model_id, widget in list(registry.items()):
        if model_id not in before and getattr(widget, "_live_thread", None) is not None:
            widget.close()
