"""``evaluate(params, seed) -> outcomes``: ConsultSim as a plain function, for SALib, EMA Workbench and friends.

Samplers hand over what they produce, not what a scenario file would hold,
so values are normalised before the model's own checks (:func:`sampler_value`):

- NumPy scalars (``numpy.float64``, ``numpy.int64``, ``numpy.bool_``) become
  the Python value they hold;
- an **integer** parameter given a float is rounded to the nearest integer,
  halves up (2.37 -> 2, 2.5 -> 3, 2.49999 -> 2), then range-checked;
- a **boolean** parameter given a number takes ``x >= 0.5`` as true (so a
  [0, 1] range in SALib switches it half of the time);
- everything else goes through the model's parameter checks unchanged
  (a number outside its allowed range raises :class:`~consultsim.core.params.ParamError`).

The outcomes are the named metrics (:data:`consultsim.core.metric_names.METRICS`)
at the last week, at a chosen ``week``, or averaged over a ``window`` of weeks
(``(first, last)``, inclusive; weeks where a metric is undefined, such as a
share of attendees when nobody attended, are left out of the mean; a metric
undefined throughout is NaN).

Examples (docs/scaling.md, "ConsultSim from other tools", has them in full)::

    import consultsim
    consultsim.evaluate({"incentive_per_meeting": 20, "social_workers": 2.37}, seed=1, steps=52,
                        outcomes=["participation_rate", "implementation_rate"])
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from consultsim.core.metric_names import METRICS
from consultsim.core.params import ParamError, param_info

__all__ = ["evaluate", "sampler_value"]


def sampler_value(name: str, value: Any) -> Any:
    """``value`` for parameter ``name`` as the model expects it (rules in the module docstring)."""
    f = param_info(name)
    kind = f.type if isinstance(f.type, str) else f.type.__name__
    if isinstance(value, np.generic):
        value = value.item()
    if kind == "int" and isinstance(value, float) and math.isfinite(value):
        whole = math.floor(value)
        return whole + (1 if value - whole >= 0.5 else 0)  # exact: floor(value + 0.5) rounds 0.49999999999999994 up
    if kind == "bool" and isinstance(value, (int, float)) and not isinstance(value, bool):
        if not 0.0 <= value <= 1.0:
            raise ParamError(f"{name} = {value!r}: expected true or false (or a number in [0, 1])")
        return value >= 0.5
    return value


def _seed(seed: Any) -> int:
    if isinstance(seed, np.generic):
        seed = seed.item()
    if isinstance(seed, float) and seed.is_integer():
        seed = int(seed)
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise ParamError(f"seed = {seed!r}: expected a whole number >= 0")
    return seed


def evaluate(params: Mapping[str, Any], seed: int, steps: int = 104, outcomes: Sequence[str] | None = None, *,
             scenario: str | Path | Any = "baseline", week: int | None = None,
             window: tuple[int, int] | None = None) -> dict[str, float]:
    """Run ConsultSim once and return ``{outcome: value}``.

    ``params`` overrides the ``scenario`` (default: the shipped baseline);
    ``outcomes`` defaults to every metric; ``week`` or ``window`` choose when
    the outcomes are read (default: the last week).
    """
    from consultsim.running.runner import simulate

    overrides = {name: sampler_value(name, v) for name, v in dict(params).items()}
    names = list(METRICS) if outcomes is None else [str(o) for o in outcomes]
    unknown = [o for o in names if o not in METRICS]
    if unknown:
        raise ParamError(f"unknown outcome {unknown[0]!r}; outcomes are the metric names in "
                         "consultsim.core.metric_names.METRICS")
    steps = int(steps)
    if week is not None and window is not None:
        raise ParamError("give week or window, not both")
    if week is not None and not 0 <= int(week) <= steps:
        raise ParamError(f"week = {week}: expected 0..{steps}")
    if window is not None and not (0 <= int(window[0]) <= int(window[1]) <= steps):
        raise ParamError(f"window = {window}: expected (first, last) with 0 <= first <= last <= {steps}")
    ts = simulate(scenario, seed=_seed(seed), steps=steps, overrides=overrides).timeseries
    if window is not None:
        rows = ts[(ts["step"] >= int(window[0])) & (ts["step"] <= int(window[1]))]
        with np.errstate(all="ignore"):
            return {o: float(rows[o].mean()) for o in names}  # pandas skips NaN weeks
    row = ts[ts["step"] == (steps if week is None else int(week))].iloc[0]
    return {o: float(row[o]) for o in names}
