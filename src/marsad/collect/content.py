"""What every collector hands to preservation: the bytes and how they were obtained."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from marsad.store.models import utcnow


@dataclass(frozen=True)
class RawContent:
    url: str
    data: bytes
    content_type: str | None = None
    http_status: int | None = None
    headers: dict[str, str] = field(default_factory=dict)
    fetched_at: datetime = field(default_factory=utcnow)


@dataclass(frozen=True)
class ImportedContent(RawContent):
    """Content read from an existing archive (a WARC record), not fetched by Marsad itself."""

    origin: str = ""  # the archive's file URL and the record's byte offset
