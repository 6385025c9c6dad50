"""Event coding on the events gold set (tests/events/gold/events.yaml): event P/R/F1 per
language, date exact-match, place accuracy, threat target and severity accuracy, and
documents per second; beside it the keyword-only baseline (trigger words, first name acts,
publication date).

Then the third-party section: the PETRARCH2 unit-test records (English wire-style sentences
coded in WEIS, CAMEO's predecessor, ../shared/eval/events_petrarch/, mapped to Marsad types
by the `weis_map` table of data/taxonomy.yaml, scored as marsad.events.cameo describes)
beside the same keyword baseline: detection P/R, typed recall and precision, actor and
target right. For comparison it also prints the records read as if CAMEO-coded (`cameo_map`),
the reading earlier figures used.

    .venv/bin/python bench/bench_events.py [--errors]
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from marsad.events.agents import default_agent_lexicons
from marsad.events.cameo import CameoScores, CameoSentence, load_petrarch_records, score_cameo
from marsad.events.coder import EventCoder
from marsad.events.evaluation import (
    GoldDocument,
    LanguagePath,
    Scores,
    code_gold_document,
    keyword_baseline,
    load_gold,
    score_gold,
)
from marsad.events.model import CodedEvent
from marsad.events.taxonomy import Taxonomy, default_taxonomy

GOLD = Path(__file__).parents[1] / "tests" / "events" / "gold" / "events.yaml"
PETRARCH = (
    Path(__file__).parents[1]
    / ".."
    / "shared"
    / "eval"
    / "events_petrarch"
    / "PETR.UnitTest.records.xml"
)


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
    third_party(path, coder, taxonomy)


def cameo_row(name: str, s: CameoScores) -> None:
    print(
        f"{name:<28}{s.detection_precision:>7.3f}{s.detection_recall:>7.3f}{s.typed_recall:>8.3f}"
        f"{s.typed_precision:>8.3f}{s.roles_accuracy:>8.3f}"
    )


def third_party(path: LanguagePath, coder: EventCoder, taxonomy: Taxonomy) -> None:
    if not PETRARCH.exists():
        print(f"\nthird-party section skipped: {PETRARCH} is absent")
        return
    agents = default_agent_lexicons().get("en")
    assert agents is not None

    def document(sentence: CameoSentence) -> GoldDocument:
        return GoldDocument(sentence.id, "en", sentence.published, sentence.text, ())

    def marsad(sentence: CameoSentence) -> list[CodedEvent]:
        return code_gold_document(path, coder, document(sentence))

    def baseline(sentence: CameoSentence) -> list[CodedEvent]:
        return keyword_baseline(path, taxonomy, document(sentence))

    for scheme in ("weis", "cameo"):
        sentences = load_petrarch_records(PETRARCH, scheme)
        with_events = sum(s.has_events for s in sentences)
        print(
            f"\nthird party: PETRARCH2 unit-test records read as {scheme.upper()}, "
            f"{with_events} sentences with {sum(len(s.codings) for s in sentences)} codings, "
            f"{len(sentences) - with_events} without events"
        )
        print(f"{'':<28}{'det.P':>7}{'det.R':>7}{'typed.R':>8}{'typed.P':>8}{'roles':>8}")
        began = time.perf_counter()
        scores = score_cameo(sentences, marsad, taxonomy, agents, scheme)
        elapsed = time.perf_counter() - began
        cameo_row("marsad", scores)
        keywords = score_cameo(sentences, baseline, taxonomy, agents, scheme)
        cameo_row("baseline: keywords only", keywords)
        print(f"{len(sentences) / elapsed:.0f} sentences/s including linking and dates")
        if "--errors" in sys.argv and scheme == "weis":
            print("\n".join(scores.errors))


if __name__ == "__main__":
    main()
