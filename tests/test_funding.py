"""What to fund: ranking by effect per yuan within a budget, dominance, absolute numbers, assumptions,
prediction intervals, per-year units and the first screen of the report (analysis/funding.py)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from consultsim.analysis.compare import paired_effects, prediction_interval, t_interval
from consultsim.analysis.costs import COST_ITEMS, cost_table, per_10k
from consultsim.analysis.funding import (
    LEVER_EFFECT_PARAMS,
    LEVER_PRICE,
    OBJECTIVE_PARAMS,
    OBJECTIVES,
    deciding_assumptions,
    parse_objectives,
    rank_packages,
)
from consultsim.core.params import PARAM_INFO, Params
from consultsim.running.scenarios import Scenario

RUNS = 8


def _final(effects: dict[str, dict[str, float]], seed: int = 0) -> pd.DataFrame:
    """Per-run end values: the reference around fixed levels with run-to-run noise, each package shifted
    by its effect on every run (so the paired differences are exactly the effects)."""
    rng = np.random.default_rng(seed)
    base = {"implemented": 2 + rng.normal(0, 1, RUNS), "participation_rate": 0.06 + rng.normal(0, 0.02, RUNS),
            "mean_trust_committee": 0.5 + rng.normal(0, 0.05, RUNS), "complaints": 50 + rng.normal(0, 10, RUNS)}
    rows = []
    for sc, eff in {"ref": {}, **effects}.items():
        for r in range(RUNS):
            rows.append({"scenario": sc, "replicate": r, **{m: v[r] + eff.get(m, 0.0) for m, v in base.items()}})
    return pd.DataFrame(rows)


def _costs(extra: dict[str, float]) -> pd.DataFrame:
    rows = []
    for sc, e in {"ref": 0.0, **extra}.items():
        for r in range(RUNS):
            rows.append({"scenario": sc, "replicate": r, **{k: 0.0 for k in COST_ITEMS},
                         "total": 1_000.0 + e + (100.0 * r if sc == "dear" else 0.0)})
    return pd.DataFrame(rows)


def _world():
    eff = {"cheap": {"implemented": 2.0, "participation_rate": 0.10, "mean_trust_committee": 0.06},
           "dear": {"implemented": 4.0, "participation_rate": 0.25, "mean_trust_committee": 0.14},
           "waste": {"implemented": 1.0, "participation_rate": 0.05, "mean_trust_committee": 0.02},
           "harm": {"implemented": -1.0, "participation_rate": -0.02, "mean_trust_committee": -0.03}}
    final = _final(eff)
    costs = _costs({"cheap": 56_000.0, "dear": 600_000.0, "waste": 200_000.0, "harm": 0.0})
    return final, paired_effects(final, "ref"), costs


def test_cheap_package_that_does_about_as_well_is_funded_and_the_dearer_one_named():
    final, effects, costs = _world()
    f = rank_packages(effects, final, costs, "ref")
    t = f.table.set_index("scenario")
    assert f.recommended == "cheap"  # most effect per yuan, not the most outcomes improved
    assert f.biggest == "dear"       # the largest total gain within the (absent) budget
    assert t.loc["waste", "status"] == "dominated" and t.loc["waste", "dominated_by"] == "cheap"
    assert t.loc["harm", "status"] == "dominated" and t.loc["harm", "dominated_by"] == "ref"
    assert list(f.table["scenario"][:2]) == ["cheap", "dear"] and list(f.table["rank"]) == [1, 2, 3, 4]
    # the cost spread over runs is kept (dear varies by run)
    assert t.loc["dear", "extra_min"] == pytest.approx(600_000.0) and t.loc["dear", "extra_max"] == pytest.approx(600_700.0)


def test_budget_excludes_dearer_packages_and_objectives_change_the_ranking():
    final, effects, costs = _world()
    f = rank_packages(effects, final, costs, "ref", budget=100_000)
    t = f.table.set_index("scenario")
    assert f.recommended == "cheap" and f.biggest is None
    assert t.loc["dear", "status"] == "over_budget" and not t.loc["dear", "within_budget"]
    # a budget below every package with a gain: nothing is recommended
    assert rank_packages(effects, final, costs, "ref", budget=10_000).recommended is None
    # on complaints alone nothing improves (no package changed them): no recommendation
    f2 = rank_packages(effects, final, costs, "ref", objectives=("complaints",))
    assert f2.recommended is None


def test_parse_objectives():
    assert parse_objectives(None) == ("works", "participation", "trust")
    assert parse_objectives("trust, complaints,trust") == ("trust", "complaints")
    with pytest.raises(ValueError, match="happiness"):
        parse_objectives("works,happiness")
    assert set(OBJECTIVES) >= {"works", "participation", "trust", "complaints", "capacity", "voice"}


def test_effect_and_price_maps_name_real_parameters():
    for names in (*LEVER_EFFECT_PARAMS.values(), *OBJECTIVE_PARAMS.values(), LEVER_PRICE.values()):
        for n in names:
            assert n in PARAM_INFO, n
    for lever, price in LEVER_PRICE.items():
        assert PARAM_INFO[lever].metadata["section"] in ("policy", "idea", "practice"), lever
        assert PARAM_INFO[price].metadata["section"] == "costs", price


def test_deciding_assumptions_name_the_complaint_propensity_and_the_prices():
    ref = Scenario("ref", "", Params())
    pub = Scenario("pub", "", Params(feedback_transparency=0.9))
    out = deciding_assumptions([ref, pub], ["ref", "pub"], ["pub"], ("works", "complaints"))
    names = [a["name"] for a in out]
    assert "complaint_propensity" in names and "cost_publication" in names
    assert all("assumption" in a["source"].lower() for a in out)
    cp = next(a for a in out if a["name"] == "complaint_propensity")
    assert cp["plausible"] == PARAM_INFO["complaint_propensity"].metadata["plausible"]


def test_prediction_interval_is_wider_than_the_interval_of_the_mean():
    x = np.random.default_rng(1).normal(0, 1, 30)
    m, lo, hi, n = t_interval(x)
    plo, phi = prediction_interval(x)
    assert plo < lo < m < hi < phi
    # mean +- t * sd * sqrt(1 + 1/n)
    from scipy import stats
    h = stats.t.ppf(0.975, 29) * x.std(ddof=1) * math.sqrt(1 + 1 / 30)
    assert phi - plo == pytest.approx(2 * h)
    assert all(math.isnan(v) for v in prediction_interval([1.0]))


def test_per_10k_divides_a_yearly_count_by_a_yearly_cost():
    """A count over two years (20 more complaints) at 10,000 yuan a year is 10 a year per 10,000 yuan."""
    costs = _costs({"x": 10_000.0})
    tab = cost_table(costs, "ref")
    eff = pd.DataFrame({"scenario": ["x", "x"], "metric": ["complaints", "participation_rate"], "diff": [20.0, 0.1],
                        "ci_low": [10.0, 0.05], "ci_high": [30.0, 0.15], "n": 30})
    out = per_10k(eff, tab, steps=104).set_index("metric")
    assert out.loc["complaints", "per10k"] == pytest.approx(10.0)
    assert out.loc["participation_rate", "per10k"] == pytest.approx(0.1)  # a level is not divided by years


@pytest.fixture
def no_font(monkeypatch):
    """Skip embedding the Chinese font subset (seconds per report; tests/test_report_i18n.py covers it)."""
    from consultsim.analysis import cjk
    monkeypatch.setattr(cjk, "font_face_css", lambda text: "")


def test_first_screen_says_what_to_fund_in_absolute_numbers(no_font):
    from consultsim.analysis.report import render_report

    final, effects, costs = _world()
    labels = ["ref", "cheap", "dear", "waste", "harm"]
    scs = [Scenario(lab, "", Params(supervision=0.6) if lab != "ref" else Params()) for lab in labels]
    summary = pd.DataFrame(columns=["scenario", "metric", "mean", "ci_low", "ci_high", "n"])
    for lang, words in (("en", ("Fund cheap", "households taking part", "interval of the mean",
                                "a single community", "Assumptions that decide this ranking")),
                        ("zh", ("建议资助“cheap”", "参与的居民多", "均值区间", "单个社区", "决定这一排序的假设"))):
        text = render_report(scenarios=scs, labels=labels, summary=summary, effects=effects, figures={},
                             provenance={"command": "consultsim compare /home/someone/secret/own.toml"},
                             replicates=RUNS, steps=104, lang=lang, costs=costs, final=final)
        first = text[text.index("<body>"):][:6000]
        for w in words:
            assert w in text, (lang, w)
        assert ("Fund cheap" if lang == "en" else "建议资助") in first  # on the first screen
        assert "/home/someone" not in text and "own.toml" in text
    # a horizon over a year gets the year-by-year table when given one
    yearly = pd.DataFrame({"scenario": ["cheap", "cheap"], "year": [1, 2], "works": [1.0, 2.0],
                           "households": [100.0, 200.0], "trust": [0.03, 0.06], "extra_cost": [56e3, 56e3],
                           "cumulative_cost": [56e3, 112e3]})
    text = render_report(scenarios=scs, labels=labels, summary=summary, effects=effects, figures={},
                         provenance={}, replicates=RUNS, steps=104, lang="en", costs=costs, final=final, yearly=yearly)
    assert "Year by year" in text and "112,000 yuan" in text


def test_differently_sized_communities_are_flagged(no_font):
    from consultsim.analysis.report import render_report

    final, effects, costs = _world()
    labels = ["ref", "cheap", "dear", "waste", "harm"]
    scs = [Scenario(lab, "", Params(n_residents=800 if lab == "cheap" else 2000)) for lab in labels]
    summary = pd.DataFrame(columns=["scenario", "metric", "mean", "ci_low", "ci_high", "n"])
    text = render_report(scenarios=scs, labels=labels, summary=summary, effects=effects, figures={},
                         provenance={}, replicates=RUNS, steps=104, lang="en", costs=costs, final=final)
    assert "communities of different sizes (800, 2,000 households)" in text


def test_compare_refuses_mixed_sizes_bad_objectives_and_hints_toml(tmp_path, capsys, monkeypatch):
    from consultsim.cli import main

    small = tmp_path / "small.toml"
    small.write_text('base = "baseline"\n[community]\nn_residents = 800\n', encoding="utf-8")
    assert main(["compare", "baseline", str(small), "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert "different sizes" in err and "800" in err and "2,000" in err and "Traceback" not in err
    assert main(["compare", "baseline", str(small), "--out", str(tmp_path / "o"), "--lang", "zh"]) == 2
    assert "社区规模不同" in capsys.readouterr().err
    assert main(["compare", "baseline", "policy", "--objectives", "works,joy", "--out", str(tmp_path / "o")]) == 2
    assert "unknown objective 'joy'" in capsys.readouterr().err
    monkeypatch.chdir(tmp_path)
    assert main(["compare", "baseline", "small", "--out", str(tmp_path / "o")]) == 2
    assert "did you mean the file small.toml?" in capsys.readouterr().err


def test_load_scenario_takes_a_shipped_name_from_python(tmp_path, monkeypatch):
    from consultsim import load_scenario
    from consultsim.running.scenarios import ScenarioError

    monkeypatch.chdir(tmp_path)  # not the checkout: the name alone must do
    sc = load_scenario("policy")
    assert sc.name == "policy" and sc.params.supervision > 0
    with pytest.raises(ScenarioError, match="no such scenario file"):
        load_scenario("polcy")
