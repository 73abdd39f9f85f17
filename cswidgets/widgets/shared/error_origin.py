"""What an error message names about the connection: the URL that was tried (never its credentials) and
the credential source actually used (``Client.source``), so "could not connect" and "authentication
failed" say *what* to check instead of a generic hint.

:func:`unreachable` tells "no connection could be made" (refused, unknown host, connect timeout, TLS or
proxy failure: the request never reached DSS) from "DSS stopped answering" (a read that timed out or a
connection reset after connecting).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit, urlunsplit

__all__ = ["credential_source", "unreachable", "url_of"]

# how requests / urllib3 name a connection that was never made, in the error type or its text
_NOT_CONNECTED_TYPES = frozenset({"ConnectTimeout", "ConnectTimeoutError", "NewConnectionError", "SSLError",
                                  "ProxyError", "ConnectionRefusedError", "InvalidURL"})
_NOT_CONNECTED_TEXTS = ("Failed to establish a new connection", "NewConnectionError", "Connection refused",
                        "Name or service not known", "nodename nor servname", "getaddrinfo failed",
                        "Temporary failure in name resolution", "ConnectTimeout", "SSLError", "ProxyError",
                        "No route to host", "Network is unreachable")


def url_of(client: Any) -> str | None:
    """The client's DSS base URL without user:password, or None when unknown."""
    try:
        url = client.base_url
    except Exception:  # a stand-in client, or a closed one
        return None
    if not isinstance(url, str) or not url:
        return None
    parts = urlsplit(url)
    if "@" in parts.netloc:
        parts = parts._replace(netloc=parts.netloc.rsplit("@", 1)[1])
    return urlunsplit(parts._replace(query="", fragment=""))


def credential_source(client: Any) -> str | None:
    """Where the credentials in use came from, as a user would check it ("the api_key= argument",
    "DKU_DSS_URL / DKU_API_KEY", "config file ~/.dataiku/config.json (instance 'prod')"), or None."""
    source = getattr(client, "source", None)
    if not isinstance(source, str) or not source:
        return None
    try:
        kind = client.auth_kind
    except Exception:
        kind = None
    if source == "arguments":
        named = {"ticket": "the ticket= argument", "bearer": "the bearer token argument"}
        return named.get(kind, "the api_key= argument")
    if source.startswith("environment DKU_DSS_URL"):
        return "DKU_DSS_URL / DKU_API_KEY"
    if source == "in-DSS DKU_API_TICKET":
        return "the DSS ticket (DKU_API_TICKET)"
    if source == "dataikuapi.DSSClient":
        return "the credentials of the dataikuapi.DSSClient passed as client="
    return source


def unreachable(exc: BaseException) -> bool:
    """Whether a connection error means no connection was made at all (vs. an answer that did not come)."""
    if getattr(exc, "error_type", None) in _NOT_CONNECTED_TYPES:
        return True
    text = str(exc)
    return any(marker in text for marker in _NOT_CONNECTED_TEXTS)
