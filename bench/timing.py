"""Interleaved timing rounds on one pinned core, reported as medians (BENCHMARKS.md)."""
from __future__ import annotations

import os
import statistics
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

ROUNDS = 3


@contextmanager
def one_core() -> Iterator[int]:
    """Pin this process to a single core for the block, then restore its affinity."""
    before = os.sched_getaffinity(0)
    core = max(before)
    os.sched_setaffinity(0, {core})
    try:
        yield core
    finally:
        os.sched_setaffinity(0, before)


def rate(run: Callable[[Any], Any], cases: Sequence[Any]) -> float:
    """Return cases per second of ``run`` over every case once."""
    start = time.perf_counter()
    for case in cases:
        run(case)
    return len(cases) / (time.perf_counter() - start)


Run = tuple[Callable[[Any], Any], Sequence[Any]]


def interleaved(runs: dict[str, Run], rounds: int = ROUNDS) -> dict[str, dict[str, Any]]:
    """Time each ``(runner, its inputs for the same cases)`` in interleaved rounds; return medians and rates.

    The order rotates each round so that no runner always goes first (warm caches, CPU boost).
    """
    names = list(runs)
    rates: dict[str, list[float]] = {name: [] for name in names}
    for r in range(rounds):
        for name in names[r % len(names):] + names[:r % len(names)]:
            rates[name].append(rate(*runs[name]))
    return {name: {"median": statistics.median(values), "rates": values} for name, values in rates.items()}
