"""The topic pipeline: which column of the consultation procedure each topic is in, as cards.

Columns follow the procedure of the 2015 national opinion and Beijing's
"five-resident" method (propose -> agenda -> deliberate -> decide -> implement
-> evaluate). A topic that has been evaluated stays in the column of how it
ended (implemented, stalled or failed), read from its history.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from consultsim.core.topics import Stage

__all__ = ["COLUMNS", "Card", "column_of", "pipeline"]

S = Stage
#: (key, heading, stages shown in it)
COLUMNS: tuple[tuple[str, str, frozenset[Stage]], ...] = (
    ("proposed", "Proposed", frozenset({S.PROPOSED})),
    ("agenda", "On the agenda", frozenset({S.ON_AGENDA, S.NOTIFIED, S.DEFERRED})),
    ("deliberating", "Deliberating", frozenset({S.DELIBERATING})),
    ("decided", "Decided", frozenset({S.DECIDED})),
    ("implementing", "Implementing", frozenset({S.IMPLEMENTING})),
    ("implemented", "Implemented", frozenset({S.IMPLEMENTED})),
    ("stalled", "Stalled", frozenset({S.STALLED})),
    ("failed", "Failed", frozenset({S.FAILED})),
)
_BY_STAGE = {stage: key for key, _, stages in COLUMNS for stage in stages}


@dataclass(frozen=True)
class Card:
    id: int
    type: str                  # topic type name, e.g. "elevator" (shown through i18n "topic.<type>")
    building: int | None       # None: the whole community
    support: float | None      # share in favour at the last vote, None before any vote
    origin: str                # "resident" or "committee"
    week: int                  # week it entered its current stage
    status: str = ""           # "deferred", "no_agreement", or the outcome ("stalled", "implemented", …)
    meetings: int = 0
    next_meeting: int = -1

    @property
    def note(self) -> str:
        """The status in English (the page shows it in the reader's language: ``live.status_text``)."""
        from consultsim.app.live import status_text
        return status_text(self, "en")


def column_of(topic) -> str:
    """The column key of a topic (evaluated topics: the stage they ended in)."""
    stage = topic.stage
    if stage is S.EVALUATED:
        for _, st in reversed(getattr(topic, "history", []) or []):
            if st is not S.EVALUATED:
                stage = st
                break
    if stage is S.NOTIFIED and getattr(topic, "meetings", 0) > 0:
        return "deliberating"  # met without agreement; the next meeting is called
    return _BY_STAGE.get(stage, "proposed")


def _card(topic) -> Card:
    sup = getattr(topic, "support", float("nan"))
    support = None if sup is None or not math.isfinite(sup) else float(sup)
    hist = getattr(topic, "history", []) or []
    week = int(hist[-1][0]) if hist else int(getattr(topic, "step_proposed", 0))
    status = ""
    if topic.stage is S.DEFERRED:
        status = "deferred"
    elif topic.stage is S.NOTIFIED and getattr(topic, "meetings", 0) > 0:
        status = "no_agreement"
    if getattr(topic, "outcome", ""):
        status = str(topic.outcome).replace(" ", "_")
    origin = "resident" if getattr(topic, "origin", "") == "resident" else "committee"
    return Card(int(topic.id), topic.type.name, getattr(topic, "building", None), support, origin, week, status,
                int(getattr(topic, "meetings", 0)), int(getattr(topic, "next_meeting", -1) or -1))


def pipeline(topics) -> dict[str, list[Card]]:
    """Cards per column key, most recent first."""
    out: dict[str, list[Card]] = {key: [] for key, _, _ in COLUMNS}
    for t in topics:
        out[column_of(t)].append(_card(t))
    for cards in out.values():
        cards.sort(key=lambda c: (-c.week, -c.id))
    return out
