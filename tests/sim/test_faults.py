"""Injected faults, latency and the request log."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

import dataikuapi
import pytest
import requests

from cswidgets.sim import Simulator
from tests.support import wait_for

from .conftest import KEY, studio_named


def get(sim: Simulator, path: str, timeout: float = 10) -> requests.Response:
    return requests.get(f"{sim.url}/public/api{path}", auth=(KEY, ""), timeout=timeout)


def test_injected_500(sim):
    sim.set_faults(rate=1.0, kinds=["500"])
    resp = get(sim, "/projects/")
    assert resp.status_code == 500
    assert resp.json()["errorType"] == "java.lang.RuntimeException"
    record = sim.requests[-1]
    assert (record.status, record.fault, record.http_status, record.login) == (500, "500", 500, "admin")
    sim.clear_faults()
    assert get(sim, "/projects/").status_code == 200


def test_injected_reset_drops_the_connection(sim):
    sid = studio_named(sim, "SALES_FORECAST", "Forecast notebook")
    zid = sim.zone_ids("SALES_FORECAST", sid)["project-lib-versioned"]
    dss_before = sim.read_files("SALES_FORECAST", sid, zid, side="dss")
    sim.set_faults(rate=1.0, kinds=["reset"], path_contains="/pull/")
    client = dataikuapi.DSSClient(sim.url, KEY)
    studio = client.get_project("SALES_FORECAST").get_code_studio(sid)
    with pytest.raises(requests.ConnectionError):
        studio.pull_from_code_studio(zid)
    assert studio.get_status().state == "RUNNING"  # other paths unaffected
    pulls = [r for r in sim.requests if r.path.endswith(f"/pull/{zid}")]
    assert len(pulls) == 1 and pulls[0].status == "reset" and pulls[0].http_status is None
    assert sim.read_files("SALES_FORECAST", sid, zid, side="dss") == dss_before  # not performed


def test_reset_after_performs_then_drops(sim):
    sid = studio_named(sim, "SALES_FORECAST", "Forecast notebook")
    zid = sim.zone_ids("SALES_FORECAST", sid)["project-lib-versioned"]
    studio_files = sim.read_files("SALES_FORECAST", sid, zid)
    sim.set_faults(rate=1.0, kinds=["reset_after"], methods=["GET"], path_contains="/pull/")
    with pytest.raises(requests.ConnectionError):
        get(sim, f"/projects/SALES_FORECAST/code-studios/{sid}/pull/{zid}")
    dss = sim.read_files("SALES_FORECAST", sid, zid, side="dss")
    assert dss["python/forecast/features.py"] == studio_files["python/forecast/features.py"]  # performed
    assert sim.requests[-1].status == "reset" and sim.requests[-1].fault == "reset_after"


def test_stall_delays_the_answer(sim):
    sim.set_faults(rate=1.0, kinds=["stall"], stall_s=0.3, methods=["GET"])
    t0 = time.monotonic()
    assert get(sim, "/projects/").status_code == 200
    assert time.monotonic() - t0 >= 0.3
    assert sim.requests[-1].status == "stall" and sim.requests[-1].http_status == 200
    with pytest.raises(requests.Timeout):
        get(sim, "/projects/", timeout=0.1)
    assert (
        requests.post(f"{sim.url}/public/api/projects/X/code-studios/x/stop", auth=(KEY, ""), timeout=5).status_code
        == 401
    )  # POST not stalled


def test_faults_are_seeded_and_reproducible(sim):
    def pattern(seed: int) -> list[int]:
        sim.set_faults(rate=0.5, kinds=["500"], seed=seed)
        return [get(sim, "/projects/").status_code for _ in range(30)]

    first = pattern(7)
    assert first == pattern(7)
    assert 0 < first.count(500) < 30
    assert first != pattern(8)
    sim.clear_faults()
    assert sim.faults.rate == 0.0


def test_invalid_fault_configuration(sim):
    with pytest.raises(ValueError):
        sim.set_faults(rate=2)
    with pytest.raises(ValueError):
        sim.set_faults(rate=0.5, kinds=["explode"])


def test_latency_is_added_and_does_not_serialize(sim):
    sim.latency_ms = 200
    t0 = time.monotonic()
    assert get(sim, "/projects/").status_code == 200
    single = time.monotonic() - t0
    assert single >= 0.2
    t0 = time.monotonic()
    with ThreadPoolExecutor(16) as pool:
        codes = list(pool.map(lambda _: get(sim, "/projects/").status_code, range(16)))
    assert codes == [200] * 16
    assert time.monotonic() - t0 < 0.2 * 4  # overlapping, not 16 x 200 ms
    sim.latency_ms = 0


def test_stop_wakes_stalled_requests():
    sim = Simulator(scenario="empty", api_key=KEY).start()
    sim.set_faults(rate=1.0, kinds=["stall"], stall_s=30)
    with ThreadPoolExecutor(1) as pool:
        pending = pool.submit(get, sim, "/projects/", 10)
        wait_for(lambda: sim.app.in_flight == 1)  # the request is in its stall
        t0 = time.monotonic()
        sim.stop()
        assert time.monotonic() - t0 < 3
        assert pending.result().status_code == 200
    sim.stop()  # idempotent


def test_request_log_fields(sim):
    sim.clear_requests()
    assert sim.requests == []
    requests.get(f"{sim.url}/dip/publicapi/futures/abc%2Fd?peek=False", auth=(KEY, ""), timeout=5)
    record = sim.requests[-1]
    assert (record.method, record.path, record.raw_path, record.query, record.login, record.status) == (
        "GET",
        "/futures/abc/d",
        "/futures/abc%2Fd",
        {"peek": "False"},
        "admin",
        200,
    )
    requests.get(f"{sim.url}/__sim__/health", auth=(KEY, ""), timeout=5)
    assert len(sim.requests) == 1  # control routes are not logged
