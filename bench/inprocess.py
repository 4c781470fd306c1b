"""Households in-process on one core: durable backend, python backend, and the hand-written limit."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from marshmallow import ValidationError

from bench import agreement, limits, timing, workload
from engine import CaseError, evaluate, load_policies

BACKENDS = ("durable", "python")
SAMPLE = 500
VALIDATION = "fact validation alone (the first step of both backends)"
WARM_UP = 200


def engine_runner(policies: Any) -> Callable[[dict[str, Any]], Any]:
    """Return a runner that evaluates one parsed case (an invalid case counts like any other)."""
    def run(case: dict[str, Any]) -> Any:
        try:
            return evaluate(policies, case)
        except CaseError:
            return None
    return run


def validation_runner(policies: Any) -> Callable[[dict[str, Any]], Any]:
    """Return a runner that only checks and loads a case's facts (the first step of ``evaluate``)."""
    def run(case: dict[str, Any]) -> Any:
        try:
            return policies.families[case["policy"]].kinds[case["kind"]].load(case["facts"])
        except ValidationError:
            return None
    return run


def compare_limit(fn: limits.LimitFn, facts: list[Any], cases: list[dict[str, Any]],
                  reference: Any) -> dict[str, Any]:
    """Compare the limit's items with the engine's on the first SAMPLE cases."""
    pairs = []
    for case, prepared in zip(cases[:SAMPLE], facts[:SAMPLE], strict=False):
        try:
            ours = agreement.engine_items(evaluate(reference, case))
        except CaseError:
            continue
        pairs.append((ours, agreement.as_amounts(fn(prepared))))
    return agreement.tally(pairs)


def compare_rates(cases: list[dict[str, Any]], policies: dict[str, Any], limit_name: str,
                  rounds: int, peers: dict[str, timing.Run] | None = None) -> dict[str, Any]:
    """Time any peers, both backends and the named limit on the same cases, interleaved on one core."""
    runs: dict[str, timing.Run] = dict(peers or {})
    runs.update({name: (engine_runner(p), cases) for name, p in policies.items()})
    fn, normalise, why = limits.find(limit_name)
    checked: dict[str, Any] = {}
    if fn is not None:
        facts, why = limits.prepare(fn, normalise, cases)
        if not why:
            checked = compare_limit(fn, facts, cases, policies["python"])
            runs["limit"] = (fn, facts)
    with timing.one_core() as core:
        for runner, inputs in runs.values():  # warm-up: first-call costs are not throughput
            for item in inputs[:WARM_UP]:
                runner(item)
        rates = timing.interleaved(runs, rounds)
    return {"cases": len(cases), "rounds": rounds, "core": core, "rates": rates,
            "limit": why or "measured", "limit_agreement": checked}


def run(count: int = workload.COUNT, rounds: int = timing.ROUNDS) -> dict[str, Any]:
    """Measure households per second of both backends and the limit, same cases, same run."""
    policies = {name: load_policies(workload.POLICIES, backend=name) for name in BACKENDS}
    cases = workload.households(count)
    # the share of one step: what is left of a backend's time once its facts are checked
    peers: dict[str, timing.Run] = {VALIDATION: (validation_runner(policies["python"]), cases)}
    return compare_rates(cases, policies, "household_limit", rounds, peers)
