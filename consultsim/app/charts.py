"""The live charts: participation, implementation, trust and efficacy, and who attends by age.

Series come from the model's datacollector (``model.timeseries()``, metric
names of ODD §7.9) and, for the age panel, from the session's own
weekly record of which age groups took part in the last 12 weeks (the window
of ``participation_rate``), which shows pattern P3 (attendance rises with age)
directly.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from consultsim.app.network import AGE_COLOURS
from consultsim.core.metric_names import label

__all__ = ["PANELS", "draw_charts", "age_frame"]

PANELS = ("Participation", "Implementation", "Trust and efficacy", "Who takes part, by age group")


def age_frame(age_history) -> pd.DataFrame:
    return pd.DataFrame(age_history, columns=["step", "young", "middle", "elderly"])


def _line(ax, ts: pd.DataFrame, col: str, colour: str, name: str | None = None, **kw):
    if col in ts:
        ax.plot(ts["step"], ts[col], color=colour, lw=1.8, label=name or label(col), **kw)


def _share_axis(ax, weeks: int, title: str):
    ax.set_title(title, fontsize=10, loc="left")
    ax.set_ylim(-0.02, 1.02)
    ax.set_xlim(0, max(weeks, 12))
    ax.yaxis.set_major_formatter(lambda v, _: f"{v:.0%}")
    ax.grid(alpha=0.3)
    ax.tick_params(labelsize=8)
    ax.legend(fontsize=7, loc="best", frameon=False, handlelength=1.2, borderaxespad=0.2)


def _fit_top(ax, df: pd.DataFrame, cols) -> None:
    """Shares that stay small (participation) get a y axis up to a little above their maximum, at least 30%."""
    vals = df[[c for c in cols if c in df]].to_numpy(dtype=float)
    top = float(np.nanmax(vals, initial=0.0)) if vals.size else 0.0
    ax.set_ylim(-0.01, min(1.02, max(0.3, top * 1.15)))


def draw_charts(ts: pd.DataFrame, ages: pd.DataFrame, *, width: float = 5.8, height: float = 4.6):
    """A 2x2 matplotlib Figure of the four live charts."""
    from matplotlib.figure import Figure

    # fixed margins: a constrained layout doubles the time to draw a frame
    fig = Figure(figsize=(width, height), dpi=100)
    fig.subplots_adjust(left=0.075, right=0.985, top=0.94, bottom=0.09, hspace=0.3, wspace=0.3)
    axes = fig.subplots(2, 2, sharex=True)
    weeks = int(ts["step"].max()) if len(ts) else 0
    last = ts.iloc[-1] if len(ts) else pd.Series(dtype=float)

    ax = axes[0, 0]
    _line(ax, ts, "participation_rate", "#d94701", "took part in the last 12 weeks")
    _line(ax, ts, "attendance_rate", "#fdae6b", "attended this week")
    _share_axis(ax, weeks, PANELS[0])
    _fit_top(ax, ts, ("participation_rate", "attendance_rate"))

    ax = axes[0, 1]
    agreed, done, stalled = (float(last.get(k, np.nan)) for k in ("resolutions", "implemented", "stalled"))
    counts = all(np.isfinite(v) for v in (agreed, done, stalled))
    _line(ax, ts, "implementation_rate", "#2c7fb8",
          f"implemented ({done:.0f} of {agreed:.0f} agreed)" if counts else None)
    if {"stalled", "resolutions"} <= set(ts):
        # stalled share of resolutions: the other side of the implementation gap (pattern P4)
        share = ts["stalled"] / ts["resolutions"].where(ts["resolutions"] > 0)
        ax.plot(ts["step"], share, color="#c62828", lw=1.6, label=f"stalled past deadline ({stalled:.0f})"
                if counts else "stalled past deadline")
    _line(ax, ts, "procedure_completion", "#7fcdbb", "agenda topics decided on schedule", ls="--")
    _share_axis(ax, weeks, PANELS[1])
    # room above 100% for the legend, which would otherwise sit on the lines
    ax.set_ylim(-0.02, 1.6)
    ax.set_yticks([0, 0.2, 0.4, 0.6, 0.8, 1.0])
    ax.legend(fontsize=7, loc="upper left", frameon=False, handlelength=1.2, borderaxespad=0.2)

    ax = axes[1, 0]
    _line(ax, ts, "mean_trust_committee", "#c51b7d", "trust in the committee")
    _line(ax, ts, "mean_trust_property", "#35978f", "trust in the property manager")
    _line(ax, ts, "mean_efficacy", "#542788", "sense that taking part matters")
    _share_axis(ax, weeks, PANELS[2])
    ax.yaxis.set_major_formatter(lambda v, _: f"{v:.1f}")
    ax.set_xlabel("week", fontsize=8)

    ax = axes[1, 1]
    for col, colour, name in zip(("young", "middle", "elderly"), AGE_COLOURS,
                                 ("young 18-39", "middle 40-59", "elderly 60+")):
        if col in ages and len(ages):
            ax.plot(ages["step"], ages[col], color=colour, lw=1.8, label=f"{name}")
    _share_axis(ax, weeks, PANELS[3])
    _fit_top(ax, ages, ("young", "middle", "elderly"))
    ax.set_ylabel("took part in the last 12 weeks", fontsize=7.5)
    ax.set_xlabel("week", fontsize=8)
    return fig
