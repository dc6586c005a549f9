"""Text of the comparison report, its figures and the compare / scenarios commands, in English and 中文.

Keys start with ``report.`` (the HTML report), ``fig.`` (figures), ``cost.`` (cost items),
``unit.`` (units of measures) and ``cli.`` (command-line lines a policymaker reads).
Terms follow Beijing usage (居委会, 物业, 社工, 楼门长, 积分制, 12345 热线).
"""

from __future__ import annotations

from consultsim.core.metric_names import UNITS
from consultsim.core.params import PARAM_INFO
from consultsim.i18n import register

__all__ = ["UNIT_ZH", "PLAIN", "LEVER_DOC_ZH"]

_T: dict[str, tuple[str, str]] = {
    # ---- report: frame
    "report.title": ("Community consultation: comparing remedies", "社区协商：各项措施的比较"),
    "report.intro": (
        "ConsultSim simulates consultation (社区协商) in a Beijing community of {households} households, week by "
        "week for {steps} weeks ({years} years). Each scenario was run {runs} times; every scenario's run r used "
        "the same random seed, so differences between scenarios come from the scenarios, not from luck. "
        "Intervals are 95% intervals over the runs: they show how sure the simulation is, given its assumptions.",
        "ConsultSim 模拟北京一个有 {households} 户居民的社区的协商过程，按周推演 {steps} 周（{years} 年）。"
        "每个方案运行 {runs} 次；各方案的第 r 次运行使用相同的随机种子，因此方案之间的差别来自方案本身，"
        "而非偶然。区间为各次运行的 95% 区间，表示在模型假设之下结果有多确定。"),
    "report.summary": ("Summary for decision makers", "决策摘要"),
    "report.summary_intro": (
        "Each package against {ref}, ranked by how many of the four outcomes it clearly improves (on ties: "
        "fewest clearly worse, then cheapest). Cells: the change after {steps} weeks, and in "
        "words how sure the simulation is.",
        "各方案与“{ref}”相比，按四项结果中明确改善的个数排序（相同时明确变差少者在前，再按成本由低到高）。"
        "单元格为 {steps} 周后的变化，以及模拟对此有多确定。"),
    "report.summary_intro2": (
        "Every outcome of each package against {ref}, in the order of the ranking above. Cells: the change after "
        "{steps} weeks, and in words how sure the simulation is.",
        "各方案与“{ref}”相比的全部结果，按上面的排序排列。单元格为 {steps} 周后的变化，以及模拟对此有多确定。"),
    "report.rank": ("Rank", "排名"),
    "report.package": ("Package", "方案"),
    "report.q.participation": ("Share of households taking part", "参与的居民占比"),
    "report.q.capacity": ("Residents' capacity", "居民协商能力"),
    "report.q.voice": ("Voice held by the top 10%", "前 10% 参会者的发言份额"),
    "report.q.implementation": ("What gets implemented", "决议落实"),
    "report.q.trust": ("Trust in the committee", "对居委会的信任"),
    "report.q.complaints": ("Complaints (12345)", "投诉（12345 热线）"),
    "report.q.cost": ("Extra cost a year", "每年新增成本"),
    "report.sure.clear": ("clear", "明确"),
    "report.sure.probable": ("probable, only {n} runs", "较可能，仅 {n} 次运行"),
    "report.sure.unclear": ("no clear change", "无明确变化"),
    "report.sure.none": ("not enough runs", "运行次数不足"),
    "report.better": ("better", "改善"),
    "report.worse": ("worse", "变差"),
    "report.cell": ("{diff} ({words})", "{diff}（{words}）"),
    "report.per_year": ("{v} a year", "每年 {v}"),
    "report.sure_note": (
        "\"Clear\": the 95% interval of the paired difference excludes zero with at least 20 runs; "
        "\"probable\": it excludes zero but with fewer runs; \"no clear change\": the interval includes zero.",
        "“明确”：至少 20 次运行、配对差值的 95% 区间不含零；“较可能”：区间不含零但运行次数较少；"
        "“无明确变化”：区间包含零。"),
    "report.q.evidence": ("What the effect rests on", "效果的依据"),
    "report.evidence.sourced": ("follows from the mechanisms and sourced sizes", "来自模型机制及有出处的效应大小"),
    "report.evidence.assumed": ("depends on an assumed size ({params}, no source)",
                                "取决于假定的效应大小（{params}，无出处）"),
    "report.evidence.none": ("no lever changed", "未改变任何措施"),
    "report.evidence_note": (
        "\"Depends on an assumed size\": the package acts through a mechanism whose strength no study gives; "
        "its prior includes no effect at all, and the baseline cannot constrain it (docs/levers.md).",
        "“取决于假定的效应大小”：该方案通过某一机制起作用，而该机制的强度没有研究给出；其先验包含“毫无效果”，"
        "基线也无法约束它（见 docs/levers.md）。"),
    "report.surprises": ("Unexpected effects and why the model produces them", "出乎意料的结果及其原因"),
    "report.no_surprises": ("No package clearly moves an outcome in the unexpected direction.",
                            "没有方案使某项结果明确地朝意料之外的方向变化。"),
    "report.compared": ("What was compared", "比较了哪些方案"),
    "report.no_description": ("(no description)", "（无说明）"),
    "report.reference_tag": ("reference", "参照"),
    "report.costs": ("What each package costs", "各方案的成本"),
    "report.costs_intro": (
        "Yearly cost in yuan for this community, by item (mean over runs; in brackets the lowest and highest run, "
        "which differ in the meetings held, the points paid and the retrofits funded). Points are costed as "
        "actually paid in the runs (not the budget) and meetings as actually held. Prices and their sources: "
        "the [costs] section of scenarios/baseline.toml and docs/costs.md.",
        "本社区每年的成本（元），按项目列出（各次运行的均值；括号内为最低和最高的一次，它们在召开的会议、发放的积分和"
        "获得资助的加装电梯数量上不同）。积分按模拟中实际发放的数额计（而非预算），会议按实际召开的次数计。"
        "单价及其依据见 scenarios/baseline.toml 的 [costs] 部分和 docs/costs.md。"),
    "report.item": ("Item", "项目"),
    "report.total": ("Total a year", "每年合计"),
    "report.extra": ("Extra over {ref}", "比“{ref}”多出"),
    "report.per10k": ("Effect per 10,000 yuan of extra cost a year", "每年每多花 1 万元的效果"),
    "report.per10k_intro": (
        "The paired effect divided by the extra yearly cost over {ref} (in 10,000 yuan), with its 95% interval. "
        "Packages that cost no more than {ref} have no ratio.",
        "配对效果除以比“{ref}”多出的年成本（以万元计），附 95% 区间。成本不高于“{ref}”的方案不计算此比值。"),
    "report.dominated_note": (
        "Dominated (another package, or {ref}, costs no more and achieves at least as much): {items}.",
        "被占优的方案（另有方案或“{ref}”成本不更高、效果不更差）：{items}。"),
    "report.none_dominated": ("No package is dominated on these outcomes.", "在这些结果上没有方案被占优。"),
    "report.headline": ("Effects against {ref}", "与“{ref}”相比的效果"),
    "report.only_one": ("Only one scenario was run, so there is nothing to compare it with.",
                        "只运行了一个方案，无从比较。"),
    "report.figures": ("Figures", "图表"),
    "report.levels": ("Levels after {steps} weeks", "{steps} 周后的水平"),
    "report.levels_note": ("Mean of runs [95% interval].", "各次运行的均值 [95% 区间]。"),
    "report.measure": ("Measure", "指标"),
    "report.differ": ("How the scenarios differ from {ref}", "各方案与“{ref}”的参数差别"),
    "report.parameter": ("Parameter", "参数"),
    "report.meaning": ("Meaning", "含义"),
    "report.value": ("Value", "取值"),
    "report.identical": ("identical parameters", "参数完全相同"),
    "report.unused": ("unused ({why})", "未使用（{why}）"),
    "report.unused.incentive_budget": ("no points scheme", "未实行积分制"),
    "report.unused.training_seats": ("no training", "没有培训"),
    "report.unused.social_worker_hours": ("no social workers", "没有社工"),
    "report.produced": ("How this was produced", "结果是如何得出的"),
    "report.window_note": (
        "Values are taken in the last week, except measures of who took part and of single meetings "
        "(participation, age mix of participants, voice, consensus), which are averaged over the last {w} weeks "
        "because they depend on when meetings happened to fall.",
        "数值取最后一周的值；但参与情况和单次会议的指标（参与率、参与者年龄结构、发言集中度、共识）取最后 {w} 周的平均，"
        "因为它们取决于会议恰好在哪几周召开。"),
    "report.clear_note": (
        "\"Clearly higher/lower\" means the 95% interval of the paired difference excludes zero. Shares are "
        "percentages of households (or of topics); trust, efficacy and capacity are on a 0-1 scale.",
        "“明显更高/更低”指配对差值的 95% 区间不含零。占比为户数（或议题数）的百分比；信任、效能感和能力为 0–1 量表。"),
    "report.tables_note": (
        "The tables behind this report are in the same folder: summary.csv (levels), effects.csv (paired "
        "differences), costs.csv (yearly cost of every run), timeseries.csv.gz (every run, every week) and "
        "topics.csv.gz (every topic of every run).",
        "本报告所依据的数据表在同一文件夹中：summary.csv（水平）、effects.csv（配对差值）、costs.csv（每次运行的年成本）、"
        "timeseries.csv.gz（每次运行的每一周）和 topics.csv.gz（每次运行的每个议题）。"),
    "report.jargon": ("How to read two measures", "两个指标的读法"),
    "report.prov.command": ("command", "命令"),
    "report.prov.created": ("created", "生成时间"),
    "report.prov.master_seed": ("master seed", "主随机种子"),
    "report.prov.seeds": ("replicate seeds (same for every scenario)", "各次运行的种子（所有方案相同）"),
    "report.prov.replicates": ("replicates", "运行次数"),
    "report.prov.steps": ("weeks simulated", "模拟周数"),
    "report.prov.files": ("scenario files", "方案文件"),
    "report.prov.time": ("run time", "运行时间"),
    "report.prov.version": ("version of {k}", "{k} 版本"),
    # headline sentences
    "report.not_enough": ("{label}: not enough runs to tell ({n} paired runs).",
                          "{label}：运行次数不足，无法判断（{n} 次配对运行）。"),
    "report.v.higher": ("clearly higher", "明显更高"),
    "report.v.lower": ("clearly lower", "明显更低"),
    "report.v.none": ("no clear difference", "无明显差别"),
    "report.sentence": (
        "{label}: {ref_level} under {ref}, {level} under {sc}: {verdict} ({diff}; 95% interval {lo} to {hi}).",
        "{label}：“{ref}”下为 {ref_level}，“{sc}”下为 {level}：{verdict}（{diff}；95% 区间 {lo} 至 {hi}）。"),
    "report.pp": ("percentage points", "个百分点"),
    "report.runs_n": ("{n} runs", "{n} 次运行"),
    # mechanism sentences (filled from the runs' topic records)
    "report.mech.complaints": (
        "{sc}: complaints to the 12345 hotline rise by {d} calls a year. Of the calls under {sc}, {sup:.0%} come "
        "from supporters of topics that failed or stalled (the rest from opponents of works carried out), and "
        "{nonatt:.0%} from residents who never attended a meeting on the topic but learned its outcome from a "
        "published notice or from neighbours ({pub:.0%} of outcomes published, against {pub_ref:.0%} under "
        "{ref}).",
        "{sc}：12345 热线投诉每年增加 {d} 次。在“{sc}”下的投诉中，{sup:.0%} 来自议题未通过或停滞的支持者"
        "（其余来自已落实工程的反对者），{nonatt:.0%} 来自从未参加该议题会议、而是从公示或邻居处得知结果的居民"
        "（公示的结果占 {pub:.0%}，“{ref}”下为 {pub_ref:.0%}）。"),
    "report.mech.trust_bad": (
        "{sc}: trust in the committee falls because more residents learn of topics that failed or stalled: "
        "{bad} households a year hear of such an outcome, against {bad_ref} under {ref} (and {good} against "
        "{good_ref} hear of works carried out).",
        "{sc}：对居委会的信任下降，因为更多居民得知议题未通过或停滞：每年有 {bad} 户得知此类结果，"
        "“{ref}”下为 {bad_ref} 户（得知工程已落实的为 {good} 户，“{ref}”下为 {good_ref} 户）。"),
    "report.mech.trust_good": (
        "{sc}: trust in the committee falls although the outcomes residents hear of are no worse ({bad} against "
        "{bad_ref} households a year hear of failures or stalls; {good} against {good_ref} of works carried "
        "out): the fall comes from who takes part and how often, not from outcomes.",
        "{sc}：虽然居民得知的结果并未变差（每年得知未通过或停滞的 {bad} 户，“{ref}”下 {bad_ref} 户；"
        "得知已落实的 {good} 户，“{ref}”下 {good_ref} 户），对居委会的信任仍然下降：原因在于谁参与、参与多频繁，"
        "而不在于结果。"),
    "report.mech.implementation": (
        "{sc}: a smaller share of resolutions is implemented: {stalled} resolutions a year stall past their "
        "deadline against {stalled_ref} under {ref}, while {impl} against {impl_ref} are carried out.",
        "{sc}：决议落实的比例下降：每年有 {stalled} 项决议超期停滞，“{ref}”下为 {stalled_ref} 项；"
        "落实的为 {impl} 项，“{ref}”下为 {impl_ref} 项。"),
    "report.mech.participation": (
        "{sc}: fewer households take part: {meetings} meetings a year with {per} attendees each on average, "
        "against {meetings_ref} with {per_ref} under {ref}.",
        "{sc}：参与的户数减少：每年召开 {meetings} 次会议，平均每次 {per} 人参加；“{ref}”下为 {meetings_ref} 次、"
        "每次 {per_ref} 人。"),
    # ---- what to fund (analysis/funding.py)
    "fund.title": ("What to fund", "资助建议"),
    "fund.lead": ("Fund {sc}: for {cost} a year it gives {gains}. Of the packages within {budget}, it buys the "
                  "most of {objectives} per yuan.",
                  "建议资助“{sc}”：每年花费 {cost}，可带来{gains}。在{budget}的方案中，它每花一元带来的{objectives}最多。"),
    "fund.lead_free": ("Fund {sc}: at no extra cost it gives {gains}.", "建议资助“{sc}”：不增加成本，即可带来{gains}。"),
    "fund.none": ("No package within {budget} improves {objectives} on balance: none is recommended.",
                  "在{budget}的方案中，没有方案能在总体上改善{objectives}：不推荐任何方案。"),
    "fund.budget": ("the budget of {v} a year", "每年 {v} 预算以内"),
    "fund.no_budget": ("this comparison (no budget given)", "本次比较（未设预算）"),
    "fund.alternative": (
        "{sc} does more in total, for {cost} a year: {gains}. Its extra {inc} a year over {best} buy {inc_gains}.",
        "“{sc}”总体效果更大，每年花费 {cost}：{gains}。它比“{best}”每年多花的 {inc} 换来{inc_gains}。"),
    "fund.why": ("Why: {why}", "原因：{why}"),
    "fund.why_levers": ("{sc} changes {levers} (see \"How the scenarios differ\").",
                        "“{sc}”改变了{levers}（见“各方案与参照的参数差别”）。"),
    "fund.sentence": ("{sc}: for {cost} a year (runs: {lo} to {hi}): {gains}.",
                      "“{sc}”：每年 {cost}（各次运行：{lo} 至 {hi}）：{gains}。"),
    "fund.sentence_free": ("{sc}: at no extra cost: {gains}.", "“{sc}”：不增加成本：{gains}。"),
    "fund.g.works": ("{d} works carried out over {years} years ({y} a year)",
                     "{years} 年内多落实 {d} 项工程（每年 {y} 项）"),
    "fund.g.participation": ("{d} households taking part", "参与的居民多 {d} 户"),
    "fund.g.trust": ("trust in the committee {d} (0-1 scale)", "对居委会的信任 {d}（0–1 量表）"),
    "fund.g.complaints": ("{d} calls to 12345 a year", "12345 热线投诉每年 {d} 次"),
    "fund.g.capacity": ("residents' capacity {d} (0-1 scale)", "居民协商能力 {d}（0–1 量表）"),
    "fund.g.voice": ("voice held by the top 10% of attendees {d} percentage points",
                     "前 10% 参会者的发言份额 {d} 个百分点"),
    "fund.g.equality": ("inequality of participation (Gini) {d}", "参与不均程度（基尼系数）{d}"),
    "fund.g.representation": ("age mismatch of participants {d}", "参与者年龄结构差异 {d}"),
    "fund.g.efficacy": ("residents' sense that taking part matters {d} (0-1 scale)",
                        "居民效能感 {d}（0–1 量表）"),
    "fund.s.count": ("{d} ({y} a year)", "{d}（每年 {y}）"),
    "fund.s.households": ("{d} households", "{d} 户"),
    "fund.s.scale": ("{d}", "{d}"),
    "fund.s.share": ("{d} percentage points", "{d} 个百分点"),
    "fund.obj.works": ("works carried out", "落实的工程"), "fund.obj.participation": ("households taking part", "参与户数"),
    "fund.obj.trust": ("trust in the committee", "对居委会的信任"), "fund.obj.complaints": ("fewer complaints", "更少的投诉"),
    "fund.obj.capacity": ("residents' capacity", "居民协商能力"), "fund.obj.voice": ("more equal voice", "更均衡的发言"),
    "fund.obj.equality": ("more equal participation", "更均衡的参与"),
    "fund.obj.representation": ("participants who mirror the residents' ages", "与居民年龄结构一致的参与者"),
    "fund.obj.efficacy": ("residents' sense that taking part matters", "居民效能感"),
    "fund.and": (", ", "、"),
    "fund.gains_sep": ("; ", "；"),
    "fund.table_intro": (
        "Ranked by effect per 10,000 yuan of extra yearly cost on {objectives} (each effect divided by how much "
        "single communities differ under {ref}, then averaged with equal weights: a choice, not a finding; "
        "choose others with `consultsim compare --objectives`). Effects over {steps} weeks against {ref}; cost: mean over "
        "the runs, with the lowest and highest run.",
        "按每年每多花 1 万元在{objectives}上的效果排序（各项效果先除以“{ref}”下单个社区之间的差异程度，再等权平均："
        "权重是一种选择，而非结论；可用 `consultsim compare --objectives` 另选目标）。效果为 {steps} 周内与“{ref}”相比的变化；"
        "成本为各次运行的均值，并列出最低和最高的一次。"),
    "fund.col.cost": ("Extra cost a year (lowest-highest run)", "每年新增成本（最低–最高）"),
    "fund.col.score": ("Effect per 10,000 yuan (standardised)", "每万元效果（标准化）"),
    "fund.col.verdict": ("Verdict", "结论"),
    "fund.st.fund": ("fund: most effect per yuan", "建议资助：每元效果最大"),
    "fund.st.alternative": ("largest total effect within the budget", "预算内总效果最大"),
    "fund.st.ranked": ("within the budget", "在预算内"),
    "fund.st.no_gain": ("no gain on balance", "总体无改善"),
    "fund.st.dominated": ("dominated by {by}", "被“{by}”占优"),
    "fund.st.over_budget": ("over the budget", "超出预算"),
    "fund.free": ("no extra cost", "无新增成本"),
    "fund.dominated": (
        "Dominated (another package or {ref} costs no more and does at least as well on every objective): {items}.",
        "被占优的方案（另有方案或“{ref}”成本不更高、且每项目标都不更差）：{items}。"),
    "fund.none_dominated": ("No package is dominated on these objectives.", "在这些目标上没有方案被占优。"),
    "fund.assumptions": ("Assumptions that decide this ranking", "决定这一排序的假设"),
    "fund.assumptions_intro": (
        "These parameters set the size of the effects and costs that rank the packages above, and their values "
        "are assumptions, not measurements (value; plausible range; source). `consultsim robustness` reruns "
        "the comparison over their plausible ranges.",
        "以下参数决定了上述排序所依据的效果和成本的大小，其取值是假设而非测量值（取值；合理范围；依据）。"
        "`consultsim robustness` 会在其合理范围内重新比较。"),
    "fund.assumption": ("{name} = {value} ({doc}; plausible {lo} to {hi}; {source})",
                        "{name} = {value}（{doc}；合理范围 {lo} 至 {hi}；{source}）"),
    "fund.intervals": (
        "Two intervals are given for each effect: the interval of the mean (where the average over many such "
        "communities lies, 95%) and the prediction interval (the range a single community can expect, 95%: "
        "much wider, because communities differ).",
        "每项效果给出两个区间：均值区间（许多同类社区的平均效果所在的范围，95%）和预测区间（单个社区可能出现的范围，"
        "95%：宽得多，因为社区之间差异很大）。"),
    "fund.effects_title": ("Each package in absolute numbers", "各方案的绝对数量"),
    "fund.ci": ("{d} (interval of the mean {lo} to {hi}; a single community {plo} to {phi})",
                "{d}（均值区间 {lo} 至 {hi}；单个社区 {plo} 至 {phi}）"),
    "fund.years_title": ("Year by year", "逐年变化"),
    "fund.years_intro": ("Against {ref}, mean over runs: works carried out by the end of the year, households "
                         "taking part during the year, trust at the end of the year, and the extra cost (that "
                         "year and cumulative).",
                         "与“{ref}”相比（各次运行的均值）：截至当年年底多落实的工程、当年参与的居民户数、年底的信任，"
                         "以及新增成本（当年和累计）。"),
    "fund.col.year": ("Year", "年份"),
    "fund.col.works": ("Works carried out (cumulative)", "多落实的工程（累计）"),
    "fund.col.households": ("Households taking part", "参与的居民户数"),
    "fund.col.trust": ("Trust in the committee", "对居委会的信任"),
    "fund.col.year_cost": ("Extra cost that year", "当年新增成本"),
    "fund.col.cum_cost": ("Extra cost so far", "累计新增成本"),
    "fund.size_flag": (
        "Caution: the packages describe communities of different sizes ({sizes} households). Differences in "
        "counts then come from the size, not from the package.",
        "注意：各方案的社区规模不同（{sizes} 户），计数上的差别来自规模，而不是方案。"),
    "report.assumption_word": ("assumption", "假设"),
    "report.lever_word": ("lever", "政策措施"),
    "report.cited_word": ("published study", "有文献依据（出处见英文版报告）"),
    "report.source_word": ("see scenarios/baseline.toml", "见 scenarios/baseline.toml"),
    "report.warnings": ("Check these inputs: they change what the costs and effects mean",
                        "请检查以下输入：它们会改变成本和效果的含义"),
    "report.hh": ("{v} households", "{v} 户"),
    "report.mech.heard_bad": (
        "{sc}: {label} moves against its aim ({diff}) because more residents learn of topics that failed or "
        "stalled: {bad} households a year hear of such an outcome, against {bad_ref} under {ref} ({good} against "
        "{good_ref} hear of works carried out).",
        "{sc}：{label}朝不利方向变化（{diff}），因为更多居民得知议题未通过或停滞：每年 {bad} 户得知此类结果，"
        "“{ref}”下为 {bad_ref} 户（得知工程已落实的为 {good} 户，“{ref}”下为 {good_ref} 户）。"),
    "report.mech.heard_pub": (
        "{sc}: {label} moves against its aim ({diff}): {pub:.0%} of outcomes are published (against {pub_ref:.0%} "
        "under {ref}), so {bad} households a year hear of a failure or stall, against {bad_ref}; hearing of a "
        "failure teaches that taking part does not pay.",
        "{sc}：{label}朝不利方向变化（{diff}）：公示的结果占 {pub:.0%}（“{ref}”下为 {pub_ref:.0%}），因此每年有 {bad} 户"
        "得知未通过或停滞的结果，“{ref}”下为 {bad_ref} 户；得知失败会让居民觉得参与没有用。"),
    "report.mech.stalled": (
        "{sc}: more resolutions stall ({diff}): {res} resolutions a year are agreed against {res_ref} under {ref}, "
        "and the implementers carry out {impl} against {impl_ref}, so {stalled} against {stalled_ref} a year pass "
        "their deadline unfinished.",
        "{sc}：停滞的决议增加（{diff}）：每年达成 {res} 项决议，“{ref}”下为 {res_ref} 项；落实 {impl} 项，"
        "“{ref}”下为 {impl_ref} 项，因此每年有 {stalled} 项超期未完成，“{ref}”下为 {stalled_ref} 项。"),
    "report.mech.who": (
        "{sc}: {label} moves against its aim ({diff}): {meetings} meetings a year with {per} attendees each "
        "against {meetings_ref} with {per_ref} under {ref}; elderly (60+) make up {old:.0%} of recent "
        "participants against {old_ref:.0%}.",
        "{sc}：{label}朝不利方向变化（{diff}）：每年 {meetings} 次会议、每次 {per} 人参加，“{ref}”下为 {meetings_ref} 次、"
        "每次 {per_ref} 人；近期参与者中老年人（60 岁以上）占 {old:.0%}，“{ref}”下为 {old_ref:.0%}。"),
    # ---- cost items
    "cost.incentive_points": ("incentive points paid (积分制)", "实际发放的积分（积分制）"),
    "cost.incentive_admin": ("running the points scheme", "积分制运营"),
    "cost.pm_contract": ("performance contract with the property manager", "物业绩效合同"),
    "cost.supervision": ("oversight board", "落实监督小组"),
    "cost.meetings": ("meetings held", "召开协商会"),
    "cost.pm_inclusion": ("property manager's time at meetings", "物业出席会议的人力"),
    "cost.subsidy": ("public subsidy of funded retrofits", "加装电梯财政补贴"),
    "cost.campaign": ("awareness campaign", "公共意识宣传"),
    "cost.publication": ("publishing outcomes", "结果公示"),
    "cost.training": ("residents' training sessions", "居民能力培训"),
    "cost.facilitation_training": ("facilitation training for committee staff", "居委会工作人员主持培训"),
    "cost.social_workers": ("contracted social workers (社工)", "购买社工服务"),
    "cost.online": ("online channel", "线上渠道"),
    "cost.yuan": ("{v} yuan", "{v} 元"),
    "cost.none": ("no extra cost", "无新增成本"),
    # ---- figures
    "fig.timeseries": ("Key measures over time (line: mean of runs; band: 95% interval)",
                       "主要指标随时间的变化（线：各次运行均值；带：95% 区间）"),
    "fig.timeseries_crowded": (
        "Key measures over time (line: mean of runs; band: 95% interval, shown for {ref} only)",
        "主要指标随时间的变化（线：各次运行均值；带：95% 区间，仅显示“{ref}”）"),
    "fig.week": ("week", "周"),
    "fig.effects": ("Effects against {ref} after {steps} weeks (dot: mean paired difference; line: 95% "
                    "interval; {n} runs each)",
                    "{steps} 周后与“{ref}”相比的效果（点：配对差值均值；线：95% 区间；各 {n} 次运行）"),
    "fig.change_vs": ("change vs {ref} ({unit})", "与“{ref}”相比的变化（{unit}）"),
    "fig.window": ("participation, age mix and voice: average over the last {w} weeks",
                   "参与率、年龄结构和发言集中度：最后 {w} 周的平均"),
    "fig.overview": ("{n} scenarios after {steps} weeks", "{n} 个方案在 {steps} 周后的水平"),
    "fig.overview_sub": ("bar: mean of {runs} runs; whisker: 95% interval; dashed line: {ref}",
                         "柱：{runs} 次运行的均值；须线：95% 区间；虚线：“{ref}”"),
    "fig.cost_effect": ("Cost and effect against {ref} ({n} runs each; hollow grey: dominated, another package "
                        "costs no more and achieves at least as much)",
                        "成本与效果（与“{ref}”相比，各 {n} 次运行；空心灰点：被占优，另有方案成本不更高、效果不更差）"),
    "fig.extra_cost": ("extra cost a year (10,000 yuan)", "每年新增成本（万元）"),
    "fig.dominated": ("dominated", "被占优"),
    "fig.better_up": ("higher is better", "越高越好"),
    "fig.better_down": ("lower is better", "越低越好"),
    "fig.caption.timeseries": ("Key measures over time, mean of runs with 95% band",
                               "主要指标随时间的变化：各次运行均值及 95% 区间带"),
    "fig.caption.effects": ("Effects against {ref} after {steps} weeks, with 95% intervals",
                            "{steps} 周后与“{ref}”相比的效果及 95% 区间"),
    "fig.caption.overview": ("Overview: levels after {steps} weeks", "总览：{steps} 周后的水平"),
    "fig.caption.cost_effect": ("Cost against effect; dominated packages hollow", "成本与效果：被占优的方案为空心"),
    # ---- command line
    "cli.compared": ("compared {labels}: {runs} runs each, {steps} weeks, master seed {seed}, {secs} s",
                     "已比较 {labels}：各 {runs} 次运行，{steps} 周，主随机种子 {seed}，用时 {secs} 秒"),
    "cli.report": ("report: {path}", "报告：{path}"),
    "cli.progress": ("{n} scenarios x {runs} runs", "{n} 个方案 × {runs} 次运行"),
    "cli.warning": ("warning", "警告"),
    "cli.no_scenarios": ("no scenarios given: name at least one scenario (e.g. baseline policy; "
                         "`consultsim scenarios` lists the shipped ones)",
                         "没有给出方案：请至少指定一个方案（例如 baseline policy；`consultsim scenarios` 列出内置方案）"),
    "cli.sizes_differ": (
        "the scenarios describe communities of different sizes ({listing} households): counts would differ by "
        "size, not by package; give every scenario the reference's n_residents, or pass --allow-different-sizes",
        "各方案的社区规模不同（{listing} 户）：计数的差别将来自规模而非方案；请让每个方案的 n_residents 与参照方案相同，"
        "或加上 --allow-different-sizes"),
    "cli.bad_objective": ("--objectives: unknown objective {name!r}; choose from {allowed}",
                          "--objectives：未知目标 {name!r}；可选 {allowed}"),
    "cli.too_many_scenarios": ("{n} scenarios: more than the limit of {max} in one comparison (split them into "
                               "several)", "{n} 个方案：超过一次比较最多 {max} 个的限制（请分成几次比较）"),
    "cli.run_header": ("{name}: {n} households, {steps} weeks, seed {seed} ({secs} s)",
                       "{name}：{n} 户，{steps} 周，随机种子 {seed}（用时 {secs} 秒）"),
    "cli.run_wrote": ("wrote {out}/timeseries.csv, topics.csv, run.json",
                      "已写入 {out}/timeseries.csv、topics.csv、run.json"),
    "cli.na": ("n/a", "无"),
    "cli.out_not_folder": ("--out {out}: exists and is not a folder", "--out {out}：已存在且不是文件夹"),
    "cli.scenarios_header": ("Shipped scenarios (use the name, e.g. consultsim compare baseline policy):",
                             "内置方案（按名称使用，例如 consultsim compare baseline policy）："),
}

register({k: {"en": en, "zh": zh} for k, (en, zh) in _T.items()})

# Units as shown in tables and on axes.
UNIT_ZH = {
    "share of households": "户数占比", "0 = equal, 1 = one person": "0 = 人人均等，1 = 集中于一人", "share": "占比",
    "dissimilarity index": "相异指数", "topics, cumulative": "议题数，累计", "share of topics": "议题占比",
    "meetings, cumulative": "会议次数，累计", "share of agenda topics": "议程议题占比",
    "share of resolutions": "决议占比", "0 = split, 1 = unanimous": "0 = 分歧，1 = 一致", "share of voice": "发言份额",
    "0-1 scale": "0–1 量表", "yuan, cumulative": "元，累计", "calls, cumulative": "次，累计",
    "hours, cumulative": "小时，累计", "share of hours needed": "占所需工时的比例",
    "share of settled resolutions": "已了结决议占比", "weeks": "周",
}
register({f"unit.{u}": {"en": u, "zh": UNIT_ZH.get(u, u)} for u in set(UNITS.values())})
register({
    "unit.percent": {"en": "%", "zh": "%"},
    "unit.pp": {"en": "percentage points", "zh": "百分点"},
    "unit.total_so_far": {"en": "total so far", "zh": "累计"},
    "unit.topics": {"en": "topics", "zh": "个议题"}, "unit.calls": {"en": "calls", "zh": "次"},
    "unit.meetings": {"en": "meetings", "zh": "次会议"}, "unit.yuan": {"en": "yuan", "zh": "元"},
})

# Plain readings of the two measures a policymaker may not know.
PLAIN = {
    "representation_gap": (
        "Age mismatch (dissimilarity index): the share of participants who would have to be replaced by "
        "residents of another age group for the participants to have the residents' age mix. 0 = the same mix; "
        "0.25 = a quarter of the seats are 'wrongly' filled.",
        "年龄结构差异（相异指数）：要让参与者的年龄结构与全体居民一致，需要换成其他年龄组居民的参与者比例。"
        "0 = 结构相同；0.25 = 四分之一的席位“坐错了人”。"),
    "participation_gini": (
        "Inequality of participation (Gini): 0 = every household takes part equally often; 1 = one household "
        "does all the taking part. Above about 0.8, a few regulars do most of it.",
        "参与不均程度（基尼系数）：0 = 每户参与同样频繁；1 = 全部参与集中在一户。高于约 0.8 时，少数“常客”包办了大部分参与。"),
}
register({f"plain.{k}": {"en": en, "zh": zh} for k, (en, zh) in PLAIN.items()})

# What the levers mean, for the "how the scenarios differ" table (other parameters show their English doc).
LEVER_DOC_ZH = {
    "incentive_per_meeting": "每参加一次会议获得的积分（约合元，积分制）",
    "incentive_budget": "每年积分预算（元）",
    "pm_performance_contract": "物业费与决议落实挂钩",
    "supervision": "落实监督小组的力度",
    "meeting_cadence_weeks": "两次议程周期之间的周数",
    "pm_inclusion": "物业必须参会并当场承诺",
    "awareness_campaign": "公共意识宣传的强度",
    "feedback_transparency": "向全体居民公布结果的比例",
    "training_sessions_per_quarter": "每季度居民能力培训的场次",
    "training_seats": "每场培训的名额",
    "committee_facilitation_training": "居委会工作人员接受过主持培训",
    "social_workers": "购买服务的社工人数",
    "social_worker_hours": "每名社工每周为本社区工作的小时数",
    "online_channel": "通过线上渠道发布通知和参会",
}
register({f"param.{k}": {"en": PARAM_INFO[k].metadata["doc"], "zh": v} for k, v in LEVER_DOC_ZH.items()})
register({"report.true": {"en": "true", "zh": "是"}, "report.false": {"en": "false", "zh": "否"}})

# ---- report: "What the model cannot tell you" (issue 17, parts 3 and 5; analysis/report.cannot_tell_section)
_CANNOT: dict[str, tuple[str, str]] = {
    "title": ("What the model cannot tell you", "模型无法告诉您的事"),
    "intro": ("Conclusions above that the model does not settle: their size rests on a number no study gives (a "
              "parameter whose source is \"assumption\", docs/levers.md), or their direction changes with such a "
              "size or with a modelling choice reviewers disagree on. Do not act on these sizes or directions "
              "without local evidence. Worlds and structures: {src}.",
              "上文结论中模型并未确定的部分：其大小取决于没有研究给出的数值（出处为“假设”的参数，见 docs/levers.md），"
              "或其方向随这类数值或有争议的建模选择而改变。没有本地证据时，请勿依据这些大小或方向行事。"
              "世界与结构的结果：{src}。"),
    "sizes_title": ("Sizes nobody has measured", "无人测量过的大小"),
    "signs_title": ("Directions the model cannot settle", "模型无法确定的方向"),
    "package": ("{package}: every effect it has through {levers} has a size set by numbers no study gives: "
                "{params}.",
                "{package}：它通过 {levers} 产生的每一项效果，其大小都由没有研究给出的数值决定：{params}。"),
    "size": ("{lever}: its effect on {target} ({dir} in {share:.0%} of {n} worlds) is as large as the worlds "
             "assume: its size goes with {params}, none of which has a source.",
             "{lever}：对{target}的效果（{n} 个世界中 {share:.0%} 为{dir}）的大小取决于各世界的假设：它随 {params} "
             "而变，这些参数都没有出处。"),
    "param": ("{param} (prior {lo} to {hi}; {null})", "{param}（先验 {lo} 至 {hi}；{null}）"),
    "param_rho": ("{param} (Spearman rho {rho:+.2f}; prior {lo} to {hi}; {null})",
                  "{param}（Spearman rho {rho:+.2f}；先验 {lo} 至 {hi}；{null}）"),
    "no_range": ("{param} (no plausible range: held at its default)", "{param}（无合理范围：固定为默认值）"),
    "null_in": ("includes no effect", "包含“毫无效果”"),
    "null_out": ("excludes no effect, so every world assumes it works", "不包含“毫无效果”，即每个世界都假定它起作用"),
    "more": ("and {n} more", "另有 {n} 个"),
    "sep": (", ", "、"),
    "no_worlds": ("Which further assumed sizes each effect goes with, and which directions change, needs "
                  "consultsim robustness (with --worlds-file for calibrated worlds, --with-structures for "
                  "structures); no result of it was found.",
                  "各效果还随哪些假设大小而变、哪些方向会改变，需要运行 consultsim robustness（校准后的世界用 "
                  "--worlds-file，模型结构用 --with-structures）；未找到其结果。"),
    "assumption": ("{lever}: its effect on {target} is {dir} in most worlds but the other way in {share:.0%} of "
                   "{n} worlds that differ only in assumed sizes{why}.",
                   "{lever}：对{target}的效果在多数世界中为{dir}，但在仅假设大小不同的 {n} 个世界中有 {share:.0%} "
                   "方向相反{why}。"),
    "why": ("; it goes with {param} (an assumption, Spearman rho {rho:+.2f})",
            "；与 {param}（假设，Spearman rho {rho:+.2f}）相关"),
    "structure": ("{lever}: its effect on {target} is clearly {dir} in the model as built, but {change} "
                  "when {structure} replaces it.",
                  "{lever}：对{target}的效果在现有模型中明确为{dir}，但在以 {structure} 替代时{change}。"),
    "flips": ("reverses", "方向相反"),
    "unclear": ("is no longer clear", "不再明确"),
    "up": ("up", "上升"),
    "down": ("down", "下降"),
    "none": ("None of the compared packages' directions depends on an assumed size or on a structure in {src}.",
             "在 {src} 中，所比较措施的效果方向均不取决于假设大小或模型结构。"),
    "stale": ("The results in {src} were made by other code (or do not say by which); they are not quoted. "
              "Rerun consultsim robustness (and --structures) for this model.",
              "{src} 中的结果由其他版本的代码生成（或未记录版本），此处不引用。请针对当前模型重新运行 "
              "consultsim robustness（及 --structures）。"),
}
register({f"report.cannot.{k}": {"en": en, "zh": zh} for k, (en, zh) in _CANNOT.items()})
