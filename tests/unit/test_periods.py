"""Periods after 《民法典》 arts. 200-204 on the official calendar; every date checked by hand."""
from __future__ import annotations

import datetime
import json
import re
from typing import Any

import pytest

from engine.periods import CalendarGap, add_months, at_least_days, plus_months, within_days, within_months, working_days

D = datetime.date


@pytest.mark.parametrize(("start", "days", "end", "why"), [
    (D(2023, 6, 5), 3, D(2023, 6, 8), "Mon + 3 = Thu, a working day"),
    (D(2023, 5, 4), 3, D(2023, 5, 8), "Thu + 3 = Sun 05-07, a weekend: next working day Mon 05-08"),
    (D(2023, 9, 28), 3, D(2023, 10, 7), "+3 = 10-01, National Day 10-01..10-06: make-up working day Sat 10-07"),
    (D(2023, 10, 4), 3, D(2023, 10, 7), "+3 = Sat 10-07, itself a make-up working day: no shift"),
    (D(2024, 1, 31), 10, D(2024, 2, 18), "+10 = 02-10, Spring Festival 02-10..02-17: make-up working day Sun 02-18"),
])
def test_within_days_moves_off_rest_days(start: D, days: int, end: D, why: str) -> None:
    period = within_days(start, days)
    assert period.end == end, why
    assert period.start == start and period.length == days


def test_the_explanation_shows_start_days_and_shift() -> None:
    text = within_days(D(2023, 9, 28), 3).explain()
    assert text.startswith("自 2023-09-28 次日起算 3 日，至 2023-10-01；该日为法定休假日")
    assert "国庆节" in text and text.endswith("顺延至 2023-10-07")


def test_at_least_days_is_shifted_off_a_rest_day_too() -> None:
    # PRODUCT §3 applies art. 203 to every period (I-18): publicity from 05-01 (not counted) for 30 days
    # ends on Wed 05-31; from 2023-09-01 it ends on 10-01, National Day (09-29..10-06): make-up Sat 10-07
    assert at_least_days(D(2023, 5, 1), 30).end == D(2023, 5, 31)
    assert at_least_days(D(2023, 9, 1), 30).end == D(2023, 10, 7)


@pytest.mark.parametrize(("start", "months", "end"), [
    (D(2023, 8, 31), 6, D(2024, 2, 29)),  # no 31st in February: its last day (art. 202); a Thursday
    (D(2023, 1, 31), 1, D(2023, 2, 28)),  # Tue
    (D(2023, 3, 15), 3, D(2023, 6, 15)),  # Thu
])
def test_within_months_uses_the_corresponding_day(start: D, months: int, end: D) -> None:
    assert within_months(start, months).end == end


def test_within_months_is_shifted_off_a_holiday() -> None:
    # 2023-07-01 + 3 months = 10-01, National Day: the period ends on the make-up working day 10-07
    assert within_months(D(2023, 7, 1), 3).end == D(2023, 10, 7)


def test_plus_months_is_shifted_off_a_rest_day_too() -> None:
    # 2022-05-01 + 12 months = 2023-05-01, Labour Day (04-29..05-03): Thu 05-04 (I-18)
    assert plus_months(D(2022, 5, 1), 12).end == D(2023, 5, 4)
    assert add_months(D(2024, 2, 29), 12) == D(2025, 2, 28)


def test_working_days_skip_holidays_and_count_make_up_days() -> None:
    # after Wed 09-27: Thu 09-28 (1), holidays 09-29..10-06, Sat 10-07 (2, make-up), Sun 10-08 (3, make-up)
    assert working_days(D(2023, 9, 27), 3).end == D(2023, 10, 8)


def test_a_year_the_calendar_does_not_cover_is_an_error_naming_it() -> None:
    with pytest.raises(CalendarGap) as e:
        within_days(D(2026, 12, 28), 10)
    assert e.value.year == 2027
    assert "2027 年" in str(e.value)


def test_the_service_answers_422_for_an_uncovered_year(client: Any) -> None:
    body = {"policy": "expropriation", "kind": "project", "facts": {
        "decision_date": "2026-07-01", "purpose": "infrastructure", "households": 10, "area": "900",
        "timeline": {"notice_served": "2026-11-01", "litigation_period_end": "2026-12-15"}}}
    response = client.post("/evaluate", data=json.dumps(body), content_type="application/json")
    assert response.status_code == 422
    error = response.get_json()["errors"][0]
    assert "2027 年" in error["message"]
    assert error["path"] == "facts.timeline.litigation_period_end"  # the start of the 3 months that reach 2027


@pytest.mark.parametrize(("body", "start", "path"), [
    ({"policy": "expropriation", "kind": "project", "facts": {  # 10 日内 past 9999-12-31
        "decision_date": "2023-05-10", "purpose": "infrastructure", "households": 10, "area": "900",
        "timeline": {"report_received": "9999-12-25", "review_requested": "9999-12-26"}}}, "9999-12-25",
     "facts.timeline.report_received"),
    ({"policy": "expropriation", "kind": "project", "facts": {  # 3 个月内: there is no year 10000
        "decision_date": "2023-05-10", "purpose": "infrastructure", "households": 10, "area": "900",
        "timeline": {"notice_served": "2023-06-05", "litigation_period_end": "9999-11-01"}}}, "9999-11-01",
     "facts.timeline.litigation_period_end"),
    ({"policy": "enterprise_policy", "facts": {"published": "9999-12-31", "level": "county"}}, "9999-12-31",
     "facts.published"),
])
def test_a_period_ending_past_the_last_representable_date_is_a_422_not_a_500(client: Any, body: dict[str, Any],
                                                                          start: str, path: str) -> None:
    response = client.post("/evaluate", data=json.dumps(body), content_type="application/json")
    assert response.status_code == 422
    message = response.get_json()["errors"][0]["message"]
    # the length says its unit (before: "起算 7", cut off)
    assert re.search(f"超出可计算的日期范围：自 {start} 起算 (10 日|3 个月|5 个工作日)$", message), message
    assert response.get_json()["errors"][0]["path"] == path


@pytest.mark.parametrize(("body", "code"), [
    ({"policy": "enterprise_policy", "kind": "policy", "facts": {  # not actively disclosed: no deadline applies
        "published": "2099-12-28", "level": "county", "actively_disclosed": False}}, "not_in_scope"),
    ({"policy": "interpretation", "kind": "document", "facts": {  # a department's document: no interpretation due
        "published": "2099-12-29", "issued_as": "district_department", "drafting_department": "区财政局"}},
     "interpretation_not_required"),
    ({"policy": "enterprise_policy", "kind": "policy", "facts": {  # audit 9: past 9999-12-31 and out of scope
        "published": "9999-12-31", "level": "county", "actively_disclosed": False}}, "not_in_scope"),
])
def test_a_period_no_verdict_needs_refuses_nothing(client: Any, body: dict[str, Any], code: str) -> None:
    # before (audit 7): the deadlines are derived values, computed for every case, so a document published in the
    # last days of a year the calendar does not cover yet (2027 from 2026-12-18) was refused even out of scope
    response = client.post("/evaluate", data=json.dumps(body), content_type="application/json")
    assert response.status_code == 200
    assert [f["code"] for f in response.get_json()["findings"]] == [code]


def test_a_period_a_verdict_needs_is_still_refused_naming_the_rule(client: Any) -> None:
    # an on-time or late verdict would need the uncovered year: a clear error, never a guess (PRODUCT §3)
    body = {"policy": "enterprise_policy", "kind": "policy", "facts": {
        "published": "2099-12-24", "level": "county", "uploaded": "2099-12-25", "interpreted": "2099-12-28"}}
    response = client.post("/evaluate", data=json.dumps(body), content_type="application/json")
    assert response.status_code == 422
    [error] = response.get_json()["errors"]
    assert error["path"] == "facts.published"
    assert error["message"].startswith("规则 upload_city_county_on_time（五（一）1）：法定节假日日历未覆盖 2099 年")
