"""Benchmark the deliberation kernels against the plain Mesa way of writing the same rules.

(a) Same graph, same data, same rule, two implementations:
    - HK on a network: ``hegselmann_krause(..., adjacency=A)`` vs Mesa ``CellAgent``s on a
      ``mesa.discrete_space.Network``, each looping over its cell's neighbours' agents
      (synchronous: all compute, then all apply). Results must agree to 1e-12.
    - The meeting (weighted-voice HK + informed pull + anchoring) among attendees vs the
      same written as Mesa agents on a complete-graph Network. Results must agree to 1e-12.
    - Deffuant on a random regular graph: ``deffuant(..., edges=E)`` vs Mesa agents that
      each pick a random neighbour (on a regular graph both draw a uniform random edge).
      Draw order differs, so results are compared in distribution (mean conserved, same
      number of large clusters), and time is per interaction.
(b) ``hegselmann_krause`` on the complete graph: sorted prefix sums vs naive O(n^2) numpy.

Usage: ``.venv/bin/python benchmarks/bench_kernels.py [--quick]``. Times exclude building
the Mesa model (only the rounds are timed); the table shows the best of ``--repeat`` runs.
"""

from __future__ import annotations

import argparse
import time

import mesa
import networkx as nx
import numpy as np
from mesa.discrete_space import CellAgent, Network

from consultsim.core.kernels.deliberation import deffuant, hegselmann_krause, hk_step, meeting

EPS = 0.2
ROUNDS = 5


# --------------------------------------------------------------------------- Mesa versions
class HKAgent(CellAgent):
    """Bounded-confidence agent, the plain Mesa way (Hegselmann & Krause 2002)."""

    def __init__(self, model, opinion, weight=1.0):
        super().__init__(model)
        self.opinion = opinion
        self.weight = weight
        self.next_opinion = opinion

    def step(self):
        own = self.opinion
        num = self.weight * own
        den = self.weight
        for cell in self.cell.neighborhood:
            for other in cell.agents:
                if abs(other.opinion - own) <= self.model.eps:
                    num += other.weight * other.opinion
                    den += other.weight
        self.next_opinion = num / den if den > 0 else own

    def advance(self):
        self.opinion = self.next_opinion


class MeetingAgent(HKAgent):
    """The meeting's rule per attendee: weighted HK, then informed pull, then anchoring."""

    def __init__(self, model, opinion, weight, anchor, capacity):
        super().__init__(model, opinion, weight)
        self.anchor = anchor
        self.capacity = capacity

    def step(self):
        super().step()
        m = self.model
        k = m.informed_pull * self.capacity
        y = (1 - k) * self.next_opinion + k * m.informed_position
        self.next_opinion = min(1.0, max(0.0, m.anchoring * self.anchor + (1 - m.anchoring) * y))


class DeffuantAgent(CellAgent):
    """Deffuant et al. (2000) pairwise rule, the plain Mesa way: meet one random neighbour."""

    def __init__(self, model, opinion):
        super().__init__(model)
        self.opinion = opinion

    def step(self):
        other = self.cell.neighborhood.select_random_agent()
        d = other.opinion - self.opinion
        if abs(d) < self.model.eps:
            s = self.model.mu * d
            self.opinion += s
            other.opinion -= s


class OpinionModel(mesa.Model):
    def __init__(self, G, make_agent, seed=0, **attrs):
        super().__init__(rng=seed)
        for k, v in attrs.items():
            setattr(self, k, v)
        self.grid = Network(G, random=self.random)
        self.by_node = []
        for node in sorted(G.nodes):
            agent = make_agent(self, node)
            agent.cell = self.grid[node]
            self.by_node.append(agent)

    def opinions(self):
        return np.array([a.opinion for a in self.by_node])


def mesa_sync_rounds(model, rounds):
    for _ in range(rounds):
        model.agents.shuffle_do("step")  # order does not matter: synchronous
        model.agents.do("advance")
    return model.opinions()


# --------------------------------------------------------------------------- timing helpers
def best_of(fn, repeat):
    best, out = float("inf"), None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t0)
    return best, out


def large_clusters(x, gap=0.01, share=0.05):
    s = np.sort(x)
    sizes = np.diff(np.concatenate([[0], np.flatnonzero(np.diff(s) > gap) + 1, [s.size]]))
    return int(np.sum(sizes >= share * s.size))


ROWS = []


def row(case, n, ours, other, other_name, check):
    ROWS.append((case, n, ours, other, other_name, other / ours, check))


# --------------------------------------------------------------------------- (a) vs Mesa
def bench_hk_network(n, repeat):
    G = nx.connected_watts_strogatz_graph(n, 10, 0.1, seed=n)
    x = np.random.default_rng(n).random(n)
    A = nx.to_scipy_sparse_array(G, nodelist=range(n), format="csr")
    ours, ours_x = best_of(lambda: hegselmann_krause(x, EPS, max_rounds=ROUNDS, tol=0.0, adjacency=A), repeat)
    step_x = x
    for _ in range(ROUNDS):
        step_x = hk_step(step_x, EPS, adjacency=A)

    def run_mesa():
        model = OpinionModel(G, lambda m, i: HKAgent(m, float(x[i])), eps=EPS)
        t0 = time.perf_counter()
        out = mesa_sync_rounds(model, ROUNDS)
        return time.perf_counter() - t0, out

    mesa_t, mesa_x = min((run_mesa() for _ in range(repeat)), key=lambda r: r[0])
    diff = max(np.max(np.abs(ours_x - mesa_x)), np.max(np.abs(step_x - mesa_x)))
    assert diff < 1e-12, diff
    row(f"HK on WS network (k=10), {ROUNDS} rounds", n, ours, mesa_t, "Mesa Network", f"max|diff|={diff:.1e}")


def bench_meeting(n, repeat):
    rng = np.random.default_rng(n + 1)
    x, anchor, cap = rng.random(n), rng.random(n), rng.random(n)
    kw = dict(rounds=ROUNDS, epsilon=0.3, voice_exponent=2.0, facilitation=0.3, anchoring=0.2,
              informed_pull=0.3, informed_position=0.7, tol=0.0)
    ours, res = best_of(lambda: meeting(x, anchor, cap, **kw), repeat)
    raw = cap ** kw["voice_exponent"]  # voice written out again, independently of the kernel
    voice = (1 - kw["facilitation"]) * raw / raw.sum() + kw["facilitation"] / n
    assert np.allclose(voice, res.voice, rtol=0, atol=1e-15)
    G = nx.complete_graph(n)

    def run_mesa():
        model = OpinionModel(
            G, lambda m, i: MeetingAgent(m, float(x[i]), float(voice[i]), float(anchor[i]), float(cap[i])),
            eps=kw["epsilon"], anchoring=kw["anchoring"], informed_pull=kw["informed_pull"],
            informed_position=kw["informed_position"])
        t0 = time.perf_counter()
        out = mesa_sync_rounds(model, ROUNDS)
        return time.perf_counter() - t0, out

    mesa_t, mesa_x = min((run_mesa() for _ in range(1 if n > 500 else repeat)), key=lambda r: r[0])
    diff = np.max(np.abs(res.opinions - mesa_x))
    assert diff < 1e-12, diff
    row(f"meeting (complete graph), {ROUNDS} rounds", n, ours, mesa_t, "Mesa Network", f"max|diff|={diff:.1e}")


def bench_deffuant(n, steps, repeat):
    G = nx.random_regular_graph(6, n, seed=n)
    E = np.array(G.edges(), dtype=np.int64)
    x = np.random.default_rng(n + 2).random(n)
    interactions = steps * n
    ours, ours_x = best_of(lambda: deffuant(x, 0.5, 0.5, interactions, np.random.default_rng(0), edges=E), repeat)

    def run_mesa():
        model = OpinionModel(G, lambda m, i: DeffuantAgent(m, float(x[i])), seed=1, eps=0.5, mu=0.5)
        t0 = time.perf_counter()
        for _ in range(steps):
            model.agents.shuffle_do("step")
        return time.perf_counter() - t0, model.opinions()

    mesa_t, mesa_x = min((run_mesa() for _ in range(repeat)), key=lambda r: r[0])
    dmean = max(abs(ours_x.mean() - x.mean()), abs(mesa_x.mean() - x.mean()))
    c_ours, c_mesa = large_clusters(ours_x), large_clusters(mesa_x)
    assert dmean < 1e-9 and c_ours == c_mesa, (dmean, c_ours, c_mesa)
    row(f"Deffuant on 6-regular graph, {interactions:,} meetings", n, ours, mesa_t, "Mesa Network",
        f"mean kept; clusters {c_ours}={c_mesa}")


# --------------------------------------------------------------------------- (b) sorted vs naive
def naive_hk_step(x, eps, block=1000):
    out = np.empty_like(x)
    for s in range(0, x.size, block):  # row blocks keep the n x n mask within memory
        M = np.abs(x[s:s + block, None] - x[None, :]) <= eps
        out[s:s + block] = (M @ x) / M.sum(axis=1)
    return out


def bench_hk_sorted(n, repeat):
    x = np.random.default_rng(n + 3).random(n)
    ours, ours_x = best_of(lambda: hegselmann_krause(x, EPS, max_rounds=ROUNDS, tol=0.0), repeat)

    def naive():
        y = x
        for _ in range(ROUNDS):
            y = naive_hk_step(y, EPS)
        return y

    naive_t, naive_x = best_of(naive, max(1, repeat - 1))
    diff = np.max(np.abs(ours_x - naive_x))
    assert diff < 1e-9, diff
    row(f"HK complete graph, {ROUNDS} rounds", n, ours, naive_t, "naive O(n^2) numpy", f"max|diff|={diff:.1e}")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="small sizes only (a smoke run)")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args(argv)
    sizes = [1000] if args.quick else [1000, 10_000]
    t_start = time.perf_counter()
    for n in sizes:
        bench_hk_network(n, args.repeat)
    for n in ([200] if args.quick else [200, 1000]):  # Mesa cost is O(n^2) per round here
        bench_meeting(n, args.repeat)
    for n in sizes:
        bench_deffuant(n, 20, args.repeat)
    for n in sizes:
        bench_hk_sorted(n, args.repeat)

    head = f"{'case':<44} {'n':>6} {'ours s':>9} {'other s':>9}  {'other':<19} {'x faster':>9}  check"
    print(head)
    print("-" * len(head))
    for case, n, ours, other, name, ratio, check in ROWS:
        print(f"{case:<44} {n:>6} {ours:>9.4f} {other:>9.4f}  {name:<19} {ratio:>9.0f}  {check}")
    print(f"\nbest of {args.repeat}; total wall time {time.perf_counter() - t_start:.1f} s")


if __name__ == "__main__":
    main()
