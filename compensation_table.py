"""The per-household compensation table (分户补偿表) as XLSX, the document article 24 requires to be published.

Sheet “分户补偿表”: a header naming the project, the article and the policy version with its content
hash, then one row per household: quantities, one column per item code, the total, the explanations,
findings, interpretations, articles and decision id. Sheet “跳过的行”: every row not evaluated, with
its row number, column and problem. Money is written as an exact number with a 0.00 format only when
Excel's binary double holds it exactly; otherwise as text, so that no amount is ever altered. A household
outside every version (状态 无适用政策) has an empty 合计: nothing was decided for it.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from engine.facts import CaseKind
from engine.policy import Policy
from register import KIND, RegisterRow, RowError
from register_columns import HOUSEHOLD_ID

ARTICLE_24 = "第二十四条：房屋征收部门应当依法建立房屋征收补偿档案，并将分户补偿情况在房屋征收范围内向被征收人公布。"
NOTE = ("金额单位：元。产权调换方式下“被征收房屋价值补偿”抵作产权调换房屋价款，不计入合计；“产权调换结算”为正数时"
        "由被征收人支付（从合计中减去），为负数时由被征收人领取。身份证号码不列入本表。")
SEVERITY = {"info": "提示", "warning": "注意", "violation": "违规"}
MODE = {"monetary": "货币补偿", "property_swap": "产权调换"}
EXCEL_DIGITS = 15
TRAILING = ["合计", "计算说明", "结论与提示", "适用解释", "依据条款", "政策版本", "决定编号"]
TABLE_SHEET, SKIPPED_SHEET = "分户补偿表", "跳过的行"


def item_columns(policy: Policy) -> list[tuple[str, str]]:
    """Return (item code, Chinese header) for every item the policy can give, in the order of its rules."""
    found: dict[str, str] = {}
    for rule in policy.cases[KIND].rules:
        for item in rule.items:
            # the first label, without the variant in brackets: 装饰装修补偿（简装修） -> 装饰装修补偿
            found.setdefault(item.code, re.sub(r"（[^（）]*）$", "", item.label))
    return list(found.items())


def quantity_columns(policy: Policy) -> list[tuple[str, str]]:
    """Return (quantity name, Chinese header) for the quantities an answer reports."""
    return [(name, label) for name, _expr, label, reported in policy.cases[KIND].quantities if reported]


def write_table(path: str | Path, decided: list[tuple[RegisterRow, dict[str, Any]]], skipped: list[RowError], *,
                policy: Policy, kind: CaseKind, project: str, register: str) -> None:
    """Write the compensation table and the skipped rows to an XLSX file."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = TABLE_SHEET
    items, quantities = item_columns(policy), quantity_columns(policy)
    versions = sorted({_version(a["policy"]) for _, a in decided if a.get("policy")}) or [_version(policy.summary())]
    for line in (f"{project} 分户补偿情况", ARTICLE_24, *versions,
                 f"户籍登记表：{register}；计算 {len(decided)} 户，跳过 {len({e.row for e in skipped})} 行"
                 f"（见“{SKIPPED_SHEET}”表）", NOTE):
        _append(sheet, [line])
    sheet["A1"].font = Font(bold=True, size=14)
    headers = ["行号", HOUSEHOLD_ID, "被征收人", "备注", "补偿方式", "状态", *(label for _, label in quantities),
               *(label for _, label in items), *TRAILING]
    sheet.append([])
    _append(sheet, headers)
    header_row = sheet.max_row
    for cell in sheet[header_row]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row, answer in decided:
        cells = _household(row, answer, quantities, items, kind)
        _append(sheet, [c[0] if isinstance(c, tuple) else c for c in cells])
        for cell, value in zip(sheet[sheet.max_row], cells, strict=False):
            if isinstance(value, tuple):
                cell.number_format = value[1]
            elif isinstance(value, str) and "\n" in value:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=4)  # 行号、户号、被征收人 stay in view
    _widths(sheet, headers, wide={"计算说明": 60, "结论与提示": 60, "决定编号": 34})
    errors = book.create_sheet(SKIPPED_SHEET)
    _append(errors, ["行号", HOUSEHOLD_ID, "列", "问题"])
    for problem in skipped:
        _append(errors, [problem.row, problem.household, problem.header, problem.message])
    for cell in errors[1]:
        cell.font = Font(bold=True)
    _widths(errors, ["行号", HOUSEHOLD_ID, "列", "问题"], wide={"列": 30, "问题": 80})
    book.save(path)


def _append(sheet: Worksheet, values: list[Any]) -> None:
    """Append a row whose texts stay texts: a 户号 "=A2" or a 备注 "=HYPERLINK(…)" from the register is never
    written as a formula, and a control character XLSX cannot hold (a vertical tab pasted from Word) is a space."""
    sheet.append([ILLEGAL_CHARACTERS_RE.sub(" ", v) if isinstance(v, str) else v for v in values])
    for cell in sheet[sheet.max_row]:
        if cell.data_type == "f":
            cell.data_type = "s"


def _version(summary: dict[str, Any]) -> str:
    return (f"政策：{summary['document']}（{summary['family']} {summary['version']}，"
            f"内容哈希 {summary['content_hash']}）")


def _household(row: RegisterRow, answer: dict[str, Any], quantities: list[tuple[str, str]],
               items: list[tuple[str, str]], kind: CaseKind) -> list[Any]:
    """Return the table row of one household: amounts stay decimal strings until written."""
    amounts: dict[str, Decimal] = {}
    for item in answer.get("items", []):
        amounts[item["code"]] = amounts.get(item["code"], Decimal(0)) + Decimal(item["amount"])
    found = answer.get("quantities") or {}
    findings = [f"【{SEVERITY.get(f['severity'], f['severity'])}】{f['message']}" for f in answer.get("findings", [])]
    policy = answer.get("policy") or {}
    mode = row.case["facts"].get("choice", {}).get("mode", "")
    return [
        row.row, row.household, row.owner, row.note, MODE.get(mode, mode),
        kind.status_label(answer["status"]),
        *(_number_cell(str(found[name])) if found.get(name) is not None else None for name, _ in quantities),
        *(_number_cell(str(amounts[code])) if code in amounts else None for code, _ in items),
        # no version decided anything: a published 0 would read as "this household gets nothing"
        None if answer["status"] == "no_policy_in_force" else _number_cell(answer["total"]),
        "\n".join(f"{i['label']}：{i['explanation']}" for i in answer.get("items", [])),
        "\n".join(findings),
        "、".join(i["id"] for i in answer.get("interpretations", [])),
        "、".join(_articles(answer)),
        policy.get("version", ""),
        answer.get("decision_id", ""),
    ]


def _articles(answer: dict[str, Any]) -> list[str]:
    """Return every article the answer cites, in first-cited order."""
    cited = [a for entry in [*answer.get("items", []), *answer.get("findings", [])] for a in entry.get("articles", [])]
    return list(dict.fromkeys(cited))


def _number_cell(text: str) -> tuple[Decimal | str, str]:
    """Return the value to write and its format: a number only when the double holds it exactly."""
    value = Decimal(text)
    exponent = value.as_tuple().exponent
    places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    exact = len(value.as_tuple().digits) <= EXCEL_DIGITS and Decimal(repr(float(value))) == value
    if not exact:
        return text, "@"
    return value, "0." + "0" * places if places else "0"


def _widths(sheet: Worksheet, headers: Iterable[str], wide: dict[str, int]) -> None:
    for index, header in enumerate(headers, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = wide.get(header, max(10, min(len(header) * 2, 24)))
