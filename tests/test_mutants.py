"""Behavioural tests for the two mechanisms a mutation test found guarded only by golden values.

1. Trust learns from outcomes (ODD §7.7): households who took part in a topic and wanted it
   lose trust in the committee in the week its resolution stalls, and gain trust in the week
   it is implemented.
2. Neighbours who attend draw one in (ODD §7.3, Granovetter 1978): the b_network x share term
   of the attendance logistic.

Each test was run against its mutant (the mechanism switched off) and failed; see
docs/validation.md, "Behavioural tests for the surviving mutants".
"""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp

from consultsim.core.kernels.participation import decide_attendance, logistic
from consultsim.core.model import ConsultationModel


def _trust_moves_of_supporters(seeds, weeks=104, **overrides):
    """For each topic whose resolution ended (implemented or stalled): the mean change of trust in the
    committee, over the week it ended, of the households that attended it and supported it."""
    moves = {"implemented": [], "stalled": []}
    for seed in seeds:
        m = ConsultationModel(rng=seed, **overrides)
        for _ in range(weeks):
            before = m.res.trust_committee.copy()
            m.step()
            for t in m.topics:
                if t.step_ended == m.week and t.outcome in moves:
                    who = t.scope[t.attended & (t.opinion > 0.5)]
                    if len(who):
                        moves[t.outcome].append(float(np.mean(m.res.trust_committee[who] - before[who])))
    return moves


def test_trust_learns_from_the_outcome_a_household_wanted():
    moves = _trust_moves_of_supporters(seeds=[3, 4, 5, 6])
    assert len(moves["implemented"]) >= 3 and len(moves["stalled"]) >= 3, moves
    # The weekly drift toward prior trust moves a household by at most trust_drift (0.003) x 1;
    # learning moves attending supporters by learning_rate (0.25) x the distance to the outcome.
    assert np.mean(moves["implemented"]) > 0.02, moves
    assert np.mean(moves["stalled"]) < -0.02, moves
    assert min(moves["implemented"]) > 0 and max(moves["stalled"]) < 0, moves


def _pairs(n_pairs: int):
    """n_pairs isolated couples (2k, 2k+1) joined by one tie."""
    i = np.arange(0, 2 * n_pairs, 2)
    rows, cols = np.concatenate([i, i + 1]), np.concatenate([i + 1, i])
    adj = sp.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(2 * n_pairs, 2 * n_pairs))
    return adj, np.diff(adj.indptr).astype(float)


@pytest.mark.parametrize("b_network", [0.0, 1.5, 4.0])
def test_a_neighbour_who_comes_draws_one_in(b_network):
    # In each couple the first partner surely intends to come (utility +30), the second is
    # indifferent (utility 0): the second comes with P = logistic(0 + b_network x 1), while an
    # indifferent resident whose partner stays away (utility -30) comes with P = logistic(0).
    n = 20_000
    adj, degree = _pairs(n)
    scope = np.arange(2 * n)
    informed = np.ones(2 * n, dtype=bool)
    keen = np.tile([30.0, 0.0], n)
    away = np.tile([-30.0, 0.0], n)
    rng = np.random.default_rng(7)
    drawn = decide_attendance(scope, informed, keen, adj=adj, degree=degree, b_network=b_network, rng=rng)
    alone = decide_attendance(scope, informed, away, adj=adj, degree=degree, b_network=b_network, rng=rng)
    assert drawn[0::2].all() and not alone[0::2].any()
    assert drawn[1::2].mean() == pytest.approx(logistic(b_network), abs=0.015)
    assert alone[1::2].mean() == pytest.approx(0.5, abs=0.015)


def test_neighbours_attending_raise_attendance_in_the_model():
    # Same seeds, the network weight at 0 and at 4: more attendances with it, in every run.
    def attendances(seed, b):
        m = ConsultationModel(rng=seed, n_residents=600, b_network=b)
        for _ in range(52):
            m.step()
        return m.counts["attendances"]

    for seed in (11, 12, 13):
        assert attendances(seed, 4.0) > 1.1 * attendances(seed, 0.0)
