"""Measurements that need a fresh process, run as ``python -m bench.probe load|rss ...``; print JSON.

``load BACKEND``: seconds of the first ``load_policies`` of all bundled policies (after the imports).
``rss BACKEND N SECONDS``: VmRSS after a warm-up pass over the 10,000 seeded households, then after N
more evaluations cycling through them (stopping early, and saying so, after SECONDS).
"""
from __future__ import annotations

import gc
import json
import sys
import time
from typing import Any

from bench import procfs, workload
from engine import CaseError, evaluate, load_policies


def first_load(backend: str) -> dict[str, Any]:
    """Time the first load and compile of every bundled policy in this process."""
    start = time.perf_counter()
    load_policies(workload.POLICIES, backend=backend)
    return {"backend": backend, "seconds": time.perf_counter() - start}


def rss_growth(backend: str, evaluations: int, seconds: float) -> dict[str, Any]:
    """Return VmRSS (kB) after warm-up and after ``evaluations`` more evaluations."""
    policies = load_policies(workload.POLICIES, backend=backend)
    cases = workload.households()
    for case in cases:  # warm-up: caches and first-call allocations are not growth
        _evaluate(policies, case)
    gc.collect()
    before = procfs.rss_kb()
    stop_at = time.monotonic() + seconds
    done = 0
    while done < evaluations and time.monotonic() < stop_at:
        for case in cases[: min(len(cases), evaluations - done)]:
            _evaluate(policies, case)
        done += min(len(cases), evaluations - done)
    gc.collect()
    after = procfs.rss_kb()
    return {"backend": backend, "evaluations": done, "requested": evaluations, "before_kb": before, "after_kb": after,
            "growth_pct": 100 * (after - before) / before}


def _evaluate(policies: Any, case: dict[str, Any]) -> None:
    try:
        evaluate(policies, case)
    except CaseError:
        pass


def main() -> None:
    """Run one probe named on the command line and print its JSON."""
    kind, backend = sys.argv[1], sys.argv[2]
    if kind == "load":
        result = first_load(backend)
    else:
        result = rss_growth(backend, int(sys.argv[3]), float(sys.argv[4]))
    print(json.dumps(result))


if __name__ == "__main__":
    main()
