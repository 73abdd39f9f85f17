"""What one check of the doctor found: a :class:`Check` with its verdict, the assumption it tests and, when DSS
differs, the path the panels take.

Verdicts (the words the report uses):

- ``"confirmed here"``: this DSS answers as cswidgets assumes;
- ``"differs: <how>"``: it answers otherwise (``how`` says what was seen, never a name or a value from DSS);
- ``"not checkable read-only"``: finding out would need a write (a start, a pull...), or nothing on this DSS
  shows it now (``how`` says why).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

__all__ = ["CONFIRMED", "DIFFERS", "UNCHECKABLE", "Check"]

CONFIRMED = "confirmed here"
DIFFERS = "differs"
UNCHECKABLE = "not checkable read-only"
API = "cswidgets/api/assumptions.py"
SIM = "cswidgets/sim/assumptions.py"


@dataclass
class Check:
    """One finding.

    ``assumption`` names the entries it tests: ``"cswidgets/api/assumptions.py studios_of_task;
    docs/dss-api.md §10"``. ``blocking``: the product cannot work this way (the doctor exits non-zero).
    ``path``: what the panels do instead (when DSS differs and a tolerant path exists).
    """

    topic: str
    assumption: str
    verdict: str
    how: str = ""
    path: str = ""
    blocking: bool = False

    @property
    def text(self) -> str:
        """``confirmed here``, ``differs: <how>`` or ``not checkable read-only (<how>)``."""
        if self.verdict == DIFFERS:
            return f"differs: {self.how}"
        if self.how:
            return f"{self.verdict} ({self.how})" if self.verdict == UNCHECKABLE else f"{self.verdict}: {self.how}"
        return self.verdict

    def as_json(self) -> dict[str, Any]:
        return {**asdict(self), "text": self.text}


def confirmed(topic: str, assumption: str, how: str = "") -> Check:
    return Check(topic, assumption, CONFIRMED, how)


def differs(topic: str, assumption: str, how: str, path: str = "", blocking: bool = False) -> Check:
    return Check(topic, assumption, DIFFERS, how, path, blocking)


def uncheckable(topic: str, assumption: str, why: str) -> Check:
    return Check(topic, assumption, UNCHECKABLE, why)
