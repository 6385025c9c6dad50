"""Score gate on text nobody here wrote: the PETRARCH2 unit-test records
(../shared/eval/events_petrarch/, gold coded in WEIS — their validation verb dictionary is a
KEDS one — mapped to Marsad types by `weis_map` in data/taxonomy.yaml, scored as
marsad.events.cameo describes). The thresholds are what the
coder reaches on this development half, less a small margin (issue 17 aims higher: detection
recall and precision 0.85, typed recall 0.70, roles 0.75); the coder must also stay ahead of
the keyword baseline on detection, typed recall and roles. Figures: bench/bench_events.py."""

from __future__ import annotations

from pathlib import Path

import pytest

from marsad.events.agents import AgentLexicon, default_agent_lexicons
from marsad.events.cameo import (
    CameoCoding,
    CameoScores,
    CameoSentence,
    codes_agree,
    load_petrarch_records,
    mapped_types,
    score_cameo,
    score_sentence,
)
from marsad.events.coder import EventCoder
from marsad.events.evaluation import (
    GoldDocument,
    LanguagePath,
    code_gold_document,
    keyword_baseline,
)
from marsad.events.model import AgentCode, CodedActor, CodedEvent
from marsad.events.taxonomy import default_taxonomy

EVAL = Path(__file__).resolve().parents[2] / ".." / "shared" / "eval"
RECORDS = EVAL / "events_petrarch" / "PETR.UnitTest.records.xml"
SCHEME = "weis"

DETECTION_RECALL = 0.88
DETECTION_PRECISION = 0.95
TYPED_RECALL = 0.70
TYPED_PRECISION = 0.65
ROLES_RIGHT = 0.69


@pytest.fixture(scope="module")
def agents() -> AgentLexicon:
    found = default_agent_lexicons().get("en")
    assert found is not None
    return found


@pytest.fixture(scope="module")
def path() -> LanguagePath:
    if not RECORDS.exists():
        pytest.skip(f"third-party eval data absent: {RECORDS} (see ../shared/eval/README.md)")
    return LanguagePath.from_shipped_kb()


def document(sentence: CameoSentence) -> GoldDocument:
    return GoldDocument(sentence.id, "en", sentence.published, sentence.text, ())


@pytest.fixture(scope="module")
def scores(agents: AgentLexicon, path: LanguagePath) -> CameoScores:
    coder, taxonomy = EventCoder(), default_taxonomy()

    def code(sentence: CameoSentence) -> list[CodedEvent]:
        return code_gold_document(path, coder, document(sentence))

    return score_cameo(load_petrarch_records(RECORDS, SCHEME), code, taxonomy, agents, SCHEME)


@pytest.fixture(scope="module")
def baseline(agents: AgentLexicon, path: LanguagePath) -> CameoScores:
    taxonomy = default_taxonomy()

    def code(sentence: CameoSentence) -> list[CodedEvent]:
        return keyword_baseline(path, taxonomy, document(sentence))

    return score_cameo(load_petrarch_records(RECORDS, SCHEME), code, taxonomy, agents, SCHEME)


@pytest.mark.slow
def test_petrarch_detection_gate(scores: CameoScores) -> None:
    assert scores.sentences_with_events > 150 and scores.sentences_without > 10
    assert scores.detection_recall >= DETECTION_RECALL, scores.errors[:20]
    assert scores.detection_precision >= DETECTION_PRECISION, scores.errors[:20]


@pytest.mark.slow
def test_petrarch_typed_and_roles_gate(scores: CameoScores, baseline: CameoScores) -> None:
    assert scores.typed_recall >= TYPED_RECALL, scores.errors[:20]
    assert scores.typed_precision >= TYPED_PRECISION, scores.errors[:20]
    assert scores.roles_accuracy >= ROLES_RIGHT, scores.errors[:20]
    # what the coder adds over trigger words: more events found and typed, and more of their
    # dyads right than the baseline's first-name-acts rule
    assert scores.detection_recall > baseline.detection_recall
    assert scores.typed_recall > baseline.typed_recall
    assert scores.roles_accuracy > baseline.roles_accuracy


def test_cameo_codes_map_by_longest_prefix() -> None:
    taxonomy = default_taxonomy()
    assert mapped_types(taxonomy, "0841") == ("release",)
    assert mapped_types(taxonomy, "081") == ("concede",)
    assert mapped_types(taxonomy, "173") == ("arrest",)
    assert mapped_types(taxonomy, "1712") == ("coerce",)
    assert "kill" in mapped_types(taxonomy, "186")
    assert mapped_types(taxonomy, "999") == ()


def test_weis_codes_map_by_their_own_table() -> None:
    """The unit-test records are WEIS: 041 is praise (CAMEO: a telephone call), 191 a
    cancelled meeting (CAMEO: a blockade), 223 a military engagement (no CAMEO root 22)."""
    taxonomy = default_taxonomy()
    assert mapped_types(taxonomy, "041", "weis") == ("cooperate",)
    assert mapped_types(taxonomy, "041") == ("meet",)
    assert mapped_types(taxonomy, "191", "weis") == ("reduce_relations",)
    assert mapped_types(taxonomy, "212", "weis") == ("arrest",)
    assert "attack" in mapped_types(taxonomy, "223", "weis")
    assert mapped_types(taxonomy, "223") == ()
    assert mapped_types(taxonomy, "174K", "weis") == ("threaten",)


def test_records_keep_the_codes_of_their_scheme() -> None:
    if not RECORDS.exists():
        pytest.skip(f"third-party eval data absent: {RECORDS} (see ../shared/eval/README.md)")
    weis = load_petrarch_records(RECORDS, "weis")
    cameo = load_petrarch_records(RECORDS, "cameo")
    assert any(c.code.startswith("22") for s in weis for c in s.codings)
    assert not any(c.code.startswith("22") for s in cameo for c in s.codings)


def test_gold_codes_agree_by_country_or_agent_class() -> None:
    assert codes_agree("IRQMIL", AgentCode("IRQ", "MIL"))
    assert codes_agree("IRQ", AgentCode("IRQ", "GOV"))
    assert not codes_agree("IRN", AgentCode("IRQ", None))
    assert codes_agree("---GOV", AgentCode(None, "GOV"))
    assert not codes_agree("---GOV", AgentCode(None, "MIL"))
    assert codes_agree("IGOUNO", AgentCode("IGOUNO", None))
    assert not codes_agree("IGOEEU", AgentCode("IGOUNO", None))
    assert not codes_agree(None, AgentCode("IRQ", None))


def test_noevents_sentence_counts_a_false_alarm(agents: AgentLexicon) -> None:
    taxonomy = default_taxonomy()
    quiet = CameoSentence("q", "2020-01-01", "Nothing happened.", ())
    busy = CameoSentence(
        "b",
        "2020-01-01",
        "Iraqi troops attacked Syrian rebels.",
        (CameoCoding("IRQMIL", "SYR", "190"),),
    )
    event = CodedEvent(
        "attack",
        0,
        10,
        (0, 1),
        "en",
        [CodedActor(None, "Iraqi troops", "actor"), CodedActor(None, "Syrian rebels", "target")],
    )
    scores = CameoScores()
    score_sentence(quiet, [event], taxonomy, agents, scores)
    score_sentence(busy, [event], taxonomy, agents, scores)
    assert (scores.false_alarms, scores.detected, scores.typed, scores.roles_right) == (1, 1, 1, 1)
    assert scores.detection_precision == 0.5


def test_an_unidentified_gold_actor_asks_for_no_actor(tmp_path: Path) -> None:
    records = tmp_path / "records.xml"
    records.write_text(
        '<Sentences><Sentence date="20200101" id="x-1">'
        '<EventCoding sourcecode="ZOR" targetcode="---" eventcode="222"></EventCoding>'
        "<Text>Zorbanian crowds burned down an embassy.</Text></Sentence></Sentences>",
        encoding="utf-8",
    )
    (sentence,) = load_petrarch_records(records, "weis")
    assert sentence.codings == (CameoCoding("ZOR", None, "222"),)
