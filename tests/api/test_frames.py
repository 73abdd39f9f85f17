"""studios_frame / templates_frame: columns, dtypes, content, partial failures, empty instances."""

from __future__ import annotations

import threading
from datetime import datetime

import pandas as pd
import pytest

import cswidgets.api as api
from cswidgets.api import assumptions
from cswidgets.api.frames import STUDIO_COLUMNS, TEMPLATE_COLUMNS
from tests.support import wait_for

from .conftest import ADMIN_KEY

STATES = ["STOPPED", "STARTING", "RUNNING", "STOPPING", "UNKNOWN"]


def check_dtypes(df: pd.DataFrame) -> None:
    assert tuple(df.columns) == STUDIO_COLUMNS
    assert isinstance(df["state"].dtype, pd.CategoricalDtype)
    assert list(df["state"].cat.categories) == STATES
    assert str(df["last_state_change"].dtype) == "datetime64[ns, UTC]"
    assert df["zones"].dtype == object
    assert df["exposed"].dtype == object
    for col in ("project_key", "id", "name", "owner", "template_id", "template_label", "error"):
        assert df[col].dtype == object, f"{col}: text columns are object on every pandas (documented)"
    for col in ("last_template_built", "unsynced_read_at"):
        assert str(df[col].dtype) == "datetime64[ns, UTC]", col
    assert str(df["running_for"].dtype) == "timedelta64[ns]"
    assert str(df["image_outdated"].dtype) == "boolean" and str(df["unsynced_files"].dtype) == "Int64"


def test_studios_frame_matches_the_api(sim, client):
    stable = ("RUNNING", "STOPPED")
    wait_for(lambda: set(client.studios_frame()["state"]) <= set(stable), timeout=20)
    df = client.studios_frame()
    check_dtypes(df)
    expected = [(pk, sid) for pk in client.list_project_keys() for sid in sim.studio_ids(pk)]
    assert sorted(zip(df["project_key"], df["id"], strict=True)) == sorted(expected)
    assert df.attrs["errors"] == []
    assert isinstance(df.attrs["fetched_at"], datetime)
    assert df.attrs["fetched_at"].tzinfo is not None
    for row in df.itertuples(index=False):
        studio = client.get_project(row.project_key).get_code_studio(row.id)
        status = studio.get_status()
        item = next(i for i in client.get_project(row.project_key).list_code_studios() if i.id == row.id)
        assert (row.name, row.owner, row.template_id, row.template_label) == (
            item.name,
            item.owner,
            item.template_id,
            item.template_label,
        )
        assert row.state == status.state
        assert [z["id"] for z in row.zone_details] == status.get_zones()
        # the zones as the viewer names them (labels, #24 finding 12), the ids beside them
        assert row.zones == [assumptions.zone_text(z) for z in row.zone_details]
        assert row.exposed == status.exposed_urls
        if status.last_state_change is None:
            assert pd.isna(row.last_state_change)
        else:
            assert row.last_state_change == pd.Timestamp(status.last_state_change)
            assert row.last_state_change.tzinfo is not None
        for zone in row.zone_details:
            assert set(zone) == {"id", "zone", "pathInContainer", "oneWay"}
        for url in row.exposed:
            assert url.startswith(sim.url + "/")
        assert row.error is None
    running = df[df["state"] == "RUNNING"]
    assert len(running) and all(len(z) for z in running["zones"])
    assert "Project libraries" in {label for labels in running["zones"] for label in labels}
    assert all(len(e) for e in running["exposed"])


def test_row_order_is_stable(client):
    a = client.studios_frame()
    b = client.studios_frame(pool_size=3)
    assert a[["project_key", "id"]].equals(b[["project_key", "id"]])
    keys = client.list_project_keys()
    assert list(dict.fromkeys(a["project_key"])) == [k for k in keys if k in set(a["project_key"])]


def test_selected_projects_and_without_status(sim, client):
    keys = client.list_project_keys()
    one = client.studios_frame(keys[0])
    assert set(one["project_key"]) == {keys[0]}
    sim.clear_requests()
    light = client.studios_frame(keys[:2], with_status=False)
    assert len(sim.requests) == 2
    assert set(light["state"]) <= {"UNKNOWN"}
    check_dtypes(light)


def test_empty_instance(sim_factory):
    sim = sim_factory(scenario="empty")
    client = api.connect(sim.url, ADMIN_KEY)
    df = client.studios_frame()
    assert len(df) == 0
    check_dtypes(df)
    assert df.attrs["errors"] == []
    assert client.studios_frame([]).columns.tolist() == list(STUDIO_COLUMNS)
    tf = client.templates_frame()
    assert tuple(tf.columns) == TEMPLATE_COLUMNS
    client.close()


def test_failures_are_reported_per_row(sim, client):
    keys = client.list_project_keys()
    broken_project = keys[0]
    other = next(k for k in keys[1:] if sim.studio_ids(k))
    broken_studio = sim.studio_ids(other)[0]
    sim.set_faults(rate=1.0, kinds=("500",), path_contains=f"/projects/{broken_project}/code-studios")
    client2 = api.connect(sim.url, ADMIN_KEY, retries=0)
    df = client2.studios_frame()
    sim.clear_faults()
    proj_rows = df[df["project_key"] == broken_project]
    assert len(proj_rows) == 1
    assert pd.isna(proj_rows["id"].iloc[0])
    assert "HTTP 500" in proj_rows["error"].iloc[0]
    healthy = df[df["project_key"] != broken_project]
    assert healthy["error"].isna().all()
    assert len(healthy) == sum(len(sim.studio_ids(k)) for k in keys[1:])
    errors = df.attrs["errors"]
    assert errors == [{"project_key": broken_project, "id": None, "error": proj_rows["error"].iloc[0], "status": 500}]

    sim.set_faults(rate=1.0, kinds=("reset",), path_contains=f"/{broken_studio}/status")
    df = client2.studios_frame([other])
    sim.clear_faults()
    bad = df[df["id"] == broken_studio]
    assert bad["state"].iloc[0] == "UNKNOWN"
    assert bad["error"].iloc[0]
    assert df[df["id"] != broken_studio]["error"].isna().all()
    assert [e["id"] for e in df.attrs["errors"]] == [broken_studio]
    client2.close()


def test_pool_is_bounded(sim_factory):
    sim = sim_factory(scenario="scale", projects=4, studios=60, latency_ms=20)
    client = api.connect(sim.url, ADMIN_KEY)
    workers = set()
    original = api.Project.list_code_studios_raw

    def spy(self):
        workers.add(threading.current_thread().name)
        return original(self)

    api.Project.list_code_studios_raw = spy
    try:
        df = client.studios_frame(pool_size=3)
    finally:
        api.Project.list_code_studios_raw = original
    assert len(df) == 60
    assert 1 <= len(workers) <= 3
    threads = [t for t in threading.enumerate() if t.name.startswith("cswidgets-frame")]
    assert threads == []  # the pool is shut down
    with pytest.raises(ValueError):
        client.studios_frame(pool_size=0)
    client.close()


def test_templates_frame(sim, client):
    df = client.templates_frame()
    assert tuple(df.columns) == TEMPLATE_COLUMNS
    items = client.list_code_studio_templates()
    assert df["id"].tolist() == [i.id for i in items]
    assert df["label"].tolist() == [i.label for i in items]
    for row, item in zip(df.itertuples(index=False), items, strict=True):
        assert row.type == item.to_code_studio_template().get_settings().get_raw()["type"]
        assert row.build_for == item.build_for_configs
        if item.last_built is None:
            assert pd.isna(row.last_built)
        else:
            assert row.last_built == pd.Timestamp(item.last_built)
    assert str(df["last_built"].dtype) == "datetime64[ns, UTC]"
    assert df["error"].isna().all()
    assert df.attrs["errors"] == []
