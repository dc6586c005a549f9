"""One catalogue of strings, complete in both languages; a Chinese reader sees no English.

The check of a page: strip what may stay as written (parameter identifiers, scenario names the user
chose, file names, command names and options, numbers) and find no English word left."""

from __future__ import annotations

import html
import re

import pandas as pd
import pytest

from consultsim.core.params import PARAM_INFO, Params
from consultsim.running.scenarios import Scenario

_ALLOWED = re.compile(
    r"consultsim [a-z-]+"                   # a command's name
    r"|--?[a-z][\w-]*"                     # command-line options
    r"|[\w./-]+\.(?:toml|csv|csv\.gz|gz|md|png|html|json|parquet|db)\b"  # file names
    r"|(?<![\w])/[\w./-]+"                 # paths
    r"|\b(?:consultsim|ConsultSim|GraphML|WeChat|Solara|Mesa|numpy|pandas|python|platform|mesa|scipy|"
    r"matplotlib|SALib|ema_workbench|dask|Okabe-Ito|SQLite)\b"
    r"|`[^`]*`"                           # a command quoted in backticks
    r"|\.toml\b"                           # the ending of a scenario file
    r"|\[[a-z_]+\]"                       # a section of a scenario file, e.g. [costs]
)


def english_words(text: str, identifiers=()) -> list[str]:
    """English words left in ``text`` once identifiers, file names, commands and numbers are removed."""
    text = _ALLOWED.sub(" ", text)
    ids = sorted(set(PARAM_INFO) | set(identifiers), key=len, reverse=True)
    for name in ids:
        text = re.sub(rf"(?<![\w]){re.escape(name)}(?![\w])", " ", text)
    return re.findall(r"[A-Za-z]{2,}", text)


def page_text(page: str) -> str:
    page = re.sub(r"<style>.*?</style>", " ", page, flags=re.S)
    page = re.sub(r"<title>.*?</title>", " ", page, flags=re.S)
    page = re.sub(r'src="data:[^"]*"', " ", page)
    page = re.sub(r"<code>.*?</code>", " ", page, flags=re.S)  # commands, seeds, versions: as typed
    page = re.sub(r"<[^>]+>", " ", page)
    return html.unescape(page)


def test_every_key_has_both_languages():
    from consultsim.i18n import _CATALOG, _load

    _load()
    assert set(_CATALOG["en"]) == set(_CATALOG["zh"])
    empty = [k for lang in ("en", "zh") for k, v in _CATALOG[lang].items() if not v.strip()]
    assert not empty


def test_every_parameter_a_policymaker_can_change_has_chinese():
    from consultsim.i18n.params import ZH_SECTIONS, param_doc

    missing = [k for k, f in PARAM_INFO.items() if f.metadata["section"] in ZH_SECTIONS
               and param_doc(k, "zh").startswith("参数 ")]
    assert not missing
    for k in PARAM_INFO:  # and none is English under zh
        assert not english_words(param_doc(k, "zh")), k


@pytest.fixture
def no_font(monkeypatch):
    from consultsim.analysis import cjk
    monkeypatch.setattr(cjk, "font_face_css", lambda text: "")


def test_chinese_report_on_a_users_own_package_has_no_english(no_font):
    """The issue's reader: own package (building leaders' outreach, a subsidy, a price in 万元 by mistake)."""
    from consultsim.analysis.compare import paired_effects
    from consultsim.analysis.report import render_report
    from tests.test_funding import _costs, _final

    eff = {"mine": {"implemented": 2.0, "participation_rate": 0.10, "mean_trust_committee": 0.06,
                    "complaints": 30.0},
           "oversight": {"implemented": 1.0, "participation_rate": -0.04, "mean_trust_committee": -0.02}}
    final = _final(eff)
    for m in ("mean_efficacy", "voice_concentration", "mean_capacity", "meetings_held", "elderly_share_attendees"):
        final[m] = 0.4 + 0.01 * final.index % 7
    effects = paired_effects(final, "ref")
    costs = _costs({"mine": 56_000.0, "oversight": 36_000.0})
    labels = ["ref", "mine", "oversight"]
    scs = [Scenario("ref", "", Params(), name_zh="现状"),
           Scenario("mine", "my own package", Params(leader_reach=0.7, public_subsidy=0.3, social_workers=1,
                                                     cost_social_worker=12, online_channel=True,
                                                     cost_online_platform=0.0)),
           Scenario("oversight", "", Params(supervision=0.6))]
    summary = pd.DataFrame(columns=["scenario", "metric", "mean", "ci_low", "ci_high", "n"])
    topics = pd.DataFrame({"scenario": ["ref", "mine", "oversight"] * 4, "replicate": 0, "type": "garbage",
                           "outcome": ["implemented", "stalled", "rejected"] * 4, "complaints": 3,
                           "complaints_attendees": 1, "informed": 100, "published": [True, False, True] * 4,
                           "meetings": 1, "attendees": 40, "step_decided": 5})
    page = render_report(scenarios=scs, labels=labels, summary=summary, effects=effects, figures={},
                         provenance={"command": "consultsim compare ref /home/u/mine.toml --lang zh",
                                     "seconds": 12.0, "versions": {"python": "3.12"}},
                         replicates=8, steps=104, lang="zh", costs=costs, final=final, topics=topics,
                         objectives=("works", "participation", "trust", "complaints"))
    text = page_text(page)
    assert "建议资助" in text and "疑似单位错误" in text and "楼门长当面邀请" in text
    left = english_words(text, identifiers=labels + ["my own package"])
    assert not left, " ".join(sorted(set(left)))


_MISTAKES = [
    ["compare", "baseline", "--replicates", "1"],
    ["compare", "baseline", "--steps", "0"],
    ["compare", "baseline", "nosuch_scenario"],
    ["compare", "baseline", "{bad_section}"],
    ["compare", "baseline", "{bad_name}"],
    ["compare", "baseline", "{bad_value}"],
    ["compare", "baseline", "mine"],
    ["compare", "baseline", "policy", "--objectives", "joy"],
    ["compare", "baseline", "--lang", "fr"],
    ["run", "baseline", "--set", "supervison=2"],
    ["run", "baseline", "--set", "supervision=2"],
    ["run", "baseline", "--set", "n_residents=0.5"],
    ["run", "baseline", "--set", "supervision"],
]


def test_common_mistakes_read_chinese_with_the_language_set_once(tmp_path, monkeypatch, capsys):
    from consultsim.analysis.funding import OBJECTIVES
    from consultsim.cli import main
    from consultsim.running.scenarios import shipped_names

    names = [*shipped_names(), *{f.metadata['section'] for f in PARAM_INFO.values()}, *OBJECTIVES]
    files = {"{bad_section}": "[polcy]\nsupervision = 1\n", "{bad_name}": "[policy]\nsupervisio = 1\n",
             "{bad_value}": "[policy]\nsupervision = 3\n"}
    for k, text in files.items():
        (tmp_path / f"{k[1:-1]}.toml").write_text(text, encoding="utf-8")
    (tmp_path / "mine.toml").write_text("[policy]\nsupervision = 0.5\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CONSULTSIM_LANG", "zh")
    for argv in _MISTAKES:
        argv = [str(tmp_path / f"{a[1:-1]}.toml") if a in files else a for a in argv]
        assert main([*argv, "--out", str(tmp_path / "o")]) == 2, argv
        err = capsys.readouterr().err.strip()
        assert err.count("\n") == 0 and "错误" in err, err
        left = english_words(err.replace(str(tmp_path), ""), identifiers=[*names, "nosuch_scenario", "polcy", "supervisio", "supervison",
                                                                          "mine", "joy", "fr", "en", "zh"])
        assert not left, (argv, err)
    monkeypatch.setenv("CONSULTSIM_LANG", "en")
    assert main(["compare", "baseline", "--replicates", "1"]) == 2
    assert "must be at least 2" in capsys.readouterr().err


def test_interrupt_says_what_was_kept_and_how_to_resume(monkeypatch, capsys, tmp_path):
    from consultsim.cli import main
    from consultsim.cli.commands import run as run_cmd
    from consultsim.cli.commands import sweep as sweep_cmd

    def stop(args):
        raise KeyboardInterrupt

    monkeypatch.setattr(run_cmd, "run", stop)
    monkeypatch.setattr(sweep_cmd, "run", stop)
    assert main(["run", "baseline", "--out", str(tmp_path / "r")]) == 130
    assert "nothing was written" in capsys.readouterr().err
    assert main(["sweep", "experiments/discovery.toml", "--out", str(tmp_path / "s"), "--lang", "zh"]) == 130
    err = capsys.readouterr().err
    assert "--resume" in err and "已完成的运行保存在" in err and str(tmp_path / "s") in err


def test_every_parameter_a_ranking_can_name_has_chinese():
    from consultsim.analysis.funding import LEVER_EFFECT_PARAMS, OBJECTIVE_PARAMS
    from consultsim.i18n.params import param_doc

    for names in (*LEVER_EFFECT_PARAMS.values(), *OBJECTIVE_PARAMS.values()):
        for n in names:
            assert not param_doc(n, "zh").startswith("参数 "), n


@pytest.mark.parametrize("line", [
    "8 runs in 2.2 s (serial); /tmp/x holds 8 finished and 0 failed of 8",
    "3 of 8 runs failed (first: boom); see the error column of /tmp/x/runs.parquet, fix the cause and rerun them "
    "with --retry-failed",
    "2 of 14 criteria FAIL (patterns P2, P4)",
    "all 14 criteria pass (patterns P1, P2); rows in brackets are diagnostics, not scored",
    "validation of baseline (scenarios/baseline.toml): 2000 households, 20 runs x 104 weeks, master seed 7",
    "validation of baseline (built-in defaults): 2000 households, 20 runs x 104 weeks, master seed 7",
])
def test_status_lines_of_sweep_and_validate_read_chinese(line):
    from consultsim.i18n.messages import translate_message

    zh = translate_message(line, "zh")
    assert not english_words(zh, identifiers=["baseline", "serial", "boom", "error", "P1", "P2",
                                              "P4"]), zh
