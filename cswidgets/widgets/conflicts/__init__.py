"""The conflict viewer panel: every synced zone of a studio, what changed on each side, pull/push.

``panel.py`` holds the widget, ``zones.py`` the zone records and confirmation texts (pure
functions), ``static.py`` the static fallback. The front end is ``js/conflicts/``.
"""

from .panel import ConflictViewer
from .zones import ConfirmationRequired, NotRunning, UnknownZone, ZoneBusy

__all__ = ["ConfirmationRequired", "ConflictViewer", "NotRunning", "UnknownZone", "ZoneBusy"]
