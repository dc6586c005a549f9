"""The report: one self-contained HTML file with every figure embedded, and the CLI writing it."""

from __future__ import annotations

import base64
import gzip
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from consultsim.analysis.compare import Comparison
from consultsim.analysis.report import fmt_diff, fmt_level, headline_sentences
from consultsim.cli import main
from consultsim.cli.commands.compare import write_comparison
from consultsim.core.metric_names import METRICS
from consultsim.running.scenarios import Scenario

DATA = Path(__file__).parent / "data"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


class _Collect(HTMLParser):
    def __init__(self):
        super().__init__()
        self.imgs, self.links, self.scripts, self.headings = [], [], [], []
        self._h = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "img":
            self.imgs.append(a)
        if tag in ("link", "script") and (a.get("href") or a.get("src")):
            self.links.append(a)
        if tag in ("h2", "h3"):
            self._h = ""

    def handle_data(self, data):
        if self._h is not None:
            self._h += data

    def handle_endtag(self, tag):
        if tag in ("h2", "h3") and self._h is not None:
            self.headings.append(self._h.strip())
            self._h = None


def _parse(path: Path) -> _Collect:
    p = _Collect()
    p.feed(path.read_text(encoding="utf-8"))
    return p


def _assert_self_contained_with_figures(report: Path, n_figures: int):
    p = _parse(report)
    assert p.links == []  # no external stylesheet or script
    assert len(p.imgs) == n_figures
    for img in p.imgs:
        src = img["src"]
        assert src.startswith("data:image/png;base64,")
        assert base64.b64decode(src.split(",", 1)[1]).startswith(PNG_MAGIC)
        assert img.get("alt")
    for h in ("What was compared", "Figures", "How this was produced"):
        assert h in p.headings
    return p


def _synthetic_comparison(n_runs=4, steps=20):
    """Result tables with a known structure (not model output): scenario b is higher by 0.05."""
    rng = np.random.default_rng(5)
    rows = []
    for sc, shift in (("a", 0.0), ("b", 0.05)):
        for r in range(n_runs):
            for s in range(steps + 1):
                rows.append({"scenario": sc, "replicate": r, "seed": 100 + r, "step": s,
                             **{m: 0.2 + shift + 0.01 * r + rng.normal(0, 0.001) for m in METRICS}})
    scs = [Scenario(name="a", description="reference"),
           Scenario(name="b", description="lever on").with_overrides(supervision=0.6)]
    return Comparison(scs, ["a", "b"], 99, [100 + r for r in range(n_runs)], steps, pd.DataFrame(rows),
                      pd.DataFrame(columns=["scenario", "replicate"]), 1.0)


def test_report_from_result_tables_is_self_contained(tmp_path):
    comp = _synthetic_comparison()
    paths = write_comparison(comp, tmp_path, ["consultsim", "compare", "a", "b"])
    _assert_self_contained_with_figures(paths["report"], 4)
    text = paths["report"].read_text(encoding="utf-8")
    assert "supervision" in text          # the scenario differences table
    assert "consultsim compare a b" in text and "99" in text  # provenance: command and master seed
    eff = pd.read_csv(tmp_path / "effects.csv")
    row = eff[eff.metric == "participation_rate"].iloc[0]
    assert row["diff"] == pytest.approx(0.05, abs=0.003)


def test_headline_sentences_say_direction_and_interval():
    eff = pd.DataFrame([{"scenario": "b", "metric": "participation_rate", "diff": 0.042, "ci_low": 0.031,
                         "ci_high": 0.053, "n": 30, "reference_mean": 0.081, "scenario_mean": 0.123},
                        {"scenario": "b", "metric": "mean_trust_committee", "diff": 0.01, "ci_low": -0.02,
                         "ci_high": 0.04, "n": 30, "reference_mean": 0.5, "scenario_mean": 0.51}])
    lines = headline_sentences(eff, "a")["b"]
    assert "8.1% under a, 12.3% under b: clearly higher (better)" in lines[0]
    assert "+4.2 percentage points" in lines[0] and "+3.1 to +5.3" in lines[0]
    assert "no clear difference" in lines[1]


def test_formatting_units():
    assert fmt_level("participation_rate", 0.0812) == "8.1%"
    assert fmt_level("mean_efficacy", 0.347) == "0.35"
    assert fmt_diff("stalled", 3.0) == "+3.0 topics"
    assert fmt_diff("representation_gap", -0.0123) == "-0.012"


def test_compare_command_end_to_end(tmp_path, capsys):
    out = tmp_path / "cmp"
    code = main(["compare", str(DATA / "small_baseline.toml"), str(DATA / "small_policy.toml"),
                 "--replicates", "3", "--steps", "16", "--seed", "5", "--out", str(out), "--workers", "1",
                 "--quiet"])
    assert code == 0, capsys.readouterr().err
    _assert_self_contained_with_figures(out / "report.html", 4)
    for f in ("summary.csv", "effects.csv", "costs.csv", "timeseries.csv.gz", "topics.csv.gz", "timeseries.png",
              "effects.png", "overview.png", "cost_effect.png", "comparison.json"):
        assert (out / f).is_file(), f
    summary = pd.read_csv(out / "summary.csv")
    assert list(summary.columns) == ["scenario", "metric", "mean", "ci_low", "ci_high", "n", "pi_low", "pi_high"]
    assert set(summary["scenario"]) == {"small_baseline", "small_policy"}
    effects = pd.read_csv(out / "effects.csv")
    assert set(effects["scenario"]) == {"small_policy"}
    assert {"diff", "ci_low", "ci_high"} <= set(effects.columns)
    with gzip.open(out / "timeseries.csv.gz", "rt") as fh:
        ts = pd.read_csv(fh)
    assert len(ts) == 2 * 3 * 17 and set(METRICS) <= set(ts.columns)


def test_scenario_colours_are_distinct_and_stable():
    from consultsim.analysis.plotting import scenario_colors
    from consultsim.running.scenarios import SCENARIO_DIR

    names = sorted(p.stem for p in SCENARIO_DIR.glob("*.toml"))
    every = scenario_colors(names)
    assert len(set(every.values())) == len(names)  # 16 scenarios, 16 colours
    few = scenario_colors(["baseline", "supervision", "policy"])
    for k in ("baseline", "policy", "combined"):    # a package keeps its colour across figures
        assert scenario_colors([k, "supervision", "x"])[k] == every[k] == few.get(k, every[k])


def test_a_figure_of_few_scenarios_has_no_two_colours_of_one_hue():
    """Up to 10 scenarios, each gets its own hue family (the issue: two oranges and two blues)."""
    import colorsys
    import itertools

    from consultsim.analysis.plotting import _HUES, scenario_colors
    from consultsim.running.scenarios import SCENARIO_DIR

    names = sorted(p.stem for p in SCENARIO_DIR.glob("*.toml")) + ["mine", "mine (2)", "oversight_online"]
    for k, combo in enumerate(itertools.combinations(names, 6)):
        if k % 97:
            continue  # a spread of the 20,000 combinations
        cols = scenario_colors(list(combo))
        assert len(set(cols.values())) == 6 and set(cols.values()) <= set(_HUES), combo
    # the hue families themselves are far apart: hue, or lightness for the greys
    hls = [colorsys.rgb_to_hls(*(int(c[i:i + 2], 16) / 255 for i in (1, 3, 5))) for c in _HUES]
    for (h1, l1, s1), (h2, l2, s2) in itertools.combinations(hls, 2):
        dh = min(abs(h1 - h2), 1 - abs(h1 - h2))
        assert dh > 0.04 or abs(l1 - l2) > 0.2 or abs(s1 - s2) > 0.4


def test_cost_effect_labels_do_not_overlap(tmp_path):
    from consultsim.analysis import plotting

    plt = plotting._plt()
    fig, ax = plt.subplots(figsize=(6, 4))
    items = [(5.0 + 0.05 * (i % 3), 0.05 + 0.002 * i, f"package number {i}", "black") for i in range(8)]
    for x, y, _, _ in items:
        ax.plot([x], [y], "o")
    ax.set_xlim(0, 7)
    ax.set_ylim(0, 0.1)
    anns = plotting.place_labels(fig, ax, items)
    r = fig.canvas.get_renderer()
    boxes = [a.get_window_extent(r) for a in anns]
    overlaps = sum(a.overlaps(b) for i, a in enumerate(boxes) for b in boxes[i + 1:])
    plt.close(fig)
    assert len(anns) == 8 and overlaps == 0
