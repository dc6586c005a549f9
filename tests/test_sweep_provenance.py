"""Sweeps that cannot mislead (issue 11): failures are loud and can be retried to the uninterrupted table,
resuming with other code is refused in one line, seeds survive text, and auto picks an executor."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

import consultsim.sweeps.runner as runner
from consultsim.cli import main
from consultsim.errors import UsageError
from consultsim.sweeps import load_results, load_runs, run_sweep
from consultsim.sweeps.storage import FailedRunsWarning


def _toy(tmp_path: Path, extra: str = "") -> Path:
    p = tmp_path / "toy.toml"
    p.write_text(f"""
name = "toy"
model = "consultsim.sweeps.testfunctions:toy"
seed = 11
replicates = 3
steps = 6
metrics = ["y", "z"]
collect_every = 3
runs_per_file = 4
[sampler]
method = "grid"
[parameters]
slope = [0.5, 1.0, 2.0, 3.0]
noise = 0.5
{extra}
""", encoding="utf-8")
    return p


def _stable(runs: pd.DataFrame) -> pd.DataFrame:
    return runs.drop(columns=["seconds"]).reset_index(drop=True)


def test_failed_runs_exit_non_zero_with_one_summary_line(tmp_path, capsys):
    code = main(["sweep", str(_toy(tmp_path, "fail_above = 2.5")), "--out", str(tmp_path / "o"),
                 "--executor", "serial", "--no-progress"])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 1
    assert err[-1] == (f"consultsim sweep: 3 of 12 runs failed (first: ValueError: slope 3 is above 2.5 "
                       f"(testfunctions.py:59)); see the error column of {tmp_path / 'o' / 'runs.parquet'}, "
                       "fix the cause and rerun them with --retry-failed")
    with pytest.warns(FailedRunsWarning, match="3 of 12 runs failed"):
        tidy = load_results(tmp_path / "o")
    assert tidy.attrs["failed"] == 3 and set(tidy["slope"]) == {0.5, 1.0, 2.0}


def test_retry_failed_completes_to_the_uninterrupted_table(tmp_path, monkeypatch):
    toy = _toy(tmp_path)
    real = runner.execute_run

    def flaky(spec, config):  # a transient fault (a lost node, a full disk) in three runs
        row, kept = real(spec, config)
        if row["run_id"] in (1, 6, 10):
            row.update(status="error", error="OSError: injected fault")
            kept = None
        return row, kept

    monkeypatch.setattr(runner, "execute_run", flaky)
    first = run_sweep(toy, tmp_path / "retried", executor="serial", progress=False)
    assert (first.ok, first.failed) == (9, 3)
    monkeypatch.setattr(runner, "execute_run", real)
    again = run_sweep(toy, tmp_path / "retried", executor="serial", progress=False, resume=True)
    assert again.ran == 0 and again.failed == 3  # a plain resume leaves failures alone
    with pytest.raises(UsageError, match="add --resume"):
        run_sweep(toy, tmp_path / "retried", executor="serial", progress=False, retry_failed=True)
    retry = run_sweep(toy, tmp_path / "retried", executor="serial", progress=False, resume=True,
                      retry_failed=True)
    assert retry.ran == 3 and retry.failed == 0 and retry.ok == 12
    run_sweep(toy, tmp_path / "whole", executor="serial", progress=False)
    pd.testing.assert_frame_equal(_stable(load_runs(tmp_path / "retried")), _stable(load_runs(tmp_path / "whole")))
    pd.testing.assert_frame_equal(load_results(tmp_path / "retried"), load_results(tmp_path / "whole"))


def test_resume_with_other_code_is_refused_in_one_line_unless_allowed(tmp_path, capsys):
    toy, out = _toy(tmp_path), tmp_path / "o"
    run_sweep(toy, out, executor="serial", progress=False, shard="1/2")
    meta = json.loads((out / "experiment.json").read_text())
    ident = meta["code"]
    assert ident["id"] in meta["identities"] and ident["source_hash"] and "mesa" in ident["versions"]
    assert set(load_runs(out)["code_id"]) == {ident["id"]}
    # pretend the runs on disk came from another model version
    old = {**ident, "id": "0123456789abcdef", "git_commit": "f" * 40, "git_dirty": False,
           "versions": {**ident["versions"], "mesa": "3.0.0"}}
    meta.update(code=old, identities={old["id"]: old}, versions={**meta["versions"], "mesa": "3.0.0"})
    (out / "experiment.json").write_text(json.dumps(meta))
    args = ["sweep", str(toy), "--out", str(out), "--executor", "serial", "--no-progress", "--resume"]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "its runs came from other code (code 0123456789abcdef" in err
    assert "Mesa 3.0.0" in err and "--allow-mixed" in err
    assert main([*args, "--allow-mixed"]) == 0
    meta = json.loads((out / "experiment.json").read_text())
    assert meta["code"]["id"] == old["id"] and meta["versions"]["mesa"] == "3.0.0"  # the first record stays
    assert set(meta["identities"]) == {old["id"], ident["id"]}
    assert [h["code_id"] for h in meta["history"]][-1] == ident["id"]


def test_auto_runs_a_pilot_here_then_picks_serial_or_processes(monkeypatch):
    import time

    specs = iter([(i, 0, 0, 1, {}) for i in range(100)])
    assert runner.choose_executor(lambda s: s, specs, 100, None, "tcp://x:1")[0] == "dask"
    chosen, pilot = runner.choose_executor(lambda s: s, specs, 100, None, None)
    assert chosen == "serial" and len(pilot) == runner.PILOT_RUNS  # 97 instant runs: a pool never pays

    def slow(spec):
        time.sleep(0.05)
        return spec

    monkeypatch.setattr(runner, "POOL_START_SECONDS", 0.5)
    monkeypatch.setattr("os.cpu_count", lambda: 2)
    monkeypatch.setattr(runner, "free_cores", lambda before, cores: 1.0)  # the other core idle
    assert runner.choose_executor(slow, iter(list(range(100))), 100, None, None)[0] == "process"
    monkeypatch.setattr(runner, "free_cores", lambda before, cores: 0.0)  # taken by others
    assert runner.choose_executor(slow, iter(list(range(100))), 100, None, None)[0] == "serial"
    assert runner.choose_executor(slow, iter(list(range(5))), 5, None, None)[0] == "serial"  # too few


def test_free_cores_from_idle_time_while_the_pilot_ran(monkeypatch):
    # 1,000 ticks passed on a 2-core machine, 500 of them idle: one core was left free
    monkeypatch.setattr(runner, "_cpu_times", lambda: (600.0, 2000.0))
    assert runner.free_cores((100.0, 1000.0), 2) == pytest.approx(1.0)
    # no /proc/stat: the 1-minute load average less this process
    monkeypatch.setattr(runner, "_cpu_times", lambda: None)
    monkeypatch.setattr("os.getloadavg", lambda: (1.5, 1.0, 1.0))
    assert runner.free_cores(None, 2) == pytest.approx(0.5)


def test_add_replicates_runs_only_the_new_runs_and_matches_a_larger_sweep(tmp_path, capsys):
    toy = _toy(tmp_path)  # 4 samples x 3 replicates, common seeds
    grown, fresh = tmp_path / "grown", tmp_path / "fresh"
    run_sweep(toy, grown, executor="serial", progress=False)
    with pytest.raises(UsageError, match="add --resume"):
        run_sweep(toy, grown, executor="serial", progress=False, add_replicates=2)
    s = run_sweep(toy, grown, executor="serial", progress=False, resume=True, add_replicates=2)
    assert s.ran == 8 and s.ok == 20 and s.n_runs == 20
    assert run_sweep(toy, grown, executor="serial", progress=False, resume=True).ran == 0  # stays 5 replicates
    five = tmp_path / "five.toml"
    five.write_text(toy.read_text().replace("replicates = 3", "replicates = 5"), encoding="utf-8")
    run_sweep(five, fresh, executor="serial", progress=False)
    key = ["sample_id", "replicate"]
    a = load_runs(grown).sort_values(key, ignore_index=True)
    b = load_runs(fresh).sort_values(key, ignore_index=True)
    pd.testing.assert_frame_equal(a.drop(columns=["run_id", "seconds"]), b.drop(columns=["run_id", "seconds"]))
    assert sorted(load_runs(grown)["run_id"]) == list(range(20))  # the new runs' ids follow the old ones
    ra = load_results(grown).drop(columns="run_id").sort_values([*key, "step"], ignore_index=True)
    rb = load_results(fresh).drop(columns="run_id").sort_values([*key, "step"], ignore_index=True)
    pd.testing.assert_frame_equal(ra, rb)
    meta = json.loads((grown / "experiment.json").read_text())
    assert meta["experiment"]["replicates"] == 5 and meta["experiment"]["replicate_blocks"] == [3, 2]
    assert main(["sweep", str(toy), "--out", str(grown), "--executor", "serial", "--no-progress", "--resume",
                 "--add-replicates", "1"]) == 0
    assert "4 runs in" in capsys.readouterr().err and len(load_runs(grown)) == 24
