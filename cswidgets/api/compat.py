"""What differs between the library releases DSS code environments have, in one place.

DSS code environments pin old releases (the built-in one is Python 3.9 or 3.10; pandas 1.5,
urllib3 1.26 and ipywidgets 7 are common). ``make test-compat`` runs the package on the oldest and
newest releases of each (the README's support table); every shim it needs lives here:

- :func:`capped_retry` -- a urllib3 ``Retry`` whose backoff is capped (``backoff_max=`` exists only
  in urllib3 2; 1.26 reads a class attribute).
- (the base class of ``DSSError``, the official client's ``DataikuException`` when it is importable,
  is put in place by :func:`cswidgets.api.errors.adopt_official_base` when a connection is made: importing
  ``dataikuapi`` costs ~0.15-0.4 s, paid by ``connect()``, not by the panels' imports)
- exact conversions between epoch milliseconds and datetimes live in :mod:`cswidgets.api.times`
  (through integers on every pandas: through float64, pandas 2.0/2.1 lost up to 64 ns, and
  ``Series.dt.as_unit`` does not exist before pandas 2.0).
- :func:`text_series` -- text columns as ``object`` dtype on every pandas (pandas 3 would otherwise
  infer its new ``str`` dtype, 2.x gives ``object``); missing values stay ``None``.
"""

from __future__ import annotations

import inspect
import math
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import pandas as pd

if TYPE_CHECKING:
    from urllib3.util.retry import Retry

__all__ = ["capped_retry", "text_or_none", "text_series"]



# -- urllib3 ------------------------------------------------------------------------------------
def _has_backoff_max(retry: type) -> bool:
    return "backoff_max" in inspect.signature(retry.__init__).parameters


def capped_retry(*, backoff_max: float, base: type | None = None, **kwargs: Any) -> Retry:
    """``Retry(**kwargs)`` (or ``base(**kwargs)``, a ``Retry`` subclass) whose sleeps never exceed
    ``backoff_max`` seconds, on urllib3 1.26 and 2.x."""
    from urllib3.util.retry import Retry  # imported here: the panels use this module without the network

    base = base or Retry
    if _has_backoff_max(base):
        return base(backoff_max=backoff_max, **kwargs)
    # urllib3 1.26 caps with a class attribute (DEFAULT_BACKOFF_MAX since 1.26.9, BACKOFF_MAX before);
    # ``Retry.new`` builds ``type(self)(...)``, so the subclass carries the cap through every retry.
    capped = type("CappedRetry", (base,), {"DEFAULT_BACKOFF_MAX": backoff_max, "BACKOFF_MAX": backoff_max})
    return capped(**kwargs)


# -- pandas ------------------------------------------------------------------------------------
def text_series(values: Iterable[Any]) -> pd.Series:
    """A text column with ``object`` dtype on every pandas: values as ``str``, missing ones ``None``.

    pandas 3 infers its ``str`` dtype for text, pandas 1.x/2.x ``object``; cswidgets documents ``object``
    so code that checks dtypes or compares with ``None`` behaves the same on every version.
    """
    return pd.Series([text_or_none(v) for v in values], dtype=object)


def text_or_none(value: Any) -> str | None:
    """``str(value)``, or ``None`` for a missing value (``None``, NaN, ``pd.NA``)."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or type(value).__name__ == "NAType":
        return None
    return value if isinstance(value, str) else str(value)
