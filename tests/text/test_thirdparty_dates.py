"""Score gates for dates on third-party strings: dateparser's Persian, Arabic and Hebrew test
cases and hijridate's Hijri tables (rows as tests/text/thirdparty.py builds them).

A case is right when Marsad finds exactly one date with the expected value and precision, in
running text (find_dates) and read as a date field (read_field: a feed entry's date string).
Each row must reach its threshold: dateparser's score on the same row (bench/bench_dates.py),
or where Marsad is below it, the level it reaches, the gap written beside it. Skips when
../shared/eval is absent.
"""

from collections.abc import Callable
from functools import cache

import pytest

from marsad.text.dates import DateExtractor
from tests.text import thirdparty

pytestmark = pytest.mark.skipif(not thirdparty.available(), reason=thirdparty.MISSING_REASON)

# Row: (threshold, dateparser on the development half), for the running-text reader.
THRESHOLDS: dict[str, tuple[float, float]] = {
    "Persian day words (سوم شهریور)": (1.000, 1.000),
    "Jalali date strings": (1.000, 1.000),
    # Short of dateparser.parse by 3 of 17 on purpose: bare durations ("يومين", "4 عام", a list
    # of them) are date strings there; in running text they are lengths of time, not dates.
    # Read as date fields (below) they are "ago", as dateparser reads them.
    "relative dates (ar, he)": (14 / 17, 17 / 17),
    "Hijri tables (hijridate)": (1.000, 1.000),
}
# The same rows read as date fields (DateExtractor.read_field, what feeds use).
FIELD_THRESHOLDS: dict[str, tuple[float, float]] = {
    name: (1.000, baseline) for name, (_threshold, baseline) in THRESHOLDS.items()
}


@cache
def extractor() -> DateExtractor:
    return DateExtractor.from_data()


@pytest.mark.parametrize(
    ("name", "answer", "thresholds"),
    [(name, thirdparty.marsad_answer, THRESHOLDS) for name in sorted(THRESHOLDS)]
    + [(name, thirdparty.marsad_field_answer, FIELD_THRESHOLDS) for name in sorted(THRESHOLDS)],
)
def test_row_reaches_its_threshold(
    name: str,
    answer: Callable[[DateExtractor, thirdparty.DateCase], thirdparty.DateAnswer],
    thresholds: dict[str, tuple[float, float]],
) -> None:
    cases = thirdparty.DATE_ROWS[name]()
    answers = [answer(extractor(), case) for case in cases]
    right = sum(answer.right for answer in answers)
    threshold, baseline = thresholds[name]
    misses = [
        f"{case.text} expected {thirdparty.expected_value(case)} got {answer.found}"
        for case, answer in zip(cases, answers, strict=True)
        if not answer.right
    ]
    assert right / len(cases) >= threshold - 1e-9, (
        f"{name}: {right}/{len(cases)} below {threshold:.3f} (dateparser {baseline:.3f})\n"
        + "\n".join(misses[:15])
    )


def test_absolute_dates_are_certain_days() -> None:
    for read in (thirdparty.jalali_string_cases, thirdparty.day_word_cases):
        for case in read():
            answer = thirdparty.marsad_answer(extractor(), case)
            assert answer.certain, (case.text, answer.found)


def test_relative_hours_are_likely_days_of_the_anchor() -> None:
    hours = [case for case in thirdparty.relative_cases() if case.certainty == "likely"]
    assert hours, "no relative expression in hours among the cases"
    for case in hours:
        if len(case.text.split(",")) > 1:
            continue  # a list of durations, not a date
        answer = thirdparty.marsad_answer(extractor(), case)
        assert answer.certain, (case.text, answer.found)
