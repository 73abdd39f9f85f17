"""One outcome per DSS job, shared by every :class:`~cswidgets.api.Future` on it.

DSS's futures service hands a finished job's result (or failure) to the first non-peek read and
may forget the job afterwards (INFERRED, :mod:`cswidgets.api.assumptions`). So every waiter on a
job -- two :class:`~cswidgets.api.Future` objects made from the same job id, the client's tracker
and a panel -- must share the one read that takes it. A :class:`JobBoard` (one per
:class:`~cswidgets.api.transport.Transport`, so per connection) holds a :class:`Job` per job id:
its lock (under which the consuming read is made), the outcome and the state that carried it.
Finished jobs beyond ``max_finished`` are forgotten oldest first.

A start answer (stop, restart, build) that names a job id already seen *and ended* starts a new task that DSS
gave a reused id: :meth:`JobBoard.started` forgets the ended record, so the new task's futures never answer
the previous task's outcome (the previous futures keep theirs).
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from typing import Any

__all__ = ["Job", "JobBoard"]

MAX_FINISHED_JOBS = 2000


class Job:
    """What every waiter on one job shares (read and write under :attr:`lock`)."""

    __slots__ = ("ended", "lock", "outcome", "state")

    def __init__(self) -> None:
        self.lock = threading.RLock()
        #: ("result", raw result) or ("error", DSSError) once known.
        self.outcome: tuple[str, Any] | None = None
        #: the non-peek state that carried the outcome (answered again instead of a second read)
        self.state: dict[str, Any] | None = None
        self.ended: float | None = None

    def settle(self, kind: str, value: Any, state: dict[str, Any] | None = None) -> None:
        """Record the outcome once (later calls are ignored)."""
        with self.lock:
            if self.outcome is None:
                self.outcome, self.state, self.ended = (kind, value), state, time.monotonic()


class JobBoard:
    """The :class:`Job` of each job id seen on one connection (thread-safe)."""

    def __init__(self, max_finished: int = MAX_FINISHED_JOBS) -> None:
        self._jobs: OrderedDict[str, Job] = OrderedDict()
        self._lock = threading.Lock()
        self._max_finished = max_finished

    def job(self, job_id: str) -> Job:
        """The shared :class:`Job` of ``job_id`` (created on first use)."""
        with self._lock:
            job = self._jobs.get(job_id)
            if job is None:
                job = self._jobs[job_id] = Job()
                self._prune()
            return job

    def started(self, job_id: str) -> None:
        """A start answer named ``job_id``: a task beginning now. An *ended* job of that id was a previous
        task (DSS reused the id): its record is forgotten, so the next :meth:`job` is a fresh one. A job
        still running is kept (the same task, answered twice)."""
        with self._lock:
            job = self._jobs.get(job_id)
            if job is not None and job.outcome is not None:
                del self._jobs[job_id]

    def __len__(self) -> int:
        with self._lock:
            return len(self._jobs)

    def _prune(self) -> None:
        finished = [k for k, j in self._jobs.items() if j.outcome is not None]
        for key in finished[: max(len(finished) - self._max_finished, 0)]:
            del self._jobs[key]
