"""engine/yaml_source.py: libyaml composes, the data is built here, and nothing changes for the callers.

The reference is the reader this module replaced: ruamel.yaml's pure-Python round-trip loader with
the same two constructors changed (a float is an exact Decimal from its text, an impossible date an
InvalidDate).  Every YAML file of the project must read the same through both: same keys in the same
order, same values of the same types, and the same line and column for every key, value and item.
"""
from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq, TaggedScalar
from ruamel.yaml.constructor import RoundTripConstructor
from ruamel.yaml.error import MarkedYAMLError
from ruamel.yaml.scalarbool import ScalarBoolean
from ruamel.yaml.scalarint import ScalarInt
from ruamel.yaml.scalarstring import ScalarString

from engine import yaml_source
from engine.yaml_source import InvalidDate, key_position, read_yaml, value_position

ROOT = Path(__file__).resolve().parents[2]
FILES = sorted(p for folder in ("policies", "tests/fixtures") for p in (ROOT / folder).rglob("*.yaml"))


class _ReferenceConstructor(RoundTripConstructor):
    pass


def _reference_float(self: RoundTripConstructor, node: Any) -> Any:
    try:
        return Decimal(str(node.value).replace("_", ""))
    except InvalidOperation:
        return str(node.value)


def _reference_timestamp(self: RoundTripConstructor, node: Any) -> Any:
    try:
        value = RoundTripConstructor.construct_yaml_timestamp(self, node)
    except ValueError:
        return InvalidDate(str(node.value))
    return InvalidDate(str(node.value)) if isinstance(value, datetime.datetime) else value


_ReferenceConstructor.add_constructor("tag:yaml.org,2002:float", _reference_float)
_ReferenceConstructor.add_constructor("tag:yaml.org,2002:timestamp", _reference_timestamp)


def reference(text: str) -> Any:
    """Read text the way engine/yaml_source.py did before libyaml."""
    yaml = YAML(typ="rt")
    yaml.Constructor = _ReferenceConstructor
    yaml.allow_duplicate_keys = False
    return yaml.load(text)


def _plain_type(value: Any) -> type:
    """The type the new reader gives where the round-trip reader gave its format-keeping subclass."""
    for kept, plain in ((ScalarInt, int), (ScalarString, str), (ScalarBoolean, bool)):
        if isinstance(value, kept):
            return plain
    return type(value)


def assert_same(old: Any, new: Any, path: str = "") -> None:
    """Compare two trees: keys, values, types and every recorded position."""
    where = path or "<root>"
    actual: type = type(new)  # (not narrowing ``new``: it stays Any below)
    assert actual is _plain_type(old), f"{where}: {actual.__name__} instead of {type(old).__name__}"
    if isinstance(old, Decimal):
        assert new.as_tuple() == old.as_tuple(), f"{where}: {new!r} instead of {old!r}"
    elif isinstance(old, TaggedScalar):
        assert (new.value, new.tag.value) == (old.value, old.tag.value), where
    elif isinstance(old, (CommentedMap, CommentedSeq)):
        assert (new.lc.line, new.lc.col) == (old.lc.line, old.lc.col), f"{where}: starts elsewhere"
        assert getattr(new.tag, "value", None) == getattr(old.tag, "value", None), f"{where}: tag"
        if isinstance(old, CommentedMap):
            assert list(new) == list(old), f"{where}: keys {list(new)} instead of {list(old)}"
            for (old_key, old_value), new_key in zip(old.items(), new, strict=True):
                assert_same(old_key, new_key, f"{path}/{old_key}?")
                # a merged key has no place of its own in either reader
                assert new.lc.data.get(new_key) == old.lc.data.get(old_key), f"{path}/{old_key}: key or value elsewhere"
                assert_same(old_value, new[new_key], f"{path}/{old_key}")
        else:
            assert len(new) == len(old), f"{where}: {len(new)} items instead of {len(old)}"
            for index, (old_item, new_item) in enumerate(zip(old, new, strict=True)):
                if old.lc.data is not None:  # the round-trip reader kept no item places in a tagged list
                    assert new.lc.data[index] == old.lc.data[index], f"{path}/{index}: item elsewhere"
                assert_same(old_item, new_item, f"{path}/{index}")
    else:
        assert new == old, f"{where}: {new!r} instead of {old!r}"


def read(text: str) -> Any:
    data, problems = read_yaml(Path("t.yaml"), "t.yaml", text.encode())
    assert problems == [], problems
    return data


def problem(text: str) -> tuple[int, int, str]:
    data, problems = read_yaml(Path("t.yaml"), "t.yaml", text.encode())
    assert data is None and len(problems) == 1, (data, problems)
    return problems[0].line, problems[0].column, problems[0].message


def test_the_project_has_yaml_to_compare() -> None:
    assert len([p for p in FILES if p.parts[-3:-2] != ("bad_policies",)]) >= 10
    assert any("bad_policies" in p.parts for p in FILES)


def test_libyaml_composes() -> None:
    # ruamel.yaml.clib is a dependency: without it every load silently takes the slow pure-Python parser
    assert yaml_source.CParser is not None


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_project_file_reads_as_the_round_trip_reader_read_it(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    try:
        old = reference(text)
    except MarkedYAMLError as e:  # a broken fixture: refused at the same place
        mark = e.problem_mark
        line, column, _ = problem(text)
        assert (line, column) == (mark.line + 1, mark.column + 1)
        return
    assert_same(old, read(text))


def test_the_pure_python_parser_reads_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without libyaml (or when it refuses a file) the pure-Python parser gives the same tree."""
    paths = [ROOT / "policies" / "expropriation" / "2022-04-01.yaml", ROOT / "policies" / "listing" / "facts.yaml"]
    texts = [TRICKY] + [p.read_text(encoding="utf-8") for p in paths]
    fast = [read(text) for text in texts]
    monkeypatch.setattr(yaml_source, "CParser", None)
    for text, data in zip(texts, fast, strict=True):
        slow = read(text)
        assert_same(slow, data)
        assert_same(reference(text), slow)


TRICKY = """\
quoted: ["1", '0.02', "2022-04-29", 'true', "null"]
numbers: [0, -0, +12]
decimals: [0.02, 1e5, .5, 1., -3.10, .inf, -.inf, .nan]
flags: [true, True, FALSE, yes, no, on, off, y, n]
nothing: [~, null, Null, NULL, '']
empty:
dates: [2022-04-29, 2022-02-30, 2022-04-29 10:00:00, 2022-4-9, 12:30]
2022-01-01: a date key
1: an integer key
text: |
  第一行
  第二行
folded: >
  一
  二

  三
plain: 征收 补偿 ：多 字
anchored: &money {amount: 1000.50, unit: 元}
alias: *money
merged:
  <<: *money
  unit: 万元
listed:
- &item {id: a}
- *item
-   - nested
    - {k: v}
"""


def test_tricky_scalars_read_as_the_round_trip_reader_read_them() -> None:
    assert_same(reference(TRICKY), read(TRICKY))


def test_money_is_decimal_from_the_text_never_a_float() -> None:
    data = read(TRICKY)
    assert [str(d) for d in data["decimals"][:5]] == ["0.02", "1E+5", "0.5", "1", "-3.10"]
    assert data["anchored"]["amount"] == Decimal("1000.50") and str(data["anchored"]["amount"]) == "1000.50"
    assert data["quoted"] == ["1", "0.02", "2022-04-29", "true", "null"]


def test_an_alias_is_the_anchored_object_and_a_merge_keeps_written_keys() -> None:
    data = read(TRICKY)
    assert data["alias"] is data["anchored"]
    assert data["listed"][0] is data["listed"][1]
    assert dict(data["merged"]) == {"unit": "万元", "amount": Decimal("1000.50")}


def test_positions_are_those_of_the_text() -> None:
    text = "family: 拆迁\nrules:\n  - id: 一\n    amount: 0.02\n"
    data = read(text)
    assert key_position(data, "rules") == (2, 1)
    assert value_position(data["rules"], 0) == (3, 5)
    assert key_position(data["rules"][0], "amount") == (4, 5)
    assert value_position(data["rules"][0], "amount") == (4, 13)  # after the CJK value above: characters, not bytes


def test_a_merged_key_is_located_where_it_is_written() -> None:
    text = "a: &b\n  x: 1\n  y: 2\nq: &q\n  w: 1\n  x: 9\nc:\n  <<: [*b, *q]\n  z: 3\n"
    c = read(text)["c"]
    assert c["x"] == 1  # the first merged mapping wins, so x is the one on line 2
    assert [key_position(c, k) for k in ("z", "x", "y", "w")] == [(9, 3), (2, 3), (3, 3), (5, 3)]
    assert [value_position(c, k) for k in ("z", "x", "w")] == [(9, 6), (2, 6), (5, 6)]
    assert key_position(c, "absent") == (8, 3)  # a key the mapping lacks: the mapping's own place


@pytest.mark.parametrize("text, tag", [
    ("a: !!python/object/apply:os.system [echo]\n", "tag:yaml.org,2002:python/object/apply:os.system"),
    ("a: !!python/name:os.system\n", "tag:yaml.org,2002:python/name:os.system"),
    ("a: !!python/object:decimal.Decimal {x: 1}\n", "tag:yaml.org,2002:python/object:decimal.Decimal"),
    ("a: !custom 5\n", "!custom"),
    ("a: !!binary aGk=\n", "tag:yaml.org,2002:binary"),
])
def test_a_foreign_tag_stays_tagged_data(text: str, tag: str) -> None:
    value = read(text)["a"]
    assert isinstance(value, (TaggedScalar, CommentedMap, CommentedSeq))
    assert value.tag.value == tag


def test_core_tags_are_read_by_the_yaml_core_schema() -> None:
    data = read("a: !!str 12\nb: !!int '12'\nc: !!float 1\nd: !!map {k: v}\n")
    assert (data["a"], data["b"], data["c"], dict(data["d"])) == ("12", 12, Decimal("1"), {"k": "v"})


@pytest.mark.parametrize("text, place, message", [
    ("a: 1\nb: 2\na: 3\n", (3, 1), "重复的键“a”（首次出现在第 1 行）"),
    ("x:\n  - {k: 1, k: 2}\n", (2, 12), "重复的键“k”（首次出现在第 2 行）"),
    ("b: &m {k: 1}\nc:\n  <<: *m\n  <<: *m\n", (4, 3), "重复的合并键“<<”"),
    ("a: [1, 2\nb: 3\n", (2, 2),
     "YAML 语法错误：方括号列表没有闭合，或项之间缺少半角逗号（expected ',' or ']', but got ':'）"),
    ("a:\n\tb: 1\n", (2, 1),
     "YAML 语法错误：不能用制表符（Tab）或全角空格缩进，请用半角空格"
     "（found character '\\t' that cannot start any token）"),
    ("a: *nope\n", (1, 4), "YAML 语法错误：found undefined alias 'nope'"),
    ("a: !!int abc\n", (1, 4), "无法把“abc”读作 YAML int"),
    ("a: -_\n", (1, 4), "无法把“-_”读作 YAML int"),
    ("# 说明\n%YAML 1.1\n---\na: yes\n", (2, 1), "不支持 %YAML 1.1"),
])
def test_what_cannot_be_read_is_refused_at_its_place(text: str, place: tuple[int, int], message: str) -> None:
    line, column, said = problem(text)
    assert (line, column) == place and said.startswith(message), (line, column, said)


@pytest.mark.parametrize("written", ["0_02", "0x10", "0o17", "0b10", "0100", "1_000", "-017", "1_000.5", "0.0_2"])
def test_a_number_yaml_reads_in_another_base_or_with_underscores_is_refused(written: str) -> None:
    # audit 13: {value: 0_02} was read as 2 (overseas_rate 200%), 0x10 as 16, 0o17 as 15, 0100 as 100
    line, col, said = problem(f"a:\n  b: {{value: {written}, article: x}}\n")
    assert (line, col) == (2, 14)  # after the 13 characters "  b: {value: "
    assert said.startswith(f"不支持的数值写法“{written}”：")


def test_a_lone_surrogate_escape_in_a_policy_text_is_refused_at_its_place() -> None:
    # audit 13: "\\ud800…" in an explanation passed validate and the live reload, then every answer was a 500
    assert problem('a:\n  explanation: "\\ud800{event.date}"\n') == (
        2, 16, "文本中有不成对的 UTF-16 代理项（如单独的 \\ud800），不是有效的 Unicode 字符")


def test_a_control_character_is_refused_at_its_line_and_column_in_chinese() -> None:
    # audit 13: a NUL was "YAML 无法解析：unacceptable character #x0000 ... position 413" at 1:1
    assert problem("a: 1\nb: x\x00y\n") == (2, 5, "文件中有不可见的控制字符 U+0000（常见于从别处粘贴的文字）：请删去它")


def test_yaml_1_2_directive_and_empty_files_read() -> None:
    assert read("%YAML 1.2\n---\na: 1\n") == {"a": 1}
    assert read("") is None and read("# 只有注释\n") is None


def test_the_escapes_of_a_utf16_pair_are_one_character() -> None:
    # review: "\ud83d\ude00" (😀) was called an unpaired surrogate; libyaml refuses the escapes, and the
    # pure-Python parser leaves the two halves apart
    assert read('a: "\\ud83d\\ude00 表情"\n') == {"a": "😀 表情"}


def test_text_after_a_closing_quote_is_said_to_be_so_not_an_indentation_problem() -> None:
    # audit 11: text: "对在境外……上市的企业"，按照… was reported as 缩进不一致
    line, column, said = problem('rule:\n  text: "对在境外证券交易所上市的企业"，按照 2%\n  when: x\n')
    assert (line, column) == (2, 25)  # after the 24 characters of '  text: "对在境外证券交易所上市的企业"' (14 hanzi)
    assert said.startswith("YAML 语法错误：引号内的文字之后还有文字：请把整段都放进引号，或去掉引号")
