"""One value per run and outcome, at a chosen week or averaged over a window of weeks.

A sweep keeps its metrics every ``collect_every`` weeks (and the last week);
analyses read them per run:

- ``week=None, window=None``: the last kept week of each run (the default);
- ``week=W``: week W, which must be a kept week;
- ``window=(A, B)``: the mean over the kept weeks A..B (inclusive).

A metric can be undefined in a week (a share of attendees when nobody
attended is NaN). The mean over a window skips undefined weeks; a run whose
value is undefined in every week of the window (or at the chosen week) keeps
NaN, and :func:`undefined_counts` says how many runs that is per metric, so
analyses drop those runs for that metric only and report it.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from consultsim.sweeps.experiments import ExperimentError

__all__ = ["run_outcomes", "undefined_counts", "parse_when", "describe_when"]


def parse_when(week: int | None, window: str | Sequence[int] | None) -> tuple[int | None, tuple[int, int] | None]:
    """Check ``week`` / ``window`` (``"A:B"`` or a pair) as given on a command line."""
    if week is not None and window is not None:
        raise ExperimentError("give --week or --window, not both")
    if week is not None and week < 0:
        raise ExperimentError(f"--week {week}: expected a week >= 0")
    if window is None:
        return week, None
    try:
        a, b = (int(x) for x in (window.split(":") if isinstance(window, str) else window))
    except (TypeError, ValueError):
        raise ExperimentError(f"--window {window!r}: expected FIRST:LAST, e.g. 52:104") from None
    if not 0 <= a <= b:
        raise ExperimentError(f"--window {window!r}: expected 0 <= FIRST <= LAST")
    return None, (a, b)


def describe_when(week: int | None, window: tuple[int, int] | None, last: int) -> str:
    if window:
        return f"mean of weeks {window[0]}-{window[1]}"
    return f"week {week if week is not None else last}"


def run_outcomes(results: pd.DataFrame, metrics: Sequence[str], week: int | None = None,
                 window: tuple[int, int] | None = None) -> pd.DataFrame:
    """One row per run (indexed by run_id): the run's columns other than ``step``, then ``metrics``."""
    metrics = list(metrics)
    steps = sorted(results["step"].unique())
    if window is not None:
        a, b = window
        if b > steps[-1]:
            raise ExperimentError(f"--window {a}:{b}: the runs end at week {int(steps[-1])}; choose a window "
                                  f"within 0:{int(steps[-1])}")
        sel = results[(results["step"] >= a) & (results["step"] <= b)]
        if sel.empty:
            raise ExperimentError(f"no kept week in {a}..{b} (kept weeks: {_weeks(steps)})")
        values = sel.groupby("run_id")[metrics].mean()  # skips NaN weeks
    elif week is not None:
        if week not in steps:
            raise ExperimentError(f"week {week} was not kept (kept weeks: {_weeks(steps)}; "
                                  "see collect_every in the experiment file)")
        values = results[results["step"] == week].set_index("run_id")[metrics]
    else:
        last = results[results["step"] == results.groupby("run_id")["step"].transform("max")]
        values = last.set_index("run_id")[metrics]
    info = results.drop(columns=["step", *metrics]).drop_duplicates("run_id").set_index("run_id")
    return info.join(values, how="inner")


def undefined_counts(outcomes: pd.DataFrame, metrics: Sequence[str]) -> dict[str, int]:
    """Runs whose value is undefined (NaN), per metric that has any."""
    n = outcomes[list(metrics)].isna().sum()
    return {m: int(k) for m, k in n.items() if k}


def _weeks(steps: list) -> str:
    s = [int(x) for x in steps]
    return ", ".join(map(str, s)) if len(s) <= 8 else f"{s[0]}, {s[1]}, ..., {s[-1]}"
