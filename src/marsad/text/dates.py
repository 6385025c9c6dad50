"""Date expressions in text, as Marsad partial dates with offsets into the original text.

Every word comes from data/lexicons/<lang>/dates.yaml (month names per calendar, cues, markers,
relative phrases, hedges, range connectors); this module only knows the shapes dates take:
"15 January 2020", "January 15, 2020", "January 2020", "2020", "15/01/2020", "2020-01-15",
ranges ("between 3 and 5 January", "3 January – 5 February 2020"), relative phrases
("yesterday", "early last month", "three days ago", "last Tuesday") and hedges before or after
a date ("probably", "on or about"). Native digits are read as ASCII and letters of a script
fold together (أ/إ/ا, ي/ی, ك/ک) on a same-length copy of the text, so offsets stay valid.

Rules where the sources are silent:
- Values are Gregorian. A month or year of another calendar that lies within one Gregorian
  month/year gives that month/year, certain; otherwise the Gregorian month/year holding most of
  its days (دی ۱۳۹۸ → 2020-01), likely — the first day's month would often hold a third of it.
- A date without a year ("3 January", "ט"ו בשבט") takes the year that puts it closest to the
  anchor, certain; without an anchor it is skipped, like every relative expression.
- Relative phrases: day units give the day, certain; "last week" gives anchor − 7 days,
  precision day, possible; "last month" the month and "last year" the year, certain. Counted
  ones ("three weeks ago") follow the same precisions, with months and years only likely.
  "last Tuesday" is the latest Tuesday before the anchor, certain. Month parts ("early",
  "مطلع", "בתחילת") belong to the expression and do not change precision or certainty.
- A hedge lowers the certainty of the first date after it (or the last before it, for hedges
  placed after) when no more than `reach` words and no clause break stand between them.
- A bare four-digit number is a year only in 1900–2099; other years need a cue (عام, سال,
  בשנת), a calendar marker (هـ, ه.ش), a month or a month part.
"""

from __future__ import annotations

import bisect
import datetime
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from functools import cache
from typing import Any, TypeVar

from marsad.datafiles import language_lexicons
from marsad.errors import ConfigError
from marsad.text.calendars import (
    CALENDARS,
    InvalidCalendarDate,
    add_months,
    month_bounds,
    month_in_gregorian,
    shift_days,
    to_gregorian,
    year_in_gregorian,
    year_of,
)
from marsad.text.normalize import to_ascii_digits

CERTAINTIES = ("possible", "likely", "certain")  # weakest first
UNITS = ("day", "week", "month", "year")
DATE_ORDERS = ("day_month", "month_day")
HEDGE_POSITIONS = ("before", "after", "either")
DEFAULT_HEDGE_REACH = 6
BARE_YEARS = range(1900, 2100)
RANGE_CONTEXT_CHARS = 80  # how far before a date its range's first half is looked for
MAX_COUNT = 999
# (precision, certainty) by unit, for named ("last week") and counted ("two weeks ago") shifts.
NAMED_SHIFT_POLICY = {
    "day": ("day", "certain"),
    "week": ("day", "possible"),
    "month": ("month", "certain"),
    "year": ("year", "certain"),
}
COUNTED_SHIFT_POLICY = {
    "day": ("day", "certain"),
    "week": ("day", "possible"),
    "month": ("month", "likely"),
    "year": ("year", "likely"),
}

# Regex pieces shared by every language. GAP: spaces and the invisible joiners/bidi marks that
# sit between words in Persian and mixed-direction text.
GAP = r"[\s\u200c\u200d\u200e\u200f]"
SEP = rf"(?:{GAP}*[,،]{GAP}*|{GAP}+)"
OPTIONAL_SEP = rf"{GAP}*"
WORD_START = r"(?<![\w\u200c\u200d])"
WORD_END = r"(?![\w\u200c\u200d])"
DAY_START = r"(?<![\w\u200c\u200d.,/:])"  # "-" allowed: the 5 of "3-5 January"
# A number may follow a letter (و2017, ב-2014) but not another number's digits or separators.
NUMBER_START = r"(?<![0-9.,/:])(?<![0-9]-)"
NUMBER_END = r"(?![\w\u200c\u200d]|[.,/:\-][0-9]|\s*%)"
NEVER = "(?!)"
DAY_MONTH_SEP = rf"(?:{GAP}*-{GAP}*|{GAP}+)"
CLAUSE_BREAK = re.compile(r"[.,،!?؟;:\n۔]")
PLACEHOLDER = re.compile(r"(\{\w+\})")
Meaning = TypeVar("Meaning")
Spanned = TypeVar("Spanned")


@dataclass(frozen=True)
class PartialDate:
    value: str  # "2020-01-15" / "2020-01" / "2020", always Gregorian
    precision: str  # day | month | year
    certainty: str  # certain | likely | possible
    calendar: str  # gregorian | hijri | jalali | hebrew: how the text wrote it
    expression: str  # the text as written
    start: int
    end: int
    end_value: str | None = None  # the last day/month/year of a range
    anchored: bool = False  # the value depends on the anchor (relative, or no year written)


# --- the data -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Shift:
    """A date relative to the anchor: `amount` units (for unit "weekday": the ISO weekday)."""

    unit: str
    amount: int
    precision: str
    certainty: str


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
      relative          [{phrases, unit: day|week|month|year, offset}]
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
        for index, template in enumerate(lists["last_weekday"]):
            if "{weekday}" not in template:
                raise self.error(f"last_weekday[{index}]", "a template needs {weekday}")
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
            shift = Shift(unit, offset, *NAMED_SHIFT_POLICY[unit])
            self.keyed(shifts, self.strings(entry.get("phrases"), f"{path}.phrases"), shift, path)
        return shifts

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


# --- patterns -------------------------------------------------------------------------------


class _PhrasePatterns:
    """Turns a lexicon's phrases into regexes over text folded the same way: native digits to
    ASCII and letter variants to one letter (same length, so offsets hold), and characters that
    may stretch a word (harakat, tatweel) to one `stretch` character allowed after any letter."""

    def __init__(self, letter_variants: Iterable[str], stretchers: str) -> None:
        mapping = {char: group[0] for group in letter_variants for char in group[1:]}
        self.stretch = stretchers[:1]
        mapping.update({char: self.stretch for char in stretchers[1:]})
        self.table = str.maketrans(mapping)
        self.stretch_pattern = f"{re.escape(self.stretch)}*" if self.stretch else ""

    def fold(self, text: str) -> str:
        return to_ascii_digits(text).translate(self.table)

    def pattern(self, phrase: str, article: str = "") -> str:
        """Spaces match any gap, a ZWNJ an optional one, and with `article` every word may
        carry the article or not."""
        words = []
        for word in self.fold(phrase).split():
            prefix = ""
            if article:
                prefix = f"(?:{self.letters(article)})?"
                if word.startswith(article) and len(word) > len(article) + 1:
                    word = word[len(article) :]
            pieces = (self.letters(piece) for piece in word.split("\u200c"))
            words.append(prefix + f"{GAP}?".join(pieces))
        return f"{GAP}+".join(words)

    def letters(self, text: str) -> str:
        return "".join(re.escape(char) + self.stretch_pattern for char in text)

    def any_of(self, phrases: Iterable[str], article: str = "", then: str = "") -> str:
        """One group matching any of `phrases`, longest first. `then` follows each phrase that
        ends in a letter (the gap to the next word); after "-" or "'" the gap is optional."""
        patterns = []
        for phrase in sorted(set(phrases), key=len, reverse=True):
            pattern = self.pattern(phrase, article)
            if then:
                pattern += then if phrase[-1].isalnum() else OPTIONAL_SEP
            patterns.append(pattern)
        return f"(?:{'|'.join(patterns)})" if patterns else NEVER

    def key(self, text: str, article: str = "") -> str:
        """The lookup form of a matched phrase: folded, unstretched, casefolded, one space
        between words, and without the article."""
        folded = self.fold(text).replace(self.stretch, "") if self.stretch else self.fold(text)
        words = re.split(f"{GAP}+", folded.casefold().strip())
        if article:
            words = [
                w[len(article) :] if w.startswith(article) and len(w) > len(article) + 1 else w
                for w in words
            ]
        return " ".join(words)


@dataclass
class _Parts:
    """An absolute date as written, before conversion to Gregorian."""

    day: int | None
    month: int | None
    year: int | None
    calendar: str


@dataclass
class _Candidate:
    match_start: int  # the whole match, with cues and prepositions: used for overlaps, hedges
    match_end: int
    start: int  # the expression
    end: int
    parts: _Parts | None = None
    end_parts: _Parts | None = None  # ranges
    shift: Shift | None = None
    certainty: str = "certain"
    pieces: tuple[_Candidate, ...] = ()  # a range's own dates, used if the range is invalid


@dataclass(frozen=True)
class _RangePatterns:
    start_optional: bool
    is_list: bool  # "2 and 3 March": two dates, not a range
    before_day: re.Pattern[str]  # "between 3 and " before "5 January 2020"
    before_month: re.Pattern[str]  # "between January and " before "March 2020"
    between: re.Pattern[str]  # " to " in "3 January to 5 February 2020"
    start_before: re.Pattern[str]  # "from " before "3 January to 5 February 2020"


class DateGrammar:
    """One language's lexicon compiled to regexes over a folded copy of the text."""

    def __init__(self, lexicon: DateLexicon) -> None:
        self.lexicon = lexicon
        self.phrases = phrases = _PhrasePatterns(lexicon.letter_variants, lexicon.stretchers)
        self.article = article = phrases.fold(lexicon.article)
        self.months = {phrases.key(name, article): m for name, m in lexicon.months.items()}
        self.month_patterns = [
            (re.compile(phrases.pattern(name, article), re.IGNORECASE), meaning)
            for name, meaning in lexicon.months.items()
        ]
        self.markers = self._keyed(lexicon.calendar_markers)
        self.weekdays = self._keyed(lexicon.weekdays)
        self.relative = self._keyed(lexicon.relative)
        self.numbers = self._keyed(lexicon.numbers)
        self.units = self._keyed(lexicon.units)
        self.hedges = self._keyed(lexicon.hedges)
        self.day_words = self._keyed({**lexicon.day_words, **lexicon.ordinal_days})
        self._compile()

    def _keyed(self, table: dict[str, Meaning]) -> dict[str, Meaning]:
        return {self.phrases.key(phrase): meaning for phrase, meaning in table.items()}

    def _compile(self) -> None:
        lexicon, any_of = self.lexicon, self.phrases.any_of
        names = list(lexicon.months)
        if lexicon.case_sensitive_months:  # "May", "MAY" but not "may"
            names += [name.upper() for name in names]
        one_month = any_of(names, self.article)
        if lexicon.case_sensitive_months:
            one_month = f"(?-i:{one_month})"
        day_number = r"[0-9]{1,2}(?![0-9])"
        if lexicon.day_words:
            day_number += f"|{any_of(lexicon.day_words)}"
        year = r"(?P<year>[0-9]{4})"
        numerals = lexicon.letter_numerals
        if numerals:
            letters, marks = re.escape("".join(numerals.values)), re.escape(numerals.marks)
            day_number += f"|[{letters}]{{1,2}}[{marks}][{letters}]|[{letters}][{marks}]"
            year = (
                f"(?:{year}|(?:{any_of(numerals.year_prefixes)})?"
                f"(?P<letter_year>[{letters}]{{1,3}}[{marks}][{letters}]))"
            )
        # Prepositions before a day may be written onto it (ב-15, בט"ו); a digit may follow a
        # letter (و5 in "بين 3 و5"), a day in letters only a word boundary or a preposition.
        prefixes = any_of(lexicon.day_prefixes, then=OPTIONAL_SEP)
        day = (
            f"(?:{DAY_START}{prefixes}|{DAY_START}|(?<![0-9.,/:])(?=[0-9]))"
            f"(?P<day>{day_number})(?:{any_of(lexicon.day_suffixes)})?"
        )
        month_prefix = f"(?:{any_of(lexicon.month_prefixes)})?"
        self._compile_absolute(one_month, month_prefix, day, year)
        self._compile_relative()
        self._compile_ranges(one_month, month_prefix, day, f"(?:{prefixes})?")
        clitic = f"(?:{any_of(lexicon.clitic_prefixes)})?"
        self.hedge = re.compile(
            f"{WORD_START}{clitic}(?P<hedge>{any_of(lexicon.hedges)}){WORD_END}", re.IGNORECASE
        )

    def _compile_absolute(self, one_month: str, month_prefix: str, day: str, year: str) -> None:
        lexicon, any_of = self.lexicon, self.phrases.any_of
        months = f"{one_month}(?:{GAP}*/{GAP}*{one_month})?"  # "يناير/كانون الثاني"
        month = (
            f"{month_prefix}(?P<month>{months})"
            f"(?P<suffix>{OPTIONAL_SEP}{any_of(lexicon.month_suffixes)})?{WORD_END}"
        )
        marker = f"(?:{OPTIONAL_SEP}(?P<marker>{any_of(lexicon.calendar_markers)}))?"
        year_cue = any_of(lexicon.year_cues, then=SEP)
        year_tail = f"(?:{SEP}(?:{year_cue})?{year}{marker}{NUMBER_END})?"
        part = f"(?:(?P<part>{any_of(lexicon.month_parts, then=SEP)}))?"
        link = any_of(lexicon.day_month_links, then=SEP)
        month_cue = any_of(lexicon.month_cues, then=SEP)
        numeric_day, numeric_month = r"(?P<day>[0-9]{1,2})", r"(?P<month_number>[0-9]{1,2})"
        numeric_year = r"(?P<year>[0-9]{4})"
        patterns = [
            f"{day}{DAY_MONTH_SEP}(?:{link})?{month}{year_tail}",  # 15 January 2020
            f"{WORD_START}{part}(?P<cue>{month_cue})?{month}{year_tail}",  # (early) January 2020
            f"{NUMBER_START}{part}(?P<cue>{year_cue})?{year}{marker}{NUMBER_END}",  # in 2020
            rf"{NUMBER_START}{numeric_day}(?P<sep>[/.\-]){numeric_month}(?P=sep){numeric_year}"
            f"{marker}{NUMBER_END}",  # 15/01/2020
            rf"{NUMBER_START}{numeric_year}(?P<sep>[/.\-]){numeric_month}(?P=sep){numeric_day}"
            f"{marker}{NUMBER_END}",  # 2020-01-15, ۱۳۹۸/۱۰/۱۵
        ]
        if lexicon.ordinal_days:  # "الخامس من حزيران": an ordinal needs its link to the month
            ordinal = any_of(lexicon.ordinal_days)
            patterns.append(f"{DAY_START}(?P<day>{ordinal}){SEP}{link}{month}{year_tail}")
        if "month_day" in lexicon.date_orders:  # January 15, 2020
            patterns.append(f"{WORD_START}(?P<month>{months}){SEP}{day}{WORD_END}{year_tail}")
        self.absolute = [re.compile(pattern, re.IGNORECASE) for pattern in patterns]

    def _compile_relative(self) -> None:
        lexicon, any_of = self.lexicon, self.phrases.any_of
        part = f"(?:(?P<part>{any_of(lexicon.month_parts, then=SEP)}))?"
        clitic = f"(?:{any_of(lexicon.clitic_prefixes)})?"  # وأمس, ואתמול
        self.named_shift = re.compile(
            f"{WORD_START}{clitic}{part}(?P<phrase>{any_of(lexicon.relative)}){WORD_END}",
            re.IGNORECASE,
        )
        slots = {
            "count": rf"[0-9]{{1,3}}(?![0-9])|{any_of(lexicon.numbers)}",
            "unit": f"(?P<unit>{any_of(lexicon.units)})",
            "weekday": f"(?P<weekday>{any_of(lexicon.weekdays)})",
        }
        self.counted = [self._template(t, slots) for t in lexicon.counted_templates]
        self.last_weekday = [self._template(t, slots) for t in lexicon.last_weekday]

    def _compile_ranges(
        self, one_month: str, month_prefix: str, day: str, attached_prefix: str
    ) -> None:
        """What stands before a date's day (or month) to make it a range's end, or a list's."""
        lexicon, any_of = self.lexicon, self.phrases.any_of
        rules = [(rule, False) for rule in lexicon.ranges]
        if lexicon.list_joins:
            rules.append((RangeRule(("",), lexicon.list_joins), True))
        self.range_rules = []
        for rule, is_list in rules:
            optional = "" in rule.starts
            starts = any_of((s for s in rule.starts if s), then=SEP)
            start = f"(?P<start>{WORD_START}{starts}){'?' if optional else ''}"
            join = f"{OPTIONAL_SEP}{any_of(rule.joins)}{OPTIONAL_SEP}"
            month = f"{month_prefix}(?P<month>{one_month})"
            self.range_rules.append(
                _RangePatterns(
                    start_optional=optional,
                    is_list=is_list,
                    before_day=re.compile(f"{start}{day}{join}{attached_prefix}$", re.IGNORECASE),
                    before_month=re.compile(f"{start}{month}{join}$", re.IGNORECASE),
                    between=re.compile(f"{join}{attached_prefix}", re.IGNORECASE),
                    start_before=re.compile(f"{start}{attached_prefix}$", re.IGNORECASE),
                )
            )

    def _template(self, template: str, slots: dict[str, str]) -> re.Pattern[str]:
        tokens = template.split()
        pieces = []
        for index, token in enumerate(tokens):
            last = index == len(tokens) - 1
            if token == "{count}" and not last:  # the count may be left out: "a week ago"
                pieces.append(f"(?:(?P<count>{slots['count']}){SEP})?")
                continue
            pattern = ""
            for piece in PLACEHOLDER.split(token):
                if PLACEHOLDER.fullmatch(piece):
                    name = piece[1:-1]
                    if name not in slots:
                        raise ConfigError(
                            f"lexicons/{self.lexicon.language}/dates.yaml: unknown placeholder "
                            f"{piece} in {template!r}"
                        )
                    pattern += f"(?P<{name}>{slots[name]})" if name == "count" else slots[name]
                elif piece:
                    pattern += self.phrases.pattern(piece)
            pieces.append(pattern if last else pattern + SEP)
        return re.compile(f"{WORD_START}{''.join(pieces)}{WORD_END}", re.IGNORECASE)

    def fold(self, text: str) -> str:
        return self.phrases.fold(text)

    def key(self, text: str) -> str:
        return self.phrases.key(text)

    def month_meaning(self, text: str) -> tuple[str, int] | None:
        if "/" in text:  # "يناير/كانون الثاني": both names must mean the same month
            meanings = {self.month_meaning(name) for name in text.split("/")}
            return meanings.pop() if len(meanings) == 1 else None
        meaning = self.months.get(self.phrases.key(text, self.article))
        if meaning is None:  # written with a gap the key does not collapse (ربیعالاول)
            for pattern, candidate in self.month_patterns:
                if pattern.fullmatch(text):
                    return candidate
        return meaning

    # --- reading matches --------------------------------------------------------------------

    def candidates(self, folded: str) -> Iterator[_Candidate]:
        for pattern in self.absolute:
            for match in pattern.finditer(folded):
                parts = self._parts(match)
                if parts is not None:
                    yield self._candidate(match, parts=parts)
        for match in self.named_shift.finditer(folded):
            shift = self.relative.get(self.key(match["phrase"]))
            if shift is not None:
                yield self._candidate(match, shift=shift)
        for pattern in self.counted:
            for match in pattern.finditer(folded):
                counted = self._counted_shift(match)
                if counted is not None:
                    yield self._candidate(match, shift=counted)
        for pattern in self.last_weekday:
            for match in pattern.finditer(folded):
                weekday = self.weekdays.get(self.key(match["weekday"]))
                if weekday is not None:
                    yield self._candidate(match, shift=Shift("weekday", weekday, "day", "certain"))

    @staticmethod
    def _candidate(
        match: re.Match[str], parts: _Parts | None = None, shift: Shift | None = None
    ) -> _Candidate:
        # The expression leaves out cues and prepositions before the date (in, عام, ב-).
        groups = match.groupdict()
        core = [
            match.start(name)
            for name in ("part", "day", "month", "year", "letter_year", "phrase")
            if groups.get(name)
        ]
        start = min(core) if core else match.start()
        return _Candidate(match.start(), match.end(), start, match.end(), parts=parts, shift=shift)

    def _parts(self, match: re.Match[str]) -> _Parts | None:
        groups = match.groupdict()
        calendar: str | None = None
        month: int | None = None
        if groups.get("month"):
            meaning = self.month_meaning(groups["month"])
            if meaning is None:
                return None
            calendar, month = meaning
        elif groups.get("month_number"):
            month = int(groups["month_number"])
        if groups.get("marker"):
            marked = self.markers.get(self.key(groups["marker"]))
            if calendar is not None and marked != calendar:
                return None  # "كانون الثاني 1441 هـ": a month and a marker that disagree
            calendar = marked
        year: int | None = None
        numerals = self.lexicon.letter_numerals
        if groups.get("year"):
            year = int(groups["year"])
        elif groups.get("letter_year") and numerals:
            year = numerals.year(groups["letter_year"])
            if calendar not in (None, numerals.calendar):
                return None
            calendar = numerals.calendar
        day: int | None = None
        if groups.get("day"):
            day = self._day_value(groups["day"])
            if not 1 <= day <= 31:
                return None
        announced = groups.get("cue") or groups.get("part")
        if month is None and day is None:  # a year alone
            if year is None or not (announced or groups.get("marker") or year in BARE_YEARS):
                return None
        elif year is None and day is None and not (announced or groups.get("suffix")):
            return None  # a month alone needs a cue: "شهر رمضان", "in May", "تیرماه"
        if calendar is None and year is not None:
            calendar = next(
                (r.calendar for r in self.lexicon.unmarked_years if r.first <= year <= r.last),
                None,
            )
        return _Parts(day, month, year, calendar or "gregorian")

    def _day_value(self, written: str) -> int:
        if written.isdigit():
            return int(written)
        if self.key(written) in self.day_words:
            return self.day_words[self.key(written)]
        numerals = self.lexicon.letter_numerals
        return numerals.value(written) if numerals else 0

    def _counted_shift(self, match: re.Match[str]) -> Shift | None:
        unit, count = self.units.get(self.key(match["unit"]), ("", None))
        written = match.groupdict().get("count")
        if written:
            count = int(written) if written.isdigit() else self.numbers.get(self.key(written))
        if not unit or count is None or not 0 < count <= MAX_COUNT:
            return None
        return Shift(unit, -count, *COUNTED_SHIFT_POLICY[unit])

    # --- ranges and hedges ------------------------------------------------------------------

    def join_ranges(self, folded: str, chosen: list[_Candidate]) -> list[_Candidate]:
        """Merge "from 3 January to 5 February", "between 3 and 5 January" into ranges, and
        give "2" in "2 and 3 March" a date of its own."""
        joined: list[_Candidate] = []
        index = 0
        while index < len(chosen):
            current = chosen[index]
            limit = joined[-1].match_end if joined else 0
            following = chosen[index + 1] if index + 1 < len(chosen) else None
            pair = self._range_of_pair(folded, current, following, limit) if following else None
            if pair is not None:
                joined.append(pair)
                index += 2
                continue
            joined.extend(self._range_before(folded, current, limit))
            index += 1
        return joined

    def _range_of_pair(
        self, folded: str, first: _Candidate, last: _Candidate, limit: int
    ) -> _Candidate | None:
        """ "3 January – 5 February 2020", "between 2014 and 2016": two dates of one precision
        with a join between them (and the rule's start word before them)."""
        if first.parts is None or last.parts is None:
            return None
        if (first.parts.day is None) != (last.parts.day is None):
            return None
        if (first.parts.month is None) != (last.parts.month is None):
            return None
        gap = folded[first.match_end : last.match_start]
        for rule in self.range_rules:
            if not rule.between.fullmatch(gap):
                continue
            if rule.is_list:  # "2 May and 3 May 2020": separate dates, the year shared
                if first.parts.year is None and first.parts.calendar == last.parts.calendar:
                    first.parts.year = last.parts.year
                return None
            start = self._range_start(folded, rule, first, limit)
            if start is None:
                continue
            return _Candidate(
                min(start, first.match_start),
                last.match_end,
                start,
                last.end,
                parts=replace(first.parts),
                end_parts=last.parts,
                pieces=(first, last),
            )
        return None

    @staticmethod
    def _range_start(
        folded: str, rule: _RangePatterns, first: _Candidate, limit: int
    ) -> int | None:
        """Where a range starting with `first` begins: at the rule's start word before it
        (before its cue, "بين عامي 2014", or its day prefix, "מ-28"), else at `first`."""
        for end in (first.match_start, first.start):
            offset = max(limit, end - RANGE_CONTEXT_CHARS)
            before = rule.start_before.search(folded[offset:end])
            if before is not None and before["start"]:
                return offset + before.start()
        return first.start if rule.start_optional else None

    def _range_before(self, folded: str, last: _Candidate, limit: int) -> list[_Candidate]:
        """ "between 3 and 5 January", "من 3 إلى 5 شباط", "between January and March 2020":
        the first half is a bare day (or month) taking the rest from `last`."""
        parts = last.parts
        if parts is None or parts.month is None:
            return [last]
        offset = max(limit, last.start - RANGE_CONTEXT_CHARS)
        context = folded[offset : last.start]
        for rule in self.range_rules:
            if parts.day is not None:
                match = rule.before_day.search(context)
                if match is None:
                    continue
                day = self._day_value(match["day"])
                first = _Parts(day, parts.month, parts.year, parts.calendar)
            else:
                match = rule.before_month.search(context)
                meaning = self.month_meaning(match["month"]) if match else None
                if match is None or meaning is None or meaning[0] != parts.calendar:
                    continue
                first = _Parts(None, meaning[1], parts.year, parts.calendar)
            start = offset + match.start()
            if rule.is_list:
                day_start, day_end = offset + match.start("day"), offset + match.end("day")
                if parts.day is None:
                    day_start, day_end = offset + match.start("month"), offset + match.end("month")
                alone = _Candidate(day_start, day_end, day_start, day_end, parts=first)
                return [alone, last]
            return [
                _Candidate(
                    start,
                    last.match_end,
                    start,
                    last.end,
                    parts=first,
                    end_parts=parts,
                    pieces=(last,),
                )
            ]
        return [last]

    def apply_hedges(self, folded: str, chosen: list[_Candidate]) -> None:
        """Lower the certainty of dates that a hedge ("probably", "على الأرجح") qualifies."""
        if not chosen or not self.lexicon.hedges:
            return
        starts = [candidate.match_start for candidate in chosen]
        for match in self.hedge.finditer(folded):
            hedge = self.hedges.get(self.key(match["hedge"]))
            if hedge is None:
                continue
            index = bisect.bisect_right(starts, match.start()) - 1
            if index >= 0 and chosen[index].match_end >= match.end():
                continue  # the hedge's words are inside a date
            targets = []
            if hedge.position != "after" and index + 1 < len(chosen):
                following = chosen[index + 1]
                targets.append((following, folded[match.end() : following.match_start]))
            if (
                hedge.position != "before"
                and index >= 0
                and chosen[index].match_end <= match.start()
            ):
                preceding = chosen[index]
                targets.append((preceding, folded[preceding.match_end : match.start()]))
            for target, gap in targets:
                if not CLAUSE_BREAK.search(gap) and len(gap.split()) <= hedge.reach:
                    target.certainty = _weaker(target.certainty, hedge.certainty)


def _weaker(first: str, second: str) -> str:
    return min(first, second, key=CERTAINTIES.index)


# --- resolution -----------------------------------------------------------------------------


def _iso_day(day: datetime.date) -> str:
    return f"{day.year:04d}-{day.month:02d}-{day.day:02d}"


def _closest_year(parts: _Parts, calendar: str, anchor: datetime.date) -> int | None:
    """The year that puts a day or month written without one nearest to the anchor."""
    assert parts.month is not None
    base = year_of(calendar, anchor)
    best: tuple[int, int] | None = None
    for year in (base - 1, base, base + 1):
        try:
            if parts.day is not None:
                first = last = to_gregorian(calendar, year, parts.month, parts.day)
            else:
                first, last = month_bounds(calendar, year, parts.month)
        except InvalidCalendarDate:
            continue
        distance = (
            0
            if first <= anchor <= last
            else min(abs((first - anchor).days), abs((last - anchor).days))
        )
        if best is None or distance < best[0]:
            best = (distance, year)
    return best[1] if best else None


def _resolve_parts(parts: _Parts, anchor: datetime.date | None) -> tuple[str, str, str]:
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
    if shift.unit == "day":
        return _iso_day(shift_days(anchor, shift.amount))
    if shift.unit == "week":
        return _iso_day(shift_days(anchor, 7 * shift.amount))
    if shift.unit == "weekday":  # the latest such weekday before the anchor
        back = (anchor.isoweekday() - shift.amount) % 7 or 7
        return _iso_day(shift_days(anchor, -back))
    if shift.unit == "month":
        moved = add_months(anchor, shift.amount)
        return f"{moved.year:04d}-{moved.month:02d}"
    year = anchor.year + shift.amount
    if not datetime.MINYEAR <= year <= datetime.MAXYEAR:
        raise InvalidCalendarDate(f"year {year}")
    return f"{year:04d}"


def _resolve(candidate: _Candidate, text: str, anchor: datetime.date | None) -> list[PartialDate]:
    expression = text[candidate.start : candidate.end]
    try:
        if candidate.shift is not None:
            if anchor is None:
                return []
            value = _resolve_shift(candidate.shift, anchor)
            certainty = _weaker(candidate.certainty, candidate.shift.certainty)
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
                    _weaker(candidate.certainty, certainty),
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
            return [date for piece in candidate.pieces for date in _resolve(piece, text, anchor)]
        return []


def _resolve_range(
    candidate: _Candidate, expression: str, anchor: datetime.date | None
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
        _weaker(candidate.certainty, _weaker(certainty, end_certainty)),
        first.calendar,
        expression,
        candidate.start,
        candidate.end,
        end_value,
        anchored=anchored,
    )


def _without_overlaps(
    items: Iterable[Spanned], span: Callable[[Spanned], tuple[int, int]]
) -> list[Spanned]:
    """Longest first; an item overlapping one already taken is dropped. In text order."""
    taken: list[Spanned] = []
    spans: list[tuple[int, int]] = []
    for item in sorted(items, key=lambda i: (span(i)[0] - span(i)[1], span(i)[0])):
        start, end = span(item)
        index = bisect.bisect_left(spans, (start, end))
        if index > 0 and spans[index - 1][1] > start:
            continue
        if index < len(spans) and spans[index][0] < end:
            continue
        taken.insert(index, item)
        spans.insert(index, (start, end))
    return taken


def _match_span(candidate: _Candidate) -> tuple[int, int]:
    return candidate.match_start, candidate.match_end


# --- the extractor --------------------------------------------------------------------------


class DateExtractor:
    """Finds dates in text: `find_dates(text, language, anchor)`.

    `anchor` is the day the text was published; relative expressions and dates written
    without a year need it and are skipped without one. With a language that has no
    dates.yaml (or None), every language's lexicon is tried.
    """

    def __init__(self, lexicons: dict[str, DateLexicon]) -> None:
        self.grammars = {language: DateGrammar(lexicon) for language, lexicon in lexicons.items()}

    @classmethod
    def from_data(cls) -> DateExtractor:
        return cls(
            {
                language: DateLexicon.from_data(language, data)
                for language, data in language_lexicons("dates").items()
            }
        )

    def find_dates(
        self, text: str, language: str | None, anchor: datetime.date | None = None
    ) -> list[PartialDate]:
        if isinstance(anchor, datetime.datetime):
            anchor = anchor.date()
        code = (language or "").replace("_", "-").split("-")[0].lower()
        if code in self.grammars:
            return self._find(self.grammars[code], text, anchor)
        found = [
            date for grammar in self.grammars.values() for date in self._find(grammar, text, anchor)
        ]
        return _without_overlaps(found, lambda date: (date.start, date.end))

    @staticmethod
    def _find(grammar: DateGrammar, text: str, anchor: datetime.date | None) -> list[PartialDate]:
        folded = grammar.fold(text)
        candidates = _without_overlaps(grammar.candidates(folded), _match_span)
        chosen = grammar.join_ranges(folded, candidates)
        grammar.apply_hedges(folded, chosen)
        return [date for candidate in chosen for date in _resolve(candidate, text, anchor)]


@cache
def default_date_extractor() -> DateExtractor:
    return DateExtractor.from_data()
