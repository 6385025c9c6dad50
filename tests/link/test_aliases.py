"""Alias variants: the spellings, scripts and attached forms generated for one KB alias."""

import pytest

from marsad.link.aliases import default_variant_generator, detect_script
from marsad.text.normalize import default_normalizer


def variant_names(name: str, language: str) -> set[str]:
    return {variant.name for variant in default_variant_generator().variants(name, language)}


def variant_keys(name: str, language: str) -> set[str]:
    key = default_normalizer().key
    return {key(variant) for variant in variant_names(name, language)}


@pytest.mark.parametrize(
    ("alias", "expected"),
    [
        ("Akram al-Ka'bi", {"Akram el-Ka'bi", "Akram Ka'bi", "Akram al Ka'bi"}),  # article
        ("Akram al-Ka'bi", {"Akram al-Kaʿbi", "Akram al-Kaʾbi", "Akram al-Ka’bi"}),  # ain/hamza
        ("Akram al-Ka'bi", {"Akram al-Kaabi", "Akram al-Kabi"}),  # spelling family
        ("Naim Qassem", {"Naim Qasem", "Naim Kassem", "Naim Qasim"}),
        ("Ismail Haniyeh", {"Ismail Haniya", "Ismail Haniyah"}),
        ("Ziyad al-Nakhalah", {"Ziyad al-Nakhala", "Ziyad Nakhalah"}),
        (
            "Harakat Hezbollah al-Nujaba",
            {"Harakat Hizballah al-Nujaba", "Harakat Hezbollah Nujaba"},
        ),
        ("Mousa Abu Marzouk", {"Musa Abu Marzuk"}),  # ou → u
    ],
)
def test_latin_transliteration_families(alias: str, expected: set[str]) -> None:
    assert expected <= variant_names(alias, "en")


def test_english_possessives_after_a_final_s_and_otherwise() -> None:
    assert {"Hamas'", "Hamas's"} <= variant_names("Hamas", "en")
    assert "Hezbollah's" in variant_names("Hezbollah", "en")


def test_a_dropped_article_never_leaves_a_short_common_word() -> None:
    # "al-Manar" without its article would be "Manar", a word and a first name.
    assert "Manar" not in variant_names("al-Manar", "en")


def test_arabic_clitic_forms_including_the_lam_alef_lam_contraction() -> None:
    assert {"وحماس", "لحماس", "بحماس"} <= variant_names("حماس", "ar")
    # ل + النجباء is written للنجباء; ل + حركة simply joins.
    assert "لحركة النجباء" in variant_names("حركة النجباء", "ar")
    assert "للنجباء" in variant_names("النجباء", "ar")


def test_persian_spellings_of_an_arabic_name_fold_to_a_variant() -> None:
    key = default_normalizer().key
    assert key("اکرم کعبی") in variant_keys("أكرم الكعبي", "ar")
    assert key("حرکت نجباء") in variant_keys("حركة النجباء", "ar")
    # الله is never stripped of its article.
    assert key("حزب له") not in variant_keys("حزب الله", "ar")


def test_joined_and_apart_spellings_of_allah_names() -> None:
    assert "نصرالله" in variant_names("نصر الله", "ar")
    assert "عبدالملك الحوثي" in variant_names("عبد الملك الحوثي", "ar")


def test_hebrew_prefixes_and_geresh_forms() -> None:
    assert {"וחמאס", "בחמאס", "שחמאס"} <= variant_names("חמאס", "he")
    assert "הג׳יהאד האסלאמי" in variant_names("הג'יהאד האסלאמי", "he")


def test_every_variant_is_distinct_after_normalisation_and_differs_from_the_alias() -> None:
    key = default_normalizer().key
    variants = default_variant_generator().variants("Akram al-Ka'bi", "en")
    keys = [key(v.name) for v in variants]
    assert len(keys) == len(set(keys))
    assert key("Akram al-Ka'bi") not in keys


def test_variants_of_an_arabic_alias_are_labelled_with_the_language_they_are_written_in() -> None:
    variants = default_variant_generator().variants("حركة النجباء", "ar")
    languages = {v.name: v.language for v in variants}
    assert languages["لحركة النجباء"] == "ar"
    assert "fa" in languages.values()


def test_detect_script_by_majority_of_letters() -> None:
    assert detect_script("Hamas") == "Latn"
    assert detect_script("حماس 2024") == "Arab"
    assert detect_script("חמאס") == "Hebr"
    assert detect_script("2024") is None
