"""The key of a code studio across panels: ``"<project_key>/<studio_id>"`` (the studio table's row key,
the studios a rebuilt template's panel offers to restart, the activity's targets)."""

from __future__ import annotations

from ...api.validate import check_id

__all__ = ["parse_row_key", "row_key"]


def row_key(project_key: str, studio_id: str) -> str:
    """The key of a studio: ``"<project_key>/<studio_id>"``."""
    return f"{project_key}/{studio_id}"


def parse_row_key(key: object) -> tuple[str, str]:
    """``(project_key, studio_id)`` of a :func:`row_key`; ``ValueError`` for anything else (a missing
    part, or an id that cannot be used in a URL) before any request."""
    project_key, slash, studio_id = str(key).partition("/")
    if not slash:
        raise ValueError(f"A studio key is 'PROJECT/studio_id', not {key!r}.")
    check_id(project_key, "project key")
    check_id(studio_id, "studio id")
    return project_key, studio_id
