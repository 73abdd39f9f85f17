"""The template builds panel: build templates and follow every build with a live bar.

``panel.py`` holds the widget, ``rows.py`` the template rows it sends and the static fallback.
The front end is ``js/template_builds/``.
"""

from .panel import TemplateBuilds

__all__ = ["TemplateBuilds"]
