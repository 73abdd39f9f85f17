"""The dashboard: the other panels composed in one cell (``panel.py``: :class:`Dashboard`, an
``ipywidgets.VBox`` with a tab bar; no front end of its own)."""

from .panel import Dashboard

__all__ = ["Dashboard"]
