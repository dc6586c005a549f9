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

__all__ = ["Params", "ParamError", "LEVER_SECTIONS", "param_info", "PARAM_INFO", "allowed", "coerce", "suggest",
           "levers", "uncertainties"]

LEVER_SECTIONS = ("policy", "idea", "practice")


class ParamError(ValueError):
    """A parameter name, type or value is not allowed."""


def _p(default: Any, section: str, lo: float | None = None, hi: float | None = None,
       doc: str = "", choices: tuple | None = None, *, plausible: tuple[float, float] | None = None,
       source: str = "", descriptive: bool = False):
    """A parameter field. ``lo``/``hi`` bound what is allowed; ``plausible`` is the range the
    evidence supports (what robustness and sensitivity analyses vary); ``source`` cites it or
    says "assumption"; ``descriptive`` marks a parameter that labels a run without acting in it."""
    return field(default=default, metadata={
        "section": section, "lo": lo, "hi": hi, "doc": doc, "choices": choices, "plausible": plausible,
        "source": source, "descriptive": descriptive})


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
                                    plausible=(0.3, 0.5), source="assumption")
    efficacy_mean: float = _p(0.35, "population", 0, 1, "initial mean political efficacy",
                              plausible=(0.25, 0.45), source="assumption; field study (weak drive)")
    conditional_cooperator_share: float = _p(0.50, "population", 0, 1,
                                             "share of conditional cooperators (Fischbacher et al. 2001)",
                                             plausible=(0.4, 0.6), source="Fischbacher, Gächter & Fehr 2001")
    free_rider_share: float = _p(0.33, "population", 0, 1, "share of free riders (Fischbacher et al. 2001)",
                                 plausible=(0.25, 0.4), source="Fischbacher, Gächter & Fehr 2001")
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
                            plausible=(0.6, 1.0), source="assumption")
    b_invited: float = _p(1.2, "participation", 0, 20, "weight of a personal invitation",
                          plausible=(0.9, 1.5), source="Brady, Verba & Schlozman 1995; assumption")
    b_network: float = _p(1.5, "participation", 0, 20, "weight of the share of neighbours attending",
                          plausible=(1.2, 1.8), source="Granovetter 1978; assumption")
    b_time: float = _p(3.0, "participation", 0, 20, "weight of the time cost x (1 - spare time)",
                       plausible=(2.5, 3.5), source="Brady et al. 1995; calibrated to P3")
    b_trust: float = _p(1.0, "participation", 0, 20, "weight of trust in the committee - 1/2",
                        plausible=(0.8, 1.2), source="assumption")
    interest_decay: float = _p(0.03, "participation", 0, 1,
                               "weekly loss of a topic's salience while it waits (stake x exp(-decay x weeks))",
                               plausible=(0.01, 0.05), source="assumption: interest erodes while a matter waits")
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
                             plausible=(0.65, 0.95), source="assumption")
    online_time_cost: float = _p(0.4, "participation", 0, 1,
                                 "time cost of attending online relative to in person",
                                 plausible=(0.3, 0.5), source="assumption")
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
                            plausible=(0.65, 0.95), source="assumption: speaks as a professional")
    agreement_consensus: float = _p(0.7, "deliberation", 0, 1,
                                    "consensus a meeting must reach before the decision rule is applied",
                                    plausible=(0.6, 0.8), source="2015 opinion (协商一致); assumption")
    max_meetings: int = _p(2, "deliberation", 1, 20, "meetings on one topic before deadlock fails it",
                           plausible=(2, 3), source="assumption; calibrated to P1")
    max_deferrals: int = _p(2, "deliberation", 0, 20, "quorum failures before a topic fails",
                            plausible=(1, 3), source="assumption")
    quorum_min: int = _p(3, "deliberation", 1, 10_000, "minimum attendees for a valid meeting",
                         plausible=(3, 5), source="assumption; calibrated to P1")
    quorum_share: float = _p(0.01, "deliberation", 0, 1, "quorum as a share of residents in scope",
                             plausible=(0.008, 0.012), source="assumption")
    majority: float = _p(0.5, "deliberation", 0, 1, "approval share for majority rules",
                         source="simple majority; Civil Code art. 278 for owners' ordinary matters")
    owners_turnout: float = _p(2 / 3, "deliberation", 0, 1,
                               "owners' matters: share of owners (by head and by area) who must vote",
                               source="Civil Code art. 278 (2021): two thirds by head and by area")
    owners_supermajority: float = _p(0.75, "deliberation", 0, 1,
                                     "owners' major matters (elevators): approval share of voters, head and area",
                                     source="Civil Code art. 278 (2021): three quarters for major matters")
    # --- committee (居委会) ---
    households_per_worker: float = _p(130.0, "committee", 10, 10_000,
                                      "households per community worker; the committee's effort on works "
                                      "scales with min(1, 130 / households per staff member)",
                                      plausible=(110.0, 150.0), source="Beijing standard: 110-150, at least 9")
    committee_facilitation: float = _p(0.25, "committee", 0, 1, "facilitation skill of committee staff",
                                       plausible=(0.15, 0.35), source="field study: limited capacity; assumption")
    facilitation_training_gain: float = _p(0.3, "committee", 0, 1,
                                           "facilitation skill added by the facilitation-training lever",
                                           plausible=(0.2, 0.4), source="assumption: a short certified course")
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
    vote_rounds: int = _p(2, "committee", 0, 20, "door-to-door rounds collecting owners' written votes",
                          plausible=(1, 3), source="assumption")
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
    # --- property manager (物业) ---
    n_property_managers: int = _p(1, "property_manager", 1, 100, "property management companies",
                                  source="one property company per estate")
    pm_responsiveness: float = _p(0.30, "property_manager", 0, 1,
                                  "weekly effort (weeks of work) on a task at no cost to itself",
                                  plausible=(0.24, 0.36), source="assumption; calibrated to P4")
    pm_cost_aversion: float = _p(0.75, "property_manager", 0, 1,
                                 "how much its own cost share lowers its effort",
                                 plausible=(0.6, 0.9), source="assumption: resists unpaid work (ODD §2)")
    pm_attendance: float = _p(0.3, "property_manager", 0, 1, "chance it attends a meeting when not required",
                              plausible=(0.2, 0.4), source="assumption")
    # --- social workers (社工) ---
    sw_outreach_share: float = _p(0.4, "social_worker", 0, 1, "share of a social worker's hours on outreach",
                                  plausible=(0.3, 0.5), source="assumption")
    sw_facilitation_share: float = _p(0.2, "social_worker", 0, 1, "share of hours on facilitation",
                                      plausible=(0.15, 0.25), source="assumption")
    sw_training_share: float = _p(0.2, "social_worker", 0, 1,
                                  "share of hours on training (mediation takes the rest)",
                                  plausible=(0.15, 0.25), source="assumption")
    sw_invites_per_hour: float = _p(4.0, "social_worker", 0, 100, "door knocks and calls per outreach hour",
                                    plausible=(3.0, 5.0), source="assumption")
    sw_seats_per_hour: float = _p(0.75, "social_worker", 0, 100, "training seats per hour of training work",
                                  plausible=(0.5, 1.0), source="assumption")
    sw_cases_per_hour: float = _p(2.0, "social_worker", 0, 100, "complainants visited per mediation hour",
                                  plausible=(1.5, 2.5), source="assumption")
    sw_facilitation_hours: float = _p(4.0, "social_worker", 0.1, 100,
                                      "facilitation hours giving 63% of a social worker's full skill",
                                      plausible=(3.0, 5.0), source="assumption")
    sw_facilitation_weight: float = _p(0.5, "social_worker", 0, 1,
                                       "a social worker's facilitation skill at full hours",
                                       plausible=(0.4, 0.6), source="assumption")
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
                                      "share of payers who must pay for resident-funded works (no subsidy)",
                                      plausible=(0.75, 0.95), source="assumption")
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
                                plausible=(0.45, 0.75), source="Fehr & Gächter 2000; assumption")
    pressure_effect: float = _p(0.5, "implementation", 0, 5,
                                "rise of weekly effort with resident pressure (support)",
                                plausible=(0.4, 0.6), source="assumption")
    supervision_effect: float = _p(1.5, "implementation", 0, 10,
                                   "rise of weekly effort at full supervision",
                                   plausible=(1.2, 1.8), source="assumption")
    commitment_effect: float = _p(0.5, "implementation", 0, 10,
                                  "rise of weekly effort when the property manager committed at the meeting",
                                  plausible=(0.4, 0.6), source="assumption")
    contract_effect: float = _p(0.8, "implementation", 0, 1,
                                "share of the property manager's cost aversion removed by a performance contract",
                                plausible=(0.64, 0.96), source="assumption")
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
                                  plausible=(0.2, 0.4),
                                  source="de Fine Licht, Naurin, Esaiasson & Gilljam 2014 (transparency and "
                                         "acceptance); size an assumption")
    network_learning: float = _p(0.3, "feedback", 0, 1, "chance a neighbour of an attendee hears of an outcome",
                                 plausible=(0.24, 0.36), source="assumption")
    complaint_propensity: float = _p(0.05, "feedback", 0, 1,
                                     "chance an aggrieved, informed resident calls the 12345 hotline",
                                     plausible=(0.04, 0.06), source="assumption: Beijing 12345 hotline")
    aggrieved_stake: float = _p(0.3, "feedback", 0, 1,
                                "|stake| above which losing the decision is a grievance",
                                plausible=(0.24, 0.36), source="assumption")
    heard_acceptance: float = _p(0.5, "feedback", 0, 1,
                                 "share of would-be complainants who accept a lost decision because they were heard",
                                 plausible=(0.3, 0.6), source="Esaiasson et al. 2012; assumption")
    mediation_trust_target: float = _p(0.6, "feedback", 0, 1, "trust a mediated complainant moves toward",
                                       plausible=(0.5, 0.7), source="assumption")
    mediation_effect: float = _p(0.5, "feedback", 0, 1, "share of the way mediation moves a complainant's trust",
                                 plausible=(0.4, 0.6), source="assumption")
    # --- learning and drift (ODD §7.8) ---
    capacity_gain_attend: float = _p(0.02, "learning", 0, 1, "capacity gained per meeting attended",
                                     plausible=(0.01, 0.03), source="assumption")
    capacity_gain_training: float = _p(0.10, "learning", 0, 1, "capacity gained per training session",
                                       plausible=(0.08, 0.12), source="assumption")
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
                               plausible=(0.08, 0.12), source="assumption")
    campaign_gain: float = _p(0.05, "learning", 0, 1, "civic gain (toward 1) of a household a campaign reaches",
                              plausible=(0.04, 0.06), source="assumption")
    crowding_out: float = _p(0.02, "learning", 0, 1, "civic loss per incentive received (Frey & Oberholzer-Gee)",
                             plausible=(0.016, 0.024), source="Frey & Oberholzer-Gee 1997; assumption")
    trust_drift: float = _p(0.003, "learning", 0, 1,
                            "weekly drift of trust and efficacy toward the community's prior level",
                            plausible=(0.002, 0.004), source="assumption")
    # --- levers: policy ---
    incentive_per_meeting: float = _p(0.0, "policy", 0, 1000, "points (~yuan) per meeting attended (积分制)",
                                      source="lever; points schemes (积分制) in Beijing communities")
    incentive_budget: float = _p(50_000.0, "policy", 0, 1e9, "yearly budget for incentive points, yuan",
                                 source="assumption")
    pm_performance_contract: bool = _p(False, "policy", doc="property fee tied to implementing resolutions",
                                       source="lever")
    supervision: float = _p(0.0, "policy", 0, 1, "strength of the implementation oversight board",
                            source="lever")
    meeting_cadence_weeks: int = _p(4, "policy", 1, 52, "weeks between agenda cycles",
                                    source="field study: monthly standardized cycle")
    pm_inclusion: bool = _p(False, "policy", doc="property manager must attend and commit at meetings",
                            source="lever")
    public_subsidy: float = _p(0.0, "policy", 0, 1,
                               "share of resident-funded works (elevator retrofits) paid by a public subsidy",
                               source="lever; Beijing subsidises old-compound elevator retrofits (the share "
                                      "is an assumption: not in the study's sources)")
    # --- levers: idea ---
    awareness_campaign: float = _p(0.0, "idea", 0, 1, "intensity of the civic awareness campaign",
                                   source="lever")
    feedback_transparency: float = _p(0.2, "idea", 0, 1, "share of outcomes published to all residents",
                                      source="assumption: few outcomes are published")
    # --- levers: practice ---
    training_sessions_per_quarter: int = _p(0, "practice", 0, 52, "capacity-training sessions per quarter",
                                            source="lever")
    training_seats: int = _p(20, "practice", 0, 100_000, "residents per training session", source="assumption")
    committee_facilitation_training: bool = _p(False, "practice",
                                               doc="committee staff trained in facilitation", source="lever")
    social_workers: int = _p(0, "practice", 0, 1000, "contracted social workers (社工)", source="lever")
    social_worker_hours: float = _p(20.0, "practice", 0, 60,
                                    "hours per week each social worker gives the community", source="assumption")
    online_channel: bool = _p(False, "practice", doc="notices and attendance through an online channel",
                              source="lever")

    def __post_init__(self):
        for f in dataclasses.fields(self):
            object.__setattr__(self, f.name, coerce(f, getattr(self, f.name)))
        if self.elderly_share + self.young_share > 1:
            raise ParamError("elderly_share + young_share must not exceed 1")
        if self.conditional_cooperator_share + self.free_rider_share > 1:
            raise ParamError("conditional_cooperator_share + free_rider_share must not exceed 1")
        if self.sw_outreach_share + self.sw_facilitation_share + self.sw_training_share > 1:
            raise ParamError("sw_outreach_share + sw_facilitation_share + sw_training_share must not exceed 1")

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
        return "a string"
    if lo is not None:
        return f"{'an integer' if kind == 'int' else 'a number'} in [{lo:g}, {hi:g}]"
    return kind


def coerce(f: dataclasses.Field, value: Any) -> Any:
    """``value`` converted to the field's type and checked against its range (else ParamError)."""
    kind = f.type if isinstance(f.type, str) else f.type.__name__
    bad = ParamError(f"{f.name} = {value!r}: expected {allowed(f)}")
    if kind == "bool":
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.lower() in ("true", "false", "1", "0", "yes", "no", "on", "off"):
            return value.lower() in ("true", "1", "yes", "on")
        if isinstance(value, (int, float)) and not isinstance(value, bool) and value in (0, 1):
            return bool(value)
        raise bad
    if kind == "str":
        if isinstance(value, str):
            return value
        raise bad
    if isinstance(value, bool):
        raise bad
    if isinstance(value, str):
        try:
            value = float(value)
        except ValueError:
            raise bad from None
    if kind == "int":
        if isinstance(value, float):
            if not value.is_integer():
                raise bad
            value = int(value)
        if not isinstance(value, (int,)) and not hasattr(value, "__index__"):
            raise bad
        value = int(value)
    else:
        if not isinstance(value, (int, float)) and not hasattr(value, "__float__"):
            raise bad
        value = float(value)
        if math.isnan(value):
            raise bad
    lo, hi = f.metadata["lo"], f.metadata["hi"]
    if lo is not None and not (lo <= value <= hi):
        raise bad
    return value


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


def levers() -> dict[str, list[str]]:
    """Lever names grouped by front (policy, idea, practice), in declaration order."""
    return {s: [n for n, f in PARAM_INFO.items() if f.metadata["section"] == s] for s in LEVER_SECTIONS}
