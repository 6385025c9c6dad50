"""Pipeline throughput inline, on one worker process and on two, over the same corpus.

Each run starts from a fresh PostgreSQL database holding the seed KB (cloned from a template,
so every run does the same work), captures the corpus first, then times only the stages:
  baseline  `marsad run` in this process (InlineRunner), the embedded default
  workers   `marsad worker --concurrency 1` and `--concurrency 2` on a private Redis broker:
            from queueing the documents until every stage has run on every document
Figures: documents/s and the speed-up over one worker. Needs PostgreSQL on 127.0.0.1:5432 and
redis-server on the PATH.

    .venv/bin/python bench/bench_workers.py [--docs 240]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import func, select

sys.path.insert(0, str(Path(__file__).parents[1]))
sys.path.insert(0, str(Path(__file__).parent))
from tests.workers.databases import create_kb_template, drop_database, home_from_template
from tests.workers.processes import (
    MarsadProcess,
    RedisServer,
    private_redis,
    wait_for,
    worker_env,
)

from bench_ingest import replicate_corpus
from marsad.config import Settings
from marsad.pipeline.ingest import Ingestor
from marsad.store.models import StageRun
from marsad.workers.app import create_celery
from marsad.workers.queue import QueueRunner
from marsad.workspace import Workspace


@contextmanager
def kb_template(folder: Path) -> Iterator[str]:
    name = f"marsad_bench_tpl_{uuid.uuid4().hex[:8]}"
    try:
        create_kb_template(name, folder)
        yield name
    finally:
        drop_database(name)


@contextmanager
def fresh_home(folder: Path, template: str) -> Iterator[Settings]:
    name = f"marsad_bench_{uuid.uuid4().hex[:8]}"
    try:
        yield home_from_template(name, template, folder)
    finally:
        drop_database(name)


def stage_runs_done(settings: Settings) -> int:
    with Workspace.open(settings) as workspace, workspace.database.session() as session:
        query = select(func.count()).select_from(StageRun).where(StageRun.status == "ok")
        return session.scalar(query) or 0


def run_inline(settings: Settings, pages: list[Path]) -> float:
    with Workspace.open(settings) as workspace:
        summary = Ingestor(workspace).capture([str(page) for page in pages], "bench")
        began = time.perf_counter()
        workspace.runner().run(summary.document_ids)
        return time.perf_counter() - began


def run_workers(settings: Settings, pages: list[Path], redis: RedisServer, processes: int) -> float:
    app = create_celery(Settings.from_env({**settings.env, "MARSAD_BROKER_URL": redis.url}))
    with Workspace.open(settings) as workspace:
        stages = len(workspace.registry.names())
        runner = QueueRunner(app, workspace.database)
        summary = Ingestor(workspace, runner=_NoRun()).capture([str(p) for p in pages], "bench")
    log = settings.home / f"worker-{processes}.log"
    worker = MarsadProcess(worker_env(settings, redis.url), log, "worker", "-c", str(processes))
    try:
        wait_for(lambda: "ready" in worker.output(), 60, "the worker to start")
        began = time.perf_counter()
        runner.run(summary.document_ids)
        expected = len(summary.document_ids) * stages
        wait_for(lambda: stage_runs_done(settings) >= expected, 1800, "the workers")
        return time.perf_counter() - began
    finally:
        worker.stop()


class _NoRun:
    """Capture only: the documents are queued by the timed part of the run."""

    def run(self, *_args: object, **_kwargs: object) -> object:
        from marsad.pipeline.runner import RunSummary

        return RunSummary()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--docs", type=int, default=240)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="marsad-bench-") as temporary:
        root = Path(temporary)
        (root / "pages").mkdir()
        pages = replicate_corpus(root / "pages", args.docs)
        print(f"corpus: {len(pages)} pages (demo corpus replicated), PostgreSQL store")
        (root / "redis").mkdir()
        with kb_template(root / "template") as template, private_redis(root / "redis") as redis:
            timings: dict[str, float] = {}
            with fresh_home(root / "inline", template) as settings:
                timings["baseline: inline runner"] = run_inline(settings, pages)
            for processes in (1, 2):
                with fresh_home(root / f"workers-{processes}", template) as settings:
                    label = f"marsad worker -c {processes}"
                    timings[label] = run_workers(settings, pages, redis, processes)
    one_worker = timings["marsad worker -c 1"]
    print(f"{'runner':<28}{'seconds':>10}{'docs/s':>10}{'vs 1 worker':>13}")
    for label, seconds in timings.items():
        speed = len(pages) / seconds
        print(f"{label:<28}{seconds:>10.1f}{speed:>10.1f}{one_worker / seconds:>12.2f}x")


if __name__ == "__main__":
    main()
