"""``consultsim scenarios [NAME]``: the shipped scenarios, with their Chinese names and one line each.

With a NAME, prints that scenario's description (English or ``--lang zh``) and the values it
sets; a misspelt name ends with exit 2 and "did you mean". Scenario names given to ``compare`` or
``run`` are the file stems listed here.
"""

from __future__ import annotations

import difflib
import re

from consultsim.errors import UsageError

__all__ = ["configure", "run", "shipped_names", "one_line"]


def configure(parser) -> None:
    parser.add_argument("name", nargs="?", help="show one shipped scenario in full")
    parser.add_argument("--lang", choices=("en", "zh"), default=None, help="en or zh (中文); default: CONSULTSIM_LANG, else en")


def shipped_names() -> list[str]:
    from consultsim.running.scenarios import SCENARIO_DIR
    return sorted(p.stem for p in SCENARIO_DIR.glob("*.toml"))


def one_line(text: str, width: int = 90) -> str:
    """The first sentence of a description, cut to ``width`` characters."""
    text = " ".join(text.split())
    m = re.match(r"(.+?[.。])(\s|$)", text)
    first = m.group(1) if m else text
    return first if len(first) <= width else first[: width - 1] + "…"


def run(args) -> int:
    from consultsim.i18n import tr
    from consultsim.running.scenarios import SCENARIO_DIR, load_scenario

    names = shipped_names()
    if args.name is None:
        print(tr("cli.scenarios_header", args.lang))
        scs = [load_scenario(SCENARIO_DIR / f"{n}.toml") for n in names]
        w = max(len(n) for n in names)
        cols = lambda s: sum(2 if ord(c) > 0x2E80 else 1 for c in s)  # noqa: E731  (CJK takes two columns)
        wz = max(cols(sc.name_zh or "") for sc in scs) + 2
        for n, sc in zip(names, scs):
            desc = sc.description_zh if args.lang == "zh" and sc.description_zh else sc.description
            zh = sc.name_zh or ""
            pad = " " * (wz - cols(zh))
            print(f"  {n:<{w}}  {zh}{pad}{one_line(desc, 50 if args.lang == 'zh' else 90)}")
        return 0
    stem = args.name.removesuffix(".toml")
    if stem not in names:
        close = difflib.get_close_matches(stem, names, n=3, cutoff=0.5)
        hint = f" (did you mean {', '.join(close)}?)" if close else ""
        raise UsageError(f"no shipped scenario {args.name!r}{hint}; `consultsim scenarios` lists them")
    sc = load_scenario(SCENARIO_DIR / f"{stem}.toml")
    desc = sc.description_zh if args.lang == "zh" and sc.description_zh else sc.description
    print(f"{sc.name}  {sc.name_zh}\n{SCENARIO_DIR / f'{stem}.toml'}\n\n{' '.join(desc.split())}\n")
    base = load_scenario(SCENARIO_DIR / "baseline.toml").params
    for k, v in sc.params.to_dict().items():
        if v != getattr(base, k):
            print(f"  {k} = {str(v).lower() if isinstance(v, bool) else v}")  # as the scenario file writes it
    return 0
