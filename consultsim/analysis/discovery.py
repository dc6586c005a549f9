"""Scenario discovery on a finished sweep: which lever mixes reach a target, across which worlds.

The user states a target over outcomes, e.g. ``implementation_rate > 0.6 and
participation_rate > 0.15`` (comparisons of metric names with numbers,
joined by ``and``, ``or``, ``not`` and parentheses); each run either reaches
it or not. Then, with EMA Workbench (Kwakkel 2017, Environmental Modelling &
Software 96, 239-250; https://emaworkbench.readthedocs.io):

- **PRIM** (Friedman & Fisher 1999, Statistics and Computing 9, 123-143)
  peels the space of varied parameters down to a box where the share of runs
  reaching the target (*density*) is high while keeping as many of all such
  runs as possible inside (*coverage*). The peeling trajectory is the
  coverage/density trade-off; the box reported is the one with the highest
  coverage among those with density >= ``min_density`` (Bryant & Lempert
  2010 use the same trade-off), or the densest one when none reaches it.
- **Feature scoring** (extra-trees, Geurts et al. 2006) ranks the varied
  parameters by how much they explain whether the target is reached.

Each parameter is labelled a lever (what policy controls) or an uncertainty
(what nobody controls) from the experiment file, so a box restricting only
levers is a policy that works across every world sampled, and a box that
also restricts uncertainties says in which worlds it works.
"""

from __future__ import annotations

import ast
import inspect
import math
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from consultsim.analysis.outcomes import describe_when, run_outcomes, undefined_counts
from consultsim.sweeps.experiments import ExperimentError

__all__ = ["Target", "Discovery", "discover", "prim_box"]

MAX_TARGET = 100_000  # characters in a target
def _short(text: str, n: int = 200) -> str:
    """A long target shortened for a one-line message."""
    return text if len(text) <= n else text[:n - 3] + "..."


MAX_DEPTH = 100      # nesting of not, and, or, parentheses and minus signs in a target

_OPS = {ast.Gt: np.greater, ast.GtE: np.greater_equal, ast.Lt: np.less, ast.LtE: np.less_equal,
        ast.Eq: np.equal, ast.NotEq: np.not_equal}


class Target:
    """A condition on outcomes, parsed safely (no Python is executed)."""

    def __init__(self, text: str, names):
        self.text = " ".join(str(text).split())
        if len(self.text) > MAX_TARGET:
            raise ExperimentError(f"--target: {len(self.text):,} characters; at most {MAX_TARGET:,}")
        try:
            self.tree = ast.parse(self.text, mode="eval").body
        except (RecursionError, MemoryError):
            raise ExperimentError(f"--target: nested more than {MAX_DEPTH} levels deep") from None
        except (SyntaxError, ValueError) as e:
            if "too many nested" in str(e):
                raise ExperimentError(f"--target: nested more than {MAX_DEPTH} levels deep") from None
            raise ExperimentError(f"--target {_short(text)!r}: not a condition such as "
                                  "\"implementation_rate > 0.6 and participation_rate > 0.15\"") from None
        self.names: list[str] = []
        self._check(self.tree, set(names))

    def _check(self, node, names: set[str], depth: int = 0) -> None:
        if depth > MAX_DEPTH:  # evaluating it would recurse as deep (RecursionError past ~1,000)
            raise ExperimentError(f"--target: nested more than {MAX_DEPTH} levels deep")
        if isinstance(node, ast.BoolOp):
            for v in node.values:
                self._check(v, names, depth + 1)
        elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            self._check(node.operand, names, depth + 1)
        elif isinstance(node, ast.Compare):
            if not all(type(op) in _OPS for op in node.ops):
                raise ExperimentError(f"--target {_short(self.text)!r}: compare with >, >=, <, <=, == or !=")
            for side in (node.left, *node.comparators):
                self._operand(side, names, depth + 1)
        else:
            raise ExperimentError(f"--target {_short(self.text)!r}: expected comparisons of outcomes with numbers "
                                  "joined by and, or, not")

    def _operand(self, node, names: set[str], depth: int = 0) -> None:
        if depth > MAX_DEPTH:
            raise ExperimentError(f"--target: nested more than {MAX_DEPTH} levels deep")
        if isinstance(node, ast.Name):
            if node.id not in names:
                import difflib
                close = difflib.get_close_matches(node.id, sorted(names), n=1)
                hint = f" (did you mean {close[0]!r}?)" if close else ""
                raise ExperimentError(f"--target: {node.id!r} is not a metric kept by this sweep{hint}; "
                                      f"kept: {', '.join(sorted(names))}")
            if node.id not in self.names:
                self.names.append(node.id)
        elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
            self._operand(node.operand, names, depth + 1)
        elif not (isinstance(node, ast.Constant) and isinstance(node.value, (int, float))
                  and not isinstance(node.value, bool)):
            raise ExperimentError(f"--target {_short(self.text)!r}: compare outcomes with numbers")

    def evaluate(self, df: pd.DataFrame) -> np.ndarray:
        """Boolean array: which rows reach the target (rows with an undefined outcome must be dropped first)."""
        return np.asarray(self._eval(self.tree, df), dtype=bool)

    def _eval(self, node, df):
        if isinstance(node, ast.BoolOp):
            vals = [self._eval(v, df) for v in node.values]
            out = vals[0]
            for v in vals[1:]:
                out = (out & v) if isinstance(node.op, ast.And) else (out | v)
            return out
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            return ~self._eval(node.operand, df)
        if isinstance(node, ast.UnaryOp):
            return -self._eval(node.operand, df)
        if isinstance(node, ast.Compare):
            left, out = self._eval(node.left, df), None
            for op, right in zip(node.ops, node.comparators):
                r = self._eval(right, df)
                part = _OPS[type(op)](left, r)
                out = part if out is None else out & part
                left = r
            return out
        if isinstance(node, ast.Name):
            return df[node.id].to_numpy(dtype=float)
        return float(node.value)


def _prepare_x(x: pd.DataFrame) -> pd.DataFrame:
    """PRIM's inputs: numbers stay numbers; booleans and strings become categories."""
    x = x.copy()
    for c in x.columns:
        if x[c].dtype == bool or not pd.api.types.is_numeric_dtype(x[c]):
            x[c] = x[c].astype(str).astype("category")
        elif pd.api.types.is_integer_dtype(x[c]):
            x[c] = x[c].astype("int64")
        else:
            x[c] = x[c].astype("float64")
    return x


def _ema(module: str):
    """An EMA Workbench module (an optional dependency: consultsim[ema])."""
    import importlib

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "ipyparallel not installed": we do not use its evaluators
            return importlib.import_module(f"ema_workbench.analysis.{module}")
    except ImportError:
        raise ExperimentError("scenario discovery needs EMA Workbench: pip install 'consultsim[ema]'") from None


def prim_box(x: pd.DataFrame, y: np.ndarray, min_density: float = 0.8, peel_alpha: float = 0.05):
    """Run PRIM; return (the PrimBox with its chosen step selected, the chosen index, the trajectory)."""
    prim = _ema("prim")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        kw = {"peel_alpha": peel_alpha}
        if "threshold" in inspect.signature(prim.Prim.__init__).parameters:
            # EMA 2.x counts the runs of interest as y >= threshold, and keeps a box only if its final
            # density reaches it (else it returns the whole space); 3.x dropped the argument.
            kw["threshold"] = min_density
        p = prim.Prim(_prepare_x(x), np.asarray(y, dtype=bool), **kw)
        box = p.find_box()
    traj = box.peeling_trajectory.copy()
    ok = traj[traj["density"] >= min_density]
    i = int(ok.sort_values(["coverage", "density"], ascending=False).index[0]) if len(ok) \
        else int(traj["density"].idxmax())
    box.select(i)
    return box, i, traj


@dataclass
class Discovery:
    target: str
    when: str
    n_runs: int
    n_hits: int
    undefined: dict[str, int]
    failed: int
    box: pd.DataFrame          # parameter, role, lower, upper, restricted
    coverage: float
    density: float
    min_density: float
    trajectory: pd.DataFrame
    scores: pd.DataFrame       # parameter, role, score
    files: list[Path]
    peeled: pd.DataFrame | None = None  # PRIM's peeling trajectory (coverage, density, restricted dims)
    dropped: list | None = None         # restrictions dropped for their quasi-p value: (parameter, qp)
    max_qp: float = 0.05

    def lines(self, lang: str = "en") -> list[str]:
        """The summary a reader sees, in ``lang`` (the catalogue's cmd.discover.* lines)."""
        from consultsim.i18n import tr

        def role(r: str) -> str:
            return tr(f"cmd.role.{r}", lang) if r in ("lever", "uncertainty") else r

        when = self.when
        if lang == "zh":
            from consultsim.i18n.messages import translate_when
            when = translate_when(when)
        out = [tr("cmd.discover.target", lang, target=self.target, when=when, hits=self.n_hits, runs=self.n_runs)]
        if self.undefined:
            out.append(tr("cmd.discover.undefined", lang, what=", ".join(
                tr("cmd.discover.undefined_item", lang, name=k, n=v) for k, v in self.undefined.items())))
        if self.failed:
            out.append(tr("cmd.discover.failed", lang, n=self.failed))
        restricted = self.box[self.box["restricted"]]
        if restricted.empty:
            out.append(tr("cmd.discover.no_box", lang))
        for r in restricted.itertuples():
            out.append(tr("cmd.discover.box", lang, name=r.parameter, role=role(r.role), lo=r.lower, hi=r.upper,
                          qp=r.qp))
        for name, q in self.dropped or []:
            out.append(tr("cmd.discover.dropped", lang, name=name, qp=q, max=self.max_qp))
        if self.peeled is not None and len(self.peeled):
            steps = [f"{r.coverage:.2f}/{r.density:.2f}/{int(r.res_dim)}" for r in self.peeled.itertuples()]
            out.append(tr("cmd.discover.peeling", lang, steps=", ".join(steps)))
        met = "" if self.density >= self.min_density else tr("cmd.discover.not_met", lang, min=self.min_density)
        out.append(tr("cmd.discover.coverage", lang, coverage=self.coverage, density=self.density, met=met))
        top = self.scores.head(5)
        out.append(tr("cmd.discover.scores", lang, scores=", ".join(
            f"{r.parameter} ({role(r.role)}) {r.score:.2f}" for r in top.itertuples())))
        return out


def _fmt(v) -> str:
    if isinstance(v, (set, frozenset)):
        return "{" + ", ".join(sorted(map(str, v))) + "}"
    if isinstance(v, float) and not math.isnan(v):
        return f"{v:.4g}"
    return str(v)


def discover(sweep: str | Path, target: str, out: str | Path | None = None, *, week: int | None = None,
             window: tuple[int, int] | None = None, min_density: float = 0.8, max_qp: float = 0.05,
             force: bool = False, command: list[str] | None = None, option: str = "--out",
             lang: str = "en") -> Discovery:
    """PRIM box and feature scores for ``target`` on the sweep in ``sweep``; figures and tables into ``out``
    (default ``sweep``/discover), written through :func:`consultsim.running.outputs.writing`: staged and
    renamed into place, an earlier discover output replaced only with ``force``, a folder of other files
    never.

    Restrictions whose quasi-p value exceeds ``max_qp`` are dropped (:func:`drop_insignificant`; 1 keeps
    every restriction PRIM made)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from consultsim.sweeps import load_results
    from consultsim.sweeps.storage import FailedRunsWarning

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FailedRunsWarning)  # counted and reported below
        results = load_results(sweep)
    meta = results.attrs["experiment"]["experiment"]
    varied, metrics = list(meta["varied"]), list(meta["metrics"])
    roles = meta.get("roles") or {}
    roles = {p: roles.get(p, "uncertainty") for p in varied}
    tgt = Target(target, metrics)
    if results.empty:
        raise ExperimentError(f"{sweep}: no finished runs to analyse")
    per_run = run_outcomes(results, metrics, week, window)
    undefined = undefined_counts(per_run, tgt.names)
    per_run = per_run.dropna(subset=tgt.names)
    if per_run.empty:
        raise ExperimentError(f"{sweep}: the target's outcomes are undefined in every run")
    y = tgt.evaluate(per_run)
    if not y.any():
        raise ExperimentError(f"--target {_short(tgt.text)!r}: no run reaches it (nothing to discover); "
                              "try a weaker target or another --week/--window")
    if y.all():
        raise ExperimentError(f"--target {_short(tgt.text)!r}: every one of the {len(y)} runs reaches it (nothing to "
                              "discover); try a stronger target or another --week/--window")
    x = per_run[varied].reset_index(drop=True)
    box, i, traj = prim_box(x, y, min_density)
    peeled = traj.copy()  # the trajectory PRIM peeled, before any restriction is dropped
    i, dropped = drop_insignificant(box, i, max_qp)
    traj = box.peeling_trajectory.copy()
    qp = quasi_p(box, i)
    lims = box.box_lims[i]
    init = box.prim.box_init
    rows = []
    for p in varied:
        lo, hi = lims.loc[0, p], lims.loc[1, p]
        restricted = (lo != init.loc[0, p] or hi != init.loc[1, p]) if not isinstance(lo, set) \
            else lo != init.loc[0, p]
        if isinstance(lo, set):
            lo = hi = _fmt(lo)
        rows.append((p, roles[p], _fmt(lo), _fmt(hi), bool(restricted), qp.get(p, math.nan) if restricted else math.nan))
    box_df = pd.DataFrame(rows, columns=["parameter", "role", "lower", "upper", "restricted", "qp"])
    scores = feature_scores(x, y, roles)

    from consultsim.running.outputs import writing

    out = Path(out) if out is not None else Path(sweep) / "discover"
    when = describe_when(week, window, int(results["step"].max()))
    names = ["box.csv", "tradeoff.csv", "feature_scores.csv", "prim_tradeoff.png", "prim_box.png"]
    with writing(out, force=force, command=command, option=option, kind="discover") as tmp:
        box_df.to_csv(tmp / "box.csv", index=False)
        traj.to_csv(tmp / "tradeoff.csv", index=False)
        scores.to_csv(tmp / "feature_scores.csv", index=False)
        from consultsim.analysis.cjk import use_font
        with use_font(lang):
            _tradeoff_figure(traj, i, min_density, tgt.text, when, tmp / "prim_tradeoff.png", plt, lang)
            _box_figure(box, i, box_df, x, tgt.text, tmp / "prim_box.png", plt, lang)
    files = [out / n for n in names]
    return Discovery(tgt.text, when, len(per_run), int(y.sum()), undefined,
                     results.attrs.get("failed", 0), box_df, float(traj.loc[i, "coverage"]),
                     float(traj.loc[i, "density"]), min_density, traj, scores, files, peeled, dropped, max_qp)


def quasi_p(box, i: int) -> dict[str, float]:
    """Quasi-p value of each restriction of box ``i``: a one-sided binomial test of whether the density
    would be as high without that restriction (Bryant & Lempert 2010, Technol. Forecast. Soc. Change 77,
    34-49); the larger of the two sides where both limits are restricted."""
    out = {}
    for name, sides in box.qp[i].items():
        vals = [v for v in sides if v is not None and v >= 0 and not math.isnan(v)]
        out[name] = max(vals) if vals else math.nan
    return out


def drop_insignificant(box, i: int, max_qp: float) -> tuple[int, list[tuple[str, float]]]:
    """Drop, one at a time, the least significant restriction while its quasi-p value exceeds ``max_qp``
    (a restriction that chance alone would often produce is not a finding); each drop adds a box to the
    trajectory. Returns the final box's index and the (parameter, qp) dropped, in order."""
    dropped: list[tuple[str, float]] = []
    while True:
        qp = {k: v for k, v in quasi_p(box, i).items() if not math.isnan(v)}
        worst = max(qp, key=qp.get) if qp else None
        if worst is None or qp[worst] <= max_qp:
            return i, dropped
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            box.drop_restriction(worst, i)
        dropped.append((worst, qp[worst]))
        i = len(box.box_lims) - 1


def feature_scores(x: pd.DataFrame, y: np.ndarray, roles: dict[str, str]) -> pd.DataFrame:
    """Extra-trees feature scores of the varied parameters for reaching the target (sum to 1)."""
    feature_scoring = _ema("feature_scoring")
    RuleInductionType = _ema("scenario_discovery_util").RuleInductionType

    if len(set(y)) < 2:  # every run reaches it (or none): nothing separates them
        s = pd.Series(np.nan, index=x.columns)
    else:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            # EMA's default (a third of the parameters, rounded) is 0 with one or two: at least one
            table, _ = feature_scoring.get_ex_feature_scores(_prepare_x(x), np.asarray(y, dtype=int),
                                                             mode=RuleInductionType.CLASSIFICATION,
                                                             max_features=max(1, round(x.shape[1] / 3)),
                                                             random_state=1)
        s = table.iloc[:, 0]
    df = pd.DataFrame({"parameter": s.index, "role": [roles[p] for p in s.index], "score": s.to_numpy()})
    return df.sort_values("score", ascending=False, ignore_index=True)


def _tradeoff_figure(traj, i, min_density, target, when, path: Path, plt, lang: str = "en") -> Path:
    from consultsim.i18n import tr
    from consultsim.i18n.messages import translate_when

    when = translate_when(when) if lang == "zh" else when
    fig, ax = plt.subplots(figsize=(6.4, 4.6), layout="constrained")
    sc = ax.scatter(traj["coverage"], traj["density"], c=traj["res_dim"], cmap="viridis", s=28, zorder=3)
    ax.plot(traj["coverage"], traj["density"], color="#bbbbbb", lw=0.8, zorder=2)
    ax.scatter([traj.loc[i, "coverage"]], [traj.loc[i, "density"]], s=160, facecolors="none",
               edgecolors="#d62728", lw=1.8, zorder=4, label=tr("fig.prim.reported", lang))
    ax.axhline(min_density, color="#d62728", lw=0.8, ls="--", label=tr("fig.prim.density", lang, d=min_density))
    cb = fig.colorbar(sc, ax=ax, label=tr("fig.prim.restricted", lang))
    cb.set_ticks(sorted({int(v) for v in traj["res_dim"]}))
    ax.set_xlabel(tr("fig.prim.coverage_axis", lang))
    ax.set_ylabel(tr("fig.prim.density_axis", lang))
    ax.set_xlim(0, 1.02)
    ax.set_ylim(0, 1.02)
    ax.grid(color="#e8e8e8", lw=0.6)
    ax.legend(loc="lower left", fontsize=8, frameon=False)
    import textwrap

    ax.set_title(textwrap.fill(tr("fig.prim.trajectory", lang, when=when, target=target), 46 if lang == "zh" else 78),
                 fontsize=9.5, loc="left")
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def _box_figure(box, i, box_df, x, target, path: Path, plt, lang: str = "en") -> Path:
    """Each parameter's range (grey) and the box's limits (blue), normalised to the sampled range."""
    from consultsim.i18n import tr

    def role(r: str) -> str:
        return tr(f"cmd.role.{r}", lang) if r in ("lever", "uncertainty") else r

    n = len(box_df)
    fig, ax = plt.subplots(figsize=(7.2, 0.55 * n + 1.6), layout="constrained")
    for k, r in enumerate(box_df.itertuples()):
        col = x[r.parameter]
        ax.plot([0, 1], [k, k], color="#cccccc", lw=8, solid_capstyle="butt")
        if pd.api.types.is_numeric_dtype(col) and col.dtype != bool:
            lo_all, hi_all = float(col.min()), float(col.max())
            span = (hi_all - lo_all) or 1.0
            lo, hi = float(r.lower), float(r.upper)
            a, b = (lo - lo_all) / span, (hi - lo_all) / span
            ax.plot([a, b], [k, k], color="#1f5fa8" if r.restricted else "#8fb3dd", lw=8, solid_capstyle="butt")
            ax.text(-0.02, k, f"{lo_all:.3g}", ha="right", va="center", fontsize=8, color="#666666")
            ax.text(1.02, k, f"{hi_all:.3g}", ha="left", va="center", fontsize=8, color="#666666")
            if r.restricted:
                ax.text((a + b) / 2, k + 0.32, f"{lo:.3g} .. {hi:.3g}", ha="center", fontsize=8.5,
                        color="#1f5fa8")
        else:
            ax.plot([0, 1], [k, k], color="#1f5fa8" if r.restricted else "#8fb3dd", lw=8, solid_capstyle="butt")
            ax.text(0.5, k + 0.32, r.lower, ha="center", fontsize=8.5, color="#1f5fa8")
    ax.set_yticks(range(n), [f"{p if lang == 'zh' else p.replace('_', ' ')}\n({role(r)})"
                             for p, r in zip(box_df["parameter"], box_df["role"])], fontsize=8.5)
    ax.set_ylim(n - 0.4, -0.7)
    ax.set_xlim(-0.16, 1.14)
    ax.set_xticks([])
    ax.tick_params(axis="y", length=0)
    for side in ("top", "right", "bottom", "left"):
        ax.spines[side].set_visible(False)
    traj = box.peeling_trajectory
    ax.set_title(tr("fig.prim.box", lang, target=target, coverage=traj.loc[i, "coverage"],
                    density=traj.loc[i, "density"]), fontsize=9.5, loc="left")
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path
