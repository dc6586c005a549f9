"""Text of the district commands and the district report (``consultsim district``), in English and 中文."""

from __future__ import annotations

from consultsim.i18n import register

register({
    # one-line errors of district and type files (consultsim.running.districts)
    "district.err.prefix": {"en": "{path}: ", "zh": "{path}："},
    "district.err.unknown_type": {
        "en": "community {name!r}: unknown type {type!r}{hint}; known types: {known}",
        "zh": "社区 {name!r}：未知的社区类型 {type!r}{hint}；已有类型：{known}"},
    "district.err.size": {
        "en": "community {name!r}: households = {value!r} is out of range; give a whole number from {lo:,} to {hi:,}",
        "zh": "社区 {name!r}：户数 households = {value!r} 超出范围；应为 {lo:,} 到 {hi:,} 之间的整数"},
    "district.err.duplicate": {
        "en": "community name {name!r} is used twice; every community needs its own name",
        "zh": "社区名称 {name!r} 重复出现；每个社区的名称必须唯一"},
    "district.err.budget_wan": {
        "en": "budget = {budget:,g} yuan is only {per:,.0f} yuan a year per community ({n} communities); it looks "
              "like 万元 (ten-thousands): give the budget in yuan, e.g. budget = {yuan:,.0f}",
        "zh": "budget = {budget:,g} 元，平均每个社区每年仅 {per:,.0f} 元（共 {n} 个社区），看起来是以万元为单位；"
              "请以元为单位填写，例如 budget = {yuan:,.0f}"},
    "district.err.budget": {
        "en": "budget = {value!r}: expected a non-negative number of yuan a year",
        "zh": "budget = {value!r}：应为非负数（元/年）"},
    "district.err.no_communities": {
        "en": "no communities: give [[community]] entries or a [generate] table",
        "zh": "没有社区：请给出 [[community]] 条目或 [generate] 表"},
    "district.err.too_many": {
        "en": "{n:,} communities: more than the limit of {hi:,}",
        "zh": "{n:,} 个社区：超过上限 {hi:,}"},
    "district.err.too_large": {
        "en": "{n:,} households in all: more than the limit of {hi:,}",
        "zh": "共 {n:,} 户：超过上限 {hi:,}"},
    "district.err.key": {
        "en": "{where}unknown key {field!r}; allowed: {allowed}",
        "zh": "{where}未知的键 {field!r}；可用的键：{allowed}"},
    "district.err.value": {
        "en": "{where}{field} = {value!r}: expected {expected}",
        "zh": "{where}{field} = {value!r}：应为{expected}"},
    "district.err.override": {
        "en": "community {name!r}: {error}",
        "zh": "社区 {name!r}：{error}"},
    "district.err.reserved": {
        "en": "{where}{field}: set by the district (the community's size), not by a type or an override",
        "zh": "{where}{field}：由区域文件（社区规模）决定，不能在类型或覆盖参数中设置"},
    "district.err.mix": {
        "en": "[generate] mix: {detail}",
        "zh": "[generate] mix：{detail}"},
    "district.err.type_file": {
        "en": "type file: {detail}",
        "zh": "类型文件：{detail}"},
    "district.err.no_types": {
        "en": "no community types found in {folder}",
        "zh": "在 {folder} 中没有找到社区类型文件"},
    "district.err.package": {
        "en": "package {name!r}: {detail}",
        "zh": "政策组合 {name!r}：{detail}"},
    "district.err.allocation": {
        "en": "--allocation {path}: {detail}",
        "zh": "--allocation {path}：{detail_zh}"},
    "district.err.resume": {
        "en": "--out {out}: holds the runs of another district file or options ({detail}); choose another folder "
              "or add --force to start again",
        "zh": "--out {out}：存放的是另一个区域文件或其他选项的运行结果（{detail}）；请换一个文件夹，或加 --force 重新开始"},
    # the objectives an allocation maximises (district allocate, the district report)
    "dr.objective.implemented": {"en": "works implemented", "zh": "落实事项数"},
    "dr.objective.participation": {"en": "participation", "zh": "参与率"},
    "dr.objective.trust": {"en": "trust", "zh": "信任"},
    "dr.objective.complaints": {"en": "fewer complaints", "zh": "减少投诉"},
    # the first line of district allocate and of its report: what is recommended, decided on the hold-out
    # seeds (the optimised allocation against the best simple rule, both chosen on the selection seeds)
    "district.alloc.rec_optimised": {
        "en": "Recommended: {opt}. On hold-out seeds it beat the best simple rule, {rule}, on {objective} by "
              "{diff} a year (optimised minus rule, 95% interval; both were chosen on other seeds).",
        "zh": "推荐：{opt}。在留出种子上，它在“{objective}”上优于最好的简单规则“{rule}”，差值 {diff}/年（优化减规则，"
              "95% 区间；二者均在另一组种子上选出）。"},
    "district.alloc.rec_rule": {
        "en": "Recommended: {rule}, a simple rule. No optimised allocation beat it on hold-out seeds beyond the "
              "interval (best optimised, {opt}, minus {rule} on {objective}: {diff}, 95% interval): the optimised "
              "allocations are shown for comparison, not to act on.",
        "zh": "推荐：{rule}（简单规则）。在留出种子上，没有任何优化分配超出区间地优于它（最好的优化分配“{opt}”减“{rule}”，"
              "“{objective}”：{diff}，95% 区间）：优化分配仅供比较，不宜据以执行。"},
    "district.alloc.rec_rule_worse": {
        "en": "Recommended: {rule}, a simple rule. On hold-out seeds the best optimised allocation, {opt}, did "
              "worse than it on {objective} ({diff}, optimised minus rule, 95% interval): the screening's "
              "predictions did not hold; do not act on the optimised allocations.",
        "zh": "推荐：{rule}（简单规则）。在留出种子上，最好的优化分配“{opt}”在“{objective}”上不如它（{diff}，优化减规则，"
              "95% 区间）：筛选阶段的预测不成立；请勿按优化分配执行。"},
    "district.alloc.design": {
        "en": "How this was chosen: the screening ran {reps} representative communities under every bundle with "
              "{R} seeds each; its gains were shrunk toward each bundle's pooled gain in proportion to their "
              "noise (empirical Bayes) and optimised at three shrinkage levels. Those allocations and the simple "
              "rules were simulated on every community with {S} selection seeds, where {best_opt} and {best_rule} "
              "did best; the tables below are {V} hold-out seeds that neither step saw (common random numbers "
              "within each set). Numbers from the selection seeds (selection.csv) are not a verified effect.",
        "zh": "选择过程：筛选阶段在 {reps} 个代表性社区上以每种措施组合各运行 {R} 个种子；其增益按噪声大小向各组合的合并增益收缩"
              "（经验贝叶斯），并在三种收缩程度下分别优化。这些分配和简单规则在 {S} 个选择种子上对所有社区进行模拟，其中"
              "“{best_opt}”和“{best_rule}”表现最好；下表是前两步都未使用的 {V} 个留出种子的结果（每组内使用共同随机数）。"
              "选择种子上的数字（selection.csv）不是经过验证的效果。"},
    "district.err.budget_needed": {
        "en": "no budget: give --budget YUAN or budget = ... in the district file",
        "zh": "没有预算：请用 --budget 元 或在区域文件中写 budget = ..."},
    "district.err.infeasible": {
        "en": "no allocation of {budget:,.0f} yuan gives every community at least {floor:.0%} of an equal split "
              "with the bundles' prices; lower --equity-floor or raise --budget",
        "zh": "在现有措施价格下，{budget:,.0f} 元无法保证每个社区至少获得平均分配额的 {floor:.0%}；请降低 --equity-floor 或提高 --budget"},
    "district.err.worlds": {
        "en": "--worlds-file {path}: {detail}",
        "zh": "--worlds-file {path}：不是可用的世界文件（应为 consultsim calibrate 生成的 posterior_worlds.parquet）：{detail}"},
    "district.err.robust": {
        "en": "--robust {value}: the worst share of worlds is a number above 0 and at most 1 (0.1: the worst decile)",
        "zh": "--robust {value}：最差世界所占比例应大于 0、不超过 1（0.1 即最差十分位）"},
    "district.err.robust_needs_worlds": {
        "en": "--robust needs --worlds-file: it optimises the worst worlds of a calibration's posterior",
        "zh": "--robust 需要同时给出 --worlds-file：它针对校准后验中最差的若干世界进行优化"},
    "district.err.val_type": {
        "en": "--type {type!r}{hint}: no community of that type in {district}; its types: {known}",
        "zh": "--type {type!r}{hint}：{district} 中没有该类型的社区；其社区类型：{known}"},
    # consultsim district validate: each community type against the criteria that apply to it
    "district.val.did_you_mean": {"en": "did you mean", "zh": "是否想写"},
    "district.val.col.pattern": {"en": "pattern", "zh": "模式"},
    "district.val.col.criterion": {"en": "criterion", "zh": "判据"},
    "district.val.col.band": {"en": "band", "zh": "区间"},
    "district.val.col.type": {"en": "{type} ({households:,} households)", "zh": "{type}（{households:,} 户）"},
    "district.val.diagnostic": {"en": "(diagnostic)", "zh": "（诊断，不计分）"},
    "district.val.pass": {"en": "pass", "zh": "通过"},
    "district.val.fail": {"en": "FAIL", "zh": "未通过"},
    "district.val.holds": {"en": "(holds)", "zh": "（成立）"},
    "district.val.not_holds": {"en": "(does not hold)", "zh": "（不成立）"},
    "district.val.too_few": {"en": "too few records to judge", "zh": "记录太少，无法判断"},
    "district.val.too_few_line": {
        "en": "{n} applicable scored criteria have too few records to judge, neither pass nor fail ({listing})",
        "zh": "{n} 项适用的计分判据记录太少，无法判断，既不算通过也不算未通过（{listing}）"},
    "district.val.na": {"en": "does not apply: {reason}", "zh": "不适用：{reason}"},
    "district.val.reason.no_pm": {"en": "no property manager", "zh": "没有物业"},
    "district.val.reason.no_owners_votes": {"en": "no topic decided by owners' votes",
                                            "zh": "没有需业主表决的议题"},
    "district.val.reason.no_owners_rule_topics": {"en": "no elevator or property-fee votes",
                                                  "zh": "没有加装电梯或物业费表决"},
    "district.val.reason.no_retrofits": {"en": "no elevator retrofits", "zh": "没有加装电梯"},
    "district.val.reason.ordinary_owners_votes": {
        "en": "its owners' votes are ordinary matters only (fees), which Civil Code art. 278 approves by more "
              "than half of those taking part, as a show of hands does: its source gives no direction here",
        "zh": "此类社区的业主表决只涉及一般事项（物业费），民法典第二百七十八条规定经参与表决者过半数同意，"
              "与举手表决相同：该区间的来源在此不给出方向"},
    "district.val.reason.not_observed": {
        "en": "its band comes from the field study, which observed older estates (老旧小区), not this type",
        "zh": "该区间来自实地调研，调研观察的是老旧小区，不是这类社区"},
    "district.val.unscored": {"en": "{value} (not scored: {reason})", "zh": "{value}（不计分：{reason}）"},
    "district.val.type_band": {"en": "(this type's band: {band})", "zh": "（此类社区的区间：{band}）"},
    "district.val.all_pass": {
        "en": "every type passes all {scored} applicable scored criteria ({na} do not apply; {replicates} runs x "
              "{steps} weeks per type); tables in {out}",
        "zh": "每类社区都通过了全部 {scored} 项适用的计分判据（{na} 项不适用；每类 {replicates} 次运行 × {steps} 周）；表格见 {out}"},
    "district.val.some_fail": {
        "en": "{n} of {scored} applicable scored criteria FAIL ({listing}); {na} do not apply; {replicates} runs x "
              "{steps} weeks per type; tables in {out}",
        "zh": "{scored} 项适用的计分判据中有 {n} 项未通过（{listing}）；{na} 项不适用；每类 {replicates} 次运行 × {steps} 周；"
              "表格见 {out}"},
    # the validation criteria (consultsim.analysis.validation.CRITERIA), short names for the per-type table
    "district.cli.error": {"en": "error", "zh": "错误"},
    "district.cli.done": {
        "en": "{n} communities ({households:,} households) x {packages} package(s) in {seconds:.1f} s ({executor}); "
              "results in {out}",
        "zh": "{n} 个社区（{households:,} 户）× {packages} 个政策组合，用时 {seconds:.1f} 秒（{executor}）；结果在 {out}"},
    "district.cli.resumed": {
        "en": "resuming: {done} of {total} runs were already finished",
        "zh": "继续运行：{total} 次运行中已有 {done} 次完成"},
})
