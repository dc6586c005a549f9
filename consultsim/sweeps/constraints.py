"""``[constraints]`` of an experiment file: combinations of parameters that cannot exist.

Each entry is ``label = "expression"``, e.g. ``shares = "elderly_share + young_share <= 1"``: arithmetic
(+ - * / and parentheses) on parameter names and numbers, compared with < <= > >= == !=, joined by and,
or, not. Nothing else is accepted (no Python is executed). A sampled combination that breaks a constraint
would be a failed run that ``--retry-failed`` cannot fix, so the design avoids it: a Latin hypercube
re-draws the infeasible samples (uniformly inside the feasible region; the stratification of the
re-drawn ones is lost, which the sweep reports), a grid drops the infeasible cells. Sobol and Morris
designs are built in fixed groups (Saltelli's cross matrices swap one column between two independent
samples; a Morris trajectory moves one parameter at a time), so re-drawing one sample would break its
group: with constraints they run the same number of samples drawn uniformly over the feasible set and
the analysis estimates first-order indices from that given data (RBD-FAST/EASI; see
consultsim.analysis.sensitivity). A general constraint has no transform to an independent box, so
reparametrising is left to the user (e.g. vary young_share as a share of 1 - elderly_share, without a
constraint, to keep Saltelli's total-order indices).
"""

from __future__ import annotations

import ast
from collections.abc import Mapping

import numpy as np
import pandas as pd

__all__ = ["Constraint", "parse_constraints", "feasible"]

_CMP = {ast.Gt: np.greater, ast.GtE: np.greater_equal, ast.Lt: np.less, ast.LtE: np.less_equal,
        ast.Eq: np.equal, ast.NotEq: np.not_equal}
_BIN = {ast.Add: np.add, ast.Sub: np.subtract, ast.Mult: np.multiply, ast.Div: np.divide}


class Constraint:
    """One parsed constraint: its label, text and the parameter names it reads."""

    def __init__(self, label: str, text: str, known: set[str], error: type[Exception]):
        self.label, self.text = label, " ".join(str(text).split())
        self._error = error
        try:
            self.tree = ast.parse(self.text, mode="eval").body
        except SyntaxError:
            raise error(f"[constraints] {label} = {text!r}: not an expression such as "
                        "\"elderly_share + young_share <= 1\"") from None
        self.names: set[str] = set()
        self._check(self.tree, known)
        if not isinstance(self.tree, (ast.Compare, ast.BoolOp)) and not (
                isinstance(self.tree, ast.UnaryOp) and isinstance(self.tree.op, ast.Not)):
            raise error(f"[constraints] {label} = {text!r}: must be a comparison (e.g. ... <= 1)")

    def _check(self, node, known: set[str]) -> None:
        ok = (ast.BoolOp, ast.And, ast.Or, ast.UnaryOp, ast.Not, ast.USub, ast.UAdd, ast.Compare, ast.BinOp,
              ast.Name, ast.Constant, ast.Load, *_CMP, *_BIN)
        if not isinstance(node, ok) or (isinstance(node, ast.Constant) and not isinstance(node.value, (int, float))):
            raise self._error(f"[constraints] {self.label} = {self.text!r}: only numbers, parameter names, "
                              "+ - * /, comparisons and and/or/not are allowed")
        if isinstance(node, ast.Name):
            if node.id not in known:
                raise self._error(f"[constraints] {self.label}: unknown parameter {node.id!r}")
            self.names.add(node.id)
        for child in ast.iter_child_nodes(node):
            self._check(child, known)

    def evaluate(self, values: Mapping[str, np.ndarray]) -> np.ndarray:
        with np.errstate(all="ignore"):
            return np.asarray(self._eval(self.tree, values), dtype=bool)

    def _eval(self, node, v):
        if isinstance(node, ast.BoolOp):
            parts = [self._eval(x, v) for x in node.values]
            return np.logical_and.reduce(parts) if isinstance(node.op, ast.And) else np.logical_or.reduce(parts)
        if isinstance(node, ast.UnaryOp):
            x = self._eval(node.operand, v)
            return np.logical_not(x) if isinstance(node.op, ast.Not) else (-x if isinstance(node.op, ast.USub) else x)
        if isinstance(node, ast.Compare):
            left, out = self._eval(node.left, v), True
            for op, right in zip(node.ops, node.comparators):
                r = self._eval(right, v)
                out = np.logical_and(out, _CMP[type(op)](left, r))
                left = r
            return out
        if isinstance(node, ast.BinOp):
            return _BIN[type(node.op)](self._eval(node.left, v), self._eval(node.right, v))
        if isinstance(node, ast.Name):
            return np.asarray(v[node.id], dtype=float)
        return node.value


def parse_constraints(table, known: set[str], error: type[Exception]) -> tuple[Constraint, ...]:
    """The ``[constraints]`` table as constraints (one-line errors naming the bad entry)."""
    if table is None:
        return ()
    if not isinstance(table, dict):
        raise error("[constraints] must be a table of label = \"expression\"")
    out = []
    for label, text in table.items():
        if not isinstance(text, str):
            raise error(f"[constraints] {label}: expected a string such as \"elderly_share + young_share <= 1\"")
        out.append(Constraint(label, text, known, error))
    return tuple(out)


def feasible(constraints, table: pd.DataFrame, fixed: Mapping[str, float]) -> np.ndarray:
    """Which rows of ``table`` (varied parameters) meet every constraint; ``fixed`` gives the other names."""
    ok = np.ones(len(table), dtype=bool)
    for c in constraints:
        values = {n: table[n].to_numpy(dtype=float) if n in table.columns else np.full(len(table), float(fixed[n]))
                  for n in c.names}
        ok &= c.evaluate(values)
    return ok
