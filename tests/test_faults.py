"""Faults (issue 12): kill -9 mid-compare and mid-sweep, a full disk, two writers at once, a damaged part.

After any of them the output folder is either the earlier one, untouched, or the new one, whole;
never a mixture that looks complete and describes another run; and nothing finished is lost.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
from fault_snippets import SMALL

from consultsim.cli import main

REPO = Path(__file__).resolve().parent.parent


def _toy(path: Path, *, delay: float = 0.0, per_file: int = 2, slopes: str = "[1.0, 2.0, 3.0, 4.0]") -> Path:
    path.write_text(f"""name = "toy"
model = "toy"
seed = 5
replicates = 2
steps = 5
metrics = ["y", "z"]
runs_per_file = {per_file}
[sampler]
method = "grid"
[parameters]
slope = {slopes}
delay = {delay}
""", encoding="utf-8")
    return path


def _tree(root: Path) -> dict[str, str]:
    out = {}
    for p in sorted(root.rglob("*")):
        if p.is_file():
            with open(p, "rb") as fh:
                out[str(p.relative_to(root))] = hashlib.sha256(fh.read()).hexdigest()
    return out


def _env() -> dict:
    return {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")])}


def _spawn(args: list[str], cwd: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "consultsim.cli", *args], cwd=cwd, env=_env(),
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)


def _wait_for(cond, timeout: float = 60.0) -> None:
    t0 = time.monotonic()
    while not cond():
        if time.monotonic() - t0 > timeout:
            raise AssertionError("timed out waiting")
        time.sleep(0.05)


def _kill9(proc: subprocess.Popen) -> None:
    os.killpg(proc.pid, signal.SIGKILL)  # the command and any worker processes it started
    proc.wait(timeout=30)


def test_kill_9_mid_compare_leaves_the_earlier_results_whole(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "small.toml").write_text(SMALL, encoding="utf-8")
    out = tmp_path / "cmp"
    assert main(["compare", "small.toml", "--replicates", "2", "--steps", "2", "--seed", "1", "--out", "cmp",
                 "--workers", "1", "--quiet"]) == 0
    earlier = _tree(out)
    assert {"summary.csv", "report.html", "comparison.json"} <= set(earlier)
    proc = _spawn(["compare", "small.toml", "baseline", "--replicates", "60", "--steps", "300", "--seed", "2",
                   "--out", "cmp", "--force", "--workers", "1", "--quiet", "--allow-different-sizes"], tmp_path)
    _wait_for(lambda: any(tmp_path.glob(".cmp.tmp-*")))
    time.sleep(0.5)
    _kill9(proc)
    assert _tree(out) == earlier  # not a new summary beside the old report: the old folder, whole
    # the next command cleans the dead command's staging folder and writes a whole new folder
    assert main(["compare", "small.toml", "--replicates", "2", "--steps", "3", "--seed", "3", "--out", "cmp",
                 "--force", "--workers", "1", "--quiet"]) == 0
    assert not list(tmp_path.glob(".cmp.*"))
    assert '"master_seed": 3' in (out / "comparison.json").read_text(encoding="utf-8")


def test_kill_9_mid_compare_into_a_new_folder_leaves_no_results(tmp_path, monkeypatch):
    (tmp_path / "small.toml").write_text(SMALL, encoding="utf-8")
    proc = _spawn(["compare", "small.toml", "--replicates", "60", "--steps", "300", "--out", "new",
                   "--workers", "1", "--quiet"], tmp_path)
    _wait_for(lambda: any(tmp_path.glob(".new.tmp-*")))
    _kill9(proc)
    assert (tmp_path / "new").is_dir() and not any((tmp_path / "new").iterdir())  # empty: nothing to misread


def test_kill_9_mid_sweep_then_resume_finishes_every_run(tmp_path, capsys):
    exp = _toy(tmp_path / "toy.toml", delay=0.25, per_file=2)
    out = tmp_path / "sw"
    proc = _spawn(["sweep", str(exp), "--out", str(out), "--executor", "serial", "--no-progress"], tmp_path)
    _wait_for(lambda: len(list((out / "parts").glob("part-*"))) >= 1 if (out / "parts").is_dir() else False)
    _kill9(proc)
    def parts():
        return {k: v for k, v in _tree(out / "parts").items() if k.startswith("part-")}

    committed = parts()
    assert not (out / "runs.parquet").exists()  # no union table that could pass for the finished sweep
    assert main(["sweep", str(exp), "--out", str(out), "--executor", "serial"]) == 2
    assert "add --resume" in capsys.readouterr().err
    assert parts() == committed
    assert main(["sweep", str(exp), "--out", str(out), "--executor", "serial", "--resume", "--no-progress"]) == 0
    runs = pd.read_parquet(out / "runs.parquet")
    assert sorted(runs["run_id"]) == list(range(8)) and (runs["status"] == "ok").all()
    assert set(committed) <= set(parts())  # finished parts were kept, not redone


def test_two_sweeps_into_one_folder_at_once(tmp_path, capsys):
    exp = _toy(tmp_path / "toy.toml", delay=0.3, per_file=8)
    out = tmp_path / "sw"
    first = _spawn(["sweep", str(exp), "--out", str(out), "--executor", "serial", "--no-progress"], tmp_path)
    _wait_for(lambda: (out / "experiment.json").exists())
    code = main(["sweep", str(exp), "--out", str(out), "--executor", "serial", "--resume", "--no-progress"])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2 and len(err) == 1 and "another consultsim command is writing there" in err[0]
    assert first.wait(timeout=120) == 0, first.stderr.read()
    runs = pd.read_parquet(out / "runs.parquet")
    assert sorted(runs["run_id"]) == list(range(8))  # the first sweep's table, not mixed or duplicated


def test_two_compares_into_one_folder_at_once(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "small.toml").write_text(SMALL, encoding="utf-8")
    first = _spawn(["compare", "small.toml", "--replicates", "4", "--steps", "120", "--out", "c",
                    "--workers", "1", "--quiet"], tmp_path)
    _wait_for(lambda: any(tmp_path.glob(".c.tmp-*")))
    code = main(["compare", "small.toml", "--replicates", "2", "--steps", "2", "--out", "c", "--workers", "1",
                 "--quiet"])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2 and len(err) == 1 and "another consultsim command is writing there" in err[0]
    assert first.wait(timeout=300) == 0, first.stderr.read()
    assert "--replicates 4" in (tmp_path / "c" / "comparison.json").read_text(encoding="utf-8")


def test_damaged_part_refused_then_recovered(tmp_path, capsys):
    exp = _toy(tmp_path / "toy.toml")
    out = tmp_path / "sw"
    assert main(["sweep", str(exp), "--out", str(out), "--executor", "serial", "--no-progress"]) == 0
    whole = pd.read_parquet(out / "runs.parquet").drop(columns="seconds")
    part = sorted((out / "parts").glob("part-*"))[1]
    (part / "metrics.parquet").write_bytes(b"PAR1 not really")
    before = _tree(out)
    capsys.readouterr()
    for argv in (["sweep", str(exp), "--out", str(out), "--executor", "serial", "--resume"],
                 ["plot-sweep", str(out)], ["sensitivity", str(exp), "--out", str(out), "--resume"]):
        assert main(argv) == 2
        err = capsys.readouterr().err.strip().splitlines()
        assert len(err) == 1, err
        assert "damaged part file" in err[0] or "needs [sampler] method" in err[0], err
        assert _tree(out) == before
    shutil.move(str(part), str(tmp_path / part.name))  # what the message says to do
    assert main(["sweep", str(exp), "--out", str(out), "--executor", "serial", "--resume", "--no-progress"]) == 0
    again = pd.read_parquet(out / "runs.parquet").drop(columns="seconds")
    pd.testing.assert_frame_equal(again, whole)


# ---------------------------------------------------------------- a full disk
@pytest.fixture
def small_disk(tmp_path, monkeypatch):
    """A 64 KiB tmpfs where the machine allows mounting one (root); else writes fail with ENOSPC past 64 KiB."""
    disk = tmp_path / "disk"
    disk.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(disk)],
                             capture_output=True).returncode == 0
    if not mounted:  # simulate: any file under disk/ that grows past 64 KiB raises ENOSPC
        import builtins
        import errno

        real_open = builtins.open

        class Full:
            def __init__(self, fh):
                self.fh, self.n = fh, 0

            def write(self, data):
                self.n += len(data)
                if self.n > 65536:
                    raise OSError(errno.ENOSPC, "No space left on device")
                return self.fh.write(data)

            def __getattr__(self, name):
                return getattr(self.fh, name)

            def __enter__(self):
                return self

            def __exit__(self, *a):
                return self.fh.__exit__(*a)

        def fake_open(file, mode="r", *a, **k):
            fh = real_open(file, mode, *a, **k)
            return Full(fh) if str(disk) in str(file) and ("w" in mode or "a" in mode) else fh

        monkeypatch.setattr(builtins, "open", fake_open)
    yield disk
    if mounted:
        subprocess.run(["umount", str(disk)], check=False)


def test_full_disk_is_one_line_and_keeps_the_earlier_results(small_disk, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "small.toml").write_text(SMALL, encoding="utf-8")
    assert main(["run", "small.toml", "--steps", "1", "--seed", "1", "--out", str(small_disk / "earlier")]) == 0
    earlier = _tree(small_disk)
    capsys.readouterr()
    for argv in (["run", "small.toml", "--steps", "2000", "--seed", "2", "--out", str(small_disk / "new")],
                 ["run", "small.toml", "--steps", "2000", "--seed", "2", "--out", str(small_disk / "earlier"),
                  "--force"],
                 ["compare", "small.toml", "--replicates", "2", "--steps", "300", "--workers", "1", "--quiet",
                  "--out", str(small_disk / "cmp")]):
        code = main(argv)
        err = capsys.readouterr().err.strip().splitlines()
        assert code == 2 and len(err) == 1 and "No space left on device" in err[0], (argv, err)
        assert "nothing was changed there" in err[0]
        assert _tree(small_disk) == earlier, argv
        assert sorted(p.name for p in small_disk.iterdir()) == ["earlier"], argv
