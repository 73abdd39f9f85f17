"""Simulators that differ from what cswidgets assumes, the way a real DSS might (for the doctor's tests).

Each variant is a WSGI rewrite of the simulator's answers (:class:`cswidgets.doctor.replay.Rewrite`), served
by :func:`cswidgets.doctor.replay.serve`; the simulator's request log still records every request."""

from __future__ import annotations

import socket
from typing import Any

from cswidgets.doctor.replay import Rewrite

LOGIN_PAGE = b"<!DOCTYPE html><html><head><title>Sign in</title></head><body><form>Sign in</form></body></html>"


def without_task_state(app: Any) -> Rewrite:
    """``GET /futures/`` lists each task by its job id only: no payload naming a studio, no state."""
    return Rewrite(app, {"GET /futures/": lambda items: [{"jobId": i.get("jobId")} for i in items]})


def other_git_entries(app: Any) -> Rewrite:
    """Diff entries of another shape: ``{type, path, patch}``."""
    def rename(diff: dict[str, Any]) -> dict[str, Any]:
        entries = [{"type": e.get("changeType"), "path": e.get("newPath"), "patch": e.get("diff")}
                   for e in diff.get("entries") or []]
        return {**diff, "entries": entries}

    return Rewrite(app, {"GET /projects/{pk}/git/actions/diff": rename})


def html_login_page(app: Any) -> Any:
    """Every API request answered by a login page (HTTP 200, text/html), as a single-sign-on proxy does."""
    def page(environ: dict[str, Any], start_response: Any) -> Any:
        if environ.get("PATH_INFO", "").startswith("/__sim__/"):
            return app(environ, start_response)
        start_response("200 OK", [("Content-Type", "text/html"), ("Content-Length", str(len(LOGIN_PAGE)))])
        return [LOGIN_PAGE]

    return page


def closed_port() -> int:
    """A port on 127.0.0.1 where nothing listens (bound, then closed)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def hostile(app: Any) -> Rewrite:
    """Answers of the right type at the top but nonsense inside: lists that are numbers, states that are lists,
    entries that are strings, a conflicts answer that is a list."""
    def status(value: dict[str, Any]) -> dict[str, Any]:
        return {**value, "state": ["RUNNING"], "syncedZones": 5, "exposed": "x", "lastStateChange": "soon"}

    return Rewrite(app, {
        "GET /projects/{pk}/code-studios/": lambda items: [*items, "not an object", {"id": 7}],
        "GET /projects/{pk}/code-studios/{id}/status": status,
        "GET /projects/{pk}/git/actions/log": lambda log: {**log, "entries": 7},
        "GET /projects/{pk}/git/actions/diff": lambda diff: {**diff, "entries": ["a", 1, None]},
        "GET /futures/": lambda items: [{"jobId": i.get("jobId"), "payload": "x"} for i in items] + [3],
        "GET /admin/code-studios/": lambda items: [{"id": ".."}, *items],
    })
