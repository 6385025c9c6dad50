"""Adjectives of nationality name a country as the affiliation of the noun beside them, never as
a mention of the country (data/lexicons/<lang>/demonyms.yaml)."""

import pytest

from marsad.link.matcher import AliasMatcher, KnownName

NAMES = [
    KnownName("marsad-place-ir", "country", "Iran", language="en"),
    KnownName("marsad-place-ir", "country", "إيران", language="ar"),
    KnownName("marsad-place-ir", "country", "ایران", language="fa"),
    KnownName("marsad-place-ir", "country", "איראן", language="he"),
    KnownName("marsad-place-iq", "country", "Iraq", language="en"),
    KnownName("marsad-place-iq", "country", "العراق", language="ar"),
    KnownName("marsad-place-iq", "country", "عراق", language="ur"),
    KnownName("marsad-place-sa", "country", "السعودية", language="ar"),
    KnownName("person-hadi", "person", "Abd al-Hadi al-Iraqi", language="en"),
]


def links(text: str, language: str) -> tuple[list[tuple[str, str]], list[tuple[str, str, str]]]:
    mentions, affiliations = AliasMatcher(NAMES).find_links(text, [(0, len(text), language)])
    return [(m.entity_id, m.surface) for m in mentions], [
        (
            a.entity_id,
            a.surface,
            text[a.head_start : a.head_end] if a.head_start is not None else "",
        )
        for a in affiliations
    ]


@pytest.mark.parametrize(
    ("text", "language", "affiliation"),
    [
        (
            "Iranian-backed militias shelled the base.",
            "en",
            ("marsad-place-ir", "Iranian", "militias"),
        ),
        ("Iran-backed groups shelled the base.", "en", ("marsad-place-ir", "Iran", "groups")),
        ("Iraqi forces entered the town.", "en", ("marsad-place-iq", "Iraqi", "forces")),
        ("قالت الفصائل العراقية إنها انسحبت", "ar", ("marsad-place-iq", "العراقية", "الفصائل")),
        ("نیروهای ایرانی عقب‌نشینی کردند", "fa", ("marsad-place-ir", "ایرانی", "نیروهای")),
        ("הכוחות האיראניים נסוגו", "he", ("marsad-place-ir", "איראניים", "הכוחות")),
        ("ایرانی افواج واپس چلی گئیں", "ur", ("marsad-place-ir", "ایرانی", "افواج")),
    ],
)
def test_an_adjective_of_nationality_is_an_affiliation_not_a_mention(
    text: str, language: str, affiliation: tuple[str, str, str]
) -> None:
    assert links(text, language) == ([], [affiliation])


def test_the_country_named_as_a_noun_is_still_a_mention() -> None:
    assert links("Officials in Iran said so.", "en") == ([("marsad-place-ir", "Iran")], [])
    # السعودية is the country after a preposition, the adjective "Saudi" after a definite noun
    mentions, affiliations = links("وصل الوفد إلى السعودية وتحدث عن الديون السعودية", "ar")
    assert [m[0] for m in mentions] == ["marsad-place-sa"]
    assert [(a[0], a[2]) for a in affiliations] == [("marsad-place-sa", "الديون")]
