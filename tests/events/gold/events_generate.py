"""Writes events.yaml, the events gold set: synthetic, neutral news-style documents in
ar/fa/he/en naming KB entities, each with two or three event sentences (meetings,
statements, threats against named or unnamed targets, attack claims, new websites and
offices, aid, fundraising, training, rallies, funerals, cooperation, denials) and
distractors (negated events, reported speech, events only announced). Gold dates are
computed here from the publication day with the standard library, jdatetime and hijridate,
independently of Marsad's date reader; sentences without a date take the publication day,
one step less certain. Every expected event is written out, so the YAML can be corrected
by hand; re-run to regenerate:

    .venv/bin/python tests/events/gold/events_generate.py
"""

from __future__ import annotations

import datetime
import random
from pathlib import Path
from typing import Any

import jdatetime
import yaml
from hijridate import Gregorian

HERE = Path(__file__).parent
DOCS_PER_LANGUAGE = 60

# entity id -> name per language (aliases of the shipped KB)
ACTORS = {
    "marsad-org-hezbollah": {
        "en": "Hezbollah",
        "ar": "حزب الله",
        "fa": "حزب‌الله لبنان",
        "he": "חיזבאללה",
    },
    "marsad-org-hamas": {
        "en": "Hamas",
        "ar": "حركة حماس",
        "fa": "جنبش مقاومت اسلامی",
        "he": "חמאס",
    },
    "marsad-org-palestinian-islamic-jihad": {
        "en": "Palestinian Islamic Jihad",
        "ar": "حركة الجهاد الإسلامي",
        "fa": "جهاد اسلامی فلسطین",
        "he": "הג'יהאד האסלאמי",
    },
    "marsad-org-ansarallah": {
        "en": "the Houthi movement",
        "ar": "جماعة الحوثي",
        "fa": "انصارالله",
        "he": "החות'ים",
    },
    "marsad-org-irgc": {
        "en": "the Revolutionary Guards",
        "ar": "الحرس الثوري",
        "fa": "سپاه پاسداران",
        "he": "משמרות המהפכה",
    },
    "marsad-org-quds-force": {
        "en": "the Quds Force",
        "ar": "فيلق القدس",
        "fa": "نیروی قدس",
        "he": "כוח קודס",
    },
    "marsad-person-naim-qassem": {
        "en": "Naim Qassem",
        "ar": "نعيم قاسم",
        "fa": "نعیم قاسم",
        "he": "נעים קאסם",
    },
    "marsad-person-ismail-haniyeh": {
        "en": "Ismail Haniyeh",
        "ar": "إسماعيل هنية",
        "fa": "اسماعیل هنیه",
        "he": "איסמאעיל הנייה",
    },
    "marsad-person-esmail-qaani": {
        "en": "Esmail Qaani",
        "ar": "إسماعيل قاآني",
        "fa": "اسماعیل قاآنی",
        "he": "איסמאעיל קאאני",
    },
    "marsad-person-ziyad-al-nakhalah": {
        "en": "Ziyad al-Nakhalah",
        "ar": "زياد النخالة",
        "fa": "زیاد النخاله",
        "he": "זיאד נח'אלה",
    },
}
IRAQI = {  # no Hebrew aliases in the KB: used in ar, fa, en
    "marsad-org-kataib-hezbollah": {
        "en": "Kata'ib Hezbollah",
        "ar": "كتائب حزب الله",
        "fa": "کتائب حزب‌الله",
    },
    "marsad-org-harakat-al-nujaba": {
        "en": "the Nujaba Movement",
        "ar": "حركة النجباء",
        "fa": "جنبش نجباء",
    },
    "marsad-org-asaib-ahl-al-haq": {
        "en": "Asa'ib Ahl al-Haq",
        "ar": "عصائب أهل الحق",
        "fa": "عصائب اهل حق",
    },
    "marsad-org-badr-organization": {
        "en": "the Badr Organization",
        "ar": "منظمة بدر",
        "fa": "سازمان بدر",
    },
    "marsad-person-akram-al-kaabi": {
        "en": "Akram al-Kaabi",
        "ar": "أكرم الكعبي",
        "fa": "اکرم کعبی",
    },
    "marsad-person-hadi-al-amiri": {
        "en": "Hadi al-Amiri",
        "ar": "هادي العامري",
        "fa": "هادی عامری",
    },
}
CITIES = {
    "marsad-place-lb-beirut": {"en": "Beirut", "ar": "بيروت", "fa": "بیروت", "he": "ביירות"},
    "marsad-place-iq-baghdad": {"en": "Baghdad", "ar": "بغداد", "fa": "بغداد", "he": "בגדאד"},
    "marsad-place-ye-sanaa": {"en": "Sanaa", "ar": "صنعاء", "fa": "صنعا", "he": "צנעא"},
    "marsad-place-ir-tehran": {"en": "Tehran", "ar": "طهران", "fa": "تهران", "he": "טהרן"},
    "marsad-place-sy-damascus": {"en": "Damascus", "ar": "دمشق", "fa": "دمشق", "he": "דמשק"},
    "marsad-place-iq-karbala": {"en": "Karbala", "ar": "كربلاء", "fa": "کربلا", "he": "כרבלא"},
    "marsad-place-lb-sidon": {"en": "Sidon", "ar": "صيدا", "fa": "صیدا", "he": "צידון"},
    "marsad-place-iq-basra": {"en": "Basra", "ar": "البصرة", "fa": "بصره", "he": "בצרה"},
}
# unlinked threat targets: (phrase, country phrase) per language; the surface is both joined
TARGETS = {
    "en": [
        ("US forces", "in Iraq"),
        ("American bases", "in Syria"),
        ("foreign forces", "in Iraq"),
        ("commercial ships", "near Yemen"),
    ],
    "ar": [
        ("القوات الأمريكية", "في العراق"),
        ("القواعد الأمريكية", "في سوريا"),
        ("القوات الأجنبية", "في العراق"),
        ("السفن التجارية", "قرب اليمن"),
    ],
    "fa": [
        ("نیروهای آمریکایی", "در عراق"),
        ("پایگاه‌های آمریکایی", "در سوریه"),
        ("نیروهای خارجی", "در عراق"),
    ],
    "he": [
        ("כוחות אמריקניים", "בעיראק"),
        ("בסיסים אמריקניים", "בסוריה"),
        ("ספינות סוחר", "ליד תימן"),
    ],
}
EN_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
AR_MONTHS = [
    "كانون الثاني",
    "شباط",
    "آذار",
    "نيسان",
    "أيار",
    "حزيران",
    "تموز",
    "آب",
    "أيلول",
    "تشرين الأول",
    "تشرين الثاني",
    "كانون الأول",
]
HE_MONTHS = [
    "ינואר",
    "פברואר",
    "מרץ",
    "אפריל",
    "מאי",
    "יוני",
    "יולי",
    "אוגוסט",
    "ספטמבר",
    "אוקטובר",
    "נובמבר",
    "דצמבר",
]
JALALI_MONTHS = [
    "فروردین",
    "اردیبهشت",
    "خرداد",
    "تیر",
    "مرداد",
    "شهریور",
    "مهر",
    "آبان",
    "آذر",
    "دی",
    "بهمن",
    "اسفند",
]
HIJRI_MONTHS = [
    "محرم",
    "صفر",
    "ربيع الأول",
    "ربيع الآخر",
    "جمادى الأولى",
    "جمادى الآخرة",
    "رجب",
    "شعبان",
    "رمضان",
    "شوال",
    "ذو القعدة",
    "ذو الحجة",
]
FA_GREGORIAN_MONTHS = [
    "ژانویه",
    "فوریه",
    "مارس",
    "آوریل",
    "مه",
    "ژوئن",
    "ژوئیه",
    "اوت",
    "سپتامبر",
    "اکتبر",
    "نوامبر",
    "دسامبر",
]
PERSIAN_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")

DateSlot = tuple[str, str, str, str, str]  # phrase, value, precision, certainty, source


def date_slots(language: str, published: datetime.date, rng: random.Random) -> DateSlot:
    """A date phrase for the event and its gold value."""
    day = published - datetime.timedelta(days=rng.randint(2, 9))
    yesterday = published - datetime.timedelta(days=1)
    choice = rng.randrange(5)
    if choice == 0:  # no date: the publication day, one step less certain
        return "", published.isoformat(), "day", "likely", "published"
    if choice == 1:
        phrase = {"en": "yesterday", "ar": "أمس", "fa": "دیروز", "he": "אתמול"}[language]
        return phrase, yesterday.isoformat(), "day", "certain", "text"
    if choice == 2 and language in ("ar", "fa"):
        if language == "fa":
            j = jdatetime.date.fromgregorian(date=day)
            phrase = f"روز {j.day} {JALALI_MONTHS[j.month - 1]} {j.year}".translate(PERSIAN_DIGITS)
        else:
            h = Gregorian(day.year, day.month, day.day).to_hijri()
            phrase = f"في {h.day} {HIJRI_MONTHS[h.month - 1]} {h.year}"
        return phrase, day.isoformat(), "day", "certain", "text"
    if choice == 3:
        month = (published.replace(day=1) - datetime.timedelta(days=40)).replace(day=1)
        phrase = {
            "en": f"in {EN_MONTHS[month.month - 1]} {month.year}",
            "ar": f"في {AR_MONTHS[month.month - 1]} {month.year}",
            "fa": f"در ماه {FA_GREGORIAN_MONTHS[month.month - 1]} {month.year}".translate(
                PERSIAN_DIGITS
            ),
            "he": f"ב{HE_MONTHS[month.month - 1]} {month.year}",
        }[language]
        return phrase, month.strftime("%Y-%m"), "month", "certain", "text"
    phrase = {
        "en": f"on {day.day} {EN_MONTHS[day.month - 1]} {day.year}",
        "ar": f"يوم {day.day} {AR_MONTHS[day.month - 1]} {day.year}",
        "fa": f"در {day.day} {FA_GREGORIAN_MONTHS[day.month - 1]} {day.year}".translate(
            PERSIAN_DIGITS
        ),
        "he": f"ב-{day.day} ב{HE_MONTHS[day.month - 1]} {day.year}",
    }[language]
    return phrase, day.isoformat(), "day", "certain", "text"


# (type, template, roles by slot, place slot used, extra) — {A} {B} actors, {C} a source,
# {P} a city, {D} the date phrase, {T} an unlinked target.
Template = tuple[str, str, dict[str, str], bool, dict[str, Any]]
TEMPLATES: dict[str, list[Template]] = {
    "en": [
        ("meet", "{A} met {B} in {P} {D}.", {"A": "actor", "B": "participant"}, True, {}),
        (
            "meet",
            "{A} held talks with a delegation from {B} in {P} {D}.",
            {"A": "actor", "B": "participant"},
            True,
            {},
        ),
        (
            "meet",
            "According to {C}, {A} received {B} in {P} {D}.",
            {"A": "actor", "B": "participant"},
            True,
            {},
        ),
        (
            "meet",
            "{A} and {B} met in {P} {D} to discuss the humanitarian situation.",
            {"A": "actor", "B": "participant"},
            True,
            {},
        ),
        (
            "statement",
            "{A} delivered a televised speech in {P} {D} about the coming elections.",
            {"A": "actor"},
            True,
            {},
        ),
        (
            "threaten",
            "{A} threatened {D} to strike {T} if the shelling continued.",
            {"A": "actor", "T": "target"},
            False,
            {"severity": "conditional"},
        ),
        (
            "threaten",
            "{A} warned {B} {D} that it will pay a heavy price.",
            {"A": "actor", "B": "target"},
            False,
            {"severity": "vague"},
        ),
        (
            "threaten",
            "{A} threatened {B} {D}, saying its missiles can reach any target.",
            {"A": "actor", "B": "target"},
            False,
            {"severity": "capability_boast"},
        ),
        (
            "threaten",
            "{A} vowed to strike {T} {D}.",
            {"A": "actor", "T": "target"},
            False,
            {"severity": "explicit_violence"},
        ),
        (
            "claim_attack",
            "{A} claimed responsibility {D} for a drone attack on {T}.",
            {"A": "actor", "T": "target"},
            False,
            {},
        ),
        (
            "launch_media",
            "{A} launched a new Hebrew-language website {D}.",
            {"A": "actor"},
            False,
            {},
        ),
        ("launch_media", "{A} launched a Telegram channel in {P} {D}.", {"A": "actor"}, True, {}),
        ("open_office", "{A} opened a new office in {P} {D}.", {"A": "actor"}, True, {}),
        ("aid", "{A} distributed food baskets to families in {P} {D}.", {"A": "actor"}, True, {}),
        ("fundraise", "{A} began a donation campaign in {P} {D}.", {"A": "actor"}, True, {}),
        (
            "train",
            "{A} held a training course for its members in {P} {D}.",
            {"A": "actor"},
            True,
            {},
        ),
        (
            "protest",
            "Supporters of {A} held a rally in {P} {D} against {B}.",
            {"A": "actor", "B": "target"},
            True,
            {},
        ),
        (
            "funeral",
            "{A} held a funeral in {P} {D} for one of its commanders.",
            {"A": "actor"},
            True,
            {},
        ),
        (
            "cooperate",
            "{A} and {B} signed an agreement {D} to coordinate relief work in {P}.",
            {"A": "actor", "B": "participant"},
            True,
            {},
        ),
        ("deny", "{A} denied {D} any role in the attack on {T}.", {"A": "actor"}, False, {}),
        (
            "meet",
            "{C} said {D} that {A} had met {B} in {P}.",
            {"A": "actor", "B": "participant"},
            True,
            {},
        ),
        (
            "open_office",
            "{A} plans to open an office in {P}.",
            {"A": "actor"},
            True,
            {"modality": "hypothetical", "no_date": True},
        ),
        # phrasings added after the lexicon was written (not tuned against)
        (
            "meet",
            "In {P}, {A} hosted {B} {D} for talks on reconstruction.",
            {"A": "actor", "B": "participant"},
            True,
            {},
        ),
        (
            "statement",
            "In a statement released {D}, {A} urged residents of {P} to stay calm.",
            {"A": "actor"},
            True,
            {},
        ),
        (
            "attack",
            "{A} fired rockets at {T} {D}, local officials said.",
            {"A": "actor", "T": "target"},
            False,
            {},
        ),
        (
            "recruit",
            "{A} opened registration for new volunteers in {P} {D}.",
            {"A": "actor"},
            True,
            {},
        ),
        (
            "arrest",
            "{A} arrested three members of {B} in {P} {D}.",
            {"A": "actor", "B": "target"},
            True,
            {},
        ),
        (
            "open_office",
            "A new office of {A} was inaugurated in {P} {D}.",
            {"A": "actor"},
            True,
            {},
        ),
        (
            "funeral",
            "Crowds in {P} mourned a senior figure of {A} {D} at a memorial ceremony.",
            {"A": "actor"},
            True,
            {},
        ),
        (
            "threaten",
            "{A} warned {D} that {T} would be targeted unless they withdrew.",
            {"A": "actor", "T": "target"},
            False,
            {"severity": "conditional"},
        ),
    ],
    "ar": [
        ("meet", "التقى {A} {B} في {P} {D}.", {"A": "actor", "B": "participant"}, True, {}),
        (
            "meet",
            "واجتمع {A} مع وفد من {B} في {P} {D}.",
            {"A": "actor", "B": "participant"},
            True,
            {},
        ),
        (
            "meet",
            "وبحسب {C}، اجتمع {A} مع {B} في {P} {D}.",
            {"A": "actor", "B": "participant"},
            True,
            {},
        ),
        (
            "statement",
            "ألقى {A} كلمة متلفزة في {P} {D} حول الانتخابات المقبلة.",
            {"A": "actor"},
            True,
            {},
        ),
        (
            "threaten",
            "وهدد {A} {D} باستهداف {T} إذا استمر القصف.",
            {"A": "actor", "T": "target"},
            False,
            {"severity": "conditional"},
        ),
        (
            "threaten",
            "وحذر {A} {B} {D} من أنه سيدفع ثمنا باهظا.",
            {"A": "actor", "B": "target"},
            False,
            {"severity": "vague"},
        ),
        (
            "threaten",
            "وهدد {A} {B} {D} مؤكدا أن صواريخه قادرة على الوصول إلى أي هدف.",
            {"A": "actor", "B": "target"},
            False,
            {"severity": "capability_boast"},
        ),
        (
            "threaten",
            "وتوعد {A} {D} بضرب {T}.",
            {"A": "actor", "T": "target"},
            False,
            {"severity": "explicit_violence"},
        ),
        (
            "claim_attack",
            "وأعلن {A} مسؤوليته {D} عن هجوم صاروخي على {T}.",
            {"A": "actor", "T": "target"},
            False,
            {},
        ),
        (
            "launch_media",
            "أطلق {A} موقعا إلكترونيا جديدا باللغة العبرية {D}.",
            {"A": "actor"},
            False,
            {},
        ),
        ("open_office", "افتتح {A} مكتبا جديدا في {P} {D}.", {"A": "actor"}, True, {}),
        ("aid", "ووزع {A} سلالا غذائية على العائلات في {P} {D}.", {"A": "actor"}, True, {}),
        ("fundraise", "وأطلق {A} حملة تبرعات في {P} {D}.", {"A": "actor"}, True, {}),
        ("train", "ونظم {A} دورة تدريبية لعناصره في {P} {D}.", {"A": "actor"}, True, {}),
        (
            "protest",
            "ونظم أنصار {A} مظاهرة في {P} {D} ضد {B}.",
            {"A": "actor", "B": "target"},
            True,
            {},
        ),
        ("funeral", "وشيع {A} في {P} {D} أحد قادته.", {"A": "actor"}, True, {}),
        (
            "cooperate",
            "ووقع {A} و{B} اتفاقا {D} لتنسيق أعمال الإغاثة في {P}.",
            {"A": "actor", "B": "participant"},
            True,
            {},
        ),
        ("deny", "ونفى {A} {D} أي دور في الهجوم على {T}.", {"A": "actor"}, False, {}),
        (
            "open_office",
            "ومن المقرر أن يفتتح {A} مكتبا في {P}.",
            {"A": "actor"},
            True,
            {"modality": "hypothetical", "no_date": True},
        ),
        # phrasings added after the lexicon was written (not tuned against)
        (
            "meet",
            "واستقبل {A} في {P} {D} وفدا من {B}.",
            {"A": "actor", "B": "participant"},
            True,
            {},
        ),
        (
            "statement",
            "وقال {A} في بيان صدر {D} إن الأوضاع في {P} مستقرة.",
            {"A": "actor"},
            True,
            {},
        ),
        ("attack", "وقصف {A} {D} مواقع {B} قرب {P}.", {"A": "actor", "B": "target"}, True, {}),
        ("recruit", "وفتح {A} باب التطوع في {P} {D}.", {"A": "actor"}, True, {}),
        (
            "arrest",
            "واعتقل {A} ثلاثة من عناصر {B} في {P} {D}.",
            {"A": "actor", "B": "target"},
            True,
            {},
        ),
        ("funeral", "وأحيا {A} في {P} {D} ذكرى استشهاد أحد قادته.", {"A": "actor"}, True, {}),
        (
            "threaten",
            "وحذر {A} {D} من أن {T} ستكون هدفا ما لم تنسحب.",
            {"A": "actor", "T": "target"},
            False,
            {"severity": "conditional"},
        ),
    ],
    "fa": [
        ("meet", "{A} با {B} در {P} {D} دیدار کرد.", {"A": "actor", "B": "participant"}, True, {}),
        (
            "meet",
            "به گفته {C}، {A} با {B} در {P} {D} دیدار و گفتگو کرد.",
            {"A": "actor", "B": "participant"},
            True,
            {},
        ),
        (
            "statement",
            "{A} {D} در {P} درباره انتخابات آینده سخنرانی کرد.",
            {"A": "actor"},
            True,
            {},
        ),
        (
            "threaten",
            "{A} {D} تهدید کرد که اگر حملات ادامه یابد {T} را هدف قرار خواهد داد.",
            {"A": "actor", "T": "target"},
            False,
            {"severity": "conditional"},
        ),
        (
            "threaten",
            "{A} {D} {B} را تهدید کرد و گفت بهای سنگینی خواهد پرداخت.",
            {"A": "actor", "B": "target"},
            False,
            {"severity": "vague"},
        ),
        (
            "threaten",
            "{A} {D} به {B} هشدار داد که موشک‌هایش توانایی رسیدن به هر هدفی را دارند.",
            {"A": "actor", "B": "target"},
            False,
            {"severity": "capability_boast"},
        ),
        (
            "claim_attack",
            "{A} {D} مسئولیت حمله پهپادی به {T} را بر عهده گرفت.",
            {"A": "actor", "T": "target"},
            False,
            {},
        ),
        (
            "launch_media",
            "{A} {D} یک وب‌سایت جدید به زبان عبری راه‌اندازی کرد.",
            {"A": "actor"},
            False,
            {},
        ),
        ("open_office", "{A} {D} دفتر جدیدی در {P} افتتاح کرد.", {"A": "actor"}, True, {}),
        ("aid", "{A} {D} بسته‌های غذایی میان خانواده‌ها در {P} توزیع کرد.", {"A": "actor"}, True, {}),
        (
            "train",
            "{A} {D} یک دوره آموزشی برای نیروهایش در {P} برگزار کرد.",
            {"A": "actor"},
            True,
            {},
        ),
        (
            "protest",
            "هواداران {A} {D} در {P} علیه {B} تظاهرات کردند.",
            {"A": "actor", "B": "target"},
            True,
            {},
        ),
        (
            "funeral",
            "{A} {D} در {P} مراسم تشییع یکی از فرماندهانش را برگزار کرد.",
            {"A": "actor"},
            True,
            {},
        ),
        (
            "cooperate",
            "{A} و {B} {D} برای هماهنگی امدادرسانی در {P} توافق‌نامه‌ای امضا کردند.",
            {"A": "actor", "B": "participant"},
            True,
            {},
        ),
        ("deny", "{A} {D} هرگونه نقش در حمله به {T} را تکذیب کرد.", {"A": "actor"}, False, {}),
        (
            "meet",
            "{A} قرار است با {B} در {P} دیدار کند.",
            {"A": "actor", "B": "participant"},
            True,
            {"modality": "hypothetical", "no_date": True},
        ),
        # phrasings added after the lexicon was written (not tuned against)
        (
            "meet",
            "{A} {D} در {P} میزبان هیئتی از {B} بود.",
            {"A": "actor", "B": "participant"},
            True,
            {},
        ),
        (
            "statement",
            "{A} {D} در بیانیه‌ای از مردم {P} خواست آرامش را حفظ کنند.",
            {"A": "actor"},
            True,
            {},
        ),
        (
            "attack",
            "{A} {D} مواضع {B} را در نزدیکی {P} هدف قرار داد.",
            {"A": "actor", "B": "target"},
            True,
            {},
        ),
        ("recruit", "{A} {D} در {P} ثبت‌نام داوطلبان را آغاز کرد.", {"A": "actor"}, True, {}),
        (
            "arrest",
            "{A} {D} سه عضو {B} را در {P} بازداشت کرد.",
            {"A": "actor", "B": "target"},
            True,
            {},
        ),
        (
            "fundraise",
            "{A} {D} در {P} پویش جمع‌آوری کمک‌های مردمی به راه انداخت.",
            {"A": "actor"},
            True,
            {},
        ),
        (
            "threaten",
            "{A} {D} هشدار داد که {T} هدف قرار خواهند گرفت مگر آنکه عقب‌نشینی کنند.",
            {"A": "actor", "T": "target"},
            False,
            {"severity": "conditional"},
        ),
    ],
    "he": [
        ("meet", "{A} נפגש עם {B} ב{P} {D}.", {"A": "actor", "B": "participant"}, True, {}),
        (
            "meet",
            "לדברי {C}, {A} נפגש עם משלחת של {B} ב{P} {D}.",
            {"A": "actor", "B": "participant"},
            True,
            {},
        ),
        ("statement", "{A} נשא נאום מצולם ב{P} {D} על הבחירות הקרובות.", {"A": "actor"}, True, {}),
        (
            "threaten",
            "{A} איים {D} לתקוף {T} אם ההפגזות יימשכו.",
            {"A": "actor", "T": "target"},
            False,
            {"severity": "conditional"},
        ),
        (
            "threaten",
            "{A} הזהיר את {B} {D} כי ישלם מחיר כבד.",
            {"A": "actor", "B": "target"},
            False,
            {"severity": "vague"},
        ),
        (
            "threaten",
            "{A} איים על {B} {D} וטען כי הוא מסוגל להגיע לכל מטרה.",
            {"A": "actor", "B": "target"},
            False,
            {"severity": "capability_boast"},
        ),
        (
            "claim_attack",
            '{A} נטל אחריות {D} על תקיפת כטב"ם נגד {T}.',
            {"A": "actor", "T": "target"},
            False,
            {},
        ),
        ("launch_media", "{A} השיק אתר חדש בשפה העברית {D}.", {"A": "actor"}, False, {}),
        ("open_office", "{A} פתח משרד חדש ב{P} {D}.", {"A": "actor"}, True, {}),
        ("aid", "{A} חילק סלי מזון למשפחות ב{P} {D}.", {"A": "actor"}, True, {}),
        ("fundraise", "{A} פתח במגבית ב{P} {D}.", {"A": "actor"}, True, {}),
        (
            "protest",
            "תומכי {A} קיימו הפגנה ב{P} {D} נגד {B}.",
            {"A": "actor", "B": "target"},
            True,
            {},
        ),
        ("funeral", "{A} ערך ב{P} {D} את הלווייתו של אחד ממפקדיו.", {"A": "actor"}, True, {}),
        (
            "cooperate",
            "{A} ו{B} חתמו {D} על הסכם לתיאום עבודת הסיוע ב{P}.",
            {"A": "actor", "B": "participant"},
            True,
            {},
        ),
        ("deny", "{A} הכחיש {D} כל מעורבות בתקיפה נגד {T}.", {"A": "actor"}, False, {}),
        (
            "meet",
            "{A} צפוי להיפגש עם {B} ב{P}.",
            {"A": "actor", "B": "participant"},
            True,
            {"modality": "hypothetical", "no_date": True},
        ),
        # phrasings added after the lexicon was written (not tuned against)
        ("meet", "{A} אירח ב{P} {D} משלחת של {B}.", {"A": "actor", "B": "participant"}, True, {}),
        (
            "statement",
            "בהודעה שפרסם {D} קרא {A} לתושבי {P} לשמור על השקט.",
            {"A": "actor"},
            True,
            {},
        ),
        ("attack", "{A} ירה רקטות לעבר {T} {D}.", {"A": "actor", "T": "target"}, False, {}),
        ("recruit", "{A} פתח במסע גיוס ב{P} {D}.", {"A": "actor"}, True, {}),
        (
            "arrest",
            "{A} עצר {D} שלושה פעילים של {B} ב{P}.",
            {"A": "actor", "B": "target"},
            True,
            {},
        ),
        ("train", "{A} ערך קורס הכשרה לפעיליו ב{P} {D}.", {"A": "actor"}, True, {}),
        (
            "threaten",
            "{A} הזהיר {D} כי {T} יותקפו אם לא ייסוגו.",
            {"A": "actor", "T": "target"},
            False,
            {"severity": "conditional"},
        ),
    ],
}
DISTRACTORS = {
    "en": [
        "{A} did not meet {B} in {P}, contrary to earlier reports.",
        "Local media carried photographs of the occasion.",
        "No further details were given.",
    ],
    "ar": [
        "ولم يلتق {A} مع {B} في {P} خلافا لما تردد.",
        "ونشرت وسائل إعلام محلية صورا من المناسبة.",
        "ولم تذكر تفاصيل إضافية.",
    ],
    "fa": [
        "{A} با {B} در {P} دیدار نکرد.",
        "رسانه‌های محلی تصاویری از این مناسبت منتشر کردند.",
        "جزئیات بیشتری منتشر نشد.",
    ],
    "he": [
        "{A} לא נפגש עם {B} ב{P}, בניגוד לדיווחים קודמים.",
        "כלי תקשורת מקומיים פרסמו תמונות מהאירוע.",
        "פרטים נוספים לא נמסרו.",
    ],
}


def fill(template: str, slots: dict[str, str]) -> str:
    text = template
    for slot, value in slots.items():
        text = text.replace("{" + slot + "}", value)
    text = " ".join(text.split()).replace(" .", ".").replace(" ,", ",").replace(" ،", "،")
    return text[:1].upper() + text[1:]


def event_sentence(
    language: str, published: datetime.date, rng: random.Random, template: Template
) -> tuple[str, dict[str, Any]]:
    kind, pattern, roles, uses_place, extra = template
    pool = dict(ACTORS)
    if language != "he":
        pool.update(IRAQI)
    a, b, c = rng.sample(sorted(pool), 3)
    place = rng.choice(sorted(CITIES))
    target, country = rng.choice(TARGETS[language])
    phrase, value, precision, certainty, source = date_slots(language, published, rng)
    if extra.get("no_date"):
        phrase, value, precision, certainty, source = (
            "",
            published.isoformat(),
            "day",
            "likely",
            "published",
        )
    surfaces = {
        "A": pool[a][language],
        "B": pool[b][language],
        "C": pool[c][language],
        "P": CITIES[place][language],
        "T": f"{target} {country}",
        "D": phrase,
    }
    text = fill(pattern, surfaces)
    ids = {"A": a, "B": b}
    actors = [
        {"surface": surfaces["T"], "role": role}
        if slot == "T"
        else {"entity": ids[slot], "role": role}
        for slot, role in roles.items()
    ]
    event = {
        "type": kind,
        "evidence": text,
        "actors": actors,
        "date": value,
        "precision": precision,
        "certainty": certainty,
        "date_source": source,
        "place": place if uses_place else None,
    }
    if "severity" in extra:
        event["severity"] = extra["severity"]
    if "modality" in extra:
        event["modality"] = extra["modality"]
    return text, event


def documents(language: str, rng: random.Random) -> list[dict[str, Any]]:
    found = []
    templates = TEMPLATES[language]
    for number in range(1, DOCS_PER_LANGUAGE + 1):
        published = datetime.date(2024, 1, 10) + datetime.timedelta(days=rng.randrange(300))
        sentences, events = [], []
        for index in range(2 + (number % 3 == 0)):
            template = templates[(number * 3 + index * 7) % len(templates)]
            text, event = event_sentence(language, published, rng, template)
            sentences.append(text)
            events.append(event)
        pool = dict(ACTORS)
        if language != "he":
            pool.update(IRAQI)
        a, b = rng.sample(sorted(pool), 2)
        distractor = fill(
            rng.choice(DISTRACTORS[language]),
            {
                "A": pool[a][language],
                "B": pool[b][language],
                "P": CITIES[rng.choice(sorted(CITIES))][language],
            },
        )
        sentences.insert(rng.randrange(len(sentences) + 1), distractor)
        found.append(
            {
                "id": f"{language}-{number:03d}",
                "language": language,
                "published": published.isoformat(),
                "text": "\n".join(sentences) + "\n",
                "events": events,
            }
        )
    return found


def main() -> None:
    rng = random.Random(6)
    items = [doc for language in ("ar", "fa", "he", "en") for doc in documents(language, rng)]
    header = (
        "# Events gold set, generated by events_generate.py (see there); scored by\n"
        "# bench/bench_events.py and tests/events/test_events_gold.py. Each document lists its\n"
        "# events: type, actors (KB entity or unlinked surface) with roles, date with precision,\n"
        "# certainty and source (text, or the publication date as fallback), place, severity.\n"
    )
    body = yaml.safe_dump({"documents": items}, allow_unicode=True, sort_keys=False, width=100)
    (HERE / "events.yaml").write_text(header + body, encoding="utf-8")
    print(f"{len(items)} documents, {sum(len(d['events']) for d in items)} events")


if __name__ == "__main__":
    main()
