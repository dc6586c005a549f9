"""The residents' social network: generated from a seed, or given (read from a file in running/).

Ties are dense within buildings (neighbours of one stairwell know each other),
homophilous by age, with a few long-range ties across the community, and
building leaders know much of their building (they are its mobilizers). The
network is held as a networkx graph (for users and the app) and as a CSR
adjacency matrix (for the vectorized kernels).
"""

from __future__ import annotations

import networkx as nx
import numpy as np
import scipy.sparse as sp

from consultsim.core.params import Params

__all__ = ["generate_edges", "as_edges", "adjacency", "to_graph"]


def _partners(rng, who, group, n_groups):
    """For each index in ``who``, a uniformly random member of its ``group`` (groups by label)."""
    order = np.argsort(group, kind="stable")
    counts = np.bincount(group, minlength=n_groups)
    starts = np.cumsum(counts) - counts
    g = group[who]
    pick = starts[g] + (rng.random(len(who)) * counts[g]).astype(np.int64)
    return order[pick]


def generate_edges(res, p: Params, rng: np.random.Generator) -> np.ndarray:
    """Undirected edges (m, 2), i < j, unique, from the community's structure.

    Each household sends Poisson(building_degree / 2) ties into its building and
    Poisson(long_range_degree / 2) across the community; with probability
    ``age_homophily`` the partner is drawn from its own age group (McPherson,
    Smith-Lovin & Cook 2001). Each building leader adds ties to about a third
    of the building.
    """
    n = res.n
    nb = int(res.building.max()) + 1
    out = []
    for mean, within in ((p.building_degree / 2, True), (p.long_range_degree / 2, False)):
        k = rng.poisson(mean, n)
        who = np.repeat(np.arange(n), k)
        same_age = rng.random(len(who)) < p.age_homophily
        base = res.building if within else np.zeros(n, dtype=np.int64)
        nbase = nb if within else 1
        plain = _partners(rng, who, base.astype(np.int64), nbase)
        by_age = _partners(rng, who, base.astype(np.int64) * 3 + res.age_group, nbase * 3)
        out.append(np.column_stack([who, np.where(same_age, by_age, plain)]))
    leaders = np.flatnonzero(res.leader)
    if len(leaders):
        size = np.bincount(res.building, minlength=nb)
        k = rng.binomial(size[res.building[leaders]], 1 / 3)
        who = np.repeat(leaders, k)
        out.append(np.column_stack([who, _partners(rng, who, res.building.astype(np.int64), nb)]))
    e = np.concatenate(out) if out else np.empty((0, 2), dtype=np.int64)
    return _unique_pairs(e, n)


def _unique_pairs(e: np.ndarray, n: int) -> np.ndarray:
    """Edges ``e`` with each pair ordered i < j, self loops dropped, sorted and unique.

    The same rows as ``np.unique(np.sort(e, axis=1), axis=0)``, found on one int64 key per pair
    (i * n + j orders the pairs as the rows do) sorted once; ``np.unique(axis=0)`` sorts the rows as
    structured records, and numpy 2's hash-based ``unique`` is slower than a plain sort here (7 s
    and 4 s against about 0.4 s for a million households).
    """
    e = e.astype(np.int64, copy=False)
    lo, hi = np.minimum(e[:, 0], e[:, 1]), np.maximum(e[:, 0], e[:, 1])
    key = lo[lo != hi] * np.int64(max(n, 1)) + hi[lo != hi]
    key.sort()
    key = key[np.concatenate(([True], key[1:] != key[:-1]))] if len(key) else key
    return np.column_stack([key // max(n, 1), key % max(n, 1)])


def as_edges(network, n: int) -> np.ndarray:
    """Edges (m, 2), i < j, unique, without self loops, of a given network on households 0..n-1.

    ``network`` is an edge array or a networkx Graph whose nodes are 0..n-1. Files are read
    outside the core (:mod:`consultsim.running.network_files`), which states what it assumed.
    """
    if isinstance(network, nx.Graph):
        nodes = set(network.nodes())
        if nodes - set(range(n)):
            raise ValueError(f"network: nodes must be the households 0..{n - 1} (n_residents = {n})")
        e = np.array(list(network.edges()), dtype=np.int64).reshape(-1, 2)
    else:
        e = np.asarray(network)
        if e.ndim != 2 or e.shape[1] != 2 or (len(e) and not np.issubdtype(e.dtype, np.integer)):
            raise ValueError("network: expected an integer edge array of shape (m, 2) or a networkx Graph")
        e = e.astype(np.int64)
        if len(e) and (e.min() < 0 or e.max() >= n):
            raise ValueError(f"network: edge ends must be households 0..{n - 1} (n_residents = {n})")
    return _unique_pairs(e, n)


def adjacency(n: int, edges: np.ndarray) -> sp.csr_matrix:
    """Symmetric 0/1 CSR adjacency matrix (float64, for fast mat-vec products)."""
    if len(edges) == 0:
        return sp.csr_matrix((n, n))
    i = np.concatenate([edges[:, 0], edges[:, 1]])
    j = np.concatenate([edges[:, 1], edges[:, 0]])
    return sp.csr_matrix((np.ones(len(i)), (i, j)), shape=(n, n))


def to_graph(n: int, edges: np.ndarray) -> nx.Graph:
    """The network as a networkx graph on nodes 0..n-1."""
    g = nx.Graph()
    g.add_nodes_from(range(n))
    g.add_edges_from(edges.tolist())
    return g
