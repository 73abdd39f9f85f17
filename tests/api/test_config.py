"""connect(): every resolution source, the order between them, and the error listing what was tried."""

from __future__ import annotations

import json
from pathlib import Path

import dataikuapi
import pytest

import cswidgets.api as api
from cswidgets.api.config import resolve

KEY = "SECRET-KEY-1234567890"


def write_config(tmp_path: Path, instances: dict, default: str | None = "main") -> Path:
    path = tmp_path / "config.json"
    data: dict = {"dss_instances": instances}
    if default is not None:
        data["default_instance"] = default
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_explicit_arguments_win_over_everything(tmp_path):
    cfg = write_config(tmp_path, {"main": {"url": "http://cfg:1", "api_key": "cfg-key"}})
    env = {"DKU_DSS_URL": "http://env:1", "DKU_API_KEY": "env-key", "DKU_API_TICKET": "t", "DKU_BACKEND_PORT": "2"}
    s = resolve("http://arg:1", KEY, config_path=cfg, env=env)
    assert (s.url, s.auth.kind, s.source, s.verify) == ("http://arg:1", "api_key", "arguments", True)
    assert s.auth.headers()["Authorization"].startswith("Basic ")


def test_explicit_ticket_argument():
    s = resolve("http://arg:1", ticket="TICKET-abcdef", env={})
    assert s.auth.kind == "ticket"
    assert s.auth.headers() == {"X-DKU-APITicket": "TICKET-abcdef"}


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [({"url": "http://x:1"}, "without api_key or ticket"), ({"api_key": KEY}, "without url")],
)
def test_partial_arguments_are_an_error(kwargs, fragment):
    with pytest.raises(api.DSSConfigError, match=fragment) as info:
        resolve(env={}, **kwargs)
    assert KEY not in str(info.value)


def test_environment_url_and_key():
    s = resolve(env={"DKU_DSS_URL": "https://env:1", "DKU_API_KEY": KEY})
    assert (s.url, s.auth.kind, s.verify) == ("https://env:1", "api_key", True)
    assert "DKU_DSS_URL" in s.source


@pytest.mark.parametrize(("flag", "verify"), [("1", False), ("true", False), ("false", True), ("", True)])
def test_environment_no_check_certificate(flag, verify):
    env = {"DKU_DSS_URL": "https://env:1", "DKU_API_KEY": KEY, "DKU_NO_CHECK_CERTIFICATE": flag}
    assert resolve(env=env).verify is verify


def test_environment_beats_ticket_and_config(tmp_path):
    cfg = write_config(tmp_path, {"main": {"url": "http://cfg:1", "api_key": "cfg-key"}})
    env = {"DKU_DSS_URL": "http://env:1", "DKU_API_KEY": KEY, "DKU_API_TICKET": "t", "DKU_BACKEND_PORT": "2"}
    assert resolve(config_path=cfg, env=env).url == "http://env:1"


def test_in_dss_ticket_with_defaults():
    s = resolve(env={"DKU_API_TICKET": "TICKET-abcdef", "DKU_BACKEND_PORT": "10001"})
    assert s.url == "http://127.0.0.1:10001"
    assert s.auth.headers() == {"X-DKU-APITicket": "TICKET-abcdef"}


def test_in_dss_ticket_with_protocol_and_host():
    env = {
        "DKU_API_TICKET": "TICKET-abcdef",
        "DKU_BACKEND_PORT": "10001",
        "DKU_BACKEND_HOST": "dss-backend",
        "DKU_BACKEND_PROTOCOL": "https",
    }
    assert resolve(env=env).url == "https://dss-backend:10001"


def test_ticket_beats_config(tmp_path):
    cfg = write_config(tmp_path, {"main": {"url": "http://cfg:1", "api_key": "cfg-key"}})
    s = resolve(config_path=cfg, env={"DKU_API_TICKET": "TICKET-abcdef", "DKU_BACKEND_PORT": "3"})
    assert s.auth.kind == "ticket"


def test_config_file_default_instance(tmp_path):
    cfg = write_config(
        tmp_path,
        {
            "main": {"url": "https://cfg:1", "api_key": KEY, "no_check_certificate": True},
            "other": {"url": "https://other:1", "api_key": "k2"},
        },
    )
    s = resolve(config_path=cfg, env={})
    assert (s.url, s.verify) == ("https://cfg:1", False)


def test_config_file_instance_from_environment(tmp_path):
    cfg = write_config(
        tmp_path,
        {"main": {"url": "https://cfg:1", "api_key": KEY}, "other": {"url": "https://other:1", "api_key": "k2"}},
    )
    s = resolve(config_path=cfg, env={"DKU_DEFAULT_INSTANCE": "other"})
    assert (s.url, s.verify) == ("https://other:1", True)


def test_config_file_found_through_home(tmp_path):
    (tmp_path / ".dataiku").mkdir()
    write_config(tmp_path / ".dataiku", {"main": {"url": "https://home:1", "api_key": KEY}})
    assert resolve(env={"HOME": str(tmp_path)}).url == "https://home:1"


def test_nothing_found_lists_every_source(tmp_path):
    env = {"HOME": str(tmp_path), "DKU_DSS_URL": "http://half:1", "DKU_API_TICKET": "TICKET-abcdef"}
    with pytest.raises(api.DSSConfigError) as info:
        resolve(env=env)
    text = str(info.value)
    assert isinstance(info.value, ValueError)
    for fragment in ("arguments", "DKU_API_KEY is not set", "DKU_BACKEND_PORT is not", "config.json: not found"):
        assert fragment in text
    assert "TICKET-abcdef" not in text


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        ("{not json", "unreadable"),
        (json.dumps({"dss_instances": {}}), "no dss_instances"),
        (json.dumps({"dss_instances": {"a": {"url": "http://a:1", "api_key": "k"}}}), "neither"),
        (json.dumps({"dss_instances": {"a": {"url": "http://a:1"}}, "default_instance": "a"}), "lacks url or api_key"),
        (json.dumps({"dss_instances": {"a": {"url": "u", "api_key": "k"}}, "default_instance": "b"}), "not found"),
    ],
)
def test_bad_config_files_are_explained(tmp_path, content, fragment):
    cfg = tmp_path / "config.json"
    cfg.write_text(content, encoding="utf-8")
    with pytest.raises(api.DSSConfigError, match=fragment):
        resolve(config_path=cfg, env={})


def test_connect_builds_a_client_and_verify_argument_wins(tmp_path):
    cfg = write_config(tmp_path, {"main": {"url": "https://cfg:1", "api_key": KEY, "no_check_certificate": True}})
    client = api.connect(config_path=cfg, env={})
    assert client._transport.verify is False
    client.close()
    client = api.connect(config_path=cfg, env={}, verify="/etc/ssl/certs/ca-certificates.crt")
    assert client._transport.verify == "/etc/ssl/certs/ca-certificates.crt"
    client.close()
    client = api.connect("https://x:1", KEY, env={})
    assert client._transport.verify is True
    assert client.base_url == "https://x:1"
    client.close()


@pytest.mark.parametrize(
    ("kwargs", "kind"),
    [
        ({"api_key": KEY}, "api_key"),
        ({"internal_ticket": "TICKET-abcdef"}, "ticket"),
        ({"jwt_bearer_token": "JWT-abcdef"}, "bearer"),
    ],
)
def test_wrap_official_client(kwargs, kind):
    official = dataikuapi.DSSClient(
        "https://wrapped:1", no_check_certificate=True, extra_headers={"X-Extra": "1"}, **kwargs
    )
    client = api.connect(client=official)
    assert client.base_url == "https://wrapped:1"
    assert client.auth_kind == kind
    assert client._transport.verify is False
    assert client._transport._read.headers["X-Extra"] == "1"
    assert client.source == "dataikuapi.DSSClient"
    client.close()
    other = api.Client.from_dataikuapi(official)
    assert other.auth_kind == kind
    other.close()


def test_bad_url_is_rejected():
    with pytest.raises(ValueError, match="http"):
        api.connect("dss.example:11200", KEY, env={})


def test_wrapping_an_official_client_keeps_its_session_proxies():
    """Issue 15 defect 11: the official client's session proxies were ignored."""
    official = dataikuapi.DSSClient("https://wrapped:1", api_key=KEY)
    official._session.proxies = {"https": "http://proxy.corp:3128"}
    client = api.connect(client=official)
    for session in (client._transport._read, client._transport._write):
        assert session.proxies["https"] == "http://proxy.corp:3128"
    assert client._transport._send_kwargs["proxies"]["https"] == "http://proxy.corp:3128"
    client.close()
