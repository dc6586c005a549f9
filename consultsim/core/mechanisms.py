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

__all__ = ["Mechanism", "MECHANISMS", "UNSEEN", "register", "expected_visible", "structure_bound", "in_baseline"]


@dataclass(frozen=True)
class Mechanism:
    """One mechanism of the model and how to switch it off.

    ``lever`` names the lever through which alone the mechanism acts when that lever is off in the
    baseline (e.g. ``supervision_effect`` acts only through ``supervision``): its off-switch leaves the
    baseline unchanged bit for bit (the registry test checks this), so no baseline pattern can see it;
    its size must come from a source instead (docs/levers.md).

    ``structure`` names the settings of a community the baseline community does not have, in which alone
    the mechanism acts (an owners' committee, a street office's 接诉即办 ranking): like a lever-bound
    mechanism its off-switch leaves the baseline unchanged bit for bit, and validation looks for it in a
    community with that structure (the baseline with ``structure``'s settings), not in the baseline."""

    name: str
    odd: str  # the ODD section that describes it, e.g. "§7.4"
    description: str  # what the mechanism does (one sentence)
    off: Mapping[str, Any]  # parameter overrides that remove it
    lever: str | None = None  # acts only through this lever, off in the baseline
    # circumstances in which it acts, if the baseline rarely meets them (for the registry's liveness check)
    context: Mapping[str, Any] | None = None
    # a structure the baseline community lacks, in which alone it acts (validated in that structure)
    structure: Mapping[str, Any] | None = None


MECHANISMS: dict[str, Mechanism] = {}


def register(name: str, odd: str, description: str, *, lever: str | None = None,
             context: Mapping[str, Any] | None = None, structure: Mapping[str, Any] | None = None,
             **off: Any) -> Mechanism:
    """Add a mechanism to the registry (names are unique)."""
    if name in MECHANISMS:
        raise ValueError(f"mechanism {name!r} registered twice")
    if not off:
        raise ValueError(f"mechanism {name!r} has no off-switch")
    if lever is not None and structure is not None:
        raise ValueError(f"mechanism {name!r}: a lever or a structure, not both")
    m = MECHANISMS[name] = Mechanism(name, odd, description, MappingProxyType(dict(off)), lever,
                                     MappingProxyType(dict(context)) if context else None,
                                     MappingProxyType(dict(structure)) if structure else None)
    return m


# --- §7.1 issues arise
register("resident_proposing", "§7.1", "residents who feel a concern acutely may propose it", concern_noticers=0.0)
register("committee_agenda_setting", "§7.1", "the committee adds its own tasks and takes up concerns nobody "
         "proposed", committee_topics_per_year=0.0, committee_pickup=0.0)
register("reproposal", "§7.1", "supporters of an unfunded retrofit raise it again later", repropose_rate=0.0, context={"elevator_rate_per_year": 3.0})
# --- §7.2 agenda
register("agenda_priority", "§7.2", "the committee orders a backlog by urgency, mandate and waiting time",
         context={"agenda_capacity": 1}, agenda_mandate_weight=0.0, agenda_wait_weight=0.0)
# --- §7.3 mobilization and participation
register("selective_information", "§7.3", "only some households hear of a meeting (notice, leaders)",
         notice_reach=1.0, notice_time_base=1.0, leader_reach=1.0)
register("leader_invitations", "§7.3", "building leaders invite their neighbours", leader_reach=0.0)
register("attendance_by_stake", "§7.3", "attendance rises with the stake times efficacy", b_stake=0.0)
register("attendance_by_civic_duty", "§7.3", "attendance rises with civic motivation", b_civic=0.0)
register("attendance_by_skills", "§7.3", "attendance rises with capacity (civic skills)", b_capacity=0.0)
register("attendance_by_invitation", "§7.3", "a personal invitation raises attendance", b_invited=0.0)
register("attendance_by_neighbours", "§7.3", "attendance rises with the share of neighbours attending",
         b_network=0.0)
register("attendance_time_cost", "§7.3", "a meeting costs time, more to those with little spare time", b_time=0.0)
register("attendance_by_trust", "§7.3", "attendance rises with trust in the committee", b_trust=0.0)
register("salience_decay", "§7.3", "interest in a matter erodes while it waits for its meeting",
         interest_decay=0.0)
register("quorum", "§7.3", "a meeting without quorum is deferred, and fails after repeated deferrals",
         quorum_min=1, quorum_share=0.0)
register("attendance_incentive", "§7.3, §7.8", "points paid for attending raise attendance and crowd out "
         "civic motivation", lever="incentive_per_meeting", b_incentive=0.0, crowding_out=0.0)
register("online_channel", "§7.3", "notices online reach online households and lower their time cost",
         lever="online_channel", online_reach=0.0, online_time_cost=1.0)
register("social_worker_outreach", "§7.3, §7.5", "social workers invite residents and canvass owners' votes",
         lever="social_workers", sw_invites_per_hour=0.0)
# --- §7.4 deliberation
register("unequal_voice", "§7.4", "speaking weight grows with capacity", voice_exponent=0.0)
register("bounded_confidence", "§7.4", "attendees move toward views within a confidence bound",
         rounds=1, epsilon=0.0, epsilon_facilitated=0.0, informed_pull=0.0)
register("informed_pull", "§7.4", "capable attendees move toward the well-informed position", informed_pull=0.0)
register("anchoring", "§7.4", "attendees stay anchored to their own interest (Friedkin-Johnsen)", anchoring=0.0)
register("complexity", "§7.4", "complex topics lower effective capacity and narrow the bound",
         complexity_penalty=0.0)
register("committee_facilitation", "§7.4", "the committee's facilitation evens voice and widens the bound",
         committee_facilitation=0.0)
register("property_manager_in_meetings", "§7.4", "the property manager attends some meetings and argues its "
         "stance", pm_attendance=0.0)
register("facilitation_training", "§7.4", "trained committee staff facilitate better",
         lever="committee_facilitation_training", facilitation_training_gain=0.0)
register("social_worker_facilitation", "§7.4", "social workers add facilitation",
         lever="social_workers", sw_facilitation_weight=0.0)
# --- §7.5 decision
register("owners_vote_canvass", "§7.5", "owners' written votes are collected door to door", vote_rounds=0)
register("vote_return_by_stake", "§7.5", "owners a matter concerns return their vote more often",
         vote_return_stake=0.0)
# --- §7.6 implementation
register("implementation_effort", "§7.6", "implementers accumulate effort toward the work required",
         committee_responsiveness=0.0, pm_responsiveness=0.0, residents_effort=0.0)
register("resident_pressure", "§7.6", "broad support for a resolution raises implementers' effort",
         pressure_effect=0.0)
register("escalation", "§7.6", "effort escalates past the soft deadline", escalation_effect=0.0)
register("abandonment", "§7.6", "tasks under way are abandoned, more often the longer they are overdue",
         abandon_base=0.0, abandon_hazard=0.0)
register("owners_contributions", "§7.6", "retrofits start only if enough owners pay (conditional cooperation)",
         contribution_required=0.0, context={"elevator_rate_per_year": 3.0})
register("supervision", "§7.6", "supervision raises implementers' effort and sanctions free riders",
         lever="supervision", supervision_effect=0.0, sanction_effect=0.0)
register("pm_commitment", "§7.6", "an included property manager that agreed works harder",
         lever="pm_inclusion", commitment_effect=0.0, context={"property_fee_rate_per_year": 4.0, "concern_rate": 3.0})
register("performance_contract", "§7.6", "a performance contract lowers the property manager's cost aversion",
         lever="pm_performance_contract", contract_effect=0.0)
# --- §7.7 evaluation and feedback
register("learning_from_outcomes", "§7.7", "trust and efficacy learn from outcomes", learning_rate=0.0)
register("procedural_justice", "§7.7", "being heard counts in judging an outcome, whoever won",
         procedural_weight=0.0)
register("hearing_through_neighbours", "§7.7", "neighbours of attendees hear of outcomes", network_learning=0.0)
register("publication_as_voice", "§7.7", "a published decision with reasons counts as part of a hearing",
         publication_voice=0.0)
register("complaints", "§7.7", "those whose side lost on a matter that concerns them call 12345",
         complaint_propensity=0.0)
register("heard_acceptance", "§7.7", "being heard makes a loss easier to accept: fewer complaints",
         heard_acceptance=0.0)
register("social_worker_mediation", "§7.7", "social workers mediate complaints and restore some trust",
         lever="social_workers", mediation_effect=0.0)
# --- §7.8 learning and drift
register("capacity_from_attending", "§7.8", "attending meetings builds capacity", capacity_gain_attend=0.0)
register("civic_from_success", "§7.8", "implemented outcomes raise learners' civic motivation",
         civic_gain_success=0.0)
register("drift_to_initial", "§7.8", "trust and efficacy drift toward their long-run levels, civic motivation "
         "and capacity back to their initial levels", trust_drift=0.0, civic_drift=0.0, capacity_decay=0.0)
register("training", "§7.8", "training raises trainees' capacity",
         lever="training_sessions_per_quarter", capacity_gain_training=0.0)
register("awareness_campaign", "§7.8", "a campaign raises civic motivation", lever="awareness_campaign",
         campaign_gain=0.0)

# --- issue 16: levers spend resources, institutions as declared rules, five-year dynamics
# Issue 16: levers spend resources, institutions as declared rules (consultsim.core.rules)
register("committee_time_budget", "§7.2", "the committee's staff hours left after administrative tasks pay for agenda "
         "cycles, meetings, door-to-door vote collection and follow-up of its own works; follow-up gives way first",
         cycle_staff_hours=0.0, meeting_staff_hours=0.0, followup_hours=0.0, vote_visit_hours=0.0)
register("facilitation_by_the_hour", "§7.4", "the small groups social workers lead are facilitated as well as the "
         "cycle's facilitation hours per member allow", sw_hours_per_group=0.0, lever="social_workers")
register("one_group_per_facilitator", "§7.4", "a meeting's small groups sit at once, so a social worker leads at most "
         "sw_groups_per_worker of them (deliberative polls: one moderator a group)", sw_groups_per_worker=1000,
         lever="social_workers")
register("vote_campaign", "§7.5", "owners' votes are collected door to door while the turnout gap and collectors' "
         "hours remain, from owners who differ in whether they sign", vote_return_concentration=1000.0,
         vote_climate_sd=0.0)
register("consensus_gate", "§7.5", "a meeting must reach agreement before a decision rule is applied",
         consensus_gate=False)
register("oversight_capacity", "§7.6", "the oversight board follows at most supervision x oversight_cases of the "
         "property manager's works at once (acts only when the supervision lever is on)", oversight_cases=1000.0, lever="supervision")
register("attendance_habit", "§7.3", "attending raises the chance of attending again; disappointing outcomes weaken "
         "the habit (Gerber, Green & Shachar 2003; Bendor, Diermeier & Ting 2003)", b_habit=0.0)
register("trust_running_tally", "§7.8", "trust and efficacy drift back to long-run levels that follow experience, "
         "not to their initial values (Fiorina 1981; Slovic 1993)", trust_anchor_rate=0.0)
register("committee_experience", "§7.8", "the committee's facilitation grows with the meetings it holds and fades "
         "with turnover", experience_facilitation=0.0)
register("committee_elections", "§7.8", "every five years an election replaces members, who take part of the "
         "committee's experience with them (Organic Law of Urban Residents' Committees, 2018)",
         election_turnover=0.0, context={"committee_term_elapsed": 220})
register("elevator_payments_in_stakes", "§7.6", "owners of floors 3 and up weigh their share of an elevator's cost, "
         "net of the public subsidy, against its value", elevator_cost_stake=0.0)
register("elevator_floor_shares", "§7.6", "higher floors pay larger shares of an elevator's cost (Beijing's 2022 "
         "guiding standard)", elevator_share_step=0.0)
register("elevator_compensation", "§7.6", "paying owners compensate floors 1-2 out of their net gain",
         elevator_compensation=0.0)
register("proposal_skill", "§7.1", "a capable drafter writes a proposal that serves everyone in scope a little more",
         proposal_skill=0.0)
register("online_selectivity", "§7.3", "the online channel's time saving goes mostly to the already engaged "
         "(Schlozman, Verba & Brady 2010)", online_selectivity=0.0, lever="online_channel")
register("online_presence", "§7.4", "those who join online are heard less and follow less", online_presence=1.0, lever="online_channel")

# --- issue 18: the actors a district has (§7.10); structures a single baseline community does not have
register("owners_committee_votes", "§7.10", "an owners' committee convenes owners' votes and its members knock on "
         "doors for written votes before the residents' committee's hours are drawn (Civil Code arts. 277-278)",
         oc_member_hours=0.0, structure={"owners_committee": True},
         context={"concern_rate": 8.0, "rule_parking": "owners_ordinary", "committee_admin_share": 0.98})
register("owners_committee_negotiation", "§7.10", "an owners' committee presses the property manager on the works "
         "it owes", oc_negotiation_effect=0.0, structure={"owners_committee": True}, context={"concern_rate": 8.0})
register("hotline_pressure", "§7.10", "the street office ranks communities by last year's 12345 complaints and "
         "presses the committees ranked high to work harder on their own works (接诉即办)",
         pressure_responsiveness=0.0, structure={"street_pressure": 1.0},
         context={"n_property_managers": 0, "concern_rate": 8.0})


def in_baseline(m: Mechanism) -> bool:
    """Whether the mechanism acts in the baseline community: bound neither to a lever nor to a structure."""
    return m.lever is None and m.structure is None


def expected_visible() -> list[str]:
    """Mechanisms validation of the baseline must reject: acting in the baseline (:func:`in_baseline`) and
    not in :data:`UNSEEN`."""
    return [n for n, m in MECHANISMS.items() if in_baseline(m) and n not in UNSEEN]


def structure_bound(visible: bool | None = None) -> list[str]:
    """Mechanisms that act only in a structure the baseline community lacks (``structure``); with
    ``visible=True`` those validation in that structure must reject (not in :data:`UNSEEN`), with False the
    others."""
    names = [n for n, m in MECHANISMS.items() if m.structure is not None]
    return names if visible is None else [n for n in names if (n not in UNSEEN) == visible]


#: Mechanisms active in the baseline whose off-switch no field observable of
#: consultsim.analysis.validation rejects (measured; docs/validation.md, "What validation cannot see").
#: The registry test requires exactly these to pass validation: a mechanism that becomes visible must
#: leave this list, and a new one that validation cannot see must be named here, with the reason.
UNSEEN: dict[str, str] = {
    # measured with issue 17's field observables (validate_knockouts over the 49 active mechanisms, 20 runs
    # x 2,000 households x 104 weeks, master seed 20261127, 2026-12-03; docs/validation.md); re-measured
    # with the records pooled over runs (Mantel-Haenszel, pooled counts), which ended four rejections that
    # rested on one noisy direction criterion (civic duty, capacity from attending, the elevator's payments
    # and compensation) and, with two new observables, saw invitations and informed pull
    "reproposal": "acts only on agreed retrofits that end unfunded, and none did in the baseline (0 of 109 "
                  "agreed resolutions in 20 runs; 36 of 50 elevator topics were rejected at the owners' "
                  "vote): the off-switch left every observable exactly as in the baseline. In the danwei "
                  "type (1,950 households, more retrofits) 3 of 161 elevator topics ended unfunded and the "
                  "off-switch acts, but the danwei baseline itself fails participation_rate and "
                  "resident_proposed_share, so it cannot be the context; and no source gives how often "
                  "unfunded retrofits return (repropose_rate is an assumption)",
    "agenda_priority": "the agenda never queues: proposals wait at most 3 weeks (one cycle) for the agenda, "
                       "so the committee never has more than agenda_capacity topics to order and the "
                       "off-switch left every observable exactly as in the baseline; the same (runs "
                       "identical) in the danwei type (at most 6 weeks) and the commercial type (3,350 "
                       "households, 9.5 topics a run, at most 3 weeks); resettlement and hutong types not "
                       "measured",
    # salience_decay, committee_facilitation, attendance_habit, attendance_by_civic_duty, proposal_skill: re-measured
    # in issue 17 (2026-12-03, 20 runs x 2,000 households x 104 weeks, master seed 20261127; docs/validation.md)
    "salience_decay": "waits before a meeting are short: topics wait a median 2 weeks from proposal to their first "
                      "meeting (at most 4), so a first meeting sees 0.89-0.97 of the stake; concerned households "
                      "attend topics that waited 3-4 weeks as often as those that waited 1-2 (9.8% vs 9.7% with "
                      "decay, 10.0% vs 9.7% without), so the ledger's dates x sign-in sheets cannot see it; and no "
                      "source gives the direction or size of interest's erosion (the parameter's source is an "
                      "assumption), so no band could be set",
    "committee_facilitation": "without the committee's facilitation voice concentration rises from 42.2% [39.4%, "
                              "44.9%] to 51.5% [48.1%, 54.9%], the spread of opinions after a first meeting from "
                              "0.47 to 0.55 of its level before and meetings ending with a majority held back from "
                              "2.9% to 5.6%: all inside their bands (30-70%, 1/3-0.95, 0-50%), whose numbers are "
                              "assumptions around the field study's 'a few voices dominate'; speaking-time records "
                              "of meetings with and without a facilitator, or a source reporting them, would be "
                              "needed to narrow the voice band",
    "resident_pressure": "implementation falls from 33.1% [21.9%, 44.3%] to 18.0% [10.9%, 25.0%] but stays "
                         "within the 10-70% band the field study allows; the ledger's gradient by breadth of "
                         "support (Chen, Pan & Xu 2016's direction, a diagnostic) cannot show it, because "
                         "100 of 109 agreed resolutions were adopted by at least two thirds of those present "
                         "(agreement is sought before a vote), so pressure is almost a constant multiplier "
                         "of effort, which a ledger cannot tell from the implementers' own responsiveness "
                         "(-3.3 points [-37, +30] with pressure, -2.1 without)",
    "escalation": "it acts (28 of the 33 works implemented finished after their soft deadline) but "
                  "implementation falls only from 33.1% to 28.5% [20.9%, 36.2%] (30 works of 112 instead of "
                  "33 of 109 over 20 runs), inside the baseline's own interval; no source gives an "
                  "overdue-completion rate to set a band on the ledger's dates",
    "publication_as_voice": "the publicity board (公示栏) joined to the 12345 log shows its direction only in "
                            "the mean: among unheard losers who care a lot, the odds of calling after a "
                            "posted vs an unposted outcome are 0.873 [0.705, 1.081] with it and 1.136 "
                            "[0.911, 1.416] without (complaints_published_odds, a diagnostic; de Fine Licht "
                            "et al. 2014): the 20 runs hold about 550 such calls, and an interval excluding "
                            "1 would need two to three times as many; trust changes by -0.014 instead of "
                            "-0.005, inside the stagnation band",
    # issue 17: measured over 104 weeks with civic_after_success among the criteria, and over a committee's
    # five-year term with benchmarks/term_window.py (20 runs of 260 weeks, 2,000 households, validate's seeds)
    "drift_to_initial": "over 104 weeks every scored criterion holds (trust change -0.007 instead of -0.005). Over a "
                        "term households' trust persists less without it (panel correlation of the start and the end "
                        "0.629 [0.585, 0.672] instead of 0.786 [0.765, 0.808]), early changes go on instead of "
                        "stopping (correlation of the changes in weeks 0-104 and 104-260: 0.120 [0.067, 0.173] "
                        "instead of 0.005 [-0.037, 0.048]) and households whose trust fell on hearing of a stall "
                        "lose a further 16% [2%, 30%] of the fall, net of the others, a year later (baseline: "
                        "regain 1% [-10%, 12%]). Devine & Valgarðsson 2023 (six panel studies) give only "
                        "directions (trust is stable; changes return to equilibrium in a few years), no coefficient, "
                        "and the baseline does not show a return within a year; a sourced five-year panel "
                        "correlation of trust (corrected for measurement error) above 0.63 would reject it",
    "committee_time_budget": "the committee's hours rarely bind: its own works' follow-up is 99.4% covered "
                             "and implementation stays at 33.0% (33.1% with the costs); the one trace is "
                             "owners' turnout, 70.5% [69.2%, 71.7%] with the collectors' hours counted and "
                             "75.0% [74.1%, 75.8%] with door knocks free, beyond the baseline's interval but "
                             "inside the 50-95% band, an assumption; a sourced turnout of Beijing owners' "
                             "written votes would be needed",
    "vote_campaign": "a campaign stops once two thirds of the owners have signed (the turnout rule), so owners' "
                     "differences in signing change how many knocks it takes, not what the vote records show "
                     "(20 runs): pooled turnout 70.5% [69.2, 71.7] with them, 72.2% [70.7, 73.8] without; "
                     "none of the 52 (50) votes fell short of two thirds; approval by floor unchanged (floors 3 up "
                     "69.3% vs 69.5%, floors 1-2 25.3% vs 24.5%). A collectors' visit log (knocks per signature) "
                     "would show it; no source found gives its size",
    "attendance_habit": "the encouragement design of Gerber, Green & Shachar 2003 (invited to the previous "
                        "community-wide meeting vs not) does not show it: pooled over 20 runs the odds ratio is 1.007 "
                        "[0.976, 1.040] with habit and 0.981 [0.951, 1.013] without. The model's habit is smaller than "
                        "its sources report: one attendance adds 0.29 to the attendance logit four weeks later, 1.8 "
                        "points on informed first-timers' 6.6% chance (three seeds), where Coppock & Green 2016 (AJPS "
                        "60: 1044-1062) report about 10 points for voting on average (30% to 40%, about +0.44 on the "
                        "logit) and Gerber, Green & Shachar 2003 46.7 points. At Coppock & Green's size (b_habit = "
                        "1.5) the design still does not show it (1.021 [0.989, 1.053]), at 2.0, the top of its "
                        "plausible range, barely (1.037 [1.004, 1.071], one seed): an invitation moves one meeting's "
                        "attendance too little for 20 communities to see its echo a meeting later, so correcting the "
                        "size would not make the observable show and b_habit stays 1.0",
    "trust_running_tally": "the long-run anchor moves at 0.3% a week: over 104 weeks every scored criterion holds; "
                           "over a term no observable leaves the baseline's interval: trust panel persistence 0.800 "
                           "[0.775, 0.826] without it, 0.786 [0.765, 0.808] with it; correlation of early and late "
                           "changes -0.032 vs 0.005; share of a trust loss regained a year later 3% vs 1%; trust "
                           "change over the term +0.002 vs -0.002. What it does (half of a lasting change stays) "
                           "would show only in the return of trust years after a shock, which 20 panels of one "
                           "term do not resolve (intervals of +-0.05 to +-0.11)",
    "committee_experience": "experience stays near its starting level at the baseline's ~10 meetings a year (0.43 "
                            "after five years, from 0.5): over 104 weeks the top 10%'s speaking share is 41.7% "
                            "without it, 42.2% with it; over a term, in the half-year after the week-130 election, "
                            "38.5% [35.1%, 41.9%] without it, 41.1% [37.2%, 45.0%] with it, and resolutions per "
                            "meeting in years 4-5 0.41 either way; no field study of minutes or ledgers by year of a "
                            "committee's term gives a direction",
    "committee_elections": "the baseline's next election falls in week 130, after the 104 weeks validation "
                           "covers: the runs are identical to the baseline's. In a community whose election falls in "
                           "week 40 (committee_term_elapsed = 220, 20 runs x 104 weeks) the off-switch is accepted "
                           "(top 10%'s speaking share 42.2% instead of 42.5%, implementation 33.1% instead of 34.5%); "
                           "over a term the half-year after the election shows 40.3% instead of 41.1%: the experience "
                           "members take with them (30% of about 0.45) moves facilitation by about 0.03. Election "
                           "records (turnout, members re-elected) are not among the observables",
    "elevator_floor_shares": "it moves the bill among the payers (floor 3 pays less, the top floor more) and leaves "
                             "their total, so the owners' vote records by floor do not move (20 runs): "
                             "floors 3 up approve 69.3% with it, 69.0% without; floors 1-2 25.3% vs 24.9% (46 and "
                             "55 retrofit votes); with retrofits raised at 0.25 a building a year (86-88 votes) "
                             "70.1% vs 72.5%. Only approval between floors 3 and 6 would differ, and no source found "
                             "gives its size",
    "owners_contributions": "agreed retrofits are funded in the baseline (none of the 7 agreed in 20 runs ended "
                            "unfunded: pledgers cover refusers' shares), so the off-switch leaves every record as in "
                            "the baseline bit for bit; with retrofits at 0.25 a building a year 2 of 14 agreed end "
                            "unfunded and none without (the unfunded share is a diagnostic: a direction on a handful "
                            "of retrofits); in the danwei type 3 of 28, but the danwei fails two scored criteria "
                            "itself (participation 21.4%, resident proposals 35.0%), so it cannot be the context",
    "attendance_by_civic_duty": "without civic motivation fewer attend (highest quarterly participation 13.5% to "
                                "9.0%, postponed meetings 1.4% to 17.0%, topics decided on schedule 100% to 90.7%) "
                                "but every band still holds; the civic-duty odds ratio falls from 2.37 [2.26, 2.50] "
                                "to 1.06 [1.01, 1.12], a residual association (duty goes with other drivers of "
                                "attendance) still above the null, the only bound its sources give: Blais & Achen "
                                "2019 (Political Behavior) and Blais 2000 find duty a powerful predictor of voting, "
                                "but no source checked reports a size for attending meetings that would set a "
                                "minimum odds ratio",
    "elevator_payments_in_stakes": "owners who weigh their payments approve retrofits less: without it the owners' "
                                   "vote records show floors 3 up approving 88.1% instead of 69.3% and floors 1-2 "
                                   "43.8% instead of 25.3% (their compensation grows with the payers' gain), the "
                                   "show-of-hands minus owners'-vote agreement gap 21.2% [6.9, 35.6] instead of "
                                   "54.5%, the complex-topic failure gap 22.5% [10.6, 34.4] instead of 44.6% ("
                                   "20 runs); the sources give directions only (lower floors object; stricter rules "
                                   "agree less), which both show, and no share of payers approving",
    "elevator_compensation": "without compensation floors 1-2 approve retrofits far less in the owners' vote "
                             "records (9.4% of their returned votes instead of 25.3%; floors 3 up 77.5% instead of "
                             "69.3%: elevator_approval_by_floor 68.1 [63.5, 72.8] instead of 43.9 [39.8, 48.1] "
                             "points), more meetings end with a majority held back (8.6% instead of 2.9%) and owners' "
                             "vote return by concern rises (1.82 instead of 1.50), all inside their bands (20 "
                             "runs); the sources give the direction (lower floors object), which both show, and no "
                             "size; with retrofits at 0.25 a building a year also accepted",
    "proposal_skill": "resident proposals are few (2.6 a run; 48 settled in 20 runs) and the term centres on a "
                      "drafter's capacity of 1/2 while residents' capacity averages about 0.35 (capacity_mean), so on "
                      "average it makes proposals a little worse: without it resident proposals are agreed more often "
                      "(47% vs 38% of those settled, a difference within one standard error, 10 points) and with more "
                      "support (0.64 vs 0.57); no source gives the direction of drafting skill on adoption for a "
                      "criterion (the size is an assumption)",
    # issue 18: structure-bound (inert in the baseline bit for bit); validated in their structure, the
    # baseline with owners_committee = true or street_pressure = 1 (20 runs, same settings, 2026-12-03)
    "owners_committee_votes": "in a community with an owners' committee the off-switch is accepted: the "
                              "residents' committee's hours and building leaders still collect the votes, so owners' "
                              "turnout stays at 70.5% [69.3, 71.8] with the committee's canvassers and 70.4% [69.3, "
                              "71.6] without, and the vote records by floor are unchanged (floors 3 up approve 70.6% "
                              "vs 70.7%, floors 1-2 24.6% vs 24.6%; 20 runs). Who collected each vote would "
                              "show it, but only as a read-out of the switch; a district comparison of estates with "
                              "and without committee canvassers would be needed",
    "owners_committee_negotiation": "in a community with an owners' committee the off-switch is accepted: "
                                    "implementation 31.6% [22.1%, 41.0%] with the committee pressing the "
                                    "property manager and 33.9% [22.3%, 45.6%] without; a 20% rise of effort "
                                    "on the manager's works moves a few works in 20 runs of one estate. "
                                    "Estates with and without a committee across a district would be needed, "
                                    "and the size is an assumption",
    "hotline_pressure": "at full 接诉即办 pressure (street_pressure = 1) the off-switch is accepted: "
                        "implementation 36.6% [26.7%, 46.6%] to 33.1% and stalled resolutions 55.8% to "
                        "64.2%, inside their bands and the baseline's intervals; the hotline's rise in "
                        "resolution rate after complaints were assigned to streets (53% to 74%, 2019) is the "
                        "whole city's complaint handling, not a community's consultation works. A district's "
                        "yearly 12345 log and ledgers by community would be needed",
    # issue 18: a direction on counts of events needs 5 events and 5 non-events to be judged
    # (validation.MIN_EVENTS); these three were rejected only by a rare-event direction with fewer (measured
    # 2026-12-03, validate_knockouts(baseline, [name], replicates=20), 2,000 households, 104 weeks, seed 20261127)
    "complexity": "without it 1 of 267 meetings ends with a majority held back (8 of 275 in the baseline), its only "
                  "failing criterion; one event is too few records to judge (validation.MIN_EVENTS); complex topics "
                  "fail more often only where retrofits are on the agenda (docs/district.md)",
    "quorum": "without the quorum rule 1 of 277 convened meetings is postponed, its only failing criterion; the "
              "baseline itself has 4 of 279, so meetings_postponed has too few records to judge in either",
    "consensus_gate": "without the gate none of 271 meetings ends with a majority held back (8 of 275 in the "
                      "baseline); the band is a direction ('some meetings continue'), which no count of zero "
                      "events can decide (too few records to judge); the rule of three bounds the share at 1.1%, "
                      "below the baseline's 2.9%, but no criterion compares a run with the baseline",
}
