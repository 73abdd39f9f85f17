"""One activity log for every panel: who did what, to what, when, with what outcome, how long.

An :class:`ActivityLog` is a bounded, thread-safe list of entries (plain, JSON-able dicts) with
subscribers. An action is recorded when it begins (``outcome="running"``) and its entry is replaced
by the final version when it ends; a one-shot action is recorded at once with :meth:`record`::

    log = ActivityLog()
    entry_id = log.begin(who="alice", what="stop", project_key="P", studio_id="abc", studio="Notebook")
    ...
    log.finish(entry_id, "done")                    # duration measured since begin()
    log.frame()                                     # a DataFrame, one row per action

Entry fields (every key always present)::

    id           int, unique in the process
    panel        which panel acted ("studios", "conflicts", "templates", ...) or None
    who          the user (login) or None
    what         the action ("stop", "restart", "pull", "build", ...)
    target       what it acted on, readable, naming the project ("Studio (PROJECT)", "Studio (PROJECT) /
                 zone", a template label)
    project_key, studio_id, studio, zone, template_id    identifiers when they apply, else None
    when         start time, ISO 8601 UTC string with seconds ("2024-05-01T12:00:00+00:00")
    outcome      one of :data:`OUTCOMES`: "running" while in progress; then "done", "failed",
                 "aborted" (stopped by a user: not a failure), "refused" (not sent: already in
                 progress, needs a confirmation...) or "unknown" (sent, but the answer was lost or the task
                 could not be followed) -- each counted on its own by :meth:`counts`
    duration_s   seconds (rounded to 0.01) once ended, else None
    message      a readable detail (error message, result summary) or None
    files        the files the action may have overwritten (a sync: zone-relative paths, sorted), else None
    code         the Python that does the same with cswidgets (what "Copy as Python" copies;
                 :func:`cswidgets.widgets.shared.operation.python_code`), else None

A panel's actions are recorded by its operations (:meth:`cswidgets.widgets.shared.panel.Panel.operation`:
the entry begun, then its final outcome, in one place). Every panel records into one (StudioTable,
ConflictViewer, TemplateBuilds: each owns one unless given one to share with ``activity_log=``; the
Dashboard gives its own to all three) through a
:class:`PanelActivity`, which fills in the panel's name and the default "who" (the client's login,
:func:`default_who`) and keeps the panel's ``.activity`` / ``.on_activity`` to the panel's own
entries. Subscribers run on the thread that recorded the change, outside the lock; an exception in
one is logged, never raised.
"""

from __future__ import annotations

import json
import logging
import os
import threading
import time
from collections.abc import Callable, Mapping
from datetime import datetime, timezone
from typing import Any, TypedDict

import numpy as np
import pandas as pd

from ...api.compat import text_series
from ..shared.format import text_or_none
from ..shared.operation import python_code

log = logging.getLogger(__name__)

__all__ = ["COLUMNS", "FINAL_OUTCOMES", "OUTCOMES", "PROBLEM_OUTCOMES", "ActivityCounts", "ActivityEntry",
           "ActivityLog", "PanelActivity", "default_who"]

MAX_ENTRIES = 1000


class ActivityEntry(TypedDict):
    """One entry, as kept, as sent to the activity panel (``entries``) and as a row of ``frame()``."""

    id: int
    panel: str | None
    who: str | None
    what: str
    target: str | None
    project_key: str | None
    studio_id: str | None
    studio: str | None
    zone: str | None
    template_id: str | None
    when: str  # ISO 8601 UTC, seconds
    outcome: str  # one of OUTCOMES
    duration_s: float | None
    message: str | None
    files: list[str] | None  # what a sync may have overwritten
    code: str | None  # the Python that does the same with cswidgets ("Copy as Python"), when there is one


class ActivityCounts(TypedDict):
    """:meth:`ActivityLog.counts`: how many entries, and how many of each outcome that needs an eye."""

    total: int
    running: int
    failed: int
    aborted: int
    refused: int


COLUMNS = tuple(ActivityEntry.__annotations__)
_OPTIONAL = ("panel", "who", "target", "project_key", "studio_id", "studio", "zone", "template_id", "message", "files",
             "code")
FINAL_OUTCOMES = ("done", "failed", "aborted", "refused", "unknown")
OUTCOMES = ("running", *FINAL_OUTCOMES)
#: Outcomes that are not "done": failures, user aborts and refusals, each its own (``counts()``).
PROBLEM_OUTCOMES = ("failed", "aborted", "refused")
#: What a loaded entry still "running" when its process stopped becomes (ActivityLog(path=...)).
INTERRUPTED = "the kernel stopped before this action ended"
_ID_LOCK = threading.Lock()
_LAST_ID = 0


def _next_id() -> int:
    global _LAST_ID
    with _ID_LOCK:
        _LAST_ID += 1
        return _LAST_ID


def _ids_above(value: int) -> None:
    """New ids are above ``value`` (entries loaded from a file keep theirs)."""
    global _LAST_ID
    with _ID_LOCK:
        _LAST_ID = max(_LAST_ID, value)

Listener = Callable[[dict[str, Any]], Any]


def _iso(when: Any = None) -> str:
    """``when`` (None = now, a datetime, a pandas Timestamp or an ISO string) as an ISO UTC string."""
    if when is None:
        return datetime.now(timezone.utc).isoformat(timespec="seconds")
    if isinstance(when, str):
        when = pd.Timestamp(when).to_pydatetime()  # any ISO 8601 form, "Z" too (Python 3.9's fromisoformat has no "Z")
    if not isinstance(when, datetime):
        raise TypeError(f"when must be a datetime or an ISO string, not {type(when).__name__}")
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return when.astimezone(timezone.utc).isoformat(timespec="seconds")


def _files(value: Any) -> list[str] | None:
    """The ``files`` field: sorted distinct paths, or None when not given."""
    if value is None:
        return None
    if isinstance(value, str):
        raise TypeError("an activity entry's files are a list of paths, not one string")
    return sorted({str(v) for v in value})


def _duration(value: Any) -> float | None:
    return None if value is None else round(max(0.0, float(value)), 2)


class ActivityLog:
    """A bounded, thread-safe log of actions with subscribers (see the module docstring).

    Parameters
    ----------
    max_entries : int
        Oldest entries are dropped beyond this number (default 1000).
    panel : str, optional
        Default ``panel`` of the entries recorded through this log.
    path : str or os.PathLike, optional
        Keep the log in this JSON-lines file too: every new or updated entry is appended as one line,
        and the file is read back when the log is made (the newest ``max_entries``; an entry still
        "running" in the file is loaded as "aborted", its action cut short by a kernel restart), so the
        log survives a kernel restart. The file is compacted when it holds more than twice
        ``max_entries`` lines. Nothing secret goes in an entry (what, who, target, outcome, message).
    """

    def __init__(self, max_entries: int = MAX_ENTRIES, *, panel: str | None = None,
                 path: str | os.PathLike[str] | None = None) -> None:
        if max_entries < 1:
            raise ValueError("max_entries must be at least 1")
        self.path = None if path is None else os.fspath(path)
        self._file_lock = threading.Lock()
        self._lock = threading.Lock()
        self._entries: dict[int, dict[str, Any]] = {}  # insertion-ordered, oldest first
        self._started: dict[int, float] = {}  # monotonic start of running entries
        self._sources: dict[int, object] = {}  # who recorded each entry (see PanelActivity)
        self._listeners: list[tuple[Listener, object]] = []
        self._max = max_entries
        self.panel = panel
        if self.path is not None:
            self._load()

    # -- subscribers ------------------------------------------------------------------------------
    def subscribe(self, callback: Listener, *, source: object = None) -> Callable[[], None]:
        """Call ``callback(entry)`` (a copy) for every new or updated entry -- only those recorded with
        ``source`` when it is given; returns an unsubscribe."""
        if not callable(callback):
            raise TypeError("on_activity expects a callable taking one dict")
        pair = (callback, source)
        with self._lock:
            self._listeners.append(pair)

        def unsubscribe() -> None:
            with self._lock:
                if pair in self._listeners:
                    self._listeners.remove(pair)

        return unsubscribe

    # -- reading ----------------------------------------------------------------------------------
    def entries(self, *, source: object = None) -> list[dict[str, Any]]:
        """Copies of the entries, oldest first (only those recorded with ``source`` when given)."""
        with self._lock:
            if source is None:
                return [dict(e) for e in self._entries.values()]
            return [dict(e) for i, e in self._entries.items() if self._sources.get(i) is source]

    def tail(self, n: int) -> list[dict[str, Any]]:
        """Copies of the ``n`` newest entries, newest first."""
        with self._lock:
            values = list(self._entries.values())
        return [dict(e) for e in reversed(values[-n:])] if n > 0 else []

    def get(self, entry_id: int) -> dict[str, Any] | None:
        with self._lock:
            entry = self._entries.get(entry_id)
            return None if entry is None else dict(entry)

    def __len__(self) -> int:
        with self._lock:
            return len(self._entries)

    def counts(self) -> ActivityCounts:
        """``{"total", "running", "failed", "aborted", "refused"}``: each outcome its own count (an
        aborted or refused action is not a failure)."""
        with self._lock:
            outcomes = [e["outcome"] for e in self._entries.values()]
        return {"total": len(outcomes), "running": outcomes.count("running"), "failed": outcomes.count("failed"),
                "aborted": outcomes.count("aborted"), "refused": outcomes.count("refused")}

    def frame(self) -> pd.DataFrame:
        """The entries as a DataFrame (oldest first, indexed by ``id``): ``when`` as a UTC datetime,
        ``outcome`` and ``panel`` as categories, ``duration_s`` as float (NaN while running)."""
        rows = self.entries()
        data: dict[str, pd.Series] = {}
        for column in COLUMNS:
            values = [r[column] for r in rows]
            if column == "id":
                data[column] = pd.Series(values, dtype="int64")
            elif column == "when":
                data[column] = pd.to_datetime(pd.Series(values, dtype=object), utc=True).astype(
                    "datetime64[ns, UTC]")
            elif column == "duration_s":
                data[column] = pd.Series([np.nan if v is None else v for v in values], dtype="float64")
            elif column in ("panel", "outcome"):
                data[column] = pd.Series(values, dtype="category")
            elif column == "what":
                data[column] = text_series(values)
            else:  # optional text: None stays None
                data[column] = pd.Series(values, dtype=object)
        df = pd.DataFrame(data, columns=list(COLUMNS))
        return df.set_index("id")

    # -- writing ----------------------------------------------------------------------------------
    def begin(self, *, what: str, who: str | None = None, when: Any = None, source: object = None,
              **fields: Any) -> int:
        """Record that an action begins (outcome ``"running"``); returns its id for :meth:`finish`.

        ``fields``: ``panel``, ``target``, ``project_key``, ``studio_id``, ``studio``, ``zone``,
        ``template_id``, ``message``. ``target`` defaults to the studio/template/zone named.
        ``source`` (not a field) marks who recorded it, for ``entries(source=)`` / ``subscribe(source=)``.
        """
        entry = self._new(what=what, who=who, when=when, outcome="running", duration_s=None, **fields)
        self._store(entry, started=time.monotonic(), source=source)
        return entry["id"]

    def finish(self, entry_id: int, outcome: str, duration_s: float | None = None,
               message: str | None = None, files: Any = None) -> dict[str, Any] | None:
        """Record how an action ended. ``duration_s`` defaults to the time since :meth:`begin`
        (in this process); ``files``: what it may have overwritten, when known only now. Returns the
        final entry, or ``None`` if the id is unknown (dropped)."""
        if outcome not in FINAL_OUTCOMES:
            raise ValueError(f"finish() needs a final outcome, one of {', '.join(FINAL_OUTCOMES)}; not {outcome!r}")
        with self._lock:
            old = self._entries.get(entry_id)
            started = self._started.pop(entry_id, None)
        if old is None:
            return None
        if duration_s is None and started is not None:
            duration_s = time.monotonic() - started
        final = {**old, "outcome": str(outcome), "duration_s": _duration(duration_s),
                 "message": text_or_none(message) if message is not None else old["message"],
                 "files": _files(files) if files is not None else old["files"]}
        self._store(final)
        return dict(final)

    def record(self, *, what: str, outcome: str, who: str | None = None, started: float | None = None,
               duration_s: float | None = None, detail: str | None = None, when: Any = None,
               source: object = None, **fields: Any) -> dict[str, Any]:
        """Record an action that already ended (one entry). ``started`` is a ``time.monotonic()``
        value (the duration is measured from it) unless ``duration_s`` is given; ``detail`` is an
        alias of ``message``."""
        if outcome not in FINAL_OUTCOMES:
            raise ValueError(f"record() needs a final outcome, one of {', '.join(FINAL_OUTCOMES)}; not {outcome!r}")
        if duration_s is None and started is not None:
            duration_s = time.monotonic() - started
        if detail is not None and fields.get("message") is None:
            fields["message"] = detail
        entry = self._new(what=what, who=who, when=when, outcome=outcome, duration_s=_duration(duration_s),
                          **fields)
        self._store(entry, source=source)
        return dict(entry)

    def clear(self) -> None:
        """Forget every entry (subscribers are kept)."""
        with self._lock:
            self._entries, self._started, self._sources = {}, {}, {}

    # -- internals --------------------------------------------------------------------------------
    def _new(self, *, what: str, who: Any, when: Any, outcome: str, duration_s: float | None,
             **fields: Any) -> dict[str, Any]:
        unknown = sorted(set(fields) - set(_OPTIONAL))
        if unknown:
            raise TypeError(f"unknown activity field(s): {', '.join(unknown)}")
        if not what:
            raise ValueError("an activity entry needs 'what'")
        entry: dict[str, Any] = {"id": _next_id()}
        for key in COLUMNS[1:]:
            entry[key] = text_or_none(fields.get(key))
        entry["files"] = _files(fields.get("files"))
        entry.update(what=str(what), who=text_or_none(who), when=_iso(when), outcome=str(outcome),
                     duration_s=duration_s)
        if entry["panel"] is None:
            entry["panel"] = self.panel
        if entry["target"] is None:
            entry["target"] = _default_target(entry)
        return entry

    def _store(self, entry: dict[str, Any], started: float | None = None, source: object = None) -> None:
        with self._lock:
            if entry["id"] not in self._entries and source is not None:
                self._sources[entry["id"]] = source
            self._entries[entry["id"]] = entry
            if started is not None:
                self._started[entry["id"]] = started
            while len(self._entries) > self._max:
                oldest = next(iter(self._entries))
                del self._entries[oldest]
                self._started.pop(oldest, None)
                self._sources.pop(oldest, None)
            owner = self._sources.get(entry["id"])
            listeners = [cb for cb, wanted in self._listeners if wanted is None or wanted is owner]
            if self.path is not None:  # under the lock: the file gets the versions in their order
                self._append([entry])
        for callback in listeners:
            try:
                callback(dict(entry))
            except Exception:
                log.exception("an activity subscriber raised (ignored)")


    # -- the file ---------------------------------------------------------------------------------
    def _append(self, entries: list[dict[str, Any]], mode: str = "a") -> None:
        lines = "".join(json.dumps(e, ensure_ascii=False) + "\n" for e in entries)
        try:
            # errors="replace": a text no UTF-8 encoder takes (a lone surrogate) can never lose the line
            with self._file_lock, open(self.path, mode, encoding="utf-8", errors="replace") as f:  # type: ignore
                f.write(lines)
        except OSError as exc:  # the log in memory stays right; say once per failure why the file is not
            log.warning("could not write the activity log file %s: %s", self.path, exc)

    def _load(self) -> None:
        """Read the file back (the last version of each entry, the newest ``max_entries``)."""
        try:
            with open(self.path, encoding="utf-8") as f:  # type: ignore[arg-type]
                lines = f.readlines()
        except FileNotFoundError:
            return
        except OSError as exc:
            log.warning("could not read the activity log file %s: %s", self.path, exc)
            return
        loaded: dict[int, dict[str, Any]] = {}
        for number, line in enumerate(lines, 1):
            try:
                entry = json.loads(line)
                entry_id = int(entry["id"])
            except (ValueError, KeyError, TypeError):
                log.warning("%s line %d is not an activity entry (skipped)", self.path, number)
                continue
            loaded.pop(entry_id, None)
            loaded[entry_id] = {key: entry.get(key) for key in COLUMNS} | {"id": entry_id}
        kept = list(loaded.values())[-self._max:]
        for entry in kept:
            if entry["outcome"] not in FINAL_OUTCOMES:
                entry.update(outcome="aborted", message=entry.get("message") or INTERRUPTED)
        with self._lock:
            self._entries = {e["id"]: e for e in kept}
        _ids_above(max(loaded, default=0))
        if len(lines) > 2 * self._max or any(e["message"] == INTERRUPTED for e in kept):
            self._append(kept, mode="w")


def _default_target(entry: Mapping[str, Any]) -> str | None:
    """A readable target naming the project: "Studio (PROJECT)", "Studio (PROJECT) / zone", a template."""
    studio = entry.get("studio") or entry.get("studio_id")
    if studio and entry.get("project_key"):
        studio = f"{studio} ({entry['project_key']})"
    if studio and entry.get("zone"):
        return f"{studio} / {entry['zone']}"
    return studio or entry.get("template_id") or entry.get("zone")


def default_who(client: Any) -> str | None:
    """The default "who" of a panel's activity: the client's login (:attr:`cswidgets.api.Client.login`,
    from ``GET /auth/info``, fetched once), or ``None`` when it cannot be told."""
    try:
        login = getattr(client, "login", None)
    except Exception as exc:  # a client of another kind: the log must not break an action
        log.debug("could not read the login: %s", exc)
        return None
    return login if isinstance(login, str) and login else None


class PanelActivity:
    """A panel's side of an :class:`ActivityLog` (its own, or one shared with other panels).

    Records with the panel's name and, unless given, the default "who" (``who()`` is called at
    each record: the login is fetched lazily, on the thread doing the action); :meth:`entries` and
    :meth:`subscribe` see only the entries this panel recorded, so a panel's ``.activity`` and
    ``.on_activity`` keep their meaning when the log is shared.

    Parameters
    ----------
    log : ActivityLog or None
        The log to record into; ``None`` creates one for this panel.
    panel : str
        The ``panel`` field of the entries (``"studios"``, ``"conflicts"``, ``"templates"``).
    who : callable
        Returns the default "who" (e.g. ``lambda: user or default_who(client)``).
    """

    def __init__(self, log: ActivityLog | None, panel: str, who: Callable[[], str | None]) -> None:
        if log is not None and not isinstance(log, ActivityLog):
            raise TypeError(f"activity_log must be a cswidgets ActivityLog, not {type(log).__name__}")
        self.log = log if log is not None else ActivityLog(panel=panel)
        self.panel = panel
        self._who = who

    def who(self) -> str | None:
        try:
            return self._who()
        except Exception as exc:
            log.debug("could not tell who acts: %s", exc)
            return None

    def _fields(self, fields: dict[str, Any]) -> dict[str, Any]:
        fields.setdefault("panel", self.panel)
        if fields.get("who") is None:
            fields["who"] = self.who()
        return fields

    def begin(self, what: str, **fields: Any) -> int:
        """:meth:`ActivityLog.begin` as this panel."""
        return self.log.begin(what=what, source=self, **self._fields(fields))

    def finish(self, entry_id: int, outcome: str, duration_s: float | None = None,
               message: str | None = None, files: Any = None) -> dict[str, Any] | None:
        """:meth:`ActivityLog.finish`."""
        return self.log.finish(entry_id, outcome, duration_s, message, files)

    def record(self, what: str, outcome: str, **fields: Any) -> dict[str, Any]:
        """:meth:`ActivityLog.record` as this panel. An entry given no ``code`` (one recorded by the API core: each
        stop of the idle policy, each restart of a template's outdated studios) gets :func:`python_code`'s."""
        if "code" not in fields:
            fields["code"] = python_code(what, project_key=fields.get("project_key"), studio_id=fields.get("studio_id"))
        return self.log.record(what=what, outcome=outcome, source=self, **self._fields(fields))

    def entries(self) -> list[dict[str, Any]]:
        """This panel's entries, oldest first."""
        return self.log.entries(source=self)

    def subscribe(self, callback: Listener) -> Callable[[], None]:
        """Call ``callback(entry)`` for each new or updated entry of this panel; returns an unsubscribe."""
        return self.log.subscribe(callback, source=self)
