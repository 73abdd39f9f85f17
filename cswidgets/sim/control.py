"""HTTP control routes (``/__sim__/...``) and :class:`RemoteSimulator`, their Python client.

They let another process (a notebook, a browser test) edit zone files, inject faults, move
time and read the request log of a simulator it did not start. Every route needs the admin's
key (Basic, Bearer or ``X-DKU-APITicket``); control routes get no latency or faults and are not
in the request log. Bodies are JSON; answers are JSON.

======  ==========================  =========================================================
GET     /__sim__/health             ``{"ok": true}``
GET     /__sim__/files              query project_key, studio_id, zone, side → ``{path: text}``
POST    /__sim__/files              {project_key, studio_id, zone, path, text, side, author}
POST    /__sim__/files/delete       {project_key, studio_id, zone, path, side, author}
GET     /__sim__/history            query project_key, studio_id, zone → list of commits
GET     /__sim__/zones              query project_key, studio_id → ``{zone key: zone id}``
GET     /__sim__/faults             current fault configuration
POST    /__sim__/faults             {rate, kinds, stall_s, seed, methods, path_contains}
DELETE  /__sim__/faults             clear faults
POST    /__sim__/latency            {latency_ms}
POST    /__sim__/advance            {seconds} → ``{"now": ms}``
POST    /__sim__/state              {project_key, studio_id, state} → ``{"jobId": ...}``
GET     /__sim__/requests           the request log (list of records)
DELETE  /__sim__/requests           clear it
GET     /__sim__/studios            query project_key → list of ids
POST    /__sim__/studios            {project_key, name, owner, template_id, state} → ``{"id"}``
GET     /__sim__/templates          list of template ids
POST    /__sim__/builds/fail-next   {template_id, message}
GET     /__sim__/users              ``{login: key}``
POST    /__sim__/users              {login, key, admin} → ``{"key"}``
======  ==========================  =========================================================
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import fields
from typing import TYPE_CHECKING, Any

import requests
from werkzeug.wrappers import Request

from .errors import SimError, bad_request, not_found
from .faults import DEFAULT_KINDS, FaultConfig, as_names

if TYPE_CHECKING:
    from .server import SimApp


def _need(data: Any, *names: str) -> list[Any]:
    if not isinstance(data, dict):
        raise bad_request("Expected a JSON object")
    missing = [n for n in names if n not in data]
    if missing:
        raise bad_request(f"Missing fields: {missing}")
    return [data[n] for n in names]


def handle_control(app: SimApp, method: str, segs: list[str], request: Request) -> tuple[int, Any]:
    """Serve one control route; returns (status, JSON body)."""
    from .server import Call, authenticate

    model = app.model
    login = authenticate(model, request.headers)
    model.require_admin(login)
    call = Call(model, login, [], request)
    q = request.args
    route = (method, "/".join(segs))
    body = call.body() if method in ("POST", "PUT") else None
    try:
        if route == ("GET", "health"):
            return 200, {"ok": True}
        if route == ("GET", "files"):
            return 200, model.read_files(
                q.get("project_key", ""), q.get("studio_id", ""), q.get("zone", ""), q.get("side", "studio")
            )
        if route == ("POST", "files"):
            pk, sid, zone, path, text = _need(body, "project_key", "studio_id", "zone", "path", "text")
            model.write_file(pk, sid, zone, path, text, body.get("side", "studio"), body.get("author", "alice"))
            return 200, {}
        if route == ("POST", "files/delete"):
            pk, sid, zone, path = _need(body, "project_key", "studio_id", "zone", "path")
            model.delete_file(pk, sid, zone, path, body.get("side", "studio"), body.get("author", "alice"))
            return 200, {}
        if route == ("GET", "history"):
            return 200, model.history(q.get("project_key", ""), q.get("studio_id", ""), q.get("zone", ""))
        if route == ("GET", "zones"):
            return 200, model.zone_ids(q.get("project_key", ""), q.get("studio_id", ""))
        if route == ("GET", "faults"):
            return 200, app.faults.config.to_json()
        if route == ("POST", "faults"):
            app.faults.configure(**_fault_args(body))
            return 200, app.faults.config.to_json()
        if route == ("DELETE", "faults"):
            app.faults.clear()
            return 200, {}
        if route == ("POST", "latency"):
            (latency,) = _need(body, "latency_ms")
            app.set_latency(latency)
            return 200, {"latency_ms": app.latency_ms}
        if route == ("POST", "advance"):
            (seconds,) = _need(body, "seconds")
            return 200, {"now": model.advance(float(seconds))}
        if route == ("POST", "state"):
            pk, sid, state = _need(body, "project_key", "studio_id", "state")
            return 200, {"jobId": model.set_state(pk, sid, state)}
        if route == ("GET", "requests"):
            return 200, [r.to_json() for r in app.log.snapshot()]
        if route == ("DELETE", "requests"):
            app.log.clear()
            return 200, {}
        if route == ("GET", "studios"):
            return 200, model.studio_ids(q.get("project_key", ""))
        if route == ("POST", "studios"):
            pk, name, owner, tid = _need(body, "project_key", "name", "owner", "template_id")
            return 200, {"id": model.add_studio(pk, name, owner, tid, body.get("state", "STOPPED"))}
        if route == ("GET", "templates"):
            return 200, model.template_ids()
        if route == ("POST", "builds/fail-next"):
            (tid,) = _need(body, "template_id")
            model.fail_next_build(tid, body.get("message", "Docker build failed"))
            return 200, {}
        if route == ("GET", "users"):
            return 200, model.keys()
        if route == ("POST", "users"):
            (user,) = _need(body, "login")
            return 200, {"key": model.add_user(user, body.get("key"), bool(body.get("admin", False)))}
    except (TypeError, ValueError) as exc:
        raise bad_request(str(exc)) from None
    raise not_found(f"No control route {method} /__sim__/{'/'.join(segs)}")


def _fault_args(body: Any) -> dict[str, Any]:
    if not isinstance(body, dict):
        raise bad_request("Expected a JSON object")
    unknown = set(body) - {f.name for f in fields(FaultConfig)}
    if unknown:
        raise bad_request(f"Unknown fault fields: {sorted(unknown)}")
    return body


class RemoteSimulator:
    """Drive a simulator running in another process through its control routes.

    Same method names as :class:`~cswidgets.sim.Simulator`; errors raise
    :class:`~cswidgets.sim.SimError` with the status and DSS error body the server sent.
    """

    def __init__(self, url: str, api_key: str, timeout: float = 30.0) -> None:
        self.url = url.rstrip("/")
        self._session = requests.Session()
        self._session.auth = (api_key, "")
        self._timeout = timeout

    def __repr__(self) -> str:
        return f"<RemoteSimulator {self.url}>"

    def close(self) -> None:
        self._session.close()

    def _call(self, method: str, route: str, body: Any = None, params: dict[str, Any] | None = None) -> Any:
        resp = self._session.request(
            method, f"{self.url}/__sim__/{route}", json=body, params=params, timeout=self._timeout
        )
        try:
            data = resp.json()
        except ValueError:
            data = {"message": resp.text}
        if resp.status_code >= 400:
            raise SimError(resp.status_code, data.get("errorType", "Unknown error"), data.get("message", ""))
        return data

    def health(self) -> bool:
        return bool(self._call("GET", "health").get("ok"))

    def write_file(
        self,
        project_key: str,
        studio_id: str,
        zone_id: str,
        path: str,
        text: str,
        side: str = "studio",
        author: str = "alice",
    ) -> None:
        self._call(
            "POST",
            "files",
            {
                "project_key": project_key,
                "studio_id": studio_id,
                "zone": zone_id,
                "path": path,
                "text": text,
                "side": side,
                "author": author,
            },
        )

    def delete_file(
        self, project_key: str, studio_id: str, zone_id: str, path: str, side: str = "studio", author: str = "alice"
    ) -> None:
        self._call(
            "POST",
            "files/delete",
            {
                "project_key": project_key,
                "studio_id": studio_id,
                "zone": zone_id,
                "path": path,
                "side": side,
                "author": author,
            },
        )

    def read_files(self, project_key: str, studio_id: str, zone_id: str, side: str = "studio") -> dict[str, str]:
        return self._call(
            "GET", "files", params={"project_key": project_key, "studio_id": studio_id, "zone": zone_id, "side": side}
        )

    def history(self, project_key: str, studio_id: str, zone_id: str) -> list[dict[str, Any]]:
        return self._call(
            "GET", "history", params={"project_key": project_key, "studio_id": studio_id, "zone": zone_id}
        )

    def zone_ids(self, project_key: str, studio_id: str) -> dict[str, str]:
        return self._call("GET", "zones", params={"project_key": project_key, "studio_id": studio_id})

    def set_faults(
        self,
        rate: float = 0.0,
        kinds: Iterable[str] = DEFAULT_KINDS,
        stall_s: float = 5.0,
        seed: int = 0,
        methods: Iterable[str] | None = None,
        path_contains: str | None = None,
    ) -> None:
        self._call(
            "POST",
            "faults",
            {
                "rate": rate,
                "kinds": list(as_names(kinds)),
                "stall_s": stall_s,
                "seed": seed,
                "methods": list(as_names(methods)) if methods is not None else None,
                "path_contains": path_contains,
            },
        )

    def clear_faults(self) -> None:
        self._call("DELETE", "faults")

    def set_latency(self, latency_ms: float) -> None:
        self._call("POST", "latency", {"latency_ms": latency_ms})

    def advance(self, seconds: float) -> int:
        return int(self._call("POST", "advance", {"seconds": seconds})["now"])

    def set_state(self, project_key: str, studio_id: str, state: str) -> str | None:
        return self._call("POST", "state", {"project_key": project_key, "studio_id": studio_id, "state": state}).get(
            "jobId"
        )

    @property
    def requests(self) -> list[dict[str, Any]]:
        return self._call("GET", "requests")

    def clear_requests(self) -> None:
        self._call("DELETE", "requests")

    def studio_ids(self, project_key: str) -> list[str]:
        return self._call("GET", "studios", params={"project_key": project_key})

    def add_studio(self, project_key: str, name: str, owner: str, template_id: str, state: str = "STOPPED") -> str:
        return self._call(
            "POST",
            "studios",
            {"project_key": project_key, "name": name, "owner": owner, "template_id": template_id, "state": state},
        )["id"]

    def template_ids(self) -> list[str]:
        return self._call("GET", "templates")

    def fail_next_build(self, template_id: str, message: str = "Docker build failed") -> None:
        self._call("POST", "builds/fail-next", {"template_id": template_id, "message": message})

    @property
    def keys(self) -> dict[str, str]:
        return self._call("GET", "users")

    def add_user(self, login: str, key: str | None = None, admin: bool = False) -> str:
        return self._call("POST", "users", {"login": login, "key": key, "admin": admin})["key"]
