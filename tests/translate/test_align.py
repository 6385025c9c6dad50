"""Sentence alignment: the translated text is assembled sentence by sentence, and any span
of the original maps to the translation of the sentences covering it."""

from marsad.store.models import Translation
from marsad.translate.align import Sentence, SentencePair, assemble, translation_of_span

ORIGINAL = "عنوان\nجملة أولى. جملة ثانية.\n\nجملة ثالثة."
SENTENCES = [
    Sentence(0, 5, "ar"),
    Sentence(6, 16, "ar"),
    Sentence(17, 28, "ar"),
    Sentence(30, 41, "ar"),
]


def test_sentences_are_joined_with_the_originals_line_breaks() -> None:
    assert [ORIGINAL[s.start : s.end] for s in SENTENCES] == [
        "عنوان",
        "جملة أولى.",
        "جملة ثانية.",
        "جملة ثالثة.",
    ]
    text, pairs = assemble(
        ORIGINAL, SENTENCES, ["Title", "First.", "Second.", "Third."], [(), (), ("X",), ()]
    )
    assert text == "Title\nFirst. Second.\n\nThird."
    assert [text[p.target_start : p.target_end] for p in pairs] == [
        "Title",
        "First.",
        "Second.",
        "Third.",
    ]
    assert pairs[2].as_json() == {"source": [17, 28], "target": [13, 20], "lost": ["X"]}
    assert SentencePair.from_json(pairs[2].as_json()) == pairs[2]


def test_a_span_maps_to_the_sentences_it_touches() -> None:
    text, pairs = assemble(ORIGINAL, SENTENCES, ["Title", "First.", "Second.", "Third."], [()] * 4)
    translation = Translation(text=text, alignment=[p.as_json() for p in pairs])
    inside = translation_of_span(translation, 11, 15)
    assert inside is not None and (inside.text, inside.source_start, inside.source_end) == (
        "First.",
        6,
        16,
    )
    across = translation_of_span(translation, 12, 20)
    assert across is not None and across.text == "First. Second."
    point = translation_of_span(translation, 30, 30)
    assert point is not None and point.text == "Third."
    assert translation_of_span(translation, 28, 30) is None  # only the blank line
