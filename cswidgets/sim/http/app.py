"""The HTTP side: the WSGI app, DSS-style routing, authentication, faults, latency (served by
:mod:`cswidgets.sim.http.httpd`), and the DSS public API routes at the end of the module.

Routing works on the *raw* request path (``RAW_URI``), split on ``/`` and percent-decoded once
per segment, so ``a%2Fb`` is one segment ``a/b`` and ``%2525`` becomes ``%25``. The API is served
under both ``/public/api`` and ``/dip/publicapi``; ``/__sim__/`` holds the control routes
(:mod:`cswidgets.sim.http.control`), which never get latency or faults and are not logged.
"""

from __future__ import annotations

import base64
import binascii
import json
import logging
import numbers
import threading
from collections.abc import Callable
from email.utils import formatdate
from typing import Any
from urllib.parse import unquote_to_bytes

from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Request, Response

from .. import assumptions as A
from ..errors import SimError, bad_request, not_found
from ..faults import FaultInjector, RequestLog, RequestRecord
from ..model import Model
from .control import Controls, handle_control
from .httpd import request_reset

log = logging.getLogger("cswidgets.sim")


def drop_nulls(value: Any) -> Any:
    """DSS drops null-valued properties (SEEN, docs/dss-api.md §1); applied recursively to dicts."""
    if isinstance(value, dict):
        return {k: drop_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, (list, tuple)):
        return [drop_nulls(v) for v in value]
    return value


def json_response(status: int, body: Any, keep_nulls: bool = False) -> Response:
    """A JSON answer; nulls dropped like DSS does, unless ``keep_nulls`` (control routes)."""
    data = json.dumps(body if keep_nulls else drop_nulls(body), ensure_ascii=False).encode("utf-8")
    return Response(data, status=status, headers=dss_headers(), content_type="application/json;charset=utf-8")


SIMULATOR_HEADER = "X-Cswidgets-Simulator"
"""Sent with value ``"1"`` on every answer (API and control routes, errors included), so that clients can
tell the simulator from a real DSS with any key; ``DSS-Version`` stays a realistic version."""


def dss_headers() -> dict[str, str]:
    return {"DSS-Version": A.DSS_VERSION, "DSS-API-Version": A.DSS_API_VERSION}


def split_path(environ: dict[str, Any]) -> tuple[list[str], str]:
    """Decoded segments of the raw request path, and the raw path itself."""
    raw = environ.get("RAW_URI") or environ.get("REQUEST_URI") or environ.get("PATH_INFO", "/")
    raw = raw.split("?", 1)[0].split("#", 1)[0]
    if "://" in raw:  # absolute-form request target
        raw = "/" + raw.split("://", 1)[1].partition("/")[2]
    parts = raw.split("/")[1:]
    if len(parts) > 1 and parts[-1] == "":
        parts = parts[:-1]
    segments = [unquote_to_bytes(p.encode("latin-1", "replace")).decode("utf-8", "replace") for p in parts]
    return segments, raw


def credentials(headers: Any) -> list[str]:
    """Keys offered by a request: Basic (user name or password), Bearer, X-DKU-APITicket."""
    keys: list[str] = []
    auth = headers.get("Authorization", "")
    scheme, _, value = auth.partition(" ")
    if scheme.lower() == "basic":
        try:
            user, _, password = base64.b64decode(value.strip(), validate=True).decode("utf-8").partition(":")
            keys += [user, password]
        except (binascii.Error, UnicodeDecodeError):
            pass
    elif scheme.lower() == "bearer":
        keys.append(value.strip())
    ticket = headers.get("X-DKU-APITicket")
    if ticket:
        keys.append(ticket.strip())
    return [k for k in keys if k]


def authenticate(model: Model, headers: Any) -> str:
    """The login behind the request's credentials; SimError 401 otherwise."""
    keys = credentials(headers)
    if not keys:
        raise SimError(401, A.ERR_NOT_AUTHENTICATED, A.MSG_NO_CREDENTIALS)
    for key in keys:
        login = model.login_for_key(key)
        if login is not None:
            return login
    raise SimError(401, A.ERR_NOT_AUTHENTICATED, A.MSG_UNKNOWN_KEY)


class Call:
    """What a route handler gets: the model, the caller, path parameters, query and body."""

    def __init__(self, model: Model, login: str, params: list[str], request: Request) -> None:
        self.model, self.login, self.params, self.request = model, login, params, request
        self.query: MultiDict[str, str] = request.args

    def flag(self, name: str, default: bool = False) -> bool:
        return A.parse_bool(self.query.get(name), default)

    def body(self) -> Any:
        """The JSON body, whatever the Content-Type (the official client sends none)."""
        data = self.request.get_data(cache=True)
        if not data.strip():
            return None
        try:
            return json.loads(data.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise bad_request(f"Invalid JSON body: {exc}") from None


Handler = Callable[[Call], Any]
_S = "*"  # a path parameter
_REST = "**"  # the rest of the path (one or more segments, joined by "/"), as the last element of a pattern
_ROUTES: list[tuple[str, tuple[str, ...], Handler]] = []


def route(method: str, *pattern: str) -> Callable[[Handler], Handler]:
    def register(fn: Handler) -> Handler:
        _ROUTES.append((method, pattern, fn))
        return fn

    return register


def match(method: str, segments: list[str]) -> tuple[Handler, list[str]]:
    allowed = False
    for m, pattern, fn in _ROUTES:
        rest = pattern[-1:] == (_REST,)
        if len(pattern) != len(segments) and not (rest and len(segments) >= len(pattern)):
            continue
        head = pattern[:-1] if rest else pattern
        pairs = list(zip(head, segments))  # same length, checked above (no strict= in Python 3.9)
        if all(p in (_S, s) for p, s in pairs):
            if m == method:
                return fn, [s for p, s in pairs if p == _S] + (["/".join(segments[len(head):])] if rest else [])
            allowed = True
    if allowed:
        raise SimError(405, A.ERR_ILLEGAL_ARGUMENT, f"Method {method} not allowed here")
    raise not_found(f"No API endpoint for /{'/'.join(segments)}")


class SimApp:
    """The WSGI application (API + control routes) around one :class:`Model`."""

    def __init__(self, model: Model, latency_ms: float = 0.0) -> None:
        self.model = model
        self.controls = Controls(model, self)
        self.faults = FaultInjector()
        self.log = RequestLog()
        self.latency_ms = float(latency_ms)
        self.stop_event = threading.Event()
        self._in_flight = 0
        self._in_flight_lock = threading.Lock()

    def set_latency(self, value: Any) -> None:
        """Add ``value`` ms to every API request from now on (a number >= 0, else ValueError)."""
        if not isinstance(value, numbers.Real) or value < 0:
            raise ValueError("latency_ms must be a number >= 0")
        self.latency_ms = float(value)

    @property
    def in_flight(self) -> int:
        """API requests being handled right now (stalled or sleeping ones included)."""
        return self._in_flight

    def _count(self, delta: int) -> None:
        with self._in_flight_lock:
            self._in_flight += delta

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        request = Request(environ)
        segments, raw = split_path(environ)
        method = request.method.upper()
        try:
            if segments and segments[0] == "__sim__":
                self.model.require_admin(authenticate(self.model, request.headers))
                status, body = handle_control(self, method, segments[1:], request)
                response = json_response(status, body, keep_nulls=True)
            else:
                self._count(+1)
                try:
                    response = self._api(environ, request, method, segments, raw)
                finally:
                    self._count(-1)
        except SimError as exc:
            response = json_response(exc.status, exc.body())
        response.headers[SIMULATOR_HEADER] = "1"
        # the simulated clock (assumptions: the Date header is the server's clock)
        response.headers["Date"] = formatdate(self.model.clock.now_ms() / 1000, usegmt=True)
        return response(environ, start_response)

    def _api(self, environ: dict[str, Any], request: Request, method: str, segments: list[str], raw: str) -> Response:
        prefix = next((p for p in A.API_PREFIXES if tuple(segments[: len(p)]) == p), None)
        if prefix is None:
            raise not_found(f"Not an API path: {raw}")
        segs = segments[len(prefix) :]
        path = "/" + "/".join(segs)
        raw_path = "/" + "/".join(raw.split("/")[1 + len(prefix) :])
        login: str | None = None
        record = {
            "method": method,
            "path": path,
            "query": dict(request.args.items()),
            "raw_path": raw_path,
            "time_ms": self.model.clock.now_ms(),
        }
        fault, stall_s = self.faults.draw(method, path)
        if fault == "reset":
            self.log.add(RequestRecord(login=None, status="reset", fault=fault, **record))
            self._reset(environ)
        if fault == "stall":
            self.stop_event.wait(stall_s)
        if self.latency_ms > 0:
            self.stop_event.wait(self.latency_ms / 1000)
        try:
            login = authenticate(self.model, request.headers)
            if fault == "500":
                raise SimError(500, A.ERR_INTERNAL, "Injected fault (cswidgets.sim)")
            handler, params = match(method, segs)
            result = handler(Call(self.model, login, params, request))
            response = result if isinstance(result, Response) else json_response(200, result)
        except SimError as exc:
            response = json_response(exc.status, exc.body())
        except Exception as exc:  # a simulator bug: answer like DSS would, and say so in the log
            log.exception("internal error on %s %s", method, path)
            response = json_response(500, A.error_body(A.ERR_INTERNAL, f"{type(exc).__name__}: {exc}"))
        status: int | str = (
            "stall" if fault == "stall" else ("reset" if fault == "reset_after" else response.status_code)
        )
        self.log.add(
            RequestRecord(
                login=login,
                status=status,
                fault=fault,
                http_status=None if fault == "reset_after" else response.status_code,
                **record,
            )
        )
        if fault == "reset_after":
            self._reset(environ)
        return response

    def _reset(self, environ: dict[str, Any]) -> None:
        """Drop the connection with a TCP RST and no HTTP answer (raises)."""
        request_reset(environ)



# ================================================================================================
# The DSS public API routes (paths relative to ``/public/api`` = ``/dip/publicapi``,
# docs/dss-api.md §2). Each handler maps one HTTP call onto the model and returns a JSON-able value.
# ================================================================================================

CS = ("projects", _S, "code-studios")
ONE = (*CS, _S)
ADMIN = ("admin", "code-studios")

# ---- who am I ------------------------------------------------------------------------------------


@route("GET", "auth", "info")
def _auth_info(c: Call) -> Any:
    return c.model.auth_info(c.login, c.flag("withSecrets"))


# ---- projects ----------------------------------------------------------------------------------


@route("GET", "projects")
def _list_projects(c: Call) -> Any:
    return c.model.list_projects()


@route("GET", "projects", _S)
def _get_project(c: Call) -> Any:
    return c.model.get_project(c.params[0])


# ---- code studios ------------------------------------------------------------------------------


@route("GET", *CS)
def _list_studios(c: Call) -> Any:
    return c.model.list_studios(c.params[0])


@route("POST", *CS)
def _create_studio(c: Call) -> Any:
    return c.model.create_studio(c.params[0], c.body(), c.login)


@route("GET", *ONE)
def _studio_settings(c: Call) -> Any:
    return c.model.studio_settings(*c.params)


@route("DELETE", *ONE)
def _delete_studio(c: Call) -> Any:
    c.model.delete_studio(*c.params, c.login)
    return {}


@route("GET", *ONE, "status")
def _status(c: Call) -> Any:
    return c.model.studio_status(*c.params)


@route("POST", *ONE, "stop")
def _stop(c: Call) -> Any:
    return c.model.stop(*c.params, c.login)


@route("POST", *ONE, "restart")
def _restart(c: Call) -> Any:
    return c.model.restart(*c.params, c.login)


@route("GET", *ONE, "conflicts", _S)
def _conflicts(c: Call) -> Any:
    return c.model.conflicts(*c.params, c.login)


@route("GET", *ONE, "pull", _S)
def _pull(c: Call) -> Any:
    return c.model.pull(*c.params, c.login)


@route("GET", *ONE, "push", _S)
def _push(c: Call) -> Any:
    return c.model.push(*c.params, c.login)


@route("POST", *ONE, "change-owner")
def _change_owner(c: Call) -> Any:
    return c.model.change_owner(*c.params, c.query.get("newOwner"), c.login)


# ---- project git -------------------------------------------------------------------------------

GIT = ("projects", _S, "git", "actions")


@route("GET", *GIT, "diff")
def _git_diff(c: Call) -> Any:
    return c.model.git_diff(c.params[0], c.query.get("commitFrom") or None, c.query.get("commitTo") or None)


@route("GET", *GIT, "log")
def _git_log(c: Call) -> Any:
    q = c.query
    return c.model.git_log(c.params[0], q.get("path") or None, q.get("startCommit") or None, q.get("count"))


# ---- project library (docs/dss-api.md §10 "Project libraries"; read-only) -------------------------

LIBRARY = ("projects", _S, "libraries", "contents")


@route("GET", *LIBRARY)
def _library_contents(c: Call) -> Any:
    return c.model.library_contents(c.params[0])


@route("GET", *LIBRARY, _REST)
def _library_file(c: Call) -> Any:
    return c.model.library_file(c.params[0], c.params[1], c.query.get(A.LIBRARY_ENCODING_PARAM))


# ---- webapps (docs/dss-api.md §2.4) ------------------------------------------------------------

WEBAPPS = ("projects", _S, "webapps")


@route("GET", *WEBAPPS)
def _list_webapps(c: Call) -> Any:
    return c.model.list_webapps(c.params[0])


@route("GET", *WEBAPPS, _S)
def _webapp_settings(c: Call) -> Any:
    return c.model.webapp_settings(*c.params)


@route("GET", *WEBAPPS, _S, "backend", "state")
def _webapp_backend_state(c: Call) -> Any:
    return c.model.webapp_backend_state(*c.params)


@route("PUT", *WEBAPPS, _S, "backend", "actions", "stop")
def _webapp_stop_backend(c: Call) -> Any:
    c.model.stop_webapp_backend(*c.params, c.login)
    return {}


@route("PUT", *WEBAPPS, _S, "backend", "actions", "restart")
def _webapp_restart_backend(c: Call) -> Any:
    return c.model.restart_webapp_backend(*c.params, c.login)


# ---- templates ---------------------------------------------------------------------------------


@route("GET", *ADMIN)
def _list_templates(c: Call) -> Any:
    return c.model.list_templates(c.login)


@route("POST", *ADMIN)
def _create_template(c: Call) -> Any:
    return c.model.create_template(c.body(), c.login)


@route("POST", *ADMIN, "import")
def _import_template(c: Call) -> Any:
    upload = c.request.files.get("file")
    data = upload.read() if upload is not None else b""
    return c.model.import_template(data, c.query.get("label"), c.login, c.query.get("importSpec"))


@route("GET", *ADMIN, _S)
def _template_settings(c: Call) -> Any:
    return c.model.template_settings(c.params[0], c.login)


@route("PUT", *ADMIN, _S)
def _save_template(c: Call) -> Any:
    c.model.save_template(c.params[0], c.body(), c.login)
    return {}


@route("DELETE", *ADMIN, _S)
def _delete_template(c: Call) -> Any:
    return c.model.delete_template(c.params[0], c.login, c.flag("deleteRuntime"), c.flag("deleteImages"))


@route("POST", *ADMIN, _S, "build")
def _build(c: Call) -> Any:
    return c.model.build_template(c.params[0], c.flag("withNoCache"), c.login)


@route("GET", *ADMIN, _S, "export")
def _export(c: Call) -> Any:
    data = c.model.export_template(c.params[0], c.login)
    return Response(data, status=200, headers=dss_headers(), content_type="application/zip")


# ---- futures -----------------------------------------------------------------------------------


@route("GET", "futures")
def _list_futures(c: Call) -> Any:
    return c.model.list_futures(c.login, c.flag("withScenarios"), c.flag("withNotScenarios", True), c.flag("allUsers"))


@route("GET", "futures", _S)
def _get_future(c: Call) -> Any:
    status, body = c.model.get_future(c.params[0], c.flag("peek"))
    return json_response(status, body)


@route("DELETE", "futures", _S)
def _abort_future(c: Call) -> Any:
    c.model.abort_future(c.params[0], c.login)
    return {}
