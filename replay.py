"""Replay a logged decision on the exact policy files it was made with, and compare with today's policies.

The stored files are written to a temporary directory and loaded with the python backend (the
property tests hold it equal to the durable one), so replaying never registers durable rulesets.
"""
from __future__ import annotations

import json
import tempfile
import threading
from collections import OrderedDict
from decimal import Decimal
from pathlib import Path
from typing import Any

from decision_log import Decision, DecisionLog
from engine import CaseError, PolicySet, UnknownFamily, evaluate, load_policies

IGNORED = {"decision_id", "trace"}  # not part of what was decided
_CACHE: OrderedDict[str, PolicySet] = OrderedDict()
_CACHE_SIZE = 4
_CACHE_LOCK = threading.Lock()


def stored_policies(log: DecisionLog, set_hash: str) -> PolicySet:
    """The policy set a decision was made with, rebuilt from the log (a few kept in memory)."""
    with _CACHE_LOCK:
        if set_hash in _CACHE:
            _CACHE.move_to_end(set_hash)
            return _CACHE[set_hash]
    sources = log.policy_sources(set_hash)
    with tempfile.TemporaryDirectory(prefix="lanshan-replay-") as scratch:
        folder = Path(scratch, "policies")  # so problems read "policies/<family>/<file>:line:col", as live ones do
        for relative, data in sources.items():
            target = Path(folder, *relative.split("/"))
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        policies = load_policies(folder, backend="python")
    with _CACHE_LOCK:
        _CACHE[set_hash] = policies
        while len(_CACHE) > _CACHE_SIZE:
            _CACHE.popitem(last=False)
    return policies


def replay(log: DecisionLog, decision: Decision, current: PolicySet) -> dict[str, Any]:
    """Re-evaluate a decision on its own policy files and on the current ones; list every difference."""
    original = {k: v for k, v in decision.answer.items() if k not in IGNORED}
    again = _outcome(stored_policies(log, decision.policy_set), decision.input)
    now = _outcome(current, decision.input)
    return {
        "decision_id": decision.id,
        "policy_set": decision.policy_set,
        "input_masked": decision.masked,
        "reproduced": not differences(original, again),
        "differences_on_original_policies": differences(original, again),
        "current_policy_set": current.content_hash,
        "differences_on_current_policies": differences(original, now),
        "current_answer": now,
    }


def _outcome(policies: PolicySet, case: Any) -> dict[str, Any]:
    """The answer a set gives a case now, or its errors (a masked or outdated input may no longer pass)."""
    try:
        answer = evaluate(policies, case)
    except CaseError as e:
        return {"errors": [x.as_dict() for x in e.errors]}
    except UnknownFamily as e:
        return {"errors": [{"path": "policy", "message": str(e)}]}
    # through JSON, as the logged answer went, so tuples and lists compare equal
    return json.loads(json.dumps({k: v for k, v in answer.items() if k not in IGNORED}, ensure_ascii=False),
                      parse_float=Decimal)


def differences(before: Any, after: Any, path: str = "") -> list[dict[str, Any]]:
    """Every place two answers differ, as ``{"path", "before", "after"}``; items are matched by code."""
    if isinstance(before, dict) and isinstance(after, dict):
        found = []
        for key in sorted(set(before) | set(after), key=str):
            found += differences(before.get(key), after.get(key), f"{path}.{key}" if path else str(key))
        return found
    if isinstance(before, list) and isinstance(after, list) and _keyed(before) and _keyed(after):
        return differences({x["code"]: x for x in before}, {x["code"]: x for x in after}, path)
    if isinstance(before, list) and isinstance(after, list) and len(before) == len(after):
        return [d for i, (b, a) in enumerate(zip(before, after, strict=True))
                for d in differences(b, a, f"{path}[{i}]")]
    return [] if before == after else [{"path": path, "before": before, "after": after}]


def _keyed(items: list[Any]) -> bool:
    codes = [x.get("code") for x in items if isinstance(x, dict)]
    return len(codes) == len(items) and None not in codes and len(set(codes)) == len(codes)
