"""Text shown by every panel: optional text values and durations, one rule each.

:func:`duration_text` and ``durationText`` in ``js/shared/time.js`` write the same text for the same
number (``tests/js/fixtures/records.json`` holds examples made here; the JS tests check them), so a
static fallback and a live view never disagree.
"""

from __future__ import annotations

import math
from typing import Any

from ...api.compat import text_or_none  # one rule for missing text, shared with the API's frames

__all__ = ["duration_text", "text_or_none"]


def duration_text(seconds: Any) -> str:
    """``"0.4s"``, ``"12s"``, ``"2m 05s"``, ``"1h 02m"``; ``""`` when unknown.

    Rounds half up, on integers (tenths, then seconds), exactly as the JS twin does.
    """
    if seconds is None or isinstance(seconds, bool):
        return ""
    try:
        s = float(seconds)
    except (TypeError, ValueError):
        return ""
    if not math.isfinite(s):
        return ""
    s = max(0.0, s)
    tenths = math.floor(s * 10 + 0.5)
    if tenths < 100:
        return f"{tenths // 10}.{tenths % 10}s"
    total = math.floor(s + 0.5)
    if total < 60:
        return f"{total}s"
    minutes = total // 60
    if minutes < 60:
        return f"{minutes}m {total % 60:02d}s"
    return f"{minutes // 60}h {minutes % 60:02d}m"
