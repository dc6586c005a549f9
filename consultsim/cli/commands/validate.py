"""``consultsim validate``: check a scenario (the baseline by default) against the field study's patterns.

Prints one row per criterion (pattern, criterion, band, measured mean with its
95% interval, pass or FAIL) and exits 1 if any scored criterion fails, 0 if all
pass. ``--knockout NAME`` validates the scenario with one mechanism of the
registry (consultsim/core/mechanisms.py) switched off instead (a mechanism bound to a
structure, such as an owners' committee, in the scenario with that structure); ``--knockouts``
runs the scenario and the off-switch of every mechanism acting in it, then each structure with
the mechanisms bound to it, with common random numbers, and prints which criteria each fails,
exiting 0 only if every base passes every criterion and every knock-out fails at least one
(those the registry lists as unseen are named as such). The criteria and knock-outs are defined in
:mod:`consultsim.analysis.validation` and documented in ``docs/validation.md``.
"""

from __future__ import annotations

from consultsim.cli import checks
from consultsim.errors import UsageError
from consultsim.running.outputs import shown

__all__ = ["configure", "run"]


def configure(parser) -> None:
    parser.add_argument("--replicates", type=checks.replicates, default=20, help="runs (default 20)")
    parser.add_argument("--steps", type=checks.steps2, default=104, help="weeks to simulate (default 104)")
    parser.add_argument("--seed", type=checks.seed, default=20261127, help="master seed (default 20261127)")
    parser.add_argument("--scenario", default="baseline", help="scenario file or name (default baseline)")
    parser.add_argument("--households", type=checks.households, default=None,
                        help="override the scenario's n_residents (e.g. 1000 for a quick check)")
    which = parser.add_mutually_exclusive_group()
    which.add_argument("--knockout", metavar="NAME", default=None,
                       help="validate the scenario with the named mechanism switched off (see --list-knockouts)")
    which.add_argument("--knockouts", action="store_true",
                       help="validate the scenario and every registered off-switch validation must reject; "
                            "table of the criteria each fails")
    which.add_argument("--list-knockouts", action="store_true", help="list the mechanisms of the registry with their off-switches and exit")
    parser.add_argument("--markdown", action="store_true",
                        help="with --knockouts: also print the table as Markdown (as in docs/validation.md)")
    parser.add_argument("--workers", type=checks.workers, default=None,
                        help="parallel processes (default: all cores)")
    parser.add_argument("--quiet", "--no-progress", dest="quiet", action="store_true", help="no progress bar")


def _scenario(args):
    from consultsim.cli.checks import load_scenarios

    scenario, = load_scenarios([args.scenario], "validate")
    if args.households is not None:
        if args.households < 10:
            raise UsageError(f"--households must be at least 10 (got {args.households})")
        scenario = scenario.with_overrides(n_residents=args.households)
    return scenario


def run(args) -> int:
    from consultsim.analysis.validation import (
        format_table,
        knockout_scenario,
        structure_scenario,
        too_few_criteria,
        validate,
    )
    from consultsim.cli.checks import check_run_options
    from consultsim.core.mechanisms import MECHANISMS, UNSEEN
    from consultsim.i18n import tr
    from consultsim.i18n.messages import mechanism_description

    if args.list_knockouts:
        for m in MECHANISMS.values():
            # under zh a switch reads as a scenario file writes it (true/false), the identifiers as they are
            overrides = ", ".join(f"{n}={str(v).lower() if args.lang == 'zh' and isinstance(v, bool) else v}"
                                  for n, v in m.off.items())
            # a structure as a scenario file writes it (true/false, as the overrides under zh)
            structure = ", ".join(f"{k}={str(v).lower() if isinstance(v, bool) else v}"
                                  for k, v in (m.structure or {}).items())
            note = (tr("val.list_lever", args.lang, lever=m.lever) if m.lever else
                    tr("val.list_structure", args.lang, structure=structure) if structure else "")
            note += tr("val.list_unseen", args.lang) if m.name in UNSEEN else ""
            print(f"{m.name:30s} {m.odd:10s} {mechanism_description(m, args.lang)} ({overrides}){note}")
        return 0
    if args.knockout is not None and args.knockout not in MECHANISMS:
        import difflib
        close = difflib.get_close_matches(args.knockout, list(MECHANISMS), n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else f"; known: {', '.join(MECHANISMS)}"
        raise UsageError(f"--knockout {args.knockout!r}: no such knock-out{hint}")
    check_run_options(args, min_steps=2)
    scenario = _scenario(args)
    size = f"{scenario.params.n_residents} households, {args.replicates} runs x {args.steps} weeks"
    options = dict(replicates=args.replicates, steps=args.steps, seed=args.seed, workers=args.workers,
                   progress=not args.quiet)

    if args.knockouts:
        return _knockouts(scenario, size, options, args)

    if args.knockout is not None:
        if MECHANISMS[args.knockout].structure:
            # inert in a community without its structure (bit for bit): validate it where it acts
            scenario = structure_scenario(scenario, args.knockout)
        scenario = knockout_scenario(scenario, args.knockout)
    table, comp = validate(scenario, **options)
    origin = f"knock-out of {args.scenario}: {scenario.description}" if args.knockout else \
        (scenario.path or "built-in defaults")
    print(_t(f"validation of {shown(scenario.name)} ({shown(origin)}): {size}, master seed {comp.master_seed}", args))
    print(format_table(table, args.lang))
    scored = table[table["scored"]]
    few = too_few_criteria(table)  # neither pass nor fail: fewer records than a verdict needs (validation.MIN_EVENTS)
    if few:
        print(_t(f"{len(few)} of {len(scored)} scored criteria have too few records to judge ({', '.join(few)}): "
                 "neither pass nor fail", args))
    scored = scored[~scored["name"].isin(few)]
    failed = scored[~scored["passed"].astype(bool)]
    if len(failed):
        print(_t(f"{len(failed)} of {len(scored)} criteria FAIL (patterns {', '.join(sorted(set(failed['pattern'])))})",
                 args))
        return 1
    print(_t(f"all {len(scored)} criteria pass (patterns {', '.join(sorted(set(scored['pattern'])))}); "
             f"rows in brackets are diagnostics, not scored", args))
    return 0


def _knockouts(scenario, size: str, options: dict, args) -> int:
    """``--knockouts``: the scenario and the off-switch of every mechanism acting in it (those validation is
    known not to see included: the registry's ``UNSEEN``), then, for each structure
    the scenario lacks (an owners' committee, 接诉即办 pressure), the scenario with that structure and the
    off-switches of the mechanisms bound to it (their off-switch changes nothing without it). Exit 0 only if every
    base passes and every knock-out is rejected; the known blind spots (``UNSEEN``) are marked as such."""
    from consultsim.analysis.validation import (
        failed_criteria,
        format_knockouts,
        knockouts_markdown,
        structure_scenario,
        validate_knockouts,
    )
    from consultsim.core.mechanisms import MECHANISMS, UNSEEN, in_baseline, structure_bound
    from consultsim.i18n import tr

    groups: dict[tuple, list[str]] = {}
    for name in structure_bound():
        groups.setdefault(tuple(sorted(MECHANISMS[name].structure.items())), []).append(name)
    acting = [name for name, m in MECHANISMS.items() if in_baseline(m)]
    runs = [(scenario, acting)] + [(structure_scenario(scenario, names[0]), names) for names in groups.values()]
    failing_bases, accepted = [], []
    for base, names in runs:
        tables, comp = validate_knockouts(base, names, **options)
        print(_t(f"knock-outs of {shown(base.name)} ({shown(base.path) or 'built-in defaults'}): {size}, "
                 f"master seed {comp.master_seed}", args))
        print(format_knockouts(tables, args.lang))
        if args.markdown:
            print()
            print(knockouts_markdown(tables))
            print()
        labels = list(tables)
        if failed_criteria(tables[labels[0]]):
            failing_bases.append(shown(base.name))
        accepted += [k for k in labels[1:] if not failed_criteria(tables[k])]
    n = sum(len(names) for _, names in runs)
    if not failing_bases and not accepted:
        print(tr("val.ko_all", args.lang, base=shown(scenario.name), n=n))
        return 0
    known = [k for k in accepted if k in UNSEEN]
    problems = [tr("val.ko_base_fails", args.lang, base=b) for b in failing_bases]
    problems += [tr("val.ko_accepted", args.lang, name=k) for k in accepted if k not in UNSEEN]
    if known:
        problems.append(tr("val.ko_unseen", args.lang, k=len(known), n=n, names=", ".join(known)))
    print(tr("val.ko_not", args.lang, problems="; ".join(problems)))
    return 1


def _t(line: str, args) -> str:
    """A verdict line in the reader's language (--lang, or CONSULTSIM_LANG)."""
    from consultsim.i18n.messages import translate_message

    return translate_message(line, getattr(args, "lang", None) or "en")
