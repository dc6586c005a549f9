"""Scenario files: TOML, grouped in sections, with inheritance by ``base``.

A scenario file looks like::

    name = "incentives"
    description = "One paragraph on what this scenario is about."
    base = "baseline.toml"          # optional: inherit, then change

    [policy]
    incentive_per_meeting = 20      # every value may carry a comment

Sections group parameters as in :class:`consultsim.core.params.Params`; a key in
the wrong section, an unknown key, a wrong type, a value out of range, a
missing base file or an inheritance loop raise :class:`ScenarioError` whose
message names the file, the key and what is allowed.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from consultsim.core.params import PARAM_INFO, ParamError, Params, allowed, suggest
from consultsim.core.scenario import Scenario, ScenarioError, as_scenario
from consultsim.running.shipped import shipped_dir

__all__ = ["Scenario", "ScenarioError", "load_scenario", "resolve_scenario", "SCENARIO_DIR"]

SCENARIO_DIR = shipped_dir("scenarios")
_TOP_KEYS = {"name", "description", "name_zh", "description_zh", "base"}
SECTIONS = sorted({f.metadata["section"] for f in PARAM_INFO.values()})


def read_toml(path: Path, error: type[Exception]) -> dict[str, Any]:
    """Parse a TOML file; a syntax or encoding problem raises ``error`` naming the file."""
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as e:
        raise error(f"{path}: not valid TOML: {e}") from None
    except UnicodeDecodeError:
        raise error(f"{path}: not a UTF-8 text file") from None


def _read_chain(path: Path, seen: tuple[Path, ...]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Flat parameter values and top-level keys, base first then this file."""
    path = path.resolve()
    if path in seen:
        chain = " -> ".join(p.name for p in (*seen, path))
        raise ScenarioError(f"{path}: inheritance loop ({chain})")
    if not path.is_file():
        where = f" (base of {seen[-1]})" if seen else ""
        raise ScenarioError(f"{path}: no such scenario file{where}")
    data = read_toml(path, ScenarioError)
    values: dict[str, Any] = {}
    top: dict[str, Any] = {}
    if "base" in data:
        base = data["base"]
        if not isinstance(base, str):
            raise ScenarioError(f"{path}: key 'base' must be a file name string")
        values, base_top = _read_chain(path.parent / base, (*seen, path))
        top.update({k: v for k, v in base_top.items() if k != "base"})
    for key, val in data.items():
        if key in _TOP_KEYS:
            if key != "base" and not isinstance(val, str):
                raise ScenarioError(f"{path}: key {key!r} must be a string")
            top[key] = val
            continue
        if not isinstance(val, dict):
            hint = ""
            if key in PARAM_INFO:
                hint = f" (put it under [{PARAM_INFO[key].metadata['section']}])"
            raise ScenarioError(f"{path}: unknown top-level key {key!r}{hint}; "
                                f"allowed: name, description, name_zh, description_zh, base and sections {', '.join(SECTIONS)}")
        if key not in SECTIONS:
            raise ScenarioError(f"{path}: unknown section [{key}]; allowed: {', '.join(SECTIONS)}")
        for name, v in val.items():
            f = PARAM_INFO.get(name)
            if f is None:
                raise ScenarioError(f"{path}: [{key}] {name}: unknown parameter{suggest(name)}")
            if f.metadata["section"] != key:
                raise ScenarioError(f"{path}: [{key}] {name}: belongs in [{f.metadata['section']}]")
            try:
                Params().replace(**{name: v})
            except ParamError:
                raise ScenarioError(f"{path}: [{key}] {name} = {v!r}: expected {allowed(f)}") from None
            if name == "network_file" and v:
                v = str((path.parent / v).resolve())
            values[name] = v
    return values, top


def load_scenario(path: str | Path) -> Scenario:
    """Read a TOML scenario file (following ``base`` inheritance) into a :class:`Scenario`."""
    path = Path(path)
    values, top = _read_chain(path, ())
    try:
        params = Params(**values)
    except ParamError as e:
        raise ScenarioError(f"{path.resolve()}: {e}") from None
    return Scenario(top.get("name", path.stem), top.get("description", "").strip(), params,
                    path.resolve(), values, top.get("name_zh", "").strip(), top.get("description_zh", "").strip())


def resolve_scenario(scenario: str | Path | Scenario | Params | None) -> Scenario:
    """Accept a path, a bare scenario name in ``scenarios/``, a Scenario, Params or None."""
    if scenario is None or isinstance(scenario, (Scenario, Params)):
        return as_scenario(scenario)
    p = Path(scenario)
    if not p.exists() and not p.suffix and (SCENARIO_DIR / f"{p.name}.toml").exists():
        p = SCENARIO_DIR / f"{p.name}.toml"
    return load_scenario(p)
