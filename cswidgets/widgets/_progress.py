"""Progress of a DSS task as every panel shows it: one derivation, one dict, one ETA.

The front-end component (``js/shared/progress.js``) takes the dict built here:
``{status, stage, fraction, elapsed_s, eta_s, message}`` where ``status`` is one of
``running``, ``done``, ``failed``, ``aborted`` and ``fraction`` is ``None`` when the server gives
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

from typing import Any

from ..api.waiting import error_text, future_outcome

__all__ = ["error_text", "progress_view", "result_summary", "task_outcome", "task_view"]

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
) -> dict[str, Any]:
    """Build the synced progress dict from an API ``Progress`` (duck-typed: ``stage``,
    ``fraction``, ``elapsed_s``) and the operation's status."""
    stage = getattr(progress, "stage", None)
    fraction = getattr(progress, "fraction", None)
    elapsed = getattr(progress, "elapsed_s", None)
    view: dict[str, Any] = {
        "status": status,
        "stage": stage,
        "fraction": None if fraction is None else max(0.0, min(1.0, float(fraction))),
        "elapsed_s": None if elapsed is None else round(float(elapsed), 1),
        "eta_s": None,
        "message": message,
    }
    if status == "running":
        left = estimate_left(view["fraction"], view["elapsed_s"])
        view["eta_s"] = None if left is None else round(left, 1)
    return view




def task_outcome(future: Any) -> tuple[str, str | None]:
    """``("running", None)`` or the final state and its message (:func:`cswidgets.api.waiting.future_outcome`)."""
    return future_outcome(future)


def task_view(future: Any) -> dict[str, Any]:
    """The shared progress view of ``future``: ``{status, stage, fraction, elapsed_s, eta_s,
    message}`` with the whole-task fraction (``1.0`` once done) and the final state."""
    status, message = task_outcome(future)
    view = progress_view(future.progress, status=status, message=message)
    if status == "done":
        view["fraction"] = 1.0
    return view


def result_summary(result: Any) -> str:
    """A one-line summary of a task's result (the shape of a build result is UNKNOWN in the spec:
    dss-api.md §3.7, so only common shapes are recognised; anything else gives "")."""
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
