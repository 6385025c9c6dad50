"""Reading a language's dates.yaml into a DateLexicon, field by field, with errors that name
the path of anything malformed."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from marsad.errors import ConfigError
from marsad.text.dates.calendars import CALENDARS
from marsad.text.dates.lexicon import (
    CUE_POSITIONS,
    DATE_ORDERS,
    DEFAULT_HEDGE_REACH,
    DIRECTIONS,
    HEDGE_POSITIONS,
    NAMED_SHIFT_POLICY,
    UNITS,
    DateLexicon,
    DirectionCues,
    Hedge,
    LetterNumerals,
    RangeRule,
    Shift,
    ShortYears,
    YearRule,
)
from marsad.text.dates.model import CERTAINTIES


class LexiconReader:
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
