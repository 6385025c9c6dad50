"""The fuzzy pass: Latin-script spellings the KB does not list, linked conservatively."""

from marsad.link.fuzzy import FuzzyLatinMatcher
from marsad.link.matcher import AliasMatcher, KnownName

NAMES = [
    KnownName("person-nakhalah", "person", "Ziyad al-Nakhalah"),
    KnownName("person-khazali", "person", "Qais al-Khazali"),
    KnownName("org-kataib", "organization", "Kata'ib Hezbollah"),
    KnownName("person-hassan-a", "person", "Hassan Nasrallah"),
    KnownName("person-hassan-b", "person", "Hassan Nasrallahi"),
]


def fuzzy(text: str, min_score: float = 90.0) -> list[tuple[str, str]]:
    matcher = AliasMatcher(NAMES)
    exact = matcher.find_mentions(text)
    found = FuzzyLatinMatcher(matcher, min_score).find_mentions(text, exact)
    for mention in found:
        assert text[mention.start : mention.end] == mention.surface
        assert mention.method == "fuzzy" and mention.confidence < 0.9 + 1e-9
    return [(m.entity_id, m.surface) for m in found]


def test_near_spelling_links_to_the_closest_alias() -> None:
    assert fuzzy("Ziad al-Nakhalah met Qais al-Khazaly in the city.") == [
        ("person-nakhalah", "Ziad al-Nakhalah"),
        ("person-khazali", "Qais al-Khazaly"),
    ]


def test_names_already_linked_exactly_are_left_alone() -> None:
    assert fuzzy("Qais al-Khazali spoke.") == []


def test_a_different_name_is_not_linked() -> None:
    assert fuzzy("Hassan Nasser, a teacher, and Qais Haddad spoke.") == []


def test_two_entities_nearly_as_close_means_no_link() -> None:
    assert fuzzy("Hassan Nasrallahh spoke.") == []


def test_the_threshold_is_respected() -> None:
    assert fuzzy("Kataeb Hezbolah said", min_score=99.0) == []
    assert fuzzy("Kataeb Hezbolah said", min_score=85.0) == [("org-kataib", "Kataeb Hezbolah")]
