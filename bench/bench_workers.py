"""Pipeline throughput inline, on one worker process and on two, over the same corpus.

Each run starts from a fresh PostgreSQL database holding the seed KB (cloned from a template,
so every run does the same work), captures the corpus first, then times only the stages:
  baseline  `marsad run` in this process (InlineRunner), the embedded default
  workers   `marsad worker --concurrency 1` and `--concurrency 2` on a private Redis broker:
            from queueing the documents until every stage has run on every document
Steady state is what is timed: every runner first processes --warmup documents per process
(the first document of a process loads the language models and the KB matcher, ~3 s), and the
bench polls progress over one connection every half second so it takes no worker's CPU.
Figures: documents/s and the speed-up over one worker. Needs PostgreSQL on 127.0.0.1:5432 and
redis-server on the PATH.

    .venv/bin/python bench/bench_workers.py [--docs 240] [--warmup 2]
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


def stage_runs_done(workspace: Workspace) -> int:
    with workspace.database.session() as session:
        query = select(func.count()).select_from(StageRun).where(StageRun.status == "ok")
        return session.scalar(query) or 0


def wait_for_stage_runs(workspace: Workspace, expected: int) -> None:
    deadline = time.monotonic() + 1800
    while stage_runs_done(workspace) < expected:
        if time.monotonic() > deadline:
            raise SystemExit(f"the workers did not finish {expected} stage runs in 30 minutes")
        time.sleep(0.5)


def capture(workspace: Workspace, pages: list[Path]) -> list[int]:
    summary = Ingestor(workspace).capture([str(page) for page in pages], "bench")
    return summary.document_ids


def run_inline(settings: Settings, pages: list[Path], warmup: list[Path]) -> float:
    with Workspace.open(settings) as workspace:
        workspace.runner().run(capture(workspace, warmup))
        documents = capture(workspace, pages)
        began = time.perf_counter()
        workspace.runner().run(documents)
        return time.perf_counter() - began


def run_workers(
    settings: Settings, pages: list[Path], warmup: list[Path], redis: RedisServer, processes: int
) -> float:
    app = create_celery(Settings.from_env({**settings.env, "MARSAD_BROKER_URL": redis.url}))
    log = settings.home / f"worker-{processes}.log"
    worker = MarsadProcess(worker_env(settings, redis.url), log, "worker", "-c", str(processes))
    try:
        with Workspace.open(settings) as workspace:
            stages = len(workspace.registry.names())
            runner = QueueRunner(app, workspace.database)
            warming = capture(workspace, warmup)
            documents = capture(workspace, pages)
            wait_for(lambda: "ready" in worker.output(), 60, "the worker to start")
            runner.run(warming)
            wait_for_stage_runs(workspace, len(warming) * stages)
            began = time.perf_counter()
            runner.run(documents)
            wait_for_stage_runs(workspace, (len(warming) + len(documents)) * stages)
            return time.perf_counter() - began
    finally:
        worker.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--docs", type=int, default=240)
    parser.add_argument("--warmup", type=int, default=2, help="Documents per process, untimed.")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="marsad-bench-") as temporary:
        root = Path(temporary)
        (root / "pages").mkdir()
        pages = replicate_corpus(root / "pages", args.docs)
        (root / "warmup").mkdir()
        # Two workers' worth; distinct bytes from the timed pages, so nothing is skipped.
        warmup = replicate_corpus(root / "warmup", 2 * args.warmup, first=args.docs)
        print(f"corpus: {len(pages)} pages (demo corpus replicated), PostgreSQL store")
        (root / "redis").mkdir()
        with kb_template(root / "template") as template, private_redis(root / "redis") as redis:
            timings: dict[str, float] = {}
            with fresh_home(root / "inline", template) as settings:
                one = warmup[: args.warmup]
                timings["baseline: inline runner"] = run_inline(settings, pages, one)
            for processes in (1, 2):
                with fresh_home(root / f"workers-{processes}", template) as settings:
                    label = f"marsad worker -c {processes}"
                    warming = warmup[: args.warmup * processes]
                    timings[label] = run_workers(settings, pages, warming, redis, processes)
    one_worker = timings["marsad worker -c 1"]
    print(f"{'runner':<28}{'seconds':>10}{'docs/s':>10}{'vs 1 worker':>13}")
    for label, seconds in timings.items():
        speed = len(pages) / seconds
        print(f"{label:<28}{seconds:>10.1f}{speed:>10.1f}{one_worker / seconds:>12.2f}x")


if __name__ == "__main__":
    main()
