"""Step definitions for the Chinese acceptance features under ``features/``.

The steps build a request exactly as other services send it (PRODUCT §6) and hand it to the
``evaluate_case(request_dict) -> (http_status, answer_dict)`` fixture from ``tests/conftest.py``,
which runs it through the engine (``@engine``) or the live HTTP service (``@api``).
"""

from __future__ import annotations

import datetime
import json
import os
from collections.abc import Callable, Generator
from pathlib import Path
from typing import Any

import parse
import pytest
from pytest_bdd import given, parsers, then, when

Case = dict[str, Any]
Answer = dict[str, Any]
Outcome = tuple[int, Answer]
EvaluateCase = Callable[[Case], Outcome]


@pytest.fixture(autouse=True, params=["durable", "python"])
def backend(request: pytest.FixtureRequest) -> str:
    """Every scenario runs on both backends: the deployed durable_rules one, and the python one a deployment may
    choose (LANSHAN_BACKEND=python); each must say what the article says."""
    return str(request.param)


# Scenario outcomes for the policy browser -------------------------------------------------
# The browser shows each scenario's last result beside the article it restates; it reads them
# from .feature-results.json at the repository root (gitignored), written at the end of a run.
# A run of some features updates only their entries, so the file always holds each scenario's last result.

RESULTS_FILE = Path(__file__).resolve().parents[2] / ".feature-results.json"
_labels: dict[str, str] = {}  # test node id -> "<feature file>: <scenario title>", as engine.coverage names it
_outcomes: dict[str, str] = {}


def pytest_bdd_before_scenario(request: pytest.FixtureRequest, feature: Any, scenario: Any) -> None:
    """Remember which scenario a test runs, under the label the coverage report uses."""
    _labels[request.node.nodeid] = f"{Path(feature.filename).name}: {scenario.name}"


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Generator[None, Any, Any]:
    """Record each scenario's outcome; one failing example of an outline fails the scenario."""
    report = yield
    label = _labels.get(item.nodeid)
    if label and (report.when == "call" or not report.passed):
        outcome = "failed" if report.failed else "skipped" if report.skipped else "passed"
        if _outcomes.get(label) != "failed":
            _outcomes[label] = outcome
    return report


def pytest_sessionfinish(session: pytest.Session) -> None:
    """Merge this run's outcomes into the results file."""
    if not _outcomes:
        return
    try:
        known = json.loads(RESULTS_FILE.read_text(encoding="utf-8")).get("scenarios", {})
    except (OSError, ValueError, AttributeError):
        known = {}
    now = datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")  # when it ran, not a legal date
    known.update({label: {"outcome": outcome, "run_at": now} for label, outcome in _outcomes.items()})
    partial = RESULTS_FILE.with_suffix(f".{os.getpid()}.tmp")
    partial.write_text(json.dumps({"scenarios": known}, ensure_ascii=False, indent=1), encoding="utf-8")
    partial.replace(RESULTS_FILE)


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
@then("没有任何补偿项")
def no_items(outcome: Outcome) -> None:
    """Check that nothing was granted."""
    assert _answer(outcome).get("items", []) == [], _answer(outcome)


@then(_step("共有 {count:d} 个补助项"))
@then(_step("共有 {count:d} 个补偿项"))
def item_count_is(outcome: Outcome, count: int) -> None:
    """Check how many items were granted."""
    items = _answer(outcome).get("items", [])
    assert len(items) == count, items


@then(_step('补助合计为 "{amount}"'))
@then(_step('补偿合计为 "{amount}"'))
def total_is(outcome: Outcome, amount: str) -> None:
    """Check the total (for a swap: without house_value and net of the swap settlement)."""
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


# =========================================================================================
# Expropriation (临兰政发〔2022〕1号) household steps, for features/expropriation/*.feature.
# A scenario starts from the §6 defaults (a residential, registered house of an individual
# owner, monetary compensation) and sets only the facts it needs with the generic
# ``事实 "<dotted.path>" 为 "<value>"`` step; the Then steps compare amounts as exact strings.
# =========================================================================================


def _fact_value(text: str) -> Any:
    """Read a step value: true / false / null as JSON, anything else as the string sent."""
    return {"true": True, "false": False, "null": None}.get(text, text)


def _set_fact(case: Case, path: str, value: Any) -> None:
    """Set ``facts.<path>`` (dotted), creating the objects on the way."""
    *parents, leaf = path.split(".")
    node = case["facts"]
    for key in parents:
        node = node.setdefault(key, {})
    node[leaf] = value


def _articles_contain(articles: list[str] | None, article: str) -> bool:
    """Tell whether ``article`` (e.g. 第二十九条) or one of its paragraphs (第二十九条第二款) is cited."""
    return any(str(cited).startswith(article) for cited in articles or [])


# Given -----------------------------------------------------------------------------------


@given(_step("征收决定于 {date:Date} 作出的一户被征收房屋"), target_fixture="case")
def household(date: str) -> Case:
    """Start a household case with the §6 defaults: residential, registered, individual owner, monetary."""
    return {
        "policy": "expropriation",
        "kind": "household",
        "facts": {
            "decision_date": date,
            "property": {"use": "residential"},
            "prices": {},
            "owner": {},
            "choice": {"mode": "monetary"},
        },
    }


@given(_step('建筑面积 "{area}" 平方米'))
def building_area(case: Case, area: str) -> None:
    """Set the building area of the expropriated house."""
    _set_fact(case, "property.building_area", area)


@given(_step('评估单价 "{appraised}" 元/平方米，市场单价 "{market}" 元/平方米'))
def prices(case: Case, appraised: str, market: str) -> None:
    """Set the appraised unit price and the market unit price of new housing in that location."""
    case["facts"]["prices"] = {"appraised_unit_price": appraised, "market_unit_price": market}


@given(_step('评估单价 "{appraised}" 元/平方米，无市场单价'))
def appraised_only(case: Case, appraised: str) -> None:
    """Set only the appraised unit price (allowed for a non-residential house)."""
    case["facts"]["prices"] = {"appraised_unit_price": appraised}


@given(_step('房屋实际用途为 "{use}"，房屋所有权证用途为 "{certificate_use}"'))
def uses(case: Case, use: str, certificate_use: str) -> None:
    """Set the actual use and the use written on the ownership certificate."""
    _set_fact(case, "property.use", use)
    _set_fact(case, "property.certificate_use", certificate_use)


@given(_step('选择产权调换，安置住宅为 "{swap_building}"'))
def property_swap(case: Case, swap_building: str) -> None:
    """Choose property swap into multi_storey or high_rise resettlement housing."""
    _set_fact(case, "choice.mode", "property_swap")
    _set_fact(case, "choice.swap_building", swap_building)


@given(_step('事实 "{path}" 为 "{value}"'))
def fact(case: Case, path: str, value: str) -> None:
    """Set any fact by its dotted path; true / false / null are JSON, other values strings."""
    _set_fact(case, path, _fact_value(value))


@given(_step('有附属用房 "{kind}"，评估金额 "{amount}" 元'))
def ancillary(case: Case, kind: str, amount: str) -> None:
    """Add one 配房 (ancillary_room), 储藏室 (storage) or 车库 (garage) with its appraised amount."""
    case["facts"]["property"].setdefault("ancillary", []).append({"kind": kind, "appraised": amount})


# When ------------------------------------------------------------------------------------


@when("按征收补偿办法计算", target_fixture="outcome")
def evaluate_household(case: Case, evaluate_case: EvaluateCase) -> Outcome:
    """Evaluate the household through the engine or the HTTP service, as the scenario's tag says."""
    return evaluate_case(case)


# Then ------------------------------------------------------------------------------------


def _findings(outcome: Outcome, code: str | None = None) -> list[dict[str, Any]]:
    """Return the answer's findings, or those carrying ``code``."""
    findings = _answer(outcome).get("findings", [])
    return [f for f in findings if code is None or f.get("code") == code]


@then(_step('补偿项 "{code}" 的金额为 "{amount}"'))
def compensation_amount_is(outcome: Outcome, code: str, amount: str) -> None:
    """Check the one item of ``code`` and its amount, compared as the exact string."""
    item = _the_item(outcome, code)
    assert item.get("amount") == amount, item


@then(_step('补偿项 "{code}" 的依据包含 "{article}"'))
def compensation_article_contains(outcome: Outcome, code: str, article: str) -> None:
    """Check that every item of ``code`` cites ``article`` (or a paragraph of it)."""
    items = _items(outcome, code)
    assert items, _answer(outcome).get("items")
    for item in items:
        assert _articles_contain(item.get("articles"), article), item


@then(_step('补偿项 "{code}" 的说明写明 "{text}"'))
def compensation_explanation_mentions(outcome: Outcome, code: str, text: str) -> None:
    """Check that the one item of ``code`` explains itself with ``text``."""
    item = _the_item(outcome, code)
    assert text in item.get("explanation", ""), item


@then(_step('补偿项 "{code}" 的金额依次为 "{amounts}"'))
def compensation_amounts_are(outcome: Outcome, code: str, amounts: str) -> None:
    """Check the amounts of all items of ``code`` in order; amounts are separated by 、."""
    got = [item.get("amount") for item in _items(outcome, code)]
    assert got == amounts.split("、"), _answer(outcome).get("items")


@then(_step('没有补偿项 "{code}"'))
def no_compensation(outcome: Outcome, code: str) -> None:
    """Check that no item of ``code`` was granted."""
    assert _items(outcome, code) == [], _answer(outcome).get("items")


@then(_step('不支付补偿项 "{code}"'))
def nothing_paid_for(outcome: Outcome, code: str) -> None:
    """Check that ``code`` pays nothing: no item, or items of 0.00 only."""
    items = _items(outcome, code)
    assert all(item.get("amount") == "0.00" for item in items), items


@then(_step('补偿面积为 "{area}"'))
def compensated_area_is(outcome: Outcome, area: str) -> None:
    """Check quantities.compensated_area."""
    quantities = _answer(outcome).get("quantities") or {}
    assert quantities.get("compensated_area") == area, quantities


@then(_step('补偿单价为 "{price}"'))
def unit_price_is(outcome: Outcome, price: str) -> None:
    """Check quantities.unit_price."""
    quantities = _answer(outcome).get("quantities") or {}
    assert quantities.get("unit_price") == price, quantities


@then(_step('安置面积为 "{area}"'))
def resettlement_area_is(outcome: Outcome, area: str) -> None:
    """Check quantities.resettlement_area (property swap)."""
    quantities = _answer(outcome).get("quantities") or {}
    assert quantities.get("resettlement_area") == area, quantities


@then("安置面积为空")
def resettlement_area_is_null(outcome: Outcome) -> None:
    """Check that quantities.resettlement_area is null (monetary compensation)."""
    quantities = _answer(outcome).get("quantities") or {}
    assert "resettlement_area" in quantities and quantities["resettlement_area"] is None, quantities


@then(_step('有一条 "{code}" 提示，级别为 "{severity}"，依据包含 "{article}"'))
def finding_is(outcome: Outcome, code: str, severity: str, article: str) -> None:
    """Check exactly one finding of ``code``, its severity and its article."""
    matching = _findings(outcome, code)
    assert len(matching) == 1, _findings(outcome)
    assert matching[0].get("severity") == severity, matching[0]
    assert _articles_contain(matching[0].get("articles"), article), matching[0]


@then(_step('有一条级别为 "{severity}" 的提示，依据包含 "{article}"'))
def finding_on_article(outcome: Outcome, severity: str, article: str) -> None:
    """Check that some finding of ``severity`` cites ``article`` (its code is not fixed by the spec)."""
    findings = _findings(outcome)
    assert any(f.get("severity") == severity and _articles_contain(f.get("articles"), article) for f in findings), (
        findings
    )


@then(_step('没有 "{code}" 提示'))
def no_finding(outcome: Outcome, code: str) -> None:
    """Check that no finding carries ``code``."""
    assert _findings(outcome, code) == [], _findings(outcome)


@then(_step('采用了解释 "{interpretation}"'))
def interpretation_used(outcome: Outcome, interpretation: str) -> None:
    """Check that the answer lists the named interpretation (PRODUCT §5)."""
    used = [i.get("id") for i in _answer(outcome).get("interpretations", [])]
    assert interpretation in used, used


@then(_step('未采用解释 "{interpretation}"'))
def interpretation_not_used(outcome: Outcome, interpretation: str) -> None:
    """Check that the answer does not list the named interpretation."""
    used = [i.get("id") for i in _answer(outcome).get("interpretations", [])]
    assert interpretation not in used, used


@then("没有适用的政策版本")
def no_policy(outcome: Outcome) -> None:
    """Check that no policy version decided the case (policy is null)."""
    answer = _answer(outcome)
    assert answer.get("policy") is None, answer


@then(_step('原因中写明 "{text}"'))
def reason_mentions(outcome: Outcome, text: str) -> None:
    """Check that the answer's reason mentions ``text``."""
    answer = _answer(outcome)
    assert text in (answer.get("reason") or ""), answer


@then(_step('请求被拒绝，错误字段为 "{path}"'))
def rejected_at(outcome: Outcome, path: str) -> None:
    """Check a 422 answer that names the offending field by its path."""
    http_status, answer = outcome
    assert http_status == 422, f"HTTP {http_status}: {answer}"
    paths = [error.get("path") for error in answer.get("errors", [])]
    assert path in paths, answer


# =========================================================================================
# Expropriation procedure (临兰政发〔2022〕1号 第十一条至第二十三条、第四十五条至第四十九条),
# case kind ``project``, for features/expropriation/程序_*.feature.
# A scenario starts from a neutral project (purpose infrastructure, 100 households, 8000 m²,
# nothing filed, no timeline) and sets only what its article needs. The answer has no items,
# only findings {code, severity, message, articles}; the Then steps check their codes,
# severities, articles and the text of their messages (how each period was counted).
# =========================================================================================

MATERIALS = ("development_plan_proof", "spatial_plan_proof", "funds_proof", "compensation_plan",
             "risk_assessment_report", "resettlement_housing_plan")  # 第十二条（一）至（六）
PLAN_CONTENTS = ("departments", "scope_basis_purpose_deadline", "property_basics", "compensation_method_standard",
                 "swap_housing", "transition_and_fees", "subsidies_rewards")  # 第十五条（一）至（七）


# Given -----------------------------------------------------------------------------------


@given(_step("征收决定于 {date:Date} 作出的征收项目"), target_fixture="case")
def project(date: str) -> Case:
    """Start a project case: purpose infrastructure, 100 households, 8000 m², no materials, no timeline."""
    return {
        "policy": "expropriation",
        "kind": "project",
        "facts": {
            "decision_date": date,
            "purpose": "infrastructure",
            "households": 100,
            "area": "8000.00",
            "materials": {},
            "plan_contents": {},
            "timeline": {},
        },
    }


@given(_step('征收目的为 "{purpose}"'))
def project_purpose(case: Case, purpose: str) -> None:
    """Set the art. 11 purpose (one of the enum values of facts.yaml)."""
    case["facts"]["purpose"] = purpose


@given("法律、法规依据为空白")
def blank_legal_basis(case: Case) -> None:
    """Send legal_basis as an empty string (a form field left blank)."""
    case["facts"]["legal_basis"] = ""


@given(_step('涉及 {households:d} 户，征收面积 "{area}" 平方米'))
def project_size(case: Case, households: int, area: str) -> None:
    """Set the households (a JSON integer) and the area (a decimal string)."""
    case["facts"]["households"] = households
    case["facts"]["area"] = area


@given(_step("被征收人共 {total:d} 人，其中 {objecting:d} 人认为补偿方案不符合规定"))
def owners_objecting(case: Case, total: int, objecting: int) -> None:
    """Set owners_total and owners_objecting (art. 16 ¶2)."""
    case["facts"]["owners_total"] = total
    case["facts"]["owners_objecting"] = objecting


@given(_step("被征收人共 {total:d} 人，其中 {signatures:d} 人签字认可所选评估机构"))
def appraiser_signatures(case: Case, total: int, signatures: int) -> None:
    """Set owners_total and appraiser_signatures (art. 45)."""
    case["facts"]["owners_total"] = total
    case["facts"]["appraiser_signatures"] = signatures


@given("第十二条规定的六项材料齐备")
def all_materials(case: Case) -> None:
    """File the six materials of art. 12 (the annual-plan proof is set separately)."""
    for name in MATERIALS:
        case["facts"]["materials"][name] = True


@given(_step('缺少材料 "{name}"'))
def material_missing(case: Case, name: str) -> None:
    """Mark one material as not filed."""
    case["facts"]["materials"][name] = False


@given("征收补偿方案第十五条规定的七项内容齐备")
def all_plan_contents(case: Case) -> None:
    """Mark the seven contents of art. 15 as present in the plan."""
    for name in PLAN_CONTENTS:
        case["facts"]["plan_contents"][name] = True


@given(_step('补偿方案缺少内容 "{name}"'))
def plan_content_missing(case: Case, name: str) -> None:
    """Mark one content of the plan as absent."""
    case["facts"]["plan_contents"][name] = False


@given(_step('程序时间 "{event}" 为 {date:Date}'))
def timeline_date(case: Case, event: str, date: str) -> None:
    """Set one dated event of the timeline (``timeline.<event>``)."""
    case["facts"]["timeline"][event] = date


# When ------------------------------------------------------------------------------------


@when("按征收程序检查", target_fixture="outcome")
def evaluate_project(case: Case, evaluate_case: EvaluateCase) -> Outcome:
    """Evaluate the project through the engine or the HTTP service, as the scenario's tag says."""
    return evaluate_case(case)


# Then ------------------------------------------------------------------------------------


@then(_step('有 {count:d} 条 "{code}" 提示'))
def finding_count_is(outcome: Outcome, count: int, code: str) -> None:
    """Check how many findings carry ``code``."""
    assert len(_findings(outcome, code)) == count, _findings(outcome)


@then(_step('"{code}" 提示写明 "{text}"'))
def finding_message_mentions(outcome: Outcome, code: str, text: str) -> None:
    """Check that the one finding of ``code`` says ``text`` in its message."""
    matching = _findings(outcome, code)
    assert len(matching) == 1, _findings(outcome)
    assert text in (matching[0].get("message") or ""), matching[0]


@then(_step('有一条 "{code}" 提示写明 "{text}"'))
def some_finding_message_mentions(outcome: Outcome, code: str, text: str) -> None:
    """Check that one of the findings of ``code`` says ``text`` (e.g. names the missing material)."""
    matching = _findings(outcome, code)
    assert any(text in (f.get("message") or "") for f in matching), matching or _findings(outcome)


@then(_step('没有依据包含 "{article}" 的 "{severity}" 提示'))
def no_finding_of_severity_on(outcome: Outcome, article: str, severity: str) -> None:
    """Check that no finding of ``severity`` cites ``article``."""
    findings = _findings(outcome)
    assert not any(f.get("severity") == severity and _articles_contain(f.get("articles"), article)
                   for f in findings), findings


@then("答复不含任何金额项")
def no_amount_items(outcome: Outcome) -> None:
    """Check that a project answer lists no items (it only has findings)."""
    assert _answer(outcome).get("items", []) == [], _answer(outcome)


@then(_step('请求被拒绝，错误信息写明 "{text}"'))
def rejected_saying(outcome: Outcome, text: str) -> None:
    """Check a 422 answer one of whose error messages says ``text``."""
    http_status, answer = outcome
    assert http_status == 422, f"HTTP {http_status}: {answer}"
    messages = [str(error.get("message")) for error in answer.get("errors", [])]
    assert any(text in message for message in messages), answer


# =========================================================================================
# Policy interpretation (临兰政办字〔2022〕13号), case kind ``document``, for
# features/interpretation/*.feature, and 惠企政策直通 (临兰政办字〔2022〕20号), case kind
# ``policy``, for features/enterprise_policy/*.feature.  Texts (the interpretation material, the
# policy document) are given as Gherkin doc strings, exactly as a drafting department submits them.
# =========================================================================================

ELEMENTS = ("item_name", "basis", "content", "target", "period", "conditions", "materials", "authority",
            "contact_person", "contact")  # 五（一）2 的十项要素


@given(_step('一份于 {date:Date} 公布的政策文件，发文名义为 "{issued_as}"，起草部门为 "{department}"'),
       target_fixture="case")
def policy_document(date: str, issued_as: str, department: str) -> Case:
    """Start an interpretation case: not normative, no interpretation material yet."""
    return {"policy": "interpretation", "kind": "document",
            "facts": {"published": date, "issued_as": issued_as, "drafting_department": department}}


@given(_step("解读材料于 {date:Date} 发布"))
def interpretation_published(case: Case, date: str) -> None:
    """Set the day the interpretation material was published."""
    case["facts"].setdefault("interpretation", {})["published"] = date


@given("解读材料全文为：")
def interpretation_text(case: Case, docstring: str) -> None:
    """Submit the interpretation material (plain text or Markdown) from the step's doc string."""
    case["facts"].setdefault("interpretation", {})["text"] = docstring


@given("政策文件全文为：")
def document_text(case: Case, docstring: str) -> None:
    """Submit the policy document's own text, to compare the material against."""
    case["facts"]["document_text"] = docstring


@when("按政策解读规定检查", target_fixture="outcome")
def evaluate_document(case: Case, evaluate_case: EvaluateCase) -> Outcome:
    """Evaluate the document through the engine or the HTTP service, as the scenario's tag says."""
    return evaluate_case(case)


@given(_step('一项于 {date:Date} 公布的 "{level}" 惠企政策'), target_fixture="case")
def enterprise_policy(date: str, level: str) -> Case:
    """Start an enterprise-policy case: national | provincial | city | county, nothing uploaded yet."""
    return {"policy": "enterprise_policy", "kind": "policy", "facts": {"published": date, "level": level}}


@given(_step("该政策于 {date:Date} 上传至“政企直通车”平台"))
def policy_uploaded(case: Case, date: str) -> None:
    """Set the day the policy was uploaded to the platform."""
    case["facts"]["uploaded"] = date


@given(_step("该政策于 {date:Date} 完成科学拆分、逐条解读"))
def policy_interpreted(case: Case, date: str) -> None:
    """Set the day the item-by-item interpretation was finished."""
    case["facts"]["interpreted"] = date


@given(_step('逐条解读列明了十项要素中除 "{missing}" 以外的各项'))
def elements_except(case: Case, missing: str) -> None:
    """List all ten elements of 五（一）2 but one (``-`` for none missing)."""
    case["facts"]["elements"] = {name: name != missing for name in ELEMENTS}


@when("按惠企政策直通规定检查", target_fixture="outcome")
def evaluate_enterprise_policy(case: Case, evaluate_case: EvaluateCase) -> Outcome:
    """Evaluate the policy through the engine or the HTTP service, as the scenario's tag says."""
    return evaluate_case(case)



# =========================================================================================
# Targets (临兰政发〔2022〕2号 的“十四五”妇女、儿童发展规划；临兰政办字〔2022〕15号 基层政务服务能力),
# case kinds ``plan_monitoring`` (one monitoring year) and ``service_capacity`` (progress as of a date),
# for features/targets/*.feature. Every indicator is answered by one finding carrying its id:
# code met | on_track | at_risk | not_met | missing, and the lead units.


@given(_step('“十四五”规划 {year:d} 年度的监测数据'), target_fixture="case")
def plan_year(year: int) -> Case:
    """Start a monitoring case for one year with no figure reported."""
    return {"policy": "targets", "kind": "plan_monitoring", "facts": {"year": year, "figures": {}, "baselines": {}}}


@given(_step('基层政务服务能力方案截至 {date:Date} 的数据'), target_fixture="case")
def service_as_of(date: str) -> Case:
    """Start a service-capacity case reported as of a date, nothing reported yet."""
    return {"policy": "targets", "kind": "service_capacity", "facts": {"as_of": date, "figures": {}, "milestones": {}}}


@given(_step('指标 "{indicator}" 的监测值为 "{value}"'))
def figure(case: Case, indicator: str, value: str) -> None:
    """Report one indicator's figure, as the decimal string the contract sends."""
    case["facts"]["figures"][indicator] = value


@given(_step('指标 "{indicator}" 的 2020 年基数为 "{value}"'))
def baseline(case: Case, indicator: str, value: str) -> None:
    """Report one indicator's 2020 base-year figure."""
    case["facts"]["baselines"][indicator] = value


@given(_step('节点 "{milestone}" 已于 {date:Date} 完成'))
def milestone_done(case: Case, milestone: str, date: str) -> None:
    """Report a milestone completed on a date."""
    case["facts"]["milestones"][milestone] = {"done": True, "date": date}


@given(_step('节点 "{milestone}" 尚未完成'))
def milestone_open(case: Case, milestone: str) -> None:
    """Report a milestone not yet completed."""
    case["facts"]["milestones"][milestone] = {"done": False}


@when("按目标监测判定", target_fixture="outcome")
def evaluate_targets(case: Case, evaluate_case: EvaluateCase) -> Outcome:
    """Evaluate the monitoring case through the engine or the HTTP service, as the scenario's tag says."""
    return evaluate_case(case)


def _verdict(outcome: Outcome, indicator: str) -> dict[str, Any]:
    """Return the one finding that answers for ``indicator``."""
    matching = [f for f in _findings(outcome) if f.get("indicator") == indicator]
    assert len(matching) == 1, f"{indicator}: {matching}"
    return matching[0]


@then(_step('指标 "{indicator}" 的判定为 "{status}"'))
def verdict_is(outcome: Outcome, indicator: str, status: str) -> None:
    """Check the status an indicator received (met, on_track, at_risk, not_met, missing)."""
    assert _verdict(outcome, indicator).get("code") == status, _verdict(outcome, indicator)


@then(_step('指标 "{indicator}" 的判定级别为 "{severity}"'))
def verdict_severity_is(outcome: Outcome, indicator: str, severity: str) -> None:
    """Check the severity of an indicator's verdict (info, warning, violation)."""
    assert _verdict(outcome, indicator).get("severity") == severity, _verdict(outcome, indicator)


@then(_step('指标 "{indicator}" 的牵头单位为 "{units}"'))
def lead_units_are(outcome: Outcome, indicator: str, units: str) -> None:
    """Check an indicator's lead units, listed with 、 in the text's order."""
    assert _verdict(outcome, indicator).get("lead_units") == units.split("、"), _verdict(outcome, indicator)


@then(_step('指标 "{indicator}" 的依据为 "{article}"'))
def verdict_article_is(outcome: Outcome, indicator: str, article: str) -> None:
    """Check the article an indicator's verdict cites."""
    assert _verdict(outcome, indicator).get("articles") == [article], _verdict(outcome, indicator)


@then(_step('指标 "{indicator}" 的说明写明 "{text}"'))
def verdict_mentions(outcome: Outcome, indicator: str, text: str) -> None:
    """Check that an indicator's message contains ``text``."""
    assert text in _verdict(outcome, indicator).get("message", ""), _verdict(outcome, indicator)


@then(_step('共有 {count:d} 个指标的判定为 "{status}"'))
def verdict_count(outcome: Outcome, count: int, status: str) -> None:
    """Check how many indicators received ``status``."""
    found = [f.get("indicator") for f in _findings(outcome) if f.get("indicator") and f.get("code") == status]
    assert len(found) == count, found
