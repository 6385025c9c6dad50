"""The Celery tasks: thin wrappers around the stages and the crawler, no second implementation.

`marsad.process_document` brings one document up to date with `InlineRunner.process_document`,
exactly as `marsad run` does; `marsad.crawl_source` crawls one source with the `Crawler` and
queues what it captured; `marsad.crawl_due` (the scheduler's timer) queues the due sources;
`marsad.deliver_alerts` sends due alerts as `marsad alerts deliver` does, queued by the
scheduler's timer and by a document task that recorded alerts, so an immediate alert leaves
seconds after its document is processed.
Every task runs guarded: its delivery is counted first (a task that kills its worker again and
again becomes a dead letter), a lost database connection is retried with exponential backoff,
and a task given up on is kept in `dead_letters` with its error.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from celery import Celery, Task
from celery.exceptions import Retry
from celery.signals import worker_process_init
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError

from marsad.alert.delivery import Deliverer, latest_alert_id
from marsad.collect.crawler import Crawler
from marsad.collect.fetcher import Fetcher
from marsad.config import Settings
from marsad.errors import DatabaseUnavailable, WorkerError
from marsad.pipeline.runner import InlineRunner, describe_error
from marsad.store.models import Document
from marsad.workers.app import CRAWL_DUE, CRAWL_SOURCE, DELIVER_ALERTS, PROCESS_DOCUMENT
from marsad.workers.bookkeeping import count_delivery, forget_deliveries, record_dead_letter
from marsad.workers.queue import QueueRunner
from marsad.workers.settings import (
    CRAWL_LEASE,
    MAX_DELIVERIES,
    RETRY_BACKOFF_MAX,
    TASK_MAX_RETRIES,
)
from marsad.workspace import Workspace

log = logging.getLogger(__name__)

# Worth retrying: the database (or the connection to it) is away for a moment.
TRANSIENT_ERRORS: tuple[type[BaseException], ...] = (
    OperationalError,
    InterfaceError,
    DatabaseUnavailable,
)


class WorkerWorkspace:
    """One open workspace per worker process, opened after the fork (never shared across it)."""

    _workspace: Workspace | None = None

    @classmethod
    def get(cls) -> Workspace:
        if cls._workspace is None:
            cls._workspace = Workspace.open(Settings.from_env())
        return cls._workspace

    @classmethod
    def forget(cls, **_signal: Any) -> None:
        cls._workspace = None


worker_process_init.connect(WorkerWorkspace.forget, weak=False)


def is_transient(error: BaseException) -> bool:
    if isinstance(error, DBAPIError) and error.connection_invalidated:
        return True
    return isinstance(error, TRANSIENT_ERRORS)


def run_guarded(
    task: Task[Any, Any], key: str, arguments: dict[str, Any], work: Callable[[Workspace], Any]
) -> Any:
    """Run `work` as one delivery of `task` on `key`: counted, retried, or dead-lettered."""
    retries = int(task.request.retries or 0)
    try:
        workspace = WorkerWorkspace.get()
    except Exception as opening_error:
        # The database is away as the worker first opens it: nothing is counted or done yet,
        # so the task is retried like any other pass of the database, not lost.
        _retry_if_transient(task, key, Settings.from_env(), opening_error, retries)
        raise
    settings = workspace.settings
    try:
        deliveries = count_delivery(workspace.database, key, str(task.name))
        # Each retry is one more delivery on purpose; only deliveries beyond those count.
        if deliveries > int(settings.value_of(MAX_DELIVERIES)) + retries:
            error = f"poison task: started {deliveries - 1} times without finishing"
            record_dead_letter(
                workspace.database, key, str(task.name), arguments, error, deliveries
            )
            log.error("%s %s: %s; moved to the dead letters", task.name, key, error)
            return None
        result = work(workspace)
    except Retry:
        raise
    except Exception as error:
        _retry_if_transient(task, key, settings, error, retries)
        _give_up(workspace, task, key, arguments, error, retries + 1)
        raise
    forget_deliveries(workspace.database, key)
    return result


def _retry_if_transient(
    task: Task[Any, Any], key: str, settings: Settings, error: BaseException, retries: int
) -> None:
    """Raise the task's Retry, with exponential backoff, for a database that is away for a
    moment, while retries are left; return otherwise."""
    if is_transient(error) and retries < int(settings.value_of(TASK_MAX_RETRIES)):
        countdown = min(2**retries, int(settings.value_of(RETRY_BACKOFF_MAX)))
        log.warning("%s %s: %s; retry in %s s", task.name, key, error, countdown)
        raise task.retry(exc=error, countdown=countdown) from None


def _give_up(
    workspace: Workspace,
    task: Task[Any, Any],
    key: str,
    arguments: dict[str, Any],
    error: BaseException,
    attempts: int,
) -> None:
    try:
        record_dead_letter(
            workspace.database, key, str(task.name), arguments, describe_error(error), attempts
        )
    except Exception:  # the database itself is gone: the broker's log keeps the failure
        log.exception("%s %s: could not record the dead letter", task.name, key)


def bring_up_to_date(
    workspace: Workspace,
    document_id: int,
    stages: list[str] | None,
    retry_failed: bool,
    force: bool,
) -> dict[str, int]:
    with workspace.database.session() as session:
        if session.get(Document, document_id) is None:
            raise WorkerError(f"document {document_id} does not exist")
    runner = InlineRunner(
        workspace.database,
        workspace.settings,
        workspace.blobs,
        workspace.registry,
        reraise=TRANSIENT_ERRORS,
    )
    summary = runner.process_document(
        document_id, workspace.registry.ordered(stages), retry_failed, force
    )
    return {"succeeded": summary.succeeded, "failed": summary.failed, "skipped": summary.skipped}


def process_document(
    task: Task[Any, Any],
    document_id: int,
    stages: list[str] | None = None,
    retry_failed: bool = False,
    force: bool = False,
) -> Any:
    arguments = {"document_id": document_id, "stages": stages}

    def process(workspace: Workspace) -> dict[str, int]:
        alerts_before = latest_alert_id(workspace.database)
        done = bring_up_to_date(workspace, document_id, stages, retry_failed, force)
        if latest_alert_id(workspace.database) > alerts_before:
            try:  # send them now, not at the next timer tick
                task.app.send_task(DELIVER_ALERTS)
            except Exception as error:  # the document is done; the next tick sends them
                log.warning("could not queue the delivery of alerts: %s", describe_error(error))
        return done

    return run_guarded(
        task,
        f"document:{document_id}",
        {**arguments, "retry_failed": retry_failed, "force": force},
        process,
    )


def crawl_source(task: Task[Any, Any], source_id: int) -> Any:
    def crawl(workspace: Workspace) -> dict[str, Any]:
        runner = QueueRunner(task.app)
        with Fetcher(workspace.settings) as fetcher:
            done = Crawler(workspace, runner=runner).crawl_source(source_id, fetcher)
        return {"new": done.captures.new_captures, "queued": done.captures.pipeline.queued}

    return run_guarded(task, f"crawl:{source_id}", {"source_id": source_id}, crawl)


def crawl_due(task: Task[Any, Any]) -> list[int]:
    workspace = WorkerWorkspace.get()
    lease = timedelta(seconds=int(workspace.settings.value_of(CRAWL_LEASE)))
    held = Crawler(workspace).hold_due_sources(lease)
    for source_id in held:
        task.app.send_task(CRAWL_SOURCE, kwargs={"source_id": source_id})
    return held


def deliver_alerts(task: Task[Any, Any]) -> Any:
    def deliver(workspace: Workspace) -> dict[str, int]:
        # A receiver that is down is retried by a later task, never waited for here.
        deliverer = Deliverer.from_settings(
            workspace.database, workspace.settings, wait_for_retries=False
        )
        report = deliverer.deliver()
        for problem in report.problems:
            log.error("alerts not delivered: %s", problem)
        return {"delivered": report.delivered, "dead": report.dead, "deferred": report.deferred}

    # Keyed by the message: delivery tasks run side by side (their alerts are claimed one by
    # one), and only a message started again and again is a poison task.
    return run_guarded(task, f"deliver-alerts:{task.request.id}", {}, deliver)


def register_tasks(app: Celery, settings: Settings) -> None:
    max_retries = int(settings.value_of(TASK_MAX_RETRIES))
    app.task(name=PROCESS_DOCUMENT, bind=True, max_retries=max_retries)(process_document)
    app.task(name=CRAWL_SOURCE, bind=True, max_retries=max_retries)(crawl_source)
    app.task(name=CRAWL_DUE, bind=True)(crawl_due)
    app.task(name=DELIVER_ALERTS, bind=True, max_retries=max_retries)(deliver_alerts)
