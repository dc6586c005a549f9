"""Costs of the levers, cost-effectiveness, dominance, the executive summary and mechanism sentences."""

from __future__ import annotations

import pandas as pd
import pytest

from consultsim.analysis.costs import COST_ITEMS, cost_table, dominated, lever_costs, per_10k, run_costs
from consultsim.analysis.report import certainty, executive_table, mechanism_sentences, scenario_differences
from consultsim.core.params import PARAM_INFO, Params, levers
from consultsim.running.scenarios import SCENARIO_DIR, Scenario, load_scenario

LEVER_FILES = ["incentives", "pm_contract", "supervision", "cadence", "pm_inclusion", "awareness", "feedback",
               "training", "facilitation", "social_workers", "online"]


def test_cost_parameters_are_descriptive_priced_and_sourced():
    costs = [f for f in PARAM_INFO.values() if f.metadata["section"] == "costs"]
    assert len(costs) >= 10
    for f in costs:
        m = f.metadata
        assert m["descriptive"] and m["source"] and m["plausible"][0] <= f.default <= m["plausible"][1], f.name
    # the costs section comes last in Params, and is written out with a source in baseline.toml
    assert list(PARAM_INFO)[-len(costs):] == [f.name for f in costs]
    text = (SCENARIO_DIR / "baseline.toml").read_text(encoding="utf-8")
    for f in costs:
        line = next(ln for ln in text.splitlines() if ln.startswith(f"{f.name} ="))
        assert "#" in line and ("assumption" in line or "source" in line), f.name


@pytest.mark.parametrize("stem", LEVER_FILES)
def test_every_lever_of_every_shipped_scenario_costs_something(stem):
    """With the same meetings held, each single lever raises the yearly cost over the baseline; the
    faster cadence costs through the meetings it adds (52/2 instead of 52/4 cycles)."""
    base, sc = load_scenario(SCENARIO_DIR / "baseline.toml").params, load_scenario(SCENARIO_DIR / f"{stem}.toml").params
    meetings = 52 / base.meeting_cadence_weeks * 3
    own = 52 / sc.meeting_cadence_weeks * 3
    paid = 1000.0 if sc.incentive_per_meeting else 0.0
    assert sum(lever_costs(sc, own, paid).values()) > sum(lever_costs(base, meetings, 0.0).values())


def test_every_lever_parameter_is_priced_by_some_cost_item():
    p = Params()
    for names in levers().values():
        for name in names:
            f = PARAM_INFO[name]
            if name in ("incentive_budget", "training_seats", "social_worker_hours"):
                continue  # they scale or cap another lever (its points are costed as paid)
            if f.type in ("bool", bool):
                v = True
            elif name == "meeting_cadence_weeks":
                continue  # costed through meetings held (test above)
            else:
                v = (f.metadata["hi"] if f.metadata["hi"] <= 1 else 2)
            on = p.replace(**{name: v, **({"incentive_per_meeting": 10} if name == "incentive_per_meeting" else {})})
            # 10 meetings and one funded retrofit a year
            assert sum(lever_costs(on, 10, 0, 1).values()) > sum(lever_costs(p, 10, 0, 1).values()), name


def test_incentives_are_costed_as_paid_not_as_budgeted():
    p = Params(incentive_per_meeting=10, incentive_budget=30_000)
    final = pd.DataFrame({"scenario": ["a", "a"], "replicate": [0, 1], "meetings_held": [0.0, 0.0],
                          "incentive_spent": [2_000.0, 4_000.0]})
    c = run_costs(final, {"a": p}, steps=104)  # two years
    assert list(c["incentive_points"]) == [1_000.0, 2_000.0]
    rest = p.cost_incentive_admin + p.feedback_transparency * p.cost_publication  # the baseline's publication
    assert list(c["total"]) == [1_000.0 + rest, 2_000.0 + rest]


def test_per_10k_divides_the_effect_and_its_interval_by_the_extra_cost():
    costs = pd.DataFrame({"scenario": ["ref", "ref", "x", "x", "free", "free"], "replicate": [0, 1] * 3,
                          **{k: 0.0 for k in COST_ITEMS}, "total": [100.0, 100.0, 20_100.0, 20_100.0, 100.0, 100.0]})
    tab = cost_table(costs, "ref")
    assert dict(zip(tab["scenario"], tab["extra"])) == {"ref": 0.0, "x": 20_000.0, "free": 0.0}
    eff = pd.DataFrame({"scenario": ["x", "free"], "metric": "participation_rate", "diff": [0.04, 0.01],
                        "ci_low": [0.02, 0.0], "ci_high": [0.06, 0.02], "n": 30})
    out = per_10k(eff, tab).set_index("scenario")
    assert out.loc["x", ["per10k", "per10k_low", "per10k_high"]].tolist() == pytest.approx([0.02, 0.01, 0.03])
    assert out.loc["free", ["per10k"]].isna().all()


def test_a_package_that_costs_more_and_achieves_less_is_dominated():
    pts = pd.DataFrame({"scenario": ["ref", "cheap_good", "dear_worse", "dear_better"],
                        "cost": [0.0, 10_000.0, 50_000.0, 80_000.0], "effect": [0.0, 0.05, 0.03, 0.08]})
    assert dominated(pts, +1) == {"dear_worse"}
    # for complaints lower is better: the same numbers now make the dearer, higher-complaint ones dominated
    assert dominated(pts, -1) == {"cheap_good", "dear_worse", "dear_better"}


def test_cost_effect_figure_marks_the_dominated_package(tmp_path, monkeypatch):
    from consultsim.analysis import plotting
    figs = {}
    real = plotting._save
    monkeypatch.setattr(plotting, "_save", lambda fig, path: (figs.setdefault("f", fig), real(fig, path))[1])
    pts = pd.DataFrame({"scenario": ["ref", "good", "bad"], "metric": "participation_rate",
                        "cost": [0.0, 1e4, 5e4], "effect": [0.0, 0.05, 0.02], "ci_low": [float("nan"), 0.04, 0.01],
                        "ci_high": [float("nan"), 0.06, 0.03], "n": [0, 30, 30], "dominated": [False, False, True]})
    plotting.plot_cost_effect(pts, "ref", tmp_path / "ce.png")
    texts = [t.get_text() for t in figs["f"].axes[0].texts]
    assert "bad (dominated)" in texts and "good" in texts


def _eff(sc, metric, diff, lo, hi, n=30):
    return {"scenario": sc, "metric": metric, "diff": diff, "ci_low": lo, "ci_high": hi, "n": n,
            "reference_mean": 0.1, "scenario_mean": 0.1 + diff}


def test_how_sure_in_words():
    assert certainty(_eff("a", "m", 0.1, 0.05, 0.15)) == ("clear", 1)
    assert certainty(_eff("a", "m", 0.1, 0.05, 0.15, n=5)) == ("probable, only 5 runs", 1)
    assert certainty(_eff("a", "m", 0.1, -0.05, 0.15)) == ("no clear change", 0)
    assert certainty(_eff("a", "m", -0.1, -0.15, -0.05), "zh")[0] == "明确"


def test_executive_table_ranks_packages_by_clear_improvements():
    rows = []
    for sc, sign in (("weak", 0), ("strong", 1), ("harmful", -1)):
        for m in ("participation_rate", "implementation_rate", "mean_trust_committee"):
            rows.append(_eff(sc, m, 0.05 * sign, 0.05 * sign - 0.01 if sign else -0.01,
                             0.05 * sign + 0.01 if sign else 0.01))
        rows.append(_eff(sc, "complaints", -5.0 * sign, -5.0 * sign - 1 if sign else -1, -5.0 * sign + 1 if sign else 1))
    t = executive_table(pd.DataFrame(rows), None, "ref")
    assert list(t["Package"]) == ["strong", "weak", "harmful"]
    col = "Share of households taking part"
    assert "clear, better" in t.iloc[0][col] and "clear, worse" in t.iloc[2][col]
    assert "a year" in t.iloc[0]["Complaints (12345)"]


def test_mechanism_sentence_is_built_from_who_complained():
    """Complaints rise under 'pub': 90 of its 100 calls come from supporters of failed topics, 80 from
    residents who did not attend; the sentence reports those shares (not hand-written)."""
    eff = pd.DataFrame([_eff("pub", "complaints", 50.0, 40.0, 60.0)])
    topics = pd.DataFrame([
        {"scenario": "pub", "replicate": 0, "outcome": "stalled", "complaints": 90, "complaints_attendees": 15,
         "informed": 500, "published": True, "meetings": 1, "attendees": 10},
        {"scenario": "pub", "replicate": 0, "outcome": "implemented", "complaints": 10, "complaints_attendees": 5,
         "informed": 100, "published": True, "meetings": 1, "attendees": 10},
        {"scenario": "ref", "replicate": 0, "outcome": "stalled", "complaints": 50, "complaints_attendees": 25,
         "informed": 50, "published": False, "meetings": 1, "attendees": 10}])
    final = pd.DataFrame({"scenario": ["ref", "pub"], "replicate": [0, 0], "meetings_held": [10, 10]})
    (s,) = mechanism_sentences(eff, topics, final, "ref", steps=52)
    assert "90% come from supporters of topics that failed or stalled" in s
    assert "80% from residents who never attended" in s and "100% of outcomes published" in s
    assert "0% under ref" in s and "rise by 50 calls a year" in s
    # an expected effect (complaints fall) gets no sentence
    assert mechanism_sentences(pd.DataFrame([_eff("pub", "complaints", -50.0, -60.0, -40.0)]), topics, final,
                               "ref", 52) == []


def test_levels_table_never_shows_an_unused_budget_as_a_cut():
    base = load_scenario(SCENARIO_DIR / "baseline.toml")
    inc = load_scenario(SCENARIO_DIR / "incentives.toml")
    d = scenario_differences([base, inc], ["baseline", "incentives"])
    row = d[d["Parameter"] == "incentive_budget"].iloc[0]
    assert row["baseline"] == "unused (no points scheme)" and row["Value"] == "30,000"
    # and a scenario that changes only the unused budget shows no difference at all
    same = Scenario("budget_only", "", base.params.replace(incentive_budget=10_000))
    d2 = scenario_differences([base, same], ["baseline", "budget_only"])
    assert list(d2["Parameter"]) == [""] and d2.iloc[0]["Meaning"] == "identical parameters"
    # cost prices are not scenario differences a policymaker compares
    dearer = Scenario("dear", "", base.params.replace(cost_campaign=1.0))
    assert "cost_campaign" not in set(scenario_differences([base, dearer], ["baseline", "dear"])["Parameter"])


def test_mechanism_sentences_for_trust_implementation_and_participation_in_both_languages():
    """Trust falls where more households heard of failed or stalled topics; the implementation and
    participation sentences give the runs' own counts (stalled resolutions; meetings and attendees)."""
    eff = pd.DataFrame([_eff("x", "mean_trust_committee", -0.05, -0.07, -0.03),
                        _eff("x", "implementation_rate", -0.1, -0.15, -0.05),
                        _eff("x", "participation_rate", -0.02, -0.03, -0.01)])
    rows = []
    for sc, bad_informed, stalled in (("ref", 100, 1), ("x", 900, 4)):
        rows += [{"scenario": sc, "replicate": 0, "outcome": "stalled", "complaints": 0, "complaints_attendees": 0,
                  "informed": bad_informed // stalled, "published": True, "meetings": 2, "attendees": 10}] * stalled
        rows += [{"scenario": sc, "replicate": 0, "outcome": "implemented", "complaints": 0,
                  "complaints_attendees": 0, "informed": 50, "published": True, "meetings": 1, "attendees": 30}]
    final = pd.DataFrame({"scenario": ["ref", "x"], "replicate": [0, 0], "meetings_held": [24, 12]})
    trust, impl, part = mechanism_sentences(eff, pd.DataFrame(rows), final, "ref", steps=52)
    assert "more residents learn of topics that failed or stalled" in trust and "900" in trust and "100" in trust
    assert "4.0 resolutions a year stall" in impl and "1.0 under ref" in impl
    assert "12 meetings a year" in part and "24 with" in part
    zh = mechanism_sentences(eff, pd.DataFrame(rows), final, "ref", steps=52, lang="zh", names={"x": "某方案"})
    assert len(zh) == 3 and all(s.startswith("某方案：") for s in zh)
