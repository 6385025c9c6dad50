"""The alias matcher: word boundaries, clitic prefixes, longest match, original offsets, and
context for names that could mean something else."""

from marsad.link.matcher import AliasMatcher, KnownName

NAMES = [
    KnownName("org-hamas", "organization", "حماس"),
    KnownName("org-hamas", "organization", "Hamas"),
    KnownName("org-hamas", "organization", "חמאס"),
    KnownName("org-hezbollah", "organization", "حزب الله"),
    KnownName("org-hezbollah", "organization", "חיזבאללה"),
    KnownName("org-kataib", "organization", "كتائب حزب الله"),
    KnownName("org-nujaba", "organization", "النجباء"),
    KnownName("org-nujaba", "organization", "Nujaba Movement"),
    KnownName("org-amal", "organization", "Amal Movement"),
    KnownName("org-amal", "organization", "Amal"),
    KnownName("org-amal", "organization", "أمل"),
    KnownName("org-amal", "organization", "حركة أمل"),
    KnownName("person-kaabi", "person", "Akram al-Kaabi"),
    KnownName("person-kaabi", "person", "أكرم الكعبي"),
    KnownName("person-berri", "person", "Nabih Berri"),
]
MEMBERSHIPS = {"person-kaabi": ["org-nujaba"], "person-berri": ["org-amal"]}


def found(text: str, names: list[KnownName] = NAMES) -> list[tuple[str, str, str]]:
    matcher = AliasMatcher(names, MEMBERSHIPS)
    return [(m.entity_id, m.surface, m.method) for m in matcher.find_mentions(text)]


def test_arabic_clitic_prefixes_link_and_stay_outside_the_mention() -> None:
    text = "قال مسؤول في حزب الله وحماس وبحزب الله إن الاجتماع انتهى"
    assert found(text) == [
        ("org-hezbollah", "حزب الله", "alias"),
        ("org-hamas", "حماس", "alias"),
        ("org-hezbollah", "حزب الله", "alias"),
    ]


def test_lam_before_the_article_is_written_contracted() -> None:
    assert found("وجه التحية للنجباء وللنجباء") == [
        ("org-nujaba", "للنجباء", "alias"),
        ("org-nujaba", "للنجباء", "alias"),
    ]


def test_hebrew_prefixes() -> None:
    assert [m[:2] for m in found("דובר בחיזבאללה ושל חמאס")] == [
        ("org-hezbollah", "חיזבאללה"),
        ("org-hamas", "חמאס"),
    ]


def test_a_name_inside_a_longer_word_is_not_a_mention() -> None:
    assert found("أبدى الطلاب حماسا كبيرا والحماسة واضحة") == []
    assert found("The Hamasian dialect is fictional") == []


def test_longest_match_wins() -> None:
    assert found("أعلنت كتائب حزب الله") == [("org-kataib", "كتائب حزب الله", "alias")]


def test_offsets_point_into_the_original_text_with_diacritics_and_tatweel() -> None:
    text = "قالت حَمـاس إن حِزْبُ اللهِ وافق"
    matcher = AliasMatcher(NAMES)
    mentions = matcher.find_mentions(text)
    assert [(m.entity_id, text[m.start : m.end]) for m in mentions] == [
        ("org-hamas", "حَمـاس"),
        ("org-hezbollah", "حِزْبُ اللهِ"),
    ]
    assert all(m.surface == text[m.start : m.end] for m in mentions)


def test_latin_case_is_folded() -> None:
    assert found("HAMAS said") == [("org-hamas", "HAMAS", "alias")]


def test_bare_surname_needs_an_earlier_full_mention() -> None:
    assert found("Kaabi said the market would open.") == []
    assert found("Akram al-Kaabi arrived. Later Kaabi said the visit was routine.") == [
        ("person-kaabi", "Akram al-Kaabi", "alias"),
        ("person-kaabi", "Kaabi", "context"),
    ]
    assert found("وصل أكرم الكعبي. وقال الكعبي إن الزيارة روتينية") == [
        ("person-kaabi", "أكرم الكعبي", "alias"),
        ("person-kaabi", "الكعبي", "context"),
    ]


def test_surname_before_the_full_mention_stays_unlinked() -> None:
    assert found("Kaabi said it first; Akram al-Kaabi said it later.") == [
        ("person-kaabi", "Akram al-Kaabi", "alias")
    ]


def test_bare_surname_links_through_a_co_mentioned_organisation() -> None:
    assert found("A Nujaba Movement statement quoted Kaabi at length.") == [
        ("org-nujaba", "Nujaba Movement", "alias"),
        ("person-kaabi", "Kaabi", "context"),
    ]
    assert found("A statement quoted Berri at length.") == []


def test_alias_that_is_an_everyday_word_needs_context() -> None:
    assert found("أعرب الأهالي عن أمل كبير") == []
    assert found("Residents expressed hope; Amal officials agreed.") == []
    assert found("قالت حركة أمل إن أمل لن تشارك") == [
        ("org-amal", "حركة أمل", "alias"),
        ("org-amal", "أمل", "context"),
    ]


def test_a_name_two_entities_share_links_only_with_context() -> None:
    names = [
        *NAMES,
        KnownName("person-other", "person", "Nabih Berri"),
    ]
    assert found("Nabih Berri spoke.", names) == []
    assert found("The Amal Movement said Nabih Berri spoke.", names) == [
        ("org-amal", "Amal Movement", "alias"),
        ("person-berri", "Nabih Berri", "context"),
    ]


def test_empty_knowledge_base_finds_nothing() -> None:
    assert AliasMatcher([]).find_mentions("حماس Hamas") == []


def test_stored_clitic_and_possessive_variants_give_the_bare_name() -> None:
    names = [
        *NAMES,
        KnownName("org-hamas", "organization", "Hamas's"),
        KnownName("org-hezbollah", "organization", "لحزب الله"),
    ]
    text = "Hamas's office wrote to the office of Hezbollah, لحزب الله"
    assert [m[:2] for m in found(text, names)] == [
        ("org-hamas", "Hamas"),
        ("org-hezbollah", "حزب الله"),
    ]
