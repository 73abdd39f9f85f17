"""``cswidgets.doctor()`` in a notebook, in Chromium: the probe widget renders, the kernel hears it, and the
status line names the front end; ``report.notebook`` records it. (In the DSS-like classic setup, and where
the front end has no widget manager: tests/dss_like/test_dss_doctor.py.)"""

from __future__ import annotations

import nbformat
import pytest
from playwright.sync_api import expect

from cswidgets.sim import Simulator

KEY = "k-doctor-browser"
NOTEBOOK = nbformat.writes(nbformat.v4.new_notebook(
    cells=[nbformat.v4.new_code_cell("import cswidgets\n\nreport = cswidgets.doctor()"),
           nbformat.v4.new_code_cell("print('probe:', report.notebook['probe'], '|', report.notebook['front_end'])")],
    metadata={"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}},
))


@pytest.fixture(scope="module")
def sim():
    with Simulator(scenario="demo", api_key=KEY, seed=0, speed=0) as s:
        yield s


def test_the_notebook_form_reports_a_rendered_probe(jupyter, page, sim):
    server = jupyter("lab", files={"doctor.ipynb": NOTEBOOK}, env={"DKU_DSS_URL": sim.url, "DKU_API_KEY": KEY})
    server.open(page, "doctor.ipynb")
    server.run_cell(page, 0)
    nb = server.notebook_locator(page)
    expect(nb.locator("pre.csw-doctor-report")).to_contain_text("every checkable assumption is confirmed here",
                                                               timeout=90_000)
    expect(nb.locator(".csw-doctor-probe")).to_contain_text("the kernel heard it", timeout=60_000)
    line = nb.locator(".csw-doctor-frontend")
    expect(line).to_contain_text("Front end: the probe widget rendered in JupyterLab", timeout=30_000)
    expect(line).to_contain_text("widgets work here")
    server.run_cell(page, 1)
    expect(nb.locator(".jp-OutputArea-output").last).to_contain_text("probe: answered | JupyterLab")
    assert page.offhost == [], page.offhost
    assert page.console_errors == [], page.console_errors
