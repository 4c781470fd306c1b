"""A household register (户籍登记表, CSV or XLSX with Chinese headers) read into expropriation cases.

The columns are derived from the family's facts vocabulary (``policies/expropriation/facts.yaml``):
one column per leaf fact, headed by its Chinese label, so that the register and the schema cannot
drift apart. Values are turned into the JSON the engine takes (decimal strings, ISO dates, enum
codes, booleans); the engine validates them, and its errors are mapped back to the column.
"""
from __future__ import annotations

import csv
import datetime
import difflib
import io
import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from marshmallow import ValidationError

from engine.facts import CaseKind, flatten_errors
from engine.money import MAX_PLACES
from register_columns import ENUM_LABELS, FAMILY, HOUSEHOLD_ID, KIND, NOTE, Column, columns, enum_labels, normalise

BOOLEANS = {"是": True, "否": False, "true": True, "false": False}
# Excel keeps 15 significant digits; a float with more is an artefact of binary arithmetic.
EXCEL_DIGITS = 15
TITLE_ROWS = 5  # rows of title above the headers that a register may carry ("某某片区被征收户登记表")
README_SECTION = "Batch evaluation of a household register"


class RegisterError(Exception):
    """The register as a whole cannot be read (file, format or headers); nothing was evaluated."""


@dataclass(frozen=True)
class RowError:
    """A row that was skipped: its row number, the column and the problem."""

    row: int
    household: str
    header: str
    message: str


@dataclass
class RegisterRow:
    """One household of the register, as a case for ``evaluate``."""

    row: int
    household: str
    owner: str
    note: str
    case: dict[str, Any]
    origins: dict[str, str] = field(default_factory=dict)  # fact path (list elements too) -> header

    def header_of(self, path: str) -> str:
        """Return the column an engine error path (``facts.property.ancillary[0].appraised``) came from."""
        path = path.removeprefix("facts.").removeprefix("facts")
        while path:
            if path in self.origins:
                return self.origins[path]
            path = re.sub(r"(\[\d+\]|\.?[^.\[]+)$", "", path)
        return ""


def read_register(path: str | Path, kind: CaseKind) -> tuple[list[RegisterRow], list[RowError]]:
    """Read a CSV or XLSX register into cases; bad rows come back as errors, never raise for one row."""
    cols = columns(kind)
    records = _records(Path(path))
    header_row = _header_row(records)
    if header_row is None:
        raise RegisterError(f"{path}：文件为空，第 1 行应为列名")
    by_name = {normalise(c.header): c for c in cols} | {normalise(c.path): c for c in cols if not c.list_key}
    layout: list[Column | str | None] = []
    problems = []
    first_seen: dict[str, int] = {}  # header -> its column number
    for number, cell in enumerate(header_row[1], start=1):
        name = normalise(_text(cell))
        column = (HOUSEHOLD_ID if name == normalise(HOUSEHOLD_ID) else NOTE if name == normalise(NOTE)
                  else by_name.get(name))
        header = column.header if isinstance(column, Column) else column
        if header is not None and header in first_seen:  # which of the two would count cannot be guessed
            problems.append(f"第 {number} 列“{_text(cell)}”与第 {first_seen[header]} 列重复")
            layout.append(None)
        elif column is not None and header is not None:
            first_seen[header] = number
            layout.append(column)
        elif name == "":
            layout.append(None)
        else:
            close = difflib.get_close_matches(name, [normalise(c.header) for c in cols], n=1, cutoff=0.6)
            hint = f"；是否想写“{next(c.header for c in cols if normalise(c.header) == close[0])}”？" if close else ""
            problems.append(f"第 {number} 列“{_text(cell)}”不是户籍登记表的列名{hint}")
    if HOUSEHOLD_ID not in layout:
        problems.append(f"缺少“{HOUSEHOLD_ID}”列")
    if problems:
        raise RegisterError(f"{path}：" + "；".join(problems) + f"（可用的列名见 README.md “{README_SECTION}”一节）")
    rows: list[RegisterRow] = []
    errors: list[RowError] = []
    seen: dict[str, int] = {}
    for number, cells in records:
        if all(_text(c) == "" for c in cells):
            continue  # a blank line carries nothing
        parsed = _parse_row(number, layout, cells, kind)
        household = parsed.household if isinstance(parsed, RegisterRow) else parsed[0].household
        key = normalise(household)  # ＬＳ２０２３－０６０ and "LS2023 -060" are LS2023-060 again, paid twice
        if key in seen:
            duplicate = RowError(number, household, HOUSEHOLD_ID, f"户号与第 {seen[key]} 行重复")
            parsed = [duplicate] + ([] if isinstance(parsed, RegisterRow) else parsed)
        elif key:
            seen[key] = number
        if isinstance(parsed, RegisterRow):
            rows.append(parsed)
        else:
            errors.extend(parsed)
    if not rows and not errors:  # a table of no household would be published as if the project had none
        raise RegisterError(f"{path}：第 {header_row[0]} 行的列名之下没有任何一户，请检查是否选错了文件或工作表")
    return rows, errors


def _header_row(records: Iterator[tuple[int, list[Any]]]) -> tuple[int, list[Any]] | None:
    """Return the header row: the first with a 户号 cell among the first rows that are not blank (a title may stand
    above it; blank lines above it are not counted)."""
    first: tuple[int, list[Any]] | None = None
    filled = ((number, cells) for number, cells in records if any(_text(c) != "" for c in cells))
    for number, cells in itertools.islice(filled, TITLE_ROWS + 1):
        first = first or (number, cells)
        if normalise(HOUSEHOLD_ID) in (normalise(_text(c)) for c in cells):
            return number, cells
    return first  # no 户号 anywhere near the top: report the first row's headers


def _parse_row(number: int, layout: list[Column | str | None], cells: list[Any], kind: CaseKind
               ) -> RegisterRow | list[RowError]:
    """Turn one row into a case, or into every problem the row has (none is fixed silently)."""
    facts: dict[str, Any] = {name: {} for name, decl in kind.facts.items() if decl.type == "object" and decl.required}
    origins = {c.path: c.header for c in layout if isinstance(c, Column) and not c.list_key}
    problems: list[tuple[str, str]] = []
    household = note = ""
    for index, (column, cell) in enumerate(itertools.zip_longest(layout, cells), start=1):
        if isinstance(cell, MergedAcross) and isinstance(column, Column):
            problems.append((column.header, f"第 {index} 列在跨列合并的单元格 {cell.ref} 中，值属于哪一列无法确定；"
                                            "请取消合并后逐列填写"))
        elif isinstance(cell, (UncomputedFormula, Imprecise, ExcelError)):  # a cell that holds no usable value
            header = column.header if isinstance(column, Column) else column or ""
            problems.append((header, f"第 {index} 列{cell.problem()}"))
        elif column is None and _text(cell) != "":  # a value under no header would be lost silently
            problems.append(("", f"第 {index} 列没有列名，其中的“{_text(cell)}”无法计入"))
        elif column == HOUSEHOLD_ID or column == NOTE:
            household, note = (_text(cell), note) if column == HOUSEHOLD_ID else (household, _text(cell))
        elif isinstance(column, Column) and _text(cell) != "":
            try:
                value = _convert(column, cell)
            except ValueError as e:
                problems.append((column.header, str(e)))
                continue
            if column.list_key is None:
                _put(facts, column.path, value)
                continue
            elements = _put(facts, column.path, None)
            key, code, amount_field = column.list_key
            for amount in value:
                origins[f"{column.path}[{len(elements)}]"] = column.header
                elements.append({key: code, amount_field: amount})
    if not household and not any(header == HOUSEHOLD_ID for header, _ in problems):
        problems.append((HOUSEHOLD_ID, "必填：每行须有户号"))
    owner = str(facts.get("owner", {}).get("name", ""))
    row = RegisterRow(number, household, owner, note, {"policy": FAMILY, "kind": KIND, "facts": facts}, origins)
    if not problems:
        return row
    return [RowError(number, household, header, message) for header, message in problems + _schema_problems(row, kind)
            if header not in {h for h, _ in problems} or (header, message) in problems]


def _schema_problems(row: RegisterRow, kind: CaseKind) -> list[tuple[str, str]]:
    """The schema's problems with the rest of a row that already has one, so the row is fixed in one go."""
    try:
        kind.load(row.case["facts"])
    except ValidationError as e:
        return [(row.header_of(error.path), error.message) for error in flatten_errors(e.messages)]
    return []


def _put(facts: dict[str, Any], path: str, value: Any) -> Any:
    """Set a dotted path (creating the objects on the way); with ``None``, return the list there."""
    *parents, last = path.split(".")
    node = facts
    for name in parents:
        node = node.setdefault(name, {})
    if value is None:
        return node.setdefault(last, [])
    node[last] = value
    return value


def _convert(column: Column, cell: Any) -> Any:
    """Convert one non-empty cell to its JSON value; raise ``ValueError`` with a message for the user."""
    decl, text = column.decl, _text(cell)
    if column.list_key is not None:  # one or more amounts: "18000；12000"
        if isinstance(cell, (int, float, Decimal)):
            return [cell_decimal(cell)]
        parts = [p for p in re.split(r"[;；、]", text) if p.strip()]
        return [cell_decimal(p) for p in parts]
    if decl.type == "enum":
        labels = enum_labels(column.path, decl)
        aliases = ENUM_LABELS.get(column.path, {})  # the register's own names stay accepted beside facts.yaml's
        for code, label in labels.items():
            if normalise(text) in (normalise(code), normalise(label), normalise(aliases.get(code, label))):
                return code
        raise ValueError(f"“{text}”不是可选值；可选：{'、'.join(labels.values())}")
    if decl.type == "bool":
        if isinstance(cell, bool):
            return cell
        if text.lower() in BOOLEANS:
            return BOOLEANS[text.lower()]
        raise ValueError(f"“{text}”应填“是”或“否”")
    if decl.type == "date":
        return _date(cell, text)
    if decl.type in ("decimal", "integer"):
        return cell_decimal(cell)
    if isinstance(cell, (float, Decimal)):
        raise ValueError("请以文本格式填写（数字格式会丢失位数）")
    return text


def _date(cell: Any, text: str) -> str:
    if isinstance(cell, datetime.datetime):
        return cell.date().isoformat()
    if isinstance(cell, datetime.date):
        return cell.isoformat()
    match = re.fullmatch(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?", text)
    if isinstance(cell, str) and match:
        return f"{int(match[1]):04d}-{int(match[2]):02d}-{int(match[3]):02d}"  # full-width digits too: ２０２３
    raise ValueError(f"“{text}”不是日期，应如 2023-05-10")


def _records(path: Path) -> Iterator[tuple[int, list[Any]]]:
    """Yield (row number as a spreadsheet shows it, cells) for every row, the header first."""
    if not path.is_file():
        raise RegisterError(f"{path}：文件不存在")
    suffix = path.suffix.lower()
    if suffix == ".csv":
        yield from _csv_records(path.read_bytes())
    elif suffix in (".xlsx", ".xlsm"):
        yield from _xlsx_records(path)
    else:
        raise RegisterError(f"{path}：只支持 .csv 和 .xlsx 文件")


def _csv_records(data: bytes) -> Iterator[tuple[int, list[Any]]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Excel on a Chinese Windows saves "CSV" in GBK; GB18030 is its superset.
        try:
            text = data.decode("gb18030")
        except UnicodeDecodeError as e:
            raise RegisterError("CSV 文件既不是 UTF-8 也不是 GBK/GB18030 编码") from e
    row = 0
    try:
        for row, cells in enumerate(csv.reader(io.StringIO(text, newline="")), start=1):
            yield row, cells
    except csv.Error as e:  # a cell past csv's field limit (131,072 characters), a NUL in older Pythons
        why = f"有单元格超过 {csv.field_size_limit()} 个字符" if "field larger" in str(e) else str(e)
        raise RegisterError(f"CSV 第 {row + 1} 行无法读取：{why}") from e  # a row, as the rest of the batch counts


@dataclass(frozen=True)
class UncomputedFormula:
    """A formula cell whose result the file does not hold: it was written by a program, never saved by
    Excel or WPS, which store each formula's result beside it. Read as empty, it would be lost silently."""

    formula: str

    def __str__(self) -> str:  # as a header or 户号 cell reads it
        return self.formula

    def problem(self) -> str:
        return (f"是公式“{self.formula}”，但文件中没有它的计算结果（文件不是由 Excel 或 WPS 保存的）；"
                "请在 Excel 或 WPS 中打开、保存后再导入，或直接填写数值")


@dataclass(frozen=True)
class Imprecise:
    """A number cell whose stored value has more decimals than a case takes: most often a formula's binary
    remainder (=60.1-60 is 0.10000000000000142, 0.100000000000001 to Excel's 15 digits), which the cell may
    show rounded (0.10)."""

    number: Decimal

    def __str__(self) -> str:
        return format(self.number, "f")

    def problem(self) -> str:
        return (f"存的数值是 {self}，小数超过 {MAX_PLACES} 位（多为公式的二进制误差，"
                "单元格显示的可能是四舍五入后的值）；请用 ROUND() 取到所需位数，或直接填写数值")


@dataclass(frozen=True)
class ExcelError:
    """A cell holding an Excel error value (#N/A, #DIV/0!): a formula that failed, not a value to compute with."""

    code: str

    def __str__(self) -> str:
        return self.code

    def problem(self) -> str:
        return f"是 Excel 错误值“{self.code}”（公式出错），请修正后再导入"


@dataclass(frozen=True)
class MergedAcross:
    """A cell covered by a merge that spans columns: which column the merged value belongs to cannot be told."""

    ref: str

    def __str__(self) -> str:
        return ""


def _xlsx_records(path: Path) -> Iterator[tuple[int, list[Any]]]:
    from openpyxl import load_workbook

    try:  # the values as last computed, and (to find formulas never computed) the cells as written
        book = load_workbook(path, read_only=True, data_only=True)
        written = load_workbook(path, read_only=True, data_only=False)
    except Exception as e:  # openpyxl raises zipfile, KeyError, ValueError... for a damaged file
        raise RegisterError(f"{path}：无法作为 XLSX 打开（{type(e).__name__}）") from e
    for sheet in (*book.worksheets, *written.worksheets):
        # read-only openpyxl stops at the size the file states (<dimension>), which some programs write
        # wrong: rows and columns past it would be dropped silently. Read every cell the sheet holds
        if hasattr(sheet, "reset_dimensions"):  # a chart sheet has none
            sheet.reset_dimensions()
    try:
        index = _register_sheet(path, book.worksheets)
        sheet = book.worksheets[index]
        covered: dict[int, list[tuple[int, Any]]] = {}  # row -> (column, its merge's top-left or MergedAcross)
        top_columns: dict[int, set[int]] = {}  # row -> columns where a merge down a column starts
        for (row, column), top in _merged_cells(sheet).items():
            covered.setdefault(row, []).append((column, top))
            if isinstance(top, tuple):
                top_columns.setdefault(top[0], set()).add(top[1])
        tops: dict[tuple[int, int], Any] = {}  # the value of each merge, read at its top-left cell
        rows = zip(sheet.iter_rows(), written.worksheets[index].iter_rows(), strict=True)
        for number, (cells, as_written) in enumerate(rows, start=1):
            values = [_xlsx_value(c, w) for c, w in zip(cells, as_written, strict=True)]
            for column in top_columns.get(number, ()):
                tops[(number, column)] = values[column - 1] if column <= len(values) else None
            merges = covered.get(number, ())
            # a row inserted inside a merge down a column holds nothing of its own: it is blank, as it looks
            blank = not any(_text(v) != "" for v in values) and not any(isinstance(t, MergedAcross) for _, t in merges)
            for column, top in merges:
                values += [None] * (column - len(values))
                values[column - 1] = top if isinstance(top, MergedAcross) else tops.get(top)
            yield number, [None] * len(values) if blank else values
    finally:
        book.close()
        written.close()


def _register_sheet(path: Path, sheets: list[Any]) -> int:
    """The one visible sheet with a 户号 header (a hidden sheet is an old version; households on two sheets
    would be half read); with none, the first visible sheet, whose headers are then reported."""
    visible = [i for i, sheet in enumerate(sheets) if sheet.sheet_state == "visible"] or [0]

    def has_households(i: int) -> bool:
        return any(normalise(_text(c.value)) == normalise(HOUSEHOLD_ID)
                   for row in sheets[i].iter_rows(max_row=TITLE_ROWS + 1) for c in row)

    found = [i for i in visible if has_households(i)]
    hidden = [i for i in range(len(sheets)) if i not in visible and has_households(i)]
    if not found and hidden:
        names = "、".join(f"“{sheets[i].title}”" for i in hidden)
        raise RegisterError(f"{path}：有“{HOUSEHOLD_ID}”列的工作表 {names} 是隐藏的，隐藏的工作表不计算；"
                            "请取消隐藏后再导入")
    if len(found) > 1:
        names = "、".join(f"“{sheets[i].title}”" for i in found)
        raise RegisterError(f"{path}：工作表 {names} 都有“{HOUSEHOLD_ID}”列；只计算一张表，"
                            "请把全部被征收户放在同一张表中")
    return found[0] if found else visible[0]


def _merged_cells(sheet: Any) -> dict[tuple[int, int], Any]:
    """Each cell a merge covers, besides its top-left one: (row, column) -> the top-left (row, column) of a
    merge down one column, whose value Excel shows in every row; or a ``MergedAcross`` for a merge across
    columns. Read from the sheet's XML, as read-only openpyxl does not report merges."""
    from openpyxl.utils.cell import range_boundaries

    covered: dict[tuple[int, int], Any] = {}
    for ref in _merge_refs(sheet):
        try:
            first_column, first_row, last_column, last_row = range_boundaries(ref)
            rows, columns = range(first_row, last_row + 1), range(first_column, last_column + 1)
        except (ValueError, TypeError) as e:  # not a cell range: "A:A", "xyz"
            raise RegisterError(f"工作表“{sheet.title}”的合并单元格“{ref}”无法识别") from e
        top = (first_row, first_column) if first_column == last_column else MergedAcross(ref)
        for row in rows:
            for column in columns:
                if (row, column) != (first_row, first_column):
                    covered[(row, column)] = top
    return covered


def _merge_refs(sheet: Any) -> list[str]:
    """The ``ref`` of every ``<mergeCell>`` of a read-only sheet ("F2:F4")."""
    import xml.etree.ElementTree as ElementTree

    refs = []
    try:
        with sheet.parent._archive.open(sheet._worksheet_path) as xml:  # no public reader in read-only mode
            for _event, element in ElementTree.iterparse(xml):
                if element.tag.endswith("}mergeCell") and element.get("ref"):
                    refs.append(str(element.get("ref")))
                element.clear()
    except (AttributeError, KeyError, ElementTree.ParseError) as e:
        raise RegisterError(f"无法读取工作表“{sheet.title}”的合并单元格（{type(e).__name__}）") from e
    return refs


def _xlsx_value(cell: Any, as_written: Any) -> Any:
    # a formula computed to "" is saved as an empty string result (type "str"); one never computed has none
    if cell.value is None and cell.data_type != "str" and as_written.data_type == "f":
        return UncomputedFormula(str(as_written.value))
    if cell.data_type == "e":  # #N/A, #DIV/0!...: the result of a formula that failed
        return ExcelError(str(cell.value))
    if _numeric(cell.value) and _locale_date_format(cell):
        from openpyxl.utils.datetime import from_excel

        return from_excel(cell.value)
    if _numeric(cell.value):
        number_format = cell.number_format or ""
        # 1 formatted 000 shows as 001, and is “001” (a 户号); an ID number past 15 digits stays a number, refused
        if re.fullmatch(r"00+", number_format) and float(cell.value).is_integer() and abs(cell.value) < 10**15:
            return str(int(cell.value)).zfill(len(number_format))
        number = _xlsx_number(cell.value, number_format)
        exponent = number.as_tuple().exponent
        if isinstance(exponent, int) and exponent < -MAX_PLACES:
            return Imprecise(number)
        return number
    return cell.value


# Excel's built-in number formats 27-36 and 50-58 are the East Asian locales' dates and times (2023年9月28日 in a
# Chinese Excel); openpyxl knows only the international built-ins and reports these as General. A time in a date
# column reads as 1899-12-30: outside every version, named in the summary, never taken for a number
_LOCALE_DATE_FORMATS = frozenset((*range(27, 37), *range(50, 59)))


def _locale_date_format(cell: Any) -> bool:
    try:  # a read-only cell keeps only its style's index: the id is in the workbook's styles (no public reader)
        return cell.parent.parent._cell_styles[cell._style_id].numFmtId in _LOCALE_DATE_FORMATS
    except (AttributeError, IndexError, TypeError):
        return False


def _numeric(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _xlsx_number(value: float, number_format: str) -> Decimal:
    """Return a numeric cell as the exact decimal Excel shows: 15 digits, and the zeros its format displays."""
    # repr would keep binary artefacts of a formula (0.1+0.2 = 0.30000000000000004); Excel shows 15 digits
    exact = Decimal(format(value, f".{EXCEL_DIGITS}g")).normalize()
    shown = re.search(r"0\.(0+)", number_format)
    exponent = exact.as_tuple().exponent
    if shown and "%" not in number_format and isinstance(exponent, int) and -exponent <= len(shown[1]):
        try:
            return exact.quantize(Decimal(1).scaleb(-len(shown[1])))  # 52 shown as 52.00 was typed as 52.00
        except ArithmeticError:  # more digits than a Decimal holds (1E+26 shown as 0.00): left as it is, and
            return exact  # refused as out of range where it is used, like any number that large
    return exact


def cell_decimal(value: Any) -> str:
    """Return a cell's number as an exact decimal string (a bare float is read as Excel shows it)."""
    if isinstance(value, float):
        value = _xlsx_number(value, "")
    if isinstance(value, Decimal):
        return format(value, "f")
    return _text(value)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):  # an XLSX number: 10, not its normalised form 1E+1
        return format(value, "f")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()
