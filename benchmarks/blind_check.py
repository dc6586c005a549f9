"""Blind check of validation (issue 17, part 1): does ``validate`` reject degenerate models?

The variants in ``tests/data/blind_variants.toml`` were written from docs/ODD.md alone, by
someone who had not read the validation criteria: each removes one core mechanism of ODD §7
through parameter overrides. This script runs the public
``consultsim.analysis.validation.validate`` on the baseline and on the baseline with each
variant's overrides, and reports a markdown table:

- **rejected**: at least one scored criterion fails on the variant's means (validate's own
  verdict, ``passed`` per criterion);
- **beyond baseline**: the failed criteria that the baseline itself passes at the same
  settings (a criterion the baseline fails too says nothing about the variant); then all
  failed criteria;
- **criteria passed**: scored criteria passed / scored;
- **runs passing all**: the per-run pass rate, i.e. the share of single runs (validate with
  one replicate, seeds ``seed``, ``seed + 1``, ...) in which every scored criterion passes,
  and in brackets the mean number of scored criteria a single run passes (``--per-run 0``
  skips both). Single runs are noisy: compare a variant's numbers with the baseline's row.

The model changes under this check: an override whose parameter no longer exists (or whose
value is now out of range) is dropped with a note, and a variant left with no override is
skipped, never a crash; an error inside one variant's run is reported in its row.

Do not edit the variants after reading this script's output: that would turn a blind check
into a tuned one.

Usage::

    PYTHONPATH=. .venv/bin/python benchmarks/blind_check.py              # 20 replicates, 104 weeks
    PYTHONPATH=. .venv/bin/python benchmarks/blind_check.py --replicates 5 --households 1000 \\
        --out results/blind_check.md
"""

from __future__ import annotations

import argparse
import sys
import time
import tomllib
from pathlib import Path
from typing import Any

from consultsim.analysis.validation import validate
from consultsim.core.params import PARAM_INFO, ParamError
from consultsim.core.scenario import ScenarioError
from consultsim.running.outputs import atomic_write_text
from consultsim.running.scenarios import resolve_scenario

VARIANTS = Path(__file__).resolve().parents[1] / "tests" / "data" / "blind_variants.toml"
SEED = 20261203


def load_variants(path: Path = VARIANTS) -> dict[str, dict[str, Any]]:
    """The variant tables of ``path`` (name -> {odd, removes, expect, overrides})."""
    with open(path, "rb") as f:
        data = tomllib.load(f)
    for name, v in data.items():
        if not isinstance(v, dict) or not isinstance(v.get("overrides"), dict):
            raise SystemExit(f"{path}: [{name}] needs an [{name}.overrides] table")
    return data


def usable_overrides(base, overrides: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """The overrides that still apply to today's model, and a note for each one dropped."""
    kept, notes = {}, []
    for key, value in overrides.items():
        if key not in PARAM_INFO:
            notes.append(f"`{key}` is no longer a parameter: dropped")
            continue
        try:
            base.with_overrides(**{key: value})
        except (ParamError, ScenarioError, TypeError, ValueError) as e:
            notes.append(f"`{key} = {value!r}` no longer accepted ({e}): dropped")
            continue
        kept[key] = value
    return kept, notes


def verdict(table) -> tuple[list[str], int, int]:
    """Failed scored criteria, number passed and number scored, from validate's table."""
    scored = table[table["scored"].astype(bool)] if "scored" in table.columns else table
    failed = [str(n) for n, ok in zip(scored["name"], scored["passed"]) if not bool(ok)]
    return failed, len(scored) - len(failed), len(scored)


def run_one(scenario, *, replicates: int, steps: int, seed: int, per_run: int,
            workers: int | None = 1) -> dict[str, Any]:
    """validate on ``scenario``: the pooled verdict and (optionally) the per-run pass rate."""
    table, _ = validate(scenario, replicates=replicates, steps=steps, seed=seed, workers=workers, progress=False)
    failed, n_pass, n_scored = verdict(table)
    runs_ok = None
    if per_run > 0:
        ok, n_passed = 0, 0
        for i in range(per_run):
            t1, _ = validate(scenario, replicates=1, steps=steps, seed=seed + i, workers=workers, progress=False)
            f1, p1, _ = verdict(t1)
            ok += not f1
            n_passed += p1
        runs_ok = (ok, per_run, n_passed / per_run)
    return {"failed": failed, "passed": n_pass, "scored": n_scored, "runs_ok": runs_ok, "table": table}


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def markdown(rows: list[dict[str, Any]], base: dict[str, Any] | None, settings: str) -> str:
    """The report: one row per variant, the baseline first as the reference."""
    base_failed = set(base["failed"]) if base else set()
    out = [f"Blind check ({settings}).", "",
           "rejected: validate's verdict (a scored criterion fails on the pooled means). "
           "beyond baseline: failed criteria the baseline itself passes at these settings "
           "(only these say something about the variant).", "",
           "| variant | ODD | rejected | beyond baseline | all failed criteria | criteria passed "
           "| runs passing all (criteria passed per run) | note |",
           "|---|---|---|---|---|---|---|---|"]
    for r in rows:
        head = f"| {r['name']} | §{r['odd']} |"
        if r.get("error") is not None:
            out.append(f"{head} error | | | | | {_cell(r['error'])} |")
            continue
        if r.get("skipped"):
            out.append(f"{head} skipped | | | | | {_cell('; '.join(r['notes']))} |")
            continue
        new = [n for n in r["failed"] if n not in base_failed]
        beyond = "—" if r["name"] == "(baseline)" else (", ".join(new) if new else "no")
        runs = "" if r["runs_ok"] is None else f"{r['runs_ok'][0]}/{r['runs_ok'][1]} ({r['runs_ok'][2]:.1f})"
        out.append(f"{head} {'yes' if r['failed'] else 'no'} | {beyond} | {', '.join(r['failed']) or '—'} | "
                   f"{r['passed']}/{r['scored']} | {runs} | {_cell('; '.join(r['notes']))} |")
    done = [r for r in rows[1:] if not r.get("skipped") and r.get("error") is None]
    n_rej = sum(bool(r["failed"]) for r in done)
    n_new = sum(bool(set(r["failed"]) - base_failed) for r in done)
    out += ["", f"{n_rej} of {len(done)} variants rejected; {n_new} by a criterion the baseline passes. "
            f"Baseline: {'rejected (' + ', '.join(sorted(base_failed)) + ')' if base_failed else 'passes'}."]
    return "\n".join(out) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--scenario", default="baseline")
    ap.add_argument("--variants", type=Path, default=VARIANTS, help="TOML file of variants")
    ap.add_argument("--only", nargs="*", default=None, help="run only these variants")
    ap.add_argument("--replicates", type=int, default=20)
    ap.add_argument("--steps", type=int, default=104)
    ap.add_argument("--households", type=int, default=None, help="override n_residents (default: scenario's)")
    ap.add_argument("--seed", type=int, default=SEED)
    ap.add_argument("--per-run", type=int, default=None,
                    help="single runs for the per-run pass rate (default: as many as --replicates; 0 skips)")
    ap.add_argument("--workers", type=int, default=1,
                    help="processes for validate's runs (default 1: no pool start-up per call)")
    ap.add_argument("--out", type=Path, default=None, help="also write the markdown table here")
    a = ap.parse_args(argv)
    per_run = a.replicates if a.per_run is None else a.per_run

    base = resolve_scenario(a.scenario)
    if a.households is not None:
        base = base.with_overrides(n_residents=a.households)
    variants = load_variants(a.variants)
    if a.only:
        unknown = sorted(set(a.only) - set(variants))
        if unknown:
            print(f"unknown variant(s): {', '.join(unknown)}", file=sys.stderr)
            return 2
        variants = {k: v for k, v in variants.items() if k in a.only}

    settings = (f"scenario {a.scenario}, {base.params.n_residents} households, {a.steps} weeks, "
                f"{a.replicates} replicates pooled, {per_run} single runs, seed {a.seed}")
    rows: list[dict[str, Any]] = []
    todo = [("(baseline)", {"odd": "—", "overrides": {}})] + list(variants.items())
    for name, v in todo:
        t0 = time.perf_counter()
        kept, notes = usable_overrides(base, v["overrides"])
        row: dict[str, Any] = {"name": name, "odd": v.get("odd", "?"), "notes": notes}
        if v["overrides"] and not kept:
            row["skipped"] = True
            notes.append("no override left: variant skipped")
        else:
            try:
                row.update(run_one(base.with_overrides(**kept), replicates=a.replicates, steps=a.steps,
                                   seed=a.seed, per_run=per_run, workers=a.workers))
            except Exception as e:  # noqa: BLE001 -- one broken variant must not end the check
                row["error"] = f"{type(e).__name__}: {e}"
        rows.append(row)
        status = row.get("error") or ("skipped" if row.get("skipped") else
                                      f"failed: {', '.join(row['failed']) or 'none'}")
        print(f"[{time.perf_counter() - t0:6.1f}s] {name}: {status}", file=sys.stderr, flush=True)

    base_row = rows[0] if rows[0].get("error") is None else None
    text = markdown(rows, base_row, settings)
    print(text)
    if a.out is not None:
        atomic_write_text(a.out, text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
