"""Template management (a part of :class:`~cswidgets.widgets.template_builds.TemplateBuilds`): export an
archive, import one, delete a template -- each one operation of the panel (activity, alerts, DSS's own
exception on a failure)."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

from ..shared.panel import Panel

__all__ = ["delete_template", "export_template", "import_args", "import_template"]


def export_template(panel: Panel, client: Any, template_id: str, label: str, path: Any = None,
                    name: str | None = None) -> Any:
    """The template's archive: written to ``path`` (returned) when given, else returned as bytes (``name``: the
    file the browser saves it as, the path its "Copy as Python" code writes)."""
    handle = client.get_code_studio_template(template_id)
    target = os.fspath(path) if path is not None else name
    with panel.operation("export", target=label, template_id=template_id, args={"path": target}):
        if path is None:
            return handle.export_bytes()
        handle.export_to_file(path)
        return path


def import_template(panel: Panel, client: Any, source: Any, label: str | None, reread: Callable[[], str],
                    name: str | None = None) -> str | None:
    """Import a template from an archive (a file path, or its bytes); returns the new template's id, or
    ``None`` when the answer was lost (``reread()`` then says what DSS lists now). ``name``: the uploaded file's
    name (bytes), the path its "Copy as Python" code reads."""
    data = isinstance(source, (bytes, bytearray, memoryview))
    target = label or ("uploaded archive" if data else os.path.basename(source))
    args = import_args(name, label, uploaded=True) if data else import_args(os.fspath(source), label)
    with panel.operation("import", target=target, on_unknown=reread, args=args):
        if data:
            return str(client.import_code_studio_template_data(bytes(source), label=label).get("id"))
        return str(client.import_code_studio_template(source, label=label).get("id"))
    return None


def import_args(path: str | None, label: str | None, *, uploaded: bool = False) -> dict[str, Any]:
    """The arguments of ``python_code("import")``: ``path`` the archive (``uploaded``: only the name of a file chosen
    in the browser, which the code says must be given where it runs)."""
    note = f"{path!r} was chosen in the browser: give the archive's path where this code runs" if uploaded else None
    return {"path": path, "label": label, "note": note}


def delete_template(panel: Panel, client: Any, template_id: str, label: str, *, building: bool,
                    reread: Callable[[], str], delete_runtime: bool = False, delete_images: bool = False) -> str:
    """Delete a template (refused while it builds: ``building``); returns DSS's messages as text ("" when
    the answer was lost: ``reread()`` then says what DSS lists now)."""
    op = panel.operation("delete", target=label, template_id=template_id, on_unknown=reread,
                         args={"delete_runtime": bool(delete_runtime), "delete_images": bool(delete_images)})
    if building:
        op.refuse("a build is running")
        raise ValueError(f"Template {label!r} is building; abort the build first.")
    with op:
        return client.get_code_studio_template(template_id).delete(
            delete_runtime=bool(delete_runtime), delete_images=bool(delete_images)).text()
    return ""
