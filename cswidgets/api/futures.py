"""Long-running DSS tasks ("futures"): :class:`Future` and its parsed :class:`Progress`.

Same names and meanings as ``dataikuapi.dss.future.DSSFuture`` (``peek_state``, ``get_state``,
``get_result``, ``has_result``, ``wait_for_result``, ``abort``, ``from_resp``), with these differences:

- ``wait_for_result(timeout=None, progress=False)`` raises :class:`~cswidgets.api.errors.DSSTimeoutError`
  after ``timeout`` seconds, and :class:`~cswidgets.api.errors.DSSFutureError` when the task failed, was
  aborted, died without a result (``alive: false``) or is unknown to the server -- the official loop spins
  forever in the last two cases. It polls with ``peek=True`` (safe, retried) and fetches the result with
  ``peek=False`` only when the peek says the task ended. A bare 5xx on that fetch is not taken as the task's
  failure unless a confirming peek says the task ended without a result (policy in
  :mod:`cswidgets.api.assumptions`); otherwise it is fetched again after the next peek. Intervals start
  at 100 ms and grow
  x1.5 to a 1.5 s cap (never shorter than the last round trip), so progress is never more than ~1.5 s stale;
  the official client starts at 200 ms and grows x1.1 to 15 s.
- A future created from an answer without ``jobId`` and without ``hasResult`` raises at once instead of
  polling ``/futures/None`` -- except the futures of stop, restart and build (``from_resp(action=True)``),
  which are already complete (result ``None``): nothing to wait for, and a row is never left waiting.
  Only ``hasResult: true`` (the JSON boolean) means done.
- A state that is not a JSON object raises :class:`~cswidgets.api.errors.DSSError` (the tracker counts it as
  a failed poll).
- The outcome is recorded once (``done``, ``result``, ``error``, ``aborted``) per *job*, not per object: every
  :class:`Future` on one job id of a connection shares it (:mod:`cswidgets.api.jobs`), and the consuming
  ``peek=False`` fetch is made once, under the job's lock, whoever waits -- two futures, the
  :class:`~cswidgets.api.FutureTracker` and a panel all get the result even when DSS hands it to one read
  only. A later ``get_state()`` answers the state that carried the outcome without a new request.
- ``progress`` parses ``progress.states[]`` into a :class:`~cswidgets.api.progress.Progress` (its ``fraction``
  is the whole task's, combined from the nested states; see :mod:`cswidgets.api.progress`).
- ``abort()`` on a future without a job id (already complete) does nothing.
"""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from . import assumptions
from .errors import DSSConnectionError, DSSError, DSSFutureError, DSSTimeoutError
from .jobs import Job
from .progress import Progress, overall_fraction
from .validate import id_problem, path, segment

if TYPE_CHECKING:
    from .client import Client
    from .transport import Transport

__all__ = ["Backoff", "Future", "Progress", "overall_fraction"]

log = logging.getLogger(__name__)

FIRST_INTERVAL_S = 0.1
INTERVAL_GROWTH = 1.5
MAX_INTERVAL_S = 1.5


class Backoff:
    """When to poll a future next: the pause starts at ``first`` seconds and grows x1.5 up to ``cap``, and
    is never shorter than the last round trip (a slow server is not polled faster than it answers).
    Shared by :meth:`Future.wait_for_result` and the :class:`~cswidgets.api.FutureTracker`."""

    __slots__ = ("cap", "interval")

    def __init__(self, first: float = FIRST_INTERVAL_S, cap: float = MAX_INTERVAL_S) -> None:
        self.interval = first
        self.cap = cap

    def next_pause(self, rtt: float = 0.0) -> float:
        """The pause before the next poll (after one that took ``rtt`` seconds); grows the interval."""
        pause = max(self.interval, rtt)
        self.interval = min(self.interval * INTERVAL_GROWTH, self.cap)
        return pause


class Future:
    """A long-running task on DSS (mirror of ``dataikuapi.dss.future.DSSFuture``).

    Parameters
    ----------
    transport : Transport
        The transport of the client that started the task.
    job_id : str or None
        The future id (``None`` when the task completed synchronously).
    state : dict, optional
        The answer that started the task, or a previous state.
    result_wrapper : callable, optional
        Applied to the result before it is returned.
    label : str, optional
        Human-readable description (e.g. ``"restart PROJ/abc"``), used by progress displays.
    client : Client, optional
        The client that started the task, kept as :attr:`client` (its :attr:`~cswidgets.api.Client.tracker`
        follows the future in progress displays). Every future a :class:`~cswidgets.api.Client` or one of
        its handles creates has it; ``None`` for a future built by hand.
    """

    def __init__(
        self,
        transport: Transport,
        job_id: str | None,
        state: dict[str, Any] | None = None,
        result_wrapper: Callable[[Any], Any] | None = None,
        *,
        label: str | None = None,
        client: Client | None = None,
    ) -> None:
        self._transport = transport
        self.client = client
        self.job_id = job_id
        self._path = path("futures", segment(job_id, "future id")) if job_id is not None else None
        self.state: dict[str, Any] | None = state
        self.state_is_peek = True
        self.result_wrapper = result_wrapper or (lambda result: result)
        self.label = label
        self._job = transport.jobs.job(job_id) if job_id is not None else Job()
        self._lock = self._job.lock
        self._started = time.monotonic()
        self._wrapped: tuple[Any, Any] | None = None  # (raw result, wrapped result)
        if assumptions.has_result(state):
            self._record_result(state)

    @classmethod
    def from_resp(
        cls,
        transport: Transport,
        resp: dict[str, Any] | None,
        result_wrapper: Callable[[Any], Any] | None = None,
        *,
        label: str | None = None,
        client: Client | None = None,
        action: bool = False,
    ) -> Future:
        """A future from the answer of a call that started a task (completed if it has ``hasResult``).

        ``action=True`` (stop, restart, build): an answer without ``jobId`` means nothing to wait for, and
        gives an already completed future; otherwise such a future fails at once when waited on.
        """
        resp = resp if isinstance(resp, dict) else {}
        job_id = resp.get("jobId")
        if job_id is not None and not isinstance(job_id, str):
            raise DSSError(f"malformed answer: jobId is a JSON {type(job_id).__name__}, not a string", body=resp)
        if job_id is not None and id_problem(job_id) is not None:  # a handle on it could not be built
            raise DSSError(f"malformed answer: jobId is {id_problem(job_id)}, not a usable id", body=resp)
        if action and job_id is None and not assumptions.has_result(resp):
            # nothing to wait for (no task was started, or it ended at once): a completed future whose
            # result is the answer, never a poll of /futures/None and never a row locked forever
            resp = {**resp, "hasResult": True}
        return cls(transport, job_id, resp, result_wrapper, label=label, client=client)

    # --- outcome -------------------------------------------------------------------------------------
    @property
    def _outcome(self) -> tuple[str, Any] | None:
        """The job's outcome, the result passed through this future's ``result_wrapper``."""
        outcome = self._job.outcome
        if outcome is None or outcome[0] != "result":
            return outcome
        raw = outcome[1]
        if self._wrapped is None or self._wrapped[0] is not raw:
            self._wrapped = (raw, self.result_wrapper(raw))
        return ("result", self._wrapped[1])

    @property
    def _ended(self) -> float | None:
        return self._job.ended
    @property
    def done(self) -> bool:
        """Whether the outcome (result or failure) is known."""
        return self._outcome is not None

    @property
    def result(self) -> Any:
        """The (wrapped) result once done successfully, else ``None``."""
        return self._outcome[1] if self._outcome and self._outcome[0] == "result" else None

    @property
    def error(self) -> DSSError | None:
        """The failure once done unsuccessfully, else ``None``."""
        return self._outcome[1] if self._outcome and self._outcome[0] == "error" else None

    @property
    def aborted(self) -> bool:
        """Whether the task ended because it was aborted."""
        err = self.error
        return bool(isinstance(err, DSSFutureError) and err.aborted)

    def _record_result(self, state: Mapping[str, Any]) -> None:
        self._job.settle("result", state.get("result"), dict(state))

    def _record_error(self, err: DSSError) -> None:
        self._job.settle("error", err)

    def _failure(self, message: str, state: Mapping[str, Any], cause: DSSError | None = None) -> DSSFutureError:
        kwargs: dict[str, Any] = {"body": dict(state)}
        if cause is not None:
            kwargs.update(
                status=cause.status,
                error_type=cause.error_type,
                detailed_message=cause.detailed_message,
                method=cause.method,
                path=cause.path,
                body=cause.body,
            )
        aborted = bool(state.get("aborted"))
        dss_message = kwargs["body"].get("message") if isinstance(kwargs["body"], Mapping) else None
        if not isinstance(dss_message, str) or not dss_message.strip():
            dss_message = None
        return DSSFutureError(message, job_id=self.job_id, aborted=aborted, dss_message=dss_message, **kwargs)

    def _inspect(self, state: dict[str, Any], peek: bool) -> None:
        """Record the outcome a state implies (a peek never records a result: it may lack it)."""
        if assumptions.future_is_unknown(state):
            self._record_error(self._failure(f"future {self.job_id!r} is unknown to the server", state))
        elif not peek and assumptions.has_result(state):
            self._record_result(state)
        elif not peek and assumptions.future_is_dead(state):
            what = "was aborted" if state.get("aborted") else "ended without a result"
            self._record_error(self._failure(f"task {self.job_id!r} {what}", state))

    # --- seed API ----------------------------------------------------------------------------------------
    def _fetch(self, peek: bool) -> dict[str, Any]:
        if self._path is None:
            if assumptions.has_result(self.state):
                return self.state
            raise DSSFutureError("this task has no job id and no result", job_id=None)
        if not peek:
            with self._lock:
                if self._job.outcome is not None:  # another waiter's read took it: never read twice
                    return self._settled_state()
                return self._read(peek)
        return self._read(peek)

    def _settled_state(self) -> dict[str, Any]:
        """The state that carried the job's outcome (raises the failure, as the read did)."""
        kind, value = self._job.outcome or ("", None)
        if kind == "error":
            raise value
        state = dict(self._job.state or {"hasResult": True, "result": value})
        self.state, self.state_is_peek = state, False
        return state

    def _read(self, peek: bool) -> dict[str, Any]:
        assert self._path is not None
        try:
            state = self._transport.json(
                "GET",
                self._path,
                params={"peek": peek},
                idempotent=peek,  # peek=False is never retried
            )
        except DSSConnectionError:
            raise
        except DSSError as err:
            if assumptions.is_future_failure(err.status, err.body, peek):
                body = err.body or {}
                known = any(k in body for k in ("aborted", "hasResult"))
                if err.status in assumptions.UNKNOWN_FUTURE_STATUSES and not known:
                    fail = self._failure(f"future {self.job_id!r} is unknown to the server", body, err)
                else:
                    what = "was aborted" if body.get("aborted") else "failed"
                    fail = self._failure(f"task {self.job_id!r} {what}: {err.message}", body, err)
                with self._lock:
                    if self._outcome is None:
                        self._record_error(fail)
                raise fail from None
            if assumptions.needs_peek_confirmation(err.status, err.body, peek):
                confirmed = self._confirm_failure(err)
                if confirmed is not None:
                    with self._lock:
                        if self._outcome is None:
                            self._record_error(confirmed)
                    raise confirmed from None
            raise
        if state is not None and not isinstance(state, dict):
            raise DSSError(
                f"malformed state of future {self.job_id!r}: a JSON {type(state).__name__}, not an object",
                method="GET", path=self._path,
            )
        state = state or {}
        with self._lock:
            self.state = state
            self.state_is_peek = peek
            if self._outcome is None:
                self._inspect(state, peek)
        return state

    def _confirm_failure(self, err: DSSError) -> DSSFutureError | None:
        """After a bare 5xx on the consuming fetch: peek, and return the failure only if the peek confirms it
        (see :data:`cswidgets.api.assumptions.MAX_RESULT_FETCH_ERRORS` for the policy)."""
        assert self._path is not None
        status: int | None
        try:
            state = self._transport.json("GET", self._path, params={"peek": True}, idempotent=True)
            status = 200
        except DSSConnectionError:
            state, status = None, None
        except DSSError as peek_err:
            state, status = peek_err.body, peek_err.status
        state = state if isinstance(state, dict) else {}
        if status == 200:
            with self._lock:
                self.state, self.state_is_peek = state, True
        verdict = assumptions.peek_verdict(status, state)
        if verdict == "failed":
            what = "was aborted" if state.get("aborted") else "failed"
            return self._failure(f"task {self.job_id!r} {what}: {err.message}", state, err)
        if verdict == "unknown":
            return self._failure(
                f"task {self.job_id!r}: fetching its result failed ({err.message}) and the server no longer "
                "knows it, so its outcome is unknown",
                state,
                err,
            )
        log.info("task %r: transient error fetching the result (%s); will fetch again", self.job_id, err.message)
        return None

    def observe(self, state: Mapping[str, Any]) -> None:
        """Take ``state``, read elsewhere in peek form (an item of ``GET /futures/``), as the last known
        state, without a request; ignored once the outcome is known. Never records a result (a peek form
        may lack it): the end is read with :meth:`get_state`."""
        with self._lock:
            if self._outcome is None:
                self.state, self.state_is_peek = dict(state), True
                self._inspect(self.state, peek=True)

    def peek_state(self) -> dict[str, Any]:
        """Query the state without fetching (consuming) the result. Retried on transient failures."""
        return self._fetch(peek=True)

    def get_state(self) -> dict[str, Any]:
        """Query the state and fetch the result if it is ready (``peek=False``; never retried)."""
        return self._fetch(peek=False)

    def get_result(self) -> Any:
        """Return the result if it is ready.

        Raises
        ------
        DSSFutureError
            The task failed or was aborted.
        DSSError
            The result is not ready yet.
        """
        with self._lock:
            if self._outcome is None:
                self.get_state()
            if self._outcome is None:
                raise DSSError("Result not ready: the task is still running")
            kind, value = self._outcome
        if kind == "error":
            raise value
        return value

    def has_result(self) -> bool:
        """Whether the task completed with a result (fetches the state if not known; raises on failure)."""
        with self._lock:
            if self._outcome is None:
                self.get_state()
            if self._outcome is not None and self._outcome[0] == "error":
                raise self._outcome[1]
            return self._outcome is not None

    def abort(self) -> None:
        """Abort the task (``DELETE /futures/{id}``; never retried). No-op without a job id."""
        if self._path is None:
            return
        self._transport.empty("DELETE", self._path)

    def settle(self) -> bool:
        """Fetch the outcome once if a peek says the task ended; return whether it is known.

        Used by :meth:`wait_for_result` and the tracker: the consuming ``peek=False`` request is made under a
        lock, only after a peek said the task ended. A task failure is recorded, not raised; a transient error
        (a 5xx that a confirming peek did not confirm, a dropped connection) is raised as a plain
        :class:`DSSError` with nothing recorded, so the caller may poll (peek) and settle again.
        """
        with self._lock:
            if self._outcome is not None:
                return True
            state = self.state or {}
            ended = assumptions.has_result(state) or assumptions.future_is_dead(state)
            if not ended:
                return False
            with contextlib.suppress(DSSFutureError):
                self.get_state()  # records the outcome (a failure is recorded, not raised here)
            return self._outcome is not None

    def wait_for_result(self, timeout: float | None = None, progress: bool = False) -> Any:
        """Wait for the task to end and return its result.

        Parameters
        ----------
        timeout : float, optional
            Give up after this many seconds (the task keeps running).
        progress : bool
            Show a tqdm progress bar (a widget in notebooks, text in terminals).

        Raises
        ------
        DSSTimeoutError
            ``timeout`` elapsed.
        DSSFutureError
            The task failed, was aborted, died without a result or is unknown.
        """
        deadline = None if timeout is None else time.monotonic() + timeout
        bar = _Bar(self) if progress else None
        try:
            backoff = Backoff()
            fetch_errors = 0
            while not self.done:
                if self._path is None:
                    raise DSSFutureError("this task has no job id and no result", job_id=None)
                t0 = time.monotonic()
                self.peek_state()
                rtt = time.monotonic() - t0
                if bar:
                    bar.update()
                try:
                    if self.settle():
                        break
                    fetch_errors = 0
                except DSSError:  # transient (not a task failure): peek and fetch again, a few times
                    fetch_errors += 1
                    if fetch_errors >= assumptions.MAX_RESULT_FETCH_ERRORS:
                        raise
                now = time.monotonic()
                if deadline is not None and now >= deadline:
                    raise DSSTimeoutError(f"task {self.job_id!r} still running after {timeout} s")
                pause = backoff.next_pause(rtt)
                if deadline is not None:
                    pause = min(pause, deadline - now)
                time.sleep(pause)
            return self.get_result()
        finally:
            if bar:
                bar.close()

    # --- progress -------------------------------------------------------------------------------------
    @property
    def progress(self) -> Progress:
        """Parsed progress of the last known state."""
        end = self._ended if self._ended is not None else time.monotonic()
        return Progress.from_state(self.state, end - self._started, done=self.done)

    def __repr__(self) -> str:
        if self._outcome is None:
            status = "running"
        else:
            status = "aborted" if self.aborted else ("failed" if self.error else "done")
        return f"Future(job_id={self.job_id!r}, {status}{', ' + repr(self.label) if self.label else ''})"


class _Bar:
    """A tqdm bar (``tqdm.auto``: a widget in notebooks) driven by a future's progress, in percent."""

    def __init__(self, future: Future) -> None:
        from tqdm.auto import tqdm

        self._future = future
        self._bar = tqdm(total=100, desc=future.label or f"task {future.job_id}", unit="%", leave=True)

    def update(self) -> None:
        p = self._future.progress
        if p.fraction is not None:
            self._bar.n = round(p.fraction * 100)
        self._bar.set_postfix_str(f"{p.stage or '…'} · {p.elapsed_s:.0f}s", refresh=False)
        self._bar.refresh()

    def close(self) -> None:
        if self._future.done and not self._future.error:
            self._bar.n = 100
        self.update()
        self._bar.close()
