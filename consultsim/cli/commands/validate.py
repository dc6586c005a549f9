"""``consultsim validate``: check a scenario (the baseline by default) against the field study's patterns.

Prints one row per criterion (pattern, criterion, measured mean with its 95%
interval, pass or FAIL) and exits 1 if any criterion fails, 0 if all pass.
The criteria are defined in :mod:`consultsim.analysis.validation` and documented in
``docs/validation.md``.
"""

from __future__ import annotations

from consultsim.cli import checks

__all__ = ["configure", "run"]


def configure(parser) -> None:
    parser.add_argument("--replicates", type=checks.replicates, default=20, help="runs (default 20)")
    parser.add_argument("--steps", type=checks.steps2, default=104, help="weeks to simulate (default 104)")
    parser.add_argument("--seed", type=checks.seed, default=20261127, help="master seed (default 20261127)")
    parser.add_argument("--scenario", default="baseline", help="scenario file or name (default baseline)")
    parser.add_argument("--workers", type=checks.workers, default=None,
                        help="parallel processes (default: all cores)")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")


def run(args) -> int:
    from consultsim.analysis.validation import format_table, validate
    from consultsim.cli.commands.compare import check_run_options, load_scenarios

    check_run_options(args, min_steps=2)
    scenario, = load_scenarios([args.scenario], "validate")
    table, comp = validate(scenario, replicates=args.replicates, steps=args.steps, seed=args.seed,
                           workers=args.workers, progress=not args.quiet)
    print(f"validation of {scenario.name} ({scenario.path or 'built-in defaults'}): "
          f"{args.replicates} runs x {args.steps} weeks, master seed {comp.master_seed}")
    print(format_table(table))
    scored = table[table["scored"]]
    failed = scored[~scored["passed"].astype(bool)]
    if len(failed):
        print(f"{len(failed)} of {len(scored)} criteria FAIL (patterns {', '.join(sorted(set(failed['pattern'])))})")
        return 1
    print(f"all {len(scored)} criteria pass (patterns {', '.join(sorted(set(scored['pattern'])))}); "
          f"rows in brackets are diagnostics, not scored")
    return 0
