"""Every choice the simulator makes where ``docs/dss-api.md`` says INFERRED or UNKNOWN.

This is the one place to correct when a real DSS is observed. Each constant or function carries a
comment naming the tag and the section of ``docs/dss-api.md`` (in this repository) it stands for. Everything
else in ``cswidgets.sim`` follows facts tagged SEEN, or is simulator plumbing (clock, faults,
control routes) that has no counterpart in DSS.
"""

from __future__ import annotations

import hashlib
import random
import string
from typing import Any

# --------------------------------------------------------------------------------------------
# Transport (docs/dss-api.md §1)
# --------------------------------------------------------------------------------------------

# INFERRED docs/dss-api.md §1: /public/api and /dip/publicapi are two routes to the same API.
API_PREFIXES: tuple[tuple[str, ...], ...] = (("public", "api"), ("dip", "publicapi"))

# SEEN docs/dss-api.md §1 says both headers exist; their values here are INFERRED (the version the spec targets).
DSS_VERSION = "15.2.0"
DSS_API_VERSION = "1"


def parse_bool(value: str | None, default: bool = False) -> bool:
    """Query-string boolean. INFERRED docs/dss-api.md §1/§8: any case of "true" is true, like Java's
    ``Boolean.parseBoolean``; anything else is false; absent means ``default``."""
    if value is None:
        return default
    return value.strip().lower() == "true"


# INFERRED docs/dss-api.md §1.1: each path segment is percent-decoded once; "+" in a *path* stays "+", while
# "+" in the *query* is a space (Jetty-style form decoding).

# --------------------------------------------------------------------------------------------
# Errors (docs/dss-api.md §4, §5, §7.6)
# --------------------------------------------------------------------------------------------

# INFERRED docs/dss-api.md §4 from the SEEN-3P strings: error type names sent in `errorType`.
ERR_NOT_AUTHENTICATED = "com.dataiku.dip.exceptions.NotAuthenticatedException"
ERR_UNAUTHORIZED = "com.dataiku.dip.exceptions.UnauthorizedException"
ERR_NOT_FOUND = "com.dataiku.dip.server.controllers.NotFoundException"
ERR_ILLEGAL_ARGUMENT = "java.lang.IllegalArgumentException"
ERR_ILLEGAL_STATE = "java.lang.IllegalStateException"
ERR_ABORTED = "com.dataiku.dip.futures.FutureAbortedException"  # UNKNOWN docs/dss-api.md §3.8: name invented
ERR_BUILD_FAILED = "com.dataiku.dip.exceptions.CodedException"  # SEEN-3P docs/dss-api.md §3.8 (b) used this type
ERR_INTERNAL = "java.lang.RuntimeException"

# INFERRED docs/dss-api.md §4 / §8: auth failures are 401. Message for a wrong key is SEEN-3P; for a missing
# key the message is INFERRED.
MSG_UNKNOWN_KEY = "Unknown API Key"
MSG_NO_CREDENTIALS = "No API key or ticket provided"

# UNKNOWN docs/dss-api.md §9: status codes for missing objects -> 404 NotFoundException (INFERRED docs/dss-api.md §4).
STATUS_NOT_FOUND = 404
# SEEN-3P docs/dss-api.md §4 / §7.6: an unknown (or inaccessible) *project* answers 401 UnauthorizedException,
# "never 404". Kept here so it can be flipped if that capture turns out to be wrong.
STATUS_UNKNOWN_PROJECT = 401
MSG_UNKNOWN_PROJECT = "Failed to read project permissions"
# INFERRED docs/dss-api.md §3.3: permission refusals (e.g. change-owner by a non-owner) answer 403 with
# UnauthorizedException. (DSS may answer 401 here too; nothing was observed.)
STATUS_FORBIDDEN = 403
# INFERRED: malformed requests (bad JSON, missing fields, one-way pull) answer 400.
STATUS_BAD_REQUEST = 400


def error_body(error_type: str, message: str, detailed: str | None = None) -> dict[str, Any]:
    """DSS error body. SEEN docs/dss-api.md §4: ``errorType``, ``message``, ``detailedMessage``. That
    ``detailedMessage`` repeats the message when there is no cause is INFERRED."""
    return {"errorType": error_type, "message": message, "detailedMessage": detailed or message}


# --------------------------------------------------------------------------------------------
# Permissions (docs/dss-api.md §3.3)
# --------------------------------------------------------------------------------------------

# INFERRED docs/dss-api.md §3.3: every user may read every project and its code studios (the simulator has no
# project permissions); stop/restart/delete need the studio owner, the project owner or an
# admin ("project admins can only stop/start"); conflicts/pull/push ("using" the studio) need
# the owner or an admin; change-owner needs the owner or an admin (SEEN CS:222).
# /admin/* routes need an admin (INFERRED from the path).
# Listing futures with allUsers=true needs an admin (SEEN CLI:99 docstring); refused with 403.

def auth_info(login: str, admin: bool, with_secrets: bool) -> dict[str, Any]:
    """``GET /auth/info``: who the calling key acts as. SEEN (``DSSClient.get_auth_info``
    docstring): ``authIdentifier`` ("login for a user, id for an API key"), ``groups`` and, with
    ``withSecrets=true``, ``secrets`` (a list of dicts). INFERRED: every simulated key is a
    personal key, so ``authIdentifier`` is the user's login; ``groups`` is ``["administrators"]``
    for an admin and ``[]`` otherwise; the simulator keeps no user secrets (an empty list)."""
    info: dict[str, Any] = {"authIdentifier": login, "groups": ["administrators"] if admin else []}
    if with_secrets:
        info["secrets"] = []
    return info


# --------------------------------------------------------------------------------------------
# Ids (docs/dss-api.md §3.1, §6)
# --------------------------------------------------------------------------------------------

_ALNUM = string.ascii_letters + string.digits


def studio_lib_name(studio_id: str) -> str:
    """INFERRED docs/dss-api.md §3.3: a studio's ``libName`` (its resources folder) is its (unique) id."""
    return studio_id


def template_desc(label: str, short_desc: str) -> dict[str, Any]:
    """INFERRED docs/dss-api.md §3.1: the ``desc`` object of code studio list items: the template's label and
    short description."""
    return {"label": label, "shortDesc": short_desc}


def new_studio_id(rng: random.Random) -> str:
    """INFERRED docs/dss-api.md §3.1: studio ids look like ``62GsjBq`` (7 alphanumerics)."""
    return "".join(rng.choice(_ALNUM) for _ in range(7))


def new_job_id(rng: random.Random) -> str:
    """INFERRED docs/dss-api.md §2.3: future ids are short random alphanumerics (8 here)."""
    return "".join(rng.choice(_ALNUM) for _ in range(8))


def new_template_id(rng: random.Random, label: str) -> str:
    """UNKNOWN docs/dss-api.md §2.2: created template ids; here a slug of the label plus 4 random characters."""
    slug = "".join(c if c.isascii() and c.isalnum() else "_" for c in label.lower()).strip("_")[:24]
    return f"{slug or 'template'}_{''.join(rng.choice(string.ascii_lowercase + string.digits) for _ in range(4))}"


def new_zone_id(rng: random.Random, zone_key: str) -> str:
    """UNKNOWN docs/dss-api.md §6: zone id format. Here ``<zone type>-<6 random chars>``, URL-safe, new at each
    start (SEEN CS114:431: "changes at each restart")."""
    return f"{zone_key}-{''.join(rng.choice(string.ascii_lowercase + string.digits) for _ in range(6))}"


def commit_hash(*parts: str) -> str:
    """INFERRED docs/dss-api.md §3.5: commit hashes are 40-hex git-like ids. Derived from content (never from
    the wall clock) so the same seed gives the same hashes."""
    h = hashlib.sha1(usedforsecurity=False)
    for part in parts:
        h.update(part.encode("utf-8", "surrogatepass"))
        h.update(b"\x00")
    return h.hexdigest()


# --------------------------------------------------------------------------------------------
# Zones (docs/dss-api.md §6)
# --------------------------------------------------------------------------------------------

# UNKNOWN docs/dss-api.md §6: canonical `syncedZones[].zone` strings. We use the default folder names the docs
# give (SEEN docs/dss-api.md §6 table), which the code-studio-blocks plugin also accepts (SEEN-3P). These are
# also the simulator's *stable zone keys* for write_file/read_files.
ZONE_PROJECT_LIB_VERSIONED = "project-lib-versioned"
ZONE_PROJECT_LIB_RESOURCES = "project-lib-resources"
ZONE_RECIPES = "recipes"
ZONE_NOTEBOOKS = "notebooks"
ZONE_STUDIO_VERSIONED = "code_studio-versioned"
ZONE_STUDIO_RESOURCES = "code_studio-resources"
ZONE_USER_VERSIONED = "user-versioned"
ZONE_USER_RESOURCES = "user-resources"
# SEEN DOCS (newer DSS releases, code-studio-operations): three more project zones with these default folders.
# INFERRED (like the zones above): their `syncedZones[].zone` strings are these folder names; both ways, versioned.
# The demo scenario's templates do not sync them (its saved outputs stay as they are); a template or test may.
ZONE_CODE_AGENTS = "code_agents"
ZONE_AGENT_TOOLS = "agent_tools"
ZONE_WEBAPPS = "webapps"
ZONE_KEYS: tuple[str, ...] = (
    ZONE_PROJECT_LIB_VERSIONED,
    ZONE_PROJECT_LIB_RESOURCES,
    ZONE_RECIPES,
    ZONE_NOTEBOOKS,
    ZONE_STUDIO_VERSIONED,
    ZONE_STUDIO_RESOURCES,
    ZONE_USER_VERSIONED,
    ZONE_USER_RESOURCES,
    ZONE_CODE_AGENTS,
    ZONE_AGENT_TOOLS,
    ZONE_WEBAPPS,
)


def zone_scope(zone_key: str) -> str:
    """SEEN docs/dss-api.md §6 table: project zones are shared by the project's studios, code_studio zones
    belong to one studio, user zones to the studio owner. Returns "project"/"studio"/"user"."""
    if zone_key.startswith("code_studio"):
        return "studio"
    if zone_key.startswith("user"):
        return "user"
    return "project"


def zone_path_in_container(zone_key: str) -> str:
    """SEEN docs/dss-api.md §6: default folders live under /home/dataiku/workspace/."""
    return f"/home/dataiku/workspace/{zone_key}"


def zone_is_versioned(zone_key: str) -> bool:
    """SEEN docs/dss-api.md §6 table and §10 "Default zones": resources zones (``*-resources``) are not
    versioned in DSS (only versioned files are under DSS's git). The simulator keeps no history for them:
    only their current version, whose id is not a git commit (INFERRED: the conflicts answer still carries
    ``commitFrom``/``commitTo`` for them, as opaque ids the project git does not know)."""
    return not zone_key.endswith("-resources")


# INFERRED docs/dss-api.md §10 "Project git, as played and read": the folder of the *project* git repository
# that holds each versioned zone, by zone key ("{studio}" is the code studio's id). user-versioned belongs to a
# user, not to a project, so it is not in any project repository (its history cannot be read through the
# project git API).
# SEEN-3P docs/dss-api.md §3.3: versioned code studio files live in config/projects/<pk>/code_studios/<csId>/.
# The other folders follow DSS's project layout (lib/, recipes/, ipython_notebooks/): INFERRED.
PROJECT_GIT_FOLDERS: dict[str, str] = {
    ZONE_PROJECT_LIB_VERSIONED: "lib/",
    ZONE_RECIPES: "recipes/",
    ZONE_NOTEBOOKS: "ipython_notebooks/",
    ZONE_STUDIO_VERSIONED: "code_studios/{studio}/",
}


def project_git_folder(zone_key: str, studio_id: str) -> str | None:
    """The folder of the project repository holding ``zone_key`` (None: not in the project git)."""
    folder = PROJECT_GIT_FOLDERS.get(zone_key)
    return folder.format(studio=studio_id) if folder is not None else None


# SEEN docs/dss-api.md §10 "Project libraries" (client 15.2, ``DSSLibrary``): ``GET /projects/{pk}/libraries/contents``
# answers the library's tree as the root's children -- a list of ``{name, children?}`` where a folder carries
# ``children`` (a list) and a file does not; ``GET .../contents/{path}`` answers ``{data: text}``, and with
# ``?dataEncoding=base64`` ``{data: base64 of the bytes}``. The client sends the path with ``/`` unquoted and a
# leading ``/`` (``.../contents//python/x.py``).
# INFERRED: the library is the project's ``lib/`` folder, i.e. the files the ``project-lib-versioned`` zone syncs,
# at their zone paths (``LIBRARY_ZONES``: zone key -> folder inside the library, "" for its root); item fields
# other than name/children are UNKNOWN and not sent. UNKNOWN: whether the library API also serves the
# ``project-lib-resources`` zone; the simulator does not (it is not in ``LIBRARY_ZONES``). A missing file answers
# 404 ``NotFoundException`` (INFERRED: the client's ``add_file`` treats any error of that read as "absent"); a
# folder's path answers 400.
LIBRARY_ZONES: dict[str, str] = {ZONE_PROJECT_LIB_VERSIONED: ""}
LIBRARY_ENCODING_PARAM = "dataEncoding"


# INFERRED docs/dss-api.md §10 "Project git, as played and read": the shapes of the git answers (the client's
# docstrings name the top-level keys only). A commit is {id, parents, author, message, time} (time in epoch
# ms); a diff entry is JGit's DiffEntry view {changeType: ADD|MODIFY|DELETE, oldPath, newPath ("/dev/null" for a missing
# side), addedLines, removedLines, diff (the unified diff text, "--- a/... +++ b/..." headers)}; a log entry
# is a commit. Unknown commit ids answer 404 NotFoundException. The working copy always equals the head, so
# a diff without commits has no entries. A log lists newest first from startCommit (default: the head), at
# most `count` entries, plus `nextCommit` (the id to start the next page from) when more remain.
GIT_DEV_NULL = "/dev/null"
GIT_LOG_DEFAULT_COUNT = 20  # SEEN: the client's docstring says "20 by default" (it sends 1000 itself)


def git_commit_json(commit_hash: str, parents: list[str], author: str, message: str, time_ms: int) -> dict[str, Any]:
    """INFERRED (see above): one commit of the project git, in diff and log answers."""
    return {"id": commit_hash, "parents": parents, "author": author, "message": message, "time": time_ms}


# INFERRED docs/dss-api.md §10 "Pull semantics" (UNKNOWN there; the default and why are argued there).
# "merge": apply the studio's changes since the last sync (a file changed on both sides takes the studio's
#   version) and leave DSS-only changes alone. The default: the official client's own example stops a studio
#   when no zone reports conflicts -- and a stop pulls -- which is only safe if a pull leaves the DSS-side
#   changes that no conflict reported alone; a pull that replaced the zone would silently undo them.
# "mirror": the studio's copy replaces the DSS zone (DSS-only changes since the last sync are undone).
# Either way the sync point becomes the new DSS head and the studio's current files. A push copies the whole
# DSS zone into the studio under both models (DSS's docs describe it as a copy; nothing says it merges).
SYNC_MODELS = ("merge", "mirror")
DEFAULT_SYNC_MODEL = "merge"


# UNKNOWN docs/dss-api.md §3.5: the value of the top-level `error` key for an unknown zone. A string here.
def conflicts_error(zone: str) -> dict[str, Any]:
    """INFERRED docs/dss-api.md §3.5: an unknown zone answers HTTP 200 with a top-level ``error`` key."""
    return {"error": f"Zone not found in running code studio: {zone}"}


# INFERRED docs/dss-api.md §3.5: `authors` lists the authors of DSS-side commits since the last sync that touched
# the *conflicting* files (the 15.2 docstring); empty when nothing conflicts. A path changed on
# both sides to the same content is not a conflict.


def conflicts_change_counts(added: int, modified: int, deleted: int) -> dict[str, Any]:
    """UNKNOWN docs/dss-api.md §3.5 (the names), INFERRED (the meaning): the "summary information about the count
    of changes" the 15.2 docstring says the conflicts answer holds. Played as ``changeCounts``: how many files
    were added, modified and deleted *in the code studio* since the last sync -- every studio-side change, the
    conflicting ones included -- so a reader can tell how much a stop (which pulls) or a push would carry. The
    client reads several spellings (cswidgets/api/assumptions.py ``studio_change_count``)."""
    return {"changeCounts": {"added": added, "modified": modified, "deleted": deleted}}

# UNKNOWN docs/dss-api.md §3.6: push `size` is in bytes (UTF-8 length of the texts); `count` counts every file
# of the zone (push copies the whole zone). Pull: see SYNC_MODELS.


def pull_response(zone_id: str, added: list[str], modified: list[str], deleted: list[str]) -> dict:
    """UNKNOWN docs/dss-api.md §3.6: the pull body (ignored by the 15.x client). Shaped like the pre-12.6.2
    docstring: "a dictionary mapping each zone to the changes that were found"."""
    return {zone_id: {"added": added, "modified": modified, "deleted": deleted}}


# INFERRED: pulling a one-way zone (DSS -> studio only) is refused with 400.
MSG_ONE_WAY_PULL = "Zone {zone} is one-way (DSS to code studio only): it cannot be pulled"
# UNKNOWN docs/dss-api.md §9: pull/push of an unknown zone (or of a studio that is not running) answers 404.

# --------------------------------------------------------------------------------------------
# Code studio status and lifecycle (docs/dss-api.md §3.4, §3.6, §8)
# --------------------------------------------------------------------------------------------


def exposed_url(project_key: str, studio_id: str, port: int) -> str:
    """INFERRED docs/dss-api.md §3.4: ``exposed[].url`` relative to the DSS base href."""
    return f"code-studios/{project_key}/{studio_id}/{port}/"


def studio_image_built(image_built_ms: int | None, template_built_ms: int | None) -> int | None:
    """INFERRED docs/dss-api.md §3.4 (``lastTemplateBuilt``): the build time of the image the studio's pod
    started on -- recorded when a start begins, so a template rebuilt afterwards leaves its running studios on
    an older image (``lastTemplateBuilt`` < the template's ``lastBuilt``: outdated) until they restart. A stopped
    studio keeps its last run's value; a studio never started has none (the field is left out). The template's
    own build time is not used."""
    del template_built_ms  # named so the choice is visible: the template's current build does not count
    return image_built_ms


# INFERRED docs/dss-api.md §3.4: the `Date` header of every answer is the server's clock (HTTP's Date, RFC 9110
# §6.6.1); the simulator sends its simulated clock there, so a client can measure durations (running time)
# against the clock that stamped `lastStateChange`.


# INFERRED docs/dss-api.md §3.4: `status.jobId` is sent only while STARTING/STOPPING and is the id of the
# future driving that transition (whether DSS sends the runner future instead is UNKNOWN).


# INFERRED docs/dss-api.md §3.6 (PR #232 review): stop of a stopped studio answers an already-completed future
# without jobId. Its `result` is UNKNOWN; none is sent (so wait_for_result() returns None).
def completed_future_without_job() -> dict[str, Any]:
    return {"hasResult": True, "alive": False, "aborted": False, "unknown": False}


# UNKNOWN docs/dss-api.md §9: restart while STARTING answers the in-flight start future (same jobId); restart
# while RUNNING stops (pulling zones) then starts, under one new future; restart while STOPPING
# starts again once stopped. Stop while STOPPING answers the in-flight stop future; stop while
# STARTING interrupts the start (its future fails as aborted) and stops.
# Aborting (DELETE /futures/{id}) a start future stops the studio; aborting a stop future marks
# the future aborted but the stop still completes (a pod cannot be un-stopped).
# UNKNOWN docs/dss-api.md §3.6: results of start/stop futures are not sent (null, dropped).
# INFERRED: stop pulls the non-one-way zones when STOPPING begins; the studio side of every zone
# is empty while the studio is not running (the pod is gone); start pushes when RUNNING begins.

# --------------------------------------------------------------------------------------------
# Futures (docs/dss-api.md §3.8)
# --------------------------------------------------------------------------------------------


def unknown_future(job_id: str) -> tuple[int, dict[str, Any]]:
    """UNKNOWN docs/dss-api.md §9: ``GET /futures/<unknown id>`` (peek or not). We answer 200 with
    ``unknown: true`` (the DSS 9 UI stops polling on ``data.unknown``, SEEN docs/dss-api.md §3.8), never a
    result. DELETE of an unknown id is a no-op 200 ``{}``. Note: the official client's
    ``wait_for_result`` does not look at ``unknown`` and would poll forever (SEEN docs/dss-api.md §3.8)."""
    return 200, {"jobId": job_id, "unknown": True, "alive": False, "hasResult": False, "aborted": False}


# INFERRED docs/dss-api.md §10 "Running tasks": a studio's start, stop or restart runs as a future that lists in
# GET /futures/ (alive) with this payload, the shape scenario futures have ("a payload with identifiers", SEEN
# CLI:115). The client reads it through cswidgets.api.assumptions.studios_of_task.
def studio_task_payload(verb: str, project_key: str, studio_id: str) -> dict[str, Any]:
    return {
        "action": f"code-studio-{verb.lower()}",
        "targets": [{"objectType": "CODE_STUDIO", "projectKey": project_key, "id": studio_id}],
    }


# INFERRED docs/dss-api.md §10 "Futures in one read": GET /futures/ lists every *alive* future the caller may see
# (its own; everyone's with allUsers=true, admins only), each item the future's state in peek form (to_json(peek=True):
# jobId, hasResult, alive, aborted, progress, payload... and no result). A future leaves the list when it ends; the
# simulator never lists a finished one. Read by cswidgets.api.assumptions (list_item_has_state, list_item_ended).
LISTS_ALIVE_FUTURES_ONLY = True

# INFERRED docs/dss-api.md §3.8 (a): a failed or aborted future answers the non-peek GET with HTTP 500 and an
# error body that also carries the future fields (aborted, hasResult, alive, logTail). A peek
# answers 200 with alive=false, hasResult=false (and aborted) and no error details.
STATUS_FAILED_FUTURE = 500
# INFERRED docs/dss-api.md §2.3: a peek leaves `result` out; the non-peek GET includes it.
# INFERRED docs/dss-api.md §10 "Futures" (DSS 9's UI: "peek: does not take the job from the future service"):
# with consume_futures (the default), the first non-peek GET of a *finished* future (its result, or its
# failure) takes it: later GETs, peek or not, answer as for an unknown future. Without it, finished futures
# stay readable (the newest MAX_FINISHED_FUTURES are kept).
DEFAULT_CONSUME_FUTURES = True
MAX_FINISHED_FUTURES = 5000
# UNKNOWN docs/dss-api.md §9: progress states carry {name, unit, target, cur, important, msSinceStart}
# (SEEN docs/dss-api.md §3.8) and no startTimestamp. The outer state counts stages (unit "NONE"); the inner one
# is the current stage in percent, or in bytes (unit "SIZE") for image pushes.


def build_result(template_id: str, built_for: list[str], no_cache: bool) -> dict[str, Any]:
    """UNKNOWN docs/dss-api.md §3.7: shape of a template build future's result."""
    return {"templateId": template_id, "builtFor": built_for, "withNoCache": no_cache, "success": True}


# INFERRED docs/dss-api.md §3.8 (a) vs (b) is UNKNOWN for builds: a scripted build failure is reported as (a),
# a failed future (HTTP 500 on the non-peek GET).

# --------------------------------------------------------------------------------------------
# Templates (docs/dss-api.md §2.2, §3.7)
# --------------------------------------------------------------------------------------------


def info_messages(messages: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """SEEN-3P docs/dss-api.md §3.7: InfoMessages shape (create and delete answers)."""
    messages = messages or []
    severities = [m.get("severity", "INFO") for m in messages]
    order = ["INFO", "SUCCESS", "WARNING", "ERROR"]
    max_sev = max(severities, key=order.index) if severities else None
    return {
        "messages": messages,
        "anyMessage": bool(messages),
        "maxSeverity": max_sev,
        "success": "SUCCESS" in severities,
        "warning": "WARNING" in severities,
        "error": "ERROR" in severities,
        "fatal": False,
    }


def info_message(code: str, title: str, message: str, severity: str = "INFO") -> dict[str, Any]:
    """SEEN-3P docs/dss-api.md §3.7: one message of an InfoMessages answer."""
    return {"severity": severity, "code": code, "title": title, "message": message}


def template_deletion_messages(template_id: str, runtimes_stopped: int | None, images_deleted: bool) -> list[dict]:
    """INFERRED (official client 15.2 docstrings only): the messages of ``DELETE /admin/code-studios/{id}``.
    ``deleteRuntime=true`` stops the code studios made from the template that are running (the studios
    themselves stay); ``deleteImages=true`` removes the built images (one more message when there were any).
    The codes and texts are the simulator's own."""
    messages = [info_message("INFO_TEMPLATE_DELETED", "Template deleted", f"Deleted {template_id}")]
    if runtimes_stopped is not None:
        messages.append(info_message("INFO_TEMPLATE_RUNTIMES_DELETED", "Runtimes deleted",
                                     f"Stopped {runtimes_stopped} running code studio(s)"))
    if images_deleted:
        messages.append(info_message("INFO_TEMPLATE_IMAGES_DELETED", "Images deleted", "Deleted the built images"))
    return messages


# INFERRED (official client 15.2: ``importSpec`` is a JSON-encoded query parameter whose fields are not
# documented): the simulator requires a JSON object and ignores its content.
IMPORT_SPEC_IGNORED = True
# INFERRED: the export archive's format is DSS's own (UNKNOWN); the simulator's is a zip holding
# ``template.json`` (settings, zones, ports), imported back by the simulator only.

# INFERRED: a no-cache build takes this much longer than a cached one.
NO_CACHE_BUILD_FACTOR = 1.5
# INFERRED: deleting a template leaves its code studios in place (their list items then have no
# `desc`, so the client's label falls back to the studio id, SEEN docs/dss-api.md §3.1).
# INFERRED docs/dss-api.md §3.7: PUT replaces the settings, except `id`, which always stays the path's id.
# INFERRED docs/dss-api.md §3.2: the create answer is {"codeStudio": <settings>}; change-owner answers the
# updated settings (docs/dss-api.md §3.6).


# --------------------------------------------------------------------------------------------
# Webapps (docs/dss-api.md §2.4, §3.9)
# --------------------------------------------------------------------------------------------

# SEEN docs/dss-api.md §2.4 (official client 15.2 ``dss/webapp.py``): the routes, the list item's ``projectKey``,
# ``id``, ``name``, ``tags``, the settings' ``id, name, type, projectKey, params`` and the backend state
# ``{projectKey, webAppId, futureInfo}`` whose ``futureInfo.alive`` says the backend runs.
# INFERRED docs/dss-api.md §3.9: what marks a webapp published from a code studio. Played: its ``type`` is
# CODE_STUDIO_WEBAPP_TYPE, also in the list item, and its settings' ``params.codeStudioId`` names the studio
# (the list item does not). The client accepts other spellings (cswidgets/api/assumptions.py).
CODE_STUDIO_WEBAPP_TYPE = "CODE_STUDIO_AS_WEBAPP"
STANDARD_WEBAPP_TYPE = "STANDARD"


def new_webapp_id(rng: random.Random) -> str:
    """INFERRED: webapp ids are short random alphanumerics, like studio ids (7 here)."""
    return "".join(rng.choice(_ALNUM) for _ in range(7))


def webapp_list_item(project_key: str, webapp_id: str, name: str, type_: str, owner: str) -> dict[str, Any]:
    """SEEN (keys read by the official client) + INFERRED (``type`` and ``owner`` in the list item)."""
    return {"projectKey": project_key, "id": webapp_id, "name": name, "type": type_, "owner": owner, "tags": []}


def webapp_params(code_studio_id: str | None) -> dict[str, Any]:
    """INFERRED docs/dss-api.md §3.9: a code-studio webapp's settings name their studio in ``params.codeStudioId``."""
    return {"codeStudioId": code_studio_id} if code_studio_id is not None else {}


def webapp_backend_job_id(webapp_id: str, generation: int) -> str:
    """UNKNOWN: the id of a backend's run (its ``futureInfo.jobId``); here derived from the webapp's id."""
    return f"backend-{webapp_id}-{generation}"


def webapp_future_info(
    job_id: str | None, alive: bool, started_ms: int | None, stopped_ms: int | None, now: int
) -> dict[str, Any]:
    """INFERRED docs/dss-api.md §3.9: ``futureInfo`` is a future state (§3.8) of the backend's run: ``alive``
    while it starts or runs (SEEN: the official client's ``running`` reads only that); after a stop, ``alive``
    is false and ``hasResult`` true."""
    start = started_ms if started_ms is not None else now
    end = now if alive or stopped_ms is None else stopped_ms
    info = {"alive": alive, "hasResult": not alive, "aborted": False, "unknown": False, "startTime": start,
            "runningTime": max(end - start, 0)}
    if job_id is not None:
        info["jobId"] = job_id
    return info


def webapp_task_payload(project_key: str, webapp_id: str) -> dict[str, Any]:
    """INFERRED (like ``studio_task_payload``): a backend (re)start lists in GET /futures/ with this payload."""
    return {"action": "webapp-restart-backend",
            "targets": [{"objectType": "WEB_APP", "projectKey": project_key, "id": webapp_id}]}
