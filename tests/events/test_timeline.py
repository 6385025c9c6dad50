"""Timeline helpers: dates as shown, partial dates as ranges."""

import pytest

from marsad.errors import ConfigError
from marsad.events.timeline import date_bound, shown_date
from marsad.store.models import Event


@pytest.mark.parametrize(
    ("date", "precision", "certainty", "source", "shown"),
    [
        ("2020-01-15", "day", "certain", "text", "15 Jan 2020"),
        ("2020-01", "month", "likely", "text", "Jan 2020 (likely)"),
        ("2020", "year", "possible", "published", "2020 (possible, publication date)"),
        ("2024-03", "month", "certain", "analyst", "Mar 2024 (corrected)"),
        (None, None, None, None, "undated"),
    ],
)
def test_dates_are_shown_with_precision_and_certainty(
    date: str | None, precision: str | None, certainty: str | None, source: str | None, shown: str
) -> None:
    event = Event(
        type="meet",
        date=date,
        date_precision=precision,
        date_certainty=certainty,
        date_source=source,
    )
    assert shown_date(event) == shown


def test_partial_dates_cover_their_whole_month_or_year() -> None:
    assert (date_bound("2024-02", False), date_bound("2024-02", True)) == (
        "2024-02-01",
        "2024-02-29",
    )
    assert (date_bound("2023", False), date_bound("2023", True)) == ("2023-01-01", "2023-12-31")
    assert date_bound("2023-12-05", True) == "2023-12-05"
    with pytest.raises(ConfigError):
        date_bound("5 March", False)
