"""The project library reads and ``zip_dss_versions`` (DSS's versions of a library zone's files, as a zip before
a pull overwrites them): differential against the official client on the simulator, quoting, the text gate,
the size caps, and what cannot be included."""

from __future__ import annotations

import io
import zipfile

import pytest

import cswidgets.api as api
from cswidgets.api import assumptions
from cswidgets.api.library import zip_dss_versions

from .conftest import ADMIN_KEY

PK = "SALES_FORECAST"
LIB = "project-lib-versioned"


def forecast(sim) -> str:
    return next(i["id"] for i in sim.model.list_studios(PK) if i["name"] == "Forecast notebook")


def _official_files(folder) -> list[str]:
    out = []
    for item in folder.list():
        out += [item.path.lstrip("/")] if item.children is None else _official_files(item)
    return out


def test_list_and_read_equal_the_official_clients(sim, client, official):
    ours, theirs = client.get_project(PK).get_library(), official.get_project(PK).get_library()
    files = ours.list_files()
    assert files == sorted(_official_files(theirs.root)) and "python/forecast/features.py" in files
    for path in files:
        assert ours.get_file(path).read() == theirs.get_file(path).read()
    assert repr(ours) == "Library('SALES_FORECAST')"


def test_zip_holds_dss_versions_and_names_what_it_cannot_include(frozen, fclient, tmp_path):
    sid = forecast(frozen)
    dss = frozen.read_files(PK, sid, LIB, side="dss")
    frozen.delete_file(PK, sid, LIB, "R/helpers.R", side="dss", author="carol")
    wanted = ["python/forecast/features.py", "python/forecast/legacy.py", "R/helpers.R"]
    result = zip_dss_versions(fclient.get_project(PK), LIB, wanted, tmp_path / "dss.zip")
    assert result.path == tmp_path / "dss.zip"
    assert result.read == ["python/forecast/features.py", "python/forecast/legacy.py"]
    assert result.not_read == {"R/helpers.R": "DSS has no such file (deleted in DSS)"}
    with zipfile.ZipFile(tmp_path / "dss.zip") as archive:
        assert sorted(archive.namelist()) == sorted(result.read)
        for name in result.read:
            assert archive.read(name).decode() == dss[name]
    assert dss["python/forecast/features.py"] == "WINDOW = 14  # bob: two weeks\n"  # DSS's, not the studio's


def test_zip_into_a_file_object(frozen, fclient):
    buffer = io.BytesIO()
    result = zip_dss_versions(fclient.get_project(PK), "project_lib_versioned", ["python/forecast/io.py"], buffer)
    assert result.read == ["python/forecast/io.py"] and not result.not_read
    assert zipfile.ZipFile(io.BytesIO(buffer.getvalue())).namelist() == ["python/forecast/io.py"]


def test_paths_are_quoted_per_segment(stub, stub_client):
    stub.route("GET", "/projects/P K/libraries/contents/python/a b?#%.py", body={"data": "x = 1\n"})
    text = stub_client.get_project("P K").get_library().get_file("python/a b?#%.py").read()
    assert text == "x = 1\n"
    assert stub.log[-1]["path"] == "/projects/P K/libraries/contents/python/a b?#%.py"  # one file, no query


@pytest.mark.parametrize("bad", ["", "/", "../etc/passwd", "python/../x.py", "python//x.py", "./x", "a\x00b"])
def test_bad_paths_fail_before_any_request(stub, stub_client, bad):
    with pytest.raises(ValueError):
        zip_dss_versions(stub_client.get_project("P"), LIB, [bad], io.BytesIO())
    assert stub.log == []


def test_only_library_zones(stub, stub_client):
    with pytest.raises(ValueError, match="not served by the project library API"):
        zip_dss_versions(stub_client.get_project("P"), "project-lib-resources", ["a.csv"], io.BytesIO())
    with pytest.raises(ValueError):
        zip_dss_versions(stub_client.get_project("P"), "recipes", ["a.py"], io.BytesIO())
    assert stub.log == []
    assert assumptions.library_zone("projectLibVersioned") and not assumptions.library_zone("project-lib-resources")


def test_texts_go_through_the_gate(stub, stub_client):
    stub.route("GET", "/projects/P/libraries/contents/conf.py", body={"data": f"KEY = '{ADMIN_KEY}'\nbad = '\ud800'\n"})
    buffer = io.BytesIO()
    result = zip_dss_versions(stub_client.get_project("P"), LIB, ["conf.py"], buffer)
    text = zipfile.ZipFile(io.BytesIO(buffer.getvalue())).read("conf.py").decode()
    assert result.read == ["conf.py"] and ADMIN_KEY not in text and "KEY = '***'" in text and "\ufffd" in text


def test_size_caps(stub):
    client = api.connect(stub.url, ADMIN_KEY, timeout=(2, 5), retries=0, max_answer_bytes=2000)
    try:
        stub.route("GET", "/projects/P/libraries/contents/big.py", body={"data": "x" * 5000})
        for name in ("a.py", "b.py", "c.py"):
            stub.route("GET", f"/projects/P/libraries/contents/{name}", body={"data": "y" * 600})
        buffer = io.BytesIO()
        result = zip_dss_versions(client.get_project("P"), LIB, ["big.py", "a.py", "b.py", "c.py"], buffer,
                                  max_bytes=1000)
        assert result.read == ["a.py"]
        assert result.not_read["big.py"] == "larger than the answer-size limit"
        assert result.not_read["b.py"] == result.not_read["c.py"] == "left out: the zip reached its size limit"
    finally:
        client.close()


def test_refused_and_malformed_answers(stub, stub_client):
    stub.route("GET", "/projects/P/libraries/contents/secret.py", status=403,
               body={"errorType": "UnauthorizedException", "message": "no read permission"})
    stub.route("GET", "/projects/P/libraries/contents/odd.py", body={"content": "?"})
    buffer = io.BytesIO()
    result = zip_dss_versions(stub_client.get_project("P"), LIB, ["secret.py", "odd.py"], buffer)
    assert result.read == []
    assert result.not_read["secret.py"].startswith("DSS answered 403")
    assert "no 'data' text" in result.not_read["odd.py"]
    with pytest.raises(api.DSSError, match="no 'data' text"):
        stub_client.get_project("P").get_library().get_file("odd.py").read()


def test_unreachable_dss_raises_and_writes_nothing(tmp_path):
    client = api.connect("http://127.0.0.1:9", ADMIN_KEY, timeout=(0.5, 1), retries=0)
    try:
        with pytest.raises(api.DSSConnectionError):
            zip_dss_versions(client.get_project("P"), LIB, ["a.py"], tmp_path / "z.zip")
    finally:
        client.close()
    assert not (tmp_path / "z.zip").exists()
