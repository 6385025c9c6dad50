import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from marsad.errors import ConfigError
from marsad.text.normalize import VECTOR_MIN_CHARS, Normalizer, to_ascii_digits

NORMALIZER = Normalizer()

# Text drawn mostly from the scripts and special characters normalisation touches.
SCRIPT_TEXT = st.text(
    alphabet=st.one_of(
        st.characters(min_codepoint=0x0600, max_codepoint=0x06FF),
        st.characters(min_codepoint=0x0590, max_codepoint=0x05FF),
        st.characters(min_codepoint=0xFB50, max_codepoint=0xFEFF),
        st.sampled_from("\u200c\u200d\u200e\u200f\u202b\u202c\u2066\u2069\u00ad ـ.-'"),
        st.characters(codec="utf-8"),
    ),
    max_size=80,
)


@pytest.mark.parametrize(
    ("written", "normalised"),
    [
        ("مُحَمَّدٌ", "محمد"),  # diacritics
        ("عـــلي", "علي"),  # tatweel
        ("أكرم إبراهيم آل", "اكرم ابراهيم ال"),  # alef forms
        ("مؤتمر هيئة", "موتمر هييه"),  # hamza carriers, teh marbuta
        ("على مصطفى", "علي مصطفي"),  # alef maqsura
        ("حركة", "حركه"),  # teh marbuta
        ("اکرم کعبی", "اكرم كعبي"),  # Persian kaf and yeh
        ("پاکستان کے", "پاكستان كي"),  # Urdu bari yeh
        ("می‌شود", "ميشود"),  # zero-width non-joiner
        ("\u202bبيان\u202c\u200f", "بيان"),  # bidi embedding and marks
        ("١٤ رمضان ١٤٤١", "14 رمضان 1441"),  # Arabic-Indic digits
        ("۱۵ دی ۱۳۹۸", "15 دي 1398"),  # Persian digits
        ("ﻻ ﷲ", "لا الله"),  # presentation forms
        ("שָׁלוֹם", "שלום"),  # niqqud
        ("Akram AL-KAABI", "akram al-kaabi"),  # case
    ],
)
def test_each_normalisation_group(written: str, normalised: str) -> None:
    assert NORMALIZER.key(written) == normalised


def test_spelling_variants_of_one_name_meet() -> None:
    variants = ["أكرم الكعبي", "اكرم الكعبي", "اکرم الکعبی", "أَكْرَم الكَعْبِي", "أكرم الكعبى"]
    assert len({NORMALIZER.key(v) for v in variants}) == 1


def test_match_in_normalised_text_maps_back_to_original() -> None:
    original = "وقال الأمين العام أَكْرَمُ الكَعْبِيّ‏ إن الحركة"
    normalized = NORMALIZER.normalize(original)
    start = normalized.text.index("اكرم الكعبي")
    span = normalized.original_span(start, start + len("اكرم الكعبي"))
    # Trailing shadda and kasra belong to the name; the right-to-left mark after it does not.
    assert original[span[0] : span[1]] == "أَكْرَمُ الكَعْبِيّ"


def test_hijri_marker_keeps_its_tatweel() -> None:
    normalized = NORMALIZER.normalize("١٤٤١ هـ")
    assert normalized.text == "1441 ه"
    assert normalized.original_span(5, 6) == (5, 7)


def test_groups_can_be_switched_off() -> None:
    keep_persian = Normalizer(skip={"persian_letters", "case"})
    assert keep_persian.key("کعبی Kaabi") == "کعبی Kaabi"
    with pytest.raises(ConfigError, match="unknown normalisation group"):
        Normalizer(skip={"vowels"})


def test_ascii_digits_keep_length() -> None:
    assert to_ascii_digits("٢٠٢٠/۱۳۹۸") == "2020/1398"


@settings(max_examples=400, deadline=None)
@given(SCRIPT_TEXT)
def test_normalisation_is_idempotent(text: str) -> None:
    once = NORMALIZER.key(text)
    assert NORMALIZER.key(once) == once


@settings(max_examples=400, deadline=None)
@given(SCRIPT_TEXT, st.data())
def test_offsets_never_leave_the_original_text(text: str, data: st.DataObject) -> None:
    normalized = NORMALIZER.normalize(text)
    assert normalized.text == NORMALIZER.key(text)
    length = len(normalized.text)
    start = data.draw(st.integers(0, length))
    end = data.draw(st.integers(start, length))
    original_start, original_end = normalized.original_span(start, end)
    assert 0 <= original_start <= original_end <= len(text)
    if start < end:
        # The original span, normalised, contains what was matched.
        assert normalized.text[start:end] in NORMALIZER.key(text[original_start:original_end])


def test_skip_setting_selects_the_normaliser() -> None:
    from marsad.config import Settings
    from marsad.text.normalize import default_normalizer

    settings = Settings.from_env({"MARSAD_NORMALIZE_SKIP": "case, digits"})
    assert settings.normalize_skip == frozenset({"case", "digits"})
    assert default_normalizer(settings.normalize_skip).key("Kaabi ١٤") == "Kaabi ١٤"


def one_character_at_a_time(normalizer: Normalizer, text: str) -> tuple[str, list[int]]:
    """What normalising each character on its own gives, and where each output came from."""
    pieces = [normalizer.key(character) for character in text]
    return "".join(pieces), [i for i, piece in enumerate(pieces) for _ in piece]


@settings(max_examples=150, deadline=None)
@given(st.lists(SCRIPT_TEXT, min_size=3, max_size=12).map(" ".join), st.booleans())
def test_texts_normalised_in_numpy_agree_with_one_character_at_a_time(
    text: str, long: bool
) -> None:
    """Texts of VECTOR_MIN_CHARS and more, and shorter ones needing an offset map, take the
    numpy path (falling back to str.translate for characters that become several and lone
    surrogates): same text, same offsets as each character normalised on its own."""
    normalizer = Normalizer()  # a fresh one: its tables fill while normalising
    if long:
        text = (text + " ") * (1 + VECTOR_MIN_CHARS // (len(text) + 1))
    expected_text, expected_origin = one_character_at_a_time(Normalizer(), text)
    normalized = normalizer.normalize(text)
    assert normalized.text == expected_text
    assert list(normalized.origin or range(len(text))) == expected_origin
    assert normalizer.key(text) == expected_text


@pytest.mark.parametrize(
    "unusual",
    ["\udcff", "\U0001d400", "\ufdf2", "\u0640"],  # lone surrogate, astral, ligature, tatweel
    ids=["surrogate", "astral", "expanding", "removed"],
)
def test_a_long_text_with_an_unusual_character_is_still_normalised_right(unusual: str) -> None:
    text = ("مُحَمَّد أكرم الكعبي " * 20) + unusual + " نهاية"
    expected_text, expected_origin = one_character_at_a_time(Normalizer(), text)
    normalized = Normalizer().normalize(text)
    assert (normalized.text, list(normalized.origin or range(len(text)))) == (
        expected_text,
        expected_origin,
    )
