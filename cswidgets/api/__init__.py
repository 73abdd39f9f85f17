"""cswidgets API core: talk to Dataiku DSS code studios, templates and futures from plain Python.

No widget imports here: this package is usable from scripts, tests and other tools.

>>> import cswidgets
>>> client = cswidgets.connect()                         # arguments, env, in-DSS ticket, ~/.dataiku
>>> studio = client.get_project("PROJ").get_code_studio("abc1234")
>>> studio.restart().wait_for_result(timeout=600, progress=True)
>>> client.studios_frame()                                # all studios of all projects, with status

Modules: :mod:`.transport` (session, auth, retries, errors), :mod:`.config` (``connect``),
:mod:`.client`, :mod:`.project`, :mod:`.projectgit`, :mod:`.codestudio`, :mod:`.templates`,
:mod:`.futures`, :mod:`.jobs`, :mod:`.tracker` (and its bookkeeping :mod:`.tracking`), :mod:`.load` (requests
by kind, AIMD back-off), :mod:`.frames`, :mod:`.times` (DSS ms <-> UTC datetimes,
exactly), :mod:`.validate`,
:mod:`.errors`, and :mod:`.assumptions` (every INFERRED/UNKNOWN variant of the real API, in one place; what
is known of the API is in ``docs/dss-api.md``).
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
    "Outcome": "waiting",
    "Progress": "futures",
    "Project": "project",
    "ProjectGit": "projectgit",
    "Subscription": "tracker",
    "connect": "config",
    "wait_all": "waiting",
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
    "Outcome",
    "Progress",
    "Project",
    "ProjectGit",
    "Subscription",
    "connect",
    "wait_all",
]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'cswidgets.api' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
