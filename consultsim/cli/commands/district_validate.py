"""``consultsim district validate [FILE] [--type T]``: each community type against the criteria that apply to it.

Each type runs at its size (the median of its communities in the district file, default the shipped
street) ``--replicates`` times; the criteria of :mod:`consultsim.analysis.validation` are applied
where the type has what they measure (:mod:`consultsim.analysis.type_validation`). Writes
``type_validation.csv`` (every number) and ``type_validation.md`` (the table in ``--lang``) into
``--out``; exits 1 if a type fails a scored criterion that applies to it, 0 otherwise.
"""

from __future__ import annotations

import math
import sys
from pathlib import Path

import pandas as pd

__all__ = ["validate_types_command", "markdown"]


def _fmt(v: float, percent: bool) -> str:
    if not isinstance(v, (int, float)) or not math.isfinite(v):
        return "n/a"
    return f"{100 * v:.1f}%" if percent else f"{v:.3f}"


def markdown(table: pd.DataFrame, district, lang: str = "en") -> str:
    """The per-type table as Markdown: one column per type, one row per criterion; each cell the measured mean
    and the verdict, or why the criterion does not apply (with the measured mean, not scored, where its band's
    source did not observe the type)."""
    from consultsim.analysis.type_validation import result
    from consultsim.analysis.validation import CRITERIA, band_text
    from consultsim.i18n import tr

    types = list(dict.fromkeys(table["type"]))
    head = [tr("district.val.col.pattern", lang), tr("district.val.col.criterion", lang),
            tr("district.val.col.band", lang)]
    for t in types:
        hh = int(table.loc[table["type"] == t, "households"].iloc[0])
        head.append(tr("district.val.col.type", lang, type=district.types[t].label(lang), households=hh))
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for name in dict.fromkeys(table["name"]):
        rows = table[table["name"] == name].set_index("type")
        first = rows.iloc[0]
        general = {c.name: c.band() for c in CRITERIA}.get(name, str(first["band"]))
        band = band_text(general, lang)
        cells = [first["pattern"] + ("" if first["scored"] else " " + tr("district.val.diagnostic", lang)),
                 f"{tr(f'crit.{name}', lang)} (`{name}`)", band]
        for t in types:
            r = rows.loc[t]
            key = result(r)
            value = (f"{_fmt(r['mean'], bool(r['percent']))} "
                     f"[{_fmt(r['ci_low'], bool(r['percent']))}, {_fmt(r['ci_high'], bool(r['percent']))}]")
            if str(r["band"]) != general:  # derived from the type's composition (type_validation.COMPOSITION_BANDS)
                value += " " + tr("district.val.type_band", lang, band=band_text(str(r["band"]), lang))
            if key == "na":
                cells.append(tr("district.val.na", lang, reason=tr(f"district.val.reason.{r['reason']}", lang)))
            elif key == "too_few":  # applies, but too few records for a verdict (validation.MIN_EVENTS)
                cells.append(f"{value} " + tr("district.val.too_few", lang))
            elif key == "unscored":  # measured, not scored: the band's source did not observe this type or
                # gives no direction for it (type_validation.SHOWN)
                cells.append(tr("district.val.unscored", lang, value=value,
                                reason=tr(f"district.val.reason.{r['reason']}", lang)))
            else:
                verdict = tr(f"district.val.{key}", lang)
                cells.append(f"{value} " + (f"**{verdict}**" if key == "fail" else verdict))
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def validate_types_command(args) -> int:
    from consultsim.analysis.type_validation import result, validate_types
    from consultsim.i18n import tr
    from consultsim.running.districts import _err, resolve_district
    from consultsim.running.outputs import (
        atomic_write_text,
        check_out,
        check_writable,
        folder_lock,
        safe_name,
    )

    lang = args.lang
    d = resolve_district(args.district)
    for t in args.types or ():
        if t not in {c.type for c in d.communities}:
            import difflib
            close = difflib.get_close_matches(t, sorted(d.types), n=1)
            raise _err(None, "district.err.val_type", type=t, district=d.name,
                       known=", ".join(sorted({c.type for c in d.communities})),
                       hint=f" ({tr('district.val.did_you_mean', lang)} {close[0]!r})" if close else "")
    out = check_writable(args.out if args.out is not None else
                         Path("results") / "districts" / (safe_name(d.name) + "-validate"))
    check_out(out, force=args.force)
    types = list(dict.fromkeys(args.types)) if args.types else None
    with folder_lock(out):
        table = validate_types(d, types, replicates=args.replicates, steps=args.steps, seed=args.seed,
                               workers=args.workers, progress=not args.no_progress)
        md = markdown(table, d, lang)
        atomic_write_text(out / "type_validation.csv", table.to_csv(index=False))
        atomic_write_text(out / "type_validation.md", md + "\n")
    print(md)
    keys = table.apply(result, axis=1)
    failed = table[keys == "fail"]
    n_scored = int(((keys == "pass") | (keys == "fail")).sum())
    n_na = int(keys.isin(["na", "unscored"]).sum())
    few = table[(keys == "too_few") & table["scored"].astype(bool)]
    if len(few):  # neither pass nor fail: said, and not counted among the scored criteria
        listing = "; ".join(f"{d.types[t].label(lang)}: {', '.join(g['name'])}" for t, g in few.groupby("type"))
        print(tr("district.val.too_few_line", lang, n=len(few), listing=listing), file=sys.stderr)
    if len(failed):
        listing = "; ".join(f"{d.types[t].label(lang)}: {', '.join(g['name'])}" for t, g in failed.groupby("type"))
        print(tr("district.val.some_fail", lang, n=len(failed), scored=n_scored, na=n_na, listing=listing,
                 replicates=args.replicates, steps=args.steps, out=out), file=sys.stderr)
        return 1
    print(tr("district.val.all_pass", lang, scored=n_scored, na=n_na, replicates=args.replicates, steps=args.steps,
             out=out), file=sys.stderr)
    return 0
