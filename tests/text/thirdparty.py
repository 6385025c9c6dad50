"""Readers for the third-party language-ID and date sets in ../shared/eval (development half).

The bench (bench/bench_langid.py, bench/bench_dates.py) and the score gates
(tests/text/test_thirdparty_langid.py, tests/text/test_thirdparty_dates.py) read the same rows
through these functions, so a figure in the bench is the figure the gate asserts. The text
stays in ../shared/eval: nothing here copies it.

Language ID rows:
  lingua    lingua-py's test sets, one line per item, for ar fa ur he en fr at three lengths
            (sentences, single-words, word-pairs); the answer must be the file's language
  ku_ps     KurdishLID lines (Arabic script) and UD Pashto sentences; Central, Northern
            (Kurmanji) and Southern Kurdish count as right when answered as any Kurdish
            label (ckb, kmr, ku, sdh); Gorani is reported but not scored as Kurdish
Date rows (from dateparser's and hijridate's tests):
  jalali_strings   Persian date strings with the Gregorian day they mean (test_get_date)
  day_words        Persian day numbers in words (سوم, سی و یکم) written before a month and
                   year, "{word} شهریور ۱۳۹۴"; the day must be the word's number
  relative         Arabic and Hebrew relative expressions (أمس, منذ ساعتين, לפני יומיים)
                   with the days back from the publication time they mean
  hijri_tables     Umm al-Qura month starts and newspaper datelines, written "D MONTH YYYY هـ"
"""

from __future__ import annotations

import datetime
import json
import re
from dataclasses import dataclass
from pathlib import Path

from dateutil.relativedelta import relativedelta

from marsad.text.dates import DateExtractor
from tests.events.gold.events_generate import HIJRI_MONTHS

EVAL = Path(__file__).resolve().parents[3] / "shared" / "eval"
LANGID_LINGUA = EVAL / "langid_lingua"
LANGID_KU_PS = EVAL / "langid_ku_ps"
DATES = EVAL / "dates_hijri_jalali"
MISSING_REASON = "../shared/eval (third-party evaluation data) is not on this machine"

LINGUA_LANGUAGES = ("ar", "fa", "ur", "he", "en", "fr")
LINGUA_LENGTHS = ("sentences", "word-pairs", "single-words")
KURDISH_LABELS = frozenset({"ckb", "kmr", "ku", "sdh"})
KU_PS_FILES = {
    "kurdishlid_CentralKurdish-arab.txt": "Central Kurdish",
    "kurdishlid_NorthernKurdish-arab.txt": "Kurmanji (Arabic script)",
    "kurdishlid_SouthernKurdish-arab.txt": "Southern Kurdish",
    "kurdishlid_Gorani-arab.txt": "Gorani",
    "kurdishlid_Arabic-arab.txt": "Arabic",
    "kurdishlid_Persian-arab.txt": "Persian",
    "ud_pashto_sikaram_text.txt": "Pashto",
}
KU_PS_RIGHT: dict[str, frozenset[str]] = {
    "Central Kurdish": KURDISH_LABELS,
    "Kurmanji (Arabic script)": KURDISH_LABELS,
    "Southern Kurdish": KURDISH_LABELS,
    "Gorani": frozenset({"hac"}),
    "Arabic": frozenset({"ar"}),
    "Persian": frozenset({"fa"}),
    "Pashto": frozenset({"ps"}),
}


def available() -> bool:
    return LANGID_LINGUA.is_dir() and LANGID_KU_PS.is_dir() and DATES.is_dir()


@dataclass(frozen=True)
class LangidRow:
    """One row of the language-ID table: texts whose answer must be in `right`."""

    name: str
    texts: tuple[str, ...]
    right: frozenset[str]


def _lines(path: Path) -> tuple[str, ...]:
    lines = path.read_text(encoding="utf-8").split("\n")  # not splitlines: U+2028 is text
    return tuple(line.strip() for line in lines if line.strip())


def lingua_rows() -> list[LangidRow]:
    return [
        LangidRow(f"{language} {length}", _lines(LANGID_LINGUA / length / f"{language}.txt"), r)
        for length in LINGUA_LENGTHS
        for language in LINGUA_LANGUAGES
        for r in [frozenset({language})]
    ]


def ku_ps_rows() -> list[LangidRow]:
    return [
        LangidRow(name, _lines(LANGID_KU_PS / file), KU_PS_RIGHT[name])
        for file, name in KU_PS_FILES.items()
    ]


@dataclass(frozen=True)
class DateCase:
    """A date string, its language, and the Gregorian day it means.

    `anchor` is the publication time relative expressions count from; `precision` is the
    precision Marsad should answer with (a relative expression in hours is a day).
    """

    text: str
    language: str
    expected: datetime.date
    anchor: datetime.datetime | None = None
    precision: str = "day"
    certainty: str = "certain"  # hours: likely (the anchor is a day, not a time of day)
    calendar: str = "gregorian"  # as written: dateparser reads jalali and hijri separately


# Publication time for relative expressions: midday, so "two hours ago" stays on the same day.
RELATIVE_ANCHOR = datetime.datetime(2015, 6, 17, 12, 0)
DAY_WORD_MONTH = "شهریور ۱۳۹۴"  # Shahrivar has 31 days: every day word fits
SHAHRIVAR_1394 = datetime.date(2015, 8, 23)  # its first day
# English glosses dateparser's tests give for relative expressions: "2 day", "1 day ago 3".
GLOSS = re.compile(r"(\d+) (day|week|hour|year)")


def _cases() -> list[dict[str, object]]:
    data = json.loads((DATES / "dateparser_rtl_cases.json").read_text(encoding="utf-8"))
    cases: list[dict[str, object]] = data["cases"]
    return cases


def jalali_string_cases() -> list[DateCase]:
    return [
        DateCase(
            str(kwargs["date_string"]),
            "fa",
            datetime.datetime.fromisoformat(str(kwargs["dt"])).date(),
            calendar="jalali",
        )
        for case in _cases()
        if case["test"] == "test_get_date"
        for kwargs in [case["kwargs"]]
        if isinstance(kwargs, dict)
    ]


def day_word_cases() -> list[DateCase]:
    """Day words before a Jalali month; "صفر" (zero) and "بیست ثانیه" (twenty seconds, a
    time) are not days and are left out."""
    cases = []
    for case in _cases():
        kwargs = case["kwargs"]
        if case["test"] != "test_replace_day_literal_with_numerals" or not isinstance(kwargs, dict):
            continue
        word, number = str(kwargs["persian"]), int(str(kwargs["numeral"]))
        if not 1 <= number <= 31 or "ثانیه" in word:
            continue
        day = SHAHRIVAR_1394 + datetime.timedelta(days=number - 1)
        cases.append(DateCase(f"{word} {DAY_WORD_MONTH}", "fa", day, calendar="jalali"))
    return cases


def relative_cases() -> list[DateCase]:
    """Relative expressions; the expected day is the anchor minus the gloss's duration. Years
    alone are scored at year precision, everything else at day precision."""
    seen: set[str] = set()
    cases = []
    for case in _cases():
        args = case["args"]
        if not isinstance(args, list):
            continue
        if case["test"] == "test_freshness_translation":
            language, text, gloss = (str(arg) for arg in args)
        elif case["test"] == "test_relative_past_dates":
            language, text = "ar", str(args[0])
            kwargs = case["kwargs"]
            assert isinstance(kwargs, dict)
            ago = kwargs["ago"]
            assert isinstance(ago, dict)
            gloss = " ".join(f"{count} {unit.rstrip('s')}" for unit, count in ago.items())
        else:
            continue
        if text in seen:
            continue
        seen.add(text)
        precision = "day"
        certainty = "likely" if "hour" in gloss else "certain"
        # Calendar arithmetic, as dateparser's own tests compute "ago" (relativedelta): a year
        # back is the same day a year earlier, not 365 days.
        units = [*GLOSS.findall(gloss), *re.findall(r"(\d+) (month|minute)", gloss)]
        back = {f"{unit}s": int(count) for count, unit in units}
        moment = RELATIVE_ANCHOR - relativedelta(**back)  # type: ignore[arg-type]
        if list(back) == ["years"]:
            precision = "year"
        cases.append(DateCase(text, language, moment.date(), RELATIVE_ANCHOR, precision, certainty))
    return cases


def hijri_table_cases() -> list[DateCase]:
    """Every Hijri↔Gregorian pair of hijridate's tables, written "D MONTH YYYY هـ"."""
    cases = []
    for name in (
        "hijridate_ummalqura_calendar_website.json",
        "hijridate_ummalqura_newspaper_issues.json",
        "hijridate_kfupm_comparison_calendar.json",
    ):
        for row in json.loads((DATES / name).read_text(encoding="utf-8")):
            (year, month, day), gregorian = row[0]
            text = f"{day} {HIJRI_MONTHS[month - 1]} {year} هـ"
            cases.append(DateCase(text, "ar", datetime.date(*gregorian), calendar="hijri"))
    return cases


def expected_value(case: DateCase) -> str:
    """The expected ISO value cut to the case's precision."""
    return case.expected.isoformat()[: {"day": 10, "month": 7, "year": 4}[case.precision]]


@dataclass(frozen=True)
class DateAnswer:
    right: bool  # exactly one date, with the expected value and precision
    certain: bool  # ... and the case's certainty (relative expressions in hours: likely)
    found: tuple[str, ...]


def marsad_answer(extractor: DateExtractor, case: DateCase) -> DateAnswer:
    dates = extractor.find_dates(case.text, case.language, case.anchor)
    found = tuple(f"{d.value}/{d.precision}/{d.certainty}" for d in dates)
    right = (
        len(dates) == 1
        and dates[0].value == expected_value(case)
        and dates[0].precision == case.precision
    )
    return DateAnswer(right, right and dates[0].certainty == case.certainty, found)


def marsad_field_answer(extractor: DateExtractor, case: DateCase) -> DateAnswer:
    """The case read as a date field (DateExtractor.read_field), anchored on the publication
    time: how collectors read a feed entry's date string."""
    date = extractor.read_field(case.text, case.language, case.anchor)
    found = (f"{date.value}/{date.precision}/{date.certainty}",) if date is not None else ()
    right = (
        date is not None and date.value == expected_value(case) and date.precision == case.precision
    )
    return DateAnswer(right, right and date is not None and date.certainty == case.certainty, found)


DATE_ROWS = {
    "Persian day words (سوم شهریور)": day_word_cases,
    "Jalali date strings": jalali_string_cases,
    "relative dates (ar, he)": relative_cases,
    "Hijri tables (hijridate)": hijri_table_cases,
}
