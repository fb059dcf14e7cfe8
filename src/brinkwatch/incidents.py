"""Incidents: the reports of one happening merged into one. (Interface stub; see issue 4.)"""

from __future__ import annotations

from .store import Store


def refresh(store: Store) -> int:
    """Assign every event without an incident to one (new or existing); return incidents touched."""
    return 0
