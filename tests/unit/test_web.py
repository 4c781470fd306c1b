"""The web pages without a browser: form <-> facts, error placement, robustness, every family browsable."""
from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from markupsafe import escape
from werkzeug.datastructures import MultiDict

from engine import FieldError
from tests.conftest import RELABELLED, ROOT
from web import browser, forms
from web.readable import Vocabulary, readable


def _household(python_policies: Any) -> Any:
    return python_policies.families["expropriation"].kinds["household"].facts


def test_blank_form_has_the_vocabulary_defaults(python_policies: Any) -> None:
    entered = forms.initial(_household(python_policies))
    # a required choice without a default starts unchosen (audit 9: the enterprise-policy calculator started at
    # 国家, so an officer who forgot the level got the 7-day deadline of national policies without a word)
    assert entered["property"]["use"] == "" and entered["choice"]["mode"] == ""
    assert entered["property"]["legal_status"] == "registered"  # facts.yaml default
    assert entered["property"]["area_added_after_scope"] == "0"
    assert entered["owner"]["individual"] == "true" and entered["owner"]["only_home"] == "false"
    assert entered["owner"]["chooses_housing_security"] == ""  # not chosen yet: a three-way choice
    assert "name" not in entered["owner"] and "id_number" not in entered["owner"]  # personal data is not collected
    assert entered["decision_date"] == "" and entered["property"]["ancillary"] == []


def test_form_to_facts_keeps_decimal_strings_and_drops_blanks(python_policies: Any) -> None:
    decls = _household(python_policies)
    form = MultiDict({
        "decision_date": "2023-05-10", "property.use": "residential", "property.building_area": "６０．００",
        "property.legal_status": "registered", "property.area_added_after_scope": "0", "property.decoration": "none",
        "prices.appraised_unit_price": " 8000 ", "prices.market_unit_price": "9000", "choice.mode": "monetary",
        "owner.individual": "true", "choice.vacated_on_time": "true",
        "rows:property.ancillary": "3", "property.ancillary[0].kind": "storage",
        "property.ancillary[1].kind": "garage", "property.ancillary[1].appraised": "18000.5",
        "property.ancillary[2].kind": "",  # a row left as the blank form has it
    })
    facts = forms.to_facts(decls, forms.read(decls, form))
    assert facts["property"]["building_area"] == "60.00"  # full-width digits typed with an input method
    assert facts["prices"] == {"appraised_unit_price": "8000", "market_unit_price": "9000"}
    # row 0 changed its kind only (not blank, sent so the engine reports the missing amount); row 2 is dropped
    assert facts["property"]["ancillary"] == [{"kind": "storage"}, {"kind": "garage", "appraised": "18000.5"}]
    assert "owner" not in facts and "courtyard" not in facts["property"]  # untouched optional objects: engine defaults
    assert facts["choice"]["vacated_on_time"] is True and facts["choice"]["signed_in_reward_period"] is False
    assert not any(isinstance(v, float) for v in _leaves(facts))


def _leaves(value: Any) -> list[Any]:
    if isinstance(value, dict):
        return [x for v in value.values() for x in _leaves(v)]
    if isinstance(value, list):
        return [x for v in value for x in _leaves(v)]
    return [value]


def test_errors_go_to_their_fields() -> None:
    grouped = forms.errors_by_field([FieldError("facts.events[1].date", "不存在的日期：2023-02-30"),
                                     FieldError("facts.events", "至少需要 1 项"), FieldError("policy", "x")])
    assert grouped == {"events[1].date": ["不存在的日期：2023-02-30"], "events": ["至少需要 1 项"], "": ["x"]}
    assert forms.field_id("events[1].date") == "f-events-1--date"


def test_invalid_household_is_422_with_each_message_at_its_field(client: Any) -> None:
    response = client.post("/calculator/household", data={
        "decision_date": "2023-02-30", "property.use": "residential", "property.building_area": "-1",
        "prices.appraised_unit_price": "abc", "choice.mode": "property_swap"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    for field, message in [("decision_date", "不存在的日期：2023-02-30"), ("property-building_area", "必须大于 0"),
                           ("prices-appraised_unit_price", "“abc”不是有效的数值"),
                           ("choice-swap_building", "产权调换须填写 choice.swap_building")]:
        assert re.search(rf'id="f-{field}-error1">{re.escape(message)}', html.replace("&#34;", '"')), field
    assert 'value="-1"' in html and 'value="abc"' in html  # nothing typed is lost
    assert 'id="answer"' not in html


@pytest.mark.parametrize("data", [
    {"rows:events": "999999999", "name": "x"},
    {"rows:events": "-3", "events[0].type": "nonsense", "events[0].date": "2024-13-45"},
    {"name": "\x00" * 10_000, "events[0].repatriated_funds": "1e400", "rows:events": "1"},
    {"unknown.field": "1", "paid[0].amount": "NaN", "rows:paid": "1", "more": "nope"},
    {"rows:events": "²", "name": "x"},  # a digit to str.isdigit, not to int(): was a 500
    {"events[0].repatriated_funds": "1e1000000", "events[0].type": "overseas_listing", "rows:events": "1"},
])
def test_crafted_listing_forms_never_give_a_500(client: Any, data: dict[str, str]) -> None:
    response = client.post("/calculator/listing", data=data)
    assert response.status_code in (200, 422), response.get_data(as_text=True)[:500]
    assert response.mimetype == "text/html"


def test_required_fields_are_announced_to_screen_readers(client: Any) -> None:
    html = client.get("/calculator/household").get_data(as_text=True)
    assert 'aria-required="true"' in html
    assert "aria-required=&#34;" not in html  # the attribute was escaped into its own value


def test_enterprise_answer_through_the_form(client: Any) -> None:
    response = client.post("/calculator/listing", data={
        "name": "甲", "rows:events": "1", "events[0].type": "neeq_listing", "events[0].date": "2023-03-01"})
    html = response.get_data(as_text=True)
    # By hand, 二（五）“对在全国中小企业股份转让系统挂牌的企业，给予一次性财政资金补助 50 万元”: 500000.00
    assert response.status_code == 200 and re.search(r'id="total">500000.00<', html)
    assert re.search(r'id="decision-id">[0-9a-f]{32}<', html)


def test_every_family_and_version_is_browsable(client: Any, python_policies: Any) -> None:
    for name, family in python_policies.families.items():
        for policy in family.versions:
            response = client.get(f"/browse/{name}/{policy.version}")
            assert response.status_code == 200
            html = response.get_data(as_text=True)
            for article in policy.articles:
                assert f'<article id="{article.id}"' in html
            for interpretation in policy.interpretations:
                assert f'id="{interpretation}"' in html


def test_unknown_pages_are_chinese_html_and_the_api_stays_json(client: Any) -> None:
    for path in ("/browse/nothing/2022-01-01", "/browse/nothing", "/calculator/nothing", "/calculator/listing/x"):
        response = client.get(path)
        assert response.status_code == 404 and response.mimetype == "text/html"
        assert "没有" in response.get_data(as_text=True)
    assert client.get("/policies/nothing/1").mimetype == "application/json"


def test_no_html_id_is_given_twice_on_a_policy_page(client: Any, python_policies: Any) -> None:
    # before (audit 8): a rule citing several articles (house_value_monetary: 第二十六条, 第二十八条) is shown under
    # each, and each showing repeated its ids, so a link from an answer's trace had two targets
    for name, family in python_policies.families.items():
        for policy in family.versions:
            html = client.get(f"/browse/{name}/{policy.version}").get_data(as_text=True)
            ids = re.findall(r'\sid="([^"]+)"', html)
            assert [i for i in set(ids) if ids.count(i) > 1] == [], (name, policy.version)
    html = client.get("/browse/expropriation/2022-04-01").get_data(as_text=True)
    assert html.count('class="rule" id="rule-house_value_monetary"') == 1
    assert html.count("<code>house_value_monetary</code>") >= 2  # still shown under each article it cites


def test_every_quantity_is_defined_on_the_policy_page(client: Any, python_policies: Any) -> None:
    # before (audit 8): an amount read 〔房屋价值〕 and nothing on the page said how it is computed
    for name, family in python_policies.families.items():
        for policy in family.versions:
            html = client.get(f"/browse/{name}/{policy.version}").get_data(as_text=True)
            for kind, case in policy.cases.items():
                for quantity, expr, _label, _reported in case.quantities:
                    assert f'id="quantity-{kind}-{quantity}"' in html, (name, quantity)
                    assert escape(f"{quantity} = {expr.source}") in html, (name, quantity)
    html = client.get("/browse/expropriation/2022-04-01").get_data(as_text=True)
    assert html.index('id="h-quantities"') > html.index("</nav>")  # its own section, not inside the contents
    entry = html[html.index('id="quantity-household-house_value_amount"'):]
    entry = entry[:entry.index("</dd>")]
    assert "house_value_amount = round(compensated_area * unit_price, 0.01)" in entry
    unit_price = html[html.index('id="quantity-household-unit_price"'):]
    assert '<a href="#rule-art26_residential_floor">' in unit_price[:unit_price.index("</dd>")]  # the rule setting it


def test_another_document_of_the_family_is_not_shown_as_a_version(client: Any) -> None:
    # before (audit 8): /browse/targets/2021-01-01 (the women's and children's plans, 临兰政发〔2022〕2号) said
    # 其他版本：2022-04-08, which is another document (临兰政办字〔2022〕15号) in force beside it
    html = client.get("/browse/targets/2021-01-01").get_data(as_text=True)
    assert "其他版本" not in html
    link = ('<a href="/browse/targets/2022-04-08">'
            "临沂市兰山区人民政府办公室关于印发《兰山区进一步提升基层政务服务能力实施方案》的通知</a>")
    assert f"<dt>同族的其他文件</dt><dd>{link}（临兰政办字〔2022〕15号，版本 2022-04-08）</dd>" in html
    assert "同族的其他文件" not in client.get("/browse/listing/2022-04-29").get_data(as_text=True)


def test_a_required_choice_left_unchosen_is_an_error_at_its_field(client: Any) -> None:
    html = client.get("/calculator/enterprise_policy/policy").get_data(as_text=True)
    assert '<option value="" selected>（请选择）</option>' in html.replace(' selected="selected"', " selected")
    response = client.post("/calculator/enterprise_policy/policy", data={"published": "2023-05-08", "level": ""})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "出台政策的层级" in page and "必填字段" in page and 'id="answer"' not in page


def test_a_page_address_that_matches_no_page_is_an_html_page_too(client: Any) -> None:
    # before (audit 8): these never reached the pages' blueprint, so the browser showed the API's JSON error
    for method, path, code in (("GET", "/browse/expropriation/2022-04-01/", 404), ("GET", "/calculator/", 404),
                               ("GET", "/browse", 404), ("PUT", "/calculator/household", 405),
                               ("DELETE", "/", 405)):
        response = client.open(path, method=method)
        assert (response.status_code, response.mimetype) == (code, "text/html"), (method, path)
        assert "不支持此方法" in response.get_data(as_text=True) if code == 405 else "没有" in response.get_data(
            as_text=True)
    for method, path in (("GET", "/evaluate"), ("GET", "/policies/"), ("PUT", "/health")):
        assert client.open(path, method=method).mimetype == "application/json", path  # the API stays JSON


def test_readable_conditions_use_labels(python_policies: Any) -> None:
    family = python_policies.families["listing"]
    policy = family.versions[-1]
    vocabulary = Vocabulary.of(policy, family.kinds["enterprise"].facts, "enterprise")
    text = readable('event.type == "overseas_listing" and not (event.repatriated_funds > 0)', vocabulary, "events")
    assert text == "〔事件类型〕 ＝ “在境外证券交易所上市” 且 并非（〔募集资金回款（元）〕 ＞ 0）"


def test_scenario_results_are_read_safely(tmp_path: Path) -> None:
    path = tmp_path / "results.json"
    assert browser.load_results(path) == {}  # no run yet: every scenario shows 未运行
    path.write_text("{not json", encoding="utf-8")
    assert browser.load_results(path) == {}
    path.write_text(json.dumps({"scenarios": {"a.feature: b": {"outcome": "failed"}}}), encoding="utf-8")
    assert browser.load_results(path) == {"a.feature: b": "failed"}


HOUSE = {"decision_date": "2023-05-10", "property.use": "residential", "property.building_area": "60.00",
         "property.legal_status": "registered", "prices.appraised_unit_price": "8000",
         "prices.market_unit_price": "9000", "choice.mode": "monetary"}


def test_statuses_without_items_show_their_reason(client: Any) -> None:
    illegal = client.post("/calculator/household", data={**HOUSE, "property.legal_status": "illegal"})
    html = illegal.get_data(as_text=True)
    assert illegal.status_code == 200 and "不予补偿" in html and "依第十四条不予补偿" in html
    early = client.post("/calculator/household", data={**HOUSE, "decision_date": "2022-03-15"})
    html = early.get_data(as_text=True)
    assert "无适用的政策版本" in html and "早于本办法施行日 2022-04-01" in html


def test_explain_lists_every_rule_considered(client: Any, python_policies: Any) -> None:
    html = client.post("/calculator/household", data={**HOUSE, "explain": "1"}).get_data(as_text=True)
    rules = python_policies.families["expropriation"].versions[-1].cases["household"].rules
    shown = re.findall(r'href="/browse/expropriation/2022-04-01#rule-([a-z0-9_]+)"', html)
    # every rule of the kind, each linked to the browser; a for_each rule only per element (no ancillary here)
    assert {r.id for r in rules if r.scope is None} <= set(shown) <= {r.id for r in rules}


def test_optional_sections_unfold_when_filled_or_in_error(python_policies: Any) -> None:
    decls = _household(python_policies)
    entered = forms.initial(decls)

    def group(nodes: list[Any], name: str) -> Any:
        for node in nodes:
            if node.name == name:
                return node
            found = group(getattr(node, "children", []), name)
            if found is not None:
                return found
        return None

    blank = forms.widgets(decls, entered, {})
    assert not group(blank, "property.business").filled and not group(blank, "property.courtyard").filled
    entered["property"]["business"]["operating"] = "true"
    errors = {"property.courtyard.land_area": ["必填字段"]}
    shown = forms.widgets(decls, entered, errors)
    assert group(shown, "property.business").filled and group(shown, "property.courtyard").filled


def test_a_whole_document_is_typed_in_a_text_area_and_keeps_its_lines(client: Any) -> None:
    # before (audit 8): the interpretation text was an <input>, which drops line breaks, and a compliant text got
    # seven "缺少一级标题" violations, its headings run into one line
    page = client.get("/calculator/interpretation/document").get_data(as_text=True)
    assert re.search(r'<textarea id="[^"]*" name="interpretation.text"', page)
    assert re.search(r'<textarea id="[^"]*" name="document_text"', page)
    case = json.loads((ROOT / "examples" / "interpretation-case.json").read_text(encoding="utf-8"))["facts"]
    form = {"published": case["published"], "title": case["title"], "issued_as": case["issued_as"],
            "drafting_department": case["drafting_department"], "manages_public_affairs": "true",
            "concerns_public": "true", "interpretation.published": case["interpretation"]["published"],
            "interpretation.text": case["interpretation"]["text"], "document_text": case["document_text"]}
    html = client.post("/calculator/interpretation/document", data=form).get_data(as_text=True)
    assert "解读材料具备附件 1 的七个一级标题" in html and "缺少一级标题" not in html


def test_a_name_is_kept_as_typed(client: Any) -> None:
    # before (audit 8): NFKC turned （集团）：Ａ into (集团):A, so the form and the API logged different cases
    response = client.post("/calculator/listing", data={
        "name": "兰山（集团）股份有限公司：Ａ", "rows:events": "1", "events[0].type": "neeq_listing",
        "events[0].date": "２０２３-03-01"})  # full-width digits in a date are still read as ASCII
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "兰山（集团）股份有限公司：Ａ" in html
    assert re.search(r'id="total">500000.00<', html)


def test_a_settlement_paid_to_the_household_is_not_labelled_as_paid_by_it(client: Any) -> None:
    # before (audit 8): every subtracted item said 由被征收人支付, also the shortfall the department pays back
    # (a negative settlement: 60 m² resettled in 50 m², 10 × 8100 = 81,000 paid to the household)
    html = client.post("/calculator/household", data={
        **HOUSE, "choice.mode": "property_swap", "choice.swap_building": "multi_storey",
        "choice.new_unit.building_area": "50.00"}).get_data(as_text=True)
    assert "-81000.00" in html
    assert "由被征收人支付的结算款" not in html and "负数由征收部门支付" in html
    page = client.get("/browse/expropriation/2022-04-01").get_data(as_text=True)
    assert "由被征收人支付，从合计中减去" not in page and "负数（如安置不足部分找回的差价）由征收部门支付" in page


@pytest.mark.parametrize("headers", [{"Sec-Fetch-Site": "cross-site"}, {"Origin": "https://evil.example"},
                                     {"Origin": "null"}])
def test_a_form_posted_from_another_site_makes_no_decision(client: Any, headers: dict[str, str]) -> None:
    # before (audit 8): any web page could post the calculator form and make a logged decision
    response = client.post("/calculator/household", data=HOUSE, headers=headers)
    assert response.status_code == 403
    assert "不接受从其他网站提交的表单" in response.get_data(as_text=True)
    assert 'id="decision-id"' not in response.get_data(as_text=True)


def test_the_same_site_may_post_and_no_site_may_frame_the_pages(client: Any) -> None:
    response = client.post("/calculator/household", data=HOUSE,
                           headers={"Origin": "http://localhost", "Sec-Fetch-Site": "same-origin"})
    assert response.status_code == 200
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]


def test_the_decision_log_down_keeps_the_form_and_says_so(tmp_path: Path) -> None:
    # before (audit 8): a 500 page "服务内部错误" and everything typed was lost
    from decision_log import LogUnavailable
    from server import create_app
    from tests.conftest import POLICIES

    app = create_app({"TESTING": True, "POLICIES_DIR": str(POLICIES), "BACKEND": "python",
                      "DATABASE_URL": str(tmp_path / "x.sqlite3")})

    def unavailable(*args: Any) -> None:
        raise LogUnavailable("database is locked")

    app.extensions["lanshan.log"].record = unavailable  # the log refuses the commit, as when locked or full
    response = app.test_client().post("/calculator/household", data=HOUSE)
    html = response.get_data(as_text=True)
    assert response.status_code == 503
    assert "决定日志数据库不可用，本次未作出决定" in html and 'value="60.00"' in html


def test_the_answer_and_the_browser_show_the_status_label_facts_yaml_declares(tmp_path: Path,
                                                                             relabelled_policies: Path) -> None:
    # both pages wrote their own copy of the labels: a status relabelled (or added) in facts.yaml was shown otherwise
    from server import create_app

    app = create_app({"TESTING": True, "POLICIES_DIR": str(relabelled_policies), "BACKEND": "python",
                      "DATABASE_URL": str(tmp_path / "log.sqlite3")})
    client = app.test_client()
    illegal = client.post("/calculator/household", data={**HOUSE, "property.legal_status": "illegal"})
    assert illegal.status_code == 200
    assert re.search(f'<dd id="status"[^>]*>{RELABELLED}</dd>', illegal.get_data(as_text=True))
    page = client.get("/browse/expropriation/2022-04-01").get_data(as_text=True)
    assert f"<dt>结论</dt><dd>{RELABELLED}（<code>not_compensable</code>）</dd>" in page
