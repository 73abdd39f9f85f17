"""The future progress panel: one task's progress bar (``panel.py``: :class:`FutureProgress` and
:func:`client_tracker`, the tracker a future is followed by). The front end is ``js/future_progress/``."""

from .panel import FutureProgress, client_tracker

__all__ = ["FutureProgress", "client_tracker"]
