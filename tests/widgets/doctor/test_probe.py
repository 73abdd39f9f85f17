"""The probe widget without a browser: the front end's message makes the kernel say widgets work; where no
view can render, its HTML alternative gives the likely causes with the classic loader's fixes."""

from __future__ import annotations

from cswidgets.widgets.doctor import DoctorProbe
from cswidgets.widgets.doctor.probe import NOT_RENDERED, likely_causes
from cswidgets.widgets.shared import classic as _classic


def test_the_rendered_message_is_heard():
    probe = DoctorProbe()
    assert probe.wait(0) is False and probe.status == ""
    probe._handle_custom_msg({"kind": "rendered", "front_end": "JupyterLab 4.6.6"}, [])
    assert probe.wait(0) is True
    assert probe.front_end == "JupyterLab 4.6.6"
    assert probe.status.startswith("cswidgets doctor: the probe widget rendered in JupyterLab 4.6.6 and the kernel")
    probe._handle_custom_msg({"kind": "rendered", "front_end": "x" * 500}, [])  # the first answer stays
    assert probe.front_end == "JupyterLab 4.6.6"
    probe.close()


def test_where_it_cannot_render_the_cell_says_why_and_the_fix():
    probe = DoctorProbe()
    data = probe._repr_mimebundle_()
    data = data[0] if isinstance(data, tuple) else data
    assert data["text/plain"] == NOT_RENDERED
    html = data["text/html"]
    assert "widgetsnbextension" in html and "File &gt; Trust Notebook" in html  # the classic loader's fixes
    assert likely_causes()[0] == _classic.NO_WIDGETS
    assert "ipywidgets 8.1" in likely_causes({"ipywidgets": "8.1.9"})[-1]
    probe.close()
