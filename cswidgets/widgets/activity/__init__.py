"""The activity log: what every panel did (``log.py``, no widget) and the panel showing it
(``panel.py``; front end ``js/activity/``)."""

from .log import COLUMNS, FINAL_OUTCOMES, OUTCOMES, ActivityLog, PanelActivity, default_who
from .panel import ActivityPanel

__all__ = ["COLUMNS", "FINAL_OUTCOMES", "OUTCOMES", "ActivityLog", "ActivityPanel", "PanelActivity", "default_who"]
