"""The shims of ``cswidgets.api.compat``, exercised on this interpreter (``make test-compat`` runs them on
the oldest and newest releases)."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from urllib3.util.retry import RequestHistory, Retry

from cswidgets.api import compat, connect
from cswidgets.api.errors import DSSError
from cswidgets.api.times import MAX_MS, datetime_series, ms_list


def failures(n: int) -> tuple[RequestHistory, ...]:
    return tuple(RequestHistory("GET", "/x", None, 503, None) for _ in range(n))


def test_retry_backoff_is_capped():
    retry = compat.capped_retry(total=20, backoff_factor=0.1, backoff_max=2.0)
    assert retry.new(history=failures(3)).get_backoff_time() == pytest.approx(0.4)
    assert retry.new(history=failures(12)).get_backoff_time() == 2.0  # 0.1 * 2**11 = 205 s uncapped


def test_retry_on_urllib3_1_26_caps_with_a_class_attribute(monkeypatch):
    monkeypatch.setattr(compat, "_has_backoff_max", lambda _retry: False)
    retry = compat.capped_retry(total=3, backoff_factor=0.1, backoff_max=2.0)
    assert isinstance(retry, Retry) and type(retry) is not Retry
    assert type(retry).DEFAULT_BACKOFF_MAX == 2.0  # what urllib3 1.26.9+ reads (BACKOFF_MAX before)
    assert type(retry.new(history=failures(1))) is type(retry)  # kept through every retry


def test_dss_error_is_caught_as_the_official_clients_exception(sim):
    from dataikuapi.utils import DataikuException

    client = connect(sim.url, api_key="k", retries=0)  # a connection adopts the official base class
    assert issubclass(DSSError, DataikuException)
    try:
        with pytest.raises(DataikuException) as info:
            client.get_project("NO_SUCH_PROJECT").list_code_studios()
    finally:
        client.close()
    err = info.value
    assert isinstance(err, DSSError)
    assert str(err).startswith(f"{err.error_type}: {err.message}")
    assert f"[HTTP {err.status} on GET /projects/NO_SUCH_PROJECT/code-studios/]" in str(err)


@given(st.integers(min_value=1, max_value=MAX_MS))
def test_milliseconds_round_trip_exactly(ms):
    series = datetime_series([ms])
    assert str(series.dtype) == "datetime64[ns, UTC]"
    assert series.iloc[0].value == ms * 1_000_000  # through float64, 2**53 ns is passed in 1970 already
    assert ms_list(series) == [ms]


def test_timestamps_of_what_is_not_a_time_are_nat():
    values = [None, 0, -5, True, "1700000000000", float("nan"), float("inf"), MAX_MS + 1, 1_700_000_000_123.5]
    series = datetime_series(values)
    assert series.isna().tolist() == [True] * 8 + [False]
    assert series.iloc[-1].value == 1_700_000_000_123_000_000  # DSS sends whole ms: a fraction is dropped
    assert ms_list(series) == [None] * 8 + [1_700_000_000_123]


def test_ms_list_reads_every_unit_and_naive_times():
    naive = pd.Series(pd.to_datetime(["2024-05-01T12:00:00.007"]))
    assert ms_list(naive) == [1_714_564_800_007]
    seconds = naive.astype("datetime64[s]")
    assert ms_list(seconds) == [1_714_564_800_000]
    assert ms_list(pd.Series(["not a time"])) == [None]  # not a time: nothing to show, no exception


def test_text_series_is_object_with_none():
    series = compat.text_series(["a", None, float("nan"), 7, pd.NA])
    assert series.dtype == object
    assert series.tolist() == ["a", None, None, "7", None]


ADOPTION = """
import json, sys
from cswidgets.api import errors
before = "dataikuapi" in sys.modules, errors.DSSError.__bases__[0].__name__
from cswidgets.sim import Simulator
import cswidgets
with Simulator(api_key="k") as sim:
    cswidgets.connect(sim.url, api_key="k").close()
from dataikuapi.utils import DataikuException
after = [issubclass(c, DataikuException) for c in (errors.DSSError, errors.DSSOutcomeUnknownError,
                                                     errors.DSSTimeoutError, errors.DSSConfigError)]
print(json.dumps([before, after, issubclass(errors.DSSTimeoutError, TimeoutError),
                  issubclass(errors.DSSConfigError, ValueError)]))
"""


def test_the_errors_module_is_light_and_a_connection_adopts_the_official_base():
    """``cswidgets.api.errors`` imports no official client (panels import it at module level); ``connect()``
    makes every error a ``DataikuException`` and keeps the other bases."""
    import json
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-c", ADOPTION], capture_output=True, text=True, timeout=120, check=True)
    before, after, timeout_error, value_error = json.loads(out.stdout.strip().splitlines()[-1])
    assert before == [False, "OfficialBase"]
    assert after == [True, True, True, True] and timeout_error and value_error


def test_errors_imported_after_the_official_client_adopt_its_base_at_once():
    import subprocess
    import sys

    code = ("import dataikuapi.utils, cswidgets.api.errors as e; "
            "print(issubclass(e.DSSError, dataikuapi.utils.DataikuException))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True)
    assert out.stdout.strip().splitlines()[-1] == "True"
