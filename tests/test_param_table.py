"""docs/ODD.md §11 is the parameter table generated from params.py, and ODD cites the field study."""

from __future__ import annotations

from pathlib import Path

from consultsim.analysis.param_table import BEGIN, END, param_table, replace_table
from consultsim.core.params import PARAM_INFO, Params

ODD = Path(__file__).resolve().parent.parent / "docs" / "ODD.md"


def test_odd_parameter_table_matches_params_py():
    text = ODD.read_text(encoding="utf-8")
    assert replace_table(text) == text, "docs/ODD.md §11 is stale: run python -m consultsim.analysis.param_table"


def test_table_has_every_parameter_with_value_range_and_source():
    rows = param_table().splitlines()[2:]
    assert len(rows) == len(PARAM_INFO)
    p = Params()
    for row, (name, f) in zip(rows, PARAM_INFO.items()):
        cells = [c.strip() for c in row.strip("|").split(" | ")]
        assert cells[0] == f"`{name}`" and cells[1] == f.metadata["section"]
        if isinstance(getattr(p, name), float) and getattr(p, name) not in (0.0,):
            assert float(cells[2].replace(",", "")) == float(f"{getattr(p, name):.6g}")
        assert cells[5] == " ".join((f.metadata["source"] or "–").split()).replace("|", "\\|")


def test_odd_cites_the_field_study_and_its_findings():
    text = ODD.read_text(encoding="utf-8")
    assert BEGIN in text and END in text
    body, sources = text.split("## 10. Sources")
    assert "Field study of \"Beijing X area\"" in body and "in-depth interviews" in body
    for finding in ("insufficient internal impetus", "limited ability", "not implemented"):
        assert finding in body and finding in sources


def test_levers_have_policy_ranges_and_experiment_uncertainties_match_the_metadata():
    from consultsim.core.params import levers
    from consultsim.sweeps.experiments import EXPERIMENT_DIR, load_experiment

    p = Params()
    for name in (n for names in levers().values() for n in names):
        m = PARAM_INFO[name].metadata
        if isinstance(getattr(p, name), bool):
            continue  # on or off: no range
        lo, hi = m["plausible"]
        assert m["lo"] <= lo < hi <= m["hi"] and lo <= getattr(p, name) <= hi, name
    import tomllib

    for path in (p for p in EXPERIMENT_DIR.glob("*.toml") if p.stem != "calibration"):  # (calibrate's settings) a file's [uncertainties] are the plausible worlds: the metadata's
        declared = tomllib.loads(path.read_text(encoding="utf-8")).get("uncertainties", {})
        for spec in load_experiment(path).varied:
            if spec.name in declared and spec.kind == "range":
                assert (spec.low, spec.high) == tuple(PARAM_INFO[spec.name].metadata["plausible"]), (path.name, spec)
    for spec in load_experiment(EXPERIMENT_DIR / "discovery.toml").varied:  # policy within its plausible range
        m = PARAM_INFO[spec.name].metadata
        if spec.role == "lever" and spec.kind == "range":
            assert m["plausible"][0] <= spec.low and spec.high <= m["plausible"][1], spec.name
