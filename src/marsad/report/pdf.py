"""A report as PDF: the HTML page laid out by WeasyPrint (Pango shapes Arabic and Hebrew
with the Noto fonts the page asks for; the fonts are embedded, subset, in the file)."""

from __future__ import annotations

import logging

from weasyprint import HTML

from marsad.errors import ReportError
from marsad.report.html import render_html
from marsad.report.model import PreparedReport

# WeasyPrint reports every CSS property it ignores at WARNING; they are not the analyst's.
logging.getLogger("weasyprint").setLevel(logging.ERROR)


def render_pdf(report: PreparedReport) -> bytes:
    pdf = HTML(string=render_html(report).decode("utf-8")).write_pdf()
    if pdf is None:  # only when given a target to write to
        raise ReportError("WeasyPrint returned no PDF")
    return bytes(pdf)
