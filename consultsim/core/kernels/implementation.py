"""Implementation of resolutions: paying for works and accumulating effort (ODD §7.6).

Resident-funded works need contributions. Contributors behave as in
public-goods experiments: about half are conditional cooperators who pay if
enough others pay, a third free riders, the rest unconditional cooperators
(Fischbacher, Gächter & Fehr 2001); without sanctions collection unravels,
with them free riders pay too (Fehr & Gächter 2000). Collection is repeated
door to door over several rounds. Those who pledged then cover the shares of those
who did not, each up to its own willingness to pay (negotiated shares), so the money
raised, and with it the chance that works start, moves continuously with the payments.

Works advance by accumulated effort: each week the implementer puts in some
effort (weeks of work), and the works are done when the accumulated effort
reaches the work required. Past a soft deadline the task escalates: effort
rises and a chance of abandonment grows gradually with the delay, so no
number acts as a knife edge.
"""

from __future__ import annotations

import numpy as np

from consultsim.core.community import CONDITIONAL, FREE_RIDER, UNCONDITIONAL

__all__ = ["collect_pledges", "collect_contributions", "negotiated_funding", "weekly_effort", "abandon_chance"]


def collect_contributions(cooperation: np.ndarray, threshold: np.ndarray, trust: np.ndarray,
                          supports: np.ndarray, **kw) -> float:
    """Share of payers who contribute (see :func:`collect_pledges`, which takes the same arguments)."""
    return float(collect_pledges(cooperation, threshold, trust, supports, **kw).mean()) if len(cooperation) else 1.0


def collect_pledges(cooperation: np.ndarray, threshold: np.ndarray, trust: np.ndarray,
                    supports: np.ndarray, *, sanction: float, rng: np.random.Generator,
                    rounds: int = 1, persuasion: float = 0.0, threshold_base: float = 1.2,
                    trust_effect: float = 0.6, iterations: int = 50) -> np.ndarray:
    """Mask of payers who pledge their share after ``rounds`` door-to-door collection rounds.

    Within a round the share paying settles at the fixed point of conditional
    cooperation: a conditional cooperator pays once the share already paying
    reaches its threshold × (``threshold_base`` − ``trust_effect`` · trust), so
    trust in the organisers lowers it. Opponents of the resolution act as free
    riders. In each round every free rider not yet paying pays under sanction
    with chance ``sanction``, and every supporter not yet paying is persuaded
    by the visit with chance ``persuasion``; those who paid stay paid.
    """
    n = len(cooperation)
    if n == 0:
        return np.zeros(0, dtype=bool)
    kind = np.where(supports, cooperation, FREE_RIDER)
    need = threshold * (threshold_base - trust_effect * trust)
    cond = kind == CONDITIONAL
    fixed = kind == UNCONDITIONAL
    share = 0.0
    for _ in range(max(rounds, 1)):
        free = ~fixed & (kind == FREE_RIDER)
        fixed = fixed | (free & (rng.random(n) < sanction))
        if persuasion:
            fixed = fixed | (~fixed & supports & (rng.random(n) < persuasion))
        share = fixed.mean()
        for _ in range(iterations):
            new = (fixed | (cond & (need <= share))).mean()
            if new == share:
                break
            share = new
        fixed = fixed | (cond & (need <= share))
    return fixed


def negotiated_funding(payment: np.ndarray, willingness: np.ndarray, pledged: np.ndarray) -> float:
    """Share of the owners' bill covered once the shares are renegotiated.

    Each owner who pledged pays its share (``payment``); the shares of those who did not are
    split again among the pledgers, each taking on at most its headroom, willingness to pay less
    its share (residents renegotiating floor shares until the money is found or no one will pay
    more; Beijing practice). Returns (pledged shares + covered shortfall) / bill, in [0, 1]; an
    empty bill counts as covered.
    """
    bill = float(payment.sum())
    if bill <= 0:
        return 1.0
    shortfall = float(payment[~pledged].sum())
    headroom = float(np.clip(willingness - payment, 0.0, None)[pledged].sum())
    return (float(payment[pledged].sum()) + min(shortfall, headroom)) / bill


def weekly_effort(base: float, *, supervision: float, supervision_effect: float, pressure: float,
                  pressure_effect: float, committed: bool, commitment_effect: float,
                  overdue: float = 0.0, escalation_effect: float = 0.0) -> float:
    """Weeks of work the implementer puts in this week (at most one).

    Effort rises linearly with supervision (an oversight board), resident
    pressure (the support behind the resolution), a commitment made at the
    meeting (an included property manager that agreed) and, past the soft
    deadline, with escalation by the street office (``overdue`` in
    multiples of the works' duration, counted up to one).
    """
    mult = (1 + supervision_effect * supervision + pressure_effect * pressure
            + commitment_effect * committed + escalation_effect * min(overdue, 1.0))
    return float(min(1.0, base * mult))


def abandon_chance(overdue: float, hazard: float, base: float = 0.0) -> float:
    """Weekly chance a task under way is abandoned: ``base`` at any time (competing tasks,
    staff turnover) plus ``hazard`` per duration overdue past the soft deadline (``overdue`` in
    multiples of the works' duration), so it grows gradually with the delay."""
    return float(min(1.0, base + max(overdue, 0.0) * hazard))
