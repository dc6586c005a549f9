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

from consultsim.core.topics import Stage, Topic

if TYPE_CHECKING:  # pragma: no cover
    from consultsim.core.model import ConsultationModel

__all__ = ["Resident", "NeighbourhoodCommittee", "PropertyManager", "SocialWorker"]


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
    """The residents' committee (居委会): sets the agenda, convenes, facilitates, implements its own works.

    Staffing follows the Beijing standard of one community worker per 110-150
    households, at least 9. Its agenda takes proposals by urgency, mandate and
    waiting time (ODD §7.2), up to ``agenda_capacity`` topics a cycle.
    """

    def __init__(self, model: ConsultationModel):
        super().__init__(model)
        p = model.params
        self.staff = p.n_staff
        self.fund = p.welfare_fund

    @property
    def facilitation(self) -> float:
        """Facilitation skill; the training lever adds 0.3 (assumption: a short certified course)."""
        p = self.model.params
        return min(1.0, p.committee_facilitation + 0.3 * p.committee_facilitation_training)

    def agenda_due(self, week: int) -> bool:
        """Agenda cycles follow the meeting cadence (lever ``meeting_cadence_weeks``)."""
        return week % self.model.params.meeting_cadence_weeks == 0

    def set_agenda(self, week: int, topics: list[Topic]) -> list[Topic]:
        """Pick topics for this cycle: deferred ones first, then by urgency, mandate and waiting time."""
        p = self.model.params
        deferred = [t for t in topics if t.stage is Stage.DEFERRED]
        waiting = [t for t in topics if t.stage is Stage.PROPOSED]
        waiting.sort(key=lambda t: -(t.type.urgency + 0.3 * (t.origin == "committee")
                                     + 0.02 * (week - t.step_proposed)))
        return (deferred + waiting)[:p.agenda_capacity + len(deferred)]

    def new_year(self):
        self.fund = self.model.params.welfare_fund

    def progress_chance(self, topic: Topic) -> float:
        """Weekly chance of progressing its own works (public works first wait for the welfare fund,
        see ``Topic.ready``): community workers are stretched by administrative tasks."""
        return self.model.params.committee_responsiveness


class PropertyManager(mesa.Agent):
    """The property management company (物业): its own stance, cost aversion and responsiveness.

    It favours fee rises and resists unpaid work (ODD §2): its weekly
    chance of progressing a task falls with its own cost share. A performance
    contract (fee tied to implementation) removes part of that cost aversion.
    """

    def __init__(self, model: ConsultationModel):
        super().__init__(model)
        p = model.params
        self.responsiveness = p.pm_responsiveness
        self.service_quality = p.pm_service_quality

    @property
    def cost_aversion(self) -> float:
        p = self.model.params
        return p.pm_cost_aversion * (1 - p.contract_effect * p.pm_performance_contract)

    def stance(self, topic: Topic) -> float:
        return topic.type.pm_stance

    def attends(self, rng: np.random.Generator) -> bool:
        """Required to attend under ``pm_inclusion``; otherwise it comes now and then."""
        return self.model.params.pm_inclusion or rng.random() < self.model.params.pm_attendance

    def progress_chance(self, topic: Topic) -> float:
        return self.responsiveness * (1 - self.cost_aversion * topic.type.pm_cost_share)


class SocialWorker(mesa.Agent):
    """A contracted social worker (社工, government purchase of services).

    Weekly hours are split between outreach (inviting residents who rarely
    take part), facilitation, capacity training and mediation (ODD §2).
    """

    SPLIT = {"outreach": 0.4, "facilitation": 0.2, "training": 0.2, "mediation": 0.2}
    INVITES_PER_HOUR = 4        # door knocks and calls per hour (assumption)
    SEATS_PER_HOUR = 3          # training seats per hour of preparation and delivery (assumption)
    CASES_PER_HOUR = 2          # complainants visited per hour of mediation (assumption)

    @property
    def hours(self) -> float:
        """Weekly hours in this community (lever ``social_worker_hours``)."""
        return self.model.params.social_worker_hours

    def hours_for(self, task: str) -> float:
        return self.hours * self.SPLIT[task]

    def invitations(self, weeks: int) -> int:
        """Residents invited before a meeting, from the outreach hours since the last agenda cycle."""
        return int(self.hours_for("outreach") * self.INVITES_PER_HOUR * max(weeks, 1))

    def facilitation(self) -> float:
        """Contribution to meeting facilitation (saturating in hours; assumption)."""
        return 1 - math.exp(-self.hours_for("facilitation") / 4)

    def training_seats(self) -> int:
        return int(self.hours_for("training") * self.SEATS_PER_HOUR / 4)

    def mediation_cases(self) -> int:
        return int(self.hours_for("mediation") * self.CASES_PER_HOUR)
