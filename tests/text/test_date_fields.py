"""Date fields (DateExtractor.read_field): a string known to be a timestamp, where a bare length
of time means that long before the capture time, unlike running text (find_dates)."""

from __future__ import annotations

import datetime

import pytest

from marsad.text.dates import DateExtractor, default_date_extractor

CAPTURED = datetime.datetime(2024, 3, 1, 9, 30)


@pytest.fixture(scope="module")
def extractor() -> DateExtractor:
    return default_date_extractor()


@pytest.mark.parametrize(
    ("written", "language", "value", "precision", "certainty"),
    [
        ("يومين", "ar", "2024-02-28", "day", "certain"),
        ("3 أيام", "ar", "2024-02-27", "day", "certain"),
        ("3 سنوات", "ar", "2021", "year", "likely"),
        ("שבועיים", "he", "2024-02-16", "day", "possible"),
        ("5 روز", "fa", "2024-02-25", "day", "certain"),
        ("2 دن", "ur", "2024-02-28", "day", "certain"),
        ("2 days", "en", "2024-02-28", "day", "certain"),
        ("2 months", None, "2024-01", "month", "likely"),  # no language: every lexicon tried
    ],
)
def test_a_bare_duration_in_a_date_field_is_that_long_ago(
    extractor: DateExtractor,
    written: str,
    language: str | None,
    value: str,
    precision: str,
    certainty: str,
) -> None:
    date = extractor.read_field(written, language, CAPTURED)
    assert date is not None
    assert (date.value, date.precision, date.certainty) == (value, precision, certainty)
    assert date.anchored
    # In running text the same words are a length of time, not a date.
    assert extractor.find_dates(written, language, CAPTURED.date()) == []


def test_hours_count_back_from_the_capture_time_of_day(extractor: DateExtractor) -> None:
    date = extractor.read_field("11 ساعات", "ar", CAPTURED)  # 09:30 − 11 h: the day before
    assert date is not None
    assert (date.value, date.precision, date.certainty) == ("2024-02-29", "day", "likely")
    on_a_bare_day = extractor.read_field("11 ساعات", "ar", CAPTURED.date())
    assert on_a_bare_day is not None and on_a_bare_day.value == "2024-03-01"


def test_several_lengths_add_up_in_calendar_units(extractor: DateExtractor) -> None:
    # 2024-03-01 − 1 year = 2023-03-01, − 1 month = 2023-02-01, − 1 week − 2 days = 2023-01-23;
    # the finest unit (days) gives precision and certainty.
    date = extractor.read_field("1 year, 1 month, 1 week and 2 days", "en", CAPTURED)
    assert date is not None
    assert (date.value, date.precision, date.certainty) == ("2023-01-23", "day", "certain")
    minutes = extractor.read_field("1 ساعة, 40 دقيقة", "ar", CAPTURED)
    assert minutes is not None and (minutes.value, minutes.certainty) == ("2024-03-01", "likely")


def test_other_field_strings_are_read_as_running_text(extractor: DateExtractor) -> None:
    written = extractor.read_field("الأحد، 5 يناير 2020 - 10:15", "ar", CAPTURED)
    assert written is not None and (written.value, written.precision) == ("2020-01-05", "day")
    ago = extractor.read_field("منذ يومين", "ar", CAPTURED)
    assert ago is not None and ago.value == "2024-02-28"


def test_no_date_without_one_or_without_an_anchor(extractor: DateExtractor) -> None:
    assert extractor.read_field("قتل جنديين", "ar", CAPTURED) is None
    assert extractor.read_field("يومين وليلة", "ar", CAPTURED) is None  # not only durations
    assert extractor.read_field("يومين", "ar", None) is None


def test_minutes_in_running_text_are_the_anchor_day(extractor: DateExtractor) -> None:
    (date,) = extractor.find_dates("وصل الوفد قبل 20 دقيقة", "ar", CAPTURED.date())
    assert (date.value, date.precision, date.certainty) == ("2024-03-01", "day", "likely")
