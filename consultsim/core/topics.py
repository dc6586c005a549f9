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
and who loses. Their magnitudes and the topics' rates, complexity and merit
are modelling assumptions, stated in each function.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:  # pragma: no cover
    from consultsim.core.community import Residents

__all__ = ["Stage", "TRANSITIONS", "IllegalTransition", "TopicType", "Topic", "CATALOG", "Rule"]


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
    """Decision rules (Civil Code arts. 278-280 for owners' matters)."""

    MAJORITY_QUORUM = "majority of attendees, with quorum"
    OWNERS_DOUBLE_MAJORITY = "owners: 2/3 take part (head and area), majority of them approve"
    OWNERS_SUPERMAJORITY = "owners: 2/3 take part (head and area), 3/4 of them approve"


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


def _noise(rng, n, sd=0.15):
    return rng.normal(0.0, sd, n)


def elevator_stake(res, idx, rng, ctx):
    """Upper floors and the elderly gain; floors 1-2 lose light and quiet and may pay.

    Beijing's retrofit programme: floors 1-2 are the usual objectors, the
    upper floors and elderly residents the drivers (assumed magnitudes).
    """
    floors = ctx["floors"]
    fl = res.floor[idx].astype(float)
    upper = 0.15 + 0.6 * (fl - 3) / max(floors - 3, 1)
    s = np.where(fl <= 2, -0.2 - 0.3 * (fl == 1), upper)
    s = s + 0.25 * (res.age_group[idx] == 2) * (fl > 2)
    s = np.where(res.owner[idx], s, 0.5 * s)  # renters feel it less and do not pay
    return s + _noise(rng, len(idx))


def parking_stake(res, idx, rng, ctx):
    """Car owners gain spaces; others lose some green space but also suffer disorderly parking (spec table)."""
    s = np.where(res.car[idx], 0.6, -0.1) - 0.1 * (res.age_group[idx] == 2)
    return s + _noise(rng, len(idx))


def garbage_stake(res, idx, rng, ctx):
    """Diffuse gain that the civic-minded value; a time cost for everyone (spec table)."""
    s = 0.8 * res.civic[idx] - 0.2 - 0.25 * (1 - res.time[idx])
    return s + _noise(rng, len(idx))


def property_fee_stake(res, idx, rng, ctx):
    """A fee rise buys service; owners pay, pensioners feel it most, distrust lowers value."""
    s = 0.25 - 0.3 * (res.age_group[idx] == 2) - 0.3 * (1 - res.trust_property[idx])
    s = np.where(res.owner[idx], s, 0.05)
    return s + _noise(rng, len(idx))


def pets_stake(res, idx, rng, ctx):
    """Pet owners gain; neighbours (the elderly most) lose quiet and cleanliness (spec table)."""
    s = np.where(res.pet[idx], 0.6, -0.1) - 0.1 * (res.age_group[idx] == 2)
    return s + _noise(rng, len(idx))


def public_space_stake(res, idx, rng, ctx):
    """The elderly and families with children gain; the government fund pays (spec table)."""
    s = np.select([res.age_group[idx] == 2, res.age_group[idx] == 0], [0.5, 0.3], 0.15)
    return s + _noise(rng, len(idx))


R = Rule
#: The minimum catalog of ODD §2. Rates are per 2,000-household
#: community (per building for elevators); merit and complexity are assumptions.
CATALOG: dict[str, TopicType] = {t.name: t for t in (
    TopicType("elevator", "elevator retrofit", "building", elevator_stake, "residents",
              complexity=0.8, duration_weeks=20, urgency=0.6, rule=R.OWNERS_SUPERMAJORITY,
              rate_per_year=0.15, merit=0.70, pm_stance=0.5),
    TopicType("parking", "parking spaces", "community", parking_stake,
              "property_manager", complexity=0.5, duration_weeks=8, urgency=0.5, rule=R.MAJORITY_QUORUM,
              rate_per_year=1.5, merit=0.6, pm_stance=0.3, pm_cost_share=0.6, top_down_weight=0.2),
    TopicType("garbage", "garbage sorting", "community", garbage_stake, "committee",
              complexity=0.4, duration_weeks=6, urgency=0.7, rule=R.MAJORITY_QUORUM,
              rate_per_year=0.8, merit=0.75, pm_stance=0.3, top_down_weight=0.5),
    TopicType("property_fee", "property fee change", "community", property_fee_stake,
              "property_manager", complexity=0.6, duration_weeks=4, urgency=0.4,
              rule=R.OWNERS_DOUBLE_MAJORITY, rate_per_year=0.5, merit=0.55, pm_stance=1.0),
    TopicType("pets", "pet rules", "community", pets_stake, "committee",
              complexity=0.3, duration_weeks=4, urgency=0.3, rule=R.MAJORITY_QUORUM,
              rate_per_year=1.0, merit=0.5, pm_stance=0.5),
    TopicType("public_space", "public space renovation", "community", public_space_stake,
              "committee", complexity=0.5, duration_weeks=12, urgency=0.5, rule=R.MAJORITY_QUORUM,
              rate_per_year=1.2, merit=0.75, pm_stance=0.4, fund_cost=80_000.0, top_down_weight=0.3),
)}


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
