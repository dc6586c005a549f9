"""The deliberation kernels reduce to classic models with published results (ODD §7.4).

Expected values come from the papers (cluster counts, consensus thresholds)
or from independent closed forms computed here (degree-weighted mean, the
Friedkin-Johnsen fixed point via numpy.linalg.solve, a naive O(n^2) HK).
"""

from __future__ import annotations

import math
from collections import Counter

import networkx as nx
import numpy as np
import pytest
import scipy.sparse as sp

from consultsim.core.kernels.deliberation import (
    deffuant,
    degroot,
    fj_equilibrium,
    friedkin_johnsen,
    hegselmann_krause,
    hk_step,
)

N = 1000


def large_clusters(x, gap=0.01, share=0.05):
    """Clusters = runs of sorted opinions split at gaps > ``gap``; returns (#clusters holding >= share, largest share)."""
    s = np.sort(x)
    breaks = np.flatnonzero(np.diff(s) > gap)
    sizes = np.diff(np.concatenate([[0], breaks + 1, [s.size]]))
    return int(np.sum(sizes >= share * s.size)), sizes.max() / s.size


# --------------------------------------------------------------------------- Deffuant
@pytest.mark.parametrize("eps", [0.15, 0.2, 0.25, 0.3, 0.5])
def test_deffuant_complete_mixing_cluster_count(eps):
    """Deffuant et al. (2000, Adv. Complex Syst. 3:87): on [0, 1] with complete mixing the
    number of large clusters is the integer part of 1/(2 eps).

    The rule is an approximation that fails near the transitions (e.g. eps ~ 0.27,
    between 2 and 1 clusters, where both occur), so single runs can miss it:
    seed by seed the count is 3 at eps = 0.15 in ~3/4 of runs (else usually 2).
    We require the modal count over 7 seeds to match. eps = 0.25 is the boundary
    case 1/(2 eps) = 2 exactly; the published rule gives 2 and that is what the
    dynamics give (1 cluster needs eps above ~0.27). 'Large' = at least 5% of agents,
    which ignores the small extremist clusters that the paper also reports.
    """
    expected = math.floor(1 / (2 * eps) + 1e-12)  # 1/(2*0.25) must stay 2, not 1.999...
    counts = []
    for seed in range(7):
        rng = np.random.default_rng(seed)
        x = rng.random(N)
        final = deffuant(x, eps, 0.5, 200 * N, rng)
        counts.append(large_clusters(final)[0])
    modal, _ = Counter(counts).most_common(1)[0]
    assert modal == expected, f"eps={eps}: counts {counts}, expected {expected}"


def test_deffuant_small_epsilon_keeps_many_clusters():
    """Contrast (Deffuant et al. 2000): with eps = 0.1 there are several clusters, not consensus."""
    rng = np.random.default_rng(11)
    final = deffuant(rng.random(N), 0.1, 0.5, 200 * N, rng)
    assert large_clusters(final)[0] >= 4


@pytest.mark.parametrize("graph", ["random_regular", "barabasi_albert"])
def test_deffuant_one_cluster_on_sparse_network(graph):
    """Fortunato (2004, Int. J. Mod. Phys. C 15:1301): on any connected graph the
    Deffuant model reaches complete consensus from eps = 1/2 on (the largest cluster
    holds essentially all agents). At the threshold itself a few stragglers can
    remain, so we require one large cluster holding at least 97% of the agents.
    """
    if graph == "random_regular":
        G = nx.random_regular_graph(6, N, seed=2)
    else:
        G = nx.barabasi_albert_graph(N, 3, seed=3)
    assert nx.is_connected(G)
    edges = np.array(G.edges(), dtype=np.int64)
    for seed in range(2):
        rng = np.random.default_rng(seed)
        final = deffuant(rng.random(N), 0.5, 0.5, 600 * N, rng, edges=edges)
        n_large, largest = large_clusters(final)
        assert n_large == 1
        assert largest >= 0.97


# --------------------------------------------------------------------------- Hegselmann-Krause
def test_hk_consensus_threshold_complete_graph():
    """Hegselmann & Krause (2002, JASSS 5(3)2; ODD §7.4): complete graph, N = 1000,
    uniform initial opinions: consensus almost always at eps = 0.25, never at eps = 0.15."""
    at_025 = at_015 = 0
    for seed in range(10):
        x = np.random.default_rng(seed).random(N)
        at_025 += np.ptp(hegselmann_krause(x, 0.25)) < 1e-6
        at_015 += np.ptp(hegselmann_krause(x, 0.15)) < 1e-6
    assert at_025 >= 9
    assert at_015 == 0


def naive_hk(x, eps, w=None, A=None):
    """Textbook O(n^2) HK step: mean over {j : |x_j - x_i| <= eps, j = i or A[i, j] != 0}."""
    n = x.size
    w = np.ones(n) if w is None else w
    M = np.abs(x[:, None] - x[None, :]) <= eps
    if A is not None:
        M &= (np.asarray(A) != 0) | np.eye(n, dtype=bool)
    Mw = M * w[None, :]
    return Mw @ x / Mw.sum(axis=1)


@pytest.mark.parametrize("seed", range(8))
def test_hk_sorted_method_equals_naive(seed):
    """The O(n log n) prefix-sum HK step equals the naive definition (Hegselmann & Krause 2002)."""
    rng = np.random.default_rng(seed)
    n = int(rng.integers(2, 400))
    x = rng.random(n) if seed % 2 else np.round(rng.random(n), 1)  # even seeds: many exact ties
    eps = float(rng.choice([0.05, 0.1, 0.2, 0.3]))
    w = rng.random(n) + 0.01
    np.testing.assert_allclose(hk_step(x, eps), naive_hk(x, eps), rtol=0, atol=1e-12)
    np.testing.assert_allclose(hk_step(x, eps, weights=w), naive_hk(x, eps, w), rtol=0, atol=1e-12)
    ones = np.ones((n, n))
    np.testing.assert_allclose(hk_step(x, eps, weights=w, adjacency=ones), hk_step(x, eps, weights=w),
                               rtol=0, atol=1e-12)
    np.testing.assert_allclose(hk_step(x, eps, adjacency=sp.csr_matrix(ones)), hk_step(x, eps),
                               rtol=0, atol=1e-12)


def test_hk_on_network_equals_naive_and_full_run():
    """HK restricted to neighbours equals the naive rule, and a full run with all-ones
    adjacency ends where the complete-graph run ends."""
    rng = np.random.default_rng(5)
    G = nx.connected_watts_strogatz_graph(200, 6, 0.2, seed=5)
    A = nx.to_numpy_array(G)
    x = rng.random(200)
    np.testing.assert_allclose(hk_step(x, 0.3, adjacency=A), naive_hk(x, 0.3, A=A), rtol=0, atol=1e-12)
    np.testing.assert_allclose(hk_step(x, 0.3, adjacency=sp.csr_matrix(A)), naive_hk(x, 0.3, A=A),
                               rtol=0, atol=1e-12)
    full = hegselmann_krause(x, 0.12)
    dense = hegselmann_krause(x, 0.12, adjacency=np.ones((200, 200)))
    np.testing.assert_allclose(full, dense, rtol=0, atol=1e-9)


# --------------------------------------------------------------------------- DeGroot
def _connected_nonbipartite(n=60, seed=4):
    G = nx.connected_watts_strogatz_graph(n, 4, 0.3, seed=seed)
    assert nx.is_connected(G) and not nx.is_bipartite(G)
    return nx.to_numpy_array(G)


@pytest.mark.parametrize("sparse", [False, True])
def test_degroot_converges_to_degree_weighted_mean(sparse):
    """DeGroot (1974, JASA 69:118): with W = D^-1 A on a connected non-bipartite graph the
    stationary distribution is pi_i = d_i / sum d, so x(t) -> sum d_i x_i(0) / sum d_i."""
    A = _connected_nonbipartite()
    d = A.sum(axis=1)
    W = A / d[:, None]
    x0 = np.random.default_rng(0).random(A.shape[0])
    target = d @ x0 / d.sum()
    out = degroot(x0, sp.csr_matrix(W) if sparse else W, 2000)
    np.testing.assert_allclose(out, target, rtol=0, atol=1e-9)
    assert not np.allclose(target, x0.mean(), atol=1e-3)  # the weighting matters here


def test_degroot_rejects_non_stochastic():
    """W must be row-stochastic; the error says which row is wrong."""
    W = np.full((3, 3), 1 / 3)
    W[1, 1] = 0.5
    with pytest.raises(ValueError, match="row-stochastic.*row 1"):
        degroot(np.zeros(3), W, 1)
    with pytest.raises(ValueError, match="row-stochastic"):
        degroot(np.zeros(2), sp.csr_matrix(np.array([[1.5, -0.5], [0.5, 0.5]])), 1)


# --------------------------------------------------------------------------- Friedkin-Johnsen
def _fj_setup(seed=1, n=50):
    rng = np.random.default_rng(seed)
    A = _connected_nonbipartite(n, seed)
    W = A / A.sum(axis=1)[:, None]
    return rng.random(n), W, rng.uniform(0.2, 0.9, n)


@pytest.mark.parametrize("sparse", [False, True])
def test_fj_iterates_converge_to_closed_form(sparse):
    """Friedkin & Johnsen (1990, J. Math. Sociol. 15:193): x* = (I - Lambda W)^-1 (I - Lambda) x0;
    here computed independently with numpy.linalg.solve."""
    x0, W, lam = _fj_setup()
    n = x0.size
    expected = np.linalg.solve(np.eye(n) - lam[:, None] * W, (1 - lam) * x0)
    Wm = sp.csr_matrix(W) if sparse else W
    np.testing.assert_allclose(friedkin_johnsen(x0, Wm, lam, 500), expected, rtol=0, atol=1e-10)
    np.testing.assert_allclose(fj_equilibrium(x0, Wm, lam), expected, rtol=0, atol=1e-10)


def test_fj_full_susceptibility_is_degroot_and_zero_never_moves():
    """Friedkin & Johnsen (1990): Lambda = I is DeGroot exactly; lambda_i = 0 keeps x0_i."""
    x0, W, lam = _fj_setup(seed=2)
    np.testing.assert_array_equal(friedkin_johnsen(x0, W, np.ones(x0.size), 17), degroot(x0, W, 17))
    lam[::3] = 0.0
    out = friedkin_johnsen(x0, W, lam, 50)
    np.testing.assert_array_equal(out[::3], x0[::3])
    assert np.max(np.abs(out[1::3] - x0[1::3])) > 1e-3  # the others did move


def test_fj_equilibrium_singular_is_a_clear_error():
    """With Lambda = I the system I - W is singular (DeGroot has no unique fixed point);
    the same when one closed group is fully susceptible."""
    x0, W, lam = _fj_setup(seed=3)
    with pytest.raises(ValueError, match="singular"):
        fj_equilibrium(x0, W, np.ones(x0.size))
    # two disconnected blocks; only the first has a stubborn member
    W2 = np.zeros((4, 4))
    W2[:2, :2] = 0.5
    W2[2:, 2:] = 0.5
    with pytest.raises(ValueError, match="singular"):
        fj_equilibrium(np.arange(4.0), W2, np.array([0.5, 1, 1, 1]))
    ok = fj_equilibrium(np.arange(4.0), W2, np.array([0.5, 1, 0.5, 1]))
    assert np.all(np.isfinite(ok))
