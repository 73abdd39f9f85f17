"""Every variant of the real DSS API that we are not sure about, in one place.

``docs/dss-api.md`` tags each fact SEEN, SEEN-3P, INFERRED or UNKNOWN. Whatever the client has to
*tolerate* because a fact is INFERRED or UNKNOWN lives here, with the tag, so it can be corrected in one
place once a real DSS is observed. Nothing else in ``cswidgets.api`` should hard-code such a guess.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any
from urllib.parse import urljoin, urlsplit, urlunsplit

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


# --- Template export, import, deletion ---------------------------------------------------------------------
# SEEN official client 15.2 (dssclient.py, dss/admin.py): GET /admin/code-studios/{id}/export streams a zip;
# POST /admin/code-studios/import takes the zip as the multipart field "file", with the query parameters
# "label" and "importSpec" (a JSON-encoded dict, sent only when non-empty), and answers JSON; DELETE
# /admin/code-studios/{id}?deleteRuntime=&deleteImages= answers InfoMessages.
# INFERRED: the export is a safe read (retried like other GETs); the import answer holds the new template's
# "id" and "messages" (the docstring: "the created template id and info messages"; key names UNKNOWN).
IMPORT_FILE_FIELD = "file"


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
