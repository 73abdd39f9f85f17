"""A project handle, reduced to its code-studio members, its git and library reads (seed parity with ``DSSProject``).

``list_code_studios`` is a retried read; ``create_code_studio`` is sent once. The project key is validated
and quoted when the handle is made (``ValueError`` before any request).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .codestudio import CodeStudio, CodeStudioListItem
from .errors import DSSError
from .projectgit import ProjectGit
from .shapes import answer_list, objects, required_id, with_ids
from .validate import check_id, check_text, path, segment

if TYPE_CHECKING:
    from .client import Client

__all__ = ["Project"]


class Project:
    """A handle on one project.

    Parameters
    ----------
    client : Client
        The client.
    project_key : str
        The project key.
    """

    def __init__(self, client: Client, project_key: str) -> None:
        self.client = client
        self._transport = client._transport
        self._path = path("projects", segment(project_key, "project key"), "code-studios") + "/"
        self.project_key = project_key

    def list_code_studios(self, as_type: str = "listitems") -> list[Any]:
        """The code studios of the project.

        Parameters
        ----------
        as_type : {"listitems", "objects"}
            :class:`CodeStudioListItem` (default) or :class:`CodeStudio` handles. An item whose id cannot
            make a handle (missing, not a string, or not a well-formed id: see
            :func:`cswidgets.api.validate.check_id`) has no handle: it is left out and logged.
        """
        if as_type not in ("listitems", "listitem", "objects", "object"):
            raise ValueError("Unknown as_type")
        items = objects(self.list_code_studios_raw(), f"GET {self._path}")
        if as_type in ("listitems", "listitem"):
            return [CodeStudioListItem(self.client, self.project_key, item) for item in items]
        return [CodeStudio(self.client, self.project_key, sid) for sid, _ in with_ids(items, "id", f"GET {self._path}")]

    def list_code_studios_raw(self) -> list[Any]:
        """The raw list of code studios (one retried GET); :class:`DSSError` when the answer is not a list.
        Its items are what DSS sent (normally dicts): check them."""
        return answer_list(self._transport.json("GET", self._path, idempotent=True), f"GET {self._path}")

    def get_code_studio(self, code_studio_id: str) -> CodeStudio:
        """A handle on one code studio (no request is made)."""
        return CodeStudio(self.client, self.project_key, code_studio_id)

    def create_code_studio(self, name: str, template_id: str) -> CodeStudio:
        """Create a code studio from a template and return its handle (never retried).

        Raises
        ------
        DSSError
            Also when the answer holds no usable ``codeStudio.id`` (the studio may have been created).
        """
        check_text(name, "name")
        check_id(template_id, "template id")
        res = self._transport.json("POST", self._path, body={"name": name, "templateId": template_id})
        what = f"POST {self._path} (code studio {name!r})"
        created = res.get("codeStudio") if isinstance(res, dict) else None
        if not isinstance(created, dict):
            raise DSSError(f"malformed answer for {what}: no 'codeStudio' object")
        return CodeStudio(self.client, self.project_key, required_id(created, "id", f"{what}: codeStudio"))

    def list_webapps(self, as_type: str = "listitems") -> list[Any]:
        """The project's webapps (``dataikuapi``'s name): :class:`~cswidgets.api.webapps.WebAppListItem` or, with
        ``"objects"``, :class:`~cswidgets.api.webapps.WebApp` handles. A retried read."""
        from .webapps import list_webapps

        return list_webapps(self.client, self.project_key, as_type)

    def get_webapp(self, webapp_id: str) -> Any:
        """A handle on one webapp (:class:`~cswidgets.api.webapps.WebApp`; no request is made)."""
        from .webapps import WebApp

        return WebApp(self.client, self.project_key, webapp_id)

    def get_project_git(self) -> ProjectGit:
        """A handle on the project's git repository (``diff``, ``log``; no request is made)."""
        return ProjectGit(self.client, self.project_key)

    def get_library(self) -> Any:
        """A handle on the project's library (:class:`~cswidgets.api.library.Library`: ``list_files``,
        ``get_file(path).read()``; no request is made)."""
        from .library import Library

        return Library(self.client, self.project_key)

    def __repr__(self) -> str:
        return f"Project({self.project_key!r})"
