"""Futures (long-running tasks): their lifecycle, progress and JSON form.

A :class:`Future` is created with a plan of stages (names and simulated end times); progress is
computed from the simulated clock when it is read. Whoever owns the task (a studio transition, a
template build) ends it with :meth:`Future.complete` / :meth:`Future.fail`; an abort runs the
owner's ``on_abort`` hook. Not thread-safe on its own: the model lock guards it.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .. import assumptions as A
from ..errors import SimError
from .core import Core
from .directory import Directory


@dataclass
class Stage:
    name: str
    start_ms: int
    end_ms: int
    unit: str = "NONE"
    size: int = 0  # total bytes when unit == "SIZE"


@dataclass
class Future:
    job_id: str
    owner: str
    display_name: str
    payload: dict[str, Any]
    start_ms: int
    stages: list[Stage]
    status: str = "running"  # running | done | failed | aborted
    end_ms: int | None = None
    result: Any = None
    error: tuple[str, str] | None = None  # (errorType, message)
    log: list[str] = field(default_factory=list)
    on_abort: Callable[[int], None] | None = None

    @property
    def alive(self) -> bool:
        return self.status == "running"

    def complete(self, time_ms: int, result: Any = None) -> None:
        if self.alive:
            self.status, self.end_ms, self.result = "done", time_ms, result
            self.log.append("Done")

    def fail(self, time_ms: int, error_type: str, message: str, aborted: bool = False) -> None:
        if self.alive:
            self.status = "aborted" if aborted else "failed"
            self.end_ms, self.error = time_ms, (error_type, message)
            self.log.append(("Aborted: " if aborted else "Failed: ") + message)

    def abort(self, time_ms: int, by: str) -> None:
        """Abort if still running (a finished future stays as it is)."""
        if not self.alive:
            return
        self.fail(time_ms, A.ERR_ABORTED, f"Aborted by {by}", aborted=True)
        if self.on_abort is not None:
            self.on_abort(time_ms)

    def _progress(self, now: int) -> dict[str, Any]:
        idx = next((i for i, s in enumerate(self.stages) if s.end_ms > now), len(self.stages) - 1)
        stage = self.stages[idx]
        span = max(stage.end_ms - stage.start_ms, 1)
        frac = min(max((now - stage.start_ms) / span, 0.0), 1.0)
        inner: dict[str, Any] = {
            "name": stage.name,
            "unit": stage.unit,
            "important": False,
            "msSinceStart": max(now - stage.start_ms, 0),
        }
        if stage.unit == "SIZE":
            inner.update(target=stage.size, cur=int(stage.size * frac))
        else:
            inner.update(target=100, cur=int(100 * frac))
        outer = {
            "name": self.display_name,
            "unit": "NONE",
            "target": len(self.stages),
            "cur": idx,
            "important": True,
            "msSinceStart": now - self.start_ms,
        }
        return {"states": [outer, inner]}

    def to_json(self, now: int, peek: bool) -> dict[str, Any]:
        """The future's state. Raises SimError (HTTP 500) for a non-peek read of a failure."""
        end = self.end_ms if self.end_ms is not None else now
        state: dict[str, Any] = {
            "jobId": self.job_id,
            "hasResult": self.status == "done",
            "alive": self.alive,
            "aborted": self.status == "aborted",
            "unknown": False,
            "startTime": self.start_ms,
            "runningTime": max(end - self.start_ms, 0),
            "owner": self.owner,
            "jobDisplayName": self.display_name,
            "payload": self.payload,
            "progress": self._progress(now) if self.alive else None,
        }
        if self.status == "done" and not peek:
            state["result"] = self.result
        if self.error is not None and not peek:
            error_type, message = self.error
            extra = {**state, "logTail": {"lines": list(self.log[-50:])}}
            raise SimError(A.STATUS_FAILED_FUTURE, error_type, message, extra)
        return state


class FutureRegistry:
    """All futures by job id; finished ones are pruned oldest-first beyond a cap."""

    def __init__(self, max_finished: int = A.MAX_FINISHED_FUTURES) -> None:
        self._futures: OrderedDict[str, Future] = OrderedDict()
        self._max_finished = max_finished

    def add(self, future: Future) -> Future:
        self._futures[future.job_id] = future
        self._prune()
        return future

    def get(self, job_id: str) -> Future | None:
        return self._futures.get(job_id)

    def remove(self, job_id: str) -> None:
        self._futures.pop(job_id, None)

    def __contains__(self, job_id: str) -> bool:
        return job_id in self._futures

    def all(self) -> list[Future]:
        return list(self._futures.values())

    def _prune(self) -> None:
        finished = [k for k, f in self._futures.items() if not f.alive]
        for key in finished[: max(len(finished) - self._max_finished, 0)]:
            del self._futures[key]


class FutureOps:
    """The ``/futures`` endpoints over a :class:`FutureRegistry`."""

    def __init__(self, core: Core, directory: Directory, futures: FutureRegistry) -> None:
        self._core = core
        self._directory = directory
        self._futures = futures

    def get_future(self, job_id: str, peek: bool) -> tuple[int, dict[str, Any]]:
        with self._core.lock:
            now = self._core.tick()
            fut = self._futures.get(job_id)
            if fut is None:
                return A.unknown_future(job_id)
            if self._core.consume_futures and not peek and not fut.alive:
                self._futures.remove(job_id)  # this read takes the result (or the failure)
            return 200, fut.to_json(now, peek)

    def abort_future(self, job_id: str, login: str) -> None:
        with self._core.lock:
            now = self._core.tick()
            fut = self._futures.get(job_id)
            if fut is None:
                return
            if login != fut.owner and not self._directory.is_admin(login):
                raise SimError(A.STATUS_FORBIDDEN, A.ERR_UNAUTHORIZED, f"Only {fut.owner} or an admin may abort")
            fut.abort(now, login)

    def list_futures(
        self, login: str, with_scenarios: bool, with_not_scenarios: bool, all_users: bool
    ) -> list[dict[str, Any]]:
        if all_users:
            self._directory.require_admin(login)
        with self._core.lock:
            now = self._core.tick()
            if not with_not_scenarios:  # the simulator runs no scenarios
                return []
            listed = [f for f in self._futures.all() if f.alive or not A.LISTS_ALIVE_FUTURES_ONLY]
            return [f.to_json(now, peek=True) for f in listed if all_users or f.owner == login]
