"""Reading a case from JSON text, as the API and the command line both do.

- Numbers become exact: a fraction is a Decimal, never a float; an integer past Python's limit on the
  digits of an int (4300) is a Decimal too, so validation refuses it at its field (far above
  money.MAX_MAGNITUDE) instead of the whole text failing to parse.
- NaN and Infinity, which Python's json accepts, are refused.
- A key given twice in one object is refused: which of two building areas the household has cannot
  be guessed, and taking the last one silently would compute on it.
"""
from __future__ import annotations

import json
from decimal import Decimal
from typing import Any


def loads(text: str | bytes) -> Any:
    """Parse JSON text into plain Python values with Decimals; raise ValueError (in Chinese) when it is not."""
    return json.loads(text, parse_float=Decimal, parse_int=_integer, parse_constant=_constant,
                      object_pairs_hook=_object)


def _integer(text: str) -> int | Decimal:
    try:
        return int(text)
    except ValueError:
        return Decimal(text)


def _constant(name: str) -> Any:
    raise ValueError(f"不接受 {name}")


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):  # rare: only then is it worth finding the key
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise ValueError(f"同一对象中的键“{key}”出现了不止一次")
            seen.add(key)
    return result
