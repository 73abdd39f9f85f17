"""The panels: thin anywidget widgets over the API core, one package per panel (mirroring ``js/``).

- ``studio_table/``     :class:`StudioTable`, every code studio of the instance in one live table
- ``conflicts/``        :class:`ConflictViewer`, a studio's synced zones, their conflicts, pull and push
- ``template_builds/``  :class:`TemplateBuilds`, code studio templates and their builds
- ``future_progress/``  :class:`FutureProgress`, one task's progress bar
- ``activity/``         :class:`ActivityLog` (no widget) and :class:`ActivityPanel`, what was done from the panels
- ``dashboard/``        :class:`Dashboard`, the panels above composed in one cell
- ``doctor/``           :class:`DoctorProbe`, the probe of ``cswidgets.doctor()``: answers back when it rendered
- ``shared/``           what every panel shares: the :class:`~cswidgets.widgets.shared.panel.Panel` base and its
                        conventions, progress, error texts, formatting, static fallbacks, tabs, the classic loader

See ``docs/architecture.md`` for where to add a column, an endpoint, a panel or a confirmation text.
"""
