"""Finding phrases that date something by another happening, in four languages."""

import pytest

from marsad.text.dates.anchors import default_reference_finder
from marsad.text.normalize import default_normalizer

CASES = [
    (
        "en",
        "The two commanders met around the time of Soleimani's funeral in Baghdad.",
        "funeral",
        "around the time of",
        "Soleimani",
    ),
    (
        "ar",
        "التقى القائدان بالتزامن مع تشييع سليماني في بغداد.",
        "funeral",
        "بالتزامن مع",
        "سليماني",
    ),
    (
        "fa",
        "دو فرمانده همزمان با مراسم تشییع سلیمانی در بغداد دیدار کردند.",
        "funeral",
        "همزمان با",
        "سلیمانی",
    ),
    ("he", "שני המפקדים נפגשו בזמן הלווייתו של סולימאני בבגדאד.", "funeral", "בזמן", "סולימאני"),
    ("ar", "وعقد الاجتماع خلال زيارة الكعبي إلى طهران.", "meet", "خلال", "الكعبي"),
]


@pytest.mark.parametrize(("language", "text", "kind", "cue", "name"), CASES)
def test_references_are_found_with_original_offsets(
    language: str, text: str, kind: str, cue: str, name: str
) -> None:
    (reference,) = default_reference_finder().find(text, language)
    assert reference.event_type == kind
    assert text[reference.start :].startswith(cue)
    key = default_normalizer().key(name)
    end = reference.name_end([key, "someone else"])
    assert end is not None and text[:end].endswith(name)


def test_a_cue_without_an_event_noun_is_not_a_reference() -> None:
    finder = default_reference_finder()
    assert finder.find("The talks went on during the night in Baghdad.", "en") == []
    assert finder.find("وقال خلال حديثه للصحفيين إن الوضع هادئ.", "ar") == []


def test_the_event_noun_must_be_in_the_same_clause() -> None:
    text = "They met during the night, and the funeral of Soleimani followed."
    assert default_reference_finder().find(text, "en") == []


def test_names_carry_clitics_and_variant_letters() -> None:
    (reference,) = default_reference_finder().find("وذلك أثناء تشييع القائد لسليمانى.", "ar")
    # ى (alef maqsura) and ي fold together, and the ل prefix is allowed before the name.
    assert reference.name_end([default_normalizer().key("سليماني")]) is not None
    assert reference.name_end([default_normalizer().key("المهندس")]) is None
