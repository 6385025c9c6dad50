"""Roles read in text: relations with evidence spans, and bare titles resolved to the holder."""

import pytest

from marsad.errors import ConfigError
from marsad.link.linker import DocumentLinker
from marsad.link.matcher import AliasMatcher, KnownName
from marsad.link.roles import LanguageRoles
from marsad.text.normalize import default_normalizer

NAMES = [
    KnownName("org-hezbollah", "organization", "Hezbollah"),
    KnownName("org-hezbollah", "organization", "حزب الله"),
    KnownName("org-hezbollah", "organization", "حزب‌الله"),
    KnownName("org-hezbollah", "organization", "חיזבאללה"),
    KnownName("org-hamas", "organization", "Hamas"),
    KnownName("org-hamas", "organization", "حماس"),
    KnownName("org-nujaba", "organization", "حركة النجباء"),
    KnownName("org-nujaba", "organization", "Nujaba Movement"),
    KnownName("person-qassem", "person", "Naim Qassem"),
    KnownName("person-qassem", "person", "نعيم قاسم"),
    KnownName("person-qassem", "person", "نعیم قاسم"),
    KnownName("person-qassem", "person", "נעים קאסם"),
    KnownName("person-haniyeh", "person", "Ismail Haniyeh"),
    KnownName("person-kaabi", "person", "Akram al-Kaabi"),
    KnownName("person-kaabi", "person", "أكرم الكعبي"),
]
LINKER = DocumentLinker(AliasMatcher(NAMES))


def roles(text: str, language: str) -> list[tuple[str, str, str, str]]:
    links = LINKER.link(text, [(0, len(text), language)])
    return [
        (r.subject_id, r.predicate, r.object_id, text[r.start : r.end]) for r in links.relations
    ]


def titled(text: str, language: str) -> list[tuple[str, str]]:
    links = LINKER.link(text, [(0, len(text), language)])
    return [(m.entity_id, m.surface) for m in links.mentions if m.method == "role"]


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        (
            "Akram al-Kaabi, the secretary-general of the Nujaba Movement, spoke on Monday.",
            "en",
            ("person-kaabi", "secretary_general_of", "org-nujaba"),
        ),
        (
            "Hezbollah's secretary-general Naim Qassem received a delegation.",
            "en",
            ("person-qassem", "secretary_general_of", "org-hezbollah"),
        ),
        (
            "The head of Hamas's political bureau, Ismail Haniyeh, travelled on Sunday.",
            "en",
            ("person-haniyeh", "head_of_political_bureau_of", "org-hamas"),
        ),
        (
            "قال الأمين العام لحركة النجباء أكرم الكعبي إن اللجنة ستجتمع.",
            "ar",
            ("person-kaabi", "secretary_general_of", "org-nujaba"),
        ),
        (
            "استقبل نعيم قاسم، نائب الأمين العام لحزب الله، وفدا.",
            "ar",
            ("person-qassem", "deputy_secretary_general_of", "org-hezbollah"),
        ),
        (
            "دبیرکل حزب‌الله لبنان، نعیم قاسم روز دوشنبه سخنرانی کرد.",
            "fa",
            ("person-qassem", "secretary_general_of", "org-hezbollah"),
        ),
        (
            'מזכ"ל חיזבאללה נעים קאסם אמר ביום שני כי השיחות יימשכו.',
            "he",
            ("person-qassem", "secretary_general_of", "org-hezbollah"),
        ),
    ],
)
def test_role_patterns_give_relations_with_evidence(
    text: str, language: str, expected: tuple[str, str, str]
) -> None:
    (found,) = roles(text, language)
    assert found[:3] == expected
    quote = found[3]
    # The evidence holds both names and the title.
    assert quote in text and len(quote) >= 20


def test_no_relation_without_the_pattern() -> None:
    assert roles("Naim Qassem met Hamas officials on Monday.", "en") == []
    assert roles("Naim Qassem, the secretary-general of Hezbollah, spoke.", "he") == []


def test_a_later_bare_title_is_the_holder() -> None:
    text = (
        "Akram al-Kaabi, the secretary-general of the Nujaba Movement, spoke. "
        "The secretary-general added that a committee would meet."
    )
    assert titled(text, "en") == [("person-kaabi", "secretary-general")]
    arabic = (
        "قال الأمين العام لحركة النجباء أكرم الكعبي إن اللجنة ستجتمع. "
        "وأضاف الأمين العام أنها مستمرة."
    )
    assert titled(arabic, "ar") == [("person-kaabi", "الأمين العام")]


def test_a_bare_title_of_another_organisation_is_not_the_holder() -> None:
    text = (
        "Akram al-Kaabi, the secretary-general of the Nujaba Movement, spoke. "
        "The secretary-general of Hamas did not."
    )
    assert titled(text, "en") == []


def test_a_bare_title_before_any_role_is_nobody() -> None:
    text = (
        "The secretary-general spoke first. Naim Qassem, the secretary-general of Hezbollah, spoke."
    )
    assert titled(text, "en") == []


def test_malformed_role_data_is_a_clear_error() -> None:
    with pytest.raises(ConfigError, match=r"lexicons/xx/roles\.yaml"):
        LanguageRoles.from_data("xx", {"titles": {"leader_of": ["leader"]}}, default_normalizer())
