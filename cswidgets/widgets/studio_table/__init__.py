"""The studio table panel: every code studio of the instance in one live table.

``panel.py`` holds the widget, ``rows.py`` the rows it sends (pure functions), ``actions.py`` the
row actions in flight and the automatic refresh. The front end is ``js/studio_table/``.
"""

from .panel import StudioTable

__all__ = ["StudioTable"]
