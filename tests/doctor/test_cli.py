"""``python -m cswidgets doctor`` as a user runs it: exit statuses, and the key never on the command line."""

from __future__ import annotations

import subprocess
import sys

import cswidgets
from cswidgets.__main__ import main as package_main
from cswidgets.doctor.cli import main
from tests.doctor.conftest import KEY


def test_python_m_cswidgets_doctor_runs_and_exits_0(sim):
    env = {"PATH": "/usr/bin:/bin", "DKU_DSS_URL": sim.url, "DKU_API_KEY": KEY, "HOME": "/nonexistent"}
    out = subprocess.run([sys.executable, "-m", "cswidgets", "doctor"], capture_output=True, text=True, env=env,
                         timeout=120, check=False)
    assert out.returncode == 0, out.stderr
    assert "Summary: every checkable assumption is confirmed here." in out.stdout
    assert KEY not in out.stdout + out.stderr


def test_refused_key_exits_1_and_bad_usage_2(sim, monkeypatch, capsys):
    monkeypatch.setenv("DKU_API_KEY", "wrong")
    assert main(["--url", sim.url]) == 1
    assert "the credentials were refused" in capsys.readouterr().out
    monkeypatch.delenv("DKU_API_KEY")
    assert main(["--url", sim.url]) == 2
    assert package_main([]) == 2 and package_main(["nope"]) == 2


def test_cswidgets_doctor_outside_a_notebook_prints_the_report(sim, capsys):
    report = cswidgets.doctor(cswidgets.connect(sim.url, api_key=KEY))
    assert report.exit_code == 0 and report.notebook == {}
    assert "Checks (each names the assumption it tests):" in capsys.readouterr().out
