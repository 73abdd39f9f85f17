"""Zone files on both sides: a DSS-side commit history and a studio-side working copy.

A :class:`Repo` is the DSS side of one zone (shared by all studios of a project for project
zones, per studio for ``code_studio-*`` zones, per user for ``user-*`` zones). Every change makes
a :class:`Commit` holding a full snapshot, so nothing is ever lost: what a pull overwrites stays
in the history. A :class:`StudioSide` is the files inside a running studio plus the commit it
last synced from (the sync point).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from .. import assumptions as A

if TYPE_CHECKING:
    from .clock import SimClock
    from .studios import Studio


@dataclass(frozen=True)
class Commit:
    """One DSS-side version of a zone."""

    hash: str
    parent: str | None
    author: str
    time_ms: int
    message: str
    files: Mapping[str, str]
    changed: frozenset[str]

    def to_json(self) -> dict[str, Any]:
        return {
            "hash": self.hash,
            "parent": self.parent,
            "author": self.author,
            "time": self.time_ms,
            "message": self.message,
            "changed": sorted(self.changed),
        }


def _diff(old: Mapping[str, str], new: Mapping[str, str]) -> tuple[list[str], list[str], list[str]]:
    """(added, modified, deleted) paths going from ``old`` to ``new``, each sorted."""
    added = sorted(p for p in new if p not in old)
    modified = sorted(p for p in new if p in old and new[p] != old[p])
    deleted = sorted(p for p in old if p not in new)
    return added, modified, deleted


def _size(files: Mapping[str, str]) -> int:
    return sum(len(text.encode("utf-8", "surrogatepass")) for text in files.values())


class Repo:
    """The DSS side of a zone: a linear commit history. Not thread-safe (the model lock guards)."""

    def __init__(self, label: str, author: str, time_ms: int, files: Mapping[str, str] | None = None):
        self.label = label
        self.commits: list[Commit] = []
        self._by_hash: dict[str, int] = {}
        self._append(dict(files or {}), author, time_ms, "Initial commit", force=True)

    @property
    def head(self) -> Commit:
        return self.commits[-1]

    def get(self, commit_hash: str) -> Commit:
        return self.commits[self._by_hash[commit_hash]]

    def _append(
        self, files: dict[str, str], author: str, time_ms: int, message: str, force: bool = False
    ) -> Commit | None:
        parent = self.commits[-1] if self.commits else None
        old = parent.files if parent else {}
        added, modified, deleted = _diff(old, files)
        changed = frozenset(added + modified + deleted)
        if not changed and not force:
            return None
        tree = A.commit_hash(*(f"{p}\x01{files[p]}" for p in sorted(files)))
        digest = A.commit_hash(self.label, parent.hash if parent else "", author, message, tree, str(len(self.commits)))
        commit = Commit(
            digest, parent.hash if parent else None, author, time_ms, message, MappingProxyType(files), changed
        )
        self._by_hash[digest] = len(self.commits)
        self.commits.append(commit)
        return commit

    def commit(self, files: Mapping[str, str], author: str, time_ms: int, message: str) -> Commit | None:
        """Record ``files`` as the new head; returns None when nothing changed."""
        return self._append(dict(files), author, time_ms, message)

    def write(self, path: str, text: str, author: str, time_ms: int) -> Commit | None:
        files = dict(self.head.files)
        files[path] = text
        return self.commit(files, author, time_ms, f"Edit {path}")

    def delete(self, path: str, author: str, time_ms: int) -> Commit | None:
        if path not in self.head.files:
            return None
        files = dict(self.head.files)
        del files[path]
        return self.commit(files, author, time_ms, f"Delete {path}")

    def commits_after(self, commit_hash: str) -> list[Commit]:
        """Commits strictly after ``commit_hash`` up to the head."""
        return self.commits[self._by_hash[commit_hash] + 1 :]

    def authors_since(self, commit_hash: str, paths: Iterable[str]) -> list[str]:
        """Sorted authors of the commits after ``commit_hash`` that touched any of ``paths``."""
        wanted = set(paths)
        return sorted({c.author for c in self.commits_after(commit_hash) if c.changed & wanted})


class Repos:
    """The DSS side of every zone, created empty on first use. A project zone is shared by the
    project's studios, a ``code_studio-*`` zone belongs to one studio, a ``user-*`` zone to the
    studio's owner (``assumptions.zone_scope``)."""

    def __init__(self, clock: SimClock) -> None:
        self._clock = clock
        self.by_ident: dict[tuple[str, ...], Repo] = {}

    def repo(self, studio: Studio, zone_key: str) -> Repo:
        """The DSS side of ``zone_key`` as seen from ``studio``."""
        scope = A.zone_scope(zone_key)
        ident: tuple[str, ...]
        if scope == "project":
            ident = ("project", studio.project_key, zone_key)
        elif scope == "studio":
            ident = ("studio", studio.project_key, studio.id, zone_key)
        else:
            ident = ("user", studio.owner, zone_key)
        repo = self.by_ident.get(ident)
        if repo is None:
            repo = self.by_ident[ident] = Repo("/".join(ident), "admin", self._clock.now_ms())
        return repo

    def forget_studio(self, studio: Studio) -> None:
        """Drop the zones that belonged to ``studio`` alone (it was deleted)."""
        for zone in studio.zones:
            if A.zone_scope(zone.key) == "studio":
                self.by_ident.pop(("studio", studio.project_key, studio.id, zone.key), None)


@dataclass
class StudioSide:
    """The files of one zone inside a running studio, and the commit it last synced from."""

    base: Commit
    files: dict[str, str] = field(default_factory=dict)

    def changes(self) -> tuple[list[str], list[str], list[str]]:
        """(added, modified, deleted) in the studio since the sync point."""
        return _diff(self.base.files, self.files)


def push(repo: Repo, side: StudioSide) -> dict[str, int]:
    """DSS -> studio: copy the whole zone, move the sync point to the head; ``{count, size}``."""
    side.files = dict(repo.head.files)
    side.base = repo.head
    return {"count": len(side.files), "size": _size(side.files)}


def pull(
    repo: Repo, side: StudioSide, author: str, time_ms: int, studio_name: str
) -> tuple[list[str], list[str], list[str]]:
    """Studio -> DSS: the studio zone replaces the DSS zone (a new commit, so the replaced
    versions stay in history) and the sync point moves to it. Returns the studio's changes."""
    changes = side.changes()
    repo.commit(side.files, author, time_ms, f"Pull from code studio {studio_name}")
    side.base = repo.head
    return changes


def conflicts(repo: Repo, side: StudioSide, zone_id: str) -> dict[str, Any]:
    """Files changed in the studio whose DSS copy also changed since the sync point."""
    base, head = side.base.files, repo.head.files
    dss_changed = {p for p in set(base) | set(head) if base.get(p) != head.get(p)}

    def keep(paths: list[str]) -> list[str]:
        return [p for p in paths if p in dss_changed and side.files.get(p) != head.get(p)]

    added, modified, deleted = (keep(paths) for paths in side.changes())
    return {
        zone_id: {
            "commitFrom": side.base.hash,
            "commitTo": repo.head.hash,
            "authors": repo.authors_since(side.base.hash, added + modified + deleted),
            "added": added,
            "modified": modified,
            "deleted": deleted,
        }
    }
