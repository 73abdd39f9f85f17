"""Every variant of the real DSS API that we are not sure about, in one place.

``/work/shared/dss-api.md`` tags each fact SEEN, SEEN-3P, INFERRED or UNKNOWN. Whatever the client has to
*tolerate* because a fact is INFERRED or UNKNOWN lives here, with the tag, so it can be corrected in one
place once a real DSS is observed. Nothing else in ``cswidgets.api`` should hard-code such a guess.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urljoin

# --- Base path ------------------------------------------------------------------------------------------
# SEEN: the documented base path is /public/api (DOCS rest.rst, VS Code extension, Julia client); the official
# Python client uses /dip/publicapi. INFERRED (dss-api.md §1): both routes serve the same API. We use the
# documented one; the alternative is kept for reference and for tests.
API_BASE_PATH = "/public/api"
ALTERNATIVE_API_BASE_PATHS = ("/dip/publicapi",)

# --- Simulator detection -----------------------------------------------------------------------------------
# SEEN (REST header section): every answer carries "DSS-Version". Not a DSS fact but the one place that decides
# whether the server is the cswidgets simulator: (1) a marker in DSS-Version (or Server) -- agreed with the
# simulator's author, not sent yet (it sends "15.2.0"); (2) otherwise its admin-only control route
# GET /__sim__/health answering {"ok": true} (a real DSS answers 404 there). A non-admin key on the simulator
# therefore reads as "not a simulator" until the marker is sent.
VERSION_HEADER = "DSS-Version"
SIMULATOR_MARKERS = ("cswidgets-sim", "cswidgets.sim", "cswidgets sim")
SIMULATOR_PROBE_PATH = "/__sim__/health"


def is_simulator_headers(headers: Mapping[str, str]) -> bool:
    """Whether response headers name the cswidgets simulator."""
    low = " ".join(str(headers.get(h) or "") for h in (VERSION_HEADER, "Server")).lower()
    return any(marker in low for marker in SIMULATOR_MARKERS)


def is_simulator_probe(status: int | None, body: Any) -> bool:
    """Whether the answer to :data:`SIMULATOR_PROBE_PATH` comes from the simulator."""
    return status == 200 and isinstance(body, Mapping) and body.get("ok") is True


# --- In-DSS environment ---------------------------------------------------------------------------------
# SEEN-3P (dss-api.md §5.3): DKU_BACKEND_PROTOCOL is "https" when encrypted RPC is on; default http (SEEN in
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
# INFERRED (dss-api.md §3.8 (a)): a failed task answers the non-peek GET with an HTTP error whose body also
# carries future fields (aborted, hasResult, logTail). UNKNOWN whether failures may instead come as
# hasResult:true with {"success": false, ...} in the result: we return such results unchanged (parity).
UNKNOWN_FUTURE_STATUSES = (404,)
FUTURE_BODY_KEYS = ("aborted", "hasResult", "alive", "logTail", "jobId", "unknown")


def is_future_failure(status: int | None, body: Mapping[str, Any] | None, peek: bool) -> bool:
    """Whether an HTTP error from ``GET /futures/{id}`` reports the *task's* failure (not a transient fault).

    INFERRED (dss-api.md §3.8 (a)): a failed task's error body also carries future fields. A 404 means an
    unknown future. Without future fields, a 5xx answer to a *peek* is treated as transient (the peek is
    retried and may be polled again); a 5xx answer to the consuming ``peek=False`` fetch cannot be retried,
    so it is taken as the task's failure.
    """
    body = body or {}
    if any(k in body for k in FUTURE_BODY_KEYS):
        return True
    if status in UNKNOWN_FUTURE_STATUSES:
        return True
    return bool(not peek and status is not None and status >= 500)


def future_is_unknown(state: Mapping[str, Any]) -> bool:
    """Whether a future state says the server does not know the job (DSS9 UI ``unknown`` flag)."""
    return bool(state.get("unknown"))


def future_is_dead(state: Mapping[str, Any]) -> bool:
    """Whether a state describes a task that ended without a result.

    ``alive`` is SEEN in the DSS9 UI; a state *without* ``alive`` is treated as still running (INFERRED:
    older answers may omit it), so only an explicit ``alive: false`` counts.
    """
    return state.get("alive") is False and not state.get("hasResult", False)


def future_elapsed_ms(state: Mapping[str, Any]) -> float | None:
    """Elapsed ms of a task: ``runningTime`` (SEEN DSS9 modal), else the first state's ``msSinceStart``."""
    running = state.get("runningTime")
    if isinstance(running, (int, float)) and running >= 0:
        return float(running)
    progress = state.get("progress") or {}
    states = progress.get("states") if isinstance(progress, Mapping) else None
    if states and isinstance(states[0], Mapping):
        ms = states[0].get("msSinceStart")
        if isinstance(ms, (int, float)) and ms >= 0:
            return float(ms)
    return None


# --- Code studio list items -------------------------------------------------------------------------------
# SEEN CS:75: label = desc.label, falling back to the *code studio* id (a client bug). "desc" beyond label and
# shortDesc is UNKNOWN; we also accept a flat "templateLabel" (INFERRED) and fall back to the template id.
def template_label_of(item: Mapping[str, Any]) -> str:
    """Label of the template a code studio list item was created from (falls back to the template id)."""
    desc = item.get("desc")
    if isinstance(desc, Mapping) and desc.get("label"):
        return str(desc["label"])
    if item.get("templateLabel"):
        return str(item["templateLabel"])
    return str(item.get("templateId") or "")


# SEEN ADM:3231 reads template list-item "label" with []; SEEN-3P 63348104759 reads desc.label as a
# fallback; release notes 12.rst:826 mention templates without a label. We fall back to the id.
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
# UNKNOWN (SEEN-3P spellings such as code_studioVersioned / code_studio-versioned). We never interpret the
# type string; we only normalise the item to the four keys (missing ones become None / False).
ZONE_KEYS = ("id", "zone", "pathInContainer", "oneWay")


def normalise_zone(zone: Any) -> dict[str, Any]:
    """Zone dict with exactly the keys ``id, zone, pathInContainer, oneWay``; a bare string is an id."""
    if isinstance(zone, Mapping):
        return {
            "id": zone.get("id"),
            "zone": zone.get("zone", zone.get("name")),
            "pathInContainer": zone.get("pathInContainer"),
            "oneWay": bool(zone.get("oneWay", False)),
        }
    return {"id": str(zone), "zone": None, "pathInContainer": None, "oneWay": False}


# INFERRED (dss-api.md §3.4): exposed[].url is a path relative to the DSS base href (e.g.
# "code-studios/<pk>/<id>/<port>/"); it may also be absolute-path ("/dip/code-studios/...") or a full URL.
def absolute_exposed_url(base_url: str, exposed: Any) -> str | None:
    """Absolute URL of one ``exposed`` entry (``None`` when it has no URL)."""
    url = exposed.get("url") if isinstance(exposed, Mapping) else exposed
    if not url:
        return None
    return urljoin(base_url.rstrip("/") + "/", str(url))


# --- Code studio states ------------------------------------------------------------------------------------
# SEEN CS:418: STOPPED, STARTING, RUNNING, STOPPING. Anything else (or a missing state) maps to UNKNOWN in
# DataFrames; the raw value is kept by CodeStudioStatus.state.
STUDIO_STATES = ("STOPPED", "STARTING", "RUNNING", "STOPPING", "UNKNOWN")
