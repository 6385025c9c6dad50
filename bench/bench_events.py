"""Event coding on the events gold set (tests/events/gold/events.yaml): event P/R/F1 per
language, date exact-match, place accuracy, threat target and severity accuracy, and
documents per second; beside it the keyword-only baseline (trigger words, first name acts,
publication date).

    .venv/bin/python bench/bench_events.py [--errors]
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from marsad.events.coder import EventCoder
from marsad.events.evaluation import (
    LanguagePath,
    Scores,
    code_gold_document,
    keyword_baseline,
    load_gold,
    score_gold,
)
from marsad.events.taxonomy import default_taxonomy

GOLD = Path(__file__).parents[1] / "tests" / "events" / "gold" / "events.yaml"


def table(name: str, scores: dict[str, Scores]) -> None:
    print(f"\n{name}")
    print(f"{'lang':<6}{'P':>7}{'R':>7}{'F1':>7}{'date':>7}{'place':>7}{'target':>8}{'sever.':>8}")
    for language, s in sorted(scores.items()):
        print(
            f"{language:<6}{s.precision:>7.3f}{s.recall:>7.3f}{s.f1:>7.3f}{s.date_accuracy:>7.3f}"
            f"{s.place_accuracy:>7.3f}{s.threat_target_accuracy:>8.3f}{s.severity_accuracy:>8.3f}"
        )


def main() -> None:
    documents = load_gold(GOLD)
    events = sum(len(d.events) for d in documents)
    print(f"gold: {len(documents)} documents, {events} events")
    began = time.perf_counter()
    path = LanguagePath.from_shipped_kb()
    print(f"shipped KB loaded in {time.perf_counter() - began:.1f} s")
    coder, taxonomy = EventCoder(), default_taxonomy()
    began = time.perf_counter()
    scores = score_gold(documents, lambda d: code_gold_document(path, coder, d), taxonomy)
    elapsed = time.perf_counter() - began
    table("marsad events (link + dates + coder)", scores)
    print(f"{len(documents) / elapsed:.0f} documents/s including linking and dates")
    baseline = score_gold(documents, lambda d: keyword_baseline(path, taxonomy, d), taxonomy)
    table("baseline: keywords only", baseline)
    if "--errors" in sys.argv:
        for language, s in sorted(scores.items()):
            print(f"\n{language} errors:")
            print("\n".join(s.errors))


if __name__ == "__main__":
    main()
