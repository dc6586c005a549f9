"""Model parameters: one typed, frozen dataclass with defaults.

Every parameter is documented once, in the ``doc`` of its field below (the
field metadata also holds its scenario-file section and its allowed range, so
that scenario files, ``--set`` overrides, the app's sliders and the docs all
read the same source). Defaults describe "Beijing X area today" as in
``scenarios/baseline.toml``; that file gives each value's source.

Levers (ODD §8) are ordinary parameters in the sections
``policy``, ``idea`` and ``practice``.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

__all__ = ["Params", "ParamError", "LEVER_SECTIONS", "param_info", "PARAM_INFO", "allowed", "coerce", "check_sums", "suggest",
           "levers", "uncertainties", "is_sourced"]

LEVER_SECTIONS = ("policy", "idea", "practice")
#: decision rules a topic type can be decided by (consultsim.core.rules declares each)
DECISION_RULES = ("majority", "owners_ordinary", "owners_major")
#: who convenes owners' votes where an owners' committee exists (rule vote_convener)
VOTE_CONVENERS = ("owners_committee", "residents_committee")


class ParamError(ValueError):
    """A parameter name, type or value is not allowed."""


def _p(default: Any, section: str, lo: float | None = None, hi: float | None = None,
       doc: str = "", choices: tuple | None = None, *, plausible: tuple[float, float] | None = None,
       source: str = "", descriptive: bool = False, sourced: bool | None = None):
    """A parameter field. ``lo``/``hi`` bound what is allowed; ``plausible`` is the range the
    evidence supports (what robustness and sensitivity analyses vary); ``source`` cites it or
    says "assumption"; ``descriptive`` marks a parameter that labels a run without acting in it;
    ``sourced`` says whether a source gives its value (by default: a source that nowhere says
    "assumption"; see :func:`is_sourced`)."""
    if sourced is None:
        sourced = bool(source) and "assumption" not in source.lower()
    return field(default=default, metadata={
        "section": section, "lo": lo, "hi": hi, "doc": doc, "choices": choices, "plausible": plausible,
        "source": source, "descriptive": descriptive, "sourced": sourced})


@dataclass(frozen=True)
class Params:
    """All parameters of a ConsultSim run (see each field's ``doc``).

    Build one with ``Params(**values)`` or ``Params().replace(**values)``;
    both validate names, types and ranges and raise :class:`ParamError`
    naming the offending parameter.
    """

    # --- community (ODD §2) ---
    n_residents: int = _p(2000, "community", 10, 1_000_000,
                          "households; one resident agent per household",
                          source="Beijing standard community: ~2,000 households (ODD §2)")
    n_buildings: int = _p(20, "community", 1, 100_000, "residential buildings", source="assumption (ODD §2)")
    floors: int = _p(6, "community", 1, 40, "floors per building",
                     source="assumption: 6-floor walk-ups of older Beijing estates")
    # --- population ---
    elderly_share: float = _p(0.30, "population", 0, 1, "share of household heads aged 60+",
                              plausible=(0.23, 0.40),
                              source="Beijing 2023: 22.6% of residents 60+, more among household heads")
    young_share: float = _p(0.30, "population", 0, 1, "share of household heads aged 18-39",
                            plausible=(0.2, 0.4), source="assumption")
    owner_share: float = _p(0.80, "population", 0, 1, "share of owner-occupier households",
                            plausible=(0.65, 0.9), source="assumption: reformed work-unit housing")
    car_share: float = _p(0.35, "population", 0, 1, "share of households owning a car",
                          plausible=(0.25, 0.45), source="assumption")
    pet_share: float = _p(0.20, "population", 0, 1, "share of households keeping a pet",
                          plausible=(0.1, 0.3), source="assumption")
    online_young: float = _p(0.90, "population", 0, 1, "share of young households in the WeChat groups",
                             plausible=(0.8, 1.0), source="assumption")
    online_middle: float = _p(0.80, "population", 0, 1, "share of middle-aged households in the WeChat groups",
                              plausible=(0.65, 0.95), source="assumption")
    online_elderly: float = _p(0.45, "population", 0, 1, "share of elderly households in the WeChat groups",
                               plausible=(0.3, 0.6), source="assumption")
    party_share: float = _p(0.12, "population", 0, 1, "share of households headed by a party member",
                            plausible=(0.08, 0.16), source="assumption")
    leaders_per_building: int = _p(2, "population", 0, 10, "building leaders (楼门长) per building",
                                   plausible=(1, 2), source="ODD §2: one or two per building")
    time_young: float = _p(0.20, "population", 0, 1, "mean spare time of young households",
                           plausible=(0.1, 0.3), source="assumption (Brady, Verba & Schlozman 1995)")
    time_middle: float = _p(0.30, "population", 0, 1, "mean spare time of middle-aged households",
                            plausible=(0.2, 0.4), source="assumption")
    time_elderly: float = _p(0.75, "population", 0, 1, "mean spare time of elderly households",
                             plausible=(0.6, 0.85), source="assumption (Brady et al. 1995)")
    civic_mean: float = _p(0.30, "population", 0, 1, "mean intrinsic civic motivation",
                           plausible=(0.2, 0.4), source="field study: weak internal drive; calibrated")
    capacity_mean: float = _p(0.35, "population", 0, 1, "mean deliberative capacity",
                              plausible=(0.25, 0.45), source="field study: limited capacity; calibrated")
    trust_committee_mean: float = _p(0.50, "population", 0, 1, "initial mean trust in the committee",
                                     plausible=(0.4, 0.6), source="assumption")
    trust_property_mean: float = _p(0.40, "population", 0, 1, "initial mean trust in the property manager",
                                    plausible=(0.3, 1.0), source="assumption")
    efficacy_mean: float = _p(0.35, "population", 0, 1, "initial mean political efficacy",
                              plausible=(0.25, 0.45), source="assumption; field study (weak drive)")
    conditional_cooperator_share: float = _p(0.50, "population", 0, 1,
                                             "share of conditional cooperators (Fischbacher et al. 2001)",
                                             plausible=(0.4, 0.6), source="Fischbacher, Gächter & Fehr 2001")
    free_rider_share: float = _p(0.33, "population", 0, 1, "share of free riders (Fischbacher et al. 2001)",
                                 plausible=(0.25, 0.4), source="Fischbacher, Gächter & Fehr 2001")
    # generation tilts by age, party and leadership (community.generate_residents, ODD §5)
    owner_elderly_tilt: float = _p(
        0.1, "population", 0, 1, "added chance that an elderly household owns its home",
        plausible=(0.07, 0.13), source="assumption: work-unit housing was sold to its (now older) tenants")
    owner_young_tilt: float = _p(
        0.15, "population", 0, 1, "lower chance that a young household owns its home",
        plausible=(0.11, 0.19), source="assumption: the young rent more")
    party_young_factor: float = _p(
        0.7, "population", 0, 10, "party membership of young households relative to party_share",
        plausible=(0.55, 0.85),
        source="Shanghai survey (ODD §1, P3): higher among the elderly; size an assumption")
    party_middle_factor: float = _p(
        0.9, "population", 0, 10, "party membership of middle-aged households relative to party_share",
        plausible=(0.7, 1.1),
        source="Shanghai survey (ODD §1, P3): higher among the elderly; size an assumption")
    party_elderly_factor: float = _p(
        1.5, "population", 0, 10, "party membership of elderly households relative to party_share",
        plausible=(1.2, 1.8),
        source="Shanghai survey (ODD §1, P3): higher among the elderly; size an assumption")
    civic_party_gain: float = _p(
        0.15, "population", 0, 1, "civic motivation added for party members",
        plausible=(0.11, 0.19), source="assumption")
    capacity_young_tilt: float = _p(
        0.05, "population", -0.5, 0.5, "deliberative capacity of young households relative to capacity_mean",
        plausible=(0.03, 0.07), source="assumption: more schooling")
    capacity_middle_tilt: float = _p(
        0.02, "population", -0.5, 0.5,
        "deliberative capacity of middle-aged households relative to capacity_mean",
        plausible=(0.01, 0.03), source="assumption")
    capacity_elderly_tilt: float = _p(
        -0.07, "population", -0.5, 0.5,
        "deliberative capacity of elderly households relative to capacity_mean",
        plausible=(-0.09, -0.05), source="assumption: less schooling")
    trust_committee_young_tilt: float = _p(
        -0.08, "population", -0.5, 0.5,
        "initial trust in the committee of young households relative to trust_committee_mean",
        plausible=(-0.1, -0.06),
        source="Shanghai survey (ODD §1, P3): higher among the elderly; size an assumption")
    trust_committee_middle_tilt: float = _p(
        0.0, "population", -0.5, 0.5,
        "initial trust in the committee of middle-aged households relative to trust_committee_mean",
        plausible=(-0.02, 0.02), source="assumption")
    trust_committee_elderly_tilt: float = _p(
        0.1, "population", -0.5, 0.5,
        "initial trust in the committee of elderly households relative to trust_committee_mean",
        plausible=(0.07, 0.13),
        source="Shanghai survey (ODD §1, P3): higher among the elderly; size an assumption")
    leader_weight_base: float = _p(
        0.2, "population", 0.001, 100,
        "weight of any resident in the choice of building leaders (being elderly adds 1)",
        plausible=(0.1, 0.3), source="assumption (ODD §2: older, party-member, civic-minded residents)")
    leader_weight_party: float = _p(
        1.0, "population", 0, 100, "weight added by party membership in the choice of building leaders",
        plausible=(0.75, 1.25), source="assumption (ODD §2)")
    leader_weight_civic: float = _p(
        1.0, "population", 0, 100,
        "weight added per unit of civic motivation in the choice of building leaders",
        plausible=(0.75, 1.25), source="assumption (ODD §2)")
    leader_civic_floor: float = _p(
        0.6, "population", 0, 1, "building leaders' civic motivation is at least this",
        plausible=(0.5, 0.7), source="assumption")
    leader_efficacy_gain: float = _p(
        0.1, "population", 0, 1, "initial efficacy added for building leaders",
        plausible=(0.07, 0.13), source="assumption")
    area_mean: float = _p(
        75.0, "population", 10, 500, "mean floor area of a home, m² (owners' votes count area)",
        plausible=(60.0, 90.0), source="assumption: older Beijing flats of about 50-100 m²")
    area_sd: float = _p(
        15.0, "population", 0, 200, "standard deviation of floor area, m²",
        plausible=(10.0, 20.0), source="assumption")
    area_min: float = _p(
        35.0, "population", 1, 60, "smallest floor area, m²",
        plausible=(30.0, 40.0), source="assumption")
    area_max: float = _p(
        150.0, "population", 60, 2000, "largest floor area, m²",
        plausible=(120.0, 180.0), source="assumption")
    beta_concentration: float = _p(
        6.0, "population", 0.1, 1000,
        "concentration of the Beta draws of spare time, civic motivation, capacity, trust and efficacy "
        "(higher: less spread)",
        plausible=(4.5, 7.5), source="assumption")

    # --- network ---
    building_degree: float = _p(6.0, "network", 0, 100, "mean number of ties inside one's building",
                                plausible=(4.0, 8.0), source="assumption")
    long_range_degree: float = _p(1.0, "network", 0, 100, "mean number of ties to other buildings",
                                  plausible=(0.5, 2.0), source="assumption")
    age_homophily: float = _p(0.6, "network", 0, 1, "probability a tie is drawn within one's age group",
                              plausible=(0.45, 0.75), source="assumption (McPherson et al. 2001)")
    network_file: str = _p("", "network", doc="edge-list or GraphML file replacing the generated network",
                           source="input file")
    # --- topics ---
    concern_rate: float = _p(1.0, "topics", 0, 100,
                             "multiplier on every topic type's yearly rate of new concerns",
                             plausible=(0.8, 1.25), source="assumption")
    concern_noticers: float = _p(5.0, "topics", 0, 1000,
                                 "mean number of affected households who feel a concern acutely enough "
                                 "to consider raising it", plausible=(4.0, 6.0),
                                 source="assumption (Oliver, Marwell & Teixeira 1985); calibrated to P2")
    concern_stake: float = _p(0.4, "topics", 0, 1, "|stake| from which a household feels a concern acutely",
                              plausible=(0.32, 0.48), source="assumption")
    propose_beta: float = _p(6.0, "topics", 0, 100, "slope of the proposal logistic",
                             plausible=(4.8, 7.2), source="assumption")
    propose_cost: float = _p(1.15, "topics", 0, 10, "perceived cost of proposing a topic",
                             plausible=(1.0, 1.3), source="assumption; calibrated to P2")
    topic_variation: float = _p(0.15, "topics", 0, 1,
                                "spread of a proposal's design: shifts everyone's stake and its merit",
                                plausible=(0.1, 0.2), source="assumption")
    committee_pickup: float = _p(0.35, "topics", 0, 1,
                                 "chance the committee takes up a concern nobody proposed",
                                 plausible=(0.25, 0.45), source="assumption; calibrated to P2")
    committee_topics_per_year: float = _p(4.0, "topics", 0, 100, "top-down policy tasks per year",
                                          plausible=(3.0, 5.0), source="assumption")
    repropose_rate: float = _p(0.02, "topics", 0, 1,
                               "weekly chance an unfunded proposal's supporters raise it again",
                               plausible=(0.01, 0.04),
                               source="assumption: unfunded retrofits are re-tried after a year or two")
    # the topic catalog (topics.catalog, ODD §2 topic table), one set per topic type; the columns left
    # at zero in topics.catalog (who bears no cost, which types are never top-down tasks) are structure
    elevator_complexity: float = _p(
        0.8, "topics", 0, 1,
        "complexity of an elevator retrofit (0 simple .. 1 complex; lowers effective capacity)",
        plausible=(0.6, 1.0), source="assumption (ODD §2 topic table)")
    elevator_duration_weeks: int = _p(
        20, "topics", 1, 520, "weeks of work an elevator retrofit takes once implementation runs",
        plausible=(15, 25),
        source="assumption (ODD §2 topic table; Beijing retrofit programme: months of works)")
    elevator_urgency: float = _p(
        0.6, "topics", 0, 10, "agenda priority of an elevator retrofit",
        plausible=(0.45, 0.75), source="assumption (ODD §2 topic table)")
    elevator_rate_per_year: float = _p(
        0.15, "topics", 0, 100, "new concerns a year about an elevator retrofit",
        plausible=(0.11, 0.19), source="assumption: per building a year (ODD §2 topic table)")
    elevator_merit: float = _p(
        0.7, "topics", 0, 1,
        "the well-informed position on an elevator retrofit in [0, 1], which deliberation pulls toward",
        plausible=(0.55, 0.85), source="assumption (ODD §2 topic table)")
    elevator_pm_stance: float = _p(
        0.5, "topics", 0, 1,
        "the property manager's own opinion on an elevator retrofit (0 oppose .. 1 support)",
        plausible=(0.38, 0.62), source="assumption (ODD §2 topic table)")
    parking_complexity: float = _p(
        0.5, "topics", 0, 1,
        "complexity of a parking-space proposal (0 simple .. 1 complex; lowers effective capacity)",
        plausible=(0.38, 0.62), source="assumption (ODD §2 topic table)")
    parking_duration_weeks: int = _p(
        8, "topics", 1, 520, "weeks of work a parking-space proposal takes once implementation runs",
        plausible=(6, 10), source="assumption (ODD §2 topic table)")
    parking_urgency: float = _p(
        0.5, "topics", 0, 10, "agenda priority of a parking-space proposal",
        plausible=(0.38, 0.62), source="assumption (ODD §2 topic table)")
    parking_rate_per_year: float = _p(
        1.5, "topics", 0, 100, "new concerns a year about a parking-space proposal",
        plausible=(1.1, 1.9), source="assumption (ODD §2 topic table)")
    parking_merit: float = _p(
        0.6, "topics", 0, 1,
        "the well-informed position on a parking-space proposal in [0, 1], which deliberation pulls toward",
        plausible=(0.45, 0.75), source="assumption (ODD §2 topic table)")
    parking_pm_stance: float = _p(
        0.3, "topics", 0, 1,
        "the property manager's own opinion on a parking-space proposal (0 oppose .. 1 support)",
        plausible=(0.22, 0.38), source="assumption (ODD §2: the property manager resists unpaid work)")
    parking_pm_cost_share: float = _p(
        0.6, "topics", 0, 1,
        "share of the cost of a parking-space proposal the property manager bears itself",
        plausible=(0.45, 0.75), source="assumption (ODD §2 topic table: the property manager bears 60%)")
    parking_top_down_weight: float = _p(
        0.2, "topics", 0, 100, "weight of a parking-space proposal among the committee's own policy tasks",
        plausible=(0.15, 0.25), source="assumption (ODD §2 topic table)")
    garbage_complexity: float = _p(
        0.4, "topics", 0, 1,
        "complexity of garbage sorting (0 simple .. 1 complex; lowers effective capacity)",
        plausible=(0.3, 0.5), source="assumption (ODD §2 topic table)")
    garbage_duration_weeks: int = _p(
        6, "topics", 1, 520, "weeks of work garbage sorting takes once implementation runs",
        plausible=(5, 8), source="assumption (ODD §2 topic table)")
    garbage_urgency: float = _p(
        0.7, "topics", 0, 10, "agenda priority of garbage sorting",
        plausible=(0.52, 0.88), source="assumption (ODD §2 topic table)")
    garbage_rate_per_year: float = _p(
        0.8, "topics", 0, 100, "new concerns a year about garbage sorting",
        plausible=(0.6, 1.0), source="assumption (ODD §2 topic table)")
    garbage_merit: float = _p(
        0.75, "topics", 0, 1,
        "the well-informed position on garbage sorting in [0, 1], which deliberation pulls toward",
        plausible=(0.6, 0.9), source="assumption (ODD §2 topic table)")
    garbage_pm_stance: float = _p(
        0.3, "topics", 0, 1, "the property manager's own opinion on garbage sorting (0 oppose .. 1 support)",
        plausible=(0.22, 0.38), source="assumption (ODD §2: the property manager resists unpaid work)")
    garbage_top_down_weight: float = _p(
        0.5, "topics", 0, 100, "weight of garbage sorting among the committee's own policy tasks",
        plausible=(0.38, 0.62), source="assumption (ODD §2 topic table)")
    property_fee_complexity: float = _p(
        0.6, "topics", 0, 1,
        "complexity of a property-fee change (0 simple .. 1 complex; lowers effective capacity)",
        plausible=(0.45, 0.75), source="assumption (ODD §2 topic table)")
    property_fee_duration_weeks: int = _p(
        4, "topics", 1, 520, "weeks of work a property-fee change takes once implementation runs",
        plausible=(3, 5), source="assumption (ODD §2 topic table)")
    property_fee_urgency: float = _p(
        0.4, "topics", 0, 10, "agenda priority of a property-fee change",
        plausible=(0.3, 0.5), source="assumption (ODD §2 topic table)")
    property_fee_rate_per_year: float = _p(
        0.5, "topics", 0, 100, "new concerns a year about a property-fee change",
        plausible=(0.38, 0.62), source="assumption (ODD §2 topic table)")
    property_fee_merit: float = _p(
        0.55, "topics", 0, 1,
        "the well-informed position on a property-fee change in [0, 1], which deliberation pulls toward",
        plausible=(0.4, 0.7), source="assumption (ODD §2 topic table)")
    property_fee_pm_stance: float = _p(
        1.0, "topics", 0, 1,
        "the property manager's own opinion on a property-fee change (0 oppose .. 1 support)",
        plausible=(0.75, 1.0), source="assumption (ODD §2: the property manager favours fee rises)")
    property_fee_pm_cost_share: float = _p(
        0.0, "topics", 0, 1, "share of the cost of a property-fee change the property manager bears itself",
        plausible=(0.0, 0.2), source="assumption: owners' fees pay it; at most some goodwill service")
    pets_complexity: float = _p(
        0.3, "topics", 0, 1, "complexity of pet rules (0 simple .. 1 complex; lowers effective capacity)",
        plausible=(0.22, 0.38), source="assumption (ODD §2 topic table)")
    pets_duration_weeks: int = _p(
        4, "topics", 1, 520, "weeks of work pet rules takes once implementation runs",
        plausible=(3, 5), source="assumption (ODD §2 topic table)")
    pets_urgency: float = _p(
        0.3, "topics", 0, 10, "agenda priority of pet rules",
        plausible=(0.22, 0.38), source="assumption (ODD §2 topic table)")
    pets_rate_per_year: float = _p(
        1.0, "topics", 0, 100, "new concerns a year about pet rules",
        plausible=(0.75, 1.25), source="assumption (ODD §2 topic table)")
    pets_merit: float = _p(
        0.5, "topics", 0, 1,
        "the well-informed position on pet rules in [0, 1], which deliberation pulls toward",
        plausible=(0.38, 0.62), source="assumption (ODD §2 topic table)")
    pets_pm_stance: float = _p(
        0.5, "topics", 0, 1, "the property manager's own opinion on pet rules (0 oppose .. 1 support)",
        plausible=(0.38, 0.62), source="assumption (ODD §2 topic table)")
    public_space_complexity: float = _p(
        0.5, "topics", 0, 1,
        "complexity of a public-space renovation (0 simple .. 1 complex; lowers effective capacity)",
        plausible=(0.38, 0.62), source="assumption (ODD §2 topic table)")
    public_space_duration_weeks: int = _p(
        12, "topics", 1, 520, "weeks of work a public-space renovation takes once implementation runs",
        plausible=(9, 15), source="assumption (ODD §2 topic table)")
    public_space_urgency: float = _p(
        0.5, "topics", 0, 10, "agenda priority of a public-space renovation",
        plausible=(0.38, 0.62), source="assumption (ODD §2 topic table)")
    public_space_rate_per_year: float = _p(
        1.2, "topics", 0, 100, "new concerns a year about a public-space renovation",
        plausible=(0.9, 1.5), source="assumption (ODD §2 topic table)")
    public_space_merit: float = _p(
        0.75, "topics", 0, 1,
        "the well-informed position on a public-space renovation in [0, 1], which deliberation pulls "
        "toward",
        plausible=(0.6, 0.9), source="assumption (ODD §2 topic table)")
    public_space_pm_stance: float = _p(
        0.4, "topics", 0, 1,
        "the property manager's own opinion on a public-space renovation (0 oppose .. 1 support)",
        plausible=(0.3, 0.5), source="assumption (ODD §2 topic table)")
    public_space_fund_cost: float = _p(
        80_000.0, "topics", 0, 1e9, "yuan a public-space renovation draws from the public welfare fund",
        plausible=(60_000.0, 100_000.0),
        source="assumption (ODD §2 topic table: 80,000 yuan from the welfare fund)")
    public_space_top_down_weight: float = _p(
        0.3, "topics", 0, 100, "weight of a public-space renovation among the committee's own policy tasks",
        plausible=(0.22, 0.38), source="assumption (ODD §2 topic table)")

    # --- stakes (topics.*_stake, ODD §2 topic table: who gains and who loses; magnitudes in [-1, 1]) ---
    stake_noise: float = _p(
        0.15, "stakes", 0, 1, "sd of each household's own circumstances added to every stake",
        plausible=(0.11, 0.19), source="assumption")
    elevator_upper_base: float = _p(
        0.15, "stakes", 0, 1, "elevator retrofit: stake of a floor-3 household (the lowest floor that gains)",
        plausible=(0.11, 0.19),
        source="Beijing retrofit programme: floors 1-2 object, upper floors and the elderly drive; size an "
               "assumption")
    elevator_upper_gain: float = _p(
        0.6, "stakes", 0, 1, "elevator retrofit: stake added from floor 3 up to the top floor (stairs saved)",
        plausible=(0.45, 0.75),
        source="Beijing retrofit programme: floors 1-2 object, upper floors and the elderly drive; size an "
               "assumption")
    elevator_lower_loss: float = _p(
        0.2, "stakes", 0, 1,
        "elevator retrofit: stake lost on floors 1-2 (light, quiet, maybe a share of the cost)",
        plausible=(0.15, 0.25),
        source="Beijing retrofit programme: floors 1-2 object, upper floors and the elderly drive; size an "
               "assumption")
    elevator_ground_loss: float = _p(
        0.3, "stakes", 0, 1,
        "elevator retrofit: further stake lost on the ground floor (the shaft at its windows)",
        plausible=(0.22, 0.38),
        source="Beijing retrofit programme: floors 1-2 object, upper floors and the elderly drive; size an "
               "assumption")
    elevator_elderly_gain: float = _p(
        0.25, "stakes", 0, 1, "elevator retrofit: stake added for an elderly household above floor 2",
        plausible=(0.19, 0.31),
        source="Beijing retrofit programme: floors 1-2 object, upper floors and the elderly drive; size an "
               "assumption")
    elevator_cost_stake: float = _p(
        0.3, "stakes", 0, 2,
        "elevator retrofit: the average paying owner's share of the full cost, in stake units (reduced by "
        "public_subsidy)", plausible=(0.15, 0.45),
        source="assumption: ~600,000-800,000 yuan per elevator shared by the owners of floors 3 and up, "
               "tens of thousands of yuan each, weighed against the value of the upper-floor stakes")
    elevator_share_step: float = _p(
        0.2, "stakes", 0, 2, "elevator retrofit: added cost weight per floor above the third (floor 3 has weight 1)",
        plausible=(0.0, 0.4),
        source="Beijing Municipal Commission of Housing and Urban-Rural Development 2022, guiding standard for "
               "owners' contribution shares by floor: higher floors pay more; the step an assumption")
    elevator_compensation: float = _p(
        0.3, "stakes", 0, 1,
        "elevator retrofit: share of the paying owners' net gain they offer floors 1-2 as compensation "
        "(at most their loss)", plausible=(0.0, 0.6),
        source="negotiated compensation of floors 1-2 (e.g. Wuxi's 2020 measures; Beijing practice); size an "
               "assumption, the prior includes none")
    elevator_renter_factor: float = _p(
        0.5, "stakes", 0, 1,
        "elevator retrofit: share of an owner's stake a renter feels (renters do not pay)",
        plausible=(0.38, 0.62), source="assumption")
    parking_car_gain: float = _p(
        0.6, "stakes", 0, 1, "parking: stake of a car-owning household (a space)",
        plausible=(0.45, 0.75), source="assumption (ODD §2 topic table: who gains and who loses)")
    parking_other_loss: float = _p(
        0.1, "stakes", 0, 1, "parking: stake lost by a household without a car (green space)",
        plausible=(0.07, 0.13), source="assumption (ODD §2 topic table: who gains and who loses)")
    parking_elderly_loss: float = _p(
        0.1, "stakes", 0, 1, "parking: further stake lost by an elderly household (open space, safety)",
        plausible=(0.07, 0.13), source="assumption (ODD §2 topic table: who gains and who loses)")
    garbage_civic_gain: float = _p(
        0.8, "stakes", 0, 1,
        "garbage sorting: stake per unit of civic motivation (a diffuse gain the civic-minded value)",
        plausible=(0.6, 1.0), source="assumption (ODD §2 topic table: who gains and who loses)")
    garbage_cost: float = _p(
        0.2, "stakes", 0, 1, "garbage sorting: stake everyone loses to the chore",
        plausible=(0.15, 0.25), source="assumption (ODD §2 topic table: who gains and who loses)")
    garbage_time_cost: float = _p(
        0.25, "stakes", 0, 1, "garbage sorting: further stake lost per unit of spare time lacking",
        plausible=(0.19, 0.31), source="assumption (ODD §2 topic table: who gains and who loses)")
    property_fee_service_gain: float = _p(
        0.25, "stakes", 0, 1, "property fee: an owner's stake in the better service a rise buys",
        plausible=(0.19, 0.31), source="assumption (ODD §2 topic table: who gains and who loses)")
    property_fee_pensioner_loss: float = _p(
        0.3, "stakes", 0, 1, "property fee: stake lost by an elderly owner (a pension pays the fee)",
        plausible=(0.22, 0.38), source="assumption (ODD §2 topic table: who gains and who loses)")
    property_fee_distrust_loss: float = _p(
        0.3, "stakes", 0, 1,
        "property fee: stake lost per unit of distrust in the property manager (the service may not come)",
        plausible=(0.22, 0.38), source="assumption (ODD §2 topic table: who gains and who loses)")
    property_fee_renter_stake: float = _p(
        0.05, "stakes", 0, 1, "property fee: a renter's stake (the landlord pays; the service may improve)",
        plausible=(0.0, 0.1), source="assumption")
    pets_owner_gain: float = _p(
        0.6, "stakes", 0, 1, "pet rules: stake of a pet-keeping household",
        plausible=(0.45, 0.75), source="assumption (ODD §2 topic table: who gains and who loses)")
    pets_other_loss: float = _p(
        0.1, "stakes", 0, 1, "pet rules: stake lost by a household without a pet (quiet, cleanliness)",
        plausible=(0.07, 0.13), source="assumption (ODD §2 topic table: who gains and who loses)")
    pets_elderly_loss: float = _p(
        0.1, "stakes", 0, 1, "pet rules: further stake lost by an elderly household",
        plausible=(0.07, 0.13), source="assumption (ODD §2 topic table: who gains and who loses)")
    public_space_elderly_gain: float = _p(
        0.5, "stakes", 0, 1, "public space: stake of an elderly household",
        plausible=(0.38, 0.62), source="assumption (ODD §2 topic table: who gains and who loses)")
    public_space_young_gain: float = _p(
        0.3, "stakes", 0, 1, "public space: stake of a young household (families with children)",
        plausible=(0.22, 0.38), source="assumption (ODD §2 topic table: who gains and who loses)")
    public_space_middle_gain: float = _p(
        0.15, "stakes", 0, 1, "public space: stake of a middle-aged household",
        plausible=(0.11, 0.19), source="assumption (ODD §2 topic table: who gains and who loses)")

    # --- participation (calculus of participation, ODD §7.3) ---
    b0: float = _p(-2.55, "participation", -20, 20, "intercept of the attendance logistic",
                   plausible=(-2.85, -2.25), source="calibrated to P2/P3")
    b_stake: float = _p(2.0, "participation", 0, 20, "weight of |stake| x efficacy",
                        plausible=(1.6, 2.4), source="Riker & Ordeshook 1968; assumption")
    b_civic: float = _p(2.0, "participation", 0, 20, "weight of civic motivation",
                        plausible=(1.6, 2.4), source="Riker & Ordeshook 1968 (civic duty); assumption")
    b_capacity: float = _p(1.0, "participation", 0, 20, "weight of deliberative capacity - 1/2 (civic skills)",
                           plausible=(0.5, 1.5), source="Brady, Verba & Schlozman 1995 (civic skills); assumption")
    b_incentive: float = _p(0.8, "participation", 0, 20, "weight of the incentive (per 10 points)",
                            plausible=(0.0, 1.0), source="assumption")
    b_invited: float = _p(1.2, "participation", 0, 20, "weight of a personal invitation",
                          plausible=(0.9, 1.5), source="Brady, Verba & Schlozman 1995; assumption")
    b_network: float = _p(1.5, "participation", 0, 20, "weight of the share of neighbours attending",
                          plausible=(1.2, 1.8), source="Granovetter 1978; assumption")
    b_time: float = _p(3.0, "participation", 0, 20, "weight of the time cost x (1 - spare time)",
                       plausible=(2.5, 3.5), source="Brady et al. 1995; calibrated to P3")
    b_trust: float = _p(1.0, "participation", 0, 20, "weight of trust in the committee - 1/2",
                        plausible=(0.8, 1.2), source="assumption")
    b_habit: float = _p(
        1.0, "participation", 0, 20, "weight of attendance habit (0 none .. 1 a firm habit) in the attendance logistic",
        plausible=(0.0, 2.0),
        source="Gerber, Green & Shachar 2003 (voting in one election raised turnout in the next by ~47 points); "
               "Fowler 2006; size for meetings an assumption, the prior includes none")
    habit_gain: float = _p(
        0.3, "participation", 0, 1, "step of habit toward 1 per meeting attended (and toward 0 per disappointment)",
        plausible=(0.1, 0.5), source="Bendor, Diermeier & Ting 2003 (aspiration-based adaptation); assumption")
    habit_decay: float = _p(
        0.01, "participation", 0, 1, "weekly fading of habit without attendance",
        plausible=(0.005, 0.02), source="assumption: a habit unused for about 70 weeks halves")
    habit_aspiration: float = _p(
        0.4, "participation", 0, 1,
        "an attendee whose outcome (won, heard, followed; as for efficacy) falls below this is disappointed "
        "and its habit weakens", plausible=(0.0, 0.6),
        source="Bendor, Diermeier & Ting 2003 (aspiration level); assumption, 0 = never disappointed")
    interest_decay: float = _p(0.03, "participation", 0, 1,
                               "weekly loss of a topic's salience while it waits (stake x exp(-decay x weeks))",
                               plausible=(0.0, 0.05), source="assumption: interest erodes while a matter waits")
    notice_reach: float = _p(0.30, "participation", 0, 1,
                             "chance a resident in scope sees the paper notice (scaled up by spare time)",
                             plausible=(0.24, 0.36), source="assumption")
    notice_time_base: float = _p(0.5, "participation", 0, 2,
                                 "notice reach factor is notice_time_base + spare time",
                                 plausible=(0.4, 0.6), source="assumption: those around the compound see it")
    notice_weeks: int = _p(1, "participation", 1, 8, "weeks between the notice and the meeting",
                           plausible=(1, 2), source="2015 opinion: notice 'in advance'; assumption")
    leader_reach: float = _p(0.5, "participation", 0, 1,
                             "chance a building leader personally invites each of their neighbours",
                             plausible=(0.4, 0.6), source="assumption")
    online_reach: float = _p(0.8, "participation", 0, 1,
                             "chance an online resident sees a notice posted on the online channel",
                             plausible=(0.0, 0.95), source="assumption")
    online_time_cost: float = _p(0.4, "participation", 0, 1,
                                 "time cost of attending online relative to in person",
                                 plausible=(0.3, 1.0), source="assumption")
    online_selectivity: float = _p(
        0.7, "participation", 0, 1,
        "share of the online time saving that reaches a household only as far as its engagement "
        "(max of civic motivation and habit)", plausible=(0.0, 1.0),
        source="Schlozman, Verba & Brady 2010 (online participation mostly adds the already engaged); "
               "size an assumption, 0 = every member gains the same")
    online_presence: float = _p(
        0.6, "participation", 0, 1,
        "effective capacity of an attendee who joins online relative to in the room (voice and the pull "
        "toward the well-informed position)", plausible=(0.4, 1.0),
        source="assumption: heard less and following less on a phone; 1 = as in the room")
    outreach_recent_weeks: int = _p(12, "participation", 1, 104,
                                    "social workers count a household as recently active this many weeks",
                                    plausible=(8, 16), source="assumption (a quarter)")
    outreach_recent_weight: float = _p(0.1, "participation", 0, 1,
                                       "outreach weight of recently active households (others 1)",
                                       plausible=(0.05, 0.2), source="assumption")
    outreach_young_weight: float = _p(2.0, "participation", 1, 10,
                                      "outreach weight of young households (others 1)",
                                      plausible=(1.5, 2.5), source="assumption: social workers target the young")
    # --- deliberation (ODD §7.4) ---
    meeting_kernel: str = _p("bounded_confidence", "deliberation",
                             doc="the meeting's opinion dynamics (a structural alternative, issue 17): "
                                 "bounded_confidence (each attendee averages the views within its confidence "
                                 "bound, weighted by voice), friedkin_johnsen (everyone averages every view, "
                                 "weighted by voice: no bound) or deffuant (random pairs within the bound meet "
                                 "halfway, voice plays no part)",
                             choices=("bounded_confidence", "friedkin_johnsen", "deffuant"),
                             source="Hegselmann & Krause 2002 (bounded confidence); DeGroot 1974 and Friedkin & "
                                    "Johnsen 1990, 1999 (averaging with anchoring); Deffuant, Neau, Amblard & "
                                    "Weisbuch 2000 (pairwise)")
    rounds: int = _p(4, "deliberation", 1, 50, "rounds of exchange in one meeting",
                     plausible=(3, 5), source="ODD §7.4: three to five rounds typical")
    epsilon: float = _p(0.20, "deliberation", 0, 1, "confidence bound without facilitation",
                        plausible=(0.16, 0.24), source="Hegselmann & Krause 2002; assumption")
    epsilon_facilitated: float = _p(0.25, "deliberation", 0, 1,
                                    "widening of the confidence bound at full facilitation",
                                    plausible=(0.2, 0.3), source="assumption")
    voice_exponent: float = _p(3.0, "deliberation", 0, 10,
                               "speaking weight grows as capacity ** voice_exponent",
                               plausible=(2.4, 3.6), source="assumption; calibrated to P5")
    anchoring: float = _p(0.35, "deliberation", 0, 1, "weight on one's own initial view (Friedkin-Johnsen)",
                          plausible=(0.28, 0.42), source="Friedkin & Johnsen 1990; assumption")
    informed_pull: float = _p(0.30, "deliberation", 0, 1,
                              "pull toward the well-informed position at full capacity",
                              plausible=(0.24, 0.36), source="assumption")
    complexity_penalty: float = _p(0.6, "deliberation", 0, 1,
                                   "share of effective capacity lost on the most complex topic",
                                   plausible=(0.48, 0.72), source="assumption; P5")
    complexity_narrowing: float = _p(0.5, "deliberation", 0, 1,
                                     "share of complexity_penalty that also narrows the confidence bound",
                                     plausible=(0.4, 0.6), source="Lorenz, Neumann & Schröder 2021; assumption")
    pm_capacity: float = _p(0.8, "deliberation", 0, 1,
                            "capacity of the property manager's representative in a meeting",
                            plausible=(0.0, 0.95), source="assumption: speaks as a professional")
    # --- rules (ODD §7.5; consultsim.core.rules declares them as ADICO statements) ---
    agreement_consensus: float = _p(0.7, "rules", 0, 1,
                                    "consensus a meeting must reach before the decision rule is applied",
                                    plausible=(0.6, 0.8), source="2015 opinion (协商一致); assumption")
    max_meetings: int = _p(2, "rules", 1, 20, "meetings on one topic before deadlock fails it",
                           plausible=(2, 3), source="assumption; calibrated to P1")
    max_deferrals: int = _p(2, "rules", 0, 20, "quorum failures before a topic fails",
                            plausible=(1, 3), source="assumption")
    quorum_min: int = _p(3, "rules", 1, 10_000, "minimum attendees for a valid meeting",
                         plausible=(3, 5), source="assumption; calibrated to P1")
    quorum_share: float = _p(0.01, "rules", 0, 1, "quorum as a share of residents in scope",
                             plausible=(0.008, 0.012), source="assumption")
    majority: float = _p(0.5, "rules", 0, 1, "approval share of attendees under the majority rule (more than this share)",
                         source="simple majority; Civil Code art. 278 for owners' ordinary matters")
    owners_turnout: float = _p(2 / 3, "rules", 0, 1,
                               "owners' matters: share of owners (by head and by area) who must vote",
                               source="Civil Code art. 278 (2021): two thirds by head and by area")
    owners_supermajority: float = _p(0.75, "rules", 0, 1,
                                     "owners' major matters (elevators): approval share of voters, head and area",
                                     source="Civil Code art. 278 (2021): three quarters for major matters")
    owners_majority: float = _p(0.5, "rules", 0, 1,
                                "owners' ordinary matters (fees, hiring the manager): approval must exceed this share "
                                "of voters, by head and by area",
                                source="Civil Code art. 278 (2021): more than half (过半数) of those taking part")
    consensus_gate: bool = _p(True, "rules", doc="a meeting must reach agreement_consensus before any decision rule "
                              "is applied (else no decision, another meeting)",
                              source="2015 opinion: consultation seeks agreement (协商一致) before deciding")
    rule_elevator: str = _p("owners_major", "rules", doc="decision rule for elevator topics: majority, "
                          "owners_ordinary or owners_major", choices=DECISION_RULES,
                          source="Civil Code art. 278 (2021): rebuilding or altering buildings and facilities, 3/4")
    rule_parking: str = _p("majority", "rules", doc="decision rule for parking topics: majority, "
                          "owners_ordinary or owners_major", choices=DECISION_RULES,
                          source="assumption: parking on estate roads is arranged by residents' consultation (停车自管)")
    rule_garbage: str = _p("majority", "rules", doc="decision rule for garbage topics: majority, "
                          "owners_ordinary or owners_major", choices=DECISION_RULES,
                          source="2015 opinion: residents' consultation on community matters")
    rule_property_fee: str = _p("owners_ordinary", "rules", doc="decision rule for property fee topics: majority, "
                          "owners_ordinary or owners_major", choices=DECISION_RULES,
                          source="Civil Code art. 278 (2021): other common matters, more than half")
    rule_pets: str = _p("majority", "rules", doc="decision rule for pets topics: majority, "
                          "owners_ordinary or owners_major", choices=DECISION_RULES,
                          source="2015 opinion: residents' consultation (居民公约)")
    rule_public_space: str = _p("majority", "rules", doc="decision rule for public space topics: majority, "
                          "owners_ordinary or owners_major", choices=DECISION_RULES,
                          source="2015 opinion: residents' consultation on publicly funded works")
    vote_convener: str = _p("owners_committee", "rules",
                            doc="who convenes and collects owners' votes where the community has an owners' "
                            "committee: owners_committee (its members' hours first, then social workers' and the "
                            "residents' committee's) or residents_committee (as where there is none)",
                            choices=VOTE_CONVENERS,
                            source="Civil Code art. 277 (2021): the owners' assembly and its committee decide "
                            "owners' matters, residents' committees guide and assist; Beijing Property "
                            "Management Regulations (2020), ch. 4")
    # --- committee (居委会) ---
    households_per_worker: float = _p(130.0, "committee", 10, 10_000,
                                      "households per community worker; the committee's effort on works "
                                      "scales with min(1, 130 / households per staff member)",
                                      plausible=(110.0, 150.0), source="Beijing standard: 110-150, at least 9")
    committee_facilitation: float = _p(0.25, "committee", 0, 1, "facilitation skill of committee staff",
                                       plausible=(0.15, 0.35), source="field study: limited capacity; assumption")
    facilitation_training_gain: float = _p(0.3, "committee", 0, 1,
                                           "facilitation skill added by the facilitation-training lever",
                                           plausible=(0.0, 0.4), source="assumption: a short certified course")
    committee_experience: float = _p(
        0.5, "committee", 0, 1, "the committee's experience at the start (0 all new .. 1 seasoned)",
        plausible=(0.3, 0.7), source="assumption: a committee in mid-term; committee_facilitation is its skill "
                                      "at this experience")
    experience_gain: float = _p(
        0.05, "committee", 0, 1, "step of the committee's experience toward 1 per meeting it holds",
        plausible=(0.025, 0.1), source="assumption (learning by doing)")
    experience_loss: float = _p(
        0.01, "committee", 0, 1, "weekly loss of experience to staff turnover and rust between elections",
        plausible=(0.005, 0.02),
        source="assumption: community workers leave for better-paid posts; with ~10 meetings a year the "
               "baseline committee's experience stays near its starting 0.5")
    experience_facilitation: float = _p(
        0.2, "committee", 0, 1,
        "facilitation skill added (or lost) per unit of experience above (below) the starting experience",
        plausible=(0.0, 0.4), source="assumption; the prior includes none")
    committee_term_weeks: int = _p(
        260, "committee", 1, 2600, "weeks between committee elections",
        source="Organic Law of Urban Residents' Committees (2018 amendment): a term is five years")
    committee_term_elapsed: int = _p(
        130, "committee", 0, 2599, "weeks of the current term already served at the start of a run",
        plausible=(0, 259), source="assumption: a committee in mid-term (next election in week 130)")
    election_turnover: float = _p(
        0.3, "committee", 0, 1, "share of the committee's experience lost at an election (members replaced)",
        plausible=(0.0, 0.6), source="assumption; 0 = everyone re-elected")
    agenda_capacity: int = _p(3, "committee", 1, 100, "topics put on the agenda per cycle",
                              plausible=(2, 4), source="assumption")
    agenda_mandate_weight: float = _p(0.3, "committee", 0, 5,
                                      "agenda priority added to the committee's own (mandated) topics",
                                      plausible=(0.2, 0.4), source="assumption")
    agenda_wait_weight: float = _p(0.02, "committee", 0, 1, "agenda priority added per week a topic waits",
                                   plausible=(0.01, 0.03), source="assumption")
    welfare_fund: float = _p(200_000.0, "committee", 0, 1e9, "yearly public welfare fund (公益金), yuan",
                             plausible=(150_000.0, 250_000.0), source="assumption: order of 100,000s yuan a year")
    committee_responsiveness: float = _p(0.20, "committee", 0, 1,
                                         "weekly effort (weeks of work) on its own works at standard staffing",
                                         plausible=(0.16, 0.24),
                                         source="assumption: overloaded with administrative tasks; calibrated to P4")
    vote_rounds: int = _p(6, "committee", 0, 50,
                          "most door-to-door rounds of an owners' vote campaign (it stops earlier once the turnout "
                          "rule is met or collectors' hours run out)",
                          plausible=(4, 8), source="assumption: a campaign of a few weeks")
    staff_week_hours: float = _p(40.0, "committee", 0, 80, "working hours a week of one community worker",
                                 plausible=(40.0, 44.0),
                                 source="State Council regulation on working hours (1995): 40 h a week; Labour Law "
                                        "art. 36: at most 44")
    committee_admin_share: float = _p(0.9, "committee", 0, 1,
                                      "share of staff hours taken by top-down administrative tasks (行政事务); the "
                                      "rest goes to consultation: meetings, vote collection, follow-up of works",
                                      plausible=(0.8, 0.95),
                                      source="assumption: field study (ODD §1): staff overloaded with administrative "
                                             "tasks")
    meeting_staff_hours: float = _p(8.0, "committee", 0, 100,
                                    "staff hours per meeting convened: preparation, notices, chairing, minutes",
                                    plausible=(0.0, 16.0),
                                    source="assumption: two staff for about four hours; 0 is a free meeting")
    cycle_staff_hours: float = _p(8.0, "committee", 0, 100,
                                  "staff hours per agenda cycle: convening the residents' council, posting the "
                                  "agenda, reporting to the street office",
                                  plausible=(0.0, 16.0), source="assumption: about a working day; 0 is a free cycle")
    followup_hours: float = _p(4.0, "committee", 0, 100,
                               "staff hours a week one of the committee's own works under way needs for full effort",
                               plausible=(0.0, 8.0),
                               source="assumption: half a day a week on site and with contractors; 0 is free")
    vote_visit_hours: float = _p(0.25, "committee", 0, 10,
                                 "collector hours per door knock for an owners' written vote",
                                 plausible=(0.1, 0.5),
                                 source="assumption: explaining the matter and the form takes about 15 minutes")
    vote_canvass_reach: float = _p(0.4, "committee", 0, 1,
                                   "chance the committee's staff reach an owner at home in one round",
                                   plausible=(0.3, 0.5), source="assumption")
    vote_leader_reach: float = _p(0.3, "committee", 0, 1,
                                  "chance a building leader (楼门长) reaches an owner of their building in one round",
                                  plausible=(0.2, 0.4), source="assumption (building leaders as mobilizers, ODD §2)")
    vote_return_base: float = _p(0.6, "committee", 0, 1, "chance a reached owner signs and returns a vote",
                                 plausible=(0.5, 0.7), source="assumption")
    vote_return_stake: float = _p(0.4, "committee", 0, 1, "added chance of returning a vote per unit |stake|",
                                  plausible=(0.3, 0.5), source="assumption")
    vote_climate_sd: float = _p(0.1, "committee", 0, 1,
                                "sd across campaigns of owners' chance to return a vote (one draw per owners' vote: "
                                "timing, rumours, the property manager's own canvassing)",
                                plausible=(0.0, 0.2), source="assumption; 0 makes every campaign alike")
    vote_return_concentration: float = _p(4.0, "committee", 0.1, 1000,
                                          "owners differ in whether they sign: each owner's return propensity is "
                                          "Beta with this concentration (a + b) around its mean",
                                          plausible=(2.0, 10.0),
                                          source="assumption: large values make owners alike")
    # --- property manager (物业) ---
    n_property_managers: int = _p(1, "property_manager", 0, 100,
                                  "property management companies; 0: none (hutong courtyards, some old "
                                  "compounds): the committee does the works the catalog gives the property "
                                  "manager, and no manager attends meetings",
                                  source="one property company per estate; 0 for areas without one "
                                  "(districts/types/hutong.toml)")
    pm_responsiveness: float = _p(0.30, "property_manager", 0, 1,
                                  "weekly effort (weeks of work) on a task at no cost to itself",
                                  plausible=(0.24, 0.36), source="assumption; calibrated to P4")
    pm_cost_aversion: float = _p(0.75, "property_manager", 0, 1,
                                 "how much its own cost share lowers its effort",
                                 plausible=(0.6, 0.9), source="assumption: resists unpaid work (ODD §2)")
    pm_attendance: float = _p(0.3, "property_manager", 0, 1, "chance it attends a meeting when not required",
                              plausible=(0.2, 0.4), source="assumption")
    # --- owners' committee (业委会; ODD §7.10) ---
    owners_committee: bool = _p(False, "community",
                                doc="the community has an owners' committee (业委会) elected by the owners' assembly: "
                                "it convenes owners' votes (rule vote_convener) and negotiates with the property "
                                "manager over the works it owes (rule pm_negotiation)",
                                source="Civil Code arts. 277-278 (2021): owners may set up an owners' assembly and "
                                "elect an owners' committee; Beijing Property Management Regulations (2020), ch. 4. "
                                "Which communities have one: their type's owners_committee share (districts/types)")
    oc_members: int = _p(5, "owners_committee", 1, 50, "members of the owners' committee",
                         plausible=(5, 11),
                         source="assumption: an odd number of members, commonly 5-11 in Beijing's owners' assembly "
                         "rules; the size is not checked against the 2020 regulation's text")
    oc_member_hours: float = _p(2.0, "owners_committee", 0, 40,
                                "volunteer hours a week each member gives to collecting owners' votes while a "
                                "vote campaign runs",
                                plausible=(0.0, 4.0),
                                source="assumption: unpaid owners with jobs; 0 is a committee that only signs")
    oc_negotiation_effect: float = _p(0.2, "owners_committee", 0, 2,
                                      "added share of the property manager's own effort on the works it owes "
                                      "when an owners' committee presses it (fee withheld, contract renewal at "
                                      "stake)",
                                      plausible=(0.0, 0.4),
                                      source="assumption: owners may dismiss the manager (Civil Code art. 278) "
                                      "so the sign is positive; the size is unknown and the prior includes 0")
    # --- the street office (街道) in a district run (ODD §7.10) ---
    street_pressure: float = _p(0.0, "community", 0, 1,
                                "接诉即办 pressure on the committee this year: the street office's rank of the "
                                "community by last year's 12345 complaints per household (0 fewest, 1 most); set "
                                "by `district run` each year, 0 in a single-community run (a circumstance the "
                                "street office sets, not an uncertainty)",
                                source="Beijing Regulations on Handling Complaints Upon Receipt (接诉即办条例, "
                                "2021): complaints are assigned to streets and communities and their handling "
                                "is assessed and ranked")
    pressure_responsiveness: float = _p(0.2, "street", 0, 2,
                                        "added share of the committee's own effort on its works at full "
                                        "接诉即办 pressure (street_pressure = 1)",
                                        plausible=(0.0, 0.5),
                                        source="assumption: the sign from the hotline's rising resolution rate "
                                        "after complaints were assigned to streets (53% to 74% in Jan-Oct 2019, "
                                        "Beijing party-building site); no per-community effect is published, so "
                                        "the size is unknown and the prior includes 0")
    # --- social workers (社工) ---
    sw_outreach_share: float = _p(0.4, "social_worker", 0, 1, "share of a social worker's hours on outreach",
                                  plausible=(0.3, 0.5), source="assumption")
    sw_facilitation_share: float = _p(0.2, "social_worker", 0, 1, "share of hours on facilitation",
                                      plausible=(0.15, 0.25), source="assumption")
    sw_training_share: float = _p(0.2, "social_worker", 0, 1,
                                  "share of hours on training (mediation takes the rest)",
                                  plausible=(0.15, 0.25), source="assumption")
    sw_invites_per_hour: float = _p(4.0, "social_worker", 0, 100, "door knocks and calls per outreach hour",
                                    plausible=(0.0, 5.0), source="assumption")
    sw_seats_per_hour: float = _p(0.75, "social_worker", 0, 100, "training seats per hour of training work",
                                  plausible=(0.0, 1.0), source="assumption")
    sw_cases_per_hour: float = _p(2.0, "social_worker", 0, 100, "complainants visited per mediation hour",
                                  plausible=(0.0, 2.5), source="assumption")
    sw_group_size: int = _p(10, "social_worker", 1, 1000, "attendees in one small group a facilitator leads",
                            plausible=(8, 15),
                            source="assumption: moderated small groups of about 10-15 as in deliberative polls")
    sw_hours_per_group: float = _p(24.0, "social_worker", 0, 200,
                                   "social-worker hours for a small group led at full quality: preparing each "
                                   "member beforehand (a home visit or call to hear their view and explain the "
                                   "matter), the session, minutes and feedback; fewer hours, proportionally "
                                   "weaker facilitation",
                                   plausible=(12.0, 36.0),
                                   source="assumption: about 2.4 hours a member of a group of 10 (two contacts "
                                   "of about an hour with travel, plus a share of the session and minutes); "
                                   "a resource rate, not an effect size (sw_facilitation_weight sizes the effect)")
    sw_groups_per_worker: int = _p(1, "social_worker", 1, 1000,
                                   "small groups one social worker leads at a meeting (the groups sit at the same "
                                   "time, each with its own moderator)",
                                   plausible=(1, 2),
                                   source="deliberative polls give each small group its own trained moderator "
                                   "(Fishkin, He, Luskin & Siu 2010, Zeguo township); 2 allows two rounds of "
                                   "group sessions at one meeting (assumption)")
    sw_canvass_share: float = _p(0.5, "social_worker", 0, 1,
                                 "share of outreach hours spent collecting owners' votes door to door "
                                 "(the rest invites residents to meetings)",
                                 plausible=(0.3, 0.7), source="assumption")
    sw_facilitation_weight: float = _p(0.5, "social_worker", 0, 1,
                                       "facilitation skill a social worker brings to the small groups they lead",
                                       plausible=(0.0, 0.6), source="assumption")
    # --- implementation (ODD §7.6) ---
    deadline_factor: float = _p(2.0, "implementation", 1, 20,
                                "soft deadline as a multiple of the topic's duration",
                                plausible=(1.6, 2.4), source="assumption")
    residents_effort: float = _p(0.6, "implementation", 0, 1,
                                 "weekly effort on residents' own works (their contractor), weeks of work",
                                 plausible=(0.48, 0.72), source="assumption")
    effort_regularity: float = _p(1.0, "implementation", 0.1, 100,
                                  "shape of the weekly work done (gamma; higher is steadier)",
                                  plausible=(0.7, 1.5), source="assumption")
    escalation_effect: float = _p(0.5, "implementation", 0, 10,
                                  "rise of effort once a task is a full duration overdue (street office pressure)",
                                  plausible=(0.3, 0.7), source="assumption")
    abandon_base: float = _p(0.03, "implementation", 0, 1,
                             "weekly chance a task under way is dropped (competing tasks, staff turnover)",
                             plausible=(0.02, 0.04), source="assumption")
    abandon_hazard: float = _p(0.05, "implementation", 0, 10,
                               "added weekly chance of abandonment per duration overdue (stalled)",
                               plausible=(0.03, 0.07), source="assumption")
    contribution_required: float = _p(0.85, "implementation", 0, 1,
                                      "share of the owners' bill (cost after subsidy, plus compensation) "
                                      "that pledges must cover before resident-funded works start",
                                      plausible=(0.75, 0.95),
                                      source="assumption: the elevator company fronts the rest against "
                                             "instalments")
    collection_rounds: int = _p(3, "implementation", 1, 20, "door-to-door rounds collecting contributions",
                                plausible=(2, 4), source="assumption")
    collection_persuasion: float = _p(0.1, "implementation", 0, 1,
                                      "chance a visit persuades a supporter not yet paying",
                                      plausible=(0.05, 0.15), source="assumption")
    coop_threshold_base: float = _p(1.2, "implementation", 0, 5,
                                    "conditional cooperators need threshold x (base - trust_effect x trust)",
                                    plausible=(1.0, 1.4), source="assumption (Fischbacher et al. 2001)")
    coop_trust_effect: float = _p(0.6, "implementation", 0, 5,
                                  "how much trust in the organisers lowers conditional cooperators' threshold",
                                  plausible=(0.45, 0.75), source="assumption")
    sanction_effect: float = _p(0.6, "implementation", 0, 1,
                                "chance per round a free rider pays under sanction at full supervision",
                                plausible=(0.0, 0.75), source="Fehr & Gächter 2000; assumption")
    pressure_effect: float = _p(0.5, "implementation", 0, 5,
                                "rise of weekly effort with resident pressure (support)",
                                plausible=(0.4, 0.6), source="assumption")
    supervision_effect: float = _p(1.5, "implementation", 0, 10,
                                   "rise of weekly effort on a work the oversight board follows full-time",
                                   plausible=(0.0, 1.8), source="assumption")
    oversight_cases: float = _p(1.5, "implementation", 0, 1000,
                                "works the oversight board can follow at full intensity at full strength "
                                "(supervision = 1), spread over the works under way",
                                plausible=(0.0, 3.0),
                                source="assumption: volunteer members and a part-time street-office liaison "
                                       "follow one or two works closely")
    commitment_effect: float = _p(0.5, "implementation", 0, 10,
                                  "rise of weekly effort when the property manager committed at the meeting",
                                  plausible=(0.0, 0.6), source="assumption")
    contract_effect: float = _p(0.8, "implementation", 0, 1,
                                "share of the property manager's cost aversion removed by a performance contract",
                                plausible=(0.0, 0.96), source="assumption")
    # --- feedback (ODD §7.7) ---
    learning_rate: float = _p(0.25, "feedback", 0, 1, "rho: step toward an outcome by those who saw it",
                              plausible=(0.2, 0.3), source="assumption")
    procedural_weight: float = _p(0.5, "feedback", 0, 1,
                                  "weight of procedural fairness (heard; process followed) against outcome "
                                  "favourability in trust and efficacy",
                                  plausible=(0.4, 0.6),
                                  source="Tyler 1990; Esaiasson et al. 2012 (decision acceptance)")
    publication_voice: float = _p(0.3, "feedback", 0, 1,
                                  "how far a published decision with its reasons stands in for being heard",
                                  plausible=(0.0, 0.4),
                                  source="de Fine Licht, Naurin, Esaiasson & Gilljam 2014 (transparency and "
                                         "acceptance); size an assumption")
    network_learning: float = _p(0.3, "feedback", 0, 1, "chance a neighbour of an attendee hears of an outcome",
                                 plausible=(0.24, 0.36), source="assumption")
    complaint_curve: str = _p("linear", "feedback",
                         doc="how hotline calls about one outcome grow with the aggrieved audience (a structural "
                             "alternative, issue 17): linear (each aggrieved resident who learns of it calls "
                             "independently) or saturating (calls level off at about complaint_saturation "
                             "callers per topic: a few repeat callers carry a grievance, more listeners add "
                             "fewer new callers)",
                         choices=("linear", "saturating"),
                         source="assumption (both forms; no hotline study of calls against audience size found)")
    complaint_saturation: float = _p(10.0, "feedback", 0.1, 1000,
                                     "callers per topic at which calls level off (complaint_curve = saturating only)",
                                     plausible=(3.0, 30.0), source="assumption")
    trust_judges: str = _p("preference_and_procedure", "feedback",
                           doc="what trust in the committee learns from an outcome (a structural alternative, "
                               "issue 17): preference_and_procedure (one's preference won, one was heard, the "
                               "process was followed; weight procedural_weight) or outcomes_only (only whether "
                               "one's preference won)",
                           choices=("preference_and_procedure", "outcomes_only"),
                           source="Tyler 1990 and Esaiasson et al. 2012 (procedure matters); outcomes_only is the "
                                  "instrumental alternative those studies test against")
    complaint_propensity: float = _p(0.05, "feedback", 0, 1,
                                     "chance an aggrieved, informed resident calls the 12345 hotline",
                                     plausible=(0.0, 0.06), source="assumption: Beijing 12345 hotline")
    aggrieved_stake: float = _p(0.3, "feedback", 0, 1,
                                "|stake| above which losing the decision is a grievance",
                                plausible=(0.24, 0.36), source="assumption")
    heard_acceptance: float = _p(0.5, "feedback", 0, 1,
                                 "share of would-be complainants who accept a lost decision because they were heard",
                                 plausible=(0.3, 0.6), source="Esaiasson et al. 2012; assumption")
    mediation_trust_target: float = _p(0.6, "feedback", 0, 1, "trust a mediated complainant moves toward",
                                       plausible=(0.5, 0.7), source="assumption")
    mediation_effect: float = _p(0.5, "feedback", 0, 1, "share of the way mediation moves a complainant's trust",
                                 plausible=(0.0, 0.6), source="assumption")
    # --- learning and drift (ODD §7.8) ---
    capacity_gain_attend: float = _p(0.02, "learning", 0, 1, "capacity gained per meeting attended",
                                     plausible=(0.01, 0.03), source="assumption")
    capacity_gain_training: float = _p(0.10, "learning", 0, 1,
                                       "capacity gained (toward 1) per training session attended",
                                       plausible=(0.0, 0.2),
                                       source="assumption: a half-day workshop; the prior includes no gain")
    proposal_skill: float = _p(
        0.2, "learning", 0, 1,
        "shift of a resident proposal's design (everyone's stake and its merit) per unit of its drafter's "
        "capacity above 1/2", plausible=(0.0, 0.4),
        source="assumption (civic skills as a resource, Brady, Verba & Schlozman 1995); 0 = drafting skill "
               "does not matter")
    training_base_weight: float = _p(0.2, "learning", 0, 5,
                                     "trainees are drawn with weight training_base_weight + civic + spare time",
                                     plausible=(0.1, 0.3), source="assumption: the willing and free sign up")
    capacity_decay: float = _p(0.004, "learning", 0, 1, "weekly decay of capacity toward its initial value",
                               plausible=(0.003, 0.005), source="assumption")
    civic_drift: float = _p(0.01, "learning", 0, 1, "weekly drift of civic motivation toward its initial value",
                            plausible=(0.008, 0.012), source="assumption")
    civic_gain_success: float = _p(0.02, "learning", 0, 1, "civic gain on hearing of an implemented success",
                                   plausible=(0.016, 0.024), source="Ansell & Gash 2008 (small wins); assumption")
    campaign_reach: float = _p(0.1, "learning", 0, 1, "weekly share of households a full campaign reaches",
                               plausible=(0.0, 0.12), source="assumption")
    campaign_gain: float = _p(0.05, "learning", 0, 1, "civic gain (toward 1) of a household a campaign reaches",
                              plausible=(0.0, 0.06), source="assumption")
    crowding_out: float = _p(0.02, "learning", 0, 1, "civic loss per incentive received (Frey & Oberholzer-Gee)",
                             plausible=(0.0, 0.024), source="Frey & Oberholzer-Gee 1997; assumption")
    trust_drift: float = _p(0.003, "learning", 0, 1,
                            "weekly drift of trust and efficacy toward each household's long-run level",
                            plausible=(0.002, 0.004), source="assumption")
    trust_anchor_rate: float = _p(
        0.003, "learning", 0, 1,
        "weekly rate at which each household's long-run trust and efficacy follow the levels its experience "
        "set (a running tally of outcomes; 0 keeps the initial level as the anchor)",
        plausible=(0.0, 0.006),
        source="Fiorina 1981 (running tally); Slovic 1993 (distrust sustains itself); Ostrom 1998 (trust, "
               "reputation and reciprocity reinforce each other); size an assumption, the prior includes 0")
    # --- levers: policy ---
    incentive_per_meeting: float = _p(0.0, "policy", 0, 1000, "points (~yuan) per meeting attended (积分制)",
                                      plausible=(0.0, 40.0),
                                      source="lever; points schemes (积分制) in Beijing communities (policy range: "
                                             "assumption, a few to a few tens of yuan per activity)")
    incentive_budget: float = _p(50_000.0, "policy", 0, 1e9, "yearly budget for incentive points, yuan",
                                 plausible=(5_000.0, 100_000.0), source="assumption")
    pm_performance_contract: bool = _p(False, "policy", doc="property fee tied to implementing resolutions",
                                       source="lever")
    supervision: float = _p(0.0, "policy", 0, 1,
                            "strength of the implementation oversight board: it follows supervision x oversight_cases "
                            "of the property manager's works at once",
                            plausible=(0.0, 1.0), source="lever")
    meeting_cadence_weeks: int = _p(4, "policy", 1, 52, "weeks between agenda cycles", plausible=(2, 8),
                                    source="field study: monthly standardized cycle (policy range: assumption, "
                                           "fortnightly to bimonthly)")
    pm_inclusion: bool = _p(False, "policy", doc="property manager must attend and commit at meetings",
                            source="lever")
    public_subsidy: float = _p(0.0, "policy", 0, 1,
                               "share of resident-funded works (elevator retrofits) paid by a public subsidy",
                               plausible=(0.0, 0.6),
                               source="lever; Beijing's municipal subsidy of 240,000 yuan per elevator is about "
                                      "0.3-0.4 of a 600,000-800,000 yuan retrofit")
    # --- levers: idea ---
    awareness_campaign: float = _p(0.0, "idea", 0, 1, "intensity of the civic awareness campaign",
                                   plausible=(0.0, 1.0), source="lever")
    feedback_transparency: float = _p(0.2, "idea", 0, 1, "share of outcomes published to all residents",
                                      plausible=(0.1, 1.0), source="assumption: few outcomes are published")
    # --- levers: practice ---
    training_sessions_per_quarter: int = _p(0, "practice", 0, 52, "capacity-training sessions per quarter",
                                            plausible=(0, 8), source="lever (policy range: assumption)")
    training_seats: int = _p(20, "practice", 0, 100_000, "residents per training session", plausible=(10, 40),
                             source="assumption")
    committee_facilitation_training: bool = _p(False, "practice",
                                               doc="committee staff trained in facilitation", source="lever")
    social_workers: int = _p(0, "practice", 0, 1000, "contracted social workers (社工)", plausible=(0, 4),
                             source="lever (policy range: assumption, a few contracted social workers for a "
                                    "community of about 2,000 households)")
    social_worker_hours: float = _p(20.0, "practice", 0, 60,
                                    "hours per week each social worker gives the community", plausible=(8.0, 40.0),
                                    source="assumption")
    online_channel: bool = _p(False, "practice", doc="notices and attendance through an online channel",
                              source="lever")
    # --- costs (yuan a year; descriptive: they price the levers for the report and do not act in the
    # model; consultsim.analysis.costs turns them into each scenario's yearly cost) ---
    cost_incentive_admin: float = _p(
        6_000.0, "costs", 0, 1e8, "running a points scheme (积分制) for a year: ledger, partner-shop settlement, "
        "staff time (the points themselves are costed from what the runs actually paid)",
        plausible=(3_000.0, 12_000.0), source="assumption: about one month of a community worker's pay",
        descriptive=True)
    cost_pm_contract: float = _p(
        15_000.0, "costs", 0, 1e8, "a performance contract with the property manager for a year: drafting and a "
        "third-party service assessment", plausible=(5_000.0, 30_000.0),
        source="assumption: Beijing street offices buy property-service assessments for a few to a few tens of "
        "thousands of yuan per estate a year", descriptive=True)
    cost_oversight_case: float = _p(
        40_000.0, "costs", 0, 1e8, "one work's worth of the oversight board's capacity for a year (the board "
        "costs supervision x oversight_cases x this): stipends for resident members, street-office liaison time",
        plausible=(20_000.0, 80_000.0), source="assumption: the full board (1.5 works of capacity) costs about "
        "60,000 yuan a year (5 members x 12 meetings x ~300 yuan plus half a liaison post)", descriptive=True)
    cost_per_meeting: float = _p(
        300.0, "costs", 0, 1e6, "each consultation meeting actually held: room, notices, staff overtime "
        "(costed from the meetings the runs held)", plausible=(150.0, 600.0), source="assumption",
        descriptive=True)
    cost_pm_at_meeting: float = _p(
        200.0, "costs", 0, 1e6, "the property manager's staff time at each meeting held when its attendance is "
        "compulsory (pm_inclusion)", plausible=(100.0, 400.0),
        source="assumption: two hours of a project manager's time", descriptive=True)
    cost_campaign: float = _p(
        80_000.0, "costs", 0, 1e8, "a civic awareness campaign at full intensity for a year (scaled by "
        "awareness_campaign): posters, talks, a quarterly consultation day", plausible=(40_000.0, 160_000.0),
        source="assumption: community publicity and event budgets of a few tens of thousands of yuan",
        descriptive=True)
    cost_publication: float = _p(
        10_000.0, "costs", 0, 1e8, "publishing every topic's outcome for a year (scaled by "
        "feedback_transparency): notice boards, WeChat posts, staff time", plausible=(5_000.0, 20_000.0),
        source="assumption", descriptive=True)
    cost_training_session: float = _p(
        2_500.0, "costs", 0, 1e6, "one capacity-training session for residents: trainer, materials, snacks",
        plausible=(1_500.0, 4_000.0), source="assumption: a trainer's half-day fee of 1,000-2,000 yuan plus "
        "materials for 25", descriptive=True)
    cost_facilitation_training: float = _p(
        12_000.0, "costs", 0, 1e8, "facilitation training for committee staff, per year (a course and a "
        "refresher)", plausible=(6_000.0, 24_000.0),
        source="assumption: a 3-day course for ~15 staff from a district social work association",
        descriptive=True)
    cost_social_worker: float = _p(
        120_000.0, "costs", 0, 1e8, "one full-time (40 h a week) contracted social worker (社工) for a year, "
        "scaled by social_worker_hours / 40: pay, social insurance and the contracting organisation's overhead",
        plausible=(90_000.0, 160_000.0),
        source="assumption: Beijing social workers' pay of about 6,000-9,000 yuan a month plus about 35% "
        "insurance and overhead in government purchase-of-service contracts", descriptive=True)
    cost_resident_works: float = _p(
        700_000.0, "costs", 0, 1e9, "cost of one resident-funded work (an elevator retrofit): the public "
        "subsidy pays public_subsidy of it for every retrofit whose funding was secured in the runs",
        plausible=(500_000.0, 900_000.0),
        source="assumption: Beijing old-compound elevator retrofits are commonly reported at 600,000-800,000 "
        "yuan per unit", descriptive=True)
    cost_online_platform: float = _p(
        20_000.0, "costs", 0, 1e8, "an online channel for a year: platform or mini-program fee and moderation",
        plausible=(8_000.0, 40_000.0), source="assumption", descriptive=True)

    def __post_init__(self):
        for f in dataclasses.fields(self):
            object.__setattr__(self, f.name, coerce(f, getattr(self, f.name)))
        check_sums(self.__dict__)

    def replace(self, **changes: Any) -> Params:
        """A copy with ``changes`` applied (validated; unknown names raise)."""
        unknown = sorted(set(changes) - set(PARAM_INFO))
        if unknown:
            raise ParamError(f"unknown parameter {unknown[0]!r}" + suggest(unknown[0]))
        return dataclasses.replace(self, **changes)

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @property
    def n_staff(self) -> int:
        """Community workers: one per ``households_per_worker``, at least 9 (Beijing standard)."""
        return max(9, math.ceil(self.n_residents / self.households_per_worker))


def suggest(name: str) -> str:
    """The hint " (did you mean 'x'?)" for the closest parameter name, or an empty string."""
    import difflib
    close = difflib.get_close_matches(name, list(PARAM_INFO), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def allowed(f: dataclasses.Field) -> str:
    """Human description of what a field accepts."""
    kind = f.type if isinstance(f.type, str) else f.type.__name__
    lo, hi = f.metadata["lo"], f.metadata["hi"]
    if kind == "bool":
        return "true or false"
    if kind == "str":
        choices = f.metadata["choices"]
        return "one of " + ", ".join(map(repr, choices)) if choices else "a string"
    if lo is not None:
        if kind == "int":
            return f"an integer in [{int(lo):,}, {int(hi):,}]"
        return f"a number in [{lo:g}, {hi:g}]"
    return kind


def coerce(f: dataclasses.Field, value: Any) -> Any:
    """``value`` checked against the field's exact type and range (else ParamError naming the field).

    Types are exact, so that the same mistake gets the same message in a scenario file, an
    experiment file and ``--set``: a string is never a number or a boolean ("0.5", "yes"), a
    boolean is never a number, and a number is never a boolean. An integer field takes a
    whole-valued float (150.0); a number field takes an integer.
    """
    kind = f.type if isinstance(f.type, str) else f.type.__name__
    bad = ParamError(f"{f.name} = {value!r}: expected {allowed(f)}")
    if kind == "bool":
        if isinstance(value, (bool, np.bool_)):
            return bool(value)
        raise bad
    if kind == "str":
        choices = f.metadata["choices"]
        if isinstance(value, str) and (not choices or value in choices):
            return value
        raise bad
    if isinstance(value, (bool, np.bool_, str, bytes)):
        raise bad
    if kind == "int":
        if isinstance(value, (float, np.floating)):
            if not math.isfinite(value) or not float(value).is_integer():
                raise bad
            value = int(value)
        if not isinstance(value, (int, np.integer)):
            raise bad
        value = int(value)
    else:
        if not isinstance(value, (int, float, np.integer, np.floating)):
            raise bad
        value = float(value)
        if not math.isfinite(value):
            raise bad
    lo, hi = f.metadata["lo"], f.metadata["hi"]
    if lo is not None and not (lo <= value <= hi):
        raise bad
    return value


# Shares that divide one population: each pair must sum to at most 1 (ODD §2).
SUM_CONSTRAINTS = (("elderly_share", "young_share"), ("conditional_cooperator_share", "free_rider_share"),
                   ("sw_outreach_share", "sw_facilitation_share", "sw_training_share"))


def check_sums(values: dict[str, Any]) -> None:
    """Raise ParamError, stated as a sum, when shares of one whole add up to more than 1."""
    for names in SUM_CONSTRAINTS:
        if all(n in values for n in names):
            vals = [values[n] for n in names]
            if sum(vals) > 1 + 1e-9:
                raise ParamError(f"{' + '.join(names)} = {' + '.join(f'{v:g}' for v in vals)} = {sum(vals):g}: "
                                 "these shares of one whole together must not exceed 1")


PARAM_INFO: dict[str, dataclasses.Field] = {f.name: f for f in dataclasses.fields(Params)}


def param_info(name: str) -> dataclasses.Field:
    """The dataclass field for ``name`` (section, range and doc in ``.metadata``)."""
    try:
        return PARAM_INFO[name]
    except KeyError:
        raise ParamError(f"unknown parameter {name!r}" + suggest(name)) from None


def uncertainties() -> dict[str, tuple[float, float]]:
    """Behavioural parameters nobody controls, with their plausible ranges (EMA's "uncertainties").

    Levers, the community's size and layout, and descriptive parameters are not uncertainties."""
    out = {}
    for name, f in PARAM_INFO.items():
        m = f.metadata
        if m["section"] in LEVER_SECTIONS or m["section"] == "community" or m["descriptive"]:
            continue
        if m["plausible"] is not None:
            out[name] = tuple(m["plausible"])
    return out


def is_sourced(name: str) -> bool:
    """Whether an empirical source gives parameter ``name``'s value (its metadata flag ``sourced``).

    A source that says "assumption" anywhere (a sourced direction with an assumed size, say) does
    not count: where no source exists, the plausible range includes the null (docs/levers.md)."""
    return bool(PARAM_INFO[name].metadata["sourced"])


def levers() -> dict[str, list[str]]:
    """Lever names grouped by front (policy, idea, practice), in declaration order."""
    return {s: [n for n, f in PARAM_INFO.items() if f.metadata["section"] == s] for s in LEVER_SECTIONS}
