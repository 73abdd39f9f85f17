"""The doctor: a read-only check of what cswidgets assumes about a DSS, and of the notebook front end.

>>> import cswidgets
>>> cswidgets.doctor()                 # in a notebook: the report, and a probe widget that answers back
$ python -m cswidgets doctor --report report.json

It never starts, stops, pulls, pushes, builds or writes anything: every request is a GET without side
effect, made through the API core. Each check names the assumption it tests (in
``cswidgets/api/assumptions.py``, ``cswidgets/sim/assumptions.py`` and ``docs/dss-api.md``) with the verdict
"confirmed here", "differs: <how>" (and the path the panels take then) or "not checkable read-only".

Modules: :mod:`.run` (:func:`diagnose`), :mod:`.connection`, :mod:`.studios`, :mod:`.sync`, :mod:`.tasks`
(the checks), :mod:`.timings`, :mod:`.shapes` and :mod:`.redact` (what the report may hold), :mod:`.report`,
:mod:`.replay` (a report's shapes as simulator answers, for regression tests), :mod:`.cli`,
:mod:`.notebook` (``cswidgets.doctor()``).
"""

from __future__ import annotations

import sys
import types
from typing import Any

__all__ = ["diagnose", "doctor"]


def diagnose(client: Any = None, **connect_kwargs: Any) -> Any:
    """Run every check; returns a :class:`~cswidgets.doctor.report.Report` (see :func:`.run.diagnose`)."""
    from .run import diagnose as run

    return run(client, **connect_kwargs)


def doctor(client: Any = None, **kwargs: Any) -> Any:
    """The doctor in a notebook (or a script): see :func:`cswidgets.doctor.notebook.doctor`."""
    from .notebook import doctor as run

    return run(client, **kwargs)


class _Doctor(types.ModuleType):
    """``cswidgets.doctor`` is this package once it is imported: calling it runs :func:`doctor`."""

    def __call__(self, client: Any = None, **kwargs: Any) -> Any:
        return doctor(client, **kwargs)


sys.modules[__name__].__class__ = _Doctor
