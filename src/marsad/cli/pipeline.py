"""`marsad ingest`, `marsad run`, `marsad status`, `marsad stages`: feed and watch the pipeline."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

from marsad.cli.console import console, escape

if TYPE_CHECKING:
    from marsad.pipeline.runner import DocumentRunner, RunSummary
    from marsad.workspace import Workspace


def _progress() -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    )


class IngestBars:
    """Two progress bars for an ingest: captures, then documents through the stages."""

    def __init__(self, progress: Progress) -> None:
        self.progress = progress
        self.capturing = progress.add_task("capturing", total=None)
        self.processing_task: TaskID | None = None

    def captured(self, url: str) -> None:
        self.progress.advance(self.capturing)

    def processing(self, documents: int) -> None:
        self.processing_task = self.progress.add_task("processing", total=documents)

    def processed(self, document_id: int) -> None:
        if self.processing_task is not None:
            self.progress.advance(self.processing_task)


def _print_failures(summary: RunSummary, limit: int = 10) -> None:
    for document_id, stage, error in summary.failures[:limit]:
        console.print(
            f"  [red]failed[/red] document {document_id} at {escape(stage)}: {escape(error)}",
            markup=True,
        )
    if len(summary.failures) > limit:
        console.print(f"  … and {len(summary.failures) - limit} more (see `marsad status`)")


QueueOption = Annotated[
    bool,
    typer.Option(
        "--queue", help="Queue the documents for `marsad worker` instead of running stages here."
    ),
]


def _runner(workspace: Workspace, queue: bool) -> DocumentRunner:
    if not queue:
        return workspace.runner()
    from marsad.workers.app import create_celery  # Celery only when it is asked for
    from marsad.workers.queue import QueueRunner

    return QueueRunner(create_celery(workspace.settings), workspace.database)


def _stage_outcome(summary: RunSummary) -> str:
    if summary.queued:
        return f"stages: {summary.queued} documents queued for the workers"
    return f"stages: {summary.succeeded} ok, {summary.failed} failed"


def ingest(
    locators: Annotated[list[str], typer.Argument(help="Files, folders or http(s) URLs.")],
    lang: Annotated[
        str | None, typer.Option("--lang", help="Language hint (ISO 639-1), used for short texts.")
    ] = None,
    source: Annotated[
        str | None, typer.Option("--source", help="Source name to file captures under.")
    ] = None,
    queue: QueueOption = False,
) -> None:
    """Capture files or URLs and run every stage on them."""
    from marsad.pipeline.ingest import Ingestor
    from marsad.workspace import Workspace

    with Workspace.open() as workspace, _progress() as progress:
        ingestor = Ingestor(workspace, _runner(workspace, queue))
        summary = ingestor.ingest(locators, source, lang, IngestBars(progress))
    for url, error in summary.failed_captures:
        console.print(f"  [red]not captured[/red] {escape(url)}: {escape(error)}", markup=True)
    _print_failures(summary.pipeline)
    console.print(
        f"ingested: {summary.new_captures} new, {summary.unchanged} unchanged, "
        f"{len(summary.failed_captures)} not captured; {_stage_outcome(summary.pipeline)}"
    )
    if summary.archive_records_lost:
        # What was read is kept; the exit status tells a script that the archive was not whole.
        raise typer.Exit(1)


def run(
    stage: Annotated[
        list[str] | None, typer.Option("--stage", help="Only this stage (repeatable).")
    ] = None,
    retry_failed: Annotated[
        bool, typer.Option("--retry-failed", help="Re-run stages whose last run failed.")
    ] = False,
    force: Annotated[
        bool, typer.Option("--force", help="Re-run even stages that are up to date.")
    ] = False,
    queue: QueueOption = False,
) -> None:
    """Bring every document up to date with the installed stages."""
    from sqlalchemy import func, select

    from marsad.store.models import Document
    from marsad.workspace import Workspace

    with Workspace.open() as workspace, _progress() as progress:
        with workspace.database.session() as session:
            total = session.scalar(select(func.count(Document.id))) or 0
        task = progress.add_task("queueing" if queue else "processing", total=total)
        summary = _runner(workspace, queue).run(
            stage_names=stage,
            retry_failed=retry_failed,
            force=force,
            on_document_done=lambda _id: progress.advance(task),
        )
    _print_failures(summary)
    if summary.queued:
        console.print(f"run: {summary.queued} documents queued for the workers")
        return
    console.print(
        f"run: {summary.documents} documents, {summary.succeeded} stage runs ok, "
        f"{summary.failed} failed, {summary.skipped} waiting on a failed stage"
    )


def status() -> None:
    """Counts per stage, failed captures, failing sources and the latest failures."""
    from marsad.collect.crawl_book import failing_sources
    from marsad.pipeline.status import pipeline_status
    from marsad.workspace import Workspace

    with Workspace.open() as workspace, workspace.database.session() as session:
        report = pipeline_status(session, workspace.registry.names())
        failing = failing_sources(session)
    console.print(
        f"captures {report.captures} ({report.failed_captures} failed) · "
        f"documents {report.documents}"
    )
    table = Table("stage", "ok", "failed", "pending", title=None)
    for counts in report.stages:
        table.add_row(counts.stage, str(counts.ok), str(counts.failed), str(counts.pending))
    console.print(table)
    if report.languages:
        languages = ", ".join(f"{lang} {count}" for lang, count in report.languages.most_common())
        console.print(f"languages: {languages}")
    for url, error in report.capture_errors:
        console.print(f"  [red]capture failed[/red] {escape(url)}: {escape(error)}", markup=True)
    for source in failing:
        next_try = source.backoff_until.strftime("%Y-%m-%d %H:%M") if source.backoff_until else "—"
        console.print(
            f"  [red]source failing[/red] {escape(source.name)} ({source.failures}x, next try "
            f"after {next_try}): {escape(source.error)}",
            markup=True,
        )
    for failure in report.failures:
        console.print(
            f"  [red]failed[/red] document {failure.document_id} ({escape(failure.url)}) "
            f"at {escape(failure.stage)}: {escape(failure.error)}",
            markup=True,
        )
    if report.failures:
        console.print("re-run failures with `marsad run --retry-failed`")


def stages() -> None:
    """The installed stages in run order, with their versions and settings."""
    from marsad.pipeline.registry import StageRegistry

    registry = StageRegistry.from_entry_points()
    for stage in registry.ordered():
        requires = f" (after {', '.join(stage.requires)})" if stage.requires else ""
        console.print(
            f"[bold]{escape(stage.name)}[/bold] v{stage.version}"
            f"{escape(requires)}: {escape(stage.description)}",
            markup=True,
        )
        for setting in stage.settings:
            console.print(f"    {setting.env_var} = {setting.default!r}  {setting.help}")
