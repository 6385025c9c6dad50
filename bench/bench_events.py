"""Event coding on the events gold set (tests/events/gold/events.yaml): event P/R/F1 per
language, date exact-match, place accuracy, threat target and severity accuracy, and
documents per second; beside it the keyword-only baseline (trigger words, first name acts,
publication date).

Then the third-party section: the PETRARCH2 unit-test records (English wire-style sentences
coded in WEIS, CAMEO's predecessor, ../shared/eval/events_petrarch/, mapped to Marsad types
by the `weis_map` table of data/taxonomy.yaml, scored as marsad.events.cameo describes)
beside the same keyword baseline: detection P/R, typed recall and precision, actor and
target right; and a row with the Phoenix non-state actor dictionary in the same folder
loaded as agents (MARSAD_EVENTS_ACTOR_DICTIONARIES, a third-party dictionary a user can load,
not the records' own test dictionary). For comparison it also prints the records read as if
CAMEO-coded (`cameo_map`), the reading earlier figures used.

Cost: per-document milliseconds (p50/p95, CPU time of this thread, so other processes on the
machine do not inflate it) of the coder alone on the gold documents, beside two baselines on
the same documents: linking + dates (what the stages before it cost) and the trigger search
alone (segmenting, normalising and finding trigger words: the least a trigger coder does).

    .venv/bin/python bench/bench_events.py [--errors]
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

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
from marsad.events.lexicon import default_event_lexicons
from marsad.events.model import CodedEvent
from marsad.events.stage import published_date
from marsad.events.taxonomy import Taxonomy, default_taxonomy
from marsad.text.date_stage import find_document_dates
from marsad.text.dates.model import without_overlaps
from marsad.text.segment import default_segmenter

T = TypeVar("T")
GOLD = Path(__file__).parents[1] / "tests" / "events" / "gold" / "events.yaml"
PETRARCH = (
    Path(__file__).parents[1]
    / ".."
    / "shared"
    / "eval"
    / "events_petrarch"
    / "PETR.UnitTest.records.xml"
)

PHOENIX = PETRARCH.with_name("Phoenix.MilNonState.actors.txt")


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
    costs(path, coder, documents)
    if "--errors" in sys.argv:
        for language, s in sorted(scores.items()):
            print(f"\n{language} errors:")
            print("\n".join(s.errors))
    third_party(path, coder, taxonomy)


def cost_row(name: str, milliseconds: list[float]) -> None:
    ordered = sorted(milliseconds)
    p95 = ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]
    print(f"{name:<36}p50 {statistics.median(ordered):>6.2f} ms   p95 {p95:>6.2f} ms")


def timed(work: Callable[[T], object], item: T) -> float:
    began = time.thread_time()
    work(item)
    return (time.thread_time() - began) * 1000


def costs(path: LanguagePath, coder: EventCoder, documents: list[GoldDocument]) -> None:
    """The coder's cost per document, its inputs read beforehand, beside two baselines."""
    lexicons, segmenter = default_event_lexicons(), default_segmenter()
    inputs, reading = [], []
    for gold in documents:
        began = time.thread_time()
        mentions, affiliations, document = path.read(gold)
        dates = without_overlaps(find_document_dates(document), lambda d: (d.start, d.end))
        reading.append((time.thread_time() - began) * 1000)
        inputs.append((gold, mentions, dates, published_date(document), affiliations))

    def code(item: tuple) -> None:  # type: ignore[type-arg]
        gold, mentions, dates, published, affiliations = item
        runs = [(0, len(gold.text), gold.language)]
        coder.code(gold.text, runs, mentions, dates, published, affiliations)

    def triggers(gold: GoldDocument) -> None:
        lexicon = lexicons.get(gold.language)
        if lexicon is not None:
            for sentence in segmenter.sentences(gold.text, gold.language):
                lexicon.triggers.find(lexicon.normalize(sentence.text))

    for item in inputs:  # warm: lexicons, caches
        code(item)
    print(f"\ncost per document ({len(documents)} gold documents, CPU time)")
    cost_row("marsad: event coder alone", [timed(code, item) for item in inputs])
    cost_row("baseline: linking + dates", reading)
    cost_row("baseline: trigger search alone", [timed(triggers, g) for g in documents])


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

    # not the records' own test dictionary: Phoenix's non-state armed groups
    phoenix = default_agent_lexicons((str(PHOENIX),)).get("en") if PHOENIX.exists() else None
    phoenix_agents = default_agent_lexicons((str(PHOENIX),)) if phoenix is not None else None
    phoenix_coder = EventCoder(agents=phoenix_agents) if phoenix_agents else coder

    def with_phoenix(sentence: CameoSentence) -> list[CodedEvent]:
        return code_gold_document(path, phoenix_coder, document(sentence))

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
        if phoenix is not None:  # a third-party actor dictionary a user can load
            scored = score_cameo(sentences, with_phoenix, taxonomy, phoenix, scheme)
            cameo_row("marsad + Phoenix actors", scored)
        print(f"{len(sentences) / elapsed:.0f} sentences/s including linking and dates")
        if "--errors" in sys.argv and scheme == "weis":
            print("\n".join(scores.errors))


if __name__ == "__main__":
    main()
