"""Shared by the compat tests (imported by name: ``tests/compat`` is put on ``sys.path`` by conftest.py,
the checkout's root never is, so ``cswidgets`` is the installed wheel)."""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path

KEY = os.environ.get("CSW_COMPAT_SIM_KEY", "compat-admin-key")
EXTRAS = set(filter(None, os.environ.get("CSW_COMPAT_EXTRAS", "").split(",")))


def _load_support():
    """``tests/support.py`` (wait_for, record, ask), loaded from its file."""
    spec = importlib.util.spec_from_file_location("csw_support", Path(__file__).resolve().parent.parent / "support.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["csw_support"] = module
    spec.loader.exec_module(module)
    return module


support = _load_support()
