"""Issue 23, item 13: a stop answered after ``StudioTable.close()`` was still polled every ~1.5 s until the task
ended. Its future is no longer read once the table is closed (the tracker drops a subscription whose
``keep()`` says the panel closed)."""

from __future__ import annotations

import threading

from cswidgets.api.codestudio import CodeStudio
from tests.support import wait_for

from .conftest import running_key


def test_a_stop_answered_after_close_is_not_followed(make_table, sim, client, monkeypatch):
    table = make_table()
    key = running_key(table)
    sid = key.split("/", 1)[1]
    sim.speed = 0.25  # the stop's task runs ~12 s: long after the table closed
    sim.set_faults(rate=1.0, kinds=("stall",), stall_s=1.0, methods=("POST",), path_contains="/stop")
    sending = threading.Event()  # the stop is being sent (its answer then stalls 1 s)
    real_stop = CodeStudio.stop
    monkeypatch.setattr(CodeStudio, "stop", lambda self: (sending.set(), real_stop(self))[1])
    table._handle_custom_msg({"kind": "stop", "id": "s1", "row": key}, [])
    # closed while the stop's answer is on its way -- not before the action began (at load 4 the action pool had
    # not started it yet, and closing the table rightly dropped it)
    assert sending.wait(10), "the stop was never sent"
    table.close()
    wait_for(lambda: any(r.method == "POST" and r.path.endswith(f"{sid}/stop") for r in sim.requests),
             what="the stop to be answered")
    stop_task = wait_for(lambda: [f for f in sim.model.futures.all() if f.alive], what="the stop's task")[0]
    wait_for(lambda: len(client.tracker) == 0, timeout=3, what="the closed table's task dropped by the tracker")
    reads = lambda: [r for r in sim.requests if r.path == f"/futures/{stop_task.job_id}"]  # noqa: E731
    assert stop_task.alive  # still running on DSS: the old tracker kept polling it until now
    assert reads() == []
    sim.clear_faults()
