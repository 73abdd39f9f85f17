"""The README's support table is the list of environments ``make test-compat`` builds."""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def compat_env():
    spec = importlib.util.spec_from_file_location("compat_env", ROOT / "scripts" / "compat_env.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("compat_env", module)  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def test_readme_table_is_generated_from_the_environments():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"<!-- compat-table:[^>]*-->\n(.*?)\n<!-- /compat-table -->", readme, re.DOTALL)
    assert block, "README lacks the compat-table block"
    assert block.group(1) == compat_env().table(), "run `python scripts/compat_env.py table` and paste it"


def test_environments_cover_the_ranges_dss_code_envs_have():
    module = compat_env()
    envs = module.ENVIRONMENTS
    assert {e.python for e in envs} >= {"3.9", "3.10", "3.12", "3.13"}
    pins = {p for e in envs for p in e.pins}
    for spec in ("pandas==1.5.3", "pandas==2.0.*", "pandas==2.2.*", "pandas>=3", "urllib3==1.26.*", "urllib3>=2",
                 "ipywidgets==7.8.*", "ipywidgets==8.1.*", "numpy==1.26.*", "numpy>=2", "anywidget==0.9.*"):
        assert spec in pins, spec
    assert any("sim" not in e.extras for e in envs) and any("sim" in e.extras for e in envs)
    assert any(p.startswith("werkzeug==2.3") for e in envs for p in e.preinstalled)
