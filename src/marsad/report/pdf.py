"""A report as PDF: the HTML page laid out by WeasyPrint (Pango shapes Arabic and Hebrew
with the Noto fonts the page asks for; the fonts are embedded, subset, in the file)."""

from __future__ import annotations

import logging
from typing import Any

from PIL import ImageFile

from marsad.errors import ReportError
from marsad.report.html import render_html
from marsad.report.model import PreparedReport

# WeasyPrint reports every CSS property it ignores at WARNING; they are not the analyst's.
logging.getLogger("weasyprint").setLevel(logging.ERROR)


def weasyprint_html() -> Any:
    """WeasyPrint's HTML class, imported on first use (it is slow to import). Importing it
    sets Pillow's LOAD_TRUNCATED_IMAGES for the whole process, which would let a cut-short
    image pass as whole elsewhere (hash lists); the setting is put back at once."""
    truncated = ImageFile.LOAD_TRUNCATED_IMAGES
    try:
        from weasyprint import HTML
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = truncated
    return HTML


def render_pdf(report: PreparedReport) -> bytes:
    pdf = weasyprint_html()(string=render_html(report).decode("utf-8")).write_pdf()
    if pdf is None:  # only when given a target to write to
        raise ReportError("WeasyPrint returned no PDF")
    return bytes(pdf)
