"""Alerts: keyword recall across spellings, matching cost per document, delivery throughput.

Corpus: --documents generated news-style texts (ar, fa, en), a fifth of them carrying a
watched keyword written as texts write it — with harakat or tatweel, a clitic or an ending
attached (وللبيان, بياناً), Persian letter forms, other case — and some carrying look-alike
words that must not match ("crisis" for the keyword ISIS, بيانو for بيان).
  baseline  `keyword in text` (what a plain search box does)
  marsad    `marsad.alert.matching` keyword condition (normalised, word-bounded)
Cost: the `alerts` stage's process() per document with --rules enabled rules (keywords,
languages, entities with members), p50/p95 ms, in a fresh SQLite home.
Delivery: --deliveries immediate webhook alerts to a receiver on 127.0.0.1 through
`Deliverer.deliver` (store bookkeeping per attempt) next to a bare httpx POST loop of the same
bodies.

    .venv/bin/python bench/bench_alerts.py [--documents 2000] [--rules 20] [--deliveries 300]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx
from sqlalchemy import select

sys.path.insert(0, str(Path(__file__).parents[1]))
from tests.alert.receiver import Receiver
from tests.alert.store import add_document, add_entity, add_rule, mention, relate
from tests.conftest import make_settings

from marsad.alert.delivery import Deliverer
from marsad.alert.matching import find_keyword
from marsad.alert.settings import DeliverySettings
from marsad.alert.stage import AlertStage, alert_payload
from marsad.pipeline.stage import StageContext
from marsad.store.models import AlertDelivery, Document
from marsad.text.normalize import default_normalizer
from marsad.workspace import Workspace

FILLER = {
    "ar": "قال مسؤولون إن الاجتماع بحث الأوضاع في المدينة وتوزيع المساعدات على العائلات",
    "fa": "مسئولان گفتند نشست درباره وضعیت شهر و توزیع کمک ها میان خانواده ها بود",
    "en": "officials said the meeting discussed the situation in the city and aid",
}
# keyword -> (language, spellings that must match, look-alikes that must not)
KEYWORDS = {
    "بيان": ("ar", ["بيان", "بيانٌ", "بياناً", "وللبيان", "البيانات", "بـيـان"], ["بيانو", "تبيان"]),
    "النجباء": ("ar", ["النجباء", "النُّجباء", "والنجباء", "للنجباء"], ["نجباء"]),
    "کتائب": ("fa", ["کتائب", "كتائب", "کتائبِ"], ["مکتائب"]),
    "ISIS": ("en", ["ISIS", "isis", "ISIS's"], ["crisis", "Isisford"]),
}


def sentence(rng: random.Random, language: str, insert: str | None) -> str:
    words = rng.sample(FILLER[language].split(), 8)
    if insert is not None:
        words.insert(rng.randrange(len(words)), insert)
    return " ".join(words) + "."


def corpus(rng: random.Random, size: int) -> list[tuple[str, str, str | None, bool]]:
    """(text, language, keyword, should_match) per document."""
    documents = []
    for _ in range(size):
        if rng.random() < 0.2:
            keyword = rng.choice(list(KEYWORDS))
            language, spellings, lookalikes = KEYWORDS[keyword]
            positive = rng.random() < 0.7
            word = rng.choice(spellings if positive else lookalikes)
            documents.append((sentence(rng, language, word), language, keyword, positive))
        else:
            language = rng.choice(list(FILLER))
            documents.append((sentence(rng, language, None), language, None, False))
    return documents


def keyword_scores(documents: list[tuple[str, str, str | None, bool]]) -> None:
    normalizer = default_normalizer()
    for name, found in (
        ("baseline substring", lambda text, keyword: keyword in text),
        ("marsad keyword   ", None),
    ):
        tp = fp = fn = 0
        for text, _language, keyword, positive in documents:
            if keyword is None:
                continue
            if found is None:
                hit = find_keyword(normalizer.normalize(text), keyword, normalizer) is not None
            else:
                hit = found(text, keyword)
            tp += hit and positive
            fp += hit and not positive
            fn += positive and not hit
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        print(
            f"  {name}  precision {precision:.3f}  recall {recall:.3f}  (tp {tp}, fp {fp}, fn {fn})"
        )


def stage_cost(
    workspace: Workspace, documents: list[tuple[str, str, str | None, bool]], rules: int
) -> None:
    with workspace.database.session() as session:
        add_entity(session, "org-watched", "organization", "Watched Group")
        add_entity(session, "person-leader", "person", "Group Leader")
        relate(session, "person-leader", "leader_of", "org-watched")
        keywords = list(KEYWORDS)
        for number in range(rules):
            kind = number % 3
            conditions = (
                {"keywords": [keywords[number % len(keywords)]]} if kind == 0
                else {"languages": ["ar"], "keywords": ["المساعدات"]} if kind == 1
                else {"entities": ["org-watched"]}
            )  # fmt: skip
            add_rule(session, conditions, name=f"rule {number}")
        ids = []
        for index, (text, language, _keyword, _positive) in enumerate(documents):
            document = add_document(session, f"{text} ({index})", language=language)
            if index % 10 == 0:
                mention(session, document, "person-leader", text.split()[0])
            ids.append(document.id)
    stage = AlertStage()
    timings = []
    for document_id in ids:
        began = time.perf_counter()
        with workspace.database.session() as session:
            document = session.get_one(Document, document_id)
            stage.process(StageContext(session, document, workspace.settings, workspace.blobs))
        timings.append((time.perf_counter() - began) * 1000)
    with workspace.database.session() as session:
        fired = len(session.scalars(select(AlertDelivery.id)).all())
    quantiles = statistics.quantiles(timings, n=20)
    print(f"  {len(ids)} documents x {rules} rules: p50 {statistics.median(timings):.2f} ms, "
          f"p95 {quantiles[18]:.2f} ms per document, {1000 / statistics.mean(timings):.0f} docs/s; "
          f"{fired} alerts recorded")  # fmt: skip


def delivery_throughput(workspace: Workspace, count: int) -> None:
    receiver = Receiver().start()
    try:
        with workspace.database.session() as session:
            rule = add_rule(session, {"languages": ["en"]}, name="bench",
                            config={"url": receiver.url, "secret": "bench"})  # fmt: skip
            document = add_document(session, "officials said the meeting", language="en")
            for number in range(count):
                session.add(AlertDelivery(rule_id=rule.id, item_kind="bench", item_id=str(number),
                                          payload=alert_payload(rule, document, [])))  # fmt: skip
        settings = DeliverySettings.from_settings(workspace.settings)
        began = time.perf_counter()
        report = Deliverer(workspace.database, settings).deliver([rule.id])
        marsad_seconds = time.perf_counter() - began
        bodies = [r.body for r in receiver.received[:count]]
        began = time.perf_counter()
        with httpx.Client() as client:
            for body in bodies:
                client.post(receiver.url, content=body)
        bare_seconds = time.perf_counter() - began
    finally:
        receiver.stop()
    print(f"  baseline bare httpx POST loop: {len(bodies) / bare_seconds:.0f} alerts/s")
    print(f"  marsad Deliverer:              {report.delivered / marsad_seconds:.0f} alerts/s "
          f"({report.delivered} delivered, each attempt committed)")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--documents", type=int, default=2000)
    parser.add_argument("--rules", type=int, default=20)
    parser.add_argument("--deliveries", type=int, default=300)
    args = parser.parse_args()
    rng = random.Random(8)
    documents = corpus(rng, args.documents)
    print(f"keyword matching over {sum(1 for d in documents if d[2])} documents with a keyword "
          "or a look-alike:")  # fmt: skip
    keyword_scores(documents)
    with tempfile.TemporaryDirectory() as folder:
        settings = make_settings(Path(folder) / "home", f"sqlite:///{folder}/marsad.db")
        workspace, _before, _after = Workspace.initialise(settings)
        print("alerts stage cost (SQLite):")
        stage_cost(workspace, documents, args.rules)
        print(f"webhook delivery of {args.deliveries} alerts to 127.0.0.1:")
        delivery_throughput(workspace, args.deliveries)
        workspace.close()


if __name__ == "__main__":
    main()
