"""Implementation of resolutions: contributions and weekly progress (ODD §7.6).

Resident-funded works need contributions. Contributors behave as in
public-goods experiments: about half are conditional cooperators who pay if
enough others pay, a third free riders, the rest unconditional cooperators
(Fischbacher, Gächter & Fehr 2001); without sanctions collection unravels,
with them free riders pay too (Fehr & Gächter 2000).
"""

from __future__ import annotations

import numpy as np

from consultsim.core.community import CONDITIONAL, FREE_RIDER, UNCONDITIONAL

__all__ = ["collect_contributions", "progress_chance"]


def collect_contributions(cooperation: np.ndarray, threshold: np.ndarray, trust: np.ndarray,
                          supports: np.ndarray, *, sanction: float, rng: np.random.Generator,
                          iterations: int = 50) -> float:
    """Share of payers who contribute, at the fixed point of conditional cooperation.

    A conditional cooperator pays once the share already paying reaches its
    threshold, which trust in the organisers lowers; opponents of the
    resolution act as free riders; each free rider pays under sanction with
    chance ``sanction``.
    """
    n = len(cooperation)
    if n == 0:
        return 1.0
    kind = np.where(supports, cooperation, FREE_RIDER)
    sanctioned = (kind == FREE_RIDER) & (rng.random(n) < sanction)
    fixed = (kind == UNCONDITIONAL) | sanctioned
    need = threshold * (1.2 - 0.6 * trust)
    cond = kind == CONDITIONAL
    share = fixed.mean()
    for _ in range(iterations):
        new = (fixed | (cond & (need <= share))).mean()
        if new == share:
            break
        share = new
    return float(share)


def progress_chance(base: float, *, supervision: float, supervision_effect: float, pressure: float,
                    pressure_effect: float, committed: bool) -> float:
    """Weekly chance the implementer moves a resolution forward.

    Rises with supervision (an oversight board), resident pressure (the
    support behind the resolution) and a commitment made at the meeting
    (an included property manager that agreed).
    """
    mult = 1 + supervision_effect * supervision + pressure_effect * pressure + 0.5 * committed
    return float(min(1.0, base * mult))
