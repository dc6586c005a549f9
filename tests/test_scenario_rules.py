"""Scenario-file rules that keep a policymaker's own file from silently meaning something else (issue 9
part 4, issue 12): ``base`` may name a shipped scenario, a file without ``name`` takes its stem and
never inherits a description, shares are checked as sums, a byte-order mark is accepted."""

from __future__ import annotations

import pytest

from consultsim.running.scenarios import SCENARIO_DIR, ScenarioError, load_scenario, resolve_scenario


def _write(tmp_path, name, text, bom=False):
    p = tmp_path / name
    p.write_bytes(("\ufeff" if bom else "").encode() + text.encode("utf-8"))
    return p


@pytest.mark.parametrize("base", ["baseline", "baseline.toml", "policy"])
def test_base_names_a_shipped_scenario_when_no_file_is_beside(tmp_path, base):
    p = _write(tmp_path, "mine.toml", f'base = "{base}"\n[policy]\nsupervision = 0.6\n')
    sc = load_scenario(p)
    shipped = load_scenario(SCENARIO_DIR / f"{base.removesuffix('.toml')}.toml")
    assert sc.params.supervision == 0.6
    assert sc.params.replace(supervision=shipped.params.supervision) == shipped.params


def test_a_file_beside_wins_over_the_shipped_one(tmp_path):
    _write(tmp_path, "baseline.toml", '[community]\nn_residents = 321\n')
    sc = load_scenario(_write(tmp_path, "mine.toml", 'base = "baseline"\n[policy]\nsupervision = 0.6\n'))
    assert sc.params.n_residents == 321


def test_missing_base_mentions_the_shipped_scenarios(tmp_path):
    p = _write(tmp_path, "mine.toml", 'base = "baseline_v2"\n')
    with pytest.raises(ScenarioError) as e:
        load_scenario(p)
    msg = str(e.value)
    assert "mine.toml: base 'baseline_v2': no such file next to it" in msg
    assert "did you mean 'baseline'?" in msg and "shipped scenarios: " in msg and "combined" in msg
    assert "\n" not in msg


def test_base_with_a_folder_is_never_looked_up_in_the_shipped_ones(tmp_path):
    with pytest.raises(ScenarioError, match="no such file next to it"):
        load_scenario(_write(tmp_path, "mine.toml", 'base = "sub/baseline.toml"\n'))


def test_no_name_takes_the_file_stem_and_no_description_is_inherited(tmp_path):
    """A file that sets supervision = 0.6 is not reported as 'baseline — No policy levers are applied'."""
    sc = load_scenario(_write(tmp_path, "more_oversight.toml", 'base = "baseline"\n[policy]\nsupervision = 0.6\n'))
    base = load_scenario(SCENARIO_DIR / "baseline.toml")
    assert base.description and base.name == "baseline"
    assert sc.name == "more_oversight"
    assert sc.description == "" and sc.name_zh == "" and sc.description_zh == ""
    named = load_scenario(_write(tmp_path, "x.toml", 'base = "policy"\nname = "我的方案"\n[policy]\nsupervision = 0.6\n'))
    assert named.name == "我的方案" and named.description == ""


def test_shares_are_checked_as_sums_over_the_whole_chain(tmp_path):
    ok = load_scenario(_write(tmp_path, "ok.toml", 'base = "baseline"\n[population]\nelderly_share = 0.75\n'
                                                   "young_share = 0.2\n"))
    assert (ok.params.elderly_share, ok.params.young_share) == (0.75, 0.2)
    # the base sets young_share = 0.3; the child's 0.75 alone is fine, together they are not
    with pytest.raises(ScenarioError, match=r"elderly_share \+ young_share = 0.75 \+ 0.3 = 1.05: .* must not "
                                            r"exceed 1"):
        load_scenario(_write(tmp_path, "bad.toml", 'base = "baseline"\n[population]\nelderly_share = 0.75\n'))
    with pytest.raises(ScenarioError, match="conditional_cooperator_share \\+ free_rider_share"):
        load_scenario(_write(tmp_path, "bad2.toml", "[population]\nfree_rider_share = 0.6\n"))


def test_byte_order_mark_is_accepted(tmp_path):
    sc = load_scenario(_write(tmp_path, "bom.toml", 'name = "bom"\n[policy]\nsupervision = 0.4\n', bom=True))
    assert sc.name == "bom" and sc.params.supervision == 0.4


@pytest.mark.parametrize("text", ["", "# only a comment\n", "\n\n"])
def test_an_empty_file_is_an_error_not_the_defaults(tmp_path, text):
    """Decision: an empty file is a save or copy mistake far more often than a wish for the defaults,
    and running the defaults under the file's name would report them as the user's scenario."""
    with pytest.raises(ScenarioError, match="empty scenario file .* use the shipped scenario 'baseline'"):
        load_scenario(_write(tmp_path, "e.toml", text))


def test_misspelt_shipped_name_suggests_the_right_one():
    with pytest.raises(ScenarioError, match="did you mean 'incentives'"):
        resolve_scenario("incentive")
