"""cswidgets API core: talk to Dataiku DSS code studios, templates and futures from plain Python.

No widget imports here: this package is usable from scripts, tests and other tools.

>>> import cswidgets
>>> client = cswidgets.connect()                         # arguments, env, in-DSS ticket, ~/.dataiku
>>> studio = client.get_project("PROJ").get_code_studio("abc1234")
>>> studio.restart().wait_for_result(timeout=600, progress=True)
>>> client.studios_frame()                                # all studios of all projects, with status

Modules: :mod:`.transport` (session, auth, retries, errors), :mod:`.config` (``connect``),
:mod:`.client`, :mod:`.project`, :mod:`.projectgit`, :mod:`.library` (DSS's versions of library files),
:mod:`.codestudio`, :mod:`.templates`,
:mod:`.futures`, :mod:`.jobs`, :mod:`.tracker` (and its bookkeeping :mod:`.tracking`), :mod:`.load` (requests
by kind, AIMD back-off), :mod:`.frames`, :mod:`.times` (DSS ms <-> UTC datetimes, exactly), :mod:`.validate`,
the administrator's view: :mod:`.governance` (running time, outdated image, unsynced files), :mod:`.policy`
(``stop_idle``), :mod:`.outdated` (restart the studios on an old image), :mod:`.webapps`,
:mod:`.errors`, :mod:`.interop` (the notebook's project, the raw call, back to ``dataikuapi``), :mod:`.official`
(the official class names: ``DSSCodeStudioObject``, ``DSSFuture``...), and :mod:`.assumptions` (every
INFERRED/UNKNOWN variant of the real API, in one place; what is known of the API is in ``docs/dss-api.md``).
"""

from __future__ import annotations

import importlib
from typing import Any

# Names are imported on first use, so a widget module that needs only, say, ``api.times`` does not pull
# the HTTP stack (requests, urllib3) in with it: ``import cswidgets; cswidgets.Dashboard`` stays cheap.
_LAZY = {
    "Client": "client",
    "CodeStudio": "codestudio",
    "CodeStudioConflicts": "codestudio",
    "CodeStudioListItem": "codestudio",
    "CodeStudioSettings": "codestudio",
    "CodeStudioStatus": "codestudio",
    "CodeStudioTemplate": "templates",
    "CodeStudioTemplateListItem": "templates",
    "CodeStudioTemplateSettings": "templates",
    "DSSConfigError": "errors",
    "DSSConnectionError": "errors",
    "DSSError": "errors",
    "DSSFutureError": "errors",
    "DSSOutcomeUnknownError": "errors",
    "DSSTimeoutError": "errors",
    "Future": "futures",
    "FutureTracker": "tracker",
    "InfoMessages": "messages",
    "Library": "library",
    "Outcome": "waiting",
    "Progress": "futures",
    "Project": "project",
    "ProjectGit": "projectgit",
    "Subscription": "tracker",
    "connect": "config",
    "wait_all": "waiting",
    "zip_dss_versions": "library",
}

__all__ = [
    "Client",
    "CodeStudio",
    "CodeStudioConflicts",
    "CodeStudioListItem",
    "CodeStudioSettings",
    "CodeStudioStatus",
    "CodeStudioTemplate",
    "CodeStudioTemplateListItem",
    "CodeStudioTemplateSettings",
    "DSSConfigError",
    "DSSConnectionError",
    "DSSError",
    "DSSFutureError",
    "DSSOutcomeUnknownError",
    "DSSTimeoutError",
    "Future",
    "FutureTracker",
    "InfoMessages",
    "Library",
    "Outcome",
    "Progress",
    "Project",
    "ProjectGit",
    "Subscription",
    "connect",
    "wait_all",
    "zip_dss_versions",
]


# The official client's class names (DSSCodeStudioObject, DSSFuture, ...): the same classes, see :mod:`.official`.
_OFFICIAL = (
    "DSSClient",
    "DSSCodeStudioObject",
    "DSSCodeStudioObjectConflicts",
    "DSSCodeStudioObjectListItem",
    "DSSCodeStudioObjectSettings",
    "DSSCodeStudioObjectStatus",
    "DSSCodeStudioTemplate",
    "DSSCodeStudioTemplateListItem",
    "DSSCodeStudioTemplateSettings",
    "DSSFuture",
    "DSSInfoMessages",
    "DSSLibrary",
    "DSSLibraryFile",
    "DSSProject",
    "DSSProjectGit",
)
__all__ += _OFFICIAL


def __getattr__(name: str) -> Any:
    if name in _OFFICIAL:
        from .official import official_class

        value = official_class(name)
        globals()[name] = value
        return value
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'cswidgets.api' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
