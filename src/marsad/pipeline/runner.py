"""The inline runner: runs stages over documents in this process, one unit of work per
(document, stage), recording each run in `stage_runs`.

A stage runs on a document when it never ran there, when its version changed, when a stage it
requires produced new output in this pass, or — with `retry_failed` — when its last run failed.
A failure is recorded and the run goes on with the next document; stages that require the
failed one wait until it succeeds.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy import Select, bindparam, func, insert, select
from sqlalchemy.orm import Session

from marsad import interrupts
from marsad.config import Settings
from marsad.errors import MarsadError
from marsad.interrupts import shielded
from marsad.pipeline.registry import StageRegistry
from marsad.pipeline.stage import Stage, StageContext
from marsad.preserve.blobs import BlobStore
from marsad.store.db import Database, hold_lock
from marsad.store.models import Document, StageRun, utcnow

log = logging.getLogger(__name__)

STATUS_OK = "ok"
STATUS_FAILED = "failed"


@dataclass(frozen=True)
class LastRun:
    status: str
    version: str


@dataclass
class RunSummary:
    documents: int = 0
    succeeded: int = 0
    failed: int = 0
    skipped: int = 0
    queued: int = 0  # handed to the distributed workers instead of run here
    failures: list[tuple[int, str, str]] = field(default_factory=list)  # (document, stage, error)

    def merge(self, other: RunSummary) -> None:
        self.documents += other.documents
        self.succeeded += other.succeeded
        self.failed += other.failed
        self.skipped += other.skipped
        self.queued += other.queued
        self.failures.extend(other.failures)


def describe_error(error: BaseException) -> str:
    return f"{error.__class__.__name__}: {error}"


def latest_run_ids() -> Select[Any]:
    """Ids of the most recent run of each (document, stage)."""
    return select(func.max(StageRun.id)).group_by(StageRun.document_id, StageRun.stage)


# A document's runs in order (built once: assembling a statement costs more than running it).
DOCUMENT_RUNS = (
    select(StageRun.stage, StageRun.status, StageRun.version)
    .where(StageRun.document_id == bindparam("document_id"))
    .order_by(StageRun.id)
)


RECORD_RUN = insert(StageRun)


def last_runs(session: Session, document_id: int) -> dict[str, LastRun]:
    """The most recent run of each stage on one document (the later run of a stage wins)."""
    rows = session.execute(DOCUMENT_RUNS, {"document_id": document_id})
    return {stage: LastRun(status, version) for stage, status, version in rows}


class DocumentRunner(Protocol):
    """Brings documents up to date with the stages: here (InlineRunner) or on the workers."""

    def run(
        self,
        document_ids: Iterable[int] | None = None,
        stage_names: Sequence[str] | None = None,
        retry_failed: bool = False,
        force: bool = False,
        on_document_done: Callable[[int], None] | None = None,
    ) -> RunSummary: ...


class InlineRunner:
    def __init__(
        self,
        database: Database,
        settings: Settings,
        blobs: BlobStore,
        registry: StageRegistry,
        reraise: tuple[type[BaseException], ...] = (),
    ) -> None:
        self.database = database
        self.settings = settings
        self.blobs = blobs
        self.registry = registry
        # Errors not to record as a stage failure but to raise (the workers retry a lost
        # database connection rather than mark the document failed).
        self.reraise = reraise

    def run(
        self,
        document_ids: Iterable[int] | None = None,
        stage_names: Sequence[str] | None = None,
        retry_failed: bool = False,
        force: bool = False,
        on_document_done: Callable[[int], None] | None = None,
    ) -> RunSummary:
        stages = self.registry.ordered(stage_names)
        if document_ids is None:
            with self.database.session() as session:
                document_ids = list(session.scalars(select(Document.id).order_by(Document.id)))
        summary = RunSummary()
        for document_id in document_ids:
            summary.merge(self.process_document(document_id, stages, retry_failed, force))
            if on_document_done is not None:
                on_document_done(document_id)
        return summary

    def process_document(
        self, document_id: int, stages: Sequence[Stage], retry_failed: bool, force: bool
    ) -> RunSummary:
        """Bring one document up to date with the given stages (the unit Celery tasks reuse).

        The stages share one session, so the document is loaded once; each still commits its
        output with its run's row in a transaction of its own."""
        summary = RunSummary(documents=1)
        with self.database.session() as session:
            previous = last_runs(session, document_id)
            # Held here: the session keeps loaded objects only while something refers to them,
            # so without this reference each stage would read the whole document again.
            document = session.get(Document, document_id)
            refreshed: set[str] = set()
            for stage in stages:
                requirements_ok = all(
                    name in refreshed or previous.get(name, LastRun("", "")).status == STATUS_OK
                    for name in stage.requires
                )
                if not requirements_ok:
                    summary.skipped += 1
                    continue
                last = previous.get(stage.name)
                due = (
                    force
                    or last is None
                    or last.version != stage.version
                    or any(name in refreshed for name in stage.requires)
                    or (retry_failed and last.status == STATUS_FAILED)
                )
                if not due:
                    continue
                error = self._run_stage(session, document_id, document, stage)
                if error is None:
                    refreshed.add(stage.name)
                    previous[stage.name] = LastRun(STATUS_OK, stage.version)
                    summary.succeeded += 1
                else:
                    previous[stage.name] = LastRun(STATUS_FAILED, stage.version)
                    summary.failed += 1
                    summary.failures.append((document_id, stage.name, error))
        return summary

    def _run_stage(
        self, session: Session, document_id: int, document: Document | None, stage: Stage
    ) -> str | None:
        """Run one stage in its own transaction (committed with its run's row, or rolled back
        and the failure recorded); returns the error text if it failed."""
        started_at = utcnow()
        began = time.perf_counter()
        try:
            # Otherwise two workers coding two reports of one meeting at once would each miss
            # the other's uncommitted event and keep two events.
            locked = stage.cross_document and hold_lock(session, f"stage {stage.name}")
            if document is None:
                raise MarsadError(f"document {document_id} does not exist")
            if locked:
                session.refresh(document)  # as the lock's previous holder left it
            stage.process(StageContext(session, document, self.settings, self.blobs))
            self._record(session, document_id, stage, STATUS_OK, started_at, began)
            with shielded():
                session.commit()
            return None
        except self.reraise:
            raise
        except Exception as exc:  # isolate any failure to this (document, stage)
            with shielded():
                session.rollback()
            if interrupts.received():  # a call the signal cut short: not the stage's failure
                raise
            if not isinstance(exc, MarsadError):
                log.exception("stage %s crashed on document %s", stage.name, document_id)
            error = describe_error(exc)
            self._record(session, document_id, stage, STATUS_FAILED, started_at, began, error)
            with shielded():
                session.commit()
            return error

    @staticmethod
    def _record(
        session: Session,
        document_id: int,
        stage: Stage,
        status: str,
        started_at: datetime,
        began: float,
        error: str | None = None,
    ) -> None:
        """The run's row, written as a plain insert: nothing reads it back as an object, and
        one ORM object per stage and document cost more than the statement."""
        session.execute(
            RECORD_RUN,
            {
                "document_id": document_id,
                "stage": stage.name,
                "version": stage.version,
                "status": status,
                "started_at": started_at,
                "duration_ms": (time.perf_counter() - began) * 1000,
                "error": error,
            },
        )
