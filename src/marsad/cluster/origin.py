"""Which copy of a text appeared first, and in what order the others followed.

A copy's appearance is its publication day (unknown days last), then the most precise moment
known: a post's own timestamp (`properties["posted_at"]`, Telegram) or else the moment Marsad
first saw it — a page cannot have appeared later than that — then its id.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime

from marsad.store.models import Document

UNKNOWN_DAY = "9999-12-31"


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def appeared_by(document: Document) -> datetime:
    """The latest moment at which the copy is known to have existed."""
    posted = (document.properties or {}).get("posted_at")
    if posted:
        try:
            return _aware(datetime.fromisoformat(str(posted)))
        except ValueError:
            pass  # a malformed stamp from a source: fall back to what Marsad saw
    return _aware(document.first_seen_at)


def appearance_key(document: Document) -> tuple[str, datetime, int]:
    return (document.published or UNKNOWN_DAY, appeared_by(document), document.id)


def appearance_order(copies: Iterable[Document]) -> list[Document]:
    """The copies, earliest appearance first."""
    return sorted(copies, key=appearance_key)


def first_copy(copies: Sequence[Document]) -> Document:
    if not copies:
        raise ValueError("no copies to choose the first from")
    return min(copies, key=appearance_key)
