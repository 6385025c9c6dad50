"""Data files shipped with Marsad load and validate."""

from marsad.datafiles import DEMO_DIR, language_lexicons
from marsad.text.langid import LanguageProfile


def test_language_profiles_validate_and_have_disjoint_exclusive_markers() -> None:
    lexicons = language_lexicons("langid")
    assert {"ar", "fa", "ur", "ps", "ckb", "he"} <= set(lexicons)
    profiles = [LanguageProfile.from_data(code, data) for code, data in lexicons.items()]
    decisive = [p for p in profiles if p.min_marker_rate < 1.0]
    for profile in decisive:
        for other in decisive:
            if other is not profile and other.precedence == profile.precedence:
                assert not profile.markers & other.markers, (profile.code, other.code)


def test_demo_corpus_is_listed_in_its_readme() -> None:
    pages = sorted(path.name for path in DEMO_DIR.glob("*.html"))
    assert len(pages) >= 25
    readme = (DEMO_DIR.parent / "README.md").read_text(encoding="utf-8")
    assert [name for name in pages if name not in readme] == []


def test_demo_corpus_covers_the_languages_analysts_read() -> None:
    languages = {path.name.split("-")[0] for path in DEMO_DIR.glob("*.html")}
    assert {"ar", "fa", "he", "en", "fr", "ur"} <= languages
