"""Building a report: prepare it from the store, render it in one format, keep a Report row."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.orm import Session

from marsad.errors import ReportError
from marsad.report.docx import render_docx
from marsad.report.html import render_html
from marsad.report.markdown import render_markdown
from marsad.report.model import PreparedReport
from marsad.report.pdf import render_pdf
from marsad.store.models import Report

RENDERERS: dict[str, Callable[[PreparedReport], bytes]] = {
    "html": render_html,
    "pdf": render_pdf,
    "docx": render_docx,
    "md": render_markdown,
}


def render(report: PreparedReport, output_format: str) -> bytes:
    try:
        renderer = RENDERERS[output_format]
    except KeyError:
        raise ReportError(
            f"unknown report format {output_format!r}; choose from {', '.join(RENDERERS)}"
        ) from None
    return renderer(report)


def store_report(session: Session, report: PreparedReport) -> Report:
    """The report's row, by title: a rebuilt report updates its body, a new title adds one."""
    row = session.scalars(select(Report).where(Report.title == report.title)).first()
    if row is None:
        row = Report(title=report.title, body=report.source_markdown)
        session.add(row)
    row.body = report.source_markdown
    session.flush()
    return row
