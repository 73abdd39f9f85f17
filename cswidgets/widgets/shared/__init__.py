"""What every panel shares (the Python side of ``js/shared/``).

- ``panel.py``     :class:`Panel`, the base of every panel: bundles, the message envelope, the per-panel
                   worker pool, alerts, static fallbacks, and the panel conventions (its docstring)
- ``operation.py`` :class:`Operation`, the one action path (``Panel.operation``): activity entry, busy state,
                   lost answers, failures, followed tasks
- ``columns.py``   :class:`BaseColumn`, what every table column declares (id, label, kind, fields) and its checks
- ``keys.py``      a studio's key ``"PROJECT/id"`` (the studio table's row key), made and parsed in one place
- ``progress.py``  one derivation of a task's progress, outcome and time left, for every panel
- ``errors.py``    one short text for each failure, and why a list could not be loaded (``error_origin.py``:
                   the URL and credential source a connection used, whether it ever connected)
- ``format.py``    missing text and durations
- ``static.py``    the one escaping point of the static HTML fallbacks
- ``tabs.py``      a tab bar on ipywidgets 7 and 8
- ``classic.py``   anywidget's front-end module for DSS's classic notebook (sent before a panel's comm opens)
"""
