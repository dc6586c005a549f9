"""Run every community of a district (and every package), on any executor, streaming to Parquet, resumable.

Communities are independent runs (ODD §2: one community per model); community ``i`` runs with
seed :func:`~consultsim.running.districts.community_seed` ``(district seed, i)`` under every
package, so package differences are paired on the same community and the same draws (common
random numbers). Each run is :func:`consultsim.running.runner.simulate` with the community's
parameters (baseline, type, size, own overrides) and the package's levers on top.

The folder::

    OUT/district.json     what was asked (district file's hash, steps, packages, ...) and its fingerprint
    OUT/parts/part-*.parquet   finished runs, one row per (package, community, recorded week);
                          each part is written under a temporary name and renamed into place whole

A killed run loses only the runs not yet in a part; ``resume=True`` reads the parts and runs the
others. A folder holding another district's runs is refused (one line) unless ``force``.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from consultsim.core.metric_names import METRICS
from consultsim.core.params import LEVER_SECTIONS, PARAM_INFO, Params
from consultsim.running.districts import District, DistrictError, _err, community_seed

__all__ = ["Package", "package_from_scenario", "run_district", "read_results", "DistrictRun", "run_community",
           "BASELINE_PACKAGE"]

BASELINE_PACKAGE = "baseline"
PART_ROWS = 2_000  # rows of finished runs gathered before a part is committed (and at most every 30 s)
PART_SECONDS = 30.0
FUNDED = ("implementing", "implemented", "stalled")  # outcomes of works that started (funding secured)


@dataclass(frozen=True)
class Package:
    """A lever package: a name and the lever values it sets on every community (yuan costs from Params)."""

    name: str
    levers: Mapping[str, Any]
    name_zh: str = ""
    by_community: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)  # an allocation's own levers


def package_from_scenario(name: str) -> Package:
    """A package from a scenario file or shipped name: its lever values that differ from the defaults.

    A package may only move levers (sections policy, idea, practice): a scenario that changes a
    community's population or size would silently replace the district's own communities."""
    from consultsim.running.scenarios import resolve_scenario

    sc = resolve_scenario(name)
    default = Params()
    levers, other = {}, []
    for k, v in sc.params.to_dict().items():
        if v == getattr(default, k):
            continue
        if PARAM_INFO[k].metadata["section"] in LEVER_SECTIONS or PARAM_INFO[k].metadata["descriptive"]:
            levers[k] = v
        else:
            other.append(k)
    if other:
        raise _err(None, "district.err.package", name=sc.name,
                   detail=f"changes {', '.join(sorted(other)[:4])}, which are not levers; a package for a district "
                          "may set only the levers (sections policy, idea, practice)")
    return Package(sc.name, levers, sc.name_zh)


def run_community(spec: tuple) -> list[dict]:
    """Worker side: simulate one (package, community) and return its recorded rows (top level: pickles)."""
    from consultsim.running.runner import simulate

    package, community, ctype, households, seed, overrides, steps, every, replicate = spec
    t0 = time.perf_counter()
    r = simulate(None, seed=seed, steps=steps, overrides=overrides, collect_every=every)
    seconds = time.perf_counter() - t0
    rows = r.timeseries.to_dict("records")
    # resident-funded works whose funding was secured (what a public subsidy pays for; as
    # consultsim.analysis.costs.FUNDED_OUTCOMES counts them)
    from consultsim.core.topics import CATALOG

    funded_types = [k for k, tt in CATALOG.items() if tt.implementer == "residents"]
    t = r.topics
    funded = int((t["type"].isin(funded_types) & t["outcome"].isin(FUNDED)).sum()) if len(t) else 0
    for row in rows:
        row.update(package=package, community=community, replicate=replicate, type=ctype, households=households,
                   seed=str(seed), seconds=seconds, funded_works=funded)
        row["step"] = int(row["step"])
    return rows


@dataclass
class DistrictRun:
    out: Path
    runs: int          # runs asked for
    ran: int           # runs executed now
    seconds: float
    executor: str


def replicate_seed(master: int, index: int, replicate: int) -> int:
    """Seed of replicate ``r`` of community ``index``: replicate 0 is :func:`community_seed` (what ``district
    run`` uses); the others are ``SeedSequence(master, spawn_key=(index, r))``, the same under every package."""
    if replicate == 0:
        return community_seed(master, index)
    import numpy as np

    ss = np.random.SeedSequence(int(master), spawn_key=(int(index), int(replicate)))
    return int(ss.generate_state(1, dtype=np.uint64)[0] >> np.uint64(1))


def _fingerprint(district: District, packages: list[Package], steps: int, every: int, replicates: int = 1) -> dict:
    """What decides the numbers: every community's parameters and seed, the packages, steps, recording."""
    body = {
        "communities": [[c.name, c.type, c.households, community_seed(district.seed, c.index),
                         sorted(c.values(district.types).items())] for c in district.communities],
        "packages": [[p.name, sorted(p.levers.items()), sorted((k, sorted(v.items())) for k, v in
                                                               p.by_community.items())] for p in packages],
        "steps": steps, "collect_every": every, "replicates": replicates,
    }
    text = json.dumps(body, sort_keys=True, default=str, ensure_ascii=False)
    return {"fingerprint": hashlib.sha256(text.encode()).hexdigest()[:16]}


def specs(district: District, packages: list[Package], steps: int, every: int, replicates: int = 1) -> list[tuple]:
    """One run specification per (package, community, replicate), communities in file order."""
    out = []
    for p in packages:
        for c in district.communities:
            ov = {**c.values(district.types), **p.levers, **p.by_community.get(c.name, {})}
            for r in range(replicates):
                out.append((p.name, c.name, c.type, c.households, replicate_seed(district.seed, c.index, r), ov,
                            steps, every, r))
    return out


def _parts(out: Path) -> list[Path]:
    return sorted((out / "parts").glob("part-*.parquet"))


def read_results(out: str | Path) -> pd.DataFrame:
    """Every finished row of a district folder (a run appearing in two parts counts once)."""
    parts = _parts(Path(out))
    if not parts:
        return pd.DataFrame(columns=["package", "community", "replicate", "type", "households", "seed", "step",
                                     *METRICS])
    df = pd.concat([pd.read_parquet(p) for p in parts], ignore_index=True)
    return df.drop_duplicates(["package", "community", "replicate", "step"]).reset_index(drop=True)


def _commit_part(out: Path, rows: list[dict]) -> None:
    parts = out / "parts"
    parts.mkdir(exist_ok=True)
    name = f"part-{time.time_ns():020d}-{uuid.uuid4().hex[:6]}.parquet"
    tmp = parts / f".{name}.tmp"
    pd.DataFrame(rows).to_parquet(tmp, index=False)
    with open(tmp, "rb") as fh:
        os.fsync(fh.fileno())
    os.replace(tmp, parts / name)


def _choose(executor: str, n_runs: int) -> str:
    if executor != "auto":
        return executor
    return "process" if n_runs >= 8 and (os.cpu_count() or 1) > 1 else "serial"


def run_district(district: District, out: str | Path, *, packages: Iterable[Package] | None = None,
                 steps: int | None = None, collect_every: int = 52, executor: str = "auto",
                 workers: int | None = None, scheduler: str | None = None, resume: bool = False,
                 force: bool = False, progress: bool = True, command: list[str] | None = None,
                 replicates: int = 1, locked: bool = False, checked: bool = False) -> DistrictRun:
    """Run every (package, community) not yet in ``out``; return what was done.

    ``locked``: the caller holds ``out``'s lock (:func:`consultsim.running.outputs.folder_lock`), so the
    folder check does not take it for another command's. ``checked``: the caller has checked (and, with
    ``force``, emptied) the folder and writes its manifest (:func:`consultsim.running.outputs.resumable`,
    as the ``district`` commands do): nothing in ``out`` is checked or deleted here.

    ``collect_every`` keeps every n-th week (and the last) of each community's series: a district
    keeps its yearly values, not 104 weeks x 200 communities x every metric.
    """
    from consultsim.running.executors import imap_unordered, make_executor
    from consultsim.running.outputs import atomic_write_text, check_out
    from consultsim.running.provenance import stamp

    out = Path(out)
    pkgs = list(packages) if packages is not None else [Package(BASELINE_PACKAGE, {})]
    steps = int(steps or district.steps)
    every = max(1, min(int(collect_every), steps))
    fp = {"district": district.name, "file": str(district.path) if district.path else None,
          **_fingerprint(district, pkgs, steps, every, replicates)}
    meta_path = out / "district.json"
    if resume and meta_path.is_file():
        from consultsim.running.inputs import read_json
        try:
            old = read_json(meta_path, DistrictError, "district record", 1 << 20)
        except DistrictError:
            old = {}
        old = old if isinstance(old, dict) else {}
        if old.get("fingerprint") != fp["fingerprint"]:
            if not force:
                raise _err(None, "district.err.resume", out=out,
                           detail=f"fingerprint {old.get('fingerprint')} here, {fp['fingerprint']} asked")
            shutil.rmtree(out / "parts", ignore_errors=True)
    elif checked:
        pass
    elif not resume or not meta_path.is_file():
        check_out(out, force=force, _locked=locked)
        if out.is_dir():
            shutil.rmtree(out / "parts", ignore_errors=True)
            for f in out.iterdir():
                if f.is_file():
                    f.unlink()
    out.mkdir(parents=True, exist_ok=True)
    for stale in (out / "parts").glob(".part-*.tmp") if (out / "parts").is_dir() else ():
        stale.unlink(missing_ok=True)  # a part being written when the process died
    atomic_write_text(meta_path, json.dumps({**fp, "steps": steps, "collect_every": every,
                                             "packages": [p.name for p in pkgs], "seed": district.seed,
                                             "communities": len(district.communities), **stamp(command)},
                                            indent=2, ensure_ascii=False, default=str))
    if not checked:  # called from Python, not under resumable(): the manifest of what is here so far
        from consultsim.running.outputs import write_manifest
        write_manifest(out, command, "district")
    done = set(map(tuple, read_results(out)[["package", "community", "replicate"]].drop_duplicates()
                   .to_numpy().tolist()))
    todo = [s for s in specs(district, pkgs, steps, every, replicates) if (s[0], s[1], s[8]) not in done]
    # largest communities first: the pool's last task is then a small one
    todo.sort(key=lambda s: -s[3])
    kind = _choose(executor, len(todo))
    t0 = time.perf_counter()
    ran = 0
    if todo:
        buf: list[dict] = []
        last = time.monotonic()
        with make_executor(kind, workers, scheduler) as ex:
            for _, rows in imap_unordered(ex, run_community, todo, progress=progress, desc=district.name):
                buf.extend(rows)
                ran += 1
                if len(buf) >= PART_ROWS or time.monotonic() - last > PART_SECONDS:
                    _commit_part(out, buf)
                    buf, last = [], time.monotonic()
            if buf:
                _commit_part(out, buf)
    return DistrictRun(out, len(pkgs) * len(district.communities) * replicates, ran, time.perf_counter() - t0, kind)


def check_complete(out: Path, district: District, packages: list[Package], replicates: int = 1) -> pd.DataFrame:
    """The finished rows, or one line if some runs are missing (a kill before the end: use --resume)."""
    df = read_results(out)
    want = len(packages) * len(district.communities) * replicates
    have = len(df[["package", "community", "replicate"]].drop_duplicates()) if len(df) else 0
    if have < want:
        raise DistrictError(f"{out}: {have} of {want} runs finished; continue with --resume",
                            f"{out}：{want} 次运行中完成了 {have} 次；请用 --resume 继续")
    return df
