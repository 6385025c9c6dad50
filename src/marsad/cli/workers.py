"""`marsad worker`, `marsad scheduler`, `marsad dead-letters`: the distributed pipeline."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from marsad.cli.console import console, errors
from marsad.config import Settings

if TYPE_CHECKING:
    from marsad.store.models import DeadLetter

POOLS = ("prefork", "solo", "threads")


def _checked_settings() -> Settings:
    """Settings of an initialised home: a worker on a missing schema would only fail later."""
    from marsad.workspace import Workspace

    settings = Settings.from_env()
    Workspace.open(settings).close()
    return settings


def worker(
    concurrency: Annotated[
        int, typer.Option("--concurrency", "-c", min=1, help="Worker processes.")
    ] = 2,
    pool: Annotated[str, typer.Option("--pool", help=f"One of {', '.join(POOLS)}.")] = "prefork",
    loglevel: Annotated[str, typer.Option("--loglevel", help="Celery log level.")] = "INFO",
) -> None:
    """Run stages and crawls from the broker's queue (MARSAD_BROKER_URL) until stopped."""
    from marsad.workers.app import create_celery
    from marsad.workers.settings import WORKER_QUEUE

    if pool not in POOLS:
        raise typer.BadParameter(f"--pool must be one of {', '.join(POOLS)}")
    settings = _checked_settings()
    if concurrency > 1 and settings.database_url.startswith("sqlite"):
        errors.print(
            "warning: worker processes on SQLite wait for each other's writes and can miss "
            "each other's duplicates and events; use PostgreSQL (MARSAD_DATABASE_URL) or -c 1"
        )
    app = create_celery(settings)
    app.worker_main(
        [
            "worker",
            f"--concurrency={concurrency}",
            f"--pool={pool}",
            f"--loglevel={loglevel}",
            f"--queues={settings.value_of(WORKER_QUEUE)}",
            "--without-gossip",
            "--without-mingle",
            "--hostname=marsad@%h",
        ]
    )


def scheduler(
    loglevel: Annotated[str, typer.Option("--loglevel", help="Celery log level.")] = "INFO",
) -> None:
    """Queue a crawl of every due source and a delivery of due alerts, every
    MARSAD_SCHEDULER_TICK seconds (celery beat)."""
    from marsad.workers.app import create_celery

    settings = _checked_settings()
    app = create_celery(settings)
    beat = app.Beat(loglevel=loglevel, schedule=str(settings.home / "celerybeat-schedule"))
    beat.run()


def _requeue(letter: DeadLetter, settings: Settings) -> None:
    from marsad.workers.app import CRAWL_SOURCE, PROCESS_DOCUMENT, create_celery

    app = create_celery(settings)
    arguments = dict(letter.arguments)
    if letter.task not in (PROCESS_DOCUMENT, CRAWL_SOURCE):
        raise typer.BadParameter(f"dead letter {letter.id}: unknown task {letter.task!r}")
    app.send_task(letter.task, kwargs=arguments)


def dead_letters(
    retry: Annotated[
        bool, typer.Option("--retry", help="Queue every open dead letter again.")
    ] = False,
) -> None:
    """Tasks the workers gave up on (retries exhausted, poison tasks), with their errors."""
    from marsad.workers.bookkeeping import open_dead_letters, resolve_dead_letters
    from marsad.workspace import Workspace

    with Workspace.open() as workspace, workspace.database.session() as session:
        letters = open_dead_letters(session)
        if not letters:
            console.print("no dead letters")
            return
        table = Table("id", "task", "key", "attempts", "at", "error")
        for letter in letters:
            table.add_row(
                str(letter.id),
                letter.task,
                letter.key,
                str(letter.attempts),
                letter.created_at.strftime("%Y-%m-%d %H:%M"),
                letter.error,
            )
        console.print(table)
        if retry:
            for letter in letters:
                _requeue(letter, workspace.settings)
            resolve_dead_letters(session, letters)
            console.print(f"queued {len(letters)} dead letters again")
