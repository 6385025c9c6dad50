"""A report drafted in the web composer, as the Markdown the CLI builds: the title as its
heading, then each piece of evidence in the analyst's order under the analyst's note.

Documents and events are cited (`[@doc:N]`, `[@event:N]`); a quote is a `{{quote: ...}}`
directive, so its passage, translation and footnote come out exactly as in a hand-written
report. Everything the analyst or a captured page wrote is escaped: a note cannot cite,
quote or inject markup."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from marsad.report.escape import markdown_text
from marsad.store.models import Document, Event, Report, ReportItem


def _note(note: str) -> list[str]:
    """The note's paragraphs (blank lines separate them), each one escaped line."""
    paragraphs = [" ".join(part.split()) for part in note.replace("\r", "").split("\n\n")]
    return [markdown_text(paragraph) for paragraph in paragraphs if paragraph]


def _document_line(document: Document) -> str:
    title = markdown_text(document.title or document.url)
    language = f" ({document.language})" if document.language else ""
    return f"**{title}**{language} [@doc:{document.id}]"


def _event_line(event: Event) -> str:
    date = event.date or "undated"
    summary = f": {markdown_text(event.summary)}" if event.summary else ""
    return f"**{date}** — {event.type}{summary} [@event:{event.id}]"


def _evidence(item: ReportItem, documents: dict[int, Document], events: dict[int, Event]) -> str:
    if item.kind == "document" and item.document_id in documents:
        return _document_line(documents[item.document_id])
    if item.kind == "event" and item.event_id in events:
        return _event_line(events[item.event_id])
    directive = f"{{{{quote: doc:{item.document_id} {item.start}-{item.end}}}}}"
    if item.event_id in events:
        return f"{directive}\n\nEvidence of {_event_line(events[item.event_id])}"
    return directive


def evidence_of(
    session: Session, items: Sequence[ReportItem]
) -> tuple[dict[int, Document], dict[int, Event]]:
    """The documents and events the items name, by id, read in one query each."""
    document_ids = {item.document_id for item in items if item.document_id is not None}
    event_ids = {item.event_id for item in items if item.event_id is not None}
    documents = {d.id: d for d in session.scalars(
        select(Document).where(Document.id.in_(document_ids)))} if document_ids else {}  # fmt: skip
    events = {e.id: e for e in session.scalars(
        select(Event).where(Event.id.in_(event_ids)))} if event_ids else {}  # fmt: skip
    return documents, events


def draft_markdown(session: Session, report: Report, items: Sequence[ReportItem]) -> str:
    documents, events = evidence_of(session, items)
    blocks = [f"# {markdown_text(report.title)}"]
    for item in items:
        blocks.extend(_note(item.note))
        blocks.append(_evidence(item, documents, events))
    return "\n\n".join(blocks) + "\n"
