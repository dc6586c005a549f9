"""Adding metrics to a finished sweep: only what is missing is recorded, old parts stay as they were,
and a re-simulation that does not reproduce the recorded values is refused (docs/scaling.md)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pandas as pd
import pytest

import consultsim.sweeps.runner as runner
import consultsim.sweeps.testfunctions as testfunctions
from consultsim.cli import main
from consultsim.errors import UsageError
from consultsim.sweeps import load_results, load_runs, merge_results, run_sweep
from consultsim.sweeps.experiments import EXPERIMENT_DIR, load_experiment


def _toy(tmp_path: Path, name: str, metrics: str, replicates: int = 3) -> Path:
    p = tmp_path / f"{name}.toml"
    p.write_text(f"""
name = "toy"
model = "consultsim.sweeps.testfunctions:toy"
seed = 11
replicates = {replicates}
steps = 6
metrics = {metrics}
collect_every = 3
runs_per_file = 5
[sampler]
method = "grid"
[parameters]
slope = [0.5, 1.0, 2.0, 3.0]
noise = 0.5
""", encoding="utf-8")
    return p


def _files(out: Path) -> dict[str, str]:
    """Every committed part file and its content hash."""
    return {str(f.relative_to(out)): hashlib.sha256(f.read_bytes()).hexdigest()
            for f in sorted((out / "parts").rglob("*.parquet"))}


def _table(out: Path) -> pd.DataFrame:
    return load_results(out).sort_values(["run_id", "step"], ignore_index=True)


def test_metrics_do_not_change_the_fingerprint(tmp_path):
    y, yz = load_experiment(_toy(tmp_path, "y", '["y"]')), load_experiment(_toy(tmp_path, "yz", '["y", "z"]'))
    assert y.fingerprint() == yz.fingerprint()
    assert y.legacy_fingerprint(["y"]) != y.legacy_fingerprint(["y", "z"])  # as before: metrics were in it


def test_added_metric_equals_a_sweep_run_with_it_and_leaves_old_parts_untouched(tmp_path, capsys):
    y, yz = _toy(tmp_path, "y", '["y"]'), _toy(tmp_path, "yz", '["y", "z"]')
    grown, fresh = tmp_path / "grown", tmp_path / "fresh"
    run_sweep(y, grown, executor="serial", progress=False)
    before, y_before = _files(grown), _table(grown)
    with pytest.raises(UsageError, match="did not record .*z.*add --add-metrics"):
        run_sweep(yz, grown, executor="serial", progress=False, resume=True)
    with pytest.raises(UsageError, match="add --resume"):
        run_sweep(yz, grown, executor="serial", progress=False, add_metrics=True)
    assert _files(grown) == before and not (grown / "added").exists()  # a refusal writes nothing

    s = run_sweep(yz, grown, executor="serial", progress=False, resume=True, add_metrics=True)
    assert s.resimulated == 12 and s.ran == 0 and s.ok == 12
    assert _files(grown) == before  # the old parts are not touched; the new column is in added/
    assert len(list((grown / "added").glob("part-*"))) == 3  # 12 runs, runs_per_file = 5
    run_sweep(yz, fresh, executor="serial", progress=False)
    pd.testing.assert_frame_equal(_table(grown), _table(fresh))
    pd.testing.assert_frame_equal(_table(grown)[y_before.columns], y_before)  # old values as they were
    assert json.loads((grown / "experiment.json").read_text())["experiment"]["metrics"] == ["y", "z"]

    # nothing left to do; an experiment file that no longer lists y keeps y in the sweep
    again = run_sweep(y, grown, executor="serial", progress=False, resume=True, add_metrics=True)
    assert again.ran == 0 and again.resimulated == 0
    assert list(_table(grown).columns[-2:]) == ["y", "z"]

    # grown further: new replicates record both metrics in their own parts; still the same table
    run_sweep(yz, grown, executor="serial", progress=False, resume=True, add_replicates=2)
    five = tmp_path / "five"
    run_sweep(_toy(tmp_path, "yz5", '["y", "z"]', replicates=5), five, executor="serial", progress=False)
    key = ["sample_id", "replicate", "step"]
    a = _table(grown).drop(columns="run_id").sort_values(key, ignore_index=True)
    b = _table(five).drop(columns="run_id").sort_values(key, ignore_index=True)
    pd.testing.assert_frame_equal(a, b)

    # a merge keeps the added metrics; directories that recorded other metrics are not combined
    merged = merge_results([grown], tmp_path / "merged")
    pd.testing.assert_frame_equal(_table(merged), _table(grown))
    only_y = tmp_path / "only_y"
    run_sweep(y, only_y, executor="serial", progress=False)
    with pytest.raises(UsageError, match="recorded different metrics"):
        load_results([grown, only_y])

    # the command line
    w = tmp_path / "w"
    assert main(["sweep", str(y), "--out", str(w), "--executor", "serial", "--no-progress"]) == 0
    capsys.readouterr()
    assert main(["sweep", str(yz), "--out", str(w), "--executor", "serial", "--no-progress", "--resume"]) == 2
    err = capsys.readouterr().err
    assert "--add-metrics" in err and "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert main(["sweep", str(yz), "--out", str(w), "--executor", "serial", "--no-progress", "--resume",
                 "--add-metrics"]) == 0
    assert "12 finished runs re-simulated" in capsys.readouterr().err


def test_a_changed_model_is_refused_and_nothing_is_added(tmp_path, monkeypatch):
    y, yz = _toy(tmp_path, "y", '["y"]'), _toy(tmp_path, "yz", '["y", "z"]')
    out = tmp_path / "out"
    run_sweep(y, out, executor="serial", progress=False)
    before, table = _files(out), _table(out)
    original = testfunctions.toy

    def changed(*args, **kw):  # the same model, one output nudged in its last bits
        ts = original(*args, **kw)
        ts["y"] = ts["y"] * (1 + 1e-15) + 1e-300
        return ts

    monkeypatch.setattr(testfunctions, "toy", changed)
    runner._model_fn.cache_clear()
    try:
        with pytest.raises(UsageError, match=r"run \d+ .*does not reproduce its recorded y at step"):
            run_sweep(yz, out, executor="serial", progress=False, resume=True, add_metrics=True)
    finally:
        runner._model_fn.cache_clear()
    assert _files(out) == before
    assert json.loads((out / "experiment.json").read_text())["experiment"]["metrics"] == ["y"]
    pd.testing.assert_frame_equal(_table(out), table)  # readers see the sweep as it was


def test_a_sweep_written_with_the_old_fingerprint_still_resumes(tmp_path):
    y, yz = _toy(tmp_path, "y", '["y"]'), _toy(tmp_path, "yz", '["y", "z"]')
    out = tmp_path / "old"
    run_sweep(y, out, executor="serial", progress=False)
    meta = json.loads((out / "experiment.json").read_text())
    # the fingerprint as sweeps recorded it before this change: the same hash with the metrics in it
    d = dict(meta["experiment"])
    for k in ("name", "description", "path", "runs_per_file", "roles", "replicate_blocks"):
        d.pop(k)
    d["replicates"] = 3
    d["scenario"] = d["scenario"]["params"]
    meta["fingerprint"] = hashlib.sha256(json.dumps(d, sort_keys=True, default=str, separators=(",", ":"))
                                         .encode()).hexdigest()[:16]
    assert meta["fingerprint"] != load_experiment(y).fingerprint()
    (out / "experiment.json").write_text(json.dumps(meta), encoding="utf-8")
    s = run_sweep(yz, out, executor="serial", progress=False, resume=True, add_metrics=True)
    assert s.resimulated == 12
    assert json.loads((out / "experiment.json").read_text())["fingerprint"] == load_experiment(y).fingerprint()
    other = _toy(tmp_path, "other", '["y"]').read_text().replace("noise = 0.5", "noise = 0.4")
    (tmp_path / "other.toml").write_text(other, encoding="utf-8")
    with pytest.raises(UsageError, match="holds a different experiment"):
        run_sweep(tmp_path / "other.toml", out, executor="serial", progress=False, resume=True)


def test_consultsim_sweeps_grow_by_a_named_metric_without_running_anything(tmp_path):
    """The real model records every named metric, so asking a finished sweep for another one runs
    nothing again (no --add-metrics needed) and gives the table of a sweep that asked from the start."""
    text = (EXPERIMENT_DIR / "smoke.toml").read_text(encoding="utf-8")
    text = text.replace("replicates = 2", "replicates = 1").replace("training_sessions_per_quarter = [0, 4]", "")
    few = tmp_path / "few.toml"
    few.write_text(text.replace(
        'metrics = ["participation_rate", "meetings_held", "resolutions", "mean_trust_committee", '
        '"incentive_spent"]', 'metrics = ["participation_rate"]'), encoding="utf-8")
    more = tmp_path / "more.toml"
    more.write_text(text.replace(
        'metrics = ["participation_rate", "meetings_held", "resolutions", "mean_trust_committee", '
        '"incentive_spent"]', 'metrics = ["participation_rate", "resolutions"]'), encoding="utf-8")
    grown, fresh = tmp_path / "grown", tmp_path / "fresh"
    run_sweep(few, grown, executor="serial", progress=False)
    s = run_sweep(more, grown, executor="serial", progress=False, resume=True)
    assert s.resimulated == 0 and s.ran == 0
    run_sweep(more, fresh, executor="serial", progress=False)
    pd.testing.assert_frame_equal(_table(grown).drop(columns="code_id"), _table(fresh).drop(columns="code_id"))
    assert len(load_runs(grown)) == 2
