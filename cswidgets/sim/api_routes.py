"""The DSS public API routes (paths relative to ``/public/api`` ≡ ``/dip/publicapi``, §2 of
dss-api.md). Each handler maps one HTTP call onto the model and returns a JSON-able value."""

from __future__ import annotations

from typing import Any

from werkzeug.wrappers import Response

from .server import _S, Call, dss_headers, json_response, route

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
    return c.model.import_template(data, c.query.get("label"), c.login)


@route("GET", *ADMIN, _S)
def _template_settings(c: Call) -> Any:
    return c.model.template_settings(c.params[0], c.login)


@route("PUT", *ADMIN, _S)
def _save_template(c: Call) -> Any:
    c.model.save_template(c.params[0], c.body(), c.login)
    return {}


@route("DELETE", *ADMIN, _S)
def _delete_template(c: Call) -> Any:
    return c.model.delete_template(c.params[0], c.login)


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
