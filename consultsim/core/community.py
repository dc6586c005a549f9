"""The community's households as a struct of arrays, and how it is generated.

One resident agent is one household (ODD §2). State lives in
numpy arrays (one entry per household) so that the weekly updates are
vectorized kernels; :class:`consultsim.core.agents.Resident` reads and writes
through to these arrays.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np

from consultsim.core.params import Params

__all__ = ["Residents", "generate_residents", "YOUNG", "MIDDLE", "ELDERLY", "AGE_GROUPS"]

YOUNG, MIDDLE, ELDERLY = 0, 1, 2
AGE_GROUPS = ("young (18-39)", "middle (40-59)", "elderly (60+)")
FREE_RIDER, CONDITIONAL, UNCONDITIONAL = 0, 1, 2


@dataclass
class Residents:
    """Household state, one array entry per household (index = agent = network node)."""

    age_group: np.ndarray       # 0 young, 1 middle, 2 elderly
    building: np.ndarray
    floor: np.ndarray           # 1 = ground floor
    area: np.ndarray            # m2, for owners' votes by area
    owner: np.ndarray
    car: np.ndarray
    pet: np.ndarray
    online: np.ndarray          # in the community's WeChat groups
    party: np.ndarray
    leader: np.ndarray          # building leader (楼门长)
    time: np.ndarray            # spare time in [0, 1]
    civic: np.ndarray
    capacity: np.ndarray
    trust_committee: np.ndarray
    trust_property: np.ndarray
    efficacy: np.ndarray
    cooperation: np.ndarray     # 0 free rider, 1 conditional cooperator, 2 unconditional
    coop_threshold: np.ndarray  # share of others contributing a conditional cooperator needs
    civic0: np.ndarray          # the levels that drift returns to
    capacity0: np.ndarray
    trust_committee0: np.ndarray
    trust_property0: np.ndarray
    efficacy0: np.ndarray
    trust_committee_lr: np.ndarray  # long-run levels that trust and efficacy drift back to; they follow
    trust_property_lr: np.ndarray   # experience slowly (a running tally of outcomes, ODD §7.8)
    efficacy_lr: np.ndarray
    habit: np.ndarray           # attendance habit in [0, 1] (ODD §7.3)
    meetings_attended: np.ndarray
    last_attended: np.ndarray   # week of the last meeting attended, -1 never
    incentive_points: np.ndarray

    @property
    def n(self) -> int:
        return len(self.age_group)

    def copy(self) -> Residents:
        return Residents(**{f.name: getattr(self, f.name).copy() for f in fields(self)})


def _beta(rng, mean, n, k):
    """Beta draws with the given mean(s) and concentration k (means kept inside (0, 1) so both shapes are
    positive)."""
    mean = np.clip(np.broadcast_to(mean, (n,)), 0.02, 0.98)
    return rng.beta(mean * k, (1 - mean) * k)


def generate_residents(p: Params, rng: np.random.Generator, n: int | None = None) -> Residents:
    """Draw a community of ``n`` (default ``p.n_residents``) households.

    Buildings are filled evenly, floor by floor. Age shares follow Beijing's
    household heads (60+ share 0.30; ODD §2). Spare time is high for
    retirees and low at working ages (Brady, Verba & Schlozman 1995, resources).
    Party membership, trust in the committee and home ownership are higher
    among the elderly (Shanghai survey, spec P3; assumption for ownership).
    Cooperation types follow Fischbacher, Gächter & Fehr (2001): about 50%
    conditional cooperators, 33% free riders, the rest unconditional. The tilts by age,
    party membership and leadership, the floor areas and the Beta concentration are
    parameters of the ``population`` section (ODD §5).
    """
    n = p.n_residents if n is None else n
    nb = min(p.n_buildings, n)
    building = (np.arange(n) * nb // n).astype(np.int32)
    size = np.bincount(building, minlength=nb)
    pos = np.arange(n) - np.repeat(np.cumsum(size) - size, size)
    floor = (1 + pos * p.floors // np.repeat(size, size)).astype(np.int16)

    age = rng.choice(3, size=n, p=[p.young_share, 1 - p.young_share - p.elderly_share, p.elderly_share])
    age = age.astype(np.int8)
    elderly, young = age == ELDERLY, age == YOUNG
    owner = rng.random(n) < np.clip(p.owner_share + p.owner_elderly_tilt * elderly - p.owner_young_tilt * young,
                                    0, 1)
    online = rng.random(n) < np.choose(age, [p.online_young, p.online_middle, p.online_elderly])
    party_factor = np.choose(age, [p.party_young_factor, p.party_middle_factor, p.party_elderly_factor])
    party = rng.random(n) < np.clip(p.party_share * party_factor, 0, 1)
    k = p.beta_concentration
    time = _beta(rng, np.choose(age, [p.time_young, p.time_middle, p.time_elderly]), n, k)
    civic = np.clip(_beta(rng, p.civic_mean, n, k) + p.civic_party_gain * party, 0, 1)
    capacity_tilt = np.choose(age, [p.capacity_young_tilt, p.capacity_middle_tilt, p.capacity_elderly_tilt])
    capacity = _beta(rng, p.capacity_mean + capacity_tilt, n, k)
    trust_tilt = np.choose(age, [p.trust_committee_young_tilt, p.trust_committee_middle_tilt,
                                 p.trust_committee_elderly_tilt])
    trust_c = _beta(rng, p.trust_committee_mean + trust_tilt, n, k)

    # Building leaders: older, party-member, civic-minded residents (楼门长).
    leader = np.zeros(n, dtype=bool)
    if p.leaders_per_building:
        w = p.leader_weight_base + elderly + p.leader_weight_party * party + p.leader_weight_civic * civic
        key = rng.random(n) ** (1.0 / w)  # weighted sampling without replacement per building
        order = np.lexsort((-key, building))
        rank = np.empty(n, dtype=np.int64)
        rank[order] = np.arange(n) - np.repeat(np.cumsum(size) - size, size)
        leader = rank < p.leaders_per_building
    civic = np.where(leader, np.maximum(civic, p.leader_civic_floor), civic)

    u = rng.random(n)
    fr, cc = p.free_rider_share, p.conditional_cooperator_share
    cooperation = np.where(u < fr, FREE_RIDER, np.where(u < fr + cc, CONDITIONAL, UNCONDITIONAL)).astype(np.int8)
    trust_p = _beta(rng, p.trust_property_mean, n, k)
    efficacy = _beta(rng, p.efficacy_mean + p.leader_efficacy_gain * leader, n, k)
    return Residents(
        age_group=age, building=building, floor=floor,
        area=np.clip(rng.normal(p.area_mean, p.area_sd, n), p.area_min, p.area_max),
        owner=owner, car=rng.random(n) < p.car_share, pet=rng.random(n) < p.pet_share,
        online=online, party=party, leader=leader, time=time, civic=civic, capacity=capacity,
        trust_committee=trust_c, trust_property=trust_p, efficacy=efficacy,
        cooperation=cooperation, coop_threshold=rng.random(n),
        civic0=civic.copy(), capacity0=capacity.copy(), trust_committee0=trust_c.copy(),
        trust_property0=trust_p.copy(), efficacy0=efficacy.copy(),
        trust_committee_lr=trust_c.copy(), trust_property_lr=trust_p.copy(), efficacy_lr=efficacy.copy(),
        habit=np.zeros(n),
        meetings_attended=np.zeros(n, dtype=np.intp), last_attended=np.full(n, -1, dtype=np.intp),
        incentive_points=np.zeros(n),
    )
