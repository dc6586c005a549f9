"""Random streams: one seed in, every draw derived from it.

Seeds flow down a hierarchy with :class:`numpy.random.SeedSequence` (as in
Axelrod's tournaments and agentpy's experiments): a master seed gives one
seed per replicate (:func:`derive_seeds`), and a run's seed gives one named,
independent generator per model process (:class:`Streams`), so adding a draw
to one process never shifts the draws of another. No global generator is used.
"""

from __future__ import annotations

import numpy as np

__all__ = ["Streams", "derive_seeds", "fresh_seed", "STREAM_NAMES"]

# Order matters: a stream's position fixes its child SeedSequence. Append only.
STREAM_NAMES = (
    "population", "network", "concerns", "notice", "participation",
    "deliberation", "voting", "implementation", "feedback", "learning", "committee",
)


def _to_int(ss: np.random.SeedSequence) -> int:
    return int(ss.generate_state(1, dtype=np.uint64)[0] >> np.uint64(1))


def derive_seeds(master_seed: int, n: int) -> list[int]:
    """``n`` independent run seeds derived from ``master_seed`` (63-bit ints)."""
    return [_to_int(c) for c in np.random.SeedSequence(int(master_seed)).spawn(int(n))]


def fresh_seed() -> int:
    """A new seed from OS entropy, for runs where the user gave none (it is stored)."""
    return _to_int(np.random.SeedSequence())


class Streams:
    """Named, independent ``numpy.random.Generator`` objects derived from one seed."""

    def __init__(self, seed: int):
        self.seed = int(seed)
        children = np.random.SeedSequence(self.seed).spawn(len(STREAM_NAMES))
        for name, child in zip(STREAM_NAMES, children):
            setattr(self, name, np.random.default_rng(child))
        self.networkx_seed = _to_int(children[STREAM_NAMES.index("network")].spawn(1)[0]) % (2**32)
