"""The template builds panel: build templates and follow every build with a live bar.

- ``panel.py``     the widget, :class:`TemplateBuilds`: wires the parts below, its traits and handlers
- ``builds.py``    the builds shown (one bar per template), with their own lock; no request
- ``manage.py``    template management: export, import, delete (one operation each)
- ``restarts.py``  the active studios of a rebuilt template, and their restart
- ``columns.py``   the templates table's columns, declared once (sent to the view in ``config``)
- ``rows.py``      the template rows and build records it sends, and the static fallback

The front end is ``js/template_builds/``.
"""

from .panel import TemplateBuilds

__all__ = ["TemplateBuilds"]
