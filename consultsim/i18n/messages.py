"""Error and status lines of the command line in 中文.

Errors are raised deep in the code with English text that names the offending value (a file, a
parameter, an option). Rather than thread a language through every layer, the command line
translates the line it prints: each entry below is a pattern of one class of English message and its
Chinese, with the named values carried over (``{0}``, ``{1}`` ... are the pattern's groups). A line
no pattern matches is printed in English after a Chinese lead-in, so nothing is lost; tests/
test_i18n_complete.py feeds the common mistakes through the command line and checks that they come
out Chinese.
"""

from __future__ import annotations

import re

from consultsim.i18n import register, tr

__all__ = ["PATTERNS", "translate_message", "default_lang"]

# (English pattern, Chinese template). Order matters: the first match wins.
PATTERNS: list[tuple[str, str]] = [
    (r"^(.+?): no such scenario; did you mean the file (.+?)\? \(give the file name with its \.toml ending\)$",
     "{0}：没有这个方案；是否指文件 {1}？（请写出带 .toml 后缀的文件名）"),
    (r"^(.+?): no such scenario file(?: \(base of (.+?)\))? \((?:did you mean '([^']+)'\? )?shipped scenarios: (.+)\)$",
     "{0}：没有这个方案文件（内置方案：{3}）"),
    (r"^(.+?): \[(\w+)\] (\w+): unknown parameter \(did you mean '(\w+)'\?\)$",
     "{0}：[{1}] {2}：未知参数（是否指 '{3}'？）"),
    (r"^(.+?): \[(\w+)\] (\w+): unknown parameter$", "{0}：[{1}] {2}：未知参数"),
    (r"^(.+?): \[(\w+)\] (\w+): belongs in \[(\w+)\]$", "{0}：[{1}] {2}：应放在 [{3}] 部分"),
    (r"^(.+?): unknown section \[(\w+)\]; allowed: (.+)$", "{0}：未知部分 [{1}]；可用：{2}"),
    (r"^(.+?): unknown top-level key '(\w+)' \(put it under \[(\w+)\]\);.*$", "{0}：未知的顶层键 '{1}'（请放在 [{2}] 部分）"),
    (r"^(.+?): unknown top-level key '(\w+)';.*$", "{0}：未知的顶层键 '{1}'"),
    (r"^(.+?): not valid TOML: (.+)$", "{0}：不是有效的 TOML 文件：{1}"),
    (r"^(.+?): empty scenario file.*$", "{0}：方案文件为空（没有设置任何内容）；要使用内置默认值，请用内置方案 baseline"),
    (r"^(.+?): (?:\[(\w+)\] )?(\w+) = (.+?): expected (.+)$", "{0}：{2} = {3}：取值不符合要求（应为 {4}）"),
    (r"^(.+?): (\w+) = (.+?) is (?:out of range|outside) (.+)$", "{0}：{1} = {2} 超出允许范围 {3}"),
    (r"^--set (.+?): expected NAME=VALUE$", "--set {0}：应写成 名称=取值"),
    (r"^--set (\w+) = (.+?): expected (.+)$", "--set {0} = {1}：取值不符合要求（应为 {2}）"),
    (r"^--set unknown parameter '(\w+)'(?: \(did you mean '(\w+)'\?\))?$", "--set：未知参数 '{0}'"),
    (r"^--out (.+?): exists and is not a folder$", "--out {0}：已存在且不是文件夹"),
    (r"^--out (.+?): (.*consultsim output.*)$", "--out {0}：该文件夹中已有结果（加 --force 替换之前的 consultsim 输出）"),
    (r"^--out (.+?): (.*not a consultsim output.*|.*other files.*)$",
     "--out {0}：该文件夹中有其他文件，不是 consultsim 的输出，不会被替换"),
    (r"^argument (--?[\w-]+): invalid choice: '(.+?)' \(choose from (.+)\)$", "参数 {0}：无效选项 '{1}'（可选：{2}）"),
    (r"^argument (--?[\w-]+): (.+)$", "参数 {0}：取值无效（{1}）"),
    (r"^(--[\w-]+) (\S+): (must be at least .+|more than the limit .+|expected .+)$", "{0} {1}：{2}"),
    (r"^unrecognized arguments: (.+)$", "无法识别的参数：{0}"),
    # status lines of sweep, sensitivity and validate
    (r"^(\d+) runs in ([\d.]+) s(?: \((\w+)\))?; (.+) holds (\d+) finished and (\d+) failed of (\d+)$",
     "{0} 次运行，用时 {1} 秒（{2}）；{3} 中已完成 {4} 次、失败 {5} 次，共 {6} 次"),
    (r"^(\d+) of (\d+) runs failed \(first: (.+)\); see the error column of (.+), fix the cause and rerun them "
     r"with --retry-failed$", "{1} 次运行中有 {0} 次失败（第一个错误：{2}）；见 {3} 的 error 列，排除原因后用 --retry-failed 重跑"),
    (r"^(.+) passes every criterion and all (\d+) knock-outs are rejected$",
     "{0} 通过全部检验标准，{1} 个去除机制的变体全部被否定"),
    (r"^(\d+) of (\d+) criteria FAIL \(patterns (.+)\)$", "{1} 项检验标准中有 {0} 项未通过（模式 {2}）"),
    (r"^all (\d+) criteria pass \(patterns (.+)\); rows in brackets are diagnostics, not scored$",
     "全部 {0} 项检验标准通过（模式 {1}）；括号中的行为诊断信息，不计分"),
    (r"^validation of (.+?) \((.+)\): (.+), master seed (\d+)$", "验证 {0}（{1}）：{2}，主随机种子 {3}"),
    (r"^the following arguments are required: (.+)$", "缺少必需的参数：{0}"),
]
_COMPILED = [(re.compile(p), t) for p, t in PATTERNS]

# Pieces that recur inside messages (what a value must be), translated wherever they appear.
FRAGMENTS: list[tuple[str, str]] = [
    (r"an integer in \[([\d,]+), ([\d,]+)\]", r"\1 至 \2 之间的整数"),
    (r"a number in \[([-\d.e+]+), ([-\d.e+]+)\]", r"\1 至 \2 之间的数"),
    (r"(\d+) households, (\d+) runs x (\d+) weeks", r"\1 户，\2 次运行 × \3 周"),
    (r"built-in defaults", "内置默认值"),
    (r"true or false", "true 或 false"),
    (r"a port number in 1-65535", "1 至 65535 之间的端口号"),
    (r"^serial$", "串行"),
    (r"^process$", "多进程"),
    (r"^dask$", "Dask 集群"),
    (r"a whole number", "整数"),
    (r"a string", "文字"),
    (r"^(\S+?): must be at least (\d+)$", r"\1：至少为 \2"),
    (r"^(\S+?): more than the limit of ([\d,]+) (.*)$", r"\1：超过上限 \2"),
    (r"^(\S+?): expected (.+)$", r"\1：应为 \2"),
    (r"^expected (.+)$", r"应为 \1"),
]
_FRAG = [(re.compile(p), t) for p, t in FRAGMENTS]


def _fragments(text: str) -> str:
    for rx, t in _FRAG:
        text = rx.sub(t, text)
    return text

register({
    "msg.error": {"en": "error", "zh": "错误"},
    "msg.untranslated": {"en": "{text}", "zh": "（以下为英文原文）{text}"},
    "msg.interrupted": {
        "en": "interrupted: {kept}",
        "zh": "已中断：{kept}"},
    "msg.kept_resume": {
        "en": "the runs finished so far are kept in {out}; run the same command with --resume to go on from "
              "there (consultsim {cmd} ... --resume)",
        "zh": "已完成的运行保存在 {out} 中；用同一命令加 --resume 可从中断处继续（consultsim {cmd} ... --resume）"},
    "msg.kept_nothing": {
        "en": "nothing was written (outputs are moved into place only when complete; an earlier output in "
              "{out} is untouched); run the command again",
        "zh": "没有写入任何内容（输出只在全部完成后才放到位；{out} 中原有的输出未受影响）；请重新运行该命令"},
})


# What the commands print (status lines, table headers, summaries), in both languages: one entry per line
# kind, filled with the values of the run. Keys: cmd.<command>.<what>.
_COMMAND_LINES: dict[str, tuple[str, str]] = {
    # merge, plot-sweep, discover
    "cmd.merge.done": ("{out}: {runs} runs ({ok} finished, {failed} failed) from {dirs} directories",
                       "{out}：共 {runs} 次运行（完成 {ok} 次，失败 {failed} 次），来自 {dirs} 个文件夹"),
    "cmd.plot.figures": ("figures in {plots}", "图已写入 {plots}"),
    "cmd.plot.failed": ("{failed} of {runs} runs failed and are left out of the figures (see load_runs)",
                        "{runs} 次运行中有 {failed} 次失败，未画入图中（见 load_runs）"),
    "cmd.discover.wrote": ("wrote {files} in {out}", "已写入 {out} 中的 {files}"),
    "cmd.discover.target": ("target: {target} ({when}); reached by {hits} of {runs} runs",
                            "目标：{target}（{when}）；{runs} 次运行中有 {hits} 次达到"),
    "cmd.discover.undefined": ("left out, outcome undefined: {what}", "未计入（结果无定义）：{what}"),
    "cmd.discover.undefined_item": ("{name} in {n} runs", "{name}：{n} 次运行"),
    "cmd.discover.failed": ("left out: {n} failed runs", "未计入：{n} 次失败的运行"),
    "cmd.discover.no_box": ("box: no restriction (the target is reached about equally everywhere)",
                            "范围：没有限制（各处达到目标的比例大致相同）"),
    "cmd.discover.box": ("box: {name} ({role}) in {lo} .. {hi}  (qp {qp:.3f})",
                         "范围：{name}（{role}）在 {lo} .. {hi} 之间（准 p 值 {qp:.3f}）"),
    "cmd.discover.dropped": ("dropped: {name} (qp {qp:.3f} > {max:g}: chance alone often restricts it so)",
                             "已舍去：{name}（准 p 值 {qp:.3f} > {max:g}：仅凭偶然也常会出现这样的限制）"),
    "cmd.discover.peeling": ("peeling trajectory (coverage/density/restricted parameters): {steps}",
                             "剥离轨迹（覆盖率/密度/受限参数个数）：{steps}"),
    "cmd.discover.coverage": ("box coverage {coverage:.2f}, density {density:.2f}{met}",
                              "范围覆盖率 {coverage:.2f}，密度 {density:.2f}{met}"),
    "cmd.discover.not_met": (" (no box reaches density {min:g})", "（没有范围达到密度 {min:g}）"),
    "cmd.discover.scores": ("feature scores: {scores}", "特征得分：{scores}"),
    "cmd.role.lever": ("lever", "措施"),
    "cmd.role.uncertainty": ("uncertainty", "不确定参数"),
    "cmd.allocate.done": ("{spent:,.0f} of {budget:,.0f} yuan allocated; results in {out}",
                          "已分配 {spent:,.0f} 元（预算 {budget:,.0f} 元）；结果在 {out}"),
    # robustness
    "cmd.rob.posterior": ("worlds drawn from the posterior in {file} ({n} particles) for its parameters; the other "
                          "uncertain parameters from their priors",
                          "世界的参数取自 {file} 中的后验分布（{n} 个粒子）；其他不确定参数取自其先验分布"),
    "cmd.rob.plan": ("{levers} levers x {worlds} worlds x {seeds} seeds, {households} households, {steps} weeks "
                     "({runs} runs)", "{levers} 项措施 × {worlds} 个世界 × {seeds} 个随机种子，{households} 户，{steps} 周"
                                      "（共 {runs} 次运行）"),
    "cmd.rob.png_title": ("Lever effects over {worlds} {kind} worlds ({seeds} seeds each, {households:,} households, "
                          "{steps} weeks)", "{worlds} 个{kind}世界中的措施效果（每个 {seeds} 个随机种子，{households:,} 户，"
                                            "{steps} 周）"),
    "cmd.rob.posterior_kind": ("posterior", "后验"),
    "cmd.rob.plausible_kind": ("plausible", "合理"),
    "cmd.rob.fallback": ("{n} of {total} uncertain parameters have no plausible range yet and vary by +-20% around "
                         "their default (within their allowed range): {names}",
                         "{total} 个不确定参数中有 {n} 个尚无合理范围，在默认值上下 20% 内变化（不超出允许范围）：{names}"),
    "cmd.rob.all_plausible": ("all {total} uncertain parameters vary over their plausible ranges",
                              "全部 {total} 个不确定参数在其合理范围内变化"),
    "cmd.rob.worlds_head": ("| lever | target (predicted) | holds in | 95% interval | no change in | median effect "
                            "(95% interval) |", "| 措施 | 目标（预期方向） | 成立比例 | 95% 区间 | 无变化比例 | 效果中位数（95% 区间） |"),
    "cmd.rob.of": ("{share} of {n}", "{n} 个中的 {share}"),
    "cmd.rob.to": ("{a} to {b}", "{a} 至 {b}"),
    "cmd.rob.pts": ("{v:+.1f} pts", "{v:+.1f} 个百分点"),
    "cmd.rob.failed": ("{n} worlds x seeds failed (see {file})", "{n} 个世界 × 随机种子的运行失败（见 {file}）"),
    "cmd.rob.worlds_done": ("{ran} world x seed tasks in {s:.0f} s; wrote {csv}, {png}",
                            "{ran} 个世界 × 随机种子任务，用时 {s:.0f} 秒；已写入 {csv}、{png}"),
    "cmd.rob.package": ("{label}: your package ({path}); predicted: {targets}{ignored}",
                        "{label}：自定方案（{path}）；预期：{targets}{ignored}"),
    "cmd.rob.package_ignored": ("; not taken (each arm runs in the check's community): {names}",
                                "；未采用（各组都在本检验的社区中运行）：{names}"),
    "cmd.rob.grid_head": ("| lever | target (predicted) | grid | effect over the grid | largest step (where) | step / "
                          "range | check |", "| 措施 | 目标（预期方向） | 取值网格 | 整个网格上的效果 | 最大跳变（位置） | "
                                             "跳变 / 全程 | 检验 |"),
    "cmd.rob.status.pass": ("pass", "通过"), "cmd.rob.status.fail": ("fail", "未通过"),
    "cmd.rob.status.flat": ("flat", "无变化"), "cmd.rob.status.undefined": ("undefined", "无定义"),
    "cmd.rob.status.switch": ("switch", "开关"), "cmd.rob.clear": (" (clear)", "（明确）"),
    "cmd.rob.grid_done": ("{levers} levers x 9 values x {seeds} seeds ({households} households, {steps} weeks) in "
                          "{s:.0f} s; wrote {csv}, {png}", "{levers} 项措施 × 9 个取值 × {seeds} 个随机种子（{households} 户，"
                                                          "{steps} 周），用时 {s:.0f} 秒；已写入 {csv}、{png}"),
    "cmd.rob.done": ("done in {s:.0f} s with {n} workers; {cpu:.0f} s of CPU time (about {per:.0f} s on {n} otherwise "
                     "idle cores)", "完成，用时 {s:.0f} 秒，{n} 个工作进程；处理器时间 {cpu:.0f} 秒（在 {n} 个空闲核上约 "
                                    "{per:.0f} 秒）"),
    "cmd.up": ("up", "上升"), "cmd.down": ("down", "下降"),
    # sensitivity
    "cmd.sens.undefined": ("not analysable (undefined in every replicate of some samples): {what}",
                           "无法分析（在部分样本的每次重复中均无定义）：{what}"),
    "cmd.sens.undefined_item": ("{name} ({n} samples)", "{name}（{n} 个样本）"),
    "cmd.sens.one_replicate": (
        "warning: replicates = 1: every sample shares one random community, so the indices may describe that "
        "community's luck rather than the parameters; set replicates >= 2 (the seed-dependence check then "
        "compares two independent seed sets)",
        "警告：replicates = 1：所有样本共用同一个随机社区，指数可能反映的是这个社区的偶然情况而不是参数的作用；"
        "请设置 replicates >= 2（届时将比较两组独立随机种子的结果）"),
    "cmd.sens.seed_check": (
        "seed check {outcome}: top driver {verdict} in two independent seed sets ({top_a} {value:.2f} / {top_b}); "
        "largest change of {index} {change:.2f}",
        "随机种子检验 {outcome}：两组独立随机种子得出的最重要参数{verdict}（{top_a} {value:.2f} / {top_b}）；"
        "{index} 的最大变化 {change:.2f}"),
    "cmd.sens.same": ("same", "相同"),
    "cmd.sens.index.ST": ("ST", "总效应指数"),
    "cmd.sens.index.S1": ("S1", "一阶指数"),
    "cmd.sens.index.mu_star": ("mu_star", "μ*"),
    "cmd.sens.different": ("DIFFERENT", "不同"),
    "cmd.sens.not_converged": (
        "warning: not converged (indices from half the base sample differ from the full one by more than 0.1, or "
        "name another top driver): {outcomes}; increase [sampler] n",
        "警告：尚未收敛（用一半基础样本算出的指数与全部样本相差超过 0.1，或最重要参数不同）：{outcomes}；"
        "请增大 [sampler] n"),
    "cmd.sens.wrote": ("wrote {csv} and {png}", "已写入 {csv} 和 {png}"),
    "cmd.dead_worker": ("a worker process died abruptly (out of memory?); the finished runs are saved: continue with "
                        "--resume (or use --executor dask, which re-runs a dead worker's runs)",
                        "某个工作进程意外退出（内存不足？）；已完成的运行已保存：请加 --resume 继续（或用 --executor dask，"
                        "它会重跑退出进程的运行）"),
}


def _register_lines() -> None:
    register({k: {"en": en, "zh": zh} for k, (en, zh) in _COMMAND_LINES.items()})


_register_lines()


def translate_message(text: str, lang: str = "en") -> str:
    """The one-line message ``text`` in ``lang`` (English passes through)."""
    if lang != "zh" or re.search(r"[\u4e00-\u9fff]", text):  # English, or already Chinese (raised via tr)
        return text
    for rx, template in _COMPILED:
        m = rx.match(text)
        if m:
            return template.format(*[_fragments(g) if g is not None else "" for g in m.groups()])
    return tr("msg.untranslated", lang, text=text)


def executor_name(name: str, lang: str = "en") -> str:
    """serial, process, dask as a reader of ``lang`` calls them."""
    return _fragments(name) if lang == "zh" else name


def translate_when(text: str) -> str:
    """``describe_when``'s "week 104" / "mean of weeks 52-104" in Chinese."""
    text = re.sub(r"mean of weeks (\d+)-(\d+)", r"第 \1-\2 周的平均", text)
    return re.sub(r"\bweek (\d+)", r"第 \1 周", text)


def default_lang() -> str:
    """The language set once for every command: CONSULTSIM_LANG (en or zh), else English."""
    import os

    v = os.environ.get("CONSULTSIM_LANG", "").strip().lower()
    return "zh" if v.startswith("zh") else "en"
