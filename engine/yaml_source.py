"""Reading policy YAML safely, keeping the line and column of every key and value.

ruamel.yaml's round-trip loader builds only plain data (no Python objects from tags).  Two
constructors are changed: a YAML float becomes an exact ``Decimal`` from its text, and a date that
does not exist (2022-02-30) becomes an ``InvalidDate`` the validator reports at its place, rather
than an exception without a location.
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.constructor import RoundTripConstructor
from ruamel.yaml.error import MarkedYAMLError

from .errors import Problem


@dataclass(frozen=True)
class InvalidDate:
    """A scalar that looks like a date but is not one (2022-02-30)."""

    text: str

    def __str__(self) -> str:
        return self.text


class _Constructor(RoundTripConstructor):
    pass


def _construct_float(self: RoundTripConstructor, node: Any) -> Any:
    text = str(node.value).replace("_", "")
    try:
        return Decimal(text)
    except InvalidOperation:
        return text  # .inf / .nan: left as text, refused by the validator as "not a number"


def _construct_timestamp(self: RoundTripConstructor, node: Any) -> Any:
    try:
        value = RoundTripConstructor.construct_yaml_timestamp(self, node)
    except ValueError:
        return InvalidDate(str(node.value))
    if isinstance(value, datetime.datetime):
        return InvalidDate(str(node.value))  # a time of day has no place in a validity date
    return value


_Constructor.add_constructor("tag:yaml.org,2002:float", _construct_float)
_Constructor.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.Constructor = _Constructor
    yaml.allow_duplicate_keys = False
    return yaml


def read_yaml(path: Path, display: str, data: bytes | None = None) -> tuple[Any, list[Problem]]:
    """Parse one YAML file (or the bytes already read from it); return its data, or None with the located problem."""
    try:
        text = path.read_text(encoding="utf-8") if data is None else data.decode("utf-8")
    except (OSError, UnicodeDecodeError) as e:
        return None, [Problem(display, 1, 1, f"无法读取文件：{e}")]
    try:
        return _yaml().load(text), []
    except MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = (e.problem or "YAML 语法错误").strip()
        if "duplicate key" in problem:
            key = problem.split('"')[1] if '"' in problem else "?"
            message = f"重复的键“{key}”"
            first = _first_occurrence(text, key, e.context_mark, mark)
            if first is not None:
                message += f"（首次出现在第 {first} 行）"
            return None, [Problem(display, line, column, message)]
        return None, [Problem(display, line, column, f"YAML 语法错误：{problem}")]
    except Exception as e:  # ruamel raises a few unmarked errors on exotic input
        return None, [Problem(display, 1, 1, f"YAML 无法解析：{e}")]


def _first_occurrence(text: str, key: str, start: Any, duplicate: Any) -> int | None:
    """Find the 1-based line where a duplicated key first appears in its mapping."""
    if start is None or duplicate is None:
        return None
    lines = text.splitlines()
    for number in range(start.line, duplicate.line):
        rest = lines[number][duplicate.column:] if number < len(lines) else ""
        if lines[number][:duplicate.column].strip(" -") == "" and rest.lstrip("\"'").startswith(key) \
                and rest.lstrip("\"'")[len(key):].lstrip("\"' ").startswith(":"):
            return number + 1
    return None


def key_position(node: Any, key: Any) -> tuple[int, int]:
    """Return the 1-based line and column of a mapping key (or of the mapping itself)."""
    if isinstance(node, CommentedMap) and key in node:
        line, col = node.lc.key(key)
        return line + 1, col + 1
    return node_position(node)


def value_position(node: Any, key: Any) -> tuple[int, int]:
    """Return the 1-based line and column of a mapping value or sequence item."""
    try:
        if isinstance(node, CommentedMap) and key in node:
            line, col = node.lc.value(key)
            return line + 1, col + 1
        if isinstance(node, CommentedSeq) and isinstance(key, int) and key < len(node):
            line, col = node.lc.item(key)
            return line + 1, col + 1
    except (KeyError, AttributeError, TypeError):
        pass
    return node_position(node)


def node_position(node: Any) -> tuple[int, int]:
    """Return the 1-based position where a mapping or sequence starts."""
    lc = getattr(node, "lc", None)
    if lc is not None and lc.line is not None:
        return lc.line + 1, lc.col + 1
    return 1, 1
