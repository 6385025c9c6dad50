"""Score gate on the linking gold set (tests/link/gold/linking.yaml, its own KB in kb.yaml):
per language, mentions P >= 0.95 and R >= 0.90; role relations P/R >= 0.85."""

from pathlib import Path

import pytest

from marsad.errors import ConfigError
from marsad.link.evaluation import (
    Counts,
    GoldItem,
    GoldLink,
    GoldScores,
    linker_for_kb_file,
    load_gold,
    score_gold,
    score_mentions,
)
from marsad.link.linker import DocumentLinks
from marsad.link.matcher import MentionMatch

GOLD = Path(__file__).parent / "gold"
LANGUAGES = ("ar", "fa", "he", "en")


@pytest.fixture(scope="module")
def scores() -> GoldScores:
    items = load_gold(GOLD / "linking.yaml")
    assert len(items) >= 300
    assert {item.language for item in items} == set(LANGUAGES)
    return score_gold(linker_for_kb_file(GOLD / "kb.yaml"), items)


@pytest.mark.parametrize("language", LANGUAGES)
def test_mention_precision_and_recall_per_language(scores: GoldScores, language: str) -> None:
    counts = scores.mentions[language]
    assert counts.precision >= 0.95, counts.errors
    assert counts.recall >= 0.90, counts.errors


@pytest.mark.parametrize("language", LANGUAGES)
def test_role_relations_per_language(scores: GoldScores, language: str) -> None:
    counts = scores.relations[language]
    assert counts.true_positives > 0
    assert counts.precision >= 0.85, counts.errors
    assert counts.recall >= 0.85, counts.errors


def test_scoring_counts_misses_extras_and_wrong_entities() -> None:
    item = GoldItem(
        "t-1",
        "en",
        "Hamas and Hezbollah met.",
        (GoldLink("org-hamas", 0, 5), GoldLink("org-hezbollah", 10, 19)),
        frozenset(),
    )
    predicted = DocumentLinks(
        [
            MentionMatch("org-hamas", "Hamas", 0, 5, "alias", 1.0),
            MentionMatch("org-other", "Hezbollah", 10, 19, "alias", 1.0),
            MentionMatch("org-hamas", "met", 20, 23, "alias", 1.0),
        ],
        [],
    )
    counts = Counts()
    score_mentions(item, predicted, counts)
    assert (counts.true_positives, counts.false_positives, counts.false_negatives) == (1, 2, 1)
    assert counts.precision == pytest.approx(1 / 3) and counts.recall == pytest.approx(1 / 2)


def test_a_gold_surface_missing_from_its_text_is_reported(tmp_path: Path) -> None:
    gold = tmp_path / "bad.yaml"
    gold.write_text(
        "items:\n- {id: x-1, language: en, text: Hamas met., relations: [],\n"
        "   links: [{entity: org-hamas, surface: Hezbollah}]}\n",
        encoding="utf-8",
    )
    with pytest.raises(ConfigError, match="x-1"):
        load_gold(gold)
