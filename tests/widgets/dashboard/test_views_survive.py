"""Re-running the Dashboard's cell (#24 finding 6): the new Dashboard of the same DSS shows the tab, the
table's view and the activity log of the previous one."""

from __future__ import annotations

from tests.support import wait_for

from .conftest import key_in_state


def test_the_rerun_dashboard_keeps_the_tab_the_view_and_the_activity(make_dashboard):
    first = make_dashboard(user="tester", live=False)
    first.tab = "activity"
    first.table.sort = {"column": "name", "descending": True}  # as the browser writes them
    first.table.filter_states = ["RUNNING"]
    key = key_in_state(first, "RUNNING")
    first.table.stop(key)
    wait_for(lambda: any(e["what"] == "stop" and e["outcome"] == "done" for e in first.activity_log.entries()),
             20, "the stop to end")

    again = make_dashboard(user="tester", live=False)
    assert again.tab == "activity"
    assert again.table.sort == {"column": "name", "descending": True}
    assert again.table.filter_states == ["RUNNING"]
    entries = again.activity_log.entries()
    assert [(e["what"], e["studio_id"], e["outcome"]) for e in entries][-1] == ("stop", key.split("/")[1], "done")
    assert again._activity.counts["total"] == len(entries) >= 1
    assert again._tabs.get_titles()[2].startswith(f"Activity ({len(entries)}")


def test_a_first_dashboard_starts_on_file_sync_with_no_activity(dashboard):
    assert dashboard.tab == "sync" and dashboard.activity_log.entries() == []
