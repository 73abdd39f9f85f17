"""Where the connection settings come from: :func:`connect`.

Resolution order (the first complete source wins):

1. ``client=``: an existing ``dataikuapi.DSSClient`` -- its host, API key / ticket / JWT, ``verify``,
   client certificate, extra headers and session proxies are reused.
2. Explicit arguments: ``url`` with ``api_key`` or ``ticket`` (a partial set is an error).
3. Environment ``DKU_DSS_URL`` + ``DKU_API_KEY`` (``DKU_NO_CHECK_CERTIFICATE`` turns verification off,
   like DSS's own internal client).
4. Inside DSS: ``DKU_API_TICKET`` with ``DKU_BACKEND_PROTOCOL`` (default ``http``), ``DKU_BACKEND_HOST``
   (default ``127.0.0.1``) and ``DKU_BACKEND_PORT`` (docs/dss-api.md §5.3).
5. ``~/.dataiku/config.json`` (or ``config_path``): instance ``DKU_DEFAULT_INSTANCE`` or
   ``default_instance``; its ``no_check_certificate`` turns verification off.

``verify=None`` (the default) means "on, unless the chosen source asks otherwise"; ``True``/``False`` or
a CA bundle path always win. When nothing is found, :class:`~cswidgets.api.errors.DSSConfigError` lists
every source and why it did not apply. Keys and tickets are never part of a message.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import assumptions
from .client import Client
from .errors import DSSConfigError, adopt_official_base
from .transport import DEFAULT_WRITE_TIMEOUT, Auth, Timeout, Transport

__all__ = ["ResolvedSettings", "connect", "resolve"]


@dataclass(frozen=True)
class ResolvedSettings:
    """The outcome of the resolution (``repr`` shows no secret)."""

    url: str
    auth: Auth
    verify: bool | str
    source: str
    cert: Any = None
    extra_headers: dict[str, str] = field(default_factory=dict)
    proxies: dict[str, str] = field(default_factory=dict)


def _truthy(value: str | None) -> bool:
    return value is not None and value.strip().lower() not in assumptions.FALSY_FLAG_VALUES


def _from_dataikuapi(dss_client: Any) -> ResolvedSettings:
    host = getattr(dss_client, "host", None)
    if not host:
        raise DSSConfigError("client= must be a dataikuapi.DSSClient (it has no host)")
    if getattr(dss_client, "api_key", None):
        auth = Auth("api_key", dss_client.api_key)
    elif getattr(dss_client, "internal_ticket", None):
        auth = Auth("ticket", dss_client.internal_ticket)
    elif getattr(dss_client, "jwt_bearer_token", None):
        auth = Auth("bearer", dss_client.jwt_bearer_token)
    else:
        raise DSSConfigError("the dataikuapi client has no API key, ticket or JWT")
    session = getattr(dss_client, "_session", None)
    verify = getattr(session, "verify", True) if session is not None else True
    cert = getattr(session, "cert", None) if session is not None else None
    defaults = {"user-agent", "accept-encoding", "accept", "connection", "authorization", "x-dku-apiticket"}
    headers = {}
    proxies: dict[str, str] = {}
    if session is not None:
        headers = {k: v for k, v in session.headers.items() if k.lower() not in defaults}
        raw = getattr(session, "proxies", None)
        if isinstance(raw, Mapping):
            proxies = {str(k): str(v) for k, v in raw.items() if v}
    return ResolvedSettings(host, auth, verify, "dataikuapi.DSSClient", cert, headers, proxies)


def resolve(
    url: str | None = None,
    api_key: str | None = None,
    *,
    ticket: str | None = None,
    config_path: str | os.PathLike[str] | None = None,
    env: Mapping[str, str] | None = None,
) -> ResolvedSettings:
    """Find connection settings without connecting (see the module docstring for the order).

    Raises
    ------
    DSSConfigError
        Nothing usable was found, or explicit arguments are incomplete.
    """
    env = os.environ if env is None else env
    tried: list[str] = []

    # 2. explicit arguments
    if url is not None or api_key is not None or ticket is not None:
        if not url:
            raise DSSConfigError("api_key/ticket given without url: pass url= as well")
        if api_key:
            return ResolvedSettings(url, Auth("api_key", api_key), True, "arguments")
        if ticket:
            return ResolvedSettings(url, Auth("ticket", ticket), True, "arguments")
        raise DSSConfigError(f"url={url!r} given without api_key or ticket")
    tried.append("arguments: no url/api_key/ticket given")

    # 3. DKU_DSS_URL + DKU_API_KEY
    env_url, env_key = env.get("DKU_DSS_URL"), env.get("DKU_API_KEY")
    if env_url and env_key:
        verify = not _truthy(env.get("DKU_NO_CHECK_CERTIFICATE"))
        return ResolvedSettings(env_url, Auth("api_key", env_key), verify, "environment DKU_DSS_URL/DKU_API_KEY")
    if env_url or env_key:
        missing = "DKU_API_KEY" if env_url else "DKU_DSS_URL"
        tried.append(f"environment DKU_DSS_URL/DKU_API_KEY: {missing} is not set")
    else:
        tried.append("environment DKU_DSS_URL/DKU_API_KEY: not set")

    # 4. in-DSS ticket
    env_ticket = env.get("DKU_API_TICKET")
    if env_ticket:
        port = env.get("DKU_BACKEND_PORT")
        if port:
            proto = env.get("DKU_BACKEND_PROTOCOL") or assumptions.DEFAULT_BACKEND_PROTOCOL
            host = env.get("DKU_BACKEND_HOST") or assumptions.DEFAULT_BACKEND_HOST
            return ResolvedSettings(
                f"{proto}://{host}:{port}", Auth("ticket", env_ticket), True, "in-DSS DKU_API_TICKET"
            )
        tried.append("in-DSS DKU_API_TICKET: set, but DKU_BACKEND_PORT is not")
    else:
        tried.append("in-DSS DKU_API_TICKET: not set")

    # 5. ~/.dataiku/config.json
    if config_path is not None:
        cfg = Path(config_path)
    else:
        home = env.get("HOME")
        cfg = (Path(home) if home else Path.home()) / ".dataiku" / "config.json"
    found = _from_config_file(cfg, env, tried)
    if found is not None:
        return found

    lines = "\n".join(f"  - {t}" for t in tried)
    raise DSSConfigError(
        "No DSS connection settings found. Tried, in order:\n"
        f"{lines}\n"
        "Pass cswidgets.connect(url=..., api_key=...), set DKU_DSS_URL and DKU_API_KEY, or write "
        "~/.dataiku/config.json."
    )


def _from_config_file(cfg: Path, env: Mapping[str, str], tried: list[str]) -> ResolvedSettings | None:
    where = f"config file {cfg}"
    if not cfg.is_file():
        tried.append(f"{where}: not found")
        return None
    try:
        data = json.loads(cfg.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        tried.append(f"{where}: unreadable ({type(exc).__name__})")
        return None
    instances = data.get("dss_instances") if isinstance(data, dict) else None
    if not isinstance(instances, dict) or not instances:
        tried.append(f"{where}: no dss_instances")
        return None
    name = env.get("DKU_DEFAULT_INSTANCE") or data.get("default_instance")
    if not name:
        tried.append(f"{where}: neither DKU_DEFAULT_INSTANCE nor default_instance names an instance")
        return None
    inst = instances.get(name)
    if not isinstance(inst, dict):
        tried.append(f"{where}: instance {name!r} not found (have {sorted(instances)})")
        return None
    if not inst.get("url") or not inst.get("api_key"):
        tried.append(f"{where}: instance {name!r} lacks url or api_key")
        return None
    verify = not bool(inst.get("no_check_certificate", False))
    return ResolvedSettings(inst["url"], Auth("api_key", inst["api_key"]), verify, f"{where} (instance {name!r})")


def connect(
    url: str | None = None,
    api_key: str | None = None,
    *,
    ticket: str | None = None,
    verify: bool | str | None = None,
    timeout: Timeout = (5.0, 30.0),
    write_timeout: float | None = DEFAULT_WRITE_TIMEOUT,
    deadline: float | None = None,
    pool_size: int = 16,
    retries: int = 3,
    client: Any = None,
    config_path: str | os.PathLike[str] | None = None,
    env: Mapping[str, str] | None = None,
) -> Client:
    """Connect to DSS (or the cswidgets simulator) and return a :class:`Client`.

    Parameters
    ----------
    url : str, optional
        DSS base URL (``https://dss.example:11200``); ``/public/api`` is appended.
    api_key : str, optional
        API key (sent as HTTP Basic user name).
    ticket : str, optional
        In-DSS API ticket (``X-DKU-APITicket``).
    verify : bool or str, optional
        TLS verification: ``True``, ``False`` or a CA bundle path. ``None``: on unless the source says
        ``no_check_certificate``.
    timeout : float or (float, float)
        Connect/read timeouts in seconds for every call.
    write_timeout : float, optional
        The overall deadline of stop, restart, pull, push, build and import, in seconds (default 900: 15
        minutes; DSS answers a pull of a big zone only when the copy is done). Past it the call raises
        :class:`~cswidgets.api.errors.DSSOutcomeUnknownError`: the request was sent, and is never resent.
        ``None``: no limit. Their connect timeout is still ``timeout``'s.
    deadline : float, optional
        Overall seconds of every other call (connect, reads, retries, the whole body); ``None``: twice
        ``connect + read``.
    pool_size : int
        Connection pool size, and default concurrency of :meth:`Client.studios_frame`.
    retries : int
        Retries for idempotent reads (never for actions).
    client : dataikuapi.DSSClient, optional
        Wrap an existing official client (reuses its host, auth and verify).
    config_path : path, optional
        Alternative to ``~/.dataiku/config.json``.
    env : mapping, optional
        Environment to read (default ``os.environ``).

    Raises
    ------
    DSSConfigError
        No usable settings; the message lists every source tried.
    """
    adopt_official_base()  # before anything can raise: ``except DataikuException`` catches our errors
    if client is not None:
        settings = _from_dataikuapi(client)
    else:
        settings = resolve(url, api_key, ticket=ticket, config_path=config_path, env=env)
    transport = Transport(
        settings.url,
        settings.auth,
        verify=settings.verify if verify is None else verify,
        timeout=timeout,
        write_timeout=write_timeout,
        deadline=deadline,
        pool_size=pool_size,
        retries=retries,
        cert=settings.cert,
        extra_headers=settings.extra_headers,
        proxies=settings.proxies,
    )
    return Client(transport, source=settings.source)
