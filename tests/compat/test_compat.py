"""What a DSS user's code environment must do with the installed wheel: import, the API against the
simulator, every panel's Python side (widgets without a kernel, as in tests/widgets).

Python 3.9 syntax only: these tests run on every interpreter of the support table.
"""

from __future__ import annotations

import importlib
import importlib.util
import pkgutil
from pathlib import Path

import pandas as pd
import pytest
from compat_helpers import EXTRAS, support

import cswidgets
from cswidgets.api.times import datetime_series, ms_list

TEXT_COLUMNS = ("project_key", "id", "name", "owner", "template_id", "template_label", "error")


# -- the install -------------------------------------------------------------------------------------
def test_cswidgets_is_the_installed_wheel_with_its_bundles():
    package = Path(cswidgets.__file__).parent
    assert "site-packages" in package.parts, f"testing {package}, not the installed wheel"
    for name in ("studio_table", "conflicts", "template_builds", "future_progress", "activity"):  # js/<panel>/
        assert (package / "static" / f"{name}.js").is_file(), f"{name}.js missing from the wheel"


def test_every_module_imports():
    skipped = set() if "sim" in EXTRAS else {"cswidgets.sim"}
    names = [m.name for m in pkgutil.walk_packages(cswidgets.__path__, "cswidgets.", onerror=lambda _name: None)]
    names += [f"cswidgets.sim.{m.name}" for m in pkgutil.iter_modules([str(Path(cswidgets.__file__).parent / "sim")])]
    failures = []
    for name in sorted(set(names)):
        if name.endswith("__main__") or any(name == s or name.startswith(s + ".") for s in skipped):
            continue
        try:
            importlib.import_module(name)
        except Exception as exc:
            failures.append(f"{name}: {type(exc).__name__}: {exc}")
    assert failures == []


def test_the_web_server_comes_only_with_the_sim_extra():
    if "sim" in EXTRAS:
        from cswidgets.sim import Simulator

        assert Simulator is not None
        return
    assert importlib.util.find_spec("cheroot") is None, "`pip install cswidgets` must not install cheroot"
    if importlib.util.find_spec("werkzeug") is None:  # else the code env had it before (not ours)
        with pytest.raises(ImportError, match=r'pip install "cswidgets\[sim\]"'):
            importlib.import_module("cswidgets.sim")


# -- the API core --------------------------------------------------------------------------------------
def test_studios_frame_dtypes_and_exact_timestamps(client):
    df = client.studios_frame()
    assert len(df) > 0 and df.attrs["errors"] == []
    for col in TEXT_COLUMNS:
        assert df[col].dtype == object, f"{col} is {df[col].dtype}: text columns are object on every pandas"
    assert str(df["last_state_change"].dtype) == "datetime64[ns, UTC]"
    assert isinstance(df["state"].dtype, pd.CategoricalDtype)
    row = df[df["last_state_change"].notna()].iloc[0]
    raw = client.get_project(row["project_key"]).get_code_studio(row["id"]).get_status().get_raw()
    if raw.get("lastStateChange") == row["last_state_change"].value // 1_000_000:
        assert ms_list(df.loc[[row.name], "last_state_change"]) == [raw["lastStateChange"]]


def test_large_timestamps_stay_exact():
    values = [1_700_000_000_123, 253_402_300_799_999, 1, None, 0]  # 2023, 9999-12-31 (NaT: beyond pandas), 1 ms
    series = datetime_series(values)
    assert series.iloc[0] == pd.Timestamp("2023-11-14T22:13:20.123Z")
    assert ms_list(series) == [1_700_000_000_123, None, 1, None, None]


def test_dss_error_reads_like_the_official_clients(client):
    with pytest.raises(cswidgets.DSSError) as info:
        client.get_project("NO_SUCH_PROJECT").list_code_studios()
    err = info.value
    assert err.status >= 400 and err.error_type
    assert str(err).startswith(f"{err.error_type}: {err.message}")  # the official client's form, then more
    if importlib.util.find_spec("dataikuapi") is not None:
        from dataikuapi.utils import DataikuException

        assert isinstance(err, DataikuException)
    else:
        # no official client: the placeholder base stays (api/errors.py), a plain Exception under it
        assert [k.__name__ for k in cswidgets.DSSError.__mro__[1:3]] == ["OfficialBase", "Exception"]


def test_read_retries_back_off_at_most_two_seconds(client):
    from urllib3.util.retry import RequestHistory

    retry = client._transport._read.adapters["http://"].max_retries
    failures = tuple(RequestHistory("GET", "/x", None, 503, None) for _ in range(10))
    assert retry.new(history=failures[:1]).get_backoff_time() == 0  # urllib3: no sleep after the first failure
    assert retry.new(history=failures).get_backoff_time() == 2.0  # 0.1 * 2**9 = 51 s without the cap


def test_stop_a_running_studio_and_wait(client):
    running = _stable_frame(client)
    row = running[running["state"] == "RUNNING"].iloc[0]
    studio = client.get_project(row["project_key"]).get_code_studio(row["id"])
    studio.stop().wait_for_result(timeout=60)
    assert studio.get_status().state == "STOPPED"
    studio.restart().wait_for_result(timeout=120)
    assert studio.get_status().state == "RUNNING"


def _stable_frame(client) -> pd.DataFrame:
    frames = []
    support.wait_for(lambda: frames.append(client.studios_frame()) or
                     set(frames[-1]["state"].astype(str)) <= {"RUNNING", "STOPPED"}, 60, "no studio in transition")
    return frames[-1]


# -- the panels' Python side ---------------------------------------------------------------------------
def _bundle_ok(panel) -> None:
    data = panel._repr_mimebundle_()
    data = data[0] if isinstance(data, tuple) else data
    assert "application/vnd.jupyter.widget-view+json" in data
    assert "text/html" in data and "<script" not in data["text/html"].lower()
    assert data["text/plain"] == repr(panel)


def test_studio_table_stop(client):
    _stable_frame(client)
    table = cswidgets.StudioTable(client)
    _bundle_ok(table)
    df = table.df
    key = df.index[df["state"].astype(str) == "RUNNING"][0]
    reply = support.ask(table, "stop", row=key)
    assert reply["ok"] is True and reply["result"]["accepted"] is True
    support.wait_for(lambda: table.df.loc[key, "state"] == "STOPPED", 60, "the row to show STOPPED")
    assert table.activity[-1]["what"] == "stop"
    table.close()


def test_conflict_viewer_pull_with_its_confirmation(client):
    frame = _stable_frame(client)
    viewers = []
    for _, row in frame[frame["state"] == "RUNNING"].iterrows():
        viewer = cswidgets.ConflictViewer(client.get_project(row["project_key"]).get_code_studio(row["id"]))
        viewers.append(viewer)
        zone = next((z for z in viewer.zones if z.get("confirm", {}).get("pull")), None)
        if zone is not None:
            break
    else:
        pytest.fail("no zone of the demo scenario needs a confirmation to pull")
    _bundle_ok(viewer)
    first = support.ask(viewer, "pull", zone=zone["key"], confirm=None)
    assert first["ok"] is True and first["result"]["outcome"] == "confirm"
    fingerprint = first["result"]["zone"]["fingerprint"]
    done = support.ask(viewer, "pull", zone=zone["key"], confirm=fingerprint)
    assert done["result"]["outcome"] == "done"
    for v in viewers:
        v.close()


def test_template_build_bar_moves(client):
    panel = cswidgets.TemplateBuilds(client)
    _bundle_ok(panel)
    template = panel.rows[0]["id"]
    reply = support.ask(panel, "build", template_ids=[template])
    assert reply["result"]["started"] == [template]
    support.wait_for(lambda: panel.builds and (panel.builds[0]["view"].get("fraction") or 0) > 0, 60,
                     "the build's bar to move")
    support.wait_for(lambda: panel.builds[0].get("final"), 120, "the build to end")
    panel.close()


def test_dashboard_tabs_are_labelled(client):
    dash = cswidgets.Dashboard(client)
    titles = dash._tabs.get_titles()
    assert titles[:2] == ("File sync", "Template builds") and titles[2].startswith("Activity")
    assert titles[3] == "Governance"
    # what ipywidgets 7 front ends read
    assert dash._tabs._titles == {"0": titles[0], "1": titles[1], "2": titles[2], "3": titles[3]}
    state = dash._tabs.get_state()
    assert state["_titles"]["1"] == "Template builds"
    assert "<Dashboard:" in repr(dash)
    dash.close()


def test_future_progress_and_activity_panel(client):
    template = client.list_code_studio_templates()[0].to_code_studio_template()
    bar = cswidgets.FutureProgress(template.build())
    _bundle_ok(bar)
    support.wait_for(lambda: bar.final, 120, "the build to end")
    assert bar.final == "done"
    log = cswidgets.ActivityLog()
    log.record(what="check", outcome="done", when="2024-05-01T12:00:00Z")
    frame = log.frame()
    assert str(frame["when"].dtype) == "datetime64[ns, UTC]" and frame["what"].dtype == object
    assert frame["when"].iloc[0] == pd.Timestamp("2024-05-01T12:00:00Z")
