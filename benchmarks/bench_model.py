"""Benchmark the consultation model (issue: the model, "Speed").

Measures, side by side in one run, and prints as ratios:

1. the model at 1,000, 10,000 and 100,000 households for 104 weeks (set-up
   included): seconds and microseconds per household-week (cost should grow
   about linearly);
2. each resident update rule against a bare numpy/scipy version of the same
   rule on the same data (target: within 10x);
3. the per-step overhead of Mesa's step wrapper, the institutional agents and
   the procedure's bookkeeping, and data collection, against the resident
   updates (target: under half).

Usage: ``.venv/bin/python benchmarks/bench_model.py [--quick] [--only overhead] [--repeat N]``. Timings are
wall-clock on whatever else the machine is doing: run it on a quiet machine
and read ratios, not absolute numbers (the first line says which code is
measured and the load average). The deliberation kernel against the
plain Mesa way of writing it is in ``bench_kernels.py``.
"""

from __future__ import annotations

import argparse
import os
import time
from collections import defaultdict
from functools import wraps
from pathlib import Path

import numpy as np

import consultsim
import consultsim.core.model as model_module
from consultsim import ConsultationModel
from consultsim.core.kernels.deliberation import meeting
from consultsim.core.kernels.feedback import drift_toward, learn_capacity, update_toward, who_learns
from consultsim.core.kernels.participation import attendance_utility, decide_attendance, logistic, mobilize
from consultsim.core.metrics import REPORTERS

WEEKS = 104


def best(fn, repeat=5, number=1):
    """Best wall time of ``repeat`` batches of ``number`` calls (per call)."""
    out = []
    for _ in range(repeat):
        t = time.perf_counter()
        for _ in range(number):
            fn()
        out.append((time.perf_counter() - t) / number)
    return min(out)


def community(n, seed=1):
    return ConsultationModel(rng=seed, n_residents=n, n_buildings=max(1, n // 100))


# ----------------------------------------------------------------------------- 1. scaling
def scaling(sizes, repeat):
    print(f"1. Whole model, {WEEKS} weeks, set-up included (best of {repeat})")
    print(f"   {'households':>10} {'set-up s':>9} {'run s':>8} {'total s':>8} {'us/hh-week':>11} {'vs smallest':>12}")
    base = None
    for n in sizes:
        rows = []
        for _ in range(repeat):
            t0 = time.perf_counter()
            m = community(n)
            t1 = time.perf_counter()
            for _ in range(WEEKS):
                m.step()
            rows.append((t1 - t0, time.perf_counter() - t1))
        build, run = min(rows, key=lambda r: r[0] + r[1])
        per = (build + run) / (n * WEEKS) * 1e6
        base = base or per
        print(f"   {n:>10,} {build:>9.3f} {run:>8.3f} {build + run:>8.3f} {per:>11.3f} {per / base:>11.2f}x")
    print("   target: 10,000 households x 104 weeks in under 2 s; per-household cost about flat.\n")


# -------------------------------------------------------------- 2. rules vs bare numpy
def rules_vs_bare(n):
    """Each resident update rule, as the model calls it, against the same rule written inline."""
    m = community(n)
    for _ in range(40):
        m.step()
    p, res, adj, deg = m.params, m.res, m.adj, m.degree
    scope = m.everyone
    stake = np.random.default_rng(2).uniform(-1, 1, n)
    informed = np.random.default_rng(4).random(n) < 0.4

    def ours_participation():
        rng = np.random.default_rng(5)
        inf, inv = mobilize(scope, time=res.time, online=res.online, leader=res.leader, adj=adj, p=p,
                            targets=None, rng=rng)
        u = attendance_utility(scope, stake, inv, res=res, incentive=10.0, p=p)
        return decide_attendance(scope, inf, u, adj=adj, degree=deg, b_network=p.b_network, rng=rng)

    def bare_participation():
        rng = np.random.default_rng(5)
        seen = rng.random(n) < np.clip(p.notice_reach * (0.5 + res.time), 0, 1)
        k = adj @ res.leader.astype(float)
        inv = (rng.random(n) < 1 - (1 - p.leader_reach) ** k) | res.leader
        inf = seen | inv
        u = (p.b0 + p.b_stake * np.abs(stake) * res.efficacy + p.b_civic * res.civic + p.b_incentive
             + p.b_invited * inv - p.b_time * (1 - res.time) + p.b_trust * (res.trust_committee - 0.5))
        r = rng.random(n)
        intend = inf & (r < 1 / (1 + np.exp(-u)))
        share = (adj @ intend.astype(float)) / np.maximum(deg, 1)
        return inf & (r < 1 / (1 + np.exp(-(u + p.b_network * share))))

    a = 300  # attendees of a large meeting
    rng = np.random.default_rng(6)
    x0, anchor, cap = rng.random(a), rng.random(a), rng.random(a)

    def ours_meeting():
        return meeting(x0, anchor, cap, rounds=p.rounds, epsilon=p.epsilon, voice_exponent=p.voice_exponent,
                       facilitation=0.25, anchoring=p.anchoring, informed_pull=p.informed_pull,
                       informed_position=0.7, tol=0.0).opinions

    def bare_meeting():
        raw = cap ** p.voice_exponent
        w = 0.75 * raw / raw.sum() + 0.25 / a
        k = p.informed_pull * cap
        x = x0.copy()
        for _ in range(p.rounds):
            near = np.abs(x[:, None] - x[None, :]) <= p.epsilon
            mean = (near * w).dot(x) / (near * w).sum(axis=1)
            x = np.clip(p.anchoring * anchor + (1 - p.anchoring) * ((1 - k) * mean + k * 0.7), 0, 1)
        return x

    attended = informed.copy()

    def ours_feedback():
        e = res.efficacy.copy()
        full, part = who_learns(scope, attended, adj=adj, network_learning=p.network_learning,
                                published=False, rng=np.random.default_rng(7))
        update_toward(e, full, 1.0, p.learning_rate)
        update_toward(e, part, 1.0, p.learning_rate / 2)
        return e

    def bare_feedback():
        e = res.efficacy.copy()
        rng = np.random.default_rng(7)
        k = adj @ attended.astype(float)
        heard = (rng.random(n) < 1 - (1 - p.network_learning) ** k) & ~attended
        e[attended] += p.learning_rate * (1 - e[attended])
        e[heard] += p.learning_rate / 2 * (1 - e[heard])
        return e

    def ours_learning():
        c = res.capacity.copy()
        learn_capacity(c, np.flatnonzero(attended), p.capacity_gain_attend)
        drift_toward(c, res.capacity0, p.capacity_decay)
        return c

    def bare_learning():
        c = res.capacity.copy()
        c[attended] += p.capacity_gain_attend * (1 - c[attended])
        c += p.capacity_decay * (res.capacity0 - c)
        return c

    print(f"2. Resident update rules vs bare numpy/scipy on the same data ({n:,} households; meeting: {a})")
    print(f"   {'rule':<32} {'ours ms':>9} {'bare ms':>9} {'ratio':>7}")
    for name, ours, bare in (("participation (ODD §7.3)", ours_participation, bare_participation),
                             ("deliberation meeting (ODD §7.4)", ours_meeting, bare_meeting),
                             ("feedback (ODD §7.7)", ours_feedback, bare_feedback),
                             ("learning and decay (ODD §7.8)", ours_learning, bare_learning)):
        if name.startswith("deliberation"):
            assert np.allclose(ours(), bare(), atol=1e-9), name
        elif name.startswith("learning"):
            assert np.allclose(ours(), bare()), name
        to, tb = best(ours, 7, 5), best(bare, 7, 5)
        print(f"   {name:<32} {to * 1e3:>9.3f} {tb * 1e3:>9.3f} {to / tb:>6.2f}x")
    print("   target: each within 10x of bare numpy (ratio < 10).\n")
    _ = logistic  # the model's logistic is the same expression as the bare one


# ------------------------------------------------------------- 3. per-step overhead
RESIDENT_KERNELS = ("mobilize", "attendance_utility", "decide_attendance", "meeting", "who_learns",
                    "update_toward", "nudge_up", "collect_pledges", "negotiated_funding")
# residents' own decision rules, vectorized over the households concerned: proposing (ODD §7.1),
# the owners' vote (ODD §7.5), complaining (ODD §7.7), learning and drift (ODD §7.8)
RESIDENT_METHODS = ("_concern", "_decide", "_complain", "learn_and_drift")


def overhead(n, repeat):
    """Split a run's time into resident updates and everything around them.

    One instrumented run (best of ``repeat``) times the resident kernels and decision rules, the
    DataCollector's ``collect`` and, around each week, Mesa's step wrapper (``model.step`` less the
    ``_user_step`` it calls); the rest of the week is the institutions and the procedure's
    bookkeeping. The wrapper is timed inside the same run: taking it as the difference of two
    separate runs' best times (as before 3 Dec 2026) left it at the mercy of their noise (0-36 ms
    over five tries on one machine, against well under 1 ms of real work). A CPU clock
    (``time.process_time``) was tried and dropped: each reading is a system call, and with thousands of
    readings a run the clock's own cost entered the split (143 ms of resident updates against 121 ms
    by the wall clock, one try each at load 4.7).
    """
    totals = defaultdict(float)
    depth = [0]  # only the outermost timed call counts (kernels run inside timed methods)

    def timed(name, fn):
        @wraps(fn)
        def inner(*a, **k):
            depth[0] += 1
            t = time.perf_counter()
            try:
                return fn(*a, **k)
            finally:
                depth[0] -= 1
                if depth[0] == 0:
                    totals[name] += time.perf_counter() - t
        return inner

    originals = {name: getattr(model_module, name) for name in RESIDENT_KERNELS}
    cls = model_module.ConsultationModel
    methods = {name: getattr(cls, name) for name in RESIDENT_METHODS}
    try:
        for name, fn in originals.items():
            setattr(model_module, name, timed(name, fn))
        for name, fn in methods.items():
            setattr(cls, name, timed(name, fn))
        best_split = None
        for _ in range(repeat):
            totals.clear()
            m = community(n)
            collect = m.datacollector.collect
            m.datacollector.collect = timed("collect", collect)
            user_step, user = m._user_step, [0.0]

            def timed_user_step(*a, _step=user_step, _user=user, **k):
                t = time.perf_counter()
                try:
                    return _step(*a, **k)
                finally:
                    _user[0] += time.perf_counter() - t

            m._user_step = timed_user_step
            t0 = time.perf_counter()
            for _ in range(WEEKS):
                m.step()
            wrapped = time.perf_counter() - t0
            split = dict(totals, total=wrapped, wrapper=max(0.0, wrapped - user[0]))
            if best_split is None or wrapped < best_split["total"]:
                best_split = split
    finally:
        for name, fn in originals.items():
            setattr(model_module, name, fn)
        for name, fn in methods.items():
            setattr(cls, name, fn)

    s = best_split
    resident = sum(s.get(k, 0.0) for k in (*RESIDENT_KERNELS, *RESIDENT_METHODS))
    collect = s.get("collect", 0.0)
    wrapper = s["wrapper"]
    rest = max(0.0, s["total"] - resident - collect - wrapper)
    print(f"3. Per-step overhead against resident updates ({n:,} households, {WEEKS} weeks; best of {repeat})")
    print(f"   resident updates (kernels and decision rules)   {resident * 1e3:8.1f} ms")
    print(f"   data collection ({len(REPORTERS)} model reporters)             {collect * 1e3:8.1f} ms  "
          f"{collect / resident:5.2f}x")
    print(f"   institutions and procedure bookkeeping          {rest * 1e3:8.1f} ms  {rest / resident:5.2f}x")
    print(f"   Mesa step wrapper                                {wrapper * 1e3:8.1f} ms  "
          f"{wrapper / resident:5.2f}x")
    over = collect + rest + wrapper
    print(f"   overhead / resident updates                      {over / resident:14.2f}x   (target < 0.5)\n")
    return {"resident": resident, "collect": collect, "rest": rest, "wrapper": wrapper, "ratio": over / resident}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="smaller sizes, fewer repeats")
    ap.add_argument("--only", choices=("scaling", "rules", "overhead"), help="run one section")
    ap.add_argument("--repeat", type=int, help="repeats of the scaling and overhead sections (default 3, quick 1)")
    a = ap.parse_args()
    sizes = (1_000, 10_000) if a.quick else (1_000, 10_000, 100_000)
    repeat = a.repeat or (1 if a.quick else 3)
    # which code is measured (a checkout on PYTHONPATH, or the installed one) and on how busy a machine
    print(f"consultsim from {Path(consultsim.__file__).parent}; load average {os.getloadavg()[0]:.2f}\n")
    if a.only in (None, "scaling"):
        scaling(sizes, repeat)
    if a.only in (None, "rules"):
        rules_vs_bare(10_000)
    if a.only in (None, "overhead"):
        overhead(10_000, repeat)


if __name__ == "__main__":
    main()
