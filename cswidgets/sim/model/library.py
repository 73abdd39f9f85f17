"""The project library endpoints (``/projects/{projectKey}/libraries/contents`` and ``.../contents/{path}``) as
a read-only view over the zone repositories: a project's library is the DSS side of its library zones
(``assumptions.LIBRARY_ZONES``: ``project-lib-versioned`` at the library's root), so what a pull writes into
DSS is what the library answers next (docs/dss-api.md §10 "Project libraries")."""

from __future__ import annotations

import base64
from typing import Any

from .. import assumptions as A
from ..errors import bad_request, not_found
from .core import Core
from .directory import Directory
from .zones import Repos


class ProjectLibrary:
    """``contents`` (the tree) and ``read`` (one file) of each project's library."""

    def __init__(self, core: Core, directory: Directory, repos: Repos) -> None:
        self._core = core
        self._directory = directory
        self._repos = repos

    def _files(self, project_key: str) -> dict[str, str]:
        """``{library path: text}``: the current DSS side of every library zone of the project (model lock held)."""
        files: dict[str, str] = {}
        for zone_key, folder in A.LIBRARY_ZONES.items():
            repo = self._repos.by_ident.get(("project", project_key, zone_key))
            if repo is not None:
                files.update({folder + path: text for path, text in repo.head.files.items()})
        return files

    def contents(self, project_key: str) -> list[dict[str, Any]]:
        """The root's children: folders ``{name, children}`` (sorted by name), files ``{name}``."""
        with self._core.lock:
            self._core.tick()
            self._directory.project(project_key)
            paths = list(self._files(project_key))
        root: dict[str, Any] = {}
        for path in paths:
            node = root
            *folders, name = [p for p in path.split("/") if p]
            for folder in folders:
                child = node.get(folder)
                if child is None:  # new, or a file of the same name: the folder wins
                    child = node[folder] = {}
                node = child
            node.setdefault(name, None)
        return _items(root)

    def read(self, project_key: str, path: str, encoding: str | None = None) -> dict[str, str]:
        """``{data}``: the file's text, or its UTF-8 bytes in base64 when ``encoding`` is ``"base64"``."""
        wanted = "/".join(p for p in path.split("/") if p)
        with self._core.lock:
            self._core.tick()
            self._directory.project(project_key)
            files = self._files(project_key)
        if wanted not in files:
            if any(p.startswith(wanted + "/") for p in files):
                raise bad_request(f"{wanted} is a folder of the library of project {project_key}, not a file")
            raise not_found(f"File {wanted} not found in the library of project {project_key}")
        text = files[wanted]
        if encoding is None or encoding == "":
            return {"data": text}
        if encoding.lower() == "base64":
            return {"data": base64.b64encode(text.encode("utf-8", "surrogatepass")).decode("ascii")}
        raise bad_request(f"Unknown {A.LIBRARY_ENCODING_PARAM}: {encoding!r}")


def _items(node: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    for name in sorted(node):
        child = node[name]
        out.append({"name": name} if child is None else {"name": name, "children": _items(child)})
    return out
