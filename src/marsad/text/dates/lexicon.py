"""A language's dates.yaml, read and validated into a DateLexicon."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, TypeVar

from marsad.errors import ConfigError
from marsad.text.dates.calendars import (
    CALENDARS,
)
from marsad.text.dates.model import CERTAINTIES

UNITS = ("hour", "day", "week", "month", "year")
DATE_ORDERS = ("day_month", "month_day")
HEDGE_POSITIONS = ("before", "after", "either")
DIRECTIONS = {"past": -1, "next": 1}  # "March last" / "مارس المقبل"
CUE_POSITIONS = ("before", "after")
DEFAULT_HEDGE_REACH = 6
# (precision, certainty) by unit, for named ("last week") and counted ("two weeks ago") shifts.
# Hours are given as the day they fall on, likely: the anchor is a day, not a time of day.
NAMED_SHIFT_POLICY = {
    "hour": ("day", "likely"),
    "day": ("day", "certain"),
    "week": ("day", "possible"),
    "month": ("month", "certain"),
    "year": ("year", "certain"),
}
COUNTED_SHIFT_POLICY = {
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
        return _LexiconReader(language).read(data)


class _LexiconReader:
    """Checks a dates.yaml field by field, naming the path of anything malformed."""

    PHRASE_LISTS = (
        "month_prefixes",
        "month_suffixes",
        "month_cues",
        "month_parts",
        "day_prefixes",
        "day_suffixes",
        "day_month_links",
        "year_cues",
        "last_weekday",
        "weekday_alone",
        "list_joins",
        "clitic_prefixes",
    )
    KNOWN = frozenset(
        (
            *PHRASE_LISTS,
            "months",
            "letter_variants",
            "article",
            "case_sensitive_months",
            "date_orders",
            "calendar_markers",
            "unmarked_years",
            "letter_numerals",
            "weekdays",
            "relative",
            "counted",
            "ranges",
            "hedges",
            "day_words",
            "ordinal_days",
            "stretchers",
            "direction_cues",
            "short_years",
        )
    )

    def __init__(self, language: str) -> None:
        self.language = language

    def error(self, path: str, problem: str) -> ConfigError:
        return ConfigError(f"lexicons/{self.language}/dates.yaml: {path}: {problem}")

    def strings(self, value: object, path: str, allow_empty: bool = False) -> tuple[str, ...]:
        if value is None:
            return ()
        items = [value] if isinstance(value, str) else value
        if not isinstance(items, list) or not all(isinstance(item, str) for item in items):
            raise self.error(path, "expected a list of strings")
        if not allow_empty and any(not item.strip() for item in items):
            raise self.error(path, "empty phrase")
        return tuple(items)

    def entries(self, value: object, path: str) -> Iterator[tuple[str, dict[Any, Any]]]:
        """The mappings of a list, each with its path: `ranges[2]`."""
        if value is None:
            return
        if not isinstance(value, list):
            raise self.error(path, "expected a list")
        for index, entry in enumerate(value):
            yield f"{path}[{index}]", self.mapping(entry, f"{path}[{index}]")

    def mapping(self, value: object, path: str) -> dict[Any, Any]:
        if value is None:
            return {}
        if not isinstance(value, dict):
            raise self.error(path, "expected a mapping")
        return value

    def choice(self, value: object, allowed: Iterable[str], path: str) -> str:
        allowed = tuple(allowed)
        if value not in allowed:
            raise self.error(path, f"{value!r} is not one of {', '.join(allowed)}")
        return str(value)

    def integer(self, value: object, path: str) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.error(path, f"{value!r} is not a whole number")
        return value

    def keyed(
        self, target: dict[str, Any], phrases: Iterable[str], meaning: Any, path: str
    ) -> None:
        for phrase in phrases:
            if target.get(phrase, meaning) != meaning:
                raise self.error(path, f"{phrase!r} already means {target[phrase]!r}")
            target[phrase] = meaning

    def read(self, data: dict[str, Any]) -> DateLexicon:
        unknown = sorted(set(data) - self.KNOWN)
        if unknown:
            raise self.error(", ".join(map(str, unknown)), "unknown field")
        if "months" not in data:
            raise self.error("months", "missing")
        months: dict[str, tuple[str, int]] = {}
        for calendar, numbered in self.mapping(data["months"], "months").items():
            self.choice(calendar, CALENDARS, "months")
            for number, names in self.mapping(numbered, f"months.{calendar}").items():
                path = f"months.{calendar}.{number}"
                if not 1 <= self.integer(number, path) <= 13:
                    raise self.error(path, "month numbers run from 1 to 13")
                self.keyed(months, self.strings(names, path), (calendar, number), path)
        lists = {name: self.strings(data.get(name), name) for name in self.PHRASE_LISTS}
        for name in ("last_weekday", "weekday_alone"):
            for index, template in enumerate(lists[name]):
                if "{weekday}" not in template:
                    raise self.error(f"{name}[{index}]", "a template needs {weekday}")
        case_sensitive = data.get("case_sensitive_months", False)
        if not isinstance(case_sensitive, bool):
            raise self.error("case_sensitive_months", "expected true or false")
        orders = self.strings(data.get("date_orders", ["day_month"]), "date_orders")
        for order in orders:
            self.choice(order, DATE_ORDERS, "date_orders")
        article = self.strings(data.get("article"), "article")
        stretchers = data.get("stretchers", "")
        if not isinstance(stretchers, str):
            raise self.error("stretchers", "expected a string of characters")
        fields: dict[str, Any] = dict(
            language=self.language,
            months=months,
            letter_variants=self.strings(data.get("letter_variants"), "letter_variants"),
            article=article[0] if article else "",
            stretchers=stretchers,
            case_sensitive_months=case_sensitive,
            date_orders=orders,
            calendar_markers=self.calendar_markers(data.get("calendar_markers")),
            unmarked_years=self.unmarked_years(data.get("unmarked_years")),
            letter_numerals=self.letter_numerals(data.get("letter_numerals")),
            weekdays=self.weekdays(data.get("weekdays")),
            day_words=self.day_words(data.get("day_words"), "day_words"),
            ordinal_days=self.day_words(data.get("ordinal_days"), "ordinal_days"),
            relative=self.relative(data.get("relative")),
            direction_cues=self.direction_cues(data.get("direction_cues")),
            short_years=self.short_years(data.get("short_years")),
            **self.counted(data.get("counted")),
            ranges=self.ranges(data.get("ranges")),
            hedges=self.hedges(data.get("hedges")),
            **lists,
        )
        return DateLexicon(**fields)

    def calendar_markers(self, value: object) -> dict[str, str]:
        markers: dict[str, str] = {}
        for calendar, phrases in self.mapping(value, "calendar_markers").items():
            path = f"calendar_markers.{calendar}"
            self.choice(calendar, CALENDARS, path)
            self.keyed(markers, self.strings(phrases, path), calendar, path)
        return markers

    def unmarked_years(self, value: object) -> tuple[YearRule, ...]:
        rules = []
        for path, rule in self.entries(value, "unmarked_years"):
            rules.append(
                YearRule(
                    self.integer(rule.get("from"), f"{path}.from"),
                    self.integer(rule.get("to"), f"{path}.to"),
                    self.choice(rule.get("calendar"), CALENDARS, f"{path}.calendar"),
                )
            )
        return tuple(rules)

    def letter_numerals(self, value: object) -> LetterNumerals | None:
        if value is None:
            return None
        data = self.mapping(value, "letter_numerals")
        values = self.mapping(data.get("values"), "letter_numerals.values")
        for letter, number in values.items():
            if not isinstance(letter, str) or len(letter) != 1:
                raise self.error("letter_numerals.values", f"{letter!r} is not one letter")
            self.integer(number, f"letter_numerals.values.{letter}")
        marks = data.get("marks")
        if not values or not isinstance(marks, str) or not marks:
            raise self.error("letter_numerals", "needs values and marks")
        return LetterNumerals(
            values=dict(values),
            marks=marks,
            year_prefixes=self.strings(data.get("year_prefixes"), "letter_numerals.year_prefixes"),
            implied_thousands=self.integer(
                data.get("implied_thousands", 0), "letter_numerals.implied_thousands"
            ),
            calendar=self.choice(data.get("calendar"), CALENDARS, "letter_numerals.calendar"),
        )

    def weekdays(self, value: object) -> dict[str, int]:
        weekdays: dict[str, int] = {}
        for number, names in self.mapping(value, "weekdays").items():
            path = f"weekdays.{number}"
            if not 1 <= self.integer(number, path) <= 7:
                raise self.error(path, "weekdays are numbered 1 (Monday) to 7 (Sunday)")
            self.keyed(weekdays, self.strings(names, path), number, path)
        return weekdays

    def day_words(self, value: object, name: str) -> dict[str, int]:
        days: dict[str, int] = {}
        for word, number in self.mapping(value, name).items():
            path = f"{name}.{word}"
            if not 1 <= self.integer(number, path) <= 31:
                raise self.error(path, "a day runs from 1 to 31")
            days[str(word)] = number
        return days

    def relative(self, value: object) -> dict[str, Shift]:
        shifts: dict[str, Shift] = {}
        for path, entry in self.entries(value, "relative"):
            unit = self.choice(entry.get("unit"), UNITS, f"{path}.unit")
            offset = self.integer(entry.get("offset"), f"{path}.offset")
            precision, certainty = NAMED_SHIFT_POLICY[unit]
            if "certainty" in entry:  # "the previous day": counted from the story, not the anchor
                certainty = self.choice(entry["certainty"], CERTAINTIES, f"{path}.certainty")
            shift = Shift(unit, offset, precision, certainty)
            self.keyed(shifts, self.strings(entry.get("phrases"), f"{path}.phrases"), shift, path)
        return shifts

    def direction_cues(self, value: object) -> DirectionCues:
        directions: dict[str, int] = {}
        placed: dict[str, list[str]] = {position: [] for position in CUE_POSITIONS}
        for path, entry in self.entries(value, "direction_cues"):
            direction = self.choice(entry.get("direction"), DIRECTIONS, f"{path}.direction")
            position = self.choice(entry.get("position"), CUE_POSITIONS, f"{path}.position")
            phrases = self.strings(entry.get("phrases"), f"{path}.phrases")
            self.keyed(directions, phrases, DIRECTIONS[direction], path)
            placed[position].extend(phrases)
        return DirectionCues(directions, tuple(placed["before"]), tuple(placed["after"]))

    def short_years(self, value: object) -> ShortYears | None:
        if value is None:
            return None
        data = self.mapping(value, "short_years")
        calendars = self.strings(data.get("calendars"), "short_years.calendars")
        for calendar in calendars:
            self.choice(calendar, CALENDARS, "short_years.calendars")
        return ShortYears(calendars, self.strings(data.get("followers"), "short_years.followers"))

    def counted(self, value: object) -> dict[str, Any]:
        data = self.mapping(value, "counted")
        templates = self.strings(data.get("templates"), "counted.templates")
        for index, template in enumerate(templates):
            if "{unit}" not in template:
                raise self.error(f"counted.templates[{index}]", "a template needs {unit}")
        numbers: dict[str, int] = {}
        for word, number in self.mapping(data.get("numbers"), "counted.numbers").items():
            self.keyed(
                numbers,
                [str(word)],
                self.integer(number, f"counted.numbers.{word}"),
                "counted.numbers",
            )
        units: dict[str, tuple[str, int | None]] = {}
        for unit, forms in self.mapping(data.get("units"), "counted.units").items():
            path = f"counted.units.{unit}"
            self.choice(unit, UNITS, path)
            for form, implied in (("one", 1), ("two", 2), ("many", None)):
                words = self.strings(self.mapping(forms, path).get(form), f"{path}.{form}")
                self.keyed(units, words, (unit, implied), f"{path}.{form}")
        return {"counted_templates": templates, "numbers": numbers, "units": units}

    def ranges(self, value: object) -> tuple[RangeRule, ...]:
        rules = []
        for path, entry in self.entries(value, "ranges"):
            starts = self.strings(entry.get("start", [""]), f"{path}.start", allow_empty=True)
            joins = self.strings(entry.get("join"), f"{path}.join")
            if not starts or not joins:
                raise self.error(path, "needs start and join")
            rules.append(RangeRule(starts, joins))
        return tuple(rules)

    def hedges(self, value: object) -> dict[str, Hedge]:
        hedges: dict[str, Hedge] = {}
        for path, entry in self.entries(value, "hedges"):
            certainty = self.choice(entry.get("certainty"), CERTAINTIES[:2], f"{path}.certainty")
            position = self.choice(entry.get("position", "before"), HEDGE_POSITIONS, path)
            reach = self.integer(entry.get("reach", DEFAULT_HEDGE_REACH), f"{path}.reach")
            hedge = Hedge(certainty, position, reach)
            self.keyed(hedges, self.strings(entry.get("phrases"), f"{path}.phrases"), hedge, path)
        return hedges
