"""A document's text laid out for reading: paragraphs with their own direction (from the
langid stage's language spans) and the mentions and event evidence inside them as marked
pieces. Everything stays text; the templates escape it."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from marsad.store.models import Event, EventSource, Mention
from marsad.web.ui.render import text_direction


@dataclass(frozen=True)
class Piece:
    text: str
    kind: str = ""  # "" | "entity" | "candidate" | "event"
    href: str | None = None
    title: str | None = None


@dataclass(frozen=True)
class Paragraph:
    language: str | None
    direction: str
    pieces: tuple[Piece, ...]


@dataclass(frozen=True)
class Mark:
    start: int
    end: int
    kind: str
    href: str | None
    title: str


def first_strong_direction(text: str) -> str | None:
    for char in text:
        bidi = unicodedata.bidirectional(char)
        if bidi in ("R", "AL"):
            return "rtl"
        if bidi == "L":
            return "ltr"
    return None


def span_language(spans: Sequence[dict[str, Any]], start: int, end: int) -> str | None:
    """The language of the span overlapping [start, end) the most."""
    best, overlap = None, 0
    for span in spans:
        shared = min(end, int(span.get("end", 0))) - max(start, int(span.get("start", 0)))
        if shared > overlap:
            best, overlap = span.get("language"), shared
    return str(best) if best else None


def _without_overlaps(marks: Sequence[Mark]) -> list[Mark]:
    kept: list[Mark] = []
    for mark in sorted(marks, key=lambda m: (m.start, -(m.end - m.start))):
        if mark.start < mark.end and (not kept or mark.start >= kept[-1].end):
            kept.append(mark)
    return kept


def _around(event: Mark, names: Sequence[Mark]) -> list[Mark]:
    """The parts of an event's evidence not covered by a name."""
    parts, cursor = [], event.start
    for name in names:
        if name.end <= cursor or name.start >= event.end:
            continue
        if name.start > cursor:
            parts.append(Mark(cursor, name.start, event.kind, event.href, event.title))
        cursor = max(cursor, name.end)
    if cursor < event.end:
        parts.append(Mark(cursor, event.end, event.kind, event.href, event.title))
    return parts


def marks_of(
    mentions: Sequence[Mention], events: Sequence[tuple[EventSource, Event]]
) -> list[Mark]:
    """Names (linked or new) and event evidence, never overlapping: a name inside an event's
    clause keeps its link, the clause is marked around it."""
    names = _without_overlaps(
        [
            Mark(m.start, m.end, "entity", f"/entities/{m.entity_id}", m.entity.name)
            if m.entity_id and m.entity is not None
            else Mark(m.start, m.end, "candidate", None, f"new {m.candidate_kind or 'name'}")
            for m in mentions
            if m.verdict != "rejected"
        ]
    )
    clauses = _without_overlaps(
        [
            Mark(s.start, s.end, "event", f"/events#event-{e.id}", f"event: {e.type}")
            for s, e in events
        ]
    )
    pieces = [part for clause in clauses for part in _around(clause, names)]
    return sorted([*names, *pieces], key=lambda mark: mark.start)


def _pieces(text: str, start: int, end: int, marks: Sequence[Mark]) -> tuple[Piece, ...]:
    pieces: list[Piece] = []
    cursor = start
    for mark in marks:
        if mark.end <= start or mark.start >= end:
            continue
        mark_start, mark_end = max(mark.start, start), min(mark.end, end)
        if mark_start > cursor:
            pieces.append(Piece(text[cursor:mark_start]))
        pieces.append(Piece(text[mark_start:mark_end], mark.kind, mark.href, mark.title))
        cursor = mark_end
    if cursor < end:
        pieces.append(Piece(text[cursor:end]))
    return tuple(pieces)


def paragraphs(
    text: str,
    spans: Sequence[dict[str, Any]],
    mentions: Sequence[Mention] = (),
    events: Sequence[tuple[EventSource, Event]] = (),
    fallback_language: str | None = None,
) -> list[Paragraph]:
    marks = marks_of(mentions, events)
    laid_out: list[Paragraph] = []
    offset = 0
    for line in text.splitlines(keepends=True):
        start, end = offset, offset + len(line.rstrip())
        offset += len(line)
        if not line.strip():
            continue
        language = span_language(spans, start, end) or fallback_language
        direction = first_strong_direction(line) if language is None else text_direction(language)
        laid_out.append(Paragraph(language, direction or "auto", _pieces(text, start, end, marks)))
    return laid_out


def plain_paragraphs(text: str, language: str | None) -> list[Paragraph]:
    """A translation's paragraphs, all in its target language."""
    return paragraphs(text, [], fallback_language=language)
