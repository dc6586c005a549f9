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


# --- the report's "what the model cannot tell you" names every assumed size (issue 17, part 3) ---------------

def _table_rows() -> dict[str, list[str]]:
    """docs/levers.md's table: lever -> its rows' cells (front, lever, parameters, sourced, ...)."""
    out: dict[str, list[str]] = {}
    for line in DOC.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) >= 4 and re.fullmatch(r"`\w+`", cells[1]):
            out.setdefault(cells[1].strip("`"), []).append(cells)
    return out


def test_the_doc_table_names_no_effect_size_the_code_does_not_know():
    # the reverse of the coverage test above: the table and LEVER_EFFECTS list the same parameters per lever
    rows = _table_rows()
    assert sorted(rows) == sorted(LEVER_EFFECTS)
    for lever, cells in rows.items():
        named = {p for c in cells for p in re.findall(r"`(\w+)`", c[2])}
        assert set(LEVER_EFFECTS[lever]) <= named <= set(LEVER_EFFECTS[lever]) | set(RESOURCE_RATES.get(lever, ())), lever


def test_the_doc_tables_sourced_column_agrees_with_the_metadata():
    # fails when a parameter's source in params.py changes (e.g. it loses its source) and the doc still says otherwise
    for lever, cells in _table_rows().items():
        for c in cells:
            params = [p for p in re.findall(r"`(\w+)`", c[2]) if p in LEVER_EFFECTS[lever]]
            if not params or c[3] == "":
                continue
            doc_says = not c[3].lower().startswith("no")
            for p in params:
                assert is_sourced(p) == doc_says, f"docs/levers.md says {p} is {'' if doc_says else 'not '}sourced"


def _package(*names: str) -> Params:
    """A package that changes the given levers (to the other end of their plausible range, or flipped)."""
    ref = Params()
    changes = {}
    for n in names:
        v = getattr(ref, n)
        if isinstance(v, bool):
            changes[n] = not v
        else:
            lo, hi = PARAM_INFO[n].metadata["plausible"]
            changes[n] = type(v)(hi if v != hi else lo)
    return Params(**changes)


def _section(pkg: Params, tmp_path, lang="en") -> str:
    from consultsim.analysis.report import cannot_tell_section

    return cannot_tell_section(["pkg"], tmp_path / "no-robustness", lang, packages={"pkg": (pkg, Params())})


def test_section_names_every_unsourced_effect_size_of_every_lever(tmp_path):
    for lever in lever_names():
        text = _section(_package(lever), tmp_path)
        for p in LEVER_EFFECTS[lever]:
            if not is_sourced(p):
                assert f"{p} (prior" in text, f"{lever}: the report does not name {p}, which has no source"
    # with no assumed size and no robustness result there is nothing to say
    assert _section(_package("public_subsidy"), tmp_path) == ""


def test_section_follows_the_metadata_not_a_list(tmp_path, monkeypatch):
    import types

    pkg = _package("supervision")
    assert "supervision_effect (prior 0 to 1.8; includes no effect)" in _section(pkg, tmp_path)
    # a source that gives the size: no longer named
    meta = dict(PARAM_INFO["supervision_effect"].metadata, sourced=True, source="a field evaluation")
    monkeypatch.setitem(PARAM_INFO, "supervision_effect", types.SimpleNamespace(metadata=meta))
    text = _section(pkg, tmp_path)
    assert "supervision_effect" not in text and "sanction_effect (prior" in text
    # ... and when it loses that source again, and its prior excludes the null, the report says so
    meta = dict(meta, sourced=False, source="assumption", plausible=(1.2, 1.8))
    monkeypatch.setitem(PARAM_INFO, "supervision_effect", types.SimpleNamespace(metadata=meta))
    assert ("supervision_effect (prior 1.2 to 1.8; excludes no effect, so every world assumes it works)"
            in _section(pkg, tmp_path))
    zh = _section(pkg, tmp_path, "zh")
    assert "模型无法告诉您的事" in zh and "supervision_effect（先验 1.2 至 1.8；不包含" in zh


def _worlds(tmp_path, code_id):
    import json

    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(3)
    n = 120
    invited = rng.uniform(0.9, 1.5, n)     # b_invited: no source, its prior excludes 0
    fair = rng.uniform(0.4, 0.6, n)        # procedural_weight: sourced
    other = rng.uniform(0.0, 1.0, n)       # supervision_effect: no source, unrelated to this effect
    eff = [{"lever": "practice", "target": "participation_rate", "world": w,
            "effect": 0.05 * invited[w] + 0.2 * fair[w] + rng.normal(0, 0.005), "baseline": 0.1} for w in range(n)]
    pd.DataFrame(eff).to_csv(tmp_path / "robustness_worlds.csv", index=False)
    pd.DataFrame({"world": range(n), "b_invited": invited, "procedural_weight": fair,
                  "supervision_effect": other}).to_csv(tmp_path / "robustness_world_params.csv", index=False)
    (tmp_path / "robustness.json").write_text(json.dumps({"code": {"id": code_id}}), encoding="utf-8")
    return tmp_path


def test_sizes_in_worlds_names_unsourced_sizes_whose_prior_excludes_the_null(tmp_path):
    from consultsim.analysis.levers import sizes_in_worlds
    from consultsim.analysis.robustness import cannot_tell

    d = _worlds(tmp_path, "x")
    assert cannot_tell(d) == []  # the sign never flips: the sign-based check alone says nothing
    rows = sizes_in_worlds(d)
    assert [(r["lever"], r["target"], r["majority"], r["share"]) for r in rows] == [
        ("practice", "participation_rate", "+", 1.0)]
    named = {p["parameter"]: p for p in rows[0]["parameters"]}
    assert set(named) == {"b_invited"}  # procedural_weight is sourced; supervision_effect is unrelated
    assert named["b_invited"]["includes_null"] is False and named["b_invited"]["rho"] > 0.3
    assert sizes_in_worlds(d, ["policy"]) == [] and sizes_in_worlds(tmp_path / "none") == []


def test_report_section_names_sizes_from_the_worlds(tmp_path):
    from consultsim.analysis.report import cannot_tell_section
    from consultsim.running.provenance import code_identity

    d = _worlds(tmp_path, code_identity()["id"])
    en = cannot_tell_section(["practice"], d, "en")
    assert "Sizes nobody has measured" in en and "b_invited (Spearman rho" in en
    assert "excludes no effect, so every world assumes it works" in en and "procedural_weight" not in en
    zh = cannot_tell_section(["practice"], d, "zh")
    assert "无人测量过的大小" in zh and "b_invited" in zh
    stale = _worlds(tmp_path, "other-code")
    assert "b_invited" not in cannot_tell_section(["practice"], stale, "en")
