"""``help()`` of the panels (#24 finding 12): each class docstring names its public API with an Examples
section, every synced trait is described where ``help()`` shows it (its ``#:`` comment, as ``help``), and
``studios_frame()`` documents its columns."""

from __future__ import annotations

import pydoc
import re

import pytest

import cswidgets
from cswidgets.api import Client
from cswidgets.api.frames import STUDIO_COLUMNS
from cswidgets.widgets.activity import ActivityPanel
from cswidgets.widgets.shared.panel import Panel

pytestmark = pytest.mark.filterwarnings("ignore:Widget.*is deprecated:DeprecationWarning")  # ipywidgets, read by pydoc

PANELS = [cswidgets.StudioTable, cswidgets.ConflictViewer, cswidgets.TemplateBuilds, cswidgets.FutureProgress,
          cswidgets.Dashboard, cswidgets.Governance, ActivityPanel]


@pytest.mark.parametrize("cls", PANELS, ids=lambda c: c.__name__)
def test_every_panel_docstring_has_examples(cls):
    doc = cls.__doc__ or ""
    assert "Examples\n    --------\n    >>> " in doc, f"{cls.__name__} has no Examples section"


@pytest.mark.parametrize("cls", [Panel, *[c for c in PANELS if issubclass(c, Panel)]], ids=lambda c: c.__name__)
def test_every_synced_trait_is_described_in_help(cls):
    traits = cls.class_own_traits(sync=lambda v: v)
    undescribed = sorted(name for name, trait in traits.items() if not trait.help)
    assert not undescribed, f"{cls.__name__}: synced traits without help: {undescribed}"
    text = pydoc.render_doc(cls, renderer=pydoc.plaintext)
    for name, trait in traits.items():
        assert f"|  {name}\n |      {trait.help[:40]}" in text, name


def test_help_of_the_studio_table_starts_with_its_public_api():
    text = pydoc.render_doc(cswidgets.StudioTable, renderer=pydoc.plaintext)
    own = text[:text.index("Methods inherited from")]
    assert len(own) < 16_000, len(own)  # its own part: the docstring, its methods, its described traits
    private = [line for line in own.splitlines() if line.startswith(" |  _") and not line.startswith(" |  __")]
    assert not private, private  # no private helper
    api = own[:own.index("Methods defined here")]
    for name in ("df", "selected", "refresh", "start", "stop_selected", "create", "delete", "change_owner", "view",
                 "save_view", "apply_view", "views", "activity", "close"):
        assert f":meth:`{name}`" in api or f":attr:`{name}`" in api, name
    assert api.index("Public API") < api.index("Parameters") < api.index("Examples")


@pytest.mark.parametrize("cls", PANELS, ids=lambda c: c.__name__)
def test_help_text_as_a_notebook_cell_prints_it(cls):
    """What ``help(cls)`` prints in a cell (pydoc's plain text; tests/browser/test_issue24_findings.py reads it in
    JupyterLab): an Examples section and the class's own methods, public ones only, in a short own part."""
    text = pydoc.render_doc(cls, "Help on %s:", renderer=pydoc.plaintext)
    own = text.split("Methods inherited from", 1)[0]
    assert "Examples\n |  --------\n |  >>> " in own, f"{cls.__name__}: no Examples section"
    names = re.findall(r"^ \|  (\w+)", text, re.M)
    assert not [n for n in names if n.startswith("_") and not n.startswith("__")]  # no private name at all
    methods = own[own.index("Methods defined here:"):]
    assert [n for n in re.findall(r"^ \|  (\w+)\(", methods, re.M) if not n.startswith("_")]  # its public methods
    assert len(own) < 16_000, len(own)  # StudioTable's (the longest) is ~14 KB


def test_studios_frame_documents_every_column():
    doc = Client.studios_frame.__doc__ or ""
    missing = [c for c in STUDIO_COLUMNS if f"``{c}``" not in doc]
    assert not missing, missing
    assert "Examples" in doc
