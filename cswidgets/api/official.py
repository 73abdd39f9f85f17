"""The official client's class names, for code and type hints written against ``dataikuapi``.

Each name is the cswidgets class itself (not a subclass), so ``isinstance(studio, DSSCodeStudioObject)`` and
``def stop_all(studios: list[DSSCodeStudioObject])`` read as they did::

    from cswidgets.api import DSSCodeStudioObject, DSSFuture

:data:`OFFICIAL_NAMES` maps each official name to its ``dataikuapi`` module and the cswidgets class; the
differential test (``tests/api/test_official_members.py``) compares every public member of each pair.
``cswidgets.api`` exports them lazily (importing one costs what importing its class costs).
"""

from __future__ import annotations

import importlib
from typing import Any

__all__ = ["OFFICIAL_NAMES", "official_class"]

#: official name -> (the dataikuapi module that defines it, the cswidgets module under ``cswidgets.api``, class)
OFFICIAL_NAMES: dict[str, tuple[str, str, str]] = {
    "DSSClient": ("dataikuapi.dssclient", "client", "Client"),
    "DSSProject": ("dataikuapi.dss.project", "project", "Project"),
    "DSSProjectGit": ("dataikuapi.dss.project", "projectgit", "ProjectGit"),
    "DSSLibrary": ("dataikuapi.dss.projectlibrary", "library", "Library"),
    "DSSLibraryFile": ("dataikuapi.dss.projectlibrary", "library", "LibraryFile"),
    "DSSCodeStudioObject": ("dataikuapi.dss.codestudio", "codestudio", "CodeStudio"),
    "DSSCodeStudioObjectListItem": ("dataikuapi.dss.codestudio", "codestudio", "CodeStudioListItem"),
    "DSSCodeStudioObjectSettings": ("dataikuapi.dss.codestudio", "codestudio", "CodeStudioSettings"),
    "DSSCodeStudioObjectStatus": ("dataikuapi.dss.codestudio", "codestudio", "CodeStudioStatus"),
    "DSSCodeStudioObjectConflicts": ("dataikuapi.dss.codestudio", "codestudio", "CodeStudioConflicts"),
    "DSSCodeStudioTemplateListItem": ("dataikuapi.dss.admin", "templates", "CodeStudioTemplateListItem"),
    "DSSCodeStudioTemplate": ("dataikuapi.dss.admin", "templates", "CodeStudioTemplate"),
    "DSSCodeStudioTemplateSettings": ("dataikuapi.dss.admin", "templates", "CodeStudioTemplateSettings"),
    "DSSFuture": ("dataikuapi.dss.future", "futures", "Future"),
    "DSSInfoMessages": ("dataikuapi.dss.utils", "messages", "InfoMessages"),
}


def official_class(name: str) -> Any:
    """The cswidgets class known by the official name ``name`` (``KeyError`` for another name)."""
    _official_module, module, cls = OFFICIAL_NAMES[name]
    return getattr(importlib.import_module(f"cswidgets.api.{module}"), cls)
