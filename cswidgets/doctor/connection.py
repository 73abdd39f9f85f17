"""First contact: can DSS be reached, with which TLS settings and credentials, as which user.

Uses the transport's raw call for ``GET /auth/info`` (the one read every key may make), so that what came
back -- an HTML login page, a redirect, a 401 -- can be told apart before any JSON is expected.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlsplit

from cswidgets.api import assumptions
from cswidgets.api.errors import DSSConnectionError, DSSError

from .context import Context
from .shapes import shape_of
from .verdicts import API, Check, confirmed, differs

__all__ = ["first_contact", "source_kind", "tls_text"]

AUTH_INFO = "GET /auth/info"
CONNECTION = "docs/dss-api.md §1, §5; cswidgets/api/config.py"
WHO, WHO_WHERE = "who the key acts as", "cswidgets/sim/assumptions.py auth_info; docs/dss-api.md §5"


def source_kind(source: str | None) -> str:
    """Where the settings came from, without instance names or paths."""
    text = source or ""
    for prefix, kind in (("arguments", "arguments"), ("environment", "environment DKU_DSS_URL/DKU_API_KEY"),
                         ("in-DSS", "in-DSS DKU_API_TICKET"), ("dataikuapi", "dataikuapi.DSSClient")):
        if text.startswith(prefix):
            return kind
    return "config file ~/.dataiku/config.json" if text else "unknown"


def tls_text(client: Any) -> str:
    """``https, certificate verified`` / ``... with a CA bundle`` / ``... NOT verified`` / ``http, no TLS``."""
    scheme = urlsplit(client.base_url).scheme
    if scheme != "https":
        return f"{scheme}, no TLS (credentials travel in clear unless this is a local backend)"
    verify = client._transport.verify
    if verify is False:
        return "https, certificate NOT verified (verify=False: no protection against interception)"
    return "https, certificate verified" + (" with a CA bundle" if isinstance(verify, str) else "")


def _connection_failure(exc: DSSConnectionError) -> Check:
    text = str(exc).lower()
    if "ssl" in text or "certificate" in text:
        how, fix = "TLS failed: the server's certificate was not accepted", \
            "pass verify='/path/to/company-ca.pem' (or REQUESTS_CA_BUNDLE)"
    elif "timed out" in text or "timeout" in text or "deadline" in text:
        how, fix = "no answer in time (a firewall, a proxy, or the wrong port?)", "check the URL and the network"
    elif "name or service" in text or "resolve" in text or "nodename" in text:
        how, fix = "the host name does not resolve", "check the URL (DKU_DSS_URL or url=)"
    else:
        how, fix = "the connection was refused or reset (is DSS running at this URL?)", "check the URL and port"
    return differs("connection", CONNECTION, f"{how}; fix: {fix}", blocking=True)


def first_contact(ctx: Context) -> tuple[list[Check], dict[str, Any]]:
    """The checks of the first request and what it told (``facts``: shown to the user, never in the report
    file: ``login``, ``groups``, ``error``)."""
    facts: dict[str, Any] = {}
    transport = ctx.client._transport
    try:
        resp = ctx.read(AUTH_INFO, lambda: transport.request("GET", "/auth/info", idempotent=True).content)
    except DSSConnectionError as exc:
        facts["error"] = str(exc)
        return [_connection_failure(exc)], facts
    except DSSError as exc:
        facts["error"] = str(exc)
        if exc.status == 403:  # the key works, it only may not say whom it acts as: go on
            return [confirmed("connection", f"{API} API_BASE_PATH; {CONNECTION}", "the API answers"),
                    differs(WHO, WHO_WHERE, "GET /auth/info refused (HTTP 403) for this key",
                            path="the activity log shows no user for actions taken from the panels")], facts
        return [_refused(exc)], facts
    ctx.shapes.pop(AUTH_INFO, None)  # bytes so far: the JSON's shape is recorded below
    checks = []
    try:
        info = json.loads(resp)
    except ValueError:
        html = resp.lstrip()[:1].startswith(b"<")
        how = ("an HTML page answered the API (a login page, a single-sign-on or other proxy in front of DSS)"
               if html else "the API answered something that is not JSON")
        fix = "; fix: use DSS's own URL (the one the official client uses) and an API key, not a browser session"
        return [differs("connection", f"{API} API_BASE_PATH; {CONNECTION}", how + fix, blocking=True)], facts
    ctx.redactor.add(info)
    ctx.shapes[AUTH_INFO] = shape_of(info)
    checks.append(confirmed("connection", f"{API} API_BASE_PATH; {CONNECTION}",
                            f"the API answers at {assumptions.API_BASE_PATH}"))
    version = transport.dss_version
    if version:
        checks.append(confirmed("DSS-Version header", "docs/dss-api.md §1", "DSS " + _version_text(version)))
    else:
        checks.append(differs("DSS-Version header", "docs/dss-api.md §1", "no DSS-Version header in the answers",
                              path="the version is shown as unknown; nothing depends on it"))
    login = info.get("authIdentifier") if isinstance(info, dict) else None
    groups = info.get("groups") if isinstance(info, dict) else None
    if isinstance(login, str) and login:
        facts["login"] = login
        facts["groups"] = [g for g in groups if isinstance(g, str)] if isinstance(groups, list) else []
        checks.append(confirmed(WHO, WHO_WHERE, "GET /auth/info names the user (authIdentifier)"))
    else:
        checks.append(differs(WHO, WHO_WHERE, "GET /auth/info names no user (no authIdentifier)",
                              path="the activity log shows no user for actions taken from the panels"))
    return checks, facts


def _version_text(version: str) -> str:
    return version if all(c.isalnum() or c in ".-_" for c in version) and len(version) < 40 else "(unusual value)"


def _refused(exc: DSSError) -> Check:
    if exc.error_type == "Redirect":
        how = "the server redirected the API to another page (a login page or single-sign-on proxy?)"
        fix = "use DSS's own URL and an API key"
    elif exc.status == 401:
        how = f"the credentials were refused (HTTP 401, {_short_type(exc.error_type)})"
        fix = "check DKU_API_KEY / api_key= (or the in-DSS ticket): a valid, not expired personal or global key"
    elif exc.status == 404:
        how = f"no DSS API at {assumptions.API_BASE_PATH} (HTTP 404)"
        fix = "check the URL: DSS's base address, without /public/api"
    else:
        how = f"the server answered HTTP {exc.status} ({_short_type(exc.error_type)})"
        fix = "look at DSS's backend log, then run the doctor again"
    return differs("connection", f"{API} API_BASE_PATH; {CONNECTION}", f"{how}; fix: {fix}", blocking=True)


def _short_type(error_type: str | None) -> str:
    """The last part of a Java class name (``NotAuthenticatedException``), which names no user."""
    name = (error_type or "no errorType").rsplit(".", 1)[-1]
    return name if name.isidentifier() and len(name) < 80 else "an unusual errorType"
