"""Regenerate the README screenshots: every panel in JupyterLab's light and dark themes.

    .venv/bin/python scripts/screenshots.py            # writes docs/screenshots/<panel>-<theme>.png

Runs the browser test ``tests/browser/test_screenshots.py`` (Debian's Chromium, a seeded
simulator, JupyterLab) with ``CSW_SCREENSHOTS_DIR`` pointing at ``docs/screenshots``, so the
pictures always come from the current code and the test's checks (dark theme applied, every panel
visible) hold for them.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    out = ROOT / "docs" / "screenshots"
    env = {**os.environ, "CSW_SCREENSHOTS_DIR": str(out), "CSW_REQUIRE_BROWSER": "1"}
    cmd = [sys.executable, "-m", "pytest", "tests/browser/test_screenshots.py", "-q", "-p", "no:cacheprovider"]
    code = subprocess.run(cmd, cwd=ROOT, env=env, check=False).returncode
    if code == 0:
        print(f"screenshots written to {out.relative_to(ROOT)}/")  # noqa: T201 - a command-line tool
    return code


if __name__ == "__main__":
    raise SystemExit(main())
