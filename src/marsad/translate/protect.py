"""Name and date protection: before a segment goes to a backend, every linked entity or place
mention and every date is replaced by a numbered placeholder; afterwards each placeholder
becomes the KB's canonical English name or the date written from its partial date.

So whatever the backend does — a neural model transliterating a name three ways, an LLM
"correcting" a Hijri date — names and dates come out exactly as Marsad resolved them.
A placeholder the backend drops is not lost: its rendering is appended to the sentence.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import bindparam, or_, select
from sqlalchemy.orm import Session

from marsad.store.models import DateMention, Document, Entity, Mention
from marsad.text.dates.model import without_overlaps
from marsad.translate.render import TargetLanguage

PLACEHOLDER = "⟦{number}⟧"
# Backends sometimes pad brackets with spaces; anything else is not our placeholder.
PLACEHOLDER_PATTERN = re.compile(r"⟦\s*(\d{1,4})\s*⟧")
LINK_STAGE = "link"
DATES_STAGE = "dates"
# A role mention ("the secretary-general" standing for its holder) is translated as the title
# it is; replacing it with the holder's name would put words in the source's mouth.
UNPROTECTED_METHODS = ("role", "candidate")

# Read for every translated document: built once (assembling a statement costs more than
# running it).
LINKED_NAMES = (
    select(Mention.start, Mention.end, Entity.name)
    .join(Entity, Entity.id == Mention.entity_id)
    .where(
        Mention.document_id == bindparam("document_id"),
        Mention.stage == LINK_STAGE,
        Mention.method.not_in(UNPROTECTED_METHODS),
        or_(Mention.verdict.is_(None), Mention.verdict != "rejected"),
    )
)
READ_DATES = select(DateMention).where(
    DateMention.document_id == bindparam("document_id"), DateMention.stage == DATES_STAGE
)


@dataclass(frozen=True)
class ProtectedSpan:
    start: int
    end: int
    rendering: str
    kind: str  # entity | date


@dataclass(frozen=True)
class ProtectedSegment:
    """One sentence ready for a backend: its place in the document, language, and text with
    placeholders numbered from 1."""

    start: int
    end: int
    language: str
    text: str
    renderings: tuple[str, ...]  # renderings[n - 1] replaces placeholder n


@dataclass(frozen=True)
class Restored:
    text: str
    lost: tuple[str, ...]  # renderings whose placeholder the backend dropped


def entity_spans(session: Session, document_id: int) -> list[ProtectedSpan]:
    rows = session.execute(LINKED_NAMES, {"document_id": document_id})
    return [ProtectedSpan(start, end, name, "entity") for start, end, name in rows]


def date_spans(session: Session, document_id: int, target: TargetLanguage) -> list[ProtectedSpan]:
    mentions = session.scalars(READ_DATES, {"document_id": document_id})
    return [
        ProtectedSpan(
            mention.start,
            mention.end,
            target.render_date(
                mention.value,
                mention.precision,
                mention.certainty,
                mention.calendar,
                mention.end_value,
            ),
            "date",
        )
        for mention in mentions
    ]


def protected_spans(
    session: Session, document: Document, target: TargetLanguage
) -> list[ProtectedSpan]:
    """Entity and date spans of the document, without overlaps (the longer wins), in order."""
    spans = entity_spans(session, document.id) + date_spans(session, document.id, target)
    text_length = len(document.text or "")
    in_text = [s for s in spans if 0 <= s.start < s.end <= text_length]
    return without_overlaps(in_text, lambda s: (s.start, s.end))


def protect_segment(
    text: str, start: int, end: int, language: str, spans: Sequence[ProtectedSpan]
) -> ProtectedSegment:
    """The document's text[start:end] with the spans inside it replaced by placeholders.
    `spans` are the document's spans in text order; those outside the segment are ignored."""
    pieces: list[str] = []
    renderings: list[str] = []
    cursor = start
    for index in range(bisect.bisect_left(spans, start, key=lambda s: s.start), len(spans)):
        span = spans[index]
        if span.start >= end:
            break
        if span.end > end:
            continue
        pieces.append(text[cursor : span.start])
        renderings.append(span.rendering)
        pieces.append(PLACEHOLDER.format(number=len(renderings)))
        cursor = span.end
    pieces.append(text[cursor:end])
    return ProtectedSegment(start, end, language, "".join(pieces), tuple(renderings))


def restore(translated: str, segment: ProtectedSegment) -> Restored:
    """Placeholders back to renderings. Numbers the segment never had are dropped (a backend
    inventing one); renderings whose placeholder vanished are appended in brackets."""
    seen: set[int] = set()

    def rendering_of(match: re.Match[str]) -> str:
        number = int(match.group(1))
        if not 1 <= number <= len(segment.renderings):
            return ""
        seen.add(number)
        return segment.renderings[number - 1]

    text = PLACEHOLDER_PATTERN.sub(rendering_of, translated)
    lost = tuple(
        rendering
        for number, rendering in enumerate(segment.renderings, start=1)
        if number not in seen
    )
    if lost:
        text = f"{text.rstrip()} [{'; '.join(lost)}]"
    return Restored(text, lost)
