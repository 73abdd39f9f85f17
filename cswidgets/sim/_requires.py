"""Raise an :class:`ImportError` that names the extra when the simulator's web server is not installed.

The simulator needs Werkzeug and cheroot, which ``pip install cswidgets`` does not bring (users who only
talk to a real DSS need no web server); ``pip install "cswidgets[sim]"`` does.
"""

from __future__ import annotations

from importlib.util import find_spec

MISSING = [name for name in ("werkzeug", "cheroot") if find_spec(name) is None]
if MISSING:
    raise ImportError(
        f"cswidgets.sim needs {' and '.join(MISSING)}, which come with the simulator extra: "
        'pip install "cswidgets[sim]"',
        name=MISSING[0],
    )
