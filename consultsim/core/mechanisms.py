"""The registry of mechanisms: every submodel and behavioural term of ODD §7 with its off-switch.

Each entry names the ODD section it implements and the parameter overrides that switch it off
(a *degenerate variant* of the model). ``consultsim validate`` must reject every registered
off-switch on field observables (tests/test_mechanisms_registry.py derives its cases from this
registry), so a mechanism added without an off-switch, or one that validation cannot see, fails
the suite. Add an entry here whenever a behaviour is added to the model.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

__all__ = ["Mechanism", "MECHANISMS", "register"]


@dataclass(frozen=True)
class Mechanism:
    """One mechanism of the model and how to switch it off."""

    name: str
    odd: str  # the ODD section that describes it, e.g. "§7.4"
    description: str  # what the mechanism does (one sentence)
    off: Mapping[str, Any]  # parameter overrides that remove it


MECHANISMS: dict[str, Mechanism] = {}


def register(name: str, odd: str, description: str, **off: Any) -> Mechanism:
    """Add a mechanism to the registry (names are unique)."""
    if name in MECHANISMS:
        raise ValueError(f"mechanism {name!r} registered twice")
    if not off:
        raise ValueError(f"mechanism {name!r} has no off-switch")
    m = MECHANISMS[name] = Mechanism(name, odd, description, MappingProxyType(dict(off)))
    return m


# Entries are grouped by ODD section; the evidence work (issue 17) completes the list.
register("attendance_calculus", "§7.3", "attendance rises with stake x efficacy, civic motivation and invitation",
         b_stake=0.0, b_civic=0.0, b_invited=0.0)
register("unequal_voice", "§7.4", "speaking weight grows with capacity", voice_exponent=0.0)
register("bounded_confidence", "§7.4", "attendees move toward views within a confidence bound",
         rounds=1, epsilon=0.0, epsilon_facilitated=0.0, informed_pull=0.0)
register("complexity", "§7.4", "complex topics lower effective capacity and narrow the bound",
         complexity_penalty=0.0)
register("implementation_effort", "§7.6", "implementers accumulate effort toward the work required",
         committee_responsiveness=0.0, pm_responsiveness=0.0, residents_effort=0.0)
register("learning_from_outcomes", "§7.7", "trust and efficacy learn from outcomes",
         learning_rate=0.0, mediation_effect=0.0)
# Issue 16: levers spend resources, institutions as declared rules (consultsim.core.rules)
register("committee_time_budget", "§7.2", "the committee's staff hours left after administrative tasks pay for agenda "
         "cycles, meetings, door-to-door vote collection and follow-up of its own works; follow-up gives way first",
         cycle_staff_hours=0.0, meeting_staff_hours=0.0, followup_hours=0.0, vote_visit_hours=0.0)
register("facilitation_by_the_hour", "§7.4", "social workers lead small groups of a meeting as far as the cycle's "
         "facilitation hours go", sw_hours_per_group=0.0)
register("vote_campaign", "§7.5", "owners' votes are collected door to door while the turnout gap and collectors' "
         "hours remain, from owners who differ in whether they sign", vote_return_concentration=1000.0,
         vote_climate_sd=0.0)
register("consensus_gate", "§7.5", "a meeting must reach agreement before a decision rule is applied",
         consensus_gate=False)
register("oversight_capacity", "§7.6", "the oversight board follows at most supervision x oversight_cases of the "
         "property manager's works at once (acts only when the supervision lever is on)", oversight_cases=1000.0)
register("attendance_habit", "§7.3", "attending raises the chance of attending again; disappointing outcomes weaken "
         "the habit (Gerber, Green & Shachar 2003; Bendor, Diermeier & Ting 2003)", b_habit=0.0)
register("trust_running_tally", "§7.8", "trust and efficacy drift back to long-run levels that follow experience, "
         "not to their initial values (Fiorina 1981; Slovic 1993)", trust_anchor_rate=0.0)
register("committee_experience", "§7.8", "the committee's facilitation grows with the meetings it holds and fades "
         "with turnover", experience_facilitation=0.0)
register("committee_elections", "§7.8", "every five years an election replaces members, who take part of the "
         "committee's experience with them (Organic Law of Urban Residents' Committees, 2018)",
         election_turnover=0.0)
register("elevator_payments_in_stakes", "§7.6", "owners of floors 3 and up weigh their share of an elevator's cost, "
         "net of the public subsidy, against its value", elevator_cost_stake=0.0)
register("elevator_floor_shares", "§7.6", "higher floors pay larger shares of an elevator's cost (Beijing's 2022 "
         "guiding standard)", elevator_share_step=0.0)
register("elevator_compensation", "§7.6", "paying owners compensate floors 1-2 out of their net gain",
         elevator_compensation=0.0)
register("proposal_skill", "§7.1", "a capable drafter writes a proposal that serves everyone in scope a little more",
         proposal_skill=0.0)
register("online_selectivity", "§7.3", "the online channel's time saving goes mostly to the already engaged "
         "(Schlozman, Verba & Brady 2010)", online_selectivity=0.0)
register("online_presence", "§7.4", "those who join online are heard less and follow less", online_presence=1.0)
