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
    "msg.app_dropped": {
        "en": "consultsim app: closed one {kind} connection after a malformed message ({error}); still serving",
        "zh": "consultsim app：收到格式错误的消息（{error}），已关闭该 {kind} 连接；服务仍在运行"},
    "msg.app_stopped": {"en": "consultsim app: stopped", "zh": "consultsim app：已停止"},
})


def translate_message(text: str, lang: str = "en") -> str:
    """The one-line message ``text`` in ``lang`` (English passes through)."""
    if lang != "zh" or re.search(r"[\u4e00-\u9fff]", text):  # English, or already Chinese (raised via tr)
        return text
    for rx, template in _COMPILED:
        m = rx.match(text)
        if m:
            return template.format(*[_fragments(g) if g is not None else "" for g in m.groups()])
    return tr("msg.untranslated", lang, text=text)


def default_lang() -> str:
    """The language set once for every command: CONSULTSIM_LANG (en or zh), else English."""
    import os

    v = os.environ.get("CONSULTSIM_LANG", "").strip().lower()
    return "zh" if v.startswith("zh") else "en"
