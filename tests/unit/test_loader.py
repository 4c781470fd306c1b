"""Each broken policy fixture is refused with its message at the line (and column) where it is broken.

A fixture is a whole small policies directory, ``tests/fixtures/bad_policies/<failure>/listing/``: the
good listing files with exactly one thing broken.  Expected lines and columns are found by searching
the fixture's text for a marker, so they cannot drift when a fixture is edited.
"""
from __future__ import annotations

import datetime
import difflib
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pytest

from engine import PolicyLoadError, Problem, load_policies
from engine.yaml_source import read_yaml

ROOT = Path(__file__).resolve().parents[2]
# The sound listing policy each broken fixture was copied from (frozen, so the bundled policy can evolve).
GOOD = ROOT / "tests" / "fixtures" / "base_policy"
BAD = ROOT / "tests" / "fixtures" / "bad_policies"
VERSION = "2022-04-29.yaml"
FACTS = "facts.yaml"


def line_of(path: Path, marker: str, nth: int = 1) -> int:
    """Return the 1-based line of the nth line containing ``marker``."""
    hits = [n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if marker in line]
    assert len(hits) >= nth, f"marker {marker!r} occurs {len(hits)} times in {path}, wanted occurrence {nth}"
    return hits[nth - 1]


def column_of(path: Path, line: int, marker: str) -> int:
    """Return the 1-based column where ``marker`` starts on a line."""
    text = path.read_text(encoding="utf-8").splitlines()[line - 1]
    assert marker in text, f"{marker!r} not on line {line} of {path}: {text!r}"
    return text.index(marker) + 1


def load_error(root: Path) -> PolicyLoadError:
    """Load a policies directory that must be refused, and return the error."""
    with pytest.raises(PolicyLoadError) as e:
        load_policies(root, backend="python")
    return e.value


@dataclass(frozen=True)
class Broken:
    """One fixture: where it is broken and what the loader must say there."""

    failure: str
    file: str  # name of the file that carries the problem
    marker: str | None  # text on the broken line (None: the problem is at 1:1)
    phrase: str  # the key phrase of the message
    column: str | None = None  # text where the reported column starts; None: do not check the column
    nth: int = 1  # which occurrence of the marker is the broken one


CASES = [
    Broken("unknown_key_did_you_mean", VERSION, "efective_from:", "未知的键“efective_from”；是否想写“effective_from”",
           "efective_from"),
    Broken("unknown_key_in_rule", VERSION, "wen: event.type", "未知的键“wen”；是否想写“when”", "wen"),
    Broken("missing_required_key", VERSION, "- id: domestic_listing", "缺少必需的键“article”", "id: domestic_listing"),
    Broken("wrong_type_once", VERSION, 'once: "yes"', "应为true、false 或 {finding: 提示}，实际为文本“yes”", '"yes"'),
    Broken("wrong_type_in_total", VERSION, "in_total: 1", "应为true、false 或 subtract，实际为数值 1", "1"),
    Broken("impossible_date", VERSION, "effective_from: 2022-02-30", "不存在的日期：2022-02-30", "2022-02-30"),
    Broken("impossible_parameter_date", VERSION, "2022-02-30: {value:", "不存在的日期：2022-02-30", "2022-02-30"),
    Broken("duplicate_yaml_key", VERSION, 'version: "2022-04-30"', "重复的键“version”", "version"),
    Broken("duplicate_rule_id", VERSION, "- id: share_reform_registered", "重复的规则编号“share_reform_registered”",
           "share_reform_registered", nth=2),
    Broken("unknown_fact", VERSION, "event.tpye", "“event”没有字段“tpye”；是否想写“type”", "event.tpye"),
    Broken("unknown_parameter", VERSION, "param.share_reform_grant", "参数“share_reform_grant”不存在",
           "param.share_reform_grant"),
    Broken("forbidden_import", VERSION, '__import__("os")', "未知函数“__import__”", "__import__"),
    Broken("forbidden_lambda", VERSION, "lambda: 1000000", "不支持的写法：lambda 函数", '"lambda'),
    Broken("forbidden_method_call", VERSION, ".sqrt()", "不支持的调用", "param.share_reform_subsidy.sqrt"),
    Broken("forbidden_subscript", VERSION, "param.share_reform_subsidy[0]", "不支持的写法：下标 [ ]",
           "param.share_reform_subsidy[0]"),
    Broken("expression_syntax_error", VERSION, "amount: param.share_reform_subsidy *", "表达式语法错误",
           "param.share_reform_subsidy *"),
    Broken("condition_not_boolean", VERSION, "when: param.overseas_rate", "“param.overseas_rate”不是条件",
           "param.overseas_rate"),
    Broken("amount_not_number", VERSION, "amount: event.date", "结果应为数值，实际为日期", "event.date"),
    Broken("overlapping_versions", "2023-06-01.yaml", "effective_from: 2023-06-01",
           "有效期与 overlapping_versions/listing/2022-04-29.yaml（2022-04-29 至 2024-12-31）重叠", "effective_from"),
    Broken("effective_to_before_from", VERSION, "effective_to: 2022-01-01", "失效日 2022-01-01 早于施行日 2022-04-29",
           "2022-01-01"),
    Broken("parameter_starts_late", VERSION, "2022-05-01: {value:",
           "参数“share_reform_subsidy”最早的取值自 2022-05-01 起，而本版本自 2022-04-29 施行", "2022-05-01"),
    Broken("unknown_interpretation", VERSION, "interpretations: [L-9]", "解释“L-9”未在 interpretations 中定义", "L-9"),
    Broken("unknown_case_kind", VERSION, "enterprize:", "没有案件类型“enterprize”；是否想写“enterprise”", "enterprize"),
    Broken("family_mismatch", VERSION, "family: listings", "family 应与目录名一致：“listing”", "listings"),
    Broken("yaml_syntax_error", VERSION, "section: 二（五）: 加大",
           "YAML 语法错误：此处不能写“键: 值”：缩进不对，或用了全角冒号“：”（mapping values are not allowed here）",
           ": 加大"),
    # The tag is kept as plain tagged data, never constructed: refused where written.
    Broken("python_object_tag", VERSION, "!!python/object/apply:decimal.Decimal",
           "不允许的 YAML 标签 !!python/object/apply", "!!python"),
    Broken("facts_missing", "listing", None, "缺少事实词汇文件 facts.yaml"),
    Broken("unknown_fact_type", FACTS, "type: decimel", "实际为文本“decimel”；是否想写“decimal”", "decimel"),
]

# A parameter value must be a plain scalar: a python tag there is refused, never constructed.
TAG_IN_PARAMETER = Broken("python_object_tag_in_parameter", VERSION, "!!python/object/apply:decimal.Decimal",
                          "python/object", "!!python")

MULTI = "three_problems"  # checked by test_all_problems_of_a_file_are_reported_at_once


def _matches(problem: Problem, case: Broken, path: Path) -> bool:
    line = 1 if case.marker is None else line_of(path, case.marker, case.nth)
    column = 1 if case.marker is None else column_of(path, line, case.column) if case.column else None
    return (problem.file.endswith(case.file) and problem.line == line and case.phrase in problem.message
            and (column is None or problem.column == column))


def _check(case: Broken) -> None:
    root = BAD / case.failure
    path = root / "listing" / case.file
    error = load_error(root)
    assert any(_matches(p, case, path) for p in error.problems), (
        f"no problem in {case.file} at the marked place saying {case.phrase!r}; got:\n{error}")


@pytest.mark.parametrize("case", CASES, ids=[c.failure for c in CASES])
def test_broken_policy_is_refused_at_its_line(case: Broken) -> None:
    _check(case)


def test_python_tag_in_a_parameter_value_is_refused() -> None:
    _check(TAG_IN_PARAMETER)


def test_python_tag_is_never_constructed() -> None:
    path = BAD / "python_object_tag" / "listing" / VERSION
    data, problems = read_yaml(path, path.name)
    assert problems == []
    amount = data["cases"]["enterprise"]["rules"][0]["items"][0]["amount"]
    assert not isinstance(amount, Decimal), "the !!python/object/apply tag was executed"
    assert list(amount) == ["1000000"]


@pytest.mark.parametrize("failure, first_marker", [
    ("duplicate_yaml_key", 'version: "2022-04-29"'),
    ("duplicate_rule_id", "- id: share_reform_registered"),
])
def test_a_duplicate_names_the_line_of_the_first(failure: str, first_marker: str) -> None:
    first = line_of(BAD / failure / "listing" / VERSION, first_marker)
    error = load_error(BAD / failure)
    assert any(f"首次出现在第 {first} 行" in p.message for p in error.problems), str(error)


def test_all_problems_of_a_file_are_reported_at_once() -> None:
    path = BAD / MULTI / "listing" / VERSION
    error = load_error(BAD / MULTI)
    expected = [
        Broken(MULTI, VERSION, "event.tpye", "是否想写“type”", "event.tpye"),
        Broken(MULTI, VERSION, "param.domestic_grant", "参数“domestic_grant”不存在", "param.domestic_grant"),
        Broken(MULTI, VERSION, "interpretations: [L-7]", "解释“L-7”未在 interpretations 中定义", "L-7"),
    ]
    for case in expected:
        assert any(_matches(p, case, path) for p in error.problems), f"{case.phrase!r} missing from:\n{error}"
    assert len(error.problems) == 3, str(error)


def test_problem_renders_as_file_line_column_message() -> None:
    error = load_error(BAD / "unknown_key_in_rule")
    problem = next(p for p in error.problems if "“wen”" in p.message)
    match = re.fullmatch(r"(?P<file>[^:]+):(?P<line>\d+):(?P<column>\d+): (?P<message>.+)", str(problem))
    assert match is not None, str(problem)
    assert match["file"] == problem.file and match["file"].endswith(VERSION)
    assert (int(match["line"]), int(match["column"])) == (problem.line, problem.column)
    assert match["message"].startswith(problem.message)
    assert str(problem) in str(error)


def test_good_policies_load() -> None:
    policies = load_policies(GOOD, backend="python")
    assert policies.families["listing"].versions[0].effective_from == datetime.date(2022, 4, 29)


def test_every_fixture_is_checked() -> None:
    checked = {c.failure for c in CASES} | {TAG_IN_PARAMETER.failure, MULTI}
    assert {p.name for p in BAD.iterdir() if p.is_dir()} == checked


@pytest.mark.parametrize("case", CASES + [TAG_IN_PARAMETER], ids=lambda c: c.failure)
def test_fixture_breaks_exactly_one_place(case: Broken) -> None:
    folder = BAD / case.failure / "listing"
    good = GOOD / "listing"
    changed = []
    for name in (FACTS, VERSION):
        if not (folder / name).exists():
            changed.append(name)
            continue
        ours = (folder / name).read_text(encoding="utf-8").splitlines()
        theirs = (good / name).read_text(encoding="utf-8").splitlines()
        hunks = [op for op in difflib.SequenceMatcher(None, theirs, ours).get_opcodes() if op[0] != "equal"]
        assert len(hunks) <= 1, f"{name} is changed in {len(hunks)} places"
        changed += [name] * len(hunks)
    extra = sorted(p.name for p in folder.iterdir() if p.name not in (FACTS, VERSION))
    # overlapping_versions adds a second version and closes the first one's window: that is its one break.
    assert len(changed) + len(extra) == (2 if case.failure == "overlapping_versions" else 1), (changed, extra)


def test_a_broken_facts_file_is_not_blamed_on_the_version_files() -> None:
    error = load_error(BAD / "unknown_fact_type")
    assert [p.file for p in error.problems if not p.file.endswith(FACTS)] == []


def test_a_problem_in_a_merged_key_is_located_in_the_mapping_merged_from(tmp_path: Path) -> None:
    """A drafter who shares keys between rules with a YAML anchor and ``<<`` gets the place, not a crash."""
    root = tmp_path / "policies"
    (root / "listing").mkdir(parents=True)
    (root / "listing" / FACTS).write_bytes((GOOD / "listing" / FACTS).read_bytes())
    text = (GOOD / "listing" / VERSION).read_text(encoding="utf-8")
    first, second = "      - id: share_reform_registered\n", "      - id: csrc_acceptance\n"
    assert first in text and second in text
    text = text.replace(first, "      - &shared\n        id: share_reform_registered\n        wen: 1\n")
    text = text.replace(second, "      - <<: *shared\n        id: csrc_acceptance\n")
    path = root / "listing" / VERSION
    path.write_text(text, encoding="utf-8")
    problems = [p for p in load_error(root).problems if "未知的键“wen”" in p.message]
    line = line_of(path, "wen: 1")
    assert len(problems) == 2, problems  # the rule that writes it, and the rule that merges it in
    assert {(p.line, p.column) for p in problems} == {(line, column_of(path, line, "wen"))}
