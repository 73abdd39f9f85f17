"""Progress of a DSS task as every panel shows it: one derivation, one dict, one ETA.

The front-end component (``js/shared/progress.js``) takes the dict built here:
``{status, stage, fraction, elapsed_s, eta_s, message}`` where ``status`` is one of :data:`STATUSES`:
``running``; ``reconnecting`` (running, but the last polls got no answer: "connection lost — retrying",
elapsed time still counting, the last known stage and fraction kept); ``checking`` (a write's answer was
lost: "outcome unknown — checking" while the object is re-read); and the final ``done``, ``failed`` (only
when DSS said so), ``aborted``, ``unknown`` (the outcome could not be learnt: the task may still run on
DSS). ``fraction`` is ``None`` when the server gives
no target (indeterminate bar). Every panel that follows a task derives it here: the
FutureProgress bar, each TemplateBuilds build, a StudioTable row's start/stop and the
ConflictViewer's start.

- :func:`progress_view` -- the dict, from an API ``Progress`` and a status.
- :func:`task_outcome` -- ``("running", None)`` or the final state and DSS's message.
- :func:`task_view` -- the dict of a future: the whole-task fraction computed by the API
  (``Progress.fraction``, which combines the nested progress states and never goes back at a new
  stage), the innermost stage, elapsed time, time left, and the final state with its message.
- :func:`result_summary` -- a one-line summary of a task's result.
"""


from __future__ import annotations

from typing import Any, TypedDict

__all__ = [
    "LIVE_STATUSES", "STATUSES", "ProgressView", "error_text", "progress_view", "result_summary", "task_outcome",
    "task_view",
]

#: Every ``ProgressView.status``; the first three are not final.
STATUSES = ("running", "reconnecting", "checking", "done", "failed", "aborted", "unknown")
LIVE_STATUSES = ("running", "reconnecting", "checking")


class ProgressView(TypedDict):
    """The progress of one task as ``js/shared/progress.js`` receives it."""

    status: str  # one of STATUSES
    stage: str | None
    fraction: float | None  # 0..1; None: indeterminate
    elapsed_s: float | None
    eta_s: float | None
    message: str | None


#: An estimate of the time left is shown only once there is enough signal.
ETA_MIN_FRACTION = 0.05
ETA_MIN_ELAPSED_S = 2.0


def estimate_left(fraction: float | None, elapsed_s: float | None) -> float | None:
    """Seconds left by linear extrapolation, or ``None`` while there is too little signal."""
    if fraction is None or elapsed_s is None:
        return None
    if fraction < ETA_MIN_FRACTION or elapsed_s < ETA_MIN_ELAPSED_S or fraction >= 1:
        return None
    return elapsed_s * (1 - fraction) / fraction


def progress_view(
    progress: Any = None, *, status: str = "running", message: str | None = None
) -> ProgressView:
    """Build the synced progress dict from an API ``Progress`` (duck-typed: ``stage``,
    ``fraction``, ``elapsed_s``) and the operation's status."""
    stage = getattr(progress, "stage", None)
    fraction = getattr(progress, "fraction", None)
    elapsed = getattr(progress, "elapsed_s", None)
    view: ProgressView = {
        "status": status,
        "stage": stage,
        "fraction": None if fraction is None else max(0.0, min(1.0, float(fraction))),
        "elapsed_s": None if elapsed is None else round(float(elapsed), 1),
        "eta_s": None,
        "message": message,
    }
    if status in ("running", "reconnecting"):
        left = estimate_left(view["fraction"], view["elapsed_s"])
        view["eta_s"] = None if left is None else round(left, 1)
    return view




def error_text(error: Any) -> str:
    """What to show of a task's failure: DSS's own message when it gave one
    (``DSSFutureError.dss_message``), else the error's message."""
    text = getattr(error, "dss_message", None) or getattr(error, "message", None)
    return str(text or error)


def task_outcome(future: Any) -> tuple[str, str | None]:
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


def _failure_in_result(result: Any) -> str | None:
    """The message of a task that *completed* with a failure inside its result (docs/dss-api.md §3.8
    (b), UNKNOWN whether builds do this): ``{"success": false, "errorMessage"|"installationError"}``."""
    if not isinstance(result, dict) or result.get("success") is not False:
        return None
    detail = result.get("installationError")
    message = result.get("errorMessage") or (detail.get("message") if isinstance(detail, dict) else None)
    return str(message) if message else None


def task_view(future: Any, tracker: Any = None) -> ProgressView:
    """The shared progress view of ``future``: ``{status, stage, fraction, elapsed_s, eta_s,
    message}`` with the whole-task fraction (``1.0`` once done) and the final state. With the
    ``tracker`` that follows it, a running task whose last polls failed is ``reconnecting``."""
    status, message = task_outcome(future)
    view = progress_view(future.progress, status=status, message=message)
    if status == "done":
        view["fraction"] = 1.0
    elif status == "running" and tracker is not None:
        errors, _err, since = tracker.poll_errors(future)
        if errors:
            view["status"] = "reconnecting"
            view["message"] = "connection lost — retrying"
            view["elapsed_s"] = round((view["elapsed_s"] or 0.0) + since, 1)
    return view


def result_summary(result: Any) -> str:
    """A one-line summary of a task's result (the shape of a build result is UNKNOWN in the spec:
    docs/dss-api.md §3.7, so only common shapes are recognised; anything else gives "")."""
    if isinstance(result, str):
        return result.strip().splitlines()[0][:200] if result.strip() else ""
    if not isinstance(result, dict):
        return ""
    messages = result.get("messages")
    if isinstance(messages, list) and messages:
        texts = [m.get("message") or m.get("title") for m in messages if isinstance(m, dict)]
        texts = [str(x) for x in texts if x]
        if texts:
            extra = f" (+{len(texts) - 1} more)" if len(texts) > 1 else ""
            return texts[0][:200] + extra
    built_for = result.get("builtFor")  # the simulator's guess at a build result (UNKNOWN §3.7)
    if isinstance(built_for, list) and built_for:
        return "Built for " + ", ".join(str(c) for c in built_for)
    for key in ("message", "summary", "status"):
        value = result.get(key)
        if isinstance(value, str) and value:
            return value[:200]
    return ""
