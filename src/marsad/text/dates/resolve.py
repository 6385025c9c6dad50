"""From dates as written to Gregorian partial dates, with the anchor for what is missing."""

from __future__ import annotations

import datetime

from marsad.errors import InvalidCalendarDate
from marsad.text.dates.calendars import (
    add_months,
    month_bounds,
    month_in_gregorian,
    shift_days,
    to_gregorian,
    year_in_gregorian,
    year_of,
)
from marsad.text.dates.grammar import Candidate, Parts
from marsad.text.dates.lexicon import UNITS, Shift
from marsad.text.dates.model import PartialDate, weaker

# Units shorter than a day, and how many of them make one.
WITHIN_DAY = {"hour": 24, "minute": 24 * 60}


def _iso_day(day: datetime.date) -> str:
    return f"{day.year:04d}-{day.month:02d}-{day.day:02d}"


def _closest_year(parts: Parts, calendar: str, anchor: datetime.date) -> int | None:
    """The year that puts a day or month written without one nearest to the anchor; with a
    direction ("March last", "مارس المقبل"), the nearest wholly before or after it."""
    assert parts.month is not None
    base = year_of(calendar, anchor)
    best: tuple[int, int] | None = None
    for year in (base - 2, base - 1, base, base + 1, base + 2):
        try:
            if parts.day is not None:
                first = last = to_gregorian(calendar, year, parts.month, parts.day)
            else:
                first, last = month_bounds(calendar, year, parts.month)
        except InvalidCalendarDate:
            continue
        if (parts.direction < 0 and last >= anchor) or (parts.direction > 0 and first <= anchor):
            continue
        distance = (
            0
            if first <= anchor <= last
            else min(abs((first - anchor).days), abs((last - anchor).days))
        )
        if best is None or distance < best[0]:
            best = (distance, year)
    return best[1] if best else None


def _resolve_parts(parts: Parts, anchor: datetime.date | None) -> tuple[str, str, str]:
    """(value, precision, certainty) of an absolute date; raises InvalidCalendarDate."""
    calendar = parts.calendar
    year = parts.year
    if year is None:
        if anchor is None or parts.month is None:
            raise InvalidCalendarDate("no year and no anchor to infer it from")
        year = _closest_year(parts, calendar, anchor)
        if year is None:
            raise InvalidCalendarDate("no year fits")
        parts.year = year
    if parts.month is None:
        span = year_in_gregorian(calendar, year)
        return span.value, "year", "certain" if span.exact else "likely"
    if parts.day is None:
        span = month_in_gregorian(calendar, year, parts.month)
        return span.value, "month", "certain" if span.exact else "likely"
    return _iso_day(to_gregorian(calendar, year, parts.month, parts.day)), "day", "certain"


def _resolve_shift(shift: Shift, anchor: datetime.date) -> str:
    if shift.unit in WITHIN_DAY:  # the anchor has no time of day: whole days only
        per_day = WITHIN_DAY[shift.unit]
        days = -(-shift.amount // per_day) if shift.amount < 0 else shift.amount // per_day
        return _iso_day(shift_days(anchor, days))
    if shift.unit == "day":
        return _iso_day(shift_days(anchor, shift.amount))
    if shift.unit == "week":
        return _iso_day(shift_days(anchor, 7 * shift.amount))
    if shift.unit == "weekday":  # the latest such weekday before (or on) the anchor
        back = (anchor.isoweekday() - shift.amount) % 7
        if back == 0 and not shift.inclusive:
            back = 7
        return _iso_day(shift_days(anchor, -back))
    if shift.unit == "month":
        moved = add_months(anchor, shift.amount)
        return f"{moved.year:04d}-{moved.month:02d}"
    year = anchor.year + shift.amount
    if not datetime.MINYEAR <= year <= datetime.MAXYEAR:
        raise InvalidCalendarDate(f"year {year}")
    return f"{year:04d}"


def resolve(candidate: Candidate, text: str, anchor: datetime.date | None) -> list[PartialDate]:
    expression = text[candidate.start : candidate.end]
    try:
        if candidate.shift is not None:
            if anchor is None:
                return []
            value = _resolve_shift(candidate.shift, anchor)
            certainty = weaker(candidate.certainty, candidate.shift.certainty)
            return [
                PartialDate(
                    value,
                    candidate.shift.precision,
                    certainty,
                    "gregorian",
                    expression,
                    candidate.start,
                    candidate.end,
                    anchored=True,
                )
            ]
        assert candidate.parts is not None
        if candidate.end_parts is None:
            anchored = candidate.parts.year is None
            value, precision, certainty = _resolve_parts(candidate.parts, anchor)
            return [
                PartialDate(
                    value,
                    precision,
                    weaker(candidate.certainty, certainty),
                    candidate.parts.calendar,
                    expression,
                    candidate.start,
                    candidate.end,
                    anchored=anchored,
                )
            ]
        return [_resolve_range(candidate, expression, anchor)]
    except InvalidCalendarDate:
        if candidate.pieces:  # an impossible range: keep what its halves say on their own
            return [date for piece in candidate.pieces for date in resolve(piece, text, anchor)]
        return []


def _resolve_range(
    candidate: Candidate, expression: str, anchor: datetime.date | None
) -> PartialDate:
    first, last = candidate.parts, candidate.end_parts
    assert first is not None and last is not None
    if first.calendar != last.calendar:
        raise InvalidCalendarDate("a range across calendars")
    anchored = last.year is None
    end_value, precision, end_certainty = _resolve_parts(last, anchor)
    inherited = first.year is None
    if inherited:
        first.year = last.year
    value, first_precision, certainty = _resolve_parts(first, anchor)
    if inherited and value > end_value and first.year is not None:
        first.year -= 1  # "28 December to 3 January 2020": the start is in the year before
        value, first_precision, certainty = _resolve_parts(first, anchor)
    if first_precision != precision or value > end_value:
        raise InvalidCalendarDate("not a range")
    return PartialDate(
        value,
        precision,
        weaker(candidate.certainty, weaker(certainty, end_certainty)),
        first.calendar,
        expression,
        candidate.start,
        candidate.end,
        end_value,
        anchored=anchored,
    )


def match_span(candidate: Candidate) -> tuple[int, int]:
    return candidate.match_start, candidate.match_end


def resolve_durations(
    shifts: list[Shift], expression: str, anchor: datetime.date | datetime.datetime
) -> PartialDate:
    """A timestamp written as lengths of time before the anchor ("يومين", "1 year, 2 days"):
    the anchor moved back by each, calendar months and years first. Precision and certainty
    are those of the finest unit written (hours and minutes: the day, likely). With a time of
    day on the anchor, hours and minutes move it exactly; on a bare day, whole days only."""
    finest = min(shifts, key=lambda shift: UNITS.index(shift.unit))
    moment = anchor
    for shift in sorted(shifts, key=lambda shift: -UNITS.index(shift.unit)):
        if shift.unit in ("month", "year"):
            months = shift.amount * (12 if shift.unit == "year" else 1)
            moved = add_months(moment, months)
            moment = moment.replace(year=moved.year, month=moved.month, day=moved.day)
        elif shift.unit in WITHIN_DAY and isinstance(moment, datetime.datetime):
            moment += datetime.timedelta(days=shift.amount / WITHIN_DAY[shift.unit])
        else:
            day = datetime.date.fromisoformat(_resolve_shift(shift, moment_day(moment)))
            moment = moment + (day - moment_day(moment))
    value = _iso_day(moment_day(moment))[: {"day": 10, "month": 7, "year": 4}[finest.precision]]
    return PartialDate(
        value,
        finest.precision,
        finest.certainty,
        "gregorian",
        expression,
        0,
        len(expression),
        anchored=True,
    )


def moment_day(moment: datetime.date | datetime.datetime) -> datetime.date:
    return moment.date() if isinstance(moment, datetime.datetime) else moment
