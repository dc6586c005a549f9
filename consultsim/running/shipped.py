"""Where the shipped scenario and experiment files are.

In a checkout they are the top-level ``scenarios/`` and ``experiments/`` folders.
(An installed wheel will carry them as package data: see issue 11.)
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["shipped_dir"]

_CHECKOUT = Path(__file__).resolve().parents[2]


def shipped_dir(kind: str) -> Path:
    """The folder of shipped ``"scenarios"`` or ``"experiments"``."""
    if kind not in ("scenarios", "experiments"):
        raise ValueError(f"kind = {kind!r}: expected 'scenarios' or 'experiments'")
    return _CHECKOUT / kind
