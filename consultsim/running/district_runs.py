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

The district's actors (ODD §7.10). A social-work station (``[station]``) adds its staff hours to each
community's social workers, split across the communities of its street. A street office
(``[street_office]``) acts once a year: it assesses every community by the year's 12345 complaints per
household (within each package and replicate, each its own world) and sets next year's ``street_pressure``
on each committee from that rank; a station splitting ``by need`` splits next year's hours by the same log.
Communities stay independent within a year. The yearly step is computed by replay: the assessment of year
y runs every community for weeks 0 to 52(y+1) under the decisions taken so far (the same seed gives the
same first weeks), so no model state crosses processes and every executor gives the same table; it costs
52 x (1 + 2 + ... + years-1) extra weeks per community (1.5 times the weeks for two years).

    OUT/street_office.parquet  the street office's assessments: one row per (package, community,
                          replicate, year) with the year's complaints, per 1,000 households, its rank-based
                          pressure for the next year and the station hours the community gets
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import shutil
import time
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from consultsim.core.metric_names import METRICS
from consultsim.core.params import LEVER_SECTIONS, PARAM_INFO, Params
from consultsim.running.districts import District, DistrictError, _err, community_seed

YEAR = 52  # weeks; the street office acts between years

__all__ = ["Package", "package_from_scenario", "run_district", "read_results", "DistrictRun", "run_community",
           "BASELINE_PACKAGE", "read_allocation", "split_station", "with_station", "rank_pressure"]

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
    """Worker side: simulate one (package, community) and return its recorded rows (top level: pickles).

    ``spec`` may end with the street office's schedule ({week: parameter changes from that week on}) and
    its yearly record [(street_pressure, station hours) of each year], written on every row."""
    from consultsim.running.runner import simulate

    package, community, ctype, households, seed, overrides, steps, every, replicate = spec[:9]
    schedule = spec[9] if len(spec) > 9 else None
    yearly = spec[10] if len(spec) > 10 else [(0.0, 0.0)]
    t0 = time.perf_counter()
    r = simulate(None, seed=seed, steps=steps, overrides=overrides, collect_every=every, schedule=schedule)
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
                   seed=str(seed), seconds=seconds, funded_works=funded,
                   owners_committee=bool(overrides.get("owners_committee", False)))
        row["step"] = int(row["step"])
        row["street_pressure"], row["station_hours"] = yearly[min(max(0, row["step"] - 1) // YEAR, len(yearly) - 1)]
    return rows


def assess_community(spec: tuple) -> dict:
    """Worker side of the street office's assessment: run one (package, community, replicate) for ``weeks``
    weeks under the schedule so far; return the 12345 complaints of its last year."""
    from consultsim.running.runner import simulate

    package, community, ctype, households, seed, overrides, _steps, _every, replicate, schedule, weeks = spec[:11]
    r = simulate(None, seed=seed, steps=weeks, overrides=overrides, collect_every=YEAR, schedule=schedule)
    ts = r.timeseries.set_index("step")["complaints"]
    year = weeks // YEAR - 1
    complaints = float(ts.loc[weeks] - ts.loc[weeks - YEAR])
    return {"package": package, "community": community, "replicate": replicate, "year": year,
            "households": households, "complaints": complaints}


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


def _fingerprint(district: District, packages: list[Package], steps: int, every: int, replicates: int = 1,
                 worlds: Sequence[Mapping[str, Any]] | None = None) -> dict:
    """What decides the numbers: every community's parameters and seed, the packages, steps, recording
    (and the worlds, when the runs use a calibration's worlds)."""
    body = {
        "communities": [[c.name, c.type, c.households, community_seed(district.seed, c.index),
                         sorted(c.values(district.types).items())] for c in district.communities],
        "packages": [[p.name, sorted(p.levers.items()), sorted((k, sorted(v.items())) for k, v in
                                                               p.by_community.items())] for p in packages],
        "steps": steps, "collect_every": every, "replicates": replicates,
        "street_office": repr(district.street_office), "station": repr(district.station),
        "owners_committees": [c.owners_committee for c in district.communities],
    }
    if worlds:  # only then: folders written without worlds keep their fingerprint
        body["worlds"] = [sorted(w.items()) for w in worlds]
    text = json.dumps(body, sort_keys=True, default=str, ensure_ascii=False)
    return {"fingerprint": hashlib.sha256(text.encode()).hexdigest()[:16]}


def specs(district: District, packages: list[Package], steps: int, every: int, replicates: int = 1,
          worlds: Sequence[Mapping[str, Any]] | None = None) -> list[tuple]:
    """One run specification per (package, community, replicate), communities in file order.

    ``worlds`` (parameter overrides, e.g. drawn from a calibration's posterior by
    :func:`consultsim.analysis.calibration.draw_worlds`): replicate ``r`` runs in world
    ``worlds[r % len(worlds)]`` in every community and under every package (common worlds, as the
    seeds are common). A world takes the place of the baseline defaults: the community's type, size
    and own overrides and the package's levers still apply on top of it."""
    out = []
    for p in packages:
        for c in district.communities:
            ov = {**c.values(district.types), **p.levers, **p.by_community.get(c.name, {})}
            for r in range(replicates):
                run_ov = {**worlds[r % len(worlds)], **ov} if worlds else ov
                out.append((p.name, c.name, c.type, c.households, replicate_seed(district.seed, c.index, r), run_ov,
                            steps, every, r))
    return out


def split_station(station, households, need=None):
    """Weekly hours of a social-work station's staff each community gets (file order; ODD §7.10).

    The communities, in file order, form ``station.streets`` streets of nearly equal count, one station
    each with ``staff`` × ``hours`` hours a week, split across its street by ``split``: ``equal``;
    ``households``; ``need``: last year's 12345 complaints (the street office's assessment), by households
    in the first year and in a street with no complaints."""
    import numpy as np

    hh = np.asarray(households, dtype=float)
    need = None if need is None else np.asarray(need, dtype=float)
    out = np.zeros(len(hh))
    total = station.staff * station.hours
    for idx in np.array_split(np.arange(len(hh)), station.streets):
        if not len(idx):
            continue
        if station.split == "equal":
            w = np.ones(len(idx))
        elif station.split == "need" and need is not None and need[idx].sum() > 0:
            w = need[idx]
        else:
            w = hh[idx]
        out[idx] = total * w / w.sum()
    return out


def with_station(overrides: Mapping[str, Any], hours: float, full_time: float = 40.0) -> dict[str, Any]:
    """The community's own social workers (a package's or its own) plus the station's weekly hours, as
    ``social_workers`` of ``social_worker_hours`` each, none above ``full_time``."""
    import math

    d = Params()
    own = overrides.get("social_workers", d.social_workers) * overrides.get("social_worker_hours",
                                                                            d.social_worker_hours)
    total = own + hours
    if total <= 0:
        return {"social_workers": 0}
    n = max(1, math.ceil(total / full_time - 1e-9))
    return {"social_workers": n, "social_worker_hours": total / n}


def rank_pressure(per_household) -> Any:
    """接诉即办 pressure from the street office's ranking: the share of the other communities with fewer
    complaints per household (0 for the fewest, 1 for the most; ties share the lower rank)."""
    import numpy as np

    x = np.asarray(per_household, dtype=float)
    if len(x) < 2:
        return np.zeros(len(x))
    return np.searchsorted(np.sort(x), x, side="left") / (len(x) - 1)


def _plan(district: District, base: list[tuple], steps: int, out: Path, run_pass) -> list[tuple]:
    """The street office's and the station's decisions, year by year: each spec with its year-0 station
    hours, its schedule of later changes and its yearly record (see the module's docstring)."""
    import math

    import numpy as np

    station, office = district.station, district.street_office
    pressure_on = bool(office and office.pressure)
    years = max(1, math.ceil(steps / YEAR))
    worlds: dict[tuple, list[int]] = {}
    for i, sp in enumerate(base):
        worlds.setdefault((sp[0], sp[8]), []).append(i)  # (package, replicate): one world each
    ov = [dict(sp[5]) for sp in base]
    hours = np.zeros(len(base))
    if station is not None:
        for idx in worlds.values():
            hours[idx] = split_station(station, [base[i][3] for i in idx])
        ov = [{**o, **with_station(o, h, station.hours)} for o, h in zip(ov, hours)]
    schedule: list[dict[int, dict]] = [{} for _ in base]
    yearly = [[(0.0, float(h))] for h in hours]
    path = out / "street_office.parquet"
    saved = pd.read_parquet(path) if path.is_file() else pd.DataFrame()
    rows: list[dict] = saved.to_dict("records") if len(saved) else []
    for y in range(years - 1) if district.yearly else ():
        have = [r for r in rows if r["year"] == y]
        reused = len(have) == len(base)  # assessed before a kill: resume reads it
        if not reused:
            rows = [r for r in rows if r["year"] != y]
            tasks = [(*sp[:5], ov[i], *sp[6:9], {w: dict(c) for w, c in schedule[i].items()}, YEAR * (y + 1))
                     for i, sp in enumerate(base)]
            have = run_pass(tasks, y)
        got = {(r["package"], r["community"], r["replicate"]): float(r["complaints"]) for r in have}
        complaints = np.array([got[(sp[0], sp[1], sp[8])] for sp in base])
        per_1000 = complaints / np.array([sp[3] for sp in base]) * 1000.0
        pressure, nxt = np.zeros(len(base)), hours.copy()
        for idx in worlds.values():
            if pressure_on:
                pressure[idx] = rank_pressure(per_1000[idx])
            if station is not None and station.split == "need":
                nxt[idx] = split_station(station, [base[i][3] for i in idx], complaints[idx])
        new_rows = []
        for i, sp in enumerate(base):
            change: dict[str, Any] = {}
            if pressure_on:
                change["street_pressure"] = float(pressure[i])
            if station is not None:
                change.update(with_station(sp[5], float(nxt[i]), station.hours))
            schedule[i][YEAR * (y + 1)] = change
            yearly[i].append((float(pressure[i]), float(nxt[i])))
            new_rows.append({"package": sp[0], "community": sp[1], "replicate": sp[8], "type": sp[2], "year": y,
                             "households": sp[3], "complaints": complaints[i], "complaints_per_1000": per_1000[i],
                             "pressure_next_year": float(pressure[i]), "station_hours_next_year": float(nxt[i])})
        rows = [r for r in rows if r["year"] != y] + new_rows
        if not reused:
            import io

            from consultsim.running.outputs import atomic_write_bytes

            buf = io.BytesIO()
            pd.DataFrame(rows).to_parquet(buf, index=False)
            atomic_write_bytes(path, buf.getvalue())  # a kill loses at most the year under way
    for i in range(len(base)):
        yearly[i] += [yearly[i][-1]] * (years - len(yearly[i]))
    return [(*sp[:5], ov[i], *sp[6:9], schedule[i], yearly[i]) for i, sp in enumerate(base)]


def read_allocation(path: str | Path, district: District) -> dict[str, tuple[str, float]]:
    """An ``allocation.csv`` of ``district allocate`` (columns community, bundle, cost): each community's
    bundle and yearly cost, for the street office to fund in ``district run --allocation``. Every community
    of the district must appear once, costs must be non-negative yuan and add up to at most the district's
    budget (when it has one); anything else is one line in English and Chinese."""
    import io

    from consultsim.running.inputs import read_bytes

    def bad(en: str, zh: str) -> DistrictError:
        return _err(None, "district.err.allocation", path=path, detail=en, detail_zh=zh)

    raw = read_bytes(path, lambda m: bad(m.split(": ", 1)[-1], m.split(": ", 1)[-1]), "allocation file")
    try:
        df = pd.read_csv(io.BytesIO(raw), dtype={"community": str, "bundle": str})
    except (ValueError, UnicodeDecodeError) as e:
        raise bad(f"not a CSV table ({str(e).splitlines()[0]})", f"不是 CSV 表（{str(e).splitlines()[0]}）") from None
    missing = [c for c in ("community", "bundle", "cost") if c not in df.columns]
    if missing:
        raise bad(f"no column {', '.join(missing)} (expected the allocation.csv of `district allocate`)",
                  f"缺少列 {', '.join(missing)}（应为 district allocate 写出的 allocation.csv）")
    cost = pd.to_numeric(df["cost"], errors="coerce")
    if cost.isna().any() or (cost < 0).any() or not cost.map(math.isfinite).all():
        row = df[cost.isna() | ~(cost >= 0)].iloc[0]
        raise bad(f"community {row['community']!r}: cost = {row['cost']!r} is not a non-negative number of yuan",
                  f"社区 {row['community']!r}：cost = {row['cost']!r} 不是非负的元数")
    names = [c.name for c in district.communities]
    dup = df["community"][df["community"].duplicated()].tolist()
    unknown = sorted(set(df["community"]) - set(names))
    absent = [n for n in names if n not in set(df["community"])]
    if dup:
        raise bad(f"community {dup[0]!r} appears twice", f"社区 {dup[0]!r} 出现两次")
    if unknown:
        raise bad(f"community {unknown[0]!r} is not in district {district.name!r}",
                  f"社区 {unknown[0]!r} 不在区域 {district.name!r} 中")
    if absent:
        raise bad(f"{len(absent)} communities of {district.name!r} have no row (first: {absent[0]!r})",
                  f"区域 {district.name!r} 有 {len(absent)} 个社区没有对应行（第一个：{absent[0]!r}）")
    total = float(cost.sum())
    if district.budget and total > district.budget * (1 + 1e-9):
        raise bad(f"costs {total:,.0f} yuan a year, more than the street office's budget of {district.budget:,.0f}",
                  f"每年花费 {total:,.0f} 元，超过街道预算 {district.budget:,.0f} 元")
    return {c: (b, float(x)) for c, b, x in zip(df["community"], df["bundle"], cost)}


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
                 replicates: int = 1, locked: bool = False, checked: bool = False,
                 worlds: Sequence[Mapping[str, Any]] | None = None) -> DistrictRun:
    """Run every (package, community) not yet in ``out``; return what was done.

    ``locked``: the caller holds ``out``'s lock (:func:`consultsim.running.outputs.folder_lock`), so the
    folder check does not take it for another command's. ``checked``: the caller has checked (and, with
    ``force``, emptied) the folder and writes its manifest (:func:`consultsim.running.outputs.resumable`,
    as the ``district`` commands do): nothing in ``out`` is checked or deleted here.

    ``collect_every`` keeps every n-th week (and the last) of each community's series: a district
    keeps its yearly values, not 104 weeks x 200 communities x every metric.

    ``worlds``: replicate ``r`` runs in world ``worlds[r % len(worlds)]`` (see :func:`specs`).
    """
    from consultsim.running.executors import imap_unordered, make_executor
    from consultsim.running.outputs import atomic_write_text, check_out
    from consultsim.running.provenance import stamp

    out = Path(out)
    pkgs = list(packages) if packages is not None else [Package(BASELINE_PACKAGE, {})]
    steps = int(steps or district.steps)
    every = max(1, min(int(collect_every), steps))
    fp = {"district": district.name, "file": str(district.path) if district.path else None,
          **_fingerprint(district, pkgs, steps, every, replicates, worlds)}
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
            (out / "street_office.parquet").unlink(missing_ok=True)  # another district's assessments
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
    every_spec = specs(district, pkgs, steps, every, replicates, worlds)
    todo = [s for s in every_spec if (s[0], s[1], s[8]) not in done]
    kind = _choose(executor, len(todo))
    t0 = time.perf_counter()
    ran = 0
    if todo:
        buf: list[dict] = []
        # one pool for the street office's yearly assessments and the final runs (started once)
        with make_executor(kind, workers, scheduler) as ex:
            if district.station is not None or district.yearly:
                def run_pass(tasks: list[tuple], year: int) -> list[dict]:
                    tasks = sorted(tasks, key=lambda s: -s[3])
                    return [r for _, r in imap_unordered(ex, assess_community, tasks, progress=progress,
                                                         desc=f"{district.name}: street office, year {year + 1}")]
                planned = {(s[0], s[1], s[8]): s for s in _plan(district, every_spec, steps, out, run_pass)}
                todo = [planned[(s[0], s[1], s[8])] for s in todo]
            # largest communities first: the pool's last task is then a small one
            todo.sort(key=lambda s: -s[3])
            last = time.monotonic()
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
