"""Topics: the catalog of topic types and the consultation procedure as a state machine.

The procedure follows the 2015 national opinion on urban and rural community
consultation (CPC General Office & State Council General Office 2015) and
Beijing's "five-resident" method (民事民提, 民议, 民决, 民办, 民评):
propose -> agenda -> notice -> deliberate -> decide -> implement -> evaluate.
A :class:`Topic` moves between :class:`Stage` values only along
:data:`TRANSITIONS`; anything else raises :class:`IllegalTransition`, and every
move is kept in ``Topic.history``.

Stake functions map resident attributes to how a topic affects each household
(``stake`` in [-1, 1]); they follow ODD §2's table of who gains
and who loses. Their magnitudes (section ``stakes``) and the topics' rates, complexity,
merit and the rest of the catalog's numbers (section ``topics``) are parameters of
:class:`~consultsim.core.params.Params`, mostly assumptions; :func:`catalog` builds the
typed records from them.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from consultsim.core.params import Params

if TYPE_CHECKING:  # pragma: no cover
    from consultsim.core.community import Residents

__all__ = ["Stage", "TRANSITIONS", "IllegalTransition", "TopicType", "Topic", "CATALOG", "Rule", "catalog"]


class Stage(enum.Enum):
    PROPOSED = "proposed"
    ON_AGENDA = "on agenda"
    NOTIFIED = "notified"
    DELIBERATING = "deliberating"
    DEFERRED = "deferred"
    DECIDED = "decided"
    FAILED = "failed"
    IMPLEMENTING = "implementing"
    IMPLEMENTED = "implemented"
    STALLED = "stalled"
    EVALUATED = "evaluated"


S = Stage
#: The legal moves of the procedure. A deadlocked meeting sends a topic back to
#: NOTIFIED for the next meeting; a meeting without quorum defers it.
TRANSITIONS: dict[Stage, frozenset[Stage]] = {
    S.PROPOSED: frozenset({S.ON_AGENDA}),
    S.ON_AGENDA: frozenset({S.NOTIFIED}),
    S.NOTIFIED: frozenset({S.DELIBERATING, S.DEFERRED}),
    S.DEFERRED: frozenset({S.NOTIFIED, S.FAILED}),
    S.DELIBERATING: frozenset({S.DECIDED, S.FAILED, S.NOTIFIED, S.DEFERRED}),
    S.DECIDED: frozenset({S.IMPLEMENTING}),
    S.IMPLEMENTING: frozenset({S.IMPLEMENTED, S.STALLED}),
    S.IMPLEMENTED: frozenset({S.EVALUATED}),
    S.STALLED: frozenset({S.EVALUATED}),
    S.FAILED: frozenset({S.EVALUATED}),
    S.EVALUATED: frozenset(),
}


class IllegalTransition(RuntimeError):
    """A topic was asked to skip or reverse a step of the procedure."""


class Rule(enum.Enum):
    """Decision rules (Civil Code arts. 278-280 for owners' matters); each topic type's is the
    parameter ``rule_<type>`` (declared in :mod:`consultsim.core.rules`)."""

    MAJORITY_QUORUM = "majority"          # majority of attendees, with quorum
    OWNERS_DOUBLE_MAJORITY = "owners_ordinary"  # owners: 2/3 take part (head and area), more than half approve
    OWNERS_SUPERMAJORITY = "owners_major"  # owners: 2/3 take part (head and area), 3/4 of them approve


StakeFn = Callable[["Residents", np.ndarray, np.random.Generator, dict], np.ndarray]


@dataclass(frozen=True)
class TopicType:
    """One kind of community topic (ODD §2, topic table)."""

    name: str
    label: str
    scope: str                  # "building" or "community"
    stake: StakeFn
    implementer: str            # "property_manager", "committee" or "residents"
    complexity: float           # 0 simple .. 1 complex (lowers effective capacity)
    duration_weeks: int         # weeks of work once implementation runs
    urgency: float              # agenda priority
    rule: Rule
    rate_per_year: float        # new concerns per year (per building if scope == "building")
    merit: float                # the well-informed position in [0, 1]
    pm_stance: float            # the property manager's own opinion (0 oppose .. 1 support)
    pm_cost_share: float = 0.0  # share of the works' cost the property manager bears itself
    fund_cost: float = 0.0      # yuan drawn from the public welfare fund
    top_down_weight: float = 0.0  # weight among the committee's own policy tasks


def _noise(rng, n, sd):
    return rng.normal(0.0, sd, n)


# Stake functions: the form is structure, the magnitudes are parameters of the ``stakes`` section
# (ctx["params"], a Params; ctx["floors"], the floors per building).

def elevator_terms(res, idx, p) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The negotiated terms of an elevator retrofit for households ``idx`` (one building), in stake
    units: (value of the elevator to the household before paying, its payment, its compensation).

    - Value: upper floors (3 and up) gain more the higher they live, the elderly above floor 2 more
      still; floors 1-2 lose light and quiet, the ground floor most (Beijing's retrofit programme:
      floors 1-2 are the usual objectors, the upper floors and the elderly the drivers).
    - Payment: owners on floors 3 and up share the cost left after the public subsidy
      (``elevator_cost_stake`` × (1 − ``public_subsidy``) for the average payer), each in proportion
      to a floor weight 1 + ``elevator_share_step`` × (floor − 3) (Beijing's 2022 guiding standard
      for owners' contribution shares: higher floors pay more).
    - Compensation: the paying owners offer ``elevator_compensation`` of their net gain to the
      owners of floors 1-2, shared in proportion to their losses and at most the whole loss, and pay
      it on top of the cost in proportion to their floor weights (lower floors are compensated through
      negotiation, e.g. Wuxi's 2020 measures). A subsidy lowers payments, so the paying owners gain
      more and offer more: it enters everyone's stake, not only the funding.
    Renters neither pay nor are compensated (the owner is).
    """
    floors = p.floors
    fl = res.floor[idx].astype(float)
    owner = res.owner[idx]
    upper = fl > 2
    value = np.where(upper, p.elevator_upper_base + p.elevator_upper_gain * (fl - 3) / max(floors - 3, 1),
                     -p.elevator_lower_loss - p.elevator_ground_loss * (fl == 1))
    value = value + p.elevator_elderly_gain * (res.age_group[idx] == 2) * upper
    payer, lower = owner & upper, owner & ~upper
    pay, comp = np.zeros(len(idx)), np.zeros(len(idx))
    if payer.any():
        w = np.where(payer, 1.0 + p.elevator_share_step * (fl - 3), 0.0)
        pay = p.elevator_cost_stake * (1.0 - p.public_subsidy) * w / w[payer].mean()
        loss = -value[lower]
        offer = min(p.elevator_compensation * np.clip(value - pay, 0.0, None)[payer].sum(), loss.sum())
        if offer > 0:
            comp[lower] = offer * loss / loss.sum()
            pay = pay + offer * w / w.sum()
    return value, pay, comp


def elevator_stake(res, idx, rng, ctx):
    """Upper floors and the elderly gain, floors 1-2 lose; owners net of their negotiated payment and
    compensation (:func:`elevator_terms`); renters feel ``elevator_renter_factor`` of the value and
    neither pay nor are compensated."""
    p = ctx["params"]
    value, pay, comp = elevator_terms(res, idx, p)
    s = np.where(res.owner[idx], value - pay + comp, p.elevator_renter_factor * value)
    return s + _noise(rng, len(idx), p.stake_noise)


def parking_stake(res, idx, rng, ctx):
    """Car owners gain spaces; others lose some green space but also suffer disorderly parking (ODD §2)."""
    p = ctx["params"]
    s = np.where(res.car[idx], p.parking_car_gain, -p.parking_other_loss) \
        - p.parking_elderly_loss * (res.age_group[idx] == 2)
    return s + _noise(rng, len(idx), p.stake_noise)


def garbage_stake(res, idx, rng, ctx):
    """Diffuse gain that the civic-minded value; a time cost for everyone (ODD §2)."""
    p = ctx["params"]
    s = p.garbage_civic_gain * res.civic[idx] - p.garbage_cost - p.garbage_time_cost * (1 - res.time[idx])
    return s + _noise(rng, len(idx), p.stake_noise)


def property_fee_stake(res, idx, rng, ctx):
    """A fee rise buys service; owners pay, pensioners feel it most, distrust lowers value.

    There is no separate payment term for an owner of working age: ``property_fee_service_gain`` is
    their net stake (the service a rise buys less what they pay, an assumption). A payment the same for
    every owner would only shift that constant; what the payment adds is its weight on pensioners
    (``property_fee_pensioner_loss``) and the risk that the service does not come
    (``property_fee_distrust_loss``). Renters do not pay (the landlord does; Civil Code art. 944:
    the owner pays the property fee)."""
    p = ctx["params"]
    s = p.property_fee_service_gain - p.property_fee_pensioner_loss * (res.age_group[idx] == 2) \
        - p.property_fee_distrust_loss * (1 - res.trust_property[idx])
    s = np.where(res.owner[idx], s, p.property_fee_renter_stake)
    return s + _noise(rng, len(idx), p.stake_noise)


def pets_stake(res, idx, rng, ctx):
    """Pet owners gain; neighbours (the elderly most) lose quiet and cleanliness (ODD §2)."""
    p = ctx["params"]
    s = np.where(res.pet[idx], p.pets_owner_gain, -p.pets_other_loss) \
        - p.pets_elderly_loss * (res.age_group[idx] == 2)
    return s + _noise(rng, len(idx), p.stake_noise)


def public_space_stake(res, idx, rng, ctx):
    """The elderly and families with children gain; the government fund pays (ODD §2)."""
    p = ctx["params"]
    s = np.select([res.age_group[idx] == 2, res.age_group[idx] == 0],
                  [p.public_space_elderly_gain, p.public_space_young_gain], p.public_space_middle_gain)
    return s + _noise(rng, len(idx), p.stake_noise)


R = Rule


def catalog(p: Params) -> dict[str, TopicType]:
    """The minimum catalog of ODD §2 with the numbers of ``p`` (section ``topics``).

    Names, labels, scope, implementer, rule and stake function are structure; the numbers are
    parameters named ``<type>_<column>``. The zeros left to the defaults of :class:`TopicType` are
    structure too: owners pay for their own elevator and the committee's works cost the property
    manager nothing; garbage sorting (bins from the street office) and pet rules draw nothing from
    the welfare fund; only parking, garbage sorting and public space are the committee's own policy
    tasks. Elevator rates are per building, the others per community.
    """
    def nums(name: str, *extra: str) -> dict:
        cols = ("complexity", "duration_weeks", "urgency", "rate_per_year", "merit", "pm_stance", *extra)
        return {c: getattr(p, f"{name}_{c}") for c in cols}

    return {t.name: t for t in (
        TopicType("elevator", "elevator retrofit", "building", elevator_stake, "residents",
                  rule=R(p.rule_elevator), **nums("elevator")),
        TopicType("parking", "parking spaces", "community", parking_stake, "property_manager",
                  rule=R(p.rule_parking), **nums("parking", "pm_cost_share", "top_down_weight")),
        TopicType("garbage", "garbage sorting", "community", garbage_stake, "committee",
                  rule=R(p.rule_garbage), **nums("garbage", "top_down_weight")),
        TopicType("property_fee", "property fee change", "community", property_fee_stake, "property_manager",
                  rule=R(p.rule_property_fee), **nums("property_fee", "pm_cost_share")),
        TopicType("pets", "pet rules", "community", pets_stake, "committee",
                  rule=R(p.rule_pets), **nums("pets")),
        TopicType("public_space", "public space renovation", "community", public_space_stake, "committee",
                  rule=R(p.rule_public_space), **nums("public_space", "fund_cost", "top_down_weight")),
    )}


#: The catalog at the default parameters, for code that needs only its structure (names, labels,
#: implementers, rules). A model builds its own from its parameters (``ConsultationModel.catalog``).
CATALOG: dict[str, TopicType] = catalog(Params())


@dataclass(eq=False)
class Topic:
    """One topic going through the procedure. Its stage changes only via :meth:`advance`."""

    id: int
    type: TopicType
    origin: str                       # "resident" or "committee"
    scope: np.ndarray                 # resident indices concerned
    stake: np.ndarray                 # aligned with scope
    step_proposed: int
    building: int | None = None
    anchor: np.ndarray = field(default=None, repr=False)   # initial opinions (own view)
    opinion: np.ndarray = field(default=None, repr=False)  # current opinions
    attended: np.ndarray = field(default=None, repr=False)  # ever attended a meeting on it
    voted: np.ndarray = field(default=None, repr=False)     # cast an owners' vote on it
    meetings: int = 0
    deferrals: int = 0
    next_meeting: int = -1
    support: float = float("nan")
    consensus: float = float("nan")
    outcome: str = ""
    step_agenda: int = -1
    step_decided: int = -1
    step_ended: int = -1
    deadline: float = -1.0            # soft deadline (week)
    progress: float = 0.0             # weeks of work done
    collected: float = float("nan")
    merit: float = float("nan")       # this proposal's well-informed position (its type's, varied)
    pm_committed: bool = False
    ready: bool = True                # works can start (contributions collected, fund drawn)
    # what happened when its outcome became known (ODD §7.7): the report's attribution reads these
    published: bool = False
    informed: int = 0                 # households who learned the outcome (attendees and second-hand)
    informed_attendees: int = 0
    complaints: int = 0               # 12345 calls it caused
    complaints_attendees: int = 0     # of which by households who attended a meeting on it
    # field records that exist only at one moment (core.observables: pre/post meeting, trust panel)
    observed: dict = field(default_factory=dict, repr=False)
    _stage: Stage = Stage.PROPOSED
    history: list[tuple[int, Stage]] = field(default_factory=list)

    def __post_init__(self):
        if not self.history:
            self.history.append((self.step_proposed, Stage.PROPOSED))
        if self.anchor is None:
            self.anchor = np.clip(0.5 + 0.5 * self.stake, 0.0, 1.0)
        if self.opinion is None:
            self.opinion = self.anchor.copy()
        if self.attended is None:
            self.attended = np.zeros(len(self.scope), dtype=bool)
        if self.voted is None:
            self.voted = np.zeros(len(self.scope), dtype=bool)
        if np.isnan(self.merit):
            self.merit = self.type.merit

    @property
    def stage(self) -> Stage:
        return self._stage

    def advance(self, stage: Stage, step: int) -> None:
        """Move to ``stage`` at ``step``; illegal moves raise :class:`IllegalTransition`."""
        if stage not in TRANSITIONS[self._stage]:
            raise IllegalTransition(f"topic {self.id} ({self.type.name}): {self._stage.value} -> {stage.value}")
        self._stage = stage
        self.history.append((step, stage))

    @property
    def where(self) -> str:
        return f"building {self.building + 1}" if self.building is not None else "the community"

    @property
    def attendees(self) -> int:
        """Households that attended at least one meeting on this topic."""
        return int(self.attended.sum())
