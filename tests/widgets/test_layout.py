"""ipywidgets' ``layout`` on every panel and on the Dashboard (``Layout(height="700px")`` or a dict), as for
any ipywidgets widget: it reaches the front end as the view's Layout model (the studio table then fills the
height: js/studio_table/fill.js, tests/browser/test_layout.py). Without it, the default look."""

from __future__ import annotations

import ipywidgets
import pytest

import cswidgets
from cswidgets.widgets.activity import ActivityLog, ActivityPanel


def panels(client):
    future = client.get_code_studio_template("tpl_vscode").build()
    return {
        "StudioTable": lambda **kw: cswidgets.StudioTable(client, live=False, **kw),
        "ConflictViewer": lambda **kw: cswidgets.ConflictViewer(None, check=False, **kw),
        "TemplateBuilds": lambda **kw: cswidgets.TemplateBuilds(client, **kw),
        "FutureProgress": lambda **kw: cswidgets.FutureProgress(future, **kw),
        "ActivityPanel": lambda **kw: ActivityPanel(ActivityLog(), **kw),
        "Dashboard": lambda **kw: cswidgets.Dashboard(client, live=False, **kw),
    }


@pytest.mark.parametrize("given", [ipywidgets.Layout(height="700px", width="90%"),
                                   {"height": "700px", "width": "90%"}], ids=["Layout", "dict"])
def test_every_panel_and_the_dashboard_take_a_layout(client, given):
    for name, make in panels(client).items():
        widget = make(layout=given)
        try:
            assert (widget.layout.height, widget.layout.width) == ("700px", "90%"), name
            state = widget.get_state()
            assert state["layout"] == f"IPY_MODEL_{widget.layout.model_id}", name  # synced to the view
        finally:
            widget.close()


def test_without_a_layout_nothing_is_set(client):
    for name, make in panels(client).items():
        widget = make()
        try:
            assert widget.layout.height is None and widget.layout.max_height is None, name
        finally:
            widget.close()


def test_a_misspelt_option_is_still_an_error(client):
    with pytest.raises(TypeError, match="layuot"):
        cswidgets.StudioTable(client, live=False, layuot={"height": "1px"})
    with pytest.raises(TypeError, match="layuot"):
        cswidgets.Dashboard(client, live=False, layuot={"height": "1px"})
