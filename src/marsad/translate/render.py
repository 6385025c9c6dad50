"""Dates written in the target language from their partial date (value, precision, certainty,
calendar), with the words of `data/lexicons/<target>/translate.yaml`."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from marsad.datafiles import LEXICON_DIR, load_yaml
from marsad.errors import ConfigError, TranslationBackendNotConfigured

PRECISIONS = ("day", "month", "year")
CERTAINTIES = ("certain", "likely", "possible")
CALENDARS = ("gregorian", "hijri", "jalali", "hebrew")


@dataclass(frozen=True)
class TargetLanguage:
    """What a translation into one language needs to write on its own."""

    code: str
    months: tuple[str, ...]
    precision: dict[str, str]
    certainty: dict[str, str]
    calendar: dict[str, str]
    range: str
    untranslated: str

    @classmethod
    def from_data(cls, code: str, data: Any) -> TargetLanguage:
        where = f"lexicons/{code}/translate.yaml"
        try:
            months = tuple(str(month) for month in data["months"])
            language = cls(
                code=code,
                months=months,
                precision={key: str(data["precision"][key]) for key in PRECISIONS},
                certainty={key: str(data["certainty"][key]) for key in CERTAINTIES},
                calendar={key: str(data["calendar"][key]) for key in CALENDARS},
                range=str(data["range"]),
                untranslated=str(data["untranslated"]),
            )
        except (KeyError, TypeError) as exc:
            raise ConfigError(f"{where}: missing or bad field {exc}") from None
        if len(months) != 12:
            raise ConfigError(f"{where}: months must list 12 names, found {len(months)}")
        if "{text}" not in language.untranslated:
            raise ConfigError(f"{where}: untranslated must contain {{text}}")
        return language

    def render_date(
        self,
        value: str,
        precision: str,
        certainty: str = "certain",
        calendar: str = "gregorian",
        end_value: str | None = None,
    ) -> str:
        """'2020-01-15', day → '15 January 2020'; a range → '15 January 2020 to 17 January
        2020'; hedges and other calendars as the data file words them."""
        written = self._plain(value, precision)
        if end_value:
            written = self.range.format(start=written, end=self._plain(end_value, precision))
        written = self.certainty.get(certainty, "{date}").format(date=written)
        return self.calendar.get(calendar, "{date}").format(date=written)

    def _plain(self, value: str, precision: str) -> str:
        parts = value.split("-")
        year = parts[0].lstrip("0") or "0"
        if precision not in ("day", "month") or len(parts) < 2:
            return self.precision["year"].format(year=year)
        month = self.months[int(parts[1]) - 1]
        if precision == "month" or len(parts) < 3:
            return self.precision["month"].format(month=month, year=year)
        return self.precision["day"].format(day=int(parts[2]), month=month, year=year)

    def mark_untranslated(self, text: str) -> str:
        return self.untranslated.format(text=text)


@cache
def target_language(code: str) -> TargetLanguage:
    path = LEXICON_DIR / code / "translate.yaml"
    if not path.exists():
        raise TranslationBackendNotConfigured(
            f"no target-language data for {code!r} (expected {path}); "
            "translations can be made into: "
            + ", ".join(sorted(p.parent.name for p in LEXICON_DIR.glob("*/translate.yaml")))
        )
    return TargetLanguage.from_data(code, load_yaml(path))
