"""cswidgets: operate Dataiku DSS Code Studios from a notebook.

>>> import cswidgets
>>> client = cswidgets.connect()            # arguments, DKU_* variables, ~/.dataiku/config.json
>>> client.studios_frame()                  # every studio of the instance, as a DataFrame
>>> cswidgets.Dashboard(client)             # the whole product in one cell
>>> cswidgets.doctor()                      # something looks wrong? a read-only check of DSS and the front end

Names are imported lazily so ``import cswidgets`` stays cheap (no widget machinery for scripts
that only use the API core or the simulator).
"""

from __future__ import annotations

import importlib
from typing import Any

from ._version import __version__

_LAZY = {
    "connect": "cswidgets.api",
    "Client": "cswidgets.api",
    "DSSError": "cswidgets.api",
    "StudioTable": "cswidgets.widgets.studio_table",
    "ConflictViewer": "cswidgets.widgets.conflicts",
    "FutureProgress": "cswidgets.widgets.future_progress",
    "TemplateBuilds": "cswidgets.widgets.template_builds",
    "Dashboard": "cswidgets.widgets.dashboard",
    "Governance": "cswidgets.widgets.governance",
    "ActivityLog": "cswidgets.widgets.activity",  # share one between panels: activity_log=
    "doctor": "cswidgets.doctor",  # cswidgets.doctor(): the read-only check of DSS and of the front end
}

__all__ = ["__version__", *_LAZY]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'cswidgets' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
