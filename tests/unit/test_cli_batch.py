"""``lanshan-rules batch``: the example register end to end, bad rows skipped and listed, amounts checked by hand."""
from __future__ import annotations

import json
import re
import sqlite3
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

import batch
from cli import main
from compensation_table import SKIPPED_SHEET, TABLE_SHEET
from decision_log import DecisionLog
from engine import PolicySet, evaluate, load_policies
from tests.conftest import RELABELLED

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "household-register.csv"
BAD_ROWS = ROOT / "tests" / "fixtures" / "registers" / "bad_rows.csv"


def _table(path: Path) -> tuple[list[str], dict[str, dict[str, Any]], list[str]]:
    """Return the header block, the households by 户号 (header -> cell), and the skipped rows as text."""
    book = load_workbook(path)
    sheet = book[TABLE_SHEET]
    rows = list(sheet.iter_rows(values_only=True))
    start = next(i for i, r in enumerate(rows) if r[0] == "行号")
    headers = list(rows[start])
    households = {r[1]: dict(zip(headers, r, strict=True)) for r in rows[start + 1:]}
    skipped = [" | ".join(str(c) for c in r) for r in book[SKIPPED_SHEET].iter_rows(min_row=2, values_only=True)]
    return [r[0] for r in rows[:start] if r[0]], households, skipped


def _money(cell: Any) -> Decimal:
    """Read a money cell back: a number cell holds the exact value (repr of the double), never a rounded one."""
    assert isinstance(cell, (int, float)), cell
    return Decimal(repr(cell))


@pytest.fixture(scope="module")
def example_table(tmp_path_factory: pytest.TempPathFactory) -> tuple[int, Path]:
    folder = tmp_path_factory.mktemp("batch")
    out = folder / "table.xlsx"
    return main(["batch", str(EXAMPLE), "-o", str(out), "--no-progress", "--project", "兰山区示例片区",
                 "--database", str(folder / "decisions.sqlite3")]), out


def test_every_household_of_the_table_is_a_logged_decision(example_table: tuple[int, Path]) -> None:
    _, out = example_table
    log = DecisionLog(str(out.parent / "decisions.sqlite3"))
    _, households, _ = _table(out)
    assert log.count() == 200
    for row in list(households.values())[:5]:
        record = log.find(row["决定编号"])
        assert record is not None and record.answer["decision_id"] == row["决定编号"]
        assert record.family == "expropriation" and record.version == "2022-04-01"


def test_the_example_register_runs_end_to_end_with_nothing_skipped(example_table: tuple[int, Path]) -> None:
    code, out = example_table
    assert code == 0
    header, households, skipped = _table(out)
    assert len(households) == 200
    assert skipped == []
    assert header[0] == "兰山区示例片区 分户补偿情况"
    assert header[1].startswith("第二十四条：房屋征收部门应当依法建立房屋征收补偿档案")
    assert re.search(r"临兰政发〔2022〕1号（expropriation 2022-04-01，内容哈希 sha256:[0-9a-f]{64}）", header[2])
    assert "计算 200 户，跳过 0 行" in header[3]
    assert all(re.fullmatch(r"[0-9a-f]{32}", h["决定编号"]) for h in households.values())
    assert {h["状态"] for h in households.values()} == {"已计算", "不予补偿"}


def test_three_households_checked_by_hand(example_table: tuple[int, Path]) -> None:
    _code, out = example_table
    _header, households, _skipped = _table(out)

    # LS2023-036: residential, only home, 41.28 m², simple decoration, appraised 7349.80, market 9000, monetary,
    # signed and vacated in time, an ancillary room appraised at 17500.
    h = households["LS2023-036"]
    # art. 26: max(7349.80, 90% × 9000 = 8100) = 8100; art. 29 ¶2: 41.28 < 45 → 45 × 8100 = 364,500.00
    assert _money(h["被征收房屋价值补偿"]) == Decimal("364500.00")
    assert _money(h["装饰装修补偿"]) == Decimal("2064.00")  # art. 39, I-3: 50 × 41.28 (actual area, not 45)
    assert _money(h["搬迁费"]) == Decimal("2000.00")  # art. 34 ¶1: 2000 per unit
    assert _money(h["临时安置费"]) == Decimal("4500.00")  # art. 35 ¶2: 3 months × 1500
    assert _money(h["早签协议并腾空房屋奖励"]) == Decimal("20000.00")  # art. 40
    assert _money(h["配房、储藏室、车库补偿"]) == Decimal("17500.00")  # art. 41: the appraised amount
    # 364,500 + 2,064 + 2,000 + 4,500 + 20,000 + 17,500 = 410,564.00
    assert _money(h["合计"]) == Decimal("410564.00")
    assert _money(h["补偿面积（平方米）"]) == Decimal("45.00")
    assert h["适用解释"].split("、").count("I-3") == 1

    # LS2023-005: 住改非: certificate 住宅, used as a shop, business and tax registration, records consistent,
    # 6 years of operation, not along a planned road; 128.92 m², simple decoration, appraised 9417.20, monetary.
    h = households["LS2023-005"]
    # art. 26: 9417.20 ≥ 8100; 128.92 × 9417.20 = 1,205,401.60 + 0.92 × 9417.20 (8,663.824) = 1,214,065.424 → .42
    assert _money(h["被征收房屋价值补偿"]) == Decimal("1214065.42")
    # art. 38 (not along a road): +30% of the residential value (I-2): 1,214,065.42 × 0.3 = 364,219.626 → .63
    assert _money(h["“住改非”房屋增加的补偿款"]) == Decimal("364219.63")
    assert h["停产停业损失补偿费"] is None  # I-2: the uplift replaces the art. 36 business loss
    assert _money(h["装饰装修补偿"]) == Decimal("6446.00")  # art. 39 (I-12: certificate says 住宅): 50 × 128.92
    # 1,214,065.42 + 364,219.63 + 6,446.00 + 2,000 (art. 34) + 4,500 (art. 35) + 20,000 (art. 40) = 1,611,231.05
    assert _money(h["合计"]) == Decimal("1611231.05")

    # LS2023-007: 营业用房 (all three conditions of art. 38), a company, 215.72 m², appraised 13698.90,
    # average annual profit 378,080.50, operating, not signed in the reward period.
    h = households["LS2023-007"]
    # art. 26 ¶4, art. 38: 215.72 × 13698.90 = 2,945,263.50 + 0.72 × 13698.90 (9,863.208) = 2,955,126.708 → .71
    assert _money(h["被征收房屋价值补偿"]) == Decimal("2955126.71")
    assert _money(h["停产停业损失补偿费"]) == Decimal("94520.13")  # art. 36, I-1: 378,080.50 × 3/12 = 94,520.125
    assert _money(h["搬迁费"]) == Decimal("2157.20")  # art. 34 ¶2: 10 × 215.72
    assert h["装饰装修补偿"] is None and h["早签协议并腾空房屋奖励"] is None  # arts. 39, 40: 住宅 only
    assert _money(h["合计"]) == Decimal("3051804.04")  # 2,955,126.71 + 94,520.13 + 2,157.20

    # LS2023-002: swap into a 53.72 m² multi-storey unit at 8650/m², own house 50.62 m², appraised 8776.90.
    h = households["LS2023-002"]
    # art. 28: 50.62 × 8776.90 = 438,845.00 + 5,441.678 = 444,286.678 → .68, credited, not in the total
    assert _money(h["被征收房屋价值补偿"]) == Decimal("444286.68")
    # art. 29 ¶1 (I-5, I-7): (53.72 − 50.62) × 8650 = 3.10 × 8650 = 26,815.00, paid by the household
    assert _money(h["产权调换结算"]) == Decimal("26815.00")
    assert _money(h["临时安置费"]) == Decimal("36000.00")  # art. 35: multi-storey 24 months × 1500
    # 2,531.00 (50 × 50.62) + 2,000 + 36,000 + 20,000 − 26,815.00 = 33,716.00
    assert _money(h["合计"]) == Decimal("33716.00")


def test_money_cells_are_exact_numbers_with_two_decimals(example_table: tuple[int, Path]) -> None:
    _code, out = example_table
    sheet = load_workbook(out)[TABLE_SHEET]
    header_row = next(r for r in sheet.iter_rows() if r[0].value == "行号")
    total = next(c.column for c in header_row if c.value == "合计")
    cells = [row[total - 1] for row in sheet.iter_rows(min_row=header_row[0].row + 1)]
    assert all(c.number_format == "0.00" and isinstance(c.value, (int, float)) for c in cells)


def test_bad_rows_are_skipped_and_listed_while_the_others_go_through(tmp_path: Path,
                                                                    capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "t.xlsx"
    code = main(["batch", str(BAD_ROWS), "-o", str(out), "--backend", "python", "--no-log"])
    assert code == batch.EXIT_ROWS_SKIPPED == 3
    header, households, skipped = _table(out)
    assert sorted(households) == ["A-01", "A-06", "A-11"]
    # 60.00 m², appraised 8000 < 90% × 9000 → 8100 (art. 26): 486,000.00 + 3,000.00 (art. 39: 50 × 60)
    # + 2,000 (art. 34) + 4,500 (art. 35) + 20,000 (art. 40) = 515,500.00
    assert _money(households["A-01"]["合计"]) == Decimal("515500.00")
    # exact decimals: 60.05 × 8123.45 = 487,813.1725 → 487,813.17 (art. 26, 8123.45 ≥ 8100)
    assert _money(households["A-11"]["被征收房屋价值补偿"]) == Decimal("487813.17")
    # + 2,000 (art. 34) + 4,500 (art. 35); no decoration, no reward = 494,313.17
    assert _money(households["A-11"]["合计"]) == Decimal("494313.17")
    assert households["A-11"]["备注"] == "原门牌 兰山路 12 号"
    # high-rise swap, no unit chosen yet: 100 × 52.30 = 5,230.00 (art. 39) + 2,000 + 36 × 1500 = 54,000
    # (art. 35) + garage 18,000 (art. 41); vacated late → no reward (art. 40) = 79,230.00
    assert _money(households["A-06"]["合计"]) == Decimal("79230.00")
    assert "计算 3 户，跳过 8 行" in header[3]
    rows = {int(line.split(" | ")[0]) for line in skipped}
    assert rows == {3, 4, 5, 6, 8, 9, 11, 12}
    text = "\n".join(skipped)
    assert "4 | A-03 | 建筑面积（平方米） | “六十”不是有效的数值" in text  # refused by the engine (422), mapped back
    assert "5 | A-04 | 安置住宅类型 | 产权调换须填写" in text
    assert "6 | A-05 | 房屋征收决定作出（公告）之日 | 不存在的日期" in text
    assert "12 | A-10 | 车库评估金额（元） | “一万”不是有效的数值" in text
    err = capsys.readouterr().err
    assert "第 3 行（户号 A-02）跳过：“房屋实际用途”列：“住房”不是可选值" in err
    assert "已计算 3 户，跳过 8 行" in err
    # audit 13: the rows the register could not read were all said first, then those the engine refused
    said = [int(m) for m in re.findall(r"第 (\d+) 行（户号", err)]
    assert said == sorted(said) and set(said) == {3, 4, 5, 6, 8, 9, 11, 12}


def test_decide_is_pluggable_and_a_failure_skips_only_its_row(tmp_path: Path, python_policies: PolicySet) -> None:
    policies = python_policies
    seen: list[str] = []

    def decide(case: dict[str, Any]) -> dict[str, Any]:
        seen.append(case["facts"]["owner"]["name"])
        if case["facts"]["owner"]["name"] == "陈明华":
            raise RuntimeError("日志库不可用")
        return {"decision_id": f"logged-{len(seen)}", **evaluate(policies, case)}

    result = batch.run(BAD_ROWS, tmp_path / "t.xlsx", policies, decide, progress=False)
    assert "陈明华" in seen
    assert [r.household for r, _ in result.decided] == ["A-01", "A-11"]
    failed = [e for e in result.skipped if e.household == "A-06"]
    assert failed and "日志库不可用" in failed[0].message
    _header, households, _skipped = _table(tmp_path / "t.xlsx")
    assert households["A-01"]["决定编号"].startswith("logged-")


def test_the_xlsx_register_gives_the_same_table(example_table: tuple[int, Path], tmp_path: Path,
                                               durable_policies: PolicySet) -> None:
    out = tmp_path / "x.xlsx"
    result = batch.run(EXAMPLE.with_suffix(".xlsx"), out, durable_policies, progress=False, project="兰山区示例片区")
    assert result.exit_code == 0
    _h1, from_csv, _s1 = _table(example_table[1])
    _h2, from_xlsx, _s2 = _table(out)
    strip = [{k: v for k, v in h.items() if k != "决定编号"} for h in from_csv.values()]
    assert strip == [{k: v for k, v in h.items() if k != "决定编号"} for h in from_xlsx.values()]


def test_an_unreadable_register_or_output_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["batch", str(tmp_path / "none.csv"), "-o", str(tmp_path / "t.xlsx"), "--no-log"]) == 2
    assert "文件不存在" in capsys.readouterr().err
    assert main(["batch", str(BAD_ROWS), "-o", str(tmp_path / "no" / "dir" / "t.xlsx"), "--no-progress",
                 "--no-log"]) == 2
    assert "无法写入" in capsys.readouterr().err


def test_the_register_itself_and_an_unopenable_log_are_refused_with_a_message(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    register = tmp_path / "r.csv"
    register.write_bytes(EXAMPLE.read_bytes())
    assert main(["batch", str(register), "-o", str(register), "--no-log", "--no-progress"]) == 2
    assert "不能写入户籍登记表本身" in capsys.readouterr().err
    assert register.read_bytes() == EXAMPLE.read_bytes()  # the officer's register is untouched
    (tmp_path / "file").write_text("x")
    assert main(["batch", str(register), "-o", str(tmp_path / "t.xlsx"), "--no-progress",
                 "--database", str(tmp_path / "file" / "d.sqlite3")]) == 2  # its folder is a file
    assert "无法打开决定记录库" in capsys.readouterr().err
    assert not (tmp_path / "t.xlsx").exists()


def test_an_output_not_named_xlsx_is_refused_before_anything_is_done(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # before: `-o table.csv` wrote an XLSX under that name, with exit 0 and no word of it
    for name, suggested in (("table.csv", "table.xlsx"), ("table", "table.xlsx")):
        assert main(["batch", str(EXAMPLE), "-o", str(tmp_path / name), "--no-progress",
                     "--database", str(tmp_path / "d.sqlite3")]) == 2
        assert f"输出文件名须以 .xlsx 结尾，例如 {suggested}" in capsys.readouterr().err
        assert not (tmp_path / name).exists()
    with sqlite3.connect(tmp_path / "d.sqlite3") as log:  # nothing was evaluated, so nothing was logged
        assert log.execute("SELECT count(*) FROM decisions").fetchone() == (0,)
    assert main(["batch", str(EXAMPLE), "-o", str(tmp_path / "T.XLSX"), "--no-progress", "--no-log"]) == 0


def test_texts_from_the_register_are_written_as_texts(tmp_path: Path) -> None:
    # openpyxl writes a text starting with "=" as a formula (Excel would show 2, a live link, another cell)
    # and refuses control characters (a vertical tab pasted from Word crashed the whole run)
    register = tmp_path / "texts.csv"
    register.write_text(
        "户号,房屋征收决定作出（公告）之日,房屋实际用途,建筑面积（平方米）,被征收房屋评估单价（元/平方米）,"
        "所处区位新建普通商品住房（非住宅为类似房地产）市场单价（元/平方米）,补偿方式,被征收人,备注\n"
        '=A2,2023-05-10,住宅,60,8000,9000,货币补偿,"=HYPERLINK(""http://x"",""张三"")",门牌\x0b兰山路12号\n',
        encoding="utf-8")
    assert main(["batch", str(register), "-o", str(tmp_path / "t.xlsx"), "--no-log", "--no-progress"]) == 0
    sheet = load_workbook(tmp_path / "t.xlsx")[TABLE_SHEET]
    row = next(r for r in sheet.iter_rows() if r[1].value == "=A2")
    assert [(c.value, c.data_type) for c in row[1:4]] == [
        ("=A2", "s"), ('=HYPERLINK("http://x","张三")', "s"), ("门牌 兰山路12号", "s")]


def test_the_batch_masks_personal_data_in_the_log_as_the_service_does(tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    # before: the command line ignored LANSHAN_MASK_PII and logged 被征收人 in clear
    register = tmp_path / "r.csv"
    register.write_text("\n".join(EXAMPLE.read_text(encoding="utf-8-sig").splitlines()[:2]) + "\n", encoding="utf-8")
    monkeypatch.setenv("LANSHAN_MASK_PII", "true")
    database = tmp_path / "d.sqlite3"
    assert main(["batch", str(register), "-o", str(tmp_path / "t.xlsx"), "--no-progress", "--backend", "python",
                 "--database", str(database)]) == 0
    _, households, _ = _table(tmp_path / "t.xlsx")
    record = DecisionLog(str(database)).find(households["LS2023-001"]["决定编号"])
    assert record is not None and record.masked
    assert record.input["facts"]["owner"]["name"] == "***"
    assert "吕春梅" not in json.dumps(record.input, ensure_ascii=False, default=str)


def test_a_household_outside_every_version_is_named_in_the_summary(tmp_path: Path,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    # before (audit 4): a mistyped decision date (2032) gave a household 合计 0 in the table, counted as 已计算,
    # with nothing said; then its 合计 was still 0 in the table, which is published to the households (art. 24)
    # and reads as "this household gets nothing": it is now empty; a full-width date (２０２３-05-10, as some
    # input methods type it) was "不存在的日期"
    register = tmp_path / "r.csv"
    register.write_text("户号,房屋征收决定作出（公告）之日,房屋实际用途,建筑面积（平方米）,被征收房屋评估单价（元/平方米）,"
                        "所处区位新建普通商品住房（非住宅为类似房地产）市场单价（元/平方米）,补偿方式\n"
                        "A-01,２０２３-０５-１０,住宅,60,8000,9000,货币补偿\n"
                        "A-02,2032-05-10,住宅,60,8000,9000,货币补偿\n", encoding="utf-8")
    out = tmp_path / "t.xlsx"
    assert main(["batch", str(register), "-o", str(out), "--backend", "python", "--no-log"]) == 0
    _, households, _ = _table(out)
    # 60 × 8100 (art. 26: 90% × 9000) = 486,000.00 + 2,000 (art. 34) + 4,500 (art. 35) = 492,500.00
    assert _money(households["A-01"]["合计"]) == Decimal("492500.00")
    assert (households["A-02"]["状态"], households["A-02"]["合计"]) == ("无适用的政策版本", None)
    assert "未登记后续版本" in households["A-02"]["结论与提示"]  # the reason is in the row itself
    err = capsys.readouterr().err
    assert "已计算 2 户，跳过 0 行" in err
    assert "其中 1 户没有适用的政策版本，合计栏留空（第 3 行），请核对房屋征收决定作出之日" in err


def test_a_csv_cell_too_large_to_read_is_said_with_its_row(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # audit 13: a cell of 200,000 characters was a traceback (_csv.Error: field larger than field limit (131072))
    register = tmp_path / "big.csv"
    lines = EXAMPLE.read_text(encoding="utf-8").splitlines()
    register.write_text("\n".join([lines[0], lines[1], "X" * 200_000]) + "\n", encoding="utf-8")
    code = main(["batch", str(register), "-o", str(tmp_path / "t.xlsx"), "--no-progress", "--no-log"])
    assert code != 0
    assert "CSV 第 3 行无法读取：有单元格超过 131072 个字符" in capsys.readouterr().err


def test_a_csv_read_error_names_the_register_row_not_the_file_line() -> None:
    # review: a quoted cell spanning three lines made "第 6 行" of what is the 4th row
    from register import RegisterError, _csv_records
    data = b'a,b\n"x\ny\nz",1\n2,3\n' + b"X" * 200_000 + b",4\n"
    rows = _csv_records(data)
    assert [next(rows)[0] for _ in range(3)] == [1, 2, 3]
    with pytest.raises(RegisterError) as error:
        next(rows)
    assert str(error.value) == "CSV 第 4 行无法读取：有单元格超过 131072 个字符"


def test_the_status_column_shows_the_label_facts_yaml_declares(tmp_path: Path, relabelled_policies: Path) -> None:
    # the table wrote its own copy of the labels: a status relabelled (or added) in facts.yaml was shown otherwise
    out = tmp_path / "t.xlsx"
    result = batch.run(EXAMPLE, out, load_policies(relabelled_policies, backend="python"), progress=False)
    assert result.exit_code == 0
    _header, households, _skipped = _table(out)
    assert {h["状态"] for h in households.values()} == {"已计算", RELABELLED}
