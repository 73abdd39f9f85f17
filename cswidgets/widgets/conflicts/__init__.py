"""The conflict viewer panel: every synced zone of a studio, what changed on each side, pull/push.

``panel.py`` holds the widget (every action one ``Panel.operation``), ``zones.py`` the zone records, the
confirmation texts and the wording sent to the view (``texts``; pure functions), ``changes.py`` the DSS
side of a zone, ``static.py`` the static fallback. The front end is ``js/conflicts/``.
"""

from .panel import ConflictViewer
from .zones import ConfirmationRequired, NotRunning, UnknownZone, ZoneBusy

__all__ = ["ConfirmationRequired", "ConflictViewer", "NotRunning", "UnknownZone", "ZoneBusy"]
