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
  (a number outside its allowed range raises :class:`~consultsim.core.params.ParamError`);
  NaN and infinities are refused for every parameter.

The call's own arguments are checked as strictly as the command line's options, with the same
limits (:mod:`consultsim.running.inputs`): ``steps`` a whole number (an ``int`` or NumPy integer,
not ``2.7``, ``"3"`` or ``True``) in 1..5,200, ``seed`` a whole number in 0..2**63-1, ``outcomes``
a non-empty list of metric names (a single name as a string is refused, not read letter by
letter), ``week`` a whole number in 0..steps and ``window`` a pair of them; anything else raises
:class:`~consultsim.core.params.ParamError` naming the argument.

:func:`evaluate_batch` runs many samples (a SALib or EMA Workbench design): a sample that raises
is recorded as failed (its outcomes NaN, the error kept) and the batch goes on.

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
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from consultsim.core.metric_names import METRICS
from consultsim.core.params import ParamError, param_info
from consultsim.core.scenario import ScenarioError
from consultsim.errors import UsageError

__all__ = ["evaluate", "evaluate_batch", "sampler_value", "check_call"]


def sampler_value(name: str, value: Any) -> Any:
    """``value`` for parameter ``name`` as the model expects it (rules in the module docstring)."""
    f = param_info(name)
    kind = f.type if isinstance(f.type, str) else f.type.__name__
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        raise ParamError(f"{name} = {value!r}: expected a finite number")
    if kind == "int" and isinstance(value, float):
        whole = math.floor(value)
        return whole + (1 if value - whole >= 0.5 else 0)  # exact: floor(value + 0.5) rounds 0.49999999999999994 up
    if kind == "bool" and isinstance(value, (int, float)) and not isinstance(value, bool):
        if not 0.0 <= value <= 1.0:
            raise ParamError(f"{name} = {value!r}: expected true or false (or a number in [0, 1])")
        return value >= 0.5
    return value


def _whole(what: str, value: Any, lo: int, hi: int) -> int:
    """A whole number in [lo, hi]: ``int`` or a NumPy integer, not a float, text or bool."""
    if isinstance(value, np.integer):
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise ParamError(f"{what} = {value!r}: expected a whole number (an int), not {type(value).__name__}")
    if not lo <= value <= hi:
        raise ParamError(f"{what} = {value}: expected {lo}..{hi:,}")
    return value


def _seed(seed: Any) -> int:
    from consultsim.running.inputs import MAX_SEED

    if isinstance(seed, np.generic):
        seed = seed.item()
    if isinstance(seed, float) and seed.is_integer():  # samplers hand seeds over as floats
        seed = int(seed)
    if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed <= MAX_SEED:
        raise ParamError(f"seed = {seed!r}: expected a whole number in 0..2**63-1")
    return seed


def check_call(params: Any, seed: Any, steps: Any, outcomes: Any, week: Any, window: Any):
    """The arguments of :func:`evaluate`, checked; returns (overrides, seed, steps, names, week, window)."""
    from consultsim.running.inputs import MAX_STEPS

    if not isinstance(params, Mapping):
        raise ParamError(f"params = {params!r}: expected a mapping of parameter names to values")
    overrides = {}
    for name, v in params.items():
        if not isinstance(name, str):
            raise ParamError(f"params: key {name!r}: expected a parameter name")
        overrides[name] = sampler_value(name, v)
    steps = _whole("steps", steps, 1, MAX_STEPS)
    if outcomes is None:
        names = list(METRICS)
    else:
        if isinstance(outcomes, (str, bytes, Mapping)) or not isinstance(outcomes, Iterable):
            raise ParamError(f"outcomes = {outcomes!r}: expected a list of metric names, e.g. "
                             f"[{str(outcomes)!r}]" if isinstance(outcomes, str) else
                             f"outcomes = {outcomes!r}: expected a list of metric names")
        names = list(outcomes)
        if not names:
            raise ParamError("outcomes = []: expected at least one metric name (or None for all)")
        bad = [o for o in names if not isinstance(o, str)]
        if bad:
            raise ParamError(f"outcomes: {bad[0]!r} is not a metric name")
    unknown = [o for o in names if o not in METRICS]
    if unknown:
        raise ParamError(f"unknown outcome {unknown[0]!r}; outcomes are the metric names in "
                         "consultsim.core.metric_names.METRICS")
    if week is not None and window is not None:
        raise ParamError("give week or window, not both")
    if week is not None:
        week = _whole("week", week, 0, steps)
    if window is not None:
        if isinstance(window, (str, bytes)) or not isinstance(window, Sequence) or len(window) != 2:
            raise ParamError(f"window = {window!r}: expected (first, last)")
        a, b = _whole("window first", window[0], 0, steps), _whole("window last", window[1], 0, steps)
        if a > b:
            raise ParamError(f"window = {tuple(window)}: expected (first, last) with first <= last")
        window = (a, b)
    return overrides, _seed(seed), steps, names, week, window


def _scenario(scenario: Any, overrides: dict[str, Any]):
    """The scenario with ``overrides`` applied; a bad scenario or value is :class:`ParamError` naming it
    (the model's own checks: exact types, allowed ranges, shares that must sum)."""
    from consultsim.core.params import Params
    from consultsim.core.scenario import Scenario
    from consultsim.running.scenarios import resolve_scenario

    if (scenario is not None and not isinstance(scenario, (str, Path, Scenario, Params))) or \
            (isinstance(scenario, str) and not scenario.strip()):
        raise ParamError(f"scenario = {scenario!r}: expected a shipped scenario's name, a scenario file or a "
                         "Scenario")
    try:
        sc = resolve_scenario(scenario)
    except (ScenarioError, UsageError) as e:
        raise ParamError(f"scenario: {e}") from None
    try:
        return sc.with_overrides(**overrides) if overrides else sc
    except ScenarioError as e:  # "override: supervision = '0.5': expected a number in [0, 1]"
        raise ParamError(str(e).removeprefix("override: ")) from None


def evaluate(params: Mapping[str, Any], seed: int, steps: int = 104, outcomes: Sequence[str] | None = None, *,
             scenario: str | Path | Any = "baseline", week: int | None = None,
             window: tuple[int, int] | None = None) -> dict[str, float]:
    """Run ConsultSim once and return ``{outcome: value}``.

    ``params`` overrides the ``scenario`` (default: the shipped baseline);
    ``outcomes`` defaults to every metric; ``week`` or ``window`` choose when
    the outcomes are read (default: the last week). Every argument is checked first
    (:func:`check_call`); a bad one raises :class:`ParamError` naming it.
    """
    from consultsim.running.network_files import apply_network
    from consultsim.running.runner import simulate

    overrides, seed, steps, names, week, window = check_call(params, seed, steps, outcomes, week, window)
    sc = _scenario(scenario, overrides)
    try:
        sc, net = apply_network(sc)
    except (ScenarioError, UsageError) as e:
        raise ParamError(f"scenario: {e}") from None
    ts = simulate(sc, seed=seed, steps=steps, network=net.edges if net is not None else None).timeseries
    if window is not None:
        rows = ts[(ts["step"] >= window[0]) & (ts["step"] <= window[1])]
        with np.errstate(all="ignore"):
            return {o: float(rows[o].mean()) for o in names}  # pandas skips NaN weeks
    row = ts[ts["step"] == (steps if week is None else week)].iloc[0]
    return {o: float(row[o]) for o in names}


def evaluate_batch(samples: Iterable[Mapping[str, Any]], seeds: Iterable[int] | int, steps: int = 104,
                   outcomes: Sequence[str] | None = None, **kwargs: Any) -> list[dict[str, Any]]:
    """:func:`evaluate` for each sample of a batch (a SALib matrix turned into dicts, EMA's experiments).

    ``seeds``: one per sample, or one for all. A sample that fails (a value out of range, any error in
    the run) does not stop the batch: its row holds NaN for every outcome, ``ok=False`` and the error
    as ``error``; a good row has ``ok=True`` and ``error=""``. Returns one row per sample, in order.
    """
    samples = list(samples)
    seeds = [seeds] * len(samples) if isinstance(seeds, (int, np.integer)) else list(seeds)
    if len(seeds) != len(samples):
        raise ParamError(f"seeds: {len(seeds)} seeds for {len(samples)} samples")
    names = list(METRICS) if outcomes is None else check_call({}, 0, 1, outcomes, None, None)[3]
    rows = []
    for sample, seed in zip(samples, seeds):
        try:
            out = evaluate(sample, seed, steps, names, **kwargs)
            rows.append({**out, "ok": True, "error": ""})
        except Exception as e:  # noqa: BLE001 - one bad sample is recorded, the batch goes on
            rows.append({**{o: math.nan for o in names}, "ok": False, "error": f"{type(e).__name__}: {e}"})
    return rows
