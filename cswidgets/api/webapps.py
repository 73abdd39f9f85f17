"""Webapps, as far as code studios need them: the project's webapps, their backend state, stop and (re)start
(seed parity with ``dataikuapi.dss.webapp``), and every webapp published from a code studio as a DataFrame.

Same method names and meanings as the official client 15.2 (docs/dss-api.md §2.4): ``Project.list_webapps``,
``Project.get_webapp``, ``WebApp.get_state`` (a :class:`WebAppBackendState` with ``running``),
``WebApp.stop_backend``, ``WebApp.start_or_restart_backend`` (a future), ``WebApp.get_settings``. Differences: ids
are validated and quoted; stop and restart are never retried (reads are); ``start_or_restart_backend`` returns an
already completed future when DSS answers without a job id (the official ``DSSFuture.from_resp`` does the same).

What marks a webapp published from a code studio is INFERRED (docs/dss-api.md §3.9): decided by
:func:`cswidgets.api.assumptions.is_code_studio_webapp` and :func:`~cswidgets.api.assumptions.webapp_code_studio_id`.

:func:`code_studio_webapps` (``client.code_studio_webapps()``) columns (:data:`WEBAPP_COLUMNS`):
``project_key, id, name, type, code_studio_id, running`` (nullable boolean: missing when the state could not be
read), ``error``. Requests: one list per project, then per code-studio webapp its settings (when the list item
does not name the studio) and its backend state, through one bounded pool.
"""

from __future__ import annotations

from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any

from . import assumptions
from .errors import DSSError
from .futures import Future
from .shapes import answer_list, answer_object, objects, required
from .validate import check_id, path, segment

if TYPE_CHECKING:
    import pandas as pd

    from .client import Client

__all__ = ["WEBAPP_COLUMNS", "WebApp", "WebAppBackendState", "WebAppListItem", "WebAppSettings",
           "code_studio_webapps", "list_webapps"]

WEBAPP_COLUMNS = ("project_key", "id", "name", "type", "code_studio_id", "running", "error")


def _webapps_path(project_key: str) -> str:
    return path("projects", segment(project_key, "project key"), "webapps") + "/"


def list_webapps(client: Client, project_key: str, as_type: str = "listitems") -> list[Any]:
    """A project's webapps: :class:`WebAppListItem` or, with ``"objects"``, :class:`WebApp` handles."""
    if as_type not in ("listitems", "listitem", "objects", "object"):
        raise ValueError("Unknown as_type")
    where = _webapps_path(project_key)
    items = objects(answer_list(client._transport.json("GET", where, idempotent=True), f"GET {where}"), f"GET {where}")
    listed = [WebAppListItem(client, project_key, item) for item in items]
    return listed if as_type.startswith("listitem") else [i.to_webapp() for i in listed]


class WebAppListItem(dict):
    """An item of ``Project.list_webapps`` (mirror of ``DSSWebAppListItem``: a ``dict`` of the raw item)."""

    def __init__(self, client: Client, project_key: str, data: dict[str, Any]) -> None:
        super().__init__(data)
        self.client = client
        self.project_key = project_key
        self._data = data

    def get_raw(self) -> dict[str, Any]:
        return self._data

    def to_webapp(self) -> WebApp:
        """A handle on this webapp (``ValueError`` / ``DSSError`` when the item has no usable id)."""
        return WebApp(self.client, self._data.get("projectKey") or self.project_key, required(self._data, "id",
                                                                                                "a webapp list item"))

    @property
    def id(self) -> str:
        return required(self._data, "id", "a webapp list item")

    @property
    def name(self) -> str:
        return required(self._data, "name", "a webapp list item")

    @property
    def tags(self) -> list[str]:
        tags = self._data.get("tags")
        return tags if isinstance(tags, list) else []

    @property
    def is_code_studio_webapp(self) -> bool:
        """Whether it is published from a code studio (INFERRED marker, ``assumptions.is_code_studio_webapp``)."""
        return assumptions.is_code_studio_webapp(self._data)


class WebApp:
    """A handle on one webapp (mirror of ``DSSWebApp``); ids validated (``ValueError``)."""

    def __init__(self, client: Client, project_key: str, webapp_id: str) -> None:
        self.client = client
        self._transport = client._transport
        self._path = path("projects", segment(project_key, "project key"), "webapps", segment(webapp_id, "webapp id"))
        self.project_key = project_key
        self.webapp_id = webapp_id

    @property
    def id(self) -> str:
        return self.webapp_id

    def get_state(self) -> WebAppBackendState:
        """The backend's state (a retried read)."""
        raw = self._transport.json("GET", self._path + "/backend/state", idempotent=True)
        return WebAppBackendState(self.webapp_id, answer_object(raw, f"backend state of webapp {self.webapp_id}"))

    def stop_backend(self) -> None:
        """Stop the backend (never retried)."""
        self._transport.empty("PUT", self._path + "/backend/actions/stop", long_write=True)

    def start_or_restart_backend(self) -> Future:
        """Start or restart the backend; a future tracking it (never retried)."""
        resp = self._transport.json("PUT", self._path + "/backend/actions/restart", long_write=True)
        return Future.from_resp(self.client, resp, label=f"restart webapp {self.project_key}/{self.webapp_id}",
                                action=True)

    def get_settings(self) -> WebAppSettings:
        raw = self._transport.json("GET", self._path, idempotent=True)
        return WebAppSettings(self, answer_object(raw, f"settings of webapp {self.webapp_id}"))

    def __repr__(self) -> str:
        return f"WebApp(project_key={self.project_key!r}, id={self.webapp_id!r})"


class WebAppBackendState:
    """A webapp's backend state (mirror of ``DSSWebAppBackendState``)."""

    def __init__(self, webapp_id: str, state: dict[str, Any]) -> None:
        self.webapp_id = webapp_id
        self._state = state

    @property
    def state(self) -> dict[str, Any]:
        """The raw state: ``projectKey``, ``webAppId``, ``futureInfo``."""
        return self._state

    @property
    def running(self) -> bool:
        """Whether the backend runs (``futureInfo.alive``)."""
        return assumptions.webapp_backend_running(self._state)


class WebAppSettings:
    """A webapp's settings (read only here; mirror of ``DSSWebAppSettings.get_raw``)."""

    def __init__(self, webapp: WebApp, data: dict[str, Any]) -> None:
        self.webapp = webapp
        self.data = data

    def get_raw(self) -> dict[str, Any]:
        return self.data

    @property
    def code_studio_id(self) -> str | None:
        """The code studio it is published from (INFERRED marker), ``None`` for another webapp."""
        return assumptions.webapp_code_studio_id(self.data)


def code_studio_webapps(client: Client, project_keys: str | Iterable[str] | None = None, *,
                        pool_size: int | None = None) -> pd.DataFrame:
    """Every webapp published from a code studio, with its studio and whether its backend runs (see the module
    docstring). A failure on a project or a webapp is that row's ``error``."""
    import pandas as pd

    from .compat import text_series

    if project_keys is None:
        keys = client.list_project_keys()
    else:
        keys = [check_id(k, "project key") for k in ([project_keys] if isinstance(project_keys, str) else project_keys)]
    workers = pool_size or client.pool_size
    rows: list[dict[str, Any]] = []
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="cswidgets-webapps") as pool:
        for pk, fut in [(pk, pool.submit(list_webapps, client, pk)) for pk in keys]:
            try:
                items = fut.result()
            except (DSSError, ValueError) as err:
                rows.append({"project_key": pk, "error": str(err)})
                continue
            rows += [{"project_key": pk, "item": item} for item in items if item.is_code_studio_webapp]
        for row, fut in [(row, pool.submit(_describe, client, row["item"])) for row in rows if "item" in row]:
            row.update(fut.result())
    data = {col: [r.get(col) for r in rows] for col in WEBAPP_COLUMNS}
    df = pd.DataFrame({col: pd.Series(pd.array(data[col], dtype="boolean")) if col == "running"
                       else text_series(data[col]) for col in WEBAPP_COLUMNS}, columns=list(WEBAPP_COLUMNS))
    df.attrs["errors"] = [{"project_key": r["project_key"], "id": r.get("id"), "error": r["error"]}
                          for r in rows if r.get("error")]
    return df


def _describe(client: Client, item: WebAppListItem) -> dict[str, Any]:
    raw = item.get_raw()
    row: dict[str, Any] = {"id": raw.get("id"), "name": raw.get("name"), "type": raw.get("type"),
                           "code_studio_id": assumptions.webapp_code_studio_id(raw), "running": None, "error": None}
    try:
        webapp = item.to_webapp()
        if row["code_studio_id"] is None:
            settings = webapp.get_settings()
            row["code_studio_id"] = settings.code_studio_id
            row["type"] = row["type"] or settings.get_raw().get("type")
        row["running"] = webapp.get_state().running
    except (DSSError, ValueError) as err:
        row["error"] = str(err)
    return row
