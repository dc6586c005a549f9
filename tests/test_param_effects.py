"""No parameter without an effect (issue 8 part 3; ODD §8): changing any parameter, one at a time,
to another plausible value moves some output of a short run, unless it is declared descriptive.

The runs share one seed (common random numbers), so any difference comes from the parameter. The
base world switches every lever on, so that the parameters of those mechanisms act; a parameter
that only acts when another lever is off has its own context below.
"""

from __future__ import annotations

import functools
import math

import numpy as np
import pytest

from consultsim import ConsultationModel
from consultsim.core.params import PARAM_INFO, Params

RICH = dict(n_residents=2000, n_buildings=20, concern_rate=3.0, supervision=0.2, pm_performance_contract=True,
            pm_inclusion=True, incentive_per_meeting=20.0, incentive_budget=2000.0, awareness_campaign=1.0,
            training_sessions_per_quarter=2, committee_facilitation_training=True, social_workers=2,
            online_channel=True, public_subsidy=0.2)
#: parameters that act only in another world: when a lever of the rich world is off, when few attend
#: (quorum), when topics queue for the agenda
FEW_ATTEND = {"b0": -5.0}
QUEUE = {"concern_rate": 8.0, "agenda_capacity": 1}
TOP_DOWN = {"concern_rate": 0.0, "committee_topics_per_year": 30.0}
#: floor area weighs owners' votes, which it decides only at the margin of a threshold (ODD §7.5)
OWNERS_MARGIN = {"concern_rate": 8.0, "owners_supermajority": 0.7}
#: implementation in a world without the levers that saturate effort
IMPL = {"supervision": 0.0, "pm_performance_contract": False, "pm_inclusion": False, "concern_rate": 4.0}
#: paying for retrofits where pledges often fall short: many retrofits, none persuaded at the door (ODD §7.6)
FUND = {**IMPL, "elevator_rate_per_year": 1.0, "collection_persuasion": 0.0}
CONTEXT: dict[str, dict] = {"complaint_saturation": {"complaint_curve": "saturating"},
                            **{n: IMPL for n in ("pm_responsiveness", "pm_cost_aversion", "deadline_factor", "escalation_effect",
                                )},
           # many retrofits, none persuaded at the door: pledges often fall short of the bill
           **dict.fromkeys(("contribution_required", "conditional_cooperator_share", "free_rider_share",
                            "collection_rounds", "coop_threshold_base", "coop_trust_effect", "repropose_rate",
                            "elevator_duration_weeks"), FUND),
           "collection_persuasion": {**IMPL, "elevator_rate_per_year": 1.0},
           "sanction_effect": {**FUND, "supervision": 0.2},
           "supervision_effect": {**IMPL, "supervision": 0.2}, "commitment_effect": {**IMPL, "pm_inclusion": True, "concern_rate": 8.0},
           "contract_effect": {**IMPL, "pm_performance_contract": True},
           # many overdue works: a hard deadline, many topics, no background abandonment
           "abandon_base": FUND,
           # many overdue works: a hard deadline, many topics, no background abandonment
           "abandon_hazard": {**IMPL, "abandon_base": 0.0, "deadline_factor": 1.0, "concern_rate": 8.0}, "residents_effort": FUND,
           "pm_attendance": {"pm_inclusion": False}, "n_property_managers": {"pm_inclusion": False},
           "quorum_min": FEW_ATTEND, "quorum_share": FEW_ATTEND, "max_deferrals": FEW_ATTEND,
           "agenda_capacity": {"concern_rate": 8.0}, "agenda_mandate_weight": QUEUE, "agenda_wait_weight": QUEUE,
           # the topic catalog (ODD §2): urgency orders a queue; the committee's own tasks matter when they
           # are all that arrive; the fund binds when it pays for fewer renovations than are agreed;
           # property-fee changes are implemented only when many are voted on
           **{f"{t}_urgency": QUEUE for t in ("elevator", "parking", "garbage", "property_fee", "pets",
                                                "public_space")},
           **{f"{t}_top_down_weight": TOP_DOWN for t in ("parking", "garbage", "public_space")},
           "pets_urgency": {"concern_rate": 12.0, "agenda_capacity": 1},
           # (with more public-space renovations agreed than the fund pays for: at the default rate seed 3's
           # run agreed too few after social workers' invitations were planned per household)
           "public_space_fund_cost": {"welfare_fund": 180_000.0, "public_space_rate_per_year": 4.0},
           "property_fee_duration_weeks": {**IMPL, "concern_rate": 8.0},
           "property_fee_pm_cost_share": {**IMPL, "concern_rate": 8.0},
           # the floor-area bounds bind only in the tails of the draw: tried where they bind (VALUES)
           # (at the owners' supermajority's margin too: with social workers' invitations planned per household,
           # seed 3's owners' votes at the ordinary rule no longer fell at an area-weighted margin)
           **dict.fromkeys(("area_mean", "area_sd"), {"concern_rate": 8.0, "owners_turnout": 0.6, "vote_return_base": 0.5,
                                                      "owners_supermajority": 0.7}),
           "area_min": {**FUND, "concern_rate": 8.0, "owners_supermajority": 0.7},
           # the consensus threshold binds on contested retrofits: with social workers leading one group each
           # (issue 16), seed 3 with one retrofit a building a year no longer showed 0.7 against 0.8
           "agreement_consensus": {**FUND, "concern_rate": 8.0, "owners_supermajority": 0.7,
                                   "elevator_rate_per_year": 3.0},
           # tried where they bind on seed 3 since social workers' invitations are planned per household: one
           # worker (its one group a meeting binds), more retrofits (pledges fall short of a larger bill)
           "sw_groups_per_worker": {"social_workers": 1},
           "contribution_required": {**FUND, "elevator_rate_per_year": 2.0},
           "owners_supermajority": {"concern_rate": 8.0}, "property_fee_rate_per_year": {**IMPL, "concern_rate": 4.0},
           "area_max": {"concern_rate": 8.0, "area_sd": 30.0},
           # an election within the run (the default falls in week 130)
           "election_turnover": {"committee_term_elapsed": 220},
           "consensus_gate": {"agreement_consensus": 0.95},  # a gate that binds
           # garbage sorting concerns in the rich world's short run arise and are worked on only when many arrive
           **dict.fromkeys(("garbage_complexity", "garbage_duration_weeks", "garbage_merit", "garbage_pm_stance",
                            "garbage_cost", "rule_garbage", "civic_gain_success"), {"concern_rate": 8.0}),
           # the committee's hours bind when administrative tasks leave little (ODD §7.2)
           "followup_hours": {"committee_admin_share": 0.98, "concern_rate": 4.0},
           "oversight_cases": {**IMPL, "supervision": 0.2},
           # owners' ordinary matters decided by written votes: more of them
           "owners_majority": {"concern_rate": 8.0, "rule_parking": "owners_ordinary", "rule_pets": "owners_ordinary",
                               "vote_return_base": 0.9},
           # the district's actors (ODD §7.10): an owners' committee where the community has one, the
           # street office's 接诉即办 pressure where it presses, on the works each acts on
           **dict.fromkeys(("oc_members", "oc_member_hours", "vote_convener"),
                           {"owners_committee": True, "concern_rate": 8.0, "rule_parking": "owners_ordinary",
                            "committee_admin_share": 0.98}),
           "oc_negotiation_effect": {**IMPL, "owners_committee": True},
           "owners_committee": {**IMPL, "concern_rate": 8.0},
           "street_pressure": {"n_property_managers": 0, "concern_rate": 8.0},
           "pressure_responsiveness": {"n_property_managers": 0, "concern_rate": 8.0, "street_pressure": 1.0}}
#: legal rules and structure: they act, but they are not uncertain behaviour
RULES = {"majority", "owners_turnout", "owners_supermajority", "owners_majority", "consensus_gate", "n_property_managers",
         "network_file", "committee_term_weeks",
         *(f"rule_{t}" for t in ("elevator", "parking", "garbage", "property_fee", "pets", "public_space"))}
#: values to try where the plausible range, or the allowed range, gives no useful one
VALUES = {"meeting_kernel": "friedkin_johnsen", "complaint_curve": "saturating", "trust_judges": "outcomes_only",
          "n_residents": 1800, "n_buildings": 18, "floors": 7, "incentive_budget": 4000.0,
          "incentive_per_meeting": 40.0, "supervision": 0.9, "meeting_cadence_weeks": 2, "awareness_campaign": 0.5,
          "feedback_transparency": 0.8, "training_sessions_per_quarter": 4, "training_seats": 40,
          "social_workers": 3, "social_worker_hours": 30.0, "public_subsidy": 0.5, "n_property_managers": 2,
          "committee_topics_per_year": 12.0, "welfare_fund": 50_000.0, "residents_effort": 0.48,
          "agenda_capacity": 1, "sw_cases_per_hour": 1.5, "quorum_share": 0.05, "area_mean": 40.0, "area_min": 60.0, "area_max": 90.0,
          "leader_weight_party": 0.75,
          # the three-year term of the law before its 2018 amendment: an election in week 26
          "committee_term_weeks": 156,
          # a topic type decided by another declared rule (consultsim.core.rules)
          "rule_elevator": "owners_ordinary", "rule_parking": "owners_major", "rule_garbage": "owners_ordinary",
          "rule_property_fee": "majority", "rule_pets": "owners_major", "rule_public_space": "owners_ordinary",
          "owners_majority": 0.7, "vote_rounds": 1, "oversight_cases": 1.0,
          "vote_convener": "residents_committee", "oc_members": 11}
STEPS = 78


def other_value(name: str):
    """A different value of ``name``: the far end of its plausible range, else a flip or a step."""
    f = PARAM_INFO[name]
    default = RICH.get(name, getattr(Params(), name))
    if name in VALUES:
        return VALUES[name]
    if isinstance(default, bool):
        return not default
    lo, hi = f.metadata["plausible"] or (f.metadata["lo"], f.metadata["hi"])
    value = hi if not math.isclose(hi, default) else lo
    return int(round(value)) if isinstance(default, int) else float(value)


@functools.cache
def _base(ctx: tuple) -> np.ndarray:
    return fingerprint(**dict(ctx))


def fingerprint(**kw) -> np.ndarray:
    m = ConsultationModel(rng=3, **{**RICH, **kw})
    for _ in range(STEPS):
        m.step()
    ts = m.timeseries().to_numpy(dtype=float)
    tr = m.topic_records()[["step_ended", "meetings", "attendees", "support", "consensus", "collected", "deadline",
                            "progress"]]
    return np.concatenate([np.nan_to_num(ts.ravel()), np.nan_to_num(tr.to_numpy(dtype=float).ravel()),
                           m.res.trust_committee, m.res.capacity, m.res.civic])


ACTIVE = [n for n, f in PARAM_INFO.items() if not f.metadata["descriptive"] and n != "network_file"]


def test_every_parameter_is_sourced_and_behavioural_ones_have_a_plausible_range():
    for name, f in PARAM_INFO.items():
        assert f.metadata["source"], f"{name} has no source (a citation or 'assumption')"
        if f.metadata["section"] not in ("policy", "idea", "practice", "community") and name not in RULES \
                and not f.metadata["descriptive"] and not f.metadata["choices"]:  # structures: no range
            lo, hi = f.metadata["plausible"]
            assert lo < hi and f.metadata["lo"] <= lo and hi <= f.metadata["hi"], name
            assert lo <= getattr(Params(), name) <= hi, f"{name}: default outside its plausible range"


@pytest.mark.parametrize("name", ACTIVE)
def test_changing_a_parameter_moves_some_output(name):
    ctx = CONTEXT.get(name, {})
    base = _base(tuple(sorted(ctx.items())))
    changed = fingerprint(**ctx, **{name: other_value(name)})
    assert len(base) != len(changed) or not np.array_equal(base, changed), f"{name} has no effect"
