"""The shipped glossaries load, validate and cover the analysts' languages."""

import pytest

from marsad.errors import ConfigError
from marsad.text.normalize import default_normalizer
from marsad.translate.glossary import Glossary, glossary_for, glossary_languages


def test_every_analyst_language_has_a_glossary_of_a_few_hundred_terms() -> None:
    assert {"ar", "fa", "he", "ur"} <= set(glossary_languages())
    for language in ("ar", "fa", "he", "ur"):
        glossary = glossary_for(language)
        assert glossary is not None and glossary.target == "en"
        assert len(glossary) >= 300, (language, len(glossary))


def test_each_glossary_holds_event_verbs_titles_and_particles() -> None:
    normalizer = default_normalizer()
    expected = {
        "ar": {"أعلن": "announced", "أمين العام": "secretary-general", "في": "in"},
        "fa": {"اعلام کرد": "announced", "دبیرکل": "secretary-general", "در": "in"},
        "he": {"הודיע": "announced", 'מזכ"ל': "secretary-general", "על": "on"},
        "ur": {"اعلان کیا": "announced", "ترجمان": "spokesman", "میں": "in"},
    }
    for language, terms in expected.items():
        glossary = glossary_for(language)
        assert glossary is not None
        for term, gloss in terms.items():
            assert glossary.terms[normalizer.key(term)] == gloss, (language, term)


def glossary(terms: object, **fields: object) -> Glossary:
    return Glossary.from_data(
        "xx", {"target": "en", "terms": terms, **fields}, default_normalizer()
    )


def test_a_term_repeated_after_normalisation_is_an_error_naming_both() -> None:
    # Same word with and without hamza: the matcher could never tell them apart.
    with pytest.raises(ConfigError, match="'إن' in 'b' repeats an entry of 'a'"):
        glossary({"a": {"أن": "that"}, "b": {"إن": "indeed"}})


def test_a_gloss_yaml_read_as_a_boolean_is_caught() -> None:
    # `على: on` in YAML is {"على": True}: the file must quote it.
    with pytest.raises(ConfigError, match="needs a text gloss"):
        glossary({"particles": {"على": True}})


def test_a_glossary_without_terms_is_refused() -> None:
    with pytest.raises(ConfigError, match="terms must map"):
        glossary({})
    with pytest.raises(ConfigError, match="missing or bad field"):
        Glossary.from_data("xx", {"terms": {"a": {"x": "y"}}}, default_normalizer())
