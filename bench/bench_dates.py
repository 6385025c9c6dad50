"""Date extraction: Marsad's extractor against dateparser alone, on the dates gold set.

Every sentence of tests/text/gold/dates.yaml goes through
  baseline  dateparser.search.search_dates(text, languages=[lang],
            settings={"RELATIVE_BASE": anchor}) (no settings without an anchor)
  marsad    DateExtractor.find_dates(text, lang, anchor)
Scores, per language and overall:
  strict      (Marsad only) the set of (value, precision, certainty, calendar) found equals the
              expected set — the gate in tests/text/test_dates.py
  values      (both) as many dates found as expected, and each expected value found: a day
              equal to a found day, a month or year equal to a found date cut to that length.
              dateparser returns datetimes with no precision, certainty or source calendar, so
              those cannot be scored for it, and this measure is lenient to it.
Speed is sentences per second over the whole set (repeated --rounds times).

Third-party section (when ../shared/eval is present; rows as tests/text/thirdparty.py reads
them from dateparser's and hijridate's tests): each case is a date string with the Gregorian
day it means (relative ones with a publication time).
  text        DateExtractor.find_dates, the running-text reader: right when it finds exactly
              one date, whose value is the expected day cut to the expected precision (a day;
              a year for "4 years ago"); "+certainty" also asks for the expected certainty
              (certain; likely for hours ago). A bare duration ("يومين") is no date here.
  field       DateExtractor.read_field, the date-string reader collectors use for a feed
              entry's date field: right when its date has that value and precision (a bare
              duration there means that long ago, as in dateparser.parse)
  dateparser  dateparser.parse(text, languages=[lang], settings={"RELATIVE_BASE": anchor}),
              or its JalaliCalendar / HijriCalendar(text).get_date() for the rows written in
              those calendars: right when its day (cut the same way) is the expected one
The same figures are the score gates of tests/text/test_thirdparty_dates.py.

    .venv/bin/python bench/bench_dates.py [--rounds 3] [--no-gold]
"""

from __future__ import annotations

import argparse
import datetime
import sys
import time
import warnings
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import dateparser
import yaml
from dateparser.calendars.hijri import HijriCalendar
from dateparser.calendars.jalali import JalaliCalendar
from dateparser.search import search_dates

from marsad.text.dates import DateExtractor

sys.path.insert(0, str(Path(__file__).parents[1]))  # the third-party readers live in tests/
from tests.text import thirdparty

GOLD = Path(__file__).parents[1] / "tests" / "text" / "gold" / "dates.yaml"
Found = list[str]  # ISO values, "2020-01-15"


def load_items() -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = yaml.safe_load(GOLD.read_text(encoding="utf-8"))["items"]
    for item in items:
        anchor = item.get("anchor")
        item["anchor"] = datetime.date.fromisoformat(anchor) if anchor else None
    return items


def values_match(item: dict[str, Any], found: Found) -> bool:
    expected = [date["value"] for date in item["dates"]]
    if len(found) != len(expected):
        return False
    remaining = list(found)
    for value in expected:
        hit = next((f for f in remaining if f[: len(value)] == value), None)
        if hit is None:
            return False
        remaining.remove(hit)
    return True


def timed(run: Callable[[], list[Any]], rounds: int) -> tuple[list[Any], float]:
    began = time.perf_counter()
    for _ in range(rounds):
        results = run()
    return results, time.perf_counter() - began


def run_dateparser(items: list[dict[str, Any]]) -> list[Found]:
    results = []
    for item in items:
        settings = {}
        if item["anchor"]:
            settings["RELATIVE_BASE"] = datetime.datetime.combine(item["anchor"], datetime.time())
        hits = search_dates(item["text"], languages=[item["language"]], settings=settings) or []
        results.append([moment.date().isoformat() for _, moment in hits])
    return results


CALENDAR_PARSERS = {"jalali": JalaliCalendar, "hijri": HijriCalendar}


def dateparser_right(case: thirdparty.DateCase) -> bool:
    settings: dict[str, Any] = {}
    if case.anchor is not None:
        settings["RELATIVE_BASE"] = case.anchor
    if case.calendar in CALENDAR_PARSERS:
        data = CALENDAR_PARSERS[case.calendar](case.text).get_date()
        moment = data.date_obj if data is not None else None
    else:
        moment = dateparser.parse(case.text, languages=[case.language], settings=settings)
    expected = thirdparty.expected_value(case)
    return moment is not None and moment.date().isoformat()[: len(expected)] == expected


def thirdparty_section(extractor: DateExtractor) -> None:
    if not thirdparty.available():
        print(f"\nthird-party section skipped: {thirdparty.MISSING_REASON}")
        return
    print("\ndateparser's and hijridate's cases (../shared/eval/dates_hijri_jalali)")
    header = ("row", "items", "text", "+certainty", "field", "+certainty", "dateparser")
    print(f"{header[0]:<34}{header[1]:>6}" + "".join(f"{cell:>11}" for cell in header[2:]))
    for name, read in thirdparty.DATE_ROWS.items():
        cases = read()
        figures = []
        for answer in (thirdparty.marsad_answer, thirdparty.marsad_field_answer):
            answers = [answer(extractor, case) for case in cases]
            figures.append(sum(a.right for a in answers) / len(cases))
            figures.append(sum(a.right and a.certain for a in answers) / len(cases))
        figures.append(sum(dateparser_right(case) for case in cases) / len(cases))
        print(f"{name:<34}{len(cases):>6}" + "".join(f"{figure:>11.3f}" for figure in figures))
    print(
        "text: DateExtractor.find_dates (running text: a bare duration is no date); field: "
        "DateExtractor.read_field (a date string, as collectors read a feed's date field)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--no-gold", action="store_true", help="third-party section only")
    args = parser.parse_args()
    warnings.filterwarnings("ignore")  # dateparser's deprecation notices are not results
    if args.no_gold:
        thirdparty_section(DateExtractor.from_data())
        return
    items = load_items()
    extractor = DateExtractor.from_data()
    # Warm both sides (dateparser loads its language data lazily) so neither pays start-up.
    run_dateparser(items[:20])
    extractor.find_dates(items[0]["text"], items[0]["language"])

    def run_marsad() -> list[Any]:
        return [extractor.find_dates(i["text"], i["language"], i["anchor"]) for i in items]

    marsad, marsad_seconds = timed(run_marsad, args.rounds)
    baseline, baseline_seconds = timed(lambda: run_dateparser(items), args.rounds)

    total: Counter[str] = Counter()
    strict: Counter[str] = Counter()
    marsad_values: Counter[str] = Counter()
    baseline_values: Counter[str] = Counter()
    for item, dates, found in zip(items, marsad, baseline, strict=True):
        expected = {
            (d["value"], d["precision"], d["certainty"], d["calendar"]) for d in item["dates"]
        }
        got = {(d.value, d.precision, d.certainty, d.calendar) for d in dates}
        for key in (item["language"], "overall"):  # every item also counts towards "overall"
            total[key] += 1
            strict[key] += got == expected
            marsad_values[key] += values_match(item, [d.value for d in dates])
            baseline_values[key] += values_match(item, found)

    sentences = len(items) * args.rounds
    print(f"gold set: {len(items)} sentences from {GOLD.relative_to(GOLD.parents[3])}")
    header = ("items", "marsad strict", "marsad values", "dateparser values")
    print(f"{'language':<10}{header[0]:>6}  {header[1]:>13}  {header[2]:>13}  {header[3]:>17}")
    for key in [*sorted(set(total) - {"overall"}), "overall"]:
        shares = [counter[key] / total[key] for counter in (strict, marsad_values, baseline_values)]
        print(
            f"{key:<10}{total[key]:>6}  {shares[0]:>13.1%}  {shares[1]:>13.1%}  {shares[2]:>17.1%}"
        )
    print(
        f"speed: marsad {sentences / marsad_seconds:,.0f} sentences/s, "
        f"dateparser {sentences / baseline_seconds:,.0f} sentences/s "
        f"({baseline_seconds / marsad_seconds:.1f}x)"
    )
    print(
        "note: dateparser has no precision, certainty or source calendar, so only values are "
        "scored for it (a month or year counts when its found date starts with it)."
    )
    thirdparty_section(extractor)


if __name__ == "__main__":
    main()
