"""Compare the amounts another implementation gives with our engine's line items."""
from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

CENT = Decimal("0.01")


def engine_items(answer: dict[str, Any]) -> dict[str, Decimal]:
    """Return ``{item code: amount summed per code}`` of an engine answer."""
    amounts: dict[str, Decimal] = {}
    for item in answer.get("items", []):
        amounts[item["code"]] = amounts.get(item["code"], Decimal(0)) + Decimal(item["amount"])
    return amounts


def as_amounts(result: Any) -> dict[str, Decimal] | None:
    """Read ``{code: amount}`` from a limit's result, whichever plain shape it chose; None if unknown.

    Accepted: ``{code: amount}``, ``{"items": {code: amount}}``, ``{"items": [{"code", "amount"}]}``
    and a list of ``{"code", "amount"}``.  Amounts may be Decimal, str, int or float.
    """
    if isinstance(result, dict) and "items" in result:
        result = result["items"]
    try:
        if isinstance(result, dict):
            return {str(code): Decimal(str(amount)).quantize(CENT) for code, amount in result.items()
                    if not isinstance(amount, (dict, list, bool)) and amount is not None}
        if isinstance(result, Iterable) and not isinstance(result, (str, bytes)):
            return {str(i["code"]): Decimal(str(i["amount"])).quantize(CENT) for i in result}
    except (KeyError, TypeError, ArithmeticError, ValueError):
        return None
    return None


def tally(pairs: Iterable[tuple[dict[str, Decimal], dict[str, Decimal] | None]]) -> dict[str, Any]:
    """Count how many (ours, theirs) pairs give identical items; keep the first few differences."""
    total = same = 0
    unreadable = 0
    differences: list[str] = []
    largest = Decimal(0)
    for ours, theirs in pairs:
        total += 1
        if theirs is None:
            unreadable += 1
            continue
        ours, theirs = _nonzero(ours), _nonzero(theirs)
        if ours == theirs:
            same += 1
            continue
        for code in ours.keys() | theirs.keys():
            largest = max(largest, abs(ours.get(code, Decimal(0)) - theirs.get(code, Decimal(0))))
        if len(differences) < 3:
            differences.append(f"ours {_show(ours)} vs theirs {_show(theirs)}")
    return {"compared": total, "identical": same, "unreadable": unreadable, "differences": differences,
            "largest_difference": str(largest)}


def _nonzero(amounts: dict[str, Decimal]) -> dict[str, Decimal]:
    # a zero line is the same answer as no line (a limit may list every code)
    return {code: amount for code, amount in amounts.items() if amount}


def _show(amounts: dict[str, Decimal]) -> str:
    return "{" + ", ".join(f"{code}: {amount}" for code, amount in sorted(amounts.items())) + "}"
