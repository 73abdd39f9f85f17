"""What changed on the DSS side of a zone since the last sync, read from the project git (no widget code).

``check_conflicts`` names only the files changed on *both* sides, but a pull may overwrite every DSS-side
change made since the last sync (under a mirroring DSS, all of them; the user cannot know which model a
server plays). The conflicts answer carries the DSS commits at the last sync and now (``commitFrom``,
``commitTo``): the project git diff between them, kept to the zone's folder, lists those changes with
their unified diffs, and the log between them gives each file's authors and commit messages. Where DSS
keeps no history (resources zones are not versioned; user zones are not in a project's repository) or
the git API fails, :class:`DssSide` says so and why, and nothing is guessed.

Which folder holds each zone and the shape of the git answers are INFERRED
(:mod:`cswidgets.api.assumptions`, docs/dss-api.md §10).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ...api import assumptions
from ...api.shapes import answer_list, objects

#: At most this many commits are read for authors and messages (each costs one diff request).
MAX_COMMITS = 50
#: The project's commits (any zone's) scanned to find where the last sync was.
MAX_LOG = 1000


@dataclass
class FileChange:
    """One file changed on the DSS side since the last sync."""

    change: str  # added, modified, deleted
    diff: str | None  # unified diff text (None when DSS did not send one)
    authors: list[str] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)


@dataclass
class DssSide:
    """The DSS-side changes of one zone since the last sync, or why they cannot be known."""

    known: bool
    why: str | None = None  # why not known
    versioned: bool = True
    files: dict[str, FileChange] = field(default_factory=dict)  # zone-relative path -> change


def unknown(why: str, versioned: bool = True) -> DssSide:
    return DssSide(False, why, versioned)


def read_dss_side(studio: Any, zone: Mapping[str, Any], commit_from: Any, commit_to: Any) -> DssSide:
    """The DSS-side changes of ``zone`` (a normalised status zone) between the two commits of its
    conflicts answer. Makes no request when nothing moved, else 3 plus one per commit of the zone (at
    most :data:`MAX_COMMITS`); a failure of the git API is reported in :attr:`DssSide.why`."""
    kind = zone.get("zone")
    if not assumptions.zone_is_versioned(kind):
        return unknown("this zone is not versioned: DSS keeps no history of it", versioned=False)
    folder = assumptions.zone_git_folder(kind, str(getattr(studio, "id", "")))
    if folder is None:
        return unknown("DSS keeps this zone's history outside the project's git repository")
    if not commit_from or not commit_to:
        return unknown("DSS did not say which commits the last sync and the current state are")
    if commit_from == commit_to:
        return DssSide(True)
    client = getattr(studio, "client", None)
    if client is None:
        return unknown("this code studio handle has no client to read the project's git repository with")
    try:
        git = client.get_project(studio.project_key).get_project_git()
        files = _files(git.diff(commit_from, commit_to), folder)
        if files:
            _attribute(git, folder, str(commit_from), str(commit_to), files)
    except Exception as exc:  # the listing is unknown, not empty
        return unknown(f"reading the project's git history failed ({exc})")
    return DssSide(True, files=files)


def _files(diff: Mapping[str, Any], folder: str) -> dict[str, FileChange]:
    files: dict[str, FileChange] = {}
    for entry in _entries(diff, "the project's git diff"):
        found = assumptions.git_entry_change(entry)
        if found is not None and found[1].startswith(folder):
            files[found[1][len(folder) :]] = FileChange(found[0], assumptions.git_entry_diff(entry))
    return files


def _entries(answer: Mapping[str, Any], what: str) -> list[dict[str, Any]]:
    """The ``entries`` of a git answer: a list of objects (a string or a number is a DSSError, never iterated)."""
    return objects(answer_list(answer.get("entries"), what), what)


def _attribute(git: Any, folder: str, commit_from: str, commit_to: str, files: dict[str, FileChange]) -> None:
    """Authors and messages of the commits after ``commit_from`` up to ``commit_to`` that touched each file."""
    between: set[str] = set()  # the ids after commit_from, up to commit_to (the history is linear)
    for commit in _entries(git.log(start_commit=commit_to, count=MAX_LOG), "the project's git log"):
        commit_id = assumptions.git_commit_summary(commit)["id"]
        if not commit_id or commit_id == commit_from:
            break
        between.add(commit_id)
    touching = _entries(git.log(path=folder.rstrip("/"), start_commit=commit_to, count=MAX_COMMITS),
                        "the project's git log")
    for commit in touching:
        info = assumptions.git_commit_summary(commit)
        if info["id"] not in between:
            break
        for path in _files(git.diff(info["id"]), folder):
            change = files.get(path)
            if change is None:
                continue
            if info["author"] and info["author"] not in change.authors:
                change.authors.append(str(info["author"]))
            if info["message"]:
                change.messages.append(str(info["message"]))
