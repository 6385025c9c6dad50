"""Date extraction: unit behaviour, lexicon validation, robustness, and the gold-set score gate."""

from __future__ import annotations

import datetime
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from marsad.errors import ConfigError
from marsad.text.dates import DateExtractor, DateLexicon, PartialDate, default_date_extractor
from marsad.text.dates.calendars import month_in_gregorian, year_in_gregorian

GOLD = Path(__file__).parent / "gold" / "dates.yaml"
GATE = 0.95
MIN_ITEMS = {"ar": 80, "fa": 80, "he": 80, "en": 80, "ur": 20, "fr": 20}
ANCHOR = datetime.date(2020, 3, 12)  # a Thursday


@pytest.fixture(scope="module")
def extractor() -> DateExtractor:
    return default_date_extractor()


def found(
    extractor: DateExtractor, text: str, language: str | None, anchor: Any = None
) -> list[tuple[str, ...]]:
    return [
        (d.value, d.precision, d.certainty, d.calendar, d.expression)
        for d in extractor.find_dates(text, language, anchor)
    ]


# --- calendars and absolute dates ----------------------------------------------------------


def test_hijri_date_with_arabic_indic_digits(extractor: DateExtractor) -> None:
    assert found(extractor, "عقد الاجتماع في ١٤ رمضان ١٤٤١ هـ في بغداد.", "ar") == [
        ("2020-05-07", "day", "certain", "hijri", "١٤ رمضان ١٤٤١ هـ")
    ]


def test_hijri_numeric_date_with_marker(extractor: DateExtractor) -> None:
    assert found(extractor, "صدر البيان بتاريخ ١٤/٩/١٤٤١هـ.", "ar") == [
        ("2020-05-07", "day", "certain", "hijri", "١٤/٩/١٤٤١هـ")
    ]


def test_jalali_date_with_persian_digits(extractor: DateExtractor) -> None:
    assert found(extractor, "دفتر در ۱۵ دی ۱۳۹۸ افتتاح شد.", "fa") == [
        ("2020-01-05", "day", "certain", "jalali", "۱۵ دی ۱۳۹۸")
    ]


def test_persian_numeric_date_with_a_jalali_year_is_jalali(extractor: DateExtractor) -> None:
    assert found(extractor, "بیانیه در تاریخ ۱۳۹۸/۱۰/۱۵ منتشر شد.", "fa") == [
        ("2020-01-05", "day", "certain", "jalali", "۱۳۹۸/۱۰/۱۵")
    ]


def test_hebrew_calendar_date_in_letter_numerals(extractor: DateExtractor) -> None:
    assert found(extractor, 'האירוע התקיים בט"ו בשבט תש"ף.', "he") == [
        ("2020-02-10", "day", "certain", "hebrew", 'ט"ו בשבט תש"ף')
    ]


def test_hebrew_adar_ii_in_a_leap_year(extractor: DateExtractor) -> None:
    [date] = extractor.find_dates('ההודעה פורסמה בי"ד באדר ב\' תשפ"ב.', "he")
    assert (date.value, date.calendar) == ("2022-03-17", "hebrew")


def test_levantine_egyptian_and_maghreb_names_mean_the_same_month(
    extractor: DateExtractor,
) -> None:
    values = {
        extractor.find_dates(f"في 4 {name} 2020", "ar")[0].value
        for name in ("تموز", "يوليو", "يوليه", "جويلية")
    }
    assert values == {"2020-07-04"}


def test_alef_hamza_and_yeh_variants_match(extractor: DateExtractor) -> None:
    for text in ("1 أيار 2021", "1 ايار 2021", "1 إبريل 2021", "1 ابريل 2021", "1 ذی الحجة 1442"):
        assert len(extractor.find_dates(text, "ar")) == 1, text


def test_harakat_and_tatweel_do_not_break_a_month_name(extractor: DateExtractor) -> None:
    [date] = extractor.find_dates("نُشر البيان في ١٤ رَمَضـان ١٤٤١ هـ.", "ar")
    assert (date.value, date.expression) == ("2020-05-07", "١٤ رَمَضـان ١٤٤١ هـ")


def test_optional_article_before_hijri_month(extractor: DateExtractor) -> None:
    assert extractor.find_dates("في 10 المحرم 1442", "ar")[0].value == "2020-08-29"


def test_numeric_dates_are_day_first_except_iso(extractor: DateExtractor) -> None:
    text = "Posted 03/02/2021, archived 2021-02-03 and 03.02.2021."
    assert [d.value for d in extractor.find_dates(text, "en")] == ["2021-02-03"] * 3


def test_english_month_names_are_case_sensitive(extractor: DateExtractor) -> None:
    assert extractor.find_dates("He may march on 3 May 2020.", "en")[0].expression == "3 May 2020"
    assert len(extractor.find_dates("ON 3 MAY 2020 IT BEGAN.", "en")) == 1
    assert extractor.find_dates("they may march 3 times", "en") == []


def test_partial_dates_keep_their_precision(extractor: DateExtractor) -> None:
    assert found(extractor, "The channel has been silent since January 2020.", "en") == [
        ("2020-01", "month", "certain", "gregorian", "January 2020")
    ]
    assert found(extractor, "تأسست الحركة عام 2014.", "ar") == [
        ("2014", "year", "certain", "gregorian", "2014")
    ]


def test_month_of_another_calendar_is_the_gregorian_month_holding_most_of_it(
    extractor: DateExtractor,
) -> None:
    # Dey 1398 runs 22 December 2019 – 20 January 2020: twenty of its days are in January.
    assert found(extractor, "در دی ۱۳۹۸", "fa") == [
        ("2020-01", "month", "likely", "jalali", "دی ۱۳۹۸")
    ]


def test_majority_rule_and_exact_spans() -> None:
    assert month_in_gregorian("gregorian", 2020, 2).exact
    ramadan = month_in_gregorian("hijri", 1441, 9)  # 24 April – 23 May 2020
    assert (ramadan.value, ramadan.exact) == ("2020-05", False)
    assert year_in_gregorian("hebrew", 5780).value == "2020"


def test_impossible_dates_are_skipped(extractor: DateExtractor) -> None:
    assert extractor.find_dates("On 31 February 2020 and 29 February 2019.", "en") == []
    assert extractor.find_dates("در ۳۱ اسفند ۱۳۹۸", "fa") == []
    assert extractor.find_dates("15/13/2020", "en") == []
    assert [d.value for d in extractor.find_dates("29 February 2020", "en")] == ["2020-02-29"]


def test_bare_numbers_are_years_only_in_a_plausible_range(extractor: DateExtractor) -> None:
    assert extractor.find_dates("The group said 350 members and 1441 rifles.", "en") == []
    assert extractor.find_dates("عددهم 1441 عنصراً", "ar") == []
    assert found(extractor, "تأسست عام 1435 هـ", "ar")[0][:4] == ("2014", "year", "likely", "hijri")


def test_weekday_names_are_tolerated(extractor: DateExtractor) -> None:
    assert found(extractor, "on Thursday, February 6, 2020", "en") == [
        ("2020-02-06", "day", "certain", "gregorian", "February 6, 2020")
    ]
    assert extractor.find_dates("ביום חמישי, 6 בפברואר 2020", "he")[0].value == "2020-02-06"


def test_offsets_index_the_original_text(extractor: DateExtractor) -> None:
    text = "\u200fقال البيان: نُفّذ الهجوم في ٣ آذار ٢٠٢٠، وفي ٥ آذار ٢٠٢٠ أيضاً."
    dates = extractor.find_dates(text, "ar")
    assert [text[d.start : d.end] for d in dates] == ["٣ آذار ٢٠٢٠", "٥ آذار ٢٠٢٠"]
    assert all(text[d.start : d.end] == d.expression for d in dates)


# --- ranges and lists ----------------------------------------------------------------------


def test_range_between_two_days_of_one_month(extractor: DateExtractor) -> None:
    [date] = extractor.find_dates("Talks were held between 3 and 5 January 2020.", "en")
    assert (date.value, date.end_value, date.expression) == (
        "2020-01-03",
        "2020-01-05",
        "between 3 and 5 January 2020",
    )


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("من 3 إلى 5 كانون الثاني 2020", "ar"),
        ("بين 3 و5 كانون الثاني 2020", "ar"),
        ("3–5 January 2020", "en"),
        ("בין ה-3 ל-5 בינואר 2020", "he"),
        ("du 3 au 5 janvier 2020", "fr"),
        ("3 سے 5 جنوری 2020", "ur"),
    ],
)
def test_day_ranges_in_every_language(extractor: DateExtractor, text: str, language: str) -> None:
    [date] = extractor.find_dates(text, language)
    assert (date.value, date.end_value, date.expression) == ("2020-01-03", "2020-01-05", text)


def test_range_across_a_year_end_starts_in_the_year_before(extractor: DateExtractor) -> None:
    [date] = extractor.find_dates("from 28 December to 3 January 2020", "en")
    assert (date.value, date.end_value) == ("2019-12-28", "2020-01-03")


def test_jalali_range_converts_both_ends(extractor: DateExtractor) -> None:
    [date] = extractor.find_dates("از ۲۸ اسفند ۱۳۹۸ تا ۵ فروردین ۱۳۹۹", "fa")
    assert (date.value, date.end_value, date.calendar) == ("2020-03-18", "2020-03-24", "jalali")


def test_a_backwards_range_falls_back_to_its_dates(extractor: DateExtractor) -> None:
    dates = extractor.find_dates("from 5 March 2020 to 3 March 2020", "en")
    assert [(d.value, d.end_value) for d in dates] == [("2020-03-05", None), ("2020-03-03", None)]


def test_listed_days_are_separate_dates(extractor: DateExtractor) -> None:
    dates = extractor.find_dates("Attacks on 2 and 3 March 2020.", "en")
    assert [(d.value, d.expression) for d in dates] == [
        ("2020-03-02", "2"),
        ("2020-03-03", "3 March 2020"),
    ]


# --- relative dates ------------------------------------------------------------------------


def test_relative_dates_need_an_anchor(extractor: DateExtractor) -> None:
    text = "The group said yesterday that it struck on 3 March."
    assert extractor.find_dates(text, "en") == []
    assert [d.value for d in extractor.find_dates(text, "en", ANCHOR)] == [
        "2020-03-11",
        "2020-03-03",
    ]


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("yesterday", "en", ("2020-03-11", "day", "certain")),
        ("أول أمس", "ar", ("2020-03-10", "day", "certain")),
        ("امروز", "fa", ("2020-03-12", "day", "certain")),
        ("בשבוע שעבר", "he", ("2020-03-05", "day", "possible")),
        ("گزشتہ ہفتے", "ur", ("2020-03-05", "day", "possible")),
        ("la semaine dernière", "fr", ("2020-03-05", "day", "possible")),
        ("الشهر الماضي", "ar", ("2020-02", "month", "certain")),
        ("مطلع الشهر الماضي", "ar", ("2020-02", "month", "certain")),
        ("early last month", "en", ("2020-02", "month", "certain")),
        ("ماه گذشته", "fa", ("2020-02", "month", "certain")),
        ("בחודש שעבר", "he", ("2020-02", "month", "certain")),
        ("three days ago", "en", ("2020-03-09", "day", "certain")),
        ("قبل يومين", "ar", ("2020-03-10", "day", "certain")),
        ("לפני שלושה ימים", "he", ("2020-03-09", "day", "certain")),
        ("six months ago", "en", ("2019-09", "month", "likely")),
        ("last Tuesday", "en", ("2020-03-10", "day", "certain")),
        ("last Thursday", "en", ("2020-03-05", "day", "certain")),
    ],
)
def test_relative_expressions_follow_the_anchor(
    extractor: DateExtractor, text: str, language: str, expected: tuple[str, str, str]
) -> None:
    [date] = extractor.find_dates(text, language, ANCHOR)
    assert (date.value, date.precision, date.certainty) == expected
    assert date.expression == text


def test_ambiguous_urdu_kal_is_not_resolved(extractor: DateExtractor) -> None:
    assert extractor.find_dates("ترجمان کل خطاب کریں گے۔", "ur", ANCHOR) == []


def test_year_less_date_takes_the_year_closest_to_the_anchor(extractor: DateExtractor) -> None:
    early_january = datetime.date(2020, 1, 5)
    assert extractor.find_dates("on 28 December", "en", early_january)[0].value == "2019-12-28"
    assert extractor.find_dates("on 3 March", "en", early_january)[0].value == "2020-03-03"
    assert extractor.find_dates("on 28 December", "en") == []


def test_anchor_may_be_a_datetime(extractor: DateExtractor) -> None:
    moment = datetime.datetime(2020, 3, 12, 23, 59)
    assert extractor.find_dates("today", "en", moment)[0].value == "2020-03-12"


# --- hedges --------------------------------------------------------------------------------


def test_very_likely_lowers_a_month_to_likely(extractor: DateExtractor) -> None:
    assert found(extractor, "The meeting was very likely held in January 2020.", "en") == [
        ("2020-01", "month", "likely", "gregorian", "January 2020")
    ]


@pytest.mark.parametrize(
    ("text", "language", "certainty"),
    [
        ("نفذ الهجوم على الأرجح في كانون الثاني 2020", "ar", "likely"),
        ("تأسس المعسكر عام 2015 تقريباً", "ar", "likely"),
        ("ربما نقلت الأسلحة في كانون الأول 2019", "ar", "possible"),
        ("گویا نشست در ۲۰ فروردین ۱۳۹۹ برگزار شد", "fa", "likely"),
        ("המתקפה בוצעה ככל הנראה ב-4 באפריל 2020", "he", "likely"),
        ("L'attaque a eu lieu vers le 15 mars 2020", "fr", "likely"),
        ("The shipment arrived on or about 14 January 2020", "en", "likely"),
    ],
)
def test_hedges_lower_certainty(
    extractor: DateExtractor, text: str, language: str, certainty: str
) -> None:
    [date] = extractor.find_dates(text, language)
    assert date.certainty == certainty


def test_a_hedge_with_an_attached_conjunction_still_counts(extractor: DateExtractor) -> None:
    [date] = extractor.find_dates("ويعتقد أن الاجتماع جرى في أواخر آب 2021.", "ar")
    assert (date.value, date.certainty, date.expression) == ("2021-08", "likely", "أواخر آب 2021")
    assert extractor.find_dates("وأمس أعلنت الجماعة", "ar", ANCHOR)[0].expression == "أمس"


def test_a_hedge_does_not_reach_across_a_clause_or_far_away(extractor: DateExtractor) -> None:
    text = "The group probably lied. It opened its office on 3 May 2020."
    assert extractor.find_dates(text, "en")[0].certainty == "certain"
    far = "Probably the group, which was founded by veterans of many wars, opened on 3 May 2020."
    assert extractor.find_dates(far, "en")[0].certainty == "certain"


def test_a_hedge_qualifies_only_the_next_date(extractor: DateExtractor) -> None:
    dates = extractor.find_dates("probably on 3 May 2020 and on 4 May 2020", "en")
    assert [d.certainty for d in dates] == ["likely", "certain"]


# --- languages and lexicons ----------------------------------------------------------------


def test_language_none_tries_every_lexicon(extractor: DateExtractor) -> None:
    text = "۱۵ دی ۱۳۹۸ / 14 בינואר 2020 / 3 March 2020"
    assert [d.calendar for d in extractor.find_dates(text, None)] == [
        "jalali",
        "gregorian",
        "gregorian",
    ]


def test_language_with_a_region_subtag(extractor: DateExtractor) -> None:
    assert extractor.find_dates("في 3 آذار 2020", "ar-IQ")[0].value == "2020-03-03"


def test_adding_a_language_is_adding_a_lexicon() -> None:
    german = DateLexicon.from_data(
        "de",
        {
            "months": {"gregorian": {1: ["Januar"], 3: ["März"]}},
            "day_suffixes": ["."],
            "relative": [{"phrases": ["gestern"], "unit": "day", "offset": -1}],
            "hedges": [{"phrases": ["vermutlich"], "certainty": "likely"}],
        },
    )
    extractor = DateExtractor({"de": german})
    dates = extractor.find_dates("Vermutlich am 14. Januar 2020, sagte er gestern.", "de", ANCHOR)
    assert [(d.value, d.certainty, d.expression) for d in dates] == [
        ("2020-01-14", "likely", "14. Januar 2020"),
        ("2020-03-11", "certain", "gestern"),
    ]


def test_every_shipped_lexicon_loads() -> None:
    extractor = DateExtractor.from_data()
    assert set(MIN_ITEMS) <= set(extractor.grammars)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "months: missing"),
        ({"months": {"lunar": {1: ["x"]}}}, "'lunar' is not one of"),
        ({"months": {"gregorian": {14: ["x"]}}}, "months.gregorian.14"),
        ({"months": {"gregorian": {1: "x", 2: "x"}}}, "already means"),
        ({"months": {"gregorian": {1: ["x"]}}, "monthz": []}, "monthz: unknown field"),
        ({"months": {"gregorian": {1: [""]}}}, "empty phrase"),
        (
            {"months": {}, "relative": [{"phrases": ["x"], "unit": "fortnight", "offset": 1}]},
            "relative[0].unit",
        ),
        ({"months": {}, "counted": {"templates": ["{count} ago"]}}, "needs {unit}"),
        (
            {"months": {}, "hedges": [{"phrases": ["x"], "certainty": "certain"}]},
            "hedges[0].certainty",
        ),
        ({"months": {}, "ranges": "between"}, "ranges: expected a list"),
        ({"months": {}, "last_weekday": ["last"]}, "needs {weekday}"),
    ],
)
def test_malformed_lexicon_names_the_file_and_field(data: dict[str, Any], message: str) -> None:
    with pytest.raises(ConfigError, match=r"lexicons/xx/dates\.yaml") as raised:
        DateLexicon.from_data("xx", data)
    assert message in str(raised.value)


# --- robustness ----------------------------------------------------------------------------

PIECES = [
    *"0123456789٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹/.-–,، \n\"'״׳ـًהבל",
    *["رمضان", "هـ", "كانون الثاني", "دی", "ה-", 'תש"ף', 'ט"ו', "בשבט", "January", "May"],
    *["between", "and", "بين", "و", "من", "إلى", "probably", "على الأرجح", "ago", "last week"],
    *["الأسبوع الماضي", "31", "1441", "2020", "1398", "\u200c", "\u200f", "\ud800"],
]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from(PIECES), max_size=40).map("".join), st.sampled_from([*MIN_ITEMS, None])
)
def test_any_text_gives_dates_whose_offsets_hold(text: str, language: str | None) -> None:
    for date in default_date_extractor().find_dates(text, language, ANCHOR):
        assert text[date.start : date.end] == date.expression
        assert date.precision in ("day", "month", "year")
        assert date.certainty in ("certain", "likely", "possible")


@pytest.mark.parametrize(
    "text",
    ["9" * 200_000, "٣/" * 50_000, "بين " * 30_000 + "3 آذار 2020", 'ט"ו ' * 30_000, "- " * 80_000],
)
def test_hostile_text_is_handled_quickly(extractor: DateExtractor, text: str) -> None:
    for language in ("ar", "he", "en"):
        extractor.find_dates(text, language, ANCHOR)


# --- the gold set gate ---------------------------------------------------------------------


def load_gold() -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = yaml.safe_load(GOLD.read_text(encoding="utf-8"))["items"]
    return items


def scored(dates: list[PartialDate] | list[dict[str, Any]]) -> set[tuple[str, str, str, str]]:
    """What the gate compares: value, precision, certainty and calendar of every date."""
    return {
        (d["value"], d["precision"], d["certainty"], d["calendar"])
        if isinstance(d, dict)
        else (d.value, d.precision, d.certainty, d.calendar)
        for d in dates
    }


def run_gold(extractor: DateExtractor) -> list[tuple[dict[str, Any], list[PartialDate]]]:
    results = []
    for item in load_gold():
        anchor = datetime.date.fromisoformat(item["anchor"]) if item.get("anchor") else None
        results.append((item, extractor.find_dates(item["text"], item["language"], anchor)))
    return results


def test_gold_set_is_large_and_well_formed() -> None:
    items = load_gold()
    counts = Counter(item["language"] for item in items)
    assert all(counts[language] >= minimum for language, minimum in MIN_ITEMS.items()), counts
    assert sum(counts.values()) >= 400
    for item in items:
        for date in item["dates"]:
            assert date["expression"] in item["text"], item["text"]
    assert any(not item["dates"] for item in items)  # sentences without a date are there too


def test_gold_set_accuracy_per_language(extractor: DateExtractor) -> None:
    correct: Counter[str] = Counter()
    total: Counter[str] = Counter()
    misses = []
    for item, dates in run_gold(extractor):
        total[item["language"]] += 1
        if scored(dates) == scored(item["dates"]):
            correct[item["language"]] += 1
        else:
            misses.append(f"  {item['text']}\n    got {sorted(scored(dates))}")
    accuracy = {language: correct[language] / total[language] for language in total}
    overall = sum(correct.values()) / sum(total.values())
    report = ", ".join(f"{language} {value:.1%}" for language, value in sorted(accuracy.items()))
    print(f"date gold set: overall {overall:.1%}; {report}")
    failing = overall < GATE or any(value < GATE for value in accuracy.values())
    assert not failing, f"below {GATE:.0%}: overall {overall:.1%}; {report}\n" + "\n".join(misses)


def test_gold_set_expressions_and_range_ends(extractor: DateExtractor) -> None:
    matched = total = 0
    for item, dates in run_gold(extractor):
        expected = sorted((d["expression"], d.get("end_value")) for d in item["dates"])
        total += 1
        matched += sorted((d.expression, d.end_value) for d in dates) == expected
    assert matched / total >= GATE, f"expressions and range ends right in {matched}/{total}"


def test_dates_that_depend_on_the_anchor_say_so() -> None:
    extractor = default_date_extractor()
    anchor = datetime.date(2020, 5, 20)
    found = extractor.find_dates(
        "قال أمس إن اللقاء عقد في 3 آذار وفي 14 كانون الثاني 2020", "ar", anchor
    )
    assert [(d.expression, d.anchored) for d in found] == [
        ("أمس", True),
        ("3 آذار", True),
        ("14 كانون الثاني 2020", False),
    ]


# --- issue 19: day words, short years, direction cues, weekdays, hours --------------------
WEDNESDAY = datetime.date(2020, 6, 10)


def _found(
    extractor: DateExtractor, text: str, language: str, anchor: datetime.date | None
) -> list[tuple[str, str, str]]:
    dates = extractor.find_dates(text, language, anchor)
    return [(date.value, date.precision, date.certainty) for date in dates]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("بیانیه روز سوم مهر ۱۳۹۹ منتشر شد.", "2020-09-24"),
        ("نشست در بیست و دو بهمن ۱۳۹۸ برگزار شد.", "2020-02-11"),
        ("گزارش سی و یکم فروردین ۱۴۰۰ منتشر شد.", "2021-04-20"),
        ("این حمله در پانزدهم خرداد ۱۴۰۰ رخ داد.", "2021-06-05"),
    ],
)
def test_persian_day_written_as_a_word(extractor: DateExtractor, text: str, value: str) -> None:
    assert _found(extractor, text, "fa", None) == [(value, "day", "certain")]


def test_two_digit_jalali_year_only_where_nothing_but_a_time_follows(
    extractor: DateExtractor,
) -> None:
    assert _found(extractor, "جلسه ۱۲ آبان ۹۹ ساعت ۱۰ برگزار شد", "fa", None) == [
        ("2020-11-02", "day", "certain")
    ]
    # "۲۰ نفر": a count after the date, not a year; the date takes the nearest year.
    assert _found(extractor, "در ۱۵ تیر ۲۰ نفر زخمی شدند", "fa", WEDNESDAY) == [
        ("2020-07-05", "day", "certain")
    ]


def test_year_glued_to_the_next_word(extractor: DateExtractor) -> None:
    assert _found(extractor, "بیانیه ۱۰ مهر ۱۳۹۹ساعت ۸ منتشر شد", "fa", None) == [
        ("2020-10-01", "day", "certain")
    ]


@pytest.mark.parametrize(
    ("language", "text", "anchor", "value"),
    [
        ("en", "The deal was signed on 22 March last.", WEDNESDAY, "2020-03-22"),
        ("en", "The deal was signed on 22 March last.", datetime.date(2020, 3, 1), "2019-03-22"),
        ("en", "Talks resumed last June.", WEDNESDAY, "2019-06"),
        ("ar", "وقع الاتفاق في نوفمبر الماضي.", WEDNESDAY, "2019-11"),
        ("ar", "تنتهي المهلة في آب المقبل.", WEDNESDAY, "2020-08"),
        ("fa", "توافق در مارس گذشته امضا شد.", WEDNESDAY, "2020-03"),
        ("he", "ההסכם נחתם ביוני שעבר.", WEDNESDAY, "2019-06"),
        ("ur", "معاہدہ گزشتہ جون میں ہوا۔", WEDNESDAY, "2019-06"),
    ],
)
def test_month_with_a_direction_cue_goes_to_the_past_or_future(
    extractor: DateExtractor, language: str, text: str, anchor: datetime.date, value: str
) -> None:
    precision = "day" if len(value) == 10 else "month"
    assert _found(extractor, text, language, anchor) == [(value, precision, "certain")]


@pytest.mark.parametrize(
    ("language", "text", "value"),
    [
        ("ar", "وصل الوفد في اليوم السابق.", "2020-06-09"),
        ("ar", "وغادر الوفد في اليوم التالي.", "2020-06-11"),
        ("he", "המשלחת עזבה למחרת.", "2020-06-11"),
        ("en", "The delegation left the following day.", "2020-06-11"),
        ("en", "The convoy was hit two hours ago.", "2020-06-10"),
        ("ar", "وقع الانفجار منذ ساعتين.", "2020-06-10"),
        ("he", "הפיצוץ אירע לפני שעתיים.", "2020-06-10"),
    ],
)
def test_previous_next_day_and_hours_ago_are_likely_days(
    extractor: DateExtractor, language: str, text: str, value: str
) -> None:
    assert _found(extractor, text, language, WEDNESDAY) == [(value, "day", "likely")]


@pytest.mark.parametrize(
    ("language", "text", "value"),
    [
        ("ar", "أعلن الجيش الخميس أن القافلة تعرضت لهجوم.", "2020-06-04"),
        ("ar", "أعلن الجيش يوم الأربعاء أن القافلة تعرضت لهجوم.", "2020-06-10"),
        ("en", "The army said on Thursday that the convoy was attacked.", "2020-06-04"),
        ("he", "הצבא הודיע ביום חמישי כי השיירה הותקפה.", "2020-06-04"),
        ("fa", "ارتش روز پنجشنبه اعلام کرد که کاروان هدف قرار گرفت.", "2020-06-04"),
        ("ur", "فوج نے جمعرات کو بتایا کہ قافلے پر حملہ ہوا۔", "2020-06-04"),
    ],
)
def test_bare_weekday_is_the_latest_such_day_on_or_before_the_anchor(
    extractor: DateExtractor, language: str, text: str, value: str
) -> None:
    assert _found(extractor, text, language, WEDNESDAY) == [(value, "day", "likely")]


def test_weekday_before_a_date_is_not_a_date_of_its_own(extractor: DateExtractor) -> None:
    assert _found(extractor, "Tuesday, 3 March 2020", "en", WEDNESDAY) == [
        ("2020-03-03", "day", "certain")
    ]
    assert _found(extractor, "سه شنبه سوم شهریور ۱۳۹۴", "fa", WEDNESDAY) == [
        ("2015-08-25", "day", "certain")
    ]


def test_durations_are_not_dates(extractor: DateExtractor) -> None:
    assert _found(extractor, "استمرت المعارك يومين قرب الحدود.", "ar", WEDNESDAY) == []


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "As reported on 5 June 2020, the convoy was attacked near the border."),
        ("en", "The convoy was attacked near the border, as reported on 5 June 2020."),
        ("ar", "كما أفيد في 5 حزيران 2020، تعرضت القافلة لهجوم قرب الحدود."),
        ("ar", "تعرضت القافلة لهجوم قرب الحدود، حسبما أفيد في 5 حزيران 2020."),
    ],
)
def test_a_reporting_date_bounds_the_event_and_is_no_more_than_likely(
    extractor: DateExtractor, language: str, text: str
) -> None:
    """ "As reported on X": what was reported happened on or before X, not surely on it."""
    assert _found(extractor, text, language, WEDNESDAY) == [("2020-06-05", "day", "likely")]
    written = text.replace("as reported on ", "on ").replace("As reported on ", "On ")
    if language == "en":
        assert _found(extractor, written, language, WEDNESDAY) == [("2020-06-05", "day", "certain")]
