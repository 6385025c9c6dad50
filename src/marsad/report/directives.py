"""Directives that pull evidence into a report, each on a line of its own:

  {{timeline: NAME}}             the entity's events in date order, each cited ([@event:N]);
                                 NAME is an id or any alias in any script
  {{quote: doc:ID START-END}}    the passage at those offsets of the document's text,
  {{quote: doc:ID "words"}}      or the first passage with these words, cited ([@doc:ID]),
                                 with its translation when a Translation row has one

They become plain Markdown with citation markers before footnotes are numbered, so the
events of a timeline and the quoted documents get numbers like any other citation.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.orm import Session

from marsad.cluster.stories import entity_ids_named
from marsad.errors import EntityNotFound, ReportError
from marsad.report.citations import map_prose
from marsad.report.escape import markdown_text
from marsad.store.models import Document, Entity, Event, EventActor, Translation

DIRECTIVE = re.compile(r"^[ \t]*\{\{\s*(\w+)\s*:\s*(.*?)\s*\}\}[ \t]*$", re.MULTILINE)
QUOTE_SPAN = re.compile(r'^doc:(\d+)\s+(?:(\d+)\s*-\s*(\d+)|"(.+)")$')
PREFERRED_TRANSLATION = "en"


def timeline(session: Session, name: str) -> str:
    try:
        ids = entity_ids_named(session, name)
    except EntityNotFound:
        raise ReportError(f"timeline: no entity is named {name!r}") from None
    names = sorted(session.scalars(select(Entity.name).where(Entity.id.in_(ids))))
    events = session.scalars(
        select(Event)
        .where(Event.id.in_(select(EventActor.event_id).where(EventActor.entity_id.in_(ids))))
        .order_by(Event.date.is_(None), Event.date, Event.id)
    ).all()
    if not events:
        return f"*No events recorded for {markdown_text(' / '.join(names))}.*\n"
    lines = []
    for event in events:
        date = event.date or "undated"
        qualifier = (
            f" ({event.date_certainty})" if event.date_certainty not in (None, "certain") else ""
        )
        summary = f": {markdown_text(event.summary)}" if event.summary else ""
        severity = f", {event.severity}" if event.severity else ""
        lines.append(
            f"- **{date}**{qualifier} — {event.type}{severity}{summary} [@event:{event.id}]"
        )
    return "\n".join(lines) + "\n"


def _passage(document: Document, spec: re.Match[str]) -> tuple[int, int]:
    text = document.text or ""
    if spec.group(4) is not None:
        start = text.find(spec.group(4))
        if start < 0:
            raise ReportError(f"quote: document {document.id} has no passage {spec.group(4)!r}")
        return start, start + len(spec.group(4))
    start, end = int(spec.group(2)), int(spec.group(3))
    if not 0 <= start < end <= len(text):
        raise ReportError(
            f"quote: offsets {start}-{end} are outside document {document.id} "
            f"(its text has {len(text)} characters)"
        )
    return start, end


def translated_passage(
    session: Session, document: Document, start: int, end: int
) -> tuple[Translation, str] | None:
    """The translation of [start, end): the aligned target sentences that overlap it, or the
    whole translation when the passage is the whole text."""
    translations = session.scalars(
        select(Translation).where(Translation.document_id == document.id).order_by(Translation.id)
    ).all()
    translations = sorted(translations, key=lambda t: t.target_language != PREFERRED_TRANSLATION)
    for translation in translations:
        pieces = [
            translation.text[pair["target"][0] : pair["target"][1]]
            for pair in translation.alignment or []
            if pair["source"][0] < end and start < pair["source"][1]
        ]
        if pieces:
            return translation, " ".join(piece.strip() for piece in pieces)
        if (document.text or "").strip() == (document.text or "")[start:end].strip():
            return translation, translation.text.strip()
    return None


def quote(session: Session, spec_text: str) -> str:
    spec = QUOTE_SPAN.match(spec_text)
    if spec is None:
        raise ReportError(f'quote: expected doc:ID START-END or doc:ID "words", not {spec_text!r}')
    document = session.get(Document, int(spec.group(1)))
    if document is None:
        raise ReportError(f"the report cites what the store does not have: @doc:{spec.group(1)}")
    start, end = _passage(document, spec)
    original = " ".join((document.text or "")[start:end].split())
    lines = [f"> {markdown_text(original)} [@doc:{document.id}]"]
    found = translated_passage(session, document, start, end)
    if found is not None:
        translation, text = found
        label = f"Translation ({translation.target_language}, {translation.backend})"
        lines += [">", f"> *{label}:* {markdown_text(' '.join(text.split()))}"]
    return "\n".join(lines) + "\n"


def expand_directives(session: Session, markdown: str) -> str:
    handlers: dict[str, Callable[[Session, str], str]] = {"timeline": timeline, "quote": quote}

    def expand(match: re.Match[str]) -> str:
        name, argument = match.group(1).lower(), match.group(2)
        handler = handlers.get(name)
        if handler is None:
            raise ReportError(f"unknown directive {{{{{name}: …}}}}; known: {', '.join(handlers)}")
        return handler(session, argument).rstrip("\n")

    return map_prose(markdown, lambda text: DIRECTIVE.sub(expand, text))
