"""Waiting for many tasks at once: :func:`wait_all` (``client.wait_all``) and :func:`future_outcome`.

:func:`future_outcome` is the one reading of how a task ended, shared with every panel
(:mod:`cswidgets.widgets.shared.progress`): ``running``, ``done``, ``failed`` (with DSS's message) or
``aborted``. A task that *completed* with ``{"success": false, ...}`` in its result counts as failed
(docs/dss-api.md §3.8 (b); UNKNOWN whether builds do this).
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Outcome", "error_text", "future_outcome", "wait_all"]

#: The most seconds between two redraws of the bar (each read that moves a task redraws it at once).
BAR_REFRESH_S = 0.5


def error_text(error: Any) -> str:
    """What to show of a task's failure: DSS's own message when it gave one
    (``DSSFutureError.dss_message``), else the error's message."""
    text = getattr(error, "dss_message", None) or getattr(error, "message", None)
    return str(text or error)


def _failure_in_result(result: Any) -> str | None:
    """The message of a task that completed with ``{"success": false, "errorMessage"|"installationError"}``."""
    if not isinstance(result, dict) or result.get("success") is not False:
        return None
    from .text import dss_text  # here: the gate imports errors (dataikuapi, ~0.4 s), which panels' imports avoid

    detail = result.get("installationError")
    message = result.get("errorMessage") or (detail.get("message") if isinstance(detail, dict) else None)
    return dss_text(message) if message else None  # a 200's text too: scrubbed, encodable, capped


def future_outcome(future: Any) -> tuple[str, str | None]:
    """``("running", None)`` or the final state and its message: ``("done", None)``,
    ``("failed", DSS's message)``, ``("aborted", None)``, or ``("unknown", why)`` when the task could not
    be followed (no answer from DSS: it may still be running there) -- never "failed" unless DSS said so."""
    if not future.done:
        return "running", None
    if future.aborted:
        return "aborted", None
    error = future.error
    if error is not None and getattr(error, "status", 0) is None and not hasattr(error, "job_id"):
        return "unknown", "connection lost; the task may still be running on DSS"
    if error is not None:
        return "failed", error_text(error)
    inner = _failure_in_result(future.result)
    return ("failed", inner) if inner else ("done", None)


@dataclass(frozen=True)
class Outcome:
    """How one task of :func:`wait_all` ended: ``status`` is ``"done"``, ``"failed"``, ``"aborted"``,
    ``"unknown"`` (DSS could not be reached to follow it) or ``"running"`` (still running at the timeout);
    ``message`` is DSS's message for a failure; ``result``
    the task's result when done. ``str(outcome)`` reads ``"done"`` or ``"failed: <message>"``."""

    status: str
    message: str | None = None
    result: Any = field(default=None, repr=False, compare=False)

    @property
    def ok(self) -> bool:
        return self.status == "done"

    def __str__(self) -> str:
        return self.status + (f": {self.message}" if self.message else "")


def _keyed(futures: Mapping[Any, Any] | Iterable[Any]) -> dict[Any, Any]:
    if isinstance(futures, Mapping):
        return dict(futures)
    if isinstance(futures, (str, bytes)) or not isinstance(futures, Iterable):
        raise TypeError("wait_all expects futures: a dict {key: future} or a list of futures")
    return dict(enumerate(futures))


def wait_all(
    futures: Mapping[Any, Any] | Iterable[Any], timeout: float | None = None, progress: bool | str = False,
) -> dict[Any, Outcome]:
    """Wait for every task and return ``{key: Outcome}`` (keys of a dict, or positions in a list).

    Never raises for a task's failure: each outcome says how its task ended. Tasks still running after
    ``timeout`` seconds get the status ``"running"`` (they keep running on DSS).

    The tasks are followed by the client's :class:`~cswidgets.api.tracker.FutureTracker` (``client.tracker``):
    one read of DSS's running tasks a second for all of them, however many they are, and one read of each task
    as it ends -- not a read per task per second. A task the list does not show is peeked on its own (see the
    tracker). A task whose reads keep failing ends "unknown" (no answer from DSS) or "failed" (DSS answered
    with an error).

    Parameters
    ----------
    futures : dict or list of :class:`~cswidgets.api.Future`
        The tasks (a dict's keys name them in the outcomes and on the bar).
    timeout : float, optional
        Give up waiting after this many seconds.
    progress : bool or {"text", "widget"}
        One progress bar for all the tasks (the mean of their fractions, the number ended and the
        stage of the first still running): ``True`` or ``"widget"`` uses ``tqdm.auto`` (a widget in
        notebooks), ``"text"`` a text bar on stdout (scripts, logs, saved notebooks).
    """
    from .futures import Future  # here: futures imports errors (dataikuapi, ~0.4 s), which the panels' imports avoid
    from .tracker import FutureTracker

    keyed = _keyed(futures)
    if progress not in (True, False, "text", "widget"):
        raise ValueError("progress must be True, False, 'text' or 'widget'")
    wrong = [key for key, future in keyed.items() if not isinstance(future, Future)]
    if wrong:
        raise TypeError(f"wait_all expects cswidgets futures; not one: {wrong[:5]!r}")
    deadline = None if timeout is None else time.monotonic() + float(timeout)
    outcomes: dict[Any, Outcome] = {}
    changed = threading.Event()  # a task ended or moved: the bar is redrawn, the loop looks again
    lock = threading.Lock()

    def ended(key: Any, future: Any) -> None:
        with lock:
            outcomes.setdefault(key, _outcome(future))
        changed.set()

    bar = _AllBar(keyed, progress) if progress else None
    subscriptions: list[Any] = []
    own: FutureTracker | None = None  # for futures without a client (none to share a tracker with)
    try:
        for key, future in keyed.items():
            if future.done or future.job_id is None:
                ended(key, future)
                continue
            client_tracker = getattr(future.client, "tracker", None)
            if client_tracker is None and own is None:
                own = FutureTracker(name="cswidgets-wait-all")
            tracker = client_tracker if client_tracker is not None else own
            subscriptions.append(tracker.track(future, on_progress=lambda _f: changed.set(),
                                               on_done=lambda f, key=key: ended(key, f)))
        while True:
            with lock:
                snapshot = dict(outcomes)
            if bar is not None:
                bar.update(snapshot)
            if len(snapshot) == len(keyed):
                break
            now = time.monotonic()
            if deadline is not None and now >= deadline:
                break
            changed.wait(BAR_REFRESH_S if deadline is None else max(0.0, min(BAR_REFRESH_S, deadline - now)))
            changed.clear()
    finally:
        for subscription in subscriptions:
            subscription.cancel()
        if own is not None:
            own.close()
        if bar is not None:
            bar.close()
    with lock:
        for key in keyed:
            outcomes.setdefault(key, Outcome("running", f"still running after {timeout} s"))
        return {key: outcomes[key] for key in keyed}


def _outcome(future: Any) -> Outcome:
    status, message = future_outcome(future)
    if status == "running" and future.job_id is None:
        status, message = "failed", "this task has no job id and no result"
    return Outcome(status, message, future.result if status == "done" else None)


class _AllBar:
    """One tqdm bar for many futures, in percent of the whole (mean of the tasks' fractions)."""

    def __init__(self, futures: dict[Any, Any], progress: bool | str) -> None:
        if progress == "text":
            from tqdm.std import tqdm

            self._bar = tqdm(total=100, desc="tasks", unit="%", file=sys.stdout, ascii=True, ncols=100)
        else:
            from tqdm.auto import tqdm

            self._bar = tqdm(total=100, desc="tasks", unit="%")
        self._futures = futures

    def update(self, outcomes: Mapping[Any, Outcome]) -> None:
        fractions, stage = [], None
        for key, future in self._futures.items():
            if key in outcomes:
                fractions.append(1.0)
                continue
            p = future.progress
            fractions.append(p.fraction or 0.0)
            if stage is None:
                stage = f"{getattr(future, 'label', None) or key}: {p.stage or 'queued'}"
        self._bar.n = round(100 * sum(fractions) / max(1, len(fractions)))
        failed = sum(1 for o in outcomes.values() if o.status != "done")
        text = f"{len(outcomes)}/{len(self._futures)} ended" + (f", {failed} not done" if failed else "")
        self._bar.set_postfix_str(text + (f" · {stage}" if stage else ""), refresh=False)
        self._bar.refresh()

    def close(self) -> None:
        self._bar.close()
