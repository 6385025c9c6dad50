"""The gloss backend: glossary terms in English, names and dates through placeholders,
everything else visibly untranslated."""

from marsad.config import Settings
from marsad.translate.gloss import GlossBackend, create


def gloss(text: str, language: str) -> str:
    return GlossBackend().translate_batch([text], language, "en")[0]


def test_arabic_terms_after_clitics_and_multiword_titles() -> None:
    assert gloss("وقال الأمين العام إن اللجنة المشتركة ستجتمع", "ar") == (
        "and said the secretary-general that the joint committee will meet"
    )


def test_words_without_a_gloss_are_marked_untranslated_in_runs() -> None:
    assert gloss("أعلنت الحركة عن حملة كبيرة لزراعة الأشجار", "ar") == (
        "announced the movement about campaign large ⟨لزراعة الأشجار⟩"
    )


def test_placeholders_pass_through_and_lone_prefixes_are_glossed() -> None:
    assert gloss("التقى ⟦1⟧ و⟦2⟧ في ⟦3⟧", "ar") == "met ⟦1⟧ and ⟦2⟧ in ⟦3⟧"
    assert gloss("אמר ב⟦1⟧ ב-⟦2⟧", "he") == "said in ⟦1⟧ in ⟦2⟧"


def test_endings_are_cut_when_the_word_itself_has_no_gloss() -> None:
    assert gloss("على موقعها وقناتها", "ar") == "on website (its) and channel (its)"
    assert gloss("הודעות רשמיות", "he") == "statement (pl.) official (pl.)"
    assert gloss("کمک‌های مردمی", "fa") == "aid (pl.) popular"
    assert gloss("علاقوں میں", "ur") == "area (pl.) in"


def test_vowel_marks_do_not_split_a_word_and_the_article_before_a_name_goes() -> None:
    assert (
        gloss("صوّت البرلمانُ في ال⟦1⟧ وال⟦2⟧", "ar")
        == "voted (or voice) the parliament in ⟦1⟧ and ⟦2⟧"
    )


def test_hebrew_prefixes_and_abbreviations_with_gershayim() -> None:
    assert gloss('מזכ"ל הארגון הודיע כי הוועדה המשותפת תתכנס', "he") == (
        "secretary-general the organisation announced that the joint committee will convene"
    )


def test_farsi_compound_verbs_and_zero_width_non_joiner() -> None:
    assert gloss("سخنگوی سپاه اعلام کرد که نیروهای آمریکایی می‌گوید", "fa") == (
        "spokesman of IRGC announced that US forces says"
    )


def test_urdu_postpositions_punctuation_and_digits() -> None:
    assert gloss("پولیس نے ۱۲ ملزمان کو گرفتار کر لیا۔", "ur") == (
        "police (agent) 12 suspects to arrested."
    )


def test_a_language_without_glossary_keeps_names_and_marks_the_rest() -> None:
    assert gloss("Le porte-parole ⟦1⟧ a déclaré", "fr") == "⟨Le porte-parole⟩ ⟦1⟧ ⟨a déclaré⟩"


def test_the_version_follows_the_glossaries() -> None:
    backend = create(Settings.from_env({}))
    assert backend.version.startswith("1-") and backend.version == GlossBackend().version
    assert GlossBackend(frozenset({"hamza"})).name == "gloss"
