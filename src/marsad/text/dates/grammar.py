"""One language's date lexicon compiled to regexes, and the dates its matches write."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator
from dataclasses import dataclass

from marsad.errors import ConfigError
from marsad.text.dates.calendars import year_of
from marsad.text.dates.lexicon import COUNTED_SHIFT_POLICY, DateLexicon, Meaning, RangeRule, Shift
from marsad.text.dates.patterns import (
    DAY_MONTH_SEP,
    DAY_START,
    GAP,
    NUMBER_END,
    NUMBER_START,
    OPTIONAL_SEP,
    PLACEHOLDER,
    SEP,
    WORD_END,
    WORD_START,
    YEAR_END,
    PhrasePatterns,
)

BARE_YEARS = range(1900, 2100)
MAX_COUNT = 999


@dataclass
class Parts:
    """An absolute date as written, before conversion to Gregorian."""

    day: int | None
    month: int | None
    year: int | None
    calendar: str
    direction: int = 0  # no year written: -1 the latest before the anchor, 1 the first after


@dataclass
class Candidate:
    match_start: int  # the whole match, with cues and prepositions: used for overlaps, hedges
    match_end: int
    start: int  # the expression
    end: int
    parts: Parts | None = None
    end_parts: Parts | None = None  # ranges
    shift: Shift | None = None
    certainty: str = "certain"
    pieces: tuple[Candidate, ...] = ()  # a range's own dates, used if the range is invalid


@dataclass(frozen=True)
class RangePatterns:
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
        self.phrases = phrases = PhrasePatterns(lexicon.letter_variants, lexicon.stretchers)
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
        self.directions = self._keyed(lexicon.direction_cues.directions)
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
        marker = f"(?:{OPTIONAL_SEP}(?P<marker>{any_of(lexicon.calendar_markers)}){WORD_END})?"
        year_cue = any_of(lexicon.year_cues, then=SEP)
        # After a month, a year may be glued to the next word (۱۳۸۷ساعت) or be two digits.
        month_year = year
        short = lexicon.short_years
        if short is not None:
            followers = any_of(short.followers)
            month_year = (
                f"(?:{year}|(?P<short_year>[0-9]{{2}})"
                rf"(?={GAP}*(?:$|[^\w\s\u200c\u200d]|{followers})))"
            )
        year_tail = f"(?:{SEP}(?:{year_cue})?{month_year}{marker}{YEAR_END})?"
        cues = lexicon.direction_cues
        cue_before = f"(?:(?P<cue_before>{any_of(cues.before)}){SEP})?"
        year_or_cue = f"(?:{SEP}(?P<cue_after>{any_of(cues.after)}){WORD_END}|{year_tail})"
        part = f"(?:(?P<part>{any_of(lexicon.month_parts, then=SEP)}))?"
        link = any_of(lexicon.day_month_links, then=SEP)
        month_cue = any_of(lexicon.month_cues, then=SEP)
        numeric_day, numeric_month = r"(?P<day>[0-9]{1,2})", r"(?P<month_number>[0-9]{1,2})"
        numeric_year = r"(?P<year>[0-9]{4})"
        patterns = [
            f"{day}{DAY_MONTH_SEP}(?:{link})?{month}{year_or_cue}",  # 15 January 2020
            # (early) January 2020, last March, مارس الماضي
            f"{WORD_START}{cue_before}{part}(?P<cue>{month_cue})?{month}{year_or_cue}",
            f"{NUMBER_START}{part}(?P<cue>{year_cue})?{year}{marker}{NUMBER_END}",  # in 2020
            rf"{NUMBER_START}{numeric_day}(?P<sep>[/.\-]){numeric_month}(?P=sep){numeric_year}"
            f"{marker}{NUMBER_END}",  # 15/01/2020
            rf"{NUMBER_START}{numeric_year}(?P<sep>[/.\-]){numeric_month}(?P=sep){numeric_day}"
            f"{marker}{NUMBER_END}",  # 2020-01-15, ۱۳۹۸/۱۰/۱۵
        ]
        if lexicon.ordinal_days:  # "الخامس من حزيران": an ordinal needs its link to the month
            ordinal = any_of(lexicon.ordinal_days)
            patterns.append(f"{DAY_START}(?P<day>{ordinal}){SEP}{link}{month}{year_or_cue}")
        if "month_day" in lexicon.date_orders:  # January 15, 2020
            patterns.append(
                f"{WORD_START}{cue_before}(?P<month>{months}){SEP}{day}{WORD_END}{year_tail}"
            )
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
        # A length of time on its own ("يومين", "4 years"): a date only where a timestamp is
        # expected (DateExtractor.read_field), never in running text.
        self.duration = re.compile(f"(?:(?P<count>{slots['count']}){SEP})?{slots['unit']}", re.I)
        joins = any_of(lexicon.list_joins) if lexicon.list_joins else None
        self.duration_separator = re.compile(
            r"\s*[,،;]\s*" + (rf"|\s+(?:{joins})\s*" if joins else ""), re.IGNORECASE
        )
        self.last_weekday = [self._template(t, slots) for t in lexicon.last_weekday]
        self.weekday_alone = [self._template(t, slots) for t in lexicon.weekday_alone]

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
                RangePatterns(
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

    def candidates(self, folded: str) -> Iterator[Candidate]:
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
        for pattern in self.weekday_alone:
            for match in pattern.finditer(folded):
                weekday = self.weekdays.get(self.key(match["weekday"]))
                if weekday is not None:
                    shift = Shift("weekday", weekday, "day", "likely", inclusive=True)
                    yield self._candidate(match, shift=shift)

    @staticmethod
    def _candidate(
        match: re.Match[str], parts: Parts | None = None, shift: Shift | None = None
    ) -> Candidate:
        # The expression leaves out cues and prepositions before the date (in, عام, ב-).
        groups = match.groupdict()
        core = [
            match.start(name)
            for name in ("cue_before", "part", "day", "month", "year", "letter_year", "phrase")
            if groups.get(name)
        ]
        start = min(core) if core else match.start()
        return Candidate(match.start(), match.end(), start, match.end(), parts=parts, shift=shift)

    def _parts(self, match: re.Match[str]) -> Parts | None:
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
        elif groups.get("short_year"):
            short = self.lexicon.short_years
            if short is None or calendar not in short.calendars:
                return None
            year = self._expand_short_year(int(groups["short_year"]), calendar)
        elif groups.get("letter_year") and numerals:
            year = numerals.year(groups["letter_year"])
            if calendar not in (None, numerals.calendar):
                return None
            calendar = numerals.calendar
        day: int | None = None
        if groups.get("day"):
            day = self.day_value(groups["day"])
            if not 1 <= day <= 31:
                return None
        direction = 0
        cue = groups.get("cue_before") or groups.get("cue_after")
        if cue:
            direction = self.directions[self.key(cue)]
        announced = groups.get("cue") or groups.get("part") or cue
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
        return Parts(day, month, year, calendar or "gregorian", direction)

    @staticmethod
    def _expand_short_year(short: int, calendar: str) -> int:
        """The year ending in these two digits among the 100 up to ten years from now."""
        latest = year_of(calendar, datetime.date.today()) + 10
        return latest - (latest - short) % 100

    def day_value(self, written: str) -> int:
        if written.isdigit():
            return int(written)
        if self.key(written) in self.day_words:
            return self.day_words[self.key(written)]
        numerals = self.lexicon.letter_numerals
        return numerals.value(written) if numerals else 0

    def durations(self, folded: str) -> list[Shift] | None:
        """The lengths of time a string is made of ("يومين", "1 year, 2 days"), each as a
        counted shift back from the anchor; None when anything else is written in it."""
        shifts = []
        for piece in self.duration_separator.split(folded.strip()):
            match = self.duration.fullmatch(piece.strip(" .")) if piece.strip() else None
            shift = self._counted_shift(match) if match is not None else None
            if shift is None:
                return None
            shifts.append(shift)
        return shifts or None

    def _counted_shift(self, match: re.Match[str]) -> Shift | None:
        unit, count = self.units.get(self.key(match["unit"]), ("", None))
        written = match.groupdict().get("count")
        if written:
            count = int(written) if written.isdigit() else self.numbers.get(self.key(written))
        if not unit or count is None or not 0 < count <= MAX_COUNT:
            return None
        return Shift(unit, -count, *COUNTED_SHIFT_POLICY[unit])
