"""Code studio templates (instance level): list item, handle and settings (seed parity with ``dataikuapi``).

Mirror of ``dataikuapi.dss.admin.DSSCodeStudioTemplateListItem`` / ``DSSCodeStudioTemplate`` /
``DSSCodeStudioTemplateSettings``. Differences: the template id is validated and quoted; ``label`` falls
back to ``desc.label`` and then the id when a template has no label (the official client raises
``KeyError``; see :func:`cswidgets.api.assumptions.template_list_label_of`); ``last_built`` is UTC-aware;
``set_built_container_confs`` stores a list (the official client stores a tuple; same JSON);
``build()``, ``save()`` and ``delete()`` are never retried, ``get_settings()`` and the export are;
``delete()`` returns an :class:`~cswidgets.api.messages.InfoMessages` (same properties as the official
``DSSInfoMessages``).
"""

from __future__ import annotations

import io
from datetime import datetime
from typing import IO, TYPE_CHECKING, Any

from . import assumptions
from .futures import Future
from .messages import InfoMessages
from .shapes import answer_object, required, required_id
from .times import ms_to_datetime
from .validate import path, segment

if TYPE_CHECKING:
    import pandas as pd

    from .client import Client

__all__ = ["CodeStudioTemplate", "CodeStudioTemplateListItem", "CodeStudioTemplateSettings"]


class CodeStudioTemplateListItem:
    """An item of :meth:`Client.list_code_studio_templates`."""

    def __init__(self, client: Client, data: dict[str, Any]) -> None:
        self.client = client
        self._data = data

    def to_code_studio_template(self) -> CodeStudioTemplate:
        """A handle on this template (:class:`DSSError` when the item has no well-formed id)."""
        return CodeStudioTemplate(self.client, required_id(self._data, "id", "a template list item"),
                                  label=self.label)

    def get_raw(self) -> dict[str, Any]:
        """The raw list item."""
        return self._data

    @property
    def label(self) -> str:
        """Label (falls back to ``desc.label``, then the id)."""
        return assumptions.template_list_label_of(self._data)

    @property
    def id(self) -> str:
        """Identifier."""
        return required(self._data, "id", "a template list item")

    @property
    def build_for_configs(self) -> list[str]:
        """Container configurations the template is built for."""
        return self._data.get("buildFor", [])

    @property
    def last_built(self) -> datetime | None:
        """When the template was last built (UTC-aware), ``None`` if never."""
        return ms_to_datetime(self._data.get("lastBuilt", 0))

    def __repr__(self) -> str:
        return f"CodeStudioTemplateListItem(id={self._data.get('id')!r}, label={self.label!r})"


class CodeStudioTemplate:
    """A handle on one code studio template. ``template_id`` is validated (``ValueError``); ``label``,
    when known (handles from the template list have it), titles the build futures ("Build VS Code")."""

    def __init__(self, client: Client, template_id: str, *, label: str | None = None) -> None:
        self.label = label
        self.client = client
        self._transport = client._transport
        self._path = path("admin", "code-studios", segment(template_id, "template id"))
        self.template_id = template_id

    @property
    def id(self) -> str:
        """The template id."""
        return self.template_id

    def get_settings(self) -> CodeStudioTemplateSettings:
        """The template's settings."""
        raw = self._transport.json("GET", self._path, idempotent=True)
        return CodeStudioTemplateSettings(self.client, self.template_id,
                                          answer_object(raw, f"settings of template {self.template_id}"))

    def build(self, disable_docker_cache: bool = False) -> Future:
        """Build or rebuild the template image(s); returns a future (never retried).

        Parameters
        ----------
        disable_docker_cache : bool
            Build with ``--no-cache``.
        """
        resp = self._transport.json(
            "POST", self._path + "/build", params={"withNoCache": bool(disable_docker_cache)}, long_write=True
        )
        return Future.from_resp(self.client, resp, label=f"Build {self.label or self.template_id}", action=True)

    def get_export_stream(self) -> IO[bytes]:
        """The template exported as a zip archive: a file-like object to read (then close). The archive is
        read whole first, inside the call's deadline (a stalled download never hangs the caller)."""
        return io.BytesIO(self.export_bytes())

    def export_to_file(self, path: Any) -> None:
        """Write the exported zip archive to ``path`` (importable with
        :meth:`Client.import_code_studio_template`)."""
        data = self.export_bytes()
        with open(path, "wb") as f:
            f.write(data)

    def export_bytes(self) -> bytes:
        """The exported zip archive in memory (what a panel offers as a download)."""
        return self._transport.request("GET", self._path + "/export", idempotent=True).content

    def delete(self, delete_runtime: bool = False, delete_images: bool = False) -> InfoMessages:
        """Delete the template (never retried).

        Parameters
        ----------
        delete_runtime : bool
            Also delete the code studio runtimes created from this template.
        delete_images : bool
            Also delete the template's Docker images and build folders.
        """
        resp = self._transport.json(
            "DELETE", self._path,
            params={"deleteRuntime": bool(delete_runtime), "deleteImages": bool(delete_images)},
        )
        return InfoMessages(resp)

    # --- its studios (cswidgets/api/outdated.py) ----------------------------------------------------------------
    def list_studios(self, frame: pd.DataFrame | None = None) -> pd.DataFrame:
        """The ``studios_frame`` rows of the studios made from this template, in every project (``frame``: rows
        read before); ``df.attrs["counts"]`` = ``{"total", "running", "outdated", "outdated_running"}``."""
        from .outdated import template_studios

        return template_studios(self.client, self.template_id, frame)

    def studio_counts(self, frame: pd.DataFrame | None = None) -> dict[str, int]:
        """``{"total", "running", "outdated", "outdated_running"}``: its studios, how many run, how many run an
        image older than its last build."""
        return self.list_studios(frame).attrs["counts"]

    def restart_outdated_studios(self, dry_run: bool = True, **options: Any) -> pd.DataFrame:
        """Restart its running studios whose image is older than its last build -- only those, and none with
        conflicts. A dry run by default (a DataFrame naming them with the decision and the reason);
        ``dry_run=False`` sends each restart once. See :func:`cswidgets.api.outdated.restart_outdated`."""
        from .outdated import restart_outdated

        return restart_outdated(self.client, self.template_id, dry_run=dry_run, **options)

    def __repr__(self) -> str:
        return f"CodeStudioTemplate(id={self.template_id!r})"


class CodeStudioTemplateSettings:
    """Settings of a code studio template; edit the raw dict or use the helpers, then :meth:`save`."""

    def __init__(self, client: Client, template_id: str, settings: dict[str, Any]) -> None:
        self.client = client
        self.template_id = template_id
        self.settings = settings
        self._path = path("admin", "code-studios", segment(template_id, "template id"))

    def get_raw(self) -> dict[str, Any]:
        """A reference to the raw settings (not a copy): ``type``, ``params``, ``allContainerConfs``..."""
        return self.settings

    def get_built_for_all_container_confs(self) -> bool:
        """Whether an image is built for every container configuration."""
        return self.settings.get("allContainerConfs", False)

    def get_built_container_confs(self) -> list[str]:
        """Container configurations an image is built for (when not all)."""
        return self.settings.get("containerConfs", [])

    def set_built_container_confs(self, *configs: str, all: bool = False) -> None:
        """Choose the container configurations to build for (``all=True``: every one)."""
        self.settings["allContainerConfs"] = all
        if not all:
            self.settings["containerConfs"] = list(configs)

    def save(self) -> None:
        """Save the settings (``PUT``; never retried)."""
        self.client._transport.empty("PUT", self._path, body=self.settings)

    def __repr__(self) -> str:
        return f"CodeStudioTemplateSettings(id={self.template_id!r})"
