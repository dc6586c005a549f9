"""Network files (``network_file``): read, detect the format, validate, and say what was assumed.

Two formats are read, chosen by the file's extension and checked against its content:

- an **edge list** (``.csv``, ``.tsv``, ``.txt``, ``.edges``, ``.edgelist``, ``.el``): one tie per
  line, two whole-number household ids separated by commas (``.csv``), tabs or spaces; a third
  column (a weight) is ignored; lines starting with ``#`` or ``%`` are comments; a first line
  of names (``source,target``) is a header and skipped. Any other line is an error naming its
  number, so a text file that is not an edge list is never read as one.
- **GraphML** (``.graphml``, ``.xml``), as networkx writes it.

Self loops are dropped and repeated ties merged (counted); ids 0..N-1 are used as they are, ids
1..N shifted to 0..N-1, other ids relabelled in sorted order. The file decides the number of
households (``n_residents``); households are placed in the scenario's ``n_buildings`` buildings
by the model's own rule (ODD §2), so there must be at least one household per building.
:func:`read_network_file` returns the ties and one line stating all of this.
"""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

import numpy as np

from consultsim.core.params import PARAM_INFO
from consultsim.core.scenario import Scenario, ScenarioError

__all__ = ["NetworkFile", "read_network_file", "apply_network"]

EDGE_LIST = (".csv", ".tsv", ".txt", ".edges", ".edgelist", ".el")
GRAPHML = (".graphml", ".xml")
MAX_BYTES = 500_000_000


@dataclasses.dataclass(frozen=True)
class NetworkFile:
    n: int               # households (nodes)
    edges: np.ndarray    # (m, 2) int64, i < j, unique
    note: str            # one line: what was read and what was assumed


def _fail(path: Path, msg: str) -> ScenarioError:
    return ScenarioError(f"network_file {str(path)!r}: {msg}")


def _is_int(tok: str) -> bool:
    t = tok.strip()
    return t.lstrip("+-").isdigit()


def _read_edge_list(path: Path, text: str) -> tuple[list[tuple[int, int]], list[str]]:
    suffix = path.suffix.lower()
    sep = "," if suffix == ".csv" else ("\t" if suffix == ".tsv" else None)
    pairs: list[tuple[int, int]] = []
    notes: list[str] = []
    first = True
    weights = False
    for lineno, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith(("#", "%")):
            continue
        fields = [f.strip() for f in (line.split(sep) if sep else line.split())]
        if len(fields) not in (2, 3):
            raise _fail(path, f"line {lineno}: expected two household ids (and an optional weight), "
                              f"found {len(fields)} fields; is this an edge list?")
        a, b = fields[0], fields[1]
        if not (_is_int(a) and _is_int(b)):
            if first and not _is_int(a) and not _is_int(b):
                notes.append(f"header row {a!r}, {b!r} skipped")
                first = False
                continue
            bad = a if not _is_int(a) else b
            raise _fail(path, f"line {lineno}: {bad!r} is not a whole-number household id")
        if len(fields) == 3 and not weights:
            notes.append("third column (weights) ignored")
            weights = True
        first = False
        pairs.append((int(a), int(b)))
    if not pairs and notes:
        raise _fail(path, f"holds no ties, only one line of two words ({notes[0].split(' skipped')[0]})")
    return pairs, notes


def _read_graphml(path: Path, text: str):
    import networkx as nx

    if not text.lstrip().startswith("<"):
        raise _fail(path, "not a GraphML file (it does not start with '<')")
    try:
        g = nx.parse_graphml(text)
    except Exception as e:  # noqa: BLE001 - networkx and the XML parser raise many kinds
        raise _fail(path, f"not a readable GraphML file ({' '.join(str(e).split())[:200]})") from None
    return g


def read_network_file(path: str | Path, n_buildings: int, n_residents: int | None = None) -> NetworkFile:
    """Read and validate a network file; ScenarioError (one line) on anything that is not a network."""
    from consultsim.running.scenarios import read_text

    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in EDGE_LIST + GRAPHML:
        raise _fail(path, f"unknown format {suffix or '(no extension)'!r}; use an edge list "
                          f"({', '.join(EDGE_LIST)}) or GraphML ({', '.join(GRAPHML)})")
    try:
        size = path.stat().st_size
    except OSError:
        size = 0
    if size > MAX_BYTES:
        raise _fail(path, f"{size:,} bytes; at most {MAX_BYTES:,}")
    if not os.path.lexists(path):  # a loop of links exists: the reader names it
        raise _fail(path, "no such file")
    try:
        text = read_text(path, ScenarioError, "network file", MAX_BYTES)
    except ScenarioError as e:
        raise _fail(path, str(e).removeprefix(f"{path}: ")) from None
    if "\x00" in text:
        raise _fail(path, "not a text file (it contains NUL bytes)")
    notes: list[str] = []
    if suffix in GRAPHML:
        kind = "GraphML"
        g = _read_graphml(path, text)
        nodes = sorted(g.nodes(), key=lambda v: (0, int(v)) if _is_int(str(v)) else (1, str(v)))
        ids = {v: i for i, v in enumerate(nodes)}
        pairs = [(ids[a], ids[b]) for a, b in g.edges()]
        if not all(_is_int(str(v)) for v in nodes) or [int(v) for v in nodes] != list(range(len(nodes))):
            notes.append("node ids relabelled 0..N-1 in sorted order")
        n = len(nodes)
    else:
        kind = "edge list"
        pairs, notes = _read_edge_list(path, text)
        ids_seen = sorted({v for e in pairs for v in e})
        n = len(ids_seen)
        if ids_seen and ids_seen != list(range(n)):
            if ids_seen == list(range(1, n + 1)):
                notes.append("ids 1..N shifted to 0..N-1")
            else:
                notes.append("ids not consecutive: relabelled 0..N-1 in sorted order (households absent "
                             "from the file are not in the community)")
            index = {v: i for i, v in enumerate(ids_seen)}
            pairs = [(index[a], index[b]) for a, b in pairs]
    e = np.array(pairs, dtype=np.int64).reshape(-1, 2)
    loops = int((e[:, 0] == e[:, 1]).sum())
    e = np.sort(e[e[:, 0] != e[:, 1]], axis=1)
    uniq = np.unique(e, axis=0) if len(e) else e
    dups = len(e) - len(uniq)
    if not len(uniq):
        raise _fail(path, "holds no ties between two different households")
    if loops:
        notes.append(f"{loops} self loop{'s' * (loops != 1)} dropped")
    if dups:
        notes.append(f"{dups} repeated tie{'s' * (dups != 1)} merged")
    lo = PARAM_INFO["n_residents"].metadata["lo"]
    hi = PARAM_INFO["n_residents"].metadata["hi"]
    if not lo <= n <= hi:
        raise _fail(path, f"{n} households; a community has {int(lo):,} to {int(hi):,} (n_residents)")
    if n < n_buildings:
        raise _fail(path, f"{n} households cannot fill n_buildings = {n_buildings} buildings; "
                          f"set n_buildings to at most {n}")
    size_note = ("" if n_residents in (None, n)
                 else f"; n_residents {n_residents} of the scenario replaced by the file's {n}")
    note = (f"network_file {path.name}: {kind}, {n} households, {len(uniq)} ties"
            f"{'; ' + '; '.join(notes) if notes else ''}{size_note}; households placed in "
            f"{n_buildings} buildings by the model's rule (the file has no buildings)")
    return NetworkFile(n, uniq, note)


def apply_network(scenario: Scenario) -> tuple[Scenario, NetworkFile | None]:
    """The scenario with ``n_residents`` taken from its network file, and the file's ties (or None)."""
    p = scenario.params
    if not p.network_file:
        return scenario, None
    net = read_network_file(p.network_file, p.n_buildings, p.n_residents)
    if net.n != p.n_residents:
        scenario = scenario.with_overrides(n_residents=net.n)
    return scenario, net
