"""Experiment files: what to vary, how to sample it, how often to run it, what to keep.

An experiment file (TOML, in ``experiments/``) plays the role of a NetLogo
BehaviorSpace experiment, a Mesa ``batch_run`` call or an EMA Workbench
``perform_experiments`` set-up::

    name = "lever_grid"
    description = "Incentive points x training sessions."
    scenario = "baseline"        # a file relative to this one, or a name in scenarios/
    seed = 20240601              # master seed; every run seed derives from it (SeedSequence)
    replicates = 5               # runs per parameter sample, with different seeds
    steps = 104                  # weeks per run
    metrics = ["participation_rate", "implemented"]   # or "all" (names of consultsim.core.metric_names.METRICS)
    collect_every = 4            # keep every 4th week (and the last), or "final" for the last week only

    [sampler]
    method = "grid"              # grid | lhs | sobol | morris
    levels = 5                   # grid: points per range; morris: levels of its grid
    # n = 256                    # lhs: samples; sobol: base sample N (a power of 2)
    # trajectories = 20          # morris: trajectories

    [parameters]
    n_residents = 300                                # a scalar: the same in every run
    incentive_per_meeting = [0, 10, 20, 40]          # a list: these values
    b0 = { low = -4.0, high = -2.5 }                 # a table: a range, sampled
    learning_rate = { low = 0.05, high = 0.5, log = true }
    training_sessions_per_quarter = { low = 0, high = 6, integer = true }

Levers and uncertainties (EMA Workbench's vocabulary): ``[levers]`` holds
what policy controls, ``[uncertainties]`` what nobody controls; both take
the same entries as ``[parameters]`` and may be used instead of it or beside
it. A parameter varied under ``[parameters]`` is a lever when it belongs to
a lever section of :mod:`consultsim.core.params` (policy, idea, practice)
and an uncertainty otherwise. Roles only label the parameters (``consultsim
discover`` reports which lever mixes work across which worlds); they do not
change the runs or the fingerprint.

``model = "ishigami"`` replaces the ConsultSim model by another *registered* model: a function
with the signature of :func:`consultsim.running.runner.simulate` (this is how the sensitivity
machinery is checked on the Ishigami function); then parameter and metric names are the
function's own. The registry (:func:`registered_models`) is the fixed list :data:`MODELS` plus
the entry points of the group ``consultsim.models`` that installed packages declare; an
experiment file can never name an arbitrary importable callable (``model = "os:getcwd"``
is refused), since an experiment file is data, not code.

Ranges are sampled on the unit hypercube and mapped to values here
(linear, log-uniform, or equal-probability integers); a list given to a
sampler other than ``grid`` is a discrete uniform choice among its values.
Every mistake raises :class:`ExperimentError` (a :class:`UsageError`, so the
command line prints one line and exits 2) naming the file and the key.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import math
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from consultsim.core.metric_names import METRICS
from consultsim.core.params import PARAM_INFO, ParamError, allowed, coerce, suggest
from consultsim.errors import UsageError
from consultsim.running.inputs import MAX_REPLICATES, MAX_RUNS, MAX_SEED, MAX_STEPS
from consultsim.running.outputs import safe_name
from consultsim.running.scenarios import SCENARIO_DIR, Scenario, ScenarioError, read_toml, resolve_scenario
from consultsim.running.shipped import shipped_dir

__all__ = ["Experiment", "ExperimentError", "ParamSpec", "load_experiment", "SAMPLERS", "DEFAULT_MODEL",
           "EXPERIMENT_DIR", "MODELS", "registered_models", "ROLES"]

EXPERIMENT_DIR = shipped_dir("experiments")
SAMPLERS = ("grid", "lhs", "sobol", "morris")
DEFAULT_MODEL = "consultsim.running.runner:simulate"
_TOP_KEYS = {"constraints", "name", "description", "scenario", "model", "seed", "replicates", "steps", "metrics",
             "collect_every", "seeds", "runs_per_file", "sampler", "parameters", "levers", "uncertainties"}
ROLES = ("lever", "uncertainty")
_SAMPLER_KEYS = {"grid": {"method", "levels"}, "lhs": {"method", "n"},
                 "sobol": {"method", "n", "second_order"}, "morris": {"method", "trajectories", "levels"}}
_RANGE_KEYS = {"low", "high", "log", "integer"}
MODELS = {"consultsim": DEFAULT_MODEL,
          "ishigami": "consultsim.sweeps.testfunctions:ishigami",
          "linear": "consultsim.sweeps.testfunctions:linear",
          "toy": "consultsim.sweeps.testfunctions:toy"}
ENTRY_POINT_GROUP = "consultsim.models"
MAX_SAMPLES = 1_000_000   # samples of one design (Sobol n, LHS n, grid points)


def registered_models() -> dict[str, str]:
    """Model name -> ``module:function``: the fixed list and the ``consultsim.models`` entry points."""
    from importlib.metadata import entry_points

    out = dict(MODELS)
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        out.setdefault(ep.name, ep.value)
    return out


def _model_ref(path: Path, model: Any) -> str:
    """The registered target of ``model`` (a registry name, or the target string itself)."""
    if not isinstance(model, str):
        raise ExperimentError(f"{path}: key 'model' must be a string naming a registered model")
    models = registered_models()
    if model in models:
        return models[model]
    if model in models.values():
        return model
    raise ExperimentError(f"{path}: key 'model' = {model!r}: not a registered model; choose one of "
                          f"{', '.join(sorted(models))} (packages register more under the entry-point "
                          f"group '{ENTRY_POINT_GROUP}')")


class ExperimentError(UsageError):
    """An experiment file is missing, malformed or asks for something impossible."""


@dataclass(frozen=True)
class ParamSpec:
    """How one parameter varies: ``kind`` is "values" (a list) or "range" (low/high)."""

    name: str
    kind: str
    values: tuple = ()
    low: float = 0.0
    high: float = 0.0
    log: bool = False
    integer: bool = False
    role: str = "uncertainty"          # "lever" or "uncertainty" (a label; not in the fingerprint)

    def from_unit(self, u: np.ndarray) -> list:
        """Map unit-interval coordinates to parameter values (vectorised)."""
        u = np.clip(np.asarray(u, dtype=float), 0.0, 1.0)
        if self.kind == "values":
            idx = np.minimum((u * len(self.values)).astype(int), len(self.values) - 1)
            return [self.values[i] for i in idx]
        if self.integer:  # each integer in [low, high] equally likely under a uniform u
            x = np.minimum(np.floor(self.low + u * (self.high - self.low + 1)), self.high)
            return [int(v) for v in x]
        if self.log:
            x = np.exp(math.log(self.low) + u * (math.log(self.high) - math.log(self.low)))
        else:
            x = self.low + u * (self.high - self.low)
        return [float(v) for v in x]

    def grid_values(self, levels: int | None) -> list:
        """The values a ``grid`` sampler visits."""
        if self.kind == "values":
            return list(self.values)
        u = np.linspace(0.0, 1.0, int(levels or 0))
        if self.integer:
            return sorted({int(round(self.low + t * (self.high - self.low))) for t in u})
        if self.log:
            return [float(v) for v in np.exp(np.linspace(math.log(self.low), math.log(self.high), len(u)))]
        return [float(v) for v in self.low + u * (self.high - self.low)]

    def to_dict(self) -> dict:
        if self.kind == "values":
            return {"values": list(self.values)}
        return {"low": self.low, "high": self.high, "log": self.log, "integer": self.integer}


@dataclass(frozen=True)
class Experiment:
    """A validated experiment (see the module docstring for the file format)."""

    name: str
    description: str
    path: Path | None
    model: str
    scenario: Scenario
    seed: int
    replicates: int
    steps: int
    metrics: tuple[str, ...]
    collect_every: int | None          # None = final step only
    method: str
    sampler: dict[str, Any]
    varied: tuple[ParamSpec, ...]
    constants: dict[str, Any] = field(default_factory=dict)
    seeds: str = "common"              # "common": replicate r uses the same seed for every sample
    runs_per_file: int = 100
    # Replicates added to a finished sweep (consultsim sweep --resume --add-replicates K) come as blocks:
    # (R, K, ...) with replicates = their sum; () means one block of `replicates`.
    replicate_blocks: tuple[int, ...] = ()
    constraints: tuple = ()            # [constraints]: consultsim.sweeps.constraints.Constraint, in file order

    @property
    def blocks(self) -> tuple[int, ...]:
        return self.replicate_blocks or (self.replicates,)

    def with_added_replicates(self, blocks: tuple[int, ...], more: int = 0) -> Experiment:
        """This experiment with the replicate blocks of an existing sweep, plus ``more`` replicates."""
        blocks = tuple(int(b) for b in blocks) + ((int(more),) if more else ())
        return dataclasses.replace(self, replicates=sum(blocks), replicate_blocks=blocks)

    @property
    def given_data(self) -> bool:
        """A Sobol or Morris experiment with [constraints]: its structured design (Saltelli's cross
        matrices, Morris' one-at-a-time trajectories) would put samples outside the constraints, so it runs
        the same number of samples drawn uniformly over the feasible set and estimates first-order indices
        from the given data (consultsim.sweeps.samplers, consultsim.analysis.sensitivity)."""
        return bool(self.constraints) and self.method in ("sobol", "morris")

    @property
    def is_consultsim(self) -> bool:
        return self.model == DEFAULT_MODEL

    @property
    def varied_names(self) -> list[str]:
        return [p.name for p in self.varied]

    @property
    def roles(self) -> dict[str, str]:
        """Varied parameter -> "lever" or "uncertainty"."""
        return {p.name: p.role for p in self.varied}

    def to_dict(self) -> dict:
        """The resolved experiment, JSON-ready (recorded in ``experiment.json``)."""
        return {
            "name": self.name, "description": self.description,
            "path": str(self.path) if self.path else None, "model": self.model,
            "scenario": {"name": self.scenario.name,
                         "path": str(self.scenario.path) if self.scenario.path else None,
                         "params": self.scenario.params.to_dict() if self.is_consultsim else {}},
            "seed": self.seed, "seeds": self.seeds, "replicates": self.replicates, "steps": self.steps,
            "metrics": list(self.metrics),
            "collect_every": "final" if self.collect_every is None else self.collect_every,
            "sampler": {"method": self.method, **self.sampler},
            "varied": self.varied_names,
            "parameters": {**{k: v for k, v in self.constants.items()},
                           **{p.name: p.to_dict() for p in self.varied}},
            "runs_per_file": self.runs_per_file,
            "roles": self.roles,
            "replicate_blocks": list(self.blocks),
            # only when given, so that sweeps written before constraints existed keep their fingerprint
            **({"constraints": {c.label: c.text for c in self.constraints}} if self.constraints else {}),
        }

    @property
    def recorded(self) -> tuple[str, ...]:
        """The metrics each run records: those asked for, then, for the ConsultSim model, every other
        named metric (:data:`consultsim.core.metric_names.METRICS`), so that asking a finished sweep for
        one of them later runs nothing again (docs/scaling.md, "Adding metrics"). Readers return only
        the metrics asked for."""
        if not self.is_consultsim:
            return self.metrics
        return self.metrics + tuple(m for m in METRICS if m not in self.metrics)

    def fingerprint(self) -> str:
        """A hash of everything that decides the results (not the name, paths or file size).

        The metrics are not in it: a run is a pure function of its parameters and seed, and the
        metrics only say which of its outputs are recorded, so a sweep asked for more metrics is
        the same experiment (``consultsim sweep --resume --add-metrics``; docs/scaling.md).
        """
        return self._hash(with_metrics=False)

    def legacy_fingerprint(self, metrics) -> str:
        """The fingerprint sweeps written before metrics left it recorded (with these ``metrics``)."""
        return dataclasses.replace(self, metrics=tuple(metrics))._hash(with_metrics=True)

    def _hash(self, with_metrics: bool) -> str:
        d = self.to_dict()
        for k in ("name", "description", "path", "runs_per_file", "roles", "replicate_blocks"):
            d.pop(k)
        if not with_metrics:
            d.pop("metrics")
        d["replicates"] = self.blocks[0]  # added replicates extend a sweep; they do not make another
        d["scenario"] = d["scenario"]["params"]
        blob = json.dumps(d, sort_keys=True, default=str, separators=(",", ":"))
        return hashlib.sha256(blob.encode()).hexdigest()[:16]


def _int(where: str, v: Any, lo: int = 1, hi: int = MAX_SAMPLES) -> int:
    if isinstance(v, bool) or not isinstance(v, int) or v < lo:
        raise ExperimentError(f"{where}: expected an integer >= {lo}, got {v!r}")
    if v > hi:
        raise ExperimentError(f"{where} = {v}: more than the limit of {hi:,}")
    return v


def _resolve_scenario(path: Path, value: Any) -> Scenario:
    where = f"{path}: key 'scenario'"
    if value is None:
        base = SCENARIO_DIR / "baseline.toml"
        return resolve_scenario(base) if base.exists() else Scenario()
    if not isinstance(value, str) or not value:
        raise ExperimentError(f"{where}: expected a scenario file or name, got {value!r}")
    candidate = (path.parent / value)
    if candidate.is_file():
        return resolve_scenario(candidate)
    if not Path(value).suffix and (SCENARIO_DIR / f"{value}.toml").is_file():
        return resolve_scenario(SCENARIO_DIR / f"{value}.toml")
    if value == "baseline":
        return Scenario()
    raise ExperimentError(f"{where}: no scenario {value!r} (not a file next to the experiment, "
                          f"nor a name in {SCENARIO_DIR})")


def _param_spec(path: Path, name: str, v: Any, consultsim: bool) -> ParamSpec | Any:
    """A ParamSpec for a list or a range table; the checked value itself for a scalar."""
    where = f"{path}: [parameters] {name}"
    f = PARAM_INFO.get(name)
    if consultsim and f is None:
        raise ExperimentError(f"{where}: unknown parameter{suggest(name)}")
    if not consultsim and not re.fullmatch(r"[A-Za-z_]\w*", name):
        raise ExperimentError(f"{where}: not a valid parameter name")

    def check(value):
        if not consultsim:
            if not isinstance(value, (int, float, str, bool)):
                raise ExperimentError(f"{where}: expected a number, string or boolean, got {value!r}")
            return value
        try:  # this value alone; combinations (e.g. shares summing over 1) fail at run time, recorded
            return coerce(f, value)
        except ParamError:
            raise ExperimentError(f"{where} = {value!r}: expected {allowed(f)}") from None

    if isinstance(v, list):
        if not v:
            raise ExperimentError(f"{where}: the list of values is empty")
        values = tuple(check(x) for x in v)
        if len(set(values)) != len(values):
            raise ExperimentError(f"{where}: the list of values has duplicates")
        return ParamSpec(name, "values", values=values)
    if isinstance(v, dict):
        extra = sorted(set(v) - _RANGE_KEYS)
        if extra:
            raise ExperimentError(f"{where}: unknown key {extra[0]!r} in a range; allowed: low, high, log, integer")
        if "low" not in v or "high" not in v:
            raise ExperimentError(f"{where}: a range needs both 'low' and 'high'")
        kind = (f.type if isinstance(f.type, str) else f.type.__name__) if f else "float"
        if kind in ("bool", "str"):
            raise ExperimentError(f"{where}: a {kind} parameter cannot take a range; give a list of values")
        for key in ("low", "high"):
            if isinstance(v[key], bool) or not isinstance(v[key], (int, float)):
                raise ExperimentError(f"{where}: '{key}' must be a number, got {v[key]!r}")
        for key in ("log", "integer"):
            if key in v and not isinstance(v[key], bool):
                raise ExperimentError(f"{where}: '{key}' must be true or false")
        low, high = float(v["low"]), float(v["high"])
        if not (math.isfinite(low) and math.isfinite(high)):  # samples would be inf or NaN
            raise ExperimentError(f"{where}: range [{low:g}, {high:g}]: low and high must be finite numbers")
        if not low < high:
            raise ExperimentError(f"{where}: low ({low:g}) must be below high ({high:g})")
        if consultsim:
            lo, hi = f.metadata["lo"], f.metadata["hi"]
            if lo is not None and not (lo <= low and high <= hi):
                raise ExperimentError(f"{where}: range [{low:g}, {high:g}] goes outside the allowed "
                                      f"[{lo:g}, {hi:g}]")
        integer = bool(v.get("integer", False)) or kind == "int"
        if integer and not (low.is_integer() and high.is_integer()):
            raise ExperimentError(f"{where}: an integer range needs whole-number low and high")
        log = bool(v.get("log", False))
        if log and low <= 0:
            raise ExperimentError(f"{where}: a log range needs low > 0")
        return ParamSpec(name, "range", low=low, high=high, log=log, integer=integer)
    return check(v)


def load_experiment(path: str | Path) -> Experiment:
    """Read and validate an experiment file (a path, or a bare name in ``experiments/``)."""
    path = Path(path)
    if not path.exists() and not path.suffix and (EXPERIMENT_DIR / f"{path.name}.toml").exists():
        path = EXPERIMENT_DIR / f"{path.name}.toml"
    try:
        path = path.resolve()
    except (RuntimeError, OSError):  # a loop of symbolic links: the reader says so in one line
        path = path.absolute()
    if not os.path.lexists(path):
        raise ExperimentError(f"{path}: no such experiment file")
    data = read_toml(path, ExperimentError, "experiment file")
    if not data:
        raise ExperimentError(f"{path}: empty experiment file")
    unknown = sorted(set(data) - _TOP_KEYS)
    if unknown:
        hint = " (put parameters under [parameters])" if unknown[0] in PARAM_INFO else ""
        raise ExperimentError(f"{path}: unknown key {unknown[0]!r}{hint}; allowed: {', '.join(sorted(_TOP_KEYS))}")
    for key in ("name", "description", "model"):
        if key in data and not isinstance(data[key], str):
            raise ExperimentError(f"{path}: key {key!r} must be a string")

    model = _model_ref(path, data.get("model", "consultsim"))
    consultsim = model == DEFAULT_MODEL
    if not consultsim:
        _check_model_importable(path, model)
    exp_name = data["name"] if "name" in data else safe_name(path.stem)
    if not re.fullmatch(r"[\w][\w.-]{0,79}", exp_name) or ".." in exp_name:
        raise ExperimentError(f"{path}: key 'name' = {exp_name!r}: it names the results folder, so use letters, "
                              "digits, '_', '-' and '.' (at most 80, not starting with '.' or containing '..')")

    if "seed" not in data:
        raise ExperimentError(f"{path}: missing key 'seed' (the master seed every run seed derives from)")
    seed = _int(f"{path}: key 'seed'", data["seed"], lo=0, hi=MAX_SEED)
    replicates = _int(f"{path}: key 'replicates'", data.get("replicates", 1), hi=MAX_REPLICATES)
    steps = _int(f"{path}: key 'steps'", data.get("steps", 104), hi=MAX_STEPS)
    runs_per_file = _int(f"{path}: key 'runs_per_file'", data.get("runs_per_file", 100), hi=100_000)
    seeds = data.get("seeds", "common")
    if seeds not in ("common", "independent"):
        raise ExperimentError(f"{path}: key 'seeds' must be \"common\" or \"independent\", got {seeds!r}")

    ce = data.get("collect_every", "final")
    if ce == "final":
        collect_every = None
    else:
        collect_every = _int(f"{path}: key 'collect_every' (an integer or \"final\")", ce, hi=MAX_STEPS)

    metrics = data.get("metrics", "all")
    if metrics == "all":
        if not consultsim:
            raise ExperimentError(f"{path}: key 'metrics': list the outputs of {model} by name")
        metrics = list(METRICS)
    if not isinstance(metrics, list) or not metrics or not all(isinstance(m, str) for m in metrics):
        raise ExperimentError(f"{path}: key 'metrics' must be \"all\" or a non-empty list of metric names")
    if len(set(metrics)) != len(metrics):
        raise ExperimentError(f"{path}: key 'metrics' lists a metric twice")
    if consultsim:
        for m in metrics:
            if m not in METRICS:
                import difflib
                close = difflib.get_close_matches(m, METRICS, n=1)
                hint = f" (did you mean {close[0]!r}?)" if close else ""
                raise ExperimentError(f"{path}: key 'metrics': unknown metric {m!r}{hint}")

    sampler = data.get("sampler")
    if not isinstance(sampler, dict) or "method" not in sampler:
        raise ExperimentError(f"{path}: missing [sampler] with method = {' | '.join(SAMPLERS)}")
    method = sampler["method"]
    if method not in SAMPLERS:
        raise ExperimentError(f"{path}: [sampler] method = {method!r}: choose one of {', '.join(SAMPLERS)}")
    extra = sorted(set(sampler) - _SAMPLER_KEYS[method])
    if extra:
        raise ExperimentError(f"{path}: [sampler] {extra[0]}: not used by {method}; allowed: "
                              f"{', '.join(sorted(_SAMPLER_KEYS[method]))}")
    sopts = _sampler_options(path, method, sampler)

    params, roles = _tables_with_roles(path, data, consultsim)
    varied: list[ParamSpec] = []
    constants: dict[str, Any] = {}
    for name, v in params.items():
        spec = _param_spec(path, name, v, consultsim)
        if isinstance(spec, ParamSpec):
            varied.append(dataclasses.replace(spec, role=roles[name]))
        else:
            constants[name] = spec
    if not varied:
        raise ExperimentError(f"{path}: [parameters] varies nothing (give a list or a low/high range)")
    if method == "grid":
        for p in varied:
            if p.kind == "range" and not sopts.get("levels"):
                raise ExperimentError(f"{path}: [parameters] {p.name}: a range in a grid needs "
                                      f"[sampler] levels (points per range)")
    elif method == "sobol" and len(varied) < 2:
        raise ExperimentError(f"{path}: [parameters]: a Sobol analysis needs at least two varied parameters")

    scenario = _resolve_scenario(path, data.get("scenario")) if consultsim else Scenario(name="none")
    if consultsim and constants:
        try:
            scenario.with_overrides(**constants)
        except ScenarioError as e:
            raise ExperimentError(f"{path}: [parameters]: {str(e).removeprefix('override: ')}") from None
    if consultsim:
        from consultsim.running.network_files import apply_network
        try:  # a network file is checked once here, not found broken in every run
            apply_network(scenario.with_overrides(**constants))
        except ScenarioError as e:
            raise ExperimentError(f"{path}: {e}") from None

    from consultsim.sweeps.constraints import parse_constraints

    known = set(PARAM_INFO) if consultsim else {p.name for p in varied} | set(constants)
    constraints = parse_constraints(data.get("constraints"), known, lambda m: ExperimentError(f"{path}: {m}"))
    _check_size(path, method, sopts, varied, replicates)
    return Experiment(constraints=constraints, name=exp_name, description=data.get("description", "").strip(),
                      path=path, model=model, scenario=scenario, seed=seed, replicates=replicates, steps=steps,
                      metrics=tuple(metrics), collect_every=collect_every, method=method, sampler=sopts,
                      varied=tuple(varied), constants=constants, seeds=seeds, runs_per_file=runs_per_file)


def _check_size(path: Path, method: str, sopts: dict, varied: list[ParamSpec], replicates: int) -> None:
    """The design's number of runs, bounded before anything is built (a typo must not run for days)."""
    k = len(varied)
    if method == "grid":
        n = 1
        for p in varied:
            n *= len(p.values) if p.kind == "values" else int(sopts.get("levels", 1))
    elif method == "lhs":
        n = sopts["n"]
    elif method == "sobol":
        n = sopts["n"] * (2 * k + 2 if sopts.get("second_order") else k + 2)
    else:
        n = sopts["trajectories"] * (k + 1)
    if n > MAX_SAMPLES or n * replicates > MAX_RUNS:
        raise ExperimentError(f"{path}: the design has {n:,} samples x {replicates} replicates = "
                              f"{n * replicates:,} runs; more than the limit of {MAX_SAMPLES:,} samples "
                              f"and {MAX_RUNS:,} runs")


def _tables_with_roles(path: Path, data: dict, consultsim: bool) -> tuple[dict, dict[str, str]]:
    """The entries of [parameters], [levers] and [uncertainties] in file order, and each one's role."""
    from consultsim.core.params import LEVER_SECTIONS

    params: dict[str, Any] = {}
    roles: dict[str, str] = {}
    for table, role in (("parameters", None), ("levers", "lever"), ("uncertainties", "uncertainty")):
        if table not in data:
            continue
        t = data[table]
        if not isinstance(t, dict):
            raise ExperimentError(f"{path}: [{table}] must be a table of parameters")
        for name, v in t.items():
            if name in params:
                raise ExperimentError(f"{path}: [{table}] {name}: already given in another table")
            params[name] = v
            f = PARAM_INFO.get(name)
            roles[name] = role or ("lever" if consultsim and f is not None
                                   and f.metadata["section"] in LEVER_SECTIONS else "uncertainty")
    if not params:
        raise ExperimentError(f"{path}: missing [parameters] (or [levers] and [uncertainties]): what to vary")
    return params, roles


def _sampler_options(path: Path, method: str, s: dict) -> dict:
    w = f"{path}: [sampler]"
    if method == "grid":
        return {"levels": _int(f"{w} levels", s["levels"], lo=2)} if "levels" in s else {}
    if method == "lhs":
        if "n" not in s:
            raise ExperimentError(f"{w}: lhs needs n (the number of samples)")
        return {"n": _int(f"{w} n", s["n"], lo=2)}
    if method == "sobol":
        if "n" not in s:
            raise ExperimentError(f"{w}: sobol needs n (the base sample size, a power of 2)")
        n = _int(f"{w} n", s["n"], lo=2)
        if n & (n - 1):
            raise ExperimentError(f"{w} n = {n}: Sobol sequences need a power of 2 (e.g. {1 << n.bit_length()})")
        so = s.get("second_order", False)
        if not isinstance(so, bool):
            raise ExperimentError(f"{w} second_order: expected true or false")
        return {"n": n, "second_order": so}
    if "trajectories" not in s:
        raise ExperimentError(f"{w}: morris needs trajectories (e.g. 10 to 50)")
    levels = _int(f"{w} levels", s.get("levels", 4), lo=2)
    if levels % 2:
        raise ExperimentError(f"{w} levels = {levels}: Morris needs an even number of levels")
    return {"trajectories": _int(f"{w} trajectories", s["trajectories"], lo=2), "levels": levels}


def _check_model_importable(path: Path, model: str) -> None:
    import importlib
    mod, _, fn = model.partition(":")
    try:
        ok = callable(getattr(importlib.import_module(mod), fn, None))
    except ImportError:
        ok = False
    if not ok:
        raise ExperimentError(f"{path}: key 'model': cannot import {model}")
