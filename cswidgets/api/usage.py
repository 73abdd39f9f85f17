"""Who and what holds the running code studios: counts and running hours by owner, template or project, from a
``studios_frame`` (no request; the governance summary of the panels is drawn from these).

>>> usage(client.studios_frame(), "owner")          # one row per owner with a running studio
     owner  running  running_hours
0    alice        3           51.2
1      bob        1            4.0

``running_hours`` sums ``running_for`` (the server's clock, :mod:`cswidgets.api.governance`) over the RUNNING
studios: the hours their pods have held since their last start. A running studio whose running time is unknown
counts in ``running`` and adds nothing to the hours.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from .compat import text_series

__all__ = ["USAGE_BY", "governance_counts", "usage"]

#: What :func:`usage` groups by: its name -> the ``studios_frame`` column.
USAGE_BY = {"owner": "owner", "template": "template_label", "project": "project_key"}


def _hours(running_for: pd.Series) -> pd.Series:
    return (pd.to_timedelta(running_for).dt.total_seconds() / 3600.0).fillna(0.0)


def usage(frame: pd.DataFrame, by: str) -> pd.DataFrame:
    """Per ``by`` (``"owner"``, ``"template"`` or ``"project"``): ``running`` (studios) and ``running_hours``,
    the RUNNING studios only, most hours first (then most studios, then the name). ``ValueError`` for another
    ``by``. A missing name is grouped as ``"(unknown)"``; a template is named by its label, else its id."""
    if by not in USAGE_BY:
        raise ValueError(f"by must be one of {', '.join(USAGE_BY)}, not {by!r}")
    running = frame[frame["state"].astype(object) == "RUNNING"]
    names = running[USAGE_BY[by]].astype(object)
    if by == "template":
        names = names.fillna(running["template_id"].astype(object))
    table = pd.DataFrame({"name": names.fillna("(unknown)").astype(str).to_numpy(),
                          "hours": _hours(running["running_for"]).to_numpy()})
    grouped = table.groupby("name", sort=False)["hours"].agg(["size", "sum"]).reset_index()
    grouped = grouped.sort_values(["sum", "size", "name"], ascending=[False, False, True], kind="stable")
    return pd.DataFrame({by: text_series(grouped["name"].tolist()),
                         "running": pd.Series(grouped["size"].tolist(), dtype="int64"),
                         "running_hours": pd.Series([round(float(h), 2) for h in grouped["sum"]], dtype="float64")})


def governance_counts(frame: pd.DataFrame) -> dict[str, Any]:
    """``{studios, running, running_hours, outdated, outdated_running, unsynced_studios, unsynced_read}`` of a
    ``studios_frame``: ``outdated`` counts the studios whose image is older than their template's last build
    (``image_outdated``), ``unsynced_studios`` the running ones holding files DSS does not have yet (only when
    the frame read them: ``unsynced_read``)."""
    running = frame["state"].astype(object) == "RUNNING"
    outdated = frame["image_outdated"].fillna(False).astype(bool) if "image_outdated" in frame else running & False
    unsynced = frame["unsynced_files"] if "unsynced_files" in frame else pd.Series([pd.NA] * len(frame))
    hours = _hours(frame.loc[running, "running_for"]).sum()
    return {"studios": len(frame), "running": int(running.sum()), "running_hours": round(float(hours), 2),
            "outdated": int(outdated.sum()), "outdated_running": int((outdated & running).sum()),
            "unsynced_studios": int((unsynced.fillna(0).astype("int64") > 0).sum()),
            "unsynced_read": bool(unsynced.notna().any())}
