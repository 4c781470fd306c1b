"""A rule's outputs (evaluator.compile_outputs): the generated function and the closures give the same items,
and the same 422 when an amount is empty or cannot be rounded, naming the rule and the fact."""
from __future__ import annotations

import shutil
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from engine import CaseError, codegen, evaluate
from tests.conftest import load_with_codegen

BASE = Path(__file__).resolve().parents[1] / "fixtures" / "base_policy"
DOMESTIC_AMOUNT = "amount: param.domestic_listing_subsidy\n"


def _policies(tmp_path: Path, amount: str, generated: bool) -> Any:
    """The base listing policy with the domestic-listing amount replaced, loaded with or without generated code."""
    root = tmp_path / ("on" if generated else "off")
    shutil.copytree(BASE, root)
    version = root / "listing" / "2022-04-29.yaml"
    text = version.read_text(encoding="utf-8")
    assert text.count(DOMESTIC_AMOUNT) == 1
    version.write_text(text.replace(DOMESTIC_AMOUNT, f"amount: {amount}\n"), encoding="utf-8")
    return load_with_codegen(root, generated)


def _case(*events: dict[str, Any]) -> dict[str, Any]:
    return {"policy": "listing", "kind": "enterprise", "facts": {"name": "某公司", "events": list(events)}}


SHARE_REFORM = {"type": "share_reform_registered", "date": "2022-06-01"}
DOMESTIC = {"type": "domestic_listing", "date": "2023-05-10"}


@pytest.fixture(autouse=True)
def no_needless_fallback() -> Iterator[None]:
    codegen.NEEDLESS.clear()
    yield
    assert not codegen.NEEDLESS


def _rule(policies: Any, rule_id: str) -> Any:
    version = policies.families["listing"].versions[0]
    return next(r for r in version.cases["enterprise"].rules if r.id == rule_id)


@pytest.mark.parametrize("generated", [True, False], ids=["generated", "closures"])
def test_items_are_the_same_either_way(tmp_path: Path, generated: bool) -> None:
    policies = _policies(tmp_path, "param.domestic_listing_subsidy * 1.5", generated)
    answer = evaluate(policies, _case(SHARE_REFORM, DOMESTIC))
    # by hand: 股改 100 万 (二（五）); 境内上市 500 万 × 1.5 = 7,500,000.00
    assert [(i["code"], i["amount"]) for i in answer["items"]] == [
        ("share_reform_registered", "1000000.00"), ("domestic_listing", "7500000.00")]
    assert answer["total"] == "8500000.00"  # 1,000,000 + 7,500,000
    assert answer["items"][1]["explanation"] == "2023-05-10 完成境内上市，一次性补助 7500000.00 元"
    outputs = _rule(policies, "domestic_listing").outputs
    assert hasattr(outputs, "source") is generated  # the generated function, or the closures' reference


@pytest.mark.parametrize("generated", [True, False], ids=["generated", "closures"])
def test_an_empty_amount_names_the_fact(tmp_path: Path, generated: bool) -> None:
    policies = _policies(tmp_path, "event.repatriated_funds", generated)  # null unless an overseas listing
    with pytest.raises(CaseError) as e:
        evaluate(policies, _case(SHARE_REFORM, DOMESTIC))
    assert [(x.path, x.message) for x in e.value.errors] == [
        ("facts.events[1].repatriated_funds",
         "规则 domestic_listing（二（五））计算“完成境内上市补助”需要此项，但它为空")]


@pytest.mark.parametrize("generated", [True, False], ids=["generated", "closures"])
def test_an_amount_too_large_to_round_is_refused(tmp_path: Path, generated: bool) -> None:
    # 5,000,000 × 10^30 × 10^30 = 5 × 10^66: rounding it to 0.01 needs 69 digits, more than the 50 of money.CONTEXT
    policies = _policies(tmp_path, "param.domestic_listing_subsidy * 1E+30 * 1E+30", generated)
    assert Decimal(5_000_000) * Decimal("1E+30") * Decimal("1E+30") == Decimal("5E+66")
    with pytest.raises(CaseError) as e:
        evaluate(policies, _case(DOMESTIC))
    assert [(x.path, x.message) for x in e.value.errors] == [
        ("facts", "规则 domestic_listing（二（五））的“完成境内上市补助”超出可计算范围")]
