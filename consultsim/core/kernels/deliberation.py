"""Deliberation kernels: classic opinion-dynamics rules in plain numpy.

Every function returns new arrays and never mutates its inputs. The model's
meeting (:func:`meeting`) is built from the same pieces as the classic models,
so the checks in ``tests/test_classic_models.py`` (ODD §7.4) test
the code the model runs:

- bounded confidence, pairwise: Deffuant, Neau, Amblard & Weisbuch (2000),
  Adv. Complex Syst. 3:87 (:func:`deffuant`);
- bounded confidence, synchronous: Hegselmann & Krause (2002), JASSS 5(3)2
  (:func:`hk_step`, :func:`hegselmann_krause`);
- weighted averaging: DeGroot (1974), JASA 69:118 (:func:`degroot`);
- averaging with anchoring: Friedkin & Johnsen (1990), J. Math. Sociol. 15:193
  (:func:`friedkin_johnsen`, :func:`fj_equilibrium`).

Opinions are floats (1-d arrays); the kernels need no Mesa.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

__all__ = [
    "MeetingResult", "deffuant", "hegselmann_krause", "hk_step", "degroot", "friedkin_johnsen",
    "fj_equilibrium", "meeting",
]

_ROW_SUM_TOL = 1e-8
_DEFFUANT_CHUNK = 1 << 16  # pairs drawn per batch: bounds memory; fixed so a seed gives one stream


# --------------------------------------------------------------------------- validation helpers
def _opinions(x, name: str = "x") -> np.ndarray:
    arr = np.asarray(x, dtype=float)
    if arr.ndim != 1:
        raise ValueError(f"{name} must be a 1-d array of opinions, got shape {arr.shape}")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must be finite (no nan or inf)")
    return arr


def _nonneg(value, name: str) -> float:
    v = float(value)
    if not v >= 0:  # also rejects nan
        raise ValueError(f"{name} must be >= 0, got {value!r}")
    return v


def _unit(value, name: str, n: int | None = None) -> float | np.ndarray:
    """A scalar in [0, 1], or (when ``n`` is given) a length-n array of such values."""
    arr = np.asarray(value, dtype=float)
    if arr.ndim == 0:
        v = float(arr)
        if not 0.0 <= v <= 1.0:
            raise ValueError(f"{name} must be in [0, 1], got {value!r}")
        return v
    if n is None or arr.shape != (n,):
        raise ValueError(f"{name} must be a scalar" + (f" or an array of shape ({n},)" if n is not None else "")
                         + f", got shape {arr.shape}")
    if not np.all((arr >= 0.0) & (arr <= 1.0)):
        raise ValueError(f"{name} must lie in [0, 1]")
    return arr


def _weights(weights, n: int) -> np.ndarray | None:
    if weights is None:
        return None
    w = np.asarray(weights, dtype=float)
    if w.shape != (n,):
        raise ValueError(f"weights must have shape ({n},), got {w.shape}")
    if not np.all(np.isfinite(w)) or np.any(w < 0):
        raise ValueError("weights must be finite and >= 0")
    return w


def _rounds(value, name: str = "rounds") -> int:
    if isinstance(value, bool) or int(value) != value or value < 0:
        raise ValueError(f"{name} must be a non-negative integer, got {value!r}")
    return int(value)


# --------------------------------------------------------------------------- Deffuant
def deffuant(x, epsilon, mu, interactions, rng, edges=None) -> np.ndarray:
    """Deffuant-Weisbuch pairwise bounded confidence (Deffuant et al. 2000, Adv. Complex Syst. 3:87).

    ``interactions`` encounters happen one after another. Each picks a pair:
    two distinct agents uniformly at random (complete mixing) or, when
    ``edges`` (an (m, 2) int array) is given, a uniformly random edge. If
    ``|x_i - x_j| < epsilon`` both move ``mu`` of the way toward each other:
    ``x_i += mu (x_j - x_i)``, ``x_j += mu (x_i - x_j)`` (old values on the
    right), so the mean is preserved.

    The pairs are drawn up front from ``rng`` (a ``numpy.random.Generator``)
    in fixed-size batches; the updates then run strictly in sequence (each
    encounter sees the result of the previous one), as in the original model.
    """
    x = _opinions(x)
    eps = _nonneg(epsilon, "epsilon")
    mu = float(mu)
    if not 0.0 <= mu <= 0.5:
        raise ValueError(f"mu must be in [0, 0.5], got {mu!r}")
    interactions = _rounds(interactions, "interactions")
    if not isinstance(rng, np.random.Generator):
        raise ValueError("rng must be a numpy.random.Generator (e.g. numpy.random.default_rng(seed))")
    n = x.size
    if edges is not None:
        edges = np.asarray(edges)
        if edges.ndim != 2 or edges.shape[1] != 2 or not np.issubdtype(edges.dtype, np.integer):
            raise ValueError(f"edges must be an (m, 2) integer array, got shape {edges.shape}, dtype {edges.dtype}")
        if edges.size and (edges.min() < 0 or edges.max() >= n):
            raise ValueError(f"edges must index agents 0..{n - 1}")
        if edges.shape[0] == 0:
            return x.copy()
    elif n < 2:
        return x.copy()

    xs = x.tolist()  # a Python list of floats: the fastest container for a scalar loop
    done = 0
    while done < interactions:
        k = min(_DEFFUANT_CHUNK, interactions - done)
        if edges is None:
            first = rng.integers(0, n, size=k)
            second = rng.integers(0, n - 1, size=k)
            second += second >= first  # uniform over the other n - 1 agents
        else:
            pick = edges[rng.integers(0, edges.shape[0], size=k)]
            first, second = pick[:, 0], pick[:, 1]
        for a, b in zip(first.tolist(), second.tolist()):
            xa = xs[a]
            xb = xs[b]
            d = xb - xa
            if -eps < d < eps:
                s = mu * d
                xs[a] = xa + s
                xs[b] = xb - s
        done += k
    return np.array(xs, dtype=float)


# --------------------------------------------------------------------------- Hegselmann-Krause
@dataclass(frozen=True)
class _Listeners:
    """Who hears whom, as CSR: agent i hears ``cols[starts[i]:starts[i] + deg[i]]`` (itself included)."""

    cols: np.ndarray
    starts: np.ndarray
    deg: np.ndarray


def _listeners(adjacency, n: int) -> _Listeners:
    """CSR pattern of the nonzeros of ``adjacency`` (``A[i, j] != 0``: i hears j), each row led by i itself.

    Built with O(nnz) array arithmetic (no sort) because HK on a network is cheap per
    round and this setup would otherwise dominate a short run.
    """
    if sp.issparse(adjacency):
        if adjacency.shape != (n, n):
            raise ValueError(f"adjacency must have shape ({n}, {n}), got {adjacency.shape}")
        A = adjacency.tocsr()
        if not A.has_canonical_format:  # duplicates would count a neighbour twice
            A = A.copy()
            A.sum_duplicates()
        rows = np.repeat(np.arange(n), np.diff(A.indptr))
        cols = A.indices.astype(np.int64)
        keep = (A.data != 0) & (cols != rows)
    else:
        a = np.asarray(adjacency)
        if a.shape != (n, n):
            raise ValueError(f"adjacency must have shape ({n}, {n}), got {a.shape}")
        rows, cols = np.nonzero(a)  # row-major, so grouped by row
        keep = cols != rows
    r, c = rows[keep], cols[keep]
    deg = np.bincount(r, minlength=n) + 1
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(deg, out=indptr[1:])
    out = np.empty(indptr[-1], dtype=np.int64)
    out[indptr[:-1]] = np.arange(n)
    out[np.arange(r.size) + r + 1] = c  # the k-th kept entry of row i sits after k others and i + 1 selves
    return _Listeners(cols=out, starts=indptr[:-1], deg=deg)


def _hk_csr(x: np.ndarray, eps: float, wcols: np.ndarray | None, nb: _Listeners) -> np.ndarray:
    """HK step over a neighbour list; ``wcols`` is ``weights[nb.cols]`` (or None for equal weights)."""
    xc = x[nb.cols]
    within = np.abs(np.repeat(x, nb.deg) - xc) <= eps
    wc = within.astype(float) if wcols is None else np.where(within, wcols, 0.0)
    # every row holds at least the agent itself, so reduceat's segments are never empty
    den = np.add.reduceat(wc, nb.starts)
    num = np.add.reduceat(wc * xc, nb.starts)
    out = np.divide(num, den, out=x.copy(), where=den > 0)  # zero weight in range: keep one's opinion
    return np.clip(out, x.min(), x.max())  # a mean stays in the hull; clip away round-off


def _hk_sorted(x: np.ndarray, eps: float, w: np.ndarray | None) -> np.ndarray:
    """Complete-graph HK step in O(n log n): sort, find each window, prefix sums.

    The window of agent i is every j with ``|x_j - x_i| <= eps``, evaluated in
    floating point exactly as the naive rule would (the searchsorted bounds for
    ``x_i -/+ eps`` can be off by the rounding of that sum, so they are nudged
    until they agree with the direct comparison).
    """
    n = x.size
    order = np.argsort(x, kind="stable")
    xs = x[order]
    lo = np.searchsorted(xs, xs - eps, side="left")
    hi = np.searchsorted(xs, xs + eps, side="right")  # window is xs[lo:hi]
    # Nudge: jump over whole runs of equal values, so ties cost one step, not one per copy.
    for _ in range(n + 1):
        grow = (lo > 0) & (xs - xs[np.maximum(lo - 1, 0)] <= eps)
        shrink = (lo < n) & ~grow & (xs - xs[np.minimum(lo, n - 1)] > eps)
        if not (grow.any() or shrink.any()):
            break
        lo[grow] = np.searchsorted(xs, xs[lo[grow] - 1], side="left")
        lo[shrink] = np.searchsorted(xs, xs[lo[shrink]], side="right")
    for _ in range(n + 1):
        grow = (hi < n) & (xs[np.minimum(hi, n - 1)] - xs <= eps)
        shrink = (hi > 0) & ~grow & (xs[np.maximum(hi - 1, 0)] - xs > eps)
        if not (grow.any() or shrink.any()):
            break
        hi[grow] = np.searchsorted(xs, xs[hi[grow]], side="right")
        hi[shrink] = np.searchsorted(xs, xs[hi[shrink] - 1], side="left")
    ws = np.ones(n) if w is None else w[order]
    cw = np.concatenate([[0.0], np.cumsum(ws)])
    cwx = np.concatenate([[0.0], np.cumsum(ws * xs)])
    den = cw[hi] - cw[lo]
    num = cwx[hi] - cwx[lo]
    new_sorted = xs.copy()
    ok = den > 0  # zero total weight in range: keep one's opinion
    new_sorted[ok] = num[ok] / den[ok]
    # prefix-sum differences carry round-off; the true mean lies in [xs[lo], xs[hi-1]]
    new_sorted = np.clip(new_sorted, xs[lo], xs[hi - 1])
    out = np.empty(n)
    out[order] = new_sorted
    return out


def hk_step(x, epsilon, weights=None, adjacency=None) -> np.ndarray:
    """One synchronous Hegselmann-Krause update (Hegselmann & Krause 2002, JASSS 5(3)2).

    Every agent moves to the mean of all opinions within ``epsilon`` of its own
    (``|x_j - x_i| <= epsilon``, itself included), weighted by ``weights[j]``
    when given (unequal voice). With ``adjacency`` (dense array or
    scipy.sparse, nonzero ``A[i, j]`` meaning i hears j; i always hears itself)
    only neighbours count; without it the graph is complete and the O(n log n)
    sorted prefix-sum method is used. An agent whose window carries zero total
    weight keeps its opinion.
    """
    x = _opinions(x)
    eps = _nonneg(epsilon, "epsilon")
    w = _weights(weights, x.size)
    if x.size == 0:
        return x.copy()
    if adjacency is None:
        return _hk_sorted(x, eps, w)
    nb = _listeners(adjacency, x.size)
    return _hk_csr(x, eps, None if w is None else w[nb.cols], nb)


def hegselmann_krause(x, epsilon, max_rounds=1000, tol=1e-12, adjacency=None, weights=None) -> np.ndarray:
    """Hegselmann-Krause bounded confidence run to convergence (Hegselmann & Krause 2002, JASSS 5(3)2).

    Repeats :func:`hk_step` until the largest change in a round is below
    ``tol`` or ``max_rounds`` rounds have run; returns the final opinions.
    """
    x = _opinions(x)
    eps = _nonneg(epsilon, "epsilon")
    w = _weights(weights, x.size)
    max_rounds = _rounds(max_rounds, "max_rounds")
    tol = _nonneg(tol, "tol")
    if x.size == 0:
        return x.copy()
    nb = None if adjacency is None else _listeners(adjacency, x.size)  # built once, reused each round
    wcols = None if nb is None or w is None else w[nb.cols]
    cur = x.copy()
    for _ in range(max_rounds):
        new = _hk_sorted(cur, eps, w) if nb is None else _hk_csr(cur, eps, wcols, nb)
        change = np.max(np.abs(new - cur))
        cur = new
        if change < tol:
            break
    return cur


# --------------------------------------------------------------------------- DeGroot / Friedkin-Johnsen
def _stochastic(W, n: int) -> np.ndarray | sp.spmatrix:
    """Validate a row-stochastic matrix (dense or scipy.sparse) of shape (n, n)."""
    if sp.issparse(W):
        W = sp.csr_matrix(W, dtype=float)
        entries = W.data
        sums = np.asarray(W.sum(axis=1)).ravel()
    else:
        W = np.asarray(W, dtype=float)
        entries = W
        sums = W.sum(axis=1) if W.ndim == 2 else None
    if W.ndim != 2 or W.shape != (n, n):
        raise ValueError(f"W must be a square ({n}, {n}) matrix matching x, got shape {W.shape}")
    if not np.all(np.isfinite(entries)) or np.any(entries < 0):
        raise ValueError("W must be row-stochastic: entries must be finite and >= 0")
    bad = np.flatnonzero(np.abs(sums - 1.0) > _ROW_SUM_TOL)
    if bad.size:
        raise ValueError(f"W must be row-stochastic (each row sums to 1): row {bad[0]} sums to {sums[bad[0]]:.6g}"
                         f" ({bad.size} bad rows)")
    return W


def degroot(x, W, rounds) -> np.ndarray:
    """DeGroot averaging ``x <- W x`` repeated ``rounds`` times (DeGroot 1974, JASA 69:118).

    ``W`` is row-stochastic (dense ndarray or scipy.sparse); it is validated and
    a ValueError names the first offending row.
    """
    x = _opinions(x)
    W = _stochastic(W, x.size)
    rounds = _rounds(rounds)
    cur = x.copy()
    for _ in range(rounds):
        cur = np.asarray(W @ cur, dtype=float).ravel()
    return cur


def _susceptibility(s, n: int) -> np.ndarray:
    lam = np.asarray(s, dtype=float)
    if lam.ndim == 0:
        lam = np.full(n, float(lam))
    if lam.shape != (n,):
        raise ValueError(f"susceptibility must be a scalar or shape ({n},), got {lam.shape}")
    if not np.all((lam >= 0) & (lam <= 1)):
        raise ValueError("susceptibility must lie in [0, 1]")
    return lam


def friedkin_johnsen(x0, W, susceptibility, rounds) -> np.ndarray:
    """Friedkin-Johnsen anchored averaging (Friedkin & Johnsen 1990, J. Math. Sociol. 15:193).

    ``x <- Lambda W x + (I - Lambda) x0`` for ``rounds`` rounds from ``x = x0``,
    with ``Lambda = diag(susceptibility)``, each in [0, 1]. All ones gives
    :func:`degroot`; an agent with susceptibility 0 keeps ``x0``.
    """
    x0 = _opinions(x0, "x0")
    W = _stochastic(W, x0.size)
    lam = _susceptibility(susceptibility, x0.size)
    rounds = _rounds(rounds)
    stay = (1.0 - lam) * x0
    cur = x0.copy()
    for _ in range(rounds):
        cur = lam * np.asarray(W @ cur, dtype=float).ravel() + stay
    return cur


def fj_equilibrium(x0, W, susceptibility) -> np.ndarray:
    """Closed-form Friedkin-Johnsen equilibrium ``(I - Lambda W)^-1 (I - Lambda) x0`` (Friedkin & Johnsen 1990).

    Solved as a linear system (never an explicit inverse). ``I - Lambda W`` is
    singular exactly when some group of agents hears only itself and is fully
    susceptible (e.g. ``Lambda = I``: DeGroot has no unique fixed point); that is
    detected structurally and raised as a ValueError.
    """
    x0 = _opinions(x0, "x0")
    n = x0.size
    W = _stochastic(W, n)
    lam = _susceptibility(susceptibility, n)
    B = sp.diags(lam) @ sp.csr_matrix(W)
    # rho(Lambda W) < 1 iff every agent can reach, along edges of Lambda W, an agent
    # whose row sum (its susceptibility) is below 1 (standard result for substochastic matrices).
    reach = lam < 1.0
    hears = (B != 0).astype(np.float64).tocsr()
    while True:
        nxt = reach | (np.asarray(hears @ reach.astype(np.float64)).ravel() > 0)
        if np.array_equal(nxt, reach):
            break
        reach = nxt
    if not reach.all():
        raise ValueError(
            "fj_equilibrium: I - Lambda W is singular (no unique equilibrium): "
            f"{int((~reach).sum())} agent(s) hear only fully susceptible agents (susceptibility 1), "
            "e.g. Lambda = I; use degroot() or lower some susceptibilities")
    A = sp.identity(n, format="csc") - B.tocsc()
    rhs = (1.0 - lam) * x0
    if sp.issparse(W):
        from scipy.sparse.linalg import spsolve
        return np.asarray(spsolve(A, rhs), dtype=float).ravel()
    try:
        return np.linalg.solve(A.toarray(), rhs)
    except np.linalg.LinAlgError as err:  # pragma: no cover - excluded by the structural check
        raise ValueError(f"fj_equilibrium: I - Lambda W is singular: {err}") from err


# --------------------------------------------------------------------------- the model's meeting
@dataclass(frozen=True)
class MeetingResult:
    """Outcome of one meeting: final opinions and speaking weights, plus summaries."""

    opinions: np.ndarray
    voice: np.ndarray
    consensus: float  # clip(1 - 2 std, 0, 1): 1 = full agreement, 0 = split to the extremes
    voice_concentration: float  # share of voice held by the top ceil(10%) of attendees
    support: float  # share with opinion > 0.5
    rounds_run: int


KERNELS = ("bounded_confidence", "friedkin_johnsen", "deffuant")
DEFFUANT_MU = 0.5  # meet halfway: the convergence parameter of Deffuant et al. (2000)'s main runs


def _pairwise_round(x: np.ndarray, eps: float, rng: np.random.Generator) -> np.ndarray:
    """One round of pairwise bounded confidence (Deffuant et al. 2000): attendees are paired at random
    (one with none when their number is odd); a pair whose views differ by less than ``eps`` moves
    :data:`DEFFUANT_MU` of the way toward each other. Pairs are disjoint, so one round is vectorised."""
    n = x.size
    order = rng.permutation(n)
    a, b = order[: n // 2], order[n // 2: 2 * (n // 2)]
    m = x.copy()
    close = np.abs(x[a] - x[b]) < eps
    a, b = a[close], b[close]
    m[a] = x[a] + DEFFUANT_MU * (x[b] - x[a])
    m[b] = x[b] + DEFFUANT_MU * (x[a] - x[b])
    return m


def meeting(x, anchor, capacity, *, rounds, epsilon, voice_exponent, facilitation, anchoring,
            informed_pull, informed_position, tol=1e-4, kernel: str = "bounded_confidence",
            rng: np.random.Generator | None = None) -> MeetingResult:
    """A meeting among attendees (ODD §7.4), built from the classic kernels.

    - Voice (unequal weights in Hegselmann-Krause 2002): ``raw = capacity ** voice_exponent``
      (equal if all raw are 0); ``voice = (1 - facilitation) raw / sum(raw) + facilitation / n``.
    - Each round: ``m = hk_step(x, epsilon, weights=voice)``; a pull toward the
      well-informed position that grows with capacity, ``y = (1 - k) m + k p``
      with ``k = informed_pull * capacity``; anchoring to one's own stake as in
      Friedkin & Johnsen (1990): ``x <- anchoring * anchor + (1 - anchoring) y``;
      opinions clipped to [0, 1]. Stops after ``rounds`` or when the largest
      change is below ``tol``.

    ``anchoring`` and ``informed_position`` may be scalars or per-attendee arrays.

    ``kernel`` swaps the averaging step ``m`` for a structural alternative (the rest stays):
    "friedkin_johnsen" averages every view weighted by voice, with no confidence bound (DeGroot 1974;
    with the anchoring above, Friedkin & Johnsen 1990, 1999); "deffuant" meets in random pairs within
    the bound (:func:`_pairwise_round`, Deffuant et al. 2000; needs ``rng``; voice plays no part).
    """
    if kernel not in KERNELS:
        raise ValueError(f"kernel must be one of {KERNELS}, got {kernel!r}")
    if kernel == "deffuant" and not isinstance(rng, np.random.Generator):
        raise ValueError("the deffuant kernel needs rng, a numpy.random.Generator")
    x = np.clip(_opinions(x), 0.0, 1.0)
    n = x.size
    anchor = _opinions(anchor, "anchor")
    cap = _opinions(capacity, "capacity")
    if anchor.shape != (n,) or cap.shape != (n,):
        raise ValueError(f"anchor and capacity must have the shape of x ({n},), got {anchor.shape}, {cap.shape}")
    if np.any((cap < 0) | (cap > 1)):
        raise ValueError("capacity must lie in [0, 1]")
    rounds = _rounds(rounds)
    eps = _nonneg(epsilon, "epsilon")
    expo = _nonneg(voice_exponent, "voice_exponent")
    fac = _unit(facilitation, "facilitation")
    anch = _unit(anchoring, "anchoring", n)
    pull = _unit(informed_pull, "informed_pull")
    pos = _unit(informed_position, "informed_position", n)
    tol = _nonneg(tol, "tol")
    if n == 0:
        return MeetingResult(x.copy(), np.zeros(0), math.nan, math.nan, math.nan, 0)

    raw = cap ** expo
    total = raw.sum()
    share = raw / total if total > 0 else np.full(n, 1.0 / n)
    voice = (1.0 - fac) * share + fac / n
    voice = voice / voice.sum()  # exact normalisation against round-off

    k = pull * cap
    anchor_part = anch * anchor
    rounds_run = 0
    for _ in range(rounds):
        if kernel == "bounded_confidence":
            m = _hk_sorted(x, eps, voice)
        elif kernel == "friedkin_johnsen":
            m = np.full(n, float(voice @ x))  # everyone hears everyone, weighted by voice
        else:
            m = _pairwise_round(x, eps, rng)
        y = (1.0 - k) * m + k * pos
        new = np.clip(anchor_part + (1.0 - anch) * y, 0.0, 1.0)
        change = np.max(np.abs(new - x))
        x = new
        rounds_run += 1
        if change < tol:
            break

    top = math.ceil(0.1 * n)
    concentration = float(np.sort(voice)[::-1][:top].sum())
    return MeetingResult(
        opinions=x,
        voice=voice,
        consensus=float(np.clip(1.0 - 2.0 * np.std(x), 0.0, 1.0)),
        voice_concentration=min(concentration, 1.0),
        support=float(np.mean(x > 0.5)),
        rounds_run=rounds_run,
    )
