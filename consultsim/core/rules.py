"""Institutions as declared rules (ODD §7.5): the procedure, its gates and its decision rules as data.

Each rule is an institutional statement in the grammar of Crawford & Ostrom (1995): an
**A**\\ ttribute (whose rule it is), a **D**\\ eontic (must, may, must not), an a\\ **I**\\ m (what is
done), a **C**\\ ondition (when) and an **O**\\ r else (what follows a breach or a failure), as in the
MAIA framework (Ghorbani, Bots, Dignum & Dijkema 2013, *JASSS* 16(2) 9). The numbers a rule uses
are :class:`~consultsim.core.params.Params` fields of the section ``rules`` (``params`` names
them), so a scenario changes a rule in its ``[rules]`` section::

    [rules]
    consensus_gate = false          # decide without first reaching agreement
    rule_parking = "owners_major"   # parking on common land as an owners' major matter (art. 278)

The agents read the table: the committee sets the agenda, convenes, applies the gates and the
decision rule of each topic type and collects owners' votes
(:class:`~consultsim.core.agents.NeighbourhoodCommittee`); the property manager commits only to
what it supports (:class:`~consultsim.core.agents.PropertyManager`); owners vote under the
thresholds below. :func:`decide_majority` and :func:`decide_owners` are the decision rules
themselves; ``model.py`` keeps only the weekly schedule.

Sources: Civil Code of the PRC (2021) art. 278 (owners' decisions: owners holding two thirds of
the floor area and two thirds of the owners take part; raising the maintenance fund, rebuilding
or altering buildings and facilities and changing the use of common parts need three quarters of
the participating area and owners, other common matters more than half); the 2015 national
opinion on urban and rural community consultation (notice, consultation seeking agreement).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

import numpy as np

from consultsim.core.params import DECISION_RULES, PARAM_INFO, Params

__all__ = ["Statement", "RULES", "DECISION_RULES", "decision_rule", "quorum_needed", "decide_majority",
           "decide_owners", "describe", "rule_params"]


@dataclass(frozen=True)
class Statement:
    """One institutional statement (ADICO; Crawford & Ostrom 1995)."""

    name: str
    attribute: str   # who: committee, meeting, owners, property_manager, social_workers, oversight,
    #                  owners_committee, street_office
    deontic: str     # must, may, must not
    aim: str
    condition: str
    or_else: str
    params: tuple[str, ...]  # the Params fields (section "rules" or levers) that set its numbers
    stage: str               # the procedure's stage it governs (ODD §3)
    source: str

    def text(self, p: Params | None = None) -> str:
        """The statement as one sentence, with the numbers of ``p`` (the defaults if None)."""
        p = p or Params()
        nums = ", ".join(f"{n} = {getattr(p, n)}" for n in self.params)
        return (f"{self.attribute} {self.deontic} {self.aim} when {self.condition}; or else {self.or_else}"
                + (f" [{nums}]" if nums else ""))


def _s(name, attribute, deontic, aim, condition, or_else, params, stage, source) -> Statement:
    return Statement(name, attribute, deontic, aim, condition, or_else, tuple(params), stage, source)


#: The procedure (propose → agenda → notice → deliberate → decide → implement → evaluate) as rules.
RULES: Mapping[str, Statement] = MappingProxyType({s.name: s for s in (
    _s("agenda", "committee", "must", "put up to agenda_capacity waiting topics on the agenda, deferred first",
       "every meeting_cadence_weeks weeks", "topics wait for the next cycle",
       ("agenda_capacity", "meeting_cadence_weeks"), "agenda", "field study: monthly standardized cycle"),
    _s("notice", "committee", "must", "post the meeting's notice notice_weeks before it",
       "a topic is on the agenda", "the meeting is not held", ("notice_weeks",), "notice",
       "2015 opinion: notice in advance"),
    _s("quorum", "meeting", "must", "gather at least max(quorum_min, quorum_share × households in scope)",
       "a meeting is held", "the topic is deferred; after max_deferrals deferrals it fails (no quorum)",
       ("quorum_min", "quorum_share", "max_deferrals"), "deliberate", "assumption: no legal quorum (2015 opinion)"),
    _s("consensus_gate", "meeting", "must", "reach agreement_consensus before a decision rule is applied",
       "consensus_gate is on", "no decision: another meeting; after max_meetings it fails (deadlock)",
       ("consensus_gate", "agreement_consensus", "max_meetings"), "decide",
       "2015 opinion: consultation seeks agreement (协商一致)"),
    _s("majority", "meeting", "must", "approve by more than majority of attendees",
       "the topic type's rule is majority", "rejected; another meeting until max_meetings",
       ("majority", "max_meetings"), "decide", "simple majority of attendees"),
    _s("owners_ordinary", "owners", "must",
       "take part with ≥ owners_turnout of owners by head and by area, and approve by more than owners_majority "
       "of those voting, by head and by area", "the topic type's rule is owners_ordinary",
       "no valid vote (too few owners voted) or rejected; another meeting until max_meetings",
       ("owners_turnout", "owners_majority", "max_meetings"), "decide",
       "Civil Code art. 278 (2021): other common matters"),
    _s("owners_major", "owners", "must",
       "take part with ≥ owners_turnout of owners by head and by area, and approve by ≥ owners_supermajority of "
       "those voting, by head and by area", "the topic type's rule is owners_major",
       "no valid vote (too few owners voted) or rejected; another meeting until max_meetings",
       ("owners_turnout", "owners_supermajority", "max_meetings"), "decide",
       "Civil Code art. 278 (2021): raising the maintenance fund, rebuilding or altering buildings and "
       "facilities (elevator retrofits), changing the use of common parts"),
    _s("decision_rule", "committee", "must", "decide each topic type by its declared rule",
       "a meeting reaches a decision", "the decision is void",
       tuple(f"rule_{t}" for t in ("elevator", "parking", "garbage", "property_fee", "pets", "public_space")),
       "decide", "Civil Code art. 278; 2015 opinion"),
    _s("vote_collection", "committee", "may", "collect owners' written votes door to door, while the gap to "
       "owners_turnout remains and collectors' hours remain", "an owners' rule applies",
       "no valid vote", ("owners_turnout", "vote_rounds", "vote_visit_hours", "sw_canvass_share"), "decide",
       "Civil Code art. 278: written votes (书面征求意见) are valid; assumption for the hours"),
    _s("pm_commitment", "property_manager", "must", "commit at the meeting to resolutions it supports",
       "pm_inclusion is on and it attends", "it does not commit (its opposition is logged)",
       ("pm_inclusion",), "implement", "lever (ODD §8)"),
    _s("oversight", "oversight", "may", "spread a capacity of supervision × oversight_cases works over the works "
       "of the implementer it oversees (the property manager; the committee's own works answer to the street "
       "office)", "supervision > 0", "the works get no oversight", ("supervision", "oversight_cases"), "implement",
       "lever; assumption for the capacity"),
    # district-level actors (ODD §7.10)
    _s("vote_convener", "owners_committee", "may", "convene owners' votes and collect written votes door to door, "
       "oc_members × oc_member_hours a week before social workers' and the residents' committee's hours",
       "an owners' rule applies, the community has an owners' committee and vote_convener names it",
       "the residents' committee convenes and collects the votes", ("owners_committee", "vote_convener",
                                                                     "oc_members", "oc_member_hours"), "decide",
       "Civil Code arts. 277-278 (2021); Beijing Property Management Regulations (2020), ch. 4; assumption for "
       "the hours"),
    _s("pm_negotiation", "owners_committee", "may", "negotiate with the property manager over the works it owes: "
       "the manager's own effort on them × (1 + oc_negotiation_effect)",
       "the community has an owners' committee and the property manager has works under way",
       "the manager works at its own effort", ("owners_committee", "oc_negotiation_effect"), "implement",
       "Civil Code art. 278 (owners hire and dismiss the manager by vote); assumption for the size"),
    _s("hotline_pressure", "street_office", "must", "assign each 12345 complaint back to its community, rank the "
       "communities by last year's complaints per household and press the committees ranked high: their effort "
       "on their own works × (1 + pressure_responsiveness × street_pressure)",
       "a district run's year ends", "the committee works at its own effort",
       ("street_pressure", "pressure_responsiveness"), "implement",
       "Beijing 接诉即办 regulations (2021); assumption for the size"),
)})


def rule_params() -> frozenset[str]:
    """Every parameter a declared rule reads."""
    return frozenset(n for s in RULES.values() for n in s.params)


def decision_rule(p: Params, topic_type: str) -> str:
    """The declared decision rule of a topic type (``rule_<type>``; majority if the type has none)."""
    return getattr(p, f"rule_{topic_type}", "majority")


def quorum_needed(p: Params, in_scope: int) -> int:
    """Attendees a valid meeting needs (rule ``quorum``)."""
    return max(p.quorum_min, math.ceil(p.quorum_share * in_scope))


def decide_majority(p: Params, support: float) -> str:
    """Rule ``majority``: approved if more than ``majority`` of attendees support, else rejected."""
    return "approved" if support > p.majority else "rejected"


def decide_owners(p: Params, rule: str, owners: np.ndarray, votes: np.ndarray, yes: np.ndarray,
                  area: np.ndarray) -> str:
    """Rules ``owners_ordinary`` and ``owners_major`` (Civil Code art. 278) on masks over the scope.

    Turnout: at least ``owners_turnout`` of owners by head and of their floor area. Approval, by head
    and by area of those voting: more than ``owners_majority`` (ordinary) or at least
    ``owners_supermajority`` (major; "三分之三以上" includes the bound). Returns "approved",
    "rejected" or "too few owners voted".
    """
    if not owners.any():
        return "rejected"
    turnout = p.owners_turnout
    if votes.sum() < turnout * owners.sum() or area[votes].sum() < turnout * area[owners].sum():
        return "too few owners voted"
    n_yes, n_votes, a_yes, a_votes = yes.sum(), votes.sum(), area[yes].sum(), area[votes].sum()
    if rule == "owners_major":
        ok = n_yes >= p.owners_supermajority * n_votes and a_yes >= p.owners_supermajority * a_votes
    else:
        ok = n_yes > p.owners_majority * n_votes and a_yes > p.owners_majority * a_votes
    return "approved" if ok else "rejected"


def describe(p: Params | None = None) -> list[str]:
    """Every declared rule as one line (name: statement), with the numbers of ``p``."""
    return [f"{name}: {s.text(p)}" for name, s in RULES.items()]


def _check_table() -> None:
    """Every parameter a rule names exists (a typo in the table fails at import, not in a run)."""
    missing = sorted(rule_params() - set(PARAM_INFO))
    if missing:
        raise RuntimeError(f"rules name unknown parameters: {missing}")


_check_table()
