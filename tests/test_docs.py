"""docs/ODD.md says what the code does: its knock-out list is the mechanism registry, and every identifier it
names in backticks still exists in the package."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

from consultsim.core.mechanisms import MECHANISMS
from consultsim.core.metric_names import METRICS
from consultsim.core.params import Params

ROOT = Path(__file__).parent.parent
ODD = ROOT / "docs" / "ODD.md"
PAIR = re.compile(r"`(\w+)`\s*=\s*([−-]?\d+(?:\.\d+)?)")


def section(text: str, heading: str) -> str:
    """The text of the ``## `` section whose heading starts with ``heading``, up to the next one."""
    start = text.index("\n## " + heading)
    end = text.find("\n## ", start + 1)
    return text[start:end if end >= 0 else None]


def knockouts_in_doc(text: str) -> dict[str, dict[str, float]]:
    """ODD §8's knock-out bullets (after "**Knock-out variants**"): name -> {parameter: value}.
    A bullet starts with "- `name`:" and runs until the next bullet or a blank line."""
    part = section(text, "8. Levers")
    part = part[part.index("**Knock-out variants**"):]
    out: dict[str, dict[str, float]] = {}
    for bullet in re.split(r"\n(?=- `)", part)[1:]:
        bullet = bullet.split("\n\n")[0]
        name = re.match(r"- `(\w+)`:", bullet)
        assert name, f"a knock-out bullet without '- `name`:': {bullet[:60]!r}"
        pairs = {k: float(v.replace("−", "-")) for k, v in PAIR.findall(bullet)}
        out[name.group(1)] = pairs
    return out


def test_knockout_parser_reads_names_and_values():
    doc = ("\n## 8. Levers\n**Knock-out variants**: list\n\n- `a`: off; `x` = -20, `y_z` = 0.5\n"
           "  `w` = 1\n- `b`: none; `x` = 0\n\nafter\n## 9. Next\n")
    assert knockouts_in_doc(doc) == {"a": {"x": -20.0, "y_z": 0.5, "w": 1.0}, "b": {"x": 0.0}}


def test_odd_knockout_list_is_the_mechanism_registry():
    doc = knockouts_in_doc(ODD.read_text(encoding="utf-8"))
    code = {name: {k: float(v) for k, v in m.off.items()} for name, m in MECHANISMS.items()}
    assert sorted(doc) == sorted(code), "ODD §8 and the registry (core/mechanisms.py) list different mechanisms"
    for name in code:
        assert doc[name] == code[name], f"{name}: ODD §8 says {doc[name]}, the registry has {code[name]}"


def _package_source() -> str:
    files = [*(ROOT / "consultsim").rglob("*.py"), *(ROOT / "benchmarks").rglob("*.py")]
    return "\n".join(p.read_text(encoding="utf-8") for p in files)


@pytest.fixture(scope="module")
def source() -> str:
    return _package_source()


def test_every_identifier_odd_names_exists(source):
    """Backticked names in ODD.md: a parameter, a metric, a file, or a dotted name / identifier that
    occurs in the package's source (a word match; `*` matches any word characters)."""
    import fnmatch

    from consultsim.core.observables import OBSERVABLE_COLUMNS

    fields = {f.name for f in dataclasses.fields(Params)}
    stale = []
    for ident in sorted(set(re.findall(r"`([^`\n]+)`", ODD.read_text(encoding="utf-8")))):
        name = ident.removesuffix("()")
        if name in fields or name in METRICS:
            continue
        if fnmatch.filter(OBSERVABLE_COLUMNS, name):  # a topic record's column (names built in the source)
            continue
        if "/" in name:  # a path in the repository (a glob: some file matches)
            if not (any(ROOT.glob(name.rstrip("/"))) if "*" in name else (ROOT / name.rstrip("/")).exists()):
                stale.append(ident)
            continue
        if not re.fullmatch(r"[\w.*]+", name):  # a command or a formula, not an identifier
            continue
        for part in name.split("."):
            pattern = r"\b" + re.escape(part).replace(r"\*", r"\w*") + r"\b"
            if not re.search(pattern, source):
                stale.append(ident)
                break
    assert not stale, f"docs/ODD.md names identifiers the package does not have: {stale}"


def _resolve(dotted: str) -> bool:
    """Whether ``a.b`` names something real: a core module (or kernel) and its attribute, or a class
    of the model or its agents and its method (``datacollector`` is the model's Mesa DataCollector)."""
    import importlib

    import mesa

    from consultsim.core import agents, model

    head, *rest = dotted.split(".")
    roots = {"ConsultationModel": model.ConsultationModel, "datacollector": mesa.DataCollector}
    obj = roots.get(head) or getattr(agents, head, None)
    for prefix in ("consultsim.core.kernels.", "consultsim.core.", ""):
        if obj is not None:
            break
        try:
            obj = importlib.import_module(prefix + head)
        except ImportError:
            obj = None
    for part in rest:
        if obj is None or not hasattr(obj, part):
            return False
        obj = getattr(obj, part)
    return obj is not None


def test_every_dotted_name_odd_cites_resolves():
    """`module.function` and `Class.method` in ODD.md (section headings cite where a submodel lives)
    must be importable after the restructure into core/, core/kernels/, running/, sweeps/, analysis/."""
    text = ODD.read_text(encoding="utf-8")
    dotted = sorted({n.removesuffix("()") for n in re.findall(r"`([A-Za-z_]\w*(?:\.\w+)+(?:\(\))?)`", text)})
    assert dotted, "no dotted names found: the pattern is broken"
    stale = [n for n in dotted if not _resolve(n)]
    assert not stale, f"docs/ODD.md cites names that do not resolve: {stale}"
