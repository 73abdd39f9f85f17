"""Zone files on both sides: a DSS-side commit history and a studio-side working copy.

A :class:`Repo` is the DSS side of one zone (shared by all studios of a project for project
zones, per studio for ``code_studio-*`` zones, per user for ``user-*`` zones). Every change makes
a :class:`Commit` holding a full snapshot. A *versioned* zone keeps every commit (what a pull
overwrites stays in the history); a resources zone is not versioned in DSS: its repo keeps only
the current version, and its commit ids are not git commits (``assumptions.zone_is_versioned``).
Every commit carries a sequence number shared by all repos, which orders the project git
(:mod:`cswidgets.sim.model.projectgit`). A :class:`StudioSide` is the files inside a running
studio plus the sync point: the DSS commit and the studio's files at the last sync.

A pull follows the simulator's sync model (``assumptions.SYNC_MODELS``): ``"merge"`` applies the
studio's changes since the last sync to the DSS zone and leaves DSS-only changes alone;
``"mirror"`` replaces the DSS zone with the studio's copy.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Mapping
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
    seq: int = 0

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
    """The DSS side of a zone: a linear commit history (only the head when not ``versioned``).
    Not thread-safe (the model lock guards)."""

    def __init__(
        self,
        label: str,
        author: str,
        time_ms: int,
        files: Mapping[str, str] | None = None,
        *,
        versioned: bool = True,
        seq: Callable[[], int] | None = None,
    ):
        self.label = label
        self.versioned = versioned
        self._seq = seq or itertools.count(1).__next__
        self.commits: list[Commit] = []
        self._by_hash: dict[str, int] = {}
        self._count = 0
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
        digest = A.commit_hash(self.label, parent.hash if parent else "", author, message, tree, str(self._count))
        commit = Commit(
            digest,
            parent.hash if parent else None,
            author,
            time_ms,
            message,
            MappingProxyType(files),
            changed,
            self._seq(),
        )
        self._count += 1
        if not self.versioned:  # no history: only the current version exists
            self.commits, self._by_hash = [], {}
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

    def at_seq(self, seq: int) -> Commit | None:
        """The commit that was the head when the sequence stood at ``seq`` (None: not yet created)."""
        found = None
        for commit in self.commits:
            if commit.seq > seq:
                break
            found = commit
        return found

    def authors_since(self, commit_hash: str, paths: Iterable[str]) -> list[str]:
        """Sorted authors of the commits after ``commit_hash`` that touched any of ``paths`` (none
        when the zone keeps no history)."""
        if commit_hash not in self._by_hash:
            return []
        wanted = set(paths)
        return sorted({c.author for c in self.commits_after(commit_hash) if c.changed & wanted})


class Repos:
    """The DSS side of every zone, created empty on first use. A project zone is shared by the
    project's studios, a ``code_studio-*`` zone belongs to one studio, a ``user-*`` zone to the
    studio's owner (``assumptions.zone_scope``)."""

    def __init__(self, clock: SimClock) -> None:
        self._clock = clock
        self.by_ident: dict[tuple[str, ...], Repo] = {}
        self._seq = itertools.count(1).__next__

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
            repo = self.by_ident[ident] = Repo(
                "/".join(ident), "admin", self._clock.now_ms(), versioned=A.zone_is_versioned(zone_key), seq=self._seq
            )
        return repo

    def forget_studio(self, studio: Studio) -> None:
        """Drop the zones that belonged to ``studio`` alone (it was deleted)."""
        for zone in studio.zones:
            if A.zone_scope(zone.key) == "studio":
                self.by_ident.pop(("studio", studio.project_key, studio.id, zone.key), None)


@dataclass
class StudioSide:
    """The files of one zone inside a running studio, and the sync point: the DSS commit
    (``base``) and the studio's files (``studio_base``) at the last sync."""

    base: Commit
    files: dict[str, str] = field(default_factory=dict)
    studio_base: dict[str, str] = field(default_factory=dict)

    def changes(self) -> tuple[list[str], list[str], list[str]]:
        """(added, modified, deleted) in the studio since the sync point."""
        return _diff(self.studio_base, self.files)


def push(repo: Repo, side: StudioSide) -> dict[str, int]:
    """DSS -> studio: copy the whole zone, move the sync point to the head; ``{count, size}``.
    The same under both sync models (INFERRED, ``assumptions.SYNC_MODELS``)."""
    side.files = dict(repo.head.files)
    side.base, side.studio_base = repo.head, dict(side.files)
    return {"count": len(side.files), "size": _size(side.files)}


def pull(
    repo: Repo, side: StudioSide, author: str, time_ms: int, studio_name: str, sync_model: str
) -> tuple[list[str], list[str], list[str]]:
    """Studio -> DSS under ``sync_model`` (see the module docstring): a new commit (versioned zones
    keep what it replaced in their history); the sync point moves to it. Returns the studio's
    changes."""
    added, modified, deleted = side.changes()
    if sync_model == "mirror":
        files = dict(side.files)
    else:
        files = dict(repo.head.files)
        files.update({p: side.files[p] for p in added + modified})
        for p in deleted:
            files.pop(p, None)
    repo.commit(files, author, time_ms, f"Pull from code studio {studio_name}")
    side.base, side.studio_base = repo.head, dict(side.files)
    return added, modified, deleted


def conflicts(repo: Repo, side: StudioSide, zone_id: str) -> dict[str, Any]:
    """Files changed in the studio whose DSS copy also changed since the sync point, and how many files
    changed in the studio in all (``A.conflicts_change_counts``)."""
    base, head = side.base.files, repo.head.files
    dss_changed = {p for p in set(base) | set(head) if base.get(p) != head.get(p)}

    def keep(paths: list[str]) -> list[str]:
        return [p for p in paths if p in dss_changed and side.files.get(p) != head.get(p)]

    changes = side.changes()
    added, modified, deleted = (keep(paths) for paths in changes)
    return {
        zone_id: {
            "commitFrom": side.base.hash,
            "commitTo": repo.head.hash,
            "authors": repo.authors_since(side.base.hash, added + modified + deleted),
            "added": added,
            "modified": modified,
            "deleted": deleted,
            **A.conflicts_change_counts(*(len(paths) for paths in changes)),
        }
    }
