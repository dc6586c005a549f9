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
    title: str      # "elevator retrofit"
    where: str      # "building 3" or "whole community"
    support: str    # "78% support" or "not yet voted"
    detail: str     # stage detail, e.g. "deferred (no quorum)", origin
    week: int       # week it entered its current stage


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
    support = "not yet voted" if sup is None or not math.isfinite(sup) else f"{sup:.0%} support"
    b = getattr(topic, "building", None)
    # buildings are numbered from 1 on screen, as in the model's event sentences (Topic.where)
    where = f"building {b + 1}" if b is not None else "whole community"
    hist = getattr(topic, "history", []) or []
    week = int(hist[-1][0]) if hist else int(getattr(topic, "step_proposed", 0))
    bits = [f"from {'residents' if getattr(topic, 'origin', '') == 'resident' else 'the committee'}"]
    if topic.stage is S.DEFERRED:
        bits.insert(0, "deferred: no quorum")
    elif topic.stage is S.NOTIFIED and getattr(topic, "meetings", 0) > 0:
        bits.insert(0, f"no agreement after {topic.meetings} meeting(s); next meeting week {topic.next_meeting}")
    if getattr(topic, "outcome", ""):
        bits.insert(0, str(topic.outcome).replace("_", " "))
    return Card(int(topic.id), topic.type.label, where, support, "; ".join(bits), week)


def pipeline(topics) -> dict[str, list[Card]]:
    """Cards per column key, most recent first."""
    out: dict[str, list[Card]] = {key: [] for key, _, _ in COLUMNS}
    for t in topics:
        out[column_of(t)].append(_card(t))
    for cards in out.values():
        cards.sort(key=lambda c: (-c.week, -c.id))
    return out
