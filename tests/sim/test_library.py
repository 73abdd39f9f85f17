"""The project library endpoints (docs/dss-api.md §10 "Project libraries"), with the unmodified official client
(``DSSLibrary``) as the referee: its tree and its file reads are the DSS side of the ``project-lib-versioned``
zone, before and after a pull."""

from __future__ import annotations

import base64

import pytest
import requests
from dataikuapi.utils import DataikuException

from cswidgets.sim import Simulator

from .conftest import KEY, studio_named

PK = "SALES_FORECAST"
ZONE = "project-lib-versioned"


def _walk(folder) -> list[str]:
    """Every file path of a DSSLibraryFolder (the official client's tree), sorted."""
    out = []
    for item in folder.list():
        if item.children is None:
            out.append(item.path.lstrip("/"))
        else:
            out += _walk(item)
    return sorted(out)


def test_the_official_library_lists_and_reads_the_dss_side_of_the_zone(frozen: Simulator, fclient):
    sid = studio_named(frozen, PK, "Forecast notebook")
    dss = frozen.read_files(PK, sid, ZONE, side="dss")
    library = fclient.get_project(PK).get_library()
    assert _walk(library.root) == sorted(dss)
    assert [i.name for i in library.list()] == ["R", "python"]  # folders, sorted by name
    for path, text in dss.items():
        assert library.get_file(path).read() == text
        assert library.get_file("/" + path).read(as_type="bytes") == text.encode()
    assert dss["python/forecast/features.py"] == "WINDOW = 14  # bob: two weeks\n"  # the demo's DSS-side edit


def test_a_pull_shows_in_the_library(frozen: Simulator, fclient):
    sid = studio_named(frozen, PK, "Forecast notebook")
    studio = fclient.get_project(PK).get_code_studio(sid)
    zone_id = next(z["id"] for z in studio.get_status().get_zones(as_type="objects") if z["zone"] == ZONE)
    studio.pull_from_code_studio(zone_id)
    library = fclient.get_project(PK).get_library()
    assert library.get_file("python/forecast/features.py").read() == "WINDOW = 28  # alice: monthly window\n"
    assert library.get_file("python/forecast/legacy.py") is None  # deleted in the studio, pulled (merge)


def test_resources_are_not_in_the_library(frozen: Simulator, fclient):
    # UNKNOWN whether DSS's library API serves project-lib-resources: the simulator does not (sim/assumptions.py)
    sid = studio_named(frozen, PK, "Forecast notebook")
    assert frozen.read_files(PK, sid, "project-lib-resources", side="dss")
    assert "data" not in [i.name for i in fclient.get_project(PK).get_library().list()]


def test_missing_file_folder_and_bad_encoding(frozen: Simulator):
    base = f"{frozen.url}/public/api/projects/{PK}/libraries/contents"
    auth = (KEY, "")
    missing = requests.get(f"{base}/python/nope.py", auth=auth, timeout=5)
    assert missing.status_code == 404 and "nope.py" in missing.json()["message"]
    assert requests.get(f"{base}/python", auth=auth, timeout=5).status_code == 400
    bad = requests.get(f"{base}/R/helpers.R", params={"dataEncoding": "rot13"}, auth=auth, timeout=5)
    assert bad.status_code == 400
    quoted = requests.get(f"{base}/R%2Fhelpers.R", params={"dataEncoding": "base64"}, auth=auth, timeout=5)
    assert base64.b64decode(quoted.json()["data"]).decode().startswith("# carol")


def test_unknown_project_answers_like_other_project_routes(frozen: Simulator, fclient):
    with pytest.raises(DataikuException):
        fclient.get_project("NOPE").get_library()


def test_the_library_is_shared_by_the_projects_studios(frozen: Simulator, fclient):
    sid = studio_named(frozen, PK, "Forecast notebook")
    frozen.write_file(PK, sid, ZONE, "python/forecast/new.py", "NEW = 1\n", side="dss", author="bob")
    assert fclient.get_project(PK).get_library().get_file("python/forecast/new.py").read() == "NEW = 1\n"
    other = fclient.get_project("CHURN_MODEL").get_library()
    assert other.get_file("python/forecast/new.py") is None
