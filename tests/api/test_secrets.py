"""The API key never appears in a repr, a log line or an exception; misc client behaviour."""

from __future__ import annotations

import logging
import threading

import pytest

import cswidgets.api as api
from cswidgets.api import text as gate
from tests.support import wait_for

from .conftest import ADMIN_KEY


def texts_of(obj) -> list[str]:
    return [repr(obj), str(obj)]


def test_key_absent_from_reprs_logs_and_errors(sim, caplog):
    caplog.set_level(logging.DEBUG)
    client = api.connect(sim.url, ADMIN_KEY)
    seen: list[str] = []
    pk = client.list_project_keys()[0]
    project = client.get_project(pk)
    item = project.list_code_studios()[0]
    studio = item.to_code_studio()
    settings = studio.get_settings()
    status = studio.get_status()
    tpl_item = client.list_code_studio_templates()[0]
    tpl = tpl_item.to_code_studio_template()
    tpl_settings = tpl.get_settings()
    fut = studio.stop()
    conflicts = studio.check_conflicts("nope")
    objs = [
        client,
        client._transport,
        client._transport.auth,
        project,
        item,
        studio,
        settings,
        status,
        tpl_item,
        tpl,
        tpl_settings,
        fut,
        fut.progress,
        conflicts,
        client.tracker,
    ]
    for obj in objs:
        seen += texts_of(obj)
    # errors of every kind
    bad = api.connect(sim.url, ADMIN_KEY + "-wrong", retries=0)
    errors = []
    for call in (
        bad.list_projects,
        lambda: client.get_project("NOPE").list_code_studios(),
        lambda: project.get_code_studio("nope").get_settings(),
        lambda: client.get_future("nope").wait_for_result(timeout=2),
    ):
        with pytest.raises(api.DSSError) as info:
            call()
        errors.append(info.value)
    assert errors[0].status == 401
    assert errors[2].status == 404
    for err in errors:
        seen += [*texts_of(err), str(err.body), str(err.__dict__)]
    sim.set_faults(rate=1.0, kinds=("reset",), path_contains="/projects")
    with pytest.raises(api.DSSConnectionError) as info:
        api.connect(sim.url, ADMIN_KEY, retries=1).list_projects()
    sim.clear_faults()
    seen += texts_of(info.value)
    with pytest.raises(api.DSSConfigError) as info:
        api.connect(api_key=ADMIN_KEY, env={})
    seen += texts_of(info.value)
    seen.append(caplog.text)
    assert caplog.records, "debug logging should have recorded requests"
    for text in seen:
        assert ADMIN_KEY not in text
    bad.close()
    client.close()


def test_is_simulator(sim, client, stub):
    assert client.is_simulator is True
    stub.route("GET", "/projects/", 200, [])
    other = api.connect(stub.url, ADMIN_KEY)
    assert other.is_simulator is False
    other.close()


def test_context_manager_closes_the_tracker(sim):
    with api.connect(sim.url, ADMIN_KEY) as client:
        pk = sim.project_keys()[0]
        sid = sim.add_studio(pk, "cm", "admin", sim.template_ids()[0], state="STOPPED")
        done = []
        client.tracker.track(client.get_project(pk).get_code_studio(sid).restart(), on_done=done.append)
        wait_for(lambda: done, timeout=30)
        tracker = client.tracker
    assert not tracker.running


def test_template_creation(sim, client):
    tpl = client.create_code_studio_template("Made by tests", "block_based")
    assert tpl.id in [t.id for t in client.list_code_studio_templates()]
    assert tpl.get_settings().get_raw()["label"] == "Made by tests"
    with pytest.raises(ValueError):
        client.create_code_studio_template("", "manual")


def test_as_type_is_checked(client):
    with pytest.raises(ValueError, match="Unknown as_type"):
        client.get_project(client.list_project_keys()[0]).list_code_studios(as_type="dicts")
    with pytest.raises(ValueError, match="Unknown as_type"):
        client.list_code_studio_templates(as_type="dicts")


class _Owner:
    """Stands for a connection's transport: the gate scrubs its secrets while it lives."""


def test_a_connection_collected_while_the_gate_is_busy_does_not_hang_it():
    """A garbage collection may run a connection's finalizer in a thread that holds the gate's lock (an allocation
    inside a registration triggered it): a test run once hung there, in ``connect()``. The finalizer only notes the
    connection gone; the gate forgets its secrets at its next registration or read."""
    owner: _Owner | None = _Owner()
    gate.register(owner, ["s3cret-collected"])
    assert "s3cret-collected" in gate.secrets()
    done = threading.Event()

    def collected_inside() -> None:
        nonlocal owner
        with gate._lock:
            owner = None  # the last reference: its finalizer runs now, in this thread, with the lock held
        done.set()

    threading.Thread(target=collected_inside, daemon=True).start()
    assert done.wait(5), "the gate's lock deadlocked on a connection's finalizer"
    assert "s3cret-collected" not in gate.secrets()


def test_a_connection_that_reuses_a_collected_one_s_id_keeps_its_secrets():
    owner = _Owner()
    gate.register(owner, ["s3cret-live"])
    gate._collected.append((id(owner), object()))  # an earlier connection's note, with the same id (ids are reused)
    assert "s3cret-live" in gate.secrets()
