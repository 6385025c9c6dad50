"""Helpers for tests that crawl sources of a real workspace (what `marsad source add` and
`marsad crawl` do, without the process around them)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from marsad.collect.crawler import Crawler, SourceCrawl
from marsad.collect.fetcher import Fetcher
from marsad.store.models import Capture, Source
from marsad.workspace import Workspace


def add_source(
    workspace: Workspace, name: str, kind: str, locator: str, every: str = "1h", **options: Any
) -> int:
    with workspace.database.session() as session:
        source = Source(
            name=name,
            kind=kind,
            locator=locator,
            schedule=every,
            enabled=True,
            state={"options": options},
        )
        session.add(source)
        session.flush()
        return source.id


def crawl_now(workspace: Workspace, source_id: int) -> SourceCrawl:
    """One crawl of one source, due or not."""
    with Fetcher(workspace.settings) as fetcher:
        return Crawler(workspace).crawl_source(source_id, fetcher)


@dataclass(frozen=True)
class CaptureRow:
    id: int
    url: str
    sha256: str | None
    blob_key: str | None
    error: str | None


def capture_rows(workspace: Workspace) -> list[CaptureRow]:
    with workspace.database.session() as session:
        return [
            CaptureRow(capture.id, capture.url, capture.sha256, capture.blob_key, capture.error)
            for capture in session.scalars(select(Capture).order_by(Capture.id))
        ]


def captured_urls(workspace: Workspace) -> list[str]:
    return [row.url for row in capture_rows(workspace) if row.error is None]


def errors_by_url(workspace: Workspace) -> dict[str, str]:
    return {row.url: row.error for row in capture_rows(workspace) if row.error is not None}


def source_row(workspace: Workspace, source_id: int) -> Source:
    with workspace.database.session() as session:
        source = session.get(Source, source_id)
        assert source is not None
        session.expunge(source)
        return source
