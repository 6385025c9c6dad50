import pytest

from marsad.text.langid import LanguageDetector, script_of


@pytest.fixture(scope="module")
def detector() -> LanguageDetector:
    return LanguageDetector.from_data()


# Short, Telegram-sized sentences: the hard case for n-gram models alone.
SAMPLES = {
    "ar": "التقى الأمين العام لحركة النجباء أكرم الكعبي بقادة فصيلين آخرين في بغداد",
    "fa": "اکرم کعبی دبیرکل جنبش نجبا با رهبران دو گروه دیگر در بغداد دیدار کرد",
    "ur": "لشکر طیبہ کے رہنماؤں نے لاہور میں ایک اجلاس منعقد کیا",
    "ps": "د کابل په ښار کې یوه غونډه جوړه شوه چې پکې ډېرو کسانو ګډون وکړ",
    "ckb": "کۆبوونەوەیەک لە شاری هەولێر ئەنجامدرا بە بەشداری چەند لایەنێک",
    "he": 'מזכ"ל התנועה נפגש אתמול עם מנהיגי שני ארגונים נוספים בבגדאד',
    "en": "The movement's secretary-general met leaders of two other armed groups in Baghdad",
    "fr": "Le secrétaire général du mouvement a rencontré les dirigeants de deux groupes armés",
}


@pytest.mark.parametrize(("language", "text"), SAMPLES.items())
def test_short_sentences_in_each_language(
    detector: LanguageDetector, language: str, text: str
) -> None:
    guess = detector.detect(text)
    assert guess.language == language
    assert guess.confidence > 0.6


def test_persian_with_arabic_letters_still_persian(detector: LanguageDetector) -> None:
    # Persian typed on an Arabic keyboard (ي ك instead of ی ک) keeps پ چ ژ گ and Persian words.
    text = "گروه‌های مسلح در چند شهر جنوبي كشور با يكديگر ديدار كردند و گفتگو كردند"
    assert detector.detect(text).language == "fa"


def test_too_little_text_is_undetermined(detector: LanguageDetector) -> None:
    assert detector.detect("12 — !").language == "und"
    assert detector.detect("ب").confidence == 0.0


def test_tiny_text_has_lower_confidence(detector: LanguageDetector) -> None:
    assert detector.detect("بغداد").confidence < detector.detect(SAMPLES["ar"]).confidence


def test_mixed_document_gets_language_spans_with_offsets(detector: LanguageDetector) -> None:
    text = "\n".join([SAMPLES["fa"], "", "۱۵ دی", SAMPLES["ar"], SAMPLES["en"]]) + "\n"
    spans = detector.spans(text)
    assert [span.language for span in spans] == ["fa", "ar", "en"]
    assert text[spans[0].start : spans[0].end] == SAMPLES["fa"]
    assert text[spans[2].start : spans[2].end] == SAMPLES["en"]
    # The short date line belongs to the paragraph after it.
    assert text[spans[1].start : spans[1].end].startswith("۱۵ دی")


def test_script_of_letters() -> None:
    assert [script_of(c) for c in "aبאж1"] == ["latin", "arabic", "hebrew", "cyrillic", None]


def test_urdu_line_with_english_boilerplate_is_urdu(detector: LanguageDetector) -> None:
    # More Latin letters than Urdu ones: the model's best language decides the script.
    text = (
        "Home News Archive Author Contact Privacy Policy Subscribe Newsletter "
        "لاہور میں ایک اجلاس منعقد ہوا"
    )
    assert detector.detect(text).language == "ur"


def test_kurmanji_in_arabic_script_is_kurdish_despite_shared_short_words(
    detector: LanguageDetector,
) -> None:
    # د and کو are also Pashto and Urdu function words; the Kurdish letters decide.
    text = "د هەڤدیتنێ دا هەردو ئالى ل سەر پێدڤیا هەڤکاریێ کو د ناڤبەرا وان دا هەبیت ئاخڤتن"
    assert detector.detect(text).language == "ckb"


def test_single_words_of_each_language(detector: LanguageDetector) -> None:
    words = {"ur": "ذہنوں", "fa": "گفتگوها", "en": "negotiations", "fr": "négociations"}
    for language, word in words.items():
        assert detector.detect(word).language == language, word


def test_latin_text_is_one_of_the_configured_latin_languages(detector: LanguageDetector) -> None:
    # German is not configured: Latin text is answered with en or fr, never another language.
    guess = detector.detect("Die Verhandlungen wurden am Montag fortgesetzt")
    assert guess.language in {"en", "fr"}
    assert guess.script == "latin"


@pytest.mark.parametrize("text", ["حكومه جديده", "قضيه مهمه"])
def test_short_arabic_typed_with_arabic_yeh_is_not_persian(
    detector: LanguageDetector, text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Two Arabic words with ي and ة written as ه: lingua leans Persian, but no Persian or Urdu
    # keyboard typed ي without ی or ک, so the keyboard evidence (fa/ur langid.yaml) decides.
    assert detector.detect(text).language == "ar"
    monkeypatch.setattr("marsad.text.langid.OTHER_KEYBOARD_FACTOR", 1.0)
    assert detector.detect(text).language == "fa"  # without it: the model's slip


def test_keyboard_evidence_leaves_persian_letters_alone(detector: LanguageDetector) -> None:
    # Arabic ي with Persian گ: typed on a Persian keyboard, nothing is weighed down.
    assert detector.detect("گزارش رسمي").language == "fa"
