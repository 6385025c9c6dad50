"""`marsad ingest`: capture paths and URLs, then run every stage on what was captured.

Each capture is committed on its own before any stage runs, so nothing captured is lost if a
later step fails or the run is interrupted.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import partial
from itertools import groupby
from operator import itemgetter
from pathlib import Path
from typing import Protocol
from urllib.parse import urlsplit

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from marsad.collect.content import RawContent
from marsad.collect.feeds import collected_content
from marsad.collect.fetcher import Fetcher
from marsad.collect.files import expand_paths, file_url, read_file
from marsad.collect.kinds import Attempt, Collected
from marsad.collect.warc import is_archive_path, looks_like_archive, warc_attempts
from marsad.errors import (
    CaptureError,
    ConfigError,
    EvidenceNotWritten,
    NotModified,
    WarcMalformed,
)
from marsad.media.settings import VIDEO_MAX_BYTES
from marsad.pipeline.runner import DocumentRunner, RunSummary, describe_error
from marsad.store.models import Source, clipped, column_length
from marsad.workspace import Workspace

LOCAL_SOURCE_NAME = "local files"
DocumentDone = Callable[[int], None] | None


class IngestProgress(Protocol):
    """What a caller (the CLI's progress bars) hears while an ingest runs."""

    def captured(self, url: str) -> None: ...

    def processing(self, documents: int) -> None: ...

    def processed(self, document_id: int) -> None: ...


@dataclass
class IngestSummary:
    new_captures: int = 0
    unchanged: int = 0
    failed_captures: list[tuple[str, str]] = field(default_factory=list)  # (url, error)
    # The first capture whose bytes could not be stored (a full disk): a crawl that met one
    # is not complete, so its collector's cursor must not move past what was lost.
    evidence_not_written: str | None = None
    document_ids: list[int] = field(default_factory=list)
    # Failures of archive records (damage, truncation, a file that is not an archive): the
    # command exits non-zero, as records of the file were lost.
    archive_records_lost: int = 0
    # Feed entries' documents whose page arrived: every stage runs on them again.
    upgraded_ids: list[int] = field(default_factory=list)
    pipeline: RunSummary = field(default_factory=RunSummary)

    def run_stages(self, runner: DocumentRunner, on_document_done: DocumentDone = None) -> None:
        upgraded = set(self.upgraded_ids)  # an entry opened and upgraded in the same crawl
        fresh = [document_id for document_id in self.document_ids if document_id not in upgraded]
        self.pipeline = runner.run(fresh, on_document_done=on_document_done)
        if self.upgraded_ids:
            self.pipeline.merge(
                runner.run(self.upgraded_ids, force=True, on_document_done=on_document_done)
            )


def is_web_url(locator: str) -> bool:
    return urlsplit(locator).scheme in ("http", "https")


def check_source_fields(name: str | None, language: str | None) -> None:
    """Refuse a source name or language hint longer than the store holds: PostgreSQL would
    fail the transaction (SQLite would keep it), so both refuse it up front."""
    for option, value, column in (
        ("source name", name, Source.name),
        ("language hint", language, Source.language_hint),
    ):
        limit = column_length(column)
        if value is not None and limit is not None and len(value) > limit:
            raise ConfigError(f"the {option} has {len(value)} characters; at most {limit} fit")


# Read for every capture: built once (assembling a statement costs more than running it).
SOURCE_NAMED = select(Source).where(Source.name == bindparam("name"))


def source_for(session: Session, name: str | None, locator: str, language: str | None) -> Source:
    web = is_web_url(locator)
    default = urlsplit(locator).hostname or locator if web else LOCAL_SOURCE_NAME
    name = name or str(clipped(default, Source.name))  # a hostname may be 253 characters
    source = session.scalars(SOURCE_NAMED, {"name": name}).first()
    if source is None:
        source = Source(
            name=name, kind="web" if web else "files", locator=locator, language_hint=language
        )
        session.add(source)
        session.flush()
    return source


def _collected(read: Callable[[], RawContent]) -> Collected:
    return collected_content(read())


class Ingestor:
    def __init__(self, workspace: Workspace, runner: DocumentRunner | None = None) -> None:
        self.workspace = workspace
        # Where captured documents go through the stages: here, or the workers' queue.
        self.runner = runner or workspace.runner()

    def _attempts(
        self, locators: Iterable[str], fetcher: Fetcher
    ) -> Iterator[tuple[str, str, Callable[[], RawContent]]]:
        """(locator, url, read) for each capture to make; folders expand to their files."""
        max_bytes = self.workspace.settings.max_capture_bytes
        video_max_bytes = self.workspace.settings.value_of(VIDEO_MAX_BYTES)
        for locator in locators:
            if is_web_url(locator):
                yield locator, locator, partial(fetcher.fetch, locator)
            else:
                for path in expand_paths(Path(locator)):
                    if is_archive_path(path.name) or looks_like_archive(path):
                        for url, read in warc_attempts(path, max_bytes):
                            yield locator, url, read
                    else:
                        read = partial(read_file, path, max_bytes, video_max_bytes)
                        yield locator, file_url(path), read

    def capture(
        self,
        locators: Iterable[str],
        source_name: str | None = None,
        language: str | None = None,
        progress: IngestProgress | None = None,
    ) -> IngestSummary:
        check_source_fields(source_name, language)
        summary = IngestSummary()
        with Fetcher(self.workspace.settings) as fetcher:
            for locator, group in groupby(self._attempts(locators, fetcher), key=itemgetter(0)):
                self.record_attempts(
                    ((url, partial(_collected, read)) for _locator, url, read in group),
                    partial(source_for, name=source_name, locator=locator, language=language),
                    summary,
                    language,
                    progress,
                )
        return summary

    def record_attempts(
        self,
        attempts: Iterable[Attempt],
        source_of: Callable[[Session], Source | None],
        summary: IngestSummary,
        language: str | None = None,
        progress: IngestProgress | None = None,
    ) -> None:
        """Record each attempt — capture, failure, or nothing when unchanged (304) — in its own
        transaction. The read (network, disk) happens before the transaction opens.

        Shared by `marsad ingest` and the crawler. An exception raised by `attempts` itself
        (a collector that cannot start) propagates after the attempts before it are kept."""
        for url, read in attempts:
            try:
                collected: Collected | CaptureError | None = read()
            except CaptureError as error:
                collected = error
            except NotModified:
                summary.unchanged += 1
                collected = None
            if collected is not None:
                self._record(url, collected, source_of, summary, language)
            if progress is not None:
                progress.captured(url)

    def _record(
        self,
        url: str,
        collected: Collected | CaptureError,
        source_of: Callable[[Session], Source | None],
        summary: IngestSummary,
        language: str | None,
    ) -> None:
        if not isinstance(collected, CaptureError):
            try:
                with self.workspace.database.session() as session:
                    recorder = self.workspace.capture_recorder(session)
                    outcome = recorder.record_collected(collected, source_of(session), language)
                    summary.document_ids.extend(document.id for document in outcome.documents)
                    summary.upgraded_ids.extend(document.id for document in outcome.upgraded)
                if outcome.is_new:
                    summary.new_captures += 1
                else:
                    summary.unchanged += 1
                return
            except EvidenceNotWritten as error:
                # Rolled back: no row points at the bytes that were not kept; say why instead.
                summary.evidence_not_written = summary.evidence_not_written or describe_error(error)
                collected = error
        with self.workspace.database.session() as session:
            recorder = self.workspace.capture_recorder(session)
            outcome = recorder.record_failure(url, collected, source_of(session))
            summary.failed_captures.append((url, outcome.capture.error or ""))
        if isinstance(collected, WarcMalformed):
            summary.archive_records_lost += 1

    def ingest(
        self,
        locators: Iterable[str],
        source_name: str | None = None,
        language: str | None = None,
        progress: IngestProgress | None = None,
    ) -> IngestSummary:
        summary = self.capture(locators, source_name, language, progress)
        if progress is not None:
            progress.processing(len(summary.document_ids) + len(summary.upgraded_ids))
        summary.run_stages(self.runner, progress.processed if progress else None)
        return summary
