"""The builds part of :class:`~cswidgets.widgets.template_builds.TemplateBuilds`: the builds shown, one bar
per template, and each template's last failure.

:class:`Builds` holds its own state under its own lock and makes no request: the panel starts a build
(through its operation), hands the future to :meth:`Builds.add`, and reports each poll and the end
(:meth:`progress`, :meth:`ended`). Every change is published through ``on_change(records)`` (called with
the lock held, a new list each time). A template builds once at a time: :meth:`reserve` is the
:class:`~cswidgets.widgets.shared.operation.Busy` of a build, from the click to the end of the request.
"""

from __future__ import annotations

import itertools
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..shared.progress import result_summary, task_outcome, task_view
from .rows import BuildRecord, LastFailure, build_record

__all__ = ["Build", "Builds"]

_KEYS = itertools.count(1)


@dataclass
class Build:
    """One build shown under the table."""

    key: str
    template_id: str
    label: str
    no_cache: bool
    future: Any
    subscription: Any = None
    view: dict[str, Any] = field(default_factory=dict)
    final: str = ""
    summary: str = ""
    abort_requested: bool = False
    done_event: threading.Event = field(default_factory=threading.Event)
    restart: list[str] = field(default_factory=list)
    restart_names: list[str] = field(default_factory=list)

    def to_dict(self) -> BuildRecord:
        return build_record(self.key, self.template_id, self.label, no_cache=self.no_cache, view=self.view,
                            final=self.final, summary=self.summary, job_id=self.future.job_id,
                            abort_requested=self.abort_requested, restart=self.restart,
                            restart_names=self.restart_names)


class _Reservation:
    """The Busy of a build request: a second build of the template is refused while one runs."""

    def __init__(self, builds: Builds, template_id: str, label: str) -> None:
        self._builds, self._template_id, self._label = builds, template_id, label

    def claim(self) -> None:
        self._builds._claim(self._template_id, self._label, self)

    def release(self) -> None:
        self._builds._release(self._template_id, self)


class Builds:
    """The builds shown and the last failure of each template (thread-safe; see the module docstring)."""

    def __init__(self, on_change: Callable[[list[BuildRecord]], None]) -> None:
        self._lock = threading.RLock()
        self._builds: dict[str, Build] = {}
        self._starting: dict[str, _Reservation] = {}  # template id -> the request being sent
        self._failures: dict[str, LastFailure] = {}
        self._on_change = on_change

    # -- starting ---------------------------------------------------------------------------------
    def reserve(self, template_id: str, label: str) -> _Reservation:
        """The busy state of a build request of ``template_id`` (``ValueError`` "already building")."""
        return _Reservation(self, template_id, label)

    def _claim(self, template_id: str, label: str, reservation: _Reservation) -> None:
        with self._lock:
            if template_id in self._starting or template_id in self.running_ids():
                raise ValueError(f"Template {label!r} is already building.")
            self._starting[template_id] = reservation

    def _release(self, template_id: str, reservation: _Reservation) -> None:
        with self._lock:
            if self._starting.get(template_id) is reservation:
                del self._starting[template_id]

    def add(self, template_id: str, label: str, no_cache: bool, future: Any) -> Build:
        """Show a new build (a finished bar of the same template makes way for it)."""
        entry = Build(f"{template_id}#{next(_KEYS)}", template_id, label, bool(no_cache), future)
        entry.view = dict(task_view(future))
        with self._lock:
            for key in [k for k, b in self._builds.items() if b.template_id == template_id and b.final]:
                del self._builds[key]
            self._builds[entry.key] = entry
            # the request was answered: from now on the running build itself says "building"
            self._starting.pop(template_id, None)
            self._publish()
        return entry

    # -- reading ----------------------------------------------------------------------------------
    def get(self, key: str) -> Build | None:
        with self._lock:
            return self._builds.get(str(key))

    def running_ids(self) -> set[str]:
        """The templates with a build running."""
        with self._lock:
            return {b.template_id for b in self._builds.values() if not b.final}

    def running(self) -> dict[str, Any]:
        """``{template_id: Future}`` of the builds still running."""
        with self._lock:
            return {b.template_id: b.future for b in self._builds.values() if not b.final}

    def running_build(self, template_id: str) -> Build | None:
        with self._lock:
            return next((b for b in self._builds.values() if b.template_id == template_id and not b.final), None)

    def finals(self) -> dict[str, str]:
        """``{template_id: final state}`` of the builds shown ("" while running)."""
        with self._lock:
            return {b.template_id: b.final for b in self._builds.values()}

    def last_failure(self, template_id: str) -> LastFailure | None:
        with self._lock:
            return self._failures.get(template_id)

    def records(self) -> list[BuildRecord]:
        with self._lock:
            return [b.to_dict() for b in self._builds.values()]

    def __len__(self) -> int:
        with self._lock:
            return len(self._builds)

    # -- changes ----------------------------------------------------------------------------------
    def progress(self, entry: Build, future: Any) -> None:
        """A poll of a running build (tracker thread: cheap)."""
        view = task_view(future)
        if view["status"] != "running":
            return
        with self._lock:
            if entry.final or view == entry.view:
                return
            entry.view = dict(view)
            self._publish()

    def ended(self, entry: Build, future: Any) -> str:
        """The build ended: its final state, summary and the template's last failure. Returns the
        summary of a successful build ("" otherwise)."""
        status, message = task_outcome(future)
        with self._lock:
            if entry.final:
                return entry.summary
            entry.view = dict(task_view(future))
            entry.summary = result_summary(future.result) if status == "done" else ""
            entry.final = status
            if status == "failed":
                self._failures[entry.template_id] = {"at_ms": int(time.time() * 1000),
                                                     "stage": entry.view.get("stage"), "message": message}
            elif status == "done":
                self._failures.pop(entry.template_id, None)
            self._publish()
            return entry.summary

    def mark_abort(self, entry: Build, requested: bool) -> bool:
        """Show (or stop showing) that an abort was asked; ``False`` when the build had ended."""
        with self._lock:
            if requested and entry.final:
                return False
            entry.abort_requested = requested
            self._publish()
            return True

    def offer_restart(self, entries: list[Build], keys: dict[str, list[tuple[str, str]]]) -> None:
        """Offer to restart, under each rebuilt template's bar, its outdated running studios (``keys``:
        ``{template id: [(row key, name)...]}``)."""
        with self._lock:
            for entry in entries:
                offered = keys.get(entry.template_id, [])
                entry.restart = [k for k, _ in offered]
                entry.restart_names = [n for _, n in offered]
            self._publish()

    def take_restart(self, key: str) -> list[str]:
        """The studios offered under build ``key``, once (the offer is withdrawn)."""
        with self._lock:
            entry = self._builds.get(str(key))
            keys = list(entry.restart) if entry is not None else []
            if entry is not None:
                entry.restart, entry.restart_names = [], []
                self._publish()
            return keys

    def dismiss(self, key: str) -> bool:
        """Remove a finished bar (``ValueError`` for a running one); ``False`` when it is not shown."""
        with self._lock:
            entry = self._builds.get(str(key))
            if entry is not None and not entry.final:
                raise ValueError("A running build cannot be dismissed; abort it first.")
            self._builds.pop(str(key), None)
            self._publish()
            return entry is not None

    def wait(self, timeout: float | None) -> dict[str, str]:
        """Block until every running build ended and was shown in the table (see
        :meth:`TemplateBuilds.wait`); ``TimeoutError`` after ``timeout`` seconds."""
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._lock:
            entries = [b for b in self._builds.values() if not b.final]
        for entry in entries:
            left = None if deadline is None else max(0.0, deadline - time.monotonic())
            if not entry.done_event.wait(left):
                raise TimeoutError(f"{entry.label!r} still running after {timeout} s")
        return self.finals()

    def stop_following(self) -> None:
        """Stop following every build (they keep running on DSS)."""
        with self._lock:
            subs = [b.subscription for b in self._builds.values() if b.subscription is not None]
        for sub in subs:
            sub.cancel()

    def _publish(self) -> None:
        self._on_change([b.to_dict() for b in self._builds.values()])
