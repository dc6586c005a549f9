"""docs/levers.md covers every lever; an effect size without a source has a prior that includes the null;
a package says which effect sizes it rests on, and the report marks it in both languages."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from consultsim.analysis.levers import LEVER_EFFECTS, NULL, RESOURCE_RATES, lever_names, package_evidence
from consultsim.core.mechanisms import MECHANISMS
from consultsim.core.params import PARAM_INFO, Params, is_sourced

DOC = (Path(__file__).parent.parent / "docs" / "levers.md").read_text(encoding="utf-8")


def test_every_lever_has_its_effect_sizes_listed_in_code_and_doc():
    assert sorted(LEVER_EFFECTS) == sorted(lever_names())
    rows = [line for line in DOC.splitlines() if line.startswith("| ")]
    for lever, params in LEVER_EFFECTS.items():
        mine = [r for r in rows if f"| `{lever}` |" in r]
        assert mine, f"docs/levers.md has no row for the lever {lever}"
        for p in params:
            assert any(f"`{p}`" in r for r in mine), f"docs/levers.md: {lever} does not name {p}"


def test_a_lever_bound_mechanism_names_its_effect_sizes_under_its_lever():
    for m in MECHANISMS.values():
        if m.lever is not None:
            missing = set(m.off) - set(LEVER_EFFECTS[m.lever]) - set(RESOURCE_RATES.get(m.lever, ()))
            assert not missing, f"{m.name}: {sorted(missing)} set {m.lever}'s effect but are not listed"


@pytest.mark.parametrize("name", sorted({p for ps in LEVER_EFFECTS.values() for p in ps}))
def test_an_unsourced_effect_size_prior_includes_the_null(name):
    meta = PARAM_INFO[name].metadata
    if is_sourced(name):
        assert "assumption" not in meta["source"].lower()
        return
    lo, hi = meta["plausible"]
    null = NULL.get(name, 0.0)
    assert lo <= null <= hi, f"{name}: no source, yet its prior {lo}-{hi} excludes the null {null}"


def test_sourced_flag_follows_the_source_unless_set():
    assert not is_sourced("supervision_effect")      # "assumption"
    assert not is_sourced("sanction_effect")         # "Fehr & Gächter 2000; assumption": size assumed
    assert is_sourced("owners_turnout")              # Civil Code art. 278


def test_package_evidence_names_the_assumed_sizes():
    ev = package_evidence({"supervision": 0.5, "public_subsidy": 0.5})
    assert [s.parameter for s in ev.sizes] == ["supervision_effect", "sanction_effect", "oversight_cases"]
    assert not ev.sourced and ev.assumed == ("supervision_effect", "sanction_effect", "oversight_cases")
    assert package_evidence({"public_subsidy": 0.5}).sourced  # no behavioural size of its own
    # from parameters: only the levers that differ from the reference count
    assert package_evidence(Params(incentive_per_meeting=10.0, b_time=2.0)).assumed == ("b_incentive", "crowding_out")


def test_report_marks_each_package_in_both_languages():
    from consultsim.analysis.report import evidence_words
    from consultsim.core.scenario import Scenario

    base = Scenario(name="baseline", params=Params())
    sup = Scenario(name="sup", params=Params(supervision=0.5))
    sub = Scenario(name="sub", params=Params(public_subsidy=0.5))
    assert evidence_words(sup, base) == "depends on an assumed size (supervision_effect, sanction_effect, oversight_cases, no source)"
    assert evidence_words(sub, base) == "follows from the mechanisms and sourced sizes"
    zh = evidence_words(sup, base, "zh")
    assert "supervision_effect" in zh and re.search("[\u4e00-\u9fff]", zh)
