"""A case's quantities (evaluator.compile_quantities): the generated function and the closures give the same
quantities, and the same 422 when a default or a rule's ``sets`` cannot be computed, naming the rule that sets it."""
from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from engine import CaseError, codegen, evaluate
from tests.conftest import load_with_codegen

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "household-case.json"  # 60.00 m², appraised 8000, market 9000: art. 26 ¶3 sets 8100
FLOOR = "          unit_price: param.market_floor_rate * prices.market_unit_price\n"
HOUSE_VALUE = "expr: 'round(compensated_area * unit_price, 0.01)'"


def _policies(tmp_path: Path, generated: bool, old: str = "", new: str = "") -> Any:
    root = tmp_path / ("on" if generated else "off")
    shutil.copytree(ROOT / "policies", root)
    version = root / "expropriation" / "2022-04-01.yaml"
    text = version.read_text(encoding="utf-8")
    if old:
        assert text.count(old) == 1
        version.write_text(text.replace(old, new), encoding="utf-8")
    return load_with_codegen(root, generated)


def _case(market: str = "9000") -> dict[str, Any]:
    case = json.loads(EXAMPLE.read_text(encoding="utf-8"), parse_float=Decimal)
    case["facts"]["prices"]["market_unit_price"] = market
    return case


@pytest.fixture(autouse=True)
def no_needless_fallback() -> Iterator[None]:
    codegen.NEEDLESS.clear()
    yield
    assert not codegen.NEEDLESS


@pytest.mark.parametrize("generated", [True, False], ids=["generated", "closures"])
def test_quantities_are_the_same_either_way(tmp_path: Path, generated: bool) -> None:
    policies = _policies(tmp_path, generated)
    answer = evaluate(policies, _case())
    # by hand: art. 26 ¶3 sets the unit price to 90% × 9000 = 8100.00 (above the appraised 8000); 60.00 m²
    assert answer["quantities"] == {"unit_price": "8100.00", "compensated_area": "60.00", "resettlement_area": None}
    house_value = next(i for i in answer["items"] if i["code"] == "house_value")
    assert house_value["amount"] == "486000.00"  # 60.00 × 8100.00
    case = policies.families["expropriation"].versions[0].cases["household"]
    assert hasattr(case.quantify, "source") is generated


@pytest.mark.parametrize("generated", [True, False], ids=["generated", "closures"])
def test_a_rule_that_sets_a_quantity_it_cannot_compute_is_named(tmp_path: Path, generated: bool) -> None:
    # 90% × 9000 / (9000 − 9000): a division by zero in art26_residential_floor's sets
    policies = _policies(tmp_path, generated, FLOOR, FLOOR.replace(
        "prices.market_unit_price\n", "prices.market_unit_price / (prices.market_unit_price - 9000)\n"))
    with pytest.raises(CaseError) as e:
        evaluate(policies, _case())
    [error] = e.value.errors
    assert error.message.startswith("规则 art26_residential_floor（第二十六条第三款）：")
    assert "除数为 0" in error.message


@pytest.mark.parametrize("generated", [True, False], ids=["generated", "closures"])
def test_a_default_it_cannot_compute_names_no_rule(tmp_path: Path, generated: bool) -> None:
    # 60.00 × 8100 / (8100 − 8100): the default of house_value_amount divides by zero
    policies = _policies(tmp_path, generated, HOUSE_VALUE,
                         "expr: 'round(compensated_area * unit_price / (unit_price - 8100), 0.01)'")
    with pytest.raises(CaseError) as e:
        evaluate(policies, _case())
    [error] = e.value.errors
    assert "除数为 0" in error.message and not error.message.startswith("规则")


def test_both_ways_give_the_same_error(tmp_path: Path) -> None:
    broken = (FLOOR, FLOOR.replace("prices.market_unit_price\n",
                                   "prices.market_unit_price / (prices.market_unit_price - 9000)\n"))
    errors = []
    for generated in (True, False):
        with pytest.raises(CaseError) as e:
            evaluate(_policies(tmp_path / str(generated), generated, *broken), _case())
        errors.append([x.as_dict() for x in e.value.errors])
    assert errors[0] == errors[1]
