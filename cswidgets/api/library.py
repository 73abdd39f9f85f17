"""A project's library (seed parity with ``dataikuapi.dss.projectlibrary.DSSLibrary``), reduced to its reads,
and :func:`zip_dss_versions`: DSS's current versions of given files of a library zone, saved as a zip before a
pull overwrites them (docs/dss-api.md §3.5 "File contents", §10 "Project libraries").

>>> project = client.get_project("PROJ")
>>> project.get_library().list_files()                         # ['R/helpers.R', 'python/proj/io.py', ...]
>>> project.get_library().get_file("python/proj/io.py").read()  # DSS's text of the file
>>> zip_dss_versions(project, "project-lib-versioned", ["python/proj/io.py"], "dss-versions.zip")

Every read is a retried GET through the connection's one transport: the answer is capped while it streams in
(``max_answer_bytes``) and its text goes through the one gate for DSS texts (:mod:`cswidgets.api.text`: the
connection's secrets become ``***``, characters no text can carry become U+FFFD). Paths are validated and
percent-quoted segment by segment. Which zones the library serves, and how a zone path maps to a library path:
:func:`cswidgets.api.assumptions.library_path` (INFERRED).

Differences from the official client (deliberate): building the handle sends no request (``DSSLibrary`` reads
the whole tree at once); :meth:`Library.get_file` returns a handle without a request, and reading a file that DSS
does not have raises :class:`DSSError` (status 404) where the official ``get_file`` returns ``None``; only reads
are offered, and ``read`` returns text only (a file's bytes would bypass the text gate).
"""

from __future__ import annotations

import contextlib
import os
import zipfile
from collections.abc import Iterable
from typing import IO, TYPE_CHECKING, Any, NamedTuple

from . import assumptions
from .body import AnswerTooLarge
from .errors import DSSConnectionError, DSSError
from .shapes import answer_list
from .text import dss_text
from .validate import file_parts, path, segment

if TYPE_CHECKING:
    from .client import Client
    from .project import Project

__all__ = ["Library", "LibraryFile", "ZipResult", "zip_dss_versions"]


class Library:
    """A handle on the library of one project (no request is made to build it)."""

    def __init__(self, client: Client, project_key: str) -> None:
        self.client = client
        self._transport = client._transport
        self._path = path("projects", segment(project_key, "project key"), "libraries", "contents")
        self.project_key = project_key

    def list_files(self) -> list[str]:
        """Every file of the library, as paths (``python/x/y.py``), sorted: one retried GET of the tree."""
        tree = answer_list(self._transport.json("GET", self._path, idempotent=True), f"GET {self._path}")
        return sorted(_files(tree, "", f"GET {self._path}"))

    def get_file(self, path: str) -> LibraryFile:
        """A handle on the file at ``path`` in the library (no request is made; ``ValueError`` for a path that
        is not a plain relative file path)."""
        return LibraryFile(self, path)

    def __repr__(self) -> str:
        return f"Library({self.project_key!r})"


class LibraryFile:
    """One file of a project's library (``DSSLibraryFile``'s read)."""

    def __init__(self, library: Library, file_path: str) -> None:
        self.library = library
        parts = file_parts(file_path)
        self.path = "/".join(parts)
        self._url = library._path + "/" + "/".join(segment(p, "library path segment") for p in parts)

    def read(self, as_type: str = "str") -> str:
        """DSS's current text of the file (a retried GET), through the text gate. ``as_type``: ``"str"`` only.

        Raises
        ------
        DSSError
            DSS's answer (404: DSS has no such file), or an answer without the file's text.
        """
        if as_type != "str":
            raise ValueError("as_type must be 'str': files are read as text, through the gate for DSS texts")
        answer = self.library._transport.json("GET", self._url, idempotent=True)
        data = assumptions.library_data(answer)
        if data is None:
            raise DSSError(f"malformed answer for GET {self._url}: no 'data' text")
        return dss_text(data, limit=None) or ""

    def __repr__(self) -> str:
        return f"LibraryFile({self.library.project_key!r}, {self.path!r})"


def _files(items: list[Any], prefix: str, what: str, depth: int = 0) -> list[str]:
    """The file paths of a library tree (a folder carries ``children``)."""
    if depth > 100:
        raise DSSError(f"malformed answer for {what}: the tree is more than 100 folders deep")
    out: list[str] = []
    for item in items:
        name = item.get("name") if isinstance(item, dict) else None
        if not isinstance(name, str) or not name or "/" in name:
            raise DSSError(f"malformed answer for {what}: an item without a usable 'name'")
        name = dss_text(name) or ""
        children = item.get("children")
        if children is None:
            out.append(prefix + name)
        else:
            out += _files(answer_list(children, what), f"{prefix}{name}/", what, depth + 1)
    return out


class ZipResult(NamedTuple):
    """What :func:`zip_dss_versions` wrote: ``path`` (as given), ``read`` (the files in the zip, zone paths) and
    ``not_read`` (``{zone path: why}``, the files it could not include)."""

    path: Any
    read: list[str]
    not_read: dict[str, str]


def zip_dss_versions(project: Project, zone_type: str, files: Iterable[str], path: str | os.PathLike[str] | IO[bytes],
                     *, max_bytes: int | None = None) -> ZipResult:
    """Read DSS's current versions of ``files`` (paths relative to a library zone, e.g. ``project-lib-versioned``)
    through the project library API and write them into a zip at ``path`` (a file path, or a binary file object),
    each at its zone path. Returns a :class:`ZipResult`.

    A file DSS does not have (404: deleted in DSS), one whose answer is over the connection's answer-size cap, or
    one that DSS refuses is left out and named in ``not_read`` with the reason; so are the files past
    ``max_bytes`` of text in all (default: the connection's ``max_answer_bytes``, 32 MiB). A failure to reach DSS
    at all (no HTTP answer) raises, and no file is written. Nothing is retried but the reads themselves.

    Raises
    ------
    ValueError
        ``zone_type`` is not a zone the library serves, or a path is not a plain relative file path (before any
        request).
    DSSConnectionError
        DSS could not be reached.
    """
    wanted = list(dict.fromkeys(files if not isinstance(files, str) else [files]))
    mapped = [("/".join(file_parts(p)), assumptions.library_path(zone_type, p)) for p in wanted]  # ValueError first
    library = project.get_library()
    budget = max_bytes if max_bytes is not None else library._transport.max_answer_bytes
    texts: dict[str, str] = {}
    not_read: dict[str, str] = {}
    total = 0
    for zone_path, library_file in mapped:
        if budget is not None and total > budget:
            not_read[zone_path] = "left out: the zip reached its size limit"
            continue
        try:
            text = library.get_file(library_file).read()
        except AnswerTooLarge:
            not_read[zone_path] = "larger than the answer-size limit"
            continue
        except DSSConnectionError:
            raise
        except DSSError as exc:
            not_read[zone_path] = ("DSS has no such file (deleted in DSS)" if exc.status == 404
                                   else f"DSS answered {exc.status}: {exc.message}" if exc.status
                                   else exc.message)
            continue
        size = len(text.encode("utf-8"))
        if budget is not None and total + size > budget:
            not_read[zone_path] = "left out: the zip reached its size limit"
            total = budget + 1
            continue
        total += size
        texts[zone_path] = text
    _write_zip(path, texts)
    return ZipResult(path, list(texts), not_read)


def _write_zip(target: Any, texts: dict[str, str]) -> None:
    """Write ``texts`` into a zip at ``target`` (a path: removed again if writing fails)."""
    is_path = isinstance(target, (str, os.PathLike))
    try:
        with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for name, text in texts.items():
                archive.writestr(name, text.encode("utf-8"))
    except BaseException:
        if is_path:
            with contextlib.suppress(OSError):
                os.remove(target)
        raise
