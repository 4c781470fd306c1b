"""Periods counted as 《民法典》 articles 200–204 count them, on China's official calendar.

- Art. 201: a period in days, months or years starts on the day after the starting day.
- Art. 202: a period in months or years ends on the corresponding day of the last month, or on that
  month's last day when it has no corresponding day.
- Art. 203: when the last day is a statutory rest day (法定休假日: a public holiday or a weekend that
  is not a make-up working day), the period ends on the first working day after it.
- Art. 1259 (thresholds): 以内、届满 include the number itself.

Working days and holidays come from the maintained ``chinese_calendar`` package (the State Council's
announced holidays and make-up working days).  A date in a year it does not cover is a
``CalendarGap`` naming the year: never a guess.

"N 日内" is ``within_days``: the last day to act.  "不少于 N 日" is ``at_least_days``: the earliest
day a minimum period may end.  "最长不得超过 N 个月" is ``plus_months``: the last day of a maximum.
Each is shifted off a rest day, as PRODUCT §3 applies art. 203 to every period (reading I-18).
"""
from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass

import chinese_calendar

ONE_DAY = datetime.timedelta(days=1)


class CalendarGap(ValueError):
    """The official calendar has no data for the year a period needs."""

    def __init__(self, year: int):
        super().__init__(f"法定节假日日历未覆盖 {year} 年（chinese_calendar 只收录已公布的年份），无法计算该期间")
        self.year = year


class PastLastDate(ValueError):
    """A period whose last day falls after 9999-12-31, the latest date there is to compute with."""


# the periods that cannot be counted: a case is refused for one only when a verdict or a figure needs it
UNCOUNTABLE = (CalendarGap, PastLastDate)


@dataclass(frozen=True)
class Period:
    """A computed period: where it starts, how long it is, where it ends, and why."""

    start: datetime.date  # the starting day (not counted)
    length: int
    unit: str  # 日 | 工作日 | 个月 | 年
    end: datetime.date  # the last day, after any shift
    unshifted: datetime.date  # the last day before a rest-day shift
    shifted_over: tuple[str, ...] = ()  # the rest days skipped, e.g. "2023-10-01 国庆节"

    def explain(self) -> str:
        """Say how the period was counted, in Chinese."""
        text = f"自 {self.start.isoformat()} 次日起算 {self.length} {self.unit}，至 {self.unshifted.isoformat()}"
        if self.end != self.unshifted:
            text += f"；该日为法定休假日（{_ranges(self.shifted_over)}），顺延至 {self.end.isoformat()}"
        return text


def _ranges(days: tuple[str, ...]) -> str:
    """Join "2023-10-01 国庆节", "2023-10-02 国庆节"... into "2023-10-01 至 2023-10-06 国庆节"."""
    groups: list[list[str]] = []
    for entry in days:
        day, label = entry.split(" ", 1)
        if groups and groups[-1][2] == label:
            groups[-1][1] = day
        else:
            groups.append([day, day, label])
    return "、".join(f"{a} {label}" if a == b else f"{a} 至 {b} {label}" for a, b, label in groups)


def is_workday(day: datetime.date) -> bool:
    """Tell whether a day is a working day on the official calendar (make-up days included)."""
    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError as e:
        raise CalendarGap(day.year) from e


def _rest_name(day: datetime.date) -> str:
    try:
        _, name = chinese_calendar.get_holiday_detail(day)
    except NotImplementedError as e:
        raise CalendarGap(day.year) from e
    label = _HOLIDAY_NAMES.get(str(name), "周末") if name else "周末"
    return f"{day.isoformat()} {label}"


def _shift(start: datetime.date, length: int, unit: str, last: datetime.date) -> Period:
    end, skipped = last, []
    while not is_workday(end):
        skipped.append(_rest_name(end))
        end += ONE_DAY
    return Period(start, length, unit, end, last, tuple(skipped))


def within_days(start: datetime.date, days: int) -> Period:
    """The period "N 日内" after ``start``: its last day, moved to the next working day if it is a rest day."""
    return _shift(start, days, "日", start + datetime.timedelta(days=days))


def within_months(start: datetime.date, months: int) -> Period:
    """The period "N 个月内" after ``start`` (art. 202 corresponding day), shifted off a rest day."""
    return _shift(start, months, "个月", add_months(start, months))


# A minimum ("不少于 N 日") and a maximum ("最长不超过 N 个月") end where a deadline of the same length does
# (PRODUCT §3, I-18); the policies keep the names apart because they say what kind of period each is.
at_least_days = within_days
plus_months = within_months


def working_days(start: datetime.date, days: int) -> Period:
    """The period "N 个工作日内" after ``start``: the N-th working day after it."""
    day, counted = start, 0
    while counted < days:
        day += ONE_DAY
        if is_workday(day):
            counted += 1
    return Period(start, days, "工作日", day, day)


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The corresponding day ``months`` later, or that month's last day when there is none (art. 202)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


_HOLIDAY_NAMES = {
    "New Year's Day": "元旦", "Spring Festival": "春节", "Tomb-sweeping Day": "清明节", "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节", "National Day": "国庆节", "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利纪念日",
}
