"""Working beside the official client (``dataikuapi``): the notebook's project, a public raw call, and the way
back to a ``dataikuapi.DSSClient``.

- :func:`default_project_key` -- the project of the DSS notebook, recipe or scenario the code runs in (what
  ``dataiku.default_project_key()`` answers; :meth:`cswidgets.api.Client.get_default_project` uses it).
- :func:`perform_json` -- any DSS public API endpoint through the client's one transport, with the same
  deadlines, retries (for reads only) and scrubbing of secrets as every other call
  (:meth:`cswidgets.api.Client.perform_json`).
- :func:`to_dataikuapi` -- an official client with the same URL, credentials, TLS settings, proxies and extra
  headers (:meth:`cswidgets.api.Client.to_dataikuapi`).

Nothing here imports ``dataikuapi`` or ``dataiku`` at module level: both are optional.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, unquote

from . import assumptions
from .errors import DSSConfigError
from .validate import check_id, path, segment

if TYPE_CHECKING:
    from .client import Client

__all__ = ["METHODS", "api_path", "default_project_key", "perform_json", "to_dataikuapi"]

#: The HTTP methods :func:`perform_json` sends.
METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE")
# characters a path may keep as they are (RFC 3986 pchar, "/" and "%" of an already quoted segment)
_PATH_SAFE = "/%:@!$&'()*+,;=-._~"
_FORBIDDEN = re.compile(r"[\x00-\x20\x7f?#\\]")


def default_project_key(env: Mapping[str, str] | None = None) -> str:
    """The key of the project the code runs in (a DSS notebook, recipe, scenario or webapp).

    Like ``dataiku.default_project_key()`` (which the official ``DSSClient.get_default_project`` calls): inside
    DSS, the ``dataiku`` package's answer (it also reads the containerized run's environment); otherwise the
    ``DKU_CURRENT_PROJECT_KEY`` environment variable (``env``, default ``os.environ``; given ``env`` is the only
    source read).

    Raises
    ------
    DSSConfigError
        No project is known (outside a DSS project, or the variable is empty).
    """
    name = assumptions.CURRENT_PROJECT_ENV
    if env is None:
        key = _from_dataiku_package()
        if key:
            return check_id(key, name)
        env = os.environ
    key = env.get(name)
    if not key or not key.strip():
        raise DSSConfigError(
            f"no default project: {name} is not set (DSS sets it in the notebooks, recipes, scenarios and webapps "
            "of a project). Use client.get_project(PROJECT_KEY) instead."
        )
    return check_id(key, name)


def _from_dataiku_package() -> str | None:
    try:
        import dataiku  # type: ignore[import-not-found]  # only inside DSS
    except ImportError:
        return None
    try:
        key = dataiku.default_project_key()
    except Exception:  # its "not specified" error: fall back to the environment
        return None
    return key if isinstance(key, str) else None


def api_path(where: str | Sequence[str]) -> str:
    """The path of a raw call below the API base (``/public/api``), checked before anything is sent.

    ``where`` is either a path as the official client writes it (``"/projects/"``,
    ``"/projects/KEY/code-studios/ID"``: characters that cannot go into a URL as they are are percent-quoted,
    an existing ``%XX`` is kept) or a sequence of raw segments (``["projects", key, "code-studios", ""]``),
    each validated and percent-quoted as one segment (``""`` only last, for a trailing ``/``).

    Raises
    ------
    ValueError
        Not a path below the API: no leading ``/``, a scheme or host, ``.``/``..`` segments, a query or
        fragment (pass ``params=``), spaces, backslashes or control characters.
    """
    if isinstance(where, str):
        if not where.startswith("/") or where.startswith("//"):
            raise ValueError(f"path must start with a single '/' (relative to the API base), got {where!r}")
        if _FORBIDDEN.search(where):
            raise ValueError(f"path must not contain spaces, '?', '#', '\\' or control characters "
                             f"(pass the query as params=): {where!r}")
        if any(unquote(part) in (".", "..") for part in where.split("/")):
            raise ValueError(f"path must not contain '.' or '..' segments: {where!r}")
        return quote(where, safe=_PATH_SAFE)
    if isinstance(where, (bytes, bytearray)) or not isinstance(where, Sequence) or not where:
        raise ValueError(f"path must be a str or a non-empty sequence of segments, got {type(where).__name__}")
    parts = list(where)
    trailing = parts[-1] == ""
    if trailing:
        parts = parts[:-1]
    quoted = [segment(part, "path segment") for part in parts]
    return path(*quoted) + ("/" if trailing else "")


def perform_json(
    client: Client,
    method: str,
    where: str | Sequence[str],
    params: Mapping[str, Any] | None = None,
    body: Any = None,
    *,
    idempotent: bool | None = None,
    long_write: bool | None = None,
) -> Any:
    """Call any endpoint of the DSS public API and decode its JSON answer (``None`` for an empty body).

    See :meth:`cswidgets.api.Client.perform_json`.
    """
    if not isinstance(method, str) or method.upper() not in METHODS:
        raise ValueError(f"method must be one of {', '.join(METHODS)}, got {method!r}")
    method = method.upper()
    if params is not None and not isinstance(params, Mapping):
        raise TypeError(f"params must be a mapping, not {type(params).__name__}")
    if idempotent is not None and not isinstance(idempotent, bool):
        raise TypeError("idempotent must be True, False or None")
    if long_write is not None and not isinstance(long_write, bool):
        raise TypeError("long_write must be True, False or None")
    target = api_path(where)
    safe_read, long_action = assumptions.raw_call_policy(method, target, params)
    if idempotent is None:
        idempotent = safe_read
    elif idempotent and method not in ("GET", "HEAD"):
        raise ValueError(f"only a GET or HEAD can be retried (idempotent=True), not a {method}")
    if long_write is None:
        long_write = long_action
    return client._transport.json(method, target, params=dict(params) if params else None, body=body,
                                  idempotent=idempotent, long_write=long_write)


def to_dataikuapi(client: Client) -> Any:
    """A ``dataikuapi.DSSClient`` on the same DSS with the same credentials (API key, in-DSS ticket or JWT), TLS
    verification (on, off or a CA bundle), client certificate, proxies and extra headers.

    Raises
    ------
    ImportError
        The official client is not installed (``pip install dataiku-api-client``; DSS code environments
        have it).
    """
    try:
        import dataikuapi
    except ImportError:
        raise ImportError(
            "to_dataikuapi() needs the official client: pip install dataiku-api-client "
            "(every DSS code environment has it)"
        ) from None
    transport = client._transport
    auth = transport.auth
    secret = auth.secrets()[0]  # the credential as given (the other forms are its encodings on the wire)
    credential = {"api_key": "api_key", "ticket": "internal_ticket", "bearer": "jwt_bearer_token"}[auth.kind]
    session = transport._read  # the settings every call uses (verify, cert, proxies, headers)
    builtin = {"user-agent", "accept-encoding", "accept", "connection", "authorization", "x-dku-apiticket"}
    extra = {k: v for k, v in session.headers.items() if k.lower() not in builtin}
    official = dataikuapi.DSSClient(
        transport.base_url, extra_headers=extra or None, client_certificate=session.cert or None,
        **{credential: secret},
    )
    official._session.verify = transport.verify
    official._session.proxies.update(session.proxies)
    return official
