"""Outside a widget front end, the same code prints a text progress bar (tqdm).

Run in a subprocess, as a user's plain script would be: no kernel, no widget front end, output on
a pipe (tqdm.auto then picks its text bar).
"""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap

import pytest

from tests.widgets.frozen_time import ADMIN_KEY

SCRIPT = textwrap.dedent(
    """
    import sys, cswidgets
    client = cswidgets.connect()  # DKU_DSS_URL / DKU_API_KEY, like a user's script
    future = client.get_code_studio_template("tpl_vscode").build()
    result = future.wait_for_result(timeout=60, progress=True)
    print("RESULT", result["templateId"], file=sys.stdout)
    """
)


@pytest.fixture
def script_run(fast_sim):
    env = {"DKU_DSS_URL": fast_sim.url, "DKU_API_KEY": ADMIN_KEY, "PATH": "/usr/bin:/bin"}
    proc = subprocess.run([sys.executable, "-c", SCRIPT], env=env, capture_output=True, text=True, timeout=60,
                          check=False)
    assert proc.returncode == 0, proc.stderr
    frames = [f for f in proc.stderr.replace("\r", "\n").splitlines() if f.startswith("Build tpl_vscode")]
    return proc, frames


def percents(frames):
    return [int(m.group(1)) for f in frames if (m := re.match(r"Build tpl_vscode:\s+(\d+)%", f))]


def test_wait_for_result_prints_a_text_bar_in_a_plain_script(script_run):
    proc, frames = script_run
    assert proc.stdout.strip() == "RESULT tpl_vscode"
    assert len(frames) >= 3, proc.stderr  # the bar was redrawn as the build progressed
    assert percents(frames)[-1] == 100
    assert any("Building image" in f for f in frames)
    assert ADMIN_KEY not in proc.stderr


def test_the_text_bar_never_goes_backwards(script_run):
    """The bar shows the whole task (Progress.fraction), not the current stage's own fraction,
    which restarts at 0 at each of the build's three stages."""
    _, frames = script_run
    shown = percents(frames)
    assert shown == sorted(shown), shown
    assert len(set(shown)) >= 3, shown  # it did move
