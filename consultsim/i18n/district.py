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
    "district.err.budget_needed": {
        "en": "no budget: give --budget YUAN or budget = ... in the district file",
        "zh": "没有预算：请用 --budget 元 或在区域文件中写 budget = ..."},
    "district.err.infeasible": {
        "en": "no allocation of {budget:,.0f} yuan gives every community at least {floor:.0%} of an equal split "
              "with the bundles' prices; lower --equity-floor or raise --budget",
        "zh": "在现有措施价格下，{budget:,.0f} 元无法保证每个社区至少获得平均分配额的 {floor:.0%}；请降低 --equity-floor 或提高 --budget"},
    "district.cli.error": {"en": "error", "zh": "错误"},
    "district.cli.done": {
        "en": "{n} communities ({households:,} households) x {packages} package(s) in {seconds:.1f} s ({executor}); "
              "results in {out}",
        "zh": "{n} 个社区（{households:,} 户）× {packages} 个政策组合，用时 {seconds:.1f} 秒（{executor}）；结果在 {out}"},
    "district.cli.resumed": {
        "en": "resuming: {done} of {total} runs were already finished",
        "zh": "继续运行：{total} 次运行中已有 {done} 次完成"},
})
