"""Which numbers set each lever's effect, and whether a source gives them (docs/levers.md).

A lever (ODD §8) acts through mechanisms whose strength is a parameter: supervision through
``supervision_effect`` and ``sanction_effect``, incentives through ``b_incentive`` and ``crowding_out``,
and so on. When the lever is off in the baseline, no pattern of the baseline can constrain those
parameters (the mechanism registry marks such mechanisms with their lever), so the size of the lever's
effect is whatever the parameter says: it needs a source. :data:`LEVER_EFFECTS` names the effect-size
parameters of every lever; :func:`package_evidence` says, for a package (a set of lever changes), which
of them its effect depends on and whether each is sourced (``params.is_sourced``: a source that is not,
in whole or in part, an assumption). The comparison report marks each package accordingly.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from consultsim.core.params import PARAM_INFO, Params, is_sourced, levers

__all__ = ["LEVER_EFFECTS", "NULL", "RESOURCE_RATES", "EffectSize", "PackageEvidence", "package_evidence", "lever_names"]

#: lever -> the parameters that set the size of its effect (docs/levers.md gives their sources).
LEVER_EFFECTS: dict[str, tuple[str, ...]] = {
    "incentive_per_meeting": ("b_incentive", "crowding_out"),
    "incentive_budget": ("b_incentive", "crowding_out"),
    "pm_performance_contract": ("contract_effect",),
    "supervision": ("supervision_effect", "sanction_effect", "oversight_cases"),
    "meeting_cadence_weeks": ("interest_decay",),
    "pm_inclusion": ("commitment_effect", "pm_capacity"),
    # the subsidy lowers the owners' share arithmetically (ODD §7.6): no behavioural size of its own,
    # its effect follows from the contribution mechanism that validation sees (retrofits_unfunded)
    "public_subsidy": (),
    "awareness_campaign": ("campaign_reach", "campaign_gain"),
    "feedback_transparency": ("publication_voice", "complaint_propensity"),
    "training_sessions_per_quarter": ("capacity_gain_training",),
    "training_seats": ("capacity_gain_training",),
    "committee_facilitation_training": ("facilitation_training_gain",),
    "social_workers": ("sw_invites_per_hour", "sw_facilitation_weight", "sw_seats_per_hour", "sw_cases_per_hour",
                       "mediation_effect"),
    "social_worker_hours": ("sw_invites_per_hour", "sw_facilitation_weight", "sw_seats_per_hour",
                            "sw_cases_per_hour", "mediation_effect"),
    "online_channel": ("online_reach", "online_time_cost", "online_selectivity", "online_presence"),
}

#: The value of an effect-size parameter at which its lever does nothing through it (0 unless listed).
NULL: dict[str, float] = {"online_time_cost": 1.0, "online_presence": 1.0}

#: Parameters of a lever-bound mechanism's off-switch that price the resources a lever buys (hours per
#: unit of service) rather than size its effect: the effect's size is the listed parameter (e.g.
#: ``sw_facilitation_weight``), whose prior includes the null.
RESOURCE_RATES: dict[str, tuple[str, ...]] = {"social_workers": ("sw_hours_per_group",),
                                              "social_worker_hours": ("sw_hours_per_group",)}


def lever_names() -> list[str]:
    """Every lever (ODD §8), in declaration order."""
    return [n for names in levers().values() for n in names]


@dataclass(frozen=True)
class EffectSize:
    """One effect-size parameter a package depends on."""

    parameter: str
    levers: tuple[str, ...]  # the package's levers that act through it
    sourced: bool
    source: str


@dataclass(frozen=True)
class PackageEvidence:
    """What a package's effect rests on."""

    sizes: tuple[EffectSize, ...]

    @property
    def sourced(self) -> bool:
        """True if every effect-size parameter of the package's levers has a source."""
        return all(s.sourced for s in self.sizes)

    @property
    def assumed(self) -> tuple[str, ...]:
        """The effect-size parameters without a source."""
        return tuple(s.parameter for s in self.sizes if not s.sourced)


def package_evidence(changes: Mapping[str, Any] | Params, reference: Params | None = None) -> PackageEvidence:
    """The effect-size parameters a package depends on, and whether they are sourced.

    ``changes`` is a mapping of lever settings, or a :class:`Params` compared with ``reference`` (the
    baseline defaults if None): the levers whose value differs are the package's. Non-lever entries are
    ignored (they change the world, not the package)."""
    if isinstance(changes, Params):
        ref = reference or Params()
        changes = {n: getattr(changes, n) for n in lever_names() if getattr(changes, n) != getattr(ref, n)}
    by_param: dict[str, list[str]] = {}
    for lever in changes:
        for p in LEVER_EFFECTS.get(lever, ()):
            by_param.setdefault(p, []).append(lever)
    sizes = tuple(EffectSize(p, tuple(ls), is_sourced(p), PARAM_INFO[p].metadata["source"])
                  for p, ls in by_param.items())
    return PackageEvidence(sizes)
