"""The blind check's variants file and report (benchmarks/blind_check.py; issue 17). No simulation runs."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from consultsim.running.scenarios import resolve_scenario

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def blind():
    spec = importlib.util.spec_from_file_location("blind_check", ROOT / "benchmarks" / "blind_check.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_variants_are_described_and_spread_over_odd_7(blind):
    variants = blind.load_variants()
    assert len(variants) >= 14
    for name, v in variants.items():
        assert {"odd", "removes", "expect", "overrides"} <= set(v), name
        assert v["overrides"], name
    sections = {v["odd"] for v in variants.values()}
    assert {f"7.{i}" for i in range(1, 9)} <= sections


def test_unknown_or_out_of_range_overrides_are_dropped_with_a_note(blind):
    base = resolve_scenario("baseline")
    kept, notes = blind.usable_overrides(base, {"no_such_param": 1, "b_time": 99.0, "b_stake": 0.0})
    assert kept == {"b_stake": 0.0}
    assert len(notes) == 2 and "no_such_param" in notes[0] and "b_time" in notes[1]


def test_report_marks_failures_beyond_the_baseline_and_skipped_variants(blind):
    base = {"name": "(baseline)", "odd": "—", "notes": [], "failed": ["a"], "passed": 1, "scored": 2,
            "runs_ok": (0, 2, 1.0)}
    rows = [base,
            {"name": "v1", "odd": "7.3", "notes": [], "failed": ["a", "b"], "passed": 0, "scored": 2,
             "runs_ok": (0, 2, 1.0)},
            {"name": "v2", "odd": "7.4", "notes": [], "failed": ["a"], "passed": 1, "scored": 2, "runs_ok": None},
            {"name": "v3", "odd": "7.5", "notes": ["`x` is no longer a parameter: dropped"], "skipped": True}]
    text = blind.markdown(rows, base, "test")
    lines = {ln.split("|")[1].strip(): ln for ln in text.splitlines() if ln.startswith("| v")}
    assert "| yes | b |" in lines["v1"] and "0/2 (1.0)" in lines["v1"]
    assert "| yes | no |" in lines["v2"]
    assert "skipped" in lines["v3"] and "no longer a parameter" in lines["v3"]
    assert "2 of 2 variants rejected; 1 by a criterion the baseline passes" in text


def test_verdict_reads_only_scored_criteria(blind):
    pd = pytest.importorskip("pandas")
    table = pd.DataFrame({"name": ["a", "b", "c"], "passed": [True, False, False], "scored": [True, True, False]})
    assert blind.verdict(table) == (["b"], 1, 2)
