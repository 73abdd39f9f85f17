"""DSS timestamps: epoch milliseconds <-> UTC datetimes, exactly, in one place.

DSS sends times as integer milliseconds since the epoch, ``0`` or absent meaning "never"
(docs/dss-api.md §3.4, §3.7). Rows travel DSS ms -> pandas datetime (``studios_frame``,
``templates_frame``) -> ms again (the rows synced to the front end), so every conversion goes through
integers, never through float64: ``1717000000123`` ms comes back as ``1717000000123``, on pandas 1.5
to 3 (whatever the datetime unit of the column).

pandas and numpy are imported only by the functions that take or return a Series, so the API core
stays importable without them.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["datetime_series", "ms_list", "ms_to_datetime", "to_ms"]

EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
_MS = timedelta(milliseconds=1)
#: The last millisecond a ``datetime64[ns]`` can hold (year 2262); later values are not times from DSS.
MAX_MS = 9_223_372_036_854


def _epoch_ms(value: Any) -> int | None:
    """``value`` as a positive integer of ms when it is a number of ms DSS could send, else ``None``."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    if isinstance(value, float) and not math.isfinite(value):
        return None
    ms = int(value)
    return ms if 0 < ms <= MAX_MS else None


def ms_to_datetime(ms: Any) -> datetime | None:
    """A DSS millisecond timestamp as a UTC-aware ``datetime``; ``None`` for 0, negative or missing."""
    value = _epoch_ms(ms)
    return None if value is None else EPOCH + value * _MS


def to_ms(value: Any) -> int | None:
    """Epoch milliseconds of ``value``: a ``datetime`` or pandas ``Timestamp`` (naive = UTC), or already
    a number of ms. ``None`` for ``None``, ``NaT``, ``NaN``, ``0`` and negative numbers."""
    if value is None:
        return None
    if isinstance(value, datetime):
        if value != value:  # NaT: a datetime subclass equal to nothing
            return None
        if value.tzinfo is None:
            value = value.replace(tzinfo=timezone.utc)
        return int((value - EPOCH) // _MS)  # integer division (a Timestamp's ns are floored too)
    return _epoch_ms(value)


def datetime_series(values: Iterable[Any]) -> pd.Series:
    """DSS ms values (``0``/``None``/non-numbers = missing) as a ``datetime64[ns, UTC]`` Series."""
    import numpy as np
    import pandas as pd

    nat = np.iinfo("int64").min
    ns = [nat if (ms := _epoch_ms(v)) is None else ms * 1_000_000 for v in values]
    return pd.Series(np.array(ns, dtype="int64").view("datetime64[ns]")).dt.tz_localize("UTC")


def ms_list(column: pd.Series) -> list[int | None]:
    """The epoch ms of each value of a datetime column (any unit, naive = UTC; ``None`` for NaT), or of
    each value one by one (:func:`to_ms`) when the column does not hold datetimes."""
    import numpy as np
    import pandas as pd

    if not pd.api.types.is_datetime64_any_dtype(column):  # objects, numbers of ms: one by one
        return [to_ms(v) for v in column.tolist()]
    stamps = pd.to_datetime(column, utc=True).dt.tz_localize(None).to_numpy().astype("datetime64[ms]")
    missing = np.isnat(stamps)
    return [None if gone else int(ms) for ms, gone in zip(stamps.view("int64").tolist(), missing.tolist())]
