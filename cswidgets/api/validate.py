"""Validation and percent-quoting of identifiers that end up in URLs.

Every path segment (project key, code studio id, zone id, template id, future id) goes through
:func:`segment`: it is validated, then percent-quoted with *no* safe characters, so ``/ ? # % + &`` and
spaces are encoded and reach the server as one segment (the official client does not quote at all,
docs/dss-api.md §1.1). A bad value raises :class:`ValueError` before any request is made.

Query values (``newOwner``, ``peek``...) are passed to ``requests`` as ``params=``, which form-encodes
them (``+`` becomes ``%2B``, a space becomes ``+``).

Rules for an identifier: a ``str``; not empty or only whitespace; no control characters (U+0000-U+001F,
U+007F), nor U+FFFD (where :mod:`cswidgets.api.text` replaced a character no text can carry); not ``.`` or
``..`` (they would be removed by URL normalisation); at most 1,000 characters.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote

__all__ = ["check_id", "check_text", "file_parts", "id_problem", "path", "segment"]

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
#: What :mod:`cswidgets.api.text` puts where DSS sent a character no text can carry: an id holding it names nothing.
_REPLACED = "\ufffd"
_MAX_LEN = 1000


def check_id(value: Any, what: str = "id") -> str:
    """Return ``value`` if it is a well-formed identifier, else raise ``ValueError``.

    Parameters
    ----------
    value : object
        The candidate identifier.
    what : str
        Name used in the error message (``"project key"``, ``"zone"``...).
    """
    check_text(value, what)
    if _REPLACED in value:
        raise ValueError(f"{what} must not contain U+FFFD (a character that could not be read)")
    if value in (".", ".."):
        raise ValueError(f"{what} must not be {value!r}")
    if len(value) > _MAX_LEN:
        raise ValueError(f"{what} is longer than {_MAX_LEN} characters")
    return value


def id_problem(value: Any) -> str | None:
    """Why ``value`` is not a well-formed identifier (the rules of :func:`check_id`), in words that never
    repeat the value -- for errors about what a *server* sent (``"longer than 1,000 characters"``); ``None``
    when it is one."""
    if not isinstance(value, str):
        return f"a {type(value).__name__}, not a str"
    if not value.strip():
        return "empty"
    if _CONTROL.search(value) or _REPLACED in value:
        return "a text with control characters or characters that could not be read"
    if value in (".", ".."):
        return repr(value)
    if len(value) > _MAX_LEN:
        return f"longer than {_MAX_LEN:,} characters ({len(value):,})"
    return None


def check_text(value: Any, what: str) -> str:
    """Return ``value`` if it is a non-empty ``str`` without control characters (names, labels, logins)."""
    if not isinstance(value, str):
        raise ValueError(f"{what} must be a str, got {type(value).__name__}")
    if not value.strip():
        raise ValueError(f"{what} must not be empty")
    if _CONTROL.search(value):
        raise ValueError(f"{what} must not contain control characters: {value!r}")
    return value


def segment(value: Any, what: str = "id") -> str:
    """Validate ``value`` and percent-quote it as one URL path segment."""
    return quote(check_id(value, what), safe="")


def file_parts(value: Any, what: str = "file path") -> list[str]:
    """The segments of a plain relative file path (``python/x.py`` -> ``["python", "x.py"]``; leading and trailing
    ``/`` ignored). ``ValueError`` for a value that is not a ``str``, is empty, or has an empty, ``.`` or ``..``
    segment or a control character. Each segment still goes through :func:`segment` to reach a URL."""
    if not isinstance(value, str) or not value.strip("/ "):
        raise ValueError(f"a {what} must be a non-empty str, not {value!r}")
    parts = value.strip("/").split("/")
    if any(p in ("", ".", "..") or _CONTROL.search(p) for p in parts):
        raise ValueError(f"not a relative {what}: {value!r}")
    return parts


def path(*parts: str) -> str:
    """Join already-quoted segments (and literal path words) into ``/a/b/c``."""
    return "/" + "/".join(parts)
