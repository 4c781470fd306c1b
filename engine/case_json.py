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
_SURROGATE_TEXT = re.compile(_SURROGATE)


def loads(text: str | bytes) -> Any:
    """Parse JSON text into plain Python values with Decimals; raise ValueError (in Chinese) when it is not.

    Bytes are decoded strictly (UTF-8, or the UTF-16/32 JSON allows, a BOM skipped): ``json.loads`` would
    let the UTF-8 bytes of a lone surrogate (ED A0 80) through as ``\\ud800``, which no log can write.
    """
    if isinstance(text, bytes):
        encoding = json.detect_encoding(text)
        try:
            text = text.decode(encoding)
        except UnicodeDecodeError as e:
            at = e.start + (3 if encoding == "utf-8-sig" else 0) + 1  # utf-8-sig counts from after the BOM
            raise ValueError(f"第 {at} 个字节起不是有效的 {e.encoding.upper().removesuffix('-SIG')} 编码") from e
    elif not text.isascii():
        _refuse_lone_surrogates(text)  # a text read with surrogateescape holds undecodable bytes as \udcXX
    try:
        value = json.loads(text, parse_float=Decimal, parse_int=_integer, parse_constant=_constant,
                           object_pairs_hook=_object)
    except json.JSONDecodeError as e:
        raise ValueError(f"第 {e.lineno} 行第 {e.colno} 列：{_said(e.msg)}") from e
    except RecursionError as e:
        raise ValueError("嵌套层次过深") from e
    if _SURROGATE_TEXT.search(text):  # rare: only then is every text looked at
        _refuse_lone_surrogates(value)
    return value


# json's messages, said in Chinese (one not listed is shown as json says it)
_MESSAGES = {
    "Expecting value": "此处应为一个值",
    "Expecting property name enclosed in double quotes": "此处应为用双引号括起的键名",
    "Expecting ',' delimiter": "此处应为逗号",
    "Expecting ':' delimiter": "此处应为冒号",
    "Extra data": "JSON 在此之前已经结束，此处起是多余的内容",
    "Unterminated string starting at": "从此处开始的字符串没有结束的双引号",
    "Invalid control character at": "字符串中有控制字符（换行、制表符等须写成转义 \\n、\\t）",
    "Invalid \\escape": "无效的转义（反斜杠后只能是 \" \\\\ / b f n r t u）",
    "Invalid \\uXXXX escape": "无效的 \\uXXXX 转义",
    "Illegal trailing comma before end of object": "对象末尾多了一个逗号",
    "Illegal trailing comma before end of array": "数组末尾多了一个逗号",
}


def _said(message: str) -> str:
    return _MESSAGES.get(message, message)


def _refuse_lone_surrogates(value: Any) -> None:
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, str) and not encodable(item):
            raise ValueError("文本中有不成对的 UTF-16 代理项（如单独的 \\ud800），不是有效的 Unicode 字符")


def encodable(text: str) -> bool:
    """Tell whether a text holds only real characters (no half of a UTF-16 pair), so any log or page can hold it."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


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
