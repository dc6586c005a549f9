"""The package's folders are its layers, and imports point one way (docs/ODD.md, README "Layout").

core -> running/sweeps -> analysis -> app -> cli. The model core imports neither plotting, Solara
nor Dask. Checked from the source (every import statement, also inside functions), so a lazy
import cannot hide a dependency that points the wrong way.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PKG = Path(__file__).resolve().parents[1] / "consultsim"
RANK = {"core": 0, "i18n": 1, "running": 1, "sweeps": 1, "analysis": 2, "app": 3, "cli": 4}  # cli serves the app
FORBIDDEN_IN_CORE = ("matplotlib", "solara", "dask", "distributed", "altair", "ipywidgets", "tomllib")


def _layer(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == "consultsim" and parts[1] in RANK else None


def _imports(path: Path) -> list[str]:
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, f"{path}: relative import; use consultsim.<layer>.<module>"
            out.append(node.module or "")
    return out


FILES = sorted(p for p in PKG.rglob("*.py") if _layer("consultsim." + p.relative_to(PKG).parts[0]))


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(PKG)))
def test_imports_point_one_way(path):
    here = _layer("consultsim." + path.relative_to(PKG).parts[0])
    for mod in _imports(path):
        there = _layer(mod)
        if there is not None:
            assert RANK[there] <= RANK[here], f"{path.relative_to(PKG)} ({here}) imports {mod} ({there})"
        if here == "core":
            assert not mod.startswith(FORBIDDEN_IN_CORE), f"the model core imports {mod} ({path.name})"


def test_the_layer_check_sees_a_wrong_way_import(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("def f():\n    from consultsim.analysis.report import write_report\n")
    assert "consultsim.analysis.report" in _imports(bad)
    assert RANK[_layer("consultsim.analysis.report")] > RANK["core"]
