"""Parameters and scenario files: validation, inheritance and clean errors."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from consultsim import ParamError, Params, ScenarioError, load_scenario
from consultsim.core.params import PARAM_INFO, levers
from consultsim.running.scenarios import SCENARIO_DIR

SPEC_LEVERS = {"incentive_per_meeting", "pm_performance_contract", "supervision", "meeting_cadence_weeks",
               "pm_inclusion", "awareness_campaign", "feedback_transparency", "training_sessions_per_quarter",
               "training_seats", "committee_facilitation_training", "social_workers", "online_channel"}


def test_every_spec_lever_is_a_parameter_on_its_front():
    names = {n for group in levers().values() for n in group}
    assert SPEC_LEVERS <= names
    assert "supervision" in levers()["policy"] and "awareness_campaign" in levers()["idea"]
    assert "social_workers" in levers()["practice"]


def test_replace_validates_names_types_and_ranges():
    p = Params()
    assert p.replace(supervision=0.5).supervision == 0.5
    with pytest.raises(ParamError, match="did you mean 'supervision'"):
        p.replace(supervison=0.5)
    with pytest.raises(ParamError, match=r"supervision = 1.5: expected a number in \[0, 1\]"):
        p.replace(supervision=1.5)
    with pytest.raises(ParamError, match="n_residents"):
        p.replace(n_residents=12.5)
    with pytest.raises(ParamError, match="online_channel"):
        p.replace(online_channel="maybe")
    with pytest.raises(ParamError, match="expected"):
        p.replace(epsilon="wide")
    for text in ("true", "yes", "1"):  # a string is never a boolean (issue 12: exact types)
        with pytest.raises(ParamError, match="online_channel = .*: expected true or false"):
            p.replace(online_channel=text)
    for name, text in (("supervision", "0.5"), ("n_residents", "150")):
        with pytest.raises(ParamError, match=f"{name} = '{text}': expected"):
            p.replace(**{name: text})
    with pytest.raises(ParamError, match="expected true or false"):
        p.replace(online_channel=1)
    assert isinstance(p.replace(n_residents=300.0).n_residents, int)


def test_every_parameter_has_section_doc_and_valid_default():
    for name, f in PARAM_INFO.items():
        assert f.metadata["section"], name
        assert f.metadata["doc"], name
    Params()  # defaults validate


def test_baseline_file_equals_the_defaults():
    """The documented baseline scenario and ConsultationModel(None) are the same community."""
    sc = load_scenario(SCENARIO_DIR / "baseline.toml")
    assert sc.params == Params()
    assert set(sc.values) == set(PARAM_INFO), "baseline.toml should state every parameter with its source"


def test_baseline_every_value_is_commented():
    for line in (SCENARIO_DIR / "baseline.toml").read_text(encoding="utf-8").splitlines():
        if "=" in line and not line.startswith(("#", "name", "description", "base")):
            assert "#" in line, f"no source comment: {line}"


def _write(tmp: Path, name: str, text: str) -> Path:
    p = tmp / name
    p.write_text(textwrap.dedent(text), encoding="utf-8")
    return p


def test_inheritance_overrides_only_what_it_names(tmp_path):
    _write(tmp_path, "base.toml", """
        name = "b"
        [policy]
        supervision = 0.2
        [community]
        n_residents = 300
    """)
    child = _write(tmp_path, "child.toml", """
        base = "base.toml"
        name = "child"
        description = "More supervision."
        [policy]
        supervision = 0.8
    """)
    sc = load_scenario(child)
    assert sc.name == "child" and sc.description == "More supervision."
    assert sc.params.supervision == 0.8 and sc.params.n_residents == 300


@pytest.mark.parametrize("text, fragment", [
    ('[policy]\nsupervison = 0.5\n', "supervison: unknown parameter (did you mean 'supervision'?)"),
    ('[policy]\nsupervision = "high"\n', "supervision = 'high': expected a number in [0, 1]"),
    ('[policy]\nsupervision = 2\n', "supervision = 2: expected a number in [0, 1]"),
    ('[community]\nsupervision = 0.5\n', "supervision: belongs in [policy]"),
    ('supervision = 0.5\n', "unknown top-level key 'supervision' (put it under [policy])"),
    ('[levers]\nx = 1\n', "unknown section [levers]"),
    ('[policy\nsupervision = 0.5\n', "not valid TOML"),
    ('base = "missing.toml"\n', "base 'missing.toml': no such file next to it"),
    ('[community]\nn_residents = 10.5\n', "n_residents = 10.5: expected an integer"),
])
def test_bad_scenarios_name_file_and_key(tmp_path, text, fragment):
    bad = _write(tmp_path, "bad.toml", text)
    with pytest.raises(ScenarioError) as e:
        load_scenario(bad)
    msg = str(e.value)
    assert fragment in msg
    assert "bad.toml" in msg or "missing.toml" in msg
    assert "\n" not in msg


def test_inheritance_loop_is_reported(tmp_path):
    _write(tmp_path, "a.toml", 'base = "b.toml"\n')
    _write(tmp_path, "b.toml", 'base = "a.toml"\n')
    with pytest.raises(ScenarioError, match=r"inheritance loop \(a.toml -> b.toml -> a.toml\)"):
        load_scenario(tmp_path / "a.toml")


def test_missing_file():
    with pytest.raises(ScenarioError, match="no such scenario file"):
        load_scenario("does/not/exist.toml")
