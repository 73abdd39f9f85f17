"""The connection's one reader of DSS's running tasks (``Client.tasks``): a recent read serves every caller, a
read in flight is waited for, failures are never kept; the tracker and a live table share it."""

from __future__ import annotations

import threading
import time

import pytest

from cswidgets.api.tasklist import TaskList
from tests.support import wait_for


def test_a_recent_read_serves_every_caller_and_a_read_in_flight_is_waited_for():
    calls = []
    gate = threading.Event()

    def list_futures(all_users):
        calls.append(all_users)
        gate.wait(2)
        return [{"jobId": f"j{len(calls)}"}]

    tasks = TaskList(list_futures)
    results = []
    threads = [threading.Thread(target=lambda: results.append(tasks.read(True, 1.0))) for _ in range(3)]
    for th in threads:
        th.start()
    wait_for(lambda: len(calls) == 1, what="the one read")
    gate.set()
    for th in threads:
        th.join(5)
    assert len(calls) == 1 and tasks.requests == 1  # three callers, one request
    assert sorted(r.fresh for r in results) == [False, False, True]
    assert all(r.items == [{"jobId": "j1"}] for r in results)
    assert tasks.read(True, 10.0).fresh is False  # still young enough
    assert tasks.read(False, 10.0).fresh is True  # one's own tasks: another answer
    time.sleep(0.05)
    assert tasks.read(True, 0.01).fresh is True  # too old for this caller


def test_a_failed_read_is_not_kept():
    answers: list = [RuntimeError("no"), [{"jobId": "a"}]]

    def list_futures(all_users):
        answer = answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer

    tasks = TaskList(list_futures)
    with pytest.raises(RuntimeError):
        tasks.read(True, 10.0)
    assert tasks.read(True, 10.0).items == [{"jobId": "a"}]


def test_the_tracker_and_a_live_table_share_the_running_tasks_read(sim, client):
    """A table watching for changes elsewhere and the tracker following a build read GET /futures/ through one
    reader: about one list read a second between them, not two."""
    from cswidgets.widgets.studio_table import StudioTable
    from tests.widgets.studio_table.conftest import show

    sim.speed = 0.1  # the build runs through the measure
    table = StudioTable(client, request_budget=20)  # reads the running tasks every second
    try:
        show(table)
        template = sim.template_ids()[0]
        future = client.get_code_studio_template(template).build()
        client.tracker.track(future)  # followed by the tracker's list reads (every second)
        wait_for(lambda: client.tasks.requests >= 2, timeout=5, what="list reads")
        lists = lambda: sum(1 for r in sim.requests if r.path.rstrip("/") == "/futures")  # noqa: E731
        before, began = lists(), time.monotonic()
        time.sleep(4.0)
        per_s = (lists() - before) / (time.monotonic() - began)
        assert per_s <= 1.5  # two readers at ~1/s each (2/s apart): about one list read a second between them
        assert table.live_info["tasks"]
        assert not future.done
    finally:
        table.close()
