"""Structural alternatives (issue 17, part 4): the meeting kernels, complaint curves and trust judgements
as scenario switches, and the robustness check that compares lever rankings across them."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from consultsim.analysis.robustness import STRUCTURES, structure_overrides, summarize_structures
from consultsim.core.kernels.deliberation import DEFFUANT_MU, meeting
from consultsim.core.params import ParamError, Params

KW = dict(rounds=1, epsilon=0.3, voice_exponent=1.0, facilitation=0.0, anchoring=0.0, informed_pull=0.0,
          informed_position=0.5)


def test_friedkin_johnsen_kernel_averages_every_view_by_voice():
    x = np.array([0.0, 0.2, 0.9, 1.0])
    cap = np.array([0.2, 0.4, 0.6, 0.8])
    r = meeting(x, x, cap, kernel="friedkin_johnsen", **KW)
    voice = cap / cap.sum()
    assert np.allclose(r.opinions, voice @ x)  # no confidence bound: the far views count too
    hk = meeting(x, x, cap, **KW)  # bounded confidence keeps the two camps apart
    assert hk.opinions[0] < 0.2 and hk.opinions[3] > 0.9


def test_friedkin_johnsen_kernel_keeps_anchoring():
    x = np.array([0.0, 1.0])
    r = meeting(x, x, np.array([0.5, 0.5]), kernel="friedkin_johnsen", **{**KW, "anchoring": 0.4})
    assert np.allclose(r.opinions, [0.4 * 0.0 + 0.6 * 0.5, 0.4 * 1.0 + 0.6 * 0.5])


def test_deffuant_kernel_meets_halfway_within_the_bound_and_keeps_the_mean():
    rng = np.random.default_rng(1)
    x = np.array([0.40, 0.50, 0.0, 1.0])
    r = meeting(x, x, np.full(4, 0.5), kernel="deffuant", rng=rng, **KW)
    assert r.opinions.mean() == pytest.approx(x.mean())
    moved = ~np.isclose(r.opinions, x)
    # only the close pair (0.40, 0.50) can move, and then to the same point at mu = 1/2
    assert not moved[2:].any()
    if moved.any():
        assert DEFFUANT_MU == 0.5 and np.allclose(r.opinions[:2], 0.45)
    with pytest.raises(ValueError, match="rng"):
        meeting(x, x, np.full(4, 0.5), kernel="deffuant", **KW)
    with pytest.raises(ValueError, match="kernel"):
        meeting(x, x, np.full(4, 0.5), kernel="nope", **KW)


def test_structural_switches_take_only_their_choices():
    with pytest.raises(ParamError, match="one of 'bounded_confidence'"):
        Params(meeting_kernel="degroot")
    with pytest.raises(ParamError, match="one of 'linear'"):
        Params(complaint_curve="quadratic")
    assert Params(trust_judges="outcomes_only").trust_judges == "outcomes_only"


def test_structures_are_sourced_valid_and_each_changes_a_run():
    from consultsim.running.runner import simulate

    names = [s.name for s in STRUCTURES]
    assert names[0] == "default" and not STRUCTURES[0].overrides and len(set(names)) == len(names)
    # published outcomes (a wide audience) and an early saturation, so that a short run has enough calls
    ctx = {"n_residents": 300, "feedback_transparency": 1.0, "complaint_saturation": 2.0}
    base = simulate("baseline", seed=4, steps=40, overrides=ctx).timeseries
    for st in STRUCTURES[1:]:
        assert st.source and st.overrides == structure_overrides(st.name)
        Params(**st.overrides)
        ts = simulate("baseline", seed=4, steps=40, overrides={**ctx, **st.overrides}).timeseries
        assert not ts.equals(base), st.name
    with pytest.raises(KeyError):
        structure_overrides("nope")


def _results(effects: dict[str, dict[str, list[float]]]) -> pd.DataFrame:
    """Tidy sweep results: per structure, replicate: baseline:m = 0 and lever:m = the given effects."""
    rows, run = [], 0
    for st, levs in effects.items():
        n = len(next(iter(levs.values())))
        for r in range(n):
            row = {"run_id": run, "step": 10, "_structure": st, "replicate": r, "baseline:m": 1.0}
            row.update({f"{lev}:m": 1.0 + v[r] for lev, v in levs.items()})
            rows.append(row)
            run += 1
    return pd.DataFrame(rows)


def test_summary_measures_ranking_agreement_and_sign_flips():
    same = {"a": [0.30, 0.32, 0.31], "b": [0.20, 0.21, 0.19], "c": [0.10, 0.11, 0.09]}
    rev = {"a": [-0.10, -0.11, -0.09], "b": [0.20, 0.21, 0.19], "c": [0.30, 0.32, 0.31]}
    res = _results({"default": same, "alt": rev, "copy": same})
    eff, ranks = summarize_structures(res, ["a", "b", "c"], ["default", "alt", "copy"], outcomes=["m"])
    tau = ranks.set_index("structure")["kendall_tau"]
    assert tau["default"] == pytest.approx(1) and tau["copy"] == pytest.approx(1)
    assert tau["alt"] == pytest.approx(-1)
    assert ranks.set_index("structure").loc["alt", "first"] == "c"
    flips = eff[eff["sign_flips"]]
    assert list(zip(flips["structure"], flips["lever"])) == [("alt", "a")]


def _cannot_tell_dir(tmp_path, code_id):
    import json

    rng = np.random.default_rng(0)
    n = 40
    size = rng.uniform(0, 1, n)          # an assumed size (supervision_effect's source is "assumption")
    noise = rng.uniform(0, 1, n)         # a sourced parameter, unrelated
    eff = [{"lever": "policy", "target": "implementation_rate", "world": w, "effect": size[w] - 0.3,
            "baseline": 0.4} for w in range(n)]
    eff += [{"lever": "idea", "target": "participation_rate", "world": w, "effect": 0.01 + 0.001 * noise[w],
             "baseline": 0.1} for w in range(n)]
    pd.DataFrame(eff).to_csv(tmp_path / "robustness_worlds.csv", index=False)
    pd.DataFrame({"world": range(n), "supervision_effect": size, "procedural_weight": noise}).to_csv(
        tmp_path / "robustness_world_params.csv", index=False)
    pd.DataFrame([{"structure": "deffuant", "lever": "idea", "outcome": "mean_trust_committee", "effect": -0.01,
                   "ci_low": -0.02, "ci_high": -0.005, "n": 10, "clear_sign": -1, "default_sign": 1,
                   "sign_flips": True, "sign_lost": False}]).to_csv(tmp_path / "structures.csv", index=False)
    for f in ("robustness.json", "structures.json"):
        (tmp_path / f).write_text(json.dumps({"code": {"id": code_id}}), encoding="utf-8")
    return tmp_path


def test_cannot_tell_names_assumed_sizes_and_structures(tmp_path):
    from consultsim.analysis.robustness import cannot_tell

    rows = cannot_tell(_cannot_tell_dir(tmp_path, "x"))
    a = [r for r in rows if r["kind"] == "assumption"]
    assert [(r["lever"], r["parameter"]) for r in a] == [("policy", "supervision_effect")]  # idea: always +
    assert a[0]["rho"] > 0.9 and 0.2 < a[0]["against"] < 0.4
    s = [r for r in rows if r["kind"] == "structure"]
    assert [(r["lever"], r["structure"], r["change"]) for r in s] == [("idea", "deffuant", "flips")]
    assert cannot_tell(tmp_path, ["practice"]) == []


def test_report_section_says_it_plainly_in_both_languages(tmp_path):
    from consultsim.analysis.report import cannot_tell_section
    from consultsim.running.provenance import code_identity

    d = _cannot_tell_dir(tmp_path, code_identity()["id"])
    en = cannot_tell_section(["policy", "idea"], d, "en")
    assert "What the model cannot tell you" in en and "supervision_effect" in en and "deffuant" in en
    zh = cannot_tell_section(["policy", "idea"], d, "zh")
    assert "模型无法告诉您的事" in zh and "supervision_effect" in zh and "方向相反" in zh
    assert "None of" in cannot_tell_section(["practice"], d, "en")
    assert cannot_tell_section(["policy"], tmp_path / "nothing", "en") == ""
    stale = _cannot_tell_dir(tmp_path, "other-code")
    assert "other code" in cannot_tell_section(["policy"], stale, "en")


def test_world_parameters_expand_posterior_draws_and_structures():
    import json

    from consultsim.analysis.robustness import world_parameters

    res = pd.DataFrame({"run_id": [0, 1, 2], "sample_id": [0, 0, 1], "replicate": [0, 1, 0],
                        "supervision_effect": [1.3, 1.3, 1.6], "_structure": ["default", "default", "deffuant"],
                        "_world": [json.dumps({"_draw": 0, "b0": -2.4})] * 2 + [json.dumps({"_draw": 1, "b0": -2.7})],
                        "baseline:complaints": [1.0, 2.0, 3.0]})
    wp = world_parameters(res)
    assert list(wp["world"]) == [0, 1] and list(wp["b0"]) == [-2.4, -2.7]
    assert list(wp["supervision_effect"]) == [1.3, 1.6] and list(wp["_structure"]) == ["default", "deffuant"]
    assert "baseline:complaints" not in wp.columns and "_draw" not in wp.columns


def test_structures_figure_is_drawn(tmp_path):
    from consultsim.analysis.robustness import plot_structures

    same = {"a": [0.30, 0.32, 0.31], "b": [0.20, 0.21, 0.19], "c": [0.10, 0.11, 0.09]}
    rev = {"a": [-0.10, -0.11, -0.09], "b": [0.20, 0.21, 0.19], "c": [0.30, 0.32, 0.31]}
    eff, ranks = summarize_structures(_results({"default": same, "alt": rev}), ["a", "b", "c"], ["default", "alt"],
                                      outcomes=["m"])
    p = plot_structures(eff, ranks, tmp_path / "s.png")
    assert p.stat().st_size > 10_000 and p.read_bytes()[:4] == b"\x89PNG"


@pytest.mark.slow
def test_robustness_structures_command_end_to_end(tmp_path, capsys):
    from consultsim.cli import main

    out = tmp_path / "r"
    argv = ["robustness", "--structures", "--levers", "supervision,policy", "--replicates", "2", "--steps", "12",
            "--households", "80", "--out", str(out), "--workers", "1", "--no-progress"]
    assert main(argv) == 0
    eff = pd.read_csv(out / "structures.csv")
    assert set(eff["structure"]) == {s.name for s in STRUCTURES} and set(eff["lever"]) == {"supervision", "policy"}
    for f in ("structures_rank.csv", "structures.png", "structures.md", "structures.json"):
        assert (out / f).is_file()
    assert main(argv) == 2  # results are never overwritten without --resume
    assert main([*argv[:-4], "--worlds-file", "x.parquet", "--out", str(tmp_path / "o")]) == 2
