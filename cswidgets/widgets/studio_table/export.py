"""The studio table's "Download shown rows (CSV)": the rows the view shows, as ``DataFrame.to_csv`` writes them.

The view sends the keys of the rows it shows (its filters and sort applied) in a ``{kind: "csv", rows: [key...]}``
request; the kernel makes the text here and sends it back as a ``{kind: "download", name, mime, text}`` message
(saved by the browser through a Blob and a temporary ``<a download>``, ``js/shared/download.js``).

Columns are those of ``table.df`` (``studios_frame``'s), the row key first; ``zones`` become their names and
``exposed`` its URLs, each joined with spaces; ``running_for`` is written in seconds (``running_for_s``). A text
from DSS that a spreadsheet would run as a formula (it begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return) is written with a leading ``'`` (OWASP's advice on CSV injection): names and owners are DSS users' text.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timezone
from typing import Any

import pandas as pd

__all__ = ["csv_name", "csv_text"]

_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def _defused(value: Any) -> Any:
    return f"'{value}" if isinstance(value, str) and value.startswith(_FORMULA) else value


def _names(zones: Any) -> str:
    if not isinstance(zones, (list, tuple)):
        return ""
    return " ".join(str(z.get("zone") or z.get("id")) if isinstance(z, dict) else str(z) for z in zones)


def csv_text(frame: pd.DataFrame, keys: Iterable[str]) -> tuple[str, int]:
    """``(text, rows)``: the rows of ``frame`` (key-indexed, as ``table.df``) named by ``keys``, in that order
    (keys no longer shown are left out), written by ``DataFrame.to_csv``."""
    wanted = [k for k in dict.fromkeys(keys) if k in frame.index]
    out = frame.loc[wanted].copy()
    if "zones" in out.columns:
        out["zones"] = [_names(z) for z in out["zones"].tolist()]
    if "exposed" in out.columns:
        out["exposed"] = [" ".join(map(str, u)) if isinstance(u, (list, tuple)) else ""
                          for u in out["exposed"].tolist()]
    if "running_for" in out.columns:
        seconds = [None if pd.isna(v) else int(pd.Timedelta(v).total_seconds()) for v in out["running_for"].tolist()]
        out.insert(out.columns.get_loc("running_for"), "running_for_s", pd.array(seconds, dtype="Int64"))
        out = out.drop(columns=["running_for"])
    for column in out.columns:
        if out[column].dtype == object or isinstance(out[column].dtype, pd.StringDtype):
            out[column] = [_defused(v) for v in out[column].tolist()]
    out.index.name = "key"
    return out.to_csv(index=True, date_format="%Y-%m-%dT%H:%M:%S.%fZ"), len(wanted)


def csv_name(now: datetime | None = None) -> str:
    """``code-studios-20261207-0142.csv`` (UTC)."""
    return f"code-studios-{(now or datetime.now(timezone.utc)).strftime('%Y%m%d-%H%M')}.csv"
