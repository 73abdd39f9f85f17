"""A report's shapes, replayed: the simulator answers in the shape a real DSS was seen to answer.

A difference found on one DSS becomes a regression test here: take the ``--report`` file written there, wrap
a :class:`~cswidgets.sim.Simulator` with :class:`Replay`, and run anything (the doctor, a panel, your own code)
against it. Each answer of an endpoint the report has a shape for is *reshaped* (:func:`reshape`): the
simulator's values are kept where the key and type fit, keys the shape lacks are dropped, keys it has are added
with made-up values of their type (constants as recorded). So ids stay coherent between endpoints while the
shape is the one seen on that DSS.

    from cswidgets.doctor.replay import serve
    with Simulator(scenario="demo", speed=0) as sim, serve(sim, json.load(open("report.json"))) as url:
        client = cswidgets.connect(url, api_key=sim.api_key)

Endpoints are matched by the names the doctor records them under (``"GET /futures/"``...).
"""

from __future__ import annotations

import itertools
import json
import re
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any
from urllib.parse import parse_qs

from .shapes import ABSENT

__all__ = ["ENDPOINTS", "Replay", "Rewrite", "endpoint_of", "reshape", "serve"]

_SEG = r"[^/]+"
#: the doctor's endpoint names, and the paths (below the API prefix) they stand for
ENDPOINTS: dict[str, str] = {
    "GET /auth/info": r"/auth/info",
    "GET /projects/": r"/projects/",
    "GET /projects/{pk}/code-studios/": rf"/projects/{_SEG}/code-studios/",
    "GET /projects/{pk}/code-studios/{id}/status": rf"/projects/{_SEG}/code-studios/{_SEG}/status",
    "GET /projects/{pk}/code-studios/{id}/conflicts/{zone}": rf"/projects/{_SEG}/code-studios/{_SEG}/conflicts/{_SEG}",
    "GET /projects/{pk}/git/actions/log": rf"/projects/{_SEG}/git/actions/log",
    "GET /projects/{pk}/git/actions/diff": rf"/projects/{_SEG}/git/actions/diff",
    "GET /futures/": r"/futures/",
    "GET /futures/{job}?peek=True": rf"/futures/{_SEG}",
    "GET /admin/code-studios/": r"/admin/code-studios/",
    "GET /admin/code-studios/{tpl}": rf"/admin/code-studios/{_SEG}",
}
_PATTERNS = [(name, re.compile(pattern + r"\Z")) for name, pattern in ENDPOINTS.items()]
_PREFIXES = ("/public/api", "/dip/publicapi")


def endpoint_of(method: str, path: str, query: Mapping[str, str]) -> str | None:
    """The doctor's name of a request (``path`` with or without the API prefix), or ``None``."""
    for prefix in _PREFIXES:
        if path.startswith(prefix + "/"):
            path = path[len(prefix):]
    if method != "GET":
        return None
    for name, pattern in _PATTERNS:
        if pattern.match(path):
            if name.endswith("?peek=True") and str(query.get("peek", "")).lower() != "true":
                return None
            return name
    return None


def _token_fits(value: Any, kind: str) -> bool:
    if kind == "null":
        return value is None
    if kind == "bool":
        return isinstance(value, bool)
    if kind.startswith("int"):
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == "float":
        return isinstance(value, float)
    if kind == "str":
        return isinstance(value, str)
    if kind.startswith("str="):
        return value == kind[4:]
    return False


def _made_up(kind: str, counter: Iterator[int]) -> Any:
    n = next(counter)
    return {"null": None, "bool": True, "int": n, "int:ms": int(time.time() * 1000), "int:s": int(time.time()),
            "float": float(n) + 0.5, "str": f"replay{n}"}.get(kind, kind[4:] if kind.startswith("str=") else None)


def _kind(value: Any) -> str:
    return "object" if isinstance(value, Mapping) else "list" if isinstance(value, list) else "scalar"


def reshape(value: Any, shape: Any, counter: Iterator[int] | None = None) -> Any:
    """``value`` (a decoded answer) in ``shape`` (see :mod:`cswidgets.doctor.shapes`)."""
    counter = counter if counter is not None else itertools.count(1)
    if shape is None:
        return value
    if isinstance(shape, str):
        return value if _token_fits(value, shape) else _made_up(shape, counter)
    if "anyOf" in shape:
        options = [s for s in shape["anyOf"] if s != ABSENT]
        for option in options:  # the value's own alternative, when there is one
            if isinstance(option, str) and _token_fits(value, option):
                return value
        for option in options:
            if isinstance(option, dict) and _kind(value) == next(iter(option)):
                return reshape(value, option, counter)
        return reshape(value, options[0], counter) if options else value
    if "object" in shape:
        base = value if isinstance(value, Mapping) else {}
        out = {}
        for key, sub in shape["object"].items():
            optional = isinstance(sub, dict) and ABSENT in sub.get("anyOf", ())
            if key.startswith("<") or (optional and key not in base):
                continue
            out[key] = reshape(base.get(key), sub, counter)
        return out
    if "map" in shape:
        base = value if isinstance(value, Mapping) else {}
        return {k: reshape(v, shape["map"], counter) for k, v in base.items()}
    if "list" in shape:
        items = value if isinstance(value, list) else [None]
        return [reshape(v, shape["list"], counter) for v in items] if shape["list"] is not None else []
    return value


class Rewrite:
    """WSGI middleware: the wrapped app's (the simulator's) successful JSON answers of the named endpoints
    passed through ``rewrites[name](value)``. Error answers and other endpoints pass unchanged."""

    def __init__(self, app: Callable[..., Any], rewrites: Mapping[str, Callable[[Any], Any]]) -> None:
        self.app = app
        self.rewrites = dict(rewrites)

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        query = {k: v[-1] for k, v in parse_qs(environ.get("QUERY_STRING", "")).items()}
        name = endpoint_of(environ.get("REQUEST_METHOD", ""), environ.get("PATH_INFO", ""), query)
        if name not in self.rewrites:
            return self.app(environ, start_response)
        captured: dict[str, Any] = {}

        def keep(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            captured.update(status=status, headers=headers)
            return lambda _data: None

        body = b"".join(self.app(environ, keep))
        status, headers = captured["status"], captured["headers"]
        if status.startswith("2"):
            try:
                value = json.loads(body)
            except ValueError:
                pass
            else:
                body = json.dumps(self.rewrites[name](value)).encode()
                headers = [(k, v) for k, v in headers if k.lower() != "content-length"]
                headers.append(("Content-Length", str(len(body))))
        start_response(status, headers)
        return [body]


class Replay(Rewrite):
    """:class:`Rewrite` with :func:`reshape` to ``report["shapes"]`` for every endpoint the report has."""

    def __init__(self, app: Callable[..., Any], report: Mapping[str, Any]) -> None:
        counter = itertools.count(1)
        shapes = dict(report.get("shapes") or {})
        super().__init__(app, {name: (lambda v, s=shape: reshape(v, s, counter)) for name, shape in shapes.items()})


@contextmanager
def serve(sim: Any, report: Mapping[str, Any] | None = None, *, app: Callable[..., Any] | None = None) -> Iterator[str]:
    """Serve ``sim``'s API through :class:`Replay` of ``report`` (or through ``app``, a WSGI app wrapping
    ``sim.app``) on 127.0.0.1; yields its base URL (the simulator's helpers, request log and keys keep
    working)."""
    from cswidgets.sim.http.httpd import HttpServer

    server = HttpServer(app if app is not None else Replay(sim.app, report or {}), "127.0.0.1", 0)
    try:
        yield f"http://127.0.0.1:{server.port}"
    finally:
        server.stop()
