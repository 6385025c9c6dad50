"""Search latency: Marsad's full-text index against a `LIKE '%term%'` scan, in the same run.

Generated Arabic news-style documents (words drawn from a few hundred common ones, with
hamza/alef and yeh/kaf variants, and a rarer name in about 1% of them) are written to a fresh
store; the `search` stage's index is filled for each. Then queries of one or two words, in a
different alef/yeh form than the text uses, run:
  baseline  SELECT ... WHERE text LIKE '%term%' [AND ...] LIMIT 20 over the raw text (finds only
            the exact spelling, so it also misses the variant forms the index finds)
  marsad    store.search.search_documents: normalised terms, FTS5 bm25 (SQLite) or tsvector
            ts_rank_cd (PostgreSQL), the top 20 documents and the total count, no facets
Figures: p50/p95 milliseconds per query. Target: p95 < 100 ms at 1M documents.

    .venv/bin/python bench/bench_search.py [--documents 100000] [--million] [--postgres URL]
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from pathlib import Path

from sqlalchemy import insert, text

from marsad.config import Settings
from marsad.store.models import Capture, Document, utcnow
from marsad.store.search import SearchFilters, search_documents
from marsad.store.search.query import COUNT_CAP
from marsad.text.normalize import default_normalizer
from marsad.workspace import Workspace

COMMON = [
    "قال",
    "أكد",
    "أعلن",
    "اليوم",
    "في",
    "من",
    "إلى",
    "على",
    "عن",
    "مع",
    "الأمين",
    "العام",
    "المتحدث",
    "الرسمي",
    "اللجنة",
    "المشتركة",
    "الاجتماع",
    "المحافظة",
    "الخدمات",
    "المياه",
    "الكهرباء",
    "الطرق",
    "المدينة",
    "القرية",
    "الأهالي",
    "الوفد",
    "البيان",
    "الحكومة",
    "الوزارة",
    "المجلس",
    "المنطقة",
    "الأسبوع",
    "المقبل",
    "الماضي",
    "مشروع",
    "مشاريع",
    "ملفات",
    "لبحث",
    "لمناقشة",
    "إن",
    "أن",
    "الذي",
    "التي",
    "هذا",
    "هذه",
    "كما",
    "بين",
    "خلال",
    "بعد",
    "قبل",
    "منذ",
    "حول",
    "عند",
    "الإعلام",
    "القناة",
    "الموقع",
    "الرسالة",
    "المساعدات",
    "الغذائية",
    "الحملة",
    "الخيرية",
    "التبرعات",
    "السلال",
    "الرمضانية",
    "العائلات",
    "المحتاجة",
    "المتطوعين",
]
RARE = ("أكرم الكعبي", "إسماعيل هنية", "يحيى سريع")
QUERIES = ("اكرم الكعبي", "اسماعيل", "المساعدات الغذائيه", "سريع", "الاعلام")


def document_text(rng: random.Random) -> str:
    words = rng.choices(COMMON, k=rng.randint(60, 140))
    if rng.random() < 0.01:
        words.insert(rng.randrange(len(words)), rng.choice(RARE))
    return " ".join(words)


def fill(workspace: Workspace, count: int, rng: random.Random) -> float:
    normalizer = default_normalizer()
    began = time.perf_counter()
    backend = workspace.database.backend
    batch = 5000
    with workspace.database.engine.begin() as connection:
        for start in range(0, count, batch):
            size = min(batch, count - start)
            now = utcnow()
            connection.execute(
                insert(Capture),
                [
                    {
                        "id": start + i + 1,
                        "url": f"https://site.example/{start + i}",
                        "fetched_at": now,
                        "headers": {},
                    }
                    for i in range(size)
                ],
            )
            texts = [document_text(rng) for _ in range(size)]
            connection.execute(
                insert(Document),
                [
                    {
                        "id": start + i + 1,
                        "capture_id": start + i + 1,
                        "part": "",
                        "url": f"https://site.example/{start + i}",
                        "text": t,
                        "language": "ar",
                        "language_spans": [],
                        "properties": {},
                        "first_seen_at": now,
                    }
                    for i, t in enumerate(texts)
                ],
            )
            rows = [{"id": start + i + 1, "body": normalizer.key(t)} for i, t in enumerate(texts)]
            if backend == "sqlite":
                connection.execute(
                    text("INSERT INTO search_fts (rowid, body) VALUES (:id, :body)"), rows
                )
            else:
                connection.execute(
                    text(
                        "INSERT INTO search_documents (document_id, tsv)"
                        " VALUES (:id, to_tsvector('simple', :body))"
                    ),
                    rows,
                )
    if backend == "postgresql":
        with workspace.database.engine.begin() as connection:
            connection.execute(text("ANALYZE"))
    return time.perf_counter() - began


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def measure(workspace: Workspace, rounds: int) -> tuple[list[float], list[float], int, int]:
    normalizer = default_normalizer()
    marsad, baseline = [], []
    found_index = found_like = 0
    with workspace.database.session() as session:
        for _ in range(rounds):
            for query in QUERIES:
                began = time.perf_counter()
                page = search_documents(
                    session, normalizer, query, SearchFilters(), 20, 0, with_facets=False
                )
                marsad.append((time.perf_counter() - began) * 1000)
                found_index += page.total
                conditions = " AND ".join(f"text LIKE :t{i}" for i, _ in enumerate(query.split()))
                params = {f"t{i}": f"%{word}%" for i, word in enumerate(query.split())}
                began = time.perf_counter()
                ids = session.execute(
                    text(f"SELECT id FROM documents WHERE {conditions} ORDER BY id LIMIT 20"),
                    params,
                ).all()
                total = session.execute(
                    text(f"SELECT count(*) FROM documents WHERE {conditions}"), params
                ).scalar()
                baseline.append((time.perf_counter() - began) * 1000)
                found_like += int(total or 0)
                assert len(ids) <= 20
    return marsad, baseline, found_index, found_like


def run(database_url: str | None, count: int, rounds: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        home = Path(folder)
        env = {"MARSAD_HOME": str(home)}
        if database_url:
            env["MARSAD_DATABASE_URL"] = database_url
        workspace, _, _ = Workspace.initialise(Settings.from_env(env))
        try:
            seconds = fill(workspace, count, random.Random(7))
            marsad, baseline, hits, like_hits = measure(workspace, rounds)
            name = workspace.database.backend
            print(f"{name}: {count:,} documents written and indexed in {seconds:.1f} s")
            print(
                f"  baseline LIKE '%term%'  p50 {statistics.median(baseline):8.1f} ms   "
                f"p95 {percentile(baseline, 0.95):8.1f} ms   matches {like_hits:,}"
            )
            print(
                f"  marsad full-text index  p50 {statistics.median(marsad):8.1f} ms   "
                f"p95 {percentile(marsad, 0.95):8.1f} ms   matches {hits:,} "
                f"(all spellings; each count stops at {COUNT_CAP:,})"
            )
        finally:
            workspace.close()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--documents", type=int, default=100_000)
    parser.add_argument(
        "--million", action="store_true", help="also measure at 1,000,000 documents"
    )
    parser.add_argument("--rounds", type=int, default=8)
    parser.add_argument("--postgres", help="also measure on this (empty) PostgreSQL database URL")
    args = parser.parse_args()
    sizes = [args.documents] + ([1_000_000] if args.million else [])
    for size in sizes:
        run(None, size, args.rounds)
        if args.postgres:
            run(args.postgres, size, args.rounds)


if __name__ == "__main__":
    main()
