"""Issue #24 finding 11: errors name what was tried. An unreachable URL says "could not connect to <URL>"
(never "connection lost": it never connected), without the URL's credentials; a wrong key says which
credential source to check (the one actually used, not always DKU_DSS_URL / DKU_API_KEY)."""

from __future__ import annotations

import socket
import types

import pytest

from cswidgets.api import DSSConnectionError, DSSError, connect
from cswidgets.sim import Simulator
from cswidgets.widgets.shared.errors import AUTH_HINT, describe
from cswidgets.widgets.studio_table import StudioTable
from cswidgets.widgets.template_builds import TemplateBuilds

KEY = "k-error-origin"


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # closed again when the block ends: nothing listens there


@pytest.fixture(scope="module")
def sim():
    with Simulator(scenario="demo", api_key=KEY, seed=0) as s:
        yield s


def messages(panel) -> list[str]:
    return [a["message"] for a in panel.alerts]


def test_an_unreachable_url_says_could_not_connect_to_it():
    url = f"http://127.0.0.1:{closed_port()}"
    client = connect(url, "some-key", retries=0, timeout=(2.0, 2.0))
    table = StudioTable(client)
    builds = TemplateBuilds(client)
    try:
        said = messages(table) + messages(builds)
        assert said, "a failed first read is reported"
        for message in said:
            assert f"could not connect to {url}" in message
            assert "connection lost" not in message and "did not answer" not in message
        assert table.summary["not_loaded"] == f"not loaded — could not connect to {url}"
    finally:
        table.close()
        builds.close()


def test_the_url_is_named_without_its_credentials():
    """``connect()`` refuses a URL with credentials (issue 23); a client made some other way (a stand-in, an
    official client's base URL) still never has them repeated in an error text."""
    port = closed_port()
    client = connect(f"http://127.0.0.1:{port}", "some-key", retries=0, timeout=(2.0, 2.0))
    try:
        client.studios_frame()
    except DSSConnectionError as exc:
        message, _detail = describe(exc, client=client)
        stand_in = types.SimpleNamespace(base_url=f"http://bob:s3cret@127.0.0.1:{port}")
        hidden, _detail = describe(exc, client=stand_in)
    else:
        pytest.fail("nothing listens there")
    assert message == hidden == f"could not connect to http://127.0.0.1:{port}"
    assert "s3cret" not in hidden and "bob" not in hidden


def test_a_wrong_api_key_argument_names_the_argument_not_the_environment(sim, monkeypatch):
    monkeypatch.delenv("DKU_DSS_URL", raising=False)
    monkeypatch.delenv("DKU_API_KEY", raising=False)
    table = StudioTable(connect(sim.url, "not-the-key"))
    try:
        said = messages(table)
        assert any("authentication failed: check the api_key= argument" in m for m in said), said
        assert not any("DKU_DSS_URL" in m for m in said), said
    finally:
        table.close()


def test_a_wrong_key_from_the_environment_names_the_environment(sim, monkeypatch):
    monkeypatch.setenv("DKU_DSS_URL", sim.url)
    monkeypatch.setenv("DKU_API_KEY", "not-the-key")
    monkeypatch.delenv("DKU_API_TICKET", raising=False)
    builds = TemplateBuilds(connect())
    try:
        said = messages(builds)
        assert any("authentication failed: check DKU_DSS_URL / DKU_API_KEY" in m for m in said), said
    finally:
        builds.close()


def test_without_a_client_the_generic_lines_stay():
    assert describe(DSSError("Unauthorized", status=401))[0] == AUTH_HINT
    assert describe(DSSConnectionError("read timed out"))[0] == "connection lost: DSS did not answer"
