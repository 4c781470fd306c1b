"""Reading a case from JSON text, as the API and the command line both do.

- Numbers become exact: a fraction is a Decimal, never a float; an integer past Python's limit on the
  digits of an int (4300) is a Decimal too, so validation refuses it at its field (far above
  money.MAX_MAGNITUDE) instead of the whole text failing to parse.
- NaN and Infinity, which Python's json accepts, are refused.
- A key given twice in one object is refused: which of two building areas the household has cannot
  be guessed, and taking the last one silently would compute on it.
- A text with half of a UTF-16 pair ("\\ud800" alone) is refused: no log, page or answer can hold it.
"""
from __future__ import annotations

import json
import re
from decimal import Decimal
from typing import Any

_SURROGATE = r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}"  # an escape of \ud800 to \udfff
_SURROGATE_TEXT, _SURROGATE_BYTES = re.compile(_SURROGATE), re.compile(_SURROGATE.encode())


def loads(text: str | bytes) -> Any:
    """Parse JSON text into plain Python values with Decimals; raise ValueError (in Chinese) when it is not."""
    value = json.loads(text, parse_float=Decimal, parse_int=_integer, parse_constant=_constant,
                       object_pairs_hook=_object)
    escaped = _SURROGATE_BYTES.search(text) if isinstance(text, bytes) else _SURROGATE_TEXT.search(text)
    if escaped:  # rare: only then is every text looked at
        _refuse_lone_surrogates(value)
    return value


def _refuse_lone_surrogates(value: Any) -> None:
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, str):
            try:
                item.encode("utf-8")
            except UnicodeEncodeError as e:
                raise ValueError("文本中有不成对的 UTF-16 代理项（如单独的 \\ud800），不是有效的 Unicode 字符") from e


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
