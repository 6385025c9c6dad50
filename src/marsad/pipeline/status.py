"""What the pipeline has done so far: counts per stage, failed captures and stage failures."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from marsad.pipeline.runner import STATUS_FAILED, STATUS_OK, latest_run_ids
from marsad.store.models import Capture, Document, StageRun


@dataclass(frozen=True)
class StageCounts:
    stage: str
    ok: int
    failed: int
    pending: int


@dataclass(frozen=True)
class Failure:
    document_id: int
    stage: str
    error: str
    url: str


@dataclass
class PipelineStatus:
    captures: int
    failed_captures: int
    documents: int
    stages: list[StageCounts]
    languages: Counter[str] = field(default_factory=Counter)
    failures: list[Failure] = field(default_factory=list)
    capture_errors: list[tuple[str, str]] = field(default_factory=list)  # (url, error)


def pipeline_status(
    session: Session, stage_names: list[str], failure_limit: int = 20
) -> PipelineStatus:
    captures = session.scalar(select(func.count(Capture.id))) or 0
    failed_captures = (
        session.scalar(select(func.count(Capture.id)).where(Capture.error.is_not(None))) or 0
    )
    documents = session.scalar(select(func.count(Document.id))) or 0
    counts: Counter[tuple[str, str]] = Counter()
    rows = session.execute(
        select(StageRun.stage, StageRun.status, func.count())
        .where(StageRun.id.in_(latest_run_ids()))
        .group_by(StageRun.stage, StageRun.status)
    )
    for stage, status, count in rows:
        counts[(stage, status)] = count
    known = list(stage_names) + sorted({stage for stage, _ in counts} - set(stage_names))
    stages = [
        StageCounts(
            stage=name,
            ok=counts[(name, STATUS_OK)],
            failed=counts[(name, STATUS_FAILED)],
            pending=documents - counts[(name, STATUS_OK)] - counts[(name, STATUS_FAILED)],
        )
        for name in known
    ]
    languages = Counter(
        {
            (language or "not yet identified"): count
            for language, count in session.execute(
                select(Document.language, func.count()).group_by(Document.language)
            )
        }
    )
    failures = [
        Failure(document_id, stage, error or "", url)
        for document_id, stage, error, url in session.execute(
            select(StageRun.document_id, StageRun.stage, StageRun.error, Document.url)
            .join(Document, Document.id == StageRun.document_id)
            .where(StageRun.id.in_(latest_run_ids()), StageRun.status == STATUS_FAILED)
            .order_by(StageRun.id.desc())
            .limit(failure_limit)
        )
    ]
    capture_errors = [
        (url, error or "")
        for url, error in session.execute(
            select(Capture.url, Capture.error)
            .where(Capture.error.is_not(None))
            .order_by(Capture.id.desc())
            .limit(failure_limit)
        )
    ]
    return PipelineStatus(
        captures=captures,
        failed_captures=failed_captures,
        documents=documents,
        stages=stages,
        languages=languages,
        failures=failures,
        capture_errors=capture_errors,
    )
