"""Generate the example household register: 200 varied, realistic households of one project, seeded.

Writes ``examples/household-register.csv`` (UTF-8 with BOM, as Excel saves "CSV UTF-8") and the same
rows as ``examples/household-register.xlsx`` (numbers as numeric cells, dates as date cells, as a
register typed into Excel would be). Headers come from the facts vocabulary, so they match the reader.

    .venv/bin/python scripts/make_household_register.py
"""
from __future__ import annotations

import csv
import datetime
import random
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from engine import load_policies  # noqa: E402
from register_columns import HOUSEHOLD_ID, columns  # noqa: E402

SEED = 20230928
DECISION = datetime.date(2023, 9, 28)  # one project: one expropriation decision
MARKET = Decimal("9000")  # 所处区位新建普通商品住房市场单价
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎"
GIVEN = "秀英桂兰玉兰凤英建华建国志强永刚海燕丽娟明华德胜淑珍春梅文军红霞国庆立新洪涛晓东金凤玉珍宝山"
FIRMS = ["兰山区鑫源商贸有限公司", "临沂市恒顺五金经营部", "兰山区福来餐饮店", "临沂市东方印务有限公司",
         "兰山区百姓大药房", "临沂市金桥物流有限公司", "兰山区惠民副食品批发部", "临沂市兴华机械加工厂"]


def _money(rng: random.Random, low: int, high: int, step: int = 1) -> Decimal:
    return Decimal(rng.randrange(low, high, step))


def _area(rng: random.Random, low: float, high: float) -> Decimal:
    return Decimal(f"{rng.uniform(low, high):.2f}")


def _name(rng: random.Random) -> str:
    given = GIVEN[rng.randrange(0, len(GIVEN) - 1, 2):][:2]
    return rng.choice(SURNAMES) + given


def household(rng: random.Random, number: int) -> dict[str, Any]:
    """Return one household as {fact path or header: value}, drawn from the kinds a project meets."""
    kind = rng.choices(["home", "small_home", "changed_use", "business", "temporary", "illegal"],
                       weights=[120, 25, 20, 25, 7, 3])[0]
    area = _area(rng, 30, 44.9) if kind == "small_home" else _area(rng, 46, 145)
    row: dict[str, Any] = {
        HOUSEHOLD_ID: f"LS2023-{number:03d}",
        "owner.name": _name(rng),
        "decision_date": DECISION,
        "property.use": "住宅",
        "property.building_area": area,
        "prices.appraised_unit_price": Decimal(rng.randrange(720000, 980000, 5)) / 100,
        "prices.market_unit_price": MARKET,
        "choice.mode": "货币补偿",
        "choice.signed_in_reward_period": rng.random() < 0.85,
        "choice.vacated_on_time": rng.random() < 0.9,
    }
    if kind in ("home", "small_home", "changed_use"):
        row["property.decoration"] = rng.choice(["无装修", "简装修", "简装修", "精装修"])
        row["owner.only_home"] = kind == "small_home" or rng.random() < 0.6
        if rng.random() < 0.3:
            row["property.ancillary:" + rng.choice(["储藏室", "车库", "配房"])] = _money(rng, 8000, 40000, 100)
        if rng.random() < 0.08:
            row["property.courtyard.land_area"] = (area * Decimal(rng.choice(["1.3", "1.6", "2.0"]))).quantize(
                Decimal("0.01"))
            row["property.courtyard.appraised_unit_price"] = _money(rng, 1200, 2600, 50)
        if rng.random() < 0.06:
            row["property.area_added_after_scope"] = _area(rng, 3, 12)
    if kind == "small_home" and rng.random() < 0.2:
        row["owner.housing_security_eligible"] = True
        row["owner.chooses_housing_security"] = rng.random() < 0.5
    if kind in ("home", "small_home") and rng.random() < 0.5:
        _swap(rng, row, area)
    if kind == "changed_use":  # 住改非: certificate says 住宅, the house is run as a shop
        row.update({"property.use": "非住宅", "property.certificate_use": "住宅",
                    "property.along_planned_road": rng.random() < 0.5, "property.business.registered": True,
                    "property.business.consistent": rng.random() < 0.8,  # else 擅自改变用途 (art. 38 ¶1)
                    "property.business.tax_record": True, "property.business.operating": True,
                    "property.business.operating_years": Decimal(rng.randrange(1, 12))})
    if kind == "business":  # 营业用房: all three conditions of art. 38
        row.update({"owner.name": rng.choice(FIRMS), "owner.individual": False, "property.use": "非住宅",
                    "property.certificate_use": "营业", "property.building_area": _area(rng, 60, 420),
                    "property.business.registered": True, "property.business.tax_record": True,
                    "property.business.consistent": True, "property.business.operating": rng.random() < 0.9,
                    "property.business.operating_years": Decimal(rng.randrange(2, 20)),
                    "prices.appraised_unit_price": Decimal(rng.randrange(1100000, 1600000, 5)) / 100})
        del row["prices.market_unit_price"]
        if rng.random() < 0.7:
            row["property.business.avg_annual_profit"] = _money(rng, 30000, 600000, 10) + Decimal("0.50")
        if rng.random() < 0.3:
            row["property.special_equipment_moving"] = _money(rng, 5000, 60000, 100)
        if rng.random() < 0.4:
            row["property.decoration"] = "特殊装修"
            row["property.decoration_appraised"] = _money(rng, 20000, 150000, 100)
    if kind == "temporary":
        row["property.legal_status"] = "未超过批准期限的临时建筑"
        row["property.temporary_compensation"] = _money(rng, 5000, 30000, 100)
        row["property.building_area"] = _area(rng, 12, 40)
    if kind == "illegal":
        row["property.legal_status"] = rng.choice(["违法建筑", "超过批准期限的临时建筑"])
    if rng.random() < 0.7 and row.get("choice.signed_in_reward_period"):
        row["choice.signing_date"] = DECISION + datetime.timedelta(days=rng.randrange(5, 60))
    return row


def _swap(rng: random.Random, row: dict[str, Any], area: Decimal) -> None:
    row["choice.mode"] = "产权调换"
    row["choice.swap_building"] = rng.choice(["多层", "高层"])
    row["choice.new_unit.building_area"] = max(Decimal("45.00"), area + _area(rng, -12, 15))
    if rng.random() < 0.25:  # inner and shared areas of both units: settled separately (I-5)
        legal = area - row.get("property.area_added_after_scope", 0)  # the certificate's split (art. 13)
        row["property.inner_area"] = (legal * Decimal("0.82")).quantize(Decimal("0.01"))
        row["property.shared_area"] = legal - row["property.inner_area"]
        new = row["choice.new_unit.building_area"]
        row["choice.new_unit.inner_area"] = (new * Decimal("0.78")).quantize(Decimal("0.01"))
        row["choice.new_unit.shared_area"] = new - row["choice.new_unit.inner_area"]
        row["choice.new_unit.construction_cost_unit_price"] = _money(rng, 2800, 3600, 50)
    if rng.random() < 0.3:
        row["choice.new_unit.market_unit_price"] = _money(rng, 8600, 9800, 50)
    if rng.random() < 0.2:
        row["choice.turnover_housing"] = True
    elif rng.random() < 0.15:
        row["choice.overdue_months"] = Decimal(rng.randrange(1, 7))
        row["choice.overdue_by_department"] = rng.random() < 0.5


def main() -> None:
    """Write the CSV and the XLSX register."""
    kind = load_policies(ROOT / "policies", backend="python").families["expropriation"].kinds["household"]
    header_of = {c.path: c.header for c in columns(kind) if not c.list_key}
    header_of |= {f"{c.path}:{c.header.split('评估')[0]}": c.header for c in columns(kind) if c.list_key}
    rng = random.Random(SEED)
    rows = [household(rng, n) for n in range(1, 201)]
    used = {key for row in rows for key in row}
    keys = [HOUSEHOLD_ID, "owner.name"] + [key for key in header_of if key in used and key != "owner.name"]
    headers = [HOUSEHOLD_ID] + [header_of[key] for key in keys[1:]]
    (ROOT / "examples").mkdir(exist_ok=True)
    with open(ROOT / "examples" / "household-register.csv", "w", encoding="utf-8-sig", newline="") as f:
        out = csv.writer(f)
        out.writerow(headers)
        for row in rows:
            out.writerow([_csv(row.get(key)) for key in keys])
    _xlsx(ROOT / "examples" / "household-register.xlsx", headers, [[row.get(key) for key in keys] for row in rows])


def _csv(value: Any) -> str:
    if isinstance(value, bool):
        return "是" if value else "否"
    return "" if value is None else str(value)


def _xlsx(path: Path, headers: list[str], rows: list[list[Any]]) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "户籍登记表"
    sheet.append(headers)
    for row in rows:
        sheet.append(["是" if v is True else "否" if v is False else v for v in row])
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, datetime.date):
                cell.number_format = "yyyy-mm-dd"
            elif isinstance(cell.value, Decimal):  # show the decimals typed, as a register clerk formats them
                places = max(0, -int(cell.value.as_tuple().exponent))
                cell.number_format = "0." + "0" * places if places else "0"
    book.save(path)


if __name__ == "__main__":
    main()
