"""Creating, deleting and handing over code studios from the studio table.

:class:`Lifecycle` is a part of :class:`~cswidgets.widgets.studio_table.StudioTable`, over its
:class:`~cswidgets.widgets.studio_table.store.RowStore`: the table's :meth:`create`, :meth:`delete`,
:meth:`change_owner` and :meth:`lifecycle_options` (and their front-end messages ``lifecycle_options``,
``create {project_key, name, template_id, start}``, ``delete {row, confirm_name}``, ``change_owner {row,
new_owner}``) call it. Each action is one :meth:`~cswidgets.widgets.shared.panel.Panel.operation` (the
activity entry, the alerts, a lost answer re-read); a delete holds the row busy, and is refused while an
action runs on it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from cswidgets.api.validate import check_id, check_text, id_problem

from ..shared.operation import Operation, python_code
from .actions import Flights
from .store import RowStore

log = logging.getLogger(__name__)

__all__ = ["Lifecycle", "nothing_to_create", "row_fields"]

NO_PROJECT = "No project to create a code studio in (none is readable with these credentials)."
NO_TEMPLATE = "No code studio template to create a studio from."


def nothing_to_create(has_project: bool, has_template: bool) -> str:
    """Why nothing can be created ("" when something can): no readable project, or no usable template."""
    if not has_project:
        return NO_PROJECT
    if not has_template:
        return NO_TEMPLATE
    return ""


def row_fields(row: dict[str, Any]) -> dict[str, Any]:
    """The activity entry's identifiers of a row."""
    return {"project_key": row["project_key"], "studio_id": row["id"], "studio": row["name"]}


class Lifecycle:
    """Create / delete / change owner over the table's rows.

    ``operation``: the table's :meth:`~cswidgets.widgets.shared.panel.Panel.operation`; ``row(key)``: the row
    of a key (``ValueError`` when not shown); ``reread(keys)``: re-read rows (a deleted studio leaves the
    table); ``start(key)``: the table's start of a row; ``set_blocked(why)``: the table's ``create_blocked``
    (written here only: by :meth:`options` and :meth:`check`).
    """

    def __init__(self, client: Any, store: RowStore, flights: Flights, *, project_keys: list[str] | None,
                 operation: Callable[..., Operation], row: Callable[[str], dict[str, Any]],
                 reread: Callable[[list[str]], Any], start: Callable[[str], dict[str, Any]],
                 set_blocked: Callable[[str], None]) -> None:
        self._set_blocked = set_blocked
        self._client = client
        self._store = store
        self._flights = flights
        self._project_keys = project_keys
        self._operation = operation
        self._row = row
        self._reread = reread
        self._start = start

    def create(self, project_key: str, name: str, template_id: str, start: bool = False) -> dict[str, Any]:
        """See :meth:`StudioTable.create`."""
        check_id(project_key, "project key")
        check_text(name, "name")
        check_id(template_id, "template id")
        result: dict[str, Any] = {"key": None, "started": False}
        with self._operation("create", target=f"{name} ({project_key})", label=f"{name} in {project_key}",
                             on_unknown=lambda: "refresh the table to see whether it was created",
                             project_key=project_key, studio=name, message=f"from template {template_id}",
                             code=python_code("create", project_key=project_key, template_id=template_id, name=name,
                                              start=start)) as op:
            studio = self._client.get_project(project_key).create_code_studio(name, template_id)
            result["key"] = key = f"{project_key}/{studio.id}"
            self._store.merge(self._client.studio_rows([(project_key, studio.id)]))
            op.end("done", f"created {key} from template {template_id}")
        if op.outcome == "unknown":
            return {**result, "outcome": "unknown"}
        if start:
            result["started"] = bool(self._start(result["key"]).get("accepted"))
        return result

    def delete(self, row_key: str) -> dict[str, Any]:
        """See :meth:`StudioTable.delete`."""
        row = self._row(row_key)
        label = row["name"] or row_key
        with self._operation("delete", label=label, busy=self._flights.slot(row_key, "delete", label),
                             on_unknown=lambda: self._shown_after(row_key), alert_key=f"action:{row_key}",
                             **row_fields(row)) as op:
            self._studio(row).delete()
            self._store.merge(None, [row_key])
        if op.outcome == "unknown":
            return {"deleted": None if self._store.get(row_key) else row_key, "outcome": "unknown"}
        return {"deleted": row_key}

    def change_owner(self, row_key: str, new_owner: str) -> dict[str, Any]:
        """See :meth:`StudioTable.change_owner`."""
        row = self._row(row_key)
        check_text(new_owner, "new owner")
        with self._operation("change owner", label=row["name"] or row_key, alert_key=f"action:{row_key}",
                             on_unknown=lambda: self._shown_after(row_key), args={"new_owner": new_owner},
                             **row_fields(row)) as op:
            self._studio(row).change_owner(new_owner)
            op.end("done", f"{row['owner']} → {new_owner}")
        self._reread([row_key])
        owner = (self._store.get(row_key) or {}).get("owner") if op.outcome == "unknown" else new_owner
        return {"key": row_key, "owner": owner, **({"outcome": "unknown"} if op.outcome == "unknown" else {})}

    def options(self) -> dict[str, Any]:
        """See :meth:`StudioTable.lifecycle_options`."""
        projects = self._project_keys or self._client.list_project_keys()
        templates = self._templates()
        blocked = nothing_to_create(bool(projects), bool(templates))
        self._set_blocked(blocked)
        return {"projects": sorted(projects), "templates": sorted(templates, key=lambda t: t["label"].lower()),
                "blocked": blocked}

    def check(self) -> str:
        """After a full read: whether anything can be created, so that New studio is disabled, saying why, before
        anyone clicks it. One request (the templates; the projects too when the table shows no studio), made by
        the refresh. A read that fails leaves it unknown (""): New studio stays enabled and its dialog says what it
        finds."""
        try:
            # a shown studio proves a project: the projects are listed only for an empty table
            has_project = bool(self._project_keys or self._store.rows or self._client.list_project_keys())
            blocked = nothing_to_create(has_project, bool(self._templates()))
        except Exception:  # unknown is not "nothing": the dialog will ask again and say it
            log.debug("could not tell whether a studio can be created", exc_info=True)
            blocked = ""
        self._set_blocked(blocked)
        return blocked

    def _templates(self) -> list[dict[str, str]]:
        # a template whose id could not be used (missing, malformed: docs/dss-api.md §3.7) is not offered
        items = [t for t in self._client.list_code_studio_templates() if id_problem(t.get_raw().get("id")) is None]
        return [{"id": t.id, "label": t.label} for t in items]

    def _studio(self, row: dict[str, Any]) -> Any:
        return self._client.get_project(row["project_key"]).get_code_studio(row["id"])

    def _shown_after(self, key: str) -> str:
        """Re-read a row after a lost answer: what DSS shows now."""
        self._reread([key])
        row = self._store.get(key)
        if row is None:
            return "DSS no longer lists it"
        return f"DSS now shows it {row['state']}, owned by {row['owner'] or 'nobody'}"
