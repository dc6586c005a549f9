"""Pattern-oriented validation of the baseline against the field study (ODD §1), and knock-outs.

Pattern-oriented modelling (Grimm et al. 2005, Science 310:987) asks the
baseline to reproduce several qualitative patterns *at once*. Each pattern
P1-P6 is turned here into one or more quantitative criteria on the model's
outputs, and passes when its value lies inside its band [lo, hi].

A criterion on records (topics, meetings, households) is **pooled** as a field researcher pools
records from several communities: odds ratios by Mantel-Haenszel over every stratum of every run
(strata = run x topic x age group, so the runs are strata too), shares as pooled counts (the sum of
numerators over the sum of denominators), with a 95% interval clustered by run (the delete-one-run
jackknife; :func:`pooled_interval`). Averaging per-run ratios instead is noisy for rare events (a run
with two meetings weighs as much as one with forty) and biased for ratios. A criterion on a
community's time series (participation, trust change) is one number per community: the mean over
runs with a 95% t interval. Beside either, ``pass_rate`` is the share of single runs whose own value
lies in the band (what one community would show). A direction judged on the interval of a pooled share, gap
or rate of events with fewer than :data:`MIN_EVENTS` events or non-events has **too few records to judge**:
it neither passes nor fails (issue 18), for the baseline, its knock-outs and every community type alike. This module is the single
place where the bands and their sources are defined (``Criterion.source``); ``docs/validation.md`` shows
the same table (:func:`criteria_markdown`).

Every criterion is a **field observable**: something a researcher could measure in a real
community from sign-in sheets, the 议事 ledger, owners' vote records, the 12345 hotline log and
household surveys (``Criterion.data`` names the records). No criterion reads a parameter or runs
a counterfactual twin: a :class:`Run` holds only a run's weekly series and topic records.

A validation that cannot fail proves nothing. :data:`KNOCKOUTS` are the off-switches of the
mechanism registry (:mod:`consultsim.core.mechanisms`), each a degenerate variant of the model:
each must fail at least one scored criterion while the baseline passes them all
(:func:`validate_knockouts`; ``consultsim validate --knockouts``), except the mechanisms the
registry binds to a lever off in the baseline, and those it lists as not yet visible (``UNSEEN``). A
mechanism bound to a structure the baseline community lacks (an owners' committee, a street office's
ranking) is looked for in the baseline with that structure (:func:`structure_scenario`);
tests/test_mechanisms_registry.py checks all of it against the model.

Measures use the second half of the horizon ("year 2") where a pattern
describes a steady state, so that the warm-up of the first weeks (empty
participation records, no topic yet decided) does not count.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from consultsim.analysis.compare import Comparison, run_comparison, t_interval

__all__ = ["Criterion", "Run", "CRITERIA", "Knockout", "KNOCKOUTS", "SHANGHAI_YOUNG_OLD_RATIO", "STAGNATION",
           "COLLAPSE", "measure", "evaluate", "validate", "validate_knockouts", "knockout_scenario",
           "format_table", "format_knockouts", "criteria_markdown", "knockouts_markdown", "topic_complexity",
           "failed_criteria", "too_few_criteria", "judged", "too_few_records", "fewest_events", "MIN_EVENTS",
           "structure_scenario", "Pooled", "pooled", "pooled_interval", "measure_run", "count_columns"]

# Shanghai survey (N = 6581): residents' committee election turnout 13.8% at 18-29 vs 77.7% at 70-79.
SHANGHAI_YOUNG_OLD_RATIO = 13.8 / 77.7  # = 0.178
# P6 "stagnate or decline": a rise of at most 0.02 on a 0-1 scale over two years counts as
# stagnation (0.08 of a point on a 1-5 survey item); the remedies move these means by 0.1-0.4.
STAGNATION = 0.02
# ... and a fall of more than 0.15 (0.6 of a point on a 1-5 item) in two years is a collapse,
# which the field study does not report: it finds weak drive, not a crisis of trust.
COLLAPSE = 0.15


@dataclass(frozen=True)
class Run:
    """What a criterion sees of one replicate: its weekly series and its topic records (with the field
    observables of :mod:`consultsim.core.observables`). No parameters: a criterion may use only what a
    researcher could measure in a real community."""

    ts: pd.DataFrame
    topics: pd.DataFrame


@dataclass(frozen=True)
class Criterion:
    """One quantitative check of a pattern: a per-run measure and the band its value must fall in.

    If ``fn`` is :class:`Pooled` (record counts and the statistic computed from them), the value is
    the statistic of the counts summed over runs; otherwise the mean of the per-run values."""

    pattern: str
    name: str
    text: str  # the criterion in words, as printed
    fn: Callable[[Run], float]
    lo: float = -math.inf
    hi: float = math.inf
    source: str = ""       # where the band comes from (shown in docs/validation.md)
    percent: bool = False  # print as a percentage
    scored: bool = True    # False: a diagnostic that is reported but does not decide pass/fail
    data: str = ""         # the field records it is measured from (sign-in sheets, ledger, survey...)
    # True where a bound is the null of "no association / no difference" and the source gives only the
    # direction: the direction counts as observed only if the mean's whole 95% interval lies in the band
    # (an observer claims a direction when the records support it), not merely the mean
    direction: bool = False

    def passes(self, value: float) -> bool:
        return math.isfinite(value) and self.lo <= value <= self.hi

    def judge(self, mean: float, ci_low: float, ci_high: float) -> bool:
        """The verdict on the mean over runs: inside the band; for a direction, the 95% interval too
        (with a single run there is no interval and the mean decides)."""
        if not self.passes(mean):
            return False
        if self.direction and math.isfinite(ci_low) and math.isfinite(ci_high):
            return self.passes(ci_low) and self.passes(ci_high)
        return True

    def band(self) -> str:
        """The band in words: "10% to 70%", ">= 90%", "<= -0.001", "> 0, <= 50%"."""
        f = (lambda v: f"{100 * v:.4g}%") if self.percent else (lambda v: f"{v:.4g}")
        iv = " (95% interval)" if self.direction else ""
        if math.isinf(self.lo):
            return f"<= {f(self.hi)}{iv}"
        if math.isinf(self.hi):
            return (f">= {f(self.lo)}" if self.lo > 1e-6 else "> 0") + iv
        if 0 < self.lo <= 1e-6:  # a direction: strictly above zero
            text = f"> 0, <= {f(self.hi)}"
        else:
            text = f"{f(self.lo)} to {f(self.hi)}"
        return text + (" (95% interval)" if self.direction else "")


class Pooled:
    """A measure on records that pools over runs: ``counts(run)`` gives the run's record totals (e.g.
    numerator and denominator), ``stat(totals)`` the statistic; called on one run it is that run's value.
    ``log``: the statistic is a ratio of non-negative counts (an odds ratio, a share, a rate), whose interval
    is built on the log scale, as for a ratio estimator: it cannot reach below zero, so a share of rare
    events that did occur is not given a negative lower end (a symmetric interval over 20 runs with events
    in three would be). Signed measures (changes of trust, differences of shares) use the linear scale."""

    def __init__(self, counts: Callable[[Run], Sequence[float]], stat: Callable[[np.ndarray], float],
                 log: bool = False, records: Sequence[tuple[int, int | None]] = ()):
        self.counts, self.stat, self.log = counts, stat, log
        # which totals count events: (events, records) pairs of a share, (events, None) for a count of events
        # over an exposure (a Poisson rate); empty where the totals are no event counts (Mantel-Haenszel
        # sums, sums of a continuous measure): :func:`too_few_records` then does not apply
        self.records = tuple(records)
        self.__name__ = getattr(counts, "__name__", "pooled")
        self.__doc__ = counts.__doc__

    def __call__(self, r: Run) -> float:
        return float(self.stat(np.asarray(self.counts(r), dtype=float)))


def _div(a: float, b: float) -> float:
    return float(a / b) if b > 0 else math.nan


def _share(v: np.ndarray) -> float:
    """Numerator over denominator (an odds ratio from Mantel-Haenszel's two sums, or a share)."""
    return _div(v[0], v[1])


def _share_ratio(v: np.ndarray) -> float:
    """(v0 / v1) over (v2 / v3): e.g. the young's attendance share over the elderly's."""
    return _div(_div(v[0], v[1]), _div(v[2], v[3]))


def _share_gap(v: np.ndarray) -> float:
    """(v0 / v1) minus (v2 / v3): e.g. the failure rate of complex minus simple topics."""
    return _div(v[0], v[1]) - _div(v[2], v[3])


def pooled(stat: Callable[[np.ndarray], float], log: bool = False,
           records: Sequence[tuple[int, int | None]] = ()) -> Callable[[Callable[[Run], Sequence[float]]], Pooled]:
    """Decorator: a function giving a run's record totals becomes a :class:`Pooled` measure (``records``: which
    totals are counts of events, :attr:`Pooled.records`)."""
    return lambda counts: Pooled(counts, stat, log, records)


SHARE = ((0, 1),)                # (events, records)
TWO_SHARES = ((0, 1), (2, 3))    # (events, records) of two groups: a gap or a ratio of shares

#: The fewest events, and the fewest non-events, a pooled share needs before its interval, and so a verdict
#: on a direction (judged on that interval, :meth:`Criterion.judge`), says anything. A share's interval (:func:`pooled_interval`) is a normal-theory (Wald-type) interval, on
#: the log scale or not; the textbook condition for a normal-theory interval of a proportion is that both the
#: number of successes and of failures be at least 5 (n p >= 5 and n (1 - p) >= 5; e.g. the "n p > 5,
#: n (1 - p) > 5" guideline of CAST's introductory course; some texts ask 10 or 15). We take the least
#: demanding common value, so that "too few records to judge" is said only where no convention would accept
#: the interval, and not fitted to any one case; Brown, Cai & DasGupta 2001 ("Interval estimation for a
#: binomial proportion", Statistical Science 16(2): 101-133) show that even such rules do not guarantee the
#: Wald interval's coverage, so a verdict just above the minimum is still a weak one. For a count of events
#: over an exposure (12345 calls per household-year) the condition is on the events alone.
MIN_EVENTS = 5


def fewest_events(measure: Any, totals: Sequence[float]) -> float:
    """The count :data:`MIN_EVENTS` is held against: the fewest events or non-events among the shares of
    ``measure``'s pooled ``totals`` (NaN for a measure whose totals are no event counts)."""
    t = np.asarray(totals, dtype=float)
    counts = []
    for events, n in getattr(measure, "records", ()):
        counts.append(float(t[events]))
        if n is not None:
            counts.append(float(t[n]) - float(t[events]))
    return min(counts) if counts else math.nan


def too_few_records(measure: Any, totals: Sequence[float]) -> bool:
    """Whether the pooled ``totals`` (summed over runs) of ``measure`` hold fewer than :data:`MIN_EVENTS` events
    or non-events in any of its shares, so that no verdict can be drawn from them. False for a measure whose
    totals are no event counts (:attr:`Pooled.records` empty) and for a per-run measure."""
    records = getattr(measure, "records", ())
    t = np.asarray(totals, dtype=float)
    for events, n in records:
        e = float(t[events])
        if not math.isfinite(e) or e < MIN_EVENTS:
            return True
        if n is not None and (not math.isfinite(float(t[n])) or float(t[n]) - e < MIN_EVENTS):
            return True
    return False


def pooled_interval(counts: np.ndarray, stat: Callable[[np.ndarray], float], log: bool = False,
                    level: float = 0.95) -> tuple[float, float, float, int]:
    """The statistic of the counts pooled over runs, with a ``level`` interval clustered by run:
    (value, low, high, runs). ``counts`` has one row per run (runs with a missing total are left out).

    The interval is the delete-one-run jackknife (Quenouille-Tukey; for clustered records, the runs are
    the clusters): var = (K - 1) / K * sum_i (theta_(i) - mean theta_(.))^2 over the K runs, the value
    +- t(K-1) * sd; on the log scale for a ratio of counts (``log``), unless a run's omission leaves no
    event (then the records rest on a single run and the linear scale shows it). With fewer than two runs,
    or a value that is not defined, the interval is NaN."""
    from scipy import stats

    x = np.asarray(counts, dtype=float)
    x = x[np.isfinite(x).all(axis=1)] if x.ndim == 2 else x.reshape(0, 1)
    k = len(x)
    if k == 0:
        return math.nan, math.nan, math.nan, 0
    total = x.sum(axis=0)
    value = float(stat(total))
    if k < 2 or not math.isfinite(value):
        return value, math.nan, math.nan, k
    loo = np.array([stat(total - row) for row in x], dtype=float)
    on_log = log and value > 0 and bool((loo[np.isfinite(loo)] > 0).all())
    g = np.log if on_log else (lambda v: v)
    z = g(loo[np.isfinite(loo)]) if on_log else loo[np.isfinite(loo)]
    m = len(z)
    if m < 2:
        return value, math.nan, math.nan, k
    se = math.sqrt((m - 1) / m * float(np.sum((z - z.mean()) ** 2)))
    h = float(stats.t.ppf(0.5 + level / 2, m - 1)) * se
    centre = float(g(value))
    lo, hi = centre - h, centre + h
    return (value, math.exp(lo), math.exp(hi), k) if on_log else (value, lo, hi, k)


def _second_half(ts: pd.DataFrame) -> pd.DataFrame:
    last = ts["step"].max()
    return ts[ts["step"] > last / 2]


def _end(ts: pd.DataFrame, m: str) -> float:
    return float(ts.loc[ts["step"].idxmax(), m])


def _change(ts: pd.DataFrame, m: str) -> float:
    return float(ts.loc[ts["step"].idxmax(), m] - ts.loc[ts["step"].idxmin(), m])


def _sum(topics: pd.DataFrame, col: str) -> float:
    return float(topics[col].sum()) if col in topics and len(topics) else 0.0


@pooled(_share_ratio, log=True, records=TWO_SHARES)
def _per_capita_ratio(r: Run) -> tuple[float, ...]:
    """Young-to-elderly attendance per household (sign-in sheets x household register): the share of
    young households in a topic's scope that attended a meeting on it over the share of elderly ones,
    pooled over topics."""
    t = r.topics
    return _sum(t, "att_young"), _sum(t, "n_young"), _sum(t, "att_elderly"), _sum(t, "n_elderly")


@pooled(_share_ratio, log=True, records=TWO_SHARES)
def _elderly_overrepresentation(r: Run) -> tuple[float, ...]:
    """Elderly share of attendees over the elderly share of households in scope, pooled over topics."""
    t = r.topics
    return (_sum(t, "att_elderly"), _sum(t, "attendees"), _sum(t, "n_elderly"),
            _sum(t, "n_young") + _sum(t, "n_elderly") + _middle(t))


def _middle(t: pd.DataFrame) -> float:
    """Middle-aged households in scope: the scope's size less the young and elderly ones."""
    if not len(t) or "n_scope" not in t:
        return 0.0
    return float((t["n_scope"] - t["n_young"] - t["n_elderly"]).sum())


def _odds_ratio(key: str) -> Pooled:
    """Mantel-Haenszel odds ratio of the records ``or_<key>``: the sums of a d / n and b c / n over every
    stratum (age group or list stratum) of every topic (core.observables.mantel_haenszel); pooled over
    runs, the runs are strata too."""
    def counts(r: Run) -> tuple[float, float]:
        return _sum(r.topics, f"or_{key}_num"), _sum(r.topics, f"or_{key}_den")
    counts.__name__ = f"odds_ratio_{key}"
    return Pooled(counts, _share, log=True)


@pooled(_share, log=True)
def _building_clustering(r: Run) -> tuple[float, float]:
    """Mean dispersion index of attendance across buildings, over community-wide topics with a meeting
    (pooled: over the topics of every run)."""
    d = r.topics["building_dispersion"].dropna() if len(r.topics) else pd.Series(dtype=float)
    return float(d.sum()), float(len(d))


def topic_complexity(topics: pd.DataFrame) -> pd.Series:
    """Complexity of each topic row: its own column if the model records it, else its type's catalog value
    (a researcher's classification of the topic types, which the catalog's numbers order)."""
    if "complexity" in topics.columns:
        return topics["complexity"].astype(float)
    from consultsim.core.topics import CATALOG  # name -> TopicType with .complexity

    lookup = {name: float(t.complexity) for name, t in CATALOG.items()}
    return topics["type"].map(lookup).astype(float)


# Topic outcomes as the model records them (ConsultationModel.topic_records): a failure reason,
# or the stage a topic has reached. Topics still before their decision are not counted.
FAILED_OUTCOMES = frozenset({"no quorum", "deadlock", "rejected", "no valid vote", "failed"})
AGREED_OUTCOMES = frozenset({"decided", "implementing", "implemented", "stalled", "unfunded"})  # unfunded: agreed, owners could not pay (ODD §3)
# Topic types decided by owners' written votes (Civil Code art. 278) rather than by a show of hands.
OWNERS_RULE_TYPES = frozenset({"elevator", "property_fee"})


def _failed(topics: pd.DataFrame) -> pd.Series:
    """Whether a settled topic failed (no quorum, deadlock, rejected or no valid owners' vote)."""
    return topics["outcome"].astype(str).str.lower().isin(FAILED_OUTCOMES)


def _decided(topics: pd.DataFrame) -> pd.Series:
    """Whether a topic's consultation is settled: it failed or a resolution was agreed."""
    return topics["outcome"].astype(str).str.lower().isin(FAILED_OUTCOMES | AGREED_OUTCOMES)


def _settled(topics: pd.DataFrame) -> pd.DataFrame:
    return topics[_decided(topics)] if len(topics) else topics


@pooled(_share, log=True, records=SHARE)
def _agreed_share(r: Run) -> tuple[float, float]:
    """Share of settled topics that ended in an agreed resolution."""
    t = _settled(r.topics)
    return (float((~_failed(t)).sum()), float(len(t))) if len(t) else (0.0, 0.0)


@pooled(_share_gap, records=TWO_SHARES)
def _agreement_by_rule(r: Run) -> tuple[float, ...]:
    """Agreed share of settled topics decided by a show of hands minus that of topics decided by owners'
    written votes (the ledger records each topic's rule)."""
    t = _settled(r.topics)
    if t.empty:
        return 0.0, 0.0, 0.0, 0.0
    owners = t["type"].isin(OWNERS_RULE_TYPES)
    agreed = ~_failed(t)
    return (float(agreed[~owners].sum()), float((~owners).sum()), float(agreed[owners].sum()),
            float(owners.sum()))


def _gap(topics: pd.DataFrame) -> tuple[float, ...]:
    """Failures and numbers of the more complex and of the simpler settled topics (split at the median
    complexity of the run's settled topics): the failure rate of the one minus the other."""
    t = _settled(topics)
    if t.empty:
        return 0.0, 0.0, 0.0, 0.0
    c = topic_complexity(t)
    cut = float(np.median(c))
    hard, easy = c > cut, c <= cut
    f = _failed(t)
    return float(f[hard].sum()), float(hard.sum()), float(f[easy].sum()), float(easy.sum())


@pooled(_share_gap, records=TWO_SHARES)
def _complex_failure_gap(r: Run) -> tuple[float, ...]:
    return _gap(r.topics)


@pooled(_share_gap, records=TWO_SHARES)
def _complex_failure_gap_same_rule(r: Run) -> tuple[float, ...]:
    """As :func:`_complex_failure_gap`, but only among topics decided by a show of hands, so that the
    stricter owners' rules of the elevator and fee topics do not carry the difference."""
    if not len(r.topics):
        return 0.0, 0.0, 0.0, 0.0
    return _gap(r.topics[~r.topics["type"].isin(OWNERS_RULE_TYPES)])


@pooled(_share, log=True, records=SHARE)
def _stalled_share(r: Run) -> tuple[float, float]:
    """Resolutions stalled past their deadline over resolutions agreed, end of horizon (ledger)."""
    return _end(r.ts, "stalled"), _end(r.ts, "resolutions")


@pooled(_share, log=True, records=SHARE)
def _unfunded_share(r: Run) -> tuple[float, float]:
    """Share of agreed elevator retrofits that could not raise the owners' contributions (ledger)."""
    t = r.topics
    if not len(t):
        return 0.0, 0.0
    retro = t[(t["type"] == "elevator") & t["outcome"].isin(AGREED_OUTCOMES)]
    return float((retro["outcome"] == "unfunded").sum()), float(len(retro))


@pooled(_share, log=True)
def _spread_ratio(r: Run) -> tuple[float, float]:
    """Spread (sd) of attendees' opinions after a topic's first meeting over that before it (a pre/post
    questionnaire, as in deliberative polls), averaged over topics (pooled: over every run's topics)."""
    t = r.topics
    if not len(t) or "spread_before" not in t:
        return 0.0, 0.0
    ok = t["spread_before"] > 0
    return float((t.loc[ok, "spread_after"] / t.loc[ok, "spread_before"]).sum()), float(ok.sum())


BROAD_SUPPORT = 2 / 3  # a resolution adopted by at least two thirds of those present: the ledger's "broad" support


@pooled(_share_gap, records=TWO_SHARES)
def _implementation_by_support(r: Run) -> tuple[float, ...]:
    """Implemented share of agreed resolutions adopted with broad support (at least two thirds of those
    present in favour, as the ledger records the vote) and of those adopted more narrowly: (implemented
    broad, broad, implemented narrow, narrow)."""
    t = r.topics
    if not len(t) or "support" not in t:
        return 0.0, 0.0, 0.0, 0.0
    agreed = t[t["outcome"].astype(str).isin(AGREED_OUTCOMES)]
    broad = agreed["support"] >= BROAD_SUPPORT
    done = agreed["outcome"] == "implemented"
    return float((done & broad).sum()), float(broad.sum()), float((done & ~broad).sum()), float((~broad).sum())


@pooled(_share)
def _informed_shift(r: Run) -> tuple[float, float]:
    """How far attendees' mean opinion moved toward the well-informed position over a topic's first meeting,
    averaged over topics (pooled: over every run's topics)."""
    t = r.topics
    d = t["informed_shift"].dropna() if len(t) and "informed_shift" in t else pd.Series(dtype=float)
    return float(d.sum()), float(len(d))


@pooled(_share, log=True, records=SHARE)
def _majority_held_back(r: Run) -> tuple[float, float]:
    """Share of quorate meetings that ended without a decision although most attendees favoured the
    proposal (the ledger: 'consultation continues', not a failed vote)."""
    return _sum(r.topics, "majority_held_back"), _sum(r.topics, "meetings")


@pooled(_share, log=True, records=SHARE)
def _pm_presence(r: Run) -> tuple[float, float]:
    """Share of quorate meetings the property manager signed in to."""
    return _sum(r.topics, "pm_meetings"), _sum(r.topics, "meetings")


@pooled(_share, log=True, records=SHARE)
def _owners_turnout(r: Run) -> tuple[float, float]:
    """Owners who returned a written vote, as a share of the owners concerned, over the votes held."""
    t = r.topics
    if not len(t):
        return 0.0, 0.0
    held = t[t["owners_voted"] > 0]
    return float(held["owners_voted"].sum()), float(held["owners"].sum())


def _panel(topics: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """Per topic: the mean trust change of all panel members who learned the outcome, and their number."""
    nh, nu = topics["n_heard_learners"].fillna(0), topics["n_unheard_learners"].fillna(0)
    total = (topics["trust_change_heard"].fillna(0) * nh + topics["trust_change_unheard"].fillna(0) * nu)
    n = nh + nu
    return total / n.where(n > 0), n


@pooled(_share)
def _trust_after_stalls(r: Run) -> tuple[float, float]:
    """Mean change of trust in the committee, over the announcement, among households in scope who learned
    that an agreed resolution stalled (panel survey; pooled: over every run's panel members)."""
    t = r.topics
    if not len(t) or "n_heard_learners" not in t:
        return 0.0, 0.0
    st = t[t["outcome"] == "stalled"]
    change, n = _panel(st)
    return float((change.fillna(0) * n).sum()), float(n.sum())


@pooled(_share)
def _trust_heard_gap(r: Run) -> tuple[float, float]:
    """Trust change of panel members who were heard on a topic (attended or voted) minus that of those who
    learned the outcome without being heard, weighted by the heard ones, over the topics."""
    t = r.topics
    if not len(t) or "n_heard_learners" not in t:
        return 0.0, 0.0
    both = t.dropna(subset=["trust_change_heard", "trust_change_unheard"])
    w = both["n_heard_learners"]
    gap = both["trust_change_heard"] - both["trust_change_unheard"]
    return float((gap * w).sum()), float(w.sum())


@pooled(_share_gap)
def _civic_after_success(r: Run) -> tuple[float, ...]:
    """Mean change of the panel's commitment to taking part (civic motivation) over the announcement
    among households in scope who learned that an agreed resolution was implemented, minus that among those
    who learned that one stalled (panel survey x ledger; pooled: over every run's panel members):
    (sum of changes after implemented, members, sum after stalled, members)."""
    t = r.topics
    if not len(t) or "civic_change" not in t or "n_heard_learners" not in t:
        return 0.0, 0.0, 0.0, 0.0
    n = t["n_heard_learners"].fillna(0) + t["n_unheard_learners"].fillna(0)
    ok = t["civic_change"].notna() & (n > 0)
    done, stalled = ok & (t["outcome"] == "implemented"), ok & (t["outcome"] == "stalled")
    total = t["civic_change"].fillna(0) * n
    return float(total[done].sum()), float(n[done].sum()), float(total[stalled].sum()), float(n[stalled].sum())


def _per_1000(v: np.ndarray) -> float:
    return 1000.0 * _share(v)


@pooled(_per_1000, log=True, records=((0, None),))
def _complaints_per_1000(r: Run) -> tuple[float, float]:
    """12345 calls about the topics' outcomes per 1,000 households a year (pooled: all calls over all
    household-years; the totals are the calls and the household-years, so that the calls count as events)."""
    t, years = r.topics, _end(r.ts, "step") / 52
    community = t[t["scope"] == "community"] if len(t) and "n_scope" in t else t.iloc[:0] if len(t) else t
    if not len(community) or years <= 0:
        return math.nan, math.nan  # the community's size is unknown: the run is left out
    return _end(r.ts, "complaints"), years * float(community["n_scope"].max())


@pooled(_share_ratio, log=True, records=((0, None), (2, None)))  # calls per household: counts of events
def _complaints_heard_ratio(r: Run) -> tuple[float, ...]:
    """Hotline calls per informed household among those who attended a meeting on the topic, over that
    among those who learned the outcome without attending (12345 log x sign-in sheets x survey)."""
    t = r.topics
    return (_sum(t, "complaints_attendees"), _sum(t, "informed_attendees"),
            _sum(t, "complaints") - _sum(t, "complaints_attendees"), _sum(t, "informed") - _sum(t, "informed_attendees"))


@pooled(_share, log=True, records=SHARE)
def _postponed_share(r: Run) -> tuple[float, float]:
    """Convened meetings postponed for want of participants (below the quorum), over all convened meetings:
    postponements / (postponements + meetings held), pooled over topics (the 议事 ledger)."""
    deferred = _sum(r.topics, "deferrals")
    return deferred, deferred + _sum(r.topics, "meetings")


# --- issue 17: the publicity board (公示栏) joined to the 12345 log
def _outcome_class(topics: pd.DataFrame) -> pd.Series:
    """The ledger's outcome of a settled topic in three classes: implemented, agreed but not done (stalled
    or unfunded), failed."""
    out = topics["outcome"].astype(str).str.lower()
    return pd.Series(np.where(out == "implemented", 0, np.where(out.isin(FAILED_OUTCOMES), 2, 1)), index=topics.index)


@pooled(_share, log=True)
def _complaints_published_odds(r: Run) -> tuple[float, float]:
    """Mantel-Haenszel odds ratio of calling 12345, outcome posted on the publicity board vs not, among the
    informed households not heard on a topic whose side lost on a matter that concerns them a lot (the
    ``unheard_losers_<a>`` records), within strata of the outcome's class and the age group; the cells of a
    stratum add up over the run's topics (a topic is posted or not as a whole), so the strata are run x
    outcome class x age group: (sum a d / n, sum b c / n)."""
    t = r.topics
    cols = [f"unheard_losers_{a}" for a in range(3)]
    if not len(t) or cols[0] not in t or "published" not in t:
        return 0.0, 0.0
    t = t[t[cols[0]].notna()]
    if not len(t):
        return 0.0, 0.0
    pub = t["published"].astype(bool).to_numpy()
    klass = _outcome_class(t).to_numpy()
    num = den = 0.0
    for k in range(3):
        for a in range(3):
            n_, c_ = t[f"unheard_losers_{a}"].to_numpy(float), t[f"unheard_callers_{a}"].to_numpy(float)
            m = klass == k
            a_ = float(c_[m & pub].sum())
            b_ = float(n_[m & pub].sum()) - a_
            c2 = float(c_[m & ~pub].sum())
            d_ = float(n_[m & ~pub].sum()) - c2
            n = a_ + b_ + c2 + d_
            if n:
                num, den = num + a_ * d_ / n, den + b_ * c2 / n
    return num, den


# --- issue 17: owners' vote records by floor (a flat's number gives its floor) ----------------------------
@pooled(_share_gap, records=TWO_SHARES)
def _elevator_approval_by_floor(r: Run) -> tuple[float, ...]:
    """Approval (votes in favour over votes returned) of owners on floors 3 and up minus that of owners on
    floors 1-2, in the elevator retrofits' written votes (owners' vote records by flat, pooled over votes):
    (yes up, voted up, yes low, voted low)."""
    t = r.topics
    if not len(t) or "yes_up" not in t:
        return 0.0, 0.0, 0.0, 0.0
    v = t[(t["type"] == "elevator") & (t["owners_voted"] > 0)]
    return (_sum(v, "yes_up"), _sum(v, "voted_up"), _sum(v, "yes_low"), _sum(v, "voted_low"))
@pooled(_share_gap)
def _skills_gain_attended(r: Run) -> tuple[float, ...]:
    """Change of civic skills between the wave-1 survey and the survey at the end of the study, among the
    households in a topic's scope who signed in to its meetings minus among those who did not (a two-wave panel x
    sign-in sheets; core.observables.skills_panel), pooled over every topic with a meeting of every run:
    (sum of changes of signers, signers, sum of changes of the others, others)."""
    t = r.topics
    return tuple(_sum(t, c) for c in ("skills_change_attended", "n_skills_attended", "skills_change_others",
                                      "n_skills_others"))


FIELD = "Field study of Beijing X area (ODD §1)"
LEDGER, SIGNIN, SURVEY, VOTES, HOTLINE = "议事 ledger", "sign-in sheets", "household survey", "owners' vote " \
    "records", "12345 hotline log"
BOARD = "publicity board (公示栏) record of posted outcomes"  # issue 17
CRITERIA: tuple[Criterion, ...] = (
    Criterion("P1", "procedure_completion", "agenda topics decided on schedule, end of horizon",
              lambda r: _end(r.ts, "procedure_completion"), lo=0.90, hi=1.0, percent=True, data=LEDGER,
              source=f"{FIELD}: the procedure is standardized and institutionalized, so nearly every agenda "
                     "topic reaches a decision on schedule; 90% is our reading of 'nearly every' (the upper "
                     "end is the scale's)."),
    Criterion("P1", "agreed_share", "settled topics that end in an agreed resolution",
              _agreed_share, lo=0.40, hi=0.85, percent=True, data=LEDGER,
              source=f"{FIELD}: consultation yields agreed outcomes whose implementation then lags (P4), and "
                     "complex, contested topics fail more often (P5). Assumption for the numbers: at least "
                     "40% of settled topics are agreed (a standardized procedure mostly settles routine "
                     "matters), at most 85% (parking, pet rules and elevator retrofits often end without "
                     "agreement, ODD §7.5)."),
    Criterion("P1", "majority_held_back",
              "meetings ending without a decision although most attendees were in favour",
              _majority_held_back, lo=1e-9, hi=0.5, percent=True, data=LEDGER,
              direction=True,
              source="2015 opinion on community consultation (协商一致): consultation seeks agreement, so "
                     "a bare majority does not close a matter and some meetings with a majority in favour "
                     "continue the consultation (direction from the rule); assumption: not most meetings."),
    Criterion("P1", "meetings_postponed",
              "convened meetings postponed for want of participants (below the quorum)",
              _postponed_share, lo=1e-9, hi=0.5, percent=True, data=LEDGER, direction=True,
              source=f"{FIELD}: residents' internal drive is insufficient (P2) while a meeting needs participants "
                     "to be held (the model's quorum rule; the Organic Law of Urban Residents' Committees, art. 9, "
                     "requires more than half of the residents or households' representatives for a residents' "
                     "assembly): some convened meetings are postponed for want of participants. A direction "
                     "inferred from the study, which reports no share; assumption: fewer than half."),
    Criterion("P2", "participation_rate", "highest 12-week participation in year 2 (share of households)",
              lambda r: float(_second_half(r.ts)["participation_rate"].max()), lo=0.02, hi=0.20,
              percent=True, data=SIGNIN,
              source=f"{FIELD}: residents' internal drive is weak, so few take part in any quarter: the "
                     "*highest* quarter stays well under the Shanghai survey's 47.9% election turnout "
                     "(voting once is far cheaper than attending a deliberation); upper end 20%. Few is not "
                     "none: meetings are held with a quorum (P1; 1% of households community-wide, ODD §7.5), "
                     "so at least 2% of households take part in the busiest quarter."),
    Criterion("P2", "resident_proposed_share", "topics proposed by residents, end of horizon",
              lambda r: _end(r.ts, "resident_proposed_share"), lo=0.05, hi=1 / 3, percent=True, data=LEDGER,
              source=f"{FIELD}: few topics come from residents' own proposals, most of the agenda is set "
                     "top-down: a clear minority, at most 1/3. Beijing's five-resident method starts with "
                     "residents proposing (民事民提), practised in X area: at least 5%."),
    Criterion("P2", "attendance_by_concern",
              "odds ratio of attending, households much vs hardly concerned by the topic (within age groups)",
              _odds_ratio("concern"), lo=1.0, hi=10.0, data=f"{SIGNIN} x {SURVEY}",
              direction=True,
              source="Calculus of participation (Riker & Ordeshook 1968): the benefit at stake raises "
                     "turnout, so those a matter concerns attend more (odds ratio above 1, the null of no "
                     "association); assumption: below 10 (the unconcerned also come, P1 quorum)."),
    Criterion("P2", "attendance_by_civic_duty",
              "odds ratio of attending, top vs bottom third of civic duty (wave-1 survey, within age groups)",
              _odds_ratio("civic"), lo=1.0, hi=10.0, data=f"{SIGNIN} x {SURVEY}",
              direction=True,
              source="Riker & Ordeshook 1968 (civic duty); Verba, Schlozman & Brady 1995: those with a "
                     "sense of duty take part more (above 1); assumption: below 10."),
    Criterion("P2", "attendance_by_skills",
              "odds ratio of attending, top vs bottom third of civic skills (wave-1 survey, within age groups)",
              _odds_ratio("skills"), lo=1.0, hi=10.0, data=f"{SIGNIN} x {SURVEY}",
              direction=True,
              source="Brady, Verba & Schlozman 1995: civic skills are a resource for participation (above "
                     "1); assumption: below 10."),
    Criterion("P2", "attendance_by_trust",
              "odds ratio of attending, top vs bottom third of trust in the committee (wave-1 survey)",
              _odds_ratio("trust"), lo=1.0, hi=10.0, data=f"{SIGNIN} x {SURVEY}",
              direction=True,
              source="Assumption (direction): those who trust the committee expect their part to count and "
                     "attend more (above 1); below 10."),
    Criterion("P2", "attendance_by_invitation",
              "odds ratio of attending, invited by a building leader vs not, among households on a leader's "
              "list (within strata of how many leaders list them)",
              _odds_ratio("invited"), lo=1.0, hi=10.0, data=f"{SIGNIN} x building leaders' invitation lists",
              direction=True,
              source="Verba, Schlozman & Brady 1995: being asked brings people into participation, and not being "
                     "asked is a main reason for staying out (direction: odds ratio above 1). Among the "
                     "households a leader looks after, whom it reaches is a matter of chance in the model; in the "
                     "field a researcher would randomize the visits, as Gerber, Green & Shachar 2003 randomized "
                     "canvassing. Assumption: below 10."),
    Criterion("P2", "attendance_by_invitation_informed",
              "odds ratio of attending, invited by a building leader vs not, among households on a leader's "
              "list who knew of the meeting (survey; within strata of how many leaders list them)",
              _odds_ratio("invited_informed"), lo=1.0, hi=10.0, direction=True,
              data=f"{SIGNIN} x building leaders' invitation lists x {SURVEY} (knew of the meeting)",
              source="Verba, Schlozman & Brady 1995: being asked brings people into participation, over and "
                     "above knowing of the chance (direction: odds ratio above 1). An invitation also informs, "
                     "so among all listed households it mixes hearing of the meeting with being asked; among "
                     "those who knew of it (a survey question) only being asked is left. Assumption: below 10."),
    Criterion("P2", "attendance_after_invitation",
              "odds ratio of attending, invited to the previous community-wide meeting vs not, among households "
              "on a leader's list (within strata of lists and of this meeting's invitation; diagnostic, not scored)",
              _odds_ratio("invited_before"), lo=1.0, hi=10.0, scored=False,
              data=f"{SIGNIN} x building leaders' invitation lists (two meetings)", direction=True,
              source="Not scored: the baseline does not show it (pooled odds ratio 1.007, interval 0.976-1.040, "
                     "at the shipped settings; above 1 at 3 of 6 master seeds), so the model's habit is weaker than this source implies; a finding about "
                     "the model, reported in docs/validation.md, not a band to widen. "
                     "Gerber, Green & Shachar 2003, a randomized field experiment: households urged to vote in "
                     "1998 voted more in 1998 and, a year later, in 1999; their estimate is that voting in one "
                     "election raised the chance of voting in the next by 46.7 points (habit). Direction: an "
                     "invitation that brought a household to one meeting brings it to the next more often "
                     "(odds ratio above 1); assumption: below 10."),
    Criterion("P2", "building_clustering",
              "dispersion of attendance across buildings on community-wide topics (1 = independent)",
              _building_clustering, lo=1.0, hi=5.0, data=f"{SIGNIN} (addresses)",
              direction=True,
              source="Neighbours and building leaders (楼门长) mobilize each other (Granovetter 1978; ODD §2): "
                     "attendance clusters within buildings, a dispersion index above 1 (the value for "
                     "households attending independently of where they live); assumption: below 5."),
    Criterion("P2", "pm_presence", "quorate meetings the property manager attended",
              _pm_presence, lo=0.05, hi=0.95, percent=True, data=SIGNIN,
              source=f"{FIELD}: the property manager is a party to consultation but attends only when it "
                     "chooses (ODD §2); assumption for the numbers: at some meetings (5%), not at all (95%)."),
    Criterion("P3", "elderly_overrepresentation",
              "elderly share of attendees / elderly share of households in scope",
              _elderly_overrepresentation, lo=1.5, hi=3.0, data=f"{SIGNIN} x household register",
              source=f"{FIELD}: retirees dominate, at least 1.5 times as present among participants as among "
                     "household heads. Not retirees alone: at most 3.0, i.e. 90% of participants at the "
                     "baseline's 30% elderly household heads (the Shanghai survey's youngest group still "
                     "turned out at 13.8%)."),
    Criterion("P3", "young_old_ratio", "young-to-elderly attendance per household",
              _per_capita_ratio, lo=SHANGHAI_YOUNG_OLD_RATIO / 2, hi=SHANGHAI_YOUNG_OLD_RATIO * 2,
              data=f"{SIGNIN} x household register",
              source="Shanghai survey (N = 6,581): residents'-committee election turnout 13.8% at 18-29 vs "
                     "77.7% at 70-79, ratio 0.178. Our age groups are broader (18-39, 60+) and consultation is "
                     "not an election, hence a factor-2 band around the survey value."),
    Criterion("P4", "implementation_rate", "agreed resolutions implemented, end of horizon",
              lambda r: _end(r.ts, "implementation_rate"), lo=0.10, hi=0.70, percent=True, data=LEDGER,
              source=f"{FIELD}: 'fruitful implementation does not reach the designated position': clearly "
                     "below the share agreed, at most 70%. The study also credits X area with 'certain "
                     "achievements': some agreed works are done, at least one in ten."),
    Criterion("P4", "implementation_by_support",
              "diagnostic: implemented share of agreed resolutions adopted by at least two thirds of those "
              "present minus that of resolutions adopted more narrowly, end of horizon (not scored)",
              _implementation_by_support, lo=1e-9, hi=1.0, percent=True, direction=True, data=LEDGER, scored=False,
              source="Not scored: the baseline does not show it (pooled -3.3 points, interval -37 to +30, at the "
                     "shipped settings; with or without the model's resident pressure alike), a finding about the "
                     "model reported in docs/validation.md, not a band to widen. Chen, Pan & Xu 2016 (American Journal of Political Science 60: 383-400), a field experiment "
                     "in 2,103 Chinese counties: requests that signal collective action make local officials "
                     "considerably more responsive. Direction: works that many residents back are carried out "
                     "more often than those a narrow majority backs (above 0); the upper end is the scale's."),
    Criterion("P4", "stalled_share", "resolutions stalled past their deadline, end of horizon",
              _stalled_share, lo=0.10, hi=0.90, percent=True, data=LEDGER,
              source=f"{FIELD}: many resolutions stall, at least one in ten (this also rules out reading P4 as "
                     "mere censoring); the upper end follows from at least 10% being implemented."),
    Criterion("P4", "retrofits_unfunded",
              "diagnostic: agreed elevator retrofits that could not raise owners' contributions (not scored)",
              _unfunded_share, lo=1e-9, hi=1.0, percent=True, scored=False, data=LEDGER,
              direction=True,
              source="Assumption (direction): in Beijing's old-compound retrofits collecting the owners' "
                     "share is a named hurdle (Fischbacher, Gächter & Fehr 2001: many contribute only if others "
                     "do). Not scored since issue 16's funding (floor-weighted shares, compensation of floors "
                     "1-2, pledgers covering shortfalls): owners' reluctance now shows at the 3/4 vote (15 of 26 "
                     "elevator topics rejected in 12 baseline runs, none of the 7 agreed unfunded), so a "
                     "direction-only band on a handful of retrofits would decide pass or fail by chance."),
    Criterion("P5", "voice_concentration",
              "speaking time of the top 10% of attendees (meeting minutes/recordings, year 2)",
              lambda r: float(_second_half(r.ts)["voice_concentration"].mean()), lo=0.30, hi=0.70,
              percent=True, data="meeting minutes or recordings",
              source=f"{FIELD}: participants' capacity is limited and deliberation is dominated by a few "
                     "voices: at least three times their equal share (10%). Assumption: at most 70%, a "
                     "meeting is still a consultation in which the others speak."),
    Criterion("P5", "opinion_spread_ratio",
              "spread of attendees' opinions after a topic's first meeting / before it (pre/post questionnaire)",
              _spread_ratio, lo=1 / 3, hi=0.95, data="pre/post meeting questionnaire",
              source="Deliberative polls question participants before and after deliberating and find that "
                     "many change their minds (Luskin & Fishkin, National Issues Convention; the method was "
                     "used in Zeguo township, Wenling: Fishkin, He, Luskin & Siu 2010): meetings move opinions "
                     "(spread falls by at least 5%, assumption); views anchored in one's own interest persist "
                     "(Friedkin & Johnsen 1990), so disagreement is narrowed, not removed (assumption: by at "
                     "most two thirds)."),
    Criterion("P5", "informed_shift",
              "movement of attendees' mean opinion toward the well-informed position over a topic's first "
              "meeting (pre/post questionnaire x experts' briefing; 0-1 scale)",
              _informed_shift, lo=1e-9, hi=0.5, direction=True,
              data="pre/post meeting questionnaire x the briefing materials' assessment",
              source="Deliberative polls (Luskin, Fishkin & Jowell 2002, British Journal of Political Science "
                     "32: 455-487; Fishkin 2009, When the People Speak): participants' knowledge rises "
                     "significantly over the event and those who gain information are those who change their "
                     "views, so views move toward what the information implies (direction: toward the "
                     "well-informed position); assumption: by less than half the scale."),
    Criterion("P5", "agreement_by_rule",
              "agreed share of topics decided by a show of hands minus that of owners'-vote topics",
              _agreement_by_rule, lo=1e-9, hi=1.0, percent=True, data=LEDGER,
              direction=True,
              source="Civil Code art. 278: owners' decisions need two thirds of owners (by head and area) to "
                     "take part and, for retrofits, three quarters of them to approve; stricter rules agree "
                     "less often than a show of hands (direction)."),
    Criterion("P5", "owners_turnout", "owners returning a written vote, over the owners' votes held",
              _owners_turnout, lo=0.5, hi=0.95, percent=True, data=VOTES,
              source="Civil Code art. 278 sets a two-thirds turnout that door-to-door collection often but "
                     "not always reaches (ODD §7.5); assumption: between half and nearly all owners vote."),
    Criterion("P5", "vote_return_by_concern",
              "odds ratio of returning a written vote, owners much vs hardly concerned by the matter, among "
              "owners who did not attend its meetings (within age groups)",
              _odds_ratio("vote_concern"), lo=1.0, hi=10.0, data=f"{VOTES} x owners' survey", direction=True,
              source="Calculus of participation (Riker & Ordeshook 1968): the benefit at stake raises turnout, "
                     "so owners a matter concerns return their written vote more often when the collectors "
                     "come (odds ratio above 1, direction); assumption: below 10."),
    Criterion("P5", "complex_failure_gap",
              "failure rate of complex minus simple topics (split at median complexity)",
              _complex_failure_gap, lo=1e-9, percent=True, data=LEDGER,
              direction=True,
              source=f"{FIELD}: complex topics fail more often, as an observer across topic types "
                     "sees it. Confounded by the owners' rules of the most complex topics (see the "
                     "diagnostic row and 'What the criteria cannot reach')."),
    Criterion("P5", "complex_failure_gap_same_rule",
              "diagnostic: the cross-type gap among topics decided by a show of hands (not scored)",
              _complex_failure_gap_same_rule, lo=1e-9, percent=True, scored=False, data=LEDGER,
              direction=True,
              source="Diagnostic: a cross-type comparison confounded by conflicts of interest (see 'What the "
                     "criteria cannot reach')."),
    Criterion("P6", "trust_change", "change in trust in the committee over the horizon (0-1 scale)",
              lambda r: _change(r.ts, "mean_trust_committee"), lo=-COLLAPSE, hi=STAGNATION,
              data=f"{SURVEY} (two waves)",
              source=f"{FIELD}: without remedies trust stagnates or declines: a rise of at most 0.02 "
                     "(0.08 of a point on a 1-5 survey item). Assumption: a fall of more than 0.15 in two "
                     "years would be a collapse the study does not report."),
    Criterion("P6", "efficacy_change", "change in residents' efficacy over the horizon (0-1 scale)",
              lambda r: _change(r.ts, "mean_efficacy"), lo=-COLLAPSE, hi=STAGNATION,
              data=f"{SURVEY} (two waves)",
              source=f"{FIELD}: as for trust, efficacy stagnates or declines (a rise of at most 0.02); "
                     "assumption: a fall of more than 0.15 in two years would be a collapse."),
    Criterion("P6", "trust_after_stalls",
              "trust change among households who learn that an agreed resolution stalled (panel)",
              _trust_after_stalls, lo=-0.5, hi=-0.001, data=f"{SURVEY} (panel around the announcement)",
              direction=True,
              source=f"{FIELD}: agreed outcomes that are not implemented erode residents' drive (Ansell & Gash "
                     "2008; ODD §7.7): trust falls among those who learn of a stall; 0.001 on the 0-1 scale is "
                     "our threshold for 'falls'; assumption: by less than half the scale."),
    Criterion("P6", "trust_heard_vs_unheard",
              "trust change of households heard on a topic minus those who only learned its outcome (panel)",
              _trust_heard_gap, lo=1e-9, hi=0.5, data=f"{SURVEY} (panel) x {SIGNIN} x {VOTES}",
              direction=True,
              source="Procedural justice (Tyler 1990) and decision acceptance (Esaiasson, Gilljam & Persson "
                     "2012, a field experiment): being heard raises the legitimacy of an outcome, whichever "
                     "it is (direction); assumption: by less than half the scale."),
    Criterion("P6", "complaints_per_1000", "12345 calls about consultation outcomes per 1,000 households a year",
              _complaints_per_1000, lo=1e-9, hi=200.0, data=HOTLINE,
              direction=True,
              source="Beijing's 接诉即办 routes 12345 calls to streets and communities (regulations 2021); "
                     "residents whose side lost do call (direction). The hotline handled 21.43 million "
                     "requests in 2023 (Beijing hotline centre, reported by Bastille Post 2024) for about 22 "
                     "million residents, about one a resident a year on all matters; assumption: calls about "
                     "consultation outcomes are a small part, fewer than 200 a year per 1,000 households."),
    Criterion("P6", "complaints_heard_odds",
              "odds ratio of calling 12345, heard (attended or voted) vs not, among informed households whose "
              "side lost on a matter that concerns them a lot (within age groups)",
              _odds_ratio("complaint_heard"), lo=0.0, hi=1.0 - 1e-9, direction=True,
              data=f"{HOTLINE} x {SIGNIN} x {VOTES} x {SURVEY}",
              source="Esaiasson, Gilljam & Persson 2012 (a randomised field experiment): personal involvement in "
                     "the decision process is the main factor generating legitimacy beliefs; Tyler 1990. "
                     "Direction: among those whose side lost, those who were heard accept the decision more and "
                     "call the hotline less (odds ratio below 1). Comparing like with like (losers who care a "
                     "lot, by the survey) removes the confounding of complaints_heard_ratio."),
    Criterion("P6", "complaints_heard_ratio",
              "12345 calls per informed household: attendees over those who only learned the outcome",
              _complaints_heard_ratio, lo=0.0, hi=1.0 - 1e-9, scored=False, data=f"{HOTLINE} x {SIGNIN} x {SURVEY}",
              direction=True,
              source="Diagnostic. Esaiasson et al. 2012; Tyler 1990: a loss is easier to accept for those who "
                     "were heard, so attendees should complain less per head (below 1); but attendees are also "
                     "the more concerned, so without the survey's concern per caller the ratio is confounded "
                     "(at the shipped settings its mean is near 1, its interval spans it)."),
    # --- issue 17: slow mechanisms, seen in a panel around the outcomes that feed them
    Criterion("P6", "civic_after_success",
              "change in households' commitment to taking part over the announcement of an implemented "
              "resolution minus that over the announcement of a stalled one, among those in scope who learned "
              "it (panel)",
              _civic_after_success, lo=1e-9, hi=0.5, direction=True,
              data=f"{SURVEY} (panel around the announcement) x {LEDGER}",
              source="Ansell & Gash 2008 (Journal of Public Administration Research and Theory 18: 543-571; a "
                     "synthesis of 137 cases of collaborative governance): collaboration enters a virtuous "
                     "cycle when a forum concentrates on small wins, which deepen the participants' trust, "
                     "commitment and shared understanding (direction: commitment rises more after a success "
                     "than after a stall); "
                     "assumption: by less than half the scale. An experiment (Carvacho et al. 2023, Frontiers in "
                     "Psychology, doi 10.3389/fpsyg.2023.1155950) finds that perceived success raises group efficacy, while its "
                     "effect on intentions to take part again is mixed: the direction rests on the case synthesis."),
    # --- issue 17: the publicity board (公示栏) record joined to the 12345 log
    Criterion("P6", "complaints_published_odds",
              "diagnostic: odds ratio of calling 12345, outcome posted on the publicity board with its reasons vs "
              "not, among informed households not heard on the matter whose side lost on it and whom it concerns "
              "a lot (within outcome classes and age groups; not scored)",
              _complaints_published_odds, lo=0.0, hi=1.0 - 1e-9, direction=True, scored=False,
              data=f"{HOTLINE} x {BOARD} x {SIGNIN} x {VOTES} x {SURVEY}",
              source="Not scored: the baseline's records are too few to show it (pooled odds ratio 0.873, interval "
                     "0.705-1.081, over 20 runs of 2,000 households, about 550 calls by unheard losers who care a "
                     "lot; 1.136 without publication_voice; at master seeds 1-5 0.853, 1.126, 0.735 [0.591, 0.914], "
                     "1.111, 0.875: the interval lies below 1 at 1 of 6 seeds), a finding about the power of one "
                     "community's two years of records, reported in docs/validation.md, not a band to widen. "
                     "de Fine Licht, Naurin, Esaiasson & Gilljam 2014 (Governance 27: 111-134; vignette "
                     "experiments on representative decisions in schools): people informed of a decision that "
                     "affects them accept it more if they are given the reasons behind it, and decision makers "
                     "can gain legitimacy simply by justifying a decision carefully afterwards. Direction: among "
                     "losers who were not heard, a posted decision with its reasons is accepted more, so fewer "
                     "call the hotline (odds ratio below 1). Within outcome classes, since a committee may post "
                     "its successes more readily; the study reports no size for calls, so only the direction "
                     "is scored (Grimmelikhuijsen et al. 2013 find transparency's effect on general trust "
                     "subdued, which is why trust is not the observable here)."),
    # --- issue 17: owners' vote records by floor (diagnostic; docs/validation.md, "Owners' vote records by floor")
    Criterion("P5", "elevator_approval_by_floor",
              "diagnostic: approval of an elevator retrofit in the owners' written votes, floors 3 and up minus "
              "floors 1-2 (vote records by flat; not scored)",
              _elevator_approval_by_floor, lo=1e-9, hi=1.0, percent=True, direction=True, scored=False,
              data=f"{VOTES} (by flat, hence floor)",
              source="Not scored: the baseline shows it (floors 1-2 approve far less), but so does every "
                     "knock-out of the retrofit's terms (payments in the stakes, floor-weighted shares, "
                     "compensation of floors 1-2), so it decides nothing about them; the sources give a "
                     "direction, no size. Xinhua, 26 March 2018, 'New elevators raise China's old buildings to new "
                     "level' (a volunteer of a Guangzhou lift office): opposition comes mainly from residents on "
                     "lower floors and mostly concerns safety, fees and noise; Global Times, 30 October 2018, from "
                     "Beijing Evening News (Tiantan Dongli, Dongcheng): those on the first and second floors were "
                     "worried about noise; Zhou, Liu & Yang, 'Premium effect and compensation mechanism for "
                     "installing elevators in old residential buildings in China' (2,133 resales in Shanghai's "
                     "Hongkou district, 2020): the third floor is the critical floor for cost-benefit conversion, "
                     "floors below it gain least in convenience and price premium. Direction: floors 3 and up "
                     "approve more (above 0); the upper end is the scale's."),
    # --- issue 17 (sign-in sheets across meetings, survey panel) ---
    Criterion("P5", "skills_gain_attended",
              "change in civic skills from the wave-1 survey to the end of the study, households who signed in to "
              "a topic's meetings minus those in its scope who did not (panel; 0-1 scale)",
              _skills_gain_attended, lo=1e-9, hi=0.5, direction=True,
              data=f"{SURVEY} (wave 1 and end of study) x {SIGNIN}",
              source="The educative effect of participation (Pateman 1970, Participation and Democratic Theory): "
                     "taking part is practice. Panel surveys of deliberative forums find participants gaining: "
                     "Knobloch & Gastil 2015 (Politics 35: 183-200; the 2009 Australian Citizens' Parliament and "
                     "the 2010 Oregon Citizens' Initiative Review) report increases in participants' deliberative "
                     "and internal efficacy (their confidence in their own competence to take part) after the "
                     "forums; Boulianne, Chen & Kahane 2020 (Politics, doi 10.1177/0263395720902982) follow a "
                     "citizens' panel in Edmonton over three waves and report rising political knowledge and civic "
                     "engagement. Direction: those who sign in gain civic skills relative to those who do not "
                     "(above 0); the sources give no size for neighbourhood meetings. Assumption: by less than "
                     "half the scale."),
)


@dataclass(frozen=True)
class Knockout:
    """A degenerate variant of the model: parameter overrides that switch one mechanism off."""

    name: str
    description: str
    overrides: Mapping[str, Any]


def _knockouts() -> dict[str, Knockout]:
    """The registry's off-switches that validation must reject (registry order)."""
    from consultsim.core.mechanisms import MECHANISMS, expected_visible

    return {m.name: Knockout(m.name, m.description, m.off) for m in MECHANISMS.values()
            if m.name in expected_visible()}


#: Each must fail at least one scored criterion while the baseline passes all
#: (tests/test_mechanisms_registry.py): the registry's visible off-switches.
KNOCKOUTS: dict[str, Knockout] = _knockouts()


def structure_scenario(base, name: str):
    """The scenario ``base`` with the structure mechanism ``name`` acts in (its registry ``structure``: e.g.
    an owners' committee), named after the structure; ``base`` itself if the mechanism has none."""
    from consultsim.core.mechanisms import MECHANISMS

    st = MECHANISMS[name].structure
    if not st:
        return base
    label = "+".join(f"{k}={v}" for k, v in st.items())
    return dataclasses.replace(base.with_overrides(**st), name=f"{base.name}+{label}",
                               description=f"{base.description} (with {label})")


def knockout_scenario(base, name: str):
    """The scenario ``base`` with mechanism ``name``'s off-switch, named after the mechanism."""
    from consultsim.core.mechanisms import MECHANISMS

    m = MECHANISMS[name]
    return dataclasses.replace(base.with_overrides(**m.off), name=name, description=m.description)


def _runs(comp: Comparison, label: str) -> dict[int, tuple[pd.DataFrame, pd.DataFrame]]:
    ts_all = comp.timeseries[comp.timeseries["scenario"] == label]
    tp_all = comp.topics[comp.topics["scenario"] == label] if len(comp.topics) else comp.topics
    return {int(r): (ts.reset_index(drop=True), tp_all[tp_all["replicate"] == r] if len(tp_all) else tp_all)
            for r, ts in ts_all.groupby("replicate", sort=True)}


def count_columns(c: Criterion, per_run: pd.DataFrame) -> list[str]:
    """The columns of ``per_run`` that hold a pooled criterion's record totals (``<name>#0``, ...)."""
    return sorted((k for k in per_run.columns if str(k).startswith(f"{c.name}#")), key=lambda k: int(k.split("#")[1]))


def measure_run(run: Run, criteria: Sequence[Criterion] = CRITERIA) -> dict[str, float]:
    """One run's value of every criterion and, for a pooled one, its record totals (``<name>#<i>``)."""
    row: dict[str, float] = {}
    for c in criteria:
        if isinstance(c.fn, Pooled):
            counts = np.asarray(c.fn.counts(run), dtype=float)
            row[c.name] = float(c.fn.stat(counts))
            row.update({f"{c.name}#{i}": float(v) for i, v in enumerate(counts)})
        else:
            row[c.name] = c.fn(run)
    return row


def measure(comp: Comparison, criteria: Sequence[Criterion] = CRITERIA, scenario: str | None = None,
            ) -> pd.DataFrame:
    """Per-run values of every criterion: one row per replicate, one column per criterion name, and the
    record totals of each pooled criterion (columns ``<name>#0``, ``<name>#1``, ...)."""
    label = scenario or comp.labels[0]
    rows = []
    for rep, (ts, tp) in _runs(comp, label).items():
        rows.append({"replicate": rep, **measure_run(Run(ts, tp), criteria)})
    return pd.DataFrame(rows)


def evaluate(per_run: pd.DataFrame, criteria: Sequence[Criterion] = CRITERIA) -> pd.DataFrame:
    """Table: pattern, name, criterion, band, mean, ci_low, ci_high, n, pass_rate, passed, judged, fewest_events,
    percent, scored, pooled, run_mean.

    ``mean`` is the criterion's value over all runs: for a pooled criterion (its record totals in
    ``per_run``, from :func:`measure`) the statistic of the pooled records with an interval clustered by
    run (:func:`pooled_interval`); otherwise the mean of the per-run values with a t interval.
    ``run_mean`` is the plain mean of the per-run values, for comparison. ``passed`` judges ``mean`` (for
    a direction-only criterion, its 95% interval: :meth:`Criterion.judge`); ``pass_rate`` is the share of
    single runs whose own value lies in the band (what one community would show). ``judged`` is False where
    a direction (judged on its interval) is pooled from a share, gap or rate of events holding fewer than
    :data:`MIN_EVENTS` events or non-events (``fewest_events``, the smallest of them): too few records to
    judge, so ``passed`` is False and :func:`failed_criteria` leaves it out (it neither passes nor fails)."""
    rows = []
    for c in criteria:
        values = per_run[c.name].to_numpy(float)
        cols = count_columns(c, per_run) if isinstance(c.fn, Pooled) else []
        judged, fewest = True, math.nan
        if cols:
            counts = per_run[cols].to_numpy(float)
            mean, lo, hi, n = pooled_interval(counts, c.fn.stat, c.fn.log)
            totals = counts[np.isfinite(counts).all(axis=1)].sum(axis=0)
            fewest = fewest_events(c.fn, totals)
            # only a direction is judged on its interval (Criterion.judge), so only there does the interval's
            # condition decide whether a verdict can be drawn; a band judged on its mean (pm_presence 0 of 275
            # meetings against a band from 5%) is outside or inside it however the interval is built
            judged = not (c.direction and too_few_records(c.fn, totals))
        else:
            mean, lo, hi, n = t_interval(values)
        finite = values[np.isfinite(values)]
        rate = float(np.mean([c.passes(v) for v in values])) if len(values) else math.nan
        rows.append({"pattern": c.pattern, "name": c.name, "criterion": c.text, "band": c.band(), "mean": mean,
                     "ci_low": lo, "ci_high": hi, "n": n, "pass_rate": rate,
                     "passed": judged and c.judge(mean, lo, hi), "judged": judged, "fewest_events": fewest,
                     "percent": c.percent, "scored": c.scored, "pooled": bool(cols),
                     "run_mean": float(finite.mean()) if len(finite) else math.nan})
    return pd.DataFrame(rows)


def judged(row: Any) -> bool:
    """Whether a row of an :func:`evaluate` table has enough records for a verdict (tables written before the
    ``judged`` column have it for every row)."""
    v = row.get("judged", True) if hasattr(row, "get") else getattr(row, "judged", True)
    return bool(True if v is None or (isinstance(v, float) and math.isnan(v)) else v)


def failed_criteria(table: pd.DataFrame) -> list[str]:
    """Names of the scored criteria that fail in an :func:`evaluate` table (not those with too few records to
    judge, :data:`MIN_EVENTS`: they neither pass nor fail)."""
    return [r.name for r in table.itertuples() if r.scored and judged(r) and not r.passed]


def too_few_criteria(table: pd.DataFrame) -> list[str]:
    """Names of the scored criteria of an :func:`evaluate` table with too few records to judge."""
    return [r.name for r in table.itertuples() if r.scored and not judged(r)]


def _compare(scenarios: Sequence[Any], criteria: Sequence[Criterion], *, replicates: int, steps: int,
             seed: int | None, workers: int | None, progress: bool) -> tuple[dict[str, pd.DataFrame], Comparison]:
    from consultsim.running.scenarios import resolve_scenario

    scs = [resolve_scenario(s) for s in scenarios]
    comp = run_comparison(scs, replicates=replicates, steps=steps, seed=seed, workers=workers,
                          progress=progress)
    return {sc.name: evaluate(measure(comp, criteria, sc.name), criteria) for sc in scs}, comp


def validate(scenario="baseline", *, replicates: int = 20, steps: int = 104, seed: int | None = 20261127,
             workers: int | None = None, progress: bool = True, criteria: Sequence[Criterion] = CRITERIA,
             ) -> tuple[pd.DataFrame, Comparison]:
    """Run ``scenario`` ``replicates`` times and evaluate every criterion."""
    from consultsim.running.scenarios import resolve_scenario

    sc = resolve_scenario(scenario)
    tables, comp = _compare([sc], criteria, replicates=replicates, steps=steps, seed=seed, workers=workers,
                            progress=progress)
    return tables[sc.name], comp


def validate_knockouts(base="baseline", names: Sequence[str] | None = None, *, replicates: int = 20,
                       steps: int = 104, seed: int | None = 20261127, workers: int | None = None,
                       progress: bool = True, criteria: Sequence[Criterion] = CRITERIA,
                       ) -> tuple[dict[str, pd.DataFrame], Comparison]:
    """Evaluate ``base`` and each knock-out of it (all of :data:`KNOCKOUTS` by default; any registered
    mechanism by name) with common random numbers.

    Returns {label: evaluate() table}, the base scenario's label first."""
    from consultsim.running.scenarios import resolve_scenario

    sc = resolve_scenario(base)
    names = list(KNOCKOUTS) if names is None else list(names)
    return _compare([sc, *(knockout_scenario(sc, n) for n in names)], criteria, replicates=replicates,
                    steps=steps, seed=seed, workers=workers, progress=progress)


def _fmt(v: float, percent: bool) -> str:
    if not math.isfinite(v):
        return "n/a"
    return f"{100 * v:.1f}%" if percent else f"{v:.3f}"


def _width(text: str) -> int:
    """Columns a string takes in a terminal: Chinese characters take two."""
    import unicodedata
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def _grid(rows: list[tuple[str, ...]]) -> str:
    w = [max(_width(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(cell + " " * (w[i] - _width(cell)) for i, cell in enumerate(row)).rstrip() for row in rows]
    lines.insert(1, "  ".join("-" * x for x in w))
    return "\n".join(lines)


def band_text(band: str, lang: str = "en") -> str:
    """A band as :meth:`Criterion.band` writes it, in ``lang`` (validate's and district validate's tables)."""
    if lang == "en":
        return band
    from consultsim.i18n import tr

    return (band.replace(" (95% interval)", tr("val.interval_note", lang)).replace(" to ", f" {tr('val.to', lang)} ")
            .replace("<=", "≤").replace(">=", "≥").replace(", ", "，"))


def format_table(table: pd.DataFrame, lang: str = "en") -> str:
    """Plain-text table: pattern, criterion, band, measured mean [95% interval], share of single runs in
    the band, PASS/FAIL (judged on the mean); in ``lang`` (the catalogue's val.* and crit.<name> lines)."""
    from consultsim.i18n import tr

    na = tr("cli.na", lang)
    rows = [tuple(tr("val.head", lang).split("|"))]
    for r in table.itertuples():
        val = f"{_fmt(r.mean, r.percent)} [{_fmt(r.ci_low, r.percent)}, {_fmt(r.ci_high, r.percent)}]"
        rate = f"{100 * r.pass_rate:.0f}%" if math.isfinite(r.pass_rate) else "n/a"
        if not judged(r):
            result = "val.too_few"
        else:
            result = ("val.pass" if r.passed else "val.fail") if r.scored else \
                ("val.holds" if r.passed else "val.not_holds")
        text = r.criterion if lang == "en" else (tr(f"crit.{r.name}", lang) or r.criterion)
        band = band_text(r.band, lang)
        rows.append((r.pattern, text, band, val.replace("n/a", na), rate.replace("n/a", na), tr(result, lang)))
    return _grid(rows)


def format_knockouts(tables: Mapping[str, pd.DataFrame], lang: str = "en") -> str:
    """Plain-text table: variant, verdict, scored criteria it fails (the first row is the reference)."""
    from consultsim.i18n import tr

    rows = [tuple(tr("val.knock_head", lang).split("|"))]
    for i, (label, table) in enumerate(tables.items()):
        failed = failed_criteria(table)
        if i == 0:
            verdict = tr("val.ref_pass" if not failed else "val.ref_fail", lang)
        else:
            verdict = tr("val.rejected" if failed else "val.accepted", lang)
        rows.append((label, verdict, ", ".join(failed) or "-"))
    return _grid(rows)


def criteria_markdown(criteria: Sequence[Criterion] = CRITERIA) -> str:
    """The criteria as a Markdown table (pattern, name, criterion, band, source) for docs/validation.md."""
    lines = ["| pattern | name | criterion | field records | band | source of the band |",
             "|---|---|---|---|---|---|"]
    for c in criteria:
        pattern = c.pattern if c.scored else f"{c.pattern} (not scored)"
        lines.append(f"| {pattern} | `{c.name}` | {c.text} | {c.data} | {c.band()} | {c.source} |")
    return "\n".join(lines)


def knockouts_markdown(tables: Mapping[str, pd.DataFrame] | None = None) -> str:
    """The knock-outs as a Markdown table; with ``tables`` (from :func:`validate_knockouts`), the
    scored criteria each fails."""
    head = "| variant | what it switches off | overrides |" + (" scored criteria it fails |" if tables else "")
    lines = [head, "|---|---|---|" + ("---|" if tables else "")]
    for k in KNOCKOUTS.values():
        if tables and k.name not in tables:
            continue
        ov = ", ".join(f"`{n} = {v:g}`" if isinstance(v, float) else f"`{n} = {v}`" for n, v in k.overrides.items())
        row = f"| `{k.name}` | {k.description} | {ov} |"
        if tables:
            row += " " + (", ".join(f"`{n}`" for n in failed_criteria(tables[k.name])) or "**none**") + " |"
        lines.append(row)
    return "\n".join(lines)
