"""The webapps a studio publishes, from its row of the studio table (a part of
:class:`~cswidgets.widgets.studio_table.StudioTable`).

Read when asked (the row's "Webapps" button: ``{kind: "webapps", row}``): one list of the project's webapps, then
the settings and backend state of those published from a code studio (``client.code_studio_webapps(project)``,
what marks them is INFERRED, docs/dss-api.md §3.9), kept for this studio. Each is sent as a :class:`WebappView`
(its state, its DSS page -- INFERRED, :func:`cswidgets.api.assumptions.webapp_url`). Start (or restart) and stop
(``{kind: "webapp", row, webapp, op}``) are one :meth:`~cswidgets.widgets.shared.panel.Panel.operation` each:
recorded in the activity, sent once and never retried (a lost answer is "outcome unknown", with the state DSS shows
after); a start waits for its task (at most :data:`WAIT_S` seconds) so the list sent back says what DSS shows.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypedDict

import pandas as pd

from ...api import assumptions
from ..shared.format import text_or_none

__all__ = ["OPS", "WAIT_S", "WebappView", "studio_webapps", "webapp_action"]

WAIT_S = 120.0
#: The operations on a webapp's backend: op -> (what the activity says, the verb of the alerts).
OPS = {"start": ("start webapp", "start"), "restart": ("restart webapp", "restart"), "stop": ("stop webapp", "stop")}


class WebappView(TypedDict):
    """A webapp of a studio as the row's list shows it."""

    id: str
    name: str | None
    running: bool | None  # None: its state could not be read
    error: str | None
    url: str | None  # its page in the DSS UI (INFERRED)


def studio_webapps(client: Any, project_key: str, studio_id: str) -> list[WebappView]:
    """The webapps published from the studio ``project_key/studio_id`` (one project's read)."""
    frame = client.code_studio_webapps(project_key)
    mine = frame[frame["code_studio_id"].astype(object) == studio_id]
    base = getattr(client, "base_url", None)
    out: list[WebappView] = []
    for r in mine.to_dict("records"):
        running = r.get("running")
        out.append({"id": str(r["id"]), "name": text_or_none(r.get("name")),
                    "running": None if running is None or pd.isna(running) else bool(running),
                    "error": text_or_none(r.get("error")),
                    "url": assumptions.webapp_url(base, project_key, str(r["id"])) if isinstance(base, str) else None})
    return out


def webapp_action(client: Any, project_key: str, webapp_id: str, op: str,
                  operation: Callable[..., Any], fields: dict[str, Any]) -> str:
    """Start, restart or stop a webapp's backend, one operation (``operation``: the panel's); returns its outcome
    ("done", "unknown"...). ``ValueError`` for another ``op``."""
    if op not in OPS:
        raise ValueError(f"Unknown webapp action {op!r} (expected start, restart or stop)")
    what, verb = OPS[op]
    webapp = client.get_project(project_key).get_webapp(webapp_id)

    def now() -> str:
        return f"DSS now shows it {'running' if webapp.get_state().running else 'stopped'}"

    with operation(what, target=f"{project_key}/{webapp_id}", label=webapp_id, verb=verb, on_unknown=now,
                   alert_key=f"webapp:{project_key}/{webapp_id}", args={"webapp_id": webapp_id}, **fields) as op_:
        if op == "stop":
            webapp.stop_backend()
        else:
            webapp.start_or_restart_backend().wait_for_result(timeout=WAIT_S)
    return str(op_.outcome)
