"""Where the shipped scenario and experiment files are.

In a checkout they are the top-level ``scenarios/`` and ``experiments/``
folders (the source of truth: edit them there). An installed wheel carries
copies as package data in ``consultsim/_shipped/`` (setup.py copies them at
build time), found through :mod:`importlib.resources`.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

__all__ = ["shipped_dir"]

_CHECKOUT = Path(__file__).resolve().parents[2]
KINDS = ("scenarios", "experiments", "districts")


def _is_checkout(root: Path) -> bool:
    try:
        return 'name = "consultsim"' in (root / "pyproject.toml").read_text(encoding="utf-8")
    except OSError:
        return False


def shipped_dir(kind: str) -> Path:
    """The folder of shipped ``"scenarios"``, ``"experiments"`` or ``"districts"``: the checkout's, else the package's."""
    if kind not in KINDS:
        raise ValueError(f"kind = {kind!r}: expected one of {KINDS}")
    if (_CHECKOUT / kind).is_dir() and _is_checkout(_CHECKOUT):
        return _CHECKOUT / kind
    # a wheel installs as plain files, so the resource is a real folder
    return Path(str(resources.files("consultsim") / "_shipped" / kind))
