"""DSS millisecond timestamps survive every conversion exactly (DSS ms -> frame datetime -> synced ms)."""

from __future__ import annotations

from datetime import datetime, timezone

import pandas as pd
import pytest

from cswidgets.api.futures import Backoff
from cswidgets.api.times import datetime_series, ms_list, ms_to_datetime, to_ms

# ms values whose float64 nanoseconds are not exact (a float path would lose the last millisecond)
EXACT = [1_717_000_000_123, 1_750_000_000_999, 4_102_444_800_001, 1]
MISSING = [None, 0, -5, float("nan"), True, "1717000000123"]


def test_ms_to_frame_to_ms_is_exact_for_any_datetime_unit():
    series = datetime_series([*EXACT, *MISSING])
    assert str(series.dtype) == "datetime64[ns, UTC]"
    assert ms_list(series) == [*EXACT, *[None] * len(MISSING)]
    assert ms_list(series.astype("datetime64[ms, UTC]")) == ms_list(series)
    assert ms_list(series.dt.tz_localize(None)) == ms_list(series)  # naive means UTC
    assert ms_list(pd.Series(series.tolist(), dtype=object)) == ms_list(series)  # Timestamps one by one


def test_scalar_conversions_agree_with_the_series():
    for ms, stamp in zip(EXACT, datetime_series(EXACT), strict=True):
        assert to_ms(stamp) == ms
        assert to_ms(ms_to_datetime(ms)) == ms
        assert ms_to_datetime(ms) == stamp.to_pydatetime()
    assert ms_to_datetime(EXACT[0]).tzinfo is not None
    assert to_ms(datetime(2024, 5, 1, 12, 0, 0, 1999, tzinfo=timezone.utc)) == 1_714_564_800_001  # floored
    assert to_ms(pd.NaT) is None
    for value in MISSING:
        assert ms_to_datetime(value) is None
        assert to_ms(value) is None


@pytest.mark.parametrize(("rtts", "pauses"), [
    ([0, 0, 0, 0, 0, 0, 0, 0], [0.1, 0.15, 0.225, 0.3375, 0.50625, 0.759375, 1.1390625, 1.5]),
    ([2.0, 0, 0], [2.0, 0.15, 0.225]),  # never faster than the server answers
])
def test_polling_backoff_grows_to_its_cap_and_follows_slow_answers(rtts, pauses):
    backoff = Backoff()
    assert [backoff.next_pause(rtt) for rtt in rtts] == pytest.approx(pauses)
