"""Near-duplicates: quality on a generated gold corpus, and how the cost grows with size.

Quality (tests/cluster/story_corpus.py: --stories stories in ar, fa, he, en, each with 0-5
copies — exact, wrapped in emoji/channel/link, edited, or a half excerpt that is NOT a copy):
pages are written with their publication time and captured in the order a crawler would see
them (publication + 0-6 h), through `Ingestor.ingest` into a fresh SQLite home (every stage).
  baseline  exact duplicates only: documents grouped by content hash
  marsad    the neardup stage's cluster_id
Scores: pairwise precision/recall/F1 over same-group pairs, B-cubed F1, first-source accuracy
(`marsad.cluster.origin.first_copy` of the original's group is the original), and the stage's
p50/p95 ms per document.

Scale (--sizes): signatures and LSH band keys (the stage's own functions) of N generated
texts, grouped through a band index, in memory; next to all-pairs Jaccard of the same
signatures (numpy, one row against all) at --all-pairs N. Near-linear growth shows as a
steady per-document cost.

    .venv/bin/python bench/bench_cluster.py [--stories 700] [--sizes 10000,100000,1000000]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from sqlalchemy import select

sys.path.insert(0, str(Path(__file__).parents[1]))
from tests.cluster.story_corpus import (
    GoldDocument,
    b_cubed,
    ingest_in_crawl_order,
    load_gold_kb,
    multilingual_corpus,
    pairwise,
    story_corpus,
)

from marsad.cluster.neardup import NEARDUP_THRESHOLD, SHINGLE_WORDS
from marsad.cluster.origin import first_copy
from marsad.cluster.signatures import Banding, signature
from marsad.cluster.stories import load_stories
from marsad.store.models import Document, StageRun

THRESHOLD = float(NEARDUP_THRESHOLD.default)
SHINGLES = int(SHINGLE_WORDS.default)


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def quality(stories: int) -> None:
    corpus = story_corpus(stories)
    languages = sorted({doc.language for doc in corpus})
    print(f"gold: {len(corpus)} documents, {stories} stories in {', '.join(languages)}")
    with tempfile.TemporaryDirectory(prefix="marsad-bench-") as temporary:
        began = time.perf_counter()
        workspace = ingest_in_crawl_order(corpus, Path(temporary))
        seconds = time.perf_counter() - began
        with workspace.database.session() as session:
            documents = {Path(d.url).stem: d for d in session.scalars(select(Document))}
            stage_ms = list(
                session.scalars(select(StageRun.duration_ms).where(StageRun.stage == "neardup"))
            )
            session.expunge_all()
        workspace.close()
    by_name = {doc.name: doc for doc in corpus}
    gold = {name: by_name[name].group for name in documents}
    found = {name: d.cluster_id or f"alone-{d.id}" for name, d in documents.items()}
    exact = {name: d.content_hash or f"empty-{d.id}" for name, d in documents.items()}
    print(f"ingested (all stages) in {seconds:.1f} s, {len(documents) / seconds:.1f} docs/s")
    print(f"{'system':<28}{'precision':>10}{'recall':>8}{'F1':>8}{'B-cubed F1':>12}")
    for system, groups in (("baseline: exact hash", exact), ("marsad: neardup", found)):
        precision, recall, f1 = pairwise(gold, groups)
        print(
            f"{system:<28}{precision:>10.3f}{recall:>8.3f}{f1:>8.3f}{b_cubed(gold, groups):>12.3f}"
        )
    for language in languages:
        names = [n for n in documents if by_name[n].language == language]
        precision, recall, f1 = pairwise({n: gold[n] for n in names}, {n: found[n] for n in names})
        print(f"  {language:<26}{precision:>10.3f}{recall:>8.3f}{f1:>8.3f}")
    first_source(corpus, documents)
    print(
        f"neardup stage: p50 {percentile(stage_ms, 0.5):.2f} ms, "
        f"p95 {percentile(stage_ms, 0.95):.2f} ms per document"
    )


def first_source(corpus: list[GoldDocument], documents: dict[str, Document]) -> None:
    """For each story with copies, is the first copy of the original's group the original?"""
    members: dict[int, list[Document]] = defaultdict(list)
    for document in documents.values():
        if document.cluster_id is not None:
            members[document.cluster_id].append(document)
    originals = [doc for doc in corpus if doc.kind == "original"]
    copied = {doc.story for doc in corpus if doc.kind not in ("original", "excerpt")}
    judged = right = 0
    for original in originals:
        if original.story not in copied:
            continue
        judged += 1
        cluster = documents[original.name].cluster_id
        if cluster is not None:
            right += Path(first_copy(members[cluster]).url).stem == original.name
    print(f"first-source accuracy: {right / judged:.3f} over {judged} stories with copies")


def story_quality(stories: int) -> None:
    """Stories across languages: B-cubed against the generated gold, next to neardup alone."""
    corpus = multilingual_corpus(stories)
    print(f"\nstory gold: {len(corpus)} documents, {stories} stories told in 1-4 languages")
    with tempfile.TemporaryDirectory(prefix="marsad-bench-") as temporary:
        workspace = ingest_in_crawl_order(corpus, Path(temporary), load_gold_kb)
        with workspace.database.session() as session:
            documents = {Path(d.url).stem: d for d in session.scalars(select(Document))}
            began = time.perf_counter()
            story_of = {m.document_id: s.id for s in load_stories(session) for m in s.members}
            seconds = time.perf_counter() - began
            session.expunge_all()
        workspace.close()
    by_name = {doc.name: doc for doc in corpus}
    gold = {name: by_name[name].story for name in documents}
    neardup = {name: d.cluster_id or f"alone-{d.id}" for name, d in documents.items()}
    found = {name: story_of.get(d.id, f"alone-{d.id}") for name, d in documents.items()}
    print(f"{'system':<32}{'precision':>10}{'recall':>8}{'F1':>8}{'B-cubed F1':>12}")
    for system, groups in (("baseline: neardup groups only", neardup), ("marsad: stories", found)):
        precision, recall, f1 = pairwise(gold, groups)
        bcubed = b_cubed(gold, groups)
        print(f"{system:<32}{precision:>10.3f}{recall:>8.3f}{f1:>8.3f}{bcubed:>12.3f}")
    print(f"grouping {len(documents)} documents into stories took {seconds:.2f} s")


def texts_for_scale(count: int) -> list[str]:
    corpus = story_corpus(count // 3 + 1, seed=count)
    return [doc.text for doc in corpus[:count]]


def band_index_groups(signatures: Sequence[np.ndarray], banding: Banding) -> int:
    """Group by shared band keys, confirm by Jaccard (what the stage does); returns pairs."""
    from datasketch import MinHash

    index: dict[tuple[int, int], list[int]] = defaultdict(list)
    confirmed = 0
    for number, values in enumerate(signatures):
        minhash = MinHash(num_perm=len(values), hashvalues=values, scheme="affine32", seed=1)
        candidates: set[int] = set()
        for key in banding.keys(minhash):
            candidates.update(index[key])
            index[key].append(number)
        confirmed += sum(
            float(np.mean(signatures[other] == values)) >= THRESHOLD for other in candidates
        )
    return confirmed


def all_pairs(signatures: np.ndarray) -> int:
    found = 0
    for number in range(len(signatures)):
        agreement = (signatures[number + 1 :] == signatures[number]).mean(axis=1)
        found += int(np.count_nonzero(agreement >= THRESHOLD))
    return found


def scale(sizes: list[int], all_pairs_size: int) -> None:
    banding = Banding.for_threshold(THRESHOLD)
    print(f"\nscale: {banding.bands} bands x {banding.rows} rows, threshold {THRESHOLD}")
    print(f"{'documents':>10}{'signatures s':>14}{'grouping s':>12}{'us/doc':>9}{'pairs':>10}")
    for size in sizes:
        texts = texts_for_scale(size)
        began = time.perf_counter()
        signatures = [m.hashvalues for t in texts if (m := signature(t, SHINGLES)) is not None]
        signed = time.perf_counter()
        pairs = band_index_groups(signatures, banding)
        grouped = time.perf_counter()
        per_doc = (grouped - began) / len(texts) * 1e6
        timings = f"{signed - began:>14.1f}{grouped - signed:>12.1f}{per_doc:>9.0f}"
        print(f"{size:>10,}{timings}{pairs:>10,}")
        if size == all_pairs_size:
            began = time.perf_counter()
            found = all_pairs(np.array(signatures))
            seconds = time.perf_counter() - began
            print(
                f"{'baseline: all pairs':>10} at {size:,}: {seconds:.1f} s grouping "
                f"({seconds / (grouped - signed):.1f}x the band index), {found:,} pairs"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stories", type=int, default=700)
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--all-pairs", type=int, default=10000, dest="all_pairs_size")
    args = parser.parse_args()
    if args.stories:  # --stories 0: scale figures only
        quality(args.stories)
        story_quality(args.stories)
    scale([int(size) for size in args.sizes.split(",") if size], args.all_pairs_size)


if __name__ == "__main__":
    main()
