"""The entry point: :class:`Client` (returned by :func:`cswidgets.connect`).

Mirrors the code-studio part of ``dataikuapi.DSSClient`` (projects, templates, futures) and adds
DataFrames (:meth:`Client.studios_frame`, :meth:`Client.studio_rows`, :meth:`Client.templates_frame`), a shared
:class:`~cswidgets.api.FutureTracker` (:attr:`Client.tracker`) and :attr:`Client.is_simulator`.
The ``repr`` shows the URL and the kind of credentials only.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from . import assumptions
from .errors import DSSError, adopt_official_base
from .futures import Future
from .project import Project
from .shapes import answer_list, objects, required_id, text_id, with_ids
from .syncboard import SyncBoard
from .tasklist import TaskList
from .templates import CodeStudioTemplate, CodeStudioTemplateListItem
from .tracker import FutureTracker
from .validate import check_id, check_text

if TYPE_CHECKING:
    import pandas as pd

    from .transport import Transport

__all__ = ["Client"]

log = logging.getLogger(__name__)


class Client:
    """A connection to one DSS instance.

    Parameters
    ----------
    transport : Transport
        The HTTP transport (build one with :func:`cswidgets.connect`).
    source : str, optional
        Where the settings came from (shown in the ``repr``).
    """

    def __init__(self, transport: Transport, *, source: str | None = None) -> None:
        adopt_official_base()  # a Client made without connect(): our errors still subclass DataikuException
        self._transport = transport
        self.source = source
        self._tracker: FutureTracker | None = None
        self._lock = threading.Lock()
        #: The connection's one reader of DSS's running tasks, shared by the tracker and the live tables.
        self.tasks = TaskList(self.list_futures)
        self._closed = False
        self._is_simulator: bool | None = None
        self._login_lock = threading.Lock()
        self._login: str | None = None
        self._login_known = False

    @classmethod
    def from_dataikuapi(cls, dss_client: Any, **kwargs: Any) -> Client:
        """Wrap an existing ``dataikuapi.DSSClient`` (same as ``connect(client=dss_client, ...)``)."""
        from .config import connect

        return connect(client=dss_client, **kwargs)

    # --- properties --------------------------------------------------------------------------------
    @property
    def base_url(self) -> str:
        """The DSS base URL (without ``/public/api``); exposed URLs are relative to it."""
        return self._transport.base_url

    @property
    def auth_kind(self) -> str:
        """``"api_key"``, ``"ticket"`` or ``"bearer"``."""
        return self._transport.auth.kind

    @property
    def pool_size(self) -> int:
        """Connection pool size (default concurrency of the DataFrame builders)."""
        return self._transport.pool_size

    @property
    def dss_version(self) -> str | None:
        """The ``DSS-Version`` header of the last answer."""
        return self._transport.dss_version

    @property
    def is_simulator(self) -> bool:
        """Whether the server is the cswidgets simulator (computed once, then cached).

        Decided by :func:`cswidgets.api.assumptions.is_simulator_headers` on the headers of the last API answer
        or, before any, of one GET of ``/__sim__/health`` (works with any key: the simulator marks its error
        answers too), bounded by its deadline (at most
        :data:`~cswidgets.api.transport.PROBE_DEADLINE_S`, from the first byte) and the answer-size cap.
        ``False`` when the server cannot be reached in time. Panels read :attr:`simulator_hint` instead (no
        request): a constructor never waits on this probe.
        """
        if self._is_simulator is None:
            headers = self._transport.last_headers
            if not headers:
                status, _body, headers = self._transport.probe(assumptions.SIMULATOR_PROBE_PATH)
                if status is None:
                    return False  # unreachable: decide on a later call
            self._is_simulator = assumptions.is_simulator_headers(headers)
        return self._is_simulator

    @property
    def simulator_hint(self) -> bool | None:
        """:attr:`is_simulator` when it can be told without a request (cached, or from the headers of the last
        answer), else ``None``: what a panel's constructor reads, which must never block on the network."""
        if self._is_simulator is None and self._transport.last_headers:
            self._is_simulator = assumptions.is_simulator_headers(self._transport.last_headers)
        return self._is_simulator

    # --- who ----------------------------------------------------------------------------------------
    def get_auth_info(self, with_secrets: bool = False) -> dict[str, Any]:
        """Who the credentials act as (``GET /auth/info``; same as ``DSSClient.get_auth_info``).

        A dict with at least ``authIdentifier`` (the login for a user's key or ticket, the key's id for a
        global API key) and, for a user, ``groups``; ``secrets`` with ``with_secrets=True``. Retried on
        transient errors (a read).
        """
        info = self._transport.json("GET", "/auth/info", params={"withSecrets": bool(with_secrets)}, idempotent=True)
        if not isinstance(info, dict):
            raise DSSError("GET /auth/info answered no data")
        return info

    @property
    def login(self) -> str | None:
        """The login the credentials act as (``authIdentifier`` of :meth:`get_auth_info`), or ``None`` when
        it cannot be told (the request failed, or the answer has none).

        Fetched once on first use (one request, never with secrets) and cached; a refusal (a 4xx answer,
        for example a key not allowed to read it) is cached as ``None`` too, while a network failure or a
        server error (5xx) is not (the next use asks again). Panels use it as the default "who" of their
        activity log.
        """
        with self._login_lock:
            if self._login_known:
                return self._login
            try:
                info = self.get_auth_info()
            except DSSError as exc:
                if exc.status is None or exc.status >= 500:  # transient: ask again next time
                    log.debug("login unknown for now (%s)", exc)
                    return None
                log.debug("login unknown: %s", exc)
                info = {}
            ident = info.get("authIdentifier")
            self._login = ident if isinstance(ident, str) and ident else None
            self._login_known = True
            return self._login

    @property
    def tracker(self) -> FutureTracker:
        """The client's shared :class:`FutureTracker` (one background thread, started on demand)."""
        with self._lock:
            if self._tracker is None:
                self._tracker = FutureTracker()
            return self._tracker

    @property
    def sync_board(self) -> SyncBoard:
        """The connection's :class:`~cswidgets.api.syncboard.SyncBoard`: which zone a panel is syncing
        (one sync per zone at a time across every viewer of this connection) and who to tell when a panel
        changed a studio's state."""
        return self._transport.syncs

    # --- projects ------------------------------------------------------------------------------------
    def get_project(self, project_key: str) -> Project:
        """A handle on a project (``ValueError`` for a malformed key; no request is made)."""
        return Project(self, project_key)

    def get_default_project(self) -> Project:
        """The project the code runs in: a DSS notebook's, recipe's or scenario's (same as
        ``DSSClient.get_default_project``; the key comes from :func:`cswidgets.api.interop.default_project_key`:
        ``dataiku.default_project_key()`` inside DSS, else ``DKU_CURRENT_PROJECT_KEY``). No request is made.

        Raises
        ------
        DSSConfigError
            No project is known here (outside a DSS project): use :meth:`get_project`.
        """
        from .interop import default_project_key

        return Project(self, default_project_key())

    def list_projects(self, include_location: bool = False) -> list[dict[str, Any]]:
        """The projects, each a dict with at least ``projectKey`` (with ``include_location=True``, their
        project folder too: slower on DSS, as in the official client)."""
        params = {"includeLocation": True} if include_location else None
        answer = self._transport.json("GET", "/projects/", params=params, idempotent=True)
        items = answer_list(answer, "GET /projects/")
        return objects(items, "GET /projects/")

    def list_project_keys(self) -> list[str]:
        """The project keys (entries without a string ``projectKey`` are ignored)."""
        return [key for key in (text_id(p, "projectKey") for p in self.list_projects()) if key]

    # --- templates -----------------------------------------------------------------------------------
    def list_code_studio_templates(self, as_type: str = "listitems") -> list[Any]:
        """Code studio templates: :class:`CodeStudioTemplateListItem` or, with ``"objects"``, handles (an item
        whose id cannot make a handle -- missing, not a string, not a well-formed id -- is left out and logged)."""
        if as_type not in ("listitems", "listitem", "objects", "object"):
            raise ValueError("Unknown as_type")
        what = "GET /admin/code-studios/"
        items = objects(answer_list(self._transport.json("GET", "/admin/code-studios/", idempotent=True), what), what)
        if as_type in ("listitems", "listitem"):
            return [CodeStudioTemplateListItem(self, item) for item in items]
        usable = with_ids(items, "id", what)
        return [CodeStudioTemplateListItem(self, item).to_code_studio_template() for _, item in usable]

    def get_code_studio_template(self, template_id: str) -> CodeStudioTemplate:
        """A handle on a template (no request is made)."""
        return CodeStudioTemplate(self, template_id)

    def create_code_studio_template(self, template_label: str, template_type: str) -> CodeStudioTemplate:
        """Create a template (``"block_based"``, ``"manual"`` or a plugin type); never retried.

        Raises
        ------
        DSSError
            The server answered no data, no usable ``id``, or reported an error in its messages.
        """
        check_text(template_label, "template label")
        check_text(template_type, "template type")
        resp = self._transport.json(
            "POST", "/admin/code-studios/", body={"label": template_label, "type": template_type}
        )
        if not isinstance(resp, dict):
            raise DSSError("Code studio template creation returned no data")
        messages = resp.get("messages")
        if isinstance(messages, dict) and messages.get("error"):
            texts = "; ".join(str(m.get("message") or m.get("title") or m) for m in messages.get("messages", []))
            raise DSSError(f"Code studio template creation failed: {texts}", body=resp)
        return CodeStudioTemplate(self, required_id(resp, "id", f"the creation of template {template_label!r}"))

    def import_code_studio_template(
        self, archive_path: Any, label: str | None = None, import_spec: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        """Import a template from an archive made by :meth:`CodeStudioTemplate.export_to_file` (never
        retried). ``label`` replaces the exported label; ``import_spec`` is passed to DSS as is.

        Returns DSS's answer: a dict with the new template's ``id`` and ``messages``.
        """
        with open(archive_path, "rb") as fp:
            return self.import_code_studio_template_data(fp, label=label, import_spec=import_spec)

    def import_code_studio_template_data(
        self, data: Any, label: str | None = None, import_spec: dict[str, Any] | None = None,
        filename: str = "template.zip",
    ) -> dict[str, Any]:
        """Like :meth:`import_code_studio_template`, from bytes or an open binary file (an upload)."""
        if label is not None:
            check_text(label, "template label")
        if import_spec is not None and not isinstance(import_spec, dict):
            raise TypeError(f"import_spec must be a dict, not {type(import_spec).__name__}")
        params: dict[str, Any] = {}
        if label is not None:
            params["label"] = label
        if import_spec:
            params["importSpec"] = json.dumps(import_spec)
        resp = self._transport.json("POST", "/admin/code-studios/import", params=params,
                                    files={assumptions.IMPORT_FILE_FIELD: (filename, data)}, long_write=True)
        if not isinstance(resp, dict):
            raise DSSError("Code studio template import returned no data")
        return resp

    # --- futures ---------------------------------------------------------------------------------------
    def get_future(self, job_id: str) -> Future:
        """A handle on a running task (``ValueError`` for a malformed id)."""
        return Future(self, check_id(job_id, "future id"))

    def list_futures(self, as_objects: bool = False, all_users: bool = False) -> list[Any]:
        """The running long tasks (not scenarios): dicts with ``jobId``, or :class:`Future` objects (a task
        without a usable ``jobId`` -- missing, not a string, not a well-formed id -- has none: left out, logged)."""
        answer = self._transport.json(
            "GET",
            "/futures/",
            params={"withScenarios": False, "withNotScenarios": True, "allUsers": all_users},
            idempotent=True,
        )
        what = "GET /futures/"
        items = objects(answer_list(answer, what), what)
        if as_objects:
            return [Future(self, job_id, s) for job_id, s in with_ids(items, "jobId", what)]
        return items

    def wait_all(
        self, futures: Any, timeout: float | None = None, progress: bool | str = False
    ) -> dict[Any, Any]:
        """Wait for many tasks with one progress bar: ``{key: Outcome}`` (:func:`cswidgets.api.waiting.wait_all`)."""
        from .waiting import wait_all

        return wait_all(futures, timeout=timeout, progress=progress)

    # --- DataFrames ----------------------------------------------------------------------------------
    def studios_frame(
        self,
        project_keys: str | Iterable[str] | None = None,
        *,
        pool_size: int | None = None,
        with_status: bool = True,
        images: bool = True,
        unsynced: bool = False,
    ) -> pd.DataFrame:
        """Every code studio of the given projects (all projects when ``None``), with its status, running time
        and whether its image is outdated; ``unsynced=True`` adds the files DSS does not have yet (one request per
        zone of each running studio). How it is fetched: :mod:`cswidgets.api.frames`.

        Returns
        -------
        pandas.DataFrame
            One row per studio (and one per project that could not be listed, with its ``error``); the
            columns, in this order (:data:`cswidgets.api.frames.STUDIO_COLUMNS`):

            - ``project_key``, ``id``, ``name``, ``owner``, ``template_id``: text (``id``, ``name``, ``owner``
              are ``None`` on a row that reports a failed project listing);
            - ``template_label``: text (the template id when the template has no label);
            - ``state``: a Categorical of ``STOPPED, STARTING, RUNNING, STOPPING, UNKNOWN`` (UNKNOWN when the
              status could not be read, was not requested, or is none of the four);
            - ``last_state_change``: ``datetime64[ns, UTC]``, to the millisecond DSS sent (``NaT`` when never
              started or unknown);
            - ``zones``: the synced zones' readable names, as the file-sync viewer shows them ("Project
              libraries", "Code Studio versioned files"...; the type, path or id of a zone whose type is
              unknown); empty unless running;
            - ``zone_details``: the same zones as ``{"id", "zone", "pathInContainer", "oneWay"}`` dicts (the
              ``id`` is what ``check_conflicts``, ``pull_from_code_studio`` and ``push_to_code_studio`` take);
            - ``exposed``: absolute URLs (the client's base URL + the status' relative ``url``);
            - ``error``: ``None``, or the text of the error that hit this project or studio;
            - ``last_template_built``, ``running_for``, ``image_outdated``, ``unsynced_files``,
              ``unsynced_read_at``: the administrator's columns (:mod:`cswidgets.api.governance`): the
              image's build time, the running time (server clock), whether the image is older than the
              template's last build (one templates read, ``images=True``), the files DSS does not have yet
              and when they were read (``unsynced=True``: one conflicts check per zone of each running studio).

            ``df.attrs["errors"]`` lists what could not be read (``[{project_key, id, error}]``, with ``status``
            when DSS answered) and ``df.attrs["fetched_at"]`` when the fetch started (UTC).

        Examples
        --------
        >>> df = client.studios_frame()                         # every project
        >>> df[df.state == "RUNNING"][["project_key", "name", "owner", "running_for", "zones"]]
        >>> df.zones.explode().value_counts()                   # the zones' labels ("Project libraries"...)
        """
        from .frames import studios_frame

        return studios_frame(self, project_keys, pool_size=pool_size, with_status=with_status, images=images,
                             unsynced=unsynced)

    def studio_rows(self, studios: Iterable[tuple[str, str]], *, pool_size: int | None = None,
                    known: pd.DataFrame | None = None) -> pd.DataFrame:
        """The :meth:`studios_frame` rows of the given ``(project_key, studio_id)`` pairs: same columns and
        dtypes, same code; a deleted studio has no row. With ``known`` (rows read before), projects whose
        studios are all known are not listed again: one status request per studio.

        See :func:`cswidgets.api.frames.studio_rows`.
        """
        from .frames import studio_rows

        return studio_rows(self, studios, pool_size=pool_size, known=known)

    def stop_idle(self, running_longer_than: Any = "8h", *, dry_run: bool = True, **options: Any) -> pd.DataFrame:
        """The idle policy: one row per running studio with its decision (stop, keep, skip) and the reason;
        stops the chosen ones only with ``dry_run=False``, never one with conflicts, each stop sent once.

        See :func:`cswidgets.api.policy.stop_idle` for the options (exclusions, ``unchanged_since``,
        ``activity``, ``wait``) and the safety rules.
        """
        from .policy import stop_idle

        return stop_idle(self, running_longer_than, dry_run=dry_run, **options)

    def code_studio_webapps(self, project_keys: str | Iterable[str] | None = None, *,
                            pool_size: int | None = None) -> pd.DataFrame:
        """Every webapp published from a code studio (all projects when ``None``): its studio and whether its
        backend runs. See :func:`cswidgets.api.webapps.code_studio_webapps` (what marks them is INFERRED)."""
        from .webapps import code_studio_webapps

        return code_studio_webapps(self, project_keys, pool_size=pool_size)

    def templates_frame(self, *, pool_size: int | None = None) -> pd.DataFrame:
        """Every code studio template with its type and build information."""
        from .frames import templates_frame

        return templates_frame(self, pool_size=pool_size)

    # --- beside the official client ----------------------------------------------------------------------
    def perform_json(
        self,
        method: str,
        path: str | Sequence[str],
        params: Mapping[str, Any] | None = None,
        body: Any = None,
        *,
        idempotent: bool | None = None,
        long_write: bool | None = None,
    ) -> Any:
        """Call any endpoint of the DSS public API (one cswidgets does not wrap) and return its decoded JSON
        answer (``None`` for an empty body): the public form of the official client's ``_perform_json``, with
        the same arguments and paths (``client.perform_json("GET", "/projects/KEY/variables/")``).

        It goes through the client's one transport, like every other call: the same timeouts and overall
        deadline, credentials never sent to another host, secrets scrubbed from every error, one
        :class:`DSSError` for an error answer.

        Parameters
        ----------
        method : str
            ``GET``, ``HEAD``, ``POST``, ``PUT``, ``PATCH`` or ``DELETE``.
        path : str or sequence of str
            Below the API base, as the official client writes it (``"/projects/"``); or raw segments
            (``["projects", key, "code-studios", ""]``), each validated and percent-quoted (a final ``""``
            keeps a trailing ``/``). A query goes in ``params``.
        params : mapping, optional
            Query parameters.
        body : object, optional
            A JSON-serialisable body.
        idempotent : bool, optional
            Whether the call may be retried. Default: only reads -- a GET or HEAD, except those with side
            effects DSS is known for (pull, push, a future's result without ``peek=true``;
            :func:`cswidgets.api.assumptions.raw_call_policy`). A write is never retried; pass ``False`` for
            another GET with side effects.
        long_write : bool, optional
            Whether the call gets the long deadline of actions (``write_timeout``). Default: stop, restart,
            pull, push, template build and import do, as through their handles.

        Raises
        ------
        ValueError
            A bad method or path (nothing is sent).
        DSSError
            An error answer, or a body that is not JSON.
        DSSOutcomeUnknownError
            A write was sent and its answer lost: it may have been applied (never resent).
        """
        from .interop import perform_json

        return perform_json(self, method, path, params, body, idempotent=idempotent, long_write=long_write)

    def _perform_json(self, method: str, path: str, params: Mapping[str, Any] | None = None, body: Any = None,
                      files: Any = None, raw_body: Any = None, headers: Any = None) -> Any:
        """The official client's private name for :meth:`perform_json`, for code written against it (its
        ``files``, ``raw_body`` and ``headers`` are not supported: ``TypeError``)."""
        unsupported = [name for name, v in (("files", files), ("raw_body", raw_body), ("headers", headers)) if v]
        if unsupported:
            raise TypeError(f"perform_json does not send {', '.join(unsupported)}: use to_dataikuapi() for that call")
        return self.perform_json(method, path, params=params, body=body)

    def to_dataikuapi(self) -> Any:
        """A ``dataikuapi.DSSClient`` with the same URL, credentials, TLS settings, proxies and extra headers
        (for an endpoint only the official client wraps). ``ImportError`` when it is not installed."""
        from .interop import to_dataikuapi

        return to_dataikuapi(self)

    def load(self, window_s: float | None = None) -> dict[str, Any]:
        """What this connection costs DSS: the requests per second it actually sent over the last
        ``window_s`` seconds (default and most: 60), by kind (method and route, ids left out), e.g.
        ``{"window_s": 60.0, "per_s": 1.05, "by_kind": {"GET /futures/": 1.0, "GET /futures/{id}": 0.05},
        "total": 212, "total_by_kind": {...}, "tracker": {...}}``. Retries made inside one call are not
        counted apart. ``tracker`` is :meth:`FutureTracker.live_info` of the shared tracker (when started)."""
        summary = self._transport.load.summary(window_s)
        tracker = self._tracker
        if tracker is not None:
            summary["tracker"] = tracker.live_info()
        return summary

    # --- lifecycle -------------------------------------------------------------------------------------
    @property
    def closed(self) -> bool:
        """Whether :meth:`close` was called (a live panel on this client stops reading)."""
        return self._closed

    def close(self) -> None:
        """Stop the tracker and close pooled connections."""
        with self._lock:
            self._closed = True
            tracker, self._tracker = self._tracker, None
        if tracker is not None:
            tracker.close()
        self._transport.close()

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Client(url={self.base_url!r}, auth={self.auth_kind!r})"
