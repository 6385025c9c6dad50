"""Building a report: prepare it from the store, render it in one format, keep a Report row."""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from typing import cast

from sqlalchemy import select
from sqlalchemy.orm import Session

from marsad.errors import ReportError
from marsad.report.model import PreparedReport
from marsad.report.renderers import RENDERERS
from marsad.store.models import Report


def render(report: PreparedReport, output_format: str) -> bytes:
    try:
        module, function = RENDERERS[output_format]
    except KeyError:
        raise ReportError(
            f"unknown report format {output_format!r}; choose from {', '.join(RENDERERS)}"
        ) from None
    renderer = cast(Callable[[PreparedReport], bytes], getattr(import_module(module), function))
    return renderer(report)


def store_report(session: Session, report: PreparedReport) -> Report:
    """The report's row, by title: a rebuilt report updates its body, a new title adds one.
    Only reports built from files count: a web draft (it has an author) of the same title is
    the analyst's own work and is never overwritten."""
    same_title = select(Report).where(Report.title == report.title, Report.author_id.is_(None))
    row = session.scalars(same_title.order_by(Report.id)).first()
    if row is None:
        row = Report(title=report.title, body=report.source_markdown)
        session.add(row)
    row.body = report.source_markdown
    session.flush()
    return row
