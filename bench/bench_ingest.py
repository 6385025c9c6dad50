"""Ingest throughput: Marsad's pipeline so far against trafilatura alone, on the same pages.

The bundled demo corpus is replicated to --docs pages (each copy made unique, so nothing is
deduplicated away), then, batch by batch (--batch pages), alternately:
  baseline  trafilatura.bare_extraction on every page, in memory (what extraction alone costs)
  marsad    `Ingestor.ingest` of the same pages into one SQLite home: capture (read, SHA-256,
            blob store, WARC, custody, Capture + Document rows), then every stage
Alternating keeps both sides under the same conditions on a shared machine, where speed drifts
by tens of percent within a minute. Both sides are warmed first (imports, language models,
the KB matcher) on pages outside the count.
Figures: docs/s, MB/s, and p50/p95 per-document milliseconds (per stage for Marsad).

    .venv/bin/python bench/bench_ingest.py [--docs 5000] [--batch 50] [--database-url URL]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import trafilatura
from sqlalchemy import func, select

from marsad.config import Settings
from marsad.datafiles import DEMO_DIR
from marsad.pipeline.ingest import Ingestor
from marsad.store.models import Document, StageRun
from marsad.workspace import Workspace

# Pages ingested before the count: the first document loads the models and the KB matcher.
WARM_UP_PAGES = 10


def replicate_corpus(target: Path, count: int, first: int = 0) -> list[Path]:
    """`count` copies of the demo pages, each made unique by its number (from `first` on)."""
    pages = sorted(DEMO_DIR.glob("*.html"))
    if not pages:
        raise SystemExit(f"no demo pages in {DEMO_DIR}")
    written = []
    for number in range(first, first + count):
        source = pages[number % len(pages)]
        data = source.read_bytes().replace(b"</body>", f"<!-- copy {number} --></body>".encode())
        path = target / f"{number:06}-{source.name}"
        path.write_bytes(data)
        written.append(path)
    return written


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def line(name: str, docs: int, megabytes: float, seconds: float, per_doc_ms: list[float]) -> str:
    return (
        f"{name:<22} {docs / seconds:>9.1f} docs/s {megabytes / seconds:>7.2f} MB/s   "
        f"p50 {percentile(per_doc_ms, 0.5):>7.2f} ms   p95 {percentile(per_doc_ms, 0.95):>7.2f} ms"
    )


def run_baseline(paths: list[Path]) -> tuple[float, list[float]]:
    timings = []
    began = time.perf_counter()
    for path in paths:
        start = time.perf_counter()
        trafilatura.bare_extraction(path.read_bytes(), with_metadata=True, include_comments=False)
        timings.append((time.perf_counter() - start) * 1000)
    return time.perf_counter() - began, timings


def open_home(home: Path, database_url: str | None) -> Workspace:
    env = {"MARSAD_HOME": str(home)}
    if database_url:
        env["MARSAD_DATABASE_URL"] = database_url
    workspace, _, _ = Workspace.initialise(Settings.from_env(env))
    return workspace


def run_marsad(ingestor: Ingestor, paths: list[Path]) -> float:
    began = time.perf_counter()
    summary = ingestor.ingest([str(path) for path in paths])
    elapsed = time.perf_counter() - began
    if summary.pipeline.failed or summary.failed_captures:
        raise SystemExit(f"unexpected failures: {summary.pipeline.failures[:3]}")
    return elapsed


def stage_timings(
    workspace: Workspace, after_document: int
) -> tuple[dict[str, list[float]], list[float]]:
    """Milliseconds per stage, and all stages together per document (the warm-up's left out)."""
    per_stage: dict[str, list[float]] = {}
    per_document: dict[int, float] = {}
    query = select(StageRun.document_id, StageRun.stage, StageRun.duration_ms).where(
        StageRun.document_id > after_document
    )
    with workspace.database.session() as session:
        for document_id, stage, duration in session.execute(query):
            per_stage.setdefault(stage, []).append(duration)
            per_document[document_id] = per_document.get(document_id, 0.0) + duration
    return per_stage, list(per_document.values())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=5000)
    parser.add_argument("--batch", type=int, default=50)
    parser.add_argument("--database-url", help="default: SQLite in a temporary home")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="marsad-bench-") as temporary:
        folder = Path(temporary) / "pages"
        folder.mkdir()
        paths = replicate_corpus(folder, args.docs)
        warm_up = replicate_corpus(folder, WARM_UP_PAGES, first=args.docs)
        megabytes = sum(path.stat().st_size for path in paths) / 1e6
        print(f"corpus: {len(paths)} pages from {DEMO_DIR.name}/, {megabytes:.1f} MB")
        workspace = open_home(Path(temporary) / "home", args.database_url)
        ingestor = Ingestor(workspace)
        run_baseline(warm_up)
        run_marsad(ingestor, warm_up)
        with workspace.database.session() as session:
            warm_up_documents = session.scalar(select(func.max(Document.id))) or 0
        baseline_seconds = marsad_seconds = 0.0
        baseline_ms: list[float] = []
        for start in range(0, len(paths), args.batch):
            batch = paths[start : start + args.batch]
            seconds, timings = run_baseline(batch)
            baseline_seconds += seconds
            baseline_ms += timings
            marsad_seconds += run_marsad(ingestor, batch)
        per_stage, per_doc = stage_timings(workspace, warm_up_documents)
        workspace.close()
        print(line("baseline: trafilatura", len(paths), megabytes, baseline_seconds, baseline_ms))
        print(line("marsad: ingest (all)", len(paths), megabytes, marsad_seconds, per_doc))
        for stage, values in per_stage.items():
            print(line(f"  stage {stage}", len(values), megabytes, sum(values) / 1000, values))
        print(
            f"marsad/baseline throughput: {baseline_seconds / marsad_seconds:.2f}x "
            f"(mean stage total {statistics.fmean(per_doc):.2f} ms/doc, "
            f"wall {1000 * marsad_seconds / len(paths):.2f} ms/doc)"
        )


if __name__ == "__main__":
    main()
