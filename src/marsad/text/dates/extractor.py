"""Finding dates in text: the public entry point."""

from __future__ import annotations

import datetime
import re
from functools import cache

from marsad.datafiles import language_lexicons
from marsad.errors import InvalidCalendarDate
from marsad.text.dates.grammar import Candidate, DateGrammar
from marsad.text.dates.lexicon import DateLexicon
from marsad.text.dates.model import PartialDate, without_overlaps
from marsad.text.dates.ranges import RangeJoiner, apply_hedges
from marsad.text.dates.resolve import match_span, resolve, resolve_durations


class DateExtractor:
    """Finds dates in text: `find_dates(text, language, anchor)`; reads a date field (a
    string known to be a timestamp): `read_field(text, language, anchor)`.

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
        grammars = self._grammars_for(language)
        if len(grammars) == 1:
            return self._find(grammars[0], text, anchor)
        found = [date for grammar in grammars for date in self._find(grammar, text, anchor)]
        return without_overlaps(found, lambda date: (date.start, date.end))

    def read_field(
        self,
        text: str,
        language: str | None,
        anchor: datetime.date | datetime.datetime | None,
    ) -> PartialDate | None:
        """The date a string known to be a timestamp means: a feed entry's or page's date
        field, a "time ago" label. There, unlike in running text, a bare length of time is
        that long before `anchor` (the capture or publication time): "يومين", "4 years",
        "1 year, 2 days" — the convention of such fields (and of dateparser). Anything else is
        read as running text; the longest date found is the field's. None when no date is
        written, or a relative one comes without an anchor."""
        grammars = self._grammars_for(language)
        for grammar in grammars:
            shifts = grammar.durations(grammar.fold(text.strip()))
            if shifts is not None:
                if anchor is None:
                    return None
                try:
                    return resolve_durations(shifts, text.strip(), anchor)
                except InvalidCalendarDate:
                    return None
        dates = self.find_dates(text, language, anchor)
        return max(dates, key=lambda date: date.end - date.start, default=None)

    def _grammars_for(self, language: str | None) -> list[DateGrammar]:
        code = (language or "").replace("_", "-").split("-")[0].lower()
        return [self.grammars[code]] if code in self.grammars else list(self.grammars.values())

    @staticmethod
    def _find(grammar: DateGrammar, text: str, anchor: datetime.date | None) -> list[PartialDate]:
        folded = grammar.fold(text)
        candidates = _without_named_weekdays(
            folded, without_overlaps(grammar.candidates(folded), match_span)
        )
        chosen = RangeJoiner(grammar).join_ranges(folded, candidates)
        apply_hedges(grammar, folded, chosen)
        return [date for candidate in chosen for date in resolve(candidate, text, anchor)]


# What may stand between a weekday and the date it names ("Tuesday, 3 March", "سه شنبه سوم").
WEEKDAY_TO_DATE = re.compile(r"[\s\u200c\u200d\u200e\u200f,،\-–]*")


def _without_named_weekdays(folded: str, candidates: list[Candidate]) -> list[Candidate]:
    """A weekday written before a date names that date's day: it is not a date of its own."""
    kept = []
    for index, candidate in enumerate(candidates):
        shift = candidate.shift
        following = candidates[index + 1] if index + 1 < len(candidates) else None
        if (
            shift is not None
            and shift.unit == "weekday"
            and shift.inclusive
            and following is not None
            and WEEKDAY_TO_DATE.fullmatch(folded, candidate.match_end, following.match_start)
        ):
            continue
        kept.append(candidate)
    return kept


@cache
def default_date_extractor() -> DateExtractor:
    return DateExtractor.from_data()
