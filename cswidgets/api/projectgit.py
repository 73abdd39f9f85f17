"""The project git handle (seed parity with ``dataikuapi.dss.project.DSSProjectGit``), reduced to the
reads a file sync needs: :meth:`ProjectGit.diff` and :meth:`ProjectGit.log` (retried GETs). The answers
are returned as DSS sends them; :mod:`cswidgets.api.assumptions` reads their entries."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .validate import check_id, path, segment

if TYPE_CHECKING:
    from .client import Client

__all__ = ["ProjectGit"]


class ProjectGit:
    """A handle on the git repository of one project (no request is made to build it)."""

    def __init__(self, client: Client, project_key: str) -> None:
        self.client = client
        self._transport = client._transport
        self._path = path("projects", segment(project_key, "project key"), "git", "actions")
        self.project_key = project_key

    def diff(self, commit_from: str | None = None, commit_to: str | None = None) -> dict[str, Any]:
        """Changes between two commits (``commit_from`` and ``commit_to``), made in one commit
        (``commit_from`` alone), or between the working copy and the last commit (neither).

        Returns the answer: ``commitFrom``, ``commitTo`` (dicts), ``addedLines``, ``removedLines``,
        ``changedFiles`` (ints) and ``entries`` (one dict per changed file).
        """
        params = {"commitFrom": _commit(commit_from, "commit_from"), "commitTo": _commit(commit_to, "commit_to")}
        answer = self._transport.json("GET", self._path + "/diff", params=params, idempotent=True)
        return answer if isinstance(answer, dict) else {}

    def log(self, path: str | None = None, start_commit: str | None = None, count: int = 1000) -> dict[str, Any]:
        """Commits of the repository, newest first: only those touching ``path`` when given, from
        ``start_commit`` (the ``nextCommit`` of a previous answer), at most ``count``.

        Returns the answer: ``entries`` and, when more commits remain, ``nextCommit``.
        """
        if path is not None and not isinstance(path, str):
            raise TypeError(f"path must be a string, not {type(path).__name__}")
        if isinstance(count, bool) or not isinstance(count, int) or count < 1:
            raise ValueError(f"count must be a positive int, not {count!r}")
        params = {"path": path, "startCommit": _commit(start_commit, "start_commit"), "count": count}
        answer = self._transport.json("GET", self._path + "/log", params=params, idempotent=True)
        return answer if isinstance(answer, dict) else {}

    def __repr__(self) -> str:
        return f"ProjectGit({self.project_key!r})"


def _commit(value: str | None, name: str) -> str | None:
    return None if value is None else check_id(value, name)
