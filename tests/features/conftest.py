"""Step definitions for the Chinese acceptance features under ``features/``.

The steps build a request exactly as other services send it (PRODUCT §6) and hand it to the
``evaluate_case(request_dict) -> (http_status, answer_dict)`` fixture from ``tests/conftest.py``,
which runs it through the engine (``@engine``) or the live HTTP service (``@api``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import parse
from pytest_bdd import given, parsers, then, when

Case = dict[str, Any]
Answer = dict[str, Any]
Outcome = tuple[int, Answer]
EvaluateCase = Callable[[Case], Outcome]


@parse.with_pattern(r"\d{4}-\d{2}-\d{2}")
def _iso_date(text: str) -> str:
    """Keep an ISO date as the string the contract sends."""
    return text


def _step(pattern: str) -> parsers.parse:
    """Parse a step; ``{date:Date}`` only matches ``YYYY-MM-DD``."""
    return parsers.parse(pattern, extra_types={"Date": _iso_date})


# Given: the enterprise and its facts -------------------------------------------------------


@given(_step('一家名为 "{name}" 的企业'), target_fixture="case")
def enterprise(name: str) -> Case:
    """Start a listing case for one enterprise with no events and nothing paid."""
    return {"policy": "listing", "kind": "enterprise", "facts": {"name": name, "events": [], "paid": []}}


@given(_step('该企业于 {date:Date} 发生 "{event_type}" 事件'))
def event(case: Case, date: str, event_type: str) -> None:
    """Record a milestone event that needs no further facts."""
    case["facts"]["events"].append({"type": event_type, "date": date})


@given(_step('该企业于 {date:Date} 境外上市，募集资金回款 "{funds}" 元'))
def overseas_listing(case: Case, date: str, funds: str) -> None:
    """Record an overseas listing with the raised funds repatriated, as a decimal string."""
    case["facts"]["events"].append({"type": "overseas_listing", "date": date, "repatriated_funds": funds})


@given(_step('该企业于 {date:Date} 在区域性股权市场 "{exchange}" 挂牌'))
def regional_equity_listing(case: Case, date: str, exchange: str) -> None:
    """Record a listing on 齐鲁 (qilu) or 青岛蓝海 (qingdao_blue_ocean)."""
    case["facts"]["events"].append({"type": "regional_equity_listing", "date": date, "exchange": exchange})


@given(_step('该企业已获付 "{event_type}" 补助 "{amount}" 元'))
def paid(case: Case, event_type: str, amount: str) -> None:
    """Record an amount already paid for one subsidy, as a decimal string."""
    case["facts"]["paid"].append({"type": event_type, "amount": amount})


# When ------------------------------------------------------------------------------------


@when("按上市补助政策计算", target_fixture="outcome")
def evaluate(case: Case, evaluate_case: EvaluateCase) -> Outcome:
    """Evaluate the case through the engine or the HTTP service, as the scenario's tag says."""
    return evaluate_case(case)


# Then ------------------------------------------------------------------------------------


def _answer(outcome: Outcome) -> Answer:
    """Return the answer of a successful (HTTP 200) evaluation."""
    http_status, answer = outcome
    assert http_status == 200, f"HTTP {http_status}: {answer}"
    return answer


def _items(outcome: Outcome, code: str) -> list[dict[str, Any]]:
    """Return the answer's items carrying ``code``."""
    return [item for item in _answer(outcome).get("items", []) if item.get("code") == code]


def _the_item(outcome: Outcome, code: str) -> dict[str, Any]:
    """Return the single item carrying ``code``."""
    items = _items(outcome, code)
    assert len(items) == 1, f"expected one {code!r} item, got {len(items)}: {_answer(outcome).get('items')}"
    return items[0]


@then(_step('状态为 "{status}"'))
def status_is(outcome: Outcome, status: str) -> None:
    """Check the answer status (evaluated | no_policy_in_force)."""
    answer = _answer(outcome)
    assert answer.get("status") == status, answer


@then(_step('适用政策为 "{family}" 版本 "{version}"'))
def policy_is(outcome: Outcome, family: str, version: str) -> None:
    """Check which policy family and version decided the case."""
    policy = _answer(outcome).get("policy") or {}
    assert (policy.get("family"), policy.get("version")) == (family, version), policy


@then(_step('补助项 "{code}" 的金额为 "{amount}"'))
def item_amount_is(outcome: Outcome, code: str, amount: str) -> None:
    """Check the one item of ``code`` and its amount, compared as the exact string."""
    item = _the_item(outcome, code)
    assert item.get("amount") == amount, item


@then(_step('补助项 "{code}" 的依据为 "{article}"'))
def item_article_is(outcome: Outcome, code: str, article: str) -> None:
    """Check that the item of ``code`` is grounded on exactly this article."""
    item = _the_item(outcome, code)
    assert item.get("articles") == [article], item


@then(_step('没有补助项 "{code}"'))
def no_item(outcome: Outcome, code: str) -> None:
    """Check that no item of ``code`` was granted."""
    assert _items(outcome, code) == [], _answer(outcome).get("items")


@then("没有任何补助项")
def no_items(outcome: Outcome) -> None:
    """Check that nothing was granted."""
    assert _answer(outcome).get("items", []) == [], _answer(outcome)


@then(_step("共有 {count:d} 个补助项"))
def item_count_is(outcome: Outcome, count: int) -> None:
    """Check how many items were granted."""
    items = _answer(outcome).get("items", [])
    assert len(items) == count, items


@then(_step('补助合计为 "{amount}"'))
def total_is(outcome: Outcome, amount: str) -> None:
    """Check the total of all items."""
    answer = _answer(outcome)
    assert answer.get("total") == amount, answer


@then(_step('已付合计为 "{amount}"'))
def paid_is(outcome: Outcome, amount: str) -> None:
    """Check the sum of the amounts already paid."""
    answer = _answer(outcome)
    assert answer.get("paid") == amount, answer


@then(_step('应付为 "{amount}"'))
def due_is(outcome: Outcome, amount: str) -> None:
    """Check the amount still due (total − paid)."""
    answer = _answer(outcome)
    assert answer.get("due") == amount, answer


@then(_step('有一条 "{code}" 提示'))
def one_finding(outcome: Outcome, code: str) -> None:
    """Check that exactly one finding carries ``code``."""
    findings = _answer(outcome).get("findings", [])
    matching = [finding for finding in findings if finding.get("code") == code]
    assert len(matching) == 1, findings
