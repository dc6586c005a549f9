"""The on-disk layout of a sweep, designed so that a crash at any instant loses no finished part
and duplicates no row.

::

    DIR/experiment.json       the resolved experiment, its fingerprint, versions, command
    DIR/samples.parquet       sample_id + the value of every varied parameter
    DIR/parts/part-*/         one directory per chunk of finished runs, each holding
        runs.parquet          run_id, sample_id, replicate, seed, seed_text, parameters, status, error,
                              seconds, code_id
        metrics.parquet       run_id, step, one column per kept metric
    DIR/added/part-*/         metrics added to finished runs later (``--add-metrics``), each holding
        metrics.parquet       run_id, step, one column per added metric
    DIR/runs.parquet          the union of the parts' runs tables, rewritten at the end of each sweep

Added parts never change the parts they extend: a run's value of a metric
comes from its own part when that part recorded the metric, else from an
added part. ``experiment.json``'s ``metrics`` lists only metrics every
finished run has (it grows once all added parts are committed), and readers
return only those.

A part is written into ``parts/.tmp-*`` and committed by one ``rename`` of
the directory, which POSIX makes atomic: a part either exists whole or not
at all, so the runs of a part and their metrics are committed together. The
parts are the record; ``runs.parquet`` is a convenience copy. Resuming reads
the run ids of the committed parts and runs only the others; leftover
``.tmp-*`` directories (a part being written when the process died) are
removed. Readers drop any repeated run id, so merging overlapping
directories cannot duplicate rows either: a successful row wins over a failed
one (a failed run that ``--retry-failed`` ran again), otherwise the first part.
"""

from __future__ import annotations

import json
import os
import shutil
import uuid
import warnings
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from consultsim.sweeps.experiments import ExperimentError

__all__ = ["FailedRunsWarning", "SweepStore", "load_results", "load_runs", "read_experiment_json", "merge_results",
           "check_parts", "read_part"]

_RUN_COLS = ("run_id", "sample_id", "replicate", "seed")


class FailedRunsWarning(UserWarning):
    """Some runs of a sweep failed; the results leave them out."""


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:  # pragma: no cover - not all systems allow opening directories
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_parquet(df: pd.DataFrame, path: Path) -> None:
    df.to_parquet(path, index=False)
    with open(path, "rb") as fh:  # flush to disk before the part is committed
        os.fsync(fh.fileno())


def _write_json_atomic(obj: dict, path: Path) -> None:
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.tmp")
    tmp.write_text(json.dumps(obj, indent=2, ensure_ascii=False, default=str), encoding="utf-8")
    os.replace(tmp, path)


def read_experiment_json(out: str | Path) -> dict:
    p = Path(out) / "experiment.json"
    if not os.path.lexists(p):
        raise ExperimentError(f"{Path(out).absolute()}: not a sweep directory (no experiment.json)")
    from consultsim.running.inputs import read_bytes  # a regular file only: a pipe or /dev/zero is refused

    try:
        meta = json.loads(read_bytes(p, ExperimentError, "sweep record").decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as e:
        raise ExperimentError(f"{p}: damaged or unreadable ({type(e).__name__}); nothing was changed") from None
    if not (isinstance(meta, dict) and isinstance(meta.get("experiment"), dict)
            and {"varied", "metrics", "sampler", "replicates"} <= set(meta["experiment"])):
        raise ExperimentError(f"{p}: damaged (not the record a sweep writes); nothing was changed")
    return meta


def read_part(path: Path, columns=None) -> pd.DataFrame:
    """One table of a committed part; a damaged file raises one ExperimentError line naming it."""
    from consultsim.running.inputs import check_regular_file

    check_regular_file(path, ExperimentError, "part file", 1 << 40)  # a named pipe would block pyarrow
    try:
        return pd.read_parquet(path, columns=columns)
    except Exception as e:  # noqa: BLE001 - pyarrow raises ArrowInvalid, OSError, KeyError...
        raise ExperimentError(f"{path}: damaged part file ({type(e).__name__}); move its folder out of "
                              "parts/ and continue with --resume to redo its runs") from None


def check_parts(out: str | Path) -> int:
    """Read the run ids of every committed part of ``out`` (both tables); one line naming a damaged file."""
    n = 0
    for p in SweepStore(out).part_dirs():
        for name in ("runs.parquet", "metrics.parquet"):
            read_part(p / name, columns=["run_id"])
        n += 1
    for p in SweepStore(out).added_dirs():
        read_part(p / "metrics.parquet", columns=["run_id"])
    return n


class SweepStore:
    """Reads and writes one sweep directory."""

    def __init__(self, out: str | Path):
        self.out = Path(out)
        self.parts = self.out / "parts"
        self.added = self.out / "added"

    # --- before writing anything: is this directory ours? ---
    def check(self, fingerprint: str, resume: bool, legacy=None) -> bool:
        """Raise unless results of this experiment may go into the directory; True if it holds some.

        ``legacy`` (metrics -> fingerprint, :meth:`Experiment.legacy_fingerprint`) also accepts a
        directory written when the fingerprint still included the metrics."""
        out = self.out
        if not out.exists():
            return False
        if not out.is_dir():
            raise ExperimentError(f"{out}: exists and is not a directory")
        meta = out / "experiment.json"
        if not meta.exists():
            from consultsim.running.outputs import INCOMPLETE, MARKER, foreign_files, shown
            if (out / INCOMPLETE).is_file() and not any(self.part_dirs()):
                return False  # a sweep stopped before it recorded anything: start it afresh
            if any(p.name not in (INCOMPLETE, MARKER) for p in out.iterdir()):
                names = foreign_files(out) or sorted(p.name for p in out.iterdir())
                listed = ", ".join(shown(n) for n in names[:6]) + (f" and {len(names) - 6} more" if len(names) > 6
                                                                  else "")
                raise ExperimentError(f"{out}: not empty and not a sweep directory (it holds {listed}); nothing "
                                      "there is changed, choose another --out")
            return False
        old = read_experiment_json(out)
        same = old.get("fingerprint") == fingerprint or (
            legacy is not None and old.get("fingerprint") == legacy(old["experiment"]["metrics"]))
        if not same:
            raise ExperimentError(f"{out}: holds a different experiment ({old.get('name')!r}, fingerprint "
                                  f"{old.get('fingerprint')}, this one {fingerprint}); choose another --out")
        if not resume:
            raise ExperimentError(f"{out}: already holds this experiment; add --resume to continue it "
                                  "or choose another --out")
        return True

    # --- writing ---
    def start(self, meta: dict, samples: pd.DataFrame) -> None:
        self.parts.mkdir(parents=True, exist_ok=True)
        # runs.parquet describes the parts only once a sweep has finished: while one runs (or after it
        # was killed) there is none, so no reader takes an older union for the current state
        (self.out / "runs.parquet").unlink(missing_ok=True)
        for tmp in self.parts.glob(".tmp-*"):  # half-written parts of a run that died
            shutil.rmtree(tmp, ignore_errors=True)
        if not (self.out / "samples.parquet").exists():
            tmp = self.out / f".samples.{uuid.uuid4().hex[:8]}.tmp"
            samples.to_parquet(tmp, index=False)
            os.replace(tmp, self.out / "samples.parquet")
        _write_json_atomic(meta, self.out / "experiment.json")

    def write_part(self, runs: pd.DataFrame, metrics: pd.DataFrame) -> Path:
        """Commit one chunk of finished runs (both tables) with a single atomic rename."""
        token = uuid.uuid4().hex[:12]
        tmp = self.parts / f".tmp-{token}"
        tmp.mkdir()
        _write_parquet(runs, tmp / "runs.parquet")
        _write_parquet(metrics, tmp / "metrics.parquet")
        _fsync_dir(tmp)
        first = int(runs["run_id"].min())
        final = self.parts / f"part-{first:09d}-{token}"
        os.rename(tmp, final)
        _fsync_dir(self.parts)
        return final

    def write_added(self, metrics: pd.DataFrame) -> Path:
        """Commit metrics added to finished runs (run_id, step, the new columns), atomically."""
        self.added.mkdir(parents=True, exist_ok=True)
        for tmp in self.added.glob(".tmp-*"):
            shutil.rmtree(tmp, ignore_errors=True)
        token = uuid.uuid4().hex[:12]
        tmp = self.added / f".tmp-{token}"
        tmp.mkdir()
        _write_parquet(metrics, tmp / "metrics.parquet")
        _fsync_dir(tmp)
        final = self.added / f"part-{int(metrics['run_id'].min()):09d}-{token}"
        os.rename(tmp, final)
        _fsync_dir(self.added)
        return final

    def added_dirs(self) -> list[Path]:
        return sorted(p for p in self.added.glob("part-*") if p.is_dir()) if self.added.is_dir() else []

    def recorded_metrics(self) -> dict[int, set[str]]:
        """Run id -> the metrics recorded for it (by its own part and by added parts)."""
        import pyarrow.parquet as pq

        have: dict[int, set[str]] = {}
        for p in [*self.part_dirs(), *self.added_dirs()]:
            f = p / "metrics.parquet"
            try:
                cols = set(pq.read_schema(f).names) - {"run_id", "step"}
            except Exception as e:  # noqa: BLE001 - pyarrow raises ArrowInvalid, OSError...
                raise ExperimentError(f"{f}: damaged part file ({type(e).__name__})") from None
            for rid in set(read_part(f, columns=["run_id"])["run_id"].tolist()):
                have.setdefault(int(rid), set()).update(cols)
        return have

    def finish(self) -> pd.DataFrame:
        """Rewrite ``runs.parquet`` as the union of the parts (atomically) and return it."""
        runs = load_runs(self.out)
        tmp = self.out / f".runs.{uuid.uuid4().hex[:8]}.tmp"
        runs.to_parquet(tmp, index=False)
        os.replace(tmp, self.out / "runs.parquet")
        return runs

    # --- reading ---
    def part_dirs(self) -> list[Path]:
        return sorted(p for p in self.parts.glob("part-*") if p.is_dir()) if self.parts.is_dir() else []

    def done_run_ids(self, ok_only: bool = False) -> set[int]:
        """Run ids already on disk (only the successful ones with ``ok_only``)."""
        done: set[int] = set()
        for p in self.part_dirs():
            if ok_only:
                t = read_part(p / "runs.parquet", columns=["run_id", "status"])
                done.update(t.loc[t["status"] == "ok", "run_id"].tolist())
            else:
                done.update(read_part(p / "runs.parquet", columns=["run_id"])["run_id"].tolist())
        return done


def _dirs(out: str | Path | Sequence[str | Path]) -> list[Path]:
    if isinstance(out, (str, Path)):
        return [Path(out)]
    dirs = [Path(d) for d in out]
    if not dirs:
        raise ExperimentError("no sweep directories given")
    return dirs


def _check_same(dirs: list[Path]) -> dict:
    metas = [read_experiment_json(d) for d in dirs]
    fps = {m.get("fingerprint") for m in metas}
    if len(fps) > 1:
        raise ExperimentError(f"cannot combine {', '.join(map(str, dirs))}: they hold different experiments")
    if len({tuple(m["experiment"]["metrics"]) for m in metas}) > 1:
        raise ExperimentError(f"cannot combine {', '.join(map(str, dirs))}: they recorded different metrics; "
                              "give each the same metrics first (consultsim sweep --resume --add-metrics)")
    return metas[0]


def _read_parts(dirs: Iterable[Path], name: str, columns=None) -> list[pd.DataFrame]:
    frames = []
    for d in dirs:
        for p in SweepStore(d).part_dirs():
            frames.append(read_part(p / name, columns=columns))
    return frames


def load_runs(out: str | Path | Sequence[str | Path]) -> pd.DataFrame:
    """One row per run (finished or failed) of one sweep, or of several directories of the same
    experiment (e.g. shards run on different machines), without duplicates, sorted by run_id."""
    dirs = _dirs(out)
    meta = _check_same(dirs)
    frames = _read_parts(dirs, "runs.parquet")
    if not frames:
        cols = [*_RUN_COLS, *meta["experiment"]["varied"], "status", "error", "seconds"]
        return pd.DataFrame(columns=cols)
    runs = pd.concat(frames, ignore_index=True)
    failed_first = (runs["status"] != "ok").to_numpy()
    order = np.lexsort((np.arange(len(runs)), failed_first))  # ok rows first, then part order
    runs = runs.iloc[order].drop_duplicates("run_id", keep="first").sort_values("run_id", ignore_index=True)
    for col in ("error", "seed_text", "code_id"):
        if col in runs:
            runs[col] = runs[col].astype("string")
    return runs


def load_results(out: str | Path | Sequence[str | Path]) -> pd.DataFrame:
    """The tidy results of a sweep: one row per successful run and kept step, with the run's
    identifiers, its varied parameters, then ``step`` and one column per kept metric.

    ``out`` may be one sweep directory or several holding the same experiment
    (their runs are combined, each run once). ``attrs["experiment"]`` holds
    the experiment as recorded in ``experiment.json``; ``attrs["failed"]`` the
    number of failed runs left out (also said in a warning).
    """
    dirs = _dirs(out)
    meta = _check_same(dirs)
    runs = load_runs(dirs)
    names = list(meta["experiment"]["metrics"])
    frames = _read_parts(dirs, "metrics.parquet")
    added = [read_part(p / "metrics.parquet") for d in dirs for p in SweepStore(d).added_dirs()]
    if not frames:
        metrics = pd.DataFrame(columns=["run_id", "step", *names])
    elif not added and all(set(names) <= set(f.columns) for f in frames):  # the usual case
        metrics = pd.concat([f[["run_id", "step", *names]] for f in frames], ignore_index=True)
        metrics = metrics.drop_duplicates(["run_id", "step"], keep="first")
    else:  # parts recorded different metrics: combine them value by value, each (run, step, metric) once
        metrics = _combine(frames, added, names)
    ok = runs[runs["status"] == "ok"].drop(columns=["status", "error", "seconds"])
    tidy = ok.merge(metrics, on="run_id", how="inner", validate="one_to_many")
    tidy = tidy.sort_values(["run_id", "step"], ignore_index=True)
    tidy.attrs["experiment"] = meta
    failed = int((runs["status"] != "ok").sum())
    tidy.attrs["failed"] = failed
    tidy.attrs["runs"] = len(runs)
    if failed:
        warnings.warn(f"{failed} of {len(runs)} runs failed and are left out (load_runs shows their errors)",
                      FailedRunsWarning, stacklevel=2)
    return tidy


def _combine(frames: list[pd.DataFrame], added: list[pd.DataFrame], names: list[str]) -> pd.DataFrame:
    """Wide metrics from parts with different columns: the rows are the runs' own parts' (run, step)
    pairs; each metric's value comes from the first frame that recorded it for that run."""
    base = pd.concat([f[["run_id", "step"]] for f in frames], ignore_index=True).drop_duplicates()
    long = []
    for f in [*frames, *added]:
        cols = [m for m in names if m in f.columns]
        if cols:
            long.append(f[["run_id", "step", *cols]].melt(["run_id", "step"], var_name="metric"))
    if not long:
        return base.assign(**{m: np.nan for m in names})
    v = pd.concat(long, ignore_index=True).drop_duplicates(["run_id", "step", "metric"], keep="first")
    wide = v.set_index(["run_id", "step", "metric"])["value"].unstack("metric")
    wide = wide.reindex(columns=names).reset_index()
    wide.columns.name = None
    out = base.merge(wide, on=["run_id", "step"], how="left")
    return out.astype({m: "float64" for m in names})


def merge_results(dirs: Sequence[str | Path], out: str | Path) -> Path:
    """Copy the parts of several directories of the same experiment into ``out`` (one sweep directory;
    ``consultsim sweep --resume --out OUT`` then runs whatever none of them finished)."""
    dirs = _dirs(dirs)
    meta = _check_same(dirs)
    out = Path(out)
    store = SweepStore(out)
    store.check(meta["fingerprint"], resume=True)
    samples = read_part(dirs[0] / "samples.parquet")
    metas = [read_experiment_json(d) for d in dirs]
    identities = {k: v for m in metas for k, v in m.get("identities", {}).items()}  # every machine's code
    store.start({**meta, "identities": identities, "merged_from": [str(d.resolve()) for d in dirs]}, samples)
    have = store.done_run_ids()
    for d in dirs:
        for p in SweepStore(d).part_dirs():
            ids = set(read_part(p / "runs.parquet", columns=["run_id"])["run_id"])
            if ids <= have:
                continue
            if ids & have:  # overlapping part: keep only the new runs
                runs = read_part(p / "runs.parquet")
                metrics = read_part(p / "metrics.parquet")
                new = ~runs["run_id"].isin(have)
                store.write_part(runs[new], metrics[metrics["run_id"].isin(runs.loc[new, "run_id"])])
            else:
                tmp = store.parts / f".tmp-{uuid.uuid4().hex[:12]}"
                shutil.copytree(p, tmp)
                os.rename(tmp, store.parts / f"{p.name}-{uuid.uuid4().hex[:6]}")
            have |= ids
    for d in dirs:  # metrics added to finished runs: readers take each (run, step, metric) once
        for p in SweepStore(d).added_dirs():
            store.added.mkdir(parents=True, exist_ok=True)
            tmp = store.added / f".tmp-{uuid.uuid4().hex[:12]}"
            shutil.copytree(p, tmp)
            os.rename(tmp, store.added / f"{p.name}-{uuid.uuid4().hex[:6]}")
    store.finish()
    return out
