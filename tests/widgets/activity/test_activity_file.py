"""ActivityLog(path=...): a JSON-lines file, appended, read back by a new log (a kernel restart); refused
and aborted are outcomes of their own; targets name the project."""

from __future__ import annotations

import json

from cswidgets.widgets.activity import ActivityLog
from cswidgets.widgets.activity.log import INTERRUPTED


def test_the_log_survives_a_restart(tmp_path):
    path = tmp_path / "activity.jsonl"
    first = ActivityLog(path=path)
    done = first.begin(who="alice", what="stop", project_key="P", studio_id="s1", studio="Notebook")
    first.finish(done, "done", 1.5)
    first.record(what="build", outcome="refused", template_id="tpl", message="already building")
    first.begin(what="restart", project_key="P", studio_id="s2", studio="App")  # never ends: a restart
    lines = path.read_text().splitlines()
    assert len(lines) == 4 and all(json.loads(line)["id"] for line in lines)  # appended, one line each

    again = ActivityLog(path=path)  # the next kernel
    entries = again.entries()
    assert [(e["what"], e["outcome"]) for e in entries] == [("stop", "done"), ("build", "refused"),
                                                            ("restart", "aborted")]
    assert entries[0]["duration_s"] == 1.5 and entries[0]["target"] == "Notebook (P)"
    assert entries[2]["message"] == INTERRUPTED
    new = again.record(what="pull", outcome="done", studio="App", project_key="P", files=["b.py", "a.py", "b.py"])
    assert new["id"] > max(e["id"] for e in entries)  # new ids never collide with loaded ones
    assert new["files"] == ["a.py", "b.py"] and entries[0]["files"] is None
    last = ActivityLog(path=path)
    assert [e["what"] for e in last.entries()][-1] == "pull"
    assert last.entries()[-1]["files"] == ["a.py", "b.py"]  # a field of its own, kept in the file
    assert last.frame()["files"].iloc[-1] == ["a.py", "b.py"]


def test_the_file_keeps_the_newest_and_is_compacted(tmp_path):
    path = tmp_path / "a.jsonl"
    log = ActivityLog(max_entries=5, path=path)
    for i in range(20):
        log.record(what=f"a{i}", outcome="done")
    again = ActivityLog(max_entries=5, path=path)
    assert [e["what"] for e in again.entries()] == [f"a{i}" for i in range(15, 20)]
    assert len(path.read_text().splitlines()) == 5


def test_a_damaged_line_is_skipped(tmp_path):
    path = tmp_path / "a.jsonl"
    ActivityLog(path=path).record(what="ok", outcome="done")
    with path.open("a") as f:
        f.write("{not json\n")
    assert [e["what"] for e in ActivityLog(path=path).entries()] == ["ok"]


def test_refused_and_aborted_are_counted_apart_from_failures():
    log = ActivityLog()
    for outcome in ("done", "failed", "aborted", "refused", "refused"):
        log.record(what="x", outcome=outcome)
    assert log.counts() == {"total": 5, "running": 0, "failed": 1, "aborted": 1, "refused": 2}
