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
