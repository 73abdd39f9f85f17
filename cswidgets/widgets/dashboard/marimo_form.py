"""The Dashboard's form in marimo.

marimo renders every anywidget (each panel) but not ipywidgets' containers: the Dashboard, an
``ipywidgets.VBox`` holding a ``Tab``, would show nothing there. marimo's display protocol
(``_display_``, asked before any other formatter and only by marimo) gives it the same parts in marimo's
own layout instead: the studio table on top, the other panels in ``mo.ui.tabs`` below. They are the very
panels of the Dashboard, so they still talk to each other (selecting a studio opens its zones). Tab
titles are fixed there (marimo's tabs are not widgets the Dashboard can retitle).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

__all__ = ["stacked"]


def stacked(top: Any, tabs: Sequence[tuple[str, Any]]) -> Any:
    """``top`` above ``tabs`` (title, widget), as marimo objects (imported only in marimo)."""
    import marimo as mo

    return mo.vstack([top, mo.ui.tabs(dict(tabs))])
