"""The language-identification gate: >= 98% on the gold set, overall and per language.

The gold set (tests/text/gold/langid.yaml, written by langid_generate.py from synthetic
templates) holds Telegram-length posts of 5-15 words, paragraphs and written-out hard cases
(Arabic typed on a Persian keyboard, Urdu or Pashto without their own letters, links and
emoji). bench/bench_langid.py prints the same figures next to bare py3langid.
"""

from collections import Counter
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml

from marsad.text.langid import LanguageDetector

GOLD = Path(__file__).parent / "gold" / "langid.yaml"
REQUIRED = 0.98
ISSUE_LANGUAGES = {"ar", "fa", "ur", "he", "en"}


@cache
def gold() -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = yaml.safe_load(GOLD.read_text(encoding="utf-8"))["items"]
    return items


@cache
def answers() -> tuple[str, ...]:
    detector = LanguageDetector.from_data()
    return tuple(detector.detect(item["text"]).language for item in gold())


def misses_report(language: str | None) -> str:
    wrong = Counter(
        (item["language"], answer, item["text"][:60])
        for item, answer in zip(gold(), answers(), strict=True)
        if item["language"] != answer and language in (None, item["language"])
    )
    return "\n".join(f"{gold_} -> {answer}: {text}" for gold_, answer, text in wrong)


def test_the_gold_set_is_large_and_covers_short_posts() -> None:
    items = gold()
    assert len(items) >= 1000
    by_language = Counter(item["language"] for item in items)
    assert set(by_language) >= ISSUE_LANGUAGES
    short = [item for item in items if 5 <= len(item["text"].split()) <= 15]
    assert all(by_language[lang] >= 200 for lang in ISSUE_LANGUAGES)
    assert len(short) >= 500
    assert len({item["text"] for item in items}) == len(items), "duplicate snippets"


def test_overall_accuracy() -> None:
    right = sum(item["language"] == answer for item, answer in zip(gold(), answers(), strict=True))
    assert right / len(gold()) >= REQUIRED, misses_report(None)


@pytest.mark.parametrize("language", sorted({"ar", "fa", "ur", "he", "en", "ps", "ckb"}))
def test_accuracy_per_language(language: str) -> None:
    pairs = [
        (item, answer)
        for item, answer in zip(gold(), answers(), strict=True)
        if item["language"] == language
    ]
    assert pairs, f"no {language} snippets in the gold set"
    right = sum(item["language"] == answer for item, answer in pairs)
    assert right / len(pairs) >= REQUIRED, misses_report(language)


def test_short_posts_separately() -> None:
    pairs = [
        (item, answer)
        for item, answer in zip(gold(), answers(), strict=True)
        if len(item["text"].split()) <= 15
    ]
    right = sum(item["language"] == answer for item, answer in pairs)
    assert right / len(pairs) >= REQUIRED, misses_report(None)
