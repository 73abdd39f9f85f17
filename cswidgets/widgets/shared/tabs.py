"""A ``Tab`` whose labels show with ipywidgets 7 and 8, and on either generation of front end.

ipywidgets 8 names tabs with the ``titles`` trait (a tuple) and has no ``titles=`` on 7. ipywidgets 7
(and the widgetsnbextension 3.x front end of DSS's classic notebook, whatever the kernel has) reads
``_titles``, a dict by tab index. :class:`Tabs` keeps both: on ipywidgets 8 it adds a synced
``_titles`` mirror, so a 3.x front end still labels the tabs (a newer front end ignores it).
"""

from __future__ import annotations

from collections.abc import Iterable

import ipywidgets as widgets
import traitlets as t

__all__ = ["Tabs"]

_HAS_TITLES = widgets.Tab.class_traits().get("titles") is not None  # ipywidgets >= 8


class Tabs(widgets.Tab):
    """``ipywidgets.Tab`` with :meth:`set_titles` / :meth:`get_titles` that work on every version."""

    if "_titles" not in widgets.Tab.class_traits():  # ipywidgets 8: the mirror for 3.x front ends
        _titles = t.Dict().tag(sync=True)

    def set_titles(self, titles: Iterable[str]) -> None:
        """Label the tabs, in order (one message to the front end)."""
        titles = tuple(str(title) for title in titles)
        with self.hold_sync():
            if _HAS_TITLES:
                self.titles = titles
            self._titles = {str(i): title for i, title in enumerate(titles)}

    def get_titles(self) -> tuple[str, ...]:
        """The labels of the tabs, in order (``""`` for a tab without one)."""
        return tuple(str(self._titles.get(str(i)) or "") for i in range(len(self.children)))
