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
                          "households; one resident agent per household")
    n_buildings: int = _p(20, "community", 1, 100_000, "residential buildings")
    floors: int = _p(6, "community", 1, 40, "floors per building")
    # --- population ---
    elderly_share: float = _p(0.30, "population", 0, 1, "share of household heads aged 60+")
    young_share: float = _p(0.30, "population", 0, 1, "share of household heads aged 18-39")
    owner_share: float = _p(0.80, "population", 0, 1, "share of owner-occupier households")
    car_share: float = _p(0.35, "population", 0, 1, "share of households owning a car")
    pet_share: float = _p(0.20, "population", 0, 1, "share of households keeping a pet")
    online_young: float = _p(0.90, "population", 0, 1, "share of young households in the WeChat groups")
    online_middle: float = _p(0.80, "population", 0, 1, "share of middle-aged households in the WeChat groups")
    online_elderly: float = _p(0.45, "population", 0, 1, "share of elderly households in the WeChat groups")
    party_share: float = _p(0.12, "population", 0, 1, "share of households headed by a party member")
    leaders_per_building: int = _p(2, "population", 0, 10, "building leaders (楼门长) per building")
    time_young: float = _p(0.20, "population", 0, 1, "mean spare time of young households")
    time_middle: float = _p(0.30, "population", 0, 1, "mean spare time of middle-aged households")
    time_elderly: float = _p(0.75, "population", 0, 1, "mean spare time of elderly households")
    civic_mean: float = _p(0.30, "population", 0, 1, "mean intrinsic civic motivation")
    capacity_mean: float = _p(0.35, "population", 0, 1, "mean deliberative capacity")
    trust_committee_mean: float = _p(0.50, "population", 0, 1, "initial mean trust in the committee")
    trust_property_mean: float = _p(0.40, "population", 0, 1, "initial mean trust in the property manager")
    efficacy_mean: float = _p(0.35, "population", 0, 1, "initial mean political efficacy")
    conditional_cooperator_share: float = _p(0.50, "population", 0, 1,
                                             "share of conditional cooperators (Fischbacher et al. 2001)")
    free_rider_share: float = _p(0.33, "population", 0, 1, "share of free riders (Fischbacher et al. 2001)")
    # --- network ---
    building_degree: float = _p(6.0, "network", 0, 100, "mean number of ties inside one's building")
    long_range_degree: float = _p(1.0, "network", 0, 100, "mean number of ties to other buildings")
    age_homophily: float = _p(0.6, "network", 0, 1, "probability a tie is drawn within one's age group")
    network_file: str = _p("", "network", doc="edge-list or GraphML file replacing the generated network")
    # --- topics ---
    concern_rate: float = _p(1.0, "topics", 0, 100,
                             "multiplier on every topic type's yearly rate of new concerns")
    concern_noticers: float = _p(5.0, "topics", 0, 1000,
                                 "mean number of affected households who feel a concern acutely enough "
                                 "to consider raising it")
    propose_beta: float = _p(6.0, "topics", 0, 100, "slope of the proposal logistic")
    propose_cost: float = _p(1.15, "topics", 0, 10, "perceived cost of proposing a topic")
    topic_variation: float = _p(0.15, "topics", 0, 1,
                                "spread of a proposal's design: shifts everyone's stake and its merit")
    committee_pickup: float = _p(0.35, "topics", 0, 1,
                                 "chance the committee takes up a concern nobody proposed")
    committee_topics_per_year: float = _p(4.0, "topics", 0, 100, "top-down policy tasks per year")
    # --- participation (calculus of participation, ODD §7.3) ---
    b0: float = _p(-2.7, "participation", -20, 20, "intercept of the attendance logistic")
    b_stake: float = _p(2.0, "participation", 0, 20, "weight of |stake| x efficacy")
    b_civic: float = _p(2.0, "participation", 0, 20, "weight of civic motivation")
    b_incentive: float = _p(0.8, "participation", 0, 20, "weight of the incentive (per 10 points)")
    b_invited: float = _p(1.2, "participation", 0, 20, "weight of a personal invitation")
    b_network: float = _p(1.5, "participation", 0, 20, "weight of the share of neighbours attending")
    b_time: float = _p(3.0, "participation", 0, 20, "weight of the time cost x (1 - spare time)")
    b_trust: float = _p(1.0, "participation", 0, 20, "weight of trust in the committee - 1/2")
    notice_reach: float = _p(0.30, "participation", 0, 1,
                             "chance a resident in scope sees the paper notice (scaled up by spare time)")
    leader_reach: float = _p(0.5, "participation", 0, 1,
                             "chance a building leader personally invites each of their neighbours")
    online_reach: float = _p(0.8, "participation", 0, 1,
                             "chance an online resident sees a notice posted on the online channel")
    online_time_cost: float = _p(0.4, "participation", 0, 1,
                                 "time cost of attending online relative to in person")
    # --- deliberation (ODD §7.4) ---
    rounds: int = _p(4, "deliberation", 1, 50, "rounds of exchange in one meeting")
    epsilon: float = _p(0.20, "deliberation", 0, 1, "confidence bound without facilitation")
    epsilon_facilitated: float = _p(0.25, "deliberation", 0, 1,
                                    "widening of the confidence bound at full facilitation")
    voice_exponent: float = _p(3.0, "deliberation", 0, 10,
                               "speaking weight grows as capacity ** voice_exponent")
    anchoring: float = _p(0.35, "deliberation", 0, 1, "weight on one's own initial view (Friedkin-Johnsen)")
    informed_pull: float = _p(0.30, "deliberation", 0, 1,
                              "pull toward the well-informed position at full capacity")
    complexity_penalty: float = _p(0.6, "deliberation", 0, 1,
                                   "share of effective capacity (and half the confidence bound) lost on the most complex topic")
    agreement_consensus: float = _p(0.7, "deliberation", 0, 1,
                                    "consensus a meeting must reach before the decision rule is applied")
    max_meetings: int = _p(2, "deliberation", 1, 20, "meetings on one topic before deadlock fails it")
    max_deferrals: int = _p(2, "deliberation", 0, 20, "quorum failures before a topic fails")
    quorum_min: int = _p(3, "deliberation", 1, 10_000, "minimum attendees for a valid meeting")
    quorum_share: float = _p(0.01, "deliberation", 0, 1, "quorum as a share of residents in scope")
    majority: float = _p(0.5, "deliberation", 0, 1, "approval share for majority rules")
    # --- committee (居委会) ---
    households_per_worker: float = _p(130.0, "committee", 10, 10_000,
                                      "households per community worker (Beijing standard 110-150)")
    committee_facilitation: float = _p(0.25, "committee", 0, 1, "facilitation skill of committee staff")
    agenda_capacity: int = _p(3, "committee", 1, 100, "topics put on the agenda per cycle")
    welfare_fund: float = _p(200_000.0, "committee", 0, 1e9, "yearly public welfare fund (公益金), yuan")
    committee_responsiveness: float = _p(0.30, "committee", 0, 1,
                                         "weekly chance the committee progresses works it implements")
    # --- property manager (物业) ---
    n_property_managers: int = _p(1, "property_manager", 1, 100, "property management companies")
    pm_responsiveness: float = _p(0.30, "property_manager", 0, 1,
                                  "weekly chance to progress an assigned task at no cost to itself")
    pm_cost_aversion: float = _p(0.75, "property_manager", 0, 1,
                                 "how much its own cost share lowers its progress")
    pm_service_quality: float = _p(0.5, "property_manager", 0, 1, "service quality")
    pm_attendance: float = _p(0.3, "property_manager", 0, 1, "chance it attends a meeting when not required")
    # --- implementation (ODD §7.6) ---
    deadline_factor: float = _p(2.0, "implementation", 1, 20,
                                "deadline as a multiple of the topic's duration")
    contribution_required: float = _p(0.85, "implementation", 0, 1,
                                      "share of payers who must contribute for resident-funded works")
    sanction_effect: float = _p(0.6, "implementation", 0, 1,
                                "share of free riders brought to pay at full supervision")
    pressure_effect: float = _p(0.5, "implementation", 0, 5,
                                "rise of the weekly progress chance with resident pressure")
    supervision_effect: float = _p(1.5, "implementation", 0, 10,
                                   "rise of the weekly progress chance at full supervision")
    contract_effect: float = _p(0.8, "implementation", 0, 1,
                                "share of the property manager's cost aversion removed by a performance contract")
    # --- feedback (ODD §7.7) ---
    learning_rate: float = _p(0.25, "feedback", 0, 1, "rho: step toward an outcome by those who saw it")
    network_learning: float = _p(0.3, "feedback", 0, 1, "chance a neighbour of an attendee hears of an outcome")
    complaint_propensity: float = _p(0.05, "feedback", 0, 1,
                                     "chance an aggrieved, informed resident calls the 12345 hotline")
    # --- learning and drift (ODD §7.8) ---
    capacity_gain_attend: float = _p(0.02, "learning", 0, 1, "capacity gained per meeting attended")
    capacity_gain_training: float = _p(0.10, "learning", 0, 1, "capacity gained per training session")
    capacity_decay: float = _p(0.004, "learning", 0, 1, "weekly decay of capacity toward its initial value")
    civic_drift: float = _p(0.01, "learning", 0, 1, "weekly drift of civic motivation toward its initial value")
    civic_gain_success: float = _p(0.02, "learning", 0, 1, "civic gain on hearing of an implemented success")
    crowding_out: float = _p(0.02, "learning", 0, 1, "civic loss per incentive received (Frey & Oberholzer-Gee)")
    trust_drift: float = _p(0.003, "learning", 0, 1,
                            "weekly drift of trust and efficacy toward the community's prior level")
    # --- levers: policy ---
    incentive_per_meeting: float = _p(0.0, "policy", 0, 1000, "points (~yuan) per meeting attended (积分制)")
    incentive_budget: float = _p(50_000.0, "policy", 0, 1e9, "yearly budget for incentive points, yuan")
    pm_performance_contract: bool = _p(False, "policy", doc="property fee tied to implementing resolutions")
    supervision: float = _p(0.0, "policy", 0, 1, "strength of the implementation oversight board")
    meeting_cadence_weeks: int = _p(4, "policy", 1, 52, "weeks between agenda cycles")
    pm_inclusion: bool = _p(False, "policy", doc="property manager must attend and commit at meetings")
    # --- levers: idea ---
    awareness_campaign: float = _p(0.0, "idea", 0, 1, "intensity of the civic awareness campaign")
    feedback_transparency: float = _p(0.2, "idea", 0, 1, "share of outcomes published to all residents")
    # --- levers: practice ---
    training_sessions_per_quarter: int = _p(0, "practice", 0, 52, "capacity-training sessions per quarter")
    training_seats: int = _p(20, "practice", 0, 100_000, "residents per training session")
    committee_facilitation_training: bool = _p(False, "practice",
                                               doc="committee staff trained in facilitation")
    social_workers: int = _p(0, "practice", 0, 1000, "contracted social workers (社工)")
    social_worker_hours: float = _p(20.0, "practice", 0, 60, "hours per week each social worker gives the community")
    online_channel: bool = _p(False, "practice", doc="notices and attendance through an online channel")
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
    cost_supervision: float = _p(
        60_000.0, "costs", 0, 1e8, "an implementation oversight board at full strength for a year (scaled by "
        "supervision): stipends for resident members, street-office liaison time",
        plausible=(30_000.0, 120_000.0), source="assumption: 5 members x 12 meetings x ~300 yuan plus half a "
        "liaison post", descriptive=True)
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
        return "a string"
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
        if isinstance(value, str):
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
SUM_CONSTRAINTS = (("elderly_share", "young_share"), ("conditional_cooperator_share", "free_rider_share"))


def check_sums(values: dict[str, Any]) -> None:
    """Raise ParamError, stated as a sum, when shares of one population add up to more than 1."""
    for a, b in SUM_CONSTRAINTS:
        if a in values and b in values and values[a] + values[b] > 1 + 1e-9:
            raise ParamError(f"{a} + {b} = {values[a]:g} + {values[b]:g} = {values[a] + values[b]:g}: "
                             "these shares of one population together must not exceed 1")


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
