"""Language identification: Marsad's detector against bare py3langid, on the langid gold set.

Every snippet of tests/text/gold/langid.yaml (ar, fa, ur, he, en, ps, ckb) goes through
  baseline  py3langid's LanguageIdentifier.classify(text), restricted with set_languages() to
            the gold set's languages; py3langid has no Central Kurdish (ckb) label, so its two
            Kurdish labels, sdh (Southern Kurdish, Arabic script) and ku, count as ckb
  bare      py3langid as it ships, all 97 languages (what a tool without Marsad's language
            knowledge would answer; same label mapping)
  marsad    LanguageDetector.detect(text).language (py3langid + the marker letters of
            lexicons/<lang>/langid.yaml), not restricted: it may answer any language it knows
Scores: accuracy per language and overall, for all snippets and split into short (<= 15 words,
Telegram-post-like) and long; a confusion matrix per system (rows: gold, columns: answer).
Speed is snippets per second over the whole set (repeated --rounds times).

    .venv/bin/python bench/bench_langid.py [--rounds 3]
"""

from __future__ import annotations

import argparse
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml
from py3langid.langid import MODEL_FILE, LanguageIdentifier

from marsad.text.langid import LanguageDetector

GOLD = Path(__file__).parents[1] / "tests" / "text" / "gold" / "langid.yaml"
SHORT_WORDS = 15
BASELINE_LABELS = {"ar": "ar", "fa": "fa", "ur": "ur", "he": "he", "en": "en", "ps": "ps"}
BASELINE_LABELS |= {"sdh": "ckb", "ku": "ckb"}


def load_items() -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = yaml.safe_load(GOLD.read_text(encoding="utf-8"))["items"]
    return items


def timed(run: Callable[[], list[str]], rounds: int) -> tuple[list[str], float]:
    began = time.perf_counter()
    for _ in range(rounds):
        answers = run()
    return answers, time.perf_counter() - began


def accuracy_table(items: list[dict[str, Any]], answers: dict[str, list[str]]) -> None:
    """Accuracy per language (rows) for each system, on all / short / long snippets."""
    groups: dict[str, list[int]] = {"all": [], "short": [], "long": []}
    for index, item in enumerate(items):
        groups["all"].append(index)
        groups["short" if len(item["text"].split()) <= SHORT_WORDS else "long"].append(index)
    languages = sorted({item["language"] for item in items})
    columns = [(system, group) for group in groups for system in answers]
    print(f"{'language':<10}" + "".join(f"{f'{s} {g}':>17}" for s, g in columns))
    for key in [*languages, "overall"]:
        cells = []
        for system, group in columns:
            chosen = [i for i in groups[group] if key in ("overall", items[i]["language"])]
            right = sum(answers[system][i] == items[i]["language"] for i in chosen)
            cells.append(f"{right / len(chosen):>9.1%} ({len(chosen):>4})" if chosen else "-")
        print(f"{key:<10}" + "".join(f"{cell:>17}" for cell in cells))


def confusion_matrix(items: list[dict[str, Any]], answers: list[str], system: str) -> None:
    languages = sorted({item["language"] for item in items})
    pairs = Counter((item["language"], answer) for item, answer in zip(items, answers, strict=True))
    others = sorted({answer for _, answer in pairs} - set(languages))
    columns = [*languages, *others]
    print(f"\nconfusion matrix, {system} (rows: gold, columns: answer)")
    print(f"{'':<6}" + "".join(f"{column:>6}" for column in columns))
    for gold in languages:
        print(f"{gold:<6}" + "".join(f"{pairs[gold, column] or '.':>6}" for column in columns))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    items = load_items()
    texts = [item["text"] for item in items]
    detector = LanguageDetector.from_data()
    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages(list(BASELINE_LABELS))
    bare_identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    # Warm both sides (first calls build caches) so neither pays start-up in the timing.
    detector.detect(texts[0])
    identifier.classify(texts[0])

    def run_marsad() -> list[str]:
        return [detector.detect(text).language for text in texts]

    def labels_of(chosen: LanguageIdentifier) -> list[str]:
        labels = (chosen.classify(text)[0] for text in texts)
        return [BASELINE_LABELS.get(label, label) for label in labels]

    marsad, marsad_seconds = timed(run_marsad, args.rounds)
    baseline, baseline_seconds = timed(lambda: labels_of(identifier), args.rounds)
    bare = labels_of(bare_identifier)

    short = sum(len(text.split()) <= SHORT_WORDS for text in texts)
    print(
        f"gold set: {len(items)} snippets ({short} short, <= {SHORT_WORDS} words) "
        f"from {GOLD.relative_to(GOLD.parents[3])}"
    )
    accuracy_table(items, {"marsad": marsad, "py3langid": baseline, "bare": bare})
    confusion_matrix(items, marsad, "marsad")
    confusion_matrix(items, bare, "bare py3langid, all its languages")
    confusion_matrix(items, baseline, "py3langid restricted to the gold languages")
    snippets = len(items) * args.rounds
    print(
        f"\nspeed: marsad {snippets / marsad_seconds:,.0f} snippets/s, "
        f"py3langid {snippets / baseline_seconds:,.0f} snippets/s "
        f"({marsad_seconds / baseline_seconds:.1f}x the baseline's time)"
    )
    print(
        "note: py3langid has no ckb label; its sdh and ku answers count as ckb. Marsad is not "
        "restricted to the gold languages (any other answer is an error)."
    )


if __name__ == "__main__":
    main()
