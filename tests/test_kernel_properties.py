"""Properties every deliberation kernel must have, checked on generated inputs (hypothesis).

Why they must hold: Deffuant (2000), Hegselmann-Krause (2002), DeGroot (1974) and
Friedkin-Johnsen (1990) updates are convex combinations of current (and initial)
opinions, so they cannot leave [min, max]; Deffuant's pairwise moves are symmetric,
so the mean is conserved; HK treats agents alike, so relabelling them commutes with
the update. The meeting's voice weights are a mixture of a distribution and the
uniform one (ODD §7.4), which fixes its bounds and its monotonicity in
facilitation.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from consultsim.core.kernels.deliberation import (
    deffuant,
    degroot,
    friedkin_johnsen,
    hegselmann_krause,
    hk_step,
    meeting,
)

FAST = settings(max_examples=40, deadline=None)

unit = st.floats(0.0, 1.0, allow_nan=False)
eps_st = st.floats(0.0, 1.0, allow_nan=False)


def opinions(min_size=0, max_size=40):
    return st.integers(min_size, max_size).flatmap(lambda n: arrays(np.float64, n, elements=unit))


def in_hull(out, x, atol=1e-12):
    if x.size == 0:
        return out.size == 0
    return bool(np.all(out >= x.min() - atol) and np.all(out <= x.max() + atol))


# --------------------------------------------------------------------------- Deffuant
@FAST
@given(x=opinions(), eps=eps_st, mu=st.floats(0.0, 0.5), seed=st.integers(0, 2**32 - 1),
       network=st.booleans())
def test_deffuant_hull_mean_and_no_mutation(x, eps, mu, seed, network):
    rng = np.random.default_rng(seed)
    edges = None
    if network and x.size >= 2:
        edges = rng.integers(0, x.size, size=(3 * x.size, 2))
    before = x.copy()
    edges_before = None if edges is None else edges.copy()
    out = deffuant(x, eps, mu, 500, rng, edges=edges)
    np.testing.assert_array_equal(x, before)
    if edges is not None:
        np.testing.assert_array_equal(edges, edges_before)
    assert out.shape == x.shape and out is not x
    assert in_hull(out, x)
    if x.size:
        assert abs(out.mean() - x.mean()) < 1e-12


def _reference_deffuant(x, eps, mu, pairs):
    """Deffuant et al. (2000) written out one encounter at a time, with numpy scalars."""
    x = np.array(x, dtype=float)
    for i, j in pairs:
        if abs(x[i] - x[j]) < eps:
            xi, xj = x[i], x[j]
            x[i], x[j] = xi + mu * (xj - xi), xj + mu * (xi - xj)
    return x


@pytest.mark.parametrize("network", [False, True])
def test_deffuant_matches_a_strictly_sequential_reference(network):
    """Same seed, same result, and exactly the one-at-a-time result for the pairs drawn
    (the kernel draws its pairs up front; drawing them here the same way gives the sequence)."""
    n, k = 30, 3000
    x = np.random.default_rng(9).random(n)
    edges = np.array([(i, (i + d) % n) for i in range(n) for d in (1, 2)]) if network else None
    out = deffuant(x, 0.3, 0.4, k, np.random.default_rng(3), edges=edges)
    np.testing.assert_array_equal(out, deffuant(x, 0.3, 0.4, k, np.random.default_rng(3), edges=edges))
    rng = np.random.default_rng(3)
    if network:
        pairs = edges[rng.integers(0, edges.shape[0], size=k)]
    else:
        first = rng.integers(0, n, size=k)
        second = rng.integers(0, n - 1, size=k)
        second += second >= first
        assert np.all(first != second)
        pairs = np.column_stack([first, second])
    np.testing.assert_allclose(out, _reference_deffuant(x, 0.3, 0.4, pairs), rtol=0, atol=1e-14)
    assert np.max(np.abs(out - x)) > 0.01  # encounters did happen


# --------------------------------------------------------------------------- Hegselmann-Krause
@FAST
@given(x=opinions(), eps=eps_st, data=st.data())
def test_hk_hull_permutation_and_no_mutation(x, eps, data):
    w = data.draw(arrays(np.float64, x.size, elements=st.floats(0.0, 5.0)))
    before, w_before = x.copy(), w.copy()
    out = hk_step(x, eps)
    outw = hk_step(x, eps, weights=w)
    np.testing.assert_array_equal(x, before)
    np.testing.assert_array_equal(w, w_before)
    assert in_hull(out, x) and in_hull(outw, x)
    perm = data.draw(st.permutations(range(x.size)))
    perm = np.array(perm, dtype=int)
    np.testing.assert_allclose(hk_step(x[perm], eps), out[perm], rtol=0, atol=1e-12)
    np.testing.assert_allclose(hk_step(x[perm], eps, weights=w[perm]), outw[perm], rtol=0, atol=1e-12)
    full = hegselmann_krause(x, eps, max_rounds=20)
    np.testing.assert_array_equal(x, before)
    assert in_hull(full, x)


@FAST
@given(x=opinions(min_size=1, max_size=25), eps=eps_st, data=st.data())
def test_hk_network_hull_and_no_mutation(x, eps, data):
    n = x.size
    A = data.draw(arrays(np.int8, (n, n), elements=st.integers(0, 1)))
    A_before = A.copy()
    out = hk_step(x, eps, adjacency=A)
    np.testing.assert_array_equal(A, A_before)
    assert in_hull(out, x)
    # eps = 0 (and no exact ties across neighbours) changes nothing
    np.testing.assert_array_equal(hk_step(np.arange(n, dtype=float), 0.0, adjacency=A), np.arange(n))


# --------------------------------------------------------------------------- DeGroot / FJ
@FAST
@given(x=opinions(min_size=1, max_size=25), data=st.data())
def test_averaging_kernels_hull_and_no_mutation(x, data):
    n = x.size
    raw = data.draw(arrays(np.float64, (n, n), elements=st.floats(0.0, 1.0)))
    raw = raw + np.eye(n) * 1e-3  # keep every row sum positive
    W = raw / raw.sum(axis=1, keepdims=True)
    lam = data.draw(arrays(np.float64, n, elements=unit))
    W_before, lam_before, x_before = W.copy(), lam.copy(), x.copy()
    d = degroot(x, W, 5)
    f = friedkin_johnsen(x, W, lam, 5)
    np.testing.assert_array_equal(W, W_before)
    np.testing.assert_array_equal(lam, lam_before)
    np.testing.assert_array_equal(x, x_before)
    assert in_hull(d, x, atol=1e-9) and in_hull(f, x, atol=1e-9)


# --------------------------------------------------------------------------- meeting
@st.composite
def meetings(draw, min_size=0, max_size=40):
    n = draw(st.integers(min_size, max_size))
    vec = arrays(np.float64, n, elements=unit)
    return dict(
        x=draw(vec), anchor=draw(vec), capacity=draw(vec),
        rounds=draw(st.integers(1, 6)), epsilon=draw(eps_st),
        voice_exponent=draw(st.floats(0.0, 4.0)), facilitation=draw(unit),
        anchoring=draw(unit), informed_pull=draw(unit), informed_position=draw(unit),
    )


@FAST
@given(kw=meetings(min_size=1))
def test_meeting_bounds_and_voice(kw):
    copies = {k: np.copy(v) for k, v in kw.items() if isinstance(v, np.ndarray)}
    res = meeting(**kw)
    for k, v in copies.items():
        np.testing.assert_array_equal(kw[k], v)
    n = kw["x"].size
    assert res.opinions.shape == (n,)
    assert np.all((res.opinions >= 0) & (res.opinions <= 1))
    assert np.all(res.voice >= 0) and math.isclose(res.voice.sum(), 1.0, abs_tol=1e-12)
    # the top ceil(10%) hold at least their head-count share and at most everything
    assert math.ceil(0.1 * n) / n - 1e-12 <= res.voice_concentration <= 1.0
    assert 0.0 <= res.consensus <= 1.0 and 0.0 <= res.support <= 1.0
    assert 1 <= res.rounds_run <= kw["rounds"]


@FAST
@given(kw=meetings(min_size=1))
def test_meeting_facilitation_and_anchoring_limits(kw):
    n = kw["x"].size
    fair = meeting(**{**kw, "facilitation": 1.0})
    np.testing.assert_allclose(fair.voice, np.full(n, 1 / n), rtol=0, atol=1e-15)
    anchored = meeting(**{**kw, "anchoring": 1.0})
    np.testing.assert_array_equal(anchored.opinions, kw["anchor"])


@FAST
@given(kw=meetings(min_size=1), f1=unit, f2=unit)
def test_more_facilitation_never_concentrates_voice(kw, f1, f2):
    lo, hi = sorted((f1, f2))
    a = meeting(**{**kw, "facilitation": lo}).voice_concentration
    b = meeting(**{**kw, "facilitation": hi}).voice_concentration
    assert b <= a + 1e-12


@FAST
@given(x=opinions(min_size=1), eps=eps_st, rounds=st.integers(1, 8))
def test_meeting_without_institutions_is_plain_hk(x, eps, rounds):
    """Equal voice, no anchoring, no informed pull: the meeting is Hegselmann-Krause (2002)."""
    n = x.size
    res = meeting(x, np.zeros(n), np.full(n, 0.5), rounds=rounds, epsilon=eps, voice_exponent=1.0,
                  facilitation=1.0, anchoring=0.0, informed_pull=0.0, informed_position=0.5, tol=0.0)
    expected = x.copy()
    for _ in range(rounds):
        expected = hk_step(expected, eps)
    np.testing.assert_allclose(res.opinions, expected, rtol=0, atol=1e-12)


def test_meeting_edge_cases():
    empty = meeting(np.zeros(0), np.zeros(0), np.zeros(0), rounds=3, epsilon=0.2, voice_exponent=1,
                    facilitation=0.5, anchoring=0.2, informed_pull=0.1, informed_position=0.7)
    assert empty.rounds_run == 0 and empty.opinions.size == 0
    assert math.isnan(empty.consensus) and math.isnan(empty.support) and math.isnan(empty.voice_concentration)
    one = meeting(np.array([0.8]), np.array([0.8]), np.array([0.0]), rounds=3, epsilon=0.2, voice_exponent=2,
                  facilitation=0.0, anchoring=0.0, informed_pull=0.5, informed_position=0.1)
    assert one.consensus == 1.0 and one.voice_concentration == 1.0 and one.support == 1.0
    np.testing.assert_array_equal(one.voice, [1.0])
    # all capacities 0 with a positive exponent: nobody has raw voice, so voice is equal
    zero = meeting(np.array([0.1, 0.9]), np.array([0.1, 0.9]), np.zeros(2), rounds=2, epsilon=1.0,
                   voice_exponent=1.0, facilitation=0.0, anchoring=0.0, informed_pull=0.0,
                   informed_position=0.5)
    np.testing.assert_array_equal(zero.voice, [0.5, 0.5])
    np.testing.assert_allclose(zero.opinions, [0.5, 0.5])
    assert zero.consensus == 1.0 and zero.rounds_run == 2  # round 2 changes nothing: early stop


def test_meeting_unequal_voice_pulls_toward_the_capable():
    """With voice growing with capacity, the capable speaker's view dominates the outcome."""
    x = np.array([0.2, 0.8])
    res = meeting(x, x, np.array([1.0, 0.1]), rounds=1, epsilon=1.0, voice_exponent=2.0, facilitation=0.0,
                  anchoring=0.0, informed_pull=0.0, informed_position=0.5)
    np.testing.assert_allclose(res.voice, [1 / 1.01, 0.01 / 1.01])
    np.testing.assert_allclose(res.opinions, [(0.2 + 0.01 * 0.8) / 1.01] * 2)


@pytest.mark.parametrize(("fn", "kwargs", "name"), [
    (hk_step, dict(x=np.zeros(3), epsilon=-0.1), "epsilon"),
    (deffuant, dict(x=np.zeros(3), epsilon=0.1, mu=0.6, interactions=1, rng=np.random.default_rng(0)), "mu"),
    (deffuant, dict(x=np.zeros(3), epsilon=0.1, mu=0.3, interactions=1, rng=np.random.default_rng(0),
                    edges=np.array([[0, 5]])), "edges"),
    (hk_step, dict(x=np.zeros((2, 2)), epsilon=0.1), "x"),
    (hk_step, dict(x=np.zeros(3), epsilon=0.1, weights=np.ones(2)), "weights"),
    (friedkin_johnsen, dict(x0=np.zeros(2), W=np.eye(2), susceptibility=1.5, rounds=1), "susceptibility"),
    (meeting, dict(x=np.zeros(2), anchor=np.zeros(2), capacity=np.zeros(3), rounds=1, epsilon=0.1,
                   voice_exponent=1, facilitation=0, anchoring=0, informed_pull=0, informed_position=0.5),
     "capacity"),
    (meeting, dict(x=np.zeros(2), anchor=np.zeros(2), capacity=np.zeros(2), rounds=1, epsilon=0.1,
                   voice_exponent=1, facilitation=2, anchoring=0, informed_pull=0, informed_position=0.5),
     "facilitation"),
])
def test_bad_inputs_name_the_argument(fn, kwargs, name):
    with pytest.raises(ValueError, match=name):
        fn(**kwargs)


@FAST
@given(x=opinions(min_size=1, max_size=20), eps=eps_st, data=st.data())
def test_hk_adjacency_formats_agree(x, eps, data):
    """Dense, CSR and COO with duplicate entries and explicit zeros describe the same neighbours."""
    import scipy.sparse as sp

    n = x.size
    A = data.draw(arrays(np.int8, (n, n), elements=st.integers(0, 1)))
    dense = hk_step(x, eps, adjacency=A)
    np.testing.assert_array_equal(hk_step(x, eps, adjacency=sp.csr_matrix(A)), dense)
    r, c = np.nonzero(A)
    zr = np.arange(n)  # explicit zeros on the diagonal and duplicated entries
    coo = sp.coo_matrix((np.concatenate([np.ones(2 * r.size), np.zeros(n)]),
                         (np.concatenate([r, r, zr]), np.concatenate([c, c, zr]))), shape=(n, n))
    np.testing.assert_array_equal(hk_step(x, eps, adjacency=coo), dense)
