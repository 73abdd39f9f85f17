"""Zone bookkeeping of :class:`~cswidgets.widgets.conflicts.ConflictViewer` (no widget code).

Zone ids change at every start of a code studio, so the viewer names a zone by a *stable key*
(its type and its path in the container) and resolves what the user gives (an id, even a stale
one, a type, a path or a key) against a fresh status.

The confirmation rule, in one place (:func:`confirmation_text`), follows what a sync really does
(the simulator's INFERRED semantics, ``cswidgets/sim/assumptions.py``: a pull replaces DSS's copy
of the zone with the code studio's, a push replaces the code studio's copy with DSS's):

- **pull** (code studio → DSS) asks first when DSS changed since the last sync (``commitFrom`` ≠
  ``commitTo``), which covers every conflict: those DSS changes would be replaced.
- **push** (DSS → code studio) always asks first: it replaces the code studio's copy, and edits
  made there and not pulled yet are lost, yet DSS's API cannot list them (``check_conflicts``
  only lists files changed on *both* sides).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Mapping
from typing import Any, TypedDict

from ...api import assumptions

CHANGES = ("added", "modified", "deleted")
#: Files listed per change kind in the synced trait (the DataFrame keeps them all).
MAX_LISTED = 200
SHORT_COMMIT = 7
DIRECTION = {"pull": "code studio → DSS", "push": "DSS → code studio"}

# UNKNOWN (docs/dss-api.md §6): the canonical zone type strings. Spellings differ (code_studioVersioned,
# code_studio-versioned, ...), so names are looked up with separators and case removed.
_DISPLAY_NAMES = {
    "projectlibversioned": "Project libraries",
    "projectlibresources": "Project resources",
    "recipes": "Code recipes",
    "notebooks": "Code notebooks",
    "codestudioversioned": "Code Studio versioned files",
    "codestudioresources": "Code Studio resource files",
    "userversioned": "User config files",
    "userresources": "User resource files",
}


class ZoneEntry(TypedDict):
    """One synced zone as the front end receives it (``zones``)."""

    key: str  # stable across restarts: "<type>|<path in container>"
    id: str | None  # changes at each restart
    type: str | None
    label: str | None
    path: str | None
    one_way: bool
    status: str  # unchecked, clean, conflicts, error
    error: str | None
    added: list[str]  # at most MAX_LISTED each
    modified: list[str]
    deleted: list[str]
    counts: dict[str, int]  # {added, modified, deleted}: the full numbers
    authors: list[str]
    commit_from: str | None  # shortened
    commit_to: str | None
    commit_from_full: str | None
    commit_to_full: str | None
    fingerprint: str
    confirm: dict[str, str | None]  # {pull, push}: why it needs a confirmation, or None
    busy: str | None  # the operation running on it
    result: Any  # the last operation's outcome


class ConfirmationRequired(RuntimeError):
    """A pull or push would overwrite changes: repeat it with ``force=True`` to go ahead."""

    def __init__(self, message: str, zone: Mapping[str, Any]) -> None:
        super().__init__(message)
        self.zone = dict(zone)
        self.files = {change: list(zone.get(change) or []) for change in CHANGES}


class ZoneBusy(RuntimeError):
    """Another operation is already running on this zone (nothing was sent)."""


class UnknownZone(LookupError, ValueError):
    """No synced zone matches what was asked (a ``ValueError`` too: it is a bad argument)."""


class NotRunning(RuntimeError):
    """The code studio is not running: it has no synced zone."""


def display_name(zone_type: str | None) -> str | None:
    """A readable name for a zone type (``None`` when unknown)."""
    if not zone_type:
        return None
    return _DISPLAY_NAMES.get(re.sub(r"[^a-z]", "", zone_type.lower()))


def zone_key(zone: Mapping[str, Any]) -> str:
    """The stable name of a zone across restarts: ``<type>|<path in container>``."""
    kind, where = zone.get("zone"), zone.get("pathInContainer")
    if kind is None and where is None:
        return f"id:{zone.get('id')}"
    return f"{kind or ''}|{where or ''}"


def normalise(zones: Iterable[Any]) -> list[dict[str, Any]]:
    """Zones of a status as dicts ``id, zone, pathInContainer, oneWay``."""
    return [assumptions.normalise_zone(z) for z in zones]


def resolve(query: str, zones: list[dict[str, Any]], known_ids: Mapping[str, str]) -> dict[str, Any]:
    """Find the zone ``query`` names among ``zones`` (a fresh status).

    ``query`` may be a current zone id, a stale id seen before a restart (``known_ids`` maps every
    id ever seen to its key), a stable key, a zone type or a path in the container.
    """
    if not isinstance(query, str) or not query:
        raise ValueError(f"A zone is named by a non-empty string (id, type or path), not {query!r}.")
    by_key = {zone_key(z): z for z in zones}
    for z in zones:
        if z["id"] == query:
            return z
    for candidate in (query, known_ids.get(query)):
        if candidate in by_key:
            return by_key[candidate]
    for field in ("zone", "pathInContainer"):
        found = [z for z in zones if z.get(field) == query or (field == "pathInContainer"
                 and (z.get(field) or "").rstrip("/") == query.rstrip("/"))]
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            paths = ", ".join(str(z.get("pathInContainer")) for z in found)
            raise ValueError(f"{query!r} names {len(found)} zones ({paths}): give the path or the id.")
    names = ", ".join(f"{z.get('zone')} ({z.get('pathInContainer')})" for z in zones) or "none"
    if query in known_ids:
        raise UnknownZone(f"Zone {query!r} is gone: the code studio restarted and no longer syncs it. "
                          f"Zones now: {names}.")
    raise UnknownZone(f"No synced zone matches {query!r}. Zones: {names}.")


def short(commit: Any) -> str | None:
    """A commit hash shortened for display."""
    return str(commit)[:SHORT_COMMIT] if commit else None


def fingerprint(entry: Mapping[str, Any]) -> str:
    """Identifies what a confirmation was given for: the conflicting files and both commits."""
    basis = {c: sorted(entry.get(f"_all_{c}") or entry.get(c) or []) for c in CHANGES}
    basis["from"], basis["to"] = entry.get("commit_from_full"), entry.get("commit_to_full")
    return hashlib.sha1(json.dumps(basis, sort_keys=True).encode()).hexdigest()[:16]  # noqa: S324 - an id


def base_entry(zone: Mapping[str, Any], previous: Mapping[str, Any] | None = None) -> ZoneEntry:
    """The synced dict of a zone before (or without) a check; keeps the previous check if any."""
    entry: ZoneEntry = {
        "key": zone_key(zone), "id": zone.get("id"), "type": zone.get("zone"),
        "label": display_name(zone.get("zone")) or zone.get("zone") or zone.get("pathInContainer") or zone.get("id"),
        "path": zone.get("pathInContainer"), "one_way": bool(zone.get("oneWay")),
        "status": "unchecked", "error": None, "added": [], "modified": [], "deleted": [],
        "counts": dict.fromkeys(CHANGES, 0), "authors": [], "commit_from": None, "commit_to": None,
        "commit_from_full": None, "commit_to_full": None, "fingerprint": "", "confirm": {"pull": None, "push": None},
        "busy": None, "result": None,
    }
    if previous:
        for name in ("status", "error", *CHANGES, "counts", "authors", "commit_from", "commit_to",
                     "commit_from_full", "commit_to_full", "fingerprint", "confirm", "busy", "result"):
            entry[name] = previous.get(name, entry[name])  # type: ignore[literal-required]
        entry["confirm"] = {op: confirmation_text(op, entry) for op in ("pull", "push")}
    return entry


def checked_entry(zone: Mapping[str, Any], check: Any, previous: Mapping[str, Any] | None = None
                  ) -> tuple[ZoneEntry, dict[str, list[str]]]:
    """The synced dict of a zone after ``check_conflicts``; also returns the full file lists."""
    entry = base_entry(zone, previous)
    full = {c: [] for c in CHANGES}
    if getattr(check, "is_error", False):
        error = check.error
        entry.update(status="error", error=error if isinstance(error, str) else json.dumps(error, default=str),
                     authors=[], commit_from=None, commit_to=None, commit_from_full=None, commit_to_full=None,
                     fingerprint="", counts=dict.fromkeys(CHANGES, 0), **{c: [] for c in CHANGES})
    else:
        raw = check.get_raw()
        body = raw.get(check.zone)
        body = body if isinstance(body, Mapping) else {}
        full = {c: [str(p) for p in getattr(check, c)] for c in CHANGES}
        entry.update(
            status="conflicts" if any(full.values()) else "clean", error=None,
            authors=[str(a) for a in check.authors],
            commit_from_full=body.get("commitFrom"), commit_to_full=body.get("commitTo"),
            commit_from=short(body.get("commitFrom")), commit_to=short(body.get("commitTo")),
            counts={c: len(full[c]) for c in CHANGES}, **{c: full[c][:MAX_LISTED] for c in CHANGES},
        )
        entry["fingerprint"] = fingerprint({**entry, **{f"_all_{c}": full[c] for c in CHANGES}})
    entry["confirm"] = {op: confirmation_text(op, entry) for op in ("pull", "push")}
    return entry, full


def dss_changed(entry: Mapping[str, Any]) -> bool:
    """Whether DSS's copy changed since the last sync (commitFrom ≠ commitTo, or any conflict)."""
    moved = entry.get("commit_from_full") != entry.get("commit_to_full")
    return bool(moved or sum((entry.get("counts") or {}).values()))


def _list_files(entry: Mapping[str, Any], limit: int = 20) -> str:
    parts = []
    for change in CHANGES:
        for p in (entry.get(change) or [])[:limit]:
            parts.append(f"{change} {p}")
    total = sum((entry.get("counts") or {}).values())
    if total > len(parts):
        parts.append(f"… and {total - len(parts)} more")
    return "; ".join(parts)


def confirmation_text(op: str, entry: Mapping[str, Any]) -> str | None:
    """Why ``op`` on this zone needs an explicit confirmation (``None`` when it does not)."""
    label = entry.get("label") or entry.get("key")
    n = sum((entry.get("counts") or {}).values())
    both = f"{n} file{'s' if n != 1 else ''} changed on both sides since the last sync"
    if op == "pull":
        if entry.get("one_way") or entry.get("status") not in ("clean", "conflicts") or not dss_changed(entry):
            return None
        text = (f"Pull ({DIRECTION['pull']}) replaces DSS's copy of zone {label} with the code studio's. "
                f"DSS changed since the last sync (commits {entry.get('commit_from') or '?'} → "
                f"{entry.get('commit_to') or '?'}"
                + (f", by {', '.join(entry['authors'])}" if entry.get("authors") else "") + "): ")
        if n:
            return text + f"{both} will get the code studio's version in DSS: {_list_files(entry)}."
        return text + "those DSS changes will be replaced by the code studio's files."
    text = (f"Push ({DIRECTION['push']}) replaces the code studio's copy of zone {label} with DSS's: "
            "edits made in the code studio and not pulled yet are lost (DSS cannot list them).")
    if n:
        text += f" {both} will get DSS's version in the code studio: {_list_files(entry)}."
    return text


def human_size(size: Any) -> str:
    """``1536`` → ``"1.5 KiB"`` (sizes from DSS are bytes: INFERRED, docs/dss-api.md §3.6)."""
    if not isinstance(size, (int, float)) or isinstance(size, bool) or size < 0:
        return "unknown size"
    value = float(size)
    for unit in ("B", "KiB", "MiB", "GiB"):
        if value < 1024 or unit == "GiB":
            return f"{int(value)} B" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{value:.1f} TiB"  # pragma: no cover - unreachable


def summary_text(entry: Mapping[str, Any]) -> str:
    """One line describing a zone's check result (also used by the static fallback)."""
    status = entry.get("status")
    if status == "clean":
        return "no conflicts"
    if status == "conflicts":
        counts = entry.get("counts") or {}
        total = sum(counts.values())
        parts = [f"{counts[c]} {c}" for c in ("modified", "added", "deleted") if counts.get(c)]
        return f"{total} conflict{'s' if total != 1 else ''}: {', '.join(parts)}"
    if status == "error":
        return f"could not check: {entry.get('error')}"
    return "not checked yet"


STATE_MESSAGES = {
    "STOPPED": "The code studio is stopped: files are synced only while it runs (a start pushes DSS's "
               "files into it, a stop pulls its two-way zones back to DSS), so there is nothing to check "
               "or sync now.",
    "STARTING": "The code studio is starting: its zones appear once it runs (the start pushes DSS's files "
                "into it). Check again in a moment.",
    "STOPPING": "The code studio is stopping: its two-way zones were pulled back to DSS when the stop "
                "began. Nothing to sync now.",
}


def studio_view(studio: Any, name: str | None, state: str | None, *, starting: bool,
                message: str | None = None) -> dict[str, Any]:
    """The ``studio_view`` trait: which studio is shown, its state and what to tell about it."""
    if studio is None:
        return {"message": "No code studio selected.", "running": False, "can_start": False}
    client = getattr(studio, "client", None)
    return {
        "project_key": studio.project_key, "id": studio.id, "name": name or studio.id, "state": state,
        "running": state == "RUNNING",
        "message": message or ("" if state == "RUNNING" else STATE_MESSAGES.get(
            state or "", f"The code studio is in state {state}: nothing to sync.")),
        "can_start": state == "STOPPED" and not starting,
        "simulator": bool(getattr(client, "is_simulator", False)),
    }
