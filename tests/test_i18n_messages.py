"""Chinese for what the registry and the package's refusals say (issue 19, "What to build" 2).

The cases are derived from the source: every registered mechanism, every message a user-error raise site
builds, so a new mechanism or a new message without its Chinese fails here."""

from __future__ import annotations

import functools
import re

import pytest

from tests.test_i18n_complete import english_words

_CITATION = r"[A-Z][\w-]+(?:(?:, | & | and )[A-Z][\w-]+)*(?: et al\.?)? \d{4}(?:, \d{4})*"


def test_every_registered_mechanism_has_a_chinese_description():
    from consultsim.core.mechanisms import MECHANISMS
    from consultsim.i18n.messages import MECHANISM_ZH

    assert not sorted(set(MECHANISMS) - set(MECHANISM_ZH)), "add a Chinese description to MECHANISM_ZH"
    assert not sorted(set(MECHANISM_ZH) - set(MECHANISMS)), "stale entries in MECHANISM_ZH"


@pytest.mark.parametrize("name", sorted(__import__("consultsim.core.mechanisms", fromlist=["M"]).MECHANISMS))
def test_each_mechanism_description_reads_chinese(name):
    import re

    from consultsim.core.mechanisms import MECHANISMS
    from consultsim.i18n.messages import mechanism_description

    m = MECHANISMS[name]
    zh = mechanism_description(m, "zh")
    assert zh != m.description and re.search(r"[\u4e00-\u9fff]", zh)
    # authors' names stay as published; parameter identifiers as written
    left = english_words(re.sub(_CITATION, " ", zh))
    assert not left, (name, zh, left)
    assert mechanism_description(m, "en") == m.description


def test_every_calibration_statistic_verdict_and_role_has_chinese():
    import re

    from consultsim.analysis import calibration as cal
    from consultsim.i18n import tr

    for name, (_, text) in cal.STATISTICS.items():
        assert tr(f"cal.stat.{name}", "en") == text, name  # the catalogue's English is the registry's
        zh = cal.statistic_text(name, "zh")
        assert re.search(r"[\u4e00-\u9fff]", zh) and not english_words(zh), (name, zh)
    # every verdict the code can give (derived by calling it across its branches) and both roles
    verdicts = {cal.verdict(r, n) for r in (0.1, 0.5, 0.99, 2.0) for n in (0.0, cal.MIN_ESS - 1, cal.MIN_ESS, 1e3)}
    assert len(verdicts) == 3
    for v in [*verdicts, "target", "held out"]:
        key = f"cal.verdict.{v}" if v in verdicts else f"cal.role.{v}"
        zh = tr(key, "zh")
        assert tr(key, "en") == v and not english_words(zh), (v, zh)


# ------------------------------------------------------------------ every refusal a command raises, from source

# the classes of consultsim/errors.py USER_ERRORS and their subclasses: what the command line prints on one line
_USER_CLASSES = {"UsageError", "ScenarioError", "ParamError", "ExperimentError", "DistrictError", "OutputError"}
# modules whose refusals do not read Chinese yet (issue 19 emptied it): each would be a strict xfail below,
# so a module that comes to read Chinese must leave this list; every other module with raise sites must pass
_NOT_YET: set[str] = set()  # empty since issue 19 was finished; keep it so for new modules
# the output and input layers have their own derived test (tests/test_i18n_commands.py)
_OWN_TEST = {"consultsim/running/outputs.py", "consultsim/running/inputs.py"}


def _fill(expr, first: bool) -> str:
    """A plausible value for one ``{...}`` of a message (see tests/test_i18n_commands.py's _placeholder)."""
    import ast

    from tests.test_i18n_commands import _placeholder

    if ast.unparse(expr).startswith("suggest("):  # core.params.suggest: the closest parameter's name
        return " (did you mean 'supervision'?)"
    if ast.unparse(expr) == "hint":  # validate's --knockout: a close name, or the list of known ones
        return " (did you mean 'quorum'?)"
    return _placeholder(expr, "x", first)


# messages raised again as they are (``str(e)``) after being built in another module: each such site names the
# modules where the message is built, whose raise sites (ValueError too) are then checked in its place
_RERAISED = {
    ("consultsim/core/model.py", "<str(e)>"): ("consultsim/core/network.py", "consultsim/core/params.py"),
    ("consultsim/running/evaluate.py", "<str(e).removeprefix('override: ')>"): ("consultsim/core/params.py",),
}


@functools.lru_cache(maxsize=2)
def _raise_sites(classes: frozenset = frozenset(_USER_CLASSES)) -> dict[str, list[tuple[int, str, str | None]]]:
    """module -> [(line, message filled with plausible values, catalogue key if it is raised through tr)]."""
    import ast
    from pathlib import Path

    import consultsim

    root = Path(consultsim.__file__).parent
    out: dict[str, list] = {}
    for path in sorted(root.rglob("*.py")):
        rel = f"consultsim/{path.relative_to(root).as_posix()}"
        if rel in _OWN_TEST:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call)
                    and isinstance(node.exc.func, ast.Name) and node.exc.func.id in classes and node.exc.args):
                continue
            a = node.exc.args[0]
            if isinstance(a, ast.BinOp) and isinstance(a.op, ast.Add):  # f"..." + suggest(name)
                parts = [a.left, a.right]
                a = ast.JoinedStr(values=[v for x in parts for v in (x.values if isinstance(x, ast.JoinedStr) else
                                                                    [ast.FormattedValue(x, -1, None)])])
            if len(node.exc.args) > 1 and re.search(r"[\u4e00-\u9fff]", ast.unparse(node.exc.args[1])):
                continue  # raised with its Chinese beside it (DistrictError(en, zh))
            # "a if cond else b": each branch is a message of its own
            for msg in ([a.body, a.orelse] if isinstance(a, ast.IfExp) else [a]):
                if isinstance(msg, ast.Call) and ast.unparse(msg.func) == "tr":  # already from the catalogue
                    out.setdefault(rel, []).append((node.lineno, "", ast.literal_eval(msg.args[0])))
                elif isinstance(msg, ast.Constant):
                    out.setdefault(rel, []).append((node.lineno, str(msg.value), None))
                elif isinstance(msg, ast.JoinedStr):
                    text = "".join(str(v.value) if isinstance(v, ast.Constant) else _fill(v.value, i == 0)
                                   for i, v in enumerate(msg.values))
                    out.setdefault(rel, []).append((node.lineno, text, None))
                else:  # a message built elsewhere: name it so that it is looked at
                    out.setdefault(rel, []).append((node.lineno, f"<{ast.unparse(msg)}>", None))
    return out


def _untranslated(module: str, sites=None) -> list[str]:
    from consultsim.i18n import _CATALOG, _load
    from consultsim.i18n.messages import translate_message

    _load()
    left = []
    for line, msg, key in (_raise_sites()[module] if sites is None else sites):
        if (module, msg) in _RERAISED:  # check the messages where they are built
            for origin in _RERAISED[module, msg]:
                left += _untranslated(origin, _raise_sites(frozenset(_USER_CLASSES | {"ValueError"}))[origin])
            continue
        if key is not None:
            if key not in _CATALOG["zh"]:
                left.append(f"{module}:{line}: catalogue key {key} has no Chinese")
            continue
        zh = translate_message(msg, "zh")
        words = english_words(zh.replace("/tmp/x", " "), identifiers=["Permission", "denied", "quorum", "pyabc",
                                                                      "EXPORT", "DIR", "sobol", "morris",
                                                                      "baseline", "ValueError", "Sobol", "Morris",
                                                                      "Scenario", "Params",
                                                                      "inf"])  # a number as Python writes it
        if "以下为英文原文" in zh or words:
            # a wrapper ("--replay {e}", "--set {e}") adds only an option to a message raised and derived elsewhere
            from consultsim.i18n.messages import _WRAPPERS

            bare = next((msg[len(w):] for w, _ in _WRAPPERS if msg.startswith(w)), msg)
            if not english_words(re.sub(r"/tmp/x|\b12\b", " ", bare)):
                continue
            left.append(f"{module}:{line}: {msg}\n    -> {zh}")
    return left




def test_the_derivation_finds_the_raise_sites():
    sites = _raise_sites()
    assert sum(len(v) for v in sites.values()) >= 200  # issue 19 counted about 200
    assert not sorted(_NOT_YET - set(sites)), "a module in _NOT_YET raises nothing now: remove it"


@pytest.mark.parametrize("module", sorted(_raise_sites()))
def test_every_refusal_reads_chinese(module):
    if module in _NOT_YET:
        left = _untranslated(module)
        if left:
            pytest.xfail(f"issue 19: {len(left)} refusals of {module} still English")
        pytest.fail(f"{module} reads Chinese now: remove it from _NOT_YET")
    left = _untranslated(module)
    assert not left, "\n".join(left)
