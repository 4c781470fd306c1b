"""Households in-process on one core: durable backend, python backend, and the hand-written limit."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bench import agreement, limits, timing, workload
from engine import CaseError, evaluate, load_policies

BACKENDS = ("durable", "python")
SAMPLE = 500


def engine_runner(policies: Any) -> Callable[[dict[str, Any]], Any]:
    """Return a runner that evaluates one parsed case (an invalid case counts like any other)."""
    def run(case: dict[str, Any]) -> Any:
        try:
            return evaluate(policies, case)
        except CaseError:
            return None
    return run


def limit_runner(fn: limits.LimitFn) -> Callable[[dict[str, Any]], Any]:
    """Return a runner that gives one case's facts to a limit function."""
    return lambda case: fn(case["facts"])


def check_limit(fn: limits.LimitFn, cases: list[dict[str, Any]], reference: Any) -> tuple[str, dict[str, Any]]:
    """Run the limit over every case once (also a warm-up); compare a sample with the python backend.

    Returns ``("", tally)`` when it can be timed, or ``(why not, {})`` when it raises.
    """
    failures = 0
    first = ""
    for case in cases:
        try:
            fn(case["facts"])
        except Exception as e:  # a broken limit is reported, not fatal
            failures += 1
            first = first or f"{type(e).__name__}: {e}"
    if failures:
        return f"not available (raised on {failures} of {len(cases)} cases; first: {first})", {}
    sample = cases[:SAMPLE]
    pairs = []
    for case in sample:
        try:
            ours = agreement.engine_items(evaluate(reference, case))
        except CaseError:
            continue
        pairs.append((ours, agreement.as_amounts(fn(case["facts"]))))
    return "", agreement.tally(pairs)


def run(count: int = workload.COUNT, rounds: int = timing.ROUNDS) -> dict[str, Any]:
    """Measure households per second of both backends and the limit, same cases, same run."""
    cases = workload.households(count)
    policies = {name: load_policies(workload.POLICIES, backend=name) for name in BACKENDS}
    runners = {name: engine_runner(policies[name]) for name in BACKENDS}
    fn, why = limits.find("household_limit")
    checked: dict[str, Any] = {}
    if fn is not None:
        why, checked = check_limit(fn, cases, policies["python"])
        if not why:
            runners["limit"] = limit_runner(fn)
    with timing.one_core() as core:
        for runner in runners.values():  # warm-up: first-call costs are not throughput
            for case in cases[:200]:
                runner(case)
        rates = timing.interleaved(runners, cases, rounds)
    return {"cases": len(cases), "rounds": rounds, "core": core, "rates": rates,
            "limit": why or "measured", "limit_agreement": checked}
