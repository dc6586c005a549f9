"""Stand-in models with known answers, run through the same sweep machinery as ConsultSim.

Each has the signature of :func:`consultsim.running.runner.simulate` and returns a
time series (a DataFrame with ``step`` and one column per output), so an
experiment file can name it with ``model = "consultsim.sweeps.testfunctions:NAME"``.
"""

from __future__ import annotations

import math
import os
import time

import numpy as np
import pandas as pd

__all__ = ["ishigami", "linear", "toy"]


def ishigami(scenario=None, *, seed: int, steps: int = 1, overrides=None, collect_every: int = 1) -> pd.DataFrame:
    """The Ishigami function (Ishigami & Homma 1990), output ``y`` at step ``steps``.

    y = sin x1 + a sin^2 x2 + b x3^4 sin x1 with x_i ~ U(-pi, pi); for
    a = 7, b = 0.1 the Sobol indices are known analytically (Saltelli et al.
    2008, "Global Sensitivity Analysis: The Primer", p. 179): S1 = 0.314,
    0.442, 0; ST = 0.558, 0.442, 0.244. ``a`` and ``b`` may be overridden.
    """
    o = dict(overrides or {})
    x1, x2, x3 = float(o["x1"]), float(o["x2"]), float(o["x3"])
    a, b = float(o.get("a", 7.0)), float(o.get("b", 0.1))
    y = math.sin(x1) + a * math.sin(x2) ** 2 + b * x3**4 * math.sin(x1)
    return pd.DataFrame({"step": [int(steps)], "y": [y]})


def linear(scenario=None, *, seed: int, steps: int = 1, overrides=None, collect_every: int = 1) -> pd.DataFrame:
    """``y = x1 + 2 x2 + 0 x3``: every Morris elementary effect of x_i (on unit ranges) is exactly
    its coefficient, so mu* = mu = (1, 2, 0) and sigma = 0. Output ``w`` is y where x1 >= 0.5,
    undefined elsewhere."""
    o = dict(overrides or {})
    y = float(o["x1"]) + 2.0 * float(o["x2"]) + 0.0 * float(o["x3"])
    # ``w``: like y, but undefined (NaN) where x1 < 0.5, as a share of attendees is when nobody attends
    w = y if float(o["x1"]) >= 0.5 else math.nan
    return pd.DataFrame({"step": [int(steps)], "y": [y], "w": [w]})


def toy(scenario=None, *, seed: int, steps: int = 10, overrides=None, collect_every: int = 1) -> pd.DataFrame:
    """A noisy linear trend ``y = slope * step + noise`` and a running mean ``z``, for testing sweeps.

    Overrides: ``slope`` (default 1), ``noise`` (sd, default 0.1), ``delay``
    (seconds to sleep, to make runs slow enough to interrupt), ``fail_above``
    (raise ValueError when slope exceeds it), ``die_once`` with ``die_slope``
    (end the worker process abruptly, as an out-of-memory kill would, the
    first time a run with that slope starts: the file named by ``die_once``
    marks that it happened, so a retried run succeeds).
    """
    o = dict(overrides or {})
    slope = float(o.get("slope", 1.0))
    if "fail_above" in o and slope > float(o["fail_above"]):
        raise ValueError(f"slope {slope:g} is above {float(o['fail_above']):g}")
    if o.get("delay"):
        time.sleep(float(o["delay"]))
    flag = o.get("die_once")
    if flag and slope == float(o.get("die_slope", math.nan)) and not os.path.exists(flag):
        open(flag, "w").close()
        os._exit(9)
    rng = np.random.default_rng(int(seed))
    step = np.arange(int(steps) + 1)
    y = slope * step + rng.normal(0.0, float(o.get("noise", 0.1)), len(step))
    z = np.cumsum(y) / (step + 1)
    return pd.DataFrame({"step": step, "y": y, "z": z})
