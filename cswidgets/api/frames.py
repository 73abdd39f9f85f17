"""DataFrame builders: every code studio (with status) and every template, fetched concurrently.

``studios_frame`` columns, in this order (:data:`STUDIO_COLUMNS`): documented once, in
:meth:`cswidgets.api.Client.studios_frame` (what ``help(client.studios_frame)`` shows).

Text columns have the ``object`` dtype on every pandas release (values are ``str``, missing ones
``None``): pandas 3 would infer its new ``str`` dtype where pandas 1.5/2.x give ``object``, and code that
checks dtypes or compares with ``None`` must behave the same on both.

Fetching: one ``GET /projects/`` when ``project_keys`` is ``None``, then every project's list and every
studio's status through ONE bounded thread pool (default: the client's ``pool_size``, 16), pipelined --
a studio's status request is queued as soon as its project's list arrives, so the pool never idles at a
phase boundary. All threads share the client's pooled keep-alive connections. A failure on one project or
studio becomes that row's ``error`` (the project's studios are then missing, reported by one row with
``id`` NaN), and an entry whose id cannot name a studio (not a string, or refused by
:func:`cswidgets.api.validate.check_id`: over 1,000 characters, ``.``, control characters...) is a row with
that ``error`` and no status read, whatever ``with_status``; ``df.attrs["errors"]`` summarises them as
``[{project_key, id, error}]`` and ``df.attrs["fetched_at"]`` holds the UTC time the fetch started; an error
entry has ``status`` (the HTTP status) when DSS answered with an error, ``lost: True`` when no answer came (the
connection failed or timed out) rather than an answer refusing. Listing the projects itself failing raises,
since nothing could be shown.

``studio_rows(client, [(project_key, studio_id), ...])`` returns the ``studios_frame`` rows of some studios,
built by the same code (each distinct project listed once, each studio's status fetched): same columns and
dtypes, rows in the order asked, no row for a studio that no longer exists. Widgets use it to refresh one
row after an action instead of mapping a ``CodeStudioStatus`` themselves.

``templates_frame`` columns (:data:`TEMPLATE_COLUMNS`): ``id, label, type, build_for, last_built,
error``; ``type`` comes from each template's settings, fetched through the same kind of pool.
"""

from __future__ import annotations

from collections.abc import Iterable
from concurrent.futures import Future as PoolFuture
from concurrent.futures import ThreadPoolExecutor, as_completed
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

import pandas as pd

from . import assumptions
from .compat import text_series
from .errors import DSSConnectionError, DSSError
from .governance import ADMIN_COLUMNS, fill_admin_columns
from .shapes import text_id
from .times import datetime_series
from .validate import check_id, id_problem

if TYPE_CHECKING:
    from .client import Client

__all__ = ["STUDIO_COLUMNS", "TEMPLATE_COLUMNS", "studio_rows", "studios_frame", "templates_frame"]

STUDIO_COLUMNS = (
    "project_key",
    "id",
    "name",
    "owner",
    "template_id",
    "template_label",
    "state",
    "last_state_change",
    "zones",
    "zone_details",
    "exposed",
    "error",
    *ADMIN_COLUMNS,
)
TEMPLATE_COLUMNS = ("id", "label", "type", "build_for", "last_built", "error")
_STR_STUDIO = ("project_key", "id", "name", "owner", "template_id", "template_label")


def _describe(err: BaseException) -> str:
    return str(err) if isinstance(err, DSSError) else f"{type(err).__name__}: {err}"


def _frame(rows: list[dict[str, Any]], columns: tuple[str, ...], str_cols: tuple[str, ...]) -> pd.DataFrame:
    data: dict[str, Any] = {}
    for col in columns:
        values = [r.get(col) for r in rows]
        if col in str_cols:
            data[col] = text_series(values)
        elif col in ("last_state_change", "last_built", "last_template_built", "unsynced_read_at"):
            data[col] = datetime_series(values)
        elif col == "running_for":
            data[col] = pd.to_timedelta(pd.Series(values, dtype=object)).astype("timedelta64[ns]")
        elif col == "image_outdated":
            data[col] = pd.Series(pd.array(values, dtype="boolean"))
        elif col == "unsynced_files":
            data[col] = pd.Series(pd.array(values, dtype="Int64"))
        elif col == "state":
            data[col] = pd.Series(pd.Categorical(values, categories=list(assumptions.STUDIO_STATES)), dtype="category")
        else:
            data[col] = pd.Series(values, dtype=object)
    return pd.DataFrame(data, columns=list(columns))


def _studio_row(pk: str, item: Any) -> dict[str, Any]:
    if not isinstance(item, dict):
        return {"project_key": pk, "state": "UNKNOWN", "error": f"malformed code studio entry: {_shape(item)}"}
    problem = _shape(item.get("id")) if not text_id(item) else id_problem(item["id"])
    error = None if problem is None else f"malformed code studio entry: id is {problem}"  # no handle can take it
    return {
        "project_key": pk,
        "id": item.get("id"),
        "name": item.get("name"),
        "owner": item.get("owner"),
        "template_id": item.get("templateId"),
        "template_label": assumptions.template_label_of(item),
        "state": "UNKNOWN",
        "last_state_change": None,
        "zones": [],
        "zone_details": [],
        "exposed": [],
        "error": error,
    }


def _shape(value: Any) -> str:
    return "null" if value is None else f"a JSON {type(value).__name__}"


def _apply_status(client: Client, row: dict[str, Any], status: Any) -> None:
    status = status if isinstance(status, dict) else {}
    state = status.get("state")
    row["state"] = state if state in assumptions.STUDIO_STATES else "UNKNOWN"
    row["last_state_change"] = status.get("lastStateChange")
    row["last_template_built"] = status.get("lastTemplateBuilt")
    zones, exposed = status.get("syncedZones"), status.get("exposed")
    details = [assumptions.normalise_zone(z) for z in zones] if isinstance(zones, list) else []
    row["zone_details"] = details
    row["zones"] = [assumptions.zone_text(z) or "(unnamed zone)" for z in details]
    exposed = exposed if isinstance(exposed, list) else []
    urls = (assumptions.absolute_exposed_url(client.base_url, e) for e in exposed)
    row["exposed"] = [u for u in urls if u]


def studios_frame(
    client: Client,
    project_keys: str | Iterable[str] | None = None,
    *,
    pool_size: int | None = None,
    with_status: bool = True,
    images: bool = True,
    unsynced: bool = False,
) -> pd.DataFrame:
    """Every code studio of ``project_keys`` (all projects when ``None``) as a DataFrame.

    Parameters
    ----------
    client : Client
        The client.
    project_keys : str or iterable of str, optional
        Projects to include; ``None`` lists every project first.
    pool_size : int, optional
        Concurrent requests (default ``client.pool_size``). Raise ``connect(pool_size=...)`` too if you
        go beyond it, or extra connections are opened and discarded.
    with_status : bool
        Fetch each studio's status (state, zones, exposed URLs); ``False`` makes one request per project.
    images : bool
        Read the templates' last builds (one request; with ``with_status`` only) for ``image_outdated``.
    unsynced : bool
        Read ``unsynced_files`` of the running studios: one conflicts check per two-way zone (opt-in: about
        six requests per running studio).
    """
    fetched_at = datetime.now(timezone.utc)
    if project_keys is None:
        keys = client.list_project_keys()
    elif isinstance(project_keys, str):
        keys = [check_id(project_keys, "project key")]
    else:
        keys = [check_id(k, "project key") for k in project_keys]
    return _build(client, keys, None, _workers(client, pool_size), with_status, fetched_at,
                  images=images and with_status, unsynced=unsynced and with_status)


def studio_rows(client: Client, studios: Iterable[tuple[str, str]], *, pool_size: int | None = None,
                known: pd.DataFrame | None = None) -> pd.DataFrame:
    """The :func:`studios_frame` rows of some studios, built by the same code: same columns and dtypes.

    Each studio's project is listed (one request per distinct project: name, owner and template may have
    changed) and each studio's status fetched, through the same pool. Rows come in the order of
    ``studios`` (duplicates dropped; ``image_outdated`` and ``unsynced_files`` are not read here: missing). A
    studio missing from its project's list (deleted) has no row; a
    studio whose project could not be listed gets a row with its ``project_key`` and ``id``, state
    ``UNKNOWN`` and the ``error``. ``df.attrs["errors"]`` and ``df.attrs["fetched_at"]`` as in
    :func:`studios_frame`.

    Parameters
    ----------
    studios : iterable of (project_key, studio_id)
        The studios (``ValueError`` for a malformed key or id; no request is made then).
    known : DataFrame, optional
        Rows already read (``studios_frame`` columns, e.g. a previous result): a project whose asked
        studios are all in it is not listed again -- their name, owner and template come from ``known``
        and only their statuses are fetched (one request per studio). A studio deleted meanwhile then
        gets a row with the status request's ``error`` instead of no row.
    """
    fetched_at = datetime.now(timezone.utc)
    wanted: dict[str, dict[str, int]] = {}
    order = 0
    for pair in studios:
        if isinstance(pair, str) or len(pair) != 2:
            raise ValueError(f"studios must be (project_key, studio_id) pairs, got {pair!r}")
        pk, sid = check_id(pair[0], "project key"), check_id(pair[1], "code studio id")
        ids = wanted.setdefault(pk, {})
        if sid not in ids:
            ids[sid], order = order, order + 1
    listed = _known_items(known, wanted) if known is not None else {}
    return _build(client, list(wanted), wanted, _workers(client, pool_size), True, fetched_at, listed)


def _known_items(known: pd.DataFrame, wanted: dict[str, dict[str, int]]) -> dict[str, list[dict[str, Any]]]:
    """``{project_key: [list item...]}`` for the projects whose wanted studios are all in ``known``: the
    list items (docs/dss-api.md §3.1) those rows were made from, so ``_build`` need not list them again."""
    by_pair = {(rec["project_key"], rec["id"]): rec for rec in _pick(known, wanted)}
    items: dict[str, list[dict[str, Any]]] = {}
    for pk, ids in wanted.items():
        recs = [by_pair.get((pk, sid)) for sid in ids]
        if all(r is not None for r in recs):
            items[pk] = [{"id": r["id"], "name": r["name"], "owner": r["owner"], "templateId": r["template_id"],
                          "desc": {"label": r["template_label"]}} for r in recs]
    return items


def _pick(known: pd.DataFrame, wanted: dict[str, dict[str, int]]) -> list[dict[str, Any]]:
    """The records of ``known`` for the wanted studios only (a large ``known`` is not converted whole)."""
    mask = pd.Series(
        [sid in wanted.get(pk, ()) for pk, sid in zip(known["project_key"], known["id"])], index=known.index
    )
    return known.loc[mask, ["project_key", "id", "name", "owner", "template_id", "template_label"]].to_dict("records")


def _workers(client: Client, pool_size: int | None) -> int:
    workers = client.pool_size if pool_size is None else pool_size
    if not isinstance(workers, int) or isinstance(workers, bool) or workers < 1:
        raise ValueError("pool_size must be a positive int")
    return workers


def _build(
    client: Client,
    keys: list[str],
    wanted: dict[str, dict[str, int]] | None,
    workers: int,
    with_status: bool,
    fetched_at: datetime,
    listed: dict[str, list[dict[str, Any]]] | None = None,
    *,
    images: bool = False,
    unsynced: bool = False,
) -> pd.DataFrame:
    """List ``keys`` (except those whose items are ``listed`` already) and fetch statuses through one pool;
    keep only ``wanted`` studios when given."""
    projects = [_project(client, k) for k in keys]
    rows: list[tuple[tuple[int, int], dict[str, Any]]] = []
    if projects:
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="cswidgets-frame") as pool:
            listed = listed or {}
            lists: dict[PoolFuture, int] = {
                pool.submit(_list_raw, p, listed.get(k)): i for i, (k, p) in enumerate(zip(keys, projects))
            }
            statuses: dict[PoolFuture, dict[str, Any]] = {}
            for fut in as_completed(lists):
                i = lists[fut]
                pk = keys[i]
                try:
                    items = fut.result()
                except Exception as err:
                    if wanted is None:
                        rows.append(((i, -1), _failed({"project_key": pk, "state": "UNKNOWN"}, err)))
                    else:  # we know which studios were asked for: one row each
                        rows += [
                            ((n, 0), _failed({"project_key": pk, "id": sid, "state": "UNKNOWN"}, err))
                            for sid, n in wanted[pk].items()
                        ]
                    continue
                taken: set[str] = set()
                for j, item in enumerate(items):
                    sid = text_id(item)
                    if wanted is not None:
                        if sid not in wanted[pk] or sid in taken:
                            continue
                        taken.add(sid)
                    row = _studio_row(pk, item)
                    rows.append(((i, j) if wanted is None else (wanted[pk][sid], 0), row))
                    if row["error"] is None and with_status:
                        try:
                            studio = projects[i].get_code_studio(sid)
                        except ValueError as err:  # a malformed id coming back from the server
                            row["error"] = _describe(err)
                            continue
                        statuses[pool.submit(_status_raw, studio)] = row
            for fut in as_completed(statuses):
                row = statuses[fut]
                try:
                    _apply_status(client, row, fut.result())
                except Exception as err:
                    _failed(row, err)
    rows.sort(key=lambda pair: pair[0])
    ordered = [r for _, r in rows]
    admin_attrs = fill_admin_columns(client, ordered, images=images, unsynced=unsynced, workers=workers)
    df = _frame(ordered, STUDIO_COLUMNS, _STR_STUDIO)
    df.attrs.update(admin_attrs)
    df.attrs["errors"] = [
        {"project_key": r.get("project_key"), "id": r.get("id"), "error": r["error"],
         **({"lost": True} if r.get("lost") else {}), **({"status": r["status"]} if r.get("status") else {})}
        for r in ordered if r.get("error")
    ]
    df.attrs["fetched_at"] = fetched_at
    return df


def _failed(row: dict[str, Any], err: BaseException) -> dict[str, Any]:
    """Record on ``row`` the error that hit it; ``lost``: no answer came (the connection failed), as opposed
    to an answer saying no (a 403, a 404...)."""
    row["error"] = _describe(err)
    if isinstance(err, DSSConnectionError):
        row["lost"] = True
    status = getattr(err, "status", None)
    if isinstance(status, int):  # the live table backs off on a 429 or 503 (cswidgets.api.load.Aimd)
        row["status"] = status
    return row


def _project(client: Client, key: str) -> Any:
    """A project handle, or the ``ValueError`` of a malformed key that came back from the server (listed as
    that project's error, not raised: one odd key never fails the whole frame)."""
    try:
        return client.get_project(key)
    except ValueError as err:
        return err


def _list_raw(project: Any, listed: list[dict[str, Any]] | None = None) -> Any:
    if listed is not None:
        return listed
    if isinstance(project, Exception):
        raise project
    return project.list_code_studios_raw()


def _status_raw(studio: Any) -> Any:
    return studio._transport.json("GET", studio._path + "/status", idempotent=True)


def templates_frame(client: Client, *, pool_size: int | None = None) -> pd.DataFrame:
    """Every code studio template as a DataFrame (columns :data:`TEMPLATE_COLUMNS`)."""
    fetched_at = datetime.now(timezone.utc)
    workers = _workers(client, pool_size)
    items = client.list_code_studio_templates()
    rows: list[dict[str, Any]] = [
        {
            "id": it.get_raw().get("id"),
            "label": it.label,
            "type": None,
            "build_for": [str(c) for c in it.build_for_configs] if isinstance(it.build_for_configs, list) else [],
            "last_built": it.get_raw().get("lastBuilt"),
            "error": None,
        }
        for it in items
    ]
    if items:
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="cswidgets-frame") as pool:
            futs = {}
            for it, row in zip(items, rows):
                tid = text_id(it.get_raw())
                if tid is None:
                    row["error"] = f"malformed template entry: id is {_shape(it.get_raw().get('id'))}"
                    continue
                try:
                    futs[pool.submit(client.get_code_studio_template(tid).get_settings)] = row
                except ValueError as err:
                    row["error"] = _describe(err)
            for fut in as_completed(futs):
                row = futs[fut]
                try:
                    raw = fut.result().get_raw()
                    kind = raw.get("type") if isinstance(raw, dict) else None
                    if not isinstance(raw, dict):
                        row["error"] = f"malformed template settings: {_shape(raw)}"
                    row["type"] = kind
                except Exception as err:
                    row["error"] = _describe(err)
    df = _frame(rows, TEMPLATE_COLUMNS, ("id", "label", "type"))
    df.attrs["errors"] = [{"id": r["id"], "error": r["error"]} for r in rows if r["error"]]
    df.attrs["fetched_at"] = fetched_at
    return df
