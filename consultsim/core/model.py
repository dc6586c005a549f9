"""The consultation model: four stakeholder types take community topics through the procedure.

One step is one week (ODD §2-3). ``__init__`` only builds the
community; :meth:`ConsultationModel.step` is the weekly schedule of ODD §3 as a
short list of verbs. Household state lives in arrays (``model.res``) updated
by the vectorized kernels of :mod:`consultsim.core.kernels.participation`,
:mod:`consultsim.core.kernels.deliberation`, :mod:`consultsim.core.kernels.implementation` and
:mod:`consultsim.core.kernels.feedback`; the Mesa agents in :mod:`consultsim.core.agents` are
their public face.
"""

from __future__ import annotations

import math
from copy import deepcopy
from types import FunctionType
from typing import Any

import mesa
import numpy as np
import pandas as pd
import scipy.sparse as sp

from consultsim.core.agents import (
    NeighbourhoodCommittee,
    OversightBoard,
    OwnersCommittee,
    PropertyManager,
    Resident,
    SocialWorker,
)
from consultsim.core.community import generate_residents
from consultsim.core.events import Event
from consultsim.core.kernels.deliberation import meeting
from consultsim.core.kernels.feedback import drift_toward, learn_capacity, nudge_up, update_toward, who_learns
from consultsim.core.kernels.implementation import (
    abandon_chance,
    collect_pledges,
    negotiated_funding,
    weekly_effort,
)
from consultsim.core.kernels.participation import (
    attendance_utility,
    decide_attendance,
    logistic,
    mobilize,
    update_habit,
)
from consultsim.core.metric_names import METRICS
from consultsim.core.metrics import REPORTERS
from consultsim.core.network import adjacency, as_edges, generate_edges, to_graph
from consultsim.core.observables import (
    CONCERNED,
    OBSERVABLE_COLUMNS,
    covering_leaders,
    record_civic,
    record_complaints,
    record_decision,
    record_invitations,
    record_meeting,
    record_trust,
    record_unheard_losers,
    topic_observables,
)
from consultsim.core.params import Params
from consultsim.core.rng import Streams, fresh_seed
from consultsim.core.rules import quorum_needed
from consultsim.core.scenario import Scenario, ScenarioError, as_scenario
from consultsim.core.topics import Stage, Topic, TopicType, catalog, elevator_terms

__all__ = ["ConsultationModel"]

#: how a topic whose last allowed meeting ends without approval is recorded (rules consensus_gate,
#: majority, owners_ordinary, owners_major: "or else")
FAILURE_OF = {"no consensus": "deadlock", "rejected": "rejected", "too few owners voted": "no valid vote"}


class _DataCollector(mesa.DataCollector):
    """Mesa's DataCollector, storing plain functions' plain numbers as they are.

    Mesa deep-copies every reporter's value at every collection so that a mutable value (a list, an
    array) is not changed afterwards; a float, int, bool or None cannot be, and the copy and Mesa's
    per-reporter type checks were a fifth of the weekly overhead (docs/scaling.md). Any other reporter
    (an attribute's name, a method, a [function, args] list) or value, and agent reporters, go through
    Mesa's own ``collect`` unchanged.
    """

    _PLAIN = (float, int, bool, type(None))

    def collect(self, model):
        reporters = self.model_reporters
        # Mesa's own path until it has checked the reporters, and whenever anything but plain functions is
        # asked for (getattr: private attributes of Mesa 3.3 that another 3.x may not have)
        if (not getattr(self, "_validated", False) or getattr(self, "agent_reporters", None)
                or getattr(self, "agenttype_reporters", None)
                or not all(type(r) is FunctionType for r in reporters.values())):
            return super().collect(model)
        steps = getattr(self, "_collection_steps", None)  # Mesa 3.4+: which step each row is (batch_run reads it)
        if steps is not None:
            steps.append(getattr(model, "time", model.steps))
        store, plain = self.model_vars, self._PLAIN
        for name, reporter in reporters.items():
            value = reporter(model)
            store[name].append(value if type(value) in plain else deepcopy(value))


def _seed_of(rng: Any) -> int:
    """Accept None, an int, a SeedSequence or a Generator; return the run's integer seed."""
    if rng is None:
        return fresh_seed()
    if isinstance(rng, np.random.Generator):
        return int(rng.integers(2**63 - 1))
    if isinstance(rng, np.random.SeedSequence):
        return int(rng.generate_state(1, dtype=np.uint64)[0] >> np.uint64(1))
    if isinstance(rng, (int, np.integer)) and not isinstance(rng, bool) and rng >= 0:
        return int(rng)
    raise ScenarioError(f"rng = {rng!r}: expected a non-negative integer seed, a SeedSequence or a Generator")


class ConsultationModel(mesa.Model):
    """Urban community consultation in a Beijing community (docs/ODD.md).

    Args:
        scenario: a :class:`~consultsim.core.scenario.Scenario` (from
            :func:`consultsim.load_scenario` for a file), :class:`~consultsim.core.params.Params`,
            or None for the baseline defaults.
        rng: the run's seed (an int; every random draw derives from it). ``seed=`` is
            accepted too, as in older Mesa code.
        network: the residents' ties instead of the generated network: an edge array (m, 2) or a
            networkx Graph on households 0..n_residents-1 (``network_file`` is read in
            :mod:`consultsim.running.network_files`, e.g. by ``simulate``).
        **overrides: flat parameter names, e.g. ``n_residents=300`` or any lever.
    """

    def __init__(self, scenario: Scenario | Params | None = None, *, rng: Any = None, seed: Any = None,
                 network: Any = None, **overrides: Any):
        sc = as_scenario(scenario)
        if overrides:
            sc = sc.with_overrides(**overrides)
        if seed is not None and rng is not None:
            raise ScenarioError("give the seed once: rng= or seed=, not both")
        seed = _seed_of(rng if rng is not None else seed)
        super().__init__(rng=seed)
        # not `self.scenario`: Mesa 3.5 reserves that name for its own Scenario object
        self.scenario_spec, self.seed, self.streams = sc, seed, Streams(seed)
        self.params = sc.params
        self.catalog = catalog(self.params)  # topic types with this run's numbers (ODD §2)
        self._top_down = [t for t in self.catalog.values() if t.top_down_weight > 0]  # the committee's tasks
        w = np.array([t.top_down_weight for t in self._top_down])
        self._top_down_p = w / sum(w) if len(w) else w
        self._build_community(network)
        self.committee = NeighbourhoodCommittee(self)
        self.property_managers = [PropertyManager(self) for _ in range(self.params.n_property_managers)]
        self.social_workers = [SocialWorker(self) for _ in range(self.params.social_workers)]
        self.oversight = OversightBoard(self)
        # the owners' committee (业委会) where the community has one (ODD §7.10)
        self.owners_committee = OwnersCommittee(self) if self.params.owners_committee else None
        self.topics: list[Topic] = []
        self._open: list[Topic] = []  # topics not yet evaluated (the weekly loops run over these)
        self.events: list[Event] = []
        self.current_topic: Topic | None = None
        self.counts = dict.fromkeys(("proposed", "resident_proposed", "on_agenda", "meetings", "resolutions",
                                     "failed", "implemented", "stalled", "complaints", "incentive_spent",
                                     "consensus_sum", "voice_sum", "attendances", "committee_meeting_hours",
                                     "followup_needed", "followup_given", "vote_hours", "oversight_cases",
                                     "sw_groups_needed", "sw_groups_led", "completion_weeks", "oc_vote_hours"), 0.0)
        self.incentive_left = self.params.incentive_budget
        self.attending_now = np.zeros(self.res.n, dtype=bool)
        self._paid_now = np.zeros(self.res.n, dtype=bool)
        self._outreach_per_household = 0.0  # social workers' invitations this agenda cycle per household concerned
        self._facilitation_pool = 0.0  # social workers' facilitation hours left this agenda cycle
        self._facilitation_per_household = 0.0  # the cycle's facilitation hours per household concerned
        self._sw_cover = 0.0  # share of the current meeting's small groups a social worker leads
        self._disappointed: list[np.ndarray] = []  # attendees let down by an outcome this week (habit)
        self._meetings_seen = 0  # meetings held before this week (committee experience)
        self._comebacks: list[tuple[int, TopicType, int | None]] = []  # (week due, type, building)
        self._followup_share = 1.0  # share of its works' follow-up the committee's hours cover this week
        self._invited_last: np.ndarray | None = None  # who was invited to the last community-wide meeting (records)
        self._covering: tuple | None = None  # leaders listing each household (see _covered_by)
        self.datacollector = _DataCollector(model_reporters=REPORTERS)
        self.datacollector.collect(self)

    def _build_community(self, network: Any = None) -> None:
        p = self.params
        if p.network_file and network is None:
            raise ScenarioError(f"network_file {p.network_file!r}: the model does not read files; run it with "
                                "consultsim.running.runner.simulate, or pass network=")
        self.res = generate_residents(p, self.streams.population)
        if network is not None:
            try:
                edges = as_edges(network, p.n_residents)
            except ValueError as e:
                raise ScenarioError(str(e)) from None
        else:
            edges = generate_edges(self.res, p, self.streams.network)
        self.edges = edges
        self.adj = adjacency(self.res.n, edges)
        self.degree = np.diff(self.adj.indptr).astype(float)
        order = np.argsort(self.res.building, kind="stable")
        bounds = np.searchsorted(self.res.building[order], np.arange(self.res.building.max() + 2))
        self.building_members = [order[bounds[b]:bounds[b + 1]] for b in range(len(bounds) - 1)]
        self.everyone = np.arange(self.res.n)
        self.age_mix = np.bincount(self.res.age_group, minlength=3) / self.res.n
        nb = len(self.building_members)
        self.led_building = np.bincount(self.res.building[self.res.leader], minlength=nb)[:nb] > 0
        self._graph = None
        # Resident agents are views onto self.res, made on first access (see _ensure_residents)
        self._residents_built = False

    # ------------------------------------------------------------------ the week
    def step(self) -> None:
        """One week, in the order of ODD §3."""
        self.start_week()
        self.raise_issues()
        self.set_agenda()
        self.hold_meetings()
        self.implement_resolutions()
        self.evaluate_outcomes()
        self.learn_and_drift()
        self.datacollector.collect(self)

    @property
    def week(self) -> int:
        return self.steps

    def start_week(self) -> None:
        """Clear this week's records; a new year renews the welfare fund and the incentive budget;
        the street office's contract sets how many social workers serve this week."""
        self._contract_social_workers()
        self.committee.start_week()
        self.attending_now[:] = False
        self._paid_now[:] = False
        if self.week > 1 and (self.week - 1) % 52 == 0:
            self.committee.new_year()
            self.incentive_left = self.params.incentive_budget

    def _contract_social_workers(self) -> None:
        """Hire or release social workers to match the ``social_workers`` lever (it may change mid-run)."""
        while len(self.social_workers) < self.params.social_workers:
            self.social_workers.append(SocialWorker(self))
        while len(self.social_workers) > self.params.social_workers:
            self.social_workers.pop().remove()

    # 1. issues arise -------------------------------------------------------
    @property
    def _weekly_rates(self) -> tuple[float, ...]:
        """Expected new concerns this week per topic type, then the committee's own tasks (kept while the
        parameters and the catalog are the same objects: both are replaced, never changed in place, when a
        run's parameters change, e.g. by :meth:`amend`)."""
        kept = self.__dict__.get("_rates_kept")
        if kept is not None and kept[0] is self.params and kept[1] is self.catalog:
            return kept[2]
        p, nb = self.params, len(self.building_members)
        rates = tuple(tt.rate_per_year * p.concern_rate / 52 * (nb if tt.scope == "building" else 1)
                      for tt in self.catalog.values()) + (p.committee_topics_per_year / 52,)
        self._rates_kept = (p, self.catalog, rates)
        return rates

    def raise_issues(self) -> None:
        """New concerns per topic type (Poisson); residents with a stake may propose them.

        A concern is felt acutely by Poisson(``concern_noticers``) of the households
        with |stake| >= 0.4; each proposes it with P = logistic(beta (|stake| efficacy
        + civic - cost)) (ODD §7.1). If nobody does, the committee takes it up with
        chance ``committee_pickup``.
        The committee also adds its own policy tasks.
        """
        rng = self.streams.concerns
        # one draw per rate, in order: the same numbers an array of rates draws (numpy's Poisson sampler runs
        # element by element), at half the cost of numpy's array call for seven rates
        counts = [rng.poisson(rate) for rate in self._weekly_rates]
        for tt, k in zip(self.catalog.values(), counts[:-1]):
            for _ in range(k):
                self._concern(tt, rng)
        for _ in range(counts[-1] if self._top_down else 0):
            self._concern(self._top_down[rng.choice(len(self._top_down), p=self._top_down_p)], rng,
                          top_down=True)
        due = [c for c in self._comebacks if c[0] <= self.week]
        if due:  # unfunded proposals whose supporters raise them again (ODD §7.1)
            self._comebacks = [c for c in self._comebacks if c[0] > self.week]
            for _, tt, building in due:
                self._concern(tt, rng, building=building)

    def _concern(self, tt: TopicType, rng: np.random.Generator, top_down: bool = False,
                 building: int | None = None) -> None:
        if tt.scope == "building" and building is None:
            building = int(rng.integers(len(self.building_members)))
        if any(t.type.name == tt.name and t.building == building for t in self._open):
            return  # already under way: the concern joins that topic
        scope = self.everyone if building is None else self.building_members[building]
        # Each proposal has its own design (a leash rule is not a pet ban): one draw shifts
        # every household's stake and the proposal's merit alike (assumption).
        design = rng.normal(0.0, self.params.topic_variation)
        ctx = {"floors": self.params.floors, "params": self.params}
        stake = np.clip(tt.stake(self.res, scope, rng, ctx) + design, -1, 1)
        if top_down:
            origin = "committee"
        else:
            p, res = self.params, self.res
            # Those who feel it acutely consider raising it (few per concern: the rest wait for
            # others, the collective-action problem of Oliver, Marwell & Teixeira 1985).
            affected = np.flatnonzero(np.abs(stake) >= p.concern_stake)
            k = min(rng.poisson(p.concern_noticers), len(affected))
            pick = rng.choice(affected, size=k, replace=False) if k else affected[:0]
            who = scope[pick]
            drive = np.abs(stake[pick]) * res.efficacy[who] + res.civic[who] - p.propose_cost
            proposers = who[rng.random(k) < logistic(p.propose_beta * drive)]
            if len(proposers):
                origin = "resident"
                # A capable drafter writes a better proposal (a leash rule rather than a pet ban): its
                # design serves everyone in scope a little more (civic skills, Brady et al. 1995; size
                # an assumption).
                design += p.proposal_skill * (res.capacity[proposers[0]] - 0.5)
                stake = np.clip(stake + p.proposal_skill * (res.capacity[proposers[0]] - 0.5), -1, 1)
            elif rng.random() < p.committee_pickup:
                origin = "committee"
            else:
                return  # nobody raised it: the concern fades (weak internal drive, P2)
        t = Topic(len(self.topics), tt, origin, scope, stake, self.week, building,
                  merit=float(np.clip(tt.merit + design, 0, 1)))
        self.topics.append(t)
        self._open.append(t)
        self.counts["proposed"] += 1
        self.counts["resident_proposed"] += origin == "resident"
        self._log(f"proposed_{origin}", t)

    # 2-3. agenda and notice ----------------------------------------------------
    def set_agenda(self) -> None:
        """On its cadence the committee picks topics and posts their notices."""
        if not self.committee.agenda_due(self.week):
            return
        self.committee.convene_cycle()  # the standardized cycle costs staff time, busy or not
        picks = self.committee.set_agenda(self.week, self._open)
        for t in picks:
            if t.stage is Stage.PROPOSED:
                t.advance(Stage.ON_AGENDA, self.week)
                t.step_agenda = self.week
                self.counts["on_agenda"] += 1
            t.advance(Stage.NOTIFIED, self.week)
            t.next_meeting = self.week + self.params.notice_weeks
        weeks = self.params.meeting_cadence_weeks
        invites = sum(sw.invitations(weeks) for sw in self.social_workers)
        self._facilitation_pool = sum(sw.facilitation_hours(weeks) for sw in self.social_workers)
        # outreach and preparation are planned per household (ODD §7.3, §7.4): a meeting gets the share of
        # the cycle's invitations and hours of the households it concerns, out of the community's (or of all
        # the cycle's meetings', if more), so a building's meeting alone in a cycle does not absorb the whole
        # cycle's door-knocking: one worker no longer invites every household of most meetings
        concerned = max(sum(len(t.scope) for t in self._open if t.stage is Stage.NOTIFIED), self.res.n)
        self._outreach_per_household = invites / concerned
        self._facilitation_per_household = self._facilitation_pool / concerned

    # 4-6. participation, deliberation, decision --------------------------------
    def hold_meetings(self) -> None:
        """Hold every meeting due this week."""
        for t in self._open:
            if t.stage is Stage.NOTIFIED and t.next_meeting == self.week:
                self._meet(t)

    def _meet(self, t: Topic) -> None:
        p, week = self.params, self.week
        self.committee.convene()  # the staff prepare and chair it, quorum or not
        att, pm_present = self._gather(t)
        n_att = int(att.sum())
        quorum = quorum_needed(p, len(t.scope))
        if n_att < quorum:
            t.advance(Stage.DEFERRED, week)
            t.deferrals += 1
            self._log("no_quorum", t, attended=n_att, needed=quorum)
            if t.deferrals > p.max_deferrals:
                self._fail(t, "no quorum")
            return
        t.advance(Stage.DELIBERATING, week)
        t.meetings += 1
        self.counts["meetings"] += 1
        self.current_topic = t
        self._deliberate(t, att, pm_present)
        verdict = self._decide(t, att)
        record_decision(t, pm_present, verdict)  # the 议事 ledger's record of the meeting
        if verdict == "approved":
            t.advance(Stage.DECIDED, week)
            t.step_decided = week
            self.counts["resolutions"] += 1
            self._log("approved", t, support=t.support)
            if pm_present and p.pm_inclusion and t.type.implementer == "property_manager" \
                    and not self._manager_of(t).supports(t):
                self._log("pm_declined", t)  # rule pm_commitment: it commits only to what it supports
            self._start_works(t, pm_present)
        elif t.meetings >= p.max_meetings:
            # rule consensus_gate / decision rule, or else: the last meeting's verdict names the failure
            t.step_decided = week
            self._fail(t, FAILURE_OF[verdict])
        else:
            t.advance(Stage.NOTIFIED, week)
            t.next_meeting = week + p.meeting_cadence_weeks
            self._log("no_agreement", t, verdict=verdict)

    def _gather(self, t: Topic) -> tuple[np.ndarray, bool]:
        """Mobilize, decide attendance, record it and pay incentives. Returns (mask over scope, PM present)."""
        p, res = self.params, self.res
        targets = self._outreach_targets(t)
        informed, invited = mobilize(t.scope, time=res.time, online=res.online, leader=res.leader, adj=self.adj,
                                     p=p, targets=targets, rng=self.streams.notice)
        incentive = p.incentive_per_meeting if self.incentive_left >= p.incentive_per_meeting > 0 else 0.0
        # interest erodes while the matter waits for its meeting (cadence and backlog; ODD §7.3)
        salience = math.exp(-p.interest_decay * (self.week - t.step_proposed))
        u = attendance_utility(t.scope, t.stake * salience, invited, res=res, incentive=incentive, p=p)
        att = decide_attendance(t.scope, informed, u, adj=self.adj, degree=self.degree, b_network=p.b_network,
                                rng=self.streams.participation)
        idx = t.scope[np.flatnonzero(att)]
        community = t.type.scope == "community"
        # field records: invitation lists x sign-in sheet (an encouragement design; ODD §7.9); a community-wide
        # scope is every household in order, so masks over it are masks over everyone and need no lookup
        everyone = t.scope is self.everyone
        leader = res.leader if everyone else res.leader[t.scope]
        last = self._invited_last
        before = None if not community or last is None else last if everyone else last[t.scope]
        record_invitations(t, att, invited, self._covered_by(t.scope, t.building), leader, before, informed)
        if community:
            if everyone:
                self._invited_last = invited.copy()
            else:
                self._invited_last = np.zeros(res.n, dtype=bool)
                self._invited_last[t.scope[invited]] = True
        res.meetings_attended[idx] += 1
        res.last_attended[idx] = self.week
        self.attending_now[idx] = True
        self.counts["attendances"] += len(idx)
        t.attended |= att
        if incentive:
            paid = idx[: int(self.incentive_left // incentive)]  # until the year's budget runs out
            res.incentive_points[paid] += incentive
            self._paid_now[paid] = True
            self.incentive_left -= incentive * len(paid)
            self.counts["incentive_spent"] += incentive * len(paid)
        pm_present = any(pm.attends(self.streams.participation) for pm in self.property_managers)
        return att, pm_present

    def _covered_by(self, scope: np.ndarray, building: int | None) -> np.ndarray:
        """:func:`~consultsim.core.observables.covering_leaders` of a topic's scope (the community's households,
        or building ``building``'s), counted for every scope at once and kept while the leaders and the
        network stay the same: it was a pass over the whole network at every meeting. Leaders in a building
        list only its households, so the buildings' counts come from the network's ties within buildings.
        Read-only, as meetings share it; any other scope is counted afresh."""
        res, adj, kept = self.res, self.adj, self._covering
        if kept is None or kept[0] is not adj or not np.array_equal(kept[1], res.leader):
            lead = res.leader.astype(float)
            rows = np.repeat(np.arange(adj.shape[0]), np.diff(adj.indptr))
            same = res.building[rows] == res.building[adj.indices]  # ties within a building
            within = sp.csr_matrix((adj.data * same, adj.indices, adj.indptr), shape=adj.shape)
            counts = (np.asarray(adj @ lead), np.asarray(within @ lead))
            for c in counts:
                c.flags.writeable = False
            kept = self._covering = (adj, res.leader.copy(), *counts)
        if building is None and scope is self.everyone:
            return kept[2]
        if building is not None and scope is self.building_members[building]:
            return kept[3][scope]
        return covering_leaders(scope, res.leader, adj)

    def _outreach_targets(self, t: Topic) -> np.ndarray | None:
        """Social workers invite residents in scope who have not taken part lately, young ones first."""
        k = min(int(round(self._outreach_per_household * len(t.scope))), len(t.scope))
        if k == 0:
            return None
        res, rng, p = self.res, self.streams.notice, self.params
        recent = res.last_attended[t.scope] > max(self.week - p.outreach_recent_weeks, -1)  # -1: never attended
        w = (np.where(recent, p.outreach_recent_weight, 1.0)
             * np.where(res.age_group[t.scope] == 0, p.outreach_young_weight, 1.0))
        # weighted sampling without replacement (Efraimidis & Spirakis 2006)
        key = rng.random(len(t.scope)) ** (1.0 / w)
        return np.argpartition(-key, k - 1)[:k]

    def _assign_facilitators(self, n_attendees: int) -> float:
        """Social workers facilitate the meeting's small groups (ODD §7.4); returns the share s of the
        meeting's facilitation they give, in [0, 1].

        The attendees form ⌈n / ``sw_group_size``⌉ groups that deliberate at the same time, each with
        its own moderator, as in deliberative polls (Fishkin, He, Luskin & Siu 2010), so a worker leads
        at most ``sw_groups_per_worker`` of them. A led group is facilitated as well as the hours of
        preparation its members get allow (talking to each beforehand, the session, minutes):
        quality q = min(1, hours per member / (``sw_hours_per_group`` / ``sw_group_size``)), from this
        meeting's share of the cycle's facilitation hours: that of the households it concerns, out of
        the community's (or of all the cycle's meetings', if these concern more), so a building's
        meeting gets a building's share even when it is alone in its cycle.
        s = q · groups led / groups. So each added worker leads one more group, and more hours prepare
        its members better: the lever's effect grows worker by worker instead of the first worker's
        hours covering a meeting (issue 16)."""
        p = self.params
        groups = math.ceil(n_attendees / p.sw_group_size)
        if not groups or self._facilitation_pool <= 0:
            return 0.0
        led = min(groups, len(self.social_workers) * p.sw_groups_per_worker)
        members = min(n_attendees, led * p.sw_group_size)
        t = self.current_topic
        hours = min(self._facilitation_pool, self._facilitation_per_household * len(t.scope)) if t is not None \
            else self._facilitation_pool
        full = members * p.sw_hours_per_group / p.sw_group_size  # hours for full preparation
        quality = min(1.0, hours / full) if full > 0 else 1.0
        self._facilitation_pool -= quality * full
        self.counts["sw_groups_needed"] += groups
        self.counts["sw_groups_led"] += led
        return quality * led / groups

    @property
    def facilitation(self) -> float:
        """Facilitation at the current meeting: committee skill combined with social workers' on the
        share of small groups they lead, f = 1 − (1 − f_committee)(1 − ``sw_facilitation_weight`` · share)."""
        return 1.0 - (1.0 - self.committee.facilitation_skill()) * (1.0 - self.params.sw_facilitation_weight * self._sw_cover)

    def _deliberate(self, t: Topic, att: np.ndarray, pm_present: bool) -> None:
        """Bounded-confidence meeting with unequal voice, anchoring and informed pull (ODD §7.4)."""
        p = self.params
        ia = np.flatnonzero(att)  # attendees' places in scope: one pass over the mask, then cheap lookups
        idx = t.scope[ia]
        cap = self.res.capacity[idx] * (1.0 - p.complexity_penalty * t.type.complexity)
        if p.online_channel:  # those who join online follow less and are heard less (ODD §7.4)
            cap = np.where(self.res.online[idx], cap * p.online_presence, cap)
        x, anchor = t.opinion[ia], t.anchor[ia]
        if pm_present:
            stance = self._manager_of(t).stance(t)
            x, anchor, cap = np.append(x, stance), np.append(anchor, stance), np.append(cap, p.pm_capacity)
        self._sw_cover = self._assign_facilitators(len(idx))
        f = self.facilitation
        # complex topics are harder to follow: attendees engage with fewer distant views
        # (bounded confidence as a cognitive limit; Lorenz, Neumann & Schröder 2021)
        narrowing = 1.0 - p.complexity_narrowing * p.complexity_penalty * t.type.complexity
        before = x[: len(idx)].copy()
        r = meeting(x, anchor, cap, rounds=p.rounds, epsilon=(p.epsilon + p.epsilon_facilitated * f) * narrowing,
                    voice_exponent=p.voice_exponent, facilitation=f, anchoring=p.anchoring,
                    informed_pull=p.informed_pull, informed_position=t.merit, kernel=p.meeting_kernel,
                    rng=self.streams.deliberation)
        t.opinion[ia] = r.opinions[: len(idx)]
        after = t.opinion[ia]
        record_meeting(t, before, after, t.merit)  # a pre/post questionnaire (field observable)
        t.consensus = r.consensus
        t.support = float(np.mean(after > 0.5))
        self.counts["consensus_sum"] += r.consensus
        self.counts["voice_sum"] += r.voice_concentration

    def _decide(self, t: Topic, att: np.ndarray) -> str:
        """The committee applies the declared rules of the decision stage (ODD §7.5; :mod:`consultsim.core.rules`)."""
        return self.committee.decide(t, att)

    def _fail(self, t: Topic, why: str) -> None:
        t.advance(Stage.FAILED, self.week)
        t.outcome, t.step_ended = why, self.week
        self.counts["failed"] += 1
        self._log("failed", t, why=why)

    # 7. implementation ---------------------------------------------------------
    def _start_works(self, t: Topic, pm_present: bool) -> None:
        """Set the soft deadline; collect contributions for resident-funded works; draw public funds.

        Resident-funded works (elevators) are paid by the owners of floors 3 and up on the terms of
        :func:`~consultsim.core.topics.elevator_terms` (floor-weighted shares of the cost left after
        the public subsidy, plus compensation for floors 1-2). Pledges are collected door to door over
        ``collection_rounds`` rounds (conditional cooperation, sanctions, persuasion); the pledgers
        then cover the refusers' shares up to their own willingness to pay, their stake plus their
        payment (:func:`negotiated_funding`). Works start once ``contribution_required`` of the bill
        is covered; otherwise they end as "unfunded" and their supporters may raise them again
        later (weekly chance ``repropose_rate``).
        """
        p, tt = self.params, t.type
        t.advance(Stage.IMPLEMENTING, self.week)
        t.deadline = self.week + tt.duration_weeks * p.deadline_factor
        t.pm_committed = pm_present and p.pm_inclusion and tt.implementer == "property_manager"
        if tt.implementer == "residents":
            res = self.res
            _, pay, _ = elevator_terms(res, t.scope, p)
            payer = res.owner[t.scope] & (res.floor[t.scope] > 2)
            payers = t.scope[payer]
            pledged = collect_pledges(
                res.cooperation[payers], res.coop_threshold[payers], res.trust_committee[payers],
                t.opinion[payer] > 0.5, sanction=p.supervision * p.sanction_effect,
                rng=self.streams.implementation, rounds=p.collection_rounds, persuasion=p.collection_persuasion,
                threshold_base=p.coop_threshold_base, trust_effect=p.coop_trust_effect)
            # willingness to pay: what the works are worth to the owner, its net stake plus its payment
            t.collected = negotiated_funding(pay[payer], t.stake[payer] + pay[payer], pledged)
            if t.collected < p.contribution_required:
                self._log("unfunded", t, collected=t.collected)
                self._end(t, Stage.STALLED, "unfunded")
                wait = int(self.streams.implementation.geometric(p.repropose_rate)) if p.repropose_rate else 0
                if wait:
                    self._comebacks.append((self.week + wait, tt, t.building))
        elif tt.fund_cost:
            t.ready = self.committee.draw_fund(t)

    def _manager_of(self, t: Topic) -> PropertyManager:
        """The property company serving the topic's building (several companies split the estate; called
        only when there is one: with ``n_property_managers = 0`` none attends and the committee does its works)."""
        return self.property_managers[(t.building or 0) % len(self.property_managers)]

    def _base_effort(self, t: Topic) -> float:
        """The implementer's own weekly effort before supervision, pressure and escalation."""
        if t.type.implementer == "property_manager" and self.property_managers:
            oc = self.owners_committee  # rule pm_negotiation: an owners' committee presses it on works it owes
            return self._manager_of(t).effort(t) * (oc.press(t) if oc is not None else 1.0)
        if t.type.implementer in ("property_manager", "committee"):  # no property manager: the committee's works
            return self.committee.effort(t) * self._followup_share
        return self.params.residents_effort  # owners' own contractor

    def implement_resolutions(self) -> None:
        """Implementers accumulate effort toward the work required; past the soft deadline the
        task escalates and may be abandoned, gradually (ODD §7.6)."""
        p, rng = self.params, self.streams.implementation
        works = [t for t in self._open if t.stage is Stage.IMPLEMENTING]
        for t in works:
            if not t.ready and t.type.fund_cost:
                t.ready = self.committee.draw_fund(t)  # waits for next year's fund
        followed = self.oversight.follow(works, self.week)
        own = sum(t.ready and t.type.implementer == "committee" for t in works)
        self._followup_share = self.committee.follow_up(own)  # staff hours left after meetings and votes
        for t in works:
            dur = t.type.duration_weeks
            overdue = max(0.0, self.week - t.deadline) / dur
            e = weekly_effort(self._base_effort(t) if t.ready else 0.0, supervision=followed.get(t.id, 0.0),
                              supervision_effect=p.supervision_effect, pressure=t.support,
                              pressure_effect=p.pressure_effect,
                              committed=t.pm_committed and self._manager_of(t).supports(t),
                              commitment_effect=p.commitment_effect, overdue=overdue,
                              escalation_effect=p.escalation_effect)
            if e > 0:
                t.progress += e * rng.gamma(p.effort_regularity, 1.0 / p.effort_regularity)
            if t.progress >= dur:
                self._end(t, Stage.IMPLEMENTED, "implemented")
                self._log("completed", t)
            elif rng.random() < abandon_chance(overdue, p.abandon_hazard, p.abandon_base):
                self._end(t, Stage.STALLED, "stalled")
                self._log("stalled", t, decided=t.step_decided)

    def _end(self, t: Topic, stage: Stage, outcome: str) -> None:
        t.advance(stage, self.week)
        t.outcome, t.step_ended = outcome, self.week
        self.counts["implemented" if stage is Stage.IMPLEMENTED else "stalled"] += 1
        if stage is Stage.IMPLEMENTED:
            self.counts["completion_weeks"] += self.week - t.step_decided

    # 8. evaluation and feedback -------------------------------------------------
    def evaluate_outcomes(self) -> None:
        """Those who learn of an outcome update trust and efficacy (ODD §7.7).

        Each learner judges the outcome against its own preference and the
        procedure (Tyler 1990: procedural justice; Esaiasson et al. 2012: being
        heard raises acceptance): trust moves toward (1 − w) · won + w · (heard + followed) / 2
        and efficacy toward (1 − w) · won + w · heard · followed, w = ``procedural_weight``;
        ``won`` is 1 if the household's preference (opinion > ½) prevailed (½ outside the
        topic's scope); ``heard`` if it attended a meeting or cast an owners' vote;
        ``followed`` unless an agreed resolution stalled. For trust and complaints, a
        published outcome with the decision's reasons counts as ``publication_voice`` of a
        hearing (de Fine Licht et al. 2014); efficacy, one's own part, needs a real hearing.
        Both move at rate ρ (attendees) or ρ/2 (those who hear through the network or
        published feedback). Attendees whose own result (the efficacy target) falls below
        ``habit_aspiration`` are disappointed: their attendance habit weakens (Bendor, Diermeier &
        Ting 2003; see :meth:`learn_and_drift`). Trust in the property
        manager follows whether its works were done. Those whose preference lost
        may complain to the 12345 hotline; social workers mediate.
        """
        p, res, rng = self.params, self.res, self.streams.feedback
        for t in [t for t in self._open if t.stage in (Stage.IMPLEMENTED, Stage.STALLED, Stage.FAILED)]:
            published = rng.random() < p.feedback_transparency
            full, partial = who_learns(t.scope, t.attended, adj=self.adj, network_learning=p.network_learning,
                                       published=published, rng=rng)
            t.published, t.informed, t.informed_attendees = published, len(full) + len(partial), len(full)
            implemented = t.outcome == "implemented"
            followed = float(t.outcome not in ("stalled", "unfunded"))  # an agreed retrofit never built was not followed
            learners = np.concatenate([full, partial])
            lpos, lin = self._positions(t, learners)
            panel = learners[lin]  # households in scope who learn the outcome: a trust panel survey
            trust_before = res.trust_committee[panel].copy()
            civic_before = res.civic[panel].copy()  # the panel's commitment to taking part
            nf = len(full)  # learners are full then partial: their positions are the learners' (elementwise)
            for idx, rate, pos, inscope in ((full, p.learning_rate, lpos[:nf], lin[:nf]),
                                            (partial, p.learning_rate / 2, lpos[nf:], lin[nf:])):
                won = np.full(len(idx), 0.5)  # outside the scope: no preference of one's own
                heard = np.zeros(len(idx))
                won[inscope] = (t.opinion[pos[inscope]] > 0.5) == implemented
                heard[inscope] = t.attended[pos[inscope]] | t.voted[pos[inscope]]
                # the published decision and its reasons stand in for part of a hearing
                informed = heard.copy()
                informed[inscope] = np.maximum(heard[inscope], p.publication_voice * published)
                w = p.procedural_weight
                # trust judges the institution: fair hearing and a process followed (Tyler 1990);
                # efficacy judges one's own part: it grows only where one was heard (Esaiasson et al. 2012)
                judged = won if p.trust_judges == "outcomes_only" else (1 - w) * won + w * (informed + followed) / 2
                update_toward(res.trust_committee, idx, judged, rate)
                own = (1 - w) * won + w * heard * followed  # one's own part: won, heard, followed
                update_toward(res.efficacy, idx, own, rate)
                if rate == p.learning_rate:  # attendees judge whether taking part was worth it (habit)
                    self._disappointed.append(idx[own < p.habit_aspiration])
                if (t.type.implementer == "property_manager" and t.outcome in ("implemented", "stalled")
                        and self.property_managers):
                    update_toward(res.trust_property, idx, float(implemented), rate)
                if implemented:
                    nudge_up(res.civic, idx, p.civic_gain_success)
            at = lpos[lin]  # the panel's places in scope
            was_heard = t.attended[at] | t.voted[at]
            record_trust(t, was_heard, ~was_heard, trust_before, res.trust_committee[panel])
            record_civic(t, civic_before, res.civic[panel])
            self._complain(t, learners, published, rng)
            t.advance(Stage.EVALUATED, self.week)
            self._open.remove(t)

    def _positions(self, t: Topic, idx: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Positions of households ``idx`` in the topic's scope, and which of them are in it (a community-wide
        topic's scope is every household 0..n-1 in order: each household is at its own index)."""
        if t.scope is self.everyone:
            return idx, np.ones(len(idx), dtype=bool)
        pos = np.minimum(np.searchsorted(t.scope, idx), len(t.scope) - 1)
        return pos, t.scope[pos] == idx

    def _complain(self, t: Topic, knowers: np.ndarray, published: bool, rng: np.random.Generator) -> None:
        """Those whose preference lost on a matter that concerns them (|stake| > ``aggrieved_stake``)
        may call the hotline; having been heard makes a loss easier to accept (Esaiasson et al. 2012)."""
        p = self.params
        pos, inscope = self._positions(t, knowers)
        knowers, pos = knowers[inscope], pos[inscope]
        lost = (t.opinion[pos] > 0.5) != (t.outcome == "implemented")
        heard = (t.attended[pos] | t.voted[pos]).astype(float)
        if published:
            heard = np.maximum(heard, p.publication_voice)
        chance = p.complaint_propensity * (1.0 - p.heard_acceptance * heard)
        aggrieved = lost & (np.abs(t.stake[pos]) > p.aggrieved_stake)
        if p.complaint_curve == "saturating":  # expected callers K (1 - exp(-linear / K)), K = complaint_saturation
            linear = float(chance[aggrieved].sum())
            if linear > 0:
                chance = chance * (p.complaint_saturation * -np.expm1(-linear / p.complaint_saturation) / linear)
        calls = aggrieved & (rng.random(len(knowers)) < chance)
        callers = knowers[calls]
        # the 12345 log joined to sign-in sheets and a survey of who lost on a matter that concerns them
        was_heard = t.attended[pos] | t.voted[pos]
        cares_lost = lost & (np.abs(t.stake[pos]) >= CONCERNED)
        age = self.res.age_group[knowers]
        record_complaints(t, cares_lost, was_heard, calls, age)
        record_unheard_losers(t, cares_lost & ~was_heard, calls, age)  # x the publicity board's record (published)
        self.counts["complaints"] += len(callers)
        t.complaints = len(callers)
        t.complaints_attendees = int(np.isin(callers, t.scope[t.attended]).sum())
        cases = sum(sw.mediation_cases() for sw in self.social_workers)
        if cases and len(callers):
            mediated = callers[:cases]
            update_toward(self.res.trust_committee, mediated, p.mediation_trust_target, p.mediation_effect)

    # 9. learning and drift ------------------------------------------------------
    def learn_and_drift(self) -> None:
        """Capacity from attending and training, decaying slowly; civic motivation from
        campaigns and successes, crowded out a little by pay (Frey & Oberholzer-Gee 1997);
        attendance habit; trust and efficacy drifting toward long-run levels that follow experience;
        the committee's experience and elections (ODD §7.8)."""
        p, res, rng = self.params, self.res, self.streams.learning
        disappointed = np.concatenate(self._disappointed) if self._disappointed else self.everyone[:0]
        self._disappointed = []
        update_habit(res.habit, np.flatnonzero(self.attending_now), disappointed, gain=p.habit_gain,
                     decay=p.habit_decay)
        learn_capacity(res.capacity, np.flatnonzero(self.attending_now), p.capacity_gain_attend)
        trained = self._training_seats()
        if trained:
            w = p.training_base_weight + res.civic + res.time
            idx = rng.choice(res.n, size=min(trained, res.n), replace=False, p=w / w.sum())
            # training acts through capacity only: attendance, voice, the pull toward the
            # well-informed position and the quality of proposals (ODD §7.3, §7.4, §7.1)
            learn_capacity(res.capacity, idx, p.capacity_gain_training)
        drift_toward(res.capacity, res.capacity0, p.capacity_decay)
        if p.awareness_campaign:
            nudge_up(res.civic, rng.random(res.n) < p.campaign_reach * p.awareness_campaign, p.campaign_gain)
        if self._paid_now.any():
            res.civic[self._paid_now] *= 1.0 - p.crowding_out
        drift_toward(res.civic, res.civic0, p.civic_drift)
        # Trust and efficacy return toward each household's long-run level, and that level follows
        # experience slowly: a running tally of outcomes (Fiorina 1981), so a record of failures leaves
        # lasting distrust (Slovic 1993) and a record of success lasting trust (Ostrom 1998).
        for x, lr in ((res.trust_committee, res.trust_committee_lr), (res.trust_property, res.trust_property_lr),
                      (res.efficacy, res.efficacy_lr)):
            drift_toward(x, lr, p.trust_drift)
            drift_toward(lr, x, p.trust_anchor_rate)
        held = int(self.counts["meetings"])
        self.committee.gain_experience(held - self._meetings_seen)
        self._meetings_seen = held
        if self.committee.election_due(self.week):
            self.events.append(Event(self.week, "election", {"lost": self.committee.hold_election()}))

    def _training_seats(self) -> int:
        """Seats this week: scheduled sessions spread over each 13-week quarter, plus social workers'."""
        p = self.params
        s = p.training_sessions_per_quarter
        sessions = sum((self.week % 13) == (j * 13) // s for j in range(s)) if s else 0
        return sessions * p.training_seats + sum(sw.training_seats() for sw in self.social_workers)

    def amend(self, **changes: Any) -> None:
        """Change parameters from the next week on (validated): what the street office sets between years of
        a district run (``street_pressure``, ``social_workers``, ``social_worker_hours``; ODD §7.10). The
        topic catalog, the community and the agents built at the start keep their values."""
        try:
            self.params = self.params.replace(**changes)
        except ValueError as e:
            raise ScenarioError(str(e)) from None

    # ------------------------------------------------------------------ outputs
    def _log(self, kind: str, t: Topic, **fields: Any) -> None:
        """Record an event about topic ``t`` (rendered to text by :class:`~consultsim.core.events.Event`)."""
        self.events.append(Event(self.week, kind, {"topic": t.type.name, "building": t.building, **fields}))

    @property
    def graph(self):
        """The residents' social network as a networkx Graph (built on first use)."""
        if self._graph is None:
            self._graph = to_graph(self.res.n, self.edges)
        return self._graph

    def _ensure_residents(self) -> None:
        """Create the households' Mesa agents (read-through views onto ``self.res``) once, when first asked.

        The weekly schedule never needs them (the kernels work on the arrays), and one Mesa agent per
        household costs about 13 s for a million households; so they are made on first access to
        ``residents``, ``agents`` or ``agents_by_type`` (the app, the DataCollector's agent reporters,
        users' own code) and then persist like any Mesa agent.
        """
        if not self.__dict__.get("_residents_built", True):
            self._residents_built = True
            for i in range(self.res.n):
                Resident(self, i)

    @property
    def agents(self) -> mesa.agent.AgentSet:
        self._ensure_residents()
        return super().agents

    @property
    def agent_types(self) -> list[type]:
        self._ensure_residents()
        return super().agent_types

    @property
    def agents_by_type(self) -> dict[type[mesa.Agent], mesa.agent.AgentSet]:
        self._ensure_residents()
        return super().agents_by_type

    @property
    def residents(self) -> mesa.agent.AgentSet:
        """The households as Mesa agents (made on first access; attributes read through to ``self.res``)."""
        return self.agents_by_type[Resident]

    def current_opinions(self) -> np.ndarray:
        """Opinion of every household on the current topic (nan where it is out of scope)."""
        out = np.full(self.res.n, np.nan)
        if self.current_topic is not None:
            out[self.current_topic.scope] = self.current_topic.opinion
        return out

    def timeseries(self) -> pd.DataFrame:
        """One row per collected step (0 = initial state): ``step`` and every spec metric."""
        df = self.datacollector.get_model_vars_dataframe()[list(METRICS)].reset_index(drop=True)
        df.insert(0, "step", np.arange(len(df)))
        return df

    def topic_records(self) -> pd.DataFrame:
        """One row per topic (ODD §7.9)."""
        rows = [{
            "id": t.id, "type": t.type.name, "scope": t.type.scope,
            "building": t.building if t.building is not None else -1, "origin": t.origin,
            "step_proposed": t.step_proposed, "step_agenda": t.step_agenda, "step_decided": t.step_decided,
            "step_implemented": t.step_ended if t.outcome == "implemented" else -1,
            "step_ended": t.step_ended, "stage": t.stage.value, "outcome": t.outcome or t.stage.value,
            "meetings": t.meetings, "attendees": t.attendees, "support": t.support,
            "consensus": t.consensus, "complexity": t.type.complexity, "collected": t.collected,
            "deadline": t.deadline, "progress": t.progress,
            "published": t.published, "informed": t.informed, "informed_attendees": t.informed_attendees,
            "complaints": t.complaints, "complaints_attendees": t.complaints_attendees,
            **topic_observables(t, self.res),
        } for t in self.topics]
        cols = ["id", "type", "scope", "building", "origin", "step_proposed", "step_agenda", "step_decided",
                "step_implemented", "step_ended", "stage", "outcome", "meetings", "attendees", "support",
                "consensus", "complexity", "collected", "deadline", "progress", "published", "informed",
                "informed_attendees", "complaints", "complaints_attendees", *OBSERVABLE_COLUMNS]
        return pd.DataFrame(rows, columns=cols)

