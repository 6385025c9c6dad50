"""Writes linking.yaml, the linking gold set: synthetic, neutral news sentences in ar/fa/he/en
naming the entities of kb.yaml in varied spellings (listed aliases, transliteration and clitic
variants, near-misses for the fuzzy pass), with roles, bare titles, surnames after a full
mention, distractors and unknown names. Every expected link and relation is written out in
the YAML, so the file can be read and corrected by hand; re-run to regenerate:

    .venv/bin/python tests/link/gold/linking_generate.py
"""

from __future__ import annotations

from itertools import cycle
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).parent
Spellings = dict[str, list[str]]

# entity -> spellings used in the sentences, per language
PEOPLE: dict[str, Spellings] = {
    "en": {
        "gold-person-qassem": ["Naim Qassem", "Naim Qasim", "Naim Kassem", "Naeem Qassem"],
        "gold-person-haniyeh": ["Ismail Haniyeh", "Ismail Haniya", "Ismail Haniyah"],
        "gold-person-kaabi": ["Akram al-Kaabi", "Akram al-Ka'bi", "Akram Kaabi", "Akram el-Kabi"],
        "gold-person-khazali": ["Qais al-Khazali", "Qais al-Khazaali", "Qais Khazali"],
        "gold-person-nakhalah": ["Ziyad al-Nakhalah", "Ziyad al-Nakhala", "Ziad al-Nakhalah"],
        "gold-person-abdulmalik": ["Abdul-Malik al-Houthi", "Abdul-Malik al-Huthi"],
        "gold-person-qaani": ["Esmail Qaani", "Ismail Qaani", "Esmail Qa'ani"],
        "gold-person-berri": ["Nabih Berri"],
    },
    "ar": {
        "gold-person-qassem": ["نعيم قاسم", "الشيخ نعيم قاسم"],
        "gold-person-haniyeh": ["إسماعيل هنية", "اسماعيل هنيه"],
        "gold-person-kaabi": ["أكرم الكعبي", "اكرم الكعبي"],
        "gold-person-khazali": ["قيس الخزعلي"],
        "gold-person-nakhalah": ["زياد النخالة", "زياد النخاله"],
        "gold-person-abdulmalik": ["عبد الملك الحوثي", "عبدالملك الحوثي"],
        "gold-person-qaani": ["إسماعيل قاآني", "اسماعيل قاآني"],
        "gold-person-berri": ["نبيه بري", "نبيه برّي"],
    },
    "fa": {
        "gold-person-qassem": ["نعیم قاسم", "نعيم قاسم"],
        "gold-person-haniyeh": ["اسماعیل هنیه"],
        "gold-person-kaabi": ["اکرم کعبی", "اكرم كعبي"],
        "gold-person-khazali": ["قیس خزعلی"],
        "gold-person-nakhalah": ["زیاد نخاله"],
        "gold-person-abdulmalik": ["عبدالملک حوثی", "عبد الملک حوثی"],
        "gold-person-qaani": ["اسماعیل قاآنی"],
        "gold-person-berri": ["نبیه بری"],
    },
    "he": {
        "gold-person-qassem": ["נעים קאסם"],
        "gold-person-haniyeh": ["איסמאעיל הנייה"],
        "gold-person-kaabi": ["אכרם אל-כעבי"],
        "gold-person-khazali": ["קייס אל-ח'זעלי"],
        "gold-person-nakhalah": ["זיאד נח'אלה"],
        "gold-person-abdulmalik": ["עבד אל-מלכ אל-חות'י"],
        "gold-person-qaani": ["איסמעיל קאאני"],
        "gold-person-berri": ["נביה ברי"],
    },
}
ORGS: dict[str, Spellings] = {
    "en": {
        "gold-org-hezbollah": ["Hezbollah", "Hizballah", "Hizbullah"],
        "gold-org-hamas": ["Hamas", "the Islamic Resistance Movement"],
        "gold-org-nujaba": ["the Nujaba Movement", "Harakat Hezbollah al-Nujaba", "al-Nujaba"],
        "gold-org-kataib-hezbollah": ["Kata'ib Hezbollah", "Kataib Hezbollah", "Kataeb Hizbollah"],
        "gold-org-asaib": ["Asa'ib Ahl al-Haq", "Asaib Ahl al-Haq"],
        "gold-org-pij": ["Palestinian Islamic Jihad", "Islamic Jihad"],
        "gold-org-ansarallah": ["Ansarallah", "Ansar Allah", "the Houthi movement"],
        "gold-org-amal": ["the Amal Movement"],
        "gold-org-quds-force": ["the Quds Force"],
    },
    "ar": {
        "gold-org-hezbollah": ["حزب الله", "حزب اللّه"],
        "gold-org-hamas": ["حركة حماس", "حماس"],
        "gold-org-nujaba": ["حركة النجباء", "النجباء"],
        "gold-org-kataib-hezbollah": ["كتائب حزب الله"],
        "gold-org-asaib": ["عصائب أهل الحق", "عصائب اهل الحق"],
        "gold-org-pij": ["حركة الجهاد الإسلامي", "الجهاد الاسلامي"],
        "gold-org-ansarallah": ["أنصار الله", "جماعة الحوثي"],
        "gold-org-amal": ["حركة أمل"],
        "gold-org-quds-force": ["فيلق القدس"],
    },
    "fa": {
        "gold-org-hezbollah": ["حزب‌الله", "حزب الله"],
        "gold-org-hamas": ["حماس"],
        "gold-org-nujaba": ["جنبش نجبا"],
        "gold-org-kataib-hezbollah": ["کتائب حزب‌الله"],
        "gold-org-asaib": ["عصائب اهل الحق"],
        "gold-org-pij": ["جهاد اسلامی"],
        "gold-org-ansarallah": ["انصارالله"],
        "gold-org-amal": ["جنبش امل"],
        "gold-org-quds-force": ["نیروی قدس", "سپاه قدس"],
    },
    "he": {
        "gold-org-hezbollah": ["חיזבאללה"],
        "gold-org-hamas": ["חמאס"],
        "gold-org-nujaba": ["תנועת אל-נוג'באא"],
        "gold-org-kataib-hezbollah": ["כתאאב חיזבאללה"],
        "gold-org-asaib": ["עסאאב אהל אל-חק"],
        "gold-org-pij": ["הג'יהאד האסלאמי"],
        "gold-org-ansarallah": ["אנסאר אללה"],
        "gold-org-amal": ["תנועת אמל"],
        "gold-org-quds-force": ["כוח קודס"],
    },
}
# person -> (predicate, organisation), as in kb.yaml
ROLES = {
    "gold-person-qassem": ("secretary_general_of", "gold-org-hezbollah"),
    "gold-person-haniyeh": ("head_of_political_bureau_of", "gold-org-hamas"),
    "gold-person-kaabi": ("secretary_general_of", "gold-org-nujaba"),
    "gold-person-khazali": ("secretary_general_of", "gold-org-asaib"),
    "gold-person-nakhalah": ("secretary_general_of", "gold-org-pij"),
    "gold-person-abdulmalik": ("leader_of", "gold-org-ansarallah"),
    "gold-person-qaani": ("commander_of", "gold-org-quds-force"),
    "gold-person-berri": ("leader_of", "gold-org-amal"),
}
TITLES = {
    "en": {
        "secretary_general_of": "secretary-general",
        "head_of_political_bureau_of": "head of the political bureau",
        "leader_of": "leader",
        "commander_of": "commander",
    },
    "ar": {
        "secretary_general_of": "الأمين العام",
        "head_of_political_bureau_of": "رئيس المكتب السياسي",
        "leader_of": "زعيم",
        "commander_of": "قائد",
    },
    "fa": {
        "secretary_general_of": "دبیرکل",
        "head_of_political_bureau_of": "رئیس دفتر سیاسی",
        "leader_of": "رهبر",
        "commander_of": "فرمانده",
    },
    "he": {
        "secretary_general_of": 'מזכ"ל',
        "head_of_political_bureau_of": "ראש הלשכה המדינית של",
        "leader_of": "מנהיג",
        "commander_of": "מפקד",
    },
}
# {P} a person, {O} an organisation, {O2} another one; prefixes written onto a slot stay
# outside the expected surface.
MENTION_TEMPLATES = {
    "en": [
        "{P} met a delegation from {O} in the capital on Tuesday, according to a statement.",
        "A spokesman for {O} said {P} would attend the conference next week.",
        "{O} and {O2} issued a joint statement on the humanitarian situation.",
        "In a televised speech, {P} thanked the residents of the southern villages.",
        "Officials from {O} visited a hospital and a school in the city on Sunday.",
        "{O}'s media office published photographs of the meeting.",
        "Local television showed {P} greeting supporters after the ceremony.",
        "According to a source close to {O}, the committee will report by the end of the month.",
    ],
    "ar": [
        "التقى {P} وفدا من {O} في العاصمة يوم الثلاثاء بحسب بيان.",
        "قال متحدث باسم {O} إن {P} سيحضر المؤتمر الأسبوع المقبل.",
        "أصدرت {O} و{O2} بيانا مشتركا حول الوضع الإنساني.",
        "وفي كلمة متلفزة شكر {P} أهالي القرى الجنوبية.",
        "زار مسؤولون من {O} مستشفى ومدرسة في المدينة يوم الأحد.",
        "نشر المكتب الإعلامي ل{O} صورا من اللقاء.",
        "وأظهر التلفزيون المحلي {P} وهو يحيي أنصاره بعد الحفل.",
        "وبحسب مصدر مقرب من {O} فإن اللجنة سترفع تقريرها نهاية الشهر.",
    ],
    "fa": [
        "{P} روز سه‌شنبه با هیئتی از {O} در پایتخت دیدار کرد.",
        "سخنگوی {O} گفت {P} هفته آینده در این همایش شرکت می‌کند.",
        "{O} و {O2} بیانیه‌ای مشترک درباره وضعیت انسانی منتشر کردند.",
        "{P} در یک سخنرانی تلویزیونی از ساکنان روستاهای جنوبی تشکر کرد.",
        "مسئولان {O} روز یکشنبه از یک بیمارستان و یک مدرسه در شهر بازدید کردند.",
        "دفتر رسانه‌ای {O} تصاویری از این دیدار منتشر کرد.",
        "تلویزیون محلی {P} را در حال احوالپرسی با هوادارانش پس از مراسم نشان داد.",
        "به گفته منبعی نزدیک به {O}، این کمیته تا پایان ماه گزارش می‌دهد.",
    ],
    "he": [
        "{P} נפגש ביום שלישי עם משלחת של {O} בבירה, לפי הודעה.",
        "גורם ב{O} אמר כי {P} ישתתף בכנס בשבוע הבא.",
        "{O} ו{O2} פרסמו הודעה משותפת על המצב ההומניטרי.",
        "בנאום בטלוויזיה הודה {P} לתושבי הכפרים בדרום.",
        "נציגים של {O} ביקרו ביום ראשון בבית חולים ובבית ספר בעיר.",
        "משרד התקשורת של {O} פרסם תמונות מהפגישה.",
        "הטלוויזיה המקומית הראתה את {P} מברך תומכים אחרי הטקס.",
        "לדברי מקור המקורב ל{O}, הוועדה תגיש את מסקנותיה עד סוף החודש.",
    ],
}
# {P} holds {T} of {O}; {T2} is the same title standing alone, a later bare mention of {P}.
ROLE_TEMPLATES = {
    "en": [
        "{P}, the {T} of {O}, said on Monday that talks would continue. The {T} added "
        "that a committee would meet soon.",
        "{O}'s {T} {P} received a delegation of local notables on Wednesday.",
        "The {T} of {O}, {P}, called for calm in a brief statement.",
    ],
    "ar": [
        "قال {T} ل{O} {P} يوم الاثنين إن المحادثات ستستمر. وأضاف {T} أن لجنة ستجتمع قريبا.",
        "استقبل {P}، {T} ل{O}، وفدا من الوجهاء المحليين يوم الأربعاء.",
        "دعا {T} ل{O} {P} إلى التهدئة في بيان مقتضب.",
    ],
    "fa": [
        "{T} {O}، {P} روز دوشنبه گفت گفتگوها ادامه دارد. {T} افزود که کمیته‌ای به زودی "
        "تشکیل جلسه می‌دهد.",
        "{P}، {T} {O}، روز چهارشنبه هیئتی از معتمدان محلی را پذیرفت.",
        "{T} {O} {P} در بیانیه‌ای کوتاه خواستار آرامش شد.",
    ],
    "he": [
        "{T} {O} {P} אמר ביום שני כי השיחות יימשכו. {T} הוסיף כי ועדה תתכנס בקרוב.",
        "{P}, {T} {O}, אירח ביום רביעי משלחת של נכבדים מקומיים.",
        "{T} {O} {P} קרא להרגעה בהודעה קצרה.",
    ],
}
# A full name, then the surname alone: the surname links through the earlier mention.
SURNAME_TEMPLATES = {
    "en": "{P} arrived in the city on Friday. Later, {S} told reporters the visit was routine.",
    "ar": "وصل {P} إلى المدينة يوم الجمعة. وقال {S} لاحقا للصحفيين إن الزيارة روتينية.",
}
SURNAMES = {
    "en": {
        "gold-person-kaabi": ("Akram al-Kaabi", "Kaabi"),
        "gold-person-khazali": ("Qais al-Khazali", "Khazali"),
        "gold-person-haniyeh": ("Ismail Haniyeh", "Haniyeh"),
        "gold-person-berri": ("Nabih Berri", "Berri"),
    },
    "ar": {
        "gold-person-kaabi": ("أكرم الكعبي", "الكعبي"),
        "gold-person-khazali": ("قيس الخزعلي", "الخزعلي"),
        "gold-person-nakhalah": ("زياد النخالة", "النخالة"),
        "gold-person-abdulmalik": ("عبد الملك الحوثي", "الحوثي"),
    },
}
# No KB entity: unknown people and groups, everyday words that are also aliases (أمل is hope),
# surnames without an earlier full mention.
DISTRACTORS = {
    "en": [
        "The minister Karim al-Rawi opened a new water station in the district.",
        "Residents expressed hope that the road would reopen before winter.",
        "Sami Haddad, a local trader, said prices had risen this month.",
        "The Association of Olive Farmers held its annual meeting in the town hall.",
        "Kaabi said the market would stay open on Friday.",
        "Hassan Nasser, a teacher, said the school had received new books.",
        "The Green Valley Movement announced a tree planting campaign.",
        "Heavy rain closed the coastal highway for several hours.",
        "The secretary-general of the chamber of commerce welcomed the new regulations.",
        "A football match between two local clubs ended in a draw.",
    ],
    "ar": [
        "افتتح الوزير كريم الراوي محطة مياه جديدة في الحي.",
        "أعرب الأهالي عن أمل كبير في إعادة فتح الطريق قبل الشتاء.",
        "قال سامي حداد، وهو تاجر محلي، إن الأسعار ارتفعت هذا الشهر.",
        "عقدت جمعية مزارعي الزيتون اجتماعها السنوي في مبنى البلدية.",
        "قال الكعبي إن السوق سيبقى مفتوحا يوم الجمعة.",
        "أبدى الطلاب حماسا كبيرا للمسابقة العلمية في المدرسة.",
        "أعلنت حركة الوادي الأخضر عن حملة لزراعة الأشجار.",
        "أغلقت الأمطار الغزيرة الطريق الساحلي لعدة ساعات.",
        "رحب الأمين العام لغرفة التجارة بالأنظمة الجديدة.",
        "انتهت مباراة كرة القدم بين ناديين محليين بالتعادل.",
    ],
    "fa": [
        "وزیر کریم راوی یک ایستگاه آب جدید در این منطقه افتتاح کرد.",
        "ساکنان ابراز امیدواری کردند که جاده پیش از زمستان بازگشایی شود.",
        "سامی حداد، یک بازرگان محلی، گفت قیمت‌ها این ماه افزایش یافته است.",
        "انجمن باغداران زیتون نشست سالانه خود را در ساختمان شهرداری برگزار کرد.",
        "دانش‌آموزان با شور و امل فراوان در مسابقه علمی شرکت کردند.",
        "جنبش دره سبز از یک پویش درختکاری خبر داد.",
        "باران شدید جاده ساحلی را برای چند ساعت بست.",
        "دبیرکل اتاق بازرگانی از مقررات جدید استقبال کرد.",
        "مسابقه فوتبال میان دو باشگاه محلی مساوی به پایان رسید.",
        "قیمت نان در بازار شهر ثابت ماند.",
    ],
    "he": [
        "השר כרים אל-ראווי חנך תחנת מים חדשה ברובע.",
        "התושבים הביעו תקווה שהכביש ייפתח מחדש לפני החורף.",
        "סאמי חדאד, סוחר מקומי, אמר כי המחירים עלו החודש.",
        "אגודת מגדלי הזיתים קיימה את כנסה השנתי בבניין העירייה.",
        "תנועת העמק הירוק הודיעה על מבצע נטיעות.",
        "גשם כבד סגר את כביש החוף למשך כמה שעות.",
        'מזכ"ל לשכת המסחר בירך על התקנות החדשות.',
        "משחק כדורגל בין שתי קבוצות מקומיות הסתיים בתיקו.",
        "מחיר הלחם בשוק העיר נותר יציב.",
        "הכנס השנתי של המורים נערך בעיר הצפונית.",
    ],
}

# Hand-written cases not shaped by the templates: unlisted spellings, plurals, acronyms,
# look-alike groups, surnames without a full mention. Some are expected to be missed.
L = dict[str, Any]


def link(entity: str, surface: str) -> L:
    return {"entity": entity, "surface": surface}


def rel(subject: str, predicate: str, obj: str) -> L:
    return {"subject": subject, "predicate": predicate, "object": obj}


HARD: dict[str, list[tuple[str, list[L], list[L]]]] = {
    "en": [
        (
            "Hizballah's Secretary General Naim Qassim said the talks would go on.",
            [link("gold-org-hezbollah", "Hizballah"), link("gold-person-qassem", "Naim Qassim")],
            [rel("gold-person-qassem", "secretary_general_of", "gold-org-hezbollah")],
        ),
        (
            "Yemen's Houthis said they had received the delegation.",
            [link("gold-org-ansarallah", "Houthis")],
            [],
        ),
        (
            "Hamas leader Ismail Haniyeh arrived in Doha on Thursday.",
            [link("gold-org-hamas", "Hamas"), link("gold-person-haniyeh", "Ismail Haniyeh")],
            [rel("gold-person-haniyeh", "leader_of", "gold-org-hamas")],
        ),
        (
            "The lawyer Amal Haddad said the hearing was postponed.",
            [],
            [],
        ),
        (
            "Egyptian Islamic Jihad, a different and long-dissolved group, was also discussed.",
            [],
            [],
        ),
        (
            "Haniyeh told reporters the ceasefire talks had resumed.",
            [link("gold-person-haniyeh", "Haniyeh")],
            [],
        ),
        (
            "IRGC-QF commander Esmail Qaani visited Baghdad, officials said.",
            [link("gold-person-qaani", "Esmail Qaani")],
            [],
        ),
    ],
    "ar": [
        (
            "قال الشيخ قيس الخزعلي الأمين العام لعصائب أهل الحق إن الانتخابات ستجري في موعدها.",
            [link("gold-person-khazali", "قيس الخزعلي"), link("gold-org-asaib", "عصائب أهل الحق")],
            [rel("gold-person-khazali", "secretary_general_of", "gold-org-asaib")],
        ),
        (
            "قال الحوثيون إنهم تسلموا الرسالة.",
            [link("gold-org-ansarallah", "الحوثيون")],
            [],
        ),
        (
            "قالت الطبيبة أمل حسن إن المستشفى استقبل عشرات الحالات.",
            [],
            [],
        ),
        (
            "وقال هنية للصحفيين إن المحادثات استؤنفت.",
            [link("gold-person-haniyeh", "هنية")],
            [],
        ),
        (
            "وأكد حزب الله اللبناني في بيان أن الوفد عاد إلى بيروت.",
            [link("gold-org-hezbollah", "حزب الله")],
            [],
        ),
        (
            "زار وفد من حماس ومن الجهاد الإسلامي القاهرة.",
            [link("gold-org-hamas", "حماس"), link("gold-org-pij", "الجهاد الإسلامي")],
            [],
        ),
    ],
    "fa": [
        (
            "فرمانده نیروی قدس سردار قاآنی روز شنبه وارد بغداد شد.",
            [link("gold-org-quds-force", "نیروی قدس"), link("gold-person-qaani", "قاآنی")],
            [rel("gold-person-qaani", "commander_of", "gold-org-quds-force")],
        ),
        (
            "سید حسن نصرالله در سخنرانی خود از مردم تشکر کرد.",
            [],
            [],
        ),
        (
            "حوثی‌ها اعلام کردند که پیام را دریافت کرده‌اند.",
            [link("gold-org-ansarallah", "حوثی‌ها")],
            [],
        ),
        (
            "نمایندگان حماس و جهاد اسلامی فلسطین در قاهره گفتگو کردند.",
            [link("gold-org-hamas", "حماس"), link("gold-org-pij", "جهاد اسلامی")],
            [],
        ),
        (
            "خانم امل رضایی، معلم، گفت مدرسه بازگشایی شد.",
            [],
            [],
        ),
    ],
    "he": [
        (
            "דובר ארגון החמאס אמר כי המשלחת חזרה.",
            [link("gold-org-hamas", "חמאס")],
            [],
        ),
        (
            "דובר חזבאללה אמר כי הארגון יגיב בהמשך.",
            [link("gold-org-hezbollah", "חזבאללה")],
            [],
        ),
        (
            "מנהיג אנסאר אללה עבד אל-מלכ אל-חות'י נשא נאום ביום חמישי.",
            [
                link("gold-org-ansarallah", "אנסאר אללה"),
                link("gold-person-abdulmalik", "עבד אל-מלכ אל-חות'י"),
            ],
            [rel("gold-person-abdulmalik", "leader_of", "gold-org-ansarallah")],
        ),
        (
            "הנייה אמר לכתבים כי המגעים חודשו.",
            [link("gold-person-haniyeh", "הנייה")],
            [],
        ),
        (
            "עורכת הדין אמל חדאד אמרה כי הדיון נדחה.",
            [],
            [],
        ),
    ],
}


def hard_items(language: str) -> list[dict[str, Any]]:
    return [
        {"text": text, "links": links, "relations": relations}
        for text, links, relations in HARD[language]
    ]


def fill(template: str, slots: dict[str, tuple[str, str | None]]) -> tuple[str, list[Any]]:
    """The sentence, and its expected links in order of appearance."""
    text = template
    links: list[tuple[int, dict[str, str]]] = []
    for slot in sorted(slots, key=len, reverse=True):
        surface, entity = slots[slot]
        text = text.replace("{" + slot + "}", surface)
    for slot, (surface, entity) in slots.items():
        if entity is None:
            continue
        start = -1
        for _ in range(template.count("{" + slot + "}")):
            start = text.find(surface, start + 1)
            links.append((start, {"entity": entity, "surface": surface}))
    links.sort(key=lambda pair: pair[0])
    return text, [link for _, link in links]


def mention_items(language: str) -> list[dict[str, Any]]:
    people = list(PEOPLE[language].items())
    orgs = list(ORGS[language].items())
    items = []
    person_spellings = {e: cycle(s) for e, s in people}
    org_spellings = {e: cycle(s) for e, s in orgs}
    for round_number in range(5):
        for index, template in enumerate(MENTION_TEMPLATES[language]):
            person = people[(index + round_number * 3) % len(people)][0]
            org = orgs[(index * 2 + round_number) % len(orgs)][0]
            other = orgs[(index * 2 + round_number + 4) % len(orgs)][0]
            text, links = fill(
                template,
                {
                    "P": (next(person_spellings[person]), person),
                    "O": (next(org_spellings[org]), org),
                    "O2": (next(org_spellings[other]), other),
                },
            )
            items.append({"text": text, "links": links, "relations": []})
    return items


def role_items(language: str) -> list[dict[str, Any]]:
    items = []
    person_spellings = {e: cycle(s) for e, s in PEOPLE[language].items()}
    for template in ROLE_TEMPLATES[language]:
        for person, (predicate, org) in ROLES.items():
            title = TITLES[language][predicate]
            text, links = fill(
                template,
                {
                    "P": (next(person_spellings[person]), person),
                    "O": (ORGS[language][org][0], org),
                    "T": (title, None),
                },
            )
            if template.count("{T}") > 1:  # the bare title links to the person
                bare_at = text.rfind(title)
                links.append({"entity": person, "surface": title, "at": bare_at})
            relation = {"subject": person, "predicate": predicate, "object": org}
            items.append({"text": text, "links": links, "relations": [relation]})
    return items


def surname_items(language: str) -> list[dict[str, Any]]:
    template = SURNAME_TEMPLATES.get(language)
    if template is None:
        return []
    items = []
    for person, (full, surname) in SURNAMES[language].items():
        text = template.replace("{P}", full).replace("{S}", surname)
        links = [
            {"entity": person, "surface": full},
            {"entity": person, "surface": surname, "at": text.rfind(surname)},
        ]
        items.append({"text": text, "links": links, "relations": []})
    return items


def main() -> None:
    items = []
    for language in ("ar", "fa", "he", "en"):
        generated = (
            mention_items(language)
            + role_items(language)
            + surname_items(language)
            + hard_items(language)
            + [{"text": t, "links": [], "relations": []} for t in DISTRACTORS[language]]
        )
        for number, item in enumerate(generated, start=1):
            items.append({"id": f"{language}-{number:03d}", "language": language, **item})
    header = (
        "# Linking gold set, generated by linking_generate.py (see there); scored by\n"
        "# bench/bench_linking.py and tests/link/test_linking_gold.py against kb.yaml.\n"
        "# links: entity and surface as written (`at`: its offset when the surface occurs\n"
        "# more than once); relations: subject, predicate, object read in the text.\n"
    )
    body = yaml.safe_dump({"items": items}, allow_unicode=True, sort_keys=False, width=100)
    (HERE / "linking.yaml").write_text(header + body, encoding="utf-8")
    print(f"{len(items)} items written")


if __name__ == "__main__":
    main()
