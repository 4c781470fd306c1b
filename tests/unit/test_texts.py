"""Text functions (headings, sections, labelled lines, telephones, verbatim-copy share), each case by hand."""
from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.expressions import NUMBER, STRING, Compiler, Env, ExpressionError, Symbols, TypeInfo, parse
from engine.texts import copied_share, has_heading, has_part, labelled, normalised, section, telephone

PLAIN = """解读：XX 文件
一、背景依据
1、制定背景
二、目标任务
三、主要内容
六、其他注意事项
七、解读机关：区住建局城建科
解读人：李红
政策咨询服务电话：0539-8012345
"""

MARKDOWN = """# 解读：XX 文件
## 一、背景依据
### 1、制定背景
老旧小区多。
## **二、目标任务**
三年改造 120 个小区。
## 七、解读机关：区住建局
"""


@pytest.mark.parametrize(("text", "name", "expected", "why"), [
    (PLAIN, "背景依据", True, "Chinese ordinal line"),
    (PLAIN, "解读机关", True, "the organ's name follows a full-width colon on the heading line"),
    (PLAIN, "其他", False, "六、其他注意事项 is not the heading 其他"),
    (PLAIN, "执行标准", False, "absent"),
    (PLAIN, "制定背景", False, "1、制定背景 (an arabic ordinal) is a second-level subtitle, not a heading"),
    (MARKDOWN, "目标任务", True, "Markdown heading with bold markers"),
    (MARKDOWN, "制定背景", False, "### 1、制定背景: an arabic ordinal stays in the name (a second-level subtitle)"),
    ("## 背景依据\n", "背景依据", True, "a Markdown heading without an ordinal"),
    ("背景依据很重要。\n", "背景依据", False, "a sentence, not a heading"),
    ("一、背景依据（含法律依据）\n", "背景依据", True, "a parenthesis may follow the name"),
])
def test_has_heading(text: str, name: str, expected: bool, why: str) -> None:
    assert has_heading(text, name) is expected, why


def test_a_section_runs_to_the_next_chinese_ordinal() -> None:
    assert section(PLAIN, "背景依据") == "1、制定背景"
    assert section(PLAIN, "目标任务") == ""  # heading present, nothing below it
    assert section(PLAIN, "执行标准") is None
    # what the heading's own line says after "：" is the part's first line (review: an organ written there was lost)
    assert section(PLAIN, "解读机关") == "区住建局城建科\n解读人：李红\n政策咨询服务电话：0539-8012345"


def test_a_part_is_a_heading_with_something_below_it() -> None:
    assert has_part(PLAIN, "背景依据") is True
    assert has_part(PLAIN, "目标任务") is False  # the heading alone
    assert has_part(PLAIN, "执行标准") is False  # no heading


def test_a_template_line_or_a_placeholder_is_not_content_and_the_heading_line_may_hold_it() -> None:
    template = "一、背景依据\n- 1、制定背景\n- 2、法律依据\n六、其他\n注意事项"
    # audit 10: the template pasted as it is passed; written on the heading's own line was "no content"
    assert has_part("一、背景依据\n- 1、制定背景\n  2、法律依据", "背景依据", template) is False
    assert has_part("一、背景依据\n- 1、制定背景\n***", "背景依据", template) is False
    assert has_part("一、背景依据\n- 1、制定背景\n老旧小区多。", "背景依据", template) is True
    assert has_part("六、其他：每年 3 月底前申请。\n七、解读机关", "其他", template) is True
    assert has_part("六、其他：\n七、解读机关", "其他", template) is False
    assert has_part("一、背景依据\n- 1、制定背景", "背景依据") is True  # without a template, any line counts


def test_a_body_line_beginning_with_an_ordinal_does_not_end_a_section() -> None:
    text = "二、目标任务\n三、四月份启动，三年内完成。\n三、主要内容\n居民申请。"
    assert section(text, "目标任务") == "三、四月份启动，三年内完成。"
    markdown = "## 主要内容\n一、指导思想\n原文。\n二、工作目标\n原文。\n## 涉及范围\n全区。"
    assert section(markdown, "主要内容") == "一、指导思想\n原文。\n二、工作目标\n原文。"


def test_review_of_the_template_and_heading_line_fixes() -> None:
    template = "一、背景依据\n- 1、制定背景\n六、其他\n七、解读机关：***局***科"
    # a line holding only the template's *** is no content (its asterisks were dropped before the test)
    assert has_part("一、背景依据\n- 1、制定背景：***\n制定背景：＊＊＊\n二、目标任务", "背景依据", template) is False
    # a bracket after the name is the heading's own, not content
    assert has_part("三、主要内容（政策要点）\n四、涉及范围\n全区。", "主要内容", template) is False
    # ## 六、其他 ends at a plain 七、 numbered after it (the template's own style for 七、解读机关)
    mixed = "## 六、其他\n七、解读机关：区住建局综合科\n解读人：李红"
    assert section(mixed, "其他") == "" and has_part(mixed, "其他", template) is False
    organ = section("七、解读机关：区住建局综合科　解读人：李红　联系电话：0539-8012345", "解读机关")
    assert organ is not None and labelled(organ, "解读人") == "李红" and telephone(organ) == "0539-8012345"


def test_labels_on_one_line_are_read_up_to_a_bound() -> None:
    # bounded: a crafted line of 33,000 "a:" made labelled take seconds (review)
    assert labelled("a:1 " * 7 + "解读人：李红", "解读人") == "李红"  # the 8th label
    assert labelled("a:1 " * 8 + "解读人：李红", "解读人") is None  # the 9th is not read


def test_two_labels_on_one_line_and_full_width_digits() -> None:
    line = "解读人：李红　联系电话：０５３９－８０１２３４５"
    assert labelled(line, "解读人") == "李红"
    assert telephone(line) == "0539-8012345"


def test_a_markdown_section_keeps_its_lower_level_headings() -> None:
    # ## 一、背景依据 runs over ### 1、制定背景 and stops at the next ## heading
    assert section(MARKDOWN, "背景依据") == "### 1、制定背景\n老旧小区多。"
    assert section(MARKDOWN, "目标任务") == "三年改造 120 个小区。"


@pytest.mark.parametrize(("text", "label", "expected"), [
    ("解读人：李红", "解读人", "李红"),
    ("**解读人**: 李红", "解读人", "李红"),  # bold key, ASCII colon
    ("- 解读人：**李红**", "解读人", "李红"),
    ("解读人：***", "解读人", None),  # the template's placeholder
    ("解读人：XX", "解读人", None),
    ("解读人：", "解读人", None),
    ("七、解读机关：***局***科", "解读机关", None),
    ("七、解读机关：区住建局城建科", "解读机关", "区住建局城建科"),
    ("第一解读人：王局长", "解读人", "王局长"),  # the label ends with the word
    ("解读人李红", "解读人", None),  # no colon: not a labelled line
])
def test_labelled(text: str, label: str, expected: str | None) -> None:
    assert labelled(text, label) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("政策咨询服务电话：0539-8012345", "0539-8012345"),  # 4 + 7 = 11 digits
    ("联系电话：13800000000", "13800000000"),
    ("电话：801 2345", "801 2345"),  # 7 digits
    ("电话：12345", None),  # 5 digits: too short for a telephone
    ("政策咨询服务电话：0539-*****", None),  # the template's placeholder
    ("电子邮箱：abc@ly.shandong.cn.com", None),  # not a telephone line
])
def test_telephone(text: str, expected: str | None) -> None:
    assert telephone(text) == expected


SOURCE = "各级涉企服务部门应当在10个工作日内进行科学拆分，逐条解读政策事项名称。"


@pytest.mark.parametrize(("text", "expected", "why"), [
    ("各级涉企服务部门应当在10个工作日内进行科学拆分", Decimal(1), "a substring of the source: 24/24"),
    ("我们把政策讲明白", Decimal(0), "no run of 8 characters in common: 0/8"),
    ("各级涉企服务部门把政策讲给大家听", Decimal("0.5"), "8 copied characters of 16"),
    ("各级涉企服务部门应当在10个工作日内进行科学拆分,逐条解读", Decimal(1), "NFKC: the ASCII comma equals ，"),
    ("## 各级涉企服务部门\n应当在 10 个工作日内", Decimal(1), "Markdown markers and whitespace are not compared"),
    ("各级涉企服务部", Decimal(0), "7 characters: shorter than one run"),
])
def test_copied_share(text: str, expected: Decimal, why: str) -> None:
    assert copied_share(text, SOURCE, 8) == expected, why


def test_copied_share_of_nothing_is_null_and_the_run_must_be_positive() -> None:
    assert copied_share(" \n# \n", SOURCE, 8) is None
    with pytest.raises(ValueError):
        copied_share("各级", SOURCE, 0)
    assert normalised("- **各级** 涉企\n> 服务") == "各级涉企服务"


SYMBOLS = Symbols(facts={"text": TypeInfo(STRING), "source": TypeInfo(STRING), "n": TypeInfo(NUMBER)}, params={})


def run(expression: str, **facts: Any) -> Any:
    """Compile an expression over text facts and evaluate it."""
    return Compiler(SYMBOLS, expression).compile(parse(expression))(Env(facts=facts, params={}))


def test_the_expression_language_calls_the_text_functions() -> None:
    assert run('has_heading(text, "背景依据")', text=PLAIN) is True
    assert run('labelled(section(text, "解读机关"), "解读人")', text=PLAIN) == "李红"
    assert run("copied_share(text, source, 8)", text="各级涉企服务部门", source=SOURCE) == Decimal(1)
    assert run('has_heading(text, "背景依据")', text=None) is None  # a null argument gives null


@pytest.mark.parametrize(("expression", "message"), [
    ('has_heading(n, "背景依据")', "应为文本"),
    ('has_heading(text)', "需要 2 个参数"),
    ('copied_share(text, source, "8")', "应为数值"),
])
def test_wrong_arguments_are_refused_at_load_time(expression: str, message: str) -> None:
    with pytest.raises(ExpressionError, match=message):
        Compiler(SYMBOLS, expression).compile(parse(expression))


def test_a_section_is_found_again_after_the_text_was_asked_about_another() -> None:
    # headings are read once per text (engine.texts._outline); each question still gets its own answer
    assert section(PLAIN, "目标任务") == ""
    assert section(PLAIN, "背景依据") == "1、制定背景"
    assert has_heading(PLAIN, "解读机关") and not has_heading(PLAIN, "其他")  # 其他注意事项 is not 其他
    assert section(MARKDOWN, "背景依据") == "### 1、制定背景\n老旧小区多。"


def test_a_text_fact_longer_than_the_bound_is_a_422_at_its_field() -> None:
    import json

    from engine import CaseError, evaluate, load_policies
    from engine.facts import MAX_TEXT
    from tests.conftest import POLICIES

    policies = load_policies(POLICIES, backend="python")
    case = json.loads((POLICIES.parent / "examples" / "interpretation-case.json").read_text(encoding="utf-8"))
    case["facts"]["interpretation"]["text"] = "一" * MAX_TEXT  # at the bound: evaluated
    assert evaluate(policies, case)["status"] == "evaluated"
    case["facts"]["interpretation"]["text"] = "一" * (MAX_TEXT + 1)
    case["facts"]["document_text"] = "二" * (MAX_TEXT + 2)
    with pytest.raises(CaseError) as refused:
        evaluate(policies, case)
    assert {(e.path, e.message) for e in refused.value.errors} == {
        ("facts.interpretation.text", "文本不能超过 100000 个字符，收到 100001 个"),
        ("facts.document_text", "文本不能超过 100000 个字符，收到 100002 个"),
    }


@settings(max_examples=3000, deadline=None)
@given(line=st.text(alphabet=" \t\u3000>*_+-#一十、.．：(（a", max_size=12))
def test_a_line_passed_over_as_no_heading_is_none_when_read_in_full(line: str) -> None:
    # _outline reads in full only the lines _MAY_HEAD lets through; every other line must be neither
    # a heading nor a line beginning with a Chinese ordinal when read in full
    from engine.texts import _MAY_HEAD, _ORDINAL, _heading, _plain

    if _MAY_HEAD.match(line) is None:
        plain = _plain(line)
        assert _heading(plain) is None
        assert _ORDINAL.match(plain.lstrip("#").strip()) is None
