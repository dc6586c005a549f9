"""The network view: where each household is drawn, what colour it gets, and the figure.

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
from dataclasses import dataclass

import numpy as np

__all__ = ["COLOUR_MODES", "LAYOUTS", "layout", "node_colours", "draw_network", "NodeColours"]

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


@dataclass
class NodeColours:
    colours: np.ndarray            # (n, 4) RGBA
    title: str
    legend: list[tuple[str, str]]  # (label, colour) for categorical modes
    cmap: str | None = None        # for continuous modes: colour bar
    cbar_label: str = ""
    cbar_ends: tuple[str, str] = ("", "")


def node_colours(model, mode: str, recent_weeks: int = 12) -> NodeColours:
    """Colours of the households under ``mode`` (one of :data:`COLOUR_MODES`)."""
    from matplotlib import colormaps
    from matplotlib.colors import to_rgba

    res = model.res
    n = len(res.age_group)
    grey = np.tile(to_rgba(MISSING), (n, 1))
    if mode == "age":
        cols = np.array([to_rgba(c) for c in AGE_COLOURS])[np.asarray(res.age_group, dtype=int)]
        shares = [np.mean(np.asarray(res.age_group) == g) for g in range(3)]
        names = ("young 18-39", "middle 40-59", "elderly 60+")
        return NodeColours(cols, "Age group of the household head",
                           [(f"{nm} ({s:.0%})", c) for nm, s, c in zip(names, shares, AGE_COLOURS)])
    if mode == "attended":
        week = int(getattr(model, "steps", 0))
        last = np.asarray(res.last_attended)
        recent = (last >= 0) & (last > week - recent_weeks)
        before = (last >= 0) & ~recent
        cols = grey.copy()
        cols[before] = to_rgba("#fdbe85")
        cols[recent] = to_rgba("#d94701")
        return NodeColours(cols, f"Who attended a meeting in the last {recent_weeks} weeks",
                           [(f"attended recently ({recent.mean():.0%})", "#d94701"),
                            (f"earlier only ({before.mean():.0%})", "#fdbe85"),
                            (f"never ({(last < 0).mean():.0%})", MISSING)])
    if mode == "trust":
        cmap = colormaps["viridis"]
        v = np.clip(np.asarray(res.trust_committee, dtype=float), 0, 1)
        return NodeColours(cmap(v), f"Trust in the residents' committee (mean {v.mean():.2f})", [],
                           "viridis", "trust", ("none", "full"))
    if mode == "opinion":
        cmap = colormaps["RdYlBu"]  # a yellow middle: undecided households stay visible on white
        topic = getattr(model, "current_topic", None)
        op = np.asarray(model.current_opinions(), dtype=float) if topic is not None else np.full(n, np.nan)
        cols = grey.copy()
        ok = np.isfinite(op)
        cols[ok] = cmap(np.clip(op[ok], 0, 1))
        if topic is None:
            title = "Opinion: no topic under discussion now"
        else:
            b = getattr(topic, "building", None)
            where = f", building {b + 1}" if b is not None else ", whole community"  # 1-based, as Topic.where
            title = f"Opinion on #{topic.id} {topic.type.label}{where}"
        return NodeColours(cols, title, [("not concerned", MISSING)], "RdYlBu", "opinion",
                           ("oppose", "support"))
    raise ValueError(f"unknown colour mode {mode!r}; choose from {', '.join(COLOUR_MODES)}")


def draw_network(model, mode: str = "attended", kind: str = "network", *, width: float = 5.8,
                 height: float = 4.6):
    """A matplotlib Figure of the residents' network coloured by ``mode``, with the institutions marked."""
    from matplotlib.collections import LineCollection
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D

    res = model.res
    graph = model.graph
    pos = layout(graph, res.building, res.floor, kind)
    n = len(pos)
    nc = node_colours(model, mode)
    # fixed margins: a constrained layout doubles the time to draw a frame
    fig = Figure(figsize=(width, height), dpi=100)
    ax = fig.add_axes((0.01, 0.13, 0.84 if nc.cmap else 0.98, 0.77))
    ax.set_axis_off()
    ax.set_aspect("equal")
    building = np.asarray(res.building)
    edges = np.array(list(graph.edges()), dtype=int).reshape(-1, 2)
    if len(edges):
        same = building[edges[:, 0]] == building[edges[:, 1]]
        ax.add_collection(LineCollection(pos[edges[same]], colors="#9a9a9a", linewidths=0.4, alpha=0.35,
                                         zorder=1))
        if kind == "network":
            ax.add_collection(LineCollection(pos[edges[~same]], colors="#6a51a3", linewidths=0.5, alpha=0.18,
                                             zorder=1))
    size = float(np.clip(6000 / max(n, 1), 5, 60))
    leader = np.asarray(getattr(res, "leader", np.zeros(n, bool)), dtype=bool)
    ax.scatter(pos[~leader, 0], pos[~leader, 1], s=size, c=nc.colours[~leader], linewidths=0, zorder=2)
    ax.scatter(pos[leader, 0], pos[leader, 1], s=size * 2.2, c=nc.colours[leader], edgecolors="black",
               linewidths=1.0, zorder=3)
    # building labels above each cluster
    for b in np.unique(building):
        m = building == b
        ax.text(pos[m, 0].mean(), pos[m, 1].max() + 0.22, f"building {b + 1}", ha="center", va="bottom",
                fontsize=8, color="#444444")
    # the institutions: placed in a row above the buildings (they are not households)
    x0, x1 = pos[:, 0].min(), pos[:, 0].max()
    ytop = pos[:, 1].max() + 0.9
    n_sw = len(getattr(model, "social_workers", []) or [])
    n_pm = len(getattr(model, "property_managers", []) or [])
    staff = getattr(getattr(model, "committee", None), "staff", None)
    inst = [("*", "#c51b7d", 260, "Residents' committee" + (f" ({staff} staff)" if staff else ""), "committee")]
    inst += [("s", "#35978f", 150, "Property manager", "property manager")] * max(n_pm, 1)
    inst += [("D", "#e08214", 110, "Social worker", "social worker")] * n_sw
    xs = np.linspace(x0, x1, len(inst) + 2)[1:-1] if len(inst) > 1 else np.array([(x0 + x1) / 2])
    for (marker, colour, s, _, short), x in zip(inst, xs):
        ax.scatter([x], [ytop], marker=marker, s=s, c=colour, edgecolors="black", linewidths=0.8, zorder=4)
        ax.text(x, ytop - 0.28, short, ha="center", va="top", fontsize=7.5, color="#333333")
    handles = [Line2D([], [], ls="", marker="o", ms=7, mfc=c, mec="none", label=lab) for lab, c in nc.legend]
    handles += [Line2D([], [], ls="", marker="o", ms=8, mfc="white", mec="black", label="building leader")]
    handles += [Line2D([], [], ls="", marker="*", ms=12, mfc="#c51b7d", mec="black", label=inst[0][3]),
                Line2D([], [], ls="", marker="s", ms=8, mfc="#35978f", mec="black", label="Property manager")]
    if n_sw:
        handles.append(Line2D([], [], ls="", marker="D", ms=7, mfc="#e08214", mec="black",
                              label=f"Social worker{'s' if n_sw > 1 else ''} ({n_sw})"))
    fig.legend(handles=handles, loc="lower center", ncol=3, fontsize=8, frameon=False)
    if nc.cmap:
        from matplotlib import colormaps
        from matplotlib.cm import ScalarMappable
        from matplotlib.colors import Normalize
        sm = ScalarMappable(norm=Normalize(0, 1), cmap=colormaps[nc.cmap])
        cb = fig.colorbar(sm, cax=fig.add_axes((0.865, 0.30, 0.025, 0.45)), ticks=[0, 1])
        cb.ax.set_yticklabels(list(nc.cbar_ends), fontsize=8)
    fig.suptitle(nc.title, fontsize=10.5, y=0.985)
    fig.text(0.5, 0.925, f"week {int(getattr(model, 'steps', 0))}, {n} households", ha="center", fontsize=8.5,
             color="#555555")
    ax.autoscale_view()
    ax.margins(0.03)
    return fig
