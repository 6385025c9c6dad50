"""Report drafts as the API and the composer page use them: whose draft it is, each change
with its audit row, and the built report, in the caller's unit of work."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

from fastapi.responses import Response
from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from marsad.errors import ReportError
from marsad.report.build import render
from marsad.report.draft import draft_markdown
from marsad.report.model import prepare_report
from marsad.store.models import Document, Event, EventSource, Report, ReportItem, User
from marsad.store.models.workbench import DRAFT_ITEM_KINDS
from marsad.web.audit import record
from marsad.web.ownership import owned_row
from marsad.web.queries import NotFound

MAX_ITEMS = 200
MEDIA_TYPES = {
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "md": "text/markdown; charset=utf-8",
}


@dataclass(frozen=True)
class ItemSpec:
    kind: str
    document_id: int | None = None
    event_id: int | None = None
    start: int | None = None
    end: int | None = None
    words: str | None = None  # a quote's passage by its words, when no offsets are given
    note: str = ""


@dataclass(frozen=True)
class BuiltReport:
    filename: str
    media_type: str
    content: bytes

    def response(self) -> Response:
        """The report as a download."""
        return Response(
            self.content,
            media_type=self.media_type,
            headers={"Content-Disposition": f'attachment; filename="{self.filename}"'},
        )


def drafts_query(user: User) -> Select[Report]:
    return (
        select(Report)
        .where(Report.author_id == user.id)
        .order_by(Report.updated_at.desc(), Report.id.desc())
    )


def drafts_of(session: Session, user: User) -> list[Report]:
    return list(session.scalars(drafts_query(user)))


def draft_of(session: Session, user: User, report_id: int) -> Report:
    """The draft, when `user` wrote it or is an admin."""
    return owned_row(session, user, Report, report_id, "author_id", "report")


def items_of(session: Session, report: Report) -> list[ReportItem]:
    return list(
        session.scalars(
            select(ReportItem)
            .where(ReportItem.report_id == report.id)
            .order_by(ReportItem.position, ReportItem.id)
        )
    )


def create_draft(session: Session, user: User, title: str) -> Report:
    title = " ".join(title.split())
    if not title:
        raise ReportError("give the report a title")
    report = Report(title=title, body="", author_id=user.id)
    session.add(report)
    session.flush()
    record(session, user, "report.create", "report", report.id, title=title)
    return report


def rename_draft(session: Session, user: User, report: Report, title: str) -> None:
    title = " ".join(title.split())
    if not title:
        raise ReportError("give the report a title")
    if title != report.title:
        record(session, user, "report.rename", "report", report.id, old=report.title, new=title)
        report.title = title


def _quote_span(session: Session, spec: ItemSpec) -> tuple[int, int, int]:
    """(document id, start, end) of a quote: the event's evidence, or a document's passage
    by offsets or by its words."""
    if spec.document_id is None and spec.event_id is not None:
        source = session.scalars(
            select(EventSource)
            .where(EventSource.event_id == spec.event_id)
            .order_by(EventSource.id)
        ).first()
        if source is None:
            raise ReportError(f"event {spec.event_id} has no quoted evidence")
        return source.document_id, source.start, source.end
    document = session.get(Document, spec.document_id) if spec.document_id else None
    if document is None:
        raise NotFound(f"no document {spec.document_id}")
    text, words = document.text or "", (spec.words or "").strip()
    if spec.start is None and words:
        found = text.find(words)
        if found < 0:
            raise ReportError(f"document {document.id} has no passage {words!r}")
        return document.id, found, found + len(words)
    if spec.start is None or spec.end is None or not 0 <= spec.start < spec.end <= len(text):
        raise ReportError(f"a quote needs a passage within document {document.id}'s text")
    return document.id, spec.start, spec.end


def _checked_item(session: Session, spec: ItemSpec) -> ReportItem:
    if spec.kind not in DRAFT_ITEM_KINDS:
        raise ReportError(f"unknown item kind {spec.kind!r}; one of {', '.join(DRAFT_ITEM_KINDS)}")
    if spec.event_id is not None and session.get(Event, spec.event_id) is None:
        raise NotFound(f"no event {spec.event_id}")
    if spec.kind == "quote":
        document_id, start, end = _quote_span(session, spec)
        return ReportItem(kind="quote", document_id=document_id, event_id=spec.event_id,
                          start=start, end=end, note=spec.note)  # fmt: skip
    if spec.kind == "document":
        if spec.document_id is None or session.get(Document, spec.document_id) is None:
            raise NotFound(f"no document {spec.document_id}")
        return ReportItem(kind="document", document_id=spec.document_id, note=spec.note)
    if spec.event_id is None:
        raise ReportError("an event item needs `event_id`")
    return ReportItem(kind="event", event_id=spec.event_id, note=spec.note)


def add_item(session: Session, user: User, report: Report, spec: ItemSpec) -> ReportItem:
    """The evidence, checked, at the end of the draft."""
    count, last = session.execute(
        select(func.count(), func.max(ReportItem.position)).where(ReportItem.report_id == report.id)
    ).one()
    if count >= MAX_ITEMS:
        raise ReportError(f"a draft holds at most {MAX_ITEMS} items")
    item = _checked_item(session, spec)
    item.report_id = report.id
    item.position = (last or 0) + 1
    session.add(item)
    session.flush()
    record(session, user, "report.add_item", "report", report.id, item=item.id, kind=item.kind,
           document=item.document_id, event=item.event_id)  # fmt: skip
    return item


def item_of(session: Session, report: Report, item_id: int) -> ReportItem:
    item = session.get(ReportItem, item_id)
    if item is None or item.report_id != report.id:
        raise NotFound(f"report {report.id} has no item {item_id}")
    return item


def annotate_item(session: Session, user: User, item: ReportItem, note: str) -> None:
    if note != item.note:
        item.note = note
        record(session, user, "report.annotate", "report", item.report_id, item=item.id)


def remove_item(session: Session, user: User, item: ReportItem) -> None:
    record(session, user, "report.remove_item", "report", item.report_id, item=item.id)
    session.delete(item)


def reorder(session: Session, user: User, report: Report, order: Sequence[int]) -> None:
    """Put the items in the given order, which must name each of them once."""
    items = {item.id: item for item in items_of(session, report)}
    if sorted(order) != sorted(items):
        raise ReportError("the new order must name every item of the draft once")
    for position, item_id in enumerate(order, start=1):
        items[item_id].position = position
    record(session, user, "report.reorder", "report", report.id, order=list(order))


def move_item(session: Session, user: User, report: Report, item_id: int, step: int) -> None:
    """One place up (step -1) or down (+1); at either end nothing moves."""
    order = [item.id for item in items_of(session, report)]
    if item_id not in order:
        raise NotFound(f"report {report.id} has no item {item_id}")
    index = order.index(item_id)
    other = index + step
    if 0 <= other < len(order):
        order[index], order[other] = order[other], order[index]
        reorder(session, user, report, order)


def build_draft(session: Session, user: User, report: Report, output_format: str) -> BuiltReport:
    """The footnoted report the CLI builds, from the draft's items; the report's body becomes
    the Markdown built, so `marsad export` and the CLI see the same report."""
    if output_format not in MEDIA_TYPES:
        raise ReportError(
            f"unknown report format {output_format!r}; choose from {', '.join(MEDIA_TYPES)}"
        )
    markdown = draft_markdown(session, report, items_of(session, report))
    prepared = prepare_report(session, markdown, report.title)
    content = render(prepared, output_format)
    report.body = markdown
    record(session, user, "report.build", "report", report.id, format=output_format,
           sha256=hashlib.sha256(content).hexdigest(),
           sources=[str(source.key) for source in prepared.sources])  # fmt: skip
    suffix = "footnoted.md" if output_format == "md" else output_format
    return BuiltReport(f"report-{report.id}.{suffix}", MEDIA_TYPES[output_format], content)
