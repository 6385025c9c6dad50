"""Ingest throughput: Marsad's pipeline so far against trafilatura alone, on the same pages.

The bundled demo corpus is replicated to --docs pages (each copy made unique, so nothing is
deduplicated away), then:
  baseline  trafilatura.bare_extraction on every page, in memory (what extraction alone costs)
  marsad    `Ingestor.ingest` of the folder into a fresh SQLite home: capture (read, SHA-256,
            blob store, Capture + Document rows), extract, langid, stage_runs bookkeeping
Figures: docs/s, MB/s, and p50/p95 per-document milliseconds (per stage for Marsad).

    .venv/bin/python bench/bench_ingest.py [--docs 5000] [--database-url URL]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import trafilatura
from sqlalchemy import select

from marsad.config import Settings
from marsad.datafiles import DEMO_DIR
from marsad.pipeline.ingest import Ingestor
from marsad.store.models import StageRun
from marsad.text.langid import shared_detector
from marsad.workspace import Workspace


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


def run_marsad(folder: Path, home: Path, database_url: str | None) -> tuple[float, Workspace]:
    env = {"MARSAD_HOME": str(home)}
    if database_url:
        env["MARSAD_DATABASE_URL"] = database_url
    workspace, _, _ = Workspace.initialise(Settings.from_env(env))
    began = time.perf_counter()
    summary = Ingestor(workspace).ingest([str(folder)])
    elapsed = time.perf_counter() - began
    if summary.pipeline.failed or summary.failed_captures:
        raise SystemExit(f"unexpected failures: {summary.pipeline.failures[:3]}")
    return elapsed, workspace


def stage_timings(workspace: Workspace) -> tuple[dict[str, list[float]], list[float]]:
    """Milliseconds per stage, and all stages together per document."""
    per_stage: dict[str, list[float]] = {}
    per_document: dict[int, float] = {}
    query = select(StageRun.document_id, StageRun.stage, StageRun.duration_ms)
    with workspace.database.session() as session:
        for document_id, stage, duration in session.execute(query):
            per_stage.setdefault(stage, []).append(duration)
            per_document[document_id] = per_document.get(document_id, 0.0) + duration
    return per_stage, list(per_document.values())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=5000)
    parser.add_argument("--database-url", help="default: SQLite in a temporary home")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="marsad-bench-") as temporary:
        folder = Path(temporary) / "pages"
        folder.mkdir()
        paths = replicate_corpus(folder, args.docs)
        megabytes = sum(path.stat().st_size for path in paths) / 1e6
        print(f"corpus: {len(paths)} pages from {DEMO_DIR.name}/, {megabytes:.1f} MB")
        # Warm both sides (lazy imports, the language model) so neither pays start-up in the run.
        run_baseline(paths[:10])
        shared_detector()
        baseline_seconds, baseline_ms = run_baseline(paths)
        marsad_seconds, workspace = run_marsad(folder, Path(temporary) / "home", args.database_url)
        per_stage, per_doc = stage_timings(workspace)
        workspace.close()
        print(line("baseline: trafilatura", len(paths), megabytes, baseline_seconds, baseline_ms))
        print(line("marsad: ingest (all)", len(paths), megabytes, marsad_seconds, per_doc))
        for stage, values in per_stage.items():
            print(line(f"  stage {stage}", len(values), megabytes, sum(values) / 1000, values))
        print(
            f"marsad/baseline throughput: {baseline_seconds / marsad_seconds:.2f}x "
            f"(mean stage total {statistics.fmean(per_doc):.2f} ms/doc)"
        )


if __name__ == "__main__":
    main()
