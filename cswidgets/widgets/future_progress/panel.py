"""A progress bar tied to a DSS long-running task (a :class:`cswidgets.api.Future`).

:class:`FutureProgress` subscribes to the client's :class:`~cswidgets.api.FutureTracker` (owned
by the client, :attr:`Client.tracker`): ONE background thread polls every tracked future and
calls back with new progress, so the kernel's main thread is never used and other cells run
while the bar moves (trait updates made from a background thread reach the page even while
another cell is busy).

What the bar shows comes from :mod:`cswidgets.widgets.shared.progress` (shared by every panel that
follows a task). Every synced trait is written by Python only; the view sends ``abort``.
"""

from __future__ import annotations

import asyncio
import html
import logging
import threading
from collections.abc import Callable, Generator
from typing import Any

import traitlets as t

from ...api.futures import Future
from ...api.tracker import FutureTracker
from ..shared.operation import python_code
from ..shared.panel import Panel, action, bundle
from ..shared.progress import result_summary, task_now, task_outcome, task_view

log = logging.getLogger(__name__)

__all__ = ["FutureProgress"]


def client_tracker(future: Any, client: Any = None, tracker: Any = None) -> Any:
    """``tracker``, else ``client.tracker``, else the tracker of the client that created the future
    (``future.client``); ``None`` for a future built by hand, without a client."""
    if tracker is not None:
        return tracker
    client = client if client is not None else getattr(future, "client", None)
    return getattr(client, "tracker", None) if client is not None else None


# --- the panel ----------------------------------------------------------------------------------------
class FutureProgress(Panel):
    """A progress bar for one DSS task: stage, percentage (or an indeterminate bar), elapsed time,
    time left once there is enough signal, an Abort button (with confirmation) and the final state.

    Parameters
    ----------
    future : cswidgets.api.Future
        The task, e.g. ``client.get_code_studio_template("tpl").build()`` or ``studio.restart()``.
    label : str, optional
        Title of the bar (default: the future's label, e.g. ``"Build VS Code"`` from a listed template).
    client : cswidgets.api.Client, optional
        Whose tracker polls the future. Without it, the tracker of the client that created the
        future (``future.client``); a future built by hand, without a client, gets a tracker of
        the bar's own, stopped by :meth:`close`.
    tracker : cswidgets.api.FutureTracker, optional
        Use this tracker instead (tests, benchmarks).

    Notes
    -----
    Nothing here blocks: the bar is fed by the tracker thread. ``wait()`` blocks the *calling*
    thread only; in a notebook prefer ``await progress`` (or just keep working: ``progress.done``,
    ``progress.final``, ``progress.result``).

    Examples
    --------
    >>> import cswidgets
    >>> client = cswidgets.connect()
    >>> future = client.get_code_studio_template("tpl_vscode").build()
    >>> bar = cswidgets.FutureProgress(future)               # stage, %, elapsed, time left, Abort
    >>> bar
    >>> await bar                                            # the build's result, without blocking the kernel
    """

    _esm = bundle("future_progress")

    #: What the bar follows ("Build VS Code"); given by the caller.
    label = t.Unicode("").tag(sync=True)
    #: The task's progress (:class:`~cswidgets.widgets.shared.progress.ProgressView`; {} before the first poll).
    view = t.Dict().tag(sync=True)
    #: "" while the task runs, then "done", "failed", "aborted" or "unknown".
    final = t.Unicode("").tag(sync=True)
    #: One line about the result of a task that ended "done" ("" otherwise).
    result_summary = t.Unicode("").tag(sync=True)
    #: The task can be aborted from the bar (it has a job id and runs).
    abortable = t.Bool(True).tag(sync=True)
    #: An abort was asked and the task has not stopped yet.
    abort_requested = t.Bool(False).tag(sync=True)

    def __init__(
        self, future: Any, label: str | None = None, *, client: Any = None, tracker: Any = None, **kwargs: Any
    ) -> None:
        if not isinstance(future, Future):
            raise TypeError(
                f"FutureProgress needs a cswidgets Future (e.g. template.build()), got {type(future).__name__}"
            )
        text = label if label is not None else (future.label or f"task {future.job_id}")
        super().__init__(label=str(text), view=task_view(future), abortable=future.job_id is not None, **kwargs)
        self._future = future
        self._lock = threading.RLock()
        self._ended = threading.Event()
        self._callbacks: list[Callable[[FutureProgress], None]] = []
        self._subscription = None
        self._own_tracker: Any = None
        self._tracker: Any = None
        if future.done:
            self._finish(future)
            return
        shared = client_tracker(future, client, tracker)
        if shared is None:
            shared = self._own_tracker = FutureTracker()
        self._tracker = shared
        self._subscription = shared.track(future, on_progress=self._on_progress, on_done=self._finish)

    # --- tracker callbacks (tracker thread) --------------------------------------------------------
    def _on_progress(self, future: Any) -> None:
        with self._lock:
            if self._ended.is_set():
                return
            view = task_view(future, self._tracker)
            if view["status"] not in ("running", "reconnecting"):
                return  # the final state is set by _finish, with the summary, in one go
            if view["status"] == "running":  # answered (a lost poll shows "reconnecting")
                self._mark_updated()
            if view != self.view:
                self.view = view

    def _finish(self, future: Any) -> None:
        with self._lock:
            if self._ended.is_set():
                return
            status, _message = task_outcome(future)
            if status == "running":
                return
            try:
                self.result_summary = result_summary(future.result) if status == "done" else ""
                self.view = task_view(future)
            except Exception:  # a malformed result or state never leaves the bar non-final
                log.exception("FutureProgress: could not render the outcome of %r", future)
                self.view = {**(self.view or {}), "status": status}
            self.abortable = False
            if status in ("done", "failed", "aborted"):  # what DSS said (not "unknown")
                self._mark_updated()
            self.final = status
            self._ended.set()
            callbacks, self._callbacks = self._callbacks, []
        for callback in callbacks:
            self._call(callback)

    def _call(self, callback: Callable[[FutureProgress], None]) -> None:
        try:
            callback(self)
        except Exception:
            log.exception("a FutureProgress done-callback raised (ignored)")

    # --- public API --------------------------------------------------------------------------------
    @property
    def future(self) -> Any:
        """The tracked :class:`cswidgets.api.Future`."""
        return self._future

    @property
    def done(self) -> bool:
        """Whether the final state is known (done, failed or aborted)."""
        return self._ended.is_set()

    @property
    def result(self) -> Any:
        """The task's result once done (``None`` before, or when it failed)."""
        return self._future.result

    @property
    def error(self) -> Any:
        """The failure (a :class:`cswidgets.api.DSSFutureError`) once failed or aborted."""
        return self._future.error

    def add_done_callback(self, fn: Callable[[FutureProgress], None]) -> None:
        """Call ``fn(self)`` when the task ends (on the tracker thread; at once if already ended)."""
        with self._lock:
            if not self._ended.is_set():
                self._callbacks.append(fn)
                return
        self._call(fn)

    def wait(self, timeout: float | None = None) -> Any:
        """Block the calling thread until the task ends; return its result or raise its error.

        The bar keeps moving meanwhile (it is fed by the tracker thread). Raises
        :class:`TimeoutError` after ``timeout`` seconds (the task keeps running).
        """
        if not self._ended.wait(timeout):
            raise TimeoutError(f"{self.label!r} still running after {timeout} s")
        if self._future.error is not None:
            raise self._future.error
        return self._future.result

    def __await__(self) -> Generator[Any, None, Any]:
        """``await progress``: wait without blocking the event loop (notebook cells can await)."""
        return self._wait_async().__await__()

    async def _wait_async(self) -> Any:
        loop = asyncio.get_running_loop()
        waiter: asyncio.Future[None] = loop.create_future()

        def wake(_: FutureProgress) -> None:
            loop.call_soon_threadsafe(lambda: waiter.done() or waiter.set_result(None))

        self.add_done_callback(wake)
        await waiter
        return self.wait(0)

    def abort(self) -> bool:
        """Ask DSS to abort the task (``DELETE /futures/{id}``, never retried).

        Returns ``False`` (and does nothing) when the task has already ended. The final state
        becomes ``"aborted"`` when the tracker sees the task stop.
        """
        with self._lock:
            if self._ended.is_set() or self._future.job_id is None:
                return False
            self.abort_requested = True
        try:
            with self.operation("abort", target=self.label or "the task",
                                on_unknown=lambda: task_now(self._future), args={"job_id": self._future.job_id}):
                self._future.abort()
        except Exception:
            with self._lock:
                self.abort_requested = False
            raise
        return True

    @action("code")
    def _on_code(self) -> dict[str, Any]:
        """The Python of the abort, before it is asked (its confirmation's "Copy as Python"; nothing is sent)."""
        code = python_code("abort", job_id=self._future.job_id)
        if code is None:
            raise ValueError("This task has no id: it cannot be aborted")
        return {"code": code}

    @action("abort")
    def _on_abort(self) -> dict[str, Any]:
        return {"aborting": self.abort()}

    def close(self) -> None:
        """Stop following the task (it keeps running on DSS) and close the widget."""
        sub, self._subscription = getattr(self, "_subscription", None), None
        if sub is not None:
            sub.cancel()
        own, self._own_tracker = getattr(self, "_own_tracker", None), None
        if own is not None:
            own.close(timeout=0)
        super().close()

    # --- fallbacks ---------------------------------------------------------------------------------
    def _status_text(self) -> str:
        final = self.final
        if not final:
            return "aborting" if self.abort_requested else "running"
        message = (self.view or {}).get("message")
        return f"{final}: {message}" if final == "failed" and message else final

    def _summary(self) -> str:
        return f"{self.label} · {self._status_text()}"

    def _static_html(self) -> str:
        view = self.view or {}
        fraction = view.get("fraction")
        pct = None if fraction is None else round(float(fraction) * 100)
        bar = (
            f"<progress max='100' value='{pct}'>{pct}%</progress> {pct}%"
            if pct is not None
            else "<progress></progress>"
        )
        stage = view.get("stage")
        details = [self._status_text()] + ([f"stage: {stage}"] if stage and not self.final else [])
        if self.result_summary:
            details.append(self.result_summary)
        return (
            "<div class='csw-static csw-future'>"
            f"<strong>{html.escape(self.label)}</strong> {bar} "
            f"<span>{html.escape(' · '.join(details))}</span></div>"
        )
