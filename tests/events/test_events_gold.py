"""Score gate on the events gold set (tests/events/gold/events.yaml, the shipped KB): per
language event F1 >= 0.80, date exact-match >= 0.85 and threat target accuracy >= 0.85 —
and the coder must beat the keyword-only baseline, or the gate measures nothing."""

from pathlib import Path

import pytest

from marsad.errors import ConfigError
from marsad.events.coder import EventCoder
from marsad.events.evaluation import (
    GoldDocument,
    GoldEvent,
    LanguagePath,
    Scores,
    code_gold_document,
    keyword_baseline,
    load_gold,
    score_document,
    score_gold,
)
from marsad.events.model import CodedActor, CodedEvent, EventDate
from marsad.events.taxonomy import default_taxonomy

GOLD = Path(__file__).parent / "gold" / "events.yaml"
LANGUAGES = ("ar", "fa", "he", "en")


@pytest.fixture(scope="module")
def documents() -> list[GoldDocument]:
    return load_gold(GOLD)


@pytest.fixture(scope="module")
def path() -> LanguagePath:
    return LanguagePath.from_shipped_kb()


@pytest.fixture(scope="module")
def scores(documents: list[GoldDocument], path: LanguagePath) -> dict[str, Scores]:
    coder = EventCoder()
    return score_gold(documents, lambda d: code_gold_document(path, coder, d))


@pytest.fixture(scope="module")
def baseline(documents: list[GoldDocument], path: LanguagePath) -> dict[str, Scores]:
    taxonomy = default_taxonomy()
    return score_gold(documents, lambda d: keyword_baseline(path, taxonomy, d))


def test_the_gold_set_is_large_and_covers_four_languages(documents: list[GoldDocument]) -> None:
    assert len(documents) >= 200
    assert sum(len(d.events) for d in documents) >= 400
    assert {d.language for d in documents} == set(LANGUAGES)
    types = {e.type for d in documents for e in d.events}
    assert len(types) >= 14
    assert any(e.date_source == "published" for d in documents for e in d.events)


@pytest.mark.parametrize("language", LANGUAGES)
def test_event_f1_per_language(scores: dict[str, Scores], language: str) -> None:
    assert scores[language].f1 >= 0.80, scores[language].errors


@pytest.mark.parametrize("language", LANGUAGES)
def test_dates_of_matched_events(scores: dict[str, Scores], language: str) -> None:
    assert scores[language].date_accuracy >= 0.85, scores[language].errors


@pytest.mark.parametrize("language", LANGUAGES)
def test_threat_targets(scores: dict[str, Scores], language: str) -> None:
    assert scores[language].threats > 0
    assert scores[language].threat_target_accuracy >= 0.85, scores[language].errors


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_coder_beats_the_keyword_baseline(
    scores: dict[str, Scores], baseline: dict[str, Scores], language: str
) -> None:
    assert scores[language].f1 > baseline[language].f1 + 0.1


def test_scoring_counts_wrong_roles_as_a_miss_and_an_extra() -> None:
    gold = GoldDocument(
        "t-1",
        "en",
        "2024-03-06",
        "Hamas met Hezbollah.",
        (
            GoldEvent(
                "meet",
                frozenset({("org-a", "actor"), ("org-b", "participant")}),
                "2024-03-06",
                "day",
                "likely",
                "published",
                None,
                None,
                "asserted",
                "Hamas met Hezbollah.",
            ),
        ),
    )
    date = EventDate("2024-03-06", "day", "likely", source="published")
    right = CodedEvent(
        "meet",
        0,
        20,
        (6, 9),
        "en",
        [CodedActor("org-b", "B", "actor"), CodedActor("org-a", "A", "participant")],
        date=date,
    )
    wrong = CodedEvent("threaten", 0, 20, (6, 9), "en", [CodedActor("org-a", "A", "actor")])
    scores = Scores()
    score_document(gold, [right, wrong], default_taxonomy(), scores)
    # meet is symmetric: B met A is A met B
    assert (scores.true_positives, scores.false_positives, scores.false_negatives) == (1, 1, 0)
    assert scores.date_accuracy == 1.0


def test_gold_evidence_missing_from_the_text_is_reported(tmp_path: Path) -> None:
    gold = tmp_path / "bad.yaml"
    gold.write_text(
        "documents:\n- {id: x-1, language: en, published: '2024-01-01', text: Hamas met.,\n"
        "   events: [{type: meet, evidence: Hezbollah met., actors: []}]}\n",
        encoding="utf-8",
    )
    with pytest.raises(ConfigError, match="x-1"):
        load_gold(gold)
