"""Who hears of a meeting and who comes: vectorized kernels (pure numpy).

ODD §7.3. Residents learn of a meeting from the
notice, from building leaders through the network and from social workers'
outreach; "nobody asked" is a main reason not to take part (Brady, Verba &
Schlozman 1995), so a personal invitation enters the decision. An informed
resident attends with the calculus-of-participation logistic (Riker &
Ordeshook 1968) extended by resources (Brady et al. 1995) and a threshold
term for neighbours who attend (Granovetter 1978).
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from consultsim.core.params import Params

__all__ = ["logistic", "mobilize", "attendance_utility", "online_time_cost", "decide_attendance", "update_habit"]


def logistic(z):
    return 1.0 / (1.0 + np.exp(-z))


def mobilize(scope: np.ndarray, *, time: np.ndarray, online: np.ndarray, leader: np.ndarray,
             adj: sp.csr_matrix, p: Params, targets: np.ndarray | None, rng: np.random.Generator
             ) -> tuple[np.ndarray, np.ndarray]:
    """Masks over ``scope``: (informed, invited).

    - paper notice: seen with chance ``notice_reach`` x (``notice_time_base`` + spare time) (who is
      around the compound sees the board);
    - building leaders are told by the committee and invite each network
      neighbour in scope with chance ``leader_reach`` (楼门长 mobilization);
    - the online channel (lever) posts the notice to the WeChat groups;
    - social workers' outreach: ``targets`` (indices in scope) are invited.
    """
    m = len(scope)
    seen = rng.random(m) < np.clip(p.notice_reach * (p.notice_time_base + time[scope]), 0, 1)
    lead = np.zeros(adj.shape[0])
    lead[scope[leader[scope]]] = 1.0
    k = (adj @ lead)[scope]  # leader neighbours of each resident
    invited = rng.random(m) < 1.0 - (1.0 - p.leader_reach) ** k
    invited |= leader[scope]
    if targets is not None and len(targets):
        invited[targets] = True
    informed = seen | invited
    if p.online_channel:
        informed |= online[scope] & (rng.random(m) < p.online_reach)
    return informed, invited


def attendance_utility(scope: np.ndarray, stake: np.ndarray, invited: np.ndarray, *, res, incentive: float,
                       p: Params) -> np.ndarray:
    """The spec's utility without the network term (ODD §7.3)::

        b0 + b_s |stake| efficacy + b_d civic + b_k (capacity - 1/2) + b_i incentive/10
           + b_r invited - b_t time_cost (1 - time) + b_c (trust_committee - 1/2) + b_h habit

    Online attendance, where the channel exists, cuts the time cost for the
    residents in the WeChat groups, mostly for the already engaged (:func:`online_time_cost`). Capacity enters as civic skills, a resource for
    taking part (Brady, Verba & Schlozman 1995), so training reaches attendance. Habit: having
    attended raises the chance of attending again (Gerber, Green & Shachar 2003; Fowler 2006), and
    disappointing outcomes weaken it (aspiration-based adaptation, Bendor, Diermeier & Ting 2003);
    see :func:`update_habit`.
    """
    time_cost = online_time_cost(scope, res=res, p=p)
    return (p.b0 + p.b_stake * np.abs(stake) * res.efficacy[scope] + p.b_civic * res.civic[scope]
            + p.b_capacity * (res.capacity[scope] - 0.5)
            + p.b_incentive * incentive / 10.0 + p.b_invited * invited
            - p.b_time * time_cost * (1.0 - res.time[scope])
            + p.b_trust * (res.trust_committee[scope] - 0.5)
            + p.b_habit * res.habit[scope])


def online_time_cost(scope: np.ndarray, *, res, p: Params) -> np.ndarray:
    """Time cost of taking part relative to coming in person (1 = no online channel).

    Members of the WeChat groups can join online, which costs them ``online_time_cost`` of the time;
    but online channels mostly add the already engaged (Schlozman, Verba & Brady 2010): of the time
    saved, a share ``online_selectivity`` goes only as far as a household's engagement, the larger of
    its civic motivation and its attendance habit. Selectivity 0 gives every member the full saving.
    """
    if not p.online_channel:
        return np.ones(len(scope))
    engaged = np.maximum(res.civic[scope], res.habit[scope])
    saving = (1.0 - p.online_time_cost) * (1.0 - p.online_selectivity * (1.0 - engaged))
    return np.where(res.online[scope], 1.0 - saving, 1.0)


def decide_attendance(scope: np.ndarray, informed: np.ndarray, utility: np.ndarray, *, adj: sp.csr_matrix,
                      degree: np.ndarray, b_network: float, rng: np.random.Generator) -> np.ndarray:
    """Mask over ``scope`` of who attends.

    Two passes: intentions without the network term, then the final choice
    with ``b_network`` x the share of one's network neighbours who intend to
    come (a one-step threshold cascade, Granovetter 1978). Uninformed
    residents do not come.
    """
    u = rng.random(len(scope))
    intend = informed & (u < logistic(utility))
    full = np.zeros(adj.shape[0])
    full[scope[intend]] = 1.0
    deg = degree[scope]
    share = np.divide((adj @ full)[scope], deg, out=np.zeros(len(scope)), where=deg > 0)
    return informed & (u < logistic(utility + b_network * share))


def update_habit(habit: np.ndarray, attended: np.ndarray, disappointed: np.ndarray, *, gain: float,
                 decay: float) -> None:
    """One week of habit, in place: fades by ``decay`` toward 0; each household that attended this
    week moves ``gain`` of the way toward 1 (the act reinforces itself: Gerber, Green & Shachar 2003;
    Fowler 2006); each one disappointed by an outcome it took part in moves ``gain`` of the way toward 0
    (an action that falls short of one's aspiration is repeated less: Bendor, Diermeier & Ting 2003).
    ``attended`` and ``disappointed`` are index arrays (or masks)."""
    if decay:
        habit *= 1.0 - decay
    habit[attended] += gain * (1.0 - habit[attended])
    habit[disappointed] -= gain * habit[disappointed]
