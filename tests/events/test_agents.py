"""Actors without the knowledge base (events.agents): countries, demonyms, international
bodies, generic agents with a CAMEO-style class, and unknown names, in several languages."""

from pathlib import Path

import pytest

from marsad.errors import ConfigError
from marsad.events.agents import (
    AgentLexicon,
    default_agent_lexicons,
    read_actor_dictionary,
    with_agents,
)
from marsad.events.model import EntityMention
from marsad.text.normalize import default_normalizer


def agents_in(text: str, language: str) -> list[tuple[str, str]]:
    lexicon = default_agent_lexicons().get(language)
    assert lexicon is not None
    return [(m.surface, str(m.agent)) for m in lexicon.find(text, 0, len(text))]


def test_english_country_demonym_and_agent_class_make_one_agent() -> None:
    assert agents_in("Iraqi security forces and Afghan officials met.", "en") == [
        ("Iraqi security forces", "IRQMIL"),
        ("Afghan officials", "AFGGOV"),
    ]


def test_possessive_genitive_and_affiliation_qualify_an_agent() -> None:
    assert agents_in("Syria's army and the army of Libya faced Iran-backed militias.", "en") == [
        ("Syria's army", "SYRMIL"),
        ("army of Libya", "LBYMIL"),
        ("Iran-backed militias", "IRNMIL"),
    ]


def test_unnamed_agents_bodies_and_compounds() -> None:
    assert agents_in("Gunmen fired on the United Nations convoy.", "en") == [
        ("Gunmen", "---REB"),
        ("United Nations", "IGOUNO"),
    ]
    assert agents_in("Government forces advanced.", "en") == [("Government forces", "---MIL")]


def test_unknown_capitalised_names_are_surface_agents_and_seas_are_places() -> None:
    lexicon = default_agent_lexicons().get("en")
    assert lexicon is not None
    text = "Zorbania warned Quentoria over the Yellow Sea."
    found = {m.surface: m for m in lexicon.find(text, 0, len(text))}
    assert str(found["Zorbania"].agent) == "ZOR" and found["Zorbania"].agent.guessed
    assert found["Yellow Sea"].kind == "place" and found["Yellow Sea"].is_city_like


def test_pronouns_are_no_countries() -> None:
    assert agents_in("They told us about it.", "en") == []


def test_arabic_agents_put_the_country_after_the_noun() -> None:
    assert agents_in("هاجمت القوات الأمريكية مواقع الفصائل العراقية وقال مسلحون", "ar") == [
        ("القوات الأمريكية", "USAMIL"),
        ("الفصائل العراقية", "IRQREB"),
        ("مسلحون", "---REB"),
    ]


def test_farsi_hebrew_and_urdu_agents() -> None:
    assert agents_in("نیروهای آمریکایی به عراق حمله کردند", "fa") == [
        ("نیروهای آمریکایی", "USAMIL"),
        ("عراق", "IRQ"),
    ]
    # a place with a locative clitic (בלבנון) is no agent's country
    assert agents_in("צבא ישראל תקף את החמושים בלבנון", "he") == [
        ("צבא ישראל", "ISRMIL"),
        ("החמושים", "---REB"),
        ("בלבנון", "LBN"),
    ]
    assert agents_in("امریکی فوج نے عسکریت پسندوں پر حملہ کیا", "ur") == [
        ("امریکی فوج", "USAMIL"),
        ("عسکریت پسندوں", "---REB"),
    ]


def test_linked_mentions_win_and_keep_generic_nouns_out() -> None:
    lexicon = default_agent_lexicons().get("en")
    text = "Crowds greeted Hezbollah as Lebanese troops watched."
    start = text.index("Hezbollah")
    hezbollah = EntityMention("id:h", "Hezbollah", start, start + 9, "organization")
    surfaces = [m.surface for m in with_agents([hezbollah], lexicon, text, 0, len(text))]
    assert surfaces == ["Hezbollah", "Lebanese troops"]  # "Crowds" is setting here
    surfaces = [m.surface for m in with_agents([], lexicon, text, 0, len(text))]
    assert "Crowds" in surfaces and "Hezbollah" in surfaces


def test_a_bad_agents_file_is_refused_with_its_name() -> None:
    with pytest.raises(ConfigError, match=r"agents\.yaml.*sectors"):
        AgentLexicon("xx", {"sectors": ["army"]}, default_normalizer())


def test_adjectives_after_a_possessive_and_titles_stay_in_one_agent() -> None:
    assert agents_in("Gondor's awful and evil minister spoke.", "en") == [
        ("Gondor's awful and evil minister", "GONGOV")
    ]
    assert agents_in("Rohan's first Deputy Prime Minister left.", "en") == [
        ("Rohan's first Deputy Prime Minister", "ROHGOV")
    ]


def test_a_ministry_keeps_its_portfolio_and_a_title_takes_its_country() -> None:
    text = "The Zorbanian Ministry of Silly Walks thanked the Prince of Quentor."
    assert agents_in(text, "en") == [
        ("Zorbanian Ministry of Silly Walks", "ZORGOV"),
        ("Prince of Quentor", "QUEGOV"),
    ]


def test_students_and_refugees_have_their_cameo_classes() -> None:
    assert agents_in("Police detained students and refugees.", "en") == [
        ("Police", "---COP"),
        ("students", "---EDU"),
        ("refugees", "---REF"),
    ]


def test_agent_nouns_coordinated_after_a_countrys_agent_share_its_country() -> None:
    assert agents_in("The Danish Shiite media and government protested.", "en") == [
        ("Danish Shiite media", "DNKMED"),
        ("government", "DNKGOV"),
    ]
    assert agents_in("Gunmen and government forces clashed.", "en") == [
        ("Gunmen", "---REB"),
        ("government forces", "---MIL"),
    ]


def test_arabic_students_and_refugees_have_their_cameo_classes() -> None:
    # a conjunction letter joins two agents: no compound of both
    assert agents_in("تظاهر الطلاب واللاجئين", "ar") == [
        ("الطلاب", "---EDU"),
        ("واللاجئين", "---REF"),
    ]


def test_an_arabic_agent_keeps_the_adjectives_after_it_and_its_class() -> None:
    # "government forces", "pro-government forces": the adjective stays with the noun
    assert agents_in("قصفت القوات الحكومية مواقع المسلحين.", "ar") == [
        ("القوات الحكومية", "---MIL"),
        ("المسلحين", "---REB"),
    ]
    assert agents_in("اشتبكت القوات الحكومية السورية مع الفصائل.", "ar")[0] == (
        "القوات الحكومية السورية",
        "SYRMIL",
    )
    # an adjective alone is no agent
    assert agents_in("افتتحت المدارس الحكومية أبوابها.", "ar") == []


DICTIONARY = """# a synthetic actor dictionary in the PETRARCH/Phoenix format
NORTHERN_VALLEY_FRONT_(NVF)_ [XYZREB] # a comment
+VALLEY_FRONT_
+FRONT_OF_THE_NORTHERN_VALLEY_

COASTAL_GUARD_BRIGADES_ [XYZMIL >20100101]
+COAST_BRIGADES_+_SHORE_BRIGADES_
"""


def test_an_actor_dictionary_is_read_with_its_aliases_and_codes(tmp_path: Path) -> None:
    path = tmp_path / "actors.txt"
    path.write_text(DICTIONARY, encoding="utf-8")
    assert read_actor_dictionary(path) == {
        "XYZREB": [
            "NORTHERN VALLEY FRONT",
            "NVF",
            "VALLEY FRONT",
            "FRONT OF THE NORTHERN VALLEY",
        ],
        "XYZMIL": ["COASTAL GUARD BRIGADES", "COAST BRIGADES", "SHORE BRIGADES"],
    }


def test_a_loaded_actor_dictionary_names_agents_in_text(tmp_path: Path) -> None:
    path = tmp_path / "actors.txt"
    path.write_text(DICTIONARY, encoding="utf-8")
    lexicon = default_agent_lexicons((str(path),)).get("en")
    assert lexicon is not None
    text = "The Valley Front attacked a post held by the Shore Brigades, the NVF said."
    assert [(m.surface, str(m.agent)) for m in lexicon.find(text, 0, len(text))] == [
        ("Valley Front", "XYZREB"),
        ("Shore Brigades", "XYZMIL"),
        ("NVF", "XYZREB"),
    ]
    # the shipped lexicons are unchanged
    assert agents_in(text, "en")[0] != ("Valley Front", "XYZREB")


def test_an_unreadable_actor_dictionary_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="actor dictionary"):
        read_actor_dictionary(tmp_path / "missing.txt")


def test_a_word_that_counts_opens_no_name() -> None:
    # a number or count at the head of a sentence is capitalised, and still no name
    assert agents_in("Twelve people fled the flooded village.", "en") == [("people", "---CVL")]
    assert agents_in("Dozens of residents gathered outside.", "en") == [("residents", "---CVL")]
