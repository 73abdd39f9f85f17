"""Creating, deleting and handing over code studios from the studio table.

:class:`StudioLifecycle` is a base of :class:`~cswidgets.widgets.studio_table.StudioTable`: the Python
methods (:meth:`create`, :meth:`delete`, :meth:`change_owner`), their front-end messages
(``lifecycle_options``, ``create {project_key, name, template_id, start}``, ``delete {row}``,
``change_owner {row, new_owner}``) and the row bookkeeping they need. Each is recorded in the activity log.
"""

from __future__ import annotations

import time
from typing import Any

import pandas as pd

from cswidgets.api.validate import check_id, check_text, id_problem

from ..shared.panel import action

__all__ = ["StudioLifecycle"]


class StudioLifecycle:
    """Create / delete / change owner, for :class:`StudioTable` (uses its rows, flights and activity)."""

    # attributes of StudioTable used here
    _client: Any
    _rows: dict[str, dict[str, Any]]
    _frame: pd.DataFrame
    _rows_lock: Any
    _flights: Any
    _activity: Any
    _merge: Any

    def create(self, project_key: str, name: str, template_id: str, start: bool = False) -> dict[str, Any]:
        """Create a code studio from a template in a project and add its row; ``start=True`` starts it
        (tracked in its row like a Start click). Returns ``{key, started}``."""
        check_id(project_key, "project key")
        check_text(name, "name")
        check_id(template_id, "template id")
        entry = self._activity.begin("create", project_key=project_key, studio=name,
                                     target=f"{name} ({project_key})", message=f"from template {template_id}")
        started = time.monotonic()
        try:
            studio = self._client.get_project(project_key).create_code_studio(name, template_id)
        except Exception as exc:
            self._activity.finish(entry, "failed", time.monotonic() - started, self._error_text(exc))
            raise
        key = f"{project_key}/{studio.id}"
        self._add_row(project_key, studio.id)
        self._activity.finish(entry, "done", time.monotonic() - started, f"created {key} from template {template_id}")
        result: dict[str, Any] = {"key": key, "started": False}
        if start:
            result["started"] = bool(self.start(key).get("accepted"))
        return result

    def delete(self, row_key: str) -> dict[str, Any]:
        """Delete a code studio (its runtime, its settings and the files in it that were not synced to
        DSS are lost). Refused while an action runs on it. Returns ``{deleted: key}``."""
        row = self._row(row_key)
        fields = self._fields(row)
        current = self._flights.current(row_key)
        if current is not None:
            self._activity.record("delete", "refused", message=f"{current.action} in progress", **fields)
            raise ValueError(f"{row['name'] or row_key}: {current.action} in progress; wait for it to finish")
        entry = self._activity.begin("delete", **fields)
        started = time.monotonic()
        try:
            self._studio(row).delete()
        except Exception as exc:
            self._activity.finish(entry, "failed", time.monotonic() - started, self._error_text(exc))
            raise
        self._drop_row(row_key)
        self._activity.finish(entry, "done", time.monotonic() - started)
        return {"deleted": row_key}

    def change_owner(self, row_key: str, new_owner: str) -> dict[str, Any]:
        """Give a code studio to another user (``new_owner``: a login). Returns ``{key, owner}``."""
        row = self._row(row_key)
        check_text(new_owner, "new owner")
        fields = self._fields(row)
        entry = self._activity.begin("change owner", **fields)
        started = time.monotonic()
        try:
            self._studio(row).change_owner(new_owner)
        except Exception as exc:
            self._activity.finish(entry, "failed", time.monotonic() - started, self._error_text(exc))
            raise
        self._activity.finish(entry, "done", time.monotonic() - started, f"{row['owner']} → {new_owner}")
        self._reread([row_key])
        return {"key": row_key, "owner": new_owner}

    def lifecycle_options(self) -> dict[str, Any]:
        """What the New-studio dialog offers: ``{projects: [key...], templates: [{id, label}...]}``."""
        projects = self._project_keys or self._client.list_project_keys()
        # a template whose id could not be used (missing, malformed: docs/dss-api.md §3.7) is not offered
        items = [t for t in self._client.list_code_studio_templates() if id_problem(t.get_raw().get("id")) is None]
        templates = [{"id": t.id, "label": t.label} for t in items]
        return {"projects": sorted(projects), "templates": sorted(templates, key=lambda t: t["label"].lower())}

    # -- rows -----------------------------------------------------------------------------------
    @staticmethod
    def _fields(row: dict[str, Any]) -> dict[str, Any]:
        return {"project_key": row["project_key"], "studio_id": row["id"], "studio": row["name"]}

    def _add_row(self, project_key: str, studio_id: str) -> None:
        """Read one new studio and add its row (as ``client.studio_rows`` gives it)."""
        self._merge(self._client.studio_rows([(project_key, studio_id)]))

    def _drop_row(self, key: str) -> None:
        self._merge(None, [key])

    # -- front end --------------------------------------------------------------------------------
    @action("lifecycle_options")
    def _on_lifecycle_options(self) -> dict[str, Any]:
        return self.lifecycle_options()

    @action("create")
    def _on_create(self, project_key: str, name: str, template_id: str, start: bool = False) -> dict[str, Any]:
        return self.create(project_key, name, template_id, bool(start))

    @action("delete")
    def _on_delete(self, row: str, confirm_name: str | None = None) -> dict[str, Any]:
        expected = self._row(row)["name"] or row
        if confirm_name != expected:
            raise ValueError(f"Type the studio's name ({expected}) to confirm the deletion.")
        return self.delete(row)

    @action("change_owner")
    def _on_change_owner(self, row: str, new_owner: str) -> dict[str, Any]:
        return self.change_owner(row, new_owner)
