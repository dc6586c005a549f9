"""Playing the model: which play loop may run, and the figures drawn for each frame (no Solara here).

Two rules keep the page responsive while the model plays:

- a play loop runs only while its ticket is current, and Pause (or Reset, a
  new scenario, a lesson) takes a new ticket at once, in the click's own
  thread, so no loop can outlive a Pause however renders interleave;
- the play loop draws the next frame's figures itself, before it tells the
  page that the model moved, so the render that follows only swaps images
  (Solara gives up when a thread changes state during every render pass, which
  a slow render invites).
"""

from __future__ import annotations

import io
import threading
from collections import OrderedDict
from collections.abc import Callable

from consultsim.app.charts import age_frame, draw_charts
from consultsim.app.network import draw_network

__all__ = ["Player", "Frames"]


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


def _png(fig) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    return buf.getvalue()


class Frames:
    """PNG images of the network and the charts, drawn once per (model, version, view) and kept briefly."""

    def __init__(self, session, keep: int = 8):
        self.session = session
        self._keep = keep
        self._lock = threading.Lock()
        self._cache: OrderedDict[tuple, bytes] = OrderedDict()

    def _get(self, key: tuple, draw: Callable[[], bytes]) -> bytes:
        with self._lock:
            if key in self._cache:
                return self._cache[key]
        with self.session.lock:  # the model must not step while it is drawn
            png = draw()
        with self._lock:
            self._cache[key] = png
            while len(self._cache) > self._keep:
                self._cache.popitem(last=False)
        return png

    def network(self, version: int, mode: str, layout: str) -> bytes:
        s = self.session
        return self._get(("network", id(s.model), version, mode, layout),
                         lambda: _png(draw_network(s.model, mode, layout)))

    def charts(self, version: int) -> bytes:
        s = self.session
        return self._get(("charts", id(s.model), version),
                         lambda: _png(draw_charts(s.model.timeseries(), age_frame(s.age_history))))
