"""The studio table panel: every code studio of the instance in one live table.

``panel.py`` holds the widget (:class:`StudioTable`, a :class:`~cswidgets.widgets.shared.panel.Panel`),
which owns its parts: ``store.py`` the rows (versions, patches, selection pruning; the table's lock story),
``refresher.py`` the live reads (their thread), ``live.py`` their schedule (pure), ``lifecycle.py`` create /
delete / change owner, ``actions.py`` the rows with an action in flight. ``rows.py`` builds the rows sent
(pure functions), ``columns.py`` declares the columns once and ``config.py`` the rules (batch eligibility)
the front end receives in the ``config`` trait. The front end is ``js/studio_table/``.
"""

from .panel import StudioTable

__all__ = ["StudioTable"]
