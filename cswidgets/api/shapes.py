"""The shapes of DSS answers, checked once: a malformed answer becomes a :class:`DSSError`, never a
``TypeError``/``KeyError``/``AttributeError`` deep inside the caller.

- :func:`answer_list` -- an answer that must be a JSON array (``null``/empty body = ``[]``).
- :func:`objects` -- the items of such a list that are JSON objects (others are dropped and logged).
- :func:`text_id` -- an id field that must be a non-empty string (``None`` when it is not).
- :func:`answer_object` -- an answer that must be a JSON object.
- :func:`required` -- a field an accessor returns, which must be present (not ``null``).
- :func:`required_id` -- an id a handle is built on (a URL segment): a well-formed identifier
  (:func:`cswidgets.api.validate.check_id`), else :class:`DSSError` naming the item, never a ``ValueError``.
- :func:`with_ids` -- the items of a list whose id can make a handle (the others are dropped and logged, as
  :func:`objects` drops what is not an object).
- :func:`name_list` -- a list of names (files, authors): a lone string is one name, never split into characters;
  a number, object or boolean is a :class:`DSSError`.
"""

from __future__ import annotations

import logging
from typing import Any

from .errors import DSSError
from .validate import id_problem

__all__ = ["answer_list", "answer_object", "name_list", "objects", "required", "required_id", "text_id", "with_ids"]

log = logging.getLogger(__name__)


def answer_list(value: Any, what: str) -> list[Any]:
    """``value`` when it is a list, ``[]`` for ``None``; else :class:`DSSError` naming ``what``."""
    if value is None:
        return []
    if not isinstance(value, list):
        raise DSSError(f"malformed answer for {what}: a JSON {_kind(value)}, not a list")
    return value


def name_list(value: Any, what: str) -> list[str]:
    """A list of names (file paths, logins) from an answer: ``[]`` for ``None``, ``[value]`` for one string
    (never its characters); each item a string. Anything else (a number, an object, a boolean, such an
    item) is a :class:`DSSError` naming ``what``."""
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if not isinstance(value, list):
        raise DSSError(f"malformed answer for {what}: a JSON {_kind(value)}, not a list of names")
    for item in value:
        if not isinstance(item, str):
            raise DSSError(f"malformed answer for {what}: an item is a JSON {_kind(item)}, not a name")
    return list(value)


def answer_object(value: Any, what: str) -> dict[str, Any]:
    """``value`` when it is a JSON object; else :class:`DSSError` naming ``what``."""
    if not isinstance(value, dict):
        raise DSSError(f"malformed answer for {what}: a JSON {_kind(value)}, not an object")
    return value


def required(data: dict[str, Any], key: str, what: str) -> Any:
    """``data[key]``; :class:`DSSError` naming ``what`` and ``key`` when it is missing or ``null``."""
    value = data.get(key)
    if value is None:
        raise DSSError(f"malformed answer for {what}: no {key!r}")
    return value


def required_id(data: Any, key: str, what: str) -> str:
    """``data[key]`` when it is a well-formed identifier a handle can be built on; else :class:`DSSError`
    naming ``what`` and ``key`` and saying what is wrong without repeating the value (a 10,000-character id
    stays out of the message)."""
    value = data.get(key) if isinstance(data, dict) else None
    if value is None:
        raise DSSError(f"malformed answer for {what}: no {key!r}")
    problem = _id_problem(value)
    if problem is not None:
        raise DSSError(f"malformed answer for {what}: {key!r} is {problem}, not a usable id")
    return value


def with_ids(items: list[dict[str, Any]], key: str, what: str) -> list[tuple[str, dict[str, Any]]]:
    """``(id, item)`` for each item (a JSON object) whose ``key`` is a well-formed identifier; the others
    (missing, not a string, or refused by :func:`cswidgets.api.validate.check_id`: empty, ``.``/``..``,
    control characters, over 1,000 characters) are dropped, logged once per call -- as :func:`objects`
    drops items that are not objects. No handle can be built on such an id (it cannot be put in a URL)."""
    kept = [(item[key], item) for item in items if _id_problem(item.get(key)) is None]
    if len(kept) != len(items):
        log.warning("%s: %d item(s) ignored (no usable %r)", what, len(items) - len(kept), key)
    return kept


def _id_problem(value: Any) -> str | None:
    if not isinstance(value, str):
        return f"a JSON {_kind(value)}, not a string"
    return id_problem(value)


def objects(items: list[Any], what: str) -> list[dict[str, Any]]:
    """The items that are JSON objects; the others are dropped (logged once per call)."""
    kept = [item for item in items if isinstance(item, dict)]
    if len(kept) != len(items):
        log.warning("%s: %d malformed item(s) ignored (not JSON objects)", what, len(items) - len(kept))
    return kept


def text_id(item: Any, key: str = "id") -> str | None:
    """``item[key]`` when ``item`` is an object and the value a non-empty string, else ``None``."""
    value = item.get(key) if isinstance(item, dict) else None
    return value if isinstance(value, str) and value else None


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    return {dict: "object", list: "array", str: "string", bool: "boolean", int: "number",
            float: "number"}.get(type(value), "value")
