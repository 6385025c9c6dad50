"""Dates are written in the target language from their partial date, with its precision,
certainty, calendar and range."""

import pytest

from marsad.errors import ConfigError, TranslationBackendNotConfigured
from marsad.translate.render import TargetLanguage, target_language


@pytest.mark.parametrize(
    ("value", "precision", "expected"),
    [
        ("2020-01-15", "day", "15 January 2020"),
        ("2020-01", "month", "January 2020"),
        ("2020", "year", "2020"),
        ("2020-12-01", "month", "December 2020"),  # precision wins over the value's length
        ("0632-06-08", "day", "8 June 632"),
    ],
)
def test_partial_dates_are_written_at_their_precision(
    value: str, precision: str, expected: str
) -> None:
    assert target_language("en").render_date(value, precision) == expected


def test_certainty_calendar_and_range_are_kept() -> None:
    english = target_language("en")
    assert english.render_date("2020-01", "month", "likely") == "probably January 2020"
    assert english.render_date("2020", "year", "possible") == "possibly 2020"
    assert (
        english.render_date("2020-01-10", "day", "certain", "hijri")
        == "10 January 2020 (Hijri date)"
    )
    assert (
        english.render_date("2020-01-15", "day", "certain", "gregorian", "2020-01-17")
        == "15 January 2020 to 17 January 2020"
    )


def test_a_target_language_without_data_is_refused_with_the_known_ones() -> None:
    with pytest.raises(TranslationBackendNotConfigured, match="into: en"):
        target_language("xx")


def test_a_malformed_target_file_names_the_problem() -> None:
    data = {
        "months": ["January"],
        "precision": {"day": "", "month": "", "year": ""},
        "certainty": {"certain": "", "likely": "", "possible": ""},
        "calendar": {"gregorian": "", "hijri": "", "jalali": "", "hebrew": ""},
        "range": "",
        "untranslated": "<{text}>",
    }
    with pytest.raises(ConfigError, match="12 names"):
        TargetLanguage.from_data("en", data)
    with pytest.raises(ConfigError, match="missing or bad field"):
        TargetLanguage.from_data("en", {"months": []})
