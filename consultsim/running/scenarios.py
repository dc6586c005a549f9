"""Scenario files: TOML, grouped in sections, with inheritance by ``base``.

A scenario file looks like::

    name = "incentives"
    description = "One paragraph on what this scenario is about."
    base = "baseline"               # optional: inherit parameters, then change; a file next to
                                    # this one, else a shipped scenario of that name

    [policy]
    incentive_per_meeting = 20      # every value may carry a comment

    [rules]                         # the declared institutional rules (consultsim.core.rules)
    consensus_gate = false

Sections group parameters as in :class:`consultsim.core.params.Params`; a key in
the wrong section, an unknown key, a wrong type, a value out of range, a
missing base file or an inheritance loop raise :class:`ScenarioError` whose
message names the file, the key and what is allowed.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any

from consultsim.core.params import PARAM_INFO, ParamError, Params, coerce, suggest
from consultsim.core.scenario import Scenario, ScenarioError, as_scenario
from consultsim.running.shipped import shipped_dir

__all__ = ["Scenario", "ScenarioError", "load_scenario", "resolve_scenario", "read_text", "read_toml",
           "shipped_names", "SCENARIO_DIR"]

SCENARIO_DIR = shipped_dir("scenarios")
_TOP_KEYS = {"name", "description", "name_zh", "description_zh", "base"}
SECTIONS = sorted({f.metadata["section"] for f in PARAM_INFO.values()})
MAX_TEXT = 10_000  # characters in a name or description


def read_text(path: Path, error: type[Exception], what: str = "file", max_bytes: int | None = None) -> str:
    """The text of a UTF-8 regular file (a byte-order mark, as Windows Notepad writes, is accepted);
    a missing, unreadable, binary or oversized file, a folder, a named pipe or a device raises
    ``error`` with one line naming it (:func:`consultsim.running.inputs.read_bytes`)."""
    from consultsim.running.inputs import MAX_FILE_BYTES, read_bytes

    data = read_bytes(path, error, what, MAX_FILE_BYTES if max_bytes is None else max_bytes)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise error(f"{path}: not a UTF-8 text file") from None


def read_toml(path: Path, error: type[Exception], what: str = "file") -> dict[str, Any]:
    """Parse a TOML file; a missing, unreadable, binary or malformed file, or one past the caps on
    nesting and digits (:func:`consultsim.running.inputs.check_values`), raises ``error`` naming it."""
    from consultsim.running.inputs import MAX_TOML_DEPTH, check_values

    text = read_text(path, error, what)
    if "\x00" in text:
        raise error(f"{path}: not a text file (it contains NUL bytes)")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise error(f"{path}: not valid TOML: {e}") from None
    except RecursionError:
        raise error(f"{path}: nested more than {MAX_TOML_DEPTH} levels deep") from None
    except ValueError as e:  # a whole number of more than 4,300 digits (Python's own limit)
        raise error(f"{path}: not valid TOML here ({str(e).split(';')[0]})") from None
    check_values(data, str(path), error)
    return data


def shipped_names() -> list[str]:
    """Names of the scenarios shipped in ``scenarios/``."""
    return sorted(p.stem for p in SCENARIO_DIR.glob("*.toml"))


def _shipped_hint(name: str) -> str:
    import difflib
    names = shipped_names()
    close = difflib.get_close_matches(name, names, n=1)
    return (f" (did you mean {close[0]!r}? " if close else " (") + f"shipped scenarios: {', '.join(names)})"


def _base_path(path: Path, base: str) -> Path:
    """``base`` next to the file that names it, else a shipped scenario of that name (ODD §8 packages)."""
    if not base.strip():
        raise ScenarioError(f"{path}: key 'base' is empty; name a scenario file or a shipped scenario")
    beside = path.parent / base
    for candidate in (beside, beside.with_name(beside.name + ".toml")) if not beside.suffix else (beside,):
        if os.path.lexists(candidate):  # a link loop too: reading it names the loop
            return candidate
    stem = base[:-5] if base.endswith(".toml") else base
    if "/" not in stem and "\\" not in stem and (SCENARIO_DIR / f"{stem}.toml").is_file():
        return SCENARIO_DIR / f"{stem}.toml"
    raise ScenarioError(f"{path}: base {base!r}: no such file next to it ({beside}) and no shipped scenario "
                        f"of that name{_shipped_hint(stem)}")


MAX_BASE_CHAIN = 32  # files in one chain of ``base`` (the shipped ones use 2)


def _resolve(path: Path) -> Path:
    try:
        return path.resolve()
    except (RuntimeError, OSError):  # Python 3.11 raises RuntimeError on a loop of symbolic links
        raise ScenarioError(f"{path}: a loop of symbolic links, not a scenario file") from None


def _read_chain(path: Path, seen: tuple[Path, ...]) -> dict[str, Any]:
    """Flat parameter values, base first then this file (only parameters are inherited)."""
    path = _resolve(path)
    if len(seen) >= MAX_BASE_CHAIN:
        raise ScenarioError(f"{seen[0]}: a chain of more than {MAX_BASE_CHAIN} files through 'base' (the limit)")
    if path in seen:
        chain = " -> ".join(p.name for p in (*seen, path))
        raise ScenarioError(f"{path}: inheritance loop ({chain})")
    if not path.exists():
        where = f" (base of {seen[-1]})" if seen else ""
        raise ScenarioError(f"{path}: no such scenario file{where}{_shipped_hint(path.stem)}")
    data = read_toml(path, ScenarioError, "scenario file")
    if not data:
        raise ScenarioError(f"{path}: empty scenario file (it sets nothing); to run the built-in defaults "
                            "use the shipped scenario 'baseline'")
    values: dict[str, Any] = {}
    if "base" in data:
        base = data["base"]
        if not isinstance(base, str):
            raise ScenarioError(f"{path}: key 'base' must be a file name string")
        values = _read_chain(_base_path(path, base), (*seen, path))
    for key, val in data.items():
        if key in _TOP_KEYS:
            if key != "base" and not isinstance(val, str):
                raise ScenarioError(f"{path}: key {key!r} must be a string")
            if key == "name" and not val.strip():
                raise ScenarioError(f"{path}: key 'name' is empty (leave it out to use the file's name)")
            if len(val) > MAX_TEXT:
                raise ScenarioError(f"{path}: key {key!r} is {len(val)} characters long; at most {MAX_TEXT}")
            continue
        if not isinstance(val, dict):
            hint = ""
            if key in PARAM_INFO:
                hint = f" (put it under [{PARAM_INFO[key].metadata['section']}])"
            raise ScenarioError(f"{path}: unknown top-level key {key!r}{hint}; allowed: name, description, "
                                f"name_zh, description_zh, base and sections {', '.join(SECTIONS)}")
        if key not in SECTIONS:
            raise ScenarioError(f"{path}: unknown section [{key}]; allowed: {', '.join(SECTIONS)}")
        for name, v in val.items():
            f = PARAM_INFO.get(name)
            if f is None and key == "rules":
                raise ScenarioError(f"{path}: [rules] {name}: unknown rule parameter{_rule_hint(name)}")
            if f is None:
                raise ScenarioError(f"{path}: [{key}] {name}: unknown parameter{suggest(name)}")
            if f.metadata["section"] != key and (key, f.metadata["section"]) != ("deliberation", "rules"):
                # files written before the rules had their own section keep working
                raise ScenarioError(f"{path}: [{key}] {name}: belongs in [{f.metadata['section']}]")
            try:
                v = coerce(f, v)  # this value alone; sums of shares are checked on the whole chain
            except ParamError as e:
                raise ScenarioError(f"{path}: [{key}] {e}") from None
            if name == "network_file" and v:
                try:
                    v = str((path.parent / v).resolve())
                except (RuntimeError, OSError):  # a loop of links: the reader says so in one line
                    v = str((path.parent / v).absolute())
            values[name] = v
    return values


def _rule_hint(name: str) -> str:
    """" (did you mean 'x'?); rules: ..." over the parameters of the section ``rules``."""
    import difflib
    names = [n for n, f in PARAM_INFO.items() if f.metadata["section"] == "rules"]
    close = difflib.get_close_matches(name, names, n=1)
    return (f" (did you mean {close[0]!r}?)" if close else "") + f"; rules: {', '.join(names)}"


def load_scenario(path: str | Path) -> Scenario:
    """Read a TOML scenario file (following ``base`` inheritance), or a shipped scenario by name
    (``load_scenario("policy")``, in a checkout and in an installed wheel), into a :class:`Scenario`.

    Only parameters are inherited: a file without ``name`` takes its file's stem, and its
    description (English and Chinese) is its own or empty, never its base's.
    """
    path = Path(path)
    if str(path) in ("", "."):
        raise ScenarioError("empty scenario name: give a scenario file or a shipped name such as baseline")
    if not path.exists() and not path.suffix and path.name == str(path) and (SCENARIO_DIR / f"{path}.toml").is_file():
        path = SCENARIO_DIR / f"{path}.toml"  # a shipped scenario by name, as the command line takes it
    values = _read_chain(path, ())
    real = _resolve(path)
    top = read_toml(real, ScenarioError, "scenario file")
    try:
        params = Params(**values)
    except ParamError as e:
        raise ScenarioError(f"{real}: {e}") from None
    return Scenario(top.get("name", path.stem).strip(), top.get("description", "").strip(), params,
                    real, values, top.get("name_zh", "").strip(), top.get("description_zh", "").strip())


def resolve_scenario(scenario: str | Path | Scenario | Params | None) -> Scenario:
    """Accept a path, a bare scenario name in ``scenarios/``, a Scenario, Params or None."""
    if scenario is None or isinstance(scenario, (Scenario, Params)):
        return as_scenario(scenario)
    p = Path(scenario)
    if not p.exists() and not p.suffix and (SCENARIO_DIR / f"{p.name}.toml").exists():
        p = SCENARIO_DIR / f"{p.name}.toml"
    elif not p.exists() and not p.suffix and p.with_name(p.name + ".toml").is_file():
        # a bare name of one's own file: say so rather than list the shipped scenarios
        raise ScenarioError(f"{p}: no such scenario; did you mean the file {p.name}.toml? (give the file name "
                            "with its .toml ending)")
    return load_scenario(p)
