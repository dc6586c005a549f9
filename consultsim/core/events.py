"""What happened, as structured records: the model logs an event kind and its fields.

The English sentence is rendered from :data:`TEMPLATES`; other languages render the same
fields from their own templates (``consultsim.i18n``), so the model never formats text
for a reader. Each field is a plain value (numbers, topic type names, building indices).
"""

from __future__ import annotations

from typing import Any, NamedTuple

from consultsim.core.topics import CATALOG

__all__ = ["Event", "TEMPLATES", "where_en"]

#: event kind -> English template over the event's fields plus ``the_topic``, ``a_topic``,
#: ``topic_label`` and ``where`` (derived from ``topic`` and ``building``).
TEMPLATES: dict[str, str] = {
    "proposed_resident": "residents of {where} proposed {a_topic}",
    "proposed_committee": "the committee proposed {a_topic}",
    "no_quorum": "only {attended} came to the meeting on {topic_label} in {where} ({needed} needed); postponed",
    "approved": "{where} approved {the_topic} with {support:.0%} support",
    "no_agreement": "no agreement yet on {topic_label} in {where} ({verdict}); another meeting is called",
    "failed": "{the_topic} in {where} failed ({why})",
    "pm_declined": "the property manager does not commit to {the_topic} in {where}: it opposes it",
    "unfunded": "owners pledged only {collected:.0%} of their share of the cost of {the_topic} in {where}; works cannot start",
    "completed": "{the_topic} in {where} was completed",
    "stalled": "{the_topic} agreed in {where} in week {decided} has stalled",
    "election": "the residents elected their committee; outgoing members took {lost:.0%} of its experience",
}


def where_en(building: int | None) -> str:
    return f"building {building + 1}" if building is not None else "the community"


class Event(NamedTuple):
    """One thing that happened: the week, its kind (a key of :data:`TEMPLATES`) and its fields."""

    week: int
    kind: str
    fields: dict[str, Any]

    @property
    def text(self) -> str:
        """The English sentence, e.g. "Week 12: Building 3 approved the elevator retrofit with 81% support."."""
        f = dict(self.fields)
        label = CATALOG[f["topic"]].label if "topic" in f else ""
        f.setdefault("topic_label", label)
        f.setdefault("the_topic", "the " + label)
        f.setdefault("a_topic", ("an " if label[:1] in "aeiou" else "a ") + label)
        f.setdefault("where", where_en(f.get("building")))
        s = TEMPLATES[self.kind].format(**f)
        return f"Week {self.week}: {s[0].upper()}{s[1:]}."
