"""What differs between the library releases DSS code environments have, in one place.

DSS code environments pin old releases (the built-in one is Python 3.9 or 3.10; pandas 1.5,
urllib3 1.26 and ipywidgets 7 are common). ``make test-compat`` runs the package on the oldest and
newest releases of each (the README's support table); every shim it needs lives here:

- :func:`capped_retry` -- a urllib3 ``Retry`` whose backoff is capped (``backoff_max=`` exists only
  in urllib3 2; 1.26 reads a class attribute).
- :data:`DataikuException` -- the official client's exception class when ``dataikuapi`` is
  importable (so ``except dataikuapi.utils.DataikuException`` catches our ``DSSError``), else
  :class:`Exception`.
- :func:`timestamps_from_ms` / :func:`ms_from_timestamps` -- exact conversions between epoch
  milliseconds and ``datetime64[ns, UTC]`` through integers (through float64, pandas 2.0/2.1 lost up to
  64 ns; ``Series.dt.as_unit`` does not exist before pandas 2.0).
- :func:`text_series` -- text columns as ``object`` dtype on every pandas (pandas 3 would otherwise
  infer its new ``str`` dtype, 2.x gives ``object``); missing values stay ``None``.
"""

from __future__ import annotations

import inspect
import math
from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd
from urllib3.util.retry import Retry

__all__ = ["DataikuException", "capped_retry", "ms_from_timestamps", "text_series", "timestamps_from_ms"]

_NS_PER_MS = 1_000_000
_NAT = np.iinfo(np.int64).min  # the int64 that stands for NaT
_MAX_MS = (np.iinfo(np.int64).max - _NS_PER_MS) // _NS_PER_MS  # 2262-04-11: the last ms pandas can hold


# -- urllib3 ------------------------------------------------------------------------------------
_HAS_BACKOFF_MAX = "backoff_max" in inspect.signature(Retry.__init__).parameters


def capped_retry(*, backoff_max: float, **kwargs: Any) -> Retry:
    """``Retry(**kwargs)`` whose sleeps never exceed ``backoff_max`` seconds, on urllib3 1.26 and 2.x."""
    if _HAS_BACKOFF_MAX:
        return Retry(backoff_max=backoff_max, **kwargs)
    # urllib3 1.26 caps with a class attribute (DEFAULT_BACKOFF_MAX since 1.26.9, BACKOFF_MAX before);
    # ``Retry.new`` builds ``type(self)(...)``, so the subclass carries the cap through every retry.
    capped = type("CappedRetry", (Retry,), {"DEFAULT_BACKOFF_MAX": backoff_max, "BACKOFF_MAX": backoff_max})
    return capped(**kwargs)


# -- dataikuapi ---------------------------------------------------------------------------------
def _dataiku_exception() -> type[Exception]:
    try:
        from dataikuapi.utils import DataikuException as base
    except Exception:  # not installed, or broken: any import failure means "no official client"
        return Exception
    return base if isinstance(base, type) and issubclass(base, Exception) else Exception


DataikuException: type[Exception] = _dataiku_exception()


# -- pandas ------------------------------------------------------------------------------------
def timestamps_from_ms(values: Iterable[Any]) -> pd.Series:
    """Epoch milliseconds -> ``datetime64[ns, UTC]``, exact to the nanosecond.

    Anything that is not a positive finite number (``None``, ``0``, text, booleans) becomes ``NaT``, and
    so does a time pandas cannot hold (after 2262); fractions of a millisecond are kept (to the ns).
    """
    ns = [_ns_of(v) for v in values]
    naive = pd.DatetimeIndex(np.array(ns, dtype="int64").view("datetime64[ns]"))
    return pd.Series(naive.tz_localize("UTC"), dtype="datetime64[ns, UTC]")


def _ns_of(v: Any) -> int:
    if isinstance(v, bool) or not isinstance(v, (int, float)) or not 0 < v <= _MAX_MS:
        return _NAT  # also NaN and infinities
    if isinstance(v, int):
        return v * _NS_PER_MS
    whole = int(v)  # a float: keep the integer part exact, round only the fraction
    return whole * _NS_PER_MS + round((v - whole) * _NS_PER_MS)


def ms_from_timestamps(values: pd.Series) -> list[int | None]:
    """A datetime column (naive = UTC, or tz-aware) -> epoch milliseconds (``None`` for ``NaT``), exact.

    Raises ``TypeError`` or ``ValueError`` when ``values`` cannot be read as datetimes.
    """
    stamps = pd.to_datetime(values, utc=True)
    # pandas >= 2 may hold s/ms/us units: bring the naive UTC times to ns, then read the integers
    naive = pd.Series(stamps).dt.tz_localize(None).astype("datetime64[ns]")
    return [None if n == _NAT else n // _NS_PER_MS for n in naive.to_numpy().view("int64").tolist()]


def text_series(values: Iterable[Any]) -> pd.Series:
    """A text column with ``object`` dtype on every pandas: values as ``str``, missing ones ``None``.

    pandas 3 infers its ``str`` dtype for text, pandas 1.x/2.x ``object``; cswidgets documents ``object``
    so code that checks dtypes or compares with ``None`` behaves the same on every version.
    """
    return pd.Series([_text(v) for v in values], dtype=object)


def _text(v: Any) -> str | None:
    if v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v)):
        return None
    return v if isinstance(v, str) else str(v)
