"""A language's dates.yaml as a DateLexicon (read and validated by lexicon_reader)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, TypeVar

UNITS = ("minute", "hour", "day", "week", "month", "year")  # finest first
DATE_ORDERS = ("day_month", "month_day")
HEDGE_POSITIONS = ("before", "after", "either")
DIRECTIONS = {"past": -1, "next": 1}  # "March last" / "مارس المقبل"
CUE_POSITIONS = ("before", "after")
DEFAULT_HEDGE_REACH = 6
# (precision, certainty) by unit, for named ("last week") and counted ("two weeks ago") shifts.
# Hours and minutes are given as the day they fall on, likely: the anchor is a day, not a time
# of day.
NAMED_SHIFT_POLICY = {
    "minute": ("day", "likely"),
    "hour": ("day", "likely"),
    "day": ("day", "certain"),
    "week": ("day", "possible"),
    "month": ("month", "certain"),
    "year": ("year", "certain"),
}
COUNTED_SHIFT_POLICY = {
    "minute": ("day", "likely"),
    "hour": ("day", "likely"),
    "day": ("day", "certain"),
    "week": ("day", "possible"),
    "month": ("month", "likely"),
    "year": ("year", "likely"),
}

Meaning = TypeVar("Meaning")


@dataclass(frozen=True)
class Shift:
    """A date relative to the anchor: `amount` units (for unit "weekday": the ISO weekday,
    the latest such day before the anchor, or on or before it when `inclusive`)."""

    unit: str
    amount: int
    precision: str
    certainty: str
    inclusive: bool = False


@dataclass(frozen=True)
class DirectionCues:
    """Words that send a month or day without a year to the past (-1) or the future (1)."""

    directions: dict[str, int] = field(default_factory=dict)
    before: tuple[str, ...] = ()  # "last March"
    after: tuple[str, ...] = ()  # "March last", "مارس الماضي"


@dataclass(frozen=True)
class ShortYears:
    """Two-digit years ("26 شهریور 94") of these calendars, after a month name; `followers`:
    words allowed after such a year (a bare number followed by a word is too often a count)."""

    calendars: tuple[str, ...]
    followers: tuple[str, ...]


@dataclass(frozen=True)
class Hedge:
    certainty: str
    position: str
    reach: int


@dataclass(frozen=True)
class RangeRule:
    starts: tuple[str, ...]  # "" among them: the join alone makes a range ("3–5 January")
    joins: tuple[str, ...]


@dataclass(frozen=True)
class YearRule:
    first: int
    last: int
    calendar: str


@dataclass(frozen=True)
class LetterNumerals:
    """Numbers written in letters with a numeral mark (Hebrew ט"ו, תש"ף)."""

    values: dict[str, int]
    marks: str
    year_prefixes: tuple[str, ...]
    implied_thousands: int
    calendar: str

    def value(self, text: str) -> int:
        return sum(self.values.get(char, 0) for char in text)

    def year(self, text: str) -> int:
        number = self.value(text)
        return number + self.implied_thousands if number < 1000 else number


@dataclass(frozen=True)
class DateLexicon:
    """One language's lexicons/<lang>/dates.yaml, validated; phrases as written in the file.

    Only `months` is required. Phrases are strings; a space matches any gap between words.
      months            {calendar: {number: [names]}}; calendar in gregorian, hijri, jalali,
                        hebrew; Hebrew months are numbered as pyluach does (Nisan 1, Adar II 13)
      letter_variants   groups of letters that match each other ("اأإآ"); stretchers: characters
                        allowed anywhere in a word (harakat, tatweel); article: optional on
                        every word of a month name ("ال"); case_sensitive_months: true/false
      date_orders       day_month (default) and/or month_day ("January 15, 2020")
      month_prefixes / month_suffixes   written onto a month name (ב-, ماه); month_cues: words
                        that let a month name stand alone (شهر, in); month_parts: early, مطلع
      day_prefixes / day_suffixes / day_month_links   ה-, le / st, er / of, من
      day_words / ordinal_days   {word: day}; an ordinal needs a link (الخامس من حزيران)
      year_cues         words before a year (عام, سال, בשנת); calendar_markers {calendar: [..]}
      unmarked_years    [{from, to, calendar}]: the calendar of years written without a marker
      letter_numerals   {values: {letter: n}, marks, year_prefixes, implied_thousands, calendar}
      weekdays {1-7: [names]}; last_weekday: templates with {weekday} ("last {weekday}")
      weekday_alone     templates with {weekday} for a weekday without a cue ("{weekday}",
                        "{weekday} کو"): the latest such day on or before the anchor, likely
      direction_cues    [{phrases, direction: past|next, position: before|after}]: a month
                        (or day and month) without a year with such a word ("March last",
                        "مارس الماضي", "last March") is the latest one before the anchor, or
                        the first after it; it also lets a month name stand alone
      short_years       {calendars: [..], followers: [..]}: two-digit years after a month
      relative          [{phrases, unit: hour|day|week|month|year, offset, certainty}]
      counted           {templates: with {count} and {unit}, numbers: {word: n},
                         units: {unit: {one: [..], two: [..], many: [..]}}}
      ranges            [{start: [..] ("" when the join alone will do), join: [..]}];
                        list_joins: "2 and 3 March" gives two dates
      clitic_prefixes   written onto a hedge or relative word (و, ו)
      hedges            [{phrases, certainty: likely|possible, position: before|after|either,
                          reach: words allowed between hedge and date (default 6)}]
    """

    language: str
    months: dict[str, tuple[str, int]]
    letter_variants: tuple[str, ...] = ()
    article: str = ""
    case_sensitive_months: bool = False
    date_orders: tuple[str, ...] = ("day_month",)
    month_prefixes: tuple[str, ...] = ()
    month_suffixes: tuple[str, ...] = ()
    month_cues: tuple[str, ...] = ()
    month_parts: tuple[str, ...] = ()
    day_prefixes: tuple[str, ...] = ()
    day_suffixes: tuple[str, ...] = ()
    day_month_links: tuple[str, ...] = ()
    list_joins: tuple[str, ...] = ()
    clitic_prefixes: tuple[str, ...] = ()
    stretchers: str = ""
    day_words: dict[str, int] = field(default_factory=dict)
    ordinal_days: dict[str, int] = field(default_factory=dict)
    year_cues: tuple[str, ...] = ()
    calendar_markers: dict[str, str] = field(default_factory=dict)
    unmarked_years: tuple[YearRule, ...] = ()
    letter_numerals: LetterNumerals | None = None
    weekdays: dict[str, int] = field(default_factory=dict)
    last_weekday: tuple[str, ...] = ()
    weekday_alone: tuple[str, ...] = ()
    direction_cues: DirectionCues = DirectionCues()
    short_years: ShortYears | None = None
    relative: dict[str, Shift] = field(default_factory=dict)
    counted_templates: tuple[str, ...] = ()
    numbers: dict[str, int] = field(default_factory=dict)
    units: dict[str, tuple[str, int | None]] = field(default_factory=dict)
    ranges: tuple[RangeRule, ...] = ()
    hedges: dict[str, Hedge] = field(default_factory=dict)

    @classmethod
    def from_data(cls, language: str, data: dict[str, Any]) -> DateLexicon:
        # The reader builds this class: imported here, not at the top, to avoid a cycle.
        from marsad.text.dates.lexicon_reader import LexiconReader

        return LexiconReader(language).read(data)
