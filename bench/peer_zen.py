"""The peer: the listing subsidies as a zen-engine (GoRules) decision table, against both backends.

The table is evaluated through ``ZenEngine({"loader": fn}).evaluate(key, context)``, the path that
caches the compiled decision (BENCHMARKS.md).  It runs in loop mode over ``events`` (one call per
enterprise), first hit, nine rows: an event before the policy's first day gets nothing, then one row
per event type.  "Once per type, the earliest event wins" (L-1, L-3, ``once: true``) is four lines of
Python after the call, timed with it.  Paid amounts and the due figure are not part of the table.
"""
from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from bench import agreement, inprocess, timing, workload
from engine import CaseError, evaluate, load_policies

KEY = "listing-subsidies.json"
POLICY_FROM = "2022-04-29"
FIXED = {  # 临兰政字〔2022〕16号 二（五）, 元
    "share_reform_registered": 1_000_000,
    "csrc_acceptance": 4_000_000,
    "domestic_listing": 5_000_000,
    "acquisition_relocation": 5_000_000,
    "hq_relocation": 5_000_000,
    "neeq_listing": 500_000,
}
# 2% of repatriated funds, capped at 5,000,000, rounded to the cent (zen's round() is half away from zero)
OVERSEAS = "round(min([number(repatriated_funds) * 0.02, 5000000]), 2)"


def _row(n: int, code: str | None, amount: str, type_: str = "", date: str = "", exchange: str = "") -> dict[str, str]:
    return {"_id": f"r{n}", "type": type_, "date": date, "exchange": exchange,
            "code": json.dumps(code), "amount": amount}


def decision_table() -> dict[str, Any]:
    """Return the JDM graph: input → 9-row first-hit decision table (loop over events) → output."""
    rows = [_row(0, None, "0", date=f'date($) < date("{POLICY_FROM}")')]
    rows += [_row(len(rows), code, str(amount), type_=json.dumps(code)) for code, amount in FIXED.items()]
    rows.append(_row(len(rows), "overseas_listing", OVERSEAS, type_='"overseas_listing"'))
    rows.append(_row(len(rows), "regional_equity_listing", "100000", type_='"regional_equity_listing"',
                     exchange='"qilu", "qingdao_blue_ocean"'))
    table = {
        "hitPolicy": "first",
        "inputs": [{"id": "type", "name": "Event type", "field": "type"},
                   {"id": "date", "name": "Event date", "field": "date"},
                   {"id": "exchange", "name": "Exchange", "field": "exchange"}],
        "outputs": [{"id": "code", "name": "Subsidy", "field": "code"},
                    {"id": "amount", "name": "Amount", "field": "amount"}],
        "rules": rows,
        "executionMode": "loop", "inputField": "events", "outputPath": "subsidies", "passThrough": False,
    }
    return {
        "nodes": [
            {"id": "request", "type": "inputNode", "name": "Request", "position": {"x": 0, "y": 0}},
            {"id": "subsidies", "type": "decisionTableNode", "name": "Listing subsidies",
             "position": {"x": 300, "y": 0}, "content": table},
            {"id": "response", "type": "outputNode", "name": "Response", "position": {"x": 600, "y": 0}},
        ],
        "edges": [{"id": "e1", "sourceId": "request", "targetId": "subsidies", "type": "edge"},
                  {"id": "e2", "sourceId": "subsidies", "targetId": "response", "type": "edge"}],
    }


def zen_runner() -> Any:
    """Return a runner: one enterprise's facts → ``{code: Decimal amount}``, via the cached zen path."""
    import zen

    content = json.dumps(decision_table())
    engine = zen.ZenEngine({"loader": lambda key: content})

    def run(facts: dict[str, Any]) -> dict[str, Decimal]:
        outputs = engine.evaluate(KEY, facts)["result"]["subsidies"]
        events = facts["events"]
        items: dict[str, Decimal] = {}
        for i in sorted(range(len(events)), key=lambda i: events[i]["date"]):  # ISO dates sort as dates
            code = outputs[i].get("code")
            if code and code not in items:
                items[code] = Decimal(str(outputs[i]["amount"]))
        return items
    return run


def verify(run: Any, cases: list[dict[str, Any]], reference: Any) -> dict[str, Any]:
    """Compare the table's amounts with our engine's items on every case."""
    pairs = []
    for case in cases:
        try:
            ours = agreement.engine_items(evaluate(reference, case))
        except CaseError:
            continue
        pairs.append((ours, {code: amount.quantize(agreement.CENT) for code, amount in run(case["facts"]).items()}))
    return agreement.tally(pairs)


def run(count: int = workload.COUNT, rounds: int = timing.ROUNDS) -> dict[str, Any]:
    """Time zen, both backends and the listing limit on the same enterprises, in one run."""
    from importlib.metadata import version

    import zen  # noqa: F401  (a missing bench dependency is reported by the caller)

    cases = workload.enterprises(count)
    policies = {name: load_policies(workload.POLICIES, backend=name) for name in inprocess.BACKENDS}
    zen_run = zen_runner()
    checked = verify(zen_run, cases, policies["python"])
    peer: dict[str, timing.Run] = {"zen-engine": (zen_run, [case["facts"] for case in cases])}
    result = inprocess.compare_rates(cases, policies, "listing_limit", rounds, peer)
    result.update(zen_version=version("zen-engine"), zen_agreement=checked, zen_rows=9)
    return result
