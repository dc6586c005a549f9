"""Attack every command with bad input and with unusual-but-valid input; print the outcome table (issue 12).

Bad inputs: the named cases of ``tests/test_fuzz_inputs.py`` (every command, merge included) and,
generated here, three wrong values for every parameter (text that looks like the right value, the
wrong kind, out of range) in a scenario file for ``run`` and in an experiment file for ``sweep``.
Each is classified:

- clean: exit 2, one line on stderr naming the field/option/file, no traceback, nothing written;
- unclear: as clean, but the line does not name what the case expected it to name;
- traceback, accepted silently (exit 0), written (anything under the working folder changed), hang
  (no answer within 60 s).

Unusual-but-valid inputs (a byte-order mark, Chinese names, a base naming a shipped scenario,
--force over an earlier output...) must succeed. Faults (kill -9, a full disk, two writers) are
in tests/test_faults.py and tests/test_faults_*.py; the case tables of
tests/test_faults_inputs.py (every file a command reads x every bad file, every number option x
every bad number) and tests/test_faults_outputs.py (every writing command x every folder fault)
run here too, each in a fresh folder (issue 21).

Usage: ``PYTHONPATH=. .venv/bin/python benchmarks/attack_inputs.py``.
"""

from __future__ import annotations

import contextlib
import importlib.util
import io
import json
import os
import shutil
import signal
import sys
import tempfile
from collections import Counter, defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))  # the fault suites' shared snippets (tests/fault_snippets.py)


def _fuzz_module():
    spec = importlib.util.spec_from_file_location("fuzz", REPO / "tests" / "test_fuzz_inputs.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


class Hang(Exception):
    pass


def _alarm(signum, frame):
    raise Hang()


def call(entry, argv, timeout=60):
    err, out = io.StringIO(), io.StringIO()
    signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(timeout)
    try:
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(out):
            try:
                code = entry(argv)
            except SystemExit as e:
                code = e.code if isinstance(e.code, int) else 2
            except Hang:
                raise
            except BaseException as e:  # noqa: BLE001 - an escaped exception is what we count
                import traceback
                traceback.print_exc()
                code = f"raised {type(e).__name__}"
    except Hang:
        return "hang", err.getvalue()
    finally:
        signal.alarm(0)
    return code, err.getvalue()


def classify(entry, argv, root, fragment, snapshot):
    before = snapshot(root)
    code, err = call(entry, argv)
    lines = [x for x in err.splitlines() if x.strip()]
    if code == "hang":
        return "hang", err
    if "Traceback" in err or not isinstance(code, int):
        return "traceback", err
    if code == 0:
        return "accepted silently", err
    if snapshot(root) != before:
        return "written", err
    if code != 2 or len(lines) != 1:
        return "unclear", err
    return ("clean" if fragment in lines[0] else "unclear"), err


def _load(name: str):
    spec = importlib.util.spec_from_file_location(name, REPO / "tests" / f"{name}.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _regular_snapshot(root: Path) -> dict[str, str]:
    """Like the fuzz snapshot, but pipes, devices and links are listed, never opened."""
    import hashlib
    import stat as st
    out = {}
    for p in sorted(root.rglob("*")):
        m = os.lstat(p).st_mode
        out[str(p.relative_to(root))] = (hashlib.sha256(p.read_bytes()).hexdigest() if st.S_ISREG(m)
                                         else "dir" if st.S_ISDIR(m) else f"mode {m:o}")
    return out


def fault_suite(cli_main, table, bad_lines) -> None:
    """The fault suite's own tables (tests/test_faults_inputs.py), each case in a fresh folder."""
    fin = _load("test_faults_inputs")
    cases = []
    for surface, bad in fin.FILE_CASES:
        make, frag = fin.BAD_FILES[bad]
        frag = fin.FRAGMENTS.get((surface, bad), frag)
        cases.append((f"file {surface} x {bad}", lambda d, s=surface, m=make: fin.FILE_SURFACES[s][0](d, m(d)), frag))
    for c, o, n in fin.NUMBER_CASES:
        cases.append((f"number {c} {o} {n}", lambda d, c=c, o=o, n=n: [*fin._BASE[c], o, fin.BAD_NUMBERS[n], "--out",
                                                                          "o"], o))
    here = os.getcwd()
    for name, build, frag in cases:
        d = Path(tempfile.mkdtemp(prefix="consultsim-fault-"))
        (d / "small.toml").write_text(fin.SMALL, encoding="utf-8")
        (d / "toy.toml").write_text(fin.TOY, encoding="utf-8")
        os.chdir(d)
        try:
            argv = build(d)
            outcome, err = classify(cli_main, argv, d, frag, _regular_snapshot)
        finally:
            os.chdir(here)
            shutil.rmtree(d, ignore_errors=True)
        table["fault suite (issue 21)"][outcome] += 1
        if outcome != "clean":
            bad_lines.append((name, outcome, err.strip()[:300]))


def generated_cases(fuzz):
    from consultsim.core.params import PARAM_INFO

    cases = []
    for name, f in sorted(PARAM_INFO.items()):
        kind = f.type if isinstance(f.type, str) else f.type.__name__
        hi = f.metadata["hi"]
        if kind == "bool":
            bad = ['"true"', "1", "0.0"]
        elif kind == "str":
            bad = ["3", "true", "[1, 2]"]
        else:
            bad = [json.dumps(str(f.default)), "true", repr(hi * 2 + 1) if hi is not None else "nan"]
        for i, v in enumerate(bad):
            sec = f.metadata["section"]
            cases.append(("run", f"gen_{name}_{i}.toml", f"[{sec}]\n{name} = {v}\n", name))
            cases.append(("sweep", f"genx_{name}_{i}.toml",
                          f'name = "g"\nseed = 1\nmetrics = ["implemented"]\n[sampler]\nmethod = "grid"\n'
                          f"[parameters]\n{name} = {v}\n"
                          + ("" if name == "supervision" else "supervision = [0.1, 0.2]\n"), name))
    return cases


VALID = [  # (command, argv, files to write first)
    ("run", ["run", "bom.toml", "--steps", "2", "--out", "v/bom"], {"bom.toml": "\ufeff" + "SMALL"}),
    ("run", ["run", "pair.toml", "--steps", "2", "--out", "v/pair"],
     {"pair.toml": 'base = "baseline"\n[community]\nn_residents = 100\nn_buildings = 4\n'
                   "[population]\nelderly_share = 0.75\nyoung_share = 0.2\n"}),
    ("run", ["run", "zh.toml", "--steps", "2"], {"zh.toml": 'name = "半额激励加培训"\nSMALLBODY'}),
    ("run", ["run", "html.toml", "--steps", "2", "--out", "v/html"],
     {"html.toml": 'name = "<b>x</b>"\ndescription = "<script>alert(1)</script>"\nSMALLBODY'}),
    ("run", ["run", "with space.toml", "--steps", "2", "--out", "v/with space"], {"with space.toml": "SMALL"}),
    ("run", ["run", "b1.toml", "--steps", "2", "--out", "v/b1"],
     {"b1.toml": 'base = "baseline"\n[community]\nn_residents = 100\nn_buildings = 4\n'}),
    ("run", ["run", "b2.toml", "--steps", "2", "--out", "v/b2"],
     {"b2.toml": 'base = "combined.toml"\n[community]\nn_residents = 100\nn_buildings = 4\n'}),
    ("run", ["run", "wf.toml", "--steps", "2", "--out", "v/wf"],
     {"wf.toml": "[community]\nn_residents = 150.0\nn_buildings = 4\n"}),
    ("run", ["run", "small.toml", "--steps", "2", "--set", "n_residents=150.0", "--out", "v/set"], {}),
    ("run", ["run", "crlf.toml", "--steps", "2", "--out", "v/crlf"], {"crlf.toml": "SMALL".replace("\n", "\r\n")}),
    ("run", ["run", "net.toml", "--steps", "2", "--out", "v/net"],
     {"net.toml": '[community]\nn_buildings = 4\n[network]\nnetwork_file = "h.csv"\n',
      "h.csv": "source,target\n" + "".join(f"{i},{i % 40 + 1}\n" for i in range(1, 41))}),
    ("run", ["run", "gml.toml", "--steps", "2", "--out", "v/gml"],
     {"gml.toml": '[community]\nn_buildings = 2\n[network]\nnetwork_file = "g.graphml"\n', "g.graphml": "GRAPHML"}),
    ("run", ["run", "small.toml", "--steps", "1", "--out", "v/a/b/c"], {}),
    ("run", ["run", "small.toml", "--steps", "2", "--out", "emptydir"], {"emptydir/": ""}),
    ("run", ["run", "small.toml", "--steps", "2", "--out", "prev", "--force"], {}),
    ("run", ["run", "esc.toml", "--steps", "1"], {"esc.toml": 'name = "../../escape"\nSMALLBODY'}),
    ("compare", ["compare", "small.toml", "small.toml", "--replicates", "2", "--steps", "2", "--workers", "1",
                 "--quiet", "--out", "v/cmp"], {}),
    ("compare", ["compare", "small.toml", "zh2.toml", "--replicates", "2", "--steps", "2", "--workers", "1",
                 "--quiet", "--out", "v/cmpzh"], {"zh2.toml": 'name = "社区方案"\nSMALLBODY'}),
    ("validate", ["validate", "--scenario", "small.toml", "--replicates", "2", "--steps", "2", "--workers", "1",
                  "--quiet"], {}),
    ("sweep", ["sweep", "exp.toml", "--out", "v/sw", "--executor", "serial", "--no-progress"], {}),
    ("sweep", ["sweep", "full.toml", "--out", "v/swfull", "--executor", "serial", "--no-progress"], {"full.toml": "FULLTOY"}),
    ("sweep", ["sweep", "exp.toml", "--out", "sweep", "--resume", "--executor", "serial", "--no-progress"], {}),
    ("sweep", ["sweep", "bomexp.toml", "--out", "v/swbom", "--executor", "serial", "--no-progress"],
     {"bomexp.toml": "\ufeffTOY"}),
    ("sweep", ["sweep", "exp.toml", "--out", "v/shard1", "--shard", "1/2", "--executor", "serial", "--no-progress"], {}),
    ("sensitivity", ["sensitivity", "sob.toml", "--out", "v/sob", "--executor", "serial", "--no-progress"], {}),
    ("plot-sweep", ["plot-sweep", "sweep", "--plots", "v/plots"], {}),
    ("plot-sweep", ["plot-sweep", "sweep", "--plots", "v/plots", "--force"], {}),
    ("merge", ["merge", "v/merged", "sweep"], {}),
]


def main() -> int:
    fuzz = _fuzz_module()
    from consultsim.cli import main as cli_main
    from consultsim.sweeps.__main__ import main as merge_main

    tmp = Path(tempfile.mkdtemp(prefix="consultsim-attack-"))
    root = tmp / "world"
    root.mkdir()
    os.chdir(root)
    fuzz._write_world(root)
    cli_main(["run", "small.toml", "--steps", "2", "--seed", "1", "--out", "prev"])
    with contextlib.redirect_stderr(io.StringIO()):
        cli_main(["sweep", "exp.toml", "--out", "sweep", "--executor", "serial", "--no-progress"])
    for name in ("damaged_json", "wrong_json", "damaged_part", "other_sweep"):
        shutil.copytree(root / "sweep", root / name)
    (root / "damaged_json" / "experiment.json").write_bytes(b"\xff\xfe{garbage")
    (root / "wrong_json" / "experiment.json").write_text('{"name": "x"}', encoding="utf-8")
    part = sorted((root / "damaged_part" / "parts").glob("part-*"))[0]
    (part / "runs.parquet").write_bytes((part / "runs.parquet").read_bytes()[:40])
    meta = json.loads((root / "other_sweep" / "experiment.json").read_text(encoding="utf-8"))
    meta["fingerprint"] = "0123456789abcdef"
    (root / "other_sweep" / "experiment.json").write_text(json.dumps(meta), encoding="utf-8")

    table: dict[str, Counter] = defaultdict(Counter)
    bad_lines = []
    messages = []
    for name, argv, frag in fuzz.CASES:
        cmd = argv[0] if argv[0] in fuzz.COMMANDS else "top level"
        outcome, err = classify(cli_main, argv, root, frag, fuzz.snapshot)
        messages.append(err.strip())
        table[cmd][outcome] += 1
        if outcome != "clean":
            bad_lines.append((name, outcome, err.strip()[:300]))
    for name, argv, frag in fuzz.MERGE_CASES:
        outcome, err = classify(merge_main, argv, root, frag, fuzz.snapshot)
        table["merge"][outcome] += 1
        if outcome != "clean":
            bad_lines.append((name, outcome, err.strip()[:300]))
    for cmd, fname, text, field in generated_cases(fuzz):
        (root / fname).write_text(text, encoding="utf-8")
        argv = (["run", fname, "--steps", "1"] if cmd == "run"
                else ["sweep", fname, "--executor", "serial", "--out", "gen"])
        outcome, err = classify(cli_main, argv, root, field, fuzz.snapshot)
        table[f"{cmd} (generated)"][outcome] += 1
        if outcome != "clean":
            bad_lines.append((fname, outcome, err.strip()[:300]))

    fault_suite(cli_main, table, bad_lines)

    import networkx as nx
    gml = io.BytesIO()
    nx.write_graphml(nx.relabel_nodes(nx.cycle_graph(30), {i: f"flat{i}" for i in range(30)}), gml)
    valid = Counter()
    for cmd, argv, files in VALID:
        for fname, text in files.items():
            if fname.endswith("/"):
                (root / fname).mkdir(exist_ok=True)
                continue
            text = (text.replace("SMALLBODY", fuzz.SMALL.split("\n", 1)[1]).replace("SMALL", fuzz.SMALL)
                    .replace("FULLTOY", fuzz.TOY.replace('model = "toy"',
                                                         'model = "consultsim.sweeps.testfunctions:toy"'))
                    .replace("TOY", fuzz.TOY).replace("GRAPHML", gml.getvalue().decode()))
            (root / fname).write_text(text, encoding="utf-8")
        entry = merge_main if cmd == "merge" else cli_main
        code, err = call(entry, argv, timeout=300)
        # validate exits 1 when a criterion fails: a result, not an error
        ok = (code == 0 or (cmd == "validate" and code == 1)) and "Traceback" not in err
        valid["ok" if ok else "failed"] += 1
        if not ok:
            bad_lines.append((" ".join(argv), f"valid input failed ({code})", err.strip()[:300]))
    escaped = [p for p in (tmp, tmp.parent) if (p / "escape").exists()]
    if escaped:
        bad_lines.append(("esc", "default output left results/", str(escaped)))

    kinds = ["clean", "unclear", "traceback", "accepted silently", "written", "hang"]
    print(f"| command | cases | {' | '.join(kinds)} |")
    print(f"|---|---|{'---|' * len(kinds)}")
    total = Counter()
    for cmd in sorted(table):
        c = table[cmd]
        total.update(c)
        print(f"| {cmd} | {sum(c.values())} | {' | '.join(str(c[k]) for k in kinds)} |")
    print(f"| **all bad inputs** | {sum(total.values())} | {' | '.join(str(total[k]) for k in kinds)} |")
    print(f"\nunusual but valid: {sum(valid.values())} cases, {valid['ok']} succeeded, {valid['failed']} failed")
    for name, outcome, err in bad_lines:
        print(f"- {name}: {outcome}: {err}")
    if "--messages" in sys.argv:
        print("\n".join(messages))
    shutil.rmtree(tmp, ignore_errors=True)
    return 0 if not bad_lines else 1


if __name__ == "__main__":
    sys.exit(main())
