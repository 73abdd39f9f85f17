"""cswidgets API core: talk to Dataiku DSS code studios, templates and futures from plain Python.

No widget imports here: this package is usable from scripts, tests and other tools.

>>> import cswidgets
>>> client = cswidgets.connect()                         # arguments, env, in-DSS ticket, ~/.dataiku
>>> studio = client.get_project("PROJ").get_code_studio("abc1234")
>>> studio.restart().wait_for_result(timeout=600, progress=True)
>>> client.studios_frame()                                # all studios of all projects, with status

Modules: :mod:`.transport` (session, auth, retries, errors), :mod:`.config` (``connect``),
:mod:`.client`, :mod:`.project`, :mod:`.codestudio`, :mod:`.templates`, :mod:`.futures`,
:mod:`.tracker`, :mod:`.frames`, :mod:`.validate`, :mod:`.errors`, and :mod:`.assumptions` (every
INFERRED/UNKNOWN variant of the real API, in one place).
"""

from .client import Client
from .codestudio import (
    CodeStudio,
    CodeStudioConflicts,
    CodeStudioListItem,
    CodeStudioSettings,
    CodeStudioStatus,
)
from .config import connect
from .errors import DSSConfigError, DSSConnectionError, DSSError, DSSFutureError, DSSTimeoutError
from .futures import Future, Progress
from .messages import InfoMessages
from .project import Project
from .templates import CodeStudioTemplate, CodeStudioTemplateListItem, CodeStudioTemplateSettings
from .tracker import FutureTracker, Subscription
from .waiting import Outcome, wait_all

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
    "DSSTimeoutError",
    "Future",
    "FutureTracker",
    "InfoMessages",
    "Outcome",
    "Progress",
    "Project",
    "Subscription",
    "connect",
    "wait_all",
]
