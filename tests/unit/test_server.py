"""The HTTP contract of PRODUCT §6: answers, errors by status, and no 500 on any input."""
from __future__ import annotations

import io
import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from server import create_app
from tests.conftest import POLICIES, ROOT

CASE = {"policy": "listing", "kind": "enterprise", "facts": {
    "name": "兰山示范股份有限公司",
    "events": [{"type": "domestic_listing", "date": "2023-05-10"},
               {"type": "overseas_listing", "date": "2024-01-10", "repatriated_funds": "300000000"}],
    "paid": [{"type": "domestic_listing", "amount": "2000000"}]}}


def post(client: Any, body: Any, query: str = "") -> Any:
    data = body if isinstance(body, (bytes, str)) else json.dumps(body, ensure_ascii=False)
    return client.post("/evaluate" + query, data=data, content_type="application/json")


def test_listing_answer_has_the_contract_shape(client: Any) -> None:
    response = post(client, CASE)
    assert response.status_code == 200
    answer = response.get_json()
    assert len(answer["decision_id"]) == 32
    assert answer["status"] == "evaluated"
    assert answer["policy"]["document"] == "临兰政字〔2022〕16号"
    assert answer["policy"]["content_hash"].startswith("sha256:")
    # domestic 5,000,000; overseas 2% × 300,000,000 = 6,000,000 → capped at 5,000,000
    assert [(i["code"], i["amount"]) for i in answer["items"]] == [
        ("domestic_listing", "5000000.00"), ("overseas_listing", "5000000.00")]
    assert all(i["articles"] == ["二（五）"] and i["explanation"] for i in answer["items"])
    assert answer["total"] == "10000000.00"  # 5,000,000 + 5,000,000
    assert answer["paid"] == "2000000.00"
    assert answer["due"] == "8000000.00"  # 10,000,000 − 2,000,000
    assert answer["trace"] == []


def test_explain_lists_every_rule_with_the_failed_condition(client: Any) -> None:
    answer = post(client, CASE, "?explain=1").get_json()
    # 8 rules × 2 events, each considered once
    assert len(answer["trace"]) == 16
    misses = [t for t in answer["trace"] if not t["fired"]]
    assert all(t["failed"] for t in misses)
    fired = {(t["rule"], t["element"]) for t in answer["trace"] if t["fired"]}
    assert fired == {("domestic_listing", "events[0]"), ("overseas_listing", "events[1]")}


def test_malformed_json_is_400(client: Any) -> None:
    response = post(client, b'{"policy": ')
    assert response.status_code == 400
    assert response.get_json()["errors"][0]["message"].startswith("请求体不是有效的 JSON")


@pytest.mark.parametrize("escape", ["\\ud800", "\\udfff"])
def test_half_a_utf16_pair_is_400_not_a_500(client: Any, escape: str) -> None:
    # JSON allows the escape; the text cannot be stored or sent back: the log insert failed with a 500
    body = json.dumps(CASE, ensure_ascii=False).replace('"name": "', f'"name": "{escape}', 1)
    assert escape in body
    response = client.post("/evaluate", data=body, content_type="application/json")
    assert response.status_code == 400
    assert "代理项" in response.get_json()["errors"][0]["message"]
    # a whole pair is one character (an emoji): accepted
    pair = json.dumps(CASE, ensure_ascii=False).replace('"name": "', '"name": "\\ud83d\\ude00', 1)
    assert client.post("/evaluate", data=pair, content_type="application/json").status_code == 200


def test_a_wrong_method_is_405_saying_which_methods_there_are(client: Any) -> None:
    response = client.put("/evaluate")
    assert response.status_code == 405
    assert "POST" in response.headers["Allow"]


def test_unknown_family_is_404(client: Any) -> None:
    response = post(client, {"policy": "lottery", "kind": "x", "facts": {}})
    assert response.status_code == 404
    assert "lottery" in response.get_json()["errors"][0]["message"]


def test_invalid_facts_are_422_with_every_path(client: Any) -> None:
    body = {"policy": "listing", "kind": "enterprise", "facts": {
        "events": [{"type": "overseas_listing", "date": "2023-02-30", "repatriated_funds": "-5"}], "bogus": 1}}
    response = post(client, body)
    assert response.status_code == 422
    paths = {e["path"] for e in response.get_json()["errors"]}
    assert paths == {"facts.name", "facts.events[0].date", "facts.events[0].repatriated_funds", "facts.bogus"}


def test_float_in_exponent_form_is_exact_or_refused(client: Any) -> None:
    body = json.loads(json.dumps(CASE))
    body["facts"]["events"][1]["repatriated_funds"] = "1e8"
    answer = post(client, body).get_json()
    # 2% × 100,000,000 = 2,000,000.00 exactly
    assert answer["items"][1]["amount"] == "2000000.00"


def test_body_over_the_limit_is_413(tmp_path: Any) -> None:
    app = create_app({"TESTING": True, "POLICIES_DIR": str(POLICIES), "BACKEND": "python",
                      "MAX_CONTENT_LENGTH": 200, "DATABASE_URL": str(tmp_path / "d.sqlite3")})
    response = post(app.test_client(), CASE)
    assert response.status_code == 413


def test_a_chunked_body_over_the_limit_is_413_not_cut_and_evaluated(tmp_path: Any) -> None:
    # without Content-Length (Transfer-Encoding: chunked, as gunicorn passes it on) the input stream stops at
    # the limit without an error: a case followed by spaces past the limit was evaluated as a 200
    app = create_app({"TESTING": True, "POLICIES_DIR": str(POLICIES), "BACKEND": "python",
                      "MAX_CONTENT_LENGTH": 2000, "DATABASE_URL": str(tmp_path / "d.sqlite3")})
    body = json.dumps(CASE, ensure_ascii=False).encode()
    assert len(body) < 2000
    for data, status in ((body, 200), (body + b" " * 3000, 413)):
        response = app.test_client().post("/evaluate", input_stream=io.BytesIO(data), content_type="application/json",
                                          headers={"Transfer-Encoding": "chunked"},
                                          environ_overrides={"wsgi.input_terminated": True})
        assert response.status_code == status


def test_policies_index_and_detail(client: Any) -> None:
    index = client.get("/policies").get_json()
    listing = next(f for f in index["families"] if f["family"] == "listing")
    assert listing["versions"][0]["effective_from"] == "2022-04-29"
    detail = client.get("/policies/listing/2022-04-29").get_json()
    assert len(detail["cases"]["enterprise"]["rules"]) == 8
    assert detail["parameters"]["overseas_cap"]["values"][0]["value"] == "5000000"
    assert client.get("/policies/listing/1999-01-01").status_code == 404


def test_health(client: Any) -> None:
    health = client.get("/health").get_json()
    assert health["status"] == "ok" and health["backend"] == "durable"
    assert health["policies"].startswith("sha256:")


JSONISH = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8)
    | st.sampled_from(["2023-05-10", "1e400", "1e1000000", "NaN"]),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(
        st.sampled_from(["policy", "kind", "facts", "events", "type", "date", "paid", "amount", "name", "x"]),
        children, max_size=5),
    max_leaves=25,
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(facts=JSONISH, kind=st.sampled_from(["enterprise", None, 3]))
def test_no_input_produces_a_500(client: Any, facts: Any, kind: Any) -> None:
    response = post(client, {"policy": "listing", "kind": kind, "facts": facts})
    assert response.status_code in (200, 400, 404, 422)
    assert "errors" in response.get_json() or response.get_json()["status"]


HOUSEHOLD_KEYS = ["decision_date", "property", "prices", "owner", "choice", "use", "building_area", "mode",
                  "swap_building", "new_unit", "courtyard", "land_area", "business", "ancillary", "timeline",
                  "market_unit_price", "appraised_unit_price", "legal_status", "purpose", "households"]
HOUSEHOLDISH = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 10**6) | st.sampled_from(
        ["2023-05-10", "2027-01-01", "0", "-1", "45", "1e9", "residential", "property_swap", "high_rise",
         "illegal", "special", "old_city_renovation", ""]),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.sampled_from(HOUSEHOLD_KEYS), children,
                                                                        max_size=6),
    max_leaves=30,
)


@pytest.mark.parametrize("path", ["/evaluate", "/evaluate/batch"])
def test_a_key_given_twice_is_refused_not_resolved(client: Any, path: str) -> None:
    # before: the last building_area (120.00) was silently computed on
    case = (b'{"policy": "expropriation", "kind": "household", "facts": {"decision_date": "2023-05-10", '
            b'"property": {"use": "residential", "building_area": "60.00", "building_area": "120.00"}, '
            b'"prices": {"appraised_unit_price": "8000", "market_unit_price": "9000"}, '
            b'"choice": {"mode": "monetary"}}}')
    body = case if path == "/evaluate" else b'{"cases": [' + case + b"]}"
    response = client.post(path, data=body, content_type="application/json")
    assert response.status_code == 400
    assert response.get_json()["errors"] == [
        {"path": "", "message": "请求体不是有效的 JSON：同一对象中的键“building_area”出现了不止一次"}]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(facts=HOUSEHOLDISH, kind=st.sampled_from(["household", "project"]))
def test_no_expropriation_input_produces_a_500(client: Any, facts: Any, kind: Any) -> None:
    response = post(client, {"policy": "expropriation", "kind": kind, "facts": facts})
    assert response.status_code in (200, 422), response.get_json()


DEEP = b'{"policy": "listing", "facts": ' + b"[" * 5000 + b"]" * 5000 + b"}"
NAN = (b'{"policy": "listing", "kind": "enterprise", "facts": {"name": "a", "events": [{"type": "domestic_listing", '
       b'"date": "2023-01-01"}], "paid": [{"type": "domestic_listing", "amount": NaN}]}}')


@pytest.mark.parametrize("raw", [b"[]", b"null", b"\xff\xfe", DEEP, NAN])
def test_odd_bodies_are_4xx(client: Any, raw: bytes) -> None:
    assert post(client, raw).status_code in (400, 422)


def test_paid_more_than_granted_is_a_warning_naming_the_item(client: Any) -> None:
    case = {"policy": "listing", "kind": "enterprise", "facts": {
        "name": "兰山示范股份有限公司", "events": [{"type": "share_reform_registered", "date": "2022-06-01"}],
        "paid": [{"type": "share_reform_registered", "amount": "1500000"}]}}
    answer = post(client, case).get_json()
    # 股改补助 100 万元; paid 150 万 → due 1,000,000 − 1,500,000 = −500,000.00, kept with warnings
    assert answer["due"] == "-500000.00"
    warning = next(f for f in answer["findings"] if f["code"] == "paid_exceeds_granted")
    assert warning["message"].startswith("已付“股份制改造完成工商登记变更补助”1500000.00 元")
    assert "share_reform_registered" not in warning["message"]


def test_a_problem_around_the_facts_comes_with_the_facts_own_problems(client: Any) -> None:
    body = {"policy": "expropriation", "kind": "household", "facts": {"property": {"building_area": "-1"}}, "x": 1}
    paths = [e["path"] for e in post(client, body).get_json()["errors"]]
    # before, only "x" was listed, and the case came back six times to be fixed field by field
    assert paths[0] == "x"
    assert {"facts.decision_date", "facts.property.building_area", "facts.choice"} <= set(paths)


@pytest.mark.parametrize(("body", "expected"), [
    # before (audit 6): only the first line of each was reported, and the next attempt found the next problem
    ({"policy": "listng", "facts": {}, "explain": True},
     [("explain", "未知字段"), ("policy", "未知的政策族：listng；现有：")]),  # audit 17: it said listng/None
    ({"policy": "listing", "kind": "company", "facts": {}, "extra": 1},
     [("extra", "未知字段"), ("kind", "未知的案件类型：listing/company；现有：listing/enterprise")]),
    ({"policy": "listing", "kind": 5, "facts": {"name": 1, "events": [{"type": "neeq_listing", "date": "2022-02-30"}]}},
     [("kind", "应为文本"), ("facts.name", "应为文本"), ("facts.events[0].date", "不存在的日期：2022-02-30")]),
    ({"policy": 5, "facts": {}}, [("policy", "应为文本")]),  # before: "必填字段" for a value that was sent
])
def test_every_problem_around_the_facts_is_listed(client: Any, body: dict[str, Any],
                                                   expected: list[tuple[str, str]]) -> None:
    response = post(client, body)
    assert response.status_code == 422
    errors = response.get_json()["errors"]
    assert [e["path"] for e in errors] == [path for path, _ in expected]
    assert all(e["message"].startswith(start) for e, (_, start) in zip(errors, expected, strict=True))


def test_an_unknown_kind_is_reported_at_kind(client: Any) -> None:
    response = post(client, {"policy": "expropriation", "kind": "nope", "facts": {}})
    assert response.status_code == 404
    assert response.get_json()["errors"][0]["path"] == "kind"


@pytest.mark.parametrize(("body", "paths"), [
    ({"cases": [CASE], "x": 1}, ["x"]),
    ({"cases": {}}, ["cases"]),
    ({}, ["cases"]),
])
def test_a_bad_batch_envelope_names_its_field(client: Any, body: dict[str, Any], paths: list[str]) -> None:
    response = client.post("/evaluate/batch", data=json.dumps(body), content_type="application/json")
    assert response.status_code == 422
    assert [e["path"] for e in response.get_json()["errors"]] == paths


def _interpretation(text: str) -> dict[str, Any]:
    case = json.loads((ROOT / "examples" / "interpretation-case.json").read_text(encoding="utf-8"))
    case["facts"]["interpretation"]["text"] = text
    return case


def test_a_text_that_normalises_past_the_bound_is_422(client: Any) -> None:
    # before (audit 6): 100,000 × U+FDFA is 100,000 characters as sent and 1,800,000 once NFKC-normalised, which
    # the text functions compare: 3.4 s per case, and a batch of 14 ran past the worker's timeout (an HTML 500)
    response = post(client, _interpretation("\ufdfa" * 100_000))
    assert response.status_code == 422
    assert response.get_json()["errors"] == [{
        "path": "facts.interpretation.text",
        "message": "文本规范化（NFKC，全角半角等统一写法）后不能超过 100000 个字符，收到 100000 个"}]
    # 5,555 of them normalise to 99,990 characters: within the bound
    assert post(client, _interpretation("\ufdfa" * 5_555)).status_code == 200


def test_a_list_fact_holds_at_most_1000_elements(client: Any) -> None:
    # before (audit 6): 20,000 valid events took 1.3 s per case; 18 such cases in one batch ran past the timeout
    events = [{"type": "neeq_listing", "date": "2023-01-01"}]
    def case(count: int) -> dict[str, Any]:
        return {"policy": "listing", "facts": {"name": "兰山示范股份有限公司", "events": events * count}}

    assert post(client, case(1_000)).status_code == 200
    response = post(client, case(1_001))
    assert response.status_code == 422
    assert response.get_json()["errors"] == [{"path": "facts.events", "message": "列表不能超过 1000 项，收到 1001 项"}]


def test_a_batch_answers_what_it_computed_within_its_time(tmp_path: Any) -> None:
    # a batch past BATCH_SECONDS answers each case not yet computed with its own error, instead of running on
    # until gunicorn kills the worker (an HTML 500, and the computed cases lost)
    app = create_app({"TESTING": True, "POLICIES_DIR": str(POLICIES), "BACKEND": "python",
                      "DATABASE_URL": str(tmp_path / "d.sqlite3"), "BATCH_SECONDS": 0})
    response = app.test_client().post("/evaluate/batch", json={"cases": [CASE, CASE]})
    assert response.status_code == 200
    body = response.get_json()
    assert (body["evaluated"], body["rejected"]) == (0, 2)
    assert [r["errors"] for r in body["results"]] == [
        [{"path": f"cases[{i}]", "message": "批量计算已超过 0 秒，本件未计算，请分批重新提交"}] for i in (0, 1)]


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", None])
def test_a_body_not_declared_as_json_is_415(client: Any, content_type: str | None) -> None:
    # before (audit 6): evaluated and logged as a 200, so a web page's cross-site text/plain form post (sent by
    # browsers without a CORS preflight) could make logged decisions
    data = json.dumps(CASE, ensure_ascii=False)
    for path in ("/evaluate", "/evaluate/batch"):
        response = client.post(path, data=data, content_type=content_type)
        assert response.status_code == 415
        assert response.get_json()["errors"][0]["path"] == "Content-Type"
    assert client.post("/evaluate", data=data, content_type="application/json; charset=utf-8").status_code == 200


@pytest.mark.parametrize("written", ["60_00", "6_0.5"])
def test_a_number_with_an_underscore_is_refused(client: Any, written: str) -> None:
    # before (audit 8): Decimal reads "60_00" as 6000, so a typo made a 60 m² house 6000 m² (48,606,500.00)
    case = json.loads((ROOT / "examples" / "household-case.json").read_text(encoding="utf-8"))
    case["facts"]["property"]["building_area"] = written
    response = post(client, case)
    assert response.status_code == 422
    assert [e["path"] for e in response.get_json()["errors"]] == ["facts.property.building_area"]


def test_a_date_in_full_width_digits_is_not_called_a_date_that_does_not_exist(client: Any) -> None:
    # before (audit 7): "２０２３-09-28" (as some input methods type it) was "不存在的日期", though the date exists
    case = json.loads((ROOT / "examples" / "household-case.json").read_text(encoding="utf-8"))
    case["facts"]["decision_date"] = "２０２３-09-28"
    response = post(client, case)
    assert response.status_code == 422
    assert response.get_json()["errors"] == [{"path": "facts.decision_date",
                                              "message": "日期请用半角数字书写，如 2023-09-28：收到 ２０２３-09-28"}]


@pytest.mark.parametrize("path", ["/evaluate", "/evaluate/batch"])
@pytest.mark.parametrize(("where", "raw", "message"), [
    # audit 13: the UTF-8 bytes of a lone surrogate (ED A0 80) passed json.loads as "\ud800" and made the decision
    # log's write a 500; in a batch the good case beside it was lost too
    # the ED byte is the 58th: 57 bytes of {"policy":"listing","kind":"enterprise","facts":{"name":" come first
    ("name", b"\xed\xa0\x80", "请求体不是有效的 JSON：第 58 个字节起不是有效的 UTF-8 编码"),
    ("name", b"\\ud800",
     "请求体不是有效的 JSON：文本中有不成对的 UTF-16 代理项（如单独的 \\ud800），不是有效的 Unicode 字符"),
])
def test_a_lone_surrogate_in_the_body_is_a_400_in_chinese(client: Any, path: str, where: str, raw: bytes,
                                                            message: str) -> None:
    case = (b'{"policy":"listing","kind":"enterprise","facts":{"' + where.encode() + b'":"' + raw
            + b'","events":[{"type":"share_reform_registered","date":"2022-06-01"}]}}')
    body = case if path == "/evaluate" else b'{"cases": [' + case + b"]}"
    if path != "/evaluate" and raw.startswith(b"\xed"):
        message = message.replace("第 58 个", "第 69 个")  # the batch's 11 bytes {"cases": [ come first
    response = client.post(path, data=body, content_type="application/json")
    assert response.status_code == 400
    assert response.get_json()["errors"] == [{"path": "", "message": message}]


def test_a_syntax_error_in_the_body_is_said_in_chinese_with_its_place(client: Any) -> None:
    response = client.post("/evaluate", data=b'{"policy": "listing",\n "kind": }', content_type="application/json")
    assert response.status_code == 400
    # line 2 is ' "kind": }': 9 characters, then the } where a value should be, at column 10
    message = "请求体不是有效的 JSON：第 2 行第 10 列：此处应为一个值"
    assert response.get_json()["errors"] == [{"path": "", "message": message}]


@pytest.mark.parametrize(("query", "traced"), [("", False), ("?explain=1", True), ("?explain=true", True),
                                               ("?explain=0", False), ("?explain=false", False)])
def test_explain_takes_1_true_0_false(client: Any, query: str, traced: bool) -> None:
    case = json.loads((ROOT / "examples" / "listing-case.json").read_text(encoding="utf-8"))
    response = post(client, case, query)
    assert response.status_code == 200 and bool(response.get_json()["trace"]) is traced


@pytest.mark.parametrize("value", ["yes", "True", "2", ""])
def test_an_explain_value_it_does_not_know_is_a_400_not_a_silent_no(client: Any, value: str) -> None:
    # audit 13: ?explain=yes or ?explain=True answered without a trace, and nothing told the caller why
    case = json.loads((ROOT / "examples" / "listing-case.json").read_text(encoding="utf-8"))
    response = post(client, case, f"?explain={value}")
    assert response.status_code == 400
    assert response.get_json()["errors"] == [
        {"path": "explain", "message": f"explain 应为 1、true、0 或 false，收到“{value}”"}]


@pytest.mark.parametrize("name", ["\u200b", "\ufeff", " \u200b\u3000"])
def test_a_name_of_only_invisible_characters_is_not_given(client: Any, name: str) -> None:
    # audit 13: a name of only U+200B or U+FEFF counted as filled in (spaces and U+3000 already did not)
    case = json.loads((ROOT / "examples" / "listing-case.json").read_text(encoding="utf-8"))
    case["facts"]["name"] = name
    response = post(client, case)
    assert response.status_code == 422
    assert {"path": "facts.name", "message": "不能为空"} in response.get_json()["errors"]
