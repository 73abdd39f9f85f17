"""Template management (a part of :class:`~cswidgets.widgets.template_builds.TemplateBuilds`): export an
archive, import one, delete a template -- each one operation of the panel (activity, alerts, DSS's own
exception on a failure)."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

from ..shared.panel import Panel

__all__ = ["delete_template", "export_template", "import_template"]


def export_template(panel: Panel, client: Any, template_id: str, label: str, path: Any = None) -> Any:
    """The template's archive: written to ``path`` (returned) when given, else returned as bytes."""
    handle = client.get_code_studio_template(template_id)
    with panel.operation("export", target=label, template_id=template_id):
        if path is None:
            return handle.export_bytes()
        handle.export_to_file(path)
        return path


def import_template(panel: Panel, client: Any, source: Any, label: str | None, reread: Callable[[], str]) -> str | None:
    """Import a template from an archive (a file path, or its bytes); returns the new template's id, or
    ``None`` when the answer was lost (``reread()`` then says what DSS lists now)."""
    data = isinstance(source, (bytes, bytearray, memoryview))
    target = label or ("uploaded archive" if data else os.path.basename(source))
    with panel.operation("import", target=target, on_unknown=reread):
        if data:
            return str(client.import_code_studio_template_data(bytes(source), label=label).get("id"))
        return str(client.import_code_studio_template(source, label=label).get("id"))
    return None


def delete_template(panel: Panel, client: Any, template_id: str, label: str, *, building: bool,
                    reread: Callable[[], str], delete_runtime: bool = False, delete_images: bool = False) -> str:
    """Delete a template (refused while it builds: ``building``); returns DSS's messages as text ("" when
    the answer was lost: ``reread()`` then says what DSS lists now)."""
    op = panel.operation("delete", target=label, template_id=template_id, on_unknown=reread)
    if building:
        op.refuse("a build is running")
        raise ValueError(f"Template {label!r} is building; abort the build first.")
    with op:
        return client.get_code_studio_template(template_id).delete(
            delete_runtime=bool(delete_runtime), delete_images=bool(delete_images)).text()
    return ""
