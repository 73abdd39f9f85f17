"""Fixtures for the API core tests.

- ``sim`` / ``client`` / ``official``: a fast :class:`cswidgets.sim.Simulator` (high ``speed``), a
  cswidgets client and a ``dataikuapi.DSSClient`` on the same simulator state.
- ``stub``: a tiny programmable HTTP server for answers the simulator never gives (non-JSON errors,
  bodies echoing credentials, lists as error bodies). Each route is ``(method, path) -> (status, body,
  headers)``; every request is logged with its decoded path, query and headers.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

import cswidgets.api as api

ADMIN_KEY = "SECRET-KEY-1234567890"
SPEED = 200.0


@dataclass
class StubServer:
    url: str = ""
    routes: dict[tuple[str, str], Callable[[Request], tuple[int, Any, dict[str, str]]]] = field(default_factory=dict)
    log: list[dict[str, Any]] = field(default_factory=list)

    def route(self, method: str, path: str, status: int = 200, body: Any = None, headers=None) -> None:
        """Answer ``method path`` (path after /public/api, decoded) with a fixed status and body."""
        self.routes[(method, path)] = lambda _req: (status, body, headers or {})

    def __call__(self, environ: dict, start_response: Callable) -> Any:
        req = Request(environ)
        path = req.path
        prefix = "/public/api"
        if path.startswith(prefix):
            path = path[len(prefix) :]
        self.log.append(
            {"method": req.method, "path": path, "query": req.args.to_dict(flat=False), "headers": dict(req.headers),
             "at": time.monotonic()}
        )
        handler = self.routes.get((req.method, path))
        if handler is None:
            status, body, headers = 404, {"errorType": "NotFound", "message": f"no route {path}"}, {}
        else:
            status, body, headers = handler(req)
        if isinstance(body, (bytes, str)):
            resp = Response(body, status=status, headers=headers, content_type="text/html")
        else:
            resp = Response(json.dumps(body), status=status, headers=headers, content_type="application/json")
        return resp(environ, start_response)


@pytest.fixture
def stub() -> Iterator[StubServer]:
    server = StubServer()
    httpd = make_server("127.0.0.1", 0, server, threaded=True)
    server.url = f"http://127.0.0.1:{httpd.server_port}"
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        httpd.shutdown()
        thread.join(5)


@pytest.fixture
def stub_client(stub: StubServer) -> Iterator[api.Client]:
    client = api.connect(stub.url, ADMIN_KEY, timeout=(2, 5), retries=2)
    yield client
    client.close()


@pytest.fixture
def sim_factory() -> Iterator[Callable[..., Any]]:
    """Start simulators with fast defaults; all are stopped at the end of the test."""
    from cswidgets.sim import Simulator

    started = []

    def make(**kwargs: Any) -> Any:
        kwargs.setdefault("scenario", "demo")
        kwargs.setdefault("api_key", ADMIN_KEY)
        kwargs.setdefault("speed", SPEED)
        sim = Simulator(**kwargs)
        sim.__enter__()
        started.append(sim)
        return sim

    yield make
    for sim in reversed(started):
        sim.__exit__(None, None, None)


@pytest.fixture
def sim(sim_factory: Callable[..., Any]) -> Any:
    return sim_factory()


@pytest.fixture
def client(sim: Any) -> Iterator[api.Client]:
    c = api.connect(sim.url, ADMIN_KEY, timeout=(2, 10))
    yield c
    c.close()


@pytest.fixture
def official(sim: Any) -> Any:
    import dataikuapi

    return dataikuapi.DSSClient(sim.url, api_key=ADMIN_KEY)
