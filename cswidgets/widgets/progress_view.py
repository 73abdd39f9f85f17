"""What a progress bar shows, derived from a tracked future (shared by every panel).

The front-end component (``js/shared/progress.js``) takes the dict built here:
``{status, stage, fraction, elapsed_s, eta_s, message}`` where ``status`` is one of
``running``, ``done``, ``failed``, ``aborted`` and ``fraction`` is ``None`` when the server gives
no target (indeterminate bar).
"""

from __future__ import annotations

from typing import Any

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
