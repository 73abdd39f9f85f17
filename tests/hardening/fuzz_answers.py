"""Generated server answers for the fuzz test (``test_fuzz_answers.py``): a small DSS stand-in that
answers every endpoint the client reads with a well-formed base answer (shaped like the simulator's),
except the one endpoint under test, which answers what the strategies below generate: the base answer
mutated (wrong types, nulls, NaN/Infinity, huge numbers, missing and extra fields, HTML in strings), or a
raw body (HTML page, truncated JSON, deeply nested JSON, a huge list, empty), with an odd status now and then."""

from __future__ import annotations

import copy
import json
import math
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from hypothesis import strategies as st
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

PROJECT, STUDIO, ZONE, TEMPLATE, JOB = "FZ", "s1", "recipes-z1", "tpl1", "job1"
NOW_MS = 1_796_129_149_649
COMMIT = {"id": "c" * 40, "parents": ["d" * 40], "author": "admin", "message": "Initial commit", "time": NOW_MS}
PROGRESS = {"states": [{"name": "Build", "unit": "NONE", "target": 3, "cur": 1, "important": True,
                        "msSinceStart": 837},
                       {"name": "Preparing", "unit": "NONE", "important": False, "msSinceStart": 837,
                        "target": 100, "cur": 27}]}
FUTURE = {"jobId": JOB, "hasResult": False, "alive": True, "aborted": False, "unknown": False,
          "startTime": NOW_MS, "runningTime": 1650, "owner": "admin", "jobDisplayName": "Build VS Code",
          "payload": {"action": "build-code-studio-template", "templateId": TEMPLATE}, "progress": PROGRESS}

BASE: dict[str, Any] = {
    "projects": [{"projectKey": PROJECT, "name": "FZ", "owner": "admin", "shortDesc": "", "tags": []}],
    "studios": [{"id": STUDIO, "name": "fz", "owner": "admin", "templateId": TEMPLATE, "projectKey": PROJECT,
                 "desc": {"label": "VS Code", "shortDesc": "VS Code"}}],
    "settings": {"projectKey": PROJECT, "id": STUDIO, "name": "fz", "templateId": TEMPLATE, "libName": STUDIO,
                 "owner": "admin", "tags": []},
    "status": {"state": "RUNNING", "lastStateChange": NOW_MS, "runAsUser": "admin", "exposableCount": 1,
               "exposed": [{"label": "VS Code", "exposedHtml": True, "exposedPort": 8080,
                            "url": f"code-studios/{PROJECT}/{STUDIO}/8080/"}],
               "syncedZones": [{"id": ZONE, "zone": "recipes", "oneWay": False,
                                "pathInContainer": "/home/dataiku/workspace/recipes"}]},
    "conflicts": {ZONE: {"commitFrom": "a" * 40, "commitTo": "b" * 40, "authors": ["bob"],
                         "added": ["a.py"], "modified": ["b.py"], "deleted": []}},
    "templates": [{"id": TEMPLATE, "label": "VS Code", "type": "block_based", "buildFor": ["k8s-default"],
                   "lastBuilt": NOW_MS, "desc": {"label": "VS Code", "shortDesc": "VS Code"}}],
    "template": {"id": TEMPLATE, "type": "block_based", "label": "VS Code", "owner": "admin",
                 "containerConfs": ["k8s-default"], "allContainerConfs": False,
                 "params": {"blocks": [{"type": "file_sync", "params": {"zones": [
                     {"zone": "recipes", "oneWay": False}]}}]}},
    "auth": {"authIdentifier": "admin", "groups": ["administrators"]},
    "diff": {"commitFrom": COMMIT, "addedLines": 1, "removedLines": 0, "changedFiles": 1,
             "entries": [{"changeType": "MODIFY", "oldPath": "a.py", "newPath": "a.py", "diff": "+x"}]},
    "log": {"entries": [COMMIT], "nextCommit": "d" * 40},
    "future_peek": {**FUTURE, "hasResult": True, "alive": False},  # done: a restored server ends every future
    "future_result": {**{k: v for k, v in FUTURE.items() if k != "progress"}, "hasResult": True, "alive": False,
                      "result": {"templateId": TEMPLATE, "success": True}},
}
ENDPOINTS = tuple(BASE)


def endpoint_of(method: str, path: str, query: dict[str, str]) -> str | None:
    """The endpoint name of a request (path after ``/public/api``), or ``None``."""
    parts = [p for p in path.split("/") if p]
    if method != "GET":
        return None
    if parts == ["projects"]:
        return "projects"
    if parts == ["auth", "info"]:
        return "auth"
    if parts[:1] == ["futures"] and len(parts) == 2:
        return "future_peek" if query.get("peek", "true").lower() == "true" else "future_result"
    if parts[:2] == ["admin", "code-studios"]:
        return {2: "templates", 3: "template"}.get(len(parts))
    if parts[:1] == ["projects"] and len(parts) >= 3 and parts[2] == "code-studios":
        rest = parts[3:]
        if not rest:
            return "studios"
        if len(rest) == 1:
            return "settings"
        return {"status": "status", "conflicts": "conflicts"}.get(rest[1])
    if parts[:1] == ["projects"] and parts[2:4] == ["git", "actions"] and len(parts) == 5:
        return {"diff": "diff", "log": "log"}.get(parts[4])
    return None


@dataclass
class Answer:
    status: int
    body: bytes
    content_type: str = "application/json"

    def __repr__(self) -> str:  # hypothesis prints failing examples: keep them readable
        text = self.body[:300].decode("utf-8", "replace")
        return f"Answer({self.status}, {text!r}{'...' if len(self.body) > 300 else ''}, {len(self.body)} bytes)"


def dumps(value: Any) -> bytes:
    return json.dumps(value, allow_nan=True).encode()


class FuzzServer:
    """WSGI app: base answers everywhere, ``self.answers[endpoint]`` where set."""

    def __init__(self) -> None:
        self.url = ""
        self.answers: dict[str, Answer] = {}
        self.hits: dict[str, int] = {}
        self.served: dict[str, int] = {}  # generated answers served, by endpoint

    def __call__(self, environ: dict, start_response: Callable) -> Any:
        req = Request(environ)
        path = req.path.removeprefix("/public/api")
        name = endpoint_of(req.method, path, req.args.to_dict())
        if name is None:
            resp = Response(dumps({"errorType": "NotFound", "message": f"no route {path}"}), status=404,
                            content_type="application/json")
            return resp(environ, start_response)
        self.hits[name] = self.hits.get(name, 0) + 1
        answer = self.answers.get(name)
        if answer is None:
            answer = Answer(200, dumps(BASE[name]))
        else:
            self.served[name] = self.served.get(name, 0) + 1
        return Response(answer.body, status=answer.status, content_type=answer.content_type)(environ, start_response)


@contextmanager
def serving() -> Iterator[FuzzServer]:
    app = FuzzServer()
    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    app.url = f"http://127.0.0.1:{httpd.server_port}"
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield app
    finally:
        httpd.shutdown()
        thread.join(5)


# -- strategies ------------------------------------------------------------------------------------------
HTML = "<html><body><h1>502 Bad Gateway</h1><script>alert(1)</script></body></html>"
leaves = st.one_of(
    st.none(), st.booleans(), st.just(math.nan), st.just(math.inf), st.just(-math.inf),
    st.sampled_from([0, -1, 1e20, -1e20, 10**30, 1.5, 2**63]), st.integers(), st.floats(),
    st.sampled_from(["", "false", "true", "null", "NaN", "RUNNING", HTML, "x" * 10_000, "\u0000\ud7ff\u202e"]),
    st.text(max_size=20),
)
json_values = st.recursive(leaves, lambda kids: st.one_of(st.lists(kids, max_size=4),
                                                           st.dictionaries(st.text(max_size=8), kids, max_size=4)),
                           max_leaves=12)


@st.composite
def mutated(draw: Any, value: Any, depth: int = 0) -> Any:
    """``value`` with some parts replaced by wrong types, removed, duplicated or extended."""
    if depth > 6 or draw(st.integers(0, 9)) == 0:
        return draw(json_values)
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            fate = draw(st.integers(0, 9))
            if fate == 0:
                continue  # a missing field
            out[key] = draw(mutated(item, depth + 1)) if fate <= 4 else copy.deepcopy(item)
        out.update(draw(st.dictionaries(st.text(max_size=8), json_values, max_size=2)))  # extra fields
        return out
    if isinstance(value, list):
        items = [draw(mutated(v, depth + 1)) for v in value]
        extra = draw(st.lists(st.one_of(json_values, *(mutated(v, depth + 1) for v in value[:1])), max_size=3))
        return items + extra
    return draw(json_values) if draw(st.booleans()) else value


def deep(n: int, kind: str) -> bytes:
    return (("[" * n + "]" * n) if kind == "list" else ('{"a":' * n + "1" + "}" * n)).encode()


@st.composite
def raw_bodies(draw: Any, base: Any) -> Answer:
    text = dumps(base)
    kind = draw(st.sampled_from(["html", "truncated", "deep", "huge", "empty", "scalar", "nan"]))
    if kind == "html":
        return Answer(200, HTML.encode(), "text/html")
    if kind == "truncated":
        return Answer(200, text[: draw(st.integers(0, max(0, len(text) - 1)))])
    if kind == "deep":
        return Answer(200, deep(draw(st.sampled_from([100, 1_000, 20_000])), draw(st.sampled_from(["list", "dict"]))))
    if kind == "huge":
        item = base[0] if isinstance(base, list) and base else base
        return Answer(200, dumps([item] * draw(st.sampled_from([300, 3_000]))))
    if kind == "empty":
        return Answer(200, b"")
    if kind == "scalar":
        return Answer(200, dumps(draw(leaves)))
    return Answer(200, b"NaN" if draw(st.booleans()) else b"-Infinity")


def answers(name: str) -> st.SearchStrategy[Answer]:
    """Generated answers for endpoint ``name``."""
    base = BASE[name]
    body = st.one_of(mutated(base).map(lambda v: Answer(200, dumps(v))), raw_bodies(base))
    odd_status = st.tuples(st.sampled_from([200, 201, 204, 302, 400, 404, 500, 503]), st.one_of(
        json_values, mutated(base), st.just(HTML))).map(
        lambda sv: Answer(sv[0], sv[1].encode() if isinstance(sv[1], str) else dumps(sv[1])))
    return st.one_of(body, body, body, odd_status)
