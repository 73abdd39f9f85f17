"""Simulator and RemoteSimulator share one set of helpers (SimulatorAPI) and answer alike."""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from typing import Any

import pytest
import requests

from cswidgets.sim import FaultConfig, RemoteSimulator, RequestRecord, SimError, Simulator, SimulatorAPI
from cswidgets.sim.http.control import OPERATIONS, Controls
from cswidgets.sim.model.model import Model

from .conftest import EPOCH_MS, KEY

PK = "SALES_FORECAST"
HELPERS = sorted(n for n in dir(SimulatorAPI) if not n.startswith("_"))


def test_both_classes_offer_the_helpers_of_the_protocol_unchanged():
    assert {"write_file", "set_faults", "requests", "advance", "status", "add_user"} <= set(HELPERS)
    for cls in (Simulator, RemoteSimulator):
        assert issubclass(cls, SimulatorAPI)
        overridden = sorted(n for n in HELPERS if n in vars(cls))
        assert overridden == [], f"{cls.__name__} redefines {overridden}"
    for name in HELPERS:
        mine, theirs = getattr(Simulator, name), getattr(RemoteSimulator, name)
        if callable(mine):
            assert inspect.signature(mine) == inspect.signature(theirs), name


class Recorder(SimulatorAPI):
    """Records the operations helpers send, answering what the decoders expect."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, dict[str, Any]]] = []

    def _control(self, operation: str, arguments: dict[str, Any]) -> Any:
        self.sent.append((operation, arguments))
        return {"faults": {}, "requests": []}.get(operation)


def _sample_call(rec: Recorder, name: str) -> None:
    """Call helper ``name`` once with placeholder arguments."""
    member = inspect.getattr_static(SimulatorAPI, name)
    if isinstance(member, property):
        value = getattr(rec, name)
        if member.fset is not None:
            setattr(rec, name, 1 if value is None else value)
        return
    params = list(inspect.signature(member).parameters.values())[1:]
    required = {p.name: "x" for p in params if p.default is inspect.Parameter.empty}
    getattr(rec, name)(**required)


def test_every_helper_sends_an_operation_the_controls_run_with_the_same_arguments():
    rec = Recorder()
    for name in HELPERS:
        _sample_call(rec, name)
    sent = {op for op, _ in rec.sent}
    assert sent == OPERATIONS  # no helper without an operation, no operation without a helper
    for op, arguments in rec.sent:
        params = list(inspect.signature(getattr(Controls, op)).parameters)[1:]
        assert params == list(arguments), op  # every argument, defaults applied, in order


def test_set_faults_defaults_are_the_fault_config_defaults():
    params = inspect.signature(SimulatorAPI.set_faults).parameters
    assert {n: p.default for n, p in params.items() if n != "self"} == {
        n: getattr(FaultConfig(), n) for n in params if n != "self"
    }


@pytest.fixture
def pair() -> Iterator[tuple[Simulator, RemoteSimulator]]:
    """Two identical frozen demo simulators: one driven in process, one over HTTP."""
    with Simulator(scenario="demo", api_key=KEY, seed=3, speed=0, epoch_ms=EPOCH_MS) as local, Simulator(
        scenario="demo", api_key=KEY, seed=3, speed=0, epoch_ms=EPOCH_MS
    ) as served, RemoteSimulator(served.url, KEY) as remote:
        yield local, remote


def _script(api: SimulatorAPI, url: str) -> list[Any]:
    """The same calls on either side; what they answer."""
    out: list[Any] = [api.health(), api.add_user("zoe"), api.keys["zoe"], api.project_keys()]
    tid = api.add_template("Mine", zones=["recipes", ("user-versioned", True)], ports=[("App", 9000)])
    sid = api.add_studio(PK, "<b>new</b>", "zoe", tid)
    api.write_file(PK, sid, "recipes", "a.py", "dss\n", side="dss", author="bob")
    job = api.set_state(PK, sid, "STARTING")
    out += [tid, sid, job, api.status(PK, sid), api.advance(8), api.now_ms(), api.status(PK, sid)]
    zones = api.zone_ids(PK, sid)
    api.write_file(PK, sid, zones["recipes"], "b.py", "studio\n")
    api.delete_file(PK, sid, "recipes", "a.py")
    out += [zones, api.read_files(PK, sid, "recipes"), api.read_files(PK, sid, "recipes", side="dss")]
    out += [api.history(PK, sid, "recipes"), api.set_state(PK, sid, "STOPPED"), api.studio_ids(PK)]
    api.set_faults(rate=1.0, kinds="500", methods=["get"], path_contains="/projects")
    out.append(api.faults)
    out.append(requests.get(f"{url}/public/api/projects/", auth=(KEY, ""), timeout=5).status_code)
    api.clear_faults()
    api.latency_ms = 3
    api.speed = 0
    api.sync_model, api.consume_futures = "mirror", False
    out += [api.faults, api.latency_ms, api.speed, api.sync_model, api.consume_futures]
    for bad_switch in (lambda: setattr(api, "sync_model", "rsync"), lambda: setattr(api, "consume_futures", "yes")):
        with pytest.raises((SimError, ValueError)):
            bad_switch()
    out.append({"log": api.requests})
    api.clear_requests()
    out.append(api.requests)
    for bad in (lambda: api.read_files(PK, "nope", "recipes"), lambda: api.set_state(PK, "nope", "RUNNING")):
        with pytest.raises(SimError) as info:
            bad()
        out.append((info.value.status, info.value.error_type, info.value.message))
    return out


def test_in_process_and_remote_simulators_answer_the_same(pair):
    local, remote = pair
    here = _script(local, local.url)
    there = _script(remote, remote.url)
    assert here == there
    log = next(x["log"] for x in here if isinstance(x, dict) and "log" in x)
    assert [type(r) for r in log] == [RequestRecord] and (log[0].status, log[0].fault) == (500, "500")
    assert FaultConfig(rate=1.0, kinds=("500",), methods=("GET",), path_contains="/projects") in here
    assert here[-3] == [] and here[-1][0] == 404  # log cleared; unknown studio


def test_malformed_arguments_raise_in_process_and_answer_400_remotely(pair):
    local, remote = pair
    with pytest.raises(ValueError, match="rate"):
        local.set_faults(rate=3)
    with pytest.raises(SimError) as info:
        remote.set_faults(rate=3)
    assert info.value.status == 400 and "rate" in info.value.message
    with pytest.raises(SimError) as info:
        remote._control("write_file", {"project_key": PK})  # missing arguments
    assert info.value.status == 400
    with pytest.raises(SimError) as info:
        remote._control("run", {})  # the dispatcher itself is no operation
    assert info.value.status == 404


def _params(fn):
    return [p for p in inspect.signature(fn).parameters.values() if p.name != "self"]


@pytest.mark.parametrize("name", sorted(n for n, f in vars(SimulatorAPI).items() if getattr(f, "operation", None)))
def test_every_helper_has_one_signature_in_the_protocol_the_controls_and_the_model(name):
    """The protocol (``SimulatorAPI``) declares each helper once; :class:`Controls` takes the same arguments by
    the same names (JSON values, defaults applied by the protocol), and where the model offers the helper under
    the same name, it takes the protocol's parameters -- names, kinds and defaults -- followed only by
    keyword-only extras with defaults (a call written against the protocol works on the model)."""
    protocol = _params(getattr(SimulatorAPI, name))
    controls = _params(getattr(Controls, name))
    assert [p.name for p in controls] == [p.name for p in protocol]
    model = getattr(Model, name, None)
    if model is None:  # served by the simulator or its HTTP app (clock, faults, request log), not the model
        return
    params = _params(model)
    shared = [(p.name, p.kind, p.default) for p in params[: len(protocol)]]
    assert shared == [(p.name, p.kind, p.default) for p in protocol]
    extras = params[len(protocol):]
    assert all(p.kind is p.KEYWORD_ONLY and p.default is not p.empty for p in extras), extras
