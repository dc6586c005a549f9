"""Which play loop may run (no Solara here).

A play loop runs only while its ticket is current, and Pause (or Reset, a new
scenario, a lesson) takes a new ticket at once, in the click's own thread, so
no loop can outlive a Pause however renders interleave.
"""

from __future__ import annotations

import threading

__all__ = ["Player"]


class Player:
    """Tickets for play loops: only the loop holding the current ticket may step the model."""

    def __init__(self):
        self._lock = threading.Lock()
        self._ticket = 0

    def ticket(self) -> int:
        with self._lock:
            return self._ticket

    def current(self, ticket: int) -> bool:
        with self._lock:
            return ticket == self._ticket

    def stop(self) -> None:
        """Invalidate every running loop's ticket."""
        with self._lock:
            self._ticket += 1
