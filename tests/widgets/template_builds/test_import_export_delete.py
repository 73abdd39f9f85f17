"""TemplateBuilds: export (a file, or a download for the view), import (a path or uploaded bytes), delete
(the label typed back; refused while building); each in the activity."""

from __future__ import annotations

import zipfile

import pytest

from cswidgets.widgets.template_builds import TemplateBuilds
from tests.support import ask, record, wait_for


@pytest.fixture
def make_panel(client, tracker):
    panels = []

    def make():
        panel = TemplateBuilds(client, tracker=tracker)
        record(panel)
        panels.append(panel)
        return panel

    yield make
    for panel in panels:
        panel.close()


def test_export_delete_import_round_trip(make_panel, tmp_path):
    panel = make_panel()
    row = panel.rows[0]
    path = panel.export(row["id"], tmp_path / "t.zip")
    assert zipfile.is_zipfile(path)
    reply = ask(panel, "delete", template_id=row["id"], confirm_label=row["label"] + "x")
    assert not reply["ok"] and row["label"] in reply["error"]
    assert ask(panel, "delete", template_id=row["id"], confirm_label=row["label"])["ok"]
    assert row["id"] not in [r["id"] for r in panel.rows]
    new_id = panel.import_template(path)
    assert [r["label"] for r in panel.rows if r["id"] == new_id] == [row["label"]]
    whats = [(e["what"], e["outcome"]) for e in panel.activity]
    assert whats == [("export", "done"), ("delete", "done"), ("import", "done")]


def test_the_view_downloads_and_uploads_archives(make_panel):
    panel = make_panel()
    row = panel.rows[0]
    reply = ask(panel, "export", template_id=row["id"])
    assert reply["ok"] and reply["result"]["name"] == f"{row['label']}.zip"
    download = next(m for m in panel.send if m.get("kind") == "download")
    assert download["mime"] == "application/zip"
    data = panel.export(row["id"])
    panel._handle_custom_msg({"kind": "import", "id": "up1", "label": "Uploaded"}, [data])
    answer = wait_for(lambda: panel.send.reply("up1"), what="the import reply")
    assert answer["ok"] and "Uploaded" in [r["label"] for r in panel.rows]
    assert not ask(panel, "import", label="nothing")["ok"]  # no file: a readable refusal


def test_delete_is_refused_while_building(make_panel):
    panel = make_panel()
    tid = panel.rows[0]["id"]
    panel.build(tid)
    with pytest.raises(ValueError, match="building"):
        panel.delete(tid)
    assert panel.activity[-1]["outcome"] == "refused"
    panel.abort(tid)
