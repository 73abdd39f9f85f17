"""Views that survive: the last view of each panel, kept in the kernel, and named views kept per user.

A **view** is what a user arranged in a table without changing DSS: its sort, its filters, its hidden
columns, its grouping (:class:`TableView`). Two stores keep views:

- :data:`LAST` (:class:`LastViews`), in the kernel: the last view of each kind of panel per DSS
  (keyed by the client's base URL, without credentials, and the panel's kind, e.g. ``"studios"``). A new
  panel of the same client starts from it, so re-running a cell keeps the sort, the filters and the
  Dashboard's tab; the Dashboard's activity log is kept there too (:meth:`LastViews.kept`), so the new
  Dashboard shows the previous entries.
- :class:`NamedViews`: views saved under a name by the user ("my running studios"), in a JSON file under
  the user's config folder (``$CSWIDGETS_CONFIG_DIR``, else ``$XDG_CONFIG_HOME/cswidgets``, else
  ``~/.config/cswidgets``; the file is ``views.json``), grouped by kind of panel. Every kernel of the user
  sees them. A file that cannot be read or written is an :class:`OSError` naming the file (and a corrupt
  one a :class:`ValueError`), never a silent loss.

Writers: the view's traits of a panel (``sort``, ``filter_*``, ``group_by``, ``columns``) are written by
the browser (the user's controls); Python writes them only when the panel is made (from :data:`LAST` or
the arguments) and when the user applies a named view from Python (``table.apply_view(name)``). The
toolbar applies a named view in the browser (it asks Python for its content, then sets the traits as any
control does).
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import threading
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, TypedDict, TypeVar
from urllib.parse import urlsplit

__all__ = ["LAST", "LastViews", "NamedViews", "TableView", "check_seconds", "check_view", "client_key", "views_path"]

T = TypeVar("T")
#: The most named views one kind of panel keeps (a bound on the file).
MAX_NAMED = 200
MAX_NAME = 80


class SortView(TypedDict, total=False):
    column: str
    descending: bool


class TableView(TypedDict, total=False):
    """A table's view: ``sort`` (``{column, descending}``), ``filter_text``, ``filters`` (``{filter trait:
    [value...]}``, e.g. ``{"filter_states": ["RUNNING"]}``; a time filter holds seconds, e.g.
    ``{"filter_running_min": 14400}``), ``group_by`` (``""`` or ``"project"``) and ``hidden`` (the ids of hidden
    columns). A key left out keeps what the table shows; a filter left out of ``filters`` shows every row (views
    saved before a filter existed still load)."""

    sort: SortView
    filter_text: str
    filters: dict[str, list[str] | float]
    group_by: str
    hidden: list[str]


VIEW_KEYS = tuple(TableView.__annotations__)


def client_key(client: Any) -> str:
    """Which DSS ``client`` speaks to: its base URL without credentials, query or fragment."""
    url = getattr(client, "base_url", None)
    if not isinstance(url, str) or not url:
        return f"client-{id(client)}"  # a stand-in client without a URL: its own views only
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        port = f":{parts.port}" if parts.port is not None else ""
    except ValueError:
        return url
    return f"{parts.scheme}://{host}{port}{parts.path.rstrip('/')}"


def check_seconds(name: str, value: Any) -> float:
    """The value of a time filter (``name``: its trait): a number of seconds, finite and not negative (0: no
    filter); ``TypeError``/``ValueError`` naming the filter otherwise."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"{name} is a number of seconds (0: any); not {value!r}")
    if not math.isfinite(value) or value < 0:
        raise ValueError(f"{name} is a number of seconds, finite and not negative (0: any); not {value!r}")
    return float(value)


def check_view(view: Any, *, sortable: Sequence[str], filters: Sequence[str], hideable: Sequence[str],
               group_by: Sequence[str] = ("", "project"), seconds: Sequence[str] = ()) -> TableView:
    """``view`` checked against what a table declares (``seconds``: the filters that hold a number of seconds,
    the others hold values); a clear ``ValueError``/``TypeError`` for what it cannot show (an unknown key, column
    or filter; values of the wrong type). Returns a clean copy."""
    if not isinstance(view, Mapping):
        raise TypeError(f"a view is a dict with keys {', '.join(VIEW_KEYS)}; not {type(view).__name__}")
    unknown = sorted(set(view) - set(VIEW_KEYS))
    if unknown:
        raise ValueError(f"unknown view key(s): {', '.join(map(repr, unknown))} (known: {', '.join(VIEW_KEYS)})")
    out: TableView = {}
    if "sort" in view:
        sort = view["sort"]
        if not isinstance(sort, Mapping) or not isinstance(sort.get("column"), str):
            raise TypeError(f"a view's sort is {{'column': str, 'descending': bool}}; not {sort!r}")
        if sort["column"] not in sortable:
            raise ValueError(f"cannot sort by {sort['column']!r}: the sortable columns are {', '.join(sortable)}")
        out["sort"] = {"column": sort["column"], "descending": bool(sort.get("descending", False))}
    if "filter_text" in view:
        if not isinstance(view["filter_text"], str):
            raise TypeError(f"a view's filter_text is a str; not {type(view['filter_text']).__name__}")
        out["filter_text"] = view["filter_text"]
    if "filters" in view:
        given = view["filters"]
        if not isinstance(given, Mapping):
            raise TypeError(f"a view's filters are {{filter: [value...]}}; not {type(given).__name__}")
        checked: dict[str, list[str] | float] = {}
        for name, values in given.items():
            if name not in filters:
                raise ValueError(f"unknown filter {name!r}: the filters are {', '.join(filters)}")
            if name in seconds:
                checked[name] = check_seconds(name, values)
                continue
            if isinstance(values, str) or not isinstance(values, Sequence) or not all(
                    isinstance(v, str) for v in values):
                raise TypeError(f"the values of filter {name!r} are a list of str; not {values!r}")
            checked[name] = list(dict.fromkeys(values))
        out["filters"] = checked
    if "group_by" in view:
        if view["group_by"] not in group_by:
            raise ValueError(f"group_by is one of {', '.join(map(repr, group_by))}; not {view['group_by']!r}")
        out["group_by"] = view["group_by"]
    if "hidden" in view:
        hidden = view["hidden"]
        if isinstance(hidden, str) or not isinstance(hidden, Sequence):
            raise TypeError(f"a view's hidden columns are a list of column ids; not {hidden!r}")
        wrong = [h for h in hidden if h not in hideable]
        if wrong:
            raise ValueError(f"cannot hide column(s) {', '.join(map(repr, wrong))}: the hideable columns are "
                             f"{', '.join(hideable)}")
        out["hidden"] = list(dict.fromkeys(hidden))
    return out


class LastViews:
    """The last view of each kind of panel per DSS, in this kernel (thread-safe). See the module docstring."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._views: dict[tuple[str, str], dict[str, Any]] = {}
        self._kept: dict[tuple[str, str], Any] = {}

    def get(self, client: Any, kind: str) -> dict[str, Any] | None:
        """The last view of ``kind`` for ``client``'s DSS (a copy), or ``None``."""
        with self._lock:
            view = self._views.get((client_key(client), kind))
            return None if view is None else json.loads(json.dumps(view))

    def put(self, client: Any, kind: str, view: Mapping[str, Any]) -> None:
        """Remember ``view`` as the last of ``kind`` for ``client``'s DSS."""
        copy = json.loads(json.dumps(dict(view)))
        with self._lock:
            self._views[(client_key(client), kind)] = copy

    def kept(self, client: Any, kind: str, make: Callable[[], T]) -> T:
        """The object of ``kind`` kept for ``client``'s DSS (made by ``make()`` the first time): e.g. the
        Dashboard's activity log, so a re-run Dashboard shows the previous entries."""
        key = (client_key(client), kind)
        with self._lock:
            if key not in self._kept:
                self._kept[key] = make()
            return self._kept[key]

    def forget(self, client: Any = None) -> None:
        """Forget the views (and kept objects) of ``client``'s DSS, or of every DSS."""
        with self._lock:
            if client is None:
                self._views.clear()
                self._kept.clear()
                return
            url = client_key(client)
            for store in (self._views, self._kept):
                for key in [k for k in store if k[0] == url]:
                    del store[key]


#: The kernel's last views (one per process).
LAST = LastViews()


def views_path() -> Path:
    """The user's named-views file (see the module docstring)."""
    folder = os.environ.get("CSWIDGETS_CONFIG_DIR")
    if not folder:
        xdg = os.environ.get("XDG_CONFIG_HOME")
        folder = os.path.join(xdg, "cswidgets") if xdg else os.path.join(os.path.expanduser("~"), ".config",
                                                                          "cswidgets")
    return Path(folder) / "views.json"


class NamedViews:
    """The user's named views of one kind of panel, in :func:`views_path` (or ``path``).

    Each call reads the file again (another kernel of the user may have saved a view meanwhile); a save or
    a delete rewrites it atomically (a temporary file, then a rename).
    """

    _lock = threading.Lock()  # one writer at a time in this process

    def __init__(self, kind: str, path: str | os.PathLike[str] | None = None) -> None:
        self.kind = kind
        self._path = Path(path) if path is not None else None

    @property
    def path(self) -> Path:
        """The file (:func:`views_path` at each call unless given: the environment may change)."""
        return self._path if self._path is not None else views_path()

    def _read(self) -> dict[str, Any]:
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return {"version": 1, "views": {}}
        except OSError as exc:
            raise OSError(f"Could not read the named views file {self.path}: {exc.strerror or exc}") from exc
        try:
            data = json.loads(text)
        except ValueError as exc:
            raise ValueError(f"The named views file {self.path} is not valid JSON ({exc}); fix or remove it") from exc
        if not isinstance(data, dict) or not isinstance(data.get("views", {}), dict):
            raise ValueError(f"The named views file {self.path} is not a cswidgets views file; fix or remove it")
        data.setdefault("views", {})
        return data

    def _write(self, data: dict[str, Any]) -> None:
        tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp.write_text(json.dumps(data, indent=1, ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8")
            os.replace(tmp, self.path)
        except OSError as exc:
            with contextlib.suppress(OSError):
                tmp.unlink()
            raise OSError(f"Could not write the named views file {self.path}: {exc.strerror or exc} (set "
                          "CSWIDGETS_CONFIG_DIR to a writable folder)") from exc

    def all(self) -> dict[str, dict[str, Any]]:
        """``{name: view}`` of this kind, by name."""
        views = self._read()["views"].get(self.kind, {})
        return {name: views[name] for name in sorted(views) if isinstance(views[name], dict)}

    def get(self, name: str) -> dict[str, Any]:
        """The view saved as ``name``; ``KeyError`` (naming the saved ones) when there is none."""
        views = self.all()
        if name not in views:
            saved = ", ".join(map(repr, views)) or "none"
            raise KeyError(f"No view named {name!r} (saved: {saved})")
        return views[name]

    def save(self, name: str, view: Mapping[str, Any]) -> None:
        """Save ``view`` as ``name`` (replacing a view of that name)."""
        name = check_name(name)
        with self._lock:
            data = self._read()
            views = data["views"].setdefault(self.kind, {})
            if name not in views and len(views) >= MAX_NAMED:
                raise ValueError(f"{MAX_NAMED} views are saved already: delete one first")
            views[name] = dict(view)
            self._write(data)

    def delete(self, name: str) -> bool:
        """Delete the view ``name``; ``False`` when there was none."""
        with self._lock:
            data = self._read()
            views = data["views"].get(self.kind, {})
            if name not in views:
                return False
            del views[name]
            self._write(data)
            return True


def check_name(name: Any) -> str:
    """A view's name: a non-empty str of at most MAX_NAME characters (stripped)."""
    if not isinstance(name, str):
        raise TypeError(f"a view's name is a str; not {type(name).__name__}")
    name = name.strip()
    if not name or len(name) > MAX_NAME:
        raise ValueError(f"a view's name has 1 to {MAX_NAME} characters; not {name!r}")
    return name
