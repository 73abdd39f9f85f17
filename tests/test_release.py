"""What a release needs besides the artifacts (tests/test_packaging.py builds those): the version in one place, a
keep-a-changelog CHANGELOG whose latest release is that version, and the license stated alike everywhere."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from cswidgets import __version__

ROOT = Path(__file__).resolve().parents[1]
tomllib = pytest.importorskip("tomllib")  # Python 3.11+


def pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())


def test_the_version_lives_in_one_place():
    meta = pyproject()
    assert "version" not in meta["project"] and "version" in meta["project"]["dynamic"]
    assert meta["tool"]["hatch"]["version"]["path"] == "cswidgets/_version.py"
    assert "version" not in json.loads((ROOT / "package.json").read_text())  # the front end is not released alone
    assert re.fullmatch(r"\d+\.\d+\.\d+((a|b|rc)\d+)?", __version__)


def test_the_changelog_keeps_a_changelog_and_names_this_version():
    text = (ROOT / "CHANGELOG.md").read_text()
    headings = re.findall(r"^## \[([^\]]+)\](?: - (\d{4}-\d{2}-\d{2}))?$", text, flags=re.M)
    assert headings[0] == ("Unreleased", "")
    released = [(v, d) for v, d in headings[1:]]
    assert released and all(d for _, d in released), "every release has a date"
    assert released[0][0] == __version__, "the latest release in CHANGELOG.md is cswidgets/_version.py's"
    for version, _ in headings:  # every heading has its link reference at the bottom
        assert re.search(rf"^\[{re.escape(version)}\]: https://", text, flags=re.M), version
    sections = set(re.findall(r"^### (\w+)$", text, flags=re.M))
    assert sections <= {"Added", "Changed", "Deprecated", "Removed", "Fixed", "Security"}


def test_the_license_is_stated_alike_everywhere():
    assert "Apache License" in (ROOT / "LICENSE").read_text() and "Version 2.0" in (ROOT / "LICENSE").read_text()
    meta = pyproject()["project"]
    assert meta["license"] == "Apache-2.0" and meta["license-files"] == ["LICENSE"]
    readme = (ROOT / "README.md").read_text()
    assert re.search(r"^## License$", readme, flags=re.M)
    assert "Apache-2.0" in readme[readme.index("## License"):]
