"""The taxonomy and the per-language lexicons are data, validated on load."""

from typing import Any

import pytest
import yaml

from marsad.datafiles import language_lexicons
from marsad.errors import ConfigError
from marsad.events.lexicon import EventLexicon, EventLexicons
from marsad.events.taxonomy import TAXONOMY_FILE, Taxonomy, default_taxonomy
from marsad.text.normalize import default_normalizer

ISSUE_TYPES = {
    "meet",
    "statement",
    "threaten",
    "claim_attack",
    "attack",
    "kill",
    "launch_media",
    "open_office",
    "aid",
    "recruit",
    "fundraise",
    "train",
    "protest",
    "arrest",
    "funeral",
    "cooperate",
    "deny",
    # aligned with CAMEO/PLOVER (issue 17)
    "reject",
    "appeal",
    "demand",
    "accuse",
    "investigate",
    "concede",
    "release",
    "surrender",
    "defect",
    "mobilize",
    "reduce_relations",
    "sanction",
    "expel",
    "coerce",
}


def taxonomy_data() -> Any:
    return yaml.safe_load(TAXONOMY_FILE.read_text(encoding="utf-8"))


def test_the_taxonomy_has_every_type_with_roles_and_a_plover_mapping() -> None:
    taxonomy = default_taxonomy()
    assert set(taxonomy.types) == ISSUE_TYPES
    for event_type in taxonomy.types.values():
        assert "actor" in event_type.roles and event_type.plover and event_type.label
    assert taxonomy.get("threaten").has_severity
    assert taxonomy.speech_acts == {"appeal", "demand", "accuse", "reject"}
    # every CAMEO root 01-20 maps to a type
    assert all(taxonomy.cameo_map.get(f"{root:02d}") for root in range(1, 21))
    # and every WEIS root 01-22
    assert all(taxonomy.code_map("weis").get(f"{root:02d}") for root in range(1, 23))
    assert set(taxonomy.severities) == {
        "explicit_violence",
        "conditional",
        "capability_boast",
        "vague",
    }
    assert taxonomy.get("meet").symmetric and not taxonomy.get("attack").symmetric


def test_event_kinds_the_dates_stage_looks_up_are_taxonomy_codes() -> None:
    codes = set(default_taxonomy().types)
    for language, data in language_lexicons("date_anchors").items():
        assert set(data["events"]) <= codes, language


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["types"]["meet"].update(roles=["participant"]), "must include actor"),
        (lambda d: d["types"]["meet"].update(roles=["actor", "helper"]), "helper"),
        (lambda d: d["types"]["aid"].update(object="victim"), "not one of its roles"),
        (lambda d: d["types"]["aid"].pop("label"), "label"),
        (lambda d: d.update(roles=["actor"]), "`roles` must be"),
    ],
)
def test_a_malformed_taxonomy_is_refused_with_the_reason(change: Any, message: str) -> None:
    data = taxonomy_data()
    change(data)
    with pytest.raises(ConfigError, match=message):
        Taxonomy.from_data(data)


def test_every_language_lexicon_loads() -> None:
    lexicons = EventLexicons.from_data()
    assert {"ar", "fa", "he", "en"} <= set(lexicons.lexicons)
    assert lexicons.get("ar-IQ") is lexicons.get("ar")


def test_a_lexicon_with_an_unknown_event_type_is_refused() -> None:
    data = dict(language_lexicons("events")["en"])
    data["triggers"] = {**data["triggers"], "picnic": ["had lunch"]}
    with pytest.raises(ConfigError, match="picnic"):
        EventLexicon("en", data, default_taxonomy(), default_normalizer())
    with pytest.raises(ConfigError, match="word_order"):
        EventLexicon("en", {**data, "word_order": "osv"}, default_taxonomy(), default_normalizer())


def test_phrases_match_whole_words_with_gaps_wildcards_and_clitics() -> None:
    lexicons = EventLexicons.from_data()
    english = lexicons.get("en")
    assert english is not None
    text = "The group launched a Hebrew-language website and threatened rivals."
    found = {text[c.start : c.end]: c.label for c in english.triggers.find(english.normalize(text))}
    assert found == {"launched a Hebrew-language website": "launch_media", "threatened": "threaten"}
    arabic = lexicons.get("ar")
    assert arabic is not None
    text = "وهددت الحركة"  # و + هددت, alef and hamza forms folded
    (cue,) = arabic.triggers.find(arabic.normalize(text))
    assert (text[cue.start : cue.end], cue.label) == ("وهددت", "threaten")


def test_a_cameo_map_naming_an_unknown_type_is_refused() -> None:
    data = taxonomy_data()
    data["cameo_map"]["04"] = "parley"
    with pytest.raises(ConfigError, match="parley"):
        Taxonomy.from_data(data)
