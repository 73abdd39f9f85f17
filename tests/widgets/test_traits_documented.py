"""Every synced trait of the panels is documented where it is declared: a ``#:`` comment right above it
(the schema of a dict or list trait named there: a TypedDict)."""

from __future__ import annotations

import inspect
import re

import pytest
import traitlets as t

from cswidgets.widgets.activity import ActivityPanel
from cswidgets.widgets.conflicts import ConflictViewer
from cswidgets.widgets.future_progress import FutureProgress
from cswidgets.widgets.shared.panel import Panel
from cswidgets.widgets.studio_table import StudioTable
from cswidgets.widgets.template_builds import TemplateBuilds

PANELS = [Panel, ConflictViewer, TemplateBuilds, FutureProgress, ActivityPanel, StudioTable]


def _docs(cls: type) -> dict[str, str]:
    """``{trait name: its #: comment}`` of the traits assigned in ``cls``'s own body."""
    lines, docs, comment = inspect.getsource(cls).splitlines(), {}, []
    for line in lines:
        stripped = line.strip()
        if stripped.startswith("#:"):
            comment.append(stripped[2:].strip())
            continue
        match = re.match(r"(\w+) = t\.", stripped)
        if match and comment:
            docs[match.group(1)] = " ".join(comment)
        comment = []
    return docs


@pytest.mark.parametrize("cls", PANELS, ids=lambda c: c.__name__)
def test_every_synced_trait_has_a_doc_comment(cls):
    own = cls.class_own_traits(sync=lambda v: v)
    assert own, f"{cls.__name__} declares no synced trait"
    docs = _docs(cls)
    missing = sorted(set(own) - set(docs))
    assert not missing, f"{cls.__name__}: synced traits without a #: comment: {missing}"
    for name, trait in own.items():
        records = isinstance(trait, t.Dict) or isinstance(getattr(trait, "_trait", None), t.Dict)
        if records:  # a dict, or a list of dicts: its schema is a TypedDict named in the comment
            assert ":class:`" in docs[name], f"{cls.__name__}.{name}: name its record type (a TypedDict)"
