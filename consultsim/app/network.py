"""The network view: where each household is drawn (the browser draws it: live.vue).

Layout: each building is a cluster (buildings on a grid), and inside a building
the households are placed by a force-directed layout of that building's ties
(Fruchterman & Reingold 1991, ``networkx.spring_layout``), started from their
floor so that upper floors sit above lower ones. Ties to other buildings are
drawn as faint lines. The layout is computed once per community and cached
(the key is the network itself), never per frame. The alternative "floors"
layout draws each building as a facade, one row per floor, which makes the
elevator retrofit's floor divide visible.
"""

from __future__ import annotations

import hashlib
import math
from collections import OrderedDict

import numpy as np

__all__ = ["COLOUR_MODES", "LAYOUTS", "AGE_COLOURS", "MISSING", "layout"]

COLOUR_MODES = {
    "opinion": "Opinion on the current topic",
    "attended": "Attended recently",
    "age": "Age group",
    "trust": "Trust in the committee",
}
LAYOUTS = {"network": "Network (ties)", "floors": "Buildings and floors"}

AGE_COLOURS = ("#1b9e77", "#7570b3", "#d95f02")   # ColorBrewer Dark2: young, middle, elderly
MISSING = "#d0d0d0"                                 # out of scope / never

_CACHE: OrderedDict[tuple, np.ndarray] = OrderedDict()
_CACHE_SIZE = 16


def _key(graph, building: np.ndarray, floor: np.ndarray, kind: str) -> tuple:
    h = hashlib.sha1()
    edges = np.array(sorted((min(u, v), max(u, v)) for u, v in graph.edges()), dtype=np.int64)
    h.update(edges.tobytes())
    h.update(np.asarray(building, dtype=np.int64).tobytes())
    h.update(np.asarray(floor, dtype=np.int64).tobytes())
    return (kind, graph.number_of_nodes(), h.hexdigest())


def _grid(n_buildings: int) -> tuple[np.ndarray, int]:
    cols = max(1, math.ceil(math.sqrt(n_buildings * 1.5)))  # wider than tall, like a screen
    idx = np.arange(n_buildings)
    return np.column_stack([idx % cols, -(idx // cols)]).astype(float), cols


def _network_layout(graph, building, floor) -> np.ndarray:
    import networkx as nx

    n = len(building)
    pos = np.zeros((n, 2))
    blds = np.unique(building)
    centres, _ = _grid(len(blds))
    spacing = 2.6
    for b, c in zip(blds, centres):
        members = np.flatnonzero(building == b)
        sub = graph.subgraph(members.tolist())
        top = max(int(floor[members].max()), 1)
        rng = np.random.default_rng(int(b))  # deterministic: the same community always looks the same
        start = {int(i): (rng.uniform(-1, 1), 2 * (floor[i] - 1) / max(top - 1, 1) - 1) for i in members}
        k = 1.6 / math.sqrt(max(len(members), 1))
        p = nx.spring_layout(sub, pos=start, k=k, iterations=40, seed=int(b)) if len(members) > 1 else start
        xy = np.array([p[int(i)] for i in members], dtype=float)
        xy -= xy.mean(axis=0)
        scale = np.abs(xy).max() or 1.0
        pos[members] = c * spacing + xy / scale
    return pos


def _floors_layout(building, floor) -> np.ndarray:
    n = len(building)
    pos = np.zeros((n, 2))
    blds = np.unique(building)
    centres, _ = _grid(len(blds))
    for b, c in zip(blds, centres):
        members = np.flatnonzero(building == b)
        fl = floor[members]
        top = max(int(fl.max()), 1)
        for f in np.unique(fl):
            row = members[fl == f]
            x = np.linspace(-1, 1, len(row)) if len(row) > 1 else np.zeros(1)
            pos[row, 0] = c[0] * 2.6 + x
            pos[row, 1] = c[1] * 2.6 + (2 * (f - 1) / max(top - 1, 1) - 1)
    return pos


def layout(graph, building, floor, kind: str = "network") -> np.ndarray:
    """(n, 2) positions of the households, cached per community and layout kind."""
    building = np.asarray(building)
    floor = np.asarray(floor)
    key = _key(graph, building, floor, kind)
    if key in _CACHE:
        _CACHE.move_to_end(key)
        return _CACHE[key]
    if kind == "floors":
        pos = _floors_layout(building, floor)
    elif kind == "network":
        pos = _network_layout(graph, building, floor)
    else:
        raise ValueError(f"unknown layout {kind!r}; choose from {', '.join(LAYOUTS)}")
    pos.setflags(write=False)
    _CACHE[key] = pos
    while len(_CACHE) > _CACHE_SIZE:
        _CACHE.popitem(last=False)
    return pos
