"""Template export, import and deletion (official client 15.2 names), differential against dataikuapi on
the simulator: each client reads what the other wrote."""

from __future__ import annotations

import io
import zipfile

import pytest

import cswidgets.api as api
from tests.support import wait_for


def _template_id(client: api.Client) -> str:
    return client.list_code_studio_templates()[0].id


def test_export_matches_the_official_client(client, official, tmp_path):
    tid = _template_id(client)
    ours, theirs = tmp_path / "ours.zip", tmp_path / "theirs.zip"
    client.get_code_studio_template(tid).export_to_file(ours)
    official.get_code_studio_template(tid).export_to_file(str(theirs))
    assert ours.read_bytes() == theirs.read_bytes()
    assert zipfile.is_zipfile(ours)
    with client.get_code_studio_template(tid).get_export_stream() as stream:
        assert stream.read() == theirs.read_bytes()
    assert client.get_code_studio_template(tid).export_bytes() == ours.read_bytes()


def test_import_each_others_exports(client, official, tmp_path):
    tid = _template_id(client)
    source = client.get_code_studio_template(tid).get_settings().get_raw()
    archive = tmp_path / "t.zip"
    official.get_code_studio_template(tid).export_to_file(str(archive))

    ours = client.import_code_studio_template(archive, label="Imported by cswidgets", import_spec={"x": 1})
    theirs = official.import_code_studio_template(str(archive), label="Imported by dataikuapi")
    assert set(ours) == set(theirs) >= {"id", "messages"}
    by_label = {t.label: t for t in official.list_code_studio_templates()}
    assert by_label["Imported by cswidgets"].id == ours["id"]
    assert by_label["Imported by dataikuapi"].id == theirs["id"]
    imported = client.get_code_studio_template(ours["id"]).get_settings().get_raw()
    assert imported["type"] == source["type"] and imported["params"] == source["params"]
    # no label: the exported one is kept
    again = client.import_code_studio_template(archive)
    assert client.get_code_studio_template(again["id"]).get_settings().get_raw()["label"] == source["label"]


def test_import_refuses_what_is_not_an_archive(client, tmp_path):
    bad = tmp_path / "bad.zip"
    bad.write_bytes(b"not a zip")
    before = len(client.list_code_studio_templates())
    with pytest.raises(api.DSSError) as info:
        client.import_code_studio_template(bad)
    assert info.value.status == 400
    with pytest.raises(TypeError):
        client.import_code_studio_template_data(io.BytesIO(b""), import_spec="x")  # type: ignore[arg-type]
    assert len(client.list_code_studio_templates()) == before


def test_delete_matches_the_official_client(client, official, tmp_path):
    archive = tmp_path / "t.zip"
    client.get_code_studio_template(_template_id(client)).export_to_file(archive)
    a = client.import_code_studio_template(archive, label="A")["id"]
    b = client.import_code_studio_template(archive, label="B")["id"]
    ours = client.get_code_studio_template(a).delete(delete_images=True)
    theirs = official.get_code_studio_template(b).delete(delete_images=True)
    assert isinstance(ours, api.InfoMessages)
    for attr in ("has_messages", "has_error", "has_warning", "has_success", "max_severity"):
        assert getattr(ours, attr) == getattr(theirs, attr), attr
    assert [m.get("code") for m in ours.messages] == [m.code for m in theirs.messages]
    ids = [t.id for t in official.list_code_studio_templates()]
    assert a not in ids and b not in ids
    with pytest.raises(api.DSSError) as info:
        client.get_code_studio_template(a).delete()
    assert info.value.status == 404


def test_delete_runtime_stops_the_studios_made_from_it(client, sim):
    pk = client.list_project_keys()[0]
    tid = _template_id(client)
    studio = client.get_project(pk).create_code_studio("uses the template", tid)
    studio.restart().wait_for_result(timeout=30)
    result = client.get_code_studio_template(tid).delete(delete_runtime=True)
    assert "INFO_TEMPLATE_RUNTIMES_DELETED" in [m["code"] for m in result.messages]
    wait_for(lambda: studio.get_status().state == "STOPPED", timeout=20)
    assert studio.id in [c.id for c in client.get_project(pk).list_code_studios()]  # the studio stays
