"""The governance summary (a Dashboard tab, or a panel of its own): who and what holds the running studios,
outdated images, unsynced files and the idle policy's dry run (``panel.py``; records in ``records.py``; front
end ``js/governance/``)."""

from .panel import Governance

__all__ = ["Governance"]
