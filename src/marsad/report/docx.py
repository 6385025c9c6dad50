"""A report as a Word document (python-docx), built from the same markdown-it tokens as the
HTML: headings, paragraphs, lists, quotes, code and tables; footnote marks as superscript
numbers; right-to-left paragraphs marked bidi with their runs set in a complex-script font."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import Any

from docx import Document as new_docx
from docx.document import Document as WordDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt
from docx.text.paragraph import Paragraph
from markdown_it.token import Token

from marsad.report.citations import markdown_parser, split_sentinels
from marsad.report.model import PreparedReport
from marsad.text.direction import RTL, text_direction

COMPLEX_SCRIPT_FONT = "Noto Naskh Arabic"
CODE_FONT = "DejaVu Sans Mono"


@dataclass
class _Style:
    bold: bool = False
    italic: bool = False
    code: bool = False


@dataclass
class _Writer:
    document: WordDocument
    lists: list[str] = field(default_factory=list)  # "bullet" | "ordered", innermost last
    in_quote: int = 0
    fresh_item: bool = False
    table_row: list[str] | None = None

    def paragraph(self, style: str | None = None) -> Paragraph:
        if self.lists and self.fresh_item:
            style = "List Bullet" if self.lists[-1] == "bullet" else "List Number"
            self.fresh_item = False
        elif self.in_quote:
            style = "Quote"
        return self.document.add_paragraph(style=style)


def _mark_rtl(paragraph: Paragraph) -> None:
    # python-docx has no property for <w:bidi/>; it goes first among the paragraph's own.
    properties: Any = paragraph._p.get_or_add_pPr()
    properties.insert(0, OxmlElement("w:bidi"))
    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT


def _add_text(paragraph: Paragraph, text: str, style: _Style, rtl: bool) -> None:
    for piece, numbers in split_sentinels(text):
        run = paragraph.add_run(",".join(map(str, numbers)) if numbers else piece)
        run.bold = style.bold or None
        run.italic = style.italic or None
        if numbers:
            run.font.superscript = True
        if style.code:
            run.font.name = CODE_FONT
        if rtl:
            run.font.rtl = True
            run._r.get_or_add_rPr().get_or_add_rFonts().set(qn("w:cs"), COMPLEX_SCRIPT_FONT)


def _add_inline(paragraph: Paragraph, token: Token) -> None:
    rtl = text_direction(token.content) == RTL
    if rtl:
        _mark_rtl(paragraph)
    style = _Style()
    href: str | None = None
    for child in token.children or []:
        if child.type == "text":
            _add_text(paragraph, child.content, style, rtl)
        elif child.type == "code_inline":
            _add_text(paragraph, child.content, _Style(style.bold, style.italic, True), rtl)
        elif child.type in ("softbreak", "hardbreak"):
            paragraph.add_run().add_break() if child.type == "hardbreak" else paragraph.add_run(" ")
        elif child.type in ("strong_open", "strong_close"):
            style.bold = child.type == "strong_open"
        elif child.type in ("em_open", "em_close"):
            style.italic = child.type == "em_open"
        elif child.type == "link_open":
            href = str(child.attrGet("href") or "") or None
        elif child.type == "link_close" and href:
            _add_text(paragraph, f" <{href}>", style, rtl)
            href = None


def _write(writer: _Writer, tokens: list[Token]) -> None:
    pending: Paragraph | None = None
    for token in tokens:
        kind = token.type
        if kind == "heading_open":
            pending = writer.document.add_heading(level=int(token.tag[1]))
        elif kind == "paragraph_open":
            pending = writer.paragraph()
        elif kind == "inline" and writer.table_row is not None:
            writer.table_row.append(token.content)
        elif kind == "inline" and pending is not None:
            _add_inline(pending, token)
            pending = None
        elif kind in ("bullet_list_open", "ordered_list_open"):
            writer.lists.append("bullet" if kind == "bullet_list_open" else "ordered")
        elif kind in ("bullet_list_close", "ordered_list_close"):
            writer.lists.pop()
        elif kind == "list_item_open":
            writer.fresh_item = True
        elif kind == "blockquote_open":
            writer.in_quote += 1
        elif kind == "blockquote_close":
            writer.in_quote -= 1
        elif kind in ("fence", "code_block"):
            paragraph = writer.paragraph()
            _add_text(paragraph, token.content.rstrip("\n"), _Style(code=True), False)
        elif kind == "tr_open":
            writer.table_row = []
        elif kind == "tr_close" and writer.table_row is not None:
            paragraph = writer.paragraph()
            _add_text(paragraph, " | ".join(writer.table_row), _Style(), False)
            writer.table_row = None


def render_docx(report: PreparedReport) -> bytes:
    document = new_docx()
    document.styles["Normal"].font.size = Pt(11)
    writer = _Writer(document)
    _write(writer, markdown_parser().parse(report.body))
    if report.sources:
        document.add_heading("Sources", level=2)
        for source in report.sources:
            paragraph = document.add_paragraph()
            rtl = text_direction(source.title) == RTL
            _add_text(paragraph, f"{source.number}. ", _Style(bold=True), False)
            _add_text(paragraph, source.title, _Style(), rtl)
            details = ". " + (f"<{source.url}> " if source.url else "") + "; ".join(source.facts())
            _add_text(paragraph, details + ".", _Style(), False)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
