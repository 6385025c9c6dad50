"""`marsad ingest`: capture paths and URLs, then run every stage on what was captured.

Each capture is committed on its own before any stage runs, so nothing captured is lost if a
later step fails or the run is interrupted.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Protocol
from urllib.parse import urlsplit

from sqlalchemy import select
from sqlalchemy.orm import Session

from marsad.collect.content import RawContent
from marsad.collect.fetcher import Fetcher
from marsad.collect.files import expand_paths, file_url, read_file
from marsad.errors import CaptureError
from marsad.pipeline.runner import RunSummary
from marsad.preserve.captures import CaptureRecorder
from marsad.store.models import Source
from marsad.workspace import Workspace

LOCAL_SOURCE_NAME = "local files"


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
    document_ids: list[int] = field(default_factory=list)
    pipeline: RunSummary = field(default_factory=RunSummary)


def is_web_url(locator: str) -> bool:
    return urlsplit(locator).scheme in ("http", "https")


def source_for(session: Session, name: str | None, locator: str, language: str | None) -> Source:
    web = is_web_url(locator)
    name = name or (urlsplit(locator).hostname or locator if web else LOCAL_SOURCE_NAME)
    source = session.scalars(select(Source).where(Source.name == name)).first()
    if source is None:
        source = Source(
            name=name, kind="web" if web else "files", locator=locator, language_hint=language
        )
        session.add(source)
        session.flush()
    return source


class Ingestor:
    def __init__(self, workspace: Workspace) -> None:
        self.workspace = workspace

    def _attempts(
        self, locators: Iterable[str], fetcher: Fetcher
    ) -> Iterator[tuple[str, str, Callable[[], RawContent]]]:
        """(locator, url, read) for each capture to make; folders expand to their files."""
        max_bytes = self.workspace.settings.max_capture_bytes
        for locator in locators:
            if is_web_url(locator):
                yield locator, locator, partial(fetcher.fetch, locator)
            else:
                for path in expand_paths(Path(locator)):
                    yield locator, file_url(path), partial(read_file, path, max_bytes)

    def capture(
        self,
        locators: Iterable[str],
        source_name: str | None = None,
        language: str | None = None,
        progress: IngestProgress | None = None,
    ) -> IngestSummary:
        summary = IngestSummary()
        database, blobs = self.workspace.database, self.workspace.blobs
        with Fetcher(self.workspace.settings) as fetcher:
            for locator, url, read in self._attempts(locators, fetcher):
                with database.session() as session:
                    source = source_for(session, source_name, locator, language)
                    recorder = CaptureRecorder(session, blobs)
                    try:
                        outcome = recorder.record(read(), source, language)
                    except CaptureError as error:
                        outcome = recorder.record_failure(url, error, source)
                        summary.failed_captures.append((url, outcome.capture.error or ""))
                    else:
                        if outcome.is_new:
                            summary.new_captures += 1
                        else:
                            summary.unchanged += 1
                    if outcome.document is not None:
                        summary.document_ids.append(outcome.document.id)
                if progress is not None:
                    progress.captured(url)
        return summary

    def ingest(
        self,
        locators: Iterable[str],
        source_name: str | None = None,
        language: str | None = None,
        progress: IngestProgress | None = None,
    ) -> IngestSummary:
        summary = self.capture(locators, source_name, language, progress)
        if progress is not None:
            progress.processing(len(summary.document_ids))
        summary.pipeline = self.workspace.runner().run(
            summary.document_ids, on_document_done=progress.processed if progress else None
        )
        return summary
