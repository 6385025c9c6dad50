"""Calendar arithmetic for date extraction: Gregorian, Hijri, Jalali and Hebrew to Gregorian.

Hijri is the Umm al-Qura calendar (hijridate, 1343–1500 AH), Jalali the Solar Hijri calendar
(jdatetime), Hebrew the Jewish calendar (pyluach; months numbered from Nisan = 1, Tishrei = 7,
Adar = 12 and Adar II = 13). Every function raises `InvalidCalendarDate` for a date that does
not exist or lies outside a library's range, so callers skip it instead of crashing.

A month or a year of another calendar rarely coincides with a Gregorian one. `month_in_gregorian`
and `year_in_gregorian` answer with the Gregorian month or year that holds most of its days
(ties go to the earlier) and say whether it holds all of them.
"""

from __future__ import annotations

import calendar as gregorian_calendar
import datetime
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

import jdatetime
from hijridate import Gregorian, Hijri
from pyluach import dates as hebrew_dates

from marsad.errors import InvalidCalendarDate

CALENDARS = ("gregorian", "hijri", "jalali", "hebrew")
HEBREW_NEW_YEAR_MONTH = 7  # Tishrei: the Hebrew year number changes on 1 Tishrei


@dataclass(frozen=True)
class GregorianSpan:
    """Where a calendar month or year falls: `value` is "YYYY-MM" or "YYYY" of the Gregorian
    period holding most of its days; `exact` when that period holds all of them."""

    value: str
    exact: bool


def to_gregorian(calendar: str, year: int, month: int, day: int) -> datetime.date:
    """The Gregorian date of a day in `calendar`."""
    try:
        if calendar == "gregorian":
            return datetime.date(year, month, day)
        if calendar == "hijri":
            converted = Hijri(year, month, day).to_gregorian()
            return datetime.date(converted.year, converted.month, converted.day)
        if calendar == "jalali":
            jalali: datetime.date = jdatetime.date(year, month, day).togregorian()
            return jalali
        if calendar == "hebrew":
            hebrew: datetime.date = hebrew_dates.HebrewDate(year, month, day).to_pydate()
            return hebrew
    except (ValueError, OverflowError, TypeError) as exc:
        raise InvalidCalendarDate(f"{calendar} {year}-{month}-{day}: {exc}") from None
    raise InvalidCalendarDate(f"unknown calendar {calendar!r}")


def year_of(calendar: str, day: datetime.date) -> int:
    """The year number, in `calendar`, of a Gregorian day."""
    try:
        if calendar == "gregorian":
            return day.year
        if calendar == "hijri":
            return int(Gregorian(day.year, day.month, day.day).to_hijri().year)
        if calendar == "jalali":
            return int(jdatetime.date.fromgregorian(date=day).year)
        if calendar == "hebrew":
            return int(hebrew_dates.HebrewDate.from_pydate(day).year)
    except (ValueError, OverflowError, TypeError) as exc:
        raise InvalidCalendarDate(f"{day} outside the {calendar} calendar's range: {exc}") from None
    raise InvalidCalendarDate(f"unknown calendar {calendar!r}")


def month_bounds(calendar: str, year: int, month: int) -> tuple[datetime.date, datetime.date]:
    """First and last Gregorian day of a month of `calendar`."""
    first = to_gregorian(calendar, year, month, 1)
    # The last day is the longest day number the month accepts: 31, then 30, 29.
    for length in (31, 30, 29, 28):
        try:
            return first, to_gregorian(calendar, year, month, length)
        except InvalidCalendarDate:
            continue
    raise InvalidCalendarDate(f"{calendar} {year}-{month} has no last day")


def year_bounds(calendar: str, year: int) -> tuple[datetime.date, datetime.date]:
    """First and last Gregorian day of a year of `calendar`."""
    if calendar == "hebrew":
        first = to_gregorian(calendar, year, HEBREW_NEW_YEAR_MONTH, 1)
        following = to_gregorian(calendar, year + 1, HEBREW_NEW_YEAR_MONTH, 1)
        return first, following - datetime.timedelta(days=1)
    first = to_gregorian(calendar, year, 1, 1)
    _, last = month_bounds(calendar, year, 12)
    return first, last


@lru_cache(maxsize=4096)
def month_in_gregorian(calendar: str, year: int, month: int) -> GregorianSpan:
    first, last = month_bounds(calendar, year, month)
    return _majority(first, last, lambda day: f"{day.year:04d}-{day.month:02d}")


@lru_cache(maxsize=1024)
def year_in_gregorian(calendar: str, year: int) -> GregorianSpan:
    first, last = year_bounds(calendar, year)
    return _majority(first, last, lambda day: f"{day.year:04d}")


def _majority(
    first: datetime.date, last: datetime.date, period: Callable[[datetime.date], str]
) -> GregorianSpan:
    days = Counter(
        period(first + datetime.timedelta(days=offset)) for offset in range((last - first).days + 1)
    )
    best = max(days.values())
    value = min(key for key, count in days.items() if count == best)
    return GregorianSpan(value, exact=len(days) == 1)


def add_months(day: datetime.date, months: int) -> datetime.date:
    """`day` moved by whole Gregorian months, clamped to the end of shorter months."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    if not datetime.MINYEAR <= year <= datetime.MAXYEAR:
        raise InvalidCalendarDate(f"{year} outside the Gregorian range")
    length = gregorian_calendar.monthrange(year, month + 1)[1]
    return datetime.date(year, month + 1, min(day.day, length))


def shift_days(day: datetime.date, days: int) -> datetime.date:
    try:
        return day + datetime.timedelta(days=days)
    except OverflowError:
        raise InvalidCalendarDate(f"{day} moved by {days} days leaves the calendar") from None
