"""Zone bookkeeping of :class:`~cswidgets.widgets.conflicts.ConflictViewer` (no widget code).

Zone ids change at every start of a code studio, so the viewer names a zone by a *stable key*
(its type and its path in the container) and resolves what the user gives (an id, even a stale
one, a type, a path or a key) against a fresh status.

The confirmation rule, in one place (:func:`confirmation_text`), holds whichever way DSS writes a
pull (merging the studio's changes, or mirroring the studio's copy: UNKNOWN, docs/dss-api.md §10), so
it names everything a sync *may* overwrite:

- **pull** (code studio → DSS) asks first when DSS changed since the last sync (``commitFrom`` ≠
  ``commitTo``), and lists every DSS-side change since then (read from the project git,
  :mod:`.changes`), not only the conflicts -- or says plainly that they cannot be listed.
- **push** (DSS → code studio) always asks first: it replaces the code studio's copy; it lists the
  studio-side changes DSS reports (the conflicts) and says that other edits made in the code studio
  and not pulled yet are lost too and cannot be listed (``check_conflicts`` only reports files
  changed on *both* sides).
- A zone that is not versioned (resources) keeps no history in DSS: its confirmation says the sync
  cannot be undone (and the panel asks for the zone's name to be typed).
- A pull of a zone whose DSS side the project library API serves (``project-lib-versioned``:
  :func:`cswidgets.api.assumptions.library_zone`) also offers DSS's current versions of the files it lists as a
  zip, first (:func:`backup_offer`, :func:`backup_files`); other zones keep the way back their confirmation gives.
"""

from __future__ import annotations

import hashlib
import json
import posixpath
import shlex
from collections.abc import Iterable, Mapping
from typing import Any, TypedDict

from ...api import assumptions
from ...api.text import dss_text

CHANGES = ("added", "modified", "deleted")
#: Files listed per change kind in the synced trait (the DataFrame keeps them all).
MAX_LISTED = 200
SHORT_COMMIT = 7
#: Each operation's direction, spelled out (users confuse pull and push); the view gets it in ``texts``
#: (one home: :data:`cswidgets.api.assumptions.SYNC_DIRECTIONS`).
DIRECTION = assumptions.SYNC_DIRECTIONS
#: The warning of a sync of a zone DSS keeps no history of (``versioned`` false).
UNDO_NOTE = "This cannot be undone: DSS keeps no history of this zone."


class ViewerTexts(TypedDict):
    """The wording the conflict viewer's view shows, sent once in its ``texts`` trait (the JS holds no
    copy): ``direction`` of each operation ({"pull", "push"}), ``one_way`` (a one-way zone's note),
    ``studio_side`` (why the code studio's copy of a conflicting file is not shown, before the command that
    shows it), ``keep`` (keeping one side of a file)."""

    direction: dict[str, str]
    one_way: str
    studio_side: str
    keep: str


VIEWER_TEXTS: ViewerTexts = {
    "direction": dict(DIRECTION),
    "one_way": f"One-way zone ({DIRECTION['push']}): nothing to pull.",
    "studio_side": "DSS's API has no call that reads the code studio's copy of a file (docs/dss-api.md §10), so it "
                   "cannot be shown here. See it in the code studio's terminal:",
    "keep": "DSS syncs whole zones only: one file cannot be kept alone through its API. Keep the code studio's "
            "version of every listed file: Pull. Keep DSS's: Push, which replaces every code studio edit of the "
            "zone -- save this file first in the code studio's terminal:",
}


class BackupOffer(TypedDict):
    """A pull confirmation's offer to download DSS's current versions of the files it lists, as a zip, before
    pulling (a zone the project library API serves). ``button``: its text; ``note``: what the zip holds;
    ``missing``: listed files it cannot include (deleted in DSS: no DSS version), at most :data:`MAX_LISTED`, under
    ``missing_note``."""

    button: str
    note: str
    missing: list[str]
    missing_note: str


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
    confirm: dict[str, str | None]  # {pull, push}: the one sentence of consequence of a sync that needs one, or None
    confirm_restore: dict[str, str | None]  # {pull, push}: how to get back what it overwrites (or that nothing can)
    backup: BackupOffer | None  # the pull confirmation's "Download DSS's versions (zip)", where DSS's API allows it
    studio_commands: dict[str, dict[str, str]]  # conflicting path -> {show, save}: shell commands for the studio's copy
    versioned: bool  # False: DSS keeps no history of the zone (a sync cannot be undone)
    dss_known: bool | None  # whether the DSS-side changes since the last sync could be read (None: not checked)
    dss_why: str | None  # why they could not
    dss_changes: list[dict[str, Any]]  # {change, path, conflict, authors, messages}, at most MAX_LISTED
    dss_count: int  # the full number
    busy: str | None  # the operation running on it
    result: Any  # the last operation's outcome


class ConfirmationRequired(RuntimeError):
    """A pull or push would overwrite changes: repeat it with ``force=True`` to go ahead.

    ``files`` (``{added, modified, deleted: [paths]}``) names what the sync may overwrite that is
    known: for a pull every DSS-side change since the last sync (conflicts included), for a push the
    studio-side changes DSS reports (the conflicts). ``complete`` says whether that is everything
    (False: DSS cannot list the rest; the message says why)."""

    def __init__(self, message: str, zone: Mapping[str, Any], op: str = "pull",
                 full: Mapping[str, list[str]] | None = None) -> None:
        super().__init__(message)
        self.zone = dict(zone)
        conflicts = {change: list((full or zone).get(change) or []) for change in CHANGES}
        self.files = conflicts
        self.complete = op == "pull" and zone.get("dss_known") is not False
        if op == "pull":
            dss = {change: [c["path"] for c in zone.get("dss_changes") or [] if c["change"] == change]
                   for change in CHANGES}
            self.files = {change: sorted(set(conflicts[change]) | set(dss[change])) for change in CHANGES}


class ZoneBusy(RuntimeError):
    """Another operation is already running on this zone (nothing was sent)."""


class ZoneBusyElsewhere(ZoneBusy):
    """Another viewer of the connection is syncing this zone (nothing was sent): not a repeated click
    of this viewer's, so its message handler answers it as an error."""


class UnknownZone(LookupError, ValueError):
    """No synced zone matches what was asked (a ``ValueError`` too: it is a bad argument)."""


class NotRunning(RuntimeError):
    """The code studio is not running: it has no synced zone."""


class StudioDeleted(NotRunning):
    """The code studio no longer exists (its status read answered 404): nothing was sent."""


def display_name(zone_type: str | None) -> str | None:
    """A readable name for a zone type (``None`` when unknown): :func:`cswidgets.api.assumptions.zone_label`."""
    return assumptions.zone_label(zone_type)


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
        "label": assumptions.zone_text(zone),
        "path": zone.get("pathInContainer"), "one_way": bool(zone.get("oneWay")),
        "status": "unchecked", "error": None, "added": [], "modified": [], "deleted": [],
        "counts": dict.fromkeys(CHANGES, 0), "authors": [], "commit_from": None, "commit_to": None,
        "commit_from_full": None, "commit_to_full": None, "fingerprint": "", "confirm": {"pull": None, "push": None},
        "confirm_restore": {"pull": None, "push": None}, "backup": None, "studio_commands": {},
        "versioned": assumptions.zone_is_versioned(zone.get("zone")), "dss_known": None, "dss_why": None,
        "dss_changes": [], "dss_count": 0, "busy": None, "result": None,
    }
    if previous:
        for name in ("status", "error", *CHANGES, "counts", "authors", "commit_from", "commit_to",
                     "commit_from_full", "commit_to_full", "fingerprint", "confirm", "studio_commands", "dss_known",
                     "dss_why", "dss_changes", "dss_count", "busy", "result"):
            entry[name] = previous.get(name, entry[name])  # type: ignore[literal-required]
        _confirm(entry)
    return entry


def checked_entry(zone: Mapping[str, Any], check: Any, previous: Mapping[str, Any] | None = None
                  ) -> tuple[ZoneEntry, dict[str, list[str]]]:
    """The synced dict of a zone after ``check_conflicts``; also returns the full file lists."""
    entry = base_entry(zone, previous)
    full = {c: [] for c in CHANGES}
    if getattr(check, "is_error", False):
        error = check.error  # DSS's text in a 200 answer: through the gate like any other
        error = dss_text(error if isinstance(error, str) else json.dumps(error, default=str))
        entry.update(status="error", error=error,
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
        entry["studio_commands"] = {p: studio_commands(zone.get("pathInContainer"), p)
                                    for c in CHANGES for p in entry[c]}  # type: ignore[literal-required]
    _confirm(entry)
    return entry, full


def studio_commands(zone_path: Any, path: str) -> dict[str, str]:
    """Shell commands, for the code studio's terminal, on its copy of ``path`` (zone-relative) -- what DSS's API
    cannot do (it has no call that reads a code studio's file, docs/dss-api.md §10): ``show`` prints it,
    ``save`` copies it aside (``<file>.studio-copy``) before a push replaces it."""
    where = posixpath.join(str(zone_path or "."), path.lstrip("/"))
    return {"show": f"cat -- {shlex.quote(where)}",
            "save": f"cp -p -- {shlex.quote(where)} {shlex.quote(where + '.studio-copy')}"}


def dss_changed(entry: Mapping[str, Any]) -> bool:
    """Whether DSS's copy changed since the last sync (commitFrom ≠ commitTo, or any conflict)."""
    moved = entry.get("commit_from_full") != entry.get("commit_to_full")
    return bool(moved or sum((entry.get("counts") or {}).values()))


def with_dss_side(entry: ZoneEntry, side: Any) -> ZoneEntry:
    """``entry`` with the DSS-side changes of :func:`~.changes.read_dss_side` (and the confirmations
    that name them)."""
    conflicting = {p for c in CHANGES for p in entry.get(c) or []}
    rows = [{"change": f.change, "path": path, "conflict": path in conflicting, "authors": list(f.authors),
             "messages": list(f.messages)} for path, f in sorted(side.files.items())]
    entry = {**entry, "dss_known": side.known, "dss_why": side.why, "dss_changes": rows[:MAX_LISTED],
             "dss_count": len(rows)}  # type: ignore[assignment]
    _confirm(entry)
    return entry


def _confirm(entry: Any) -> None:
    """Set ``entry``'s ``confirm`` (the sentence of each sync that needs one) and ``confirm_restore``."""
    entry["confirm"] = {op: confirmation_sentence(op, entry) for op in ("pull", "push")}
    entry["confirm_restore"] = {op: way_back(op, entry) if entry["confirm"][op] else None for op in ("pull", "push")}
    entry["backup"] = backup_offer(entry) if entry["confirm"]["pull"] else None


#: The pull confirmation's download button (one home: the view shows this text).
BACKUP_BUTTON = "Download DSS's versions (zip)"
#: Why a listed file is not in the zip.
NO_DSS_VERSION = "deleted in DSS: there is no DSS version to save"


def backup_files(entry: Mapping[str, Any], full: Mapping[str, list[str]] | None = None,
                 side: Any = None) -> tuple[list[str], list[str]]:
    """``(files, missing)`` of a pull's zip: the files the pull confirmation lists (every DSS-side change since
    the last sync, and the conflicts) that DSS still has, and those it deleted (no DSS version to save). From
    the full lists of the last check when given (``full``: the conflicts; ``side``: a
    :class:`~.changes.DssSide`), else from the entry's (capped) lists."""
    if side is not None and getattr(side, "known", False):
        dss = {path: f.change for path, f in side.files.items()}
    else:
        dss = {c["path"]: c["change"] for c in entry.get("dss_changes") or []}
    lists = full if full is not None else entry
    listed = list(dss) + [p for c in CHANGES for p in lists.get(c) or []]
    listed = sorted(dict.fromkeys(listed))
    missing = [p for p in listed if dss.get(p) == "deleted"]
    return [p for p in listed if dss.get(p) != "deleted"], missing


def backup_offer(entry: Mapping[str, Any]) -> BackupOffer | None:
    """The pull confirmation's offer of DSS's versions as a zip (:class:`BackupOffer`), or ``None`` for a zone the
    project library API does not serve (its confirmation's way back is DSS's git history, or nothing)."""
    if not assumptions.library_zone(entry.get("type")):
        return None
    files, missing = backup_files(entry)
    if not files and not missing:
        return None
    note = ("Before pulling, save DSS's current version of each listed file DSS still has (read through DSS's "
            "project library API) as a zip.")
    return {"button": BACKUP_BUTTON, "note": note, "missing": missing[:MAX_LISTED],
            "missing_note": f"Not in the zip ({NO_DSS_VERSION}):"}


def _list(items: list[str], total: int, limit: int = 20) -> str:
    shown = items[:limit]
    return "; ".join(shown) + (f"; … and {total - len(shown)} more" if total > len(shown) else "")


def _list_conflicts(entry: Mapping[str, Any]) -> str:
    items = [f"{change} {p}" for change in CHANGES for p in entry.get(change) or []]
    return _list(items, sum((entry.get("counts") or {}).values()))


def _list_dss(entry: Mapping[str, Any]) -> str:
    items = [f"{c['change']} {c['path']}" + (f" (by {', '.join(c['authors'])})" if c.get("authors") else "")
             + (" — also changed in the code studio" if c.get("conflict") else "")
             for c in entry.get("dss_changes") or []]
    return _list(items, int(entry.get("dss_count") or 0))


UNDO = f"This zone is not versioned. {UNDO_NOTE}"


def confirmation_sentence(op: str, entry: Mapping[str, Any]) -> str | None:
    """The one sentence of consequence of ``op`` on this zone (``None`` when it needs no confirmation); the
    view lists the files under it (each once) and :func:`way_back` after them."""
    label = entry.get("label") or entry.get("key")
    n = sum((entry.get("counts") or {}).values())
    if op == "pull":
        if entry.get("one_way") or entry.get("status") not in ("clean", "conflicts") or not dss_changed(entry):
            return None
        by = f", by {', '.join(entry['authors'])}" if entry.get("authors") else ""
        text = (f"Pull ({DIRECTION['pull']}) writes the code studio's files into DSS's copy of zone {label}, where "
                f"DSS changed since the last sync (commits {entry.get('commit_from') or '?'} → "
                f"{entry.get('commit_to') or '?'}{by}): ")
        if entry.get("dss_known"):
            m = int(entry.get("dss_count") or 0)
            return text + (f"the DSS-side change{'s' if m != 1 else ''} listed may be overwritten." if m
                           else "none of those changes is in this zone's files.")
        why = entry.get("dss_why") or "DSS did not list them"
        return text + f"those DSS-side changes may be overwritten, and they cannot be listed here ({why})."
    lost = f" — the {n} file{'s' if n != 1 else ''} listed and any other" if n else " — any"
    return (f"Push ({DIRECTION['push']}) replaces the code studio's copy of zone {label} with DSS's{lost} edit made "
            "in the code studio and not pulled yet is lost (those cannot be listed: DSS reports a code studio change "
            "only where DSS changed the same file).")


def way_back(op: str, entry: Mapping[str, Any]) -> str | None:
    """How to get back what ``op`` overwrites, or that nothing can ("cannot be undone" at most once)."""
    if op == "pull":
        if entry.get("versioned") is False:
            return UNDO
        commit = entry.get("commit_to") or "?"
        return (f"To get a DSS file back afterwards: DSS's git history keeps it -- in the project's Version control "
                f"history, commit {commit} (DSS's state before this pull) holds every file as it was; revert the "
                "file from there.")
    return ("This cannot be undone: DSS keeps no history of the code studio's copy. To keep those edits, pull "
            "first, or copy the files aside in the code studio's terminal (the command under each conflict).")


def confirmation_text(op: str, entry: Mapping[str, Any]) -> str | None:
    """Why ``op`` on this zone needs an explicit confirmation, in full (``None`` when it does not): the
    sentence of consequence, the files it may overwrite (each once) and how to get them back. The view shows
    the same three parts apart (``confirm``, its own list, ``confirm_restore``)."""
    sentence = confirmation_sentence(op, entry)
    if sentence is None:
        return None
    files = _list_dss(entry) if op == "pull" and entry.get("dss_known") else ""
    conflicts = _list_conflicts(entry) if sum((entry.get("counts") or {}).values()) else ""
    if op == "pull" and files:
        listed = {c["path"] for c in entry.get("dss_changes") or []}
        rest = [f"{change} {p}" for change in CHANGES for p in entry.get(change) or [] if p not in listed]
        conflicts = "; ".join(rest)
    listing = "; ".join(part for part in (files, conflicts) if part)
    return " ".join(part for part in (sentence, f"Files: {listing}." if listing else "", way_back(op, entry))
                    if part)


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


class StudioView(TypedDict, total=False):
    """The ``studio_view`` trait: which studio is shown, its state and what to tell about it (without a
    studio: only ``message``, ``running`` and ``can_start``)."""

    project_key: str
    id: str
    name: str
    state: str | None  # DSS's state; None: not read yet (or malformed)
    running: bool
    message: str  # what to tell ("" while running)
    can_start: bool  # stopped, and no start from this viewer running
    simulator: bool  # the client talks to the simulator
    deleted: bool  # DSS no longer knows the studio (its status read answered 404): nothing can be synced


def _state_message(state: str | None) -> str:
    if state == "RUNNING":
        return ""
    if state is None:  # not read yet (a failed read passes its own message)
        return "Reading the code studio's state…"
    return STATE_MESSAGES.get(state, f"The code studio is in state {state}: nothing to sync.")


#: What the viewer of a deleted studio says (``StudioView.deleted``).
DELETED_MESSAGE = ("This code studio was deleted: DSS no longer knows it (its status read answered \"not found\"), "
                   "so there is nothing to check or sync.")


def studio_view(studio: Any, name: str | None, state: str | None, *, starting: bool,
                message: str | None = None, deleted: bool = False) -> StudioView:
    """The ``studio_view`` trait (:class:`StudioView`); ``deleted``: DSS no longer knows the studio."""
    if studio is None:
        return {"message": "No code studio selected.", "running": False, "can_start": False}
    client = getattr(studio, "client", None)
    return {
        "project_key": studio.project_key, "id": studio.id, "name": name or studio.id,
        "state": None if deleted else state,
        "running": not deleted and state == "RUNNING",
        "message": DELETED_MESSAGE if deleted else message or _state_message(state),
        "can_start": not deleted and state == "STOPPED" and not starting,
        "simulator": assumptions.simulator_hint(client),  # never a request (no probe on a constructor)
        "deleted": deleted,
    }
