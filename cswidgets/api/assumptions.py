"""Every variant of the real DSS API that we are not sure about, in one place.

``docs/dss-api.md`` tags each fact SEEN, SEEN-3P, INFERRED or UNKNOWN. Whatever the client has to
*tolerate* because a fact is INFERRED or UNKNOWN lives here, with the tag, so it can be corrected in one
place once a real DSS is observed. Nothing else in ``cswidgets.api`` should hard-code such a guess.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import urljoin, urlsplit, urlunsplit

from .validate import file_parts

# --- Base path ------------------------------------------------------------------------------------------
# SEEN: the documented base path is /public/api (DOCS rest.rst, VS Code extension, Julia client); the official
# Python client uses /dip/publicapi. INFERRED (docs/dss-api.md §1): both routes serve the same API. We use the
# documented one.
API_BASE_PATH = "/public/api"

# --- Simulator detection -----------------------------------------------------------------------------------
# Not a DSS fact: the one place that decides whether the server is the cswidgets simulator. The simulator marks
# every answer (API and control routes, success or error, whatever the key) with "X-Cswidgets-Simulator: 1" and
# keeps a realistic DSS-Version; a real DSS never sends that header. Client.is_simulator reads it from the last
# API answer or, before any, from one GET of SIMULATOR_PROBE_PATH (any status: a non-admin or wrong key gets a
# 401/403 that still carries the header; a real DSS answers 404 without it).
VERSION_HEADER = "DSS-Version"
SIMULATOR_HEADER = "X-Cswidgets-Simulator"
SIMULATOR_PROBE_PATH = "/__sim__/health"


def is_simulator_headers(headers: Mapping[str, str] | None) -> bool:
    """Whether response headers come from the cswidgets simulator (``X-Cswidgets-Simulator: 1``)."""
    return bool(headers) and str(headers.get(SIMULATOR_HEADER) or "").strip() == "1"


def simulator_hint(client: Any) -> bool:
    """Whether ``client`` is known to be on the simulator, never making a request (what panels read, so a
    constructor never waits on the probe): ``Client.simulator_hint``, or a stand-in client's ``is_simulator``."""
    if hasattr(type(client), "simulator_hint"):
        return bool(client.simulator_hint)
    return bool(getattr(client, "is_simulator", False))


# --- In-DSS environment ---------------------------------------------------------------------------------
# SEEN-3P (docs/dss-api.md §5.3): DKU_BACKEND_PROTOCOL is "https" when encrypted RPC is on; default http (SEEN in
# the DSS 9 intercom code, which only knows http). SEEN: DKU_BACKEND_HOST defaults to 127.0.0.1.
DEFAULT_BACKEND_PROTOCOL = "http"
DEFAULT_BACKEND_HOST = "127.0.0.1"
# SEEN (DSS9 intercom): DKU_NO_CHECK_CERTIFICATE is "truthy and not 'false'".
FALSY_FLAG_VALUES = ("", "0", "false", "no", "off")


# --- Error bodies ---------------------------------------------------------------------------------------
# SEEN: errorType, message, detailedMessage. INFERRED: a body may lack all of them, be a non-object JSON
# value (list, string) or not be JSON at all (proxy pages); we still build a readable message.
UNKNOWN_ERROR_TYPE = "Unknown error"


def parse_error_body(payload: Any, text: str, reason: str | None) -> dict[str, Any]:
    """Normalise an error answer to a dict with at least ``message``.

    Parameters
    ----------
    payload : object
        The decoded JSON (``None`` when the body was not JSON).
    text : str
        The raw body text.
    reason : str or None
        The HTTP reason phrase, used when the body is empty.
    """
    if isinstance(payload, dict):
        body = dict(payload)
    elif payload is not None:
        body = {"message": str(payload)}
    else:
        stripped = " ".join(text.split())
        if len(stripped) > 500:
            stripped = stripped[:500] + "…"
        body = {"message": stripped or (reason or "No message")}
    if not body.get("message"):
        body["message"] = body.get("detailedMessage") or body.get("title") or reason or "No message"
    return body


# --- Answers that are not DSS's -------------------------------------------------------------------------------
# INFERRED: an SSO gateway or a proxy in front of DSS answers an HTML page (often with 200) where DSS answers
# JSON; told apart by a text/html Content-Type or a body that starts like a page.
_HTML_STARTS = ("<!doctype html", "<html", "<head", "<body", "<?xml", "<meta", "<title", "<form", "<script")


def is_html_answer(content_type: str | None, text: str) -> bool:
    """Whether a non-JSON answer is an HTML page (a login page, a proxy's page): it starts with a tag, and
    the Content-Type says HTML or the tag is one a page starts with (the type alone proves nothing: DSS
    sends JSON with odd types)."""
    start = text.lstrip().lower()
    if not start.startswith("<"):
        return False
    return "html" in (content_type or "").lower() or start.startswith(_HTML_STARTS)


# --- Per-project permissions ------------------------------------------------------------------------------------
# SEEN-3P (docs/dss-api.md §6, §7 item 6): a project that does not exist or that the key cannot read answers
# 401 UnauthorizedException "Failed to read project permissions", never 404 -- not a bad key. A bad key answers
# 401 NotAuthenticatedException "Unknown API Key" (SEEN-3P), whatever the path. So a 401 or 403 on a path
# below /projects/<key>/ that is not a NotAuthenticatedException means "no access to that project".
BAD_CREDENTIALS_ERROR_TYPES = ("NotAuthenticatedException",)


def denied_project(status: int | None, path: str | None, error_type: str | None, message: str | None) -> str | None:
    """The project key a 401/403 answer refuses access to, or ``None`` (a bad key, or not about a project)."""
    from urllib.parse import unquote

    if status not in (401, 403) or not path:
        return None
    if any(t in (error_type or "") for t in BAD_CREDENTIALS_ERROR_TYPES):
        return None
    if "unknown api key" in (message or "").lower():
        return None
    parts = path.split("?", 1)[0].strip("/").split("/")
    if len(parts) >= 2 and parts[0] == "projects" and parts[1]:
        return unquote(parts[1])
    return None


# --- Futures --------------------------------------------------------------------------------------------
# SEEN: hasResult is the source of truth; result may be missing (nulls dropped). SEEN (DSS9 UI): "unknown"
# marks a future the server does not know; INFERRED that the public API answers GET /futures/<unknown> with
# {"unknown": true} *or* with a 404 -- both end a wait as a failure.
# INFERRED (docs/dss-api.md §3.8 (a)): a failed task answers the non-peek GET with an HTTP error whose body also
# carries future fields (aborted, hasResult, logTail). UNKNOWN whether failures may instead come as
# hasResult:true with {"success": false, ...} in the result: we return such results unchanged (parity).
UNKNOWN_FUTURE_STATUSES = (404,)
FUTURE_BODY_KEYS = ("aborted", "hasResult", "alive", "logTail", "jobId", "unknown")


def is_future_failure(status: int | None, body: Mapping[str, Any] | None, peek: bool) -> bool:
    """Whether an HTTP error from ``GET /futures/{id}`` reports the *task's* failure by itself.

    INFERRED (docs/dss-api.md §3.8 (a)): a failed task's error body also carries future fields. A 404 means an
    unknown future. A 5xx *without* future fields proves nothing: a proxy or a busy backend answers the same.
    On a peek it is transient (retried, polled again); on the consuming ``peek=False`` fetch it must first be
    confirmed by a peek (:func:`needs_peek_confirmation`, :func:`peek_verdict`).
    """
    body = body or {}
    if any(k in body for k in FUTURE_BODY_KEYS):
        return True
    return status in UNKNOWN_FUTURE_STATUSES


# SAFEST CHOICE (no DSS fact decides it): a bare 5xx (no future fields) on the consuming peek=False fetch is
# NOT taken as the task's failure -- a transient proxy/backend 5xx must not mark a successful build as failed.
# The client peeks once: the failure is recorded only if the peek says the task ended without a result
# (alive:false and no result, or aborted), using the 5xx's message; if the peek says hasResult (the result is
# still there: it was not consumed) or alive, nothing is recorded and the 5xx is raised as a plain DSSError, so
# the next poll fetches again (wait_for_result tolerates MAX_RESULT_FETCH_ERRORS such errors in a row, the
# tracker its max_errors). If the peek says the future is unknown (404 / unknown:true) the 5xx may have hit
# after DSS consumed the result: the outcome is recorded as a failure whose message says it is unknown. A
# peek that fails too (transient) records nothing.
MAX_RESULT_FETCH_ERRORS = 3


def needs_peek_confirmation(status: int | None, body: Mapping[str, Any] | None, peek: bool) -> bool:
    """Whether an error on the consuming fetch must be confirmed by a peek before it counts as a failure."""
    return not peek and status is not None and status >= 500 and not is_future_failure(status, body, peek)


def peek_verdict(status: int | None, state: Mapping[str, Any] | None) -> str | None:
    """What a confirming peek says after a bare 5xx on the consuming fetch.

    ``status`` is the peek's HTTP status (200 when it answered a state, ``None`` when it could not be made)
    and ``state`` its body. Returns ``"failed"`` (the task ended without a result), ``"unknown"`` (the server
    does not know the future any more) or ``None`` (not confirmed: it succeeded, still runs, or the peek
    failed too -- fetch again later).
    """
    state = state or {}
    if status in UNKNOWN_FUTURE_STATUSES or future_is_unknown(state):
        return "unknown"
    if status is None or (status >= 400 and not any(k in state for k in FUTURE_BODY_KEYS)):
        return None
    if has_result(state):
        return None
    if state.get("aborted") or future_is_dead(state):
        return "failed"
    return None


def has_result(state: Any) -> bool:
    """Whether a future state says the task ended with a result: ``hasResult`` is the JSON ``true``
    (a string ``"false"``, ``1`` or anything else does not count)."""
    return isinstance(state, Mapping) and state.get("hasResult") is True


def future_is_unknown(state: Mapping[str, Any]) -> bool:
    """Whether a future state says the server does not know the job (DSS9 UI ``unknown`` flag)."""
    return state.get("unknown") is True


def future_is_dead(state: Mapping[str, Any]) -> bool:
    """Whether a state describes a task that ended without a result.

    ``alive`` is SEEN in the DSS9 UI; a state *without* ``alive`` is treated as still running (INFERRED:
    older answers may omit it), so only an explicit ``alive: false`` counts.
    """
    return state.get("alive") is False and not has_result(state)


def future_elapsed_ms(state: Mapping[str, Any]) -> float | None:
    """Elapsed ms of a task: ``runningTime`` (SEEN DSS9 modal), else the first state's ``msSinceStart``."""
    running = state.get("runningTime")
    if _finite(running) and running >= 0:
        return float(running)
    progress = state.get("progress") or {}
    states = progress.get("states") if isinstance(progress, Mapping) else None
    if isinstance(states, list) and states and isinstance(states[0], Mapping):
        ms = states[0].get("msSinceStart")
        if _finite(ms) and ms >= 0:
            return float(ms)
    return None


def _finite(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


# --- Running tasks as future states: GET /futures/ (docs/dss-api.md §10 "Futures in one read") -------------------
# SEEN (CLI:99-125): GET /futures/ lists the running tasks and the official client builds
# DSSFuture(client, item["jobId"], item) from each item. INFERRED from that: an item is the task's state in peek
# form (alive, hasResult, progress, ... and no result). The simulator lists only *alive* futures, in peek form
# (cswidgets/sim/assumptions.py LISTS_ALIVE_FUTURES_ONLY). What the FutureTracker assumes, and tolerates:
# - an item carries the state it needs when it has ``alive`` or ``hasResult`` as a JSON boolean; an item without
#   them (a bare ``{jobId}``) only says the task is listed: its progress comes from per-future peeks;
# - a task listed as ended (hasResult true, alive false, unknown true), or listed once and then missing, has
#   ended *or* the list omits it now: one consuming read (peek=False) decides; if the task still runs, it is
#   followed by per-future peeks from then on (a list that omits tasks costs freshness, never correctness);
# - allUsers=true needs an admin (SEEN CLI:99 docstring): on 401/403 the list is read without it (one's own
#   tasks); a task the list never shows (another user's, for a non-admin) is followed by per-future peeks;
# - a list that answers 400/401/403/404/405 (an older DSS, a proxy rule) is not there: peeks only, and the
#   list is tried again after LIST_RETRY_S.
LIST_FORBIDDEN_STATUSES = (401, 403)
LIST_MISSING_STATUSES = (400, 401, 403, 404, 405)
LIST_RETRY_S = 60.0


def list_item_has_state(item: Any) -> bool:
    """Whether an item of ``GET /futures/`` carries a future state (``alive`` or ``hasResult`` a JSON boolean)."""
    return isinstance(item, Mapping) and any(isinstance(item.get(k), bool) for k in ("alive", "hasResult"))


def list_item_ended(item: Mapping[str, Any]) -> bool:
    """Whether a listed future state says the task ended (with a result, without one, or unknown)."""
    return has_result(item) or future_is_dead(item) or future_is_unknown(item)


# INFERRED (the simulator's futures, modelled on DSS's long tasks): a running template build lists in GET /futures/
# with payload {action: "build-code-studio-template", templateId}. Used only to find a build whose start answer was
# lost (a panel re-reads, it never resends).
def builds_template(state: Any, template_id: str) -> bool:
    """Whether the future ``state`` (an item of ``GET /futures/``) is a build of ``template_id``."""
    payload = state.get("payload") if isinstance(state, Mapping) else None
    return (isinstance(payload, Mapping) and payload.get("templateId") == template_id
            and "build" in str(payload.get("action") or ""))


# INFERRED (docs/dss-api.md §10 "Running tasks"): a code studio's start, stop or restart lists in GET /futures/ while
# it runs, with payload.targets[] = {objectType: "CODE_STUDIO", projectKey, id} (the shape the simulator plays,
# cswidgets/sim/assumptions.py studio_task_payload). Also accepted: a flat payload {projectKey, codeStudioId | studioId}
# and objectType "KUBIKLE" (the studios' internal name). Only a hint: the live table re-reads what it names, so a
# DSS that lists something else costs freshness, never correctness.
_STUDIO_OBJECT_TYPES = ("CODE_STUDIO", "KUBIKLE")


def studios_of_task(state: Any) -> list[tuple[str, str]]:
    """The ``(project_key, studio_id)`` pairs a running task (an item of ``GET /futures/``) acts on."""
    payload = state.get("payload") if isinstance(state, Mapping) else None
    if not isinstance(payload, Mapping):
        return []
    found: list[tuple[str, str]] = []
    targets = payload.get("targets")
    for target in targets if isinstance(targets, list) else []:
        if (isinstance(target, Mapping) and str(target.get("objectType") or "").upper() in _STUDIO_OBJECT_TYPES
                and isinstance(target.get("projectKey"), str) and isinstance(target.get("id"), str)):
            found.append((target["projectKey"], target["id"]))
    flat = payload.get("codeStudioId", payload.get("studioId"))
    if isinstance(payload.get("projectKey"), str) and isinstance(flat, str):
        found.append((payload["projectKey"], flat))
    return list(dict.fromkeys(found))


def task_action(state: Any) -> str:
    """``"start"``, ``"stop"`` or ``"restart"`` for a studio task (from ``payload.action`` or the display
    name), ``""`` when neither says."""
    payload = state.get("payload") if isinstance(state, Mapping) else None
    words = " ".join(str(x) for x in ((payload or {}).get("action") if isinstance(payload, Mapping) else "",
                                       state.get("jobDisplayName") if isinstance(state, Mapping) else "") if x).lower()
    for verb in ("restart", "stop", "start"):
        if verb in words:
            return verb
    return ""


# --- Code studio list items -------------------------------------------------------------------------------
# SEEN CS:75 (docs/dss-api.md §3.1): label = desc.label, falling back to the *code studio* id (a client bug).
# "desc" beyond label and shortDesc is UNKNOWN; we also accept a flat "templateLabel" (INFERRED) and fall back to
# the template id.
def template_label_of(item: Mapping[str, Any]) -> str:
    """Label of the template a code studio list item was created from (falls back to the template id)."""
    desc = item.get("desc")
    if isinstance(desc, Mapping) and desc.get("label"):
        return str(desc["label"])
    if item.get("templateLabel"):
        return str(item["templateLabel"])
    return str(item.get("templateId") or "")


# SEEN ADM:3231 (docs/dss-api.md §3.7) reads template list-item "label" with []; SEEN-3P code reads desc.label
# as a fallback; release notes 12.rst:826 mention templates without a label. We fall back to the id.
def template_list_label_of(item: Mapping[str, Any]) -> str:
    """Label of a template list item: ``label``, ``desc.label``, then the template id."""
    if item.get("label"):
        return str(item["label"])
    desc = item.get("desc")
    if isinstance(desc, Mapping) and desc.get("label"):
        return str(desc["label"])
    return str(item.get("id") or "")


# --- Status: zones and exposed ports -----------------------------------------------------------------------
# SEEN: syncedZones[] items carry id, zone, pathInContainer, oneWay; the zone *type* strings and id format are
# UNKNOWN (docs/dss-api.md §6; SEEN-3P spellings such as code_studioVersioned / code_studio-versioned). We never
# interpret the type string; we only normalise the item to the four keys (missing ones become None / False).
ZONE_KEYS = ("id", "zone", "pathInContainer", "oneWay")


def normalise_zone(zone: Any) -> dict[str, Any]:
    """Zone dict with exactly the keys ``id, zone, pathInContainer, oneWay``; a bare string is an id. The texts
    are strings or ``None`` whatever the answer holds (a list or a number is not an id), ``oneWay`` is
    ``True`` only for ``true`` (a ``"false"`` string is not)."""
    if isinstance(zone, Mapping):
        return {
            "id": _text(zone.get("id")),
            "zone": _text(zone.get("zone", zone.get("name"))),
            "pathInContainer": _text(zone.get("pathInContainer")),
            "oneWay": zone.get("oneWay") is True,
        }
    return {"id": _text(zone), "zone": None, "pathInContainer": None, "oneWay": False}


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


# INFERRED (docs/dss-api.md §3.4): exposed[].url is a path relative to the DSS base href (e.g.
# "code-studios/<pk>/<id>/<port>/"); it may also be absolute-path ("/dip/code-studios/...") or a full URL.
def absolute_exposed_url(base_url: str, exposed: Any) -> str | None:
    """Absolute URL of one ``exposed`` entry (``None`` when it has no URL)."""
    url = exposed.get("url") if isinstance(exposed, Mapping) else exposed
    if not url or not isinstance(url, str):
        return None
    try:
        joined = urlsplit(urljoin(base_url.rstrip("/") + "/", url))
    except ValueError:  # e.g. an unbalanced "[" in the host
        return None
    if "@" in joined.netloc:  # never keep credentials in a link
        joined = joined._replace(netloc=joined.netloc.rsplit("@", 1)[1])
    return urlunsplit(joined)


# --- Code studio states ------------------------------------------------------------------------------------
# SEEN CS:418 (docs/dss-api.md §3.4): STOPPED, STARTING, RUNNING, STOPPING. Anything else (or a missing state)
# maps to UNKNOWN in DataFrames; the raw value is kept by CodeStudioStatus.state.
STUDIO_STATES = ("STOPPED", "STARTING", "RUNNING", "STOPPING", "UNKNOWN")
# Not a DSS fact, our reading of the states: a studio that is RUNNING or STARTING is "on" (a stop applies, a
# start is a restart). Widgets use this set; the simulator keeps its own model of the states.
ACTIVE_STUDIO_STATES = ("RUNNING", "STARTING")
# INFERRED (docs/dss-api.md §9: the status code of a missing studio is UNKNOWN): a studio that was deleted
# answers its status read with 404, as DSS answers a missing object elsewhere (and the simulator plays it).
# A 404 from another call (a pull of an unknown zone, change-owner's unknown user) says nothing about the
# studio: only a *status* read answering this means the studio is gone.
STUDIO_MISSING_STATUSES = (404,)


def studio_missing(exc: BaseException) -> bool:
    """Whether ``exc``, raised by a studio's *status* read, means the studio no longer exists."""
    return getattr(exc, "status", None) in STUDIO_MISSING_STATUSES


# --- Project git and zones (dss-api.md §10) ------------------------------------------------------------------
# SEEN (client 15.2, DSSProjectGit): GET /projects/{key}/git/actions/diff?commitFrom=&commitTo= answers
# {commitFrom, commitTo, addedLines, removedLines, changedFiles, entries}; .../log?path=&startCommit=&count=
# answers {entries, nextCommit?}. INFERRED: the shape of the entries -- JGit's DiffEntry view {changeType
# ADD|MODIFY|DELETE (RENAME, COPY), oldPath, newPath ("/dev/null" for a missing side), addedLines, removedLines,
# diff (unified text)}; log entries and commitFrom/commitTo {id, parents, author, message, time}. We read them
# through the functions below and tolerate missing keys (an entry without a diff text, a commit without a
# message).
GIT_DEV_NULL = "/dev/null"
_GIT_CHANGES = {"ADD": "added", "COPY": "added", "MODIFY": "modified", "RENAME": "modified", "DELETE": "deleted"}


def git_entry_change(entry: Mapping[str, Any]) -> tuple[str, str] | None:
    """``(change, path)`` of one diff entry: change is "added", "modified" or "deleted"; path is the
    repository path (the new one, or the old one for a deletion). None when the entry names no path."""
    old, new = entry.get("oldPath"), entry.get("newPath")
    old = old if isinstance(old, str) and old and old != GIT_DEV_NULL else None
    new = new if isinstance(new, str) and new and new != GIT_DEV_NULL else None
    kind = _GIT_CHANGES.get(str(entry.get("changeType") or "").upper())
    if kind is None:
        kind = "added" if old is None else "deleted" if new is None else "modified"
    path = new if kind != "deleted" else old
    path = path or old or new
    return (kind, path) if path else None


def git_entry_diff(entry: Mapping[str, Any]) -> str | None:
    """The unified diff text of one entry (None when the answer has none)."""
    text = entry.get("diff")
    return text if isinstance(text, str) else None


def git_commit_summary(commit: Any) -> dict[str, Any]:
    """``{id, author, message, time}`` of a commit in a diff or log answer (missing keys as None)."""
    commit = commit if isinstance(commit, Mapping) else {}
    return {k: commit.get(k) for k in ("id", "author", "message", "time")}


# INFERRED (dss-api.md §10: "which folder of the project repository holds each zone's files" is not documented):
# the folder of the project git repository holding each versioned zone, by normalised zone type ({studio} is the
# code studio's id); user-versioned belongs to a user, not a project: its history cannot be read through the
# project git API. The zone type spellings are UNKNOWN (§6: code_studioVersioned, code_studio-versioned...), so
# they are compared with case, "-" and "_" ignored.
PROJECT_GIT_FOLDERS = {
    "projectlibversioned": "lib/",
    "recipes": "recipes/",
    "notebooks": "ipython_notebooks/",
    "codestudioversioned": "code_studios/{studio}/",
}


def _zone_type_key(zone_type: Any) -> str:
    return "".join(c for c in str(zone_type or "").lower() if c.isalnum())


def zone_is_versioned(zone_type: Any) -> bool:
    """SEEN (dss-api.md §10, DSS docs): resources zones are not versioned -- a sync over them cannot be undone
    and DSS keeps no history of them. Recognised by the type ending in "resources" (spelling UNKNOWN)."""
    return not _zone_type_key(zone_type).endswith("resources")


def zone_git_folder(zone_type: Any, studio_id: str) -> str | None:
    """The project repository folder of a zone (None: its history is not in the project git)."""
    folder = PROJECT_GIT_FOLDERS.get(_zone_type_key(zone_type))
    return folder.format(studio=studio_id) if folder is not None else None


# --- Project library: DSS's versions of a library zone's files (dss-api.md §3.5 "File contents", §10) ----------
# SEEN (client 15.2, DSSLibrary): GET /projects/{key}/libraries/contents answers the library's tree (the root's
# children: {name, children?}, a folder carries children, a file none); GET .../contents/{path} answers
# {data: <text>}. INFERRED: the library is the DSS side of the project-lib-versioned zone, file for file -- a
# zone-relative path is the same path in the library (the zone syncs the project's lib/ folder, whose files the
# library editor shows: python/..., R/...). UNKNOWN: whether the library API also serves project-lib-resources;
# cswidgets does not assume it, so only project-lib-versioned is readable before a pull. The mapping, by
# normalised zone type: the library folder that holds the zone ("" for the library's root).
LIBRARY_ZONE_FOLDERS = {"projectlibversioned": ""}


def library_zone(zone_type: Any) -> bool:
    """Whether DSS's current version of a zone's files can be read through the project library API."""
    return _zone_type_key(zone_type) in LIBRARY_ZONE_FOLDERS


def library_path(zone_type: Any, zone_path: Any) -> str:
    """The library path of a zone-relative file path (``python/x.py`` -> ``python/x.py``). ``ValueError`` for a
    zone the library does not serve, or a path that is not a plain relative file path (empty, a ``.`` or ``..``
    or empty segment, control characters)."""
    folder = LIBRARY_ZONE_FOLDERS.get(_zone_type_key(zone_type))
    if folder is None:
        raise ValueError(f"zone {zone_type!r} is not served by the project library API (only project-lib-versioned)")
    return folder + "/".join(file_parts(zone_path, "library file path"))


def library_data(answer: Any) -> str | None:
    """The text of a library file read (``data``), or ``None`` when the answer holds none."""
    data = answer.get("data") if isinstance(answer, Mapping) else None
    return data if isinstance(data, str) else None


# --- Template export, import, deletion ---------------------------------------------------------------------
# SEEN official client 15.2 (dssclient.py, dss/admin.py): GET /admin/code-studios/{id}/export streams a zip;
# POST /admin/code-studios/import takes the zip as the multipart field "file", with the query parameters
# "label" and "importSpec" (a JSON-encoded dict, sent only when non-empty), and answers JSON; DELETE
# /admin/code-studios/{id}?deleteRuntime=&deleteImages= answers InfoMessages.
# INFERRED: the export is a safe read (retried like other GETs); the import answer holds the new template's
# "id" and "messages" (the docstring: "the created template id and info messages"; key names UNKNOWN).
IMPORT_FILE_FIELD = "file"


# --- The notebook's project (Client.get_default_project) ----------------------------------------------------
# SEEN (the official client 15.2: DSSClient.get_default_project() is DSSProject(self, dataiku.default_project_key());
# the in-DSS `dataiku` package reads DKU_CURRENT_PROJECT_KEY, from its remote-run environment first, then from
# os.environ, and raises when it is unset). DSS sets it in the notebooks, recipes, scenarios and webapps of a
# project; a Code Studio's own kernels are not documented to have it (UNKNOWN).
CURRENT_PROJECT_ENV = "DKU_CURRENT_PROJECT_KEY"


# --- The public raw call (Client.perform_json) --------------------------------------------------------------
# SEEN (docs/dss-api.md §2, the official client): pull and push of a code studio zone are GETs with side effects,
# and GET /futures/{id} without peek=true hands a task's result over (INFERRED: may consume it). Every other GET
# and HEAD the client knows is a safe read. INFERRED for the rest of the DSS API: a GET is a read (the public
# REST API uses POST/PUT/DELETE for actions); a caller who knows otherwise passes idempotent=False.
_SIDE_EFFECT_GET = (
    re.compile(r"^/projects/[^/]+/code-studios/[^/]+/(pull|push)/[^/]+/?$"),
)
_FUTURE_PATH = re.compile(r"^/futures/[^/]+/?$")
# SEEN (docs/dss-api.md §2): the actions whose answer may take minutes (stop, restart, pull, push, template build,
# template import); they get the long write deadline (write_timeout) like the handles' own calls.
_LONG_ACTIONS = (
    re.compile(r"^/projects/[^/]+/code-studios/[^/]+/(stop|restart)/?$"),
    re.compile(r"^/projects/[^/]+/code-studios/[^/]+/(pull|push)/[^/]+/?$"),
    re.compile(r"^/admin/code-studios/[^/]+/build/?$"),
    re.compile(r"^/admin/code-studios/import/?$"),
)


def _truthy_param(value: Any) -> bool:
    return value is True or str(value).strip().lower() in ("true", "1", "yes")


def raw_call_policy(method: str, path: str, params: Mapping[str, Any] | None = None) -> tuple[bool, bool]:
    """``(idempotent, long_write)`` of a raw call: whether it may be retried (a safe read) and whether it is a long
    action (the write deadline). A GET or HEAD is a read unless it is a known side-effecting GET (pull, push, the
    consuming fetch of a future's result); only reads are ever retried."""
    bare = path.split("?", 1)[0]
    long_write = method in ("GET", "POST") and any(p.match(bare) for p in _LONG_ACTIONS)
    if method not in ("GET", "HEAD"):
        return False, long_write
    if any(p.match(bare) for p in _SIDE_EFFECT_GET):
        return False, long_write
    if _FUTURE_PATH.match(bare) and not _truthy_param((params or {}).get("peek")):
        return False, False
    return True, False


# --- Newer synced zones --------------------------------------------------------------------------------------
# SEEN DOCS (newer DSS releases, code-studio-operations "Editing files with Code Studio"): three more project zones,
# each available to every Code Studio of the project, with their default folder under /home/dataiku/workspace/:
# Code Agents (`code_agents`, one folder per code agent version: agent.py, agent_test_query.json, test_agent.py),
# Code Agent Tools (`agent_tools`, one Python file per tool) and Code Webapps (`webapps`, one folder per Python-based
# webapp). INFERRED: their `syncedZones[].zone` type strings are spelt like those folders (the type strings of the
# older zones are UNKNOWN too, docs/dss-api.md §6), so they are matched with case and separators removed, and a
# trailing "versioned" is tolerated (code_agents-versioned...). INFERRED: they sync both ways like recipes (the
# docs name no one-way default) and are versioned (they are project objects, kept in the project's git; only
# "resources" zones are documented as not versioned); which folder of the project git holds them is UNKNOWN, so
# their DSS-side history is not read (zone_git_folder answers None).
#
# The readable name of every zone type, by normalised type (separators and case removed); SEEN DOCS names.
ZONE_LABELS = {
    "projectlibversioned": "Project libraries",
    "projectlibresources": "Project resources",
    "recipes": "Code recipes",
    "notebooks": "Code notebooks",
    "codeagents": "Code Agents",
    "agenttools": "Code Agent Tools",
    "webapps": "Code Webapps",
    "codestudioversioned": "Code Studio versioned files",
    "codestudioresources": "Code Studio resource files",
    "userversioned": "User config files",
    "userresources": "User resource files",
}
# What each direction does, in the words the panels show (SEEN docs/dss-api.md §6: pull = code studio -> DSS,
# push = DSS -> code studio); a one-way zone (`oneWay: true`) only goes DSS -> code studio.
SYNC_DIRECTIONS = {"pull": "code studio → DSS", "push": "DSS → code studio"}


def zone_label(zone_type: Any) -> str | None:
    """The readable name of a zone type (``None`` when the type is unknown); spelling variants
    (``code_studio-versioned``, ``codeStudioVersioned``, ``code_agents-versioned``) give the same name."""
    key = _zone_type_key(zone_type)
    if key in ZONE_LABELS:
        return ZONE_LABELS[key]
    base = key[: -len("versioned")] if key.endswith("versioned") else key
    return ZONE_LABELS[base] if base in _NEWER_ZONES else None


_NEWER_ZONES = ("codeagents", "agenttools", "webapps")


def zone_text(zone: Mapping[str, Any]) -> str | None:
    """What a zone (a :func:`normalise_zone` dict) is called wherever it is shown (the file-sync viewer, the
    studio table, ``studios_frame``'s ``zones``): its type's readable name, else its type, path or id (``None``
    when DSS sent none of them)."""
    return zone_label(zone.get("zone")) or zone.get("zone") or zone.get("pathInContainer") or zone.get("id")

# --- Default zones (docs/dss-api.md §6, §10) -------------------------------------------------------------------
# SEEN DOCS: the zones a template syncs by default, by their default folder name. Their spelling in
# syncedZones[].zone is UNKNOWN (§6), so they are compared as zone_is_versioned does (case, "-" and "_" ignored).
# The doctor (cswidgets/doctor) checks a running studio's zones against them.
DEFAULT_ZONE_TYPES = ("code_studio-versioned", "code_studio-resources", "project-lib-versioned",
                      "project-lib-resources", "recipes", "notebooks", "user-versioned", "user-resources")
GIT_CHANGE_TYPES = tuple(_GIT_CHANGES)


def known_zone_type(zone_type: Any) -> bool:
    """Whether a ``syncedZones[].zone`` string is one of :data:`DEFAULT_ZONE_TYPES`, in any spelling."""
    return _zone_type_key(zone_type) in {_zone_type_key(z) for z in DEFAULT_ZONE_TYPES}


# --- The administrator's view: images, running time, unsynced files (docs/dss-api.md §3.4, §3.5) -----------------
# SEEN §3.4: the status carries lastTemplateBuilt (ms) and templates carry lastBuilt (ms). INFERRED: the status'
# value is the build of the image the studio's pod started on (the simulator plays it so: a rebuild leaves running
# studios on the older image), so a studio runs an outdated image when its lastTemplateBuilt is older than its
# template's lastBuilt. Missing (0, absent, not a number) on either side: unknown, never "outdated".
# INFERRED: the answers' HTTP Date header is the server's clock (RFC 9110 §6.6.1), the clock that stamped
# lastStateChange: running times are measured against it (whole seconds; the client's clock when it is absent).
DATE_HEADER = "Date"


def server_time(headers: Mapping[str, str] | None) -> Any:
    """The server's clock from an answer's ``Date`` header (a UTC ``datetime``), or ``None``."""
    from email.utils import parsedate_to_datetime

    value = (headers or {}).get(DATE_HEADER)
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None or when.tzinfo is None:
        return None
    from datetime import timezone

    return when.astimezone(timezone.utc)


# UNKNOWN §3.5 (the names) / INFERRED (the meaning): the conflicts answer's "summary information about the count of
# changes" (15.2 docstring) counts the files changed *in the code studio* since the last sync, conflicting or not.
# Spellings accepted: a dict of counts or of path lists under changeCounts / changes / counts / studioChanges
# ({added, modified, deleted}), or one number under changeCount / changesCount / nbChanges / count. The simulator
# sends changeCounts (cswidgets/sim/assumptions.py conflicts_change_counts). Without any of them only the
# conflicting files (added/modified/deleted, SEEN) are known: a lower bound.
_CHANGE_SUMMARY_DICTS = ("changeCounts", "changes", "counts", "studioChanges")
_CHANGE_SUMMARY_NUMBERS = ("changeCount", "changesCount", "nbChanges", "count")


def _count(value: Any) -> int | None:
    if isinstance(value, list):
        return len(value)
    if isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value) and value >= 0:
        return int(value)
    return None


def studio_change_count(entry: Any) -> int | None:
    """How many files changed in the studio since the last sync, from one zone's conflicts entry (``None``: the
    answer carries no summary)."""
    if not isinstance(entry, Mapping):
        return None
    for key in _CHANGE_SUMMARY_DICTS:
        summary = entry.get(key)
        if isinstance(summary, Mapping):
            counts = [_count(summary.get(k)) for k in ("added", "modified", "deleted")]
            if any(c is not None for c in counts):
                return sum(c or 0 for c in counts)
    for key in _CHANGE_SUMMARY_NUMBERS:
        number = _count(entry.get(key))
        if number is not None and not isinstance(entry.get(key), list):
            return number
    return None


# --- Webapps published from a code studio (docs/dss-api.md §2.4, §3.9) --------------------------------------------
# SEEN (official client 15.2, dss/webapp.py): GET /projects/{pk}/webapps/ (items: projectKey, id, name, tags),
# GET .../webapps/{id} (settings: id, name, type, projectKey, params), GET .../{id}/backend/state ({projectKey,
# webAppId, futureInfo}; running = futureInfo.alive), PUT .../{id}/backend/actions/stop (empty answer),
# PUT .../{id}/backend/actions/restart (a future).
# INFERRED (§3.9): what marks a webapp published from a code studio. Accepted: a `type` that names a code studio
# (CODE_STUDIO_AS_WEBAPP as the simulator plays it; any spelling with "codestudio" or "kubikle" once case and
# separators are removed), or a code studio id under codeStudioId / codeStudio / kubikleId / studioId, at the top
# level or in `params` (the simulator: params.codeStudioId in the settings, not in the list item).
_WEBAPP_STUDIO_KEYS = ("codeStudioId", "codeStudio", "kubikleId", "studioId")


def _squash(value: Any) -> str:
    return "".join(c for c in str(value or "").lower() if c.isalnum())


def webapp_code_studio_id(data: Any) -> str | None:
    """The code studio a webapp list item or settings names (``None`` when it names none)."""
    if not isinstance(data, Mapping):
        return None
    for holder in (data, data.get("params")):
        if isinstance(holder, Mapping):
            for key in _WEBAPP_STUDIO_KEYS:
                value = holder.get(key)
                if isinstance(value, Mapping):
                    value = value.get("id")
                if isinstance(value, str) and value:
                    return value
    return None


def is_code_studio_webapp(data: Any) -> bool:
    """Whether a webapp list item or settings is a webapp published from a code studio."""
    if not isinstance(data, Mapping):
        return False
    kind = _squash(data.get("type"))
    return "codestudio" in kind or "kubikle" in kind or webapp_code_studio_id(data) is not None


def webapp_backend_running(state: Any) -> bool:
    """SEEN (``DSSWebAppBackendState.running``): the backend runs when ``futureInfo.alive`` is true."""
    info = state.get("futureInfo") if isinstance(state, Mapping) else None
    return isinstance(info, Mapping) and info.get("alive") is True


# INFERRED (§3.9): where a webapp opens in the DSS UI: {DSS}/projects/{projectKey}/webapps/{webAppId}/view (the UI
# adds a name slug after the id in the links it makes; the panels' "open" link goes without it). Not used by the
# simulator, which serves no UI.
def webapp_url(base_url: str, project_key: str, webapp_id: str) -> str:
    """The DSS UI page of a webapp (INFERRED), ids percent-quoted."""
    from urllib.parse import quote

    return f"{base_url.rstrip('/')}/projects/{quote(project_key, safe='')}/webapps/{quote(webapp_id, safe='')}/view"
