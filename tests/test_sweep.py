"""Sweeps: identical tables on every executor, failures recorded, kill -9 and resume, shards and merges."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from consultsim.core.rng import derive_seeds
from consultsim.errors import UsageError
from consultsim.sweeps import load_results, load_runs, merge_results, run_sweep
from consultsim.sweeps.experiments import EXPERIMENT_DIR, load_experiment
from consultsim.sweeps.storage import FailedRunsWarning

REPO = Path(__file__).resolve().parent.parent
SMOKE = EXPERIMENT_DIR / "smoke.toml"


def _toy(tmp_path: Path, name="toy", *, slopes="[0.5, 1.0, 2.0, 3.0]", replicates=3, extra="", per_file=4):
    p = tmp_path / f"{name}.toml"
    p.write_text(f"""
name = "{name}"
model = "consultsim.sweeps.testfunctions:toy"
seed = 11
replicates = {replicates}
steps = 6
metrics = ["y", "z"]
collect_every = 3
runs_per_file = {per_file}
[sampler]
method = "grid"
[parameters]
slope = {slopes}
noise = 0.5
{extra}
""", encoding="utf-8")
    return p


def _stable(runs: pd.DataFrame) -> pd.DataFrame:
    return runs.drop(columns=["seconds"]).reset_index(drop=True)


@pytest.fixture(scope="module")
def smoke_serial(tmp_path_factory):
    out = tmp_path_factory.mktemp("smoke") / "serial"
    summary = run_sweep(SMOKE, out, executor="serial", progress=False, command=["consultsim", "sweep", "smoke"])
    return out, summary


def test_smoke_serial_layout_seeds_and_provenance(smoke_serial):
    out, summary = smoke_serial
    exp = load_experiment(SMOKE)
    n_runs = 4 * exp.replicates
    assert summary.ok == n_runs and summary.failed == 0
    runs = pd.read_parquet(out / "runs.parquet")
    assert list(runs.columns) == ["run_id", "sample_id", "replicate", "seed", "seed_text", "incentive_per_meeting",
                                  "training_sessions_per_quarter", "status", "error", "seconds", "code_id"]
    # seeds survive a float or text round trip through their text column
    assert [int(t) for t in runs["seed_text"]] == runs["seed"].tolist()
    assert runs["run_id"].tolist() == list(range(n_runs))
    # common random numbers: replicate r uses derive_seeds(master, R)[r] in every cell
    assert runs["seed"].tolist() == [derive_seeds(exp.seed, exp.replicates)[r] for r in runs["replicate"]]
    # metrics are written in chunks (runs_per_file = 3 -> 3 parts for 8 runs), not one file per run
    parts = sorted((out / "parts").glob("part-*"))
    assert len(parts) == 3 and all((p / "metrics.parquet").exists() for p in parts)
    tidy = load_results(out)
    assert sorted(tidy["step"].unique()) == [0, 4, 8, 12]  # collect_every = 4, and the last week
    assert len(tidy) == n_runs * 4
    assert set(exp.metrics) <= set(tidy.columns)
    meta = json.loads((out / "experiment.json").read_text())
    assert meta["experiment"]["seed"] == exp.seed and "mesa" in meta["versions"]
    assert meta["command"] == "consultsim sweep smoke" and meta["fingerprint"] == exp.fingerprint()
    # the varied values reach the model: with no incentive nothing is ever paid out
    assert (tidy.loc[tidy["incentive_per_meeting"] == 0, "incentive_spent"] == 0).all()
    assert set(tidy["incentive_per_meeting"]) == {0.0, 20.0}


def test_process_executor_gives_identical_tables(smoke_serial, tmp_path):
    out, _ = smoke_serial
    run_sweep(SMOKE, tmp_path / "p", executor="process", workers=2, progress=False)
    pd.testing.assert_frame_equal(load_results(out), load_results(tmp_path / "p"))
    pd.testing.assert_frame_equal(_stable(load_runs(out)), _stable(load_runs(tmp_path / "p")))


@pytest.mark.dask
def test_dask_local_cluster_gives_identical_tables(smoke_serial, tmp_path):
    out, _ = smoke_serial
    run_sweep(SMOKE, tmp_path / "d", executor="dask", workers=2, progress=False)
    pd.testing.assert_frame_equal(load_results(out), load_results(tmp_path / "d"))
    pd.testing.assert_frame_equal(_stable(load_runs(out)), _stable(load_runs(tmp_path / "d")))


def test_a_run_that_raises_is_recorded_and_the_others_go_on(tmp_path):
    exp = _toy(tmp_path, extra="fail_above = 2.5")
    s = run_sweep(exp, tmp_path / "o", executor="serial", progress=False)
    runs = load_runs(tmp_path / "o")
    bad = runs[runs["slope"] > 2.5]
    assert (bad["status"] == "error").all() and len(bad) == 3
    assert bad["error"].str.startswith("ValueError: slope 3 is above 2.5").all()
    assert (runs.loc[runs["slope"] <= 2.5, "status"] == "ok").all()
    assert s.ok == 9 and s.failed == 3
    with pytest.warns(FailedRunsWarning, match="3 of 12 runs failed"):
        assert set(load_results(tmp_path / "o")["slope"]) == {0.5, 1.0, 2.0}


def test_a_real_model_run_that_raises_is_recorded(tmp_path):
    # elderly_share + young_share > 1 is refused by the model's parameters, at run time
    p = tmp_path / "mix.toml"
    p.write_text(SMOKE.read_text().replace("incentive_per_meeting = [0, 20]", "elderly_share = [0.3, 0.8]")
                 .replace("training_sessions_per_quarter = [0, 4]", "young_share = 0.3"), encoding="utf-8")
    run_sweep(p, tmp_path / "o", executor="serial", progress=False)
    runs = load_runs(tmp_path / "o")
    assert (runs.loc[runs["elderly_share"] == 0.8, "status"] == "error").all()
    assert runs.loc[runs["elderly_share"] == 0.8, "error"].str.contains("must not exceed 1").all()
    assert (runs.loc[runs["elderly_share"] == 0.3, "status"] == "ok").all()


def _env():
    return {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")])}


def test_kill_9_then_resume_gives_the_uninterrupted_table(tmp_path):
    exp = _toy(tmp_path, slopes="[0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 3.5, 4.0, 4.5, 5.0]", per_file=2,
               extra="delay = 0.06\nfail_above = 4.2")
    killed = tmp_path / "killed"
    proc = subprocess.Popen([sys.executable, "-m", "consultsim.cli", "sweep", str(exp), "--out", str(killed),
                             "--executor", "serial", "--no-progress"], env=_env(), cwd=tmp_path,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while len(list((killed / "parts").glob("part-*"))) < 3 and time.monotonic() < deadline:
        time.sleep(0.02)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL
    finished = len(load_runs(killed))
    assert 6 <= finished < 30  # killed part-way
    assert not (killed / "runs.parquet").exists()

    summary = run_sweep(exp, killed, executor="serial", resume=True, progress=False)
    assert summary.ran == 30 - finished  # only the unfinished runs ran again
    whole = tmp_path / "whole"
    run_sweep(exp, whole, executor="serial", progress=False)
    a, b = load_runs(killed), load_runs(whole)
    assert a["run_id"].is_unique and len(a) == 30
    pd.testing.assert_frame_equal(_stable(a), _stable(b))
    with pytest.warns(FailedRunsWarning):
        pd.testing.assert_frame_equal(load_results(killed), load_results(whole))
    # the parts on disk hold no duplicate either (not only the de-duplicating reader)
    ids = pd.concat(pd.read_parquet(p / "runs.parquet") for p in (killed / "parts").glob("part-*"))["run_id"]
    assert ids.is_unique
    pd.testing.assert_frame_equal(_stable(pd.read_parquet(killed / "runs.parquet")), _stable(b))


def test_directory_guards(tmp_path):
    toy = _toy(tmp_path)
    out = tmp_path / "o"
    run_sweep(toy, out, executor="serial", progress=False)
    with pytest.raises(UsageError, match="already holds this experiment; add --resume"):
        run_sweep(toy, out, executor="serial", progress=False)
    other = _toy(tmp_path, "other", slopes="[1.0, 9.0]")
    before = sorted(p.name for p in out.rglob("*"))
    with pytest.raises(UsageError, match="holds a different experiment"):
        run_sweep(other, out, executor="serial", progress=False, resume=True)
    assert sorted(p.name for p in out.rglob("*")) == before
    junk = tmp_path / "junk"
    junk.mkdir()
    (junk / "notes.txt").write_text("mine")
    with pytest.raises(UsageError, match="not a sweep directory"):
        run_sweep(toy, junk, executor="serial", progress=False)
    s = run_sweep(toy, out, executor="serial", progress=False, resume=True)  # complete: nothing to do
    assert s.ran == 0 and s.ok == 12


def test_shards_on_two_machines_combine_to_the_whole(tmp_path):
    toy = _toy(tmp_path)
    run_sweep(toy, tmp_path / "whole", executor="serial", progress=False)
    s1 = run_sweep(toy, tmp_path / "m1", executor="serial", progress=False, shard="1/2")
    s2 = run_sweep(toy, tmp_path / "m2", executor="serial", progress=False, shard="2/2")
    assert s1.ran == s2.ran == 6
    whole = load_results(tmp_path / "whole")
    pd.testing.assert_frame_equal(load_results([tmp_path / "m1", tmp_path / "m2"]), whole)
    # overlapping directories (the same shard twice) still give each run once
    pd.testing.assert_frame_equal(load_results([tmp_path / "m1", tmp_path / "m2", tmp_path / "m1"]), whole)
    merge_results([tmp_path / "m1", tmp_path / "m2"], tmp_path / "merged")
    pd.testing.assert_frame_equal(load_results(tmp_path / "merged"), whole)
    from consultsim.sweeps.__main__ import main as sweeps_main  # python -m consultsim.sweeps merge ...
    assert sweeps_main(["merge", str(tmp_path / "merged2"), str(tmp_path / "m2"), str(tmp_path / "m1")]) == 0
    pd.testing.assert_frame_equal(load_results(tmp_path / "merged2"), whole)
    from consultsim.cli import main as cli_main  # and as a subcommand: consultsim merge OUT DIR...
    assert cli_main(["merge", str(tmp_path / "merged3"), str(tmp_path / "m1"), str(tmp_path / "m2")]) == 0
    pd.testing.assert_frame_equal(load_results(tmp_path / "merged3"), whole)
    assert cli_main(["merge", str(tmp_path / "merged4"), str(tmp_path / "nowhere")]) == 2
    assert run_sweep(toy, tmp_path / "merged", executor="serial", progress=False, resume=True).ran == 0
    with pytest.raises(UsageError, match="different experiments"):
        load_results([tmp_path / "m1", _sweep_of(_toy(tmp_path, "x", slopes="[7.0, 8.0]"), tmp_path / "x")])


def _sweep_of(exp, out):
    run_sweep(exp, out, executor="serial", progress=False)
    return out


def test_cli_sweep_progress_bar_and_summary(tmp_path):
    toy = _toy(tmp_path)
    r = subprocess.run([sys.executable, "-m", "consultsim.cli", "sweep", str(toy), "--out", str(tmp_path / "o"),
                        "--executor", "serial"], env=_env(), capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert "12/12" in r.stderr and "run/s" in r.stderr  # tqdm: count and rate
    assert "holds 12 finished and 0 failed of 12" in r.stderr


def test_a_dead_process_worker_stops_cleanly_and_resume_finishes(tmp_path):
    flag = tmp_path / "died"
    exp = _toy(tmp_path, slopes="[0.5, 1.0, 2.0, 3.0, 4.0, 5.0]", replicates=2, per_file=1,
               extra=f'die_once = "{flag}"\ndie_slope = 4.0\ndelay = 0.02')
    out = tmp_path / "o"
    args = [sys.executable, "-m", "consultsim.cli", "sweep", str(exp), "--out", str(out), "--workers", "2",
            "--no-progress", "--executor", "process"]
    r = subprocess.run(args, env=_env(), capture_output=True, text=True, timeout=120)
    assert r.returncode == 1 and flag.exists()
    assert r.stderr.strip().splitlines()[-1].startswith("consultsim sweep: a worker process died abruptly")
    r = subprocess.run([*args, "--resume"], env=_env(), capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    runs = load_runs(out)
    assert runs["run_id"].tolist() == list(range(12)) and (runs["status"] == "ok").all()
