"""The administrator's columns of the studio table (issue 25): how long each studio has run, whether it runs an
outdated image (its tooltip naming the template's last build), its unsynced files (opt-in) -- kept across the
live reads, which do not read them -- and "Download shown rows (CSV)" made in the kernel."""

from __future__ import annotations

import io

import pandas as pd

from tests.support import ask

FORECAST = "Forecast notebook"  # RUNNING for an hour in the demo, template tpl_vscode


def _key(table, name: str) -> str:
    df = table.df
    return df.index[df["name"] == name][0]


def _rebuild(sim, client, template_id: str) -> None:
    future = client.get_code_studio_template(template_id).build()
    sim.advance(60)
    future.wait_for_result(timeout=20)


def test_rows_say_how_long_each_studio_runs_and_whether_its_image_is_current(make_table):
    table = make_table(live=False)
    row = table.store.get(_key(table, FORECAST))
    assert 3590 <= row["running_for_s"] <= 3900  # an hour on the simulator's clock (it runs 100x faster)
    assert row["image_outdated"] is False
    assert row["image_note"].startswith("Current image: template tpl_vscode last built 2023-11-12")
    stopped = table.store.get(_key(table, "Bob's sandbox"))
    assert stopped["running_for_s"] is None and stopped["image_outdated"] is None
    assert row["unsynced_files"] is None and row["unsynced_read_at"] is None  # opt-in: not read
    shown = {c["id"]: c["shown"] for c in table.config["columns"]}
    assert shown["running_for"] and not shown["image"] and not shown["unsynced"]  # both in the column menu


def test_a_rebuild_makes_the_running_studios_outdated_and_the_live_reads_keep_it(sim, client, make_table):
    table = make_table(live=False)
    key = _key(table, FORECAST)
    _rebuild(sim, client, "tpl_vscode")
    table.refresh()
    row = table.store.get(key)
    assert row["image_outdated"] is True
    built = client.templates_frame().set_index("id").loc["tpl_vscode", "last_built"].strftime("%Y-%m-%d %H:%M UTC")
    assert row["image_note"].startswith(f"Outdated image: template tpl_vscode last built {built}")
    table.send.clear()
    table.reread([key])  # the live reads (studio_rows) read no template: the value is carried over
    assert table.store.get(key)["image_outdated"] is True
    assert bool(table.df.loc[key, "image_outdated"]) is True


def test_unsynced_files_are_read_when_asked_and_count_a_file_written_in_the_studio(sim, make_table):
    table = make_table(live=False, unsynced=True)
    assert {c["id"]: c["shown"] for c in table.config["columns"]}["unsynced"] is True
    key = _key(table, "Dashboard app")  # running for hours, nothing unsynced in the demo
    row = table.store.get(key)
    assert row["unsynced_files"] == 0 and row["unsynced_read_at"] > 0
    pk, sid = row["project_key"], row["id"]
    zone = next(iter(sim.zone_ids(pk, sid)))
    sim.write_file(pk, sid, zone, "notes/new.md", "# written in the studio\n", side="studio")
    table.refresh()
    assert table.store.get(key)["unsynced_files"] == 1
    table.reread([key])  # still running since the same time: the count read by the full read stays
    assert table.store.get(key)["unsynced_files"] == 1
    assert table.store.get(_key(table, "Bob's sandbox"))["unsynced_files"] is None  # stopped: nothing to read


def test_csv_download_holds_exactly_the_rows_shown_in_their_order(make_table):
    table = make_table(live=False)
    made = table.create("LOGISTICS", '=HYPERLINK("http://evil.example")', "tpl_vscode")
    keys = [_key(table, FORECAST), made["key"], _key(table, "Bob's sandbox")]
    reply = ask(table, "csv", rows=keys)
    assert reply["ok"] is True and reply["result"]["rows"] == 3
    (download,) = [m for m in table.send if m.get("kind") == "download"]
    assert download["mime"] == "text/csv" and download["name"] == reply["result"]["name"]
    assert download["name"].startswith("code-studios-") and download["name"].endswith(".csv")
    csv = pd.read_csv(io.StringIO(download["text"]))
    assert list(csv["key"]) == keys
    assert csv.loc[1, "name"] == "'" + '=HYPERLINK("http://evil.example")'  # never a formula in a spreadsheet
    assert 3590 <= csv.loc[0, "running_for_s"] <= 3900 and pd.isna(csv.loc[2, "running_for_s"])
    assert csv.loc[0, "zones"].startswith("Project libraries") and "image_outdated" in csv.columns  # labels


def test_csv_of_bad_input_is_a_clear_error(make_table):
    table = make_table(live=False)
    reply = ask(table, "csv", rows="SALES_FORECAST/x")
    assert reply["ok"] is False and "list of row keys" in reply["error"]
    assert table.to_csv([]).strip().startswith("key,project_key,id,name")


def test_a_rows_webapps_with_their_state_link_and_stop_start_from_the_table(sim, make_table):
    table = make_table(live=False)
    key = _key(table, "Dashboard app")  # publishes "Sales dashboard" (running) in the demo
    reply = ask(table, "webapps", row=key)
    assert reply["ok"] is True
    (webapp,) = reply["result"]["webapps"]
    assert webapp["id"] == "wSalesD" and webapp["name"] == "Sales dashboard" and webapp["running"] is True
    assert webapp["url"] == f"{sim.url}/projects/SALES_FORECAST/webapps/wSalesD/view"
    assert ask(table, "webapps", row=_key(table, "Bob's sandbox"))["result"]["webapps"] == []
    stopped = ask(table, "webapp", row=key, webapp="wSalesD", op="stop")
    assert stopped["ok"] is True and stopped["result"]["outcome"] == "done"
    assert stopped["result"]["webapps"][0]["running"] is False
    started = ask(table, "webapp", row=key, webapp="wSalesD", op="start", timeout=60)
    assert started["ok"] is True and started["result"]["webapps"][0]["running"] is True
    entries = [(e["what"], e["outcome"], e["studio"]) for e in table.activity]
    assert entries == [("stop webapp", "done", "Dashboard app"), ("start webapp", "done", "Dashboard app")]
    puts = [r for r in sim.requests if r.method == "PUT" and "/backend/actions/" in r.path]
    assert len(puts) == 2  # each sent once
    refused = ask(table, "webapp", row=key, webapp="wChurnS", op="stop")  # another studio's webapp
    assert refused["ok"] is False and "not a webapp of Dashboard app" in refused["error"]
    bad = ask(table, "webapp", row=key, webapp="wSalesD", op="delete")
    assert bad["ok"] is False and "Unknown webapp action" in bad["error"]
