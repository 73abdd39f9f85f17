"""The *shape* of a DSS answer: its keys and the types of its values, never the values themselves.

A shape is JSON: ``"str"``, ``"int"``, ``"int:ms"`` (an integer of epoch-millisecond size), ``"int:s"`` (of
epoch-second size), ``"float"``, ``"bool"``, ``"null"``; ``"str=RUNNING"`` only for strings that are one of
DSS's own constants (:data:`CONSTANTS`: studio states, git change types, task object types, default zone
types); ``{"object": {key: shape}}``; ``{"map": shape}`` for an object keyed by values (the conflicts answer
is keyed by the zone id); ``{"list": shape}`` (the merged shape of its items, ``null`` when empty);
``{"anyOf": [shape, ...]}`` where samples differ, ``"absent"`` among them for a key some samples lack.

Keys are DSS's field names; a key that is not a plain field name (or that equals a value seen in an
answer, see :class:`~cswidgets.doctor.report.Redactor`) is written ``"<key>"``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from cswidgets.api import assumptions

__all__ = ["CONSTANTS", "merge", "shape_of"]

CONSTANTS = frozenset(
    (*assumptions.STUDIO_STATES, *assumptions.GIT_CHANGE_TYPES, *assumptions.DEFAULT_ZONE_TYPES,
     "CODE_STUDIO", "KUBIKLE", "INFO", "SUCCESS", "WARNING", "ERROR")
)
MAX_ITEMS = 200  # items of a list looked at
MAX_DEPTH = 12
_FIELD = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,63}\Z")
ABSENT = "absent"
HIDDEN_KEY = "<key>"


def shape_of(value: Any, *, keyed_by_value: bool = False, hidden: frozenset[str] = frozenset(),
             depth: int = 0) -> Any:
    """The shape of a decoded JSON value (``keyed_by_value``: the top-level object's keys are values)."""
    if depth > MAX_DEPTH:
        return "deep"
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int:ms" if 10**11 <= abs(value) < 10**14 else "int:s" if 10**9 <= abs(value) < 10**11 else "int"
    if isinstance(value, float):
        return "float"
    if isinstance(value, str):
        return f"str={value}" if value in CONSTANTS else "str"
    if isinstance(value, list):
        items = [shape_of(v, hidden=hidden, depth=depth + 1) for v in value[:MAX_ITEMS]]
        return {"list": _merge_all(items)}
    if isinstance(value, Mapping):
        if keyed_by_value:
            return {"map": _merge_all([shape_of(v, hidden=hidden, depth=depth + 1) for v in value.values()])}
        keys: dict[str, Any] = {}
        for key, item in value.items():
            name = key if isinstance(key, str) and _FIELD.match(key) and key not in hidden else HIDDEN_KEY
            shape = shape_of(item, hidden=hidden, depth=depth + 1)
            keys[name] = merge(keys[name], shape) if name in keys else shape
        return {"object": keys}
    return type(value).__name__


def _merge_all(shapes: list[Any]) -> Any:
    out = None
    for shape in shapes:
        out = shape if out is None else merge(out, shape)
    return out


def _alternatives(shape: Any) -> list[Any]:
    return list(shape["anyOf"]) if isinstance(shape, dict) and "anyOf" in shape else [shape]


def merge(a: Any, b: Any) -> Any:
    """One shape covering both ``a`` and ``b``."""
    if a == b:
        return a
    if a is None or b is None:
        return b if a is None else a
    if isinstance(a, dict) and isinstance(b, dict):
        if "object" in a and "object" in b:
            keys = {}
            for key in {**a["object"], **b["object"]}:
                left, right = a["object"].get(key, ABSENT), b["object"].get(key, ABSENT)
                keys[key] = merge(left, right)
            return {"object": keys}
        for kind in ("list", "map"):
            if kind in a and kind in b:
                return {kind: merge(a[kind], b[kind])}
    alternatives: list[Any] = []
    for alt in _alternatives(a) + _alternatives(b):
        for i, known in enumerate(alternatives):
            if isinstance(known, dict) and isinstance(alt, dict) and known.keys() == alt.keys() and "anyOf" not in alt:
                alternatives[i] = merge(known, alt)
                break
            if known == alt:
                break
        else:
            alternatives.append(alt)
    if len(alternatives) == 1:
        return alternatives[0]
    return {"anyOf": sorted(alternatives, key=lambda s: json.dumps(s, sort_keys=True))}


def keys_of(shape: Any) -> set[str]:
    """The keys of an object shape (of every object alternative), present in at least one sample."""
    keys: set[str] = set()
    for alt in _alternatives(shape):
        if isinstance(alt, dict) and "object" in alt:
            keys |= {k for k, s in alt["object"].items() if s != ABSENT}
    return keys


def hide_keys(shape: Any, values: frozenset[str]) -> Any:
    """``shape`` with every object key that equals one of ``values`` (values DSS sent) written ``<key>``."""
    if isinstance(shape, list):
        return [hide_keys(s, values) for s in shape]
    if not isinstance(shape, dict):
        return shape
    if "object" in shape:
        out: dict[str, Any] = {}
        for key, sub in shape["object"].items():
            name = HIDDEN_KEY if key in values else key
            sub = hide_keys(sub, values)
            out[name] = merge(out[name], sub) if name in out else sub
        return {"object": out}
    return {kind: hide_keys(sub, values) for kind, sub in shape.items()}
