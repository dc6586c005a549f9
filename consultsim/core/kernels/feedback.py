"""Evaluation, feedback and the slow drift of motivation and skill (ODD §7.7-7.8).

Pure numpy kernels that update the household arrays in place (the model owns
the arrays; these functions are its vectorized update rules).
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

__all__ = ["who_learns", "update_toward", "learn_capacity", "drift_toward", "nudge_up"]


def who_learns(scope: np.ndarray, attended: np.ndarray, *, adj: sp.csr_matrix, network_learning: float,
               published: bool, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """(full, partial): indices that learn an outcome fully (attendees) or second-hand.

    Attendees learn fully; network neighbours of attendees hear of it with chance
    ``network_learning`` each; a published outcome (lever ``feedback_transparency``)
    reaches everyone in scope (Ansell & Gash 2008: visible small wins).
    """
    full = scope[attended]
    n = adj.shape[0]
    mark = np.zeros(n)
    mark[full] = 1.0
    k = adj @ mark
    heard = rng.random(n) < 1.0 - (1.0 - network_learning) ** k
    if published:
        heard[scope] = True
    heard[full] = False
    return full, np.flatnonzero(heard)


def update_toward(x: np.ndarray, idx: np.ndarray, target: float, rate: float) -> None:
    """x[idx] <- x[idx] + rate (target - x[idx])   (trust <- trust + rho (outcome - trust))."""
    if len(idx):
        x[idx] += rate * (target - x[idx])


def learn_capacity(capacity: np.ndarray, idx: np.ndarray, gain: float) -> None:
    """Diminishing-returns learning: c <- c + gain (1 - c) for the learners."""
    if len(idx):
        capacity[idx] += gain * (1.0 - capacity[idx])


def drift_toward(x: np.ndarray, x0: np.ndarray, rate: float) -> None:
    """Slow return to a reference level (skills decay, campaigns fade)."""
    if rate:
        x += rate * (x0 - x)


def nudge_up(x: np.ndarray, mask_or_idx, gain: float) -> None:
    """x <- x + gain (1 - x) where selected (e.g. civic motivation reached by a campaign)."""
    x[mask_or_idx] += gain * (1.0 - x[mask_or_idx])
