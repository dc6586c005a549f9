"""The stakeholders as Mesa agents.

Residents are the public face of the household arrays in
:class:`consultsim.core.community.Residents`: every attribute reads and writes
through to the model's arrays, so Mesa tools (AgentSet, DataCollector,
SolaraViz) see them while the weekly updates stay vectorized. The
institutional agents (committee, property managers, social workers) hold
their own small state and the rules of their office.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import mesa
import numpy as np

from consultsim.core import rules
from consultsim.core.topics import Stage, Topic

if TYPE_CHECKING:  # pragma: no cover
    from consultsim.core.model import ConsultationModel

__all__ = ["Resident", "NeighbourhoodCommittee", "PropertyManager", "SocialWorker", "OversightBoard", "OwnersCommittee"]


def _through(name: str, doc: str):
    def get(self):
        return self.model.res.__dict__[name][self.index].item()

    def set_(self, value):
        self.model.res.__dict__[name][self.index] = value

    return property(get, set_, doc=doc)


class Resident(mesa.Agent):
    """One household. Attributes are views into the model's arrays (ODD §2)."""

    age_group = _through("age_group", "0 young (18-39), 1 middle (40-59), 2 elderly (60+)")
    building = _through("building", "building index (0-based)")
    floor = _through("floor", "floor, 1 = ground")
    owner = _through("owner", "owner-occupier (renters cannot vote on owners' matters)")
    car_owner = _through("car", "owns a car")
    pet_owner = _through("pet", "keeps a pet")
    online = _through("online", "in the community's WeChat groups")
    party_member = _through("party", "party member")
    building_leader = _through("leader", "building leader (楼门长)")
    time = _through("time", "spare time in [0, 1]")
    civic = _through("civic", "intrinsic civic motivation in [0, 1]")
    capacity = _through("capacity", "deliberative capacity in [0, 1]")
    trust_committee = _through("trust_committee", "trust in the residents' committee")
    trust_property = _through("trust_property", "trust in the property manager")
    efficacy = _through("efficacy", "belief that taking part changes outcomes")
    habit = _through("habit", "attendance habit in [0, 1] (ODD §7.3)")
    meetings_attended = _through("meetings_attended", "meetings attended so far")
    last_attended = _through("last_attended", "week of the last meeting attended (-1 never)")
    incentive_points = _through("incentive_points", "incentive points received")

    def __init__(self, model: ConsultationModel, index: int):
        super().__init__(model)
        self.index = index

    @property
    def stake(self) -> float:
        """Stake in the model's current topic (nan if it does not concern this household)."""
        return self._on_current("stake")

    @property
    def opinion(self) -> float:
        """Opinion on the model's current topic (nan if it does not concern this household)."""
        return self._on_current("opinion")

    def _on_current(self, what: str) -> float:
        t = self.model.current_topic
        if t is None:
            return math.nan
        pos = np.searchsorted(t.scope, self.index)
        if pos < len(t.scope) and t.scope[pos] == self.index:
            return float(getattr(t, what)[pos])
        return math.nan


class NeighbourhoodCommittee(mesa.Agent):
    """The residents' committee (居委会): sets the agenda, convenes, facilitates, collects owners'
    votes door to door, draws on the welfare fund and implements its own works.

    Staffing follows the Beijing standard of one community worker per 110-150
    households, at least 9 (``households_per_worker``); its effort on works
    scales with staff per household relative to that standard's midpoint.
    Its agenda takes proposals by urgency, mandate and waiting time (ODD §7.2),
    up to ``agenda_capacity`` topics a cycle.
    """

    def __init__(self, model: ConsultationModel):
        super().__init__(model)
        p = model.params
        self.staff = p.n_staff
        self.fund = p.welfare_fund
        self.hours_left = self.weekly_hours()  # this week's staff hours for consultation work

    def weekly_hours(self) -> float:
        """Staff hours a week left for consultation work after top-down administrative tasks:
        staff × ``staff_week_hours`` × (1 − ``committee_admin_share``) (ODD §7.2)."""
        p = self.model.params
        return self.staff * p.staff_week_hours * (1.0 - p.committee_admin_share)

    def start_week(self) -> None:
        """A new week's hours; a week overdrawn by meetings leaves less for the next (the time is
        made up: overtime comes back as fewer hours later)."""
        self.hours_left = self.weekly_hours() + min(0.0, self.hours_left)

    def convene(self) -> None:
        """Hold a meeting: ``meeting_staff_hours`` of staff time, drawn even when the week is short
        (meetings are scheduled; follow-up and vote collection give way)."""
        h = self.model.params.meeting_staff_hours
        self.hours_left -= h
        self.model.counts["committee_meeting_hours"] += h

    def convene_cycle(self) -> None:
        """An agenda cycle: ``cycle_staff_hours`` to convene the residents' council, post the agenda and
        report to the street office, on every cycle of the cadence (so a faster cadence costs time)."""
        h = self.model.params.cycle_staff_hours
        self.hours_left -= h
        self.model.counts["committee_meeting_hours"] += h

    def spend(self, hours: float) -> float:
        """Take up to ``hours`` from what is left this week; return what was taken."""
        took = min(hours, max(0.0, self.hours_left))
        self.hours_left -= took
        return took

    def follow_up(self, works: int) -> float:
        """Hours on following up its own works under way: each needs ``followup_hours`` a week for
        full effort; returns the share of that need met (1 when nothing is needed)."""
        need = works * self.model.params.followup_hours
        if need <= 0:
            return 1.0
        given = self.spend(need)
        self.model.counts["followup_needed"] += need
        self.model.counts["followup_given"] += given
        return given / need

    @property
    def facilitation(self) -> float:
        """Facilitation skill; the training lever adds ``facilitation_training_gain``."""
        p = self.model.params
        return min(1.0, p.committee_facilitation + p.facilitation_training_gain * p.committee_facilitation_training)

    def agenda_due(self, week: int) -> bool:
        """Agenda cycles follow the meeting cadence (lever ``meeting_cadence_weeks``)."""
        return week % self.model.params.meeting_cadence_weeks == 0

    def set_agenda(self, week: int, topics: list[Topic]) -> list[Topic]:
        """Pick topics for this cycle: deferred ones first, then by urgency, mandate and waiting time."""
        p = self.model.params
        deferred = [t for t in topics if t.stage is Stage.DEFERRED]
        waiting = [t for t in topics if t.stage is Stage.PROPOSED]
        waiting.sort(key=lambda t: -(t.type.urgency + p.agenda_mandate_weight * (t.origin == "committee")
                                     + p.agenda_wait_weight * (week - t.step_proposed)))
        return (deferred + waiting)[:p.agenda_capacity + len(deferred)]

    def new_year(self):
        self.fund = self.model.params.welfare_fund

    def draw_fund(self, topic: Topic) -> bool:
        """Pay public works from the year's welfare fund (公益金) if enough is left."""
        if self.fund >= topic.type.fund_cost:
            self.fund -= topic.type.fund_cost
            return True
        return False

    def effort(self, topic: Topic) -> float:
        """Weekly effort on its own works before supervision and pressure: community workers are
        stretched by administrative tasks (``committee_responsiveness``, at the standard's 130
        households per worker), more so the more households each worker serves; staff beyond
        the standard (small communities keep at least 9) go to administrative tasks (assumption)."""
        p = self.model.params
        load = p.n_residents / max(self.staff, 1)
        return (p.committee_responsiveness * min(1.0, STANDARD_HOUSEHOLDS_PER_WORKER / load)
                * self.hotline_pressure())

    def hotline_pressure(self) -> float:
        """接诉即办: the street office ranks communities by last year's 12345 complaints and presses the
        committees that rank high (``street_pressure`` in [0, 1], set by the district run's street office;
        Beijing's 接诉即办 regulations, 2021). Its effort on its own works is multiplied by
        1 + ``pressure_responsiveness`` × ``street_pressure`` (size an assumption, prior incl. 0; ODD §7.10)."""
        p = self.model.params
        return 1.0 + p.pressure_responsiveness * p.street_pressure

    def decide(self, topic: Topic, attended: np.ndarray) -> str:
        """Apply the declared rules of the decision stage (:mod:`consultsim.core.rules`).

        Rule ``consensus_gate``: below ``agreement_consensus`` the meeting ends without a decision
        ("no consensus"). Then the topic type's rule (``rule_<type>``): ``majority`` of attendees, or
        an owners' rule after collecting owners' votes (Civil Code art. 278). Returns "approved",
        "rejected", "too few owners voted" or "no consensus".
        """
        m = self.model
        p = m.params
        if p.consensus_gate and not topic.consensus >= p.agreement_consensus:
            return "no consensus"
        rule = topic.type.rule.value  # the catalog's, from rule_<type>
        if rule == "majority":
            return rules.decide_majority(p, topic.support)
        owners = m.res.owner[topic.scope]
        if not owners.any():
            return "rejected"
        votes = topic.voted = self.collect_votes(topic, attended, m.streams.voting)
        yes = votes & (topic.opinion > 0.5)
        verdict = rules.decide_owners(p, rule, owners, votes, yes, m.res.area[topic.scope])
        if verdict != "too few owners voted":
            topic.support = float(yes.sum() / votes.sum())
        return verdict

    def collect_votes(self, topic: Topic, attended: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        """Owners' written votes collected door to door after the meeting (Civil Code arts. 278-280).

        Owners who attended vote at the meeting. Then a campaign goes door to door in rounds
        while the gap to the turnout rule (``owners_turnout`` by head and by area) remains,
        collectors' hours remain and fewer than ``vote_rounds`` rounds have been made: building
        leaders (volunteers) reach each owner of a led building with chance ``vote_leader_reach``
        a round; social workers' canvass hours and then the committee's hours left this week pay
        door knocks at ``vote_visit_hours`` each (a random subset of the owners still to vote when
        hours are short), each finding the owner in with chance ``vote_canvass_reach``. Owners
        differ in whether they sign: each owner's return propensity is drawn from a Beta with mean
        ``vote_return_base`` + ``vote_return_stake`` · |stake| (those the matter concerns bother to
        sign) plus the campaign's climate, a draw N(0, ``vote_climate_sd``) shared by the topic's owners
        (campaigns differ: timing, rumours, the property manager's own canvassing), and concentration
        ``vote_return_concentration``, so repeated knocks meet the same reluctant owners (assumption).
        Returns the mask (over the topic's scope) of owners who voted.
        """
        p, m = self.model.params, self.model
        owners = m.res.owner[topic.scope]
        voted = owners & attended
        area = m.res.area[topic.scope]
        led = m.led_building[m.res.building[topic.scope]]
        climate = rng.normal(0.0, p.vote_climate_sd) if p.vote_climate_sd > 0 else 0.0
        mean = np.clip(p.vote_return_base + p.vote_return_stake * np.abs(topic.stake) + climate, 1e-3, 1 - 1e-3)
        k = p.vote_return_concentration
        ret = rng.beta(mean * k, (1.0 - mean) * k)
        need_n, need_a = p.owners_turnout * owners.sum(), p.owners_turnout * area[owners].sum()
        sw_hours = sum(sw.canvass_hours() for sw in m.social_workers)
        # rule vote_convener: where an owners' committee convenes the vote its members knock first
        oc = m.owners_committee
        oc_hours = oc.canvass_hours() if oc is not None else 0.0
        cost = p.vote_visit_hours
        for _ in range(p.vote_rounds):
            left = owners & ~voted
            n_left = int(left.sum())
            if not n_left or (voted.sum() >= need_n and area[voted].sum() >= need_a):
                break  # the gap is closed: the campaign stops
            reached = left & led & (rng.random(len(left)) < p.vote_leader_reach)
            knock = np.flatnonzero(left & ~reached)
            if cost > 0:
                from_oc = min(oc_hours, len(knock) * cost)
                oc_hours -= from_oc
                from_sw = min(sw_hours, len(knock) * cost - from_oc)
                sw_hours -= from_sw
                hours = from_oc + from_sw + self.spend(len(knock) * cost - from_oc - from_sw)
                self.model.counts["vote_hours"] += hours - from_sw - from_oc
                self.model.counts["oc_vote_hours"] += from_oc
                n_knock = min(len(knock), int(hours / cost + 1e-9))
                if n_knock < len(knock):
                    knock = rng.choice(knock, size=n_knock, replace=False)
            home = knock[rng.random(len(knock)) < p.vote_canvass_reach]
            reached[home] = True
            if not reached.any() and not len(knock):
                break  # no collector left: the campaign ends where it is
            voted |= reached & (rng.random(len(left)) < ret)
        return voted

    # --- experience and elections (ODD §7.8) -----------------------------------------------------
    # Experience is kept apart from the staffing and procedure state above: it starts at
    # ``committee_experience`` (the level at which ``committee_facilitation`` was observed).
    @property
    def experience(self) -> float:
        """The committee's experience in [0, 1]: grows with meetings held, lost to turnover and elections."""
        return self.__dict__.get("_experience", self.model.params.committee_experience)

    def facilitation_skill(self) -> float:
        """Facilitation at meetings: :attr:`facilitation` (trained or not) shifted by experience gained or
        lost since the start, ``experience_facilitation`` per unit (learning by doing; assumption)."""
        p = self.model.params
        return float(np.clip(self.facilitation + p.experience_facilitation * (self.experience - p.committee_experience),
                             0.0, 1.0))

    def gain_experience(self, meetings: int) -> None:
        """A week's learning by doing: each meeting held moves experience ``experience_gain`` of the way
        toward 1; staff turnover removes ``experience_loss`` of it every week (assumption)."""
        p = self.model.params
        e = 1.0 - (1.0 - self.experience) * (1.0 - p.experience_gain) ** meetings
        self._experience = e * (1.0 - p.experience_loss)

    def election_due(self, week: int) -> bool:
        """Committees are elected every ``committee_term_weeks`` (five years: Organic Law of Urban
        Residents' Committees, 2018 amendment); ``committee_term_elapsed`` weeks of the current term
        had passed when the run started."""
        p = self.model.params
        return week > 0 and (week + p.committee_term_elapsed) % p.committee_term_weeks == 0

    def hold_election(self) -> float:
        """The residents elect the committee: outgoing members take ``election_turnover`` of its
        experience with them (assumption). Returns the experience lost."""
        lost = self.experience * self.model.params.election_turnover
        self._experience = self.experience - lost
        return lost


#: Beijing standard: one community worker per 110-150 households; its midpoint is the staffing at
#: which ``committee_responsiveness`` is stated (a legal norm, not a behavioural number).
STANDARD_HOUSEHOLDS_PER_WORKER = 130.0


class PropertyManager(mesa.Agent):
    """The property management company (物业): its own stance, cost aversion and effort.

    It favours fee rises and resists unpaid work (ODD §2): its weekly effort on a
    task falls with its own cost share. A performance contract (fee tied to
    implementation) removes part of that cost aversion.
    """

    def __init__(self, model: ConsultationModel):
        super().__init__(model)
        self.responsiveness = model.params.pm_responsiveness

    @property
    def cost_aversion(self) -> float:
        p = self.model.params
        return p.pm_cost_aversion * (1 - p.contract_effect * p.pm_performance_contract)

    def stance(self, topic: Topic) -> float:
        return topic.type.pm_stance

    def supports(self, topic: Topic) -> bool:
        """Whether it favours the resolution (its stance above 1/2): under rule ``pm_commitment`` it
        commits at the meeting only to what it supports, whatever the residents voted (ODD §7.6)."""
        return self.stance(topic) > 0.5

    def attends(self, rng: np.random.Generator) -> bool:
        """Required to attend under ``pm_inclusion``; otherwise it comes now and then."""
        return self.model.params.pm_inclusion or rng.random() < self.model.params.pm_attendance

    def effort(self, topic: Topic) -> float:
        """Weekly effort before supervision and pressure: responsiveness less cost aversion × own cost share."""
        return self.responsiveness * (1 - self.cost_aversion * topic.type.pm_cost_share)


class SocialWorker(mesa.Agent):
    """A contracted social worker (社工, government purchase of services).

    Weekly hours are split between outreach (inviting residents who rarely
    take part, and knocking on doors for owners' votes), facilitation,
    capacity training and mediation (ODD §2); the shares and rates are
    parameters (``sw_*``). Facilitation is bought by the hour: a worker leads small
    groups of ``sw_group_size`` attendees at ``sw_hours_per_group`` hours each, as far as
    the cycle's facilitation hours go (ODD §7.4), so each added worker covers more groups.
    """

    @property
    def hours(self) -> float:
        """Weekly hours in this community (lever ``social_worker_hours``)."""
        return self.model.params.social_worker_hours

    def hours_for(self, task: str) -> float:
        p = self.model.params
        share = {"outreach": p.sw_outreach_share, "facilitation": p.sw_facilitation_share,
                 "training": p.sw_training_share}.get(task)
        if share is None:  # mediation takes the rest of the week
            share = max(0.0, 1.0 - p.sw_outreach_share - p.sw_facilitation_share - p.sw_training_share)
        return self.hours * share

    def invitations(self, weeks: int) -> int:
        """Residents invited before a meeting, from the outreach hours of the agenda cycle not kept
        for owners' votes (``sw_canvass_share``), at ``sw_invites_per_hour``."""
        p = self.model.params
        return int(self.hours_for("outreach") * (1 - p.sw_canvass_share) * p.sw_invites_per_hour * max(weeks, 1))

    def canvass_hours(self) -> float:
        """Hours this week for door-to-door owners' votes (``sw_canvass_share`` of outreach hours)."""
        return self.hours_for("outreach") * self.model.params.sw_canvass_share

    def facilitation_hours(self, weeks: int) -> float:
        """Facilitation hours of one agenda cycle (preparation between meetings counts)."""
        return self.hours_for("facilitation") * max(weeks, 1)

    def training_seats(self) -> int:
        return int(self.hours_for("training") * self.model.params.sw_seats_per_hour)

    def mediation_cases(self) -> int:
        return int(self.hours_for("mediation") * self.model.params.sw_cases_per_hour)


class OversightBoard(mesa.Agent):
    """The implementation oversight board (lever ``supervision``; ODD §7.6).

    A body of resident members and a street-office liaison whose capacity is
    ``supervision`` × ``oversight_cases`` works followed at full intensity, spread over the works of
    the implementer it oversees: the property manager. The committee's own works are overseen
    by the street office (escalation past the deadline), never by itself; owners' own works by
    their contractor's contract.
    """

    @property
    def capacity(self) -> float:
        p = self.model.params
        return p.supervision * p.oversight_cases

    def oversees(self, topic: Topic) -> bool:
        return topic.type.implementer == "property_manager"

    def follow(self, topics: list[Topic], week: int) -> dict[int, float]:
        """Oversight of each work it oversees this week (topic id -> intensity in [0, 1]): its capacity
        is spread evenly over the works under way, min(1, capacity / works), so one work gets
        ``supervision`` × ``oversight_cases`` of full oversight and many works share it."""
        cap = self.capacity
        if cap <= 0:
            return {}
        cases = [t for t in topics if self.oversees(t) and t.ready]
        if not cases:
            return {}
        each = min(1.0, cap / len(cases))
        self.model.counts["oversight_cases"] += each * len(cases)
        return {t.id: each for t in cases}


class OwnersCommittee(mesa.Agent):
    """The owners' committee (业委会), elected by the owners' assembly (ODD §7.10).

    Present where ``owners_committee`` is true (a district gives it to a share of each community type's
    communities, districts/types/*.toml). It acts by two declared rules of :mod:`consultsim.core.rules`:

    * ``vote_convener``: where the rule names it, the owners' committee convenes owners' votes (Civil
      Code art. 278 matters; art. 277 gives owners the assembly and its committee, residents' committees
      guide and assist): its ``oc_members`` members give ``oc_member_hours`` a week each to door knocks
      for written votes, before social workers' and the residents' committee's hours are drawn.
    * ``pm_negotiation``: it negotiates with the property manager over the works the manager owes: the
      manager's own effort on them is multiplied by 1 + ``oc_negotiation_effect`` (owners can dismiss the
      manager by an ordinary owners' vote, art. 278; the size is an assumption whose prior includes 0).

    Owners' committees also decide fee changes (owners_ordinary votes it convenes, rule ``rule_property_fee``).
    """

    def __init__(self, model: ConsultationModel):
        super().__init__(model)
        self.members = model.params.oc_members

    def convenes_votes(self) -> bool:
        """Rule ``vote_convener``: whether this committee (not the residents' committee) runs owners' votes."""
        return self.model.params.vote_convener == "owners_committee"

    def canvass_hours(self) -> float:
        """Members' volunteer hours this week for collecting owners' written votes (0 if it does not convene)."""
        p = self.model.params
        return float(self.members * p.oc_member_hours) if self.convenes_votes() else 0.0

    def press(self, topic: Topic) -> float:
        """Rule ``pm_negotiation``: the factor on the property manager's own effort on a work it owes."""
        return 1.0 + self.model.params.oc_negotiation_effect if topic.type.implementer == "property_manager" else 1.0
