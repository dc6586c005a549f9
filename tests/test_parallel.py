"""The shared executor layer: same results on every executor, chunking, laziness, errors, progress."""

from __future__ import annotations

import itertools
import math

import pytest

from consultsim.errors import UsageError
from consultsim.running.executors import SerialExecutor, imap_unordered, make_executor

ITEMS = list(range(23))
EXPECTED = {i: math.factorial(i) for i in ITEMS}  # independent of our code: the stdlib computes it


def _collect(kind, chunksize, **kw):
    with make_executor(kind, workers=2) as ex:
        pairs = list(imap_unordered(ex, math.factorial, ITEMS, chunksize=chunksize, progress=False, **kw))
    assert len(pairs) == len(ITEMS)  # each item exactly once
    return dict(pairs)


@pytest.mark.parametrize("chunksize", [1, 5])
def test_serial_matches_stdlib(chunksize):
    assert _collect("serial", chunksize) == EXPECTED


def test_process_matches_stdlib():
    assert _collect("process", 4) == EXPECTED


@pytest.mark.dask
def test_dask_local_cluster_matches_stdlib():
    assert _collect("dask", 3) == EXPECTED


def test_exception_propagates_and_serial_future_holds_it():
    fut = SerialExecutor().submit(math.sqrt, -1)
    assert isinstance(fut.exception(), ValueError)
    with make_executor("serial") as ex, pytest.raises(ValueError):
        list(imap_unordered(ex, math.sqrt, [4, 1, -1, 9], progress=False))


def test_items_are_consumed_lazily_with_bounded_in_flight():
    consumed = itertools.count()

    def gen():
        for i in itertools.count():  # infinite: must never be drained
            next(consumed)
            yield i

    with make_executor("serial") as ex:
        it = imap_unordered(ex, abs, gen(), chunksize=10, progress=False, max_in_flight=3)
        first = [next(it) for _ in range(5)]
        it.close()
    assert all(i < 30 and r == i for i, r in first) and len({i for i, _ in first}) == 5  # unordered
    assert next(consumed) <= 3 * 10 + 1  # at most three chunks were ever pulled


def test_progress_bar_to_stderr_and_can_be_disabled(capsys):
    with make_executor("serial") as ex:
        list(imap_unordered(ex, abs, range(7), progress=False))
        assert capsys.readouterr().err == ""
        list(imap_unordered(ex, abs, range(7), progress=True, desc="toy"))
    err = capsys.readouterr().err
    assert "toy" in err and "7/7" in err


def test_bad_executor_and_workers_are_usage_errors():
    with pytest.raises(UsageError, match="unknown executor"), make_executor("threads"):
        pass
    with pytest.raises(UsageError, match="at least 1"), make_executor("process", workers=0):
        pass
