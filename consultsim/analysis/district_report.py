"""A self-contained HTML report of a district run, comparison or allocation, in English or 中文.

One file, no external resources (figures as base64 PNG, the Chinese font as a WOFF subset, as in
:mod:`consultsim.analysis.report`). Sections: the district in numbers, the allocation (when
``consultsim district allocate`` made one: which community gets what, why, what it buys, verified
against simple rules, with intervals), package effects with the share of communities made worse,
the spread across communities, per-type tables, the communities left behind, a grid of
communities coloured by outcome, and what is uncertain.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from consultsim.analysis import district as da
from consultsim.i18n import register, tr

__all__ = ["write_district_report", "render_district_report", "plot_grid"]

register({
    "dr.title": {"en": "District report: {name}", "zh": "区域报告：{name}"},
    "dr.intro": {"en": "{n} communities, {households:,} households, {steps} weeks ({years:.1f} years) each; "
                       "every community is one simulated run with its own seed (the same seed under every package).",
                 "zh": "{n} 个社区，共 {households:,} 户，每个社区模拟 {steps} 周（{years:.1f} 年）；每个社区是一次独立模拟，"
                       "有自己的随机种子（各政策组合下种子相同）。"},
    "dr.summary": {"en": "The district in numbers", "zh": "区域总体结果"},
    "dr.summary_note": {"en": "Counts (works implemented, topics, complaints) are totals over the communities for the "
                              "whole run; rates are means weighted by households.",
                        "zh": "计数（落实事项、议题、投诉）为全部社区整个模拟期的合计；比率为按户数加权的平均值。"},
    "dr.effects": {"en": "What each package changes (paired on each community)",
                   "zh": "各政策组合带来的变化（按社区配对比较）"},
    "dr.effects_note": {"en": "change: mean over communities of (package - reference) on the same community and seed, "
                              "with a 95% interval across communities; worse: share of communities the package made "
                              "worse; worst tenth: change in the 10th percentile (worst-off communities).",
                        "zh": "变化：同一社区、同一种子下（政策组合 − 参照）的社区平均值，附跨社区 95% 区间；变差：该组合使之变差的社区比例；"
                              "最差十分位：最差 10% 社区处的变化。"},
    "dr.years": {"en": "Year by year", "zh": "逐年结果"},
    "dr.years_note": {"en": "Per recorded year of the run (run --steps 260 for five years): works implemented in that "
                            "year in the whole district, and the household-weighted participation and trust at its end.",
                      "zh": "按模拟的每一年（五年请用 --steps 260）：全区当年落实的事项数，以及年末按户加权的参与率和信任。"},
    "dr.col.year": {"en": "year", "zh": "年份"},
    "dr.spread": {"en": "Spread across communities ({package})", "zh": "社区间的差异（{package}）"},
    "dr.q.min": {"en": "min", "zh": "最小"}, "dr.q.p10": {"en": "p10", "zh": "10% 分位"},
    "dr.q.median": {"en": "median", "zh": "中位数"}, "dr.q.p90": {"en": "p90", "zh": "90% 分位"},
    "dr.q.max": {"en": "max", "zh": "最大"},
    "dr.types": {"en": "By community type ({package})", "zh": "按社区类型（{package}）"},
    "dr.types_note": {"en": "Household-weighted means per type, and the worst community of each type.",
                      "zh": "每类社区按户数加权的平均值，以及该类中最差社区的数值。"},
    "dr.behind": {"en": "Who is left behind ({package})", "zh": "谁被落下了（{package}）"},
    "dr.behind_note": {"en": "The communities with the worst mean rank (1 = worst) on participation, implementation "
                             "rate, trust and complaints per 1,000 households.",
                       "zh": "在参与率、落实率、信任和每千户投诉上平均排名最差的社区（1 = 最差）。"},
    "dr.grid": {"en": "Every community, coloured by outcome ({package})", "zh": "各社区结果一览（{package}）"},
    "dr.allocation": {"en": "Budget allocation", "zh": "预算分配"},
    "dr.allocation_note": {
        "en": "The recommended allocation for the objective '{objective}' within {budget:,.0f} yuan a year (equity "
              "floor: every community gets at least {floor:.0%} of an equal split). 'why' gives the screening's "
              "gain per 10,000 yuan of the bundle for a community of this type and size, shrunk toward the bundle's "
              "pooled gain in proportion to its noise, ± its standard error; 'buys' what the bundle pays for in a "
              "year.",
        "zh": "目标为“{objective}”，年度预算 {budget:,.0f} 元以内的推荐分配（公平底线：每个社区至少获得平均分配额的 {floor:.0%}）。"
              "“理由”为筛选阶段该类型、该规模社区在该措施组合下每万元的增益（按噪声大小向该组合的合并增益收缩）± 标准误；"
              "“购买内容”为该组合一年所购买的服务。"},
    "dr.verify": {"en": "Verification on hold-out seeds (common random numbers)", "zh": "留出种子上的验证（共同随机数）"},
    "dr.verify_note": {
        "en": "Each allocation simulated on every community with the same hold-out seeds; mean and 95% interval "
              "over the seeds of the district total (rates: household-weighted).",
        "zh": "每种分配在所有社区上以相同的留出种子模拟；给出区域合计在各种子间的平均值及 95% 区间（比率按户数加权）。"},
    "dr.paired_note": {
        "en": "Each allocation minus the best simple rule (chosen on the selection seeds) and minus nothing extra, "
              "paired on the same hold-out seeds (common random numbers), mean and 95% interval over the seeds: "
              "an interval above zero means the allocation did better (fewer is better for complaints).",
        "zh": "各分配减去最好的简单规则（在选择种子上选出）及减去“不增加投入”的差值，在相同留出种子上配对（共同随机数），"
              "给出各种子间的平均值及 95% 区间：区间全在零以上表示该分配更好（投诉则越少越好）。"},
    "dr.worlds": {"en": "Across calibrated worlds", "zh": "跨校准世界"},
    "dr.worlds_note": {
        "en": "Every screening and verification replicate ran in a world drawn by weight from the calibration's "
              "posterior {path} ({particles} particles, effective sample {ess:.1f}; parameters {params}): {R} "
              "worlds in the screening, {V} drawn anew for the verification, the same world for a replicate in "
              "every community and under every rule. {how} Intervals and spreads here include the worlds' "
              "parameter uncertainty, not only run-to-run noise. A type's own value of a calibrated parameter is "
              "kept, as it is over the baseline defaults ({kept}).",
        "zh": "筛选与验证的每个重复都在按权重从校准后验 {path}（{particles} 个粒子，有效样本 {ess:.1f}；参数 {params}）中抽取的"
              "一个世界里运行：筛选 {R} 个世界，验证时重新抽取 {V} 个世界；同一重复在所有社区、所有规则下使用同一世界。{how}"
              "此处的区间和分布包含各世界的参数不确定性，而不只是随机波动。社区类型自己设定的校准参数值保持不变，"
              "正如它覆盖基线默认值一样（{kept}）。"},
    "dr.worlds.expected": {"en": "The allocation maximises the expected gain over the screening's worlds.",
                           "zh": "分配方案最大化筛选世界上的期望增益。"},
    "dr.worlds.robust": {"en": "The allocation maximises the mean gain in the worst {share:.0%} of the screening's "
                               "worlds (a robust choice: it gives up expected gain to do better where the model's "
                               "parameters are least favourable).",
                         "zh": "分配方案最大化筛选世界中最差 {share:.0%} 世界的平均增益（稳健选择：牺牲部分期望增益，换取在最不利参数下"
                               "表现更好）。"},
    "dr.uncertain_worlds": {
        "en": "Except for the allocation above: it ran in worlds drawn from a calibration's posterior, so its "
              "intervals and spreads also carry the uncertainty of the calibrated parameters (only those; the "
              "type parameters stay assumptions).",
        "zh": "上面的预算分配除外：它在从校准后验中抽取的世界里运行，因此其区间和分布也包含校准参数的不确定性（仅限这些参数；"
              "社区类型参数仍是假设）。"},
    "dr.worlds.none_kept": {"en": "no type sets one", "zh": "没有类型自行设定"},
    "dr.pareto": {"en": "Trade-off between objectives", "zh": "目标之间的权衡"},
    "dr.uncertain": {"en": "What is uncertain", "zh": "不确定之处"},
    "dr.uncertain_text": {
        "en": "Most type parameters are assumptions with stated ranges (districts/types/*.toml); the lever effects "
              "come from the model's assumed mechanisms (docs/ODD.md) and have not been validated for each type. "
              "Communities here interact only through the budget: the owners' committee, the street office as an "
              "actor and a shared social-work station are not modelled yet (docs/district.md). Intervals reflect "
              "run-to-run noise over the seeds used, not parameter uncertainty.",
        "zh": "大多数社区类型参数是标注了范围的假设（districts/types/*.toml）；措施效果来自模型假设的机制（docs/ODD.md），尚未针对每类社区"
              "逐一验证。社区之间仅通过预算相互关联：业委会、作为行动者的街道办和共享的社工站尚未建模（docs/district.md）。"
              "区间只反映所用种子间的随机波动，不反映参数的不确定性。"},
    "dr.col.community": {"en": "community", "zh": "社区"},
    "dr.col.type": {"en": "type", "zh": "类型"},
    "dr.col.households": {"en": "households", "zh": "户数"},
    "dr.col.package": {"en": "package", "zh": "政策组合"},
    "dr.col.communities": {"en": "communities", "zh": "社区数"},
    "dr.col.outcome": {"en": "outcome", "zh": "结果指标"},
    "dr.col.change": {"en": "change (95% interval)", "zh": "变化（95% 区间）"},
    "dr.col.worse": {"en": "worse", "zh": "变差比例"},
    "dr.col.tail": {"en": "worst tenth", "zh": "最差十分位"},
    "dr.col.behind": {"en": "rank behind (0-1)", "zh": "落后程度（0-1）"},
    "dr.metric.participation_year": {"en": "participation (last 52 weeks)", "zh": "参与率（近一年）"},
    "dr.metric.implemented": {"en": "works implemented", "zh": "落实事项数"},
    "dr.metric.implementation_rate": {"en": "implementation rate", "zh": "落实率"},
    "dr.metric.mean_trust_committee": {"en": "trust in the committee", "zh": "对居委会的信任"},
    "dr.metric.complaints_per_1000": {"en": "complaints per 1,000 households a year", "zh": "每千户年投诉数"},
    "dr.metric.representation_gap": {"en": "representation gap", "zh": "代表性差距"},
    "dr.metric.topics_proposed": {"en": "topics proposed", "zh": "提出的议题"},
    "dr.metric.complaints": {"en": "complaints (12345)", "zh": "投诉（12345）"},
    "dr.metric.worst": {"en": "worst: {m}", "zh": "最差：{m}"},
})


def _m(c: str, lang: str) -> str:
    try:
        return tr(f"dr.metric.{c}", lang)
    except KeyError:
        return c


def _fmt(v: Any) -> str:
    if isinstance(v, (float, np.floating)):
        if not np.isfinite(v):
            return "n/a"
        return f"{v:,.0f}" if abs(v) >= 100 else f"{v:.3f}"
    if isinstance(v, (int, np.integer)):
        return f"{int(v):,}"
    return str(v)


def _na(text: str, value: float, lang: str) -> str:
    """``text``, or "n/a" (无) where the value is undefined (e.g. a rate with nothing to divide)."""
    return tr("cli.na", lang) if not np.isfinite(value) else text


def summary_table(final: pd.DataFrame, reference: str, lang: str = "en") -> pd.DataFrame:
    """The district summary as a reader sees it (the report, the command's printout): the reference first,
    columns named in ``lang``; summary.csv keeps the identifiers."""
    from consultsim.analysis import district as da

    s = da.district_summary(final)
    s = pd.concat([s[s["package"] == reference], s[s["package"] != reference]])  # the reference first
    return s.rename(columns={**{k: tr(f"dr.col.{k}", lang) for k in ("package", "communities", "households")},
                             **{c: _m(c, lang) for c in da.OUTCOMES}})


def _table(df: pd.DataFrame) -> str:
    esc = html.escape
    head = "".join(f"<th>{esc(str(c))}</th>" for c in df.columns)
    body = "".join("<tr>" + "".join(f"<td>{esc(_fmt(v))}</td>" for v in row) + "</tr>"
                   for row in df.itertuples(index=False))
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _img(png: bytes, alt: str) -> str:
    import base64
    data = base64.b64encode(png).decode("ascii")
    return (f'<figure><img alt="{html.escape(alt)}" src="data:image/png;base64,{data}">'
            f"<figcaption>{html.escape(alt)}</figcaption></figure>")


def _type_label(district, t: str, lang: str) -> str:
    ct = district.types.get(t) if district is not None else None
    return ct.label(lang) if ct is not None else t


def plot_grid(final: pd.DataFrame, package: str, lang: str = "en", district=None) -> bytes:
    """Small multiples: one tile per community (grouped by type), one panel per key outcome, coloured
    from worst (red) to best (green) across the district."""
    import io

    import matplotlib
    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    from consultsim.analysis.cjk import use_font

    g = final[final["package"] == package].sort_values(["type", "community"]).reset_index(drop=True)
    n = len(g)
    ncol = int(np.ceil(np.sqrt(n * 1.6)))
    nrow = int(np.ceil(n / ncol))
    with use_font(lang):
        fig, axes = plt.subplots(2, 2, figsize=(11, 2.2 + 0.45 * nrow * 2), squeeze=False)
        for ax, c in zip(axes.flat, da.KEY):
            sign = da.OUTCOMES[c][0]
            v = g[c].to_numpy(dtype=float)
            ok = np.isfinite(v)
            lo, hi = (float(v[ok].min()), float(v[ok].max())) if ok.any() else (np.nan, np.nan)
            z = np.full(nrow * ncol, np.nan)
            z[:n] = (v - lo) / (hi - lo) if hi > lo else np.where(ok, 0.5, np.nan)
            if sign < 0:
                z[:n] = 1 - z[:n]
            ax.imshow(z.reshape(nrow, ncol), cmap="RdYlGn", vmin=0, vmax=1, aspect="auto")
            types = g["type"].to_numpy()
            for i in range(n):
                if i == 0 or types[i] != types[i - 1]:
                    ax.text(i % ncol, i // ncol, _type_label(district, types[i], lang).split("（")[0][:12], ha="center",
                            va="center", fontsize=6)
            ax.set_title(f"{_m(c, lang)} ({lo:.3g}–{hi:.3g})", fontsize=9)
            ax.set_xticks([])
            ax.set_yticks([])
        fig.tight_layout()
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=110)
        plt.close(fig)
    return buf.getvalue()


def render_district_report(df: pd.DataFrame, district, *, reference: str = "baseline", lang: str = "en",
                           allocation: dict | None = None) -> str:
    """The report as one HTML string (see the module docstring)."""
    from consultsim.analysis.cjk import FONT_FAMILY, font_face_css
    from consultsim.analysis.report import _CSS

    esc = html.escape
    names = (allocation or {}).get("names") or {}  # package keys shown by their reader's name (allocation rules)
    if names:
        df = df.assign(package=df["package"].map(lambda p: names.get(p, p)))
        reference = names.get(reference, reference)
    final = da.final_rows(df)
    steps = int(final["step"].max())
    col = lambda k: tr(f"dr.col.{k}", lang)  # noqa: E731
    body = [f"<h1>{esc(tr('dr.title', lang, name=district.label(lang)))}</h1>",
            f"<p>{esc(tr('dr.intro', lang, n=len(district.communities), households=district.households, steps=steps, years=steps / 52))}</p>"]
    if allocation is not None and allocation.get("verdict"):
        # what is recommended and why, decided on the hold-out: the report's first line, above the table a
        # reader would act on
        body.insert(1, "<p class='warn' id='verdict'><b>" + esc(allocation["verdict"]) + "</b></p>")
    desc = district.description_zh if lang == "zh" and district.description_zh else district.description
    if desc:
        body.append(f"<p>{esc(desc)}</p>")
    if allocation is not None:
        body.append(f"<h2>{esc(tr('dr.allocation', lang))}</h2>")
        body.append("<p class='small'>" + esc(tr("dr.allocation_note", lang,
                                                  objective=tr(f"dr.objective.{allocation['objective']}", lang),
                                                  budget=allocation["budget"], floor=allocation["floor"])) + "</p>")
        body.append(_table(allocation["table"]))
        body.append(f"<h3>{esc(tr('dr.verify', lang))}</h3>")
        if allocation.get("design"):
            body.append("<p class='small'>" + esc(allocation["design"]) + "</p>")
        body.append("<p class='small'>" + esc(tr("dr.verify_note", lang)) + "</p>")
        body.append(_table(allocation["verify"]))
        if allocation.get("paired") is not None:
            body.append("<p class='small'>" + esc(tr("dr.paired_note", lang)) + "</p>")
            body.append(_table(allocation["paired"]))
        if allocation.get("worlds_note"):
            body.append(f"<h3>{esc(tr('dr.worlds', lang))}</h3>")
            body.append("<p class='small'>" + esc(allocation["worlds_note"]) + "</p>")
        if allocation.get("pareto_png"):
            body.append(f"<h3>{esc(tr('dr.pareto', lang))}</h3>")
            body.append(_img(allocation["pareto_png"], tr("dr.pareto", lang)))

    body.append(f"<h2>{esc(tr('dr.summary', lang))}</h2>")
    body.append(_table(summary_table(final, reference, lang)))
    body.append("<p class='small'>" + esc(tr("dr.summary_note", lang)) + "</p>")

    if final["package"].nunique() > 1:
        e = da.paired_effects(final, reference)
        body.append(f"<h2>{esc(tr('dr.effects', lang))}</h2>")
        e = pd.DataFrame({col("package"): e["package"], col("outcome"): [_m(c, lang) for c in e["outcome"]],
                          col("change"): [_na(f"{m:+.3f} ({lo:+.3f}, {hi:+.3f})", m, lang) for m, lo, hi in
                                          zip(e["change"], e["low"], e["high"])],
                          col("worse"): [_na(f"{w:.0%}", w, lang) for w in e["worse_share"]],
                          col("tail"): [_na(f"{t:+.3f}", t, lang) for t in e["worst_tenth_change"]]})
        body.append(_table(e))
        body.append("<p class='small'>" + esc(tr("dr.effects_note", lang)) + "</p>")

    rows = []
    for p in final["package"].unique():
        y = da.yearly(df, p)
        y = y[y["step"] > 0]
        works = y["implemented"].diff().fillna(y["implemented"])
        for (_, r), w in zip(y.iterrows(), works):
            rows.append({col("package"): p, col("year"): f"{r['step'] / 52:g}", _m("implemented", lang): w,
                         _m("participation_year", lang): r["participation_year"],
                         _m("mean_trust_committee", lang): r["mean_trust_committee"]})
    if rows:
        body.append(f"<h2>{esc(tr('dr.years', lang))}</h2>")
        body.append(_table(pd.DataFrame(rows)))
        body.append("<p class='small'>" + esc(tr("dr.years_note", lang)) + "</p>")

    pk = reference
    body.append(f"<h2>{esc(tr('dr.spread', lang, package=pk))}</h2>")
    sp = da.spread(final, pk)
    sp["outcome"] = [_m(c, lang) for c in sp["outcome"]]
    body.append(_table(sp.rename(columns={"outcome": col("outcome"),
                                          **{k: tr(f"dr.q.{k}", lang) for k in ("min", "p10", "median", "p90", "max")}})))

    body.append(f"<h2>{esc(tr('dr.types', lang, package=pk))}</h2>")
    bt = da.by_type(final, pk)
    bt["type"] = [_type_label(district, t, lang) for t in bt["type"]]
    ren = {"type": col("type"), "communities": col("communities"), "households": col("households")}
    for c in da.KEY:
        ren[c] = _m(c, lang)
        ren[f"worst_{c}"] = tr("dr.metric.worst", lang, m=_m(c, lang))
    body.append(_table(bt.rename(columns=ren)))
    body.append("<p class='small'>" + esc(tr("dr.types_note", lang)) + "</p>")

    body.append(f"<h2>{esc(tr('dr.behind', lang, package=pk))}</h2>")
    lb = da.left_behind(final, pk, k=10)
    lb["type"] = [_type_label(district, t, lang) for t in lb["type"]]
    body.append(_table(lb.rename(columns={**ren, "community": col("community"), "behind": col("behind")})))
    body.append("<p class='small'>" + esc(tr("dr.behind_note", lang)) + "</p>")

    body.append(f"<h2>{esc(tr('dr.grid', lang, package=pk))}</h2>")
    body.append(_img(plot_grid(final, pk, lang, district), tr("dr.grid", lang, package=pk)))

    body.append(f"<h2>{esc(tr('dr.uncertain', lang))}</h2><p>{esc(tr('dr.uncertain_text', lang))}</p>")
    if allocation is not None and allocation.get("worlds_note"):
        body.append(f"<p>{esc(tr('dr.uncertain_worlds', lang))}</p>")
    text = "\n".join(body)
    title = tr("dr.title", lang, name=district.label(lang))
    css = _CSS.replace('font-family:system-ui', f"font-family:'{FONT_FAMILY}',system-ui") \
        if lang == "zh" else _CSS.replace('Roboto,sans-serif', f"Roboto,'{FONT_FAMILY}',sans-serif")
    face = font_face_css(html.unescape(text) + title)
    return (f"<!DOCTYPE html><html lang='{'zh-CN' if lang == 'zh' else 'en'}'><head><meta charset='utf-8'>"
            f"<title>{esc(title)}</title><style>{face}\n{css}</style></head><body>\n{text}\n</body></html>")


def write_district_report(df: pd.DataFrame, out: str | Path, district, *, reference: str = "baseline",
                          lang: str = "en", allocation: dict | None = None) -> Path:
    """Write ``report.html`` into the folder ``out`` (whole: a temporary name, then renamed)."""
    from consultsim.running.outputs import atomic_write_text

    path = Path(out) / "report.html"
    atomic_write_text(path, render_district_report(df, district, reference=reference, lang=lang,
                                                   allocation=allocation))
    return path
