"""Mistakes a drafter makes in a copy of the bundled policies (found by an audit): each is refused at its place.

Before, each was accepted with a changed amount, crashed the process, or stopped the service.
"""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from engine import CaseError, PolicyLoadError, evaluate, load_policies
from policy_store import PolicyStore
from tests.conftest import POLICIES
from tests.unit.test_loader import line_of

ROOT = Path(__file__).resolve().parents[2]
LISTING = "listing/2022-04-29.yaml"


@pytest.fixture()
def policies(tmp_path: Path) -> Path:
    shutil.copytree(POLICIES, tmp_path / "policies")
    return tmp_path / "policies"


def edit(policies: Path, name: str, old: str, new: str) -> None:
    path = policies / name
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def refused(policies: Path) -> list[tuple[str, int, str]]:
    with pytest.raises(PolicyLoadError) as error:
        load_policies(policies, backend="python")
    return [(p.file.split("policies/", 1)[-1], p.line, p.message) for p in error.value.problems]


def test_a_rounding_quantum_other_than_yuan_jiao_fen_is_refused(policies: Path) -> None:
    # before: quantum 100 rounded to whole yuan (2469136), as Decimal.quantize reads only its exponent
    amount = "            amount: min(event.repatriated_funds * param.overseas_rate, param.overseas_cap)\n"
    edit(policies, LISTING, amount, amount + "            rounding: {quantum: 100, mode: ROUND_HALF_UP}\n")
    line = line_of(policies / LISTING, "rounding: {quantum: 100")
    assert refused(policies) == [(LISTING, line, "取整单位应为 1、0.1、0.01 等（按元、角、分取整），不能是 100")]


def test_a_negative_amount_in_yuan_is_refused(policies: Path) -> None:
    # before: a cap of -5000000 paid -5,000,000.00
    edit(policies, LISTING, "{value: 5000000, article: 二（五）, text: 最高",
         "{value: -5000000, article: 二（五）, text: 最高")
    [(file, line, message)] = refused(policies)
    assert (file, message) == (LISTING, "参数“overseas_cap”的单位是元，金额不能为负数：-5000000")
    assert line == line_of(policies / LISTING, "{value: -5000000")


def test_a_copied_version_file_whose_version_was_not_changed_is_refused(policies: Path) -> None:
    # before: both files said version 2022-04-29 and a 2025 event was paid at the old 2%, under the old version
    edit(policies, LISTING, "effective_to: null", "effective_to: 2024-12-31")
    text = (policies / LISTING).read_text(encoding="utf-8")
    (policies / "listing" / "2025-01-01.yaml").write_text(
        text.replace("effective_from: 2022-04-29", "effective_from: 2025-01-01")
            .replace("effective_to: 2024-12-31", "effective_to: null"), encoding="utf-8")
    [(file, line, message)] = refused(policies)
    assert file == "listing/2025-01-01.yaml" and line == line_of(policies / LISTING, "version:")
    assert message.startswith("version “2022-04-29”应与文件名一致：“2025-01-01”")


def test_files_that_are_not_read_are_said_so_and_an_editors_hidden_file_is_left_alone(policies: Path) -> None:
    # before: a .yml file was silently skipped (the family vanished: every listing case a 404), and a folder
    # named like a version file was a traceback (IsADirectoryError)
    (policies / LISTING).rename(policies / "listing" / "2022-04-29.yml")
    (policies / "targets" / "2030-01-01.yaml").mkdir()
    (policies / "targets" / ".#2021-01-01.yaml").symlink_to("/nonexistent")  # Emacs's lock file
    assert refused(policies) == [
        ("listing", 1, "政策族“listing”只有 facts.yaml，没有版本文件（如 2022-04-29.yaml）："
                       "请补上版本文件，或把整个目录移出"),
        ("listing/2022-04-29.yml", 1, "扩展名应为 .yaml：.yml 文件不会被读取"),
        ("targets/2030-01-01.yaml", 1, "无法读取文件：这是一个文件夹，不是文件"),
    ]


def test_an_expression_too_long_to_compile_is_refused_at_its_file(policies: Path) -> None:
    # before: RecursionError, a traceback from validate and a 500 on every request after a watched save
    edit(policies, LISTING, "amount: min(event.repatriated_funds * param.overseas_rate, param.overseas_cap)",
         "amount: min(event.repatriated_funds * param.overseas_rate" + " + 0" * 600 + ", param.overseas_cap)")
    problems = refused(policies)
    assert [(f, m) for f, _, m in problems] == [
        (LISTING, "表达式嵌套或连写过长（如上百项连加），无法编译：请拆成几个派生量")]


def test_absurd_nesting_is_refused_at_its_place_not_a_crash(policies: Path) -> None:
    # before: libyaml's composer recursed in C and the process died (exit 139), validate and reload alike
    with (policies / LISTING).open("a", encoding="utf-8") as f:
        f.write("\nzzz: " + "[" * 30000 + "]" * 30000 + "\n")
    run = subprocess.run([sys.executable, "-c", "import sys; from cli import main; sys.exit(main(sys.argv[1:]))",
                          "validate", str(policies)], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert run.returncode == 1, run.stderr
    last = len((policies / LISTING).read_text(encoding="utf-8").splitlines())  # the line appended above
    assert f"{LISTING}:{last}:106: 嵌套超过 100 层" in run.stdout + run.stderr


def test_an_unforeseen_load_failure_keeps_the_last_good_set(policies: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = PolicyStore(str(policies), "python", 0)
    serving = store.current
    import policy_store

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("没想到的错误")

    monkeypatch.setattr(policy_store, "load_policies", broken)
    with pytest.raises(PolicyLoadError) as error:
        store.reload()
    assert "RuntimeError: 没想到的错误" in str(error.value)
    assert store.current is serving and store.last_error is error.value


@pytest.mark.parametrize(("name", "old", "new", "message"), [
    (LISTING, 'event.type == "overseas_listing"', 'event.type == "oversea_listing"',
     "“oversea_listing”不是“event.type”的可选值"),
    ("expropriation/2022-04-01.yaml", 'choice.mode == "monetary" and property.legal_status',
     'choice.mode == "monetry" and property.legal_status', "“monetry”不是“choice.mode”的可选值"),
    ("expropriation/2022-04-01.yaml", 'when: property.legal_status in ("registered", "legal_unregistered") and '
     'property.area_added_after_scope > 0', 'when: property.legal_status in ("registered", "legal_unregistred") and '
     'property.area_added_after_scope > 0', "“legal_unregistred”不是“property.legal_status”的可选值"),
])
def test_a_misspelt_value_of_a_choice_is_refused(policies: Path, name: str, old: str, new: str,
                                                 message: str) -> None:
    # before: the condition could never hold and its item silently vanished (the listing total fell from
    # 3,469,135.78 to 1,000,000.00; the household's from 515,500.00 to 29,500.00)
    edit(policies, name, old, new)
    [(file, line, text)] = refused(policies)
    written = line_of(policies / name, new)
    when = max(n for n in range(1, written + 1) if "when:" in (policies / name).read_text(encoding="utf-8")
               .splitlines()[n - 1])  # a condition written as a block starts on the line of its when:
    assert file == name and line == when and text.startswith(message)


def test_a_rule_without_its_condition_is_refused(policies: Path) -> None:
    # before: the rule applied to every case, and every listing case without an overseas event was a 422
    # blaming the caller for the empty "facts.param.overseas_cap"
    edit(policies, LISTING, '        when: event.type == "overseas_listing"\n', "")
    [(file, line, message)] = refused(policies)
    assert (file, message) == (LISTING, "缺少必需的键“when”")  # the CLI adds where: [cases.enterprise.rules[3]]
    assert line == line_of(policies / LISTING, "- id: overseas_listing")


def test_a_rule_not_on_the_events_of_a_kind_governed_per_event_is_refused(policies: Path) -> None:
    # review: each event runs under the version and the parameters of its own date, so a rule on the case itself
    # (here the 新三板 rule with its for_each removed) applied once per version or parameter period: paid twice
    edit(policies, LISTING, '''      - id: neeq_listing
        article: 二（五）
        text: 对在全国中小企业股份转让系统挂牌的企业，给予一次性财政资金补助 50 万元
        for_each: events
        as: event
        when: event.type == "neeq_listing"''', '''      - id: neeq_listing
        article: 二（五）
        text: 对在全国中小企业股份转让系统挂牌的企业，给予一次性财政资金补助 50 万元
        when: count(events) > 0''')
    problems = refused(policies)
    assert (LISTING, line_of(policies / LISTING, "- id: neeq_listing"),
            "规则“neeq_listing”须 for_each: events：本案件类型按 events 各元素自己的日期选择版本，"
            "不按元素的规则会在每个版本各算一次") in problems


def test_a_file_saved_as_gbk_is_said_to_be_so(policies: Path) -> None:
    # before: "无法读取文件：'utf-8' codec can't decode byte 0xc1 in position 2: invalid start byte"
    path = policies / LISTING
    path.write_bytes(path.read_text(encoding="utf-8").encode("gb18030"))
    assert refused(policies) == [(LISTING, 1, "文件不是 UTF-8 编码（可能是 GBK）：请在编辑器中另存为 UTF-8")]


def test_a_derived_value_used_before_it_is_defined_is_one_problem_that_says_so(policies: Path) -> None:
    # before: more than 40 problems, each saying the name "is neither a fact, a parameter nor a derived value"
    edit(policies, "expropriation/2022-04-01.yaml",
         "      compensable_area: property.building_area - property.area_added_after_scope\n",
         "      compensable_area: property.building_area - later_area\n"
         "      later_area: property.area_added_after_scope\n")
    [(file, line, message)] = refused(policies)
    assert file == "expropriation/2022-04-01.yaml"
    assert line == line_of(policies / file, "compensable_area: property.building_area - later_area")
    assert message.startswith("派生量“later_area”写在此处之后：只能用前面已定义的派生量和量")


def test_a_date_written_with_a_time_is_said_to_have_one(policies: Path) -> None:
    # before: "不存在的日期：2022-04-29 00:00:00", although the day exists
    edit(policies, LISTING, "effective_from: 2022-04-29\n", "effective_from: 2022-04-29 00:00:00\n")
    assert refused(policies) == [(LISTING, line_of(policies / LISTING, "effective_from:"),
                                  "日期不能带时间：2022-04-29 00:00:00（写作 2022-04-29）")]


@pytest.mark.parametrize(("written", "advice"), [
    ("2%", "百分数请写成小数：2% 写 0.02"),
    ("1.5％", "百分数请写成小数：1.5％ 写 0.015"),
    ("5000000元", "单位“元”写在 unit 中，取值只写数字：写 5000000"),
    ('"5,000,000"', "数值中不写千分位逗号、空格或下划线：写 5000000"),
    ('"5_000_000"', "数值中不写千分位逗号、空格或下划线：写 5000000"),  # before: read as 5000000 in silence
])
def test_a_decorated_number_is_refused_where_it_is_written(policies: Path, written: str, advice: str) -> None:
    # before: the value loaded as a text, and each expression using it was refused instead ("是文本"), never
    # the line where the drafter wrote it
    edit(policies, LISTING, "{value: 5000000, article: 二（五）, text: 最高",
         f"{{value: {written}, article: 二（五）, text: 最高")
    [(file, line, message)] = refused(policies)
    shown = written.strip('"')
    assert (file, message) == (LISTING, f"参数“overseas_cap”的取值“{shown}”不是数值：{advice}")
    assert line == line_of(policies / LISTING, f"{{value: {written}")


def test_a_text_that_is_no_number_stays_a_text(policies: Path) -> None:
    """A text value is allowed; only its use as a number is refused, where it is used."""
    cap = "{value: 5000000, article: 二（五）, text: 最高"
    edit(policies, LISTING, cap, cap.replace("5000000", "五百万"))
    problems = refused(policies)
    assert problems and all("“param.overseas_cap”是文本" in message for _, _, message in problems)


def test_thousands_commas_in_a_flow_mapping_are_explained(policies: Path) -> None:
    # {value: 5,000,001, ...} reads as value 5 and the keys 000 and 001: say why
    cap = "{value: 5000000, article: 二（五）, text: 最高"
    edit(policies, LISTING, cap, cap.replace("5000000", "5,000,001"))
    problems = refused(policies)
    assert problems and all("千分位逗号" in message for _, _, message in problems), problems


OVERSEAS_AMOUNT = "            amount: min(event.repatriated_funds * param.overseas_rate, param.overseas_cap)\n"


@pytest.mark.parametrize(("amount", "message"), [
    # audit 11: 5,000,000 was min(x, 5, 0, 0) = 0: every overseas listing paid 0.00, with validate passing
    ("min(event.repatriated_funds * param.overseas_rate, 5,000,000)", "数值“000”以 0 开头：数值不能写千分位逗号"),
    # round(x, 2), Python's two decimals, rounded to whole yuan (only the quantum's decimal places were read)
    ("round(event.repatriated_funds * param.overseas_rate, 2)", "round(x, 2) 应写 round(x, 0.01)"),
    ("round(event.repatriated_funds * param.overseas_rate, 100)", "不能是 100"),  # rounded to whole yuan
    ("event.repatriated_funds * param.overseas_rate && true", "“并且”写 and"),
    ("event.repatriated_funds = 1", "比较相等写 =="),
])
def test_an_expression_that_python_would_read_otherwise_is_refused(policies: Path, amount: str,
                                                                   message: str) -> None:
    edit(policies, LISTING, OVERSEAS_AMOUNT, f"            amount: {amount}\n")
    problems = refused(policies)
    assert any(file == LISTING and message in text for file, _, text in problems), problems


def test_a_later_parameter_value_of_another_type_is_refused(policies: Path) -> None:
    # audit 11: its type was its first value's, so every case after 2023 was a 500 (str < Decimal)
    line = next(x for x in (policies / LISTING).read_text(encoding="utf-8").splitlines(keepends=True)
                if "{value: 5000000, article: 二（五）, text: 最高" in x)
    later = "      2023-01-01: {value: 五百万, article: 二（五）, text: 最高不超过 500 万元}\n"
    edit(policies, LISTING, line, line + later)
    [(file, row, message)] = refused(policies)
    assert (file, message) == (LISTING, "参数“overseas_cap”的取值应与 2022-04-29 的取值同为数值：收到“五百万”")
    assert row == line_of(policies / LISTING, "2023-01-01: {value: 五百万")


def test_deduction_fields_of_the_wrong_type_are_refused(policies: Path) -> None:
    # audit 11: code and amount swapped was a traceback (quantize on a text) and a 500 for every paid case
    edit(policies, LISTING, "      code: type\n      amount: amount\n", "      code: amount\n      amount: type\n")
    messages = [m for _, _, m in refused(policies)]
    assert "扣减的 code 应为文本字段，“paid.amount”是数值" in messages
    assert "扣减的 amount 应为数值字段，“paid.type”是文本" in messages


def test_a_condition_too_long_for_the_backend_is_refused_not_a_traceback(policies: Path) -> None:
    # audit 11: validate printed a RecursionError traceback for a 1,200-name "not in"
    names = ", ".join(f'"企业{i}"' for i in range(1200))
    edit(policies, LISTING, '        when: event.type == "neeq_listing"\n',
         f'        when: event.type == "neeq_listing" and name not in ({names})\n')
    [(file, row, message)] = refused(policies)
    assert (file, row) == (LISTING, 1) and "条件过长或嵌套过深，无法编译" in message


@pytest.mark.parametrize("where", ["explanation", "amount"])
def test_a_division_by_a_fact_that_is_0_is_the_case_s_422_naming_the_rule(policies: Path, where: str) -> None:
    # audit 11: in an explanation it was a 500 with a traceback; in an amount a 422 saying DivisionByZero
    if where == "explanation":
        edit(policies, LISTING, 'explanation: "{event.date} 境外上市，',
             'explanation: "{percent(param.overseas_rate / event.repatriated_funds)} {event.date} 境外上市，')
    else:
        edit(policies, LISTING, OVERSEAS_AMOUNT, "            amount: param.overseas_cap / event.repatriated_funds\n")
    loaded = load_policies(policies, backend="python")
    case = {"policy": "listing", "facts": {"name": "企业", "events": [
        {"type": "overseas_listing", "date": "2023-05-01", "repatriated_funds": "0"}]}}
    with pytest.raises(CaseError) as error:
        evaluate(loaded, json.loads(json.dumps(case), parse_float=Decimal))
    [problem] = error.value.errors
    assert problem.message.startswith("规则 overseas_listing（二（五））：无法计算“")
    assert problem.message.endswith("”：除数为 0")


@pytest.mark.parametrize(("old", "new", "message"), [
    # audit 11: printed as written in every answer ({event.date 完成…, {} …)
    ('explanation: "{event.date} 境外上市，', 'explanation: "{event.date 境外上市，', "说明中的“{”没有配对"),
    ('explanation: "{event.date} 境外上市，', 'explanation: "{event.date}} 境外上市，', "说明中的“}”没有配对"),
])
def test_an_unpaired_brace_in_a_text_is_refused(policies: Path, old: str, new: str, message: str) -> None:
    edit(policies, LISTING, old, new)
    problems = refused(policies)
    assert any(file == LISTING and text.startswith(message) for file, _, text in problems), problems


def test_a_misspelt_name_in_the_validity_texts_is_refused(policies: Path) -> None:
    # audit 11: {efective_from} was shown as written in the reason of every case outside the validity
    text = (policies / LISTING).read_text(encoding="utf-8")
    before = next(x for x in text.splitlines() if x.strip().startswith("before:"))
    assert "{effective_from}" in before
    edit(policies, LISTING, before, before.replace("{effective_from}", "{efective_from}"))
    [(file, _, message)] = refused(policies)
    assert (file, message) == (LISTING, "validity.before 中的“{efective_from}”不能填写：只可用 {date}、"
                                        "{effective_from}、{effective_to}；是否想写“effective_from”？")


def test_an_interpretation_no_rule_cites_is_refused(policies: Path) -> None:
    # audit 11: a drafter who dropped "interpretations: [L-2]" from the overseas rule still paid 2% capped, but
    # L-2 (the reading of the cap) silently vanished from every answer that used it
    edit(policies, LISTING, "        interpretations: [L-2, L-4]\n", "        interpretations: [L-4]\n")
    [(file, line, message)] = refused(policies)
    assert (file, line) == (LISTING, line_of(policies / LISTING, "- id: L-2"))
    assert message == ("解释“L-2”没有任何规则引用：答复只列出所用规则引用的解释，它永远不会出现。"
                       "请在适用它的规则的 interpretations 中写上“L-2”，或删去这条解释")


def test_a_choice_without_its_chinese_label_is_refused(policies: Path) -> None:
    # audit 11: a value added to values without a label was shown raw ("spac_listing") in forms, answers and tables
    facts = "listing/facts.yaml"
    edit(policies, facts, "regional_equity_listing]", "regional_equity_listing, spac_listing]")
    edit(policies, facts, "labels: {qilu: 齐鲁,", "labels: {qlu: 齐鲁,")
    assert refused(policies) == [
        (facts, line_of(policies / facts, "labels: {share_reform_registered"),
         "可选值“spac_listing”没有中文名称：请在 labels 中补上"),
        (facts, line_of(policies / facts, "labels: {qlu"), "可选值“qilu”没有中文名称：请在 labels 中补上"),
        (facts, line_of(policies / facts, "labels: {qlu"), "labels 中的“qlu”不是可选值；是否想写“qilu”？"),
    ]


def test_a_choice_fact_without_any_labels_is_refused(policies: Path) -> None:
    facts = "listing/facts.yaml"
    edit(policies, facts, "            labels: {qilu: 齐鲁, qingdao_blue_ocean: 青岛蓝海}\n", "")
    [(file, line, message)] = refused(policies)
    assert (file, message) == (facts, "enum 类型的事实需要“labels”写出每个可选值的中文名称：qilu、qingdao_blue_ocean")
    assert line == line_of(policies / facts, "type: enum", nth=2)


def test_a_rate_written_as_a_yaml_integer_form_is_refused_not_multiplied(policies: Path) -> None:
    # audit 13: {value: 0_02} was read as 2, so a 100 元 repatriation was paid 200 元 (200%), validate passing
    edit(policies, LISTING, "{value: 0.02,", "{value: 0_02,")
    [(file, line, message)] = refused(policies)
    assert (file, line) == (LISTING, line_of(policies / LISTING, "{value: 0_02,"))
    assert message == "不支持的数值写法“0_02”：请写成十进制数，不带前导零和下划线（如 0.02、5000000）"


EXPROPRIATION_FACTS = "expropriation/facts.yaml"
AREA_ADDED = ("area_added_after_scope: {type: decimal, label: 征收范围公布后新建、扩建、改建的面积（平方米）, "
              "minimum: 0, default: 0}")
DECORATION = "decoration: {type: enum, label: 装饰装修, values: [none, simple, fine, special], default: none,"
ROAD = "along_planned_road: {type: bool, label: 沿城市规划道路两侧, default: false}"


@pytest.mark.parametrize(("old", "new", "message"), [
    # audit 13: a default is used as written for a fact left out, and was never checked. -5 under minimum 0 made the
    # README's household (60 m², nothing added) 65 m²: house value 526,500.00 instead of 486,000.00
    (AREA_ADDED, AREA_ADDED.replace("default: 0", "default: -5"), "default 不可用：不能小于 0"),
    (AREA_ADDED, AREA_ADDED.replace("default: 0", "default: abc"), "default 不可用：“abc”不是数值"),  # a traceback
    (DECORATION, DECORATION.replace("default: none", "default: nothing"), "default 不可用：“nothing”不是可选值"),
    (ROAD, ROAD.replace("default: false", 'default: "no"'), "default 不可用：应为 true 或 false，实际为文本“no”"),
    (AREA_ADDED, AREA_ADDED.replace("minimum: 0, default: 0", "minimum: 10, maximum: 5"),
     "maximum 5 小于 minimum 10：没有值能通过"),
    (ROAD, ROAD.replace("default: false}", "default: false, fields: {a: {type: bool}}}"),
     "只有 object 和 list 类型的事实可以有 fields，这里是 bool"),
])
def test_a_fact_declaration_that_cannot_hold_is_refused_at_its_place(policies: Path, old: str, new: str,
                                                                     message: str) -> None:
    edit(policies, EXPROPRIATION_FACTS, old, new)
    [(file, line, said)] = refused(policies)
    assert (file, line, said) == (EXPROPRIATION_FACTS, line_of(policies / EXPROPRIATION_FACTS, new[:40]), message)


def test_a_list_default_other_than_empty_is_refused(policies: Path) -> None:
    # audit 13: paid: {default: 5} made every case without paid a 500 ('int' object is not iterable)
    edit(policies, "listing/facts.yaml", "        default: []\n", "        default: 5\n")
    [(file, _, said)] = refused(policies)
    assert (file, said) == ("listing/facts.yaml", "default 不可用：列表事实的 default 只能是 []")


def test_an_integer_default_with_a_fraction_is_refused(policies: Path) -> None:
    # audit 13: year: {default: 2023.5} made every case without a year a 500 (date <= Decimal)
    facts = "targets/facts.yaml"
    year = "year: {type: integer, label: 监测年度, "
    edit(policies, facts, year + "required: true,", year + "default: 2023.5,")
    [(file, _, said)] = refused(policies)
    assert (file, said) == (facts, "default 不可用：2023.5 不是整数")


def test_a_family_left_without_version_files_is_refused_and_the_service_keeps_its_set(policies: Path) -> None:
    # audit 13: a version renamed .YAML or .yaml.bak validated ("5 个政策族"), and every listing case was then a 404
    # 未知的政策族…；现有：…listing…; moving every family out was accepted as a good reload (families: [])
    store = PolicyStore(str(policies), "python", 0)
    serving = store.current
    (policies / LISTING).rename(policies / "listing" / "2022-04-29.YAML")
    assert refused(policies) == [
        ("listing", 1, "政策族“listing”只有 facts.yaml，没有版本文件（如 2022-04-29.yaml）："
                       "请补上版本文件，或把整个目录移出"),
        ("listing/2022-04-29.YAML", 1, "扩展名应为 .yaml：.YAML 文件不会被读取"),
    ]
    for family in list(policies.iterdir()):
        shutil.rmtree(family)
    with pytest.raises(PolicyLoadError) as error:
        store.reload()
    assert [p.message for p in error.value.problems] == [
        "目录中没有任何政策族（每个政策族是一个含 facts.yaml 和版本文件的子目录）"]
    assert store.current is serving


def test_a_file_given_where_the_policies_directory_belongs_is_said_so(policies: Path) -> None:
    with pytest.raises(PolicyLoadError) as error:
        load_policies(policies / LISTING)
    assert [p.message for p in error.value.problems] == ["这是一个文件，不是政策目录（应给出 policies 这样的目录）"]


def test_a_tagged_value_is_described_in_words_not_by_a_python_class(policies: Path) -> None:
    # audit 13: effective_to: !date 2024-12-31 was "实际为TaggedScalar"
    edit(policies, LISTING, "effective_to: null", "effective_to: !date 2024-12-31")
    [(file, _, message)] = refused(policies)
    assert (file, message) == (LISTING, "应为日期（YYYY-MM-DD），实际为带标签 !date 的值“2024-12-31”（请去掉标签）")


@pytest.mark.parametrize(("old", "new", "message"), [
    # audit 13: each passed validate, then every overseas case was a 422 at facts blaming the household's input
    ("{value: 0.02,", "{value: 1e999999,",
     "参数“overseas_rate”的取值 1E+999999：数值过大（超过 40 位整数）：用到它的金额都无法按 0.01 取整，"
     "任何案件都无法计算"),
    (OVERSEAS_AMOUNT, OVERSEAS_AMOUNT.replace("param.overseas_cap)", "1e999999)"),
     "“1e999999”：数值过大（超过 40 位整数）：用到它的金额都无法按 0.01 取整，任何案件都无法计算"),
    (OVERSEAS_AMOUNT, OVERSEAS_AMOUNT.replace("param.overseas_cap)", "event.repatriated_funds / 0)"),
     "除数为 0：“event.repatriated_funds / 0”对每个案件都无法计算"),
])
def test_a_policy_value_no_case_can_compute_is_refused_at_load(policies: Path, old: str, new: str,
                                                               message: str) -> None:
    edit(policies, LISTING, old, new)
    [(file, line, said)] = refused(policies)
    assert (file, line) == (LISTING, line_of(policies / LISTING, new.strip()[:30]))
    assert said.startswith(message), said


@pytest.mark.parametrize(("old", "new", "total"), [
    # review: the case-input limits (under 10^15, at most 10 decimals) had refused these, which compute fine
    # a rate of 1/30 written to 13 places: 2,469,135.78 ÷ 0.02 = 123,456,789.01 repatriated;
    # × 0.0333333333333 = 4,115,226.3003… → 4,115,226.30 (under the 5,000,000 cap); + 1,000,000.00 = 5,115,226.30
    ("{value: 0.02,", "{value: 0.0333333333333,", "5115226.30"),
    # a cap of 10^16 only bounds min(): 2% of 123,456,789.01 = 2,469,135.78; + 1,000,000.00 = 3,469,135.78
    ("{value: 5000000, article: 二（五）, text: 最高", "{value: 1e16, article: 二（五）, text: 最高", "3469135.78"),
])
def test_a_policy_number_that_can_be_computed_with_is_accepted(policies: Path, old: str, new: str,
                                                               total: str) -> None:
    edit(policies, LISTING, old, new)
    case = json.loads((ROOT / "examples" / "listing-case.json").read_text(encoding="utf-8"))
    assert evaluate(load_policies(policies, backend="python"), case)["total"] == total


def test_a_default_is_held_to_the_limits_of_the_input_it_stands_for(policies: Path) -> None:
    # review: default 1e999999 loaded, then every non-residential household leaving the field out was a 422
    special = "special_equipment_moving: {type: decimal, label: 特殊设备搬迁费评估金额（元）, minimum: 0"
    edit(policies, EXPROPRIATION_FACTS, special, special + ", default: 1e999999")
    [(file, _, said)] = refused(policies)
    message = "default 不可用：数值超出允许范围（绝对值应小于 10^15，小数不超过 10 位）"
    assert (file, said) == (EXPROPRIATION_FACTS, message)


def test_an_item_code_no_payment_can_name_is_refused(policies: Path) -> None:
    # audit 11: with the item coded oversea_listing, a paid overseas_listing matched no item, so its amount was never
    # deducted and the case was told paid_exceeds_granted
    edit(policies, LISTING, "          - code: overseas_listing\n", "          - code: oversea_listing\n")
    [(file, line, message)] = refused(policies)
    assert (file, line) == (LISTING, line_of(policies / LISTING, "- code: oversea_listing"))
    assert message == ("补助项目“oversea_listing”不是“paid.type”的可选值：已拨付的这项补助无法填写，也就无法扣减"
                       "；是否想写“overseas_listing”？")


def test_a_whole_event_in_an_explanation_is_refused(policies: Path) -> None:
    # audit 11: "{event} 完成境内上市" printed a Python dict ({'type': 'domestic_listing', 'date': ...}) in every answer
    edit(policies, LISTING, 'explanation: "{event.date} 完成境内上市', 'explanation: "{event} 完成境内上市')
    [(file, _, message)] = refused(policies)
    assert (file, message) == (LISTING, "说明中的“{event}”是对象，不能直接写出：请写它的字段，如 {event.date}")


def test_a_status_not_declared_in_facts_yaml_is_refused(policies: Path) -> None:
    # audit 11: status not_compensible was accepted, and every other system testing status == "not_compensable"
    # would have paid an illegal building as if it were evaluated
    name = "expropriation/2022-04-01.yaml"
    edit(policies, name, "status: {code: not_compensable, reason: 被征收房屋经认定为违法建筑",
         "status: {code: not_compensible, reason: 被征收房屋经认定为违法建筑")
    [(file, line, message)] = refused(policies)
    assert (file, line) == (name, line_of(policies / name, "not_compensible"))
    assert message == ("结论“not_compensible”未在 facts.yaml 中 household 的 statuses 中声明"
                       "；是否想写“not_compensable”？")


def test_an_engine_status_declared_in_facts_yaml_is_refused(policies: Path) -> None:
    # its label would have stood for the engine's own status on the pages and in the officers' table
    edit(policies, "expropriation/facts.yaml", "statuses: {not_compensable: 不予补偿}",
         "statuses: {not_compensable: 不予补偿, evaluated: 已核定}")
    [(file, line, message)] = refused(policies)
    name = "expropriation/facts.yaml"
    assert (file, line) == (name, line_of(policies / name, "evaluated: 已核定"))
    assert message == ("结论“evaluated”是引擎自身的结论（已计算），不能在 statuses 中声明；statuses 只列规则给出的结论")


@pytest.mark.parametrize(("old", "new", "found"), [
    ("- assert: appraiser_selected >= appraiser_selection_announced", "- assert: appraiser_selected", "日期"),
    ("- required_when: purpose == \"old_city_renovation\" and owners_objecting != null",
     "- required_when: owners_objecting", "数值"),
])
def test_a_check_that_is_not_true_or_false_is_refused(policies: Path, old: str, new: str, found: str) -> None:
    # audit 13, left open: a date or a number is always "true", so such a check never held back a case
    name = "expropriation/facts.yaml"
    edit(policies, name, old, new)
    [(file, line, message)] = refused(policies)
    assert (file, line) == (name, line_of(policies / name, new.removeprefix("- ")))
    key, expression = new.removeprefix("- ").split(": ", 1)
    assert message == f"{key} 的表达式“{expression}”的结果应为真假值，实际为{found}"
