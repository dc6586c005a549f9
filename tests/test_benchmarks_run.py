"""`make bench`'s scripts still run against today's code (slow suite).

A benchmark that patches or imports the model's internals breaks silently when they move (bench_model's
overhead section once crashed on a kernel the model no longer called), and nobody notices until the
next quiet-machine measurement. Each script runs here at its smallest size; the timings are not checked
(the machine is shared during tests), only that each section runs and prints its table.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.slow


def _bench(script: str, *args: str, timeout: int = 300) -> str:
    out = subprocess.run([sys.executable, str(ROOT / "benchmarks" / script), *args], cwd=ROOT,
                         capture_output=True, text=True, timeout=timeout)
    assert out.returncode == 0, out.stderr[-3000:]
    return out.stdout


def test_bench_model_runs_every_section():
    text = _bench("bench_model.py", "--quick")
    for section in ("1. Whole model", "2. Resident update rules", "3. Per-step overhead"):
        assert section in text, text[-2000:]
    assert "overhead / resident updates" in text


def test_bench_kernels_runs():
    assert "x faster" in _bench("bench_kernels.py", "--quick", "--repeat", "1")


def test_bench_sweep_runs(tmp_path):
    text = _bench("bench_sweep.py", "--runs", "8", "--households", "200", "--steps", "10", "--blocks", "1",
                  "--block-runs", "4", "--json", str(tmp_path / "sweep.json"))
    assert "speed-up" in text and (tmp_path / "sweep.json").is_file()


def test_bench_district_runs(tmp_path):
    text = _bench("bench_district.py", "--district", "street", "--steps", "2", "--setups", "1",
                  "--json", str(tmp_path / "district.json"))
    assert "peak memory" in text and (tmp_path / "district.json").is_file()


def test_term_window_runs():
    # issue 17: the term window of the slow mechanisms (docs/validation.md), at two runs of one knock-out
    text = _bench("term_window.py", "--mechanisms", "drift_to_initial", "--replicates", "2")
    assert "trust panel persistence" in text and "`drift_to_initial`" in text and "CPU s" in text
