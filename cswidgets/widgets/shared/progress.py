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
- :func:`task_now` -- what DSS shows of a task now (one peek).
- :func:`result_summary` -- a one-line summary of a task's result.
"""


from __future__ import annotations

import collections
import threading
import weakref
from typing import Any, TypedDict

from ...api.waiting import error_text, future_outcome

__all__ = [
    "LIVE_STATUSES", "STATUSES", "EtaEstimator", "ProgressView", "error_text", "progress_view", "result_summary",
    "task_now", "task_outcome", "task_view",
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
#: The rate of progress is smoothed exponentially, like tqdm's (``smoothing=0.3``): each poll's own rate
#: weighs this much, the earlier ones the rest (progress and time are smoothed apart, then divided).
ETA_SMOOTHING = 0.3
#: Progress is "steady" when the rate over the last :data:`ETA_WINDOW_S` seconds and the rate over the
#: window's second half agree within :data:`ETA_AGREEMENT` (not a stage that jumped, not a stall).
ETA_WINDOW_S = 3.0
ETA_AGREEMENT = 0.25
#: When those two rates differ by more than this factor the pace really changed (a fast first stage then a
#: slow one): the moving average forgets the old pace instead of promising a short build.
ETA_JUMP = 3.0
#: Between two updates the time left shown changes by at most this factor (up or down) from the previous
#: value counted down by the clock: a new estimate moves towards the truth over a few polls instead of
#: jumping (5.8 s -> 41 s was seen; a user reads a jump as a broken estimate).
ETA_MAX_STEP = 2.0
#: A new estimate above the shown one replaces it only beyond this factor plus this many seconds (a
#: real slowdown), so the time left never climbs because of noise while progress advances steadily.
ETA_CLIMB_FACTOR = 1.5
ETA_CLIMB_MIN_S = 5.0


def estimate_left(fraction: float | None, elapsed_s: float | None) -> float | None:
    """Seconds left by linear extrapolation, or ``None`` while there is too little signal."""
    if fraction is None or elapsed_s is None:
        return None
    if fraction < ETA_MIN_FRACTION or elapsed_s < ETA_MIN_ELAPSED_S or fraction >= 1:
        return None
    return elapsed_s * (1 - fraction) / fraction


class EtaEstimator:
    """The time left of one task from its *smoothed rate* of progress (an exponential moving average of
    each poll's progress and time, as tqdm does), never jumping and never climbing while progress
    advances steadily.

    - progress is steady (:data:`ETA_WINDOW_S`, :data:`ETA_AGREEMENT`): the estimate is
      ``(1 - fraction) / smoothed rate``; it is shown unless it is above the last shown value by less than
      :data:`ETA_CLIMB_FACTOR` and :data:`ETA_CLIMB_MIN_S` (noise, not a real slowdown: the last value keeps
      counting down), and never more than :data:`ETA_MAX_STEP` times above or below the last value counted
      down (a real change shows over a few polls);
    - otherwise (no progress, a stage that jumped): the last shown value counts down with the clock,
      ``None`` at 0; when the pace changed by more than :data:`ETA_JUMP` the moving average starts again (a
      fast first stage does not promise a short build);
    - nothing before :data:`ETA_MIN_FRACTION` and :data:`ETA_MIN_ELAPSED_S`.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._samples: collections.deque[tuple[float, float]] = collections.deque()  # (elapsed, fraction)
        self._shown: tuple[float, float] | None = None  # (eta, elapsed when it was shown)
        self._dn: float | None = None  # smoothed progress per poll
        self._dt: float | None = None  # smoothed time per poll

    def update(self, fraction: float | None, elapsed_s: float | None) -> float | None:
        if fraction is None or elapsed_s is None or fraction >= 1:
            return None
        with self._lock:
            samples = self._samples
            if samples and elapsed_s <= samples[-1][0]:
                return self._countdown(elapsed_s)
            if samples:
                self._smooth(max(0.0, fraction - samples[-1][1]), elapsed_s - samples[-1][0])
            samples.append((elapsed_s, fraction))
            while len(samples) > 2 and samples[1][0] <= elapsed_s - ETA_WINDOW_S:
                samples.popleft()
            if fraction < ETA_MIN_FRACTION or elapsed_s < ETA_MIN_ELAPSED_S or len(samples) < 3:
                return self._countdown(elapsed_s)
            half = next(x for x in samples if x[0] >= elapsed_s - ETA_WINDOW_S / 2 or x is samples[-2])
            window = _rate(samples[0], (elapsed_s, fraction))
            recent = _rate(half, (elapsed_s, fraction))
            rate = self._dn / self._dt if self._dn and self._dt else 0.0
            if window > 0 and recent > 0 and not 1 / ETA_JUMP <= recent / window <= ETA_JUMP:
                self._dn = self._dt = None  # the pace changed (a stage jumped): the average starts again from here
            if rate <= 0 or window <= 0 or recent <= 0 or abs(recent - window) > ETA_AGREEMENT * window:
                return self._countdown(elapsed_s)
            estimate = (1 - fraction) / rate
            current = self._remaining(elapsed_s)
            if current is not None and current < estimate <= current * ETA_CLIMB_FACTOR + ETA_CLIMB_MIN_S:
                return current if current > 0 else None
            if current:
                estimate = min(max(estimate, current / ETA_MAX_STEP), current * ETA_MAX_STEP)
            self._shown = (estimate, elapsed_s)
            return estimate

    def _smooth(self, dn: float, dt: float) -> None:
        """Fold one poll's progress ``dn`` over ``dt`` seconds into the moving averages."""
        a = ETA_SMOOTHING
        self._dn = dn if self._dn is None else a * dn + (1 - a) * self._dn
        self._dt = dt if self._dt is None else a * dt + (1 - a) * self._dt

    def _remaining(self, elapsed_s: float) -> float | None:
        """The last shown estimate counted down to ``elapsed_s`` (at least 0); ``None`` if none was shown."""
        if self._shown is None:
            return None
        eta, at = self._shown
        return max(0.0, eta - max(0.0, elapsed_s - at))

    def _countdown(self, elapsed_s: float) -> float | None:
        left = self._remaining(elapsed_s)
        return left if left else None


def _rate(a: tuple[float, float], b: tuple[float, float]) -> float:
    return (b[1] - a[1]) / (b[0] - a[0]) if b[0] > a[0] else 0.0


class _TaskMemory:
    """What is remembered of one followed task: its time-left estimator and the last stage and fraction a
    poll showed (a task that ends aborted or failed often reports no progress any more: its bar keeps them)."""

    def __init__(self) -> None:
        self.eta = EtaEstimator()
        self.stage: str | None = None
        self.fraction: float | None = None


_MEMORY: weakref.WeakKeyDictionary[Any, _TaskMemory] = weakref.WeakKeyDictionary()
_MEMORY_LOCK = threading.Lock()


def _memory(future: Any) -> _TaskMemory:
    """The memory of ``future`` (a fresh one, forgetting everything, for an object that cannot be weakly keyed)."""
    with _MEMORY_LOCK:
        try:
            memory = _MEMORY.get(future)
            if memory is None:
                memory = _MEMORY[future] = _TaskMemory()
        except TypeError:
            memory = _TaskMemory()
        return memory


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




def task_outcome(future: Any) -> tuple[str, str | None]:
    """``("running", None)`` or the final state and its message (:func:`cswidgets.api.waiting.future_outcome`)."""
    return future_outcome(future)


def task_view(future: Any, tracker: Any = None) -> ProgressView:
    """The shared progress view of ``future``: ``{status, stage, fraction, elapsed_s, eta_s,
    message}`` with the whole-task fraction (``1.0`` once done), the final state and the smoothed
    time left of :class:`EtaEstimator` (one per future, forgotten with it); an aborted, failed or unknown
    task keeps the last stage and fraction a poll showed when its final state no longer carries them. With
    the ``tracker`` that follows it, a running task whose last polls failed is ``reconnecting``."""
    status, message = task_outcome(future)
    view = progress_view(future.progress, status=status, message=message)
    memory = _memory(future)
    if status == "done":
        view["fraction"] = 1.0
    elif status != "running":  # aborted, failed, unknown: the bar keeps where the task was
        if view["stage"] is None:
            view["stage"] = memory.stage
        if view["fraction"] is None or (memory.fraction is not None and view["fraction"] < memory.fraction):
            view["fraction"] = memory.fraction
    else:
        memory.stage = view["stage"] if view["stage"] is not None else memory.stage
        memory.fraction = view["fraction"] if view["fraction"] is not None else memory.fraction
        left = memory.eta.update(view["fraction"], view["elapsed_s"])
        view["eta_s"] = None if left is None else round(left, 1)
        errors, _err, since = tracker.poll_errors(future) if tracker is not None else (0, None, 0.0)
        if errors:
            view["status"] = "reconnecting"
            view["message"] = "connection lost — retrying"
            view["elapsed_s"] = round((view["elapsed_s"] or 0.0) + since, 1)
    return view


def task_now(future: Any) -> str:
    """What DSS shows of a task now (one peek; after an abort whose answer was lost): "DSS shows the
    task running" or "... ended"."""
    state = future.peek_state()
    ended = isinstance(state, dict) and (state.get("hasResult") or state.get("aborted") or not state.get("alive", True))
    return f"DSS shows the task {'ended' if ended else 'running'}"


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
