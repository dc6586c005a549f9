"""Shared fixtures: small, fast model runs."""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("MPLBACKEND", "Agg")


@pytest.fixture(scope="session")
def baseline_run():
    """One baseline run at full size (2,000 households, 104 weeks, seed 7)."""
    from consultsim import ConsultationModel

    m = ConsultationModel(rng=7)
    for _ in range(104):
        m.step()
    return m
