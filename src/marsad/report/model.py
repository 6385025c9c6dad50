"""A report ready to render: its title, its Markdown body with numbered citation sentinels,
and its sources in footnote order. Every renderer starts from this."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy.orm import Session

from marsad.report.citations import number_citations
from marsad.report.directives import expand_directives
from marsad.report.sources import CitedSource, resolve_sources

FIRST_HEADING = re.compile(r"^#\s+(.+?)\s*#*\s*$", re.MULTILINE)


@dataclass(frozen=True)
class PreparedReport:
    title: str
    source_markdown: str  # as the analyst wrote it
    body: str  # directives expanded, citations as sentinels
    sources: list[CitedSource]


def report_title(markdown: str, fallback: str) -> str:
    heading = FIRST_HEADING.search(markdown)
    return heading.group(1) if heading else fallback


def prepare_report(
    session: Session, markdown: str, fallback_title: str = "Report"
) -> PreparedReport:
    """Expand directives, number citations in order of first use, resolve every source."""
    expanded = expand_directives(session, markdown)
    body, numbering = number_citations(expanded)
    return PreparedReport(
        report_title(markdown, fallback_title), markdown, body,
        resolve_sources(session, numbering.order),
    )  # fmt: skip
