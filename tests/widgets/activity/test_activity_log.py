"""The shared ActivityLog: entries, durations, subscribers, threads, the DataFrame, drop-in use."""

from __future__ import annotations

import threading
import time

import pandas as pd
import pytest

from cswidgets.widgets.activity import COLUMNS, OUTCOMES, ActivityLog, PanelActivity, default_who
from cswidgets.widgets.shared.panel import Panel

STUDIO_TABLE_KEYS = {"id", "who", "what", "project_key", "studio_id", "studio", "when", "outcome", "duration_s",
                     "message"}


def test_begin_then_finish_replaces_the_entry_and_measures_the_duration():
    log = ActivityLog(panel="studios")
    entry_id = log.begin(who="alice", what="stop", project_key="P", studio_id="s1", studio="Notebook")
    [running] = log.entries()
    assert running["outcome"] == "running" and running["duration_s"] is None
    assert running["target"] == "Notebook (P)" and running["panel"] == "studios"
    time.sleep(0.05)  # a measurable duration, not a synchronisation
    final = log.finish(entry_id, "done")
    [entry] = log.entries()
    assert entry == final
    assert entry["outcome"] == "done" and entry["id"] == entry_id
    assert 0.04 <= entry["duration_s"] < 5
    assert set(entry) == set(COLUMNS)
    assert set(entry) >= STUDIO_TABLE_KEYS  # a superset of StudioTable's activity dicts


def test_explicit_duration_message_and_when():
    log = ActivityLog()
    entry_id = log.begin(what="build", template_id="tpl", when="2024-05-01T12:00:00+00:00")
    log.finish(entry_id, "failed", 12.345, "Docker build failed")
    [entry] = log.entries()
    assert entry["when"] == "2024-05-01T12:00:00+00:00"
    assert entry["duration_s"] == 12.35 and entry["message"] == "Docker build failed"
    assert entry["target"] == "tpl"


def test_record_measures_from_a_monotonic_start_and_detail_is_the_message():
    log = ActivityLog()
    started = time.monotonic() - 2.0
    entry = log.record(who="bob", what="pull", outcome="refused", started=started, studio="App",
                       zone="Project libraries", detail="3 files would be overwritten")
    assert entry["message"] == "3 files would be overwritten"
    assert entry["target"] == "App / Project libraries"
    assert 1.9 < entry["duration_s"] < 10


@pytest.mark.parametrize("outcome", ["ok", "opened", "needs confirmation", "running", ""])
def test_one_outcome_vocabulary(outcome):
    log = ActivityLog()
    entry_id = log.begin(what="stop")
    with pytest.raises(ValueError, match="done, failed, aborted, refused"):
        log.record(what="pull", outcome=outcome)
    with pytest.raises(ValueError, match="done, failed, aborted, refused"):
        log.finish(entry_id, outcome)
    assert [e["outcome"] for e in log.entries()] == ["running"]
    assert OUTCOMES == ("running", "done", "failed", "aborted", "refused", "unknown")


def test_sources_keep_each_recorder_entries_apart():
    log = ActivityLog()
    a, b = object(), object()
    seen_a, seen_all = [], []
    log.subscribe(seen_a.append, source=a)
    log.subscribe(seen_all.append)
    first = log.begin(what="stop", source=a)
    log.record(what="build", outcome="done", source=b)
    log.record(what="check", outcome="done")
    log.finish(first, "done")
    assert [e["what"] for e in log.entries(source=a)] == ["stop"]
    assert [e["what"] for e in log.entries(source=b)] == ["build"]
    assert [(e["what"], e["outcome"]) for e in seen_a] == [("stop", "running"), ("stop", "done")]
    assert len(seen_all) == 4


def test_panel_activity_fills_panel_and_who_lazily():
    calls = []

    def who():
        calls.append(1)
        return "alice"

    mine = PanelActivity(None, "templates", who)
    assert calls == []  # the login is not fetched until something is recorded
    entry_id = mine.begin("build", template_id="tpl")
    mine.finish(entry_id, "done")
    mine.record("abort", "done", template_id="tpl", who="bob")
    assert [(e["panel"], e["who"]) for e in mine.entries()] == [("templates", "alice"), ("templates", "bob")]
    assert mine.log.panel == "templates"
    failing = PanelActivity(None, "studios", lambda: 1 / 0)
    assert failing.record("stop", "done")["who"] is None  # never breaks the action


def test_default_who_is_the_client_login():
    class Client:
        login = "carol"

    class Broken:
        @property
        def login(self):
            raise RuntimeError("no")

    assert default_who(Client()) == "carol"
    assert default_who(Broken()) is None and default_who(None) is None


def test_finish_needs_a_final_outcome_and_unknown_ids_are_ignored():
    log = ActivityLog()
    entry_id = log.begin(what="stop")
    with pytest.raises(ValueError):
        log.finish(entry_id, "running")
    assert log.finish(999_999, "done") is None
    with pytest.raises(TypeError, match="colour"):
        log.begin(what="stop", colour="red")


def test_an_operation_records_done_or_failed_and_reraises():
    """(Was ActivityLog.action: the one action path is Panel.operation now.)"""
    log = ActivityLog()
    panel = _Recording(log)
    try:
        with panel.operation("sync", studio="A"):
            pass
        with pytest.raises(RuntimeError), panel.operation("sync", studio="B"):
            raise RuntimeError("zone vanished")
    finally:
        panel.close()
    done, failed = log.entries()
    assert done["outcome"] == "done"
    assert failed["outcome"] == "failed" and failed["message"] == "RuntimeError: zone vanished"


class _Recording(Panel):
    _esm = "export default { render() {} };"

    def __init__(self, log):
        super().__init__()
        self._activity = PanelActivity(log, "test", lambda: None)


def test_subscribers_get_every_version_and_a_failing_one_is_isolated():
    log = ActivityLog()
    seen: list[tuple[str, str]] = []
    log.subscribe(lambda e: (_ for _ in ()).throw(RuntimeError("bad subscriber")))
    unsubscribe = log.subscribe(lambda e: seen.append((e["what"], e["outcome"])))
    entry_id = log.begin(what="restart")
    log.finish(entry_id, "aborted")
    unsubscribe()
    log.record(what="check", outcome="done")
    assert seen == [("restart", "running"), ("restart", "aborted")]
    with pytest.raises(TypeError):
        log.subscribe("not callable")


def test_bounded_and_tail_is_newest_first():
    log = ActivityLog(max_entries=3)
    ids = [log.record(what=f"a{i}", outcome="done")["id"] for i in range(5)]
    assert [e["id"] for e in log.entries()] == ids[2:]
    assert [e["what"] for e in log.tail(2)] == ["a4", "a3"]
    assert log.finish(ids[0], "done") is None  # dropped


def test_concurrent_actions_from_many_threads_are_all_recorded():
    log = ActivityLog()
    barrier = threading.Barrier(8)

    def work(n: int) -> None:
        barrier.wait()
        for i in range(50):
            entry_id = log.begin(what="stop", studio=f"s{n}-{i}")
            log.finish(entry_id, "done" if i % 2 else "failed", 0.1)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    entries = log.entries()
    assert len(entries) == 400
    assert len({e["id"] for e in entries}) == 400
    assert log.counts() == {"total": 400, "running": 0, "failed": 200, "aborted": 0, "refused": 0}


def test_frame_has_real_dtypes():
    log = ActivityLog()
    log.record(what="stop", outcome="done", duration_s=1.5, studio="A", who="alice")
    log.begin(what="build", template_id="tpl")
    df = log.frame()
    assert list(df.columns) == list(COLUMNS[1:]) and df.index.name == "id"
    assert isinstance(df["when"].dtype, pd.DatetimeTZDtype)
    assert isinstance(df["outcome"].dtype, pd.CategoricalDtype)
    assert df["duration_s"].tolist()[0] == 1.5 and pd.isna(df["duration_s"].tolist()[1])
    assert df["who"].tolist() == ["alice", None]
    empty = ActivityLog().frame()
    assert empty.empty and list(empty.columns) == list(COLUMNS[1:])


def test_a_studio_table_records_into_a_shared_log(client, sim):
    """A StudioTable given a shared log records into it: a stop is logged the same."""
    from cswidgets.widgets.studio_table import StudioTable
    from tests.support import wait_for

    shared = ActivityLog()
    table = StudioTable(client, activity_log=shared)
    table.send = lambda *a, **k: None
    try:
        key = table.df.index[table.df["state"].astype(str) == "RUNNING"][0]
        table.stop(key)
        entry = wait_for(lambda: next((e for e in table.activity if e["outcome"] != "running"), None), 20)
        assert entry["what"] == "stop" and entry["outcome"] == "done"
        assert entry["project_key"] == key.split("/")[0] and entry["duration_s"] > 0
        assert shared.entries() == table.activity
    finally:
        table.close()
