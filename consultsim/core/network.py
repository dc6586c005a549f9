"""The residents' social network: generated from a seed, or read from a file.

Ties are dense within buildings (neighbours of one stairwell know each other),
homophilous by age, with a few long-range ties across the community, and
building leaders know much of their building (they are its mobilizers). The
network is held as a networkx graph (for users and the app) and as a CSR
adjacency matrix (for the vectorized kernels).
"""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import numpy as np
import scipy.sparse as sp

from consultsim.core.params import Params

__all__ = ["generate_edges", "read_network", "adjacency", "to_graph", "NetworkFileError"]


class NetworkFileError(ValueError):
    """An external network file is missing or unreadable."""


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
    e = np.sort(e, axis=1)
    e = e[e[:, 0] != e[:, 1]]
    return np.unique(e, axis=0) if len(e) else e


def read_network(path: str | Path, n: int | None = None) -> tuple[int, np.ndarray]:
    """Read an edge list (``.txt``, ``.csv``, ``.edges``, ...) or GraphML file.

    Nodes are relabelled 0..N-1 in sorted order; returns (N, edges).
    """
    path = Path(path)
    if not path.is_file():
        raise NetworkFileError(f"network_file {str(path)!r}: no such file")
    try:
        if path.suffix.lower() in (".graphml", ".xml"):
            g = nx.read_graphml(path)
        else:
            g = nx.read_edgelist(path, delimiter="," if path.suffix.lower() == ".csv" else None,
                                 comments="#", data=False)
    except Exception as e:  # networkx raises many kinds for malformed files
        raise NetworkFileError(f"network_file {str(path)!r}: cannot read it ({e})") from None
    if g.number_of_nodes() < 2:
        raise NetworkFileError(f"network_file {str(path)!r}: needs at least 2 nodes")
    try:
        nodes = sorted(g.nodes(), key=lambda v: (0, int(v)) if str(v).lstrip("-").isdigit() else (1, str(v)))
    except ValueError:
        nodes = sorted(g.nodes(), key=str)
    index = {v: i for i, v in enumerate(nodes)}
    e = np.array([(index[a], index[b]) for a, b in g.edges() if a != b], dtype=np.int64).reshape(-1, 2)
    e = np.unique(np.sort(e, axis=1), axis=0) if len(e) else e
    return len(nodes), e


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
