"""From YAML nodes to policy data, as ruamel.yaml's round-trip loader built it, without its slow parser.

A parser (libyaml, or ruamel.yaml's pure-Python one) composes the node tree, asking ``resolve`` for
the type of every untagged node; ``build`` then makes ``CommentedMap``/``CommentedSeq`` with the
``.lc`` line and column of every key, value and item, merges ``<<`` keys and gives an alias the
very object its anchor built.  Scalars are typed by YAML 1.2 (the round-trip resolver's own table),
except that a float becomes an exact ``Decimal`` from its text and a date that does not exist
(2022-02-30) an ``InvalidDate`` the validator reports at its place.  Nothing is constructed from a
tag: a tag outside the YAML core schema (``!!python/...``) stays plain tagged data, which the
validator refuses where it is written.
"""
from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from ruamel.yaml.comments import (
    CommentedKeyMap,
    CommentedKeySeq,
    CommentedMap,
    CommentedSeq,
    LineCol,
    TaggedScalar,
)
from ruamel.yaml.mergevalue import MergeValue
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from ruamel.yaml.resolver import implicit_resolvers
from ruamel.yaml.tag import Tag
from ruamel.yaml.util import timestamp_regexp

from .case_json import encodable

CORE = "tag:yaml.org,2002:"


@dataclass(frozen=True)
class InvalidDate:
    """A scalar that looks like a date but is not one (2022-02-30)."""

    text: str

    def __str__(self) -> str:
        return self.text


class Misread(Exception):
    """A document that cannot be read as data, at a 0-based line and column."""

    def __init__(self, line: int, column: int, message: str):
        super().__init__(message)
        self.line, self.column, self.message = line, column, message

    @classmethod
    def at(cls, node: Node, message: str) -> Misread:
        return cls(node.start_mark.line, node.start_mark.column, message)


# -- typing untagged nodes, while they are composed ----------------------------------------

class _Implicit(Tag):
    """The tag ``resolve`` gives an untagged node; ``kind`` says how to build it."""

    def __init__(self, kind: str):
        super().__init__(suffix=CORE + kind)
        self.kind = kind


_STR, _SEQ, _MAP = _Implicit("str"), _Implicit("seq"), _Implicit("map")
_TYPED = {kind: _Implicit(kind) for kind in ("bool", "float", "int", "merge", "null", "timestamp")}
_MERGE = _TYPED["merge"]
# The round-trip resolver's YAML 1.2 table, by first character and in its order; its "value" type
# (a lone "=") is left out: "=" is text.
_BY_FIRST: dict[str, list[tuple[_Implicit, re.Pattern[str]]]] = {}
for _versions, _tag, _regexp, _first in implicit_resolvers:
    _kind = _tag.rsplit(":", 1)[1]
    if (1, 2) in _versions and _kind in _TYPED:
        for _char in _first:
            _BY_FIRST.setdefault(_char, []).append((_TYPED[_kind], re.compile(_regexp.pattern, _regexp.flags)))


def resolve(kind: type, value: str | None, implicit: Any) -> Tag:
    """Return the tag of an untagged node (the parsers' resolver call)."""
    if kind is ScalarNode:
        if implicit[0]:  # plain: typed by its text; quoted and block scalars are text
            assert value is not None
            for tag, pattern in _BY_FIRST.get(value[:1], ()):
                if pattern.match(value):
                    return tag
        return _STR
    return _SEQ if kind is SequenceNode else _MAP


# -- building the data ---------------------------------------------------------------------

class _Unsupported(ValueError):
    """A scalar YAML types as a number in a form a drafter does not mean (0x10, 0o17, 0_02, 0100)."""


_DECIMAL_INTEGER = re.compile(r"[-+]?(?:0|[1-9][0-9]*)\Z")


def _integer(text: str) -> int:
    if _DECIMAL_INTEGER.match(text):
        return int(text)
    _yaml_integer(text)  # a ValueError: not a number at all
    # YAML 1.2 reads 0x10 as 16, 0o17 as 15, 0_02 as 2 and 0100 as 100: none is what a drafter of 0.02 meant
    raise _Unsupported(f"不支持的数值写法“{text}”：请写成十进制数，不带前导零和下划线（如 0.02、5000000）")


def _yaml_integer(text: str) -> int:
    digits = text.replace("_", "")
    sign, digits = (-1, digits[1:]) if digits[:1] == "-" else (1, digits.lstrip("+"))
    base = {"0b": 2, "0o": 8, "0x": 16}.get(digits[:2], 10)
    return sign * int(digits[2:] if base != 10 else digits, base)


def _number(text: str) -> Decimal | str:
    if "_" in text:
        raise _Unsupported(f"不支持的数值写法“{text}”：数值中不能有下划线")
    try:
        return Decimal(text)
    except InvalidOperation:
        return text  # .inf / .nan: left as text, refused by the validator as "not a number"


def _boolean(text: str) -> bool:
    return {"true": True, "false": False}[text.lower()]


def _date(text: str) -> datetime.date | InvalidDate:
    match = timestamp_regexp.match(text)
    if match is None:
        raise ValueError(text)
    if match["hour"]:
        return InvalidDate(text)  # a time of day has no place in a validity date
    try:
        return datetime.date(int(match["year"]), int(match["month"]), int(match["day"]))
    except ValueError:
        return InvalidDate(text)


_SCALARS: dict[str, Callable[[str], Any]] = {
    "str": str, "int": _integer, "float": _number, "bool": _boolean, "null": lambda text: None,
    "timestamp": _date, "merge": str,  # "<<" where a value stands is text
}


def _paired(node: Node, text: str) -> str:
    """Join the escapes of a UTF-16 pair ("\\ud83d\\ude00", left apart by the pure-Python parser); refuse a lone one."""
    try:
        joined = text.encode("utf-16", "surrogatepass").decode("utf-16")
    except UnicodeDecodeError:
        joined = text
    if not encodable(joined):
        raise Misread.at(node, "文本中有不成对的 UTF-16 代理项（如单独的 \\ud800），不是有效的 Unicode 字符")
    return joined


def build(node: Node | None) -> Any:
    """Build a document's data from its root node (None: an empty document)."""
    return None if node is None else _Builder().build(node)


def _text(node: ScalarNode) -> str:
    return node.value.replace("\a", "") if node.style == ">" else node.value  # ruamel's parser marks folds with \a


def _explicit(node: Node) -> str | None:
    """The core-schema kind an explicit tag names (``!!str``), or None for any other tag."""
    tag = str(node.tag)
    kind = tag[len(CORE):] if tag.startswith(CORE) else ""
    return kind if kind in _SCALARS or kind in ("map", "seq") else None


class _Builder:
    """Build one document; an alias gives the very object its anchor built."""

    def __init__(self) -> None:
        self.built: dict[int, Any] = {}

    def build(self, node: Node) -> Any:
        tag = node.ctag
        kind = tag.kind if type(tag) is _Implicit else _explicit(node)
        if kind is None:
            return self.tagged(node)
        if isinstance(node, ScalarNode):
            value = _text(node)
            if not value.isascii() and not encodable(value):  # "\ud800" in double quotes: no answer can carry it
                value = _paired(node, value)
            try:
                return _SCALARS[kind](value)
            except _Unsupported as e:
                raise Misread.at(node, str(e)) from None
            except (ValueError, KeyError):
                raise Misread.at(node, f"无法把“{value}”读作 YAML {kind}") from None
        if id(node) in self.built:
            return self.built[id(node)]
        if kind == "map" and isinstance(node, MappingNode):
            return self.fill_map(node, self.start(node, CommentedMap()))
        if kind == "seq" and isinstance(node, SequenceNode):
            return self.fill_seq(node, self.start(node, CommentedSeq()))
        raise Misread.at(node, f"标签 !!{kind} 不能用在{'映射' if isinstance(node, MappingNode) else '列表'}上")

    def start(self, node: Node, data: Any) -> Any:
        self.built[id(node)] = data  # before the children, so that a child may alias its parent
        lc = LineCol()
        lc.line, lc.col, lc.data = node.start_mark.line, node.start_mark.column, {}
        setattr(data, LineCol.attrib, lc)
        return data

    def tagged(self, node: Node) -> Any:
        """Keep a node under a foreign tag as plain tagged data: never look up or call what it names."""
        if id(node) in self.built:
            return self.built[id(node)]
        if isinstance(node, ScalarNode):
            return TaggedScalar(_text(node), node.style or None, Tag(suffix=str(node.tag)))
        data = self.start(node, CommentedMap() if isinstance(node, MappingNode) else CommentedSeq())
        data.yaml_set_ctag(Tag(suffix=str(node.tag)))
        if isinstance(node, MappingNode):
            return self.fill_map(node, data)
        assert isinstance(node, SequenceNode)
        return self.fill_seq(node, data)

    def fill_seq(self, node: SequenceNode, data: CommentedSeq) -> CommentedSeq:
        positions = data.lc.data
        for index, child in enumerate(node.value):
            positions[index] = [child.start_mark.line, child.start_mark.column]
        data.extend([self.build(child) for child in node.value])
        return data

    def fill_map(self, node: MappingNode, data: CommentedMap) -> CommentedMap:
        positions = data.lc.data
        merged = MergeValue()
        for key_node, value_node in node.value:
            tag = key_node.ctag
            if tag is _MERGE or (type(tag) is not _Implicit and _explicit(key_node) == "merge"):
                self.merge(merged, key_node, value_node, len(positions))
                continue
            key = self.key(key_node)
            if key in data:
                raise Misread.at(key_node, f"重复的键“{key}”（首次出现在第 {positions[key][0] + 1} 行）")
            start, value_start = key_node.start_mark, value_node.start_mark
            positions[key] = [start.line, start.column, value_start.line, value_start.column]
            data[key] = self.build(value_node)
        if merged.value:
            data.add_yaml_merge(merged)  # keys written in the mapping win over merged ones
        return data

    def key(self, node: Node) -> Any:
        try:
            key = self.build(node)
        except Misread:
            if not (isinstance(node, ScalarNode) and getattr(node.ctag, "kind", None) == "int"):
                raise
            key = _yaml_integer(node.value)  # a key is a name: {value: 5,000,001} is explained where it is checked
        if isinstance(key, CommentedSeq):
            key = CommentedKeySeq(key)
        elif isinstance(key, CommentedMap):
            key = CommentedKeyMap(key)
        try:
            hash(key)
        except TypeError:
            raise Misread.at(node, "这个键不能作为映射的键（含有映射或列表）") from None
        return key

    def merge(self, merged: MergeValue, key_node: Node, value_node: Node, position: int) -> None:
        """Collect the mappings a ``<<`` key merges in, as the round-trip loader did."""
        if merged.value:
            raise Misread.at(key_node, "重复的合并键“<<”")
        merged.merge_pos = position
        sources = value_node.value if isinstance(value_node, SequenceNode) else [value_node]
        if isinstance(value_node, SequenceNode):
            merged.set_sequence(self.build(value_node))
        for source in sources:
            if not isinstance(source, MappingNode):
                raise Misread.at(source, "合并键“<<”只能合并映射或映射的列表")
            merged.append(self.build(source))
