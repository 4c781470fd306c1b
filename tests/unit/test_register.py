"""The household register reader: headers from facts.yaml, exact decimals through CSV and XLSX, bad rows located."""
from __future__ import annotations

import datetime
import re
import zipfile
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from engine import CaseError, PolicySet, evaluate
from engine.facts import CaseKind
from register import RegisterError, read_register
from register_columns import HOUSEHOLD_ID, columns, enum_labels

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "registers"
BUILDING_AREA, UNIT_PRICE = "建筑面积（平方米）", "被征收房屋评估单价（元/平方米）"
MARKET = "所处区位新建普通商品住房（非住宅为类似房地产）市场单价（元/平方米）"
MINIMAL = [HOUSEHOLD_ID, "房屋征收决定作出（公告）之日", "房屋实际用途", BUILDING_AREA, UNIT_PRICE, MARKET, "补偿方式"]


@pytest.fixture(scope="module")
def kind(python_policies: PolicySet) -> CaseKind:
    return python_policies.families["expropriation"].kinds["household"]


def _leaves(decls: dict, prefix: str = "") -> set[str]:
    found: set[str] = set()
    for name, decl in decls.items():
        if decl.type == "object":
            found |= _leaves(decl.fields, f"{prefix}{name}.")
        else:
            found.add(f"{prefix}{name}")
    return found


def test_every_fact_has_one_column_with_a_unique_chinese_header(kind: CaseKind) -> None:
    cols = columns(kind)
    assert {c.path for c in cols} == _leaves(kind.facts)
    headers = [c.header for c in cols]
    assert len(headers) == len(set(headers))
    assert all(re.search(r"[\u4e00-\u9fff]", h) for h in headers)
    by_header = {c.header: c for c in cols}
    assert by_header["建筑面积（平方米）"].path == "property.building_area"
    assert by_header["安置房建筑面积（平方米）"].path == "choice.new_unit.building_area"
    assert by_header["被征收人"].path == "owner.name"
    assert by_header["车库评估金额（元）"].list_key == ("kind", "garage", "appraised")
    # the note after "；" in a label is not part of the header
    assert "被征收前三年效益（年利润）的平均数（元）" in by_header


def test_every_enum_value_has_a_chinese_label(kind: CaseKind) -> None:
    for column in columns(kind):
        if column.decl.type == "enum":
            labels = enum_labels(column.path, column.decl)
            assert all(re.search(r"[\u4e00-\u9fff]", label) for label in labels.values()), column.path


def test_readme_documents_exactly_the_derived_columns(kind: CaseKind) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Batch evaluation of a household register", 1)[1].split("\n## ", 1)[0]
    documented = re.findall(r"^\| ([^`\s|]+) \| `", section, flags=re.M)
    assert documented == [HOUSEHOLD_ID] + [c.header for c in columns(kind)] + ["备注"]


def _write_xlsx(path: Path, rows: list[list[Any]]) -> Path:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def _write_csv(path: Path, rows: list[list[str]], encoding: str = "utf-8") -> Path:
    path.write_text("\n".join(",".join(r) for r in rows) + "\n", encoding=encoding)
    return path


def test_csv_decimals_stay_exact_in_every_encoding(kind: CaseKind, tmp_path: Path) -> None:
    rows = [MINIMAL, ["1", "2023-05-10", "住宅", "60.05", "8123.45", "9000", "货币补偿"]]
    for encoding in ("utf-8", "utf-8-sig", "gbk"):
        found, errors = read_register(_write_csv(tmp_path / f"{encoding}.csv", rows, encoding), kind)
        assert errors == []
        facts = found[0].case["facts"]
        assert facts["property"]["building_area"] == "60.05"
        assert facts["prices"]["appraised_unit_price"] == "8123.45"
        assert facts["property"]["use"] == "residential"
        assert facts["choice"]["mode"] == "monetary"


def test_xlsx_numbers_come_back_as_the_decimals_typed(kind: CaseKind, tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append([*MINIMAL, "安置房建筑面积（平方米）", "车库评估金额（元）", "只有一套住房"])
    sheet.append([7, datetime.date(2023, 5, 10), "住宅", 60.05, 8123.45, 9000, "产权调换", 52, 0.1 + 0.2, True])
    sheet["H2"].number_format = "0.00"  # 52 typed as 52.00 and shown so
    path = tmp_path / "r.xlsx"
    book.save(path)
    found, errors = read_register(path, kind)
    assert errors == []
    facts = found[0].case["facts"]
    assert found[0].household == "7"
    assert facts["decision_date"] == "2023-05-10"
    assert facts["property"]["building_area"] == "60.05"
    assert facts["prices"]["appraised_unit_price"] == "8123.45"
    assert facts["choice"]["new_unit"]["building_area"] == "52.00"
    # 0.1 + 0.2 is 0.30000000000000004 in binary; Excel shows (and means) 0.3
    assert facts["property"]["ancillary"] == [{"kind": "garage", "appraised": "0.3"}]
    assert facts["owner"]["only_home"] is True


def test_an_id_number_typed_as_a_number_is_refused(kind: CaseKind, tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append([*MINIMAL, "身份证号码"])
    sheet.append(["1", "2023-05-10", "住宅", "60", "8000", "9000", "货币补偿", 371302199001011234])
    path = tmp_path / "id.xlsx"
    book.save(path)
    found, errors = read_register(path, kind)
    assert found == []
    assert [(e.row, e.header) for e in errors] == [(2, "身份证号码")]
    assert "文本格式" in errors[0].message


def test_bad_rows_are_reported_with_row_number_and_column(kind: CaseKind) -> None:
    found, errors = read_register(FIXTURES / "bad_rows.csv", kind)
    # cells that cannot be converted are found while reading; what the engine refuses (rows 4, 5, 6, 12) comes
    # back from it as a 422 in batch (tests/unit/test_cli_batch.py)
    assert [r.row for r in found] == [2, 4, 5, 6, 7, 12, 13]
    problems = {(e.row, e.header): e.message for e in errors}
    assert problems[(3, "房屋实际用途")] == "“住房”不是可选值；可选：住宅、非住宅"
    assert problems[(8, HOUSEHOLD_ID)] == "必填：每行须有户号"
    assert problems[(9, HOUSEHOLD_ID)] == "户号与第 2 行重复"
    assert problems[(11, "只有一套住房")] == "“对”应填“是”或“否”"
    assert len(errors) == 4  # row 10 is blank and carries nothing
    assert found[4].case["facts"]["decision_date"] == "2023-05-10"  # row 7: 2023/5/10 read as a date


def test_a_row_with_one_bad_cell_also_reports_the_rest(kind: CaseKind, tmp_path: Path) -> None:
    rows = [MINIMAL, ["1", "2023-05-10", "住宅楼", "-3", "8000", "9000", "货币补偿"]]
    _found, errors = read_register(_write_csv(tmp_path / "two.csv", rows), kind)
    assert {e.header for e in errors} == {"房屋实际用途", BUILDING_AREA}


@pytest.mark.parametrize(("header_row", "message"), [
    (["户号", "建筑面积（平方米", "房屋实际用途"], "是否想写“建筑面积（平方米）”"),
    (["被征收人", "房屋实际用途"], "缺少“户号”列"),
])
def test_bad_headers_refuse_the_whole_register(kind: CaseKind, tmp_path: Path, header_row: list[str],
                                              message: str) -> None:
    with pytest.raises(RegisterError, match=re.escape(message)):
        read_register(_write_csv(tmp_path / "h.csv", [header_row, ["1"] * len(header_row)]), kind)


def test_headers_match_with_ascii_brackets_and_spaces(kind: CaseKind, tmp_path: Path) -> None:
    rows = [[HOUSEHOLD_ID, " 建筑面积(平方米) ", "property.use"], ["1", "70.10", "非住宅"]]
    found, _errors = read_register(_write_csv(tmp_path / "a.csv", rows), kind)
    assert found[0].case["facts"]["property"] == {"building_area": "70.10", "use": "non_residential"}


def test_other_formats_and_missing_files_are_clear_errors(kind: CaseKind, tmp_path: Path) -> None:
    (tmp_path / "r.txt").write_text("户号\n1\n", encoding="utf-8")
    with pytest.raises(RegisterError, match="只支持 .csv 和 .xlsx"):
        read_register(tmp_path / "r.txt", kind)
    with pytest.raises(RegisterError, match="文件不存在"):
        read_register(tmp_path / "none.csv", kind)
    (tmp_path / "broken.xlsx").write_bytes(b"not a zip")
    with pytest.raises(RegisterError, match="无法作为 XLSX 打开"):
        read_register(tmp_path / "broken.xlsx", kind)


def test_several_amounts_in_one_ancillary_cell_are_several_items(kind: CaseKind, tmp_path: Path) -> None:
    rows = [[HOUSEHOLD_ID, "车库评估金额（元）", "储藏室评估金额（元）"], ["1", "18000；12000.50", "9000"]]
    found, _errors = read_register(_write_csv(tmp_path / "c.csv", rows), kind)
    assert found[0].case["facts"]["property"]["ancillary"] == [
        {"kind": "garage", "appraised": "18000"},
        {"kind": "garage", "appraised": "12000.50"},
        {"kind": "storage", "appraised": "9000"},
    ]
    assert found[0].header_of("facts.property.ancillary[1].appraised") == "车库评估金额（元）"
    assert found[0].header_of("facts.property.ancillary[2].appraised") == "储藏室评估金额（元）"
    assert found[0].header_of("facts.property.building_area") == ""  # not a column of this register


def test_the_xlsx_example_reads_to_the_same_cases_as_the_csv(kind: CaseKind) -> None:
    from_csv, csv_errors = read_register(ROOT / "examples" / "household-register.csv", kind)
    from_xlsx, xlsx_errors = read_register(ROOT / "examples" / "household-register.xlsx", kind)
    assert csv_errors == xlsx_errors == []
    assert len(from_csv) == 200
    assert [r.case for r in from_xlsx] == [r.case for r in from_csv]
    assert [(r.row, r.household, r.owner) for r in from_xlsx] == [(r.row, r.household, r.owner) for r in from_csv]


def test_a_value_under_no_header_is_not_lost_silently(kind: CaseKind, tmp_path: Path) -> None:
    rows = [[*MINIMAL, ""], ["1", "2023-05-10", "住宅", "60", "8000", "9000", "货币补偿", "精装修", "多余"]]
    found, errors = read_register(_write_csv(tmp_path / "x.csv", rows), kind)
    assert found == []
    assert [(e.row, e.header, e.message) for e in errors] == [
        (2, "", "第 8 列没有列名，其中的“精装修”无法计入"),
        (2, "", "第 9 列没有列名，其中的“多余”无法计入"),
    ]


def test_a_duplicate_of_a_bad_row_is_still_a_duplicate(kind: CaseKind, tmp_path: Path) -> None:
    rows = [MINIMAL, ["1", "2023-05-10", "住房", "60", "8000", "9000", "货币补偿"],
            ["1", "2023-05-10", "住宅", "60", "8000", "9000", "货币补偿"]]
    found, errors = read_register(_write_csv(tmp_path / "d.csv", rows), kind)
    assert found == []
    assert (3, "户号", "户号与第 2 行重复") in [(e.row, e.header, e.message) for e in errors]


def test_a_title_above_the_headers_is_skipped_and_row_numbers_stay_the_sheets(kind: CaseKind, tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["兰山区示例片区被征收户登记表"])
    sheet.merge_cells("A1:G1")
    sheet.append([])
    sheet.append(MINIMAL)
    sheet.append(["1", "2023-05-10", "住宅", 60, 8000, 9000, "货币补偿"])
    sheet.append(["2", "2023-05-10", "住宅", "六十", 8000, 9000, "现金"])
    path = tmp_path / "title.xlsx"
    book.save(path)
    found, errors = read_register(path, kind)
    assert [(r.row, r.household) for r in found] == [(4, "1")]
    assert [(e.row, e.header) for e in errors] == [(5, "补偿方式"), (5, BUILDING_AREA)]


def test_a_formula_the_file_holds_no_result_for_is_refused_not_read_as_empty(kind: CaseKind, tmp_path: Path) -> None:
    # a program (here openpyxl) writes formulas without their results; Excel and WPS store both. Read as
    # empty, "只有一套住房" would fall back to its default 否 and the art. 29 ¶2 minimum area would be lost
    path = _write_xlsx(tmp_path / "formulas.xlsx", [
        [*MINIMAL, "只有一套住房", "车库评估金额（元）"],
        ["1", "2023-05-10", "住宅", 40, 8000, 9000, "货币补偿", "=TRUE()", "=30000+5000"],
        ["2", "2023-05-10", "住宅", 40, 8000, 9000, "货币补偿", True, 35000]])
    found, errors = read_register(path, kind)
    assert [r.row for r in found] == [3]
    assert [(e.row, e.header) for e in errors] == [(2, "只有一套住房"), (2, "车库评估金额（元）")]
    assert errors[0].message.startswith("第 8 列是公式“=TRUE()”，但文件中没有它的计算结果")
    assert "“=30000+5000”" in errors[1].message


def test_a_formula_saved_with_its_result_is_read_as_that_result(kind: CaseKind, tmp_path: Path) -> None:
    # what Excel or WPS saves: the formula and, beside it, its last result (written here into the XML by hand)
    path = _write_xlsx(tmp_path / "plain.xlsx", [
        [*MINIMAL, "车库评估金额（元）", "装饰装修"],
        ["1", "2023-05-10", "住宅", 60, 8000, 9000, "货币补偿", "=30000+5000", '=IF(1,"","精装修")']])
    cached = tmp_path / "cached.xlsx"
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(cached, "w") as target:
        for entry in source.infolist():
            data = source.read(entry)
            if entry.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"<f>30000+5000</f><v />", b"<f>30000+5000</f><v>35000</v>")
                # a formula whose result is the empty text, as Excel saves it: type "str", an empty value
                data = data.replace(b'<c r="I2"><f>', b'<c r="I2" t="str"><f>').replace(b"</f><v />", b"</f><v></v>")
                assert b"<v>35000</v>" in data and b't="str"' in data
            target.writestr(entry, data)
    found, errors = read_register(cached, kind)
    assert errors == []
    assert found[0].case["facts"]["property"]["ancillary"] == [{"kind": "garage", "appraised": "35000"}]
    assert "decoration" not in found[0].case["facts"]["property"]  # "" is an empty cell: the default applies


def test_a_column_given_twice_refuses_the_register(kind: CaseKind, tmp_path: Path) -> None:
    # which of 60.00 and 120.00 is the building area cannot be guessed; before, the later one silently won
    rows = [[*MINIMAL, BUILDING_AREA], ["1", "2023-05-10", "住宅", "60.00", "8000", "9000", "货币补偿", "120.00"]]
    with pytest.raises(RegisterError, match=f"第 8 列“{re.escape(BUILDING_AREA)}”与第 4 列重复"):
        read_register(_write_csv(tmp_path / "twice.csv", rows), kind)


def test_a_number_typed_in_a_text_column_keeps_its_digits(kind: CaseKind, tmp_path: Path) -> None:
    # an XLSX number is read as an exact decimal; 10 was written to the table as "1E+1" and was not seen
    # as the duplicate of the text "10"
    path = _write_xlsx(tmp_path / "ids.xlsx", [
        [*MINIMAL, "备注"],
        [10, "2023-05-10", "住宅", 60, 8000, 9000, "货币补偿", 1500],
        ["10", "2023-05-10", "住宅", 60, 8000, 9000, "货币补偿", None]])
    found, errors = read_register(path, kind)
    assert [(r.household, r.note) for r in found] == [("10", "1500")]
    assert [(e.row, e.household, e.message) for e in errors] == [(3, "10", "户号与第 2 行重复")]


def test_a_merge_down_a_column_gives_its_value_to_every_row_it_covers(kind: CaseKind, tmp_path: Path) -> None:
    # Excel shows 精装修 beside all three households, but stores it only in the top cell; read-only openpyxl
    # does not report merges, so silently lost their decoration (the default 无)
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append([*MINIMAL, "装饰装修", BUILDING_AREA.replace("建筑面积", "院落用地面积")])
    for household in ("A-01", "A-02", "A-03"):
        decoration = "精装修" if household == "A-01" else None
        sheet.append([household, "2023-05-10", "住宅", 60, 8000, 9000, "货币补偿", decoration])
    sheet.merge_cells("H2:H4")
    sheet.append(["A-04", "2023-05-10", "住宅", 60, 8000, 9000, "货币补偿", "简装修", None])
    sheet.merge_cells("H5:I5")  # across two columns: which one the value is for cannot be told
    path = tmp_path / "merged.xlsx"
    book.save(path)
    found, errors = read_register(path, kind)
    assert [(r.household, r.case["facts"]["property"].get("decoration")) for r in found] == [
        ("A-01", "fine"), ("A-02", "fine"), ("A-03", "fine")]
    assert [(e.row, e.household) for e in errors] == [(5, "A-04")]
    assert "跨列合并的单元格 H5:I5" in errors[0].message


def test_the_register_is_the_visible_sheet_with_a_household_column(kind: CaseKind, tmp_path: Path) -> None:
    book = Workbook()
    old = book.active
    assert old is not None
    old.title = "旧版（作废）"
    old.append(MINIMAL)
    old.append(["A-01", "2023-05-10", "住宅", 50, 8000, 9000, "货币补偿"])
    old.sheet_state = "hidden"
    current = book.create_sheet("登记表")
    current.append(MINIMAL)
    current.append(["A-01", "2023-05-10", "住宅", 60, 8000, 9000, "货币补偿"])
    current.append(["A-02", "2023-05-10", "住宅", 70, 8000, 9000, "货币补偿"])
    book.active = 1
    path = tmp_path / "sheets.xlsx"
    book.save(path)
    found, errors = read_register(path, kind)
    assert errors == []
    assert [(r.household, r.case["facts"]["property"]["building_area"]) for r in found] == [
        ("A-01", "60"), ("A-02", "70")]
    second = book.create_sheet("2号楼")  # households on two visible sheets: only one would be read
    second.append(MINIMAL)
    book.save(path)
    with pytest.raises(RegisterError, match="工作表 “登记表”、“2号楼” 都有“户号”列"):
        read_register(path, kind)
    # before (audit 4): with the register itself hidden, the blank visible sheet gave "文件为空"
    book.remove(second)
    current.sheet_state = "hidden"
    book.create_sheet("说明")
    book.active = 2
    book.save(path)
    with pytest.raises(RegisterError, match="有“户号”列的工作表 “旧版（作废）”、“登记表” 是隐藏的"):
        read_register(path, kind)


@pytest.mark.parametrize("merge", [b'<mergeCells count="1"><mergeCell ref="H:H"/></mergeCells>', b"<mergeCells"])
def test_a_merge_or_sheet_that_cannot_be_read_refuses_the_register(kind: CaseKind, tmp_path: Path,
                                                                  merge: bytes) -> None:
    plain = _write_xlsx(tmp_path / "plain.xlsx", [MINIMAL, ["1", "2023-05-10", "住宅", 60, 8000, 9000, "货币补偿"]])
    broken = tmp_path / "broken.xlsx"
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(broken, "w") as target:
        for entry in source.infolist():
            data = source.read(entry)
            if entry.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"</worksheet>", merge + b"</worksheet>")
            target.writestr(entry, data)
    with pytest.raises(RegisterError, match="合并单元格"):
        read_register(broken, kind)


def _rewrite_sheet(path: Path, target: Path, edit: Any) -> Path:
    """Copy an XLSX with its first sheet's XML changed by ``edit`` (bytes -> bytes), as another program saved it."""
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(target, "w") as out:
        for entry in source.infolist():
            data = source.read(entry)
            if entry.filename == "xl/worksheets/sheet1.xml":
                changed = edit(data)
                assert changed != data
                data = changed
            out.writestr(entry, data)
    return target


@pytest.mark.parametrize("stated", ["A1", "A1:G2", "A1:C4"])
def test_a_wrong_stated_sheet_size_loses_no_row_or_column(kind: CaseKind, tmp_path: Path, stated: str) -> None:
    # before (audit 4): read-only openpyxl stopped at the <dimension> the file states, which some programs write
    # wrong: "A1" gave 0 households, "A1:G2" 1 of 3, "A1:C4" dropped the prices, all with exit 0
    rows: list[list[Any]] = [MINIMAL, *([str(n), "2023-05-10", "住宅", 60, 8000, 9000, "货币补偿"] for n in (1, 2, 3))]
    dimension = b'<dimension ref="' + stated.encode() + b'"/>'
    path = _rewrite_sheet(_write_xlsx(tmp_path / "r.xlsx", rows), tmp_path / "stated.xlsx",
                          lambda xml: re.sub(rb'<dimension ref="[^"]*"\s*/>', dimension, xml))
    found, errors = read_register(path, kind)
    assert errors == []
    assert [r.household for r in found] == ["1", "2", "3"]
    assert all(r.case["facts"]["prices"]["market_unit_price"] == "9000" for r in found)


def test_an_excel_error_value_is_a_row_error_naming_it(kind: CaseKind, tmp_path: Path) -> None:
    # before (audit 4): #N/A from a failed lookup was published as the 户号 or 被征收人, and a #DIV/0! area was
    # "不是有效的数值" without saying why; Excel saves a failed formula's result as an error value (t="e")
    rows: list[list[Any]] = [[*MINIMAL, "被征收人"],
            ["=VLOOKUP(1,Z:Z,1,0)", "2023-05-10", "住宅", 60, 8000, 9000, "货币补偿", "张三"],
            ["2", "2023-05-10", "住宅", "=1/0", 8000, 9000, "货币补偿", "李四"],
            ["3", "2023-05-10", "住宅", 60, 8000, 9000, "货币补偿", "王五"]]

    def cached_errors(xml: bytes) -> bytes:
        xml = re.sub(rb'<c r="A2"><f>(.*?)</f><v\s*/>', rb'<c r="A2" t="e"><f>\1</f><v>#N/A</v>', xml)
        return re.sub(rb'<c r="D3"><f>(.*?)</f><v\s*/>', rb'<c r="D3" t="e"><f>\1</f><v>#DIV/0!</v>', xml)

    path = _rewrite_sheet(_write_xlsx(tmp_path / "r.xlsx", rows), tmp_path / "errors.xlsx", cached_errors)
    found, errors = read_register(path, kind)
    assert [r.household for r in found] == ["3"]
    assert [(e.row, e.header, e.message) for e in errors] == [
        (2, HOUSEHOLD_ID, "第 1 列是 Excel 错误值“#N/A”（公式出错），请修正后再导入"),
        (3, BUILDING_AREA, "第 4 列是 Excel 错误值“#DIV/0!”（公式出错），请修正后再导入")]


def test_a_number_too_long_for_its_shown_decimals_is_read_and_refused_by_its_row(
        kind: CaseKind, python_policies: PolicySet, tmp_path: Path) -> None:
    # before (audit 4): 1E+26 in a cell formatted 0.00 raised InvalidOperation and the whole run stopped
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(MINIMAL)
    sheet.append(["1", "2023-05-10", "住宅", 1e26, 8000, 9000, "货币补偿"])
    sheet.append(["2", "2023-05-10", "住宅", 60, 8000, 9000, "货币补偿"])
    sheet["D2"].number_format = "0.00"
    book.save(tmp_path / "r.xlsx")
    found, errors = read_register(tmp_path / "r.xlsx", kind)
    assert errors == [] and [r.household for r in found] == ["1", "2"]
    assert found[0].case["facts"]["property"]["building_area"] == "100000000000000000000000000"
    with pytest.raises(CaseError) as refused:  # the row's own error, as for any number that large
        evaluate(python_policies, found[0].case)
    assert [(e.path, "数值超出允许范围" in e.message) for e in refused.value.errors] == [
        ("facts.property.building_area", True)]


def test_a_household_number_shown_with_leading_zeros_keeps_them(kind: CaseKind, tmp_path: Path) -> None:
    # before (audit 4): 1 in a cell formatted 000, which Excel shows as 001, was published as 户号 1
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(MINIMAL)
    sheet.append([1, "2023-05-10", "住宅", 60, 8000, 9000, "货币补偿"])
    sheet["A2"].number_format = "000"
    book.save(tmp_path / "r.xlsx")
    found, errors = read_register(tmp_path / "r.xlsx", kind)
    assert errors == [] and [r.household for r in found] == ["001"]


def test_a_number_with_a_formulas_binary_remainder_is_named_with_what_is_stored(kind: CaseKind,
                                                                                tmp_path: Path) -> None:
    # before (audit 4): =60.1-60, stored as 0.10000000000000142 (15 digits: 0.100000000000001) and shown as 0.10,
    # was refused by the engine as "数值超出允许范围", which the officer could not see in the cell
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append([*MINIMAL, "征收范围公布后新建、扩建、改建的面积（平方米）"])
    sheet.append(["1", "2023-05-10", "住宅", 60, 8000, 9000, "货币补偿", 60.1 - 60])
    sheet["H2"].number_format = "0.00"
    book.save(tmp_path / "r.xlsx")
    found, errors = read_register(tmp_path / "r.xlsx", kind)
    assert found == []
    assert [(e.row, e.header) for e in errors] == [(2, "征收范围公布后新建、扩建、改建的面积（平方米）")]
    assert errors[0].message.startswith("第 8 列存的数值是 0.100000000000001，小数超过 10 位")
    assert "ROUND()" in errors[0].message


def test_blank_lines_above_the_headers_are_not_counted_as_title_rows(kind: CaseKind, tmp_path: Path) -> None:
    # audit 13: headers below more than five blank lines were not looked for: 缺少“户号”列
    household = ["1", "2023-05-10", "住宅", "60", "8000", "9000", "货币补偿"]
    rows = [[""]] * 7 + [["兰山区示例片区被征收户登记表"], MINIMAL, household]
    found, errors = read_register(_write_csv(tmp_path / "blank.csv", rows), kind)
    assert errors == []
    assert [(r.row, r.household) for r in found] == [(10, "1")]


def test_a_register_with_headers_and_no_household_is_refused(kind: CaseKind, tmp_path: Path) -> None:
    # audit 13: it gave a table of 0 households and exit 0, as if the project had none
    path = _write_csv(tmp_path / "empty.csv", [MINIMAL, [""] * len(MINIMAL)])
    with pytest.raises(RegisterError) as error:
        read_register(path, kind)
    assert str(error.value) == f"{path}：第 1 行的列名之下没有任何一户，请检查是否选错了文件或工作表"


def test_a_repeated_household_id_is_found_whatever_its_width_or_spaces(kind: CaseKind, tmp_path: Path) -> None:
    # audit 19: ＬＳ－０６０ and "LS -062" were new households, so both were published and paid twice
    house = ["2023-05-10", "住宅", "60", "8000", "9000", "货币补偿"]
    rows = [MINIMAL, ["LS-060", *house], ["LS-062", *house], ["ＬＳ－０６０", *house], ["LS -062", *house]]
    found, errors = read_register(_write_csv(tmp_path / "dup.csv", rows), kind)
    assert [r.household for r in found] == ["LS-060", "LS-062"]
    assert [(e.row, e.household, e.message) for e in errors] == [
        (4, "ＬＳ－０６０", "户号与第 2 行重复"), (5, "LS -062", "户号与第 3 行重复")]


def test_a_date_in_excels_chinese_built_in_format_is_a_date(kind: CaseKind, tmp_path: Path) -> None:
    # audit 19: a cell shown by a Chinese Excel as 2023年9月28日 (built-in format 31) was refused as “45197”
    from openpyxl.styles import numbers

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(MINIMAL)
    sheet.append(["1", 45197, "住宅", 60, 8000, 9000, "货币补偿"])  # 45197: Excel's serial of 2023-09-28
    chinese = 'yyyy"年"m"月"d"日"'
    numbers.BUILTIN_FORMATS[31], numbers.BUILTIN_FORMATS_REVERSE[chinese] = chinese, 31  # write it as Excel does
    try:
        sheet["B2"].number_format = chinese
        path = tmp_path / "builtin31.xlsx"
        book.save(path)
    finally:
        del numbers.BUILTIN_FORMATS[31], numbers.BUILTIN_FORMATS_REVERSE[chinese]
    found, errors = read_register(path, kind)
    assert errors == []
    assert found[0].case["facts"]["decision_date"] == "2023-09-28"


def test_a_blank_row_inside_a_merge_down_a_column_is_blank(kind: CaseKind, tmp_path: Path) -> None:
    # audit 19: a row inserted inside the merged date column was listed with five problems (户号 —, 必填 ...)
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(MINIMAL)
    sheet.append(["A-01", "2023-05-10", "住宅", 60, 8000, 9000, "货币补偿"])
    sheet.append([])
    sheet.append(["A-02", None, "住宅", 60, 8000, 9000, "货币补偿"])
    sheet.merge_cells("B2:B4")
    path = tmp_path / "inserted.xlsx"
    book.save(path)
    found, errors = read_register(path, kind)
    assert errors == []
    assert [(r.row, r.household, r.case["facts"]["decision_date"]) for r in found] == [
        (2, "A-01", "2023-05-10"), (4, "A-02", "2023-05-10")]
