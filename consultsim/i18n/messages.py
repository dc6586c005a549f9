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

# The refusals of the output and input layers (consultsim/running/outputs.py, inputs.py): every message
# those files raise has its line here (tests/test_i18n_commands.py derives the messages from their source).
_IO = r"(\S+) (.+?)"  # the option (--out, --plots...) and the folder
IO_PATTERNS: list[tuple[str, str]] = [
    (r"^(\S+) '': give a folder name$", "{0}：请给出文件夹名"),
    (rf"^{_IO}: a folder name cannot contain NUL$", "{0} {1}：文件夹名不能包含 NUL 字符"),
    (rf"^{_IO}: a folder name of (\d+) bytes is longer than the (\d+) bytes a file system allows$",
     "{0} {1}：文件夹名有 {2} 字节，超过文件系统允许的 {3} 字节"),
    (rf"^{_IO}: is a symbolic link \(to (.+?)\); give the folder itself or another name$",
     "{0} {1}：是一个符号链接（指向 {2}）；请给出文件夹本身或换一个名称"),
    (rf"^{_IO}: is a symbolic link; give the folder itself or another name$",
     "{0} {1}：是一个符号链接；请给出文件夹本身或换一个名称"),
    (rf"^{_IO}: exists and is not a folder$", "{0} {1}：已存在且不是文件夹"),
    (rf"^{_IO}: cannot create it, (.+?) is a file$", "{0} {1}：无法创建，{2} 是一个文件"),
    (rf"^{_IO}: cannot write in (.+?) \((.+)\)$", "{0} {1}：无法在 {2} 中写入（{3}）"),
    (r"^(.+?): cannot list it \((.+)\)$", "{0}：无法列出其内容（{1}）"),
    (rf"^{_IO}: cannot replace the earlier output \((.+)\)$", "{0} {1}：无法替换先前的输出（{2}）"),
    (rf"^{_IO}: another consultsim command is writing there now; wait for it or choose another folder$",
     "{0} {1}：另一个 consultsim 命令正在向其中写入；请等它结束或换一个文件夹"),
    (rf"^{_IO}: not a consultsim output folder: it holds (\d+) files? consultsim did not write \((.+)\); "
     r"nothing there is replaced, choose another folder$",
     "{0} {1}：不是 consultsim 的输出文件夹：其中有 {2} 个不是 consultsim 写入的文件（{3}）；不会替换其中任何内容，请换一个文件夹"),
    (rf"^{_IO}: holds an unfinished output \(a command was stopped while writing it\); choose another folder "
     r"or add --force to replace it$", "{0} {1}：其中有未完成的输出（某个命令在写入时被中止）；请换一个文件夹，或加 --force 替换它"),
    (rf"^{_IO}: holds earlier results \((.+)\); choose another folder or add --force to replace them$",
     "{0} {1}：其中已有之前的结果（{2}）；请换一个文件夹，或加 --force 替换它们"),
    (rf"^{_IO}: cannot create it \((.+)\)$", "{0} {1}：无法创建（{2}）"),
    (rf"^{_IO}: cannot open it \((.+)\)$", "{0} {1}：无法打开（{2}）"),
    (rf"^{_IO}: holds (\d+) files? consultsim did not write \((.+)\); nothing there is changed, choose another "
     r"folder$", "{0} {1}：其中有 {2} 个不是 consultsim 写入的文件（{3}）；不会改动其中任何内容，请换一个文件夹"),
    (rf"^{_IO}: holds an? (unfinished|earlier) (\w+) output(?: \((.+?)\))?; add --resume to continue it and "
     r"rewrite its tables, or choose another folder$",
     "{0} {1}：其中已有{2}的 {3} 输出；加 --resume 继续并重写其表格，或换一个文件夹"),
    (rf"^{_IO}: not a consultsim (\w+) folder: it holds (\d+) files? consultsim did not write there \((.+)\); "
     r"nothing there is changed, choose another folder$",
     "{0} {1}：不是 consultsim 的 {2} 文件夹：其中有 {3} 个不是 consultsim 写入的文件（{4}）；不会改动其中任何内容，请换一个文件夹"),
    (rf"^{_IO}: writing failed \((.+)\); the finished part is kept, marked unfinished$",
     "{0} {1}：写入失败（{2}）；已完成的部分保留，并标记为未完成"),
    (rf"^{_IO}: writing failed \((.+)\); nothing was changed there$", "{0} {1}：写入失败（{2}）；其中没有任何改动"),
    # reading a file (inputs.read_bytes): {what} is the kind of file
    (r"^(.+?): no such ([a-z ]+)$", "{0}：没有这个{1}"),
    (r"^(.+?): is a folder, not an? ([a-z ]+)$", "{0}：是文件夹，不是{1}"),
    (r"^(.+?): permission denied \(cannot read the ([a-z ]+)\)$", "{0}：权限不足（无法读取{1}）"),
    (r"^(.+?): a loop of symbolic links, not an? ([a-z ]+)$", "{0}：符号链接构成了循环，不是{1}"),
    (r"^(.+?): cannot read the ([a-z ]+) \((.+)\)$", "{0}：无法读取{1}（{2}）"),
    (r"^(.+?): (a named pipe|a device|a socket|not a regular file), not an? ([a-z ]+) \(give a regular file\)$",
     "{0}：{1}，不是{2}（请给出普通文件）"),
    (r"^(.+?): ([\d,]+) bytes; an? ([a-z ]+) may have at most ([\d,]+)$", "{0}：{1} 字节；{2}最多 {3} 字节"),
    (r"^(.+?): more than ([\d,]+) bytes; an? ([a-z ]+) may have at most ([\d,]+)$", "{0}：超过 {1} 字节；{2}最多 {3} 字节"),
    (r"^(.+?): nested more than (\d+) levels deep$", "{0}：嵌套超过 {1} 层"),
    (r"^(.+?): (\w+): a whole number of (\d+) digits; at most (\d+)$", "{0}：{1}：整数有 {2} 位；最多 {3} 位"),
    (r"^(\S+) (.+?): the seed must be a non-negative whole number(?: below 2\*\*63)?$",
     "{0} {1}：随机种子必须是小于 2**63 的非负整数"),
    (r"^(\S+) (.+?): expected an address such as tcp://host:8786 or a scheduler file ending in \.json(?: \((.+)\))?$",
     "{0} {1}：应为 tcp://host:8786 这样的地址，或以 .json 结尾的调度器文件"),
    (r"^(\S+) (.+?): unknown protocol (.+?); use tcp:// or tls://$", "{0} {1}：未知协议 {2}；请用 tcp:// 或 tls://"),
    (r"^(\S+) (.+?): no port; expected an address such as tcp://host:8786 or a scheduler file ending in \.json$",
     "{0} {1}：缺少端口；应为 tcp://host:8786 这样的地址，或以 .json 结尾的调度器文件"),
    (r"^(\S+) (.+?): port (\S+) is not in 1-65535$", "{0} {1}：端口 {2} 不在 1-65535 之内"),
    (r"^--scheduler '': give an address \(tcp://host:8786\) or a scheduler file$",
     "--scheduler ''：请给出地址（tcp://host:8786）或调度器文件"),
    (r"^--scheduler (.+?): no such scheduler file \((.+)\)$", "--scheduler {0}：没有这个调度器文件"),
    (r"^--scheduler (.+?): not a readable scheduler file \((\w+)\)$", "--scheduler {0}：调度器文件无法读取（{1}）"),
    (r"^(.+?): not a readable ([a-z ]+) \((\w+)\)$", "{0}：{1}无法读取（{2}）"),
    (r"^--scheduler (.+?): not a scheduler file \(no 'address' in it\)$", "--scheduler {0}：不是调度器文件（其中没有 'address'）"),
    (r"^--scheduler needs --executor dask \(or auto\)$", "--scheduler 需要 --executor dask（或 auto）"),
    (r"^(\S+) (.+?): expected a whole number of at most (\d+) digits$", "{0} {1}：应为至多 {2} 位的整数"),
    (r"^(\S+) (.+?): expected a whole number$", "{0} {1}：应为整数"),
    (r"^(\S+) (.+?): must be at least (\S+)$", "{0} {1}：至少为 {2}"),
    (r"^(\S+) (.+?): more than the limit of ([\d,]+)(?: (.+))?$", "{0} {1}：超过上限 {2}"),
]

# The refusals of the commands themselves (consultsim/cli/commands/*.py): tests/test_i18n_messages.py derives
# every message their raise sites build and checks that it reads Chinese here.
CLI_PATTERNS: list[tuple[str, str]] = [
    # calibrate and sensitivity refusals added with issue 21's output layer
    (r"^--out (.+?): (\w+) in calibration\.db \((.+)\); the finished generations are kept, continue with --resume$",
     "--out {0}：calibration.db 出错（{1}：{2}）；已完成的代保留，请用 --resume 继续"),
    (r"^--out (.+?): (.+?) is not an SQLite database \(not a calibration's\)$",
     "--out {0}：{1} 不是 SQLite 数据库（不是校准留下的）"),
    (r"^(--\S+): the runs end at week (.+?); choose a week within 0:(.+)$",
     "{0}：模拟在第 {1} 周结束；请选择 0:{2} 之内的周"),
    # app
    (r"^offline assets missing in (.+?) \((.+)\); run `make install` or `python -m consultsim\.app\.assets` "
     r"\(or pass --allow-cdn\)$",
     "{0} 中缺少离线资源（{1}）；请运行 `make install` 或 `python -m consultsim.app.assets`（或加 --allow-cdn）"),
    (r"^--host (.+?): not an address of this machine \((.+)\)$", "--host {0}：不是本机的地址（{1}）"),
    (r"^port (\S+) on (.+?) is already in use; stop the other server or pass another --port$",
     "{1} 上的端口 {0} 已被占用；请停止另一个服务器，或用 --port 换一个端口"),
    (r"^cannot listen on (.+?) \((.+)\)$", "无法在 {0} 上监听（{1}）"),
    (r"^the app needs Solara \((.+)\); install with `pip install -e '\.\[app\]'`$",
     "课堂应用需要 Solara（{0}）；请用 `pip install -e '.[app]'` 安装"),
    # calibrate
    (r"^--check-runs must be at least 0 \(got (.+)\)$", "--check-runs 至少为 0（收到 {0}）"),
    (r"^--out (.+?): already holds (\S+); add --resume to continue it, or choose another --out$",
     "--out {0}：其中已有 {1}；加 --resume 继续，或用 --out 换一个文件夹"),
    (r"^--out (.+?): no (\S+) to resume$", "--out {0}：没有可继续的 {1}"),
    (r"^--out (.+?): not empty; choose another --out$", "--out {0}：文件夹不是空的；请用 --out 换一个文件夹"),
    (r"^calibrate needs pyabc: pip install 'consultsim\[calibrate\]'$",
     "consultsim calibrate 需要 pyabc：`pip install 'consultsim[calibrate]'`"),
    (r"^no generation finished within (\S+) minutes; rerun with --resume$",
     "{0} 分钟内没有完成任何一代；请加 --resume 重新运行"),
    # discover, plot-sweep
    (r"^DIR '': give a sweep results directory$", "DIR ''：请给出扫描结果文件夹"),
    (r"^--min-density (\S+): expected a share in \(0, 1\]$", "--min-density {0}：应为 (0, 1] 之间的比例"),
    (r"^--max-qp (\S+): expected a probability in \(0, 1\]$", "--max-qp {0}：应为 (0, 1] 之间的概率"),
    # district allocate
    (r"^--equity-floor (\S+): a share from 0 to 1$", "--equity-floor {0}：应为 0 至 1 之间的比例"),
    (r"^--station-staff (\S+): a non-negative number of full-time social workers$",
     "--station-staff {0}：应为非负的全职社工人数"),
    # robustness
    (r"^--replicates must be at least 2 for the grid and one-at-a-time intervals$",
     "--replicates 至少为 2，网格和逐一变动检验才能给出区间"),
    (r"^--levers: unknown lever '\(none\)'; choose from (.+) or give a package file \(\.toml\)$",
     "--levers：没有给出措施名称；请从 {0} 中选择，或给出措施包文件（.toml）"),
    (r"^--levers: unknown lever (.+?); choose from (.+) or give a package file \(\.toml\)$",
     "--levers：未知措施 {0}；请从 {1} 中选择，或给出措施包文件（.toml）"),
    (r"^--levers: (.+) given twice$", "--levers：{0} 重复给出"),
    (r"^--levers: none has a grid; choose from (.+)$", "--levers：没有一个有网格；请从 {0} 中选择"),
    (r"^--worlds-file and --with-structures apply to the plausible-worlds check, not to --grid, --oat or "
     r"--structures$", "--worlds-file 和 --with-structures 只用于合理世界检验，不用于 --grid、--oat 或 --structures"),
    (r"^--out (.+?): already holds (\S+); add --resume to continue and rewrite it, or choose another --out$",
     "--out {0}：其中已有 {1}；加 --resume 继续并重写它，或用 --out 换一个文件夹"),
    (r"^--levers (.+?): its name (.+) is a shipped lever's; give the package another name "
     r"\(name = \"\.\.\.\" in the file\)$",
     "--levers {0}：其名称 {1} 与内置措施相同；请给措施包另起一个名称（在文件中写 `name = \"...\"`）"),
    (r"^--levers (.+?): changes no lever that a mechanism predicts an outcome for \((.*)\); nothing to check$",
     "--levers {0}：没有改变任何有机制预测其结果的措施（{1}）；没有可检验的内容"),
    # run
    (r"^--set (.+?): given twice; give each parameter once$", "--set {0}：重复给出；每个参数只能给一次"),
    (r"^--replay takes its scenario, seed, weeks and settings from the export; give only --out \(and --force\)$",
     "--replay 从导出文件中读取方案、随机种子、周数和设置；只需给出 --out（和 --force）"),
    (r"^give a scenario \(e\.g\. baseline\) or --replay EXPORT$", "请给出方案（例如 baseline）或 --replay 导出文件"),
    # scenarios
    (r"^no shipped scenario (.+?)(?: \(did you mean '([^']+)'\?\))?; `consultsim scenarios` lists them$",
     "没有内置方案 {0}；`consultsim scenarios` 会列出全部内置方案"),
    # sensitivity
    (r"^(.+?): sensitivity analysis needs \[sampler\] method = \"sobol\" or \"morris\", not (.+?) "
     r"\(use consultsim sweep and plot-sweep\)$",
     "{0}：敏感性分析需要 [sampler] `method = \"sobol\"` 或 `\"morris\"`，而不是 {1}（请改用 consultsim sweep 和 "
     "consultsim plot-sweep）"),
    # run: a --set value of the wrong kind (ParamError of run.parse_value, without --set before it)
    # the keyword arguments of running/evaluate.py's evaluate() (before the generic line below)
    (r"^outcomes = (.+?): expected a list of metric names, e\.g\. \[(.+)\]$",
     "`outcomes` = {0}：应为指标名的列表，例如 [{1}]"),
    (r"^outcomes = (.+?): expected a list of metric names$", "`outcomes` = {0}：应为指标名的列表"),
    (r"^(rng|seed|seeds|params|scenario|outcomes|window|week|steps) = (.+?): expected (.+)$",
     "`{0}` = {1}：取值不符合要求（应为 {2}）"),
    (r"^(\w+) = (.+?): expected (.+)$", "{0} = {1}：取值不符合要求（应为 {2}）"),
    # validate
    (r"^--households must be at least 10 \(got (.+)\)$", "--households 至少为 10（收到 {0}）"),
    (r"^--knockout (.+?): no such knock-out \(did you mean '([^']+)'\?\)$",
     "--knockout {0}：没有这个去除机制的变体（是否指 '{1}'？）"),
    (r"^--knockout (.+?): no such knock-out; known: (.+)$", "--knockout {0}：没有这个去除机制的变体；可用：{1}"),
]

# The refusals of the sweep store, the samplers, the parameters and scenarios (sweeps/storage.py, samplers.py,
# core/params.py, core/scenario.py, analysis/compare.py, plot_sweep.py, sensitivity.py); derived like the above.
MODULE_PATTERNS: list[tuple[str, str]] = [
    (r"^(.+?): not a sweep directory \(no experiment\.json\)$", "{0}：不是扫描结果文件夹（没有 experiment.json）"),
    (r"^(.+?): damaged or unreadable \((\w+)\); nothing was changed$", "{0}：已损坏或无法读取（{1}）；没有任何改动"),
    (r"^(.+?): damaged \(not the record a sweep writes\); nothing was changed$",
     "{0}：已损坏（不是扫描写下的记录）；没有任何改动"),
    (r"^(.+?): damaged part file \((\w+)\); move its folder out of parts/ and continue with --resume to redo its runs$",
     "{0}：分块文件已损坏（{1}）；请把它的文件夹移出 `parts/`，再用 --resume 继续以重跑其中的运行"),
    (r"^(.+?): damaged part file \((\w+)\)$", "{0}：分块文件已损坏（{1}）"),
    (r"^(.+?): exists and is not a directory$", "{0}：已存在且不是文件夹"),
    (r"^(.+?): not empty and not a sweep directory \(it holds (.+)\); nothing there is changed, choose another --out$",
     "{0}：文件夹不是空的，也不是扫描结果文件夹（其中有 {1}）；不会改动其中任何内容，请用 --out 换一个文件夹"),
    (r"^(.+?): holds a different experiment \((.+?), fingerprint (\S+), this one (\S+)\); choose another --out$",
     "{0}：其中是另一个实验（{1}，指纹 {2}，本实验 {3}）；请用 --out 换一个文件夹"),
    (r"^(.+?): already holds this experiment; add --resume to continue it or choose another --out$",
     "{0}：其中已有这个实验；加 --resume 继续，或用 --out 换一个文件夹"),
    (r"^no sweep directories given$", "没有给出扫描结果文件夹"),
    (r"^cannot combine (.+?): they hold different experiments$", "无法合并 {0}：它们是不同的实验"),
    (r"^cannot combine (.+?): they recorded different metrics; give each the same metrics first "
     r"\(consultsim sweep --resume --add-metrics\)$",
     "无法合并 {0}：它们记录的指标不同；请先让各自记录相同的指标（consultsim sweep --resume --add-metrics）"),
    (r"^(.+?): \[constraints\] leave almost no feasible samples \((\S+) of (\S+) random draws\); check them$",
     "{0}：[constraints] 几乎排除了所有样本（随机抽取 {2} 次，仅 {1} 个可行）；请检查这些约束"),
    (r"^(.+?): \[constraints\] leave almost no feasible samples \((\S+) of (\S+) after 1,000 re-draws\); check them$",
     "{0}：[constraints] 几乎排除了所有样本（重抽 1,000 次后 {2} 个中仅 {1} 个可行）；请检查这些约束"),
    (r"^(.+?): \[constraints\] exclude every cell of the grid$", "{0}：[constraints] 排除了网格中的每一格"),
    (r"^no scenarios to compare$", "没有可比较的方案"),
    (r"^(.+?): no finished runs to plot$", "{0}：没有已完成的运行可以作图"),
    (r"^(\d+) of (\d+) samples have no successful run \(see runs\.parquet\); Sobol and Morris analyses need every "
     r"sample$", "{1} 个样本中有 {0} 个没有成功的运行（见 runs.parquet）；Sobol 和 Morris 分析需要每个样本都有结果"),
    (r"^(.+?): sensitivity analysis needs \[sampler\] method = \"sobol\" or \"morris\" \(this one is (.+?)\); use "
     r"consultsim plot-sweep for grids$",
     "{0}：敏感性分析需要 [sampler] `method = \"sobol\"` 或 `\"morris\"`（此处为 {1}）；网格请用 consultsim plot-sweep"),
    # discover (analysis/discovery.py): the --target condition and what the sweep holds
    (r"^(.+?): no finished runs to analyse$", "{0}：没有已完成的运行可供分析"),
    (r"^(.+?): the target's outcomes are undefined in every run$", "{0}：目标涉及的结果在每次运行中都无定义"),
    (r"^--target (.+?): no run reaches it \(nothing to discover\); try a weaker target or another --week/--window$",
     "--target {0}：没有任何运行达到（无可发现）；请放宽目标，或换一个 --week/--window"),
    (r"^--target (.+?): every one of the (\d+) runs reaches it \(nothing to discover\); try a stronger target or "
     r"another --week/--window$", "--target {0}：{1} 次运行全都达到（无可发现）；请提高目标，或换一个 --week/--window"),
    (r"^--target: ([\d,]+) characters; at most ([\d,]+)$", "--target：{0} 个字符；最多 {1} 个"),
    (r"^scenario discovery needs EMA Workbench: pip install 'consultsim\[ema\]'$",
     "情景发现需要 ema_workbench：`pip install 'consultsim[ema]'`"),
    (r"^--target (.+?): not a condition such as \"(.+)\"$", "--target {0}：不是 `{1}` 这样的条件"),
    (r"^--target: (.+?) is not a metric kept by this sweep \(did you mean '(\w+)'\?\); kept: (.+)$",
     "--target：{0} 不是本次扫描记录的指标（是否指 '{1}'？）；已记录：{2}"),
    (r"^--target: (.+?) is not a metric kept by this sweep; kept: (.+)$",
     "--target：{0} 不是本次扫描记录的指标；已记录：{1}"),
    (r"^--target (.+?): expected comparisons of outcomes with numbers joined by and, or, not$",
     "--target {0}：应为结果与数值的比较，用 `and`、`or`、`not` 连接"),
    (r"^--target (.+?): compare outcomes with numbers$", "--target {0}：请把结果与数值相比较"),
    (r"^--target (.+?): compare with >, >=, <, <=, == or !=$", "--target {0}：请用 >、>=、<、<=、== 或 != 比较"),
    # which week's outcomes (analysis/outcomes.py: --week, --window of discover and plot-sweep)
    (r"^give --week or --window, not both$", "请给出 --week 或 --window，不能同时给出"),
    (r"^--week (\S+): expected a week >= 0$", "--week {0}：应为 >= 0 的周数"),
    (r"^--window (.+?): expected FIRST:LAST, e\.g\. 52:104$", "--window {0}：应写成 起始周:结束周，例如 52:104"),
    (r"^--window (.+?): expected 0 <= FIRST <= LAST$", "--window {0}：应满足 0 <= 起始周 <= 结束周"),
    (r"^--window (\S+): the runs end at week (\d+); choose a window within 0:(\d+)$",
     "--window {0}：运行在第 {1} 周结束；请在 0:{2} 之内选择时间窗"),
    (r"^no kept week in (\S+?)\.\.(\S+) \(kept weeks: (.+)\)$", "{0}..{1} 之内没有记录的周（记录的周：{2}）"),
    (r"^week (\S+) was not kept \(kept weeks: (.+); see collect_every in the experiment file\)$",
     "第 {0} 周没有记录（记录的周：{1}；见实验文件中的 `collect_every`）"),
    (r"^unknown parameter (\S+) \(did you mean '(\w+)'\?\)$", "未知参数 {0}（是否指 '{1}'？）"),
    (r"^unknown parameter (\S+)$", "未知参数 {0}"),
    (r"^(.+?) = (.+?) = (\S+): these shares of one whole together must not exceed 1$",
     "{0} = {1} = {2}：这些同属一个整体的比例加起来不能超过 1"),
    (r"^scenario = (.+?): the model takes a Scenario or Params; read a file first with consultsim\.load_scenario\(\)$",
     "参数 `scenario` = {0}：模型只接受 Scenario 或 Params；请先用 `consultsim.load_scenario()` 读入文件"),
    # the model itself (core/model.py)
    # a network given to the model (core/network.py's as_edges, raised again by core/model.py)
    (r"^network: nodes must be the households 0\.\.(\d+) \(n_residents = (\d+)\)$",
     "`network`：节点必须是住户 0..{0}（n_residents = {1}）"),
    (r"^network: expected an integer edge array of shape \(m, 2\) or a networkx Graph$",
     "`network`：应为形状 (m, 2) 的整数边数组，或 `networkx` 的 `Graph`"),
    (r"^network: edge ends must be households 0\.\.(\d+) \(n_residents = (\d+)\)$",
     "`network`：边的两端必须是住户 0..{0}（n_residents = {1}）"),
    (r"^give the seed once: rng= or seed=, not both$", "随机种子只能给一次：`rng=` 或 `seed=`，不能同时给出"),
    (r"^network_file (.+?): the model does not read files; run it with consultsim\.running\.runner\.simulate, or "
     r"pass network=$", "network_file {0}：模型本身不读取文件；请用 `consultsim.running.runner.simulate` 运行，或传入 `network=`"),
    # scenario files and their chain of 'base' files (running/scenarios.py)
    (r"^(.+?): key 'base' is empty; name a scenario file or a shipped scenario$",
     "{0}：键 `base` 为空；请写出一个方案文件或内置方案的名称"),
    (r"^(.+?): base (.+?): no such file next to it \((.+?)\) and no shipped scenario of that name(.*)$",
     "{0}：`base` {1}：旁边没有这个文件（{2}），也没有这个名称的内置方案{3}"),
    (r"^(.+?): a chain of more than (\d+) files through 'base' \(the limit\)$",
     "{0}：经由 `base` 串联的文件超过 {1} 个（上限）"),
    (r"^(.+?): inheritance loop \((.+)\)$", "{0}：`base` 继承构成了循环（{1}）"),
    (r"^(.+?): no such scenario file \(base of (.+?)\)(.*)$", "{0}：没有这个方案文件（它是 {1} 的 `base`）{2}"),
    (r"^(.+?): no such scenario file(.*)$", "{0}：没有这个方案文件{1}"),
    (r"^empty scenario name: give a scenario file or a shipped name such as baseline$",
     "方案名称为空：请给出方案文件，或 baseline 这样的内置方案名称"),
    (r"^(.+?): key 'base' must be a file name string$", "{0}：键 `base` 必须是文件名字符串"),
    (r"^(.+?): unknown top-level key (.+?)(?: \(did you mean '([^']+)'\?\))?; allowed: name, description, name_zh, "
     r"description_zh, base and sections (.+)$",
     "{0}：未知的顶层键 {1}；可用：`name`、`description`、`name_zh`、`description_zh`、`base` 以及各部分 {3}"),
    (r"^(.+?): key (.+?) must be a string$", "{0}：键 {1} 必须是字符串"),
    (r"^(.+?): key 'name' is empty \(leave it out to use the file's name\)$",
     "{0}：键 `name` 为空（不写它则使用文件名）"),
    (r"^(.+?): key (.+?) is (\d+) characters long; at most (\d+)$", "{0}：键 {1} 长 {2} 个字符；最多 {3} 个"),
    (r"^(.+?): \[rules\] (.+?): unknown rule parameter(?: \(did you mean '([^']+)'\?\))?(?:; rules: (.+)|\S*)$",
     "{0}：[rules] {1}：未知的议事规则参数；规则参数有：{3}"),
    # the executors (running/executors.py, sweeps/runner.py)
    (r"^unknown executor (.+?); choose one of (.+)$", "未知的执行方式 {0}；请从 {1} 中选择"),
    (r"^--workers must be at least 1 \(got (.+)\)$", "--workers 至少为 1（收到 {0}）"),
    (r"^(\S+?)=(.+?): expected seconds in \(0, 3600\]$", "{0}={1}：应为 (0, 3600] 之间的秒数"),
    (r"^the dask executor needs dask\[distributed\] \(pip install consultsim\[sweep\]\)$",
     "dask 执行方式需要 dask[distributed]（`pip install consultsim[sweep]`）"),
    (r"^a local Dask cluster needs the cryptography package for its TLS credentials \(pip install consultsim\[sweep\]\)$",
     "本地 `Dask` 集群需要 `cryptography` 包来生成 `TLS` 凭据（`pip install consultsim[sweep]`）"),
    (r"^cannot reach the Dask scheduler at (.+?): (.+)$", "无法连接 {0} 上的 `Dask` 调度器：{1}"),
    (r"^cannot reach (.+?): no connection within (\S+) s$", "无法连接 {0}：{1} 秒内未能建立连接"),
    (r"^cannot reach (.+?): (.+)$", "无法连接 {0}：{1}"),
    (r"^the scheduler at (.+?) still has 0 workers after (\S+) s; start some \(dask worker (.+?)\) and try again$",
     "{1} 秒后 {0} 上的调度器仍没有工作进程；请先启动一些（`dask worker {2}`）再试"),
    (r"^(.+?) closed the connection without a Dask handshake \(not a Dask scheduler\?\)$",
     "{0} 未进行 `Dask` 握手就关闭了连接（不是 `Dask` 调度器？）"),
    (r"^(.+?) accepts connections but did not answer within (\S+) s \(not a Dask scheduler, or a stalled one\)$",
     "{0} 接受连接，但 {1} 秒内没有应答（不是 `Dask` 调度器，或调度器已停滞）"),
    (r"^(.+?): the connection failed \((.+)\)$", "{0}：连接失败（{1}）"),
    # running a sweep (sweeps/runner.py)
    (r"^--shard (.+?): need 1 <= K <= N$", "--shard {0}：应满足 1 <= K <= N"),
    (r"^--retry-failed continues a sweep: add --resume$", "--retry-failed 用于继续一次扫描：请加 --resume"),
    (r"^--add-replicates extends a sweep: add --resume$", "--add-replicates 用于扩展一次扫描：请加 --resume"),
    (r"^--add-metrics extends a sweep: add --resume$", "--add-metrics 用于扩展一次扫描：请加 --resume"),
    (r"^--add-replicates (\S+): expected a number >= 1$", "--add-replicates {0}：应为 >= 1 的数"),
    (r"^--add-replicates (\S+): the sweep would have ([\d,]+) replicates per sample, more than the limit of ([\d,]+)$",
     "--add-replicates {0}：扫描的每个样本将有 {1} 次重复，超过上限 {2}"),
    (r"^(.+?): no sweep to add replicates to$", "{0}：没有可以增加重复次数的扫描"),
    (r"^(.+?): its runs came from other code \((.+)\) than this \((.+)\); add --allow-mixed to mix them \(the "
     r"code_id column says which run came from which\) or choose another --out$",
     "{0}：其中的运行来自另一版代码（{1}），而不是当前代码（{2}）；加 --allow-mixed 可混合它们（`code_id` 列记录每次运行"
     "来自哪一版），或用 --out 换一个文件夹"),
    (r"^(.+?): the experiment asks for metrics its runs did not record \((.+)\); add --add-metrics to simulate the "
     r"finished runs again \(they must reproduce their recorded values\) and record them too$",
     "{0}：实验要求的指标（{1}）没有在已有运行中记录；加 --add-metrics 可重新模拟已完成的运行（必须重现其已记录的值）"
     "并一并记录这些指标"),
    (r"^--add-metrics extends every finished run: run it without --shard$",
     "--add-metrics 会扩展每一次已完成的运行：请不带 --shard 运行"),
    (r"^(.+?): run (.+?) \(seed (.+?)\) finished before but fails when simulated again \((.+)\): the model or its "
     r"inputs changed; no metric was added\. Run the experiment into a new --out instead$",
     "{0}：运行 {1}（随机种子 {2}）之前已完成，重新模拟时却失败（{3}）：模型或其输入已改变；没有添加任何指标。"
     "请把实验运行到新的 --out 文件夹"),
    (r"^(.+?): run (.+?) simulated again keeps other weeks than it recorded; no metric was added\. Run the "
     r"experiment into a new --out instead$",
     "{0}：运行 {1} 重新模拟后记录的周与原先不同；没有添加任何指标。请把实验运行到新的 --out 文件夹"),
    (r"^(.+?): run (.+?) \(seed (.+?)\) simulated again does not reproduce its recorded (.+?) at step (\d+) \((.+?) "
     r"recorded, (.+?) now\): the model or its inputs changed since it ran; no metric was added\. Keep the sweep as "
     r"it is or run the experiment into a new --out$",
     "{0}：运行 {1}（随机种子 {2}）重新模拟后没有重现第 {4} 步记录的 {3}（记录值 {5}，现在为 {6}）：模型或其输入"
     "在运行之后已改变；没有添加任何指标。请保留扫描原样，或把实验运行到新的 --out 文件夹"),
    # the one-call evaluation for calibration and EMA (running/evaluate.py)
    (r"^unknown outcome (.+?); outcomes are the metric names in consultsim\.core\.metric_names\.METRICS$",
     "未知结果 {0}；结果须是 `consultsim.core.metric_names.METRICS` 中的指标名"),
    (r"^give week or window, not both$", "请给出 `week` 或 `window`，不能同时给出"),
    (r"^seeds: (\d+) seeds for (\d+) samples$", "`seeds`：{0} 个随机种子对应 {1} 个样本（两者数目应相同）"),
    (r"^params: key (.+?): expected a parameter name$", "`params`：键 {0}：应为参数名"),
    (r"^outcomes: (.+?) is not a metric name$", "`outcomes`：{0} 不是指标名"),
    (r"^([\w-]+(?: \w+)?) = (.+?): expected (.+)$", "{0} = {1}：取值不符合要求（应为 {2}）"),
    # the calibration settings file and the worlds file (analysis/calibration.py)
    (r"^calibration settings (.+?): \[parameters\] names is empty$", "校准设置 {0}：[parameters] 的 `names` 为空"),
    (r"^calibration settings (.+?): unknown parameter (.+)$", "校准设置 {0}：未知参数 {1}"),
    (r"^calibration settings (.+?): (\S+) has no plausible range \(a lever, a fixed fact, or descriptive\), so it has "
     r"no prior to calibrate$",
     "校准设置 {0}：{1} 没有合理范围（它是措施、固定事实或描述性参数），因此没有可供校准的先验"),
    (r"^calibration settings (.+?): (\S+) has a source \((.*)\), not an assumption; calibrate only poorly known "
     r"parameters$", "校准设置 {0}：{1} 有来源（{2}），不是假设；只校准了解不足的参数"),
    (r"^calibration settings (.+?): each \[\[targets\]\] needs name, value and scale$",
     "校准设置 {0}：每个 [[targets]] 都需要 `name`、`value` 和 `scale`"),
    (r"^calibration settings (.+?): unknown statistic (.+?); choose from (.+)$",
     "校准设置 {0}：未知统计量 {1}；请从 {2} 中选择"),
    (r"^calibration settings (.+?): target (\S+) needs a positive scale$", "校准设置 {0}：目标 {1} 需要正的 `scale`"),
    (r"^calibration settings (.+?): target (\S+) has no source$", "校准设置 {0}：目标 {1} 没有注明来源"),
    (r"^calibration settings (.+?): no \[\[targets\]\]$", "校准设置 {0}：没有 [[targets]]"),
    (r"^calibration settings (.+?): unknown held-out statistic (.+)$", "校准设置 {0}：未知的留作验证的统计量 {1}"),
    (r"^calibration settings (.+?): (\S+) is both a target and held out$",
     "校准设置 {0}：{1} 不能既是目标又留作验证"),
    (r"^calibration settings (.+?): unknown setting (.+)$", "校准设置 {0}：未知设置 {1}"),
    (r"^calibration settings (.+?): households >= 10, steps >= 2, population >= 2, generations >= 1 and "
     r"max_minutes > 0 are needed$",
     "校准设置 {0}：需要 `households >= 10`、`steps >= 2`、`population >= 2`、`generations >= 1` 且 `max_minutes > 0`"),
    (r"^calibration settings (.+?): (\S+) must be a number \(got (.+)\)$", "校准设置 {0}：{1} 必须是数字（实际为 {2}）"),
    (r"^calibration settings (.+?): replicates a whole number >= 1, max_runs a whole number >= 0, min_epsilon and "
     r"initial_epsilon >= 0, and 0 <= min_acceptance < 1 are needed$",
     "校准设置 {0}：需要 `replicates` 为不小于 1 的整数、`max_runs` 为不小于 0 的整数、`min_epsilon` 与 "
     "`initial_epsilon` 不小于 0，且 `0 <= min_acceptance < 1`"),
    (r"^worlds file (.+?): not found$", "世界文件 {0}：找不到"),
    (r"^worlds file (.+?): not a Parquet file \((\w+)\)$", "世界文件 {0}：不是 `Parquet` 文件（{1}）"),
    (r"^worlds file (.+?): needs a 'weight' column and at least one row$",
     "世界文件 {0}：需要 `weight` 列和至少一行数据"),
    (r"^worlds file (.+?): 'no parameter columns' is not a parameter$", "世界文件 {0}：没有参数列"),
    (r"^worlds file (.+?): (.+?) is not a parameter$", "世界文件 {0}：{1} 不是参数"),
    (r"^worlds file (.+?): (\S+) is a lever, not a world's parameter$", "世界文件 {0}：{1} 是措施，不是描述世界的参数"),
    (r"^worlds file (.+?): weights must be non-negative numbers, not all zero$",
     "世界文件 {0}：权重必须是非负数，且不能全为零"),
    (r"^worlds file (.+?): (\S+) has values outside its allowed range (\S+) to (\S+)$",
     "世界文件 {0}：{1} 有取值超出允许范围 {2} 至 {3}"),
    # experiment files (sweeps/experiments.py)
    (r"^(.+?): key 'model' = (.+?): not a registered model; choose one of (.+) \(packages register more under the "
     r"entry-point group '(.+)'\)$",
     "{0}：键 `model` = {1}：不是已注册的模型；请从 {2} 中选择（其他软件包可在入口点组 '{3}' 下注册更多模型）"),
    (r"^(.+?): key 'model' must be a string naming a registered model$",
     "{0}：键 `model` 必须是字符串，写出一个已注册模型的名称"),
    (r"^(.+?): key 'model': cannot import (.+)$", "{0}：键 `model`：无法导入 {1}"),
    (r"^(.+?): expected an integer >= (\S+), got (.+)$", "{0}：应为 >= {1} 的整数，收到 {2}"),
    (r"^(.+?) = (.+?): more than the limit of ([\d,]+)$", "{0} = {1}：超过上限 {2}"),
    (r"^(.+?): no scenario (.+?) \(not a file next to the experiment, nor a name in (.+)\)$",
     "{0}：没有方案 {1}（实验文件旁没有这个文件，{2} 中也没有这个名称）"),
    (r"^(.+?): expected a scenario file or name, got (.+)$", "{0}：应为方案文件或方案名，收到 {1}"),
    (r"^(.+?): not a valid parameter name$", "{0}：不是有效的参数名"),
    (r"^(.+?): expected a number, string or boolean, got (.+)$", "{0}：应为数、字符串或布尔值，收到 {1}"),
    (r"^(.+?): the list of values is empty$", "{0}：取值列表为空"),
    (r"^(.+?): the list of values has duplicates$", "{0}：取值列表中有重复"),
    (r"^(.+?): unknown key (.+?) in a range; allowed: low, high, log, integer$",
     "{0}：范围中有未知的键 {1}；可用：`low`、`high`、`log`、`integer`"),
    (r"^(.+?): a range needs both 'low' and 'high'$", "{0}：范围需要同时给出 `low` 和 `high`"),
    (r"^(.+?): an? (.+?) parameter cannot take a range; give a list of values$",
     "{0}：`{1}` 类型的参数不能取范围；请给出取值列表"),
    (r"^(.+?): '(\w+)' must be a number, got (.+)$", "{0}：`{1}` 必须是数，收到 {2}"),
    (r"^(.+?): '(\w+)' must be true or false$", "{0}：`{1}` 必须是 `true` 或 `false`"),
    (r"^(.+?): range \[(\S+), (\S+)\]: low and high must be finite numbers$",
     "{0}：范围 [{1}, {2}]：`low` 和 `high` 必须是有限的数"),
    (r"^(.+?): low \((\S+)\) must be below high \((\S+)\)$", "{0}：`low`（{1}）必须小于 `high`（{2}）"),
    (r"^(.+?): range \[(\S+), (\S+)\] goes outside the allowed \[(\S+), (\S+)\]$",
     "{0}：范围 [{1}, {2}] 超出了允许的 [{3}, {4}]"),
    (r"^(.+?): an integer range needs whole-number low and high$", "{0}：整数范围的 `low` 和 `high` 必须是整数"),
    (r"^(.+?): a log range needs low > 0$", "{0}：对数范围需要 `low > 0`"),
    (r"^(.+?): empty experiment file$", "{0}：实验文件为空"),
    (r"^(.+?): unknown key (.+?) \(put parameters under \[parameters\]\); allowed: (.+)$",
     "{0}：未知的键 {1}（参数请放在 [parameters] 下）；可用：{2}"),
    (r"^(.+?): unknown key (.+?)(?: \(did you mean '(\w+)'\?\))?; allowed: (.+)$", "{0}：未知的键 {1}；可用：{3}"),
    (r"^(.+?): key 'name' = (.+?): it names the results folder, so use letters, digits, '_', '-' and '\.' \(at most "
     r"80, not starting with '\.' or containing '\.\.'\)$",
     "{0}：键 `name` = {1}：它用作结果文件夹的名称，只能使用字母、数字、'_'、'-' 和 '.'（最多 80 个字符，不能以 '.' 开头，"
     "也不能包含 '..'）"),
    (r"^(.+?): missing key 'seed' \(the master seed every run seed derives from\)$",
     "{0}：缺少键 `seed`（主随机种子，每次运行的随机种子都由它导出）"),
    (r"^(.+?): key 'seeds' must be \"common\" or \"independent\", got (.+)$",
     "{0}：键 `seeds` 必须是 `\"common\"` 或 `\"independent\"`，收到 {1}"),
    (r"^(.+?): key 'metrics' must be \"all\" or a non-empty list of metric names$",
     "{0}：键 `metrics` 必须是 `\"all\"` 或非空的指标名列表"),
    (r"^(.+?): key 'metrics' lists a metric twice$", "{0}：键 `metrics` 中有指标重复列出"),
    (r"^(.+?): key 'metrics': list the outputs of (.+?) by name$", "{0}：键 `metrics`：请逐个写出 {1} 的输出名称"),
    (r"^(.+?): key 'metrics': unknown metric (.+?) \(did you mean '(\w+)'\?\)$",
     "{0}：键 `metrics`：未知指标 {1}（是否指 '{2}'？）"),
    (r"^(.+?): key 'metrics': unknown metric (.+)$", "{0}：键 `metrics`：未知指标 {1}"),
    (r"^(.+?): missing \[sampler\] with method = (.+)$", "{0}：缺少 [sampler] 及其 `method`（可选：`{1}`）"),
    (r"^(.+?): \[sampler\] method = (.+?): choose one of (.+)$", "{0}：[sampler] `method` = {1}：请从 `{2}` 中选择"),
    (r"^(.+?): \[sampler\] (.+?): not used by (.+?); allowed: (.+)$",
     "{0}：[sampler] {1}：`{2}` 方法不使用此项；可用：{3}"),
    (r"^(.+?): \[parameters\] varies nothing \(give a list or a low/high range\)$",
     "{0}：[parameters] 没有让任何参数变化（请给出取值列表或 `low`/`high` 范围）"),
    (r"^(.+?): \[parameters\] (.+?): a range in a grid needs \[sampler\] levels \(points per range\)$",
     "{0}：[parameters] {1}：网格中的范围需要 [sampler] `levels`（每个范围取几个点）"),
    (r"^(.+?): \[parameters\]: a Sobol analysis needs at least two varied parameters$",
     "{0}：[parameters]：Sobol 分析至少需要两个变化的参数"),
    (r"^(.+?): the design has ([\d,]+) samples x (.+?) replicates = ([\d,]+) runs; more than the limit of ([\d,]+) "
     r"samples and ([\d,]+) runs$",
     "{0}：该设计有 {1} 个样本 × {2} 次重复 = {3} 次运行；超过上限（{4} 个样本、{5} 次运行）"),
    (r"^(.+?): missing \[parameters\] \(or \[levers\] and \[uncertainties\]\): what to vary$",
     "{0}：缺少 [parameters]（或 [levers] 和 [uncertainties]），即要变化哪些参数"),
    (r"^(.+?): \[(.+?)\] must be a table of parameters$", "{0}：[{1}] 必须是参数表"),
    (r"^(.+?): \[(.+?)\] (.+?): already given in another table$", "{0}：[{1}] {2}：已在另一个表中给出"),
    (r"^(.+?): lhs needs n \(the number of samples\)$", "{0}：`lhs` 需要 `n`（样本数）"),
    (r"^(.+?): sobol needs n \(the base sample size, a power of 2\)$", "{0}：sobol 需要 `n`（基础样本量，须为 2 的幂）"),
    (r"^(.+?) n = (\S+): Sobol sequences need a power of 2 \(e\.g\. (\S+)\)$",
     "{0} `n` = {1}：Sobol 序列需要 2 的幂（例如 {2}）"),
    (r"^(.+?) second_order: expected true or false$", "{0} `second_order`：应为 `true` 或 `false`"),
    (r"^(.+?): morris needs trajectories \(e\.g\. 10 to 50\)$", "{0}：morris 需要 `trajectories`（例如 10 至 50）"),
    (r"^(.+?) levels = (\S+): Morris needs an even number of levels$", "{0} `levels` = {1}：Morris 需要偶数个水平"),
]

# (English pattern, Chinese template). Order matters: the first match wins.
PATTERNS: list[tuple[str, str]] = [
    *IO_PATTERNS[:-4],
    *CLI_PATTERNS,
    *MODULE_PATTERNS,  # the generic count checks below come after the scenario and parameter lines
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
    # experiments.py: a parameter named after its file and table (after the scenario lines above)
    (r"^(.+?): unknown parameter \(did you mean '(\w+)'\?\)$", "{0}：未知参数（是否指 '{1}'？）"),
    (r"^(.+?): unknown parameter$", "{0}：未知参数"),
    (r"^(.+?) = (.+?): expected (.+)$", "{0} = {1}：取值不符合要求（应为 {2}）"),
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
    (r"^(\d+) of (\d+) criteria FAIL \(patterns (.+)\)$", "{1} 项检验标准中有 {0} 项未通过（模式 {2}）"),
    (r"^(\d+) of (\d+) scored criteria have too few records to judge \((.+)\): neither pass nor fail$",
     "{1} 项计分检验标准中有 {0} 项记录太少，无法判断（{2}）：既不算通过也不算未通过"),
    (r"^all (\d+) criteria pass \(patterns (.+)\); rows in brackets are diagnostics, not scored$",
     "全部 {0} 项检验标准通过（模式 {1}）；括号中的行为诊断信息，不计分"),
    (r"^validation of (.+?) \((.+)\): (.+), master seed (\d+)$", "验证 {0}（{1}）：{2}，主随机种子 {3}"),
    (r"^knock-outs of (.+?) \((.+)\): (.+), master seed (\d+)$", "去除机制的变体：{0}（{1}）：{2}，主随机种子 {3}"),
    (r"^the following arguments are required: (.+)$", "缺少必需的参数：{0}"),
    (r"^calibration settings (.+?): cannot read \((.+)\)$", "校准设置 {0}：无法读取（{1}）"),
    *IO_PATTERNS[-4:],
]
_COMPILED = [(re.compile(p), t) for p, t in PATTERNS]
# prefixes put before a message raised elsewhere (core/scenario.py's "override: {e}"): the rest is translated on its own
_WRAPPERS: list[tuple[str, str]] = [("override: ", "覆盖参数："), ("app settings: ", "应用设置："),
                                      ("scenario: ", "方案：")]

# Pieces that recur inside messages (what a value must be), translated wherever they appear.
FRAGMENTS: list[tuple[str, str]] = [
    (r"^calibration settings file$", "校准设置文件"),
    # where in an experiment file (sweeps/experiments.py's "where"): "exp.toml: key 'seed'", "exp.toml: [sampler]"
    (r"^(.+?): key '(\w+)'$", r"\1：键 `\2`"),
    (r"^(.+?): (\[\w+\](?: \S+)?)$", r"\1：\2"),
    (r"^a whole number \(an int\), not (\w+)$", r"整数（`int`），而不是 `\1`"),
    (r"^a whole number in 0\.\.2\*\*63-1$", "0 至 2**63-1 之间的整数"),
    (r"^(\d+)\.\.([\d,]+)$", r"\1 至 \2 之间的整数"),
    (r"^a mapping of parameter names to values$", "参数名到取值的映射（`dict`）"),
    (r"^a shipped scenario's name, a scenario file or a Scenario$", "内置方案名、方案文件或 `Scenario` 对象"),
    (r"^true or false \(or a number in \[0, 1\]\)$", "`true` 或 `false`（或 0 至 1 之间的数）"),
    (r"^at least one metric name \(or None for all\)$", "至少一个指标名（或用 `None` 表示全部）"),
    (r"^\(first, last\)$", "`(first, last)` 形式的二元组"),
    (r"^\(first, last\) with first <= last$", "`(first, last)` 形式的二元组，且 `first <= last`"),
    (r"^a non-negative integer seed, a SeedSequence or a Generator$", "非负整数种子、`SeedSequence` 或 `Generator`"),
    (r"^ \(did you mean ('[^']+')\? shipped scenarios: (.+)\)$", r"（是否指 \1？内置方案：\2）"),
    (r"^ \(shipped scenarios: (.+)\)$", r"（内置方案：\1）"),
    (r"^no lever at all$", "没有任何措施"),
    (r"^not allowed with argument (\S+)$", r"不能与参数 \1 同时使用"),  # argparse: mutually exclusive options
    (r"^expected a whole number of at most (\d+) digits$", r"应为至多 \1 位的整数"),
    (r"^a named pipe$", "命名管道"), (r"^a device$", "设备"), (r"^a socket$", "套接字"),
    (r"^not a regular file$", "不是普通文件"),
    (r"an integer in \[([\d,]+), ([\d,]+)\]", r"\1 至 \2 之间的整数"),
    (r"a number in \[([-\d.e+]+), ([-\d.e+]+)\]", r"\1 至 \2 之间的数"),
    (r"(\d+) households, (\d+) runs x (\d+) weeks", r"\1 户，\2 次运行 × \3 周"),
    (r"built-in defaults", "内置默认值"),
    (r"true or false", "true 或 false"),
    (r"^a finite number$", "有限的数"),
    (r"a port number in 1-65535", "1 至 65535 之间的端口号"),
    (r"^serial$", "串行"),
    # kinds of file (inputs.read_bytes's ``what``) and the system's reasons (strerror)
    (r"^sweep directory$", "扫描结果文件夹"),
    (r"^file$", "文件"), (r"^scenario file$", "方案文件"), (r"^experiment file$", "实验文件"),
    (r"^district file$", "街区文件"), (r"^network file$", "网络文件"), (r"^scheduler file$", "调度器文件"),
    (r"^type file$", "社区类型文件"), (r"^worlds file$", "世界文件"), (r"^settings file$", "设置文件"),
    (r"^unfinished$", "未完成"), (r"^earlier$", "之前"),
    (r"^Permission denied$", "权限不足"), (r"^No such file or directory$", "没有该文件或文件夹"),
    (r"^Read-only file system$", "只读文件系统"), (r"^No space left on device$", "磁盘空间不足"),
    (r"^File too large$", "文件过大"), (r"^Disk quota exceeded$", "超出磁盘配额"),
    (r"^Not a directory$", "不是文件夹"), (r"^Is a directory$", "是文件夹"),
    (r"^File name too long$", "文件名过长"), (r"^Too many levels of symbolic links$", "符号链接层数过多"),
    # sweeps/runner.py's _describe: which code a sweep's runs came from
    (r"^code (\S+): consultsim (\S+), (.+?), Python (\S+), Mesa (\S+), NumPy (\S+)$",
     r"代码 \1：consultsim \2，\3，`Python` \4，Mesa \5，`NumPy` \6"),
    (r"commit ([0-9a-f]+) with uncommitted changes", r"`git` 提交 \1（含未提交的改动）"),
    (r"no git commit", "没有 `git` 提交"), (r"(?<![\w`])commit ([0-9a-f]{4,})", r"`git` 提交 \1"),
    (r"^Connection refused$", "连接被拒绝"), (r"^Connection reset by peer$", "连接被对方重置"),
    (r"^Network is unreachable$", "网络不可达"), (r"^No route to host$", "没有通往该主机的路由"),
    (r"^Name or service not known$", "无法解析该主机名"),
    (r"^process$", "多进程"),
    (r"^dask$", "Dask 集群"),
    (r"a whole number", "整数"),
    (r"a string", "文字"),
    (r"^(\S+?): must be at least (\d+)$", r"\1：至少为 \2"),
    (r"^must be at least (\S+)$", r"至少为 \1"),
    (r"^more than the limit of ([\d,]+)(?: .*)?$", r"超过上限 \1"),
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
    "cmd.rob.oat_head": ("| parameter | change | outcome | baseline | changed | relative change of outcome (95% interval) | "
                         "ratio | clear |", "| 参数 | 改变 | 结果指标 | 基线 | 改变后 | 结果的相对变化（95% 区间） | 比值 | 明确 |"),
    "cmd.yes": ("yes", "是"), "cmd.no": ("no", "否"), "cmd.none_row": ("(none)", "（无）"),
    "cmd.rob.oat_summary": (
        "{flagged} of {total} changes (parameter x direction x headline outcome; {n_par} parameters) move an outcome "
        "by more than {limit:g} times the parameter's relative change; {clear} do so clearly (the whole 95% interval "
        "beyond).", "{total} 个改变（参数 × 方向 × 主要结果；共 {n_par} 个参数）中有 {flagged} 个使结果的变化超过参数相对变化"
                    "的 {limit:g} 倍；其中 {clear} 个明确如此（整个 95% 区间都超出）。"),
    "cmd.rob.oat_fallback": ("note: {n} parameters have no plausible range yet", "注意：{n} 个参数尚无合理范围"),
    "cmd.rob.oat_done": ("{n_par} parameters x 2 x {seeds} seeds in {s:.0f} s; wrote {csv}",
                         "{n_par} 个参数 × 2 × {seeds} 个随机种子，用时 {s:.0f} 秒；已写入 {csv}"),
    "cmd.rob.st_plan": ("{levers} levers x {structures} structures x {seeds} seeds, {households} households, {steps} "
                        "weeks ({runs} runs)", "{levers} 项措施 × {structures} 种结构 × {seeds} 个随机种子，{households} 户，"
                                               "{steps} 周（共 {runs} 次运行）"),
    "cmd.rob.st_title": ("Lever effects under {structures} structures ({seeds} seeds, {households:,} households, {steps} "
                         "weeks; x: clear sign flips against the default)",
                         "{structures} 种结构下的措施效果（{seeds} 个随机种子，{households:,} 户，{steps} 周；"
                         "x：与默认结构相比明确的方向反转）"),
    "cmd.rob.st_head": ("| structure | source | {cols} |", "| 结构 | 来源 | {cols} |"),
    "cmd.rob.st_col": ("tau: {metric} (first)", "τ：{metric}（排第一）"),
    "cmd.rob.st_flips_intro": ("Effects whose clear sign (95% interval excluding zero) under the default structure "
                               "flips or is lost under another:",
                               "在默认结构下方向明确（95% 区间不含零）、在其他结构下反转或不再明确的效果："),
    "cmd.rob.st_flips_head": ("| lever | outcome | structure | default effect | effect here (95% interval) | change |",
                              "| 措施 | 结果指标 | 结构 | 默认结构下的效果 | 此结构下的效果（95% 区间） | 变化 |"),
    "cmd.rob.flips": ("flips", "反转"), "cmd.rob.no_longer": ("no longer clear", "不再明确"),
    "cmd.rob.st_done": ("{ran} runs of all arms in {s:.0f} s; wrote {csv}, {png}",
                        "所有组共 {ran} 次运行，用时 {s:.0f} 秒；已写入 {csv}、{png}"),
    "struct.default": ("the model as built (docs/ODD.md): bounded-confidence meetings (Hegselmann & Krause 2002), linear complaints, trust judging preference and procedure (Tyler 1990)", "当前模型（docs/ODD.md）：有信任边界的会议（Hegselmann & Krause 2002），线性的投诉，"
                           "信任同时看结果与程序（Tyler 1990）"),
    "struct.friedkin_johnsen": ("meetings without a confidence bound: voice-weighted averaging with anchoring (DeGroot 1974; Friedkin & Johnsen 1990, 1999)", "没有信任边界的会议：按发言权重平均并锚定自身立场（DeGroot 1974；Friedkin & Johnsen "
                                    "1990, 1999）"),
    "struct.deffuant": ("meetings in random pairs within the bound (Deffuant, Neau, Amblard & Weisbuch 2000)", "会议中在边界内随机两两交流（Deffuant, Neau, Amblard & Weisbuch 2000）"),
    "struct.saturating_complaints": ("hotline calls about one outcome level off with the audience (repeat callers); assumption", "同一结果引起的热线来电随知情人数增多而趋于饱和（重复来电者）；假设"),
    "struct.outcomes_only_trust": ("trust learns only whether one's preference won, not whether one was heard (the instrumental alternative to Tyler 1990)", "信任只看自己的偏好是否胜出，不看是否被倾听（Tyler 1990 的工具性替代）"),
    "cmd.up": ("up", "上升"), "cmd.down": ("down", "下降"),
    # validate: the criteria table (one line per criterion of consultsim.analysis.validation.CRITERIA)
    "val.head": ("pattern|criterion|band|measured [95% interval]|runs in band|result",
                 "模式|检验标准|合格范围|测得值 [95% 区间]|落在范围内的运行|结果"),
    "val.pass": ("pass", "通过"), "val.fail": ("FAIL", "未通过"),
    "val.holds": ("(holds)", "（成立）"), "val.not_holds": ("(does not hold)", "（不成立）"),
    "val.too_few": ("too few records to judge", "记录太少，无法判断"),
    "val.to": ("to", "至"),
    "val.interval_note": (" (95% interval)", "（须整个 95% 区间在内）"),
    "val.knock_head": ("variant|result|fails", "变体|结果|未通过的标准"),
    "val.ref_pass": ("pass (as it must)", "通过（理应如此）"), "val.ref_fail": ("FAIL (must pass)", "未通过（理应通过）"),
    "val.rejected": ("rejected (as it must)", "被否定（理应如此）"),
    "val.accepted": ("ACCEPTED (must be rejected)", "被接受（理应被否定）"),
    "val.list_lever": (" [acts only through the lever {lever}]", "［仅通过措施 {lever} 起作用］"),
    "val.list_unseen": (" [validation cannot see it yet]", "［验证目前还看不到它］"),
    "val.list_structure": (" [acts only in a community with {structure}]", "［仅在具有 {structure} 的社区中起作用］"),
    "val.ko_all": ("{base} passes every criterion and all {n} knock-outs are rejected",
                   "{base} 通过全部检验标准，{n} 个去除机制的变体全部被否定"),
    "val.ko_not": ("validation does not discriminate: {problems}", "检验未能区分：{problems}"),
    "val.ko_base_fails": ("{base} fails", "{base} 未通过"),
    "val.ko_accepted": ("{name} passes every criterion", "{name} 通过了全部标准"),
    "val.ko_unseen": ("{k} of {n} knock-outs pass every criterion, as the registry's UNSEEN list states: {names}",
                      "{n} 个变体中有 {k} 个通过了全部标准，与机制登记表的 UNSEEN 清单所列一致：{names}"),
    "crit.meetings_postponed": ("convened meetings postponed for want of participants (below the quorum)",
                                "因到会人数不足法定人数而延期的已召集会议"),
    "crit.attendance_by_invitation": ("odds ratio of attending, invited by a building leader vs not, among "
                                      "households on a leader's list (within strata of how many leaders list them)",
                                      "出席优势比：在楼门长名单上的住户中，受邀与未受邀相比（按被几位楼门长列入分层）"),
    "crit.attendance_by_invitation_informed": ("odds ratio of attending, invited by a building leader vs not, among "
                                               "households on a leader's list who knew of the meeting (survey; within "
                                               "strata of how many leaders list them)",
                                               "出席优势比：在楼门长名单上且知道会议的住户中（调查），受邀与未受邀相比"
                                               "（按被几位楼门长列入分层）"),
    "crit.implementation_by_support": ("diagnostic: implemented share of agreed resolutions adopted by at least two "
                                       "thirds of those present minus that of resolutions adopted more narrowly, end "
                                       "of horizon (not scored)",
                                       "以到会者三分之二以上赞成通过的决议的落实比例减去以较小多数通过的决议的落实比例"
                                       "（期末；诊断项，不计分）"),
    "crit.informed_shift": ("movement of attendees' mean opinion toward the well-informed position over a topic's "
                            "first meeting (pre/post questionnaire x experts' briefing; 0-1 scale)",
                            "议题首次会议前后到会者平均意见向充分知情立场的移动（前后问卷 × 专家说明材料；0-1 量表）"),
    "crit.attendance_after_invitation": ("odds ratio of attending, invited to the previous community-wide meeting "
                                         "vs not, among households on a leader's list (diagnostic, not scored)",
                                         "出席优势比：在楼门长名单上的住户中，上次全体会议受邀与未受邀相比（诊断项，不计分）"),
    "crit.vote_return_by_concern": ("odds ratio of returning a written vote, owners much vs hardly concerned by "
                                    "the matter, among owners who did not attend its meetings (within age groups)",
                                    "交回书面表决票的优势比：未到会业主中，事项关切程度高与低者相比（按年龄组分层）"),
    "crit.complaints_heard_odds": ("odds ratio of calling 12345, heard (attended or voted) vs not, among informed "
                                   "households whose side lost on a matter that concerns them a lot",
                                   "拨打 12345 的优势比：事项与己关系大且己方意见落败的知情住户中，被倾听（到会或投票）与未被倾听者相比"),
    # issue 17: the publicity board (公示栏) x the 12345 log
    "crit.complaints_published_odds": ("diagnostic: odds ratio of calling 12345, outcome posted on the publicity "
                                       "board with its reasons vs not, among informed households not heard on the "
                                       "matter whose side lost on it and whom it concerns a lot (within outcome "
                                       "classes and age groups; not scored)",
                                       "拨打 12345 的优势比：未被倾听、事项与己关系大且己方意见落败的知情住户中，结果连同理由"
                                       "在公示栏公示与未公示相比（按结果类别和年龄组分层；诊断项，不计分）"),
    "crit.procedure_completion": ("agenda topics decided on schedule, end of horizon", "按期议决的议程议题，模拟期末"),
    "crit.agreed_share": ("settled topics that end in an agreed resolution", "已了结议题中形成一致决议的比例"),
    "crit.majority_held_back": ("meetings ending without a decision although most attendees were in favour", "多数到会者赞成却未作出决定的会议"),
    "crit.participation_rate": ("highest 12-week participation in year 2 (share of households)", "第二年中 12 周内参与的最高户数占比"),
    "crit.resident_proposed_share": ("topics proposed by residents, end of horizon", "由居民提出的议题，模拟期末"),
    "crit.attendance_by_concern": ("odds ratio of attending, households much vs hardly concerned by the topic (within age groups)", "参会优势比：与议题关系大与关系小的住户（同年龄组内）"),
    "crit.attendance_by_civic_duty": ("odds ratio of attending, top vs bottom third of civic duty (wave-1 survey, within age groups)", "参会优势比：公民责任感最高与最低三分之一（第一轮问卷，同年龄组内）"),
    "crit.attendance_by_skills": ("odds ratio of attending, top vs bottom third of civic skills (wave-1 survey, within age groups)", "参会优势比：参与能力最高与最低三分之一（第一轮问卷，同年龄组内）"),
    "crit.attendance_by_trust": ("odds ratio of attending, top vs bottom third of trust in the committee (wave-1 survey)", "参会优势比：对居委会信任最高与最低三分之一（第一轮问卷）"),
    "crit.building_clustering": ("dispersion of attendance across buildings on community-wide topics (1 = independent)", "全社区议题上各楼栋参会的离散程度（1 = 相互独立）"),
    "crit.pm_presence": ("quorate meetings the property manager attended", "物业出席的达到法定人数的会议"),
    "crit.elderly_overrepresentation": ("elderly share of attendees / elderly share of households in scope", "到会者中老年人占比 / 涉及住户中老年人占比"),
    "crit.young_old_ratio": ("young-to-elderly attendance per household", "青年与老年每户参会之比"),
    "crit.implementation_rate": ("agreed resolutions implemented, end of horizon", "已落实的一致决议，模拟期末"),
    "crit.stalled_share": ("resolutions stalled past their deadline, end of horizon", "超期停滞的决议，模拟期末"),
    "crit.retrofits_unfunded": ("diagnostic: agreed elevator retrofits that could not raise owners' contributions (not scored)", "诊断：已议定但未能筹集业主出资的加装电梯（不计分）"),
    "crit.voice_concentration": ("speaking time of the top 10% of attendees (meeting minutes/recordings, year 2)", "发言最多的 10% 到会者所占发言时间（会议记录/录音，第二年）"),
    "crit.opinion_spread_ratio": ("spread of attendees' opinions after a topic's first meeting / before it (pre/post questionnaire)", "议题首次会议后到会者意见的分散程度 / 会前（前后问卷）"),
    "crit.agreement_by_rule": ("agreed share of topics decided by a show of hands minus that of owners'-vote topics", "举手表决议题的一致比例减去业主投票议题的一致比例"),
    "crit.owners_turnout": ("owners returning a written vote, over the owners' votes held", "交回书面表决票的业主占已举行业主投票的比例"),
    "crit.complex_failure_gap": ("failure rate of complex minus simple topics (split at median complexity)", "复杂议题与简单议题失败率之差（按复杂度中位数划分）"),
    "crit.complex_failure_gap_same_rule": ("diagnostic: the cross-type gap among topics decided by a show of hands (not scored)", "诊断：举手表决议题中的复杂/简单差距（不计分）"),
    "crit.trust_change": ("change in trust in the committee over the horizon (0-1 scale)", "模拟期内对居委会信任的变化（0–1 量表）"),
    "crit.efficacy_change": ("change in residents' efficacy over the horizon (0-1 scale)", "模拟期内居民效能感的变化（0–1 量表）"),
    "crit.trust_after_stalls": ("trust change among households who learn that an agreed resolution stalled (panel)", "得知一致决议停滞的住户的信任变化（追踪调查）"),
    "crit.trust_heard_vs_unheard": ("trust change of households heard on a topic minus those who only learned its outcome (panel)", "在议题上发过言的住户与只得知结果的住户的信任变化之差（追踪调查）"),
    "crit.complaints_per_1000": ("12345 calls about consultation outcomes per 1,000 households a year", "每千户每年关于协商结果的 12345 热线来电"),
    # issue 17
    "crit.elevator_approval_by_floor": ("diagnostic: approval of an elevator retrofit in the owners' written votes, "
                                        "floors 3 and up minus floors 1-2 (vote records by flat; not scored)",
                                        "诊断：业主书面表决中加装电梯的赞成率，三层及以上减去一、二层（按户号的表决记录；不计分）"),
    "crit.complaints_heard_ratio": ("12345 calls per informed household: attendees over those who only learned the outcome", "每户知情者的 12345 来电：到会者与只得知结果者之比"),
    "crit.civic_after_success": ("change in households' commitment to taking part over the announcement of an implemented resolution minus that over the announcement of a stalled one, among those in scope who learned it (panel)", "得知决议已落实的住户与得知决议停滞的住户在公布前后参与意愿（对社区协商的投入）变化之差（追踪调查）"),  # issue 17
    # issue 17
    "crit.skills_gain_attended": ("change in civic skills from the wave-1 survey to the end of the study, households who "
                                  "signed in to a topic's meetings minus those in its scope who did not (panel; 0-1 scale)",
                                  "从第一轮问卷到研究结束的参与能力变化：签到参加议题会议的住户减去议题范围内未参加的住户（追踪调查；0–1 量表）"),
    # plot-sweep figures
    "cmd.plot.failed_left": ("; {n} failed runs left out", "；{n} 次失败的运行未计入"),
    "cmd.plot.how_two": ("mean and 95% band across replicates", "各次重复的均值和 95% 区间"),
    "cmd.plot.how_grid": ("mean over all other settings, 95% band", "其他设置上的均值，95% 区间"),
    "cmd.plot.how_bins": ("mean in 10 bins of the parameter, 95% band; dots: samples",
                          "按参数分成 10 段的均值，95% 区间；点：各样本"),
    "cmd.plot.dropped": ("; {n} of {total} runs left out: {what} undefined in them (e.g. no participants)",
                         "；{total} 次运行中有 {n} 次未计入：其中{what}无定义（例如没有人参加）"),
    "cmd.plot.title": ("{metric}, week {steps}; N = {n} runs ({reps} replicates per setting)",
                       "{metric}，第 {steps} 周；N = {n} 次运行（每种设置重复 {reps} 次）"),
    "cmd.plot.heat_title": ("Mean outcome at week {steps} over the {px} x {py} grid{left}",
                            "第 {steps} 周在 {px} × {py} 网格上的平均结果{left}"),
    # discover figures
    "fig.prim.reported": ("box reported", "报告的范围"), "fig.prim.density": ("density {d:g}", "密度 {d:g}"),
    "fig.prim.restricted": ("parameters restricted", "受限参数个数"),
    "fig.prim.coverage_axis": ("coverage (share of the target runs inside the box)", "覆盖率（达到目标的运行中落在范围内的比例）"),
    "fig.prim.density_axis": ("density (share of the box's runs on target)", "密度（范围内的运行中达到目标的比例）"),
    "fig.prim.trajectory": ("PRIM peeling trajectory, outcomes at {when}; target: {target}",
                            "PRIM 剥离轨迹，结果取{when}；目标：{target}"),
    "fig.prim.box": ("PRIM box for: {target}\ncoverage {coverage:.2f}, density {density:.2f}; dark blue: restricted, "
                     "grey: sampled range", "PRIM 范围，目标：{target}\n覆盖率 {coverage:.2f}，密度 {density:.2f}；"
                                            "深蓝：受限，灰色：抽样范围"),
    # sensitivity figure
    "fig.sens.S1": ("first-order (S1)", "一阶指数 (S1)"), "fig.sens.ST": ("total (ST)", "总效应指数 (ST)"),
    "fig.sens.mu_star": ("mean |effect| (mu*)", "平均绝对效应 (μ*)"),
    "fig.sens.sigma": ("spread of effects (sigma)", "效应的离散程度 (σ)"),
    "fig.sens.undefined": ("not analysable: undefined in some samples\n(e.g. a share of attendees when nobody attended)",
                           "无法分析：部分样本中无定义\n（例如无人参会时的到会者占比）"),
    "fig.sens.variance": ("share of outcome variance", "占结果方差的比例"),
    "fig.sens.change": ("change over the parameter's range", "在参数范围内的变化"),
    "fig.sens.sobol": ("Sobol indices", "Sobol 指数"), "fig.sens.morris": ("Morris screening", "Morris 筛选"),
    "fig.sens.given": ("first-order indices from given data (RBD-FAST; [constraints])",
                       "由给定数据估计的一阶指数（RBD-FAST；[constraints]）"),
    "fig.sens.whiskers": ("(whiskers: 95% confidence)", "（误差线：95% 置信区间）"),
    "fig.sens.title": ("{name}; N = {n:,} samples x {reps} replicates; {when}",
                       "{name}；N = {n:,} 个样本 × {reps} 次重复；{when}"),
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
    # calibrate: progress lines (stderr) and calibration.md
    "cal.start": ("{params} parameters, {targets} targets, {households:,} households, {steps} weeks, {population} "
                  "particles x {generations} generations on {workers} workers{dask}",
                  "{params} 个参数，{targets} 个目标，{households:,} 户，{steps} 周，每代 {population} 个粒子 × "
                  "{generations} 代，{workers} 个工作进程{dask}"),
    "cal.dask": (" (Dask)", "（Dask 集群）"),
    "cal.starting": ("starting {done} generation(s); {remaining} to go", "开始：已完成 {done} 代；还有 {remaining} 代"),
    "cal.continuing": ("continuing after {done} generation(s); {remaining} to go",
                       "在已完成的 {done} 代之后继续；还有 {remaining} 代"),
    "cal.done": ("{generations} generation(s), {simulations} simulations, {seconds:.0f} s; wrote {files}",
                 "{generations} 代，{simulations} 次模拟，用时 {seconds:.0f} 秒；已写入 {files}"),
    "cal.title": ("# Calibration (ABC-SMC){quick}", "# 校准（ABC-SMC）{quick}"),
    "cal.quick": (" — quick", " — 快速版"),
    "cal.intro": ("ABC-SMC (Toni et al. 2009) with pyABC (Klinger et al. 2018): {params} parameters, {targets} targets, "
                  "{households:,} households, {steps} weeks, {population} particles per generation; {gens} "
                  "generation(s), {sims:,} simulations ",
                  "用 pyABC（Klinger et al. 2018）做 ABC-SMC（Toni et al. 2009）：{params} 个参数，{targets} 个目标，"
                  "{households:,} 户，{steps} 周，每代 {population} 个粒子；共 {gens} 代，{sims:,} 次模拟，"),
    "cal.intro_time": ("in {seconds:.0f} s on {workers} worker(s) ({per:.2f} worker-seconds per simulation, with the "
                       "sampler's overhead)", "在 {workers} 个工作进程上用时 {seconds:.0f} 秒（每次模拟 {per:.2f} "
                                              "进程秒，含抽样器的开销）"),
    "cal.intro_resumed": ("(this call continued after generation {last} and took {seconds:.0f} s on {workers} "
                          "worker(s))", "（本次在第 {last} 代之后继续，在 {workers} 个工作进程上用时 {seconds:.0f} 秒）"),
    "cal.settings": (". Settings: `{path}`.", "。设置：`{path}`。"),
    "cal.replicates": ("(each the mean of {k} runs: {runs:,} model runs) ", "（每次取 {k} 次运行的均值：共 {runs:,} 次模型运行）"),
    "cal.stopped.generations": ("Stopped after the {generations} generations asked.", "已完成所设的 {generations} 代后停止。"),
    "cal.stopped.min_epsilon": ("Stopped when epsilon reached {min_epsilon:g} (min_epsilon: inside the bands).",
                                "容差降到 {min_epsilon:g} 时停止（min_epsilon：落在各范围之内）。"),
    "cal.stopped.min_acceptance": ("Stopped when the acceptance rate fell below {min_acceptance:.0%} (min_acceptance).",
                                   "接受率低于 {min_acceptance:.0%} 时停止（min_acceptance）。"),
    "cal.stopped.max_runs": ("Stopped at the budget of {max_runs:,} model runs (max_runs).",
                             "达到 {max_runs:,} 次模型运行的预算时停止（max_runs）。"),
    "cal.stopped.max_minutes": ("Stopped at the wall-time limit of {max_minutes:g} minutes (max_minutes); continue with "
                                "--resume.", "达到 {max_minutes:g} 分钟的时限时停止（max_minutes）；可用 --resume 继续。"),
    "cal.targets": ("## Targets (fitted)", "## 目标（用于拟合）"),
    "cal.targets_head": ("| statistic | what it is | target | scale | source |", "| 统计量 | 含义 | 目标值 | 尺度 | 来源 |"),
    "cal.held_out": ("## Held out for validation (not fitted)", "## 留作验证（不参与拟合）"),
    "cal.schedule": ("## Epsilon schedule and effective sample size", "## 容差（epsilon）序列与有效样本量"),
    "cal.schedule_head": ("| generation | epsilon | particles | simulations | acceptance rate | ESS |",
                          "| 代 | 容差 | 粒子数 | 模拟次数 | 接受率 | 有效样本量 |"),
    "cal.posterior": ("## Posterior vs prior", "## 后验与先验"),
    "cal.width_note": ("Width = posterior sd / prior sd (uniform prior over the plausible range); below {constrained:g} "
                       "the targets constrain the parameter, otherwise it stays at (near) its prior. With an effective "
                       "sample below {min_ess} particles (the last generation's: {ess:.1f}) the width is not measured "
                       "well enough to say either.",
                       "宽度 = 后验标准差 / 先验标准差（先验为合理范围上的均匀分布）；低于 {constrained:g} 表示目标约束了该参数，"
                       "否则它停留在（接近）先验。有效样本少于 {min_ess} 个粒子时（最后一代为 {ess:.1f}），宽度测得不够准，"
                       "两者都无法断定。"),
    "cal.params_head": ("| parameter | prior | default | posterior mean | 90% interval | width | verdict |",
                        "| 参数 | 先验 | 默认值 | 后验均值 | 90% 区间 | 宽度 | 结论 |"),
    "cal.to": ("to", "至"),
    "cal.figure": ("posterior vs prior", "后验与先验"),
    "cal.check": ("## Posterior predictive check", "## 后验预测检验"),
    "cal.check_note": ("Runs in worlds drawn from the posterior by weight; the held-out patterns were not fitted.",
                       "在按权重从后验抽取的世界中运行；留作验证的模式未参与拟合。"),
    "cal.check_head": ("| statistic | role | target (band) | mean | 5-95% of runs |",
                       "| 统计量 | 角色 | 目标值（范围） | 均值 | 运行的 5%-95% |"),
    "cal.role.target": ("target", "目标"), "cal.role.held out": ("held out", "留作验证"),
    "cal.verdict.constrained": ("constrained", "受到约束"),
    "cal.verdict.stays at its prior": ("stays at its prior", "停留在先验"),
    "cal.verdict.undetermined (ESS too low)": ("undetermined (ESS too low)", "无法断定（有效样本量太小）"),
    "cal.stat.participation_share": ("highest share of households that took part in a 12-week window, year 2",
                                     "第二年中 12 周内参与的最高户数占比"),
    "cal.stat.decided_share": ("agenda topics decided on schedule, end of the horizon", "按期议决的议程议题，模拟期末"),
    "cal.stat.agreed_share": ("settled topics that ended in an agreed resolution", "已了结议题中形成一致决议的比例"),
    "cal.stat.implemented_share": ("agreed resolutions implemented, end of the horizon", "已落实的一致决议，模拟期末"),
    "cal.stat.young_old_ratio": ("attendance per resident, young (18-39) over elderly (60+), year 2",
                                 "每位居民的参会：青年（18-39 岁）与老年（60 岁以上）之比，第二年"),
    "cal.stat.voice_concentration": ("speaking weight of the top 10% of attendees, year 2 meetings",
                                     "发言最多的 10% 到会者所占发言分量，第二年的会议"),
    "cal.stat.resident_proposed_share": ("topics proposed by residents themselves", "由居民自己提出的议题"),
    "cal.stat.stalled_share": ("agreed resolutions stalled past their deadline", "超期停滞的一致决议"),
    "cal.stat.trust_change": ("change of trust in the committee over the horizon (survey, 0-1 scale)",
                              "模拟期内对居委会信任的变化（问卷，0–1 量表）"),
    "cal.stat.complaints_per_1000": ("12345 calls per 1,000 households a year", "每千户每年的 12345 热线来电"),
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
    for prefix, zh in _WRAPPERS:  # a message raised elsewhere, with where it came from put before it
        if text.startswith(prefix):
            return zh + translate_message(text[len(prefix):], lang)
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


# What each mechanism of the registry (consultsim/core/mechanisms.py) does, in Chinese: one entry per registered
# name (tests/test_i18n_messages.py checks that every registered mechanism has one, and no stale entry is left).
# Authors' names in a citation and parameter identifiers stay as written.
MECHANISM_ZH: dict[str, str] = {
    "resident_proposing": "强烈感到某个问题的居民可能提出议题",
    "committee_agenda_setting": "居委会加入自己的任务，并接手无人提出的问题",
    "reproposal": "未筹到资金的加装电梯，支持者日后会再次提出",
    "agenda_priority": "居委会按紧迫程度、职责要求和等待时间排列待议事项",
    "selective_information": "只有部分住户得知会议（通知、楼门长）",
    "leader_invitations": "楼门长邀请邻居参会",
    "attendance_by_stake": "参会随利害关系与效能感之积上升",
    "attendance_by_civic_duty": "参会随公民责任感上升",
    "attendance_by_skills": "参会随参与能力上升",
    "attendance_by_invitation": "当面邀请提高参会",
    "attendance_by_neighbours": "参会随邻居中参会者的比例上升",
    "attendance_time_cost": "参会要花时间，空闲时间少的人代价更高",
    "attendance_by_trust": "参会随对居委会的信任上升",
    "salience_decay": "事项等待开会期间，人们对它的关注逐渐减弱",
    "quorum": "未达法定人数的会议延期，多次延期后失败",
    "attendance_incentive": "参会积分提高参会，但挤出公民责任感",
    "online_channel": "线上通知能送达上网的住户，并降低其时间成本",
    "social_worker_outreach": "社工邀请居民参会，并上门征集业主表决票",
    "unequal_voice": "发言分量随参与能力增大",
    "bounded_confidence": "到会者向信任边界内的观点靠拢",
    "informed_pull": "能力强的到会者向掌握信息者的立场靠拢",
    "anchoring": "到会者锚定自身利益（Friedkin & Johnsen 1990 的模型）",
    "complexity": "复杂议题降低实际参与能力，并收窄信任边界",
    "committee_facilitation": "居委会的主持使发言更均衡，并放宽信任边界",
    "property_manager_in_meetings": "物业出席部分会议并陈述其立场",
    "facilitation_training": "受过培训的居委会工作人员主持得更好",
    "social_worker_facilitation": "社工参与主持",
    "owners_vote_canvass": "上门收集业主书面表决票",
    "vote_return_by_stake": "与事项关系大的业主更常交回表决票",
    "implementation_effort": "落实方逐步积累完成工作所需的投入",
    "resident_pressure": "决议得到广泛支持会提高落实方的投入",
    "escalation": "超过软期限后投入加大",
    "abandonment": "进行中的任务可能被放弃，超期越久越常见",
    "owners_contributions": "只有足够多的业主出资，加装电梯才会开工（有条件合作）",
    "supervision": "监督提高落实方的投入并惩处搭便车者",
    "pm_commitment": "参与协商并已同意的物业工作更努力",
    "performance_contract": "绩效合同降低物业对成本的厌恶",
    "learning_from_outcomes": "信任和效能感从结果中学习",
    "procedural_justice": "评判结果时，被倾听本身也算数，无论哪一方胜出",
    "hearing_through_neighbours": "到会者的邻居得知结果",
    "publication_as_voice": "公开决定并说明理由，算作倾听的一部分",
    "complaints": "事项与己关系大且己方意见落败者拨打 12345",
    "heard_acceptance": "被倾听使人更容易接受落败：投诉更少",
    "social_worker_mediation": "社工调解投诉并恢复部分信任",
    "capacity_from_attending": "参会提高参与能力",
    "civic_from_success": "得到落实的结果提高得知者的公民责任感",
    "drift_to_initial": "信任和效能感向长期水平回落，公民责任感和参与能力回到初始水平",
    "training": "培训提高受训者的参与能力",
    "awareness_campaign": "宣传活动提高公民责任感",
    "committee_time_budget": "居委会工作人员完成行政事务后剩余的工时，用于议事周期、会议、上门收集表决票和跟进自己承担的工作；"
                             "首先让路的是跟进",
    "facilitation_by_the_hour": "社工带领的分组讨论，其主持质量取决于本周期主持工时按组员平均的多少",
    "one_group_per_facilitator": "会议的各小组同时讨论，所以一名社工最多带领 sw_groups_per_worker 个小组（协商民意测验：每组一名主持人）",
    "vote_campaign": "在投票率缺口和收票人工时都还有余量时，上门收集业主表决票；业主签字与否各不相同",
    "consensus_gate": "会议须先达成一致，才适用表决规则",
    "oversight_capacity": "监督委员会同时最多跟进物业的 supervision × oversight_cases 项工作（仅在监督措施开启时起作用）",
    "attendance_habit": "参会提高再次参会的可能；令人失望的结果削弱这一习惯（Gerber, Green & Shachar 2003；"
                        "Bendor, Diermeier & Ting 2003）",
    "trust_running_tally": "信任和效能感回落到随经历而变的长期水平，而不是初始值（Fiorina 1981；Slovic 1993）",
    "committee_experience": "居委会的主持经验随所开会议增长，随人员更替减退",
    "committee_elections": "每五年换届选举一次，更替的成员带走居委会的部分经验（《城市居民委员会组织法》，2018 年）",
    "elevator_payments_in_stakes": "三层及以上的业主把自己承担的电梯费用（扣除政府补贴）与其价值相权衡",
    "elevator_floor_shares": "楼层越高，分摊的电梯费用越多（北京市 2022 年指导标准）",
    "elevator_compensation": "出资业主从净收益中补偿一、二层业主",
    "proposal_skill": "能力强的起草人写出的提案让范围内的每个人都多受益一些",
    "online_selectivity": "线上渠道节省的时间主要流向本已积极参与的人（Schlozman, Verba & Brady 2010）",
    "online_presence": "线上参会者被倾听得更少，也较少跟进",
    "owners_committee_votes": "业主委员会召集业主表决，其成员在动用居委会工时之前先上门收集书面表决票（《民法典》第 277-278 条）",
    "owners_committee_negotiation": "业主委员会督促物业完成其应做的工作",
    "hotline_pressure": "街道按上一年的 12345 投诉对各社区排名，督促排名靠前的居委会更努力地完成自己承担的工作（接诉即办）",
}


def mechanism_description(mechanism, lang: str = "en") -> str:
    """What a registered mechanism (core.mechanisms.Mechanism) does, in ``lang``."""
    if lang == "zh":
        return MECHANISM_ZH.get(mechanism.name, mechanism.description)
    return mechanism.description
