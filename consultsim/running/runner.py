"""Run one model as a pure function of (scenario, overrides, seed, steps).

This is the single entry point that ``consultsim run``, ``compare``,
``validate`` and the sweeps use, so every path produces the same numbers for
the same inputs.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from consultsim.running.provenance import stamp
from consultsim.running.scenarios import Params, Scenario, resolve_scenario

__all__ = ["RunResult", "release_model", "simulate", "write_run", "write_run_files"]


@dataclass
class RunResult:
    """Outputs of one run: per-step metrics, per-topic table, and provenance."""

    timeseries: pd.DataFrame  # column "step" then one column per metric in METRICS
    topics: pd.DataFrame      # one row per topic (see ConsultationModel.topic_records)
    params: dict[str, Any]    # resolved parameters
    seed: int
    scenario: str = "baseline"
    seconds: float = 0.0
    extra: dict[str, Any] = field(default_factory=dict)


def simulate(scenario: str | Path | Scenario | Params | None = None, *, seed: int, steps: int = 104,
             overrides: Mapping[str, Any] | None = None, collect_every: int = 1, network: Any = None,
             schedule: Mapping[int, Mapping[str, Any]] | None = None) -> RunResult:
    """Build a :class:`ConsultationModel`, run ``steps`` weeks and return its outputs.

    ``schedule`` maps a week index to parameter changes applied from that week on (what a district's street
    office sets between years; :meth:`ConsultationModel.amend`). ``collect_every`` keeps every n-th step
    (and always the last) of the time series. A
    ``network_file`` is read here (:mod:`consultsim.running.network_files`; the file decides
    ``n_residents``) unless ``network`` (an edge array or Graph) is given.
    """
    import time

    from consultsim.core.model import ConsultationModel

    t0 = time.perf_counter()
    from consultsim.running.network_files import apply_network

    sc = resolve_scenario(scenario)
    if overrides:
        sc = sc.with_overrides(**dict(overrides))
    if network is None:
        sc, net = apply_network(sc)
        network = net.edges if net is not None else None
    model = ConsultationModel(sc, rng=int(seed), network=network)
    try:
        for week in range(int(steps)):
            if schedule and week in schedule:
                model.amend(**schedule[week])
            model.step()
        ts = model.timeseries()
        if collect_every > 1:
            keep = (ts["step"] % collect_every == 0) | (ts["step"] == ts["step"].max())
            ts = ts[keep].reset_index(drop=True)
        return RunResult(ts, model.topic_records(), model.params.to_dict(), int(seed), sc.name,
                         time.perf_counter() - t0)
    finally:
        # also when a run raises (a bad schedule, an interrupt): a sweep worker goes on to the next run
        release_model(model)


def release_model(model: Any) -> None:
    """Let a finished model be freed. Mesa 3.3 counts agent ids in a class-level dict keyed by the model
    (``mesa.Agent._ids``), which keeps every model a process ever built alive, with its arrays: about
    0.75 MB per 1,000-household run, 3 GB after a few thousand runs in one calibration worker (mesa issue
    #3179, fixed upstream by pull request #3180). Harmless where Mesa no longer has the dict."""
    from mesa import Agent

    ids = getattr(Agent, "_ids", None)
    if isinstance(ids, dict):
        ids.pop(model, None)


def write_run(result: RunResult, out: str | Path, command: list[str] | None = None, *, force: bool = False) -> Path:
    """Write ``timeseries.csv``, ``topics.csv`` and ``run.json`` into the folder ``out``, safely.

    As the commands do (:mod:`consultsim.running.outputs`): the files are staged and renamed into
    place whole; a folder holding anything is refused (:class:`~consultsim.running.outputs.OutputError`)
    unless ``force`` is given and it is an earlier consultsim output.
    """
    from consultsim.running.outputs import writing

    with writing(out, force=force, command=command) as tmp:
        write_run_files(result, tmp, command)
    return Path(out)


def write_run_files(result: RunResult, folder: str | Path, command: list[str] | None = None) -> Path:
    """The files of :func:`write_run`, written into ``folder`` as it is (the caller stages it)."""
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    result.timeseries.to_csv(out / "timeseries.csv", index=False)
    result.topics.to_csv(out / "topics.csv", index=False)
    meta = {"scenario": result.scenario, "seed": result.seed, "steps": int(result.timeseries["step"].max()),
            "seconds": round(result.seconds, 3), "params": result.params, **result.extra, **stamp(command)}
    (out / "run.json").write_text(json.dumps(meta, indent=2, ensure_ascii=False), encoding="utf-8")
    return out
