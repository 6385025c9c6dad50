import pytest

from marsad.text.segment import Segmenter, default_segmenter


@pytest.fixture(scope="module")
def segmenter() -> Segmenter:
    return default_segmenter()


def texts(segments: list) -> list[str]:  # type: ignore[type-arg]
    return [segment.text for segment in segments]


def test_arabic_sentences_end_at_arabic_question_mark(segmenter: Segmenter) -> None:
    text = "قال المتحدث: افتتحنا مكتباً جديداً. هل ستفتتحون مكاتب أخرى؟ نعم!"
    assert texts(segmenter.sentences(text, "ar")) == [
        "قال المتحدث: افتتحنا مكتباً جديداً.",
        "هل ستفتتحون مكاتب أخرى؟",
        "نعم!",
    ]


def test_urdu_full_stop_and_newlines_end_sentences(segmenter: Segmenter) -> None:
    text = "اجلاس لاہور میں ہوا۔ رہنماؤں نے شرکت کی\nدوسرا پیراگراف"
    assert texts(segmenter.sentences(text, "ur")) == [
        "اجلاس لاہور میں ہوا۔",
        "رہنماؤں نے شرکت کی",
        "دوسرا پیراگراف",
    ]


def test_english_abbreviations_initials_and_decimals_do_not_split(segmenter: Segmenter) -> None:
    text = "U.S. forces left on Jan. 5. Mr. Smith said 3.5 million. A. Kaabi met them."
    assert texts(segmenter.sentences(text, "en")) == [
        "U.S. forces left on Jan. 5.",
        "Mr. Smith said 3.5 million.",
        "A. Kaabi met them.",
    ]


def test_sentence_offsets_index_the_text(segmenter: Segmenter) -> None:
    text = "  المكتب افتتح.   \n\n  הארגון הודיע.  "
    for sentence in segmenter.sentences(text):
        assert text[sentence.start : sentence.end] == sentence.text


def test_tokens_keep_zwnj_geresh_and_hyphens(segmenter: Segmenter) -> None:
    text = 'می‌شود צה"ל al-Kaabi، والنجباء (١٤٤١ هـ)'
    tokens = segmenter.tokens(text)
    assert texts(tokens) == ["می‌شود", 'צה"ל', "al-Kaabi", "والنجباء", "١٤٤١", "هـ"]
    assert all(text[t.start : t.end] == t.text for t in tokens)


def test_arabic_clitics_are_separable(segmenter: Segmenter) -> None:
    assert segmenter.clitic_variants("والنجباء", "ar") == ["والنجباء", "نجباء", "النجباء"]
    assert segmenter.clitic_variants("بالكعبي", "ar")[1:] == ["كعبي", "الكعبي"]
    assert segmenter.clitic_variants("ول", "ar") == ["ول"]  # no stem shorter than two letters


def test_hebrew_prefixes_are_separable(segmenter: Segmenter) -> None:
    assert "ארגון" in segmenter.clitic_variants("והארגון", "he")
    assert segmenter.clitic_variants("והארגון", "en") == ["והארגון"]
