"""The project git endpoints (``/projects/{projectKey}/git/actions/diff`` and ``.../log``) as a view
over the zone repositories.

A project's git repository holds its versioned zones, each in a folder
(``assumptions.PROJECT_GIT_FOLDERS``): the project's own zones and the ``code_studio-versioned`` zone
of each of its studios. Every zone commit is a commit of that repository; their shared sequence
numbers order them into one linear history, so the ids ``check_conflicts`` answers as
``commitFrom``/``commitTo`` are commits of the project git, and a diff between them shows every file
of the project repository that changed in between (other zones' too, in their own folders).
Resources zones (not versioned) and user zones (not a project's) are not in it.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from typing import Any

from .. import assumptions as A
from ..errors import bad_request, not_found
from .core import Core
from .directory import Directory
from .zones import Commit, Repo, Repos


class ProjectGit:
    """``diff`` and ``log`` of each project's git repository (see the module docstring)."""

    def __init__(self, core: Core, directory: Directory, repos: Repos) -> None:
        self._core = core
        self._directory = directory
        self._repos = repos

    def _folders(self, project_key: str) -> list[tuple[str, Repo]]:
        """``(folder, repo)`` of every versioned zone in the project's repository."""
        out = []
        for ident, repo in self._repos.by_ident.items():
            if not repo.versioned or ident[1] != project_key or ident[0] not in ("project", "studio"):
                continue
            zone_key, studio_id = ident[-1], ident[2] if ident[0] == "studio" else ""
            folder = A.project_git_folder(zone_key, studio_id)
            if folder is not None:
                out.append((folder, repo))
        return out

    def _history(self, project_key: str) -> list[tuple[str, Commit]]:
        """``(folder, commit)`` of the project repository, oldest first."""
        commits = [(folder, c) for folder, repo in self._folders(project_key) for c in repo.commits]
        return sorted(commits, key=lambda fc: fc[1].seq)

    @staticmethod
    def _tree(folders: list[tuple[str, Repo]], seq: int) -> dict[str, str]:
        """Every file of the repository as it stood at sequence number ``seq``."""
        tree: dict[str, str] = {}
        for folder, repo in folders:
            commit = repo.at_seq(seq)
            if commit is not None:
                tree.update({folder + p: text for p, text in commit.files.items()})
        return tree

    @staticmethod
    def _json(history: list[tuple[str, Commit]], index: int) -> dict[str, Any]:
        commit = history[index][1]
        parents = [history[index - 1][1].hash] if index > 0 else []
        return A.git_commit_json(commit.hash, parents, commit.author, commit.message, commit.time_ms)

    @staticmethod
    def _index(history: list[tuple[str, Commit]], commit_hash: str, project_key: str) -> int:
        for i, (_, commit) in enumerate(history):
            if commit.hash == commit_hash:
                return i
        raise not_found(f"Commit {commit_hash} not found in the git repository of project {project_key}")

    def diff(self, project_key: str, commit_from: str | None, commit_to: str | None) -> dict[str, Any]:
        with self._core.lock:
            self._core.tick()
            self._directory.project(project_key)
            folders = self._folders(project_key)
            history = self._history(project_key)
            if not history:
                return _diff_json(None, None, {}, {})
            if commit_from is None and commit_to is None:  # the working copy always equals the head
                head = len(history) - 1
                return _diff_json(self._json(history, head), None, {}, {})
            if commit_from is None or commit_to is None:  # the changes made in one commit
                i = self._index(history, commit_from or commit_to or "", project_key)
                old_seq = history[i - 1][1].seq if i > 0 else 0
                new = self._tree(folders, history[i][1].seq)
                old = self._tree(folders, old_seq)
                parent = self._json(history, i - 1) if i > 0 else None
                return _diff_json(parent, self._json(history, i), old, new)
            i, j = self._index(history, commit_from, project_key), self._index(history, commit_to, project_key)
            old, new = self._tree(folders, history[i][1].seq), self._tree(folders, history[j][1].seq)
            return _diff_json(self._json(history, i), self._json(history, j), old, new)

    def log(self, project_key: str, path: str | None, start_commit: str | None, count: Any) -> dict[str, Any]:
        limit = _count(count)
        with self._core.lock:
            self._core.tick()
            self._directory.project(project_key)
            history = self._history(project_key)
            start = len(history) - 1
            if start_commit:
                start = self._index(history, start_commit, project_key)
            prefix = (path or "").strip("/")
            entries: list[dict[str, Any]] = []
            for i in range(start, -1, -1):
                folder, commit = history[i]
                if prefix and not any(_under(folder + p, prefix) for p in commit.changed):
                    continue
                if len(entries) == limit:
                    return {"entries": entries, "nextCommit": commit.hash}
                entries.append(self._json(history, i))
            return {"entries": entries}


def _under(file_path: str, prefix: str) -> bool:
    return file_path == prefix or file_path.startswith(prefix + "/")


def _count(value: Any) -> int:
    if value is None or value == "":
        return A.GIT_LOG_DEFAULT_COUNT
    try:
        count = int(value)
    except (TypeError, ValueError):
        raise bad_request(f"count must be an integer, not {value!r}") from None
    if count < 1:
        raise bad_request("count must be at least 1")
    return count


def unified_diff(path: str, old: str | None, new: str | None) -> tuple[str, int, int]:
    """The unified diff text of one file (``None``: the file does not exist on that side), with
    the numbers of added and removed lines."""
    a = (old or "").splitlines(keepends=True)
    b = (new or "").splitlines(keepends=True)
    lines = list(
        difflib.unified_diff(
            a,
            b,
            fromfile=f"a/{path}" if old is not None else A.GIT_DEV_NULL,
            tofile=f"b/{path}" if new is not None else A.GIT_DEV_NULL,
        )
    )
    body = lines[2:]
    added = sum(1 for line in body if line.startswith("+"))
    removed = sum(1 for line in body if line.startswith("-"))
    text = "".join(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in lines)
    return text, added, removed


def _diff_json(
    commit_from: dict[str, Any] | None,
    commit_to: dict[str, Any] | None,
    old: Mapping[str, str],
    new: Mapping[str, str],
) -> dict[str, Any]:
    entries = []
    for path in sorted(set(old) | set(new)):
        before, after = old.get(path), new.get(path)
        if before == after:
            continue
        text, added, removed = unified_diff(path, before, after)
        entries.append(
            {
                "changeType": "ADD" if before is None else "DELETE" if after is None else "MODIFY",
                "oldPath": path if before is not None else A.GIT_DEV_NULL,
                "newPath": path if after is not None else A.GIT_DEV_NULL,
                "addedLines": added,
                "removedLines": removed,
                "diff": text,
            }
        )
    return {
        "commitFrom": commit_from,
        "commitTo": commit_to,
        "addedLines": sum(e["addedLines"] for e in entries),
        "removedLines": sum(e["removedLines"] for e in entries),
        "changedFiles": len(entries),
        "entries": entries,
    }
